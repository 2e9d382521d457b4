/*
 * psci.c — PSCI calls through HVC #0.
 */
#include "psci.h"

int32_t psci_call(uint32_t fn, uint32_t a1, uint32_t a2, uint32_t a3)
{
    register uint32_t r0 __asm__("r0") = fn;
    register uint32_t r1 __asm__("r1") = a1;
    register uint32_t r2 __asm__("r2") = a2;
    register uint32_t r3 __asm__("r3") = a3;

    __asm__ volatile(".arch_extension virt\n\thvc #0"
                     : "+r"(r0), "+r"(r1), "+r"(r2), "+r"(r3) : : "memory");
    return (int32_t)r0;
}

int32_t psci_cpu_on(uint32_t target, uint32_t entry, uint32_t context)
{
    return psci_call(PSCI_CPU_ON, target, entry, context);
}

int32_t psci_affinity_info(uint32_t target, uint32_t level)
{
    return psci_call(PSCI_AFFINITY_INFO, target, level, 0);
}

void psci_cpu_off(void)
{
    psci_call(PSCI_CPU_OFF, 0, 0, 0);
    for (;;)
        __asm__ volatile("wfi");
}

void psci_system_off(void)
{
    psci_call(PSCI_SYSTEM_OFF, 0, 0, 0);
    for (;;)
        __asm__ volatile("wfi");
}
