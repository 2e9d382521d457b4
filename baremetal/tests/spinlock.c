/*
 * spinlock — three spinlocks built on LDREX/STREX guard a plain counter.
 *
 * Every CPU takes the lock `iters` times and, inside, increments a shared
 * counter with an ordinary load, a short delay and an ordinary store. The
 * counter is not atomic, so the total is exact only if the lock really
 * excludes: with N CPUs it must end at N * iters. A lost update means two
 * CPUs were inside at once (a STREX that should have failed succeeded), or
 * a store from inside the section leaked past the release (missing DMB).
 *
 * The kinds, run one after another on all CPUs, each with one TAP check:
 *  - tas:    test-and-set. LDREX the word; if 0, STREX 1. While the lock is
 *            held, spin on plain loads (test-and-test-and-set).
 *  - ticket: LDREX/STREX fetch-add on `next` draws a ticket; wait (WFE)
 *            until `owner` equals it; release bumps `owner` and SEVs.
 *  - mcs:    queue lock. Each CPU owns a queue node; acquiring swaps the
 *            node into `tail` with LDREX/STREX and, if there was a
 *            predecessor, links behind it and waits (WFE) on its own
 *            node's flag, which the predecessor clears on release.
 * Barriers: DMB after the lock is taken (acquire: the section's accesses
 * stay after it) and DMB before it is dropped (release: they stay before).
 *
 * Waiters spin with WFE for a while, then nap (nap.h: WFI until the
 * virtual timer fires). Without that, QEMU thread=multi with more vCPUs
 * than host cores convoys the fair locks: the next owner is a descheduled
 * host thread, and each hand-over waits for the host scheduler (seen at
 * -smp 8 on 2 host cores: 5-7 ms per acquire, 16000 acquires taking
 * minutes). Napping bounds that to the nap's wake-up latency, about
 * 0.1-0.25 ms per hand-over while the convoy lasts.
 *
 * Parameters:
 *   kind=tas,ticket,mcs  which locks to run, in that order (default: all)
 *   iters=N              acquisitions per CPU per kind (default 500;
 *                        50000 with lock=none, see there)
 *   window=N             delay loops between the load and the store of the
 *                        counter, to widen the race window (default 16)
 *   cpus=N               how many CPUs take part (default: all)
 *   spin=US nap=US       spin this long before napping, nap this long at a
 *                        time (default 20, 50; nap=0 spins only)
 *   lock=none | break=1  skip the lock: the totals must then come out wrong
 *                        at smp >= 2 with thread=multi. Unlocked, an
 *                        increment is so cheap that 500 of them fit in a
 *                        fraction of a host time slice: on a loaded host
 *                        the CPUs then ran one after another and lost
 *                        nothing in 6 of 9 runs, hence the larger default
 *                        (50000: lost updates in 9 of 9). At thread=single,
 *                        QEMU runs one vCPU at a time for a long quantum,
 *                        so a lost update needs a switch inside the window
 *                        and the broken run may still pass (it passed at
 *                        the default size; with iters=2000000 kind=tas at
 *                        -smp 2 it lost 180721 of 4000000 updates).
 * Metrics per kind: ns per acquire; for tas, the failed acquisition
 * attempts (lock seen held, or STREX failed).
 */
#include "nap.h"
#include "rt.h"
#include "tap.h"

enum lock_kind { LOCK_TAS, LOCK_TICKET, LOCK_MCS, LOCK_KINDS };

static const char *const kind_names[LOCK_KINDS] = { "tas", "ticket", "mcs" };

/* The locks: each word on its own 64-byte line, as a real lock would be. */
static uint32_t tas_word __attribute__((aligned(64)));

static struct {
    uint32_t next __attribute__((aligned(64)));  /* LDREX/STREX fetch-add */
    uint32_t owner __attribute__((aligned(64))); /* written by the holder only */
} ticket;

struct mcs_node {
    struct mcs_node *volatile next; /* the successor links itself here */
    volatile uint32_t locked;       /* 1 while waiting; the predecessor clears it */
} __attribute__((aligned(64)));

static struct mcs_node *mcs_tail __attribute__((aligned(64)));
static struct mcs_node mcs_nodes[RT_MAX_CPUS];

/* What the locks protect: plain loads and stores only. */
static volatile uint32_t counter __attribute__((aligned(64)));

static struct rt_barrier line_up;
static unsigned long iters, window;
static int no_lock;
static uint32_t tas_fails[RT_MAX_CPUS];
static uint64_t t_start, t_end;

