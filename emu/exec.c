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

#include <stdlib.h>
#include <string.h>
#include <time.h>

#define JC_BITS       12
#define JC_SIZE       (1u << JC_BITS)
#define IDLE_SLEEP_NS 10000000ull

struct exec_state {
    struct emu_machine *m;
    struct tcg_ctx *ctx;
    struct arm_translate_opts opts;
    struct emu_tb *(*jc)[JC_SIZE];    /* per vCPU */
    uint64_t jc_generation;
};

/* ---- finding TBs ------------------------------------------------------------ */

static void jc_forget_if_stale(struct exec_state *x)
{
    uint64_t gen = emu_tb_generation(x->m->tbs);
    if (gen != x->jc_generation) {
        memset(x->jc, 0, sizeof(*x->jc) * x->m->n_cpus);
        x->jc_generation = gen;
    }
}

static struct emu_tb *translate(struct exec_state *x, struct emu_vcpu *v, uint32_t pc,
                                uint64_t phys, uint32_t flags, const uint8_t *host)
{
    struct emu_machine *m = x->m;
    struct arm_tb_desc d = { .pc = pc, .flags = flags, .code = host,
                             .code_len = EMU_PAGE_SIZE - (pc & (EMU_PAGE_SIZE - 1)) };
    struct arm_tb_result r;
    arm_translate_tb(x->ctx, &d, &x->opts, &r);
    if (m->debug & EMU_DEBUG_IN_ASM)
        emu_disas_log(m->log, d.pc, d.code, r.size);
    tcg_optimize(x->ctx);
    if (m->debug & EMU_DEBUG_OP) {
        fprintf(m->log, "OP after optimization:\n");
        tcg_dump_ops(x->ctx, m->log);
        fputc('\n', m->log);
    }
    size_t need = tcg_interp_code_size(x->ctx);
    struct emu_tb *tb = emu_tb_alloc(m->tbs, need);
    if (tb == NULL) {
        emu_tb_flush(m->tbs);
        EMU_STAT_INC(&m->stats, tb_flushes);
        memset(m->code_pages, 0, m->ram_size >> EMU_PAGE_BITS);
        jc_forget_if_stale(x);
        tb = emu_tb_alloc(m->tbs, need);
        if (tb == NULL)
            fatal("the code buffer (tb-size) cannot hold one TB of %zu bytes", need);
    }
    size_t used = tcg_interp_compile(x->ctx, tb->code, need);
    if (used == 0)
        fatal("tcg_interp_compile: %zu bytes were not enough", need);
    emu_tb_commit(m->tbs, tb, used);
    tb->pc = pc;
    tb->flags = flags;
    tb->phys_pc = phys;
    tb->size = r.size;
    tb->n_insns = r.n_insns;
    emu_tb_insert(m->tbs, tb);
    if (emu_phys_classify(m, phys) == EMU_PHYS_RAM)
        m->code_pages[(phys - EMU_RAM_BASE) >> EMU_PAGE_BITS] = 1;
    EMU_STAT_INC(&m->stats, tbs_translated);
    EMU_STAT_ADD(&m->stats, code_bytes, used);
    (void)v;
    return tb;
}

static struct emu_tb *tb_find(struct exec_state *x, struct emu_vcpu *v)
{
    struct arm_cpu *cpu = &v->cpu;
    uint32_t pc = cpu->r[15];
    uint32_t flags = arm_cpu_tb_flags(cpu);
    uint64_t phys = emu_mmu_translate_fetch(v, pc);     /* may raise a prefetch abort */
    jc_forget_if_stale(x);
    struct emu_tb **slot = &x->jc[v->cpu.index][(pc >> 2) & (JC_SIZE - 1)];
    struct emu_tb *tb = *slot;
    if (tb != NULL && tb->pc == pc && tb->phys_pc == phys && tb->flags == flags)
        return tb;
    tb = emu_tb_lookup(x->m->tbs, pc, phys, flags);
    if (tb == NULL) {
        const uint8_t *host = emu_phys_host(x->m, phys);
        if (host == NULL) {
            arm_cpu_raise_prefetch_abort(cpu, emu_fsr_external_abort(cpu, false), pc);
        }
        EMU_STAT_INC(&x->m->stats, tb_lookups_missed);
        tb = translate(x, v, pc, phys, flags, host);
    }
    *slot = tb;
    return tb;
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
        [ARM_EXCP_EXIT_TB] = "exit TB",
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
static bool handle_exit(struct exec_state *x, struct emu_vcpu *v)
{
    struct emu_machine *m = x->m;
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
    case ARM_EXCP_NONE:
        fatal("cpu %u left generated code without a reason", cpu->index);
    }
    return !atomic_load(&m->stop) && v->state == EMU_VCPU_RUNNING;
}

