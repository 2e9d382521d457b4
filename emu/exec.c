/*
 * exec.c — the exec loop: find or translate the TB at a vCPU's PC, run it,
 * take exceptions and interrupts between TBs, and share the host thread
 * among the vCPUs (thread=single).
 *
 * Leaving generated code: a fault or event inside a TB (arm_cpu_raise())
 * siglongjmps back to run_quantum(), which handles cpu->exception and goes
 * on. Nothing in the loop is kept in non-volatile locals across that jump.
 *
 * Each vCPU has a direct-mapped jump cache in front of the TB hash table;
 * both are forgotten when the cache flushes or invalidates (the cache's
 * generation number changes).
 *
 * Chaining: when a TB leaves by its goto_tb exit n and the loop's next TB
 * starts at the PC that exit stored, on the same guest page and with the
 * same flags, slot n is linked to it (emu_tb_link()) and later runs jump
 * straight there. A chained run ends at the quantum's TB budget or when
 * the vCPU's exit_request is set: by an interrupt line, an exclusive
 * section, or the end of the run. Off under sched=chaos (its schedule is
 * counted in TBs the loop starts, and its virtual clock moves before each
 * one) and with -d nochain.
 *
 * Sharing the thread: emu/sched.c picks the next runnable vCPU and its
 * quantum (round-robin, or a seeded random schedule); timers are checked
 * after every quantum, so with a virtual clock (sched=chaos) interrupts
 * arrive at points that depend only on the schedule.
 */
#include "emu/exec.h"

#include "arm/translate.h"
#include "emu/cpu_services.h"
#include "emu/disas.h"
#include "emu/gic.h"
#include "emu/psci.h"
#include "emu/sched.h"
#include "emu/semihost.h"
#include "emu/tbcache.h"
#include "tcg/interp.h"
#include "util/fatal.h"
#include "util/fence.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#define JC_BITS        12
#define JC_SIZE        (1u << JC_BITS)
#define IDLE_SLEEP_NS  10000000ull
#define MULTI_QUANTUM  1024          /* TBs between a vCPU thread's timer checks */
#define PARK_MAX_NS    100000000ull  /* a parked thread looks at the world this often */
#define STEP_CACHE     16            /* exclusive-step translations kept per vCPU */

/* What every vCPU shares: read-only once the run starts. */
struct exec_state {
    struct emu_machine *m;
    struct arm_translate_opts opts;
    bool chain;                      /* link TBs (see the top of this file) */
};

/* One vCPU's exec state, owned by the thread that runs it. */
struct vcpu_exec {
    struct exec_state *x;
    struct emu_vcpu *v;
    struct tcg_ctx *ctx;             /* its translator's IR */
    uint64_t jc_generation;          /* the flush generation jc[] belongs to */
    struct emu_tb *jc[JC_SIZE];      /* the jump cache: written only by this thread */
    uint32_t code[EMU_PAGE_SIZE / 4];    /* the guest code being translated, copied */
    struct step_entry {              /* an exclusive step's translation, by PC */
        uint32_t pc, flags, word;    /* what it was translated from */
        void *code;                  /* compiled (malloc'd, never in the code buffer) */
        size_t cap;
    } step[STEP_CACHE];
    /* How generated code runs for this vCPU; its chain_budget is what is
     * left of the quantum, in TBs. Kept here, not on run_quantum()'s
     * stack, so a fault's siglongjmp finds it as the interpreter left it. */
    struct tcg_interp_run run;
    /* The goto_tb exit the last TB left by, to link to the next TB found:
     * from's slot, the PC it stored, the flush generation then. */
    struct emu_tb *link_from;
    unsigned link_slot;
    uint32_t link_pc;
    uint64_t link_generation;
    uint64_t n_tbs, n_insns;         /* counted here, added to the stats per quantum:
                                      * shared counters bumped per TB would bounce
                                      * their cache line between vCPU threads */
    pthread_t thread;
};

