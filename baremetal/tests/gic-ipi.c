/*
 * gic-ipi — SGIs between CPUs through the GICv2, each delivered once.
 *
 * Every CPU turns on its GIC CPU interface, enables SGIs 0..15 (their
 * enable and priority registers are banked per CPU), installs the IRQ
 * handler and unmasks IRQs. Then each CPU sends `rounds` SGIs to every
 * other CPU; round r uses SGI r % 15 and one of three ways to name the
 * targets, in turn: one GICD_SGIR write with a list of all the others,
 * one write with the "all but me" filter, one write per target. At
 * -smp 1 the only CPU sends to itself with the "me only" filter.
 *
 * The GIC keeps one pending bit per (source, target, SGI ID): a second
 * SGI sent while the first is still pending merges with it. So before
 * sending SGI n to a target, a sender waits until the target's handler
 * has acknowledged its previous SGI n (received catches up with sent for
 * that triple); with 15 IDs, up to 15 SGIs are in flight per target.
 *
 * A waiting sender sleeps in WFI (IRQs masked between its last look and
 * the WFI, so no wake-up is lost); a handler that took an SGI from
 * another CPU sends SGI 15 back to wake it. Spinning instead would keep
 * every vCPU thread of QEMU's multi-threaded TCG busy, and with more
 * vCPUs than host cores each round would cost host scheduling periods.
 * The wake-ups are counted apart; they are not part of the checks.
 *
 * Checks: every (source, destination, SGI ID) was received exactly as
 * often as it was sent; no IAR read returned the spurious ID 1023 or an
 * ID that is not an SGI; the source CPU in IAR[12:10] always named a
 * sender with that SGI outstanding to this CPU.
 *
 * Parameters: rounds (default 1000), cpus (default: all), break=1: each
 * CPU sends all its rounds back to back with IRQs masked, without
 * waiting, so SGIs merge and the exact-count check must fail.
 * Metrics: ns per round (a round = one SGI to every target, all handled),
 * IRQs taken per CPU (wake-ups included), wake-ups per CPU.
 */
#include "gic.h"
#include "rt.h"
#include "tap.h"

#define SGI_PRIORITY 0x80
#define TEST_SGIS 15          /* IDs 0..14 carry the test */
#define WAKE_SGI 15           /* "your SGI was handled" */

/* Per (source, destination, SGI ID) triple. The sender bumps sent
 * (release) before it rings GICD_SGIR; the destination's handler bumps
 * received (release) once it has acknowledged the SGI. */
static unsigned sent[RT_MAX_CPUS][RT_MAX_CPUS][TEST_SGIS];
static unsigned received[RT_MAX_CPUS][RT_MAX_CPUS][TEST_SGIS];

/* Written by each CPU's own IRQ handler only. */
struct irq_log {
    unsigned irqs;
    unsigned wakes;       /* WAKE_SGI taken */
    unsigned spurious;    /* IAR read 1023 */
    unsigned not_sgi;     /* an ID >= 16 */
    unsigned bad_source;  /* IAR named a source with no such SGI outstanding */
    uint32_t first_bad_iar;
};
static struct irq_log irq_logs[RT_MAX_CPUS];

static uint8_t cpu_masks[RT_MAX_CPUS]; /* GIC target-list bit of each CPU */
static unsigned rounds;
static int cpus;
static int broken;
static struct rt_barrier barrier;
static uint64_t round_ticks; /* CPU 0's time for all its rounds */
static uint32_t enabled_at_reset; /* CPU 0's GICD_ISENABLER0 before enabling */

/* ---- receiving ------------------------------------------------------------ */

static void note_bad(struct irq_log *log, unsigned *counter, uint32_t iar)
{
    if (log->spurious + log->not_sgi + log->bad_source == 0)
        log->first_bad_iar = iar;
    (*counter)++;
}

/* One interrupt per exception: if another is pending, the IRQ is taken
 * again as soon as this handler returns. */
