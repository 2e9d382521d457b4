/*
 * run.c — the runs: where locations live, which CPU runs which thread,
 * batches of iterations, the per-iteration sync, the final states.
 *
 * Layout. Each run draws a placement: a stride (bytes between locations;
 * 4, 8, 64, 128 or 4096 unless stride= fixes it), an offset (0..60 in
 * steps of 4) and a permutation of the locations. One iteration's
 * locations form a cell of `cell` bytes (64-byte multiple); iteration i
 * uses cell i of a RAM arena past the image (__heap_start, at most 64 MiB).
 * So locations are reset for a whole batch before it starts and no
 * per-iteration reset (or extra sync) is needed, litmus7 style; a location
 * that starts with another's address (`x=z`) gets z's address in its own
 * cell, so it is only known once the run's placement is. A batch is
 * as many iterations as fit in the arena (all of `size` unless cells are
 * large); the threads' recorded registers go in the arena too, one region
 * per thread.
 *
 * CPUs. One rt_smp_run() covers the whole test, so idle CPUs wait with
 * nap_wait() (WFI) instead of spinning in the runtime's pool between
 * batches (WFE is a NOP under thread=multi). CPU 0 coordinates: it plans
 * a run, resets the cells, publishes the batch (ctl.gen, release), runs
 * its own thread if it has one, waits until every other CPU has counted
 * the batch done, then collects the batch's final states into the
 * histogram. The CPUs taking part are CPUs
 * 0..nthreads-1, or with affinity=1 all of them, each run drawing a fresh
 * random thread->CPU assignment.
 *
 * Sync (before each iteration, among the threads only):
 *   barrier   every thread adds 1 to `arrivals`; iteration s starts when
 *             arrivals reaches s * nthreads (s counts iterations over the
 *             whole test, so nothing is ever reset)
 *   timebase  thread t>0 publishes ready[t] = s; thread 0 waits for all,
 *             publishes a deadline (counter + tbdelta) and go = s; every
 *             thread then spins until the generic counter passes it
 * Then a random 0..jitter-1 spin (the last thread to arrive at a barrier
 * leaves first, so without it the same thread tends to go first), then
 * the code, through lrt_call().
 *
 * Waiting. CPUs 1.. wait for the next batch with a short poll, then
 * 1 ms WFI naps; CPU 0 waits for the batch's end with nap_wait()
 * (nap.c's defaults: spin 20 us, then 50 us naps). Before an
 * iteration, wait_reach(): a tight poll of plain loads, then, unless
 * nap=0, spin `spin` us and nap `nap` us at a time. A nap ends on its
 * timer only (SEV does not end WFI), so a napping thread starts late;
 * measured on a loaded 2-core host, two threads that nap fall into a
 * lockstep where one always naps and they never overlap (SB: exactly
 * 5000/5000, no 0/0, and much slower), with spin from 20 up to 1000 us,
 * while pure polling kept SB's 0/0 at 33-53% in every run. But with more
 * vCPU threads than host cores, polling starves the threads being waited
 * for (IRIW at -smp 4: 2.9 s with spin=20, 23.5 s with spin=1000). So
 * main.c makes nap=0 the default for tests of 1-2 threads, nap=50 for more.
 *
 * Thread code is copied once into one 4 KiB page per thread (the rest of
 * the page is UDF), never written again, then DSB + ICIALLUIS + ISB on CPU
 * 0 and ICIALLU + DSB + ISB on each CPU before each batch. The MMU is off,
 * so all RAM is executable.
 */
#include "lrt.h"
#include "nap.h"

#define RAM_END 0x48000000u
#define ARENA_MAX (64u << 20)
#define CODE_WORDS 1024 /* one 4 KiB page per thread */
#define A32_UDF 0xe7f000f0u
#define A32_NOP 0xe320f000u

extern char __heap_start[];

/* Written by CPU 0 in lrt_install_code(), then only executed. No other
 * data shares these pages: TCG never sees a store to translated code. */
static uint32_t code_pages[LITMUS_MAX_THREADS][CODE_WORDS] __attribute__((aligned(4096)));

/* One thread's part of a run: CPU 0 writes it before publishing a batch,
 * the thread's CPU reads it during the batch. */