/* ---- finding TBs ------------------------------------------------------------ */

static void jc_forget_if_stale(struct vcpu_exec *t)
{
    uint64_t gen = emu_tb_generation(t->x->m->tbs);
    if (gen != t->jc_generation) {
        memset(t->jc, 0, sizeof(t->jc));
        t->jc_generation = gen;
    }
}

/* Copies len bytes of guest code at host with single-copy-atomic reads:
 * another vCPU may be writing it. */
static void copy_code(uint32_t *dst, const uint8_t *host, size_t len)
{
    for (size_t i = 0; i < len; i += 4)
        dst[i / 4] = (uint32_t)emu_ram_read(host + i, len - i >= 4 ? 4 : 1);
}

static void log_translation(struct vcpu_exec *t, const struct arm_tb_desc *d,
                            const struct arm_tb_result *r)
{
    struct emu_machine *m = t->x->m;
    flockfile(m->log);
    if (m->debug & EMU_DEBUG_IN_ASM)
        emu_disas_log(m->log, d->pc, d->code, r->size);
    if (m->debug & EMU_DEBUG_OP) {
        fprintf(m->log, "OP after optimization:\n");
        tcg_dump_ops(t->ctx, m->log);
        fputc('\n', m->log);
    }
    funlockfile(m->log);
}

/* Translates the block at pc into t->ctx (optimized); code_len bytes of
 * guest code at most. */
static void translate_ir(struct vcpu_exec *t, const struct arm_translate_opts *opts,
                         uint32_t pc, uint32_t flags, const uint8_t *host, size_t code_len,
                         struct arm_tb_result *r)
{
    copy_code(t->code, host, code_len);
    struct arm_tb_desc d = { .pc = pc, .flags = flags, .code = (const uint8_t *)t->code,
                             .code_len = code_len };
    arm_translate_tb(t->ctx, &d, opts, r);
    tcg_optimize(t->ctx);
    if (t->x->m->debug & (EMU_DEBUG_IN_ASM | EMU_DEBUG_OP))
        log_translation(t, &d, r);
}

/* The code buffer is full: flush it, stop-the-world, unless another
 * vCPU flushed since generation seen. */
static void flush_code_buffer(struct vcpu_exec *t, uint64_t seen)
{
    struct emu_machine *m = t->x->m;
    emu_excl_start(&m->excl, (int)t->v->cpu.index);
    if (emu_tb_generation(m->tbs) == seen) {
        emu_tb_flush(m->tbs, seen);
        EMU_STAT_INC(&m->stats, tb_flushes);
    }
    emu_excl_end(&m->excl, (int)t->v->cpu.index);
    jc_forget_if_stale(t);
}

/* True when the guest bytes a TB was translated from are still those in
 * memory, after marking them as code (emu_tb_notify_store() says why). */
static bool code_unchanged(struct vcpu_exec *t, uint64_t phys, const uint8_t *host, uint32_t size)
{
    struct emu_machine *m = t->x->m;
    emu_tb_mark_code(m->tbs, phys, size);
    if (m->one_thread)
        return true;
    host_full_fence();
    const uint8_t *seen = (const uint8_t *)t->code;
    for (uint32_t i = 0; i < size; i++)
        if ((uint8_t)emu_ram_read(host + i, 1) != seen[i])
            return false;
    return true;
}

/* Translates and publishes the TB at pc. The insert is refused if a store
 * changed code meanwhile; then the translation starts again, as it does
 * after a flush. */