/* ---- test-and-set --------------------------------------------------------- */

/* One attempt: 0 if it took the lock, 1 if the lock was held or STREX failed. */
static uint32_t tas_try(uint32_t *lock)
{
    uint32_t old, failed;

    __asm__ volatile("ldrex %0, [%2]\n\t"
                     "cmp %0, #0\n\t"
                     "bne 1f\n\t"
                     "strex %1, %3, [%2]\n\t"
                     "b 2f\n"
                     "1:\tclrex\n\t"
                     "mov %1, #1\n"
                     "2:"
                     : "=&r"(old), "=&r"(failed) : "r"(lock), "r"(1) : "cc", "memory");
    return failed;
}

static uint32_t tas_acquire(uint32_t *lock)
{
    uint32_t fails = 0;

    while (tas_try(lock)) {
        struct nap_wait w = NAP_WAIT_INIT;

        fails++;
        while (*(volatile uint32_t *)lock)
            nap_wait(&w);
    }
    rt_dmb(); /* acquire */
    return fails;
}

static void tas_release(uint32_t *lock)
{
    rt_dmb(); /* release */
    *(volatile uint32_t *)lock = 0;
    rt_sev(); /* the waiters may be in WFE */
}

/* ---- ticket ----------------------------------------------------------------- */

static uint32_t fetch_add_one(uint32_t *p)
{
    uint32_t old, new, status;

    __asm__ volatile("1:\tldrex %0, [%3]\n\t"
                     "add %1, %0, #1\n\t"
                     "strex %2, %1, [%3]\n\t"
                     "cmp %2, #0\n\t"
                     "bne 1b"
                     : "=&r"(old), "=&r"(new), "=&r"(status) : "r"(p) : "cc", "memory");
    return old;
}

static void ticket_acquire(void)
{
    uint32_t mine = fetch_add_one(&ticket.next);
    struct nap_wait w = NAP_WAIT_INIT;

    while (*(volatile uint32_t *)&ticket.owner != mine)
        nap_wait(&w);
    rt_dmb(); /* acquire */
}

static void ticket_release(void)
{
    rt_dmb(); /* release */
    *(volatile uint32_t *)&ticket.owner = ticket.owner + 1;
    rt_sev(); /* DSB + SEV: the waiters sleep in WFE */
}

/* ---- MCS queue lock ------------------------------------------------------ */

static struct mcs_node *swap_tail(struct mcs_node *node)
{
    struct mcs_node *prev;
    uint32_t status;

    __asm__ volatile("1:\tldrex %0, [%2]\n\t"
                     "strex %1, %3, [%2]\n\t"
                     "cmp %1, #0\n\t"
                     "bne 1b"
                     : "=&r"(prev), "=&r"(status) : "r"(&mcs_tail), "r"(node)
                     : "cc", "memory");
    return prev;
}

/* tail = NULL if tail is still node; returns 1 if it was. */
static int clear_tail_if(struct mcs_node *node)
{
    struct mcs_node *cur;
    uint32_t status;

    __asm__ volatile("1:\tldrex %0, [%2]\n\t"
                     "cmp %0, %3\n\t"
                     "bne 2f\n\t"
                     "strex %1, %4, [%2]\n\t"
                     "cmp %1, #0\n\t"
                     "bne 1b\n\t"
                     "b 3f\n"
                     "2:\tclrex\n"
                     "3:"
                     : "=&r"(cur), "=&r"(status)
                     : "r"(&mcs_tail), "r"(node), "r"(0) : "cc", "memory");
    return cur == node;
}

static void mcs_acquire(struct mcs_node *me)
{
    struct mcs_node *prev;

    me->next = 0;
    me->locked = 1;
    rt_dmb(); /* the node is initialised before tail can point at it */
    prev = swap_tail(me);
    if (prev) {
        struct nap_wait w = NAP_WAIT_INIT;

        prev->next = me;
        rt_sev(); /* the predecessor may be in WFE, waiting for this link */
        while (me->locked)
            nap_wait(&w);
    }
    rt_dmb(); /* acquire */
}

static void mcs_release(struct mcs_node *me)
{
    struct mcs_node *succ = me->next;
    struct nap_wait w = NAP_WAIT_INIT;

    if (!succ) {
        rt_dmb(); /* release, for the case where nobody is queued */
        if (clear_tail_if(me))
            return;
        /* A successor swapped itself in but has not linked yet. */
        while (!(succ = me->next))
            nap_wait(&w);
    }
    rt_dmb(); /* release: the section's accesses before the hand-off */
    succ->locked = 0;
    rt_sev();
}

