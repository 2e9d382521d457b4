/*
 * codefill — a workload that translates a lot of distinct code, unevenly
 * per CPU: it fills an emulator's code buffer many times over (the region
 * experiment, scripts/region_experiment.sh, docs/design/regions.md).
 *
 * The work is cut into `workers` workers (default 8). Worker w owns an
 * area of RAM past the image holding (w + 1) * `copies` slots of 256
 * bytes, and runs `rounds` rounds. In each round it writes a copy of a
 * 60-instruction straight-line function into every slot, each copy with
 * its own 32-bit key patched into its first two words (MOVW/MOVT r1),
 * makes the area's new code visible to instruction fetch (DCCMVAU each
 * line, DSB ISH, ICIALLU, BPIALL, DSB ISH, ISB), then calls every copy
 * once with its own argument and checks the result against a C model of
 * the function. Every copy of every round is new code at an address whose
 * previous code (last round's) has run, so an emulator translates each
 * one afresh: rounds * copies * workers * (workers + 1) / 2 translations.
 * A stale translation (the old key) returns a wrong value: the test fails
 * loudly.
 *
 * Worker w runs on CPU w % ncpus, so at -smp 1 CPU 0 does the work of all
 * workers itself and the total code translated is the same at any -smp;
 * at -smp 8 CPU k translates (k + 1) times as much as CPU 0, which is
 * what makes one-fixed-slice-per-vCPU region schemes flush early.
 *
 * Parameters: copies (default 64), rounds (default 16), workers (default
 * 8, at most 16), break=1 (rounds after the first leave the old code in
 * place but expect the new values: every later call must fail; needs
 * rounds >= 2). Metrics: translations expected, calls per CPU, kernel
 * ticks and tick_hz.
 */
#include "rt.h"
#include "tap.h"

#include <stdint.h>

#define SLOT_BYTES 256u
#define SLOT_WORDS (SLOT_BYTES / 4)
#define GROUPS 19          /* 3 instructions each: 2 + 57 + 1 = 60 words, < 64 */
#define STR(x) #x
#define XSTR(x) STR(x)
#define MAX_WORKERS 16
#define ARENA_LIMIT (48u << 20)   /* well inside -m 128 with the image and stacks */

/*
 * The function every slot gets a copy of: r0 = f(r0, key). MOVW/MOVT r1
 * are patched per copy; GROUPS times: r0 += r1; r0 ^= r0 ror 13;
 * r1 += r0 << 3. The data flow goes through the argument, so no
 * optimiser can fold a copy to a constant; all of it is one TB.
 */
__asm__(".section .text.codefill_template, \"ax\", %progbits\n"
        ".arm\n"
        ".balign 4\n"
        ".global codefill_template\n"
        "codefill_template:\n"
        "    movw r1, #0\n"
        "    movt r1, #0\n"
        "    .rept " XSTR(GROUPS) "\n"
        "    add r0, r0, r1\n"
        "    eor r0, r0, r0, ror #13\n"
        "    add r1, r1, r0, lsl #3\n"
        "    .endr\n"
        "    bx lr\n"
        ".global codefill_template_end\n"
        "codefill_template_end:\n"
        ".text\n");

extern const uint32_t codefill_template[], codefill_template_end[];
extern char __heap_start[];

typedef uint32_t (*fill_fn)(uint32_t x);

/* What each worker did; written only by the CPU that runs the worker. */
struct worker_log {
    unsigned long calls;
    unsigned long bad;
    uint32_t first_bad_round, first_bad_copy, first_bad_want, first_bad_got;
};

static struct worker_log logs[MAX_WORKERS];
static uint32_t *areas[MAX_WORKERS];
static unsigned long copies, rounds;
static int workers, ncpus, broken;
static uint32_t line_bytes;

/* ---- the model and the keys --------------------------------------------- */

static uint32_t ror32(uint32_t x, unsigned n)
{
    return x >> n | x << (32 - n);
}

