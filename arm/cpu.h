/*
 * cpu.h — the ARMv7-A CPU state and the few calls that change it as a
 * whole: reading and writing CPSR, switching modes (banked registers),
 * taking an exception, leaving generated code.
 *
 * The flags live apart from the rest of CPSR so translated code updates
 * them with plain IR ops, in the encoding QEMU made common:
 *   N = bit 31 of NF, Z = (ZF == 0), C = CF (0 or 1), V = bit 31 of VF,
 *   Q = QF (0 or 1), GE = GE bits [3:0].
 * r[0..15] are the current mode's view; the other modes' banked copies are
 * in the bank_* arrays and are swapped in by arm_cpu_switch_mode().
 *
 * Threads: a struct arm_cpu belongs to the thread running that vCPU. The
 * fields another thread may touch are _Atomic and say so (the interrupt
 * lines and the wake-up state, written by devices).
 */
#ifndef ARM_CPU_H
#define ARM_CPU_H

#include <setjmp.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

enum arm_mode {
    ARM_MODE_USR = 0x10, ARM_MODE_FIQ = 0x11, ARM_MODE_IRQ = 0x12,
    ARM_MODE_SVC = 0x13, ARM_MODE_MON = 0x16, ARM_MODE_ABT = 0x17,
    ARM_MODE_HYP = 0x1a, ARM_MODE_UND = 0x1b, ARM_MODE_SYS = 0x1f,
};

#define CPSR_M      0x1fu
#define CPSR_T      (1u << 5)
#define CPSR_F      (1u << 6)
#define CPSR_I      (1u << 7)
#define CPSR_A      (1u << 8)
#define CPSR_E      (1u << 9)
#define CPSR_IT_2_7 0xfc00u
#define CPSR_GE     (0xfu << 16)
#define CPSR_J      (1u << 24)
#define CPSR_IT_0_1 (3u << 25)
#define CPSR_Q      (1u << 27)
#define CPSR_NZCV   (0xfu << 28)

/* Banks for r13, r14 and SPSR: one per mode that has its own. */
enum arm_bank { ARM_BANK_USR, ARM_BANK_FIQ, ARM_BANK_IRQ, ARM_BANK_SVC,
                ARM_BANK_ABT, ARM_BANK_UND, ARM_BANK_MON, ARM_BANK_HYP, ARM_N_BANKS };

/* What makes the CPU leave generated code (arm_cpu_raise()). The first
 * group are architectural exceptions taken by arm_cpu_do_exception(); the
 * second are events the runtime handles and then resumes at insn_pc + 4. */
enum arm_excp {
    ARM_EXCP_NONE = 0,
    ARM_EXCP_UDEF,          /* undefined instruction: LR = insn + 4, UND mode */
    ARM_EXCP_SWI,           /* SVC: LR = insn + 4, SVC mode */
    ARM_EXCP_PREFETCH_ABORT,/* LR = insn + 4, ABT mode; IFSR/IFAR set by the raiser */
    ARM_EXCP_DATA_ABORT,    /* LR = insn + 8, ABT mode; DFSR/DFAR set by the raiser */
    ARM_EXCP_IRQ,           /* LR = next + 4, IRQ mode */
    ARM_EXCP_FIQ,           /* LR = next + 4, FIQ mode */
    ARM_EXCP_BKPT,          /* a prefetch abort with IFSR = debug event (0x2) */
    /* runtime events */
    ARM_EXCP_HVC,           /* PSCI call: r0-r3 in, r0 out */
    ARM_EXCP_SEMIHOST,      /* semihosting trap: r0 = op, r1 = arg */
    ARM_EXCP_WFI,           /* park until an interrupt is pending */
    ARM_EXCP_WFE,           /* park until an event or interrupt */
    ARM_EXCP_YIELD,         /* give the host thread to another vCPU */
    ARM_EXCP_EXIT_TB,       /* state changed (MSR, MCR...): look up the next TB */
    ARM_EXCP_EXCL_STEP,     /* run this instruction again, alone, with every other
                             * vCPU stopped (it needs the world to itself) */
};

/* The system registers the CPU keeps (arm/cp15.c reads and writes them). */
struct arm_cp15 {
    uint32_t sctlr, actlr, cpacr;
    uint32_t ttbr0_lo, ttbr0_hi, ttbr1_lo, ttbr1_hi, ttbcr;  /* 64-bit TTBRs under LPAE */
    uint32_t dacr;
    uint32_t dfsr, ifsr, dfar, ifar, adfsr, aifsr;
    uint32_t par_lo, par_hi;
    uint32_t prrr, nmrr;      /* MAIR0/MAIR1 under LPAE */
    uint32_t vbar, contextidr, tpidrurw, tpidruro, tpidrprw;
    uint32_t csselr;
    uint32_t cntkctl, cntv_ctl, cntp_ctl;
    uint64_t cntv_cval, cntp_cval, cntvoff;
};

#define SCTLR_M  (1u << 0)
#define SCTLR_A  (1u << 1)
#define SCTLR_V  (1u << 13)   /* high vectors at 0xffff0000 */
#define SCTLR_EE (1u << 25)
#define SCTLR_TE (1u << 30)
#define SCTLR_AFE (1u << 29)
#define TTBCR_EAE (1u << 31)

/* MMU indexes: which soft TLB a memory access uses. */
enum arm_mmu_idx { ARM_MMU_IDX_PL1 = 0, ARM_MMU_IDX_PL0 = 1, ARM_N_MMU_IDX = 2 };