static struct emu_tb *translate(struct vcpu_exec *t, uint32_t pc, uint64_t phys,
                                uint32_t flags, const uint8_t *host)
{
    struct emu_machine *m = t->x->m;
    unsigned ctx = t->v->cpu.index;
    bool ram = emu_phys_classify(m, phys) == EMU_PHYS_RAM;
    struct arm_translate_opts opts = t->x->opts;
    for (;;) {
        uint64_t smc = emu_tb_smc_generation(m->tbs), gen = emu_tb_generation(m->tbs);
        struct arm_tb_result r;
        translate_ir(t, &opts, pc, flags, host, EMU_PAGE_SIZE - (pc & (EMU_PAGE_SIZE - 1)), &r);
        if (ram && !code_unchanged(t, phys, host, r.size)) {
            EMU_STAT_INC(&m->stats, tb_retranslations);
            continue;
        }
        size_t need = tcg_interp_code_size(t->ctx);
        if (need > emu_tb_max_code_size(m->tbs)) {
            /* Too big for one region (a small tb-size cut into many):
             * a TB of half the instructions, as often as it takes. */
            if (r.n_insns <= 1)
                fatal("a region of the code buffer (tb-size) cannot hold the one instruction "
                      "at 0x%08x (%zu bytes compiled)", pc, need);
            opts.max_insns = r.n_insns / 2;
            EMU_STAT_INC(&m->stats, tb_retranslations);
            continue;
        }
        struct emu_tb *tb = emu_tb_alloc(m->tbs, ctx, need);
        if (tb == NULL) {
            /* Other vCPUs may fill the fresh regions before this one gets
             * its turn: then it flushes again. */
            flush_code_buffer(t, gen);
            continue;
        }
        size_t used = tcg_interp_compile(t->ctx, tb->code, need);
        if (used == 0)
            fatal("tcg_interp_compile: %zu bytes were not enough", need);
        emu_tb_commit(m->tbs, ctx, tb, used);
        tb->pc = pc;
        tb->flags = flags;
        tb->phys_pc = phys;
        tb->size = r.size;
        tb->n_insns = r.n_insns;
        struct emu_tb *got = emu_tb_insert(m->tbs, tb, smc);
        if (got == NULL) {
            EMU_STAT_INC(&m->stats, tb_retranslations);
            continue;
        }
        EMU_STAT_INC(&m->stats, tbs_translated);
        EMU_STAT_ADD(&m->stats, code_bytes, used);
        return got;
    }
}

static struct emu_tb *tb_find(struct vcpu_exec *t)
{
    struct emu_vcpu *v = t->v;
    struct arm_cpu *cpu = &v->cpu;
    uint32_t pc = cpu->r[15];
    uint32_t flags = arm_cpu_tb_flags(cpu);
    uint64_t phys = emu_mmu_translate_fetch(v, pc);     /* may raise a prefetch abort */
    jc_forget_if_stale(t);
    struct emu_tb **slot = &t->jc[(pc >> 2) & (JC_SIZE - 1)];
    struct emu_tb *tb = *slot;
    if (tb != NULL && tb->pc == pc && tb->phys_pc == phys && tb->flags == flags &&
        !atomic_load_explicit(&tb->invalid, memory_order_relaxed))
        return tb;
    tb = emu_tb_lookup(t->x->m->tbs, pc, phys, flags);
    if (tb == NULL) {
        const uint8_t *host = emu_phys_host(t->x->m, phys);
        if (host == NULL)
            arm_cpu_raise_prefetch_abort(cpu, emu_fsr_external_abort(cpu, false), pc);
        EMU_STAT_INC(&t->x->m->stats, tb_lookups_missed);
        tb = translate(t, pc, phys, flags, host);
    }
    *slot = tb;
    return tb;
}

/* ---- the exclusive step --------------------------------------------------------- */

void emu_exec_need_exclusive(struct emu_vcpu *v)
{
    if (v->m->one_thread || v->in_excl_step)
        return;
    arm_cpu_raise(&v->cpu, ARM_EXCP_EXCL_STEP, 0);
}

static void end_exclusive_step(struct vcpu_exec *t)
{
    if (!t->v->in_excl_step)
        return;
    t->v->in_excl_step = false;
    emu_excl_end(&t->x->m->excl, (int)t->v->cpu.index);
}

/* The compiled code of the one instruction at the PC, translated into
 * private memory (no flush can pull it away). Kept by PC: with the world
 * stopped nobody can change the word, so comparing it is exact, and a
 * STREX under llsc=stw, run as a step every time, is translated once. */
