/*
 * llsc-counter — N CPUs increment one word with LDREX/STREX.
 *
 * Every CPU adds 1 to the shared counter `iters` times in a LDREX/ADD/STREX
 * loop and counts how often its STREX failed. The total must be exactly
 * cpus * iters: a lost update means a STREX succeeded although another CPU
 * had stored to the word since the matching LDREX.
 *
 * Parameters: iters (default 100000), cpus (default: all), and
 * break=1, which replaces the STREX with a plain STR: the test must then
 * fail on any emulator running more than one CPU concurrently.
 * Metrics: strex failures per CPU, nanoseconds per increment.
 */
#include "rt.h"
#include "tap.h"

static uint32_t counter __attribute__((aligned(64)));
static uint32_t failures[RT_MAX_CPUS];
static unsigned long iters;
static int broken;
static struct rt_barrier start;

/* One increment; returns the number of failed STREX attempts. */
static uint32_t increment(uint32_t *p)
{
    uint32_t fails = 0, value, status;

    for (;;) {
        __asm__ volatile("ldrex %0, [%2]\n\t"
                         "add %0, %0, #1\n\t"
                         "strex %1, %0, [%2]"
                         : "=&r"(value), "=&r"(status) : "r"(p) : "memory");
        if (status == 0)
            return fails;
        fails++;
    }
}

/* The deliberately broken form: a load and a plain store. */
static void increment_broken(uint32_t *p)
{
    uint32_t value;

    __asm__ volatile("ldrex %0, [%1]\n\t"
                     "add %0, %0, #1\n\t"
                     "str %0, [%1]\n\t"
                     "clrex"
                     : "=&r"(value) : "r"(p) : "memory");
}

static void worker(int cpu, void *arg)
{
    uint32_t fails = 0;

    (void)arg;
    rt_barrier_wait(&start);
    for (unsigned long i = 0; i < iters; i++) {
        if (broken)
            increment_broken(&counter);
        else
            fails += increment(&counter);
    }
    failures[cpu] = fails;
}

int main(void)
{
    int cpus = (int)rt_param_ulong("cpus", (unsigned long)rt_ncpus());
    uint64_t t0, t1, expected;

    iters = rt_param_ulong("iters", 100000);
    broken = (int)rt_param_ulong("break", 0);
    if (cpus < 1 || cpus > rt_ncpus())
        tap_bail("cpus=%d but the machine has %d", cpus, rt_ncpus());

    tap_plan(1);
    tap_diag("cpus=%d iters=%lu%s", cpus, iters, broken ? " (broken: plain STR)" : "");
    rt_barrier_init(&start, (unsigned)cpus);
    t0 = rt_ticks();
    rt_smp_run(cpus, worker, 0);
    t1 = rt_ticks();
    rt_dmb();

    expected = (uint64_t)cpus * iters;
    tap_ok(counter == expected, "counter is %llu after %d CPUs x %lu increments (got %lu)",
           (unsigned long long)expected, cpus, iters, (unsigned long)counter);
    for (int cpu = 0; cpu < cpus; cpu++) {
        char key[32];
        rt_snprintf(key, sizeof(key), "strex_fail_cpu%d", cpu);
        tap_metric(key, "%lu", (unsigned long)failures[cpu]);
    }
    tap_metric("ns_per_increment", "%llu",
               (unsigned long long)(rt_ticks_to_ns(t1 - t0) / (expected ? expected : 1)));
    return tap_done();
}
