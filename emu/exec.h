/*
 * exec.h — running the machine: the exec loop of every vCPU.
 *
 * thread=single: all vCPUs take turns on the calling thread, each for a
 * quantum of TBs, round-robin (sched=rr) or as a seeded PRNG draws them
 * (sched=chaos, emu/sched.h); a vCPU in WFI/WFE is skipped until an
 * interrupt or event wakes it, and when every started vCPU sleeps the
 * thread sleeps until the next timer deadline (or, in chaos mode, the
 * virtual clock jumps to it).
 *
 * thread=multi: one host thread per vCPU, each running its vCPU in
 * quanta inside its exclusive-section bracket (emu/excl.h); between quanta
 * it updates its timers, and a vCPU in WFI/WFE (or off) sleeps on its
 * condition variable until an interrupt, an event, CPU_ON or its timer
 * deadline wakes it.
 */
#ifndef EMU_EXEC_H
#define EMU_EXEC_H

#include "emu/machine.h"

/* Runs m until the guest ends the run; returns the exit status. */
int emu_exec_run(struct emu_machine *m);

/* Makes a parked vCPU runnable if it has a reason to wake, and wakes its
 * thread (caller holds dev_lock). */
void emu_exec_kick(struct emu_vcpu *v);

/* For helpers whose work needs every other vCPU stopped (marking an
 * LL/SC page, STREX under llsc=stw, ...IS TLB maintenance): returns at
 * once when the world is already stopped for this instruction (one host
 * thread, or the instruction is being re-run as an exclusive step);
 * otherwise abandons the instruction, which the exec loop runs again
 * alone inside an exclusive section. So the caller must not have changed
 * any state yet. A helper must never wait for a section from inside a
 * TB: a flush in that section could reuse the TB's memory. */
void emu_exec_need_exclusive(struct emu_vcpu *v);

#endif