static const void *step_code(struct vcpu_exec *t, uint32_t pc, const uint8_t *host)
{
    struct arm_cpu *cpu = &t->v->cpu;
    uint32_t flags = arm_cpu_tb_flags(cpu);
    uint32_t word = (uint32_t)emu_ram_read(host, 4);
    struct step_entry *e = &t->step[(pc >> 2) % STEP_CACHE];
    if (e->code != NULL && e->pc == pc && e->flags == flags && e->word == word)
        return e->code;
    struct arm_translate_opts opts = t->x->opts;
    opts.max_insns = 1;
    struct arm_tb_result r;
    translate_ir(t, &opts, pc, flags, host, 4, &r);
    size_t need = tcg_interp_code_size(t->ctx);
    if (need > e->cap) {
        free(e->code);
        e->code = xmalloc(need);
        e->cap = need;
    }
    if (tcg_interp_compile(t->ctx, e->code, need) == 0)
        fatal("tcg_interp_compile: %zu bytes were not enough", need);
    e->pc = pc;
    e->flags = flags;
    e->word = word;
    return e->code;
}

/* Runs the instruction at the PC alone, every other vCPU stopped. A
 * fault inside leaves through run_quantum()'s sigsetjmp, which ends the
 * section. */
static void exclusive_step(struct vcpu_exec *t)
{
    struct emu_vcpu *v = t->v;
    struct emu_machine *m = t->x->m;
    struct arm_cpu *cpu = &v->cpu;
    v->in_excl_step = true;
    emu_excl_start(&m->excl, (int)cpu->index);
    EMU_STAT_INC(&m->stats, excl_steps);
    uint32_t pc = cpu->r[15];
    uint64_t phys = emu_mmu_translate_fetch(v, pc);
    const uint8_t *host = emu_phys_host(m, phys);
    if (host == NULL)
        arm_cpu_raise_prefetch_abort(cpu, emu_fsr_external_abort(cpu, false), pc);
    const void *code = step_code(t, pc, host);
    struct tcg_interp_run run = { .env = cpu, .mem = &emu_tcg_mem_ops, .exit_request = NULL };
    EMU_STAT_INC(&m->stats, insns);
    tcg_interp_exec(code, &run, NULL);   /* private code: never linked */
    end_exclusive_step(t);
}

/* ---- exceptions and events ---------------------------------------------------- */

static const char *excp_name(enum arm_excp e)
{
    static const char *const names[] = {
        [ARM_EXCP_NONE] = "none", [ARM_EXCP_UDEF] = "Undefined Instruction",
        [ARM_EXCP_SWI] = "SVC", [ARM_EXCP_PREFETCH_ABORT] = "Prefetch Abort",
        [ARM_EXCP_DATA_ABORT] = "Data Abort", [ARM_EXCP_IRQ] = "IRQ", [ARM_EXCP_FIQ] = "FIQ",
        [ARM_EXCP_BKPT] = "Breakpoint", [ARM_EXCP_HVC] = "HVC", [ARM_EXCP_SEMIHOST] = "Semihosting call",
        [ARM_EXCP_WFI] = "WFI", [ARM_EXCP_WFE] = "WFE", [ARM_EXCP_YIELD] = "YIELD",
        [ARM_EXCP_EXIT_TB] = "exit TB", [ARM_EXCP_EXCL_STEP] = "exclusive step",
    };
    return (unsigned)e < sizeof(names) / sizeof(names[0]) && names[e] ? names[e] : "?";
}