static uint32_t model(uint32_t x, uint32_t key)
{
    for (int g = 0; g < GROUPS; g++) {
        x += key;
        x ^= ror32(x, 13);
        key += x << 3;
    }
    return x;
}

/* A well-mixed 32-bit value for (worker, copy, round, salt). */
static uint32_t mix(uint32_t w, uint32_t i, uint32_t r, uint32_t salt)
{
    uint32_t h = w * 0x9e3779b1u ^ i * 0x85ebca77u ^ r * 0xc2b2ae3du ^ salt;

    h ^= h >> 15;
    h *= 0x2c1b3c6du;
    h ^= h >> 12;
    h *= 0x297a2d39u;
    return h ^ h >> 15;
}

/* ---- writing code --------------------------------------------------------- */

/* A32 MOVW/MOVT Rd, #imm16 (cond AL), imm16 split into imm4:imm12. */
static uint32_t enc_movw(unsigned rd, uint32_t imm16)
{
    return 0xe3000000u | (imm16 >> 12) << 16 | rd << 12 | (imm16 & 0xfff);
}

static uint32_t enc_movt(unsigned rd, uint32_t imm16)
{
    return 0xe3400000u | (imm16 >> 12) << 16 | rd << 12 | (imm16 & 0xfff);
}

static void write_copy(volatile uint32_t *slot, uint32_t key)
{
    uint32_t n = (uint32_t)(codefill_template_end - codefill_template);

    for (uint32_t k = 2; k < n; k++)
        slot[k] = codefill_template[k];
    slot[0] = enc_movw(1, key & 0xffff);
    slot[1] = enc_movt(1, key >> 16);
}

/* New code in [p, p + bytes) becomes visible to this CPU's instruction
 * fetch: clean each data line to the point of unification, then
 * invalidate the instruction cache and branch predictor. Only the CPU
 * that wrote a worker's area ever runs it, so the local forms suffice. */
static void make_code_visible(const uint32_t *p, uint32_t bytes)
{
    uintptr_t a = (uintptr_t)p & ~(uintptr_t)(line_bytes - 1);

    for (; a < (uintptr_t)p + bytes; a += line_bytes)
        __asm__ volatile("mcr p15, 0, %0, c7, c11, 1" : : "r"(a) : "memory"); /* DCCMVAU */
    __asm__ volatile("dsb ish\n\t"
                     "mcr p15, 0, %0, c7, c5, 0\n\t" /* ICIALLU */
                     "mcr p15, 0, %0, c7, c5, 6\n\t" /* BPIALL */
                     "dsb ish\n\t"
                     "isb" : : "r"(0) : "memory");
}

/* ---- the work ------------------------------------------------------------- */

static unsigned long worker_copies(int w)
{
    return (unsigned long)(w + 1) * copies;
}

static void check_call(struct worker_log *log, uint32_t r, uint32_t i, uint32_t want,
                       uint32_t got)
{
    log->calls++;
    if (got == want)
        return;
    if (log->bad++ == 0) {
        log->first_bad_round = r;
        log->first_bad_copy = i;
        log->first_bad_want = want;
        log->first_bad_got = got;
    }
}

static void run_round(int w, uint32_t r)
{
    uint32_t *area = areas[w];
    uint32_t n = (uint32_t)worker_copies(w);

    if (r == 0 || !broken) {
        for (uint32_t i = 0; i < n; i++)
            write_copy(area + i * SLOT_WORDS, mix((uint32_t)w, i, r, 0x6b657900u));
        make_code_visible(area, n * SLOT_BYTES);
    }
    for (uint32_t i = 0; i < n; i++) {
        uint32_t x = mix((uint32_t)w, i, r, 0x61726700u);
        uint32_t want = model(x, mix((uint32_t)w, i, r, 0x6b657900u));
        fill_fn fn = (fill_fn)(uintptr_t)(area + i * SLOT_WORDS);

        check_call(&logs[w], r, i, want, fn(x));
    }
}

/* CPU cpu runs workers cpu, cpu + ncpus, ...: each its rounds in turn. */
static void cpu_main(int cpu, void *arg)
{
    (void)arg;
    for (int w = cpu; w < workers; w += ncpus)
        for (uint32_t r = 0; r < rounds; r++)
            run_round(w, r);
}

