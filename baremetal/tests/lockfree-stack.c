/*
 * lockfree-stack — a Treiber stack under contention loses no node and
 * duplicates none.
 *
 * A pool of `nodes` nodes starts on the stack. Every CPU then does `iters`
 * rounds: mostly pop one node and push it straight back, sometimes pop one
 * into a small private stash or push one from the stash, so the stack
 * really shrinks and grows and a popped node can stay away for a while.
 * At the end the stack and every stash are walked: each node must appear
 * exactly once (a bitmap), the count must be `nodes`, and the walk of the
 * stack must end at NULL within `nodes` steps (no cycle).
 *
 * The top of the stack is a {pointer, tag} pair, 8-byte aligned, read and
 * written as one unit with LDREXD/STREXD; every pop and push adds 1 to the
 * tag. That makes it ABA-safe even where STREXD succeeds whenever memory
 * still holds the value LDREXD read (QEMU checks the value, not whether
 * anyone stored): a node that was popped and pushed back in between comes
 * back with a new tag. With the tag, the final tag must also equal the
 * number of successful pops and pushes: a check that no update was lost.
 *
 * Parameters:
 *   nodes=N   pool size, at most 4096 (default 32)
 *   iters=N   rounds per CPU (default 10000)
 *   stash=N   private stash size per CPU, at most 16 (default 4)
 *   cpus=N    how many CPUs take part (default: all)
 *   tag=0     the top is the bare pointer, updated with LDREX/STREX. On real
 *             LL/SC hardware that is still correct (the STREX fails after
 *             any store to the word), but where STREX is a value compare
 *             (QEMU) it is open to ABA: CPU A reads top=X, next=Y; others
 *             pop X, pop Y (into a stash), push X back; A's STREX sees X
 *             and installs Y, a node that is no longer on the stack. The
 *             window is one host preemption inside a pop, so it is rare:
 *             seen once in 3 runs at -smp 8 thread=multi nodes=8 (14 nodes
 *             twice, a cycle), never in 4 runs at the default size.
 *   break=1   the pop's STREX(D) becomes a plain STR(D): two CPUs can pop
 *             the same node, so nodes are lost or duplicated.
 * Metrics: strex_fails (STREX(D)s that failed plus pushes that found the
 * top moved), empty pops, ns per operation.
 */
#include "rt.h"
#include "tap.h"

#define MAX_NODES 4096
#define MAX_STASH 16

struct node {
    struct node *next;
    uint32_t id;
};

/* The top: ptr in the low word, tag in the high word (little-endian), so the
 * LDREXD pair is {ptr, tag} and tag=0 mode uses the low word alone. */
union top {
    uint64_t both;
    struct {
        struct node *ptr;
        uint32_t tag;
    };
};

static union top top __attribute__((aligned(64)));
static struct node pool[MAX_NODES];

struct cpu_state {
    struct node *stash[MAX_STASH];
    unsigned n_stash;
    uint32_t strex_fails;
    uint32_t empty_pops;
    uint32_t ops; /* successful pops and pushes */
} __attribute__((aligned(64)));

static struct cpu_state cpus_state[RT_MAX_CPUS];
static unsigned long n_nodes, iters, stash_max;
static int use_tag, broken;
static struct rt_barrier line_up;
static uint64_t t_start, t_end;

/* ---- the stack ------------------------------------------------------------- */

/* Tagged pop: {ptr, tag} -> {ptr->next, tag + 1} in one LDREXD/STREXD. */
static struct node *pop_tagged(uint32_t *fails)
{
    uint64_t old, new;
    uint32_t status;

    __asm__ volatile("1:\tldrexd %0, %H0, [%4]\n\t"
                     "cmp %0, #0\n\t"
                     "beq 2f\n\t"
                     "ldr %1, [%0]\n\t"          /* next of the old top */
                     "add %H1, %H0, #1\n\t"
                     "strexd %2, %1, %H1, [%4]\n\t"
                     "cmp %2, #0\n\t"
                     "addne %3, %3, #1\n\t"
                     "bne 1b\n\t"
                     "b 3f\n"
                     "2:\tclrex\n"
                     "3:"
                     : "=&r"(old), "=&r"(new), "=&r"(status), "+r"(*fails)
                     : "r"(&top) : "cc", "memory");
    rt_dmb(); /* acquire: the node is ours before we touch it */
    return (struct node *)(uint32_t)old;
}

/* break=1: the same with a plain STRD, so two CPUs can pop one node. */
static struct node *pop_tagged_broken(void)
{
    uint64_t old, new;

    __asm__ volatile("ldrexd %0, %H0, [%2]\n\t"
                     "clrex\n\t"
                     "cmp %0, #0\n\t"
                     "beq 1f\n\t"
                     "ldr %1, [%0]\n\t"
                     "add %H1, %H0, #1\n\t"
                     "strd %1, %H1, [%2]\n"
                     "1:"
                     : "=&r"(old), "=&r"(new) : "r"(&top) : "cc", "memory");
    rt_dmb();
    return (struct node *)(uint32_t)old;
}