static void take_exception(struct emu_vcpu *v, enum arm_excp e)
{
    struct emu_machine *m = v->m;
    struct arm_cpu *cpu = &v->cpu;
    if (m->debug & EMU_DEBUG_INT) {
        pthread_mutex_lock(&m->dev_lock);
        fprintf(m->log, "Taking exception %d [%s] on cpu %u at pc 0x%08x\n", (int)e,
                excp_name(e), cpu->index,
                e == ARM_EXCP_IRQ || e == ARM_EXCP_FIQ ? cpu->r[15] : cpu->insn_pc);
        pthread_mutex_unlock(&m->dev_lock);
    }
    arm_cpu_do_exception(cpu, e);
    if (e == ARM_EXCP_IRQ || e == ARM_EXCP_FIQ)
        EMU_STAT_INC(&m->stats, interrupts);
    else
        EMU_STAT_INC(&m->stats, exceptions);
}

static bool interrupt_pending(const struct arm_cpu *cpu)
{
    return atomic_load_explicit(&((struct arm_cpu *)cpu)->irq_lines, memory_order_acquire) != 0;
}

static void park(struct emu_vcpu *v, enum emu_vcpu_state state)
{
    pthread_mutex_lock(&v->m->dev_lock);
    if (v->state == EMU_VCPU_RUNNING)
        v->state = state;
    emu_exec_kick(v);
    pthread_mutex_unlock(&v->m->dev_lock);
    EMU_STAT_INC(&v->m->stats, wfi_parks);
}

/* Handles what made the vCPU leave generated code. Returns false when the
 * vCPU's quantum is over (it parked, yielded, stopped, or the run ended). */
static bool handle_exit(struct vcpu_exec *t)
{
    struct emu_vcpu *v = t->v;
    struct emu_machine *m = t->x->m;
    struct arm_cpu *cpu = &v->cpu;
    enum arm_excp e = cpu->exception;
    cpu->exception = ARM_EXCP_NONE;
    switch (e) {
    case ARM_EXCP_UDEF: case ARM_EXCP_SWI: case ARM_EXCP_PREFETCH_ABORT:
    case ARM_EXCP_DATA_ABORT: case ARM_EXCP_BKPT: case ARM_EXCP_IRQ: case ARM_EXCP_FIQ:
        take_exception(v, e);
        return true;
    case ARM_EXCP_HVC:
        cpu->r[15] = cpu->insn_pc + 4;
        pthread_mutex_lock(&m->dev_lock);
        emu_psci_call(&m->psci, cpu);
        pthread_mutex_unlock(&m->dev_lock);
        break;
    case ARM_EXCP_SEMIHOST:
        cpu->r[15] = cpu->insn_pc + 4;
        if (m->semihost != NULL)
            emu_semihost_call(m->semihost, cpu);
        break;
    case ARM_EXCP_WFI:
        cpu->r[15] = cpu->insn_pc + 4;
        if (!interrupt_pending(cpu))
            park(v, EMU_VCPU_WFI);
        return false;
    case ARM_EXCP_WFE:
        cpu->r[15] = cpu->insn_pc + 4;
        if (!atomic_exchange(&cpu->event, false) && !interrupt_pending(cpu))
            park(v, EMU_VCPU_WFE);
        return false;
    case ARM_EXCP_YIELD:
        cpu->r[15] = cpu->insn_pc + 4;
        return false;
    case ARM_EXCP_EXIT_TB:
        cpu->r[15] = cpu->insn_pc + 4;
        return true;
    case ARM_EXCP_EXCL_STEP:
        cpu->r[15] = cpu->insn_pc;
        exclusive_step(t);
        return true;
    case ARM_EXCP_NONE:
        fatal("cpu %u left generated code without a reason", cpu->index);
    }
    return !atomic_load(&m->stop) && v->state == EMU_VCPU_RUNNING;
}

/* Takes a pending, unmasked interrupt at a TB boundary; true if it did. */
static bool take_interrupts(struct emu_vcpu *v)
{
    struct arm_cpu *cpu = &v->cpu;
    uint32_t lines = atomic_load_explicit(&cpu->irq_lines, memory_order_acquire);
    if ((lines & ARM_FIQ_LINE) && !(cpu->cpsr_rest & CPSR_F))
        take_exception(v, ARM_EXCP_FIQ);
    else if ((lines & ARM_IRQ_LINE) && !(cpu->cpsr_rest & CPSR_I))
        take_exception(v, ARM_EXCP_IRQ);
    else
        return false;
    return true;
}

