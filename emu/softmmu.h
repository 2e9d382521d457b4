/*
 * softmmu.h — the per-vCPU soft TLB and the guest memory accesses built
 * on it (the implementations of emu/cpu_services.h).
 *
 * One direct-mapped table per MMU index (arm_mmu_idx), indexed by virtual
 * page number. An entry caches one 4 KiB page of a walk: its physical
 * page, the permissions at that index, and for RAM a host pointer, so a
 * hit is a tag compare and a host load or store. Devices, holes, flash
 * writes and pages holding translated code (self-modifying code) go
 * through the slow path.
 *
 * Threads: a vCPU's TLB is written only by its own thread, except that
 * the ...IS TLB operations flush every vCPU's inside an exclusive section
 * (emu/excl.h), while the others are stopped.
 */
#ifndef EMU_SOFTMMU_H
#define EMU_SOFTMMU_H

#include "arm/mmu.h"

#include <stdbool.h>
#include <stdint.h>

#define EMU_PAGE_BITS 12
#define EMU_PAGE_SIZE (1u << EMU_PAGE_BITS)
#define EMU_PAGE_MASK (~(EMU_PAGE_SIZE - 1))
#define EMU_TLB_SIZE  256
#define EMU_TLB_MMU_IDX 2

struct emu_tlb_entry {
    uint32_t vpage;         /* virtual page address | EMU_TLB_VALID */
    uint32_t prot;          /* ARM_PROT_* at this entry's MMU index */
    uint64_t ppage;         /* physical page address */
    uint8_t *host;          /* host address of the page for RAM, else NULL */
    uint32_t asid;          /* for TLBIASID; meaningless when global */
    bool global;
};
#define EMU_TLB_VALID 1u

struct emu_tlb {
    struct emu_tlb_entry e[EMU_TLB_MMU_IDX][EMU_TLB_SIZE];
};

struct emu_vcpu;
struct arm_cpu;

/* The fault status of a synchronous external abort (an access to a hole)
 * in the current translation regime's format, for DFSR or IFSR. */
uint32_t emu_fsr_external_abort(const struct arm_cpu *cpu, bool write);

void emu_tlb_flush_local(struct emu_vcpu *v);

/* For emu/llsc.c: the TLB entry for an access (a fault leaves by
 * arm_cpu_raise_*), the alignment check, guest RAM through relaxed
 * atomics, and a byte swap of size bytes. */
struct emu_tlb_entry *emu_tlb_lookup(struct emu_vcpu *v, uint32_t va, enum arm_access type,
                                     unsigned idx);
void emu_check_alignment(struct arm_cpu *cpu, uint32_t va, unsigned size, unsigned memop,
                         bool write);
uint64_t emu_ram_read(const uint8_t *host, unsigned size);
void emu_ram_write(uint8_t *host, unsigned size, uint64_t value);
uint64_t emu_bswap_size(uint64_t x, unsigned size);

/* Translates va for instruction fetch at the vCPU's current MMU index:
 * the physical address, or a prefetch abort raised on the vCPU. */
uint64_t emu_mmu_translate_fetch(struct emu_vcpu *v, uint32_t va);

#endif
