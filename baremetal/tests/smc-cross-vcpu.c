/*
 * smc-cross-vcpu — one CPU rewrites code that the others keep running.
 *
 * A page of RAM holds NSLOTS code slots of one cache line each. The code
 * of version v sits in slot v % NSLOTS and returns a 64-bit value from
 * two instruction pairs, movw/movt r0 and movw/movt r1, each loading
 * v | v << 16. A reader that ran part old, part new code would see r0 !=
 * r1 or a value whose halves differ (a "mix").
 *
 * CPU 0, the writer, writes versions 1..`versions` with the maintenance
 * the architecture asks for before other CPUs may run new code: store
 * the words, DCCMVAU each line, DSB ISH, ICIALLUIS, BPIALLIS, DSB ISH,
 * ISB; then it publishes v with a release store. Every other CPU, a
 * reader, loops: load the published version p (acquire), ISB, call slot
 * p, check, then acknowledge p. Checks: no call returned a mix, no
 * reader's values ever went backwards, and every call made after seeing
 * p returned exactly p (the slot holds p until every reader has moved
 * on, so anything else is stale code from an older version in the slot).
 *
 * Every other call enters a slot not by its address but through the
 * slot's trampoline, a B to the slot's first word written once at word
 * 12 of the same slot line and never rewritten. An emulator that chains
 * translated blocks links that direct branch to the slot's code; when
 * the slot is rewritten the link must be cut, or the trampoline keeps
 * running the old version (counted as stale).
 *
 * Why slots: the architecture makes it UNPREDICTABLE to execute code
 * while another CPU modifies it (except for a few instructions such as B
 * and NOP), so the writer only rewrites a slot once every reader has
 * acknowledged a version that lives elsewhere. A slot's previous code
 * (version v - NSLOTS) has certainly been run, and so translated, by
 * then (the writer runs every version itself, see below): an emulator
 * must notice the store and drop that translation.
 *
 * The writer also calls each new version itself right after publishing
 * it, so at -smp 1 (no readers) CPU 0 alternates the two roles and the
 * test still checks single-CPU self-modifying code.
 *
 * Parameters: versions (default 2000, at most 65535), cpus (default: all),
 * maint=0 skips the cache maintenance (architecturally wrong; QEMU's TCG
 * snoops stores to translated code and passes anyway), and break=1, which
 * publishes each version after writing only its r0 pair and writes the r1
 * pair once every reader has run the half-written slot: every reader
 * (and at -smp 1 the writer) must then report mixes. break=2 publishes
 * each version before writing it (and lets every reader run the slot's
 * old code first): the calls then return stale, older values.
 * Metrics: versions, calls per reader, ns per version.
 */
#include "rt.h"
#include "tap.h"

#define NSLOTS 64 /* one 4 KiB page of 64-byte slots */
#define SLOT_WORDS 16 /* 64 bytes: the 64-byte cache lines of CTR */
#define MAX_VERSIONS 65535

/* The code page holds nothing else, so stores to data never land in it. */
static uint32_t code_page[1024] __attribute__((aligned(4096)));

static uint32_t published;            /* release by CPU 0, acquire by readers */
static uint32_t acked[RT_MAX_CPUS];   /* each reader's last version run */
static int finished;                  /* CPU 0 sets it when all readers acked the last */

/* What the readers saw; each CPU writes only its own entries. */
struct reader_log {
    unsigned long calls;
    unsigned long mixes;
    unsigned long backwards;
    unsigned long stale;
    uint32_t first_bad_expected; /* the published version at the first bad call */
    uint64_t first_bad_got;
};
static struct reader_log logs[RT_MAX_CPUS];

static uint32_t versions;
static int cpus;
static int maint;
static int broken;
static struct rt_barrier start;

/* ---- the code ------------------------------------------------------------ */

/* A32 encodings (cond = AL): MOVW/MOVT Rd, #imm16 split into imm4:imm12. */
static uint32_t enc_movw(unsigned rd, uint32_t imm16)
{
    return 0xe3000000u | (imm16 >> 12) << 16 | rd << 12 | (imm16 & 0xfff);
}

static uint32_t enc_movt(unsigned rd, uint32_t imm16)
{
    return 0xe3400000u | (imm16 >> 12) << 16 | rd << 12 | (imm16 & 0xfff);
}

#define ENC_BX_LR 0xe12fff1eu
#define TRAMPOLINE_WORD 12 /* in its own 32-byte half of the slot line */

/* B from word `from` to word `to` of the same page. */
static uint32_t enc_b(unsigned from, unsigned to)
{
    int32_t offset = ((int32_t)to - (int32_t)from) * 4 - 8;

    return 0xea000000u | (((uint32_t)offset >> 2) & 0xffffff);
}

static volatile uint32_t *slot_of(uint32_t version)
{
    return &code_page[(version % NSLOTS) * SLOT_WORDS];
}