/* Clears the vCPU's exit_request before the loop looks at why it was
 * set. The exchange reads the newest value and acquires it, so whatever
 * the requester stored before setting it (an interrupt line, a pending
 * section) is seen below; a request that comes after stays set and stops
 * the next chained jump. The plain load first keeps the common case free
 * of a locked instruction. */
static void clear_exit_request(struct emu_vcpu *v)
{
    if (atomic_load_explicit(&v->exit_request, memory_order_relaxed))
        atomic_exchange_explicit(&v->exit_request, 0, memory_order_acq_rel);
}

/* Links the TB the last one jumped out to, if that jump is what led here:
 * the PC its exit stored, no interrupt in between, the same guest page
 * (so the page's mapping that found the first TB holds for the second)
 * and the same flags, and no flush since. */
static void link_to(struct vcpu_exec *t, struct emu_tb *tb)
{
    struct emu_machine *m = t->x->m;
    struct emu_tb *from = t->link_from;
    t->link_from = NULL;
    if (from == NULL || tb->pc != t->link_pc || tb->flags != from->flags ||
        (tb->pc ^ from->pc) >> 12 != 0 || emu_tb_generation(m->tbs) != t->link_generation)
        return;
    if (!emu_tb_link(m->tbs, from, t->link_slot, tb))
        return;
    EMU_STAT_INC(&m->stats, tb_links);
    if (m->debug & EMU_DEBUG_EXEC)
        fprintf(m->log, "Linking TBs %p [%08x] index %u -> %p [%08x]\n", (void *)from, from->pc,
                t->link_slot, (void *)tb, tb->pc);
}

/* After a TB run: remember a goto_tb exit, to be linked. */
static void note_exit(struct vcpu_exec *t, uint64_t exit, const void *last_code)
{
    if (!t->x->chain || exit < TCG_EXIT_GOTO_TB(0) || exit > TCG_EXIT_GOTO_TB(1))
        return;
    t->link_from = emu_tb_of_code(last_code);
    t->link_slot = (unsigned)(exit - TCG_EXIT_GOTO_TB(0));
    t->link_pc = t->v->cpu.r[15];
    t->link_generation = emu_tb_generation(t->x->m->tbs);
}

static void add_counts(struct vcpu_exec *t)
{
    struct emu_stats *st = &t->x->m->stats;
    EMU_STAT_ADD(st, tbs_executed, t->n_tbs);
    EMU_STAT_ADD(st, tbs_chained, t->run.n_chained);
    EMU_STAT_ADD(st, insns, t->n_insns + t->run.n_chained_insns);
    t->n_tbs = t->n_insns = 0;
    t->run.n_chained = t->run.n_chained_insns = 0;
}

/* Runs the vCPU for up to quantum TBs, chained ones included. The
 * virtual clock, when there is one, moves by each TB's instructions
 * before it runs. Between TBs the vCPU takes interrupts and lets an
 * exclusive section in. */
static void run_quantum(struct vcpu_exec *t, unsigned quantum)
{
    struct emu_machine *m = t->x->m;
    struct emu_vcpu *v = t->v;
    struct arm_cpu *cpu = &v->cpu;

    t->run.chain_budget = quantum;
    t->link_from = NULL;
    if (sigsetjmp(cpu->jmp_env, 0) != 0) {
        t->link_from = NULL;
        end_exclusive_step(t);
        if (!handle_exit(t)) {
            add_counts(t);
            return;
        }
    }
    while (t->run.chain_budget > 0 && v->state == EMU_VCPU_RUNNING && !atomic_load(&m->stop)) {
        t->run.chain_budget--;
        clear_exit_request(v);
        if (emu_excl_check(&m->excl, cpu->index)) {
            /* The section may have reset or stopped this vCPU. */
            t->link_from = NULL;
            continue;
        }
        if (take_interrupts(v))
            t->link_from = NULL;
        struct emu_tb *tb = tb_find(t);
        link_to(t, tb);
        if (m->debug & EMU_DEBUG_EXEC)
            fprintf(m->log, "Trace %u: [%08x] cpu %u\n", cpu->index, tb->pc, cpu->index);
        t->n_tbs++;
        t->n_insns += tb->n_insns;
        gtimer_clock_advance(&m->clock, (uint64_t)tb->n_insns * GTIMER_TICKS_PER_INSN);
        const void *last = NULL;
        uint64_t exit = tcg_interp_exec(tb->code, &t->run, &last);
        note_exit(t, exit, last);
    }
    add_counts(t);
}