/* Takes a pending, unmasked interrupt at a TB boundary. */
static void take_interrupts(struct emu_vcpu *v)
{
    struct arm_cpu *cpu = &v->cpu;
    uint32_t lines = atomic_load_explicit(&cpu->irq_lines, memory_order_acquire);
    if ((lines & ARM_FIQ_LINE) && !(cpu->cpsr_rest & CPSR_F))
        take_exception(v, ARM_EXCP_FIQ);
    else if ((lines & ARM_IRQ_LINE) && !(cpu->cpsr_rest & CPSR_I))
        take_exception(v, ARM_EXCP_IRQ);
}

/* Runs v for up to quantum TBs. The virtual clock, when there is one,
 * moves by each TB's instructions before it runs. */
static void run_quantum(struct exec_state *x, struct emu_vcpu *v, unsigned quantum)
{
    struct emu_machine *m = x->m;
    struct arm_cpu *cpu = &v->cpu;
    struct tcg_interp_run run = { .env = cpu, .mem = &emu_tcg_mem_ops, .exit_request = NULL };
    volatile unsigned budget = quantum;

    if (sigsetjmp(cpu->jmp_env, 0) != 0) {
        if (!handle_exit(x, v))
            return;
    }
    while (budget > 0 && v->state == EMU_VCPU_RUNNING && !atomic_load(&m->stop)) {
        budget--;
        take_interrupts(v);
        struct emu_tb *tb = tb_find(x, v);
        if (m->debug & EMU_DEBUG_EXEC)
            fprintf(m->log, "Trace %u: [%08x] cpu %u\n", cpu->index, tb->pc, cpu->index);
        EMU_STAT_INC(&m->stats, tbs_executed);
        EMU_STAT_ADD(&m->stats, insns, tb->n_insns);
        gtimer_clock_advance(&m->clock, (uint64_t)tb->n_insns * GTIMER_TICKS_PER_INSN);
        tcg_interp_exec(tb->code, &run, NULL);
    }
}

/* ---- scheduling ------------------------------------------------------------- */

void emu_exec_kick(struct emu_vcpu *v)
{
    struct arm_cpu *cpu = &v->cpu;
    if (v->state == EMU_VCPU_WFI && interrupt_pending(cpu))
        v->state = EMU_VCPU_RUNNING;
    else if (v->state == EMU_VCPU_WFE && (interrupt_pending(cpu) || atomic_load(&cpu->event))) {
        atomic_store(&cpu->event, false);
        v->state = EMU_VCPU_RUNNING;
    }
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

/* Fills runnable[] from the vCPU states; true if any vCPU can run. Read
 * without dev_lock: on one host thread nobody else changes them. */
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

int emu_exec_run(struct emu_machine *m)
{
    struct exec_state x = { .m = m, .ctx = tcg_ctx_new() };
    struct emu_sched sched;
    bool *runnable = xcalloc(m->n_cpus, sizeof(*runnable));
    x.opts.semihosting = m->cfg->semihosting;
    x.jc = xcalloc(m->n_cpus, sizeof(*x.jc));
    x.jc_generation = emu_tb_generation(m->tbs);
    emu_sched_init(&sched, m->cfg->sched, m->cfg->seed, m->n_cpus);
    x.opts.max_insns = sched.tb_limit;
    while (!atomic_load(&m->stop)) {
        struct emu_sched_pick pick;
        find_runnable(m, runnable);
        bool ran = emu_sched_pick(&sched, runnable, &pick);
        if (ran)
            run_quantum(&x, &m->vcpus[pick.cpu], pick.quantum);
        uint64_t next = update_timers(m);
        if (!ran && !find_runnable(m, runnable))
            idle(m, next);
    }
    free(runnable);
    free(x.jc);
    tcg_ctx_free(x.ctx);
    return atomic_load(&m->exit_status);
}