/* Untagged pop: ptr -> ptr->next with LDREX/STREX on the low word only. */
static struct node *pop_plain(uint32_t *fails)
{
    struct node *old, *next;
    uint32_t status;

    __asm__ volatile("1:\tldrex %0, [%4]\n\t"
                     "cmp %0, #0\n\t"
                     "beq 2f\n\t"
                     "ldr %1, [%0]\n\t"
                     "strex %2, %1, [%4]\n\t"
                     "cmp %2, #0\n\t"
                     "addne %3, %3, #1\n\t"
                     "bne 1b\n\t"
                     "b 3f\n"
                     "2:\tclrex\n"
                     "3:"
                     : "=&r"(old), "=&r"(next), "=&r"(status), "+r"(*fails)
                     : "r"(&top.ptr) : "cc", "memory");
    rt_dmb();
    return old;
}

/* break=1 with tag=0: a plain STR. */
static struct node *pop_plain_broken(void)
{
    struct node *old, *next;

    __asm__ volatile("ldrex %0, [%2]\n\t"
                     "clrex\n\t"
                     "cmp %0, #0\n\t"
                     "beq 1f\n\t"
                     "ldr %1, [%0]\n\t"
                     "str %1, [%2]\n"
                     "1:"
                     : "=&r"(old), "=&r"(next) : "r"(&top.ptr) : "cc", "memory");
    rt_dmb();
    return old;
}

/* An atomic snapshot of the top: LDREXD is single-copy atomic, LDRD need not be. */
static union top read_top(void)
{
    union top t;

    __asm__ volatile("ldrexd %0, %H0, [%1]\n\tclrex" : "=&r"(t.both) : "r"(&top) : "memory");
    return t;
}

/* top = desired if top == expected; returns 1 on success. STREXD failing
 * while the value still matches is retried, not reported. */
static int cas_top(uint64_t expected, uint64_t desired, uint32_t *fails)
{
    uint64_t cur;
    uint32_t status;

    for (;;) {
        __asm__ volatile("ldrexd %0, %H0, [%2]\n\t"
                         "cmp %0, %3\n\t"
                         "cmpeq %H0, %H3\n\t"
                         "movne %1, #2\n\t"
                         "bne 1f\n\t"
                         "strexd %1, %4, %H4, [%2]\n\t"
                         "b 2f\n"
                         "1:\tclrex\n"
                         "2:"
                         : "=&r"(cur), "=&r"(status)
                         : "r"(&top), "r"(expected), "r"(desired) : "cc", "memory");
        if (status == 0)
            return 1;
        if (status == 2)
            return 0;
        (*fails)++;
    }
}

static int cas_ptr(struct node *expected, struct node *desired, uint32_t *fails)
{
    struct node *cur;
    uint32_t status;

    for (;;) {
        __asm__ volatile("ldrex %0, [%2]\n\t"
                         "cmp %0, %3\n\t"
                         "movne %1, #2\n\t"
                         "bne 1f\n\t"
                         "strex %1, %4, [%2]\n\t"
                         "b 2f\n"
                         "1:\tclrex\n"
                         "2:"
                         : "=&r"(cur), "=&r"(status)
                         : "r"(&top.ptr), "r"(expected), "r"(desired) : "cc", "memory");
        if (status == 0)
            return 1;
        if (status == 2)
            return 0;
        (*fails)++;
    }
}

/* Link the node to the current top, then swing the top to it. The link is
 * a store, so it is made before the exclusive pair, not between. */
static void push(struct node *n, uint32_t *fails)
{
    for (;;) {
        union top old = read_top(), new;

        n->next = old.ptr;
        rt_dmb(); /* release: the link is visible before the node is */
        new.ptr = n;
        new.tag = old.tag + 1;
        if (use_tag ? cas_top(old.both, new.both, fails) : cas_ptr(old.ptr, n, fails))
            return;
        (*fails)++; /* the top moved since we read it */
    }
}

static struct node *pop(uint32_t *fails)
{
    if (broken)
        return use_tag ? pop_tagged_broken() : pop_plain_broken();
    return use_tag ? pop_tagged(fails) : pop_plain(fails);
}

/* ---- the workers ------------------------------------------------------- */

static uint32_t xorshift(uint32_t *s)
{
    uint32_t x = *s;

    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    return *s = x;
}

/* One round: 1 in 8 stashes a popped node, 1 in 8 returns one from the
 * stash, the rest pop and push back. */
static void round_once(struct cpu_state *me, uint32_t *rng)
{
    uint32_t r = xorshift(rng) & 7;
    struct node *n;

    if (r == 1 && me->n_stash > 0) {
        push(me->stash[--me->n_stash], &me->strex_fails);
        me->ops++;
        return;
    }
    n = pop(&me->strex_fails);
    if (!n) {
        me->empty_pops++;
        return;
    }
    me->ops++;
    if (r == 0 && me->n_stash < stash_max) {
        me->stash[me->n_stash++] = n;
        return;
    }
    push(n, &me->strex_fails);
    me->ops++;
}

