/*
 * nap.h — a waiting CPU gives its host thread back: WFI until its virtual
 * timer fires.
 *
 * Why: under QEMU with thread=multi every vCPU is a host thread, and WFE
 * and YIELD do nothing there, so a CPU that spins keeps a host core busy.
 * With more vCPUs than host cores, the CPU it waits for may not be running
 * at all. A fair lock (ticket, MCS) whose next owner is descheduled then
 * hands over only when the host scheduler gets round to it: measured at
 * -smp 8 on 2 host cores, 4.9 and 7 ms per acquire instead of 2-4 us, and
 * the run looks hung. WFI makes QEMU put the vCPU thread to sleep until an
 * interrupt is pending, so the host core goes to a vCPU that can progress.
 *
 * nap_us() arms this CPU's virtual timer (CNTV: PPI 11, interrupt ID 27),
 * waits in WFI and turns the timer off again. IRQs stay masked in the
 * CPSR: a pending interrupt ends WFI all the same, is never taken, and its
 * level drops when the timer is turned off. Each CPU sets up its GIC interface on its
 * first nap (gic.h) and leaves ID 27 enabled afterwards; the timer itself
 * is off between naps. A WFI that returns early (it may) only shortens the
 * nap. Measured on QEMU: nap_us(1000) takes 1.07-2.2 ms, nap_us(20) 50-130
 * us with thread=multi (host timer slack and thread wake-up); with
 * thread=single a short nap sometimes takes several ms.
 *
 * A wait loop:
 *     struct nap_wait w = NAP_WAIT_INIT;
 *     while (!condition)
 *         nap_wait(&w);
 * spins with WFE for the first spin_us, then naps sleep_us at a time.
 * Whoever makes the condition true must SEV afterwards (rt_sev()), or a
 * real CPU may sleep in that WFE for good. nap_config(spin_us, 0) turns
 * napping off (plain WFE spinning).
 */
#ifndef NAP_H
#define NAP_H

#include <stdint.h>

struct nap_wait {
    uint64_t spin_until; /* 0 until the first call */
};
#define NAP_WAIT_INIT { 0 }

/* Defaults: spin 20 us, then nap 50 us at a time. Call before the waits. */
void nap_config(uint32_t spin_us, uint32_t sleep_us);
void nap_wait(struct nap_wait *w);
void nap_us(uint32_t us);

#endif