static uint32_t value_of(uint32_t version)
{
    return (version & 0xffff) | (version & 0xffff) << 16;
}

typedef uint64_t (*version_fn)(void);

/* Calls the slot of version directly, or through its trampoline. */
static uint64_t call_version(uint32_t version, int via_trampoline)
{
    volatile uint32_t *slot = slot_of(version);

    if (via_trampoline)
        slot += TRAMPOLINE_WORD;
    return ((version_fn)(uintptr_t)slot)();
}

/* CTR.DminLine [19:16]: log2 of the smallest data cache line in words. */
static uint32_t dcache_line_bytes(void)
{
    uint32_t ctr;

    __asm__("mrc p15, 0, %0, c0, c0, 1" : "=r"(ctr));
    return 4u << ((ctr >> 16) & 0xf);
}

/* Makes new code in [p, p + bytes) visible to instruction fetch on every
 * CPU of the Inner Shareable domain. The readers' own ISB is the rest. */
static void make_code_visible(volatile uint32_t *p, uint32_t bytes)
{
    uint32_t line = dcache_line_bytes();
    uintptr_t a = (uintptr_t)p & ~(uintptr_t)(line - 1);

    if (!maint) {
        rt_dsb();
        return;
    }
    for (; a < (uintptr_t)p + bytes; a += line)
        __asm__ volatile("mcr p15, 0, %0, c7, c11, 1" : : "r"(a) : "memory"); /* DCCMVAU */
    __asm__ volatile("dsb ish\n\t"
                     "mcr p15, 0, %0, c7, c1, 0\n\t" /* ICIALLUIS */
                     "mcr p15, 0, %0, c7, c1, 6\n\t" /* BPIALLIS */
                     "dsb ish\n\t"
                     "isb" : : "r"(0) : "memory");
}

/* Writes the movw/movt pair loading value_of(version) into register rd
 * (0 or 1): words 2*rd and 2*rd + 1 of the slot. */
static void write_pair(volatile uint32_t *slot, unsigned rd, uint32_t version)
{
    slot[2 * rd] = enc_movw(rd, value_of(version) & 0xffff);
    slot[2 * rd + 1] = enc_movt(rd, value_of(version) >> 16);
}

static void write_code(volatile uint32_t *slot, uint32_t version)
{
    write_pair(slot, 0, version);
    write_pair(slot, 1, version);
    slot[4] = ENC_BX_LR;
    make_code_visible(slot, 5 * 4);
}

/* ---- checking a call ----------------------------------------------------- */

static void check_call(struct reader_log *log, uint32_t expected, uint64_t got, uint32_t *last)
{
    uint32_t r0 = (uint32_t)got, r1 = (uint32_t)(got >> 32);
    unsigned long bad_before = log->mixes + log->backwards + log->stale;
    int bad = 0;

    log->calls++;
    if (r0 != r1 || (r0 >> 16) != (r0 & 0xffff)) {
        log->mixes++;
        bad = 1;
    } else {
        uint32_t v = r0 & 0xffff;

        if (v < *last) {
            log->backwards++;
            bad = 1;
        }
        if (v != (expected & 0xffff)) {
            log->stale++;
            bad = 1;
        }
        *last = v;
    }
    if (bad && bad_before == 0) { /* one call may count as backwards and stale */
        log->first_bad_expected = expected;
        log->first_bad_got = got;
    }
}

/* ---- the two roles ------------------------------------------------------- */

/* Every reader has run `version` or a later one. */
static int all_acked(uint32_t version)
{
    for (int cpu = 1; cpu < cpus; cpu++)
        if (__atomic_load_n(&acked[cpu], __ATOMIC_ACQUIRE) < version)
            return 0;
    return 1;
}

static void wait_all_acked(uint32_t version)
{
    while (!all_acked(version))
        rt_cpu_relax();
}

/* The YIELD lets a single-threaded emulator run the readers on every
 * version, not only when the writer has to wait for them. */
static void publish(uint32_t version)
{
    __atomic_store_n(&published, version, __ATOMIC_RELEASE);
    rt_sev();
    rt_cpu_relax();
}

/* The writer runs its own new code once: the -smp 1 check, and one more
 * caller at any size. */
static void writer_calls(struct reader_log *log, uint32_t *last)
{
    uint32_t p = __atomic_load_n(&published, __ATOMIC_ACQUIRE);

    rt_isb();
    check_call(log, p, call_version(p, log->calls & 1), last);
}

