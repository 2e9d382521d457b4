/*
 * smp.c — start-up in C, CPU numbering, secondaries, the barrier.
 *
 * The primary enters rt_main() from start.S. CPUs are counted by asking
 * PSCI AFFINITY_INFO about each index until it answers
 * INVALID_PARAMETERS, which is what QEMU answers for a CPU that does not
 * exist. Secondaries enter rt_secondary_main() with r0 = their index.
 *
 * Two ways to use secondaries:
 *  - rt_smp_run(): a pool. Each secondary is started once and then waits
 *    (WFE) for its slot's generation to move; it runs the slot's function
 *    and publishes the generation it finished. Every publication is
 *    followed by SEV, so WFE sleepers wake.
 *  - rt_cpu_start(): one-shot, for tests of PSCI: run, mark done, CPU_OFF.
 */
#include "rt.h"
#include "psci.h"
#include "semihost.h"
#include "uart.h"

extern char rt_secondary_entry[];
extern int main(void);
void rt_params_init(void);
void rt_main(void);
void rt_secondary_main(uint32_t context);

struct cpu_slot {
    rt_cpu_fn fn;      /* written by CPU 0 before gen is published */
    void *arg;
    unsigned gen;      /* CPU 0 bumps it (release) to hand out work */
    unsigned done_gen; /* the secondary publishes the gen it finished */
    int oneshot;       /* set by rt_cpu_start() before CPU_ON */
    int done;          /* one-shot: fn returned */
    int started;       /* pool: CPU_ON succeeded (CPU 0 only) */
};

static struct cpu_slot slots[RT_MAX_CPUS];
static int ncpus = 1; /* written once by CPU 0 before any secondary starts */

int rt_cpu_id(void)
{
    uint32_t mpidr;

    __asm__("mrc p15, 0, %0, c0, c0, 5" : "=r"(mpidr));
    return (int)((mpidr & 0xff) + ((mpidr >> 8) & 0xff) * 8);
}

int rt_ncpus(void)
{
    return ncpus;
}

uint32_t rt_cpu_affinity(int cpu)
{
    return ((uint32_t)(cpu / 8) << 8) | (uint32_t)(cpu % 8);
}

static int count_cpus(void)
{
    int n = 1;

    while (n < RT_MAX_CPUS &&
           psci_affinity_info(rt_cpu_affinity(n), 0) != PSCI_INVALID_PARAMETERS)
        n++;
    return n;
}

void rt_main(void)
{
    uart_init();
    rt_params_init();
    ncpus = count_cpus();
    rt_exit(main());
}

void rt_exit(int code)
{
    semi_exit(code);
}

void rt_secondary_main(uint32_t context)
{
    struct cpu_slot *s = &slots[context];
    int cpu = (int)context;
    unsigned seen = 0;

    if (__atomic_load_n(&s->oneshot, __ATOMIC_ACQUIRE)) {
        s->fn(cpu, s->arg);
        __atomic_store_n(&s->done, 1, __ATOMIC_RELEASE);
        rt_sev();
        psci_cpu_off();
    }
    for (;;) {
        unsigned gen;

        while ((gen = __atomic_load_n(&s->gen, __ATOMIC_ACQUIRE)) == seen)
            rt_wfe();
        seen = gen;
        s->fn(cpu, s->arg);
        __atomic_store_n(&s->done_gen, seen, __ATOMIC_RELEASE);
        rt_sev();
    }
}

static void start_pool_cpu(int cpu)
{
    int32_t rc;

    slots[cpu].oneshot = 0;
    rt_dsb();
    rc = psci_cpu_on(rt_cpu_affinity(cpu), (uint32_t)rt_secondary_entry, (uint32_t)cpu);
    if (rc != PSCI_SUCCESS) {
        rt_printf("Bail out! PSCI CPU_ON(%d) returned %ld\n", cpu, (long)rc);
        rt_exit(RT_EXIT_FAIL);
    }
    slots[cpu].started = 1;
}

void rt_smp_run(int n, rt_cpu_fn fn, void *arg)
{
    if (n > ncpus)
        n = ncpus;
    if (n < 1)
        n = 1;
    for (int cpu = 1; cpu < n; cpu++) {
        struct cpu_slot *s = &slots[cpu];

        s->fn = fn;
        s->arg = arg;
        __atomic_store_n(&s->gen, s->gen + 1, __ATOMIC_RELEASE);
        if (!s->started)
            start_pool_cpu(cpu);
    }
    rt_sev();
    fn(0, arg);
    for (int cpu = 1; cpu < n; cpu++) {
        struct cpu_slot *s = &slots[cpu];

        while (__atomic_load_n(&s->done_gen, __ATOMIC_ACQUIRE) != s->gen)
            rt_wfe();
    }
}

int rt_cpu_start(int cpu, rt_cpu_fn fn, void *arg)
{
    struct cpu_slot *s = &slots[cpu];

    if (cpu <= 0 || cpu >= RT_MAX_CPUS)
        return PSCI_INVALID_PARAMETERS;
    s->fn = fn;
    s->arg = arg;
    __atomic_store_n(&s->done, 0, __ATOMIC_RELAXED);
    __atomic_store_n(&s->oneshot, 1, __ATOMIC_RELEASE);
    rt_dsb();
    return psci_cpu_on(rt_cpu_affinity(cpu), (uint32_t)rt_secondary_entry, (uint32_t)cpu);
}

int rt_cpu_done(int cpu)
{
    return __atomic_load_n(&slots[cpu].done, __ATOMIC_ACQUIRE);
}

void rt_barrier_init(struct rt_barrier *b, unsigned n)
{
    b->n = n;
    b->count = n;
    b->sense = 0;
    rt_dmb();
}

/* The sense cannot flip before this CPU arrives, so reading it on entry
 * gives the value to wait for without any per-CPU state. */
void rt_barrier_wait(struct rt_barrier *b)
{
    unsigned want = !__atomic_load_n(&b->sense, __ATOMIC_ACQUIRE);

    if (__atomic_sub_fetch(&b->count, 1, __ATOMIC_ACQ_REL) == 0) {
        __atomic_store_n(&b->count, b->n, __ATOMIC_RELAXED);
        __atomic_store_n(&b->sense, want, __ATOMIC_RELEASE);
        rt_sev();
        return;
    }
    while (__atomic_load_n(&b->sense, __ATOMIC_ACQUIRE) != want)
        rt_wfe();
}
