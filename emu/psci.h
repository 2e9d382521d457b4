/*
 * psci.h — the PSCI 1.1 firmware interface that QEMU's virt board answers
 * on HVC #0 (machine-contract.md §7): function ID in r0, arguments in
 * r1..r3, result in r0.
 *
 * emu_psci_call() decodes the call, checks its arguments and answers
 * everything that needs no machine state itself (VERSION, FEATURES,
 * MIGRATE_INFO_TYPE, errors). What changes the machine goes to the
 * board's callbacks:
 *   cpu_on        target (an affinity value already checked to be an
 *                 existing CPU), entry, context -> PSCI_SUCCESS or
 *                 PSCI_ALREADY_ON. QEMU starts the CPU asynchronously and
 *                 returns 0 for a CPU that is still starting (§7).
 *   cpu_off       the calling CPU stops; r0 is left alone (CPU_ON resets
 *                 the registers when it starts the CPU again).
 *   affinity_info target (checked), level (always 0) -> 0 ON, 1 OFF.
 *   system_off    the machine powers off (exit status 0, §8), or pauses
 *                 with -no-shutdown; system_reset resets it. Neither call
 *                 returns to the guest: the board stops the calling CPU,
 *                 as QEMU powers it off. r0 is left alone.
 *   cpu_suspend   optional (may be NULL): CPU_SUSPEND is a WFI on QEMU,
 *                 with r0 = 0 on wake-up; the board parks the CPU until
 *                 an interrupt. NULL returns 0 at once (a WFI may).
 *
 * Callers hold the device lock (or whatever lock the callbacks need).
 */
#ifndef EMU_PSCI_H
#define EMU_PSCI_H

#include "arm/cpu.h"

#include <stdint.h>

/* Function IDs (SMC32 / HVC32). */
#define PSCI_0_2_FN_BASE          0x84000000u
#define PSCI_FN_VERSION           0x84000000u
#define PSCI_FN_CPU_SUSPEND       0x84000001u
#define PSCI_FN_CPU_OFF           0x84000002u
#define PSCI_FN_CPU_ON            0x84000003u
#define PSCI_FN_AFFINITY_INFO     0x84000004u
#define PSCI_FN_MIGRATE           0x84000005u
#define PSCI_FN_MIGRATE_INFO_TYPE 0x84000006u
#define PSCI_FN_MIGRATE_INFO_UP_CPU 0x84000007u
#define PSCI_FN_SYSTEM_OFF        0x84000008u
#define PSCI_FN_SYSTEM_RESET      0x84000009u
#define PSCI_FN_FEATURES          0x8400000Au
#define PSCI_FN_64BIT             0x40000000u   /* SMC64 IDs: 0xC4000000 | n */

/* PSCI 0.1 IDs, which QEMU accepts too (FEATURES says 0 for the first
 * three, measured for CPU_ON). */
#define PSCI_0_1_FN_CPU_SUSPEND   0x95c1ba5eu
#define PSCI_0_1_FN_CPU_OFF       0x95c1ba5fu
#define PSCI_0_1_FN_CPU_ON        0x95c1ba60u
#define PSCI_0_1_FN_MIGRATE       0x95c1ba61u

#define PSCI_VERSION_1_1          0x00010001u
#define PSCI_MIGRATE_INFO_NO_TOS  2     /* no Trusted OS: migration not needed */

/* Return codes. */
#define PSCI_SUCCESS              0
#define PSCI_NOT_SUPPORTED        (-1)
#define PSCI_INVALID_PARAMETERS   (-2)
#define PSCI_DENIED               (-3)
#define PSCI_ALREADY_ON           (-4)
#define PSCI_ON_PENDING           (-5)
#define PSCI_INTERNAL_FAILURE     (-6)
#define PSCI_NOT_PRESENT          (-7)
#define PSCI_DISABLED             (-8)

/* AFFINITY_INFO results. */
#define PSCI_AFF_ON  0
#define PSCI_AFF_OFF 1

struct emu_psci_ops {
    int32_t (*cpu_on)(void *opaque, unsigned target, uint32_t entry, uint32_t context);
    void (*cpu_off)(void *opaque, struct arm_cpu *cpu);
    int32_t (*affinity_info)(void *opaque, unsigned target, unsigned level);
    void (*system_off)(void *opaque);
    void (*system_reset)(void *opaque);
    unsigned n_cpus;
    void *opaque;
    void (*cpu_suspend)(void *opaque, struct arm_cpu *cpu);    /* optional */
};

/* Handles the PSCI call cpu made (r0 = function ID, r1..r3 = arguments)
 * and writes the result to r0, except for CPU_OFF, SYSTEM_OFF and
 * SYSTEM_RESET, which do not return to the guest. */
void emu_psci_call(const struct emu_psci_ops *ops, struct arm_cpu *cpu);

#endif