struct thread_plan {
    uint32_t regs[LITMUS_NREGS]; /* a constant, or a location's offset in the cell */
    uint32_t loc_regs;           /* bit r: add the cell's address to regs[r] */
    uint32_t code;               /* its code page */
    uint32_t nres;               /* registers recorded per iteration */
    uint8_t res_reg[LITMUS_MAX_OUTS];
    uint32_t *res;               /* [iteration][nres]: the thread writes, CPU 0 reads */
} __attribute__((aligned(64)));

static struct thread_plan plans[LITMUS_MAX_THREADS];

/* The batch: CPU 0 writes every field, then gen (release) and SEV; the
 * other CPUs read them after they see gen move (acquire). CPU 0 changes
 * nothing here until every CPU has counted the batch in batches_done. */
static struct {
    uint32_t gen;
    uint32_t stop;
    uint32_t n;        /* iterations */
    uint32_t seq0;     /* sync number of iteration 0 */
    uintptr_t cells;   /* iteration 0's cell */
    uint32_t cell;     /* bytes per cell */
    uint32_t nthreads;
    int8_t thread_of[RT_MAX_CPUS]; /* -1: no thread this run */
} ctl __attribute__((aligned(64)));

/* CPUs 1.. add 1 per finished batch (release); CPU 0 waits for the sum. */
static uint32_t batches_done __attribute__((aligned(64)));

/* Sync state, each word in its own cache line. arrivals: every thread adds
 * (atomic). tb: thread 0 writes the deadline, then go (release). ready[t]:
 * thread t > 0 writes (release), thread 0 reads. */
struct line_word {
    uint32_t v;
} __attribute__((aligned(64)));

static struct line_word arrivals;
static struct {
    uint32_t go;
    uint32_t deadline_lo, deadline_hi;
} tb __attribute__((aligned(64)));
static struct line_word ready[LITMUS_MAX_THREADS];

/* CPU 0 only: this run's placement and its PRNG. */
static struct {
    uint32_t stride, offset, cell;
    uint32_t loc_off[LITMUS_MAX_LOCS];
    uint32_t batch;  /* iterations per batch */
    uintptr_t cells;
} place;
static uint32_t rng;
static uint8_t out_slot[LITMUS_MAX_OUTS]; /* register out o: index in its thread's row */
static int run_status;                    /* coordinator's result */

static int is_barrier(uint32_t w)
{
    return (w & 0xfffffff0u) == 0xf57ff050u    /* DMB */
           || (w & 0xfffffff0u) == 0xf57ff040u; /* DSB */
}

unsigned lrt_install_code(const struct litmus_desc *d, int drop_barriers)
{
    unsigned dropped = 0;

    for (unsigned t = 0; t < d->nthreads; t++) {
        for (unsigned w = 0; w < CODE_WORDS; w++) {
            uint32_t word = w < d->threads[t].ncode ? d->threads[t].code[w] : A32_UDF;

            if (drop_barriers && is_barrier(word)) {
                word = A32_NOP;
                dropped++;
            }
            code_pages[t][w] = word;
        }
    }
    /* DSB; ICIALLUIS; DSB; ISB */
    __asm__ volatile("dsb ish\n\tmcr p15, 0, %0, c7, c1, 0\n\tdsb ish\n\tisb"
                     :: "r"(0) : "memory");
    return dropped;
}

static void icache_sync_local(void)
{
    __asm__ volatile("mcr p15, 0, %0, c7, c5, 0\n\tdsb ish\n\tisb" :: "r"(0) : "memory");
}

/* ---- sync ---------------------------------------------------------------- */

static int before(uint32_t now, uint32_t target)
{
    return (int32_t)(now - target) < 0;
}

/* Waits until *p reaches target (wrapping compare). A tight poll first:
 * with thread=multi WFE is a NOP in QEMU, so this is a plain load loop
 * that sees the releasing store within a cache-line transfer; with
 * thread=single WFE yields to the next vCPU. With nap=0 that is all;
 * otherwise after `spin` us of polling the CPU naps (WFI) `nap` us at a
 * time, giving its host core to the vCPUs it waits for. */
#define TIGHT_POLLS 2048

static uint64_t spin_ticks; /* lrt_run_all() sets it before the threads start */

