/*
 * mmu.h — the VMSAv7 translation table walk: short-descriptor (sections,
 * supersections, large and small pages, domains, AP, XN) and LPAE
 * long-descriptor (TTBCR.EAE), with the fault status codes and addresses
 * the architecture gives. The walk only reads memory, through a callback,
 * so unit tests can hand it crafted tables.
 */
#ifndef ARM_MMU_H
#define ARM_MMU_H

#include "arm/cpu.h"

#include <stdbool.h>
#include <stdint.h>

enum arm_access { ARM_ACCESS_READ, ARM_ACCESS_WRITE, ARM_ACCESS_EXEC };

#define ARM_PROT_READ  1u
#define ARM_PROT_WRITE 2u
#define ARM_PROT_EXEC  4u

struct arm_mmu_result {
    uint64_t pa;            /* physical address of va */
    unsigned prot;          /* ARM_PROT_* allowed at the MMU index asked for */
    uint32_t page_size;     /* bytes mapped by the entry (>= 4096): what a TLB may cache */
    uint32_t asid;          /* 0 for a global entry */
    bool global;
};

/* Reads a 32-bit table word at physical address pa; false: external abort. */
typedef bool arm_mmu_read_fn(void *opaque, uint64_t pa, uint32_t *value);

/* Translates va for an access of type at MMU index idx using cpu's cp15
 * state. MMU off: a flat map with every permission. Returns true with
 * *res, or false with *fsr in the format of the current translation
 * regime (short: FS[4] at bit 10, domain in [7:4], WnR bit 11; long:
 * LPAE bit 9, STATUS in [5:0], WnR bit 11) ready for DFSR or IFSR. */
bool arm_mmu_translate(const struct arm_cpu *cpu, uint32_t va, enum arm_access type,
                       enum arm_mmu_idx idx, arm_mmu_read_fn *read, void *opaque,
                       struct arm_mmu_result *res, uint32_t *fsr);

#endif
