/*
 * sb-dmb — store buffering: with a DMB between its store and its load, at
 * least one of two CPUs sees the other's store.
 *
 * The litmus test SB with DMB on both sides:
 *     CPU A:  x = 1;  DMB;  r0 = y;
 *     CPU B:  y = 1;  DMB;  r1 = x;
 * Forbidden by the ARMv7 memory model: r0 == 0 && r1 == 0. Without the
 * DMBs it is allowed, and an x86-64 host shows it (its store buffer lets
 * each load pass the CPU's own older store), so an emulator on x86 must
 * turn DMB into a full fence (MFENCE) for this test to pass.
 *
 * CPUs are paired, (0,1), (2,3), ...: A is the even one. One iteration is
 * one handshake and `slots` instances of the test, each on its own pair of
 * cache lines x[k], y[k]. A resets them all to 0, picks a start time
 * `lead` us ahead on the generic counter and publishes it with `go` = i;
 * B waits for go. Both spin until the counter reaches the start time (one
 * shared counter: they leave together, far closer than a flag could line
 * them up), wait a random few loops so that the offset between them
 * varies, then run instance 0, 1, 2, ... in lockstep, each three
 * instructions of inline asm. B publishes its r1 values and `done` = i; A
 * waits for that and counts the outcomes (r0, r1). A value other than 0
 * or 1 is impossible and fails the check too. Many instances per
 * handshake matter on QEMU: a handshake costs microseconds, and the two
 * sides are close enough to race only when both vCPUs are on a host core.
 *
 * The four outcomes are printed as metrics. Needs 2 CPUs: at -smp 1 it
 * bails out (the suite runs it at smp=2-8); an odd CPU out stays idle.
 *
 * Parameters:
 *   iters=N    handshakes per pair (default 2000)
 *   slots=N    test instances per handshake, at most 64 (default 16)
 *   pairs=N    how many pairs (default: ncpus / 2)
 *   delay=N    random delay, 0..N-1 loops, on each side (default 64)
 *   lead=US    how far ahead A sets the common start time (default 10)
 *   spin=US nap=US  handshake waits spin this long, then nap (nap.h) this
 *              long at a time (default 20, 50; nap=0 spins only)
 *   dmb=0      no DMBs: the failing proof. On QEMU with thread=multi on an
 *              x86-64 host, r0 = r1 = 0 then shows up (see the opening
 *              paragraph); with thread=single only one vCPU runs at a time
 *              and it cannot.
 */
#include "nap.h"
#include "race.h"
#include "rt.h"
#include "tap.h"

#define MAX_SLOTS 64

struct line {
    uint32_t v;
} __attribute__((aligned(64)));

struct pair {
    struct line x[MAX_SLOTS];                   /* A stores, B loads */
    struct line y[MAX_SLOTS];                   /* B stores, A loads */
    uint32_t go __attribute__((aligned(64)));   /* A: iteration i may start */
    uint32_t done __attribute__((aligned(64))); /* B: iteration i ran, r1 is out */
    uint64_t start;                             /* A, before go: when both start */
    uint32_t r1[MAX_SLOTS];                     /* B, before done */
    uint32_t counts[4];                         /* A only: index r0 * 2 + r1 */
    uint32_t impossible;
};

static struct pair pairs[RT_MAX_CPUS / 2];
static unsigned long iters, slots, max_delay, lead_ticks;
static int use_dmb;

/* *mine = 1; [DMB;] return *theirs; */
static uint32_t store_then_load(uint32_t *mine, uint32_t *theirs)
{
    uint32_t r;

    if (use_dmb)
        __asm__ volatile("str %1, [%2]\n\tdmb ish\n\tldr %0, [%3]"
                         : "=&r"(r) : "r"(1), "r"(mine), "r"(theirs) : "memory");
    else
        __asm__ volatile("str %1, [%2]\n\tldr %0, [%3]"
                         : "=&r"(r) : "r"(1), "r"(mine), "r"(theirs) : "memory");
    return r;
}