static void worker(int cpu, void *arg)
{
    struct cpu_state *me = &cpus_state[cpu];
    uint32_t rng = 0x9e3779b9u * (uint32_t)(cpu + 1);

    (void)arg;
    rt_barrier_wait(&line_up);
    if (cpu == 0)
        t_start = rt_ticks();
    for (unsigned long i = 0; i < iters; i++)
        round_once(me, &rng);
    rt_barrier_wait(&line_up);
    if (cpu == 0)
        t_end = rt_ticks();
}

/* ---- the final walk ------------------------------------------------------- */

struct census {
    uint8_t seen[MAX_NODES];
    unsigned long count, duplicates, strangers;
    int cycle; /* the stack walk did not reach NULL within nodes + 1 steps */
};

static struct census census;

static void count_node(struct census *c, struct node *n)
{
    if (n < pool || n >= pool + n_nodes || n != &pool[n->id]) {
        c->strangers++;
        return;
    }
    if (c->seen[n->id]++)
        c->duplicates++;
    c->count++;
}

static void take_census(struct census *c, int cpus)
{
    unsigned long steps = 0;

    for (struct node *n = top.ptr; n; n = n->next) {
        if (++steps > n_nodes) {
            c->cycle = 1;
            break;
        }
        count_node(c, n);
    }
    for (int cpu = 0; cpu < cpus; cpu++)
        for (unsigned i = 0; i < cpus_state[cpu].n_stash; i++)
            count_node(c, cpus_state[cpu].stash[i]);
}

/* ---- main ---------------------------------------------------------------- */

static void fill_stack(void)
{
    top.ptr = 0;
    top.tag = 0;
    for (unsigned long i = 0; i < n_nodes; i++) {
        pool[i].id = (uint32_t)i;
        pool[i].next = top.ptr;
        top.ptr = &pool[i];
        top.tag++;
    }
    rt_dmb();
}

int main(void)
{
    int cpus = (int)rt_param_ulong("cpus", (unsigned long)rt_ncpus());
    uint64_t ops = 0, fails = 0, empties = 0;
    unsigned long missing = 0;

    n_nodes = rt_param_ulong("nodes", 32);
    iters = rt_param_ulong("iters", 10000);
    stash_max = rt_param_ulong("stash", 4);
    use_tag = (int)rt_param_ulong("tag", 1);
    broken = (int)rt_param_ulong("break", 0);
    if (cpus < 1 || cpus > rt_ncpus())
        tap_bail("cpus=%d but the machine has %d", cpus, rt_ncpus());
    if (n_nodes < 1 || n_nodes > MAX_NODES || stash_max > MAX_STASH)
        tap_bail("nodes=%lu stash=%lu: need 1 <= nodes <= %d, stash <= %d",
                 n_nodes, stash_max, MAX_NODES, MAX_STASH);

    tap_plan(use_tag ? 4 : 3);
    tap_diag("cpus=%d nodes=%lu iters=%lu stash=%lu top=%s%s", cpus, n_nodes, iters,
             stash_max, use_tag ? "{ptr,tag} LDREXD/STREXD" : "ptr LDREX/STREX",
             broken ? " (broken: pop stores with a plain STR)" : "");
    fill_stack();
    rt_barrier_init(&line_up, (unsigned)cpus);
    rt_smp_run(cpus, worker, 0);
    rt_dmb();

    take_census(&census, cpus);
    for (unsigned long i = 0; i < n_nodes; i++)
        missing += !census.seen[i];
    tap_ok(!census.cycle, "the stack walk ends at NULL within %lu nodes (no cycle)", n_nodes);
    tap_ok(census.duplicates == 0 && census.strangers == 0,
           "no node appears twice on the stack and in the stashes (%lu twice, %lu not from the pool)",
           census.duplicates, census.strangers);
    tap_ok(missing == 0 && census.count == n_nodes,
           "all %lu nodes accounted for (counted %lu, %lu missing)", n_nodes, census.count,
           missing);
    for (int cpu = 0; cpu < cpus; cpu++) {
        ops += cpus_state[cpu].ops;
        fails += cpus_state[cpu].strex_fails;
        empties += cpus_state[cpu].empty_pops;
    }
    if (use_tag)
        tap_ok(top.tag == (uint32_t)(n_nodes + ops),
               "the tag counted every push and pop: %lu (expected %lu = %lu initial + %llu)",
               (unsigned long)top.tag, (unsigned long)(n_nodes + ops), n_nodes,
               (unsigned long long)ops);
    tap_metric("strex_fails", "%llu", (unsigned long long)fails);
    tap_metric("empty_pops", "%llu", (unsigned long long)empties);
    tap_metric("ns_per_op", "%llu",
               (unsigned long long)(rt_ticks_to_ns(t_end - t_start) / (ops ? ops : 1)));
    return tap_done();
}