static void wait_reach(const uint32_t *p, uint32_t target)
{
    uint64_t nap_at = 0;

    for (unsigned n = 0; before(*(const volatile uint32_t *)p, target); n++) {
        uint64_t now;

        if (n < TIGHT_POLLS || !lrt_params.nap) {
            rt_wfe();
            continue;
        }
        now = rt_ticks();
        if (!nap_at)
            nap_at = now + spin_ticks;
        if (now < nap_at)
            rt_wfe();
        else
            nap_us((uint32_t)lrt_params.nap);
    }
    rt_dmb(); /* acquire: later accesses stay after the load that saw target */
}

static void barrier_sync(uint32_t seq, uint32_t nthreads)
{
    __atomic_add_fetch(&arrivals.v, 1, __ATOMIC_ACQ_REL);
    rt_sev();
    wait_reach(&arrivals.v, seq * nthreads);
}

static void timebase_sync(int t, uint32_t seq, uint32_t nthreads)
{
    uint64_t deadline;

    if (t == 0) {
        for (uint32_t u = 1; u < nthreads; u++)
            wait_reach(&ready[u].v, seq);
        deadline = rt_ticks() + lrt_params.tbdelta;
        tb.deadline_lo = (uint32_t)deadline;
        tb.deadline_hi = (uint32_t)(deadline >> 32);
        __atomic_store_n(&tb.go, seq, __ATOMIC_RELEASE);
        rt_sev();
    } else {
        __atomic_store_n(&ready[t].v, seq, __ATOMIC_RELEASE);
        rt_sev();
        wait_reach(&tb.go, seq);
        deadline = ((uint64_t)tb.deadline_hi << 32) | tb.deadline_lo;
    }
    while (rt_ticks() < deadline)
        ;
}

/* ---- one thread's batch ---------------------------------------------------- */

static void run_batch(int t)
{
    const struct thread_plan *p = &plans[t];
    uint32_t n = ctl.n, seq = ctl.seq0, cell = ctl.cell, nthreads = ctl.nthreads;
    uint32_t base = (uint32_t)ctl.cells, jitter = (uint32_t)lrt_params.jitter;
    uint32_t jrng = lrt_seed_mix((uint32_t)lrt_params.seed, seq * 8u + (uint32_t)t + 1);
    int timebase = lrt_params.sync == LRT_SYNC_TIMEBASE;
    uint32_t *res = p->res;
    uint32_t regs[LITMUS_NREGS];

    icache_sync_local();
    for (uint32_t i = 0; i < n; i++, seq++, base += cell) {
        for (unsigned r = 0; r < LITMUS_NREGS; r++)
            regs[r] = p->regs[r] + (((p->loc_regs >> r) & 1u) ? base : 0);
        if (timebase)
            timebase_sync(t, seq, nthreads);
        else
            barrier_sync(seq, nthreads);
        if (jitter)
            for (uint32_t k = lrt_rand(&jrng) % jitter; k; k--)
                __asm__ volatile("" ::: "memory");
        lrt_call(regs, p->code);
        for (unsigned k = 0; k < p->nres; k++)
            res[k] = regs[p->res_reg[k]];
        res += p->nres;
    }
}

/* ---- CPU 0: planning and collecting ------------------------------------------ */

static uintptr_t arena_start(void)
{
    return ((uintptr_t)__heap_start + 4095u) & ~(uintptr_t)4095u;
}

static uint32_t arena_size(void)
{
    uint32_t n = RAM_END - (uint32_t)arena_start();

    return n < ARENA_MAX ? n : ARENA_MAX;
}

static void prepare_plans(const struct litmus_desc *d)
{
    for (unsigned t = 0; t < d->nthreads; t++) {
        plans[t].code = (uint32_t)code_pages[t];
        plans[t].nres = 0;
    }
    for (unsigned o = 0; o < d->nouts; o++) {
        const struct litmus_out_desc *out = &d->outs[o];
        struct thread_plan *p = &plans[out->thread];

        if (out->kind != LITMUS_OUT_REG)
            continue;
        out_slot[o] = (uint8_t)p->nres;
        p->res_reg[p->nres++] = (uint8_t)out->reg;
    }
}

