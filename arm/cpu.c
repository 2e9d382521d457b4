/*
 * cpu.c — the ARMv7-A CPU state as a whole: reset, CPSR reads and writes,
 * banked registers, exception entry and return, leaving generated code.
 *
 * The CPSR is split (cpu.h): the flags live in NF/ZF/CF/VF/QF/GE so that
 * translated code sets them with plain IR ops, and cpsr_rest holds the
 * other bits. arm_cpsr_read() and arm_cpsr_write() are the only places
 * that convert between the split form and the architectural word.
 *
 * r[0..15] always hold the current mode's view. A mode change saves r13,
 * r14 and SPSR into the old mode's bank and loads the new mode's; FIQ also
 * swaps r8-r12. USR and SYS share one bank.
 *
 * Exception entry follows the ARMv7 TakeException() pseudocode for a CPU
 * without the Security and Virtualization Extensions (cortex-a15 as QEMU
 * 7.2 models it on -M virt). The local exclusive monitor survives both
 * entry and return: QEMU 7.2 keeps it, and the llsc-monitor guest test
 * pins that down.
 *
 * Threads: every function here runs on the thread that owns the vCPU;
 * only irq_lines and event are touched by others (and only atomically).
 */
#include "arm/cpu.h"

#include "util/fatal.h"

#include <stdarg.h>
#include <string.h>

FILE *arm_unimp_log;

/* Bits no cortex-a15 CPSR write can set: [23:20] are reserved and J is
 * RAZ/WI because the Jazelle extension is the trivial one (BXJ acts as BX). */
#define CPSR_RAZ_WI (0x00f00000u | CPSR_J)
#define CPSR_FLAG_BITS (CPSR_NZCV | CPSR_Q | CPSR_GE)
#define CPSR_IT (CPSR_IT_0_1 | CPSR_IT_2_7)

/* The boot state of machine-contract.md §2. */
#define RESET_CPSR 0x400001d3u
#define RESET_SCTLR 0x00c50078u

/* ---- reset ------------------------------------------------------------- */

static void reset_cp15(struct arm_cp15 *cp)
{
    memset(cp, 0, sizeof(*cp));
    cp->sctlr = RESET_SCTLR;
}

void arm_cpu_reset(struct arm_cpu *cpu, unsigned index)
{
    /* runtime and irq_lines belong to emu/ and the devices: kept. */
    memset(cpu->r, 0, sizeof(cpu->r));
    memset(cpu->bank_r13, 0, sizeof(cpu->bank_r13));
    memset(cpu->bank_r14, 0, sizeof(cpu->bank_r14));
    memset(cpu->bank_spsr, 0, sizeof(cpu->bank_spsr));
    memset(cpu->usr_r8_12, 0, sizeof(cpu->usr_r8_12));
    memset(cpu->fiq_r8_12, 0, sizeof(cpu->fiq_r8_12));
    cpu->spsr = 0;
    cpu->insn_pc = 0;
    cpu->excl_valid = false;
    cpu->excl_addr = 0;
    cpu->excl_size = 0;
    cpu->excl_val = 0;
    reset_cp15(&cpu->cp15);
    cpu->exception = ARM_EXCP_NONE;
    cpu->excp_syndrome = 0;
    atomic_store(&cpu->event, false);
    cpu->index = index;
    /* Start in SVC with every bank zeroed, so the write switches nothing. */
    cpu->cpsr_rest = ARM_MODE_SVC;
    arm_cpsr_write(cpu, RESET_CPSR, 0xffffffffu);
}

/* ---- CPSR -------------------------------------------------------------- */

uint32_t arm_cpsr_read(const struct arm_cpu *cpu)
{
    return (cpu->NF & 0x80000000u) | ((uint32_t)(cpu->ZF == 0) << 30) |
           ((cpu->CF & 1u) << 29) | ((cpu->VF >> 31) << 28) | ((cpu->QF & 1u) << 27) |
           ((cpu->GE & 0xfu) << 16) | cpu->cpsr_rest;
}

static void write_flags(struct arm_cpu *cpu, uint32_t val, uint32_t mask)
{
    if (mask & (1u << 31))
        cpu->NF = val & 0x80000000u;
    if (mask & (1u << 30))
        cpu->ZF = (val >> 30) & 1u ? 0 : 1;
    if (mask & (1u << 29))
        cpu->CF = (val >> 29) & 1u;
    if (mask & (1u << 28))
        cpu->VF = (val & (1u << 28)) << 3;
    if (mask & CPSR_Q)
        cpu->QF = (val >> 27) & 1u;
    if (mask & CPSR_GE) {
        uint32_t m = (mask & CPSR_GE) >> 16;

        cpu->GE = (cpu->GE & ~m) | ((val >> 16) & m);
    }
}

