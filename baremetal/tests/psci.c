/*
 * psci — PSCI CPU_ON / CPU_OFF / AFFINITY_INFO, cycled on every secondary,
 * and the fixed answers QEMU's PSCI 1.1 gives (machine-contract.md §7).
 *
 * Fixed facts, checked first: PSCI_VERSION is 0x00010001 (1.1);
 * AFFINITY_INFO(0) is ON; CPU_ON(0) is ALREADY_ON; CPU_ON and
 * AFFINITY_INFO of the first CPU that does not exist are
 * INVALID_PARAMETERS; MIGRATE_INFO_TYPE is 2; FEATURES(CPU_ON) is 0 and
 * FEATURES(MIGRATE) is NOT_SUPPORTED. With 2 CPUs or more, also: CPU_ON of
 * 0x80000001 (the MPIDR register value of CPU 1, not its affinity) is
 * INVALID_PARAMETERS, and every secondary reads OFF before it is started.
 *
 * Then `cycles` times, every secondary is started with the one-shot
 * rt_cpu_start() (CPU_ON; the runtime's entry runs fn, marks the CPU done,
 * calls CPU_OFF). CPU_ON must return 0. fn records the CPU index from its
 * MPIDR, the context it got in r0, and this cycle's token, tells CPU 0 it
 * is running and waits to be released; meanwhile CPU 0 asks AFFINITY_INFO,
 * which must say ON. After release, CPU 0 waits for the runtime's done
 * flag, then polls AFFINITY_INFO until it reads OFF. Every wait is bounded
 * (`timeout` ms): a CPU that never runs or never turns off fails its
 * check instead of hanging the test. CPU 0 waits for its own handshakes,
 * never for AFFINITY_INFO to say ON: QEMU's CPU_ON is asynchronous and the
 * target reads OFF until it has really started (there is no ON_PENDING).
 *
 * Four checks per secondary, each over all cycles: CPU_ON returned 0; fn
 * ran with the right MPIDR, context and token; AFFINITY_INFO read ON while
 * fn ran; AFFINITY_INFO read OFF afterwards. At -smp 1 only the fixed
 * facts that need no second CPU run (the plan says how many).
 *
 * Parameters: cycles (default 20), timeout (ms per wait, default 2000),
 * break=1 expects PSCI 0.2 (0x00000002) from PSCI_VERSION: that check must
 * then fail.
 */
#include "psci.h"
#include "rt.h"
#include "tap.h"

#define PSCI_MIGRATE 0x84000005u
#define PSCI_VERSION_1_1 0x00010001
#define MIGRATE_INFO_NOT_NEEDED 2 /* no Trusted OS to migrate */

extern char rt_park[]; /* start.S: WFI forever, needs no stack */

/* One per secondary. CPU 0 writes token and release; fn writes the rest. */
struct record {
    uint32_t token;   /* this cycle's token, set before CPU_ON */
    uint32_t id;      /* fn: index from MPIDR */
    uint32_t context; /* fn: its cpu argument, the r0 the runtime passed */
    uint32_t echo;    /* fn: the token it read */
    uint32_t running; /* fn: the token, published once the rest is written */
    uint32_t release; /* CPU 0: the token, when fn may return */
} __attribute__((aligned(64)));

/* What went wrong on a secondary, over all cycles. */
struct tally {
    unsigned on_failed, ran_wrong, not_on, not_off;
    char first[96]; /* the first failure, for a diagnostic */
};

static struct record records[RT_MAX_CPUS];
static struct tally tallies[RT_MAX_CPUS];
static uint64_t timeout_ticks;

static void secondary_fn(int cpu, void *arg)
{
    struct record *r = arg;
    uint32_t token = __atomic_load_n(&r->token, __ATOMIC_ACQUIRE);

    r->id = (uint32_t)rt_cpu_id();
    r->context = (uint32_t)cpu;
    r->echo = token;
    __atomic_store_n(&r->running, token, __ATOMIC_RELEASE);
    rt_sev();
    while (__atomic_load_n(&r->release, __ATOMIC_ACQUIRE) != token)
        rt_wfe();
}

/* ---- bounded waits --------------------------------------------------------- */

static int wait_running(struct record *r, uint32_t token)
{
    uint64_t end = rt_ticks() + timeout_ticks;

    while (__atomic_load_n(&r->running, __ATOMIC_ACQUIRE) != token)
        if (rt_ticks() > end)
            return 0;
        else
            rt_cpu_relax();
    return 1;
}

