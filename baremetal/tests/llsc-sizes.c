/*
 * llsc-sizes — LDREX/STREX of every size on data packed next to other data.
 *
 * All CPUs increment, in one loop, a shared byte (LDREXB/STREXB), a shared
 * halfword (LDREXH/STREXH), a shared word (LDREX/STREX) and a shared
 * doubleword (LDREXD/STREXD), plus a private "lane" of each size, one per
 * CPU, packed right next to the shared counters:
 *
 *   0x00 guard word      0x04 guard byte, shared8, shared16 (one word)
 *   0x08 lane8[16]       0x18 lane16[16]       0x38 shared32, guard word
 *   0x40 shared64        0x48 lane32[16]       0x88 lane64[16]   0x108 guards
 *
 * What each part catches:
 *  - exact totals: a lost update (a STREX that succeeded although another
 *    CPU stored to the location since the LDREX). The byte and halfword
 *    wrap, so the CPU whose STREXB/H takes the counter from all-ones to
 *    zero adds 1 to a carry word: carry * 2^width + final - start is exact.
 *    The doubleword adds 0x1_00000001 from 0xffffff80, so both halves
 *    change and the low half carries into the high one: a STREXD that
 *    stored one half, or tore, breaks its total.
 *  - lanes: every CPU knows what its own lane must hold, and checks each
 *    value its LDREX returns. A STREXB/H that wrote the whole word (putting
 *    back stale or zero neighbours) changes a neighbour's lane under it.
 *  - guards and the lanes of absent CPUs hold fixed patterns and must
 *    never change.
 *
 * Parameters: iters (default 500000, per CPU), cpus (default: all).
 * break=1 makes the byte and halfword stores write their whole aligned word
 * and the doubleword store write its low word only (what a size-blind
 * emulator would do): it fails at any -smp. break=2 replaces every STREX
 * by a plain store: lost updates, so it fails once 2 CPUs run at once.
 * Metrics: STREX failures per size (all CPUs), nanoseconds per iteration.
 */
#include "rt.h"
#include "tap.h"

#define LANES RT_MAX_CPUS
#define GUARD32 0xa5c3e10fu
#define GUARD8 0x5a
#define START8 0xf0
#define START16 0xff00
#define START32 0xfffff000u
#define START64 0x00000000ffffff80ull
#define STEP64 0x0000000100000001ull

struct packed_counters {
    uint32_t guard_lo;
    uint8_t guard8;
    uint8_t shared8;
    uint16_t shared16;
    uint8_t lane8[LANES];
    uint16_t lane16[LANES];
    uint32_t shared32;
    uint32_t guard_mid;
    uint64_t shared64;
    uint32_t lane32[LANES];
    uint64_t lane64[LANES];
    uint32_t guard_hi[2];
} __attribute__((aligned(64)));

_Static_assert(offsetof(struct packed_counters, shared8) == 0x05, "layout");
_Static_assert(offsetof(struct packed_counters, lane8) == 0x08, "layout");
_Static_assert(offsetof(struct packed_counters, shared64) == 0x40, "layout");
_Static_assert(offsetof(struct packed_counters, guard_hi) == 0x108, "layout");

/* What one CPU saw; written only by that CPU. */
struct cpu_tally {
    uint32_t fails[4];      /* failed STREX, per size (b, h, w, d) */
    uint32_t surprises[4];  /* own lane held something else, per size */
} __attribute__((aligned(64)));

enum { B, H, W, D };

static struct packed_counters area;
static uint32_t carry8 __attribute__((aligned(64)));
static uint32_t carry16 __attribute__((aligned(64)));
static struct cpu_tally tally[RT_MAX_CPUS];
static unsigned long iters;
static int broken;
static struct rt_barrier start;