/* ---- set-up and results ---------------------------------------------------- */

/* Page-aligned areas, one after another, from the first page past the image. */
static int place_areas(void)
{
    uintptr_t at = ((uintptr_t)__heap_start + 4095u) & ~(uintptr_t)4095u;
    uintptr_t base = at;

    for (int w = 0; w < workers; w++) {
        areas[w] = (uint32_t *)at;
        at += (worker_copies(w) * SLOT_BYTES + 4095u) & ~(uintptr_t)4095u;
    }
    return at - base <= ARENA_LIMIT;
}

static void report(unsigned long total_calls, unsigned long bad)
{
    for (int w = 0; w < workers; w++)
        if (logs[w].bad)
            tap_diag("worker %d (cpu %d): %lu bad calls; first: round %lu copy %lu "
                     "returned %08lx, expected %08lx", w, w % ncpus, logs[w].bad,
                     (unsigned long)logs[w].first_bad_round,
                     (unsigned long)logs[w].first_bad_copy,
                     (unsigned long)logs[w].first_bad_got,
                     (unsigned long)logs[w].first_bad_want);
    tap_metric("translations", "%lu", total_calls);
    tap_metric("bad_calls", "%lu", bad);
    for (int cpu = 0; cpu < ncpus; cpu++) {
        unsigned long calls = 0;
        char key[32];

        for (int w = cpu; w < workers; w += ncpus)
            calls += logs[w].calls;
        rt_snprintf(key, sizeof(key), "calls_cpu%d", cpu);
        tap_metric(key, "%lu", calls);
    }
}

/* Reads and checks the parameters, places the areas, reads the line size. */
static void setup(void)
{
    uint32_t ctr;

    copies = rt_param_ulong("copies", 64);
    rounds = rt_param_ulong("rounds", 16);
    workers = (int)rt_param_ulong("workers", 8);
    broken = (int)rt_param_ulong("break", 0);
    ncpus = rt_ncpus();
    if (workers < 1 || workers > MAX_WORKERS)
        tap_bail("workers=%d is outside 1..%d", workers, MAX_WORKERS);
    if (copies < 1 || rounds < 1 || (broken && rounds < 2))
        tap_bail("copies=%lu rounds=%lu: both must be >= 1 (rounds >= 2 with break=1)",
                 copies, rounds);
    if (!place_areas())
        tap_bail("copies=%lu workers=%d need more than %u MiB of code areas", copies,
                 workers, ARENA_LIMIT >> 20);
    __asm__("mrc p15, 0, %0, c0, c0, 1" : "=r"(ctr));  /* CTR.DminLine: log2 words */
    line_bytes = 4u << ((ctr >> 16) & 0xf);
}

int main(void)
{
    unsigned long expected = 0, calls = 0, bad = 0;
    uint64_t t0;

    setup();
    for (int w = 0; w < workers; w++)
        expected += worker_copies(w) * rounds;

    tap_plan(2);
    tap_diag("copies=%lu rounds=%lu workers=%d cpus=%d: %lu functions of %u bytes%s", copies,
             rounds, workers, ncpus, expected,
             (unsigned)((codefill_template_end - codefill_template) * 4),
             broken ? " (broken: later rounds run the old code)" : "");
    t0 = rt_ticks();
    rt_smp_run(ncpus, cpu_main, 0);
    tap_metric("kernel_ticks", "%llu", (unsigned long long)(rt_ticks() - t0));
    tap_metric("tick_hz", "%lu", (unsigned long)rt_tick_freq());
    for (int w = 0; w < workers; w++) {
        calls += logs[w].calls;
        bad += logs[w].bad;
    }
    tap_ok(calls == expected, "every copy was called once per round (%lu of %lu)", calls,
           expected);
    tap_ok(bad == 0, "every call ran its own copy's code (%lu of %lu returned another value)",
           bad, calls);
    report(calls, bad);
    return tap_done();
}