void arm_cpsr_write(struct arm_cpu *cpu, uint32_t val, uint32_t mask)
{
    mask &= ~CPSR_RAZ_WI;
    write_flags(cpu, val, mask & CPSR_FLAG_BITS);
    if (mask & CPSR_M) {
        uint32_t mode = (cpu->cpsr_rest & CPSR_M & ~mask) | (val & CPSR_M & mask);

        if (arm_mode_is_valid(mode))
            arm_cpu_switch_mode(cpu, (enum arm_mode)mode);
        mask &= ~CPSR_M;      /* an illegal mode leaves the mode as it was */
    }
    mask &= ~CPSR_FLAG_BITS;
    cpu->cpsr_rest = (cpu->cpsr_rest & ~mask) | (val & mask);
}

/* ---- banked registers -------------------------------------------------- */

static enum arm_bank bank_of(enum arm_mode mode)
{
    switch (mode) {
    case ARM_MODE_USR: case ARM_MODE_SYS: return ARM_BANK_USR;
    case ARM_MODE_FIQ: return ARM_BANK_FIQ;
    case ARM_MODE_IRQ: return ARM_BANK_IRQ;
    case ARM_MODE_SVC: return ARM_BANK_SVC;
    case ARM_MODE_ABT: return ARM_BANK_ABT;
    case ARM_MODE_UND: return ARM_BANK_UND;
    case ARM_MODE_MON: return ARM_BANK_MON;
    case ARM_MODE_HYP: return ARM_BANK_HYP;
    }
    fatal("arm_cpu_switch_mode: 0x%x is not a processor mode", (unsigned)mode);
}

static void swap_r8_r12(uint32_t *r, uint32_t *save, const uint32_t *load)
{
    memcpy(save, &r[8], 5 * sizeof(uint32_t));
    memcpy(&r[8], load, 5 * sizeof(uint32_t));
}

void arm_cpu_switch_mode(struct arm_cpu *cpu, enum arm_mode mode)
{
    enum arm_mode old = arm_cpu_mode(cpu);
    enum arm_bank ob = bank_of(old), nb = bank_of(mode);

    if (ob != nb) {
        cpu->bank_r13[ob] = cpu->r[13];
        cpu->bank_r14[ob] = cpu->r[14];
        cpu->bank_spsr[ob] = cpu->spsr;
        cpu->r[13] = cpu->bank_r13[nb];
        cpu->r[14] = cpu->bank_r14[nb];
        cpu->spsr = cpu->bank_spsr[nb];
    }
    if (old == ARM_MODE_FIQ && mode != ARM_MODE_FIQ)
        swap_r8_r12(cpu->r, cpu->fiq_r8_12, cpu->usr_r8_12);
    else if (old != ARM_MODE_FIQ && mode == ARM_MODE_FIQ)
        swap_r8_r12(cpu->r, cpu->usr_r8_12, cpu->fiq_r8_12);
    cpu->cpsr_rest = (cpu->cpsr_rest & ~CPSR_M) | (uint32_t)mode;
}

/* ---- what translated code may assume ------------------------------------ */

enum arm_mmu_idx arm_cpu_mmu_idx(const struct arm_cpu *cpu)
{
    return arm_cpu_mode(cpu) == ARM_MODE_USR ? ARM_MMU_IDX_PL0 : ARM_MMU_IDX_PL1;
}

uint32_t arm_cpu_tb_flags(const struct arm_cpu *cpu)
{
    uint32_t f = cpu->cpsr_rest & CPSR_M;

    if (cpu->cpsr_rest & CPSR_T)
        f |= ARM_TBFLAG_THUMB;
    if (cpu->cpsr_rest & CPSR_E)
        f |= ARM_TBFLAG_BE_DATA;
    if (cpu->cp15.sctlr & SCTLR_M)
        f |= ARM_TBFLAG_MMU_ON;
    if (cpu->cp15.sctlr & SCTLR_A)
        f |= ARM_TBFLAG_ALIGN;
    return f;
}

/* ---- exception entry and return ------------------------------------------ */

struct excp_entry {
    enum arm_mode mode;
    uint32_t vector;       /* offset from the vector base */
    bool from_next;        /* asynchronous: LR from r[15], the next instruction */
    uint32_t lr_offset;    /* added to insn_pc (or r[15]) */
    uint32_t masks;        /* CPSR bits set besides I */
};