static void writer(struct reader_log *log)
{
    uint32_t last = 0;

    for (uint32_t v = 1; v <= versions; v++) {
        /* Slot v % NSLOTS last held v - NSLOTS; readers must be past it. */
        if (v >= NSLOTS)
            wait_all_acked(v - NSLOTS + 1);
        if (broken == 2) {
            publish(v);
            writer_calls(log, &last);
            wait_all_acked(v);
            write_code(slot_of(v), v);
        } else if (broken) {
            write_pair(slot_of(v), 0, v);
            make_code_visible(slot_of(v), 5 * 4);
            publish(v);
            writer_calls(log, &last);
            wait_all_acked(v);
            write_pair(slot_of(v), 1, v);
            make_code_visible(slot_of(v), 5 * 4);
        } else {
            write_code(slot_of(v), v);
            publish(v);
        }
        writer_calls(log, &last);
    }
    wait_all_acked(versions);
    __atomic_store_n(&finished, 1, __ATOMIC_RELEASE);
    rt_sev();
}

static void reader(int cpu, struct reader_log *log)
{
    uint32_t last = 0, mine = 0;

    while (!__atomic_load_n(&finished, __ATOMIC_ACQUIRE)) {
        uint32_t p = __atomic_load_n(&published, __ATOMIC_ACQUIRE);

        rt_isb(); /* the context synchronisation the writer's ICIALLUIS asks for */
        check_call(log, p, call_version(p, log->calls & 1), &last);
        if (p != mine) {
            mine = p;
            __atomic_store_n(&acked[cpu], p, __ATOMIC_RELEASE);
        } else {
            rt_cpu_relax(); /* lets a single-threaded emulator run the writer */
        }
    }
}

static void worker(int cpu, void *arg)
{
    (void)arg;
    rt_barrier_wait(&start);
    if (cpu == 0)
        writer(&logs[0]);
    else
        reader(cpu, &logs[cpu]);
}

/* ---- results ------------------------------------------------------------- */

/* The three failure counts over all CPUs. */
static struct reader_log sum_logs(void)
{
    struct reader_log sum = {0};

    for (int cpu = 0; cpu < cpus; cpu++) {
        sum.mixes += logs[cpu].mixes;
        sum.backwards += logs[cpu].backwards;
        sum.stale += logs[cpu].stale;
    }
    return sum;
}

static void report_first_bad(void)
{
    for (int cpu = 0; cpu < cpus; cpu++) {
        const struct reader_log *log = &logs[cpu];

        if (log->mixes + log->backwards + log->stale)
            tap_diag("cpu%d first bad call: published %lu, r0=%08lx r1=%08lx", cpu,
                     (unsigned long)log->first_bad_expected, (unsigned long)log->first_bad_got,
                     (unsigned long)(log->first_bad_got >> 32));
    }
}

int main(void)
{
    struct reader_log sum;
    uint64_t t0, t1;

    cpus = (int)rt_param_ulong("cpus", (unsigned long)rt_ncpus());
    versions = (uint32_t)rt_param_ulong("versions", 2000);
    maint = (int)rt_param_ulong("maint", 1);
    broken = (int)rt_param_ulong("break", 0);
    if (cpus < 1 || cpus > rt_ncpus())
        tap_bail("cpus=%d but the machine has %d", cpus, rt_ncpus());
    if (versions < 1 || versions > MAX_VERSIONS)
        tap_bail("versions=%lu is outside 1..%d", (unsigned long)versions, MAX_VERSIONS);

    tap_plan(3);
    tap_diag("cpus=%d versions=%lu slots=%d maint=%d%s", cpus, (unsigned long)versions, NSLOTS,
             maint, broken == 2   ? " (broken: each version published before it is written)"
             : broken ? " (broken: each version published half-written)"
                      : "");
    if (cpus == 1)
        tap_diag("one CPU: CPU 0 runs each version itself after writing it");
    for (uint32_t v = 0; v < NSLOTS; v++) {
        volatile uint32_t *slot = slot_of(v);

        slot[TRAMPOLINE_WORD] = enc_b(TRAMPOLINE_WORD, 0);
        write_code(slot, 0); /* every slot starts as version 0 */
        make_code_visible(slot + TRAMPOLINE_WORD, 4);
    }
    rt_barrier_init(&start, (unsigned)cpus);
    t0 = rt_ticks();
    rt_smp_run(cpus, worker, 0);
    t1 = rt_ticks();

    sum = sum_logs();
    tap_ok(sum.mixes == 0, "no call ran a mix of two versions (%lu mixes)", sum.mixes);
    tap_ok(sum.backwards == 0, "no CPU's values went backwards (%lu times)", sum.backwards);
    tap_ok(sum.stale == 0, "every call after seeing version p + ISB ran version p (%lu stale)",
           sum.stale);
    report_first_bad();
    tap_metric("versions", "%lu", (unsigned long)versions);
    for (int cpu = 0; cpu < cpus; cpu++) {
        char key[32];

        rt_snprintf(key, sizeof(key), "calls_cpu%d", cpu);
        tap_metric(key, "%lu", logs[cpu].calls);
    }
    tap_metric("ns_per_version", "%llu",
               (unsigned long long)(rt_ticks_to_ns(t1 - t0) / versions));
    return tap_done();
}
