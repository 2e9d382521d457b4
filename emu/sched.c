/*
 * sched.c — the exec thread's scheduler: round-robin, or a seeded random
 * schedule that replays exactly (see sched.h).
 *
 * Everything the chaos policy draws comes from one splitmix64 stream in
 * a fixed order: the TB size limit at init, then per pick the vCPU, the
 * octave and the quantum, so a pick depends only on the seed and on the
 * runnable sets seen so far.
 */
#include "emu/sched.h"

#include "util/fatal.h"

#define CHAOS_OCTAVES 11u   /* 2^0 .. 2^10: the last octave reaches the maximum */

/* The TB size limits a chaos run draws from (0: the translator's default). */
static const unsigned chaos_tb_limits[] = { 1, 2, 3, 0 };

void emu_prng_seed(struct emu_prng *p, uint64_t seed)
{
    p->state = seed;
}

uint64_t emu_prng_next(struct emu_prng *p)
{
    uint64_t z = (p->state += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

uint64_t emu_prng_below(struct emu_prng *p, uint64_t n)
{
    /* Draws falling in the last partial copy of [0, n) are redrawn, so
     * every value is equally likely. */
    uint64_t limit = UINT64_MAX - UINT64_MAX % n;
    uint64_t r;
    do
        r = emu_prng_next(p);
    while (r >= limit);
    return r % n;
}

unsigned emu_sched_chaos_quantum(struct emu_prng *p)
{
    unsigned k = (unsigned)emu_prng_below(p, CHAOS_OCTAVES);
    unsigned lo = 1u << k, hi = (2u << k) - 1;
    if (hi > EMU_SCHED_MAX_QUANTUM)
        hi = EMU_SCHED_MAX_QUANTUM;
    return lo + (unsigned)emu_prng_below(p, hi - lo + 1);
}

void emu_sched_init(struct emu_sched *s, enum emu_sched_policy policy, uint64_t seed,
                    unsigned n_cpus)
{
    if (n_cpus == 0)
        fatal("emu_sched_init: no vCPUs");
    s->policy = policy;
    s->n_cpus = n_cpus;
    s->last = n_cpus - 1;       /* so the first rr pick starts at vCPU 0 */
    s->tb_limit = 0;
    emu_prng_seed(&s->prng, seed);
    if (policy == EMU_SCHED_CHAOS)
        s->tb_limit = chaos_tb_limits[emu_prng_below(&s->prng, sizeof(chaos_tb_limits)
                                                                  / sizeof(chaos_tb_limits[0]))];
}

static bool pick_rr(struct emu_sched *s, const bool *runnable, struct emu_sched_pick *out)
{
    for (unsigned step = 1; step <= s->n_cpus; step++) {
        unsigned i = (s->last + step) % s->n_cpus;
        if (runnable[i]) {
            s->last = i;
            *out = (struct emu_sched_pick){ .cpu = i, .quantum = EMU_SCHED_RR_QUANTUM };
            return true;
        }
    }
    return false;
}

static bool pick_chaos(struct emu_sched *s, const bool *runnable, struct emu_sched_pick *out)
{
    unsigned n = 0;
    for (unsigned i = 0; i < s->n_cpus; i++)
        n += runnable[i];
    if (n == 0)
        return false;
    unsigned nth = (unsigned)emu_prng_below(&s->prng, n);
    for (unsigned i = 0; i < s->n_cpus; i++) {
        if (runnable[i] && nth-- == 0) {
            s->last = i;
            out->cpu = i;
            break;
        }
    }
    out->quantum = emu_sched_chaos_quantum(&s->prng);
    return true;
}

bool emu_sched_pick(struct emu_sched *s, const bool *runnable, struct emu_sched_pick *out)
{
    return s->policy == EMU_SCHED_CHAOS ? pick_chaos(s, runnable, out)
                                        : pick_rr(s, runnable, out);
}
