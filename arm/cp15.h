/*
 * cp15.h — the system registers reached by MRC/MCR/MRRC/MCRR (cp15, and
 * the cp14 debug ID registers a kernel reads), with the values of
 * machine-contract.md §4 for cortex-a15 on QEMU 7.2.
 *
 * Each call checks the access (existence, privilege, read-only) and
 * returns false for one that must be UNDEFINED, after a -d unimp line for
 * a register that does not exist. Writes with side effects (SCTLR, TTBR,
 * TLB and cache maintenance, timers) do them through emu/cpu_services.h.
 */
#ifndef ARM_CP15_H
#define ARM_CP15_H

#include "arm/cpu.h"

#include <stdbool.h>
#include <stdint.h>

bool arm_sysreg_read(struct arm_cpu *cpu, unsigned cp, unsigned opc1, unsigned crn,
                     unsigned crm, unsigned opc2, uint32_t *value);
bool arm_sysreg_write(struct arm_cpu *cpu, unsigned cp, unsigned opc1, unsigned crn,
                      unsigned crm, unsigned opc2, uint32_t value);
/* The 64-bit registers (TTBR0/1 under LPAE, PAR, CNTPCT, CNTVCT, CNTP_CVAL,
 * CNTV_CVAL, CNTVOFF). */
bool arm_sysreg_read64(struct arm_cpu *cpu, unsigned cp, unsigned opc1, unsigned crm,
                       uint64_t *value);
bool arm_sysreg_write64(struct arm_cpu *cpu, unsigned cp, unsigned opc1, unsigned crm,
                        uint64_t value);

#endif