static int on_irq(struct rt_frame *frame, enum rt_exc type)
{
    int me = rt_cpu_id();
    struct irq_log *log = &irq_logs[me];
    uint32_t iar = gic_ack();
    unsigned id = gic_iar_id(iar), src = gic_iar_source(iar);
    unsigned *got;

    (void)frame;
    (void)type;
    log->irqs++;
    if (id == GIC_SPURIOUS) {
        note_bad(log, &log->spurious, iar);
        return 1;
    }
    if (id >= GIC_NR_SGIS) {
        note_bad(log, &log->not_sgi, iar);
        gic_eoi(iar);
        return 1;
    }
    if (id == WAKE_SGI) {
        log->wakes++;
        gic_eoi(iar);
        return 1;
    }
    got = &received[src][me][id];
    if ((int)src >= cpus || __atomic_load_n(&sent[src][me][id], __ATOMIC_ACQUIRE) == *got)
        note_bad(log, &log->bad_source, iar);
    __atomic_store_n(got, *got + 1, __ATOMIC_RELEASE);
    gic_eoi(iar);
    if ((int)src != me && (int)src < cpus)
        gic_send_sgi(WAKE_SGI, GIC_SGI_TO_LIST, cpu_masks[src]);
    return 1;
}

/* ---- sending ------------------------------------------------------------- */

static int is_target(int me, int cpu)
{
    return cpus == 1 || cpu != me;
}

/* The previous SGI `id` from me to dst has been acknowledged, so a new
 * one cannot merge with it. */
static int handled(int me, int dst, unsigned id)
{
    return __atomic_load_n(&received[me][dst][id], __ATOMIC_ACQUIRE) == sent[me][dst][id];
}

static void wait_handled(int me, int dst, unsigned id)
{
    while (!handled(me, dst, id)) {
        rt_irq_disable();
        if (!handled(me, dst, id))
            __asm__ volatile("wfi" ::: "memory"); /* a pending IRQ ends it, masked or not */
        rt_irq_enable(); /* the wake-up's handler runs here */
    }
}

/* Records one more outstanding SGI per target, then rings the GIC. */
static void send_round(int me, unsigned r)
{
    unsigned id = r % TEST_SGIS;
    uint8_t others = 0;

    for (int cpu = 0; cpu < cpus; cpu++) {
        if (!is_target(me, cpu))
            continue;
        __atomic_store_n(&sent[me][cpu][id], sent[me][cpu][id] + 1, __ATOMIC_RELEASE);
        others |= cpu_masks[cpu];
    }
    if (cpus == 1) {
        gic_send_sgi(id, GIC_SGI_TO_SELF, 0);
    } else if (r % 3 == 0) {
        gic_send_sgi(id, GIC_SGI_TO_LIST, others);
    } else if (r % 3 == 1) {
        gic_send_sgi(id, GIC_SGI_TO_OTHERS, 0);
    } else {
        for (int cpu = 0; cpu < cpus; cpu++)
            if (cpu != me)
                gic_send_sgi(id, GIC_SGI_TO_LIST, cpu_masks[cpu]);
    }
}

/* Up to 15 SGIs (one per ID) are in flight to each target at a time. */
static void send_all(int me)
{
    for (unsigned r = 0; r < rounds + TEST_SGIS; r++) {
        for (int cpu = 0; cpu < cpus; cpu++)
            if (is_target(me, cpu))
                wait_handled(me, cpu, r % TEST_SGIS);
        if (r < rounds)
            send_round(me, r);
    }
}

/* The broken form: no waiting, and this CPU's IRQs masked, so its own
 * SGIs (at -smp 1) and the others' pile up and merge. */
static void send_all_broken(int me)
{
    rt_irq_disable();
    for (unsigned r = 0; r < rounds; r++)
        send_round(me, r);
    rt_irq_enable();
    rt_udelay(20000); /* whatever can still arrive, arrives */
}

static void worker(int cpu, void *arg)
{
    uint64_t t0;

    (void)arg;
    gic_cpu_init();
    if (cpu == 0)
        enabled_at_reset = gic_enabled_0_31();
    for (unsigned id = 0; id < GIC_NR_SGIS; id++)
        gic_enable_irq(id, SGI_PRIORITY);
    cpu_masks[cpu] = gic_cpu_mask();
    rt_irq_enable();
    rt_barrier_wait(&barrier);

    t0 = rt_ticks();
    if (broken)
        send_all_broken(cpu);
    else
        send_all(cpu);
    if (cpu == 0)
        round_ticks = rt_ticks() - t0;
    rt_barrier_wait(&barrier); /* every SGI sent to me has been handled */
    rt_irq_disable();
    gic_cpu_disable();
}