static void assign_cpus(const struct litmus_desc *d)
{
    uint8_t cpus[RT_MAX_CPUS];
    unsigned ncpus = (unsigned)rt_ncpus();

    for (unsigned c = 0; c < RT_MAX_CPUS; c++) {
        cpus[c] = (uint8_t)c;
        ctl.thread_of[c] = -1;
    }
    for (unsigned t = 0; lrt_params.affinity && t < d->nthreads; t++) {
        unsigned j = t + lrt_rand(&rng) % (ncpus - t);
        uint8_t c = cpus[t];

        cpus[t] = cpus[j];
        cpus[j] = c;
    }
    for (unsigned t = 0; t < d->nthreads; t++)
        ctl.thread_of[cpus[t]] = (int8_t)t;
}

static void place_locations(const struct litmus_desc *d)
{
    static const uint32_t strides[] = { 4, 8, 64, 128, 4096 };
    uint32_t perm[LITMUS_MAX_LOCS];
    unsigned nlocs = d->nlocs ? d->nlocs : 1;

    place.stride = lrt_params.stride ? (uint32_t)lrt_params.stride
                                     : strides[lrt_rand(&rng) % (sizeof(strides) / 4)];
    place.offset = (lrt_rand(&rng) % 16) * 4;
    for (unsigned k = 0; k < d->nlocs; k++)
        perm[k] = k;
    for (unsigned k = d->nlocs; k > 1; k--) {
        unsigned j = lrt_rand(&rng) % k;
        uint32_t x = perm[k - 1];

        perm[k - 1] = perm[j];
        perm[j] = x;
    }
    for (unsigned k = 0; k < d->nlocs; k++)
        place.loc_off[k] = place.offset + perm[k] * place.stride;
    place.cell = (place.offset + nlocs * place.stride + 63u) & ~63u;
}

/* Arena: each thread's result rows (64-byte aligned), then the cells. */
static void plan_run(const struct litmus_desc *d)
{
    uint32_t per_iter = 0, slack = 4096 + 64 * LITMUS_MAX_THREADS;
    uintptr_t p = arena_start();

    place_locations(d);
    assign_cpus(d);
    for (unsigned t = 0; t < d->nthreads; t++)
        per_iter += 4 * plans[t].nres;
    place.batch = (arena_size() - slack) / (place.cell + per_iter);
    if (place.batch > lrt_params.size)
        place.batch = (uint32_t)lrt_params.size;
    if (place.batch < 1)
        place.batch = 1;
    for (unsigned t = 0; t < d->nthreads; t++) {
        const struct litmus_thread_desc *th = &d->threads[t];
        struct thread_plan *tp = &plans[t];

        tp->res = (uint32_t *)p;
        p += (place.batch * 4 * tp->nres + 63u) & ~63u;
        tp->loc_regs = 0;
        for (unsigned r = 0; r < LITMUS_NREGS; r++) {
            tp->regs[r] = th->reg_kind[r] == LITMUS_REG_CONST ? th->reg_value[r]
                          : th->reg_kind[r] == LITMUS_REG_LOC ? place.loc_off[th->reg_value[r]]
                          : 0;
            if (th->reg_kind[r] == LITMUS_REG_LOC)
                tp->loc_regs |= 1u << r;
        }
    }
    place.cells = (p + 4095u) & ~(uintptr_t)4095u;
}

/* Every location of the batch's cells to its initial value: a constant,
 * or (LITMUS_LOC_ADDR) the address of a location in the same cell. */
static void reset_cells(const struct litmus_desc *d, uint32_t n)
{
    uintptr_t base = place.cells;

    for (uint32_t i = 0; i < n; i++, base += place.cell) {
        for (unsigned k = 0; k < d->nlocs; k++) {
            uint32_t v = d->loc_init[k];

            if (d->loc_kind[k] == LITMUS_LOC_ADDR)
                v = (uint32_t)base + place.loc_off[v];
            *(volatile uint32_t *)(base + place.loc_off[k]) = v;
        }
    }
}

/* A value that is the address of a location in its own cell becomes that
 * location's index, with its bit set in the mask. */