/* Initial lane values: distinct per lane, so a copied neighbour shows. */
static uint8_t lane8_start(int c) { return (uint8_t)(0x81 + 13 * c); }
static uint16_t lane16_start(int c) { return (uint16_t)(0x8001 + 0x0b0b * c); }
static uint32_t lane32_start(int c) { return 0x80000001u + 0x01020304u * (uint32_t)c; }
static uint64_t lane64_start(int c) { return 0x00000001ffffff00ull + ((uint64_t)c << 40); }

/* ---- the increments under test: each returns the value LDREX read ------ */

static uint32_t inc8(uint8_t *p, uint32_t *fails)
{
    uint32_t old, val, status;

    for (;;) {
        __asm__ volatile("ldrexb %0, [%3]\n\t"
                         "add %1, %0, #1\n\t"
                         "strexb %2, %1, [%3]"
                         : "=&r"(old), "=&r"(val), "=&r"(status) : "r"(p) : "memory");
        if (status == 0)
            return old;
        ++*fails;
    }
}

static uint32_t inc16(uint16_t *p, uint32_t *fails)
{
    uint32_t old, val, status;

    for (;;) {
        __asm__ volatile("ldrexh %0, [%3]\n\t"
                         "add %1, %0, #1\n\t"
                         "strexh %2, %1, [%3]"
                         : "=&r"(old), "=&r"(val), "=&r"(status) : "r"(p) : "memory");
        if (status == 0)
            return old;
        ++*fails;
    }
}

static uint32_t inc32(uint32_t *p, uint32_t *fails)
{
    uint32_t old, val, status;

    for (;;) {
        __asm__ volatile("ldrex %0, [%3]\n\t"
                         "add %1, %0, #1\n\t"
                         "strex %2, %1, [%3]"
                         : "=&r"(old), "=&r"(val), "=&r"(status) : "r"(p) : "memory");
        if (status == 0)
            return old;
        ++*fails;
    }
}

/* Adds STEP64. uint64_t operands get an even/odd register pair, as
 * LDREXD/STREXD need; %Q/%R name the low/high word for the arithmetic. */
static uint64_t add64(uint64_t *p, uint32_t *fails)
{
    uint64_t old, val;
    uint32_t status;

    for (;;) {
        __asm__ volatile("ldrexd %0, %H0, [%3]\n\t"
                         "adds %Q1, %Q0, %Q4\n\t"
                         "adc %R1, %R0, %R4\n\t"
                         "strexd %2, %1, %H1, [%3]"
                         : "=&r"(old), "=&r"(val), "=&r"(status)
                         : "r"(p), "r"(STEP64)
                         : "cc", "memory");
        if (status == 0)
            return old;
        ++*fails;
    }
}

/* ---- break=1 and break=2: the same increments done wrong --------------- */

/* Stores v into the byte or halfword at p the way a size-blind store
 * would: the whole aligned word, with zeros around the value. */
static void store_whole_word(void *p, uint32_t v)
{
    uintptr_t a = (uintptr_t)p;

    *(volatile uint32_t *)(a & ~3u) = v << (8 * (a & 3));
}

static uint32_t inc8_broken(uint8_t *p)
{
    uint8_t old = *(volatile uint8_t *)p;

    if (broken == 1)
        store_whole_word(p, (uint8_t)(old + 1));
    else
        *(volatile uint8_t *)p = (uint8_t)(old + 1);
    return old;
}

static uint32_t inc16_broken(uint16_t *p)
{
    uint16_t old = *(volatile uint16_t *)p;

    if (broken == 1)
        store_whole_word(p, (uint16_t)(old + 1));
    else
        *(volatile uint16_t *)p = (uint16_t)(old + 1);
    return old;
}

static uint32_t inc32_broken(uint32_t *p)
{
    uint32_t old = *(volatile uint32_t *)p;

    *(volatile uint32_t *)p = old + 1;
    return old;
}

static uint64_t add64_broken(uint64_t *p)
{
    uint64_t old = *(volatile uint64_t *)p;

    if (broken == 1)
        *(volatile uint32_t *)p = (uint32_t)(old + STEP64); /* low word only */
    else
        *(volatile uint64_t *)p = old + STEP64;
    return old;
}

