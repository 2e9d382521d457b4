/*
 * cpu_services.h — what the runtime (emu/) does for the CPU (arm/):
 * guest memory accesses through the soft TLB, the exclusive monitor's
 * global side, events, TLB maintenance and the generic timer's clock.
 *
 * arm/ calls these from helpers and from translated code (through
 * emu_tcg_mem_ops); emu/ implements them. Any of them may leave by a
 * guest fault (arm_cpu_raise_data_abort()), so callers keep no state a
 * non-local exit would break. All take the calling vCPU and are called on
 * that vCPU's thread.
 */
#ifndef EMU_CPU_SERVICES_H
#define EMU_CPU_SERVICES_H

#include "arm/cpu.h"
#include "tcg/interp.h"

#include <stdbool.h>
#include <stdint.h>

/* Virtual-address accesses with a tcg memop (size, sign, align, MMU index). */
uint64_t emu_mem_load(struct arm_cpu *cpu, uint32_t va, unsigned memop);
void emu_mem_store(struct arm_cpu *cpu, uint32_t va, uint64_t value, unsigned memop);
/* The same pair in the form generated code calls (env = struct arm_cpu). */
extern const struct tcg_mem_ops emu_tcg_mem_ops;

/* Physical reads for the page-table walker: false for an address that is
 * neither RAM nor flash (the walk then reports an external abort). */
bool emu_phys_read32(struct arm_cpu *cpu, uint64_t pa, uint32_t *value);

/* LDREX/STREX. load_exclusive reads and sets the reservation (size from
 * memop); store_exclusive returns 0 when it stored, 1 when the
 * reservation was lost (and stores nothing). Both clear or set the
 * local monitor fields in cpu. clear_exclusive is CLREX. */
uint64_t emu_load_exclusive(struct arm_cpu *cpu, uint32_t va, unsigned memop);
uint32_t emu_store_exclusive(struct arm_cpu *cpu, uint32_t va, uint64_t value, unsigned memop);
void emu_clear_exclusive(struct arm_cpu *cpu);

/* SEV: sets every vCPU's event register and wakes WFE sleepers. */
void emu_send_event(struct arm_cpu *cpu);

/* TLB maintenance. all_cpus: the ...IS forms, broadcast to every vCPU. */
void emu_tlb_flush_all(struct arm_cpu *cpu, bool all_cpus);
void emu_tlb_flush_va(struct arm_cpu *cpu, uint32_t va, bool all_cpus);        /* any ASID */
void emu_tlb_flush_asid(struct arm_cpu *cpu, uint32_t asid, bool all_cpus);
void emu_tlb_flush_va_asid(struct arm_cpu *cpu, uint32_t va, uint32_t asid, bool all_cpus);

/* The generic timer: the system counter (62.5 MHz, shared, monotonic),
 * and a call after any write to CNTV_/CNTP_ CTL or CVAL so the runtime
 * re-arms the timer and updates the PPI levels. */
uint64_t emu_counter_now(struct arm_cpu *cpu);
void emu_timer_changed(struct arm_cpu *cpu);

#endif