static uint32_t symbolize(uint32_t v, uint32_t base, unsigned o, uint32_t *mask,
                          const struct litmus_desc *d)
{
    uint32_t rel = v - base;

    if (rel >= place.cell)
        return v;
    for (unsigned k = 0; k < d->nlocs; k++) {
        if (place.loc_off[k] == rel) {
            *mask |= 1u << o;
            return k;
        }
    }
    return v;
}

static int collect(const struct litmus_desc *d, uint32_t n)
{
    uint32_t vals[LITMUS_MAX_OUTS];
    uint32_t base = (uint32_t)place.cells;

    for (uint32_t i = 0; i < n; i++, base += place.cell) {
        uint32_t mask = 0;

        for (unsigned o = 0; o < d->nouts; o++) {
            const struct litmus_out_desc *out = &d->outs[o];
            const struct thread_plan *tp = &plans[out->thread];
            uint32_t v = out->kind == LITMUS_OUT_REG
                         ? tp->res[i * tp->nres + out_slot[o]]
                         : *(volatile uint32_t *)(base + place.loc_off[out->loc]);

            vals[o] = symbolize(v, base, o, &mask, d);
        }
        if (lrt_hist_add(vals, mask) < 0) {
            rt_printf("Bail out! test %s has more than %d distinct final states\n", d->name,
                      LRT_MAX_STATES);
            return -1;
        }
    }
    return 0;
}

static void publish(uint32_t gen)
{
    __atomic_store_n(&ctl.gen, gen, __ATOMIC_RELEASE);
    rt_sev();
}

static int coordinate(const struct litmus_desc *d, unsigned ncpus_used)
{
    uint32_t seq = 1, gen = 0, expected = 0;
    int status = 0;

    for (unsigned long run = 0; run < lrt_params.runs && !status; run++) {
        uint32_t n;

        plan_run(d);
        for (unsigned long done = 0; done < lrt_params.size && !status; done += n) {
            struct nap_wait w = NAP_WAIT_INIT;

            n = place.batch < lrt_params.size - done ? place.batch
                                                     : (uint32_t)(lrt_params.size - done);
            reset_cells(d, n);
            ctl.n = n;
            ctl.seq0 = seq;
            ctl.cells = place.cells;
            ctl.cell = place.cell;
            seq += n;
            publish(++gen);
            expected += ncpus_used - 1;
            if (ctl.thread_of[0] >= 0)
                run_batch(ctl.thread_of[0]);
            while (__atomic_load_n(&batches_done, __ATOMIC_ACQUIRE) != expected)
                nap_wait(&w);
            status = collect(d, n);
        }
    }
    ctl.stop = 1;
    publish(++gen);
    return status;
}

/* CPUs 1..: wait for a batch (or the stop) with long naps: a late start
 * costs at most IDLE_NAP_US per batch, while short naps on several idle
 * vCPUs keep waking host threads for nothing. */
#define IDLE_NAP_US 1000

static void follow(int cpu)
{
    uint32_t seen = 0;

    for (;;) {
        uint32_t gen;

        for (unsigned n = 0; (gen = __atomic_load_n(&ctl.gen, __ATOMIC_ACQUIRE)) == seen; n++) {
            if (n < TIGHT_POLLS)
                rt_wfe();
            else
                nap_us(IDLE_NAP_US);
        }
        seen = gen;
        if (ctl.stop)
            return;
        if (ctl.thread_of[cpu] >= 0)
            run_batch(ctl.thread_of[cpu]);
        __atomic_add_fetch(&batches_done, 1, __ATOMIC_RELEASE);
        rt_sev();
    }
}

static void lrt_cpu(int cpu, void *arg)
{
    const struct litmus_desc *d = arg;

    if (cpu == 0)
        run_status = coordinate(d, lrt_params.affinity ? (unsigned)rt_ncpus() : d->nthreads);
    else
        follow(cpu);
}

int lrt_run_all(const struct litmus_desc *d)
{
    unsigned ncpus_used = lrt_params.affinity ? (unsigned)rt_ncpus() : d->nthreads;

    prepare_plans(d);
    spin_ticks = (uint64_t)rt_tick_freq() * lrt_params.spin / 1000000u;
    rng = lrt_seed_mix((uint32_t)lrt_params.seed, 0);
    ctl.nthreads = d->nthreads;
    rt_smp_run((int)ncpus_used, lrt_cpu, (void *)d);
    return run_status;
}