/* ---- results ------------------------------------------------------------- */

/* How many of `rounds` rounds use SGI id. */
static unsigned rounds_with_id(unsigned id)
{
    return rounds / TEST_SGIS + (id < rounds % TEST_SGIS);
}

static unsigned count_wrong_triples(void)
{
    unsigned wrong = 0;

    for (int src = 0; src < cpus; src++)
        for (int dst = 0; dst < cpus; dst++)
            for (unsigned id = 0; id < TEST_SGIS; id++) {
                unsigned want = is_target(src, dst) ? rounds_with_id(id) : 0;

                if (received[src][dst][id] == want)
                    continue;
                if (!wrong++)
                    tap_diag("first wrong count: cpu%d -> cpu%d SGI %u received %u, sent %u",
                             src, dst, id, received[src][dst][id], want);
            }
    return wrong;
}

static struct irq_log sum_irq_logs(void)
{
    struct irq_log sum = {0};

    for (int cpu = 0; cpu < cpus; cpu++) {
        const struct irq_log *log = &irq_logs[cpu];

        sum.irqs += log->irqs;
        sum.spurious += log->spurious;
        sum.not_sgi += log->not_sgi;
        sum.bad_source += log->bad_source;
        if (log->spurious + log->not_sgi + log->bad_source)
            tap_diag("cpu%d first bad IAR value %08lx", cpu, (unsigned long)log->first_bad_iar);
    }
    return sum;
}

int main(void)
{
    struct irq_log sum;
    unsigned wrong;

    cpus = (int)rt_param_ulong("cpus", (unsigned long)rt_ncpus());
    rounds = (unsigned)rt_param_ulong("rounds", 1000);
    broken = (int)rt_param_ulong("break", 0);
    if (cpus < 1 || cpus > rt_ncpus() || cpus > 8)
        tap_bail("cpus=%d: the machine has %d, a GICv2 serves at most 8", cpus, rt_ncpus());

    tap_plan(3);
    tap_diag("cpus=%d rounds=%u%s", cpus, rounds,
             broken ? " (broken: no waiting, SGIs merge)" : "");
    if (cpus == 1)
        tap_diag("one CPU: it sends every SGI to itself (filter 'this CPU only')");
    gic_dist_init();
    rt_set_handler(RT_EXC_IRQ, on_irq);
    rt_barrier_init(&barrier, (unsigned)cpus);
    rt_smp_run(cpus, worker, 0);
    rt_set_handler(RT_EXC_IRQ, 0);
    tap_diag("GICD_ISENABLER0 before enabling the SGIs: %08lx", (unsigned long)enabled_at_reset);

    wrong = count_wrong_triples();
    tap_ok(wrong == 0, "every (source, destination, SGI) arrived exactly as often as sent "
           "(%u wrong)", wrong);
    sum = sum_irq_logs();
    tap_ok(sum.spurious + sum.not_sgi == 0, "no spurious or non-SGI interrupt IDs "
           "(%u spurious, %u other)", sum.spurious, sum.not_sgi);
    tap_ok(sum.bad_source == 0, "IAR's source CPU always had that SGI outstanding to the "
           "receiver (%u mismatches)", sum.bad_source);
    for (int cpu = 0; cpu < cpus; cpu++) {
        char key[32];

        rt_snprintf(key, sizeof(key), "irqs_cpu%d", cpu);
        tap_metric(key, "%u", irq_logs[cpu].irqs);
        rt_snprintf(key, sizeof(key), "wakes_cpu%d", cpu);
        tap_metric(key, "%u", irq_logs[cpu].wakes);
    }
    tap_metric("ns_per_round", "%llu",
               (unsigned long long)(rt_ticks_to_ns(round_ticks) / (rounds ? rounds : 1)));
    return tap_done();
}