static struct excp_entry excp_entry_of(enum arm_excp excp)
{
    switch (excp) {
    case ARM_EXCP_UDEF:           return (struct excp_entry){ ARM_MODE_UND, 0x04, false, 4, 0 };
    case ARM_EXCP_SWI:            return (struct excp_entry){ ARM_MODE_SVC, 0x08, false, 4, 0 };
    case ARM_EXCP_PREFETCH_ABORT:
    case ARM_EXCP_BKPT:           return (struct excp_entry){ ARM_MODE_ABT, 0x0c, false, 4, CPSR_A };
    case ARM_EXCP_DATA_ABORT:     return (struct excp_entry){ ARM_MODE_ABT, 0x10, false, 8, CPSR_A };
    case ARM_EXCP_IRQ:            return (struct excp_entry){ ARM_MODE_IRQ, 0x18, true, 4, CPSR_A };
    case ARM_EXCP_FIQ:
        return (struct excp_entry){ ARM_MODE_FIQ, 0x1c, true, 4, CPSR_A | CPSR_F };
    default:
        fatal("arm_cpu_do_exception: %d is not an architectural exception", (int)excp);
    }
}

/* BKPT with halting and monitor debug off is a prefetch abort reporting a
 * debug event; IFAR keeps its value. The IFSR format follows TTBCR.EAE. */
static void record_debug_event(struct arm_cpu *cpu)
{
    if (cpu->cp15.ttbcr & TTBCR_EAE)
        cpu->cp15.ifsr = (1u << 9) | 0x22u;
    else
        cpu->cp15.ifsr = 0x2u;
}

void arm_cpu_do_exception(struct arm_cpu *cpu, enum arm_excp excp)
{
    struct excp_entry e = excp_entry_of(excp);
    uint32_t old_cpsr = arm_cpsr_read(cpu);
    uint32_t lr = (e.from_next ? cpu->r[15] : cpu->insn_pc) + e.lr_offset;
    uint32_t sctlr = cpu->cp15.sctlr;
    uint32_t base = (sctlr & SCTLR_V) ? 0xffff0000u : cpu->cp15.vbar;

    if (excp == ARM_EXCP_BKPT)
        record_debug_event(cpu);
    arm_cpu_switch_mode(cpu, e.mode);
    cpu->spsr = old_cpsr;
    cpu->r[14] = lr;
    cpu->cpsr_rest &= ~(CPSR_IT | CPSR_J | CPSR_T | CPSR_E);
    cpu->cpsr_rest |= CPSR_I | e.masks;
    if (sctlr & SCTLR_EE)
        cpu->cpsr_rest |= CPSR_E;
    if (sctlr & SCTLR_TE)
        arm_log_unimp(cpu, "exception entry in Thumb state (SCTLR.TE): entering ARM state");
    cpu->r[15] = base + e.vector;
}

void arm_cpu_exception_return(struct arm_cpu *cpu, uint32_t pc, uint32_t spsr)
{
    arm_cpsr_write(cpu, spsr, 0xffffffffu);
    if (cpu->cpsr_rest & CPSR_T) {
        arm_log_unimp(cpu, "exception return to Thumb state at 0x%08x", pc & ~1u);
        cpu->r[15] = pc & ~1u;
    } else {
        cpu->r[15] = pc & ~3u;
    }
}

/* ---- leaving generated code ------------------------------------------------ */

_Noreturn void arm_cpu_raise(struct arm_cpu *cpu, enum arm_excp excp, uint32_t syndrome)
{
    cpu->exception = excp;
    cpu->excp_syndrome = syndrome;
    siglongjmp(cpu->jmp_env, 1);
}

_Noreturn void arm_cpu_raise_data_abort(struct arm_cpu *cpu, uint32_t fsr, uint32_t far)
{
    cpu->cp15.dfsr = fsr;
    cpu->cp15.dfar = far;
    arm_cpu_raise(cpu, ARM_EXCP_DATA_ABORT, 0);
}

_Noreturn void arm_cpu_raise_prefetch_abort(struct arm_cpu *cpu, uint32_t fsr, uint32_t far)
{
    cpu->cp15.ifsr = fsr;
    cpu->cp15.ifar = far;
    arm_cpu_raise(cpu, ARM_EXCP_PREFETCH_ABORT, 0);
}

/* ---- -d unimp ---------------------------------------------------------------- */

/* One fputs per line, so lines from several vCPUs never interleave. */
void arm_log_unimp(const struct arm_cpu *cpu, const char *fmt, ...)
{
    char line[512];
    int n;
    va_list ap;

    if (!arm_unimp_log)
        return;
    n = snprintf(line, sizeof(line), "unimp: cpu %u pc 0x%08x: ", cpu->index, cpu->insn_pc);
    va_start(ap, fmt);
    vsnprintf(line + n, sizeof(line) - (size_t)n - 1, fmt, ap);
    va_end(ap);
    strcat(line, "\n");
    fputs(line, arm_unimp_log);
}