/* ---- one CPU's loop ------------------------------------------------------ */

static void count_surprise(struct cpu_tally *t, int size, uint64_t got, uint64_t want)
{
    if (got != want)
        t->surprises[size]++;
}

static void step_broken(int cpu, struct cpu_tally *t, unsigned long i)
{
    if (inc8_broken(&area.shared8) == 0xff)
        __atomic_add_fetch(&carry8, 1, __ATOMIC_RELAXED);
    count_surprise(t, B, inc8_broken(&area.lane8[cpu]), (uint8_t)(lane8_start(cpu) + i));
    if (inc16_broken(&area.shared16) == 0xffff)
        __atomic_add_fetch(&carry16, 1, __ATOMIC_RELAXED);
    count_surprise(t, H, inc16_broken(&area.lane16[cpu]), (uint16_t)(lane16_start(cpu) + i));
    inc32_broken(&area.shared32);
    count_surprise(t, W, inc32_broken(&area.lane32[cpu]), lane32_start(cpu) + (uint32_t)i);
    add64_broken(&area.shared64);
    count_surprise(t, D, add64_broken(&area.lane64[cpu]), lane64_start(cpu) + i * STEP64);
}

static void step(int cpu, struct cpu_tally *t, unsigned long i)
{
    if (inc8(&area.shared8, &t->fails[B]) == 0xff)
        __atomic_add_fetch(&carry8, 1, __ATOMIC_RELAXED);
    count_surprise(t, B, inc8(&area.lane8[cpu], &t->fails[B]), (uint8_t)(lane8_start(cpu) + i));
    if (inc16(&area.shared16, &t->fails[H]) == 0xffff)
        __atomic_add_fetch(&carry16, 1, __ATOMIC_RELAXED);
    count_surprise(t, H, inc16(&area.lane16[cpu], &t->fails[H]),
                   (uint16_t)(lane16_start(cpu) + i));
    inc32(&area.shared32, &t->fails[W]);
    count_surprise(t, W, inc32(&area.lane32[cpu], &t->fails[W]), lane32_start(cpu) + (uint32_t)i);
    add64(&area.shared64, &t->fails[D]);
    count_surprise(t, D, add64(&area.lane64[cpu], &t->fails[D]),
                   lane64_start(cpu) + i * STEP64);
}

static void worker(int cpu, void *arg)
{
    struct cpu_tally *t = &tally[cpu];

    (void)arg;
    rt_barrier_wait(&start);
    for (unsigned long i = 0; i < iters; i++) {
        if (broken)
            step_broken(cpu, t, i);
        else
            step(cpu, t, i);
    }
}

/* ---- set-up and verdicts -------------------------------------------------- */

static void fill_area(void)
{
    area.guard_lo = area.guard_mid = area.guard_hi[0] = area.guard_hi[1] = GUARD32;
    area.guard8 = GUARD8;
    area.shared8 = START8;
    area.shared16 = START16;
    area.shared32 = START32;
    area.shared64 = START64;
    for (int c = 0; c < LANES; c++) {
        area.lane8[c] = lane8_start(c);
        area.lane16[c] = lane16_start(c);
        area.lane32[c] = lane32_start(c);
        area.lane64[c] = lane64_start(c);
    }
    rt_dmb();
}

/* The lanes of CPUs that did not run must still hold their start values. */
static int idle_lanes_intact(int cpus)
{
    for (int c = cpus; c < LANES; c++) {
        if (area.lane8[c] != lane8_start(c) || area.lane16[c] != lane16_start(c) ||
            area.lane32[c] != lane32_start(c) || area.lane64[c] != lane64_start(c))
            return 0;
    }
    return 1;
}

static int guards_intact(void)
{
    return area.guard_lo == GUARD32 && area.guard8 == GUARD8 && area.guard_mid == GUARD32 &&
           area.guard_hi[0] == GUARD32 && area.guard_hi[1] == GUARD32;
}