static int wait_done(int cpu)
{
    uint64_t end = rt_ticks() + timeout_ticks;

    while (!rt_cpu_done(cpu))
        if (rt_ticks() > end)
            return 0;
        else
            rt_cpu_relax();
    return 1;
}

/* Polls AFFINITY_INFO until it reads OFF; returns the last answer. */
static int32_t wait_off(int cpu)
{
    uint64_t end = rt_ticks() + timeout_ticks;
    int32_t state;

    while ((state = psci_affinity_info(rt_cpu_affinity(cpu), 0)) != PSCI_AFF_OFF &&
           rt_ticks() <= end)
        rt_cpu_relax();
    return state;
}

/* ---- one cycle ------------------------------------------------------------- */

static void note(struct tally *t, unsigned *counter, int cycle, const char *what, long value)
{
    if (!t->on_failed && !t->ran_wrong && !t->not_on && !t->not_off)
        rt_snprintf(t->first, sizeof(t->first), "cycle %d: %s (%ld)", cycle, what, value);
    (*counter)++;
}

static uint32_t token_for(int cycle, int cpu)
{
    return 0x5ec00000u | ((uint32_t)cycle << 8) | (uint32_t)cpu;
}

/* fn is running on cpu: check what it recorded and that PSCI says ON. */
static void check_running(int cycle, int cpu)
{
    struct record *r = &records[cpu];
    struct tally *t = &tallies[cpu];
    uint32_t token = token_for(cycle, cpu);
    int32_t state;

    if (!wait_running(r, token)) {
        note(t, &t->ran_wrong, cycle, "fn never reported running; last token", (long)r->running);
        return;
    }
    if (r->id != (uint32_t)cpu || r->context != (uint32_t)cpu || r->echo != token)
        note(t, &t->ran_wrong, cycle, "wrong MPIDR index, context or token; MPIDR index",
             (long)r->id);
    state = psci_affinity_info(rt_cpu_affinity(cpu), 0);
    if (state != PSCI_AFF_ON)
        note(t, &t->not_on, cycle, "AFFINITY_INFO while running", (long)state);
    __atomic_store_n(&r->release, token, __ATOMIC_RELEASE);
    rt_sev();
}

static void check_stopped(int cycle, int cpu)
{
    struct tally *t = &tallies[cpu];
    int32_t state;

    if (!wait_done(cpu)) {
        note(t, &t->not_off, cycle, "fn never returned; done", (long)rt_cpu_done(cpu));
        return;
    }
    state = wait_off(cpu);
    if (state != PSCI_AFF_OFF)
        note(t, &t->not_off, cycle, "AFFINITY_INFO after CPU_OFF", (long)state);
}

static void run_cycle(int cycle, int ncpus)
{
    int started[RT_MAX_CPUS] = { 0 };

    for (int cpu = 1; cpu < ncpus; cpu++) {
        int32_t rc;

        records[cpu].token = token_for(cycle, cpu);
        rc = rt_cpu_start(cpu, secondary_fn, &records[cpu]);
        if (rc != PSCI_SUCCESS)
            note(&tallies[cpu], &tallies[cpu].on_failed, cycle, "CPU_ON returned", (long)rc);
        started[cpu] = rc == PSCI_SUCCESS;
    }
    for (int cpu = 1; cpu < ncpus; cpu++)
        if (started[cpu])
            check_running(cycle, cpu);
    for (int cpu = 1; cpu < ncpus; cpu++)
        if (started[cpu])
            check_stopped(cycle, cpu);
}

/* ---- main ---------------------------------------------------------------- */

