/*
 * psci.c — PSCI calls (see psci.h), with QEMU 7.2's answers.
 *
 * Targets are affinity values, MPIDR without bit 31 (contract §7, §10.5):
 * on the virt board with a GICv2 (at most 8 CPUs) CPU n has Aff0 = n and
 * Aff1 = Aff2 = 0, so a target is valid exactly when it is below the CPU
 * count; 0x80000001 and 0x100 are INVALID_PARAMETERS. Calls with 64-bit
 * IDs (bit 30) are NOT_SUPPORTED: the CPU is AArch32.
 */
#include "emu/psci.h"

/* CPU_SUSPEND power_state bits QEMU accepts: StateID and StateType (bit
 * 16); an affinity level (bits 25:24) or anything else is refused. */
#define SUSPEND_BAD_BITS 0xfffe0000u

static bool valid_target(const struct emu_psci_ops *ops, uint32_t target)
{
    return target < ops->n_cpus;
}

/* PSCI_FEATURES: 0 for what emu_psci_call() implements, else -1. */
static int32_t features(uint32_t fn)
{
    switch (fn) {
    case PSCI_FN_VERSION: case PSCI_FN_CPU_SUSPEND: case PSCI_FN_CPU_OFF:
    case PSCI_FN_CPU_ON: case PSCI_FN_AFFINITY_INFO: case PSCI_FN_MIGRATE_INFO_TYPE:
    case PSCI_FN_SYSTEM_OFF: case PSCI_FN_SYSTEM_RESET: case PSCI_FN_FEATURES:
    case PSCI_0_1_FN_CPU_SUSPEND: case PSCI_0_1_FN_CPU_OFF: case PSCI_0_1_FN_CPU_ON:
        return PSCI_SUCCESS;
    default:    /* MIGRATE (both IDs), MIGRATE_INFO_UP_CPU, 64-bit IDs, unknown */
        return PSCI_NOT_SUPPORTED;
    }
}

static int32_t cpu_on(const struct emu_psci_ops *ops, const struct arm_cpu *cpu)
{
    if (!valid_target(ops, cpu->r[1]))
        return PSCI_INVALID_PARAMETERS;
    return ops->cpu_on(ops->opaque, cpu->r[1], cpu->r[2], cpu->r[3]);
}

static int32_t affinity_info(const struct emu_psci_ops *ops, const struct arm_cpu *cpu)
{
    if (cpu->r[2] != 0)
        return PSCI_AFF_ON;     /* QEMU: every level above 0 is always on */
    if (!valid_target(ops, cpu->r[1]))
        return PSCI_INVALID_PARAMETERS;
    return ops->affinity_info(ops->opaque, cpu->r[1], 0);
}

static int32_t cpu_suspend(const struct emu_psci_ops *ops, struct arm_cpu *cpu)
{
    if (cpu->r[1] & SUSPEND_BAD_BITS)
        return PSCI_INVALID_PARAMETERS;
    cpu->r[0] = PSCI_SUCCESS;   /* the value seen on wake-up */
    if (ops->cpu_suspend)
        ops->cpu_suspend(ops->opaque, cpu);
    return PSCI_SUCCESS;
}

void emu_psci_call(const struct emu_psci_ops *ops, struct arm_cpu *cpu)
{
    int32_t ret;

    switch (cpu->r[0]) {
    case PSCI_FN_VERSION:           ret = (int32_t)PSCI_VERSION_1_1; break;
    case PSCI_FN_CPU_SUSPEND:
    case PSCI_0_1_FN_CPU_SUSPEND:   ret = cpu_suspend(ops, cpu); break;
    case PSCI_FN_CPU_ON:
    case PSCI_0_1_FN_CPU_ON:        ret = cpu_on(ops, cpu); break;
    case PSCI_FN_AFFINITY_INFO:     ret = affinity_info(ops, cpu); break;
    case PSCI_FN_MIGRATE_INFO_TYPE: ret = PSCI_MIGRATE_INFO_NO_TOS; break;
    case PSCI_FN_FEATURES:          ret = features(cpu->r[1]); break;
    case PSCI_FN_CPU_OFF:
    case PSCI_0_1_FN_CPU_OFF:
        ops->cpu_off(ops->opaque, cpu);
        return;
    case PSCI_FN_SYSTEM_OFF:
        ops->system_off(ops->opaque);
        return;
    case PSCI_FN_SYSTEM_RESET:
        ops->system_reset(ops->opaque);
        return;
    default:        /* MIGRATE, MIGRATE_INFO_UP_CPU, 64-bit IDs, unknown */
        ret = PSCI_NOT_SUPPORTED;
        break;
    }
    cpu->r[0] = (uint32_t)ret;
}
