/*
 * llsc-aba — the ABA case of a lock-free (Treiber) stack, made deterministic.
 *
 * The stack is top -> A -> B -> C. In each round:
 *   CPU 0  LDREX top (reads A), reads A->next (B), raises `ldrex_done`, then
 *          waits for `interfered` with plain loads only (no exclusive
 *          instruction, no store to the stack or to top);
 *   CPU 1  pops A, pops B and pushes A back with LDREX/STREX, so top went
 *          A -> B -> C -> A and A->next is now C; then raises `interfered`;
 *   CPU 0  STREX top = B.
 * Under LL/SC as the architecture defines it, CPU 1's stores to top clear
 * CPU 0's reservation, so that STREX must fail and the stack stays A -> C.
 * QEMU emulates STREX as a compare-and-swap against the value LDREX read:
 * top is A again, so the STREX succeeds and top points at B, which CPU 1
 * popped: the stack is corrupt. This test therefore FAILS on QEMU (by
 * design: the suite lists it as an expected failure there) and must pass
 * on an emulator that implements reservations (strex-emu).
 *
 * Checks: every ABA STREX failed; the stack is A -> C after every round.
 * Metric: aba_strex_success (how many of the rounds' STREXes succeeded).
 *
 * Parameters: rounds (default 100); control=1 makes CPU 1 do nothing but
 * the handshake, so CPU 0's STREX must succeed every round and leave
 * B -> C: it shows the checks tell the two cases apart (and that the
 * waiting itself does not clear the monitor). Needs 2 CPUs: at -smp 1 it
 * bails out; CPUs beyond the second stay idle.
 */
#include "rt.h"
#include "tap.h"

struct node {
    struct node *next;
    char name;
} __attribute__((aligned(64)));

static struct node node_a = { 0, 'A' }, node_b = { 0, 'B' }, node_c = { 0, 'C' };

/* Each shared word alone in its own 64-byte granule (the CTR's ERG): a
 * store to a flag or to a barrier must never touch the reservation on
 * top, or an emulator with granule-sized reservations would fail the
 * control run for the wrong reason. */
#define ALONE_IN_GRANULE(type, name) \
    static struct { type name; char pad[64 - sizeof(type)]; } __attribute__((aligned(64)))

ALONE_IN_GRANULE(struct node *, node) top;
ALONE_IN_GRANULE(volatile uint32_t, round) ldrex_done; /* CPU 0 writes */
ALONE_IN_GRANULE(volatile uint32_t, round) interfered; /* CPU 1 writes */

static unsigned long rounds;
static int control;
static unsigned long strex_successes; /* CPU 0 only */
static unsigned long bad_states;      /* CPU 0 only */
static struct rt_barrier round_start, round_end;

static void stack_reset(void)
{
    node_a.next = &node_b;
    node_b.next = &node_c;
    node_c.next = 0;
    top.node = &node_a;
    rt_dmb();
}

/* CPU 0's half of a round, all in one asm block so nothing else runs
 * between LDREX and STREX. Returns the STREX status. */
static uint32_t cpu0_stale_pop(uint32_t round)
{
    uint32_t seen_top, next, flag, status;

    __asm__ volatile("ldrex %[seen], [%[top]]\n\t"
                     "ldr %[next], [%[seen]]\n\t" /* seen->next: B */
                     "dmb ish\n\t"
                     "str %[round], [%[done]]\n\t"
                     "1: ldr %[flag], [%[intf]]\n\t"
                     "cmp %[flag], %[round]\n\t"
                     "beq 2f\n\t"
                     "yield\n\t"
                     "b 1b\n"
                     "2: dmb ish\n\t"
                     "strex %[st], %[next], [%[top]]"
                     : [seen] "=&r"(seen_top), [next] "=&r"(next), [flag] "=&r"(flag),
                       [st] "=&r"(status)
                     : [top] "r"(&top.node), [done] "r"(&ldrex_done.round),
                       [intf] "r"(&interfered.round), [round] "r"(round)
                     : "cc", "memory");
    return status;
}

static struct node *pop(void)
{
    struct node *old, *next;
    uint32_t status;

    do {
        __asm__ volatile("ldrex %[old], [%[top]]\n\t"
                         "ldr %[next], [%[old]]\n\t" /* old->next */
                         "strex %[st], %[next], [%[top]]"
                         : [old] "=&r"(old), [next] "=&r"(next), [st] "=&r"(status)
                         : [top] "r"(&top.node)
                         : "memory");
    } while (status != 0);
    return old;
}

static void push(struct node *n)
{
    struct node *old;
    uint32_t status;

    do {
        __asm__ volatile("ldrex %[old], [%[top]]\n\t"
                         "str %[old], [%[n]]\n\t" /* n->next = old */
                         "strex %[st], %[n], [%[top]]"
                         : [old] "=&r"(old), [st] "=&r"(status)
                         : [top] "r"(&top.node), [n] "r"(n)
                         : "memory");
    } while (status != 0);
}

static void cpu1_interfere(uint32_t round)
{
    while (ldrex_done.round != round)
        rt_cpu_relax();
    rt_dmb();
    if (!control) {
        struct node *a = pop();

        pop(); /* B */
        push(a);
    }
    rt_dmb();
    interfered.round = round;
}

/* After a round: A -> C (the STREX failed) or, in control mode, B -> C. */
static int stack_as_expected(void)
{
    struct node *want = control ? &node_b : &node_a;

    return top.node == want && want->next == &node_c && node_c.next == 0;
}

static void worker(int cpu, void *arg)
{
    (void)arg;
    for (uint32_t round = 1; round <= rounds; round++) {
        if (cpu == 0)
            stack_reset();
        rt_barrier_wait(&round_start);
        if (cpu == 0) {
            if (cpu0_stale_pop(round) == 0)
                strex_successes++;
        } else {
            cpu1_interfere(round);
        }
        rt_barrier_wait(&round_end);
        if (cpu == 0 && !stack_as_expected()) {
            if (bad_states++ == 0)
                tap_diag("round %lu: top -> %c -> %c", (unsigned long)round,
                         top.node ? top.node->name : '0',
                         top.node && top.node->next ? top.node->next->name : '0');
        }
    }
}

int main(void)
{
    rounds = rt_param_ulong("rounds", 100);
    control = (int)rt_param_ulong("control", 0);
    if (rt_ncpus() < 2)
        tap_bail("llsc-aba needs 2 CPUs (CPU 1 makes the ABA change), the machine has 1");

    tap_plan(2);
    tap_diag("rounds=%lu%s", rounds, control ? " control=1: CPU 1 does not interfere" : "");
    rt_barrier_init(&round_start, 2);
    rt_barrier_init(&round_end, 2);
    rt_smp_run(2, worker, 0);

    if (control) {
        tap_ok(strex_successes == rounds,
               "control: STREX with no interference succeeds (%lu of %lu rounds)",
               strex_successes, rounds);
        tap_ok(bad_states == 0, "control: the stack is B -> C after every round (%lu bad)",
               bad_states);
    } else {
        tap_ok(strex_successes == 0,
               "STREX after ABA fails: top changed A->C->A since LDREX (%lu of %lu succeeded)",
               strex_successes, rounds);
        tap_ok(bad_states == 0,
               "the stack is A -> C after every round, top never points at popped B (%lu bad)",
               bad_states);
    }
    tap_metric("aba_strex_success", "%lu", strex_successes);
    return tap_done();
}