/* ---- scheduling ------------------------------------------------------------- */

void emu_exec_kick(struct emu_vcpu *v)
{
    struct arm_cpu *cpu = &v->cpu;
    enum emu_vcpu_state state = v->state;
    if (state == EMU_VCPU_WFI && interrupt_pending(cpu))
        v->state = EMU_VCPU_RUNNING;
    else if (state == EMU_VCPU_WFE && (interrupt_pending(cpu) || atomic_load(&cpu->event))) {
        atomic_store(&cpu->event, false);
        v->state = EMU_VCPU_RUNNING;
    }
    if (state != EMU_VCPU_RUNNING && v->state == EMU_VCPU_RUNNING)
        pthread_cond_signal(&v->wake);
}

static void sleep_ns(uint64_t ns)
{
    struct timespec ts = { .tv_sec = (time_t)(ns / 1000000000ull),
                           .tv_nsec = (long)(ns % 1000000000ull) };
    nanosleep(&ts, NULL);
}

/* Updates every vCPU's timers; returns the nanoseconds to the next deadline. */
static uint64_t update_timers(struct emu_machine *m)
{
    uint64_t next = UINT64_MAX;
    pthread_mutex_lock(&m->dev_lock);
    for (unsigned i = 0; i < m->n_cpus; i++) {
        struct emu_vcpu *v = &m->vcpus[i];
        emu_machine_update_timers(v);
        emu_exec_kick(v);
        if (v->timer_deadline_ns < next)
            next = v->timer_deadline_ns;
    }
    pthread_mutex_unlock(&m->dev_lock);
    return next;
}

/* Fills runnable[] from the vCPU states; true if any vCPU can run. */
static bool find_runnable(const struct emu_machine *m, bool *runnable)
{
    bool any = false;
    for (unsigned i = 0; i < m->n_cpus; i++)
        any |= runnable[i] = m->vcpus[i].state == EMU_VCPU_RUNNING;
    return any;
}

/* Every vCPU sleeps: wait for the next timer deadline. A virtual clock
 * jumps to it at once; the host clock is slept on, 10 ms at most at a
 * time. With no deadline nothing can wake a vCPU and the guest hangs, as
 * it would on QEMU, until it is killed. */
static void idle(struct emu_machine *m, uint64_t next_ns)
{
    if (m->clock.is_virtual && next_ns != UINT64_MAX)
        gtimer_clock_advance(&m->clock, next_ns / GTIMER_NS_PER_TICK);
    else
        sleep_ns(next_ns < IDLE_SLEEP_NS ? next_ns : IDLE_SLEEP_NS);
}

/* thread=single: one thread takes every vCPU in turn. */
static void run_single(struct emu_machine *m, struct vcpu_exec *ts)
{
    struct emu_sched sched;
    bool *runnable = xcalloc(m->n_cpus, sizeof(*runnable));
    emu_sched_init(&sched, m->cfg->sched, m->cfg->seed, m->n_cpus);
    ts[0].x->opts.max_insns = sched.tb_limit;
    while (!atomic_load(&m->stop)) {
        struct emu_sched_pick pick;
        find_runnable(m, runnable);
        bool ran = emu_sched_pick(&sched, runnable, &pick);
        if (ran) {
            emu_excl_exec_start(&m->excl, pick.cpu);
            run_quantum(&ts[pick.cpu], pick.quantum);
            emu_excl_exec_end(&m->excl, pick.cpu);
        }
        uint64_t next = update_timers(m);
        if (!ran && !find_runnable(m, runnable))
            idle(m, next);
    }
    free(runnable);
}