/* Lanes of one size: no CPU was surprised, each ended where it should. */
static void check_lanes(const char *what, int size, int cpus)
{
    unsigned long surprises = 0, wrong_final = 0;

    for (int c = 0; c < cpus; c++) {
        uint64_t got = 0, want = 0;

        surprises += tally[c].surprises[size];
        switch (size) {
        case B: got = area.lane8[c]; want = (uint8_t)(lane8_start(c) + iters); break;
        case H: got = area.lane16[c]; want = (uint16_t)(lane16_start(c) + iters); break;
        case W: got = area.lane32[c]; want = lane32_start(c) + (uint32_t)iters; break;
        case D: got = area.lane64[c]; want = lane64_start(c) + iters * STEP64; break;
        }
        wrong_final += got != want;
    }
    tap_ok(surprises == 0 && wrong_final == 0,
           "%s lanes: no CPU found its own lane changed by another (%lu times), "
           "%lu of %d lanes end wrong",
           what, surprises, wrong_final, cpus);
}

static void check_totals(int cpus)
{
    uint64_t n = (uint64_t)cpus * iters;
    uint64_t total8 = (uint64_t)carry8 * 0x100 + area.shared8 - START8;
    uint64_t total16 = (uint64_t)carry16 * 0x10000 + area.shared16 - START16;
    uint32_t total32 = area.shared32 - START32;
    uint64_t want64 = START64 + n * STEP64;

    tap_ok(total8 == n, "byte counter (with carries) counts %llu increments (got %lld)",
           (unsigned long long)n, (long long)total8);
    tap_ok(total16 == n, "halfword counter (with carries) counts %llu increments (got %lld)",
           (unsigned long long)n, (long long)total16);
    tap_ok(total32 == (uint32_t)n, "word counter counts %llu increments (got %lu)",
           (unsigned long long)n, (unsigned long)total32);
    tap_ok(area.shared64 == want64, "doubleword is 0x%016llx after %llu additions (got 0x%016llx)",
           (unsigned long long)want64, (unsigned long long)n,
           (unsigned long long)area.shared64);
}

static void print_metrics(int cpus, uint64_t ticks)
{
    static const char *const key[4] = { "strex_fail_b", "strex_fail_h", "strex_fail_w",
                                        "strex_fail_d" };
    uint64_t n = (uint64_t)cpus * iters;

    for (int size = B; size <= D; size++) {
        unsigned long sum = 0;

        for (int c = 0; c < cpus; c++)
            sum += tally[c].fails[size];
        tap_metric(key[size], "%lu", sum);
    }
    tap_metric("ns_per_iteration", "%llu",
               (unsigned long long)(rt_ticks_to_ns(ticks) / (n ? n : 1)));
}

int main(void)
{
    int cpus = (int)rt_param_ulong("cpus", (unsigned long)rt_ncpus());
    uint64_t t0, t1;

    iters = rt_param_ulong("iters", 500000);
    broken = (int)rt_param_ulong("break", 0);
    if (cpus < 1 || cpus > rt_ncpus())
        tap_bail("cpus=%d but the machine has %d", cpus, rt_ncpus());

    tap_plan(9);
    tap_diag("cpus=%d iters=%lu%s", cpus, iters,
             broken == 1 ? " (broken: size-blind stores)" :
             broken == 2 ? " (broken: plain stores)" : "");
    fill_area();
    rt_barrier_init(&start, (unsigned)cpus);
    t0 = rt_ticks();
    rt_smp_run(cpus, worker, 0);
    t1 = rt_ticks();
    rt_dmb();

    check_totals(cpus);
    check_lanes("byte", B, cpus);
    check_lanes("halfword", H, cpus);
    check_lanes("word", W, cpus);
    check_lanes("doubleword", D, cpus);
    tap_ok(guards_intact() && idle_lanes_intact(cpus),
           "guard bytes and the lanes of idle CPUs are untouched");
    print_metrics(cpus, t1 - t0);
    return tap_done();
}
