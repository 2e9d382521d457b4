/*
 * sched.h — which vCPU the one exec thread runs next, and for how long
 * (-accel tcg,thread=single,sched=rr|chaos[,seed=N]).
 *
 *   rr     round-robin: the next runnable vCPU after the last one picked,
 *          for EMU_SCHED_RR_QUANTUM TBs, as the exec loop always did.
 *   chaos  the next vCPU uniformly among the runnable ones, and a quantum
 *          of 1..EMU_SCHED_MAX_QUANTUM TBs from a log-uniform distribution
 *          (an octave 2^k..2^(k+1)-1, k uniform in 0..10, then a value
 *          uniform in it), both drawn from a splitmix64 generator seeded
 *          with N. Log-uniform rather than uniform because the short
 *          quanta are the interesting ones — they switch vCPUs inside a
 *          lock hand-off or between a load-exclusive loop's iterations —
 *          and a uniform 1..2000 would give a quantum under 16 TBs only
 *          0.8 % of the time; here it is 4 picks in 11.
 *          A quantum ends only between TBs, and a TB usually holds a whole
 *          LDREX...STREX loop, so chaos also draws, once per run, the TB
 *          size limit: 1, 2 or 3 instructions, or the translator's default
 *          (one seed in four). With short TBs a vCPU can lose the thread
 *          between its LDREX and its STREX.
 *
 * The scheduler is a pure state machine: its only input is which vCPUs
 * can run, never the host clock, so the same seed and the same guest give
 * the same sequence of picks. Not shared: the exec thread owns it.
 */
#ifndef EMU_SCHED_H
#define EMU_SCHED_H

#include "emu/emu_cmdline.h"

#include <stdbool.h>
#include <stdint.h>

#define EMU_SCHED_RR_QUANTUM  2000u  /* TBs per turn under rr */
#define EMU_SCHED_MAX_QUANTUM 2000u  /* the longest chaos quantum, in TBs */

/* splitmix64: 64 bits of state, full period, passes BigCrush; enough to
 * shuffle a schedule and trivial to replay. */
struct emu_prng {
    uint64_t state;
};

void emu_prng_seed(struct emu_prng *p, uint64_t seed);
uint64_t emu_prng_next(struct emu_prng *p);
/* Uniform in [0, n), n > 0, without modulo bias. */
uint64_t emu_prng_below(struct emu_prng *p, uint64_t n);

struct emu_sched {
    enum emu_sched_policy policy;
    unsigned n_cpus;
    unsigned last;              /* rr: the vCPU picked last */
    struct emu_prng prng;       /* chaos */
    unsigned tb_limit;          /* instructions per TB; 0: the translator's default */
};

struct emu_sched_pick {
    unsigned cpu;
    unsigned quantum;           /* TBs, >= 1 */
};

void emu_sched_init(struct emu_sched *s, enum emu_sched_policy policy, uint64_t seed,
                    unsigned n_cpus);
/* Picks among the vCPUs i < n_cpus with runnable[i]. False, with *out
 * untouched and no random number drawn, when none can run. */
bool emu_sched_pick(struct emu_sched *s, const bool *runnable, struct emu_sched_pick *out);
/* A chaos quantum: 1..EMU_SCHED_MAX_QUANTUM, log-uniform. */
unsigned emu_sched_chaos_quantum(struct emu_prng *p);

#endif