static void check_fixed_facts(int ncpus, int broken)
{
    int32_t want_version = broken ? 0x00000002 : PSCI_VERSION_1_1;
    uint32_t absent = rt_cpu_affinity(ncpus);
    int32_t v;

    v = psci_call(PSCI_VERSION, 0, 0, 0);
    tap_ok(v == want_version, "PSCI_VERSION is 0x%08lx (got 0x%08lx)", (long)want_version, (long)v);
    v = psci_affinity_info(0, 0);
    tap_ok(v == PSCI_AFF_ON, "AFFINITY_INFO(0) is ON (0) (got %ld)", (long)v);
    v = psci_cpu_on(0, (uint32_t)rt_park, 0);
    tap_ok(v == PSCI_ALREADY_ON, "CPU_ON(0), the caller, is ALREADY_ON (-4) (got %ld)", (long)v);
    v = psci_cpu_on(absent, (uint32_t)rt_park, 0);
    tap_ok(v == PSCI_INVALID_PARAMETERS,
           "CPU_ON(0x%lx), no such CPU, is INVALID_PARAMETERS (-2) (got %ld)",
           (unsigned long)absent, (long)v);
    v = psci_affinity_info(absent, 0);
    tap_ok(v == PSCI_INVALID_PARAMETERS,
           "AFFINITY_INFO(0x%lx), no such CPU, is INVALID_PARAMETERS (-2) (got %ld)",
           (unsigned long)absent, (long)v);
    v = psci_call(PSCI_MIGRATE_INFO_TYPE, 0, 0, 0);
    tap_ok(v == MIGRATE_INFO_NOT_NEEDED, "MIGRATE_INFO_TYPE is 2 (got %ld)", (long)v);
    v = psci_call(PSCI_FEATURES, PSCI_CPU_ON, 0, 0);
    tap_ok(v == PSCI_SUCCESS, "FEATURES(CPU_ON) is 0 (got %ld)", (long)v);
    v = psci_call(PSCI_FEATURES, PSCI_MIGRATE, 0, 0);
    tap_ok(v == PSCI_NOT_SUPPORTED, "FEATURES(MIGRATE) is NOT_SUPPORTED (-1) (got %ld)", (long)v);
}

static void check_secondaries_at_boot(int ncpus)
{
    int32_t v = psci_cpu_on(0x80000001u, (uint32_t)rt_park, 0);
    int off = 0;

    tap_ok(v == PSCI_INVALID_PARAMETERS,
           "CPU_ON(0x80000001), an MPIDR value not an affinity, is INVALID_PARAMETERS (-2) (got %ld)",
           (long)v);
    for (int cpu = 1; cpu < ncpus; cpu++)
        off += psci_affinity_info(rt_cpu_affinity(cpu), 0) == PSCI_AFF_OFF;
    tap_ok(off == ncpus - 1, "AFFINITY_INFO reads OFF for all %d secondaries before CPU_ON (%d do)",
           ncpus - 1, off);
}

static void report_secondary(int cpu, int cycles)
{
    struct tally *t = &tallies[cpu];

    if (t->first[0])
        tap_diag("cpu %d: first failure: %s", cpu, t->first);
    tap_ok(!t->on_failed, "cpu %d: CPU_ON returned 0 in all %d cycles (%u did not)", cpu, cycles,
           t->on_failed);
    tap_ok(!t->ran_wrong, "cpu %d: fn ran every cycle with MPIDR index, r0 context and token right (%u wrong)",
           cpu, t->ran_wrong);
    tap_ok(!t->not_on, "cpu %d: AFFINITY_INFO read ON while fn ran (%u times not)", cpu, t->not_on);
    tap_ok(!t->not_off, "cpu %d: AFFINITY_INFO read OFF after fn returned (%u times not)", cpu,
           t->not_off);
}

int main(void)
{
    int ncpus = rt_ncpus();
    int cycles = (int)rt_param_ulong("cycles", 20);
    int broken = (int)rt_param_ulong("break", 0);
    uint64_t t0, t1;

    timeout_ticks = (uint64_t)rt_tick_freq() / 1000u * rt_param_ulong("timeout", 2000);
    if (ncpus > 1)
        tap_plan(8 + 2 + 4 * (ncpus - 1));
    else
        tap_plan(8);
    tap_diag("cpus=%d cycles=%d%s", ncpus, cycles, broken ? " (broken: expects PSCI 0.2)" : "");
    if (ncpus == 1)
        tap_diag("1 CPU: the CPU_ON cycles and the MPIDR-target check need a secondary; fixed facts only");

    check_fixed_facts(ncpus, broken);
    if (ncpus == 1)
        return tap_done();
    check_secondaries_at_boot(ncpus);
    t0 = rt_ticks();
    for (int c = 0; c < cycles; c++)
        run_cycle(c, ncpus);
    t1 = rt_ticks();
    for (int cpu = 1; cpu < ncpus; cpu++)
        report_secondary(cpu, cycles);
    tap_metric("us_per_cycle", "%llu",
               (unsigned long long)(rt_ticks_to_ns(t1 - t0) / 1000u / (cycles ? cycles : 1)));
    return tap_done();
}
