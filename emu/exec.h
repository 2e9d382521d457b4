/*
 * exec.h — running the machine: the exec loop of every vCPU.
 *
 * thread=single: all vCPUs take turns on the calling thread, each for a
 * quantum of TBs, round-robin (sched=rr) or as a seeded PRNG draws them
 * (sched=chaos, emu/sched.h); a vCPU in WFI/WFE is skipped until an
 * interrupt or event wakes it, and when every started vCPU sleeps the
 * thread sleeps until the next timer deadline (or, in chaos mode, the
 * virtual clock jumps to it).
 */
#ifndef EMU_EXEC_H
#define EMU_EXEC_H

#include "emu/machine.h"

/* Runs m until the guest ends the run; returns the exit status. */
int emu_exec_run(struct emu_machine *m);

/* Makes a parked vCPU runnable if it has a reason to wake (caller holds
 * dev_lock). */
void emu_exec_kick(struct emu_vcpu *v);

#endif
