/*
 * translate.h — A32 to IR. arm_translate_tb() is the public entry; the
 * rest of this header is the toolkit the translator's files share
 * (translate.c: the TB loop, conditions, registers, PC writes, exceptions;
 * translate_dp.c, translate_mul.c, translate_media.c, translate_mem.c,
 * translate_sys.c: one small function per arm/a32.def line).
 *
 * Each translate_<group>.c exports one dispatcher,
 *     enum arm_trans arm_translate_<group>(struct arm_dc *dc, const struct arm_insn *in);
 * that handles the lines of its group and answers ARM_TRANS_NOT_MINE for
 * the others. translate.c asks each group in turn; a line no group claims
 * is UNDEFINED with a -d unimp line (tests/test_arm_translate.c checks
 * that every defined line is claimed).
 *
 * Conventions for a line's function:
 *  - The condition has already been tested (translate.c branches to the
 *    end of the instruction when it fails); the function emits only the
 *    instruction's effect.
 *  - Read registers with arm_load_reg() (r15 reads as the instruction's
 *    address + 8) and write them with arm_store_reg() and friends, which
 *    turn a write to r15 into a branch that ends the TB.
 *  - Anything that changes state a TB was translated for (mode, MMU,
 *    endianness) sets dc->end = ARM_END_UPDATE so the TB ends after it.
 *  - Return ARM_TRANS_UNDEF for an encoding that is UNDEFINED (or
 *    UNPREDICTABLE treated as UNDEFINED); translate.c then emits the
 *    exception.
 */
#ifndef ARM_TRANSLATE_H
#define ARM_TRANSLATE_H

#include "arm/cpu.h"
#include "arm/decode.h"
#include "tcg/ir.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* ---- the public entry -------------------------------------------------- */

struct arm_translate_opts {
    bool semihosting;          /* SVC 0x123456 and HLT 0xf000 trap to the runtime */
    unsigned max_insns;        /* TB size limit (0: the default, 128) */
};

struct arm_tb_desc {
    uint32_t pc;               /* guest virtual address of the first instruction */
    uint32_t flags;            /* arm_cpu_tb_flags() the TB is translated for */
    const uint8_t *code;       /* host pointer to the guest bytes at pc ... */
    uint32_t code_len;         /* ... valid up to here (the end of pc's page) */
};

struct arm_tb_result {
    uint32_t size;             /* guest bytes translated */
    unsigned n_insns;
};

/* Translates one TB into s (which it resets). Never fails: an undefined
 * instruction becomes code that raises the exception. */
void arm_translate_tb(struct tcg_ctx *s, const struct arm_tb_desc *tb,
                      const struct arm_translate_opts *opts, struct arm_tb_result *out);

/* ---- the toolkit -------------------------------------------------------- */

enum arm_trans { ARM_TRANS_OK, ARM_TRANS_UNDEF, ARM_TRANS_NOT_MINE };

enum arm_end {
    ARM_END_NEXT,      /* go on with the next instruction */
    ARM_END_UPDATE,    /* end the TB after this instruction; PC = next */
    ARM_END_JUMP,      /* this instruction wrote PC (the TB exit is already emitted) */
    ARM_END_NORETURN,  /* this instruction always raises: nothing follows */
};

struct arm_dc {
    struct tcg_ctx *s;
    const struct arm_translate_opts *opts;
    uint32_t pc;               /* address of the instruction being translated */
    uint32_t flags;            /* the TB's arm_cpu_tb_flags() */
    bool privileged;           /* mode != USR */
    unsigned mmu_idx;          /* enum arm_mmu_idx of normal loads and stores */
    bool be_data;              /* CPSR.E: data accesses are big-endian */
    enum arm_end end;
};

/* A new temp holding register r (r15: dc->pc + 8). */
tcg_temp arm_load_reg(struct arm_dc *dc, unsigned r);
/* Register r = v. r15: BranchWritePC (word-aligned), ends the TB. */
void arm_store_reg(struct arm_dc *dc, unsigned r, tcg_temp v);
/* r = v with interworking (BXWritePC; also ALUWritePC and LoadWritePC on
 * ARMv7 in ARM state): r15 with bit 0 set enters Thumb state, which
 * strex does not implement yet (-d unimp line, UNDEFINED). */
void arm_store_reg_bx(struct arm_dc *dc, unsigned r, tcg_temp v);

/* Ends the TB with a jump to the constant address dest (chainable). */
void arm_gen_jump(struct arm_dc *dc, uint32_t dest);

/* Raises excp for this instruction (insn_pc = dc->pc), with a syndrome for
 * the runtime events (the SVC/HVC immediate...). Sets ARM_END_NORETURN
 * when unconditional. */
void arm_gen_exception(struct arm_dc *dc, enum arm_excp excp, uint32_t syndrome);

/* Flags (arm/cpu.h encoding). res is a 32-bit result. */
void arm_gen_nz(struct arm_dc *dc, tcg_temp res);                    /* N, Z from res */
void arm_gen_add_cc(struct arm_dc *dc, tcg_temp d, tcg_temp a, tcg_temp b);  /* d = a + b, NZCV */
void arm_gen_adc_cc(struct arm_dc *dc, tcg_temp d, tcg_temp a, tcg_temp b);  /* d = a + b + C */
void arm_gen_sub_cc(struct arm_dc *dc, tcg_temp d, tcg_temp a, tcg_temp b);  /* d = a - b */
void arm_gen_sbc_cc(struct arm_dc *dc, tcg_temp d, tcg_temp a, tcg_temp b);  /* d = a - b - !C */

/* The shifter. shift_imm: type (0 LSL, 1 LSR, 2 ASR, 3 ROR; ROR #0 = RRX)
 * with the immediate amount as encoded (LSR/ASR #0 mean 32); shift_reg:
 * the amount is the bottom byte of a register. When set_carry, the
 * shifter's carry-out goes to CF (unchanged for a zero shift). Both
 * return a new temp. */
tcg_temp arm_gen_shift_imm(struct arm_dc *dc, tcg_temp v, unsigned type, unsigned amount,
                           bool set_carry);
tcg_temp arm_gen_shift_reg(struct arm_dc *dc, tcg_temp v, unsigned type, tcg_temp amount,
                           bool set_carry);

/* Helper calls with 0..4 arguments and an optional result (TCG_NO_RESULT). */
void arm_gen_helper(struct arm_dc *dc, const struct tcg_helper *h, tcg_temp ret,
                    unsigned n, ...);

/* CPU field offsets for ld_env/st_env. */
#define ARM_ENV(field) offsetof(struct arm_cpu, field)

/* The groups. */
enum arm_trans arm_translate_dp(struct arm_dc *dc, const struct arm_insn *in);
enum arm_trans arm_translate_mul(struct arm_dc *dc, const struct arm_insn *in);
enum arm_trans arm_translate_media(struct arm_dc *dc, const struct arm_insn *in);
enum arm_trans arm_translate_mem(struct arm_dc *dc, const struct arm_insn *in);
enum arm_trans arm_translate_sys(struct arm_dc *dc, const struct arm_insn *in);

#endif
