/*
 * timer — the generic timer's virtual counter (CNTVCT) is one monotonic
 * clock shared by all CPUs, at the frequency CNTFRQ claims.
 *
 * Checks:
 *  - per CPU: `reads` back-to-back reads of CNTVCT (rt_ticks(): ISB, then
 *    MRRC) never go backwards. Metrics: the smallest and largest step.
 *  - CNTFRQ reads 62500000 (62.5 MHz, what QEMU's virt board sets) on
 *    every CPU.
 *  - across CPUs (2 CPUs or more): the CPUs pass a token round a ring,
 *    0, 1, ..., n-1, 0, ... `rounds` times each. The token is the last
 *    CPU's counter reading, published with a release store. The next CPU
 *    waits until it loads (acquire) a token from its predecessor, reads
 *    its own counter, which must not be behind the token (with one shared
 *    counter, a read that comes later cannot return an earlier count),
 *    and publishes its own reading. A ring, not a free-for-all, so that
 *    every observation crosses CPUs even when QEMU runs one vCPU for a
 *    whole host time slice (seen: 3 cross-CPU readings out of 40000 at
 *    -smp 2 on a loaded 2-core host).
 *  - the counter moves at about the claimed rate: rt_udelay(1000) waits
 *    until the counter has moved by CNTFRQ/1000, so across it the counter
 *    must move by at least 62500 ticks (it fails if CNTFRQ is wrong).
 * The counter is not compared with semihosting SYS_CLOCK: that is the
 * host process's CPU time, not wall time (machine-contract.md §5).
 *
 * Waiting for the token spins, then naps (nap.h), so that with more vCPUs
 * than host cores the waiters give their host core to the token holder.
 *
 * Parameters: reads (default 200000), rounds (default 500),
 * break=1 expects CNTFRQ = 24 MHz (the UART's clock) instead: that check
 * must then fail.
 */
#include "nap.h"
#include "rt.h"
#include "tap.h"

#define QEMU_VIRT_CNTFRQ 62500000u
#define CPU_SHIFT 56 /* published = cpu << 56 | ticks; 2^56 ticks is 36 years */

struct cpu_result {
    uint32_t freq;
    uint32_t decreases; /* back-to-back reads that went backwards */
    uint64_t min_step, max_step;
    uint32_t behind;     /* own reading behind the predecessor's token */
    int64_t worst;       /* most negative own - published, in ticks */
} __attribute__((aligned(64)));

static struct cpu_result results[RT_MAX_CPUS];
static uint64_t published __attribute__((aligned(64)));
static unsigned long reads, rounds;
static int ncpus;
static struct rt_barrier line_up;

static void read_back_to_back(struct cpu_result *r)
{
    uint64_t prev = rt_ticks();

    r->min_step = ~0ull;
    for (unsigned long i = 0; i < reads; i++) {
        uint64_t now = rt_ticks();

        if (now < prev) {
            r->decreases++;
        } else {
            uint64_t step = now - prev;

            if (step < r->min_step)
                r->min_step = step;
            if (step > r->max_step)
                r->max_step = step;
        }
        prev = now;
    }
}

/* Waits for the predecessor's token; returns its counter reading. */
static uint64_t take_token(int from)
{
    struct nap_wait w = NAP_WAIT_INIT;
    uint64_t seen;

    while ((int)((seen = __atomic_load_n(&published, __ATOMIC_ACQUIRE)) >> CPU_SHIFT) != from)
        nap_wait(&w);
    return seen & ((1ull << CPU_SHIFT) - 1);
}

static void pass_token_round(struct cpu_result *r, int cpu)
{
    int from = (cpu + ncpus - 1) % ncpus;

    for (unsigned long i = 0; i < rounds; i++) {
        uint64_t theirs = take_token(from);
        uint64_t own = rt_ticks(); /* its ISB keeps the read after the load */

        if (own < theirs) {
            r->behind++;
            if ((int64_t)(own - theirs) < r->worst)
                r->worst = (int64_t)(own - theirs);
        }
        __atomic_store_n(&published, ((uint64_t)cpu << CPU_SHIFT) | rt_ticks(),
                         __ATOMIC_RELEASE);
        rt_sev();
    }
}

static void worker(int cpu, void *arg)
{
    struct cpu_result *r = &results[cpu];

    (void)arg;
    r->freq = rt_tick_freq();
    read_back_to_back(r);
    rt_barrier_wait(&line_up);
    if (ncpus > 1)
        pass_token_round(r, cpu);
}

static void report_cross(void)
{
    uint64_t behind = 0;
    int64_t worst = 0;

    for (int cpu = 0; cpu < ncpus; cpu++) {
        behind += results[cpu].behind;
        if (results[cpu].worst < worst)
            worst = results[cpu].worst;
    }
    tap_ok(behind == 0,
           "no CPU read its counter behind the reading its ring predecessor published (%llu of %llu behind, worst %lld ticks)",
           (unsigned long long)behind, (unsigned long long)ncpus * rounds, (long long)worst);
}

static void check_udelay(void)
{
    uint64_t t0 = rt_ticks(), moved;

    rt_udelay(1000);
    moved = rt_ticks() - t0;
    tap_ok(moved >= QEMU_VIRT_CNTFRQ / 1000,
           "the counter moved by >= %u ticks across rt_udelay(1000) (moved %llu)",
           QEMU_VIRT_CNTFRQ / 1000, (unsigned long long)moved);
}

int main(void)
{
    int broken = (int)rt_param_ulong("break", 0);
    uint32_t want_freq = broken ? 24000000u : QEMU_VIRT_CNTFRQ;
    uint64_t min_step = ~0ull, max_step = 0, t0, t1;
    int freq_ok = 0;

    reads = rt_param_ulong("reads", 200000);
    rounds = rt_param_ulong("rounds", 500);
    ncpus = rt_ncpus();
    /* The token starts with CPU 0: make it look as if the last CPU passed it. */
    published = (uint64_t)(ncpus - 1) << CPU_SHIFT;
    tap_plan(ncpus + 2 + (ncpus > 1));
    tap_diag("cpus=%d reads=%lu rounds=%lu%s", ncpus, reads, rounds,
             broken ? " (broken: expects CNTFRQ 24 MHz)" : "");
    if (ncpus == 1)
        tap_diag("1 CPU: the cross-CPU check needs a second CPU and is left out");

    rt_barrier_init(&line_up, (unsigned)ncpus);
    t0 = rt_ticks();
    rt_smp_run(ncpus, worker, 0);
    t1 = rt_ticks();

    for (int cpu = 0; cpu < ncpus; cpu++) {
        struct cpu_result *r = &results[cpu];

        tap_ok(r->decreases == 0, "cpu %d: %lu back-to-back CNTVCT reads never decrease (%lu did)",
               cpu, reads, (unsigned long)r->decreases);
        freq_ok += r->freq == want_freq;
        if (r->min_step < min_step)
            min_step = r->min_step;
        if (r->max_step > max_step)
            max_step = r->max_step;
    }
    tap_ok(freq_ok == ncpus, "CNTFRQ is %lu on all %d CPUs (%d are; cpu 0 reads %lu)",
           (unsigned long)want_freq, ncpus, freq_ok, (unsigned long)results[0].freq);
    if (ncpus > 1)
        report_cross();
    check_udelay();
    tap_metric("min_step_ticks", "%llu", (unsigned long long)min_step);
    tap_metric("max_step_ticks", "%llu", (unsigned long long)max_step);
    tap_metric("run_ms", "%llu", (unsigned long long)(rt_ticks_to_ns(t1 - t0) / 1000000u));
    return tap_done();
}