/* thread=multi: a parked (or off) vCPU's thread sleeps until something
 * makes the vCPU runnable, its own timer included. */
static void wait_until_runnable(struct vcpu_exec *t)
{
    struct emu_vcpu *v = t->v;
    struct emu_machine *m = t->x->m;
    pthread_mutex_lock(&m->dev_lock);
    emu_machine_update_timers(v);
    emu_exec_kick(v);
    while (v->state != EMU_VCPU_RUNNING && !atomic_load(&m->stop)) {
        uint64_t wait = v->timer_deadline_ns < PARK_MAX_NS ? v->timer_deadline_ns : PARK_MAX_NS;
        struct timespec ts;
        clock_gettime(CLOCK_MONOTONIC, &ts);
        uint64_t ns = (uint64_t)ts.tv_nsec + wait;
        ts.tv_sec += (time_t)(ns / 1000000000ull);
        ts.tv_nsec = (long)(ns % 1000000000ull);
        pthread_cond_timedwait(&v->wake, &m->dev_lock, &ts);
        emu_machine_update_timers(v);
        emu_exec_kick(v);
    }
    pthread_mutex_unlock(&m->dev_lock);
}

static void *vcpu_thread(void *arg)
{
    struct vcpu_exec *t = arg;
    struct emu_machine *m = t->x->m;
    unsigned index = t->v->cpu.index;
    while (!atomic_load(&m->stop)) {
        if (t->v->state == EMU_VCPU_RUNNING) {
            emu_excl_exec_start(&m->excl, index);
            run_quantum(t, MULTI_QUANTUM);
            emu_excl_exec_end(&m->excl, index);
        }
        wait_until_runnable(t);
    }
    return NULL;
}

static void run_multi(struct emu_machine *m, struct vcpu_exec *ts)
{
    for (unsigned i = 0; i < m->n_cpus; i++) {
        int err = pthread_create(&ts[i].thread, NULL, vcpu_thread, &ts[i]);
        if (err != 0)
            fatal("cannot start the thread of vCPU %u: %s", i, strerror(err));
    }
    for (unsigned i = 0; i < m->n_cpus; i++)
        pthread_join(ts[i].thread, NULL);
}

int emu_exec_run(struct emu_machine *m)
{
    struct exec_state x = { .m = m };
    x.opts.semihosting = m->cfg->semihosting;
    x.chain = !m->clock.is_virtual && !(m->debug & EMU_DEBUG_NOCHAIN);
    struct vcpu_exec *ts = xcalloc(m->n_cpus, sizeof(*ts));
    for (unsigned i = 0; i < m->n_cpus; i++) {
        ts[i].x = &x;
        ts[i].v = &m->vcpus[i];
        ts[i].ctx = tcg_ctx_new();
        ts[i].jc_generation = emu_tb_generation(m->tbs);
        ts[i].run = (struct tcg_interp_run){ .env = &m->vcpus[i].cpu, .mem = &emu_tcg_mem_ops,
                                             .exit_request = &m->vcpus[i].exit_request };
    }
    if (m->one_thread)
        run_single(m, ts);
    else
        run_multi(m, ts);
    for (unsigned i = 0; i < m->n_cpus; i++) {
        tcg_ctx_free(ts[i].ctx);
        for (unsigned k = 0; k < STEP_CACHE; k++)
            free(ts[i].step[k].code);
    }
    free(ts);
    atomic_store(&m->stats.excl_sections,
                 atomic_load_explicit(&m->excl.n_sections, memory_order_relaxed));
    return atomic_load(&m->exit_status);
}
