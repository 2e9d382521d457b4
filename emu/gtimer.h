/*
 * gtimer.h — the ARM generic timer's arithmetic: the system counter as a
 * clock, and the rules that turn a timer's CTL and CVAL into its output
 * line and its CTL.ISTATUS bit.
 *
 * The counter runs at 62.5 MHz (CNTFRQ, machine-contract.md §5), one tick
 * per 16 ns of host CLOCK_MONOTONIC time since the clock's epoch, so it
 * starts near 0 when the board starts, as on QEMU. One clock serves every
 * vCPU (the counter is shared and monotonic). The board keeps each vCPU's
 * CTL/CVAL (struct arm_cp15), calls gtimer_output() after every change and
 * every time a deadline passes, drives the timer's PPI with the result,
 * and arms a host timer gtimer_ns_until() ahead.
 *
 * With sched=chaos the clock is virtual instead (gtimer_clock_init_virtual):
 * the count is advanced by the exec loop, GTIMER_TICKS_PER_INSN per guest
 * instruction executed on any vCPU, and jumped forward to the next timer
 * deadline when every vCPU sleeps, so no host time reaches the guest and a
 * seeded run replays exactly. One tick per instruction is 16 ns each, a
 * guest that seems to run 62.5 million instructions per second in all,
 * which is what QEMU's -icount shift=4 gives.
 *
 * Everything here is a pure function of its arguments, except
 * gtimer_counter_now(), which reads the host clock (or the virtual count),
 * and gtimer_clock_advance(); nothing is locked.
 */
#ifndef EMU_GTIMER_H
#define EMU_GTIMER_H

#include <stdbool.h>
#include <stdint.h>

#define GTIMER_FREQ_HZ 62500000u
#define GTIMER_NS_PER_TICK 16u
#define GTIMER_TICKS_PER_INSN 1u    /* the virtual clock's rate */

/* CNTx_CTL bits. ENABLE and IMASK are written by the guest; ISTATUS is
 * read-only and computed. */
#define GTIMER_CTL_ENABLE  (1u << 0)
#define GTIMER_CTL_IMASK   (1u << 1)
#define GTIMER_CTL_ISTATUS (1u << 2)

/* The timers' interrupt IDs on QEMU's virt board: the device tree's PPIs
 * 13, 14, 11 and 10 (emu/devtree.c), plus 16. */
#define GTIMER_PPI_PHYS_S  29u  /* secure physical timer */
#define GTIMER_PPI_PHYS_NS 30u  /* non-secure physical timer (CNTP_*) */
#define GTIMER_PPI_VIRT    27u  /* virtual timer (CNTV_*) */
#define GTIMER_PPI_HYP     26u  /* hypervisor timer */

struct gtimer_clock {
    uint64_t epoch_ns;          /* CLOCK_MONOTONIC at which the count was 0 */
    bool is_virtual;            /* the count is `ticks`, not host time */
    uint64_t ticks;             /* the virtual count; written only by the
                                 * exec thread (sched=chaos is thread=single) */
};

/* Starts the counter at 0 now. */
void gtimer_clock_init(struct gtimer_clock *clock);
/* A virtual counter at 0, moved only by gtimer_clock_advance(). */
void gtimer_clock_init_virtual(struct gtimer_clock *clock);
/* Moves a virtual counter forward by ticks (nothing for a host clock).
 * Inline: the exec loop calls it for every TB. */
static inline void gtimer_clock_advance(struct gtimer_clock *clock, uint64_t ticks)
{
    if (clock->is_virtual)
        clock->ticks += ticks;
}
/* The physical count (CNTPCT) now; CNTVCT is this minus CNTVOFF. */
uint64_t gtimer_counter_now(const struct gtimer_clock *clock);
/* Nanoseconds since the count was 0, on the clock's own time base. */
uint64_t gtimer_clock_ns(const struct gtimer_clock *clock);
/* The count at host CLOCK_MONOTONIC time host_ns (0 before the epoch). */
uint64_t gtimer_counter_at(const struct gtimer_clock *clock, uint64_t host_ns);

/* The timer's output line: enabled, not masked, and count >= cval. */
bool gtimer_output(uint32_t ctl, uint64_t cval, uint64_t count);
/* CTL as the guest reads it: ENABLE and IMASK as written, ISTATUS set when
 * the timer is enabled and count >= cval (whatever IMASK says). */
uint32_t gtimer_ctl_read(uint32_t ctl, uint64_t cval, uint64_t count);
/* The part of a guest write to CTL that the board stores. */
uint32_t gtimer_ctl_write(uint32_t value);
/* Host nanoseconds from the moment the counter read count until it reaches
 * cval: 0 if it already has, UINT64_MAX if that is beyond 2^64 ns (CVAL
 * "never"). Never early: the count was taken up to 16 ns after it ticked,
 * so the deadline comes at most 16 ns later than the answer. */
uint64_t gtimer_ns_until(uint64_t cval, uint64_t count);

#endif
