/*
 * mmu-tlbi-broadcast — one CPU remaps a page; a broadcast TLB
 * invalidation makes every CPU see the new mapping.
 *
 * CPU 0 builds one set of short-descriptor tables: identity sections for
 * devices and RAM, plus a 1 MiB window at 0x50000000 (above RAM, so it is
 * nothing but this test's mapping) that goes through a second-level table
 * of 4 KiB pages. Only the window's first page V is valid; it points at
 * a start page filled with pattern 0 and never reused. Every CPU turns on its MMU
 * with the same TTBR0 and reads V, so its TLB holds V -> start page.
 *
 * Round k (1..rounds): CPU 0 fills page P(k % NPAGES) with pattern k and
 * moves V there, break-before-make: descriptor invalid, DSB ISH,
 * TLBIMVAAIS(V), DSB ISH, new descriptor, BPIALLIS, DSB ISH, ISB. (An
 * invalid descriptor is never held in a VMSAv7 TLB, so the second write
 * needs no invalidation of its own.) Then it publishes k (release).
 * Every CPU, CPU 0 included, waits for k (acquire) and reads V: it must
 * see pattern k. No ISB is needed on the readers: the DSB after the TLBI
 * on CPU 0 completes the invalidation on all CPUs before k is published,
 * and data accesses (unlike instruction fetches) need no context
 * synchronisation to use the new translation. CPU 0 waits for every
 * reader's acknowledgement before the next round, so no CPU ever touches
 * V while it is invalid.
 *
 * Waiting: a CPU that waits (a reader for k, CPU 0 for the
 * acknowledgements) sleeps in WFI and is woken by an SGI, with IRQs
 * masked, draining GICC_IAR itself. On QEMU's multi-threaded TCG with
 * more vCPUs than host cores, spinning waiters keep every vCPU thread
 * runnable, and each TLBIMVAAIS stops all running vCPUs: a round then
 * costs host scheduling periods (53 ms per round instead of 1.1 ms at
 * -smp 8 on a busy 2-core host). wfi=0 spins with YIELD instead and
 * needs no GIC.
 *
 * Checks: every CPU read pattern 0 through V at the start; every CPU saw
 * every remap; no access to the window took a data abort (a fault there
 * is counted and skipped, not fatal). At -smp 1 CPU 0 remaps and reads
 * alone: the same invalidation then has to act on its own TLB.
 *
 * Parameters: rounds (default 3000), cpus (default: all), wfi (default 1,
 * see above), tlbi: 1 (default) TLBIMVAAIS; 2 the local TLBIMVAA only,
 * right at -smp 1 but the other CPUs keep stale entries; 0 none, the
 * negative control: on QEMU every CPU keeps its first translation of V
 * (the start page) and every round is stale.
 * Metrics: stale reads per CPU, ns per round.
 */
#include "gic.h"
#include "mmu.h"
#include "rt.h"
#include "tap.h"

#define WINDOW_VA 0x50000000u /* V: the first page of the window */
#define NPAGES 8              /* physical pages the rounds cycle through */
#define START_PAGE NPAGES     /* one more: V's first target, never reused */
#define FAULT_SENTINEL 0xdeadbeefu
#define WAKE_SGI 1            /* the SGI that ends a WFI wait */

enum tlbi_mode { TLBI_NONE = 0, TLBI_BROADCAST = 1, TLBI_LOCAL = 2 };

static uint32_t l1_table[MMU_L1_ENTRIES] __attribute__((aligned(MMU_L1_ALIGN)));
static uint32_t window_l2[MMU_L2_ENTRIES] __attribute__((aligned(MMU_L2_ALIGN)));
static uint32_t pages[NPAGES + 1][MMU_PAGE_SIZE / 4] __attribute__((aligned(MMU_PAGE_SIZE)));

static unsigned published;               /* release by CPU 0 after a remap */
static unsigned acked[RT_MAX_CPUS];      /* the last round each CPU checked */
static uint8_t cpu0_gic_mask;            /* written by CPU 0 before the start barrier */

/* Written by each CPU for itself (the abort handler runs on the CPU
 * that faulted). */
struct cpu_log {
    unsigned bad_initial;
    unsigned stale;
    unsigned aborts;
    unsigned first_stale_round;
    uint32_t first_stale_value;
};
static struct cpu_log logs[RT_MAX_CPUS];