struct arm_cpu {
    uint32_t r[16];
    uint32_t NF, ZF, CF, VF, QF, GE;
    uint32_t cpsr_rest;     /* every CPSR bit but N Z C V Q GE: mode, T, E, A, I, F */
    uint32_t spsr;          /* the current mode's SPSR (unused in USR/SYS) */
    uint32_t bank_r13[ARM_N_BANKS], bank_r14[ARM_N_BANKS], bank_spsr[ARM_N_BANKS];
    uint32_t usr_r8_12[5], fiq_r8_12[5];

    uint32_t insn_pc;       /* address of the instruction executing (insn_start) */

    /* The local exclusive monitor: LDREX sets it, STREX/CLREX clear it.
     * Exception entry and return keep it, as QEMU 7.2 does (the
     * llsc-monitor guest test checks this). Remote clears go through the
     * runtime (emu/). */
    bool excl_valid;
    uint32_t excl_addr;
    uint32_t excl_size;     /* bytes: 1, 2, 4 or 8 */
    uint64_t excl_val;

    struct arm_cp15 cp15;

    /* Leaving generated code. */
    enum arm_excp exception;
    uint32_t excp_syndrome; /* event data: the SVC/HVC immediate, ... */
    sigjmp_buf jmp_env;     /* set by the exec loop before running code */

    /* Set by devices on other threads. */
    _Atomic uint32_t irq_lines;   /* ARM_IRQ_LINE | ARM_FIQ_LINE */
    _Atomic bool event;           /* the WFE event register (SEV sets it) */

    unsigned index;         /* 0..smp-1: the vCPU number (MPIDR Aff0) */
    void *runtime;          /* the emu/ side's per-vCPU state */
};

#define ARM_IRQ_LINE (1u << 0)
#define ARM_FIQ_LINE (1u << 1)

/* Resets to the boot state of machine-contract.md: every register 0, SVC
 * mode, A/I/F masked, Z set, cp15 at its reset values. */
void arm_cpu_reset(struct arm_cpu *cpu, unsigned index);

uint32_t arm_cpsr_read(const struct arm_cpu *cpu);
/* Writes the CPSR bits in mask; a mode change switches banks. An illegal
 * mode in val is ignored (the mode stays), as on hardware. */
void arm_cpsr_write(struct arm_cpu *cpu, uint32_t val, uint32_t mask);
void arm_cpu_switch_mode(struct arm_cpu *cpu, enum arm_mode mode);
static inline enum arm_mode arm_cpu_mode(const struct arm_cpu *cpu)
{
    return (enum arm_mode)(cpu->cpsr_rest & CPSR_M);
}
static inline bool arm_mode_is_valid(uint32_t mode)
{
    switch (mode) {
    case ARM_MODE_USR: case ARM_MODE_FIQ: case ARM_MODE_IRQ: case ARM_MODE_SVC:
    case ARM_MODE_ABT: case ARM_MODE_UND: case ARM_MODE_SYS:
        return true;
    default:
        return false;   /* MON and HYP need the Security/Virtualization Extensions */
    }
}

/* The MMU index loads and stores of the current mode use. */
enum arm_mmu_idx arm_cpu_mmu_idx(const struct arm_cpu *cpu);

/* The CPU state a TB was translated for (part of the TB key): mode, T, E,
 * whether the MMU is on. Translated code may assume these hold. */
uint32_t arm_cpu_tb_flags(const struct arm_cpu *cpu);
#define ARM_TBFLAG_MODE(f)  ((f) & CPSR_M)
#define ARM_TBFLAG_THUMB    (1u << 5)
#define ARM_TBFLAG_BE_DATA  (1u << 9)
#define ARM_TBFLAG_MMU_ON   (1u << 16)
#define ARM_TBFLAG_ALIGN    (1u << 17)   /* SCTLR.A: every access must be aligned */

/* Enters exception excp (an architectural one): SPSR, banked LR with the
 * offset the architecture gives from insn_pc (synchronous) or r[15]
 * (asynchronous: the next instruction), mode, masks, PC at the vector
 * (VBAR or high vectors). Keeps the local exclusive monitor (QEMU 7.2). */
void arm_cpu_do_exception(struct arm_cpu *cpu, enum arm_excp excp);

/* An exception return (SUBS PC, LR; LDM ... ^; RFE): CPSR = spsr (all
 * bits, switching banks), then PC = pc (interworking as BXWritePC). */
void arm_cpu_exception_return(struct arm_cpu *cpu, uint32_t pc, uint32_t spsr);

/* Leaves generated code now: records excp and jumps back to the exec loop
 * (siglongjmp to jmp_env). cpu->insn_pc must name the instruction. */
_Noreturn void arm_cpu_raise(struct arm_cpu *cpu, enum arm_excp excp, uint32_t syndrome);

/* Raises a data abort (fsr, far into DFSR/DFAR) or prefetch abort. */
_Noreturn void arm_cpu_raise_data_abort(struct arm_cpu *cpu, uint32_t fsr, uint32_t far);
_Noreturn void arm_cpu_raise_prefetch_abort(struct arm_cpu *cpu, uint32_t fsr, uint32_t far);

/* -d unimp: where "unimplemented" lines go (NULL: nowhere). Set once at
 * start-up, before any vCPU runs. */
extern FILE *arm_unimp_log;
void arm_log_unimp(const struct arm_cpu *cpu, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

#endif