/* ---- the workers ------------------------------------------------------- */

/* Load, wait a little, store: two CPUs in here at once lose an update. */
static void critical_section(void)
{
    uint32_t v = counter;

    for (unsigned long k = 0; k < window; k++)
        __asm__ volatile("" ::: "memory");
    counter = v + 1;
}

static void run_kind(int cpu, enum lock_kind kind)
{
    uint32_t fails = 0;

    for (unsigned long i = 0; i < iters; i++) {
        if (no_lock) {
            critical_section();
            continue;
        }
        switch (kind) {
        case LOCK_TAS:
            fails += tas_acquire(&tas_word);
            critical_section();
            tas_release(&tas_word);
            break;
        case LOCK_TICKET:
            ticket_acquire();
            critical_section();
            ticket_release();
            break;
        default:
            mcs_acquire(&mcs_nodes[cpu]);
            critical_section();
            mcs_release(&mcs_nodes[cpu]);
            break;
        }
    }
    tas_fails[cpu] = fails;
}

static void worker(int cpu, void *arg)
{
    enum lock_kind kind = *(enum lock_kind *)arg;

    rt_barrier_wait(&line_up);
    if (cpu == 0)
        t_start = rt_ticks();
    run_kind(cpu, kind);
    rt_barrier_wait(&line_up);
    if (cpu == 0)
        t_end = rt_ticks();
}

/* ---- main ---------------------------------------------------------------- */

/* Parses "tas,ticket,mcs" into a list of kinds; returns how many. */
static int parse_kinds(const char *list, enum lock_kind *out)
{
    int n = 0;

    while (*list) {
        const char *end = strchr(list, ',');
        size_t len = end ? (size_t)(end - list) : strlen(list);
        int k;

        for (k = 0; k < LOCK_KINDS; k++)
            if (strlen(kind_names[k]) == len && strncmp(list, kind_names[k], len) == 0)
                break;
        if (k == LOCK_KINDS || n == LOCK_KINDS * 2)
            tap_bail("kind=%s: expected a comma list of tas, ticket, mcs", list);
        out[n++] = (enum lock_kind)k;
        list += len;
        if (*list == ',')
            list++;
    }
    return n;
}

static void report_kind(enum lock_kind kind, int cpus)
{
    uint64_t expected = (uint64_t)cpus * iters;
    char key[48];

    tap_ok(counter == expected, "%s: counter is %llu after %d CPUs x %lu %s increments (got %lu)",
           kind_names[kind], (unsigned long long)expected, cpus, iters,
           no_lock ? "UNLOCKED" : "locked", (unsigned long)counter);
    rt_snprintf(key, sizeof(key), "%s_ns_per_acquire", kind_names[kind]);
    tap_metric(key, "%llu",
               (unsigned long long)(rt_ticks_to_ns(t_end - t_start) / (expected ? expected : 1)));
    if (kind == LOCK_TAS && !no_lock) {
        uint64_t total = 0;

        for (int cpu = 0; cpu < cpus; cpu++)
            total += tas_fails[cpu];
        tap_metric("tas_failed_attempts", "%llu", (unsigned long long)total);
    }
}

int main(void)
{
    enum lock_kind kinds[LOCK_KINDS * 2];
    int cpus = (int)rt_param_ulong("cpus", (unsigned long)rt_ncpus());
    int nkinds = parse_kinds(rt_param_str("kind", "tas,ticket,mcs"), kinds);

    no_lock = strcmp(rt_param_str("lock", ""), "none") == 0 || rt_param_ulong("break", 0);
    iters = rt_param_ulong("iters", no_lock ? 50000 : 500);
    window = rt_param_ulong("window", 16);
    nap_config((uint32_t)rt_param_ulong("spin", 20), (uint32_t)rt_param_ulong("nap", 50));
    if (cpus < 1 || cpus > rt_ncpus())
        tap_bail("cpus=%d but the machine has %d", cpus, rt_ncpus());

    tap_plan(nkinds);
    tap_diag("cpus=%d iters=%lu window=%lu%s", cpus, iters, window,
             no_lock ? " (broken: no lock taken)" : "");
    rt_barrier_init(&line_up, (unsigned)cpus);
    for (int i = 0; i < nkinds; i++) {
        counter = 0;
        rt_dmb();
        rt_smp_run(cpus, worker, &kinds[i]);
        rt_dmb();
        report_kind(kinds[i], cpus);
    }
    return tap_done();
}