static unsigned rounds;
static int cpus;
static enum tlbi_mode tlbi;
static int use_wfi;
static struct rt_barrier barrier;

static uint32_t pattern(unsigned round)
{
    return 0x5a000000u | round;
}

/* ---- reading through the window -------------------------------------------- */

/* A data abort in the window is logged and the load skipped; it then
 * yields FAULT_SENTINEL. Anything else is left to the runtime. */
static int on_data_abort(struct rt_frame *frame, enum rt_exc type)
{
    uint32_t dfar;

    (void)type;
    __asm__ volatile("mrc p15, 0, %0, c6, c0, 0" : "=r"(dfar));
    if (dfar / MMU_SECTION_SIZE != WINDOW_VA / MMU_SECTION_SIZE)
        return 0;
    logs[rt_cpu_id()].aborts++;
    frame->pc += 4;
    return 1;
}

static uint32_t read_window(unsigned word)
{
    uint32_t value = FAULT_SENTINEL;

    __asm__ volatile("ldr %0, [%1]" : "+r"(value) : "r"(WINDOW_VA + 4 * word) : "memory");
    return value;
}

/* The first and the last word of V, both of which must hold pattern(k). */
static int window_holds(uint32_t want, uint32_t *seen)
{
    *seen = read_window(0);
    if (*seen != want)
        return 0;
    *seen = read_window(MMU_PAGE_SIZE / 4 - 1);
    return *seen == want;
}

/* ---- remapping (CPU 0) ------------------------------------------------------ */

static void invalidate_window_tlb(void)
{
    if (tlbi == TLBI_BROADCAST)
        __asm__ volatile("mcr p15, 0, %0, c8, c3, 3" : : "r"(WINDOW_VA) : "memory"); /* TLBIMVAAIS */
    else if (tlbi == TLBI_LOCAL)
        __asm__ volatile("mcr p15, 0, %0, c8, c7, 3" : : "r"(WINDOW_VA) : "memory"); /* TLBIMVAA */
}

static void remap_window(unsigned round)
{
    uint32_t *page = pages[round % NPAGES];
    volatile uint32_t *entry = &window_l2[mmu_l2_index(WINDOW_VA)];

    for (unsigned i = 0; i < MMU_PAGE_SIZE / 4; i++)
        page[i] = pattern(round);
    *entry = 0; /* break */
    rt_dsb();
    invalidate_window_tlb();
    rt_dsb();
    *entry = mmu_small_page((uint32_t)page); /* make */
    __asm__ volatile("mcr p15, 0, %0, c7, c1, 6" : : "r"(0) : "memory"); /* BPIALLIS */
    rt_dsb();
    rt_isb();
}

/* ---- waiting ----------------------------------------------------------------- */

/* WFI returns once an interrupt is pending, masked or not. The DMB keeps
 * the caller's next load of the flag after the IAR reads that consumed
 * the wake-up: the waker stored the flag before its SGI (a DSB in
 * gic_send_sgi). */
static void sleep_until_woken(void)
{
    uint32_t iar;

    if (!use_wfi) {
        rt_cpu_relax();
        return;
    }
    __asm__ volatile("wfi" ::: "memory");
    while (gic_iar_id(iar = gic_ack()) != GIC_SPURIOUS)
        gic_eoi(iar);
    rt_dmb();
}

static void wake(enum gic_sgi_filter filter, uint8_t targets)
{
    if (use_wfi)
        gic_send_sgi(WAKE_SGI, filter, targets);
}

static void setup_wakeups(int cpu)
{
    if (!use_wfi)
        return;
    gic_cpu_init();
    gic_enable_irq(WAKE_SGI, 0x80);
    if (cpu == 0)
        cpu0_gic_mask = gic_cpu_mask();
}

static void wait_acked(unsigned round)
{
    for (int cpu = 1; cpu < cpus; cpu++)
        while (__atomic_load_n(&acked[cpu], __ATOMIC_ACQUIRE) < round)
            sleep_until_woken();
}

static void wait_published(unsigned round)
{
    while (__atomic_load_n(&published, __ATOMIC_ACQUIRE) < round)
        sleep_until_woken();
}

/* ---- the rounds ------------------------------------------------------------- */

static void check_round(struct cpu_log *log, unsigned round)
{
    uint32_t seen;

    if (window_holds(pattern(round), &seen))
        return;
    if (!log->stale++) {
        log->first_stale_round = round;
        log->first_stale_value = seen;
    }
}