static void side_a(struct pair *p, uint32_t i, uint32_t *rng)
{
    uint32_t r0[MAX_SLOTS];

    for (unsigned k = 0; k < slots; k++) {
        p->x[k].v = 0;
        p->y[k].v = 0;
    }
    p->start = rt_ticks() + lead_ticks;
    race_publish(&p->go, i);
    race_wait_until(p->start);
    race_jitter(rng, (uint32_t)max_delay);
    for (unsigned k = 0; k < slots; k++)
        r0[k] = store_then_load(&p->x[k].v, &p->y[k].v);
    race_wait_for(&p->done, i);
    for (unsigned k = 0; k < slots; k++) {
        if (r0[k] > 1 || p->r1[k] > 1)
            p->impossible++;
        else
            p->counts[r0[k] * 2 + p->r1[k]]++;
    }
}

static void side_b(struct pair *p, uint32_t i, uint32_t *rng)
{
    race_wait_for(&p->go, i);
    race_wait_until(p->start);
    race_jitter(rng, (uint32_t)max_delay);
    for (unsigned k = 0; k < slots; k++)
        p->r1[k] = store_then_load(&p->y[k].v, &p->x[k].v);
    race_publish(&p->done, i);
}

static void worker(int cpu, void *arg)
{
    struct pair *p = &pairs[cpu / 2];
    uint32_t rng = 0x6c078965u * (uint32_t)(cpu + 1);

    (void)arg;
    for (uint32_t i = 1; i <= iters; i++) {
        if (cpu % 2 == 0)
            side_a(p, i, &rng);
        else
            side_b(p, i, &rng);
    }
}

int main(void)
{
    unsigned long npairs = rt_param_ulong("pairs", (unsigned long)rt_ncpus() / 2);
    uint64_t totals[4] = { 0 };

    iters = rt_param_ulong("iters", 2000);
    slots = rt_param_ulong("slots", 16);
    max_delay = rt_param_ulong("delay", 64);
    lead_ticks = rt_tick_freq() / 1000000u * rt_param_ulong("lead", 10);
    use_dmb = (int)rt_param_ulong("dmb", 1);
    nap_config((uint32_t)rt_param_ulong("spin", 20), (uint32_t)rt_param_ulong("nap", 50));
    if (rt_ncpus() < 2)
        tap_bail("needs 2 CPUs (one per side), the machine has 1");
    if (npairs < 1 || npairs > (unsigned long)rt_ncpus() / 2)
        tap_bail("pairs=%lu but the machine has %d CPUs", npairs, rt_ncpus());
    if (slots < 1 || slots > MAX_SLOTS)
        tap_bail("slots=%lu: need 1..%d", slots, MAX_SLOTS);

    tap_plan((int)npairs);
    tap_diag("pairs=%lu iters=%lu slots=%lu delay=%lu dmb=%d%s", npairs, iters, slots,
             max_delay, use_dmb,
             use_dmb ? "" : " (no DMB: r0=0 r1=0 is allowed, so the check may fail)");
    rt_smp_run((int)npairs * 2, worker, 0);
    rt_dmb();

    for (unsigned long k = 0; k < npairs; k++) {
        struct pair *p = &pairs[k];

        tap_ok(p->counts[0] == 0 && p->impossible == 0,
               "pair (%lu,%lu): r0=0 r1=0 never seen in %lu x %lu runs (seen %lu, impossible values %lu)",
               2 * k, 2 * k + 1, iters, slots, (unsigned long)p->counts[0],
               (unsigned long)p->impossible);
        for (int o = 0; o < 4; o++)
            totals[o] += p->counts[o];
    }
    for (int o = 0; o < 4; o++) {
        char key[16];

        rt_snprintf(key, sizeof(key), "r0_%d_r1_%d", o / 2, o % 2);
        tap_metric(key, "%llu", (unsigned long long)totals[o]);
    }
    return tap_done();
}
