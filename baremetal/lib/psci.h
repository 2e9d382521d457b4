/*
 * psci.h — PSCI 1.1 over HVC #0, the only conduit QEMU's virt board has
 * (SMC is UNDEFINED there). Targets are affinity values (0, 1, ...), not
 * MPIDR register values.
 */
#ifndef PSCI_H
#define PSCI_H

#include <stdint.h>

#define PSCI_VERSION 0x84000000u
#define PSCI_CPU_SUSPEND 0x84000001u
#define PSCI_CPU_OFF 0x84000002u
#define PSCI_CPU_ON 0x84000003u
#define PSCI_AFFINITY_INFO 0x84000004u
#define PSCI_MIGRATE_INFO_TYPE 0x84000006u
#define PSCI_SYSTEM_OFF 0x84000008u
#define PSCI_SYSTEM_RESET 0x84000009u
#define PSCI_FEATURES 0x8400000au

enum {
    PSCI_SUCCESS = 0,
    PSCI_NOT_SUPPORTED = -1,
    PSCI_INVALID_PARAMETERS = -2,
    PSCI_DENIED = -3,
    PSCI_ALREADY_ON = -4,
    PSCI_ON_PENDING = -5,
};

enum { PSCI_AFF_ON = 0, PSCI_AFF_OFF = 1, PSCI_AFF_ON_PENDING = 2 };

int32_t psci_call(uint32_t fn, uint32_t a1, uint32_t a2, uint32_t a3);
int32_t psci_cpu_on(uint32_t target, uint32_t entry, uint32_t context);
int32_t psci_affinity_info(uint32_t target, uint32_t level);
_Noreturn void psci_cpu_off(void);
_Noreturn void psci_system_off(void);

#endif