static void worker(int cpu, void *arg)
{
    struct cpu_log *log = &logs[cpu];
    uint32_t seen;

    (void)arg;
    mmu_enable(l1_table);
    setup_wakeups(cpu);
    if (!window_holds(pattern(0), &seen))
        log->bad_initial++;
    rt_barrier_wait(&barrier);

    for (unsigned k = 1; k <= rounds; k++) {
        if (cpu == 0) {
            wait_acked(k - 1);
            remap_window(k);
            __atomic_store_n(&published, k, __ATOMIC_RELEASE);
            if (cpus > 1)
                wake(GIC_SGI_TO_OTHERS, 0);
        } else {
            wait_published(k);
        }
        check_round(log, k);
        __atomic_store_n(&acked[cpu], k, __ATOMIC_RELEASE);
        if (cpu != 0)
            wake(GIC_SGI_TO_LIST, cpu0_gic_mask);
    }
    if (use_wfi)
        gic_cpu_disable();
}

/* ---- setup and results ---------------------------------------------------- */

static void build_tables(void)
{
    mmu_build_identity(l1_table);
    for (unsigned w = 0; w < MMU_PAGE_SIZE / 4; w++)
        pages[START_PAGE][w] = pattern(0);
    window_l2[mmu_l2_index(WINDOW_VA)] = mmu_small_page((uint32_t)pages[START_PAGE]);
    mmu_link_l2(l1_table, WINDOW_VA, window_l2);
}

static struct cpu_log sum_logs(void)
{
    struct cpu_log sum = {0};

    for (int cpu = 0; cpu < cpus; cpu++) {
        const struct cpu_log *log = &logs[cpu];
        char key[32];

        sum.bad_initial += log->bad_initial;
        sum.stale += log->stale;
        sum.aborts += log->aborts;
        if (log->stale)
            tap_diag("cpu%d first stale read: round %u read %08lx, want %08lx", cpu,
                     log->first_stale_round, (unsigned long)log->first_stale_value,
                     (unsigned long)pattern(log->first_stale_round));
        rt_snprintf(key, sizeof(key), "stale_cpu%d", cpu);
        tap_metric(key, "%u", log->stale);
    }
    return sum;
}

int main(void)
{
    static const char *const tlbi_names[] = {"none", "TLBIMVAAIS", "local TLBIMVAA"};
    struct cpu_log sum;
    uint64_t t0, t1;

    cpus = (int)rt_param_ulong("cpus", (unsigned long)rt_ncpus());
    rounds = (unsigned)rt_param_ulong("rounds", 3000);
    tlbi = (enum tlbi_mode)rt_param_ulong("tlbi", TLBI_BROADCAST);
    use_wfi = (int)rt_param_ulong("wfi", 1);
    if (cpus < 1 || cpus > rt_ncpus())
        tap_bail("cpus=%d but the machine has %d", cpus, rt_ncpus());
    if (tlbi > TLBI_LOCAL)
        tap_bail("tlbi=%d: 0 (none), 1 (broadcast) or 2 (local)", (int)tlbi);

    tap_plan(3);
    tap_diag("cpus=%d rounds=%u invalidation=%s waiting=%s", cpus, rounds, tlbi_names[tlbi],
             use_wfi ? "WFI + SGI" : "spinning");
    if (cpus == 1)
        tap_diag("one CPU: CPU 0 remaps and reads the window itself");
    if (use_wfi)
        gic_dist_init();
    build_tables();
    rt_set_handler(RT_EXC_DABT, on_data_abort);
    rt_barrier_init(&barrier, (unsigned)cpus);
    t0 = rt_ticks();
    rt_smp_run(cpus, worker, 0);
    t1 = rt_ticks();
    rt_set_handler(RT_EXC_DABT, 0);

    sum = sum_logs();
    tap_ok(sum.bad_initial == 0, "every CPU read pattern 0 through the window after MMU on "
           "(%u did not)", sum.bad_initial);
    tap_ok(sum.stale == 0, "every CPU saw each of the %u remaps (%u stale reads)", rounds,
           sum.stale);
    tap_ok(sum.aborts == 0, "no data abort in the window (%u)", sum.aborts);
    tap_metric("ns_per_round", "%llu",
               (unsigned long long)(rt_ticks_to_ns(t1 - t0) / (rounds ? rounds : 1)));
    return tap_done();
}
