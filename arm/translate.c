/*
 * translate.c — the A32 translator's core: the TB loop, conditions,
 * register access, PC writes, exceptions, the flag generators, the
 * shifter, and the runtime helpers they call. The instruction groups live
 * in translate_<group>.c.
 *
 * A TB is a run of A32 instructions starting at tb->pc. It stops after
 * an instruction that ends it (dc.end != ARM_END_NEXT), after
 * opts->max_insns instructions, or before an instruction that would not
 * lie wholly inside tb->code_len (a TB never crosses its page).
 *
 * Per instruction: insn_start (the backend records the address in
 * cpu->insn_pc, so a helper or a fault knows which instruction raised),
 * the fetch, the decode, the condition (a branch over the instruction
 * to a skip label), then each group in turn until one claims the line.
 *
 * Every value lives in env between instructions: registers in r[], the
 * flags in NF/ZF/CF/VF. Nothing is cached in temps across instructions,
 * so a helper or fault never sees stale state.
 */
#include "arm/translate.h"

#include "tcg/interp.h"
#include "util/fatal.h"

#include <stdarg.h>

/* ---- runtime helpers ---------------------------------------------------- */

/* args: excp, syndrome. */
static uint64_t helper_exception(void *env, const uint64_t *args)
{
    arm_cpu_raise(env, (enum arm_excp)args[0], (uint32_t)args[1]);
}

/* args: the instruction word. A line that decodes but that no group
 * claims: logged under -d unimp, then UNDEFINED. */
static uint64_t helper_unimp_insn(void *env, const uint64_t *args)
{
    struct arm_insn in;
    uint32_t raw = (uint32_t)args[0];

    arm_decode(raw, &in);
    arm_log_unimp(env, "unimplemented instruction 0x%08x (%s)", raw, arm_insn_name(in.line));
    arm_cpu_raise(env, ARM_EXCP_UDEF, 0);
}

/* args: the interworking target. Thumb state is not implemented. */
static uint64_t helper_thumb_branch(void *env, const uint64_t *args)
{
    arm_log_unimp(env, "unimplemented: Thumb state (branch to 0x%08x)", (uint32_t)args[0]);
    arm_cpu_raise(env, ARM_EXCP_UDEF, 0);
}

/* No args: a TB was asked for in Thumb state (an exception return with
 * SPSR.T set). */
static uint64_t helper_thumb_tb(void *env, const uint64_t *args)
{
    struct arm_cpu *cpu = env;

    (void)args;
    arm_log_unimp(cpu, "unimplemented: Thumb state at 0x%08x", cpu->insn_pc);
    arm_cpu_raise(cpu, ARM_EXCP_UDEF, 0);
}

/* No args: the PC is not word-aligned in ARM state (a BX-style write
 * with bits [1:0] = 10 gets there): a prefetch abort with the alignment
 * fault status, IFAR = the PC, as QEMU does. */
static uint64_t helper_pc_alignment(void *env, const uint64_t *args)
{
    struct arm_cpu *cpu = env;

    (void)args;
    arm_cpu_raise_prefetch_abort(cpu, 0x1, cpu->insn_pc);
}

static const struct tcg_helper h_exception = {
    "arm_exception", helper_exception, TCG_CALL_WRITES_ENV };
static const struct tcg_helper h_unimp_insn = {
    "arm_unimp_insn", helper_unimp_insn, TCG_CALL_WRITES_ENV };
static const struct tcg_helper h_thumb_branch = {
    "arm_thumb_branch", helper_thumb_branch, TCG_CALL_WRITES_ENV };
static const struct tcg_helper h_thumb_tb = {
    "arm_thumb_tb", helper_thumb_tb, TCG_CALL_WRITES_ENV };
static const struct tcg_helper h_pc_alignment = {
    "arm_pc_alignment", helper_pc_alignment, TCG_CALL_WRITES_ENV };

/* ---- the toolkit: registers, PC writes, exceptions ---------------------- */

tcg_temp arm_load_reg(struct arm_dc *dc, unsigned r)
{
    if (r == 15)
        return tcg_const_i32(dc->s, dc->pc + 8);
    tcg_temp t = tcg_temp_new_i32(dc->s);
    tcg_gen_ld_env_i32(dc->s, t, ARM_ENV(r[r]));
    return t;
}

/* Sets r15 and leaves for the exec loop, which finds the next TB by PC. */
static void store_pc_and_exit(struct arm_dc *dc, tcg_temp v, uint32_t clear)
{
    tcg_temp t = tcg_temp_new_i32(dc->s);

    tcg_gen_andi_i32(dc->s, t, v, ~clear);
    tcg_gen_st_env_i32(dc->s, t, ARM_ENV(r[15]));
    tcg_gen_exit_tb(dc->s, TCG_EXIT_LOOKUP);
    dc->end = ARM_END_JUMP;
}

void arm_store_reg(struct arm_dc *dc, unsigned r, tcg_temp v)
{
    if (r != 15) {
        tcg_gen_st_env_i32(dc->s, v, ARM_ENV(r[r]));
        return;
    }
    store_pc_and_exit(dc, v, 3);
}

/* BXWritePC: bit 0 would enter Thumb state (not implemented: UNDEFINED
 * with a -d unimp line). Bits [1:0] = 10 are UNPREDICTABLE in ARM state:
 * as on QEMU, bit 1 stays and the TB at that PC raises a prefetch abort
 * (gen_bad_state_tb). */
void arm_store_reg_bx(struct arm_dc *dc, unsigned r, tcg_temp v)
{
    if (r != 15) {
        tcg_gen_st_env_i32(dc->s, v, ARM_ENV(r[r]));
        return;
    }
    tcg_label arm = tcg_label_new(dc->s);
    tcg_temp bit0 = tcg_temp_new_i32(dc->s);

    tcg_gen_andi_i32(dc->s, bit0, v, 1);
    tcg_gen_brcondi_i32(dc->s, TCG_COND_EQ, bit0, 0, arm);
    arm_gen_helper(dc, &h_thumb_branch, TCG_NO_RESULT, 1, v);
    tcg_gen_set_label(dc->s, arm);
    store_pc_and_exit(dc, v, 0);
}

void arm_gen_jump(struct arm_dc *dc, uint32_t dest)
{
    tcg_temp t = tcg_const_i32(dc->s, dest);

    tcg_gen_st_env_i32(dc->s, t, ARM_ENV(r[15]));
    tcg_gen_goto_tb(dc->s, 0);
    tcg_gen_exit_tb(dc->s, TCG_EXIT_GOTO_TB(0));
    dc->end = ARM_END_JUMP;
}

/* Always sets ARM_END_NORETURN; the TB loop turns that back into
 * ARM_END_NEXT for a conditional instruction, whose not-taken path goes
 * on with the next instruction. */
void arm_gen_exception(struct arm_dc *dc, enum arm_excp excp, uint32_t syndrome)
{
    tcg_temp e = tcg_const_i32(dc->s, (uint32_t)excp);
    tcg_temp syn = tcg_const_i32(dc->s, syndrome);

    arm_gen_helper(dc, &h_exception, TCG_NO_RESULT, 2, e, syn);
    dc->end = ARM_END_NORETURN;
}

void arm_gen_helper(struct arm_dc *dc, const struct tcg_helper *h, tcg_temp ret,
                    unsigned n, ...)
{
    tcg_temp args[TCG_MAX_CALL_ARGS];
    va_list ap;

    if (n > TCG_MAX_CALL_ARGS)
        fatal("arm_gen_helper: %s with %u arguments", h->name, n);
    va_start(ap, n);
    for (unsigned i = 0; i < n; i++)
        args[i] = va_arg(ap, tcg_temp);
    va_end(ap);
    tcg_gen_call(dc->s, h, ret, n, args);
}

/* ---- flags ------------------------------------------------------------------ */

static void st_flag(struct arm_dc *dc, tcg_temp v, size_t off)
{
    tcg_gen_st_env_i32(dc->s, v, off);
}

void arm_gen_nz(struct arm_dc *dc, tcg_temp res)
{
    st_flag(dc, res, ARM_ENV(NF));
    st_flag(dc, res, ARM_ENV(ZF));
}

/* V of a + b = res: the operands agree in sign and the result does not.
 * (For a - b pass ~b: the same formula gives (res ^ a) & (a ^ b).) */
static void gen_add_overflow(struct arm_dc *dc, tcg_temp res, tcg_temp a, tcg_temp b)
{
    tcg_temp v = tcg_temp_new_i32(dc->s), t = tcg_temp_new_i32(dc->s);

    tcg_gen_xor_i32(dc->s, v, res, a);
    tcg_gen_xor_i32(dc->s, t, a, b);
    tcg_gen_andc_i32(dc->s, v, v, t);
    st_flag(dc, v, ARM_ENV(VF));
}

void arm_gen_add_cc(struct arm_dc *dc, tcg_temp d, tcg_temp a, tcg_temp b)
{
    tcg_temp zero = tcg_const_i32(dc->s, 0);
    tcg_temp res = tcg_temp_new_i32(dc->s), c = tcg_temp_new_i32(dc->s);

    tcg_gen_add2_i32(dc->s, res, c, a, zero, b, zero);
    st_flag(dc, c, ARM_ENV(CF));
    gen_add_overflow(dc, res, a, b);
    arm_gen_nz(dc, res);
    tcg_gen_mov_i32(dc->s, d, res);
}

/* a + b + C as two double-word adds: the carry out is the high word. */
void arm_gen_adc_cc(struct arm_dc *dc, tcg_temp d, tcg_temp a, tcg_temp b)
{
    tcg_temp zero = tcg_const_i32(dc->s, 0);
    tcg_temp cin = tcg_temp_new_i32(dc->s);
    tcg_temp lo = tcg_temp_new_i32(dc->s), hi = tcg_temp_new_i32(dc->s);
    tcg_temp res = tcg_temp_new_i32(dc->s), c = tcg_temp_new_i32(dc->s);

    tcg_gen_ld_env_i32(dc->s, cin, ARM_ENV(CF));
    tcg_gen_add2_i32(dc->s, lo, hi, a, zero, cin, zero);
    tcg_gen_add2_i32(dc->s, res, c, lo, hi, b, zero);
    st_flag(dc, c, ARM_ENV(CF));
    gen_add_overflow(dc, res, a, b);
    arm_gen_nz(dc, res);
    tcg_gen_mov_i32(dc->s, d, res);
}

/* C of a - b is NOT borrow: a >= b unsigned. */
void arm_gen_sub_cc(struct arm_dc *dc, tcg_temp d, tcg_temp a, tcg_temp b)
{
    tcg_temp res = tcg_temp_new_i32(dc->s), c = tcg_temp_new_i32(dc->s);
    tcg_temp v = tcg_temp_new_i32(dc->s), t = tcg_temp_new_i32(dc->s);

    tcg_gen_sub_i32(dc->s, res, a, b);
    tcg_gen_setcond_i32(dc->s, TCG_COND_GEU, c, a, b);
    st_flag(dc, c, ARM_ENV(CF));
    tcg_gen_xor_i32(dc->s, v, res, a);
    tcg_gen_xor_i32(dc->s, t, a, b);
    tcg_gen_and_i32(dc->s, v, v, t);
    st_flag(dc, v, ARM_ENV(VF));
    arm_gen_nz(dc, res);
    tcg_gen_mov_i32(dc->s, d, res);
}

/* a - b - !C = a + ~b + C, exactly, flags included. */
void arm_gen_sbc_cc(struct arm_dc *dc, tcg_temp d, tcg_temp a, tcg_temp b)
{
    tcg_temp nb = tcg_temp_new_i32(dc->s);

    tcg_gen_not_i32(dc->s, nb, b);
    arm_gen_adc_cc(dc, d, a, nb);
}

/* ---- the shifter ---------------------------------------------------------- */

/* CF = bit n of v. */
static void gen_carry_bit(struct arm_dc *dc, tcg_temp v, unsigned n)
{
    tcg_temp c = tcg_temp_new_i32(dc->s);

    tcg_gen_shri_i32(dc->s, c, v, n);
    tcg_gen_andi_i32(dc->s, c, c, 1);
    st_flag(dc, c, ARM_ENV(CF));
}

/* RRX: C into bit 31, bit 0 into C. Old C is read before it is written. */
static void gen_rrx(struct arm_dc *dc, tcg_temp r, tcg_temp v, bool set_carry)
{
    tcg_temp cin = tcg_temp_new_i32(dc->s);

    tcg_gen_ld_env_i32(dc->s, cin, ARM_ENV(CF));
    tcg_gen_shli_i32(dc->s, cin, cin, 31);
    tcg_gen_shri_i32(dc->s, r, v, 1);
    tcg_gen_or_i32(dc->s, r, r, cin);
    if (set_carry)
        gen_carry_bit(dc, v, 0);
}

tcg_temp arm_gen_shift_imm(struct arm_dc *dc, tcg_temp v, unsigned type, unsigned amount,
                           bool set_carry)
{
    tcg_temp r = tcg_temp_new_i32(dc->s);

    amount &= 31;
    switch (type & 3) {
    case 0:   /* LSL; #0 leaves value and C alone */
        if (set_carry && amount)
            gen_carry_bit(dc, v, 32 - amount);
        tcg_gen_shli_i32(dc->s, r, v, amount);
        break;
    case 1:   /* LSR; #0 means #32 */
        if (set_carry)
            gen_carry_bit(dc, v, amount ? amount - 1 : 31);
        if (amount)
            tcg_gen_shri_i32(dc->s, r, v, amount);
        else
            tcg_gen_movi_i32(dc->s, r, 0);
        break;
    case 2:   /* ASR; #0 means #32, which gives the same as #31 */
        if (set_carry)
            gen_carry_bit(dc, v, amount ? amount - 1 : 31);
        tcg_gen_sari_i32(dc->s, r, v, amount ? amount : 31);
        break;
    default:  /* ROR; #0 means RRX */
        if (!amount) {
            gen_rrx(dc, r, v, set_carry);
            break;
        }
        if (set_carry)
            gen_carry_bit(dc, v, amount - 1);
        tcg_gen_rotri_i32(dc->s, r, v, amount);
        break;
    }
    return r;
}

/* For a register shift: C = bit ((sel) & 31) of v, 0 when amt > zero_above,
 * unchanged when amt == 0. */
static void gen_reg_carry(struct arm_dc *dc, tcg_temp v, tcg_temp amt, tcg_temp sel,
                          uint32_t zero_above)
{
    struct tcg_ctx *s = dc->s;
    tcg_temp c = tcg_temp_new_i32(s), old = tcg_temp_new_i32(s);
    tcg_temp zero = tcg_const_i32(s, 0), lim = tcg_const_i32(s, zero_above);

    tcg_gen_andi_i32(s, sel, sel, 31);
    tcg_gen_shr_i32(s, c, v, sel);
    tcg_gen_andi_i32(s, c, c, 1);
    tcg_gen_movcond_i32(s, TCG_COND_GTU, c, amt, lim, zero, c);
    tcg_gen_ld_env_i32(s, old, ARM_ENV(CF));
    tcg_gen_movcond_i32(s, TCG_COND_EQ, c, amt, zero, old, c);
    st_flag(dc, c, ARM_ENV(CF));
}

/* Register amounts are the bottom byte, 0..255: LSL/LSR by 32 or more
 * give 0, ASR by 32 or more gives the sign, ROR is modulo 32. The IR's
 * shifts are modulo 32, so the large amounts are chosen with movcond. */
tcg_temp arm_gen_shift_reg(struct arm_dc *dc, tcg_temp v, unsigned type, tcg_temp amount,
                           bool set_carry)
{
    struct tcg_ctx *s = dc->s;
    tcg_temp r = tcg_temp_new_i32(s), amt = tcg_temp_new_i32(s);
    tcg_temp sel = tcg_temp_new_i32(s), c31 = tcg_const_i32(s, 31);
    tcg_temp zero = tcg_const_i32(s, 0);

    tcg_gen_andi_i32(s, amt, amount, 0xff);
    switch (type & 3) {
    case 0:   /* LSL: C = bit 32 - amt */
        if (set_carry) {
            tcg_gen_neg_i32(s, sel, amt);
            gen_reg_carry(dc, v, amt, sel, 32);
        }
        tcg_gen_shl_i32(s, r, v, amt);
        tcg_gen_movcond_i32(s, TCG_COND_GTU, r, amt, c31, zero, r);
        break;
    case 1:   /* LSR: C = bit amt - 1 */
        if (set_carry) {
            tcg_gen_subi_i32(s, sel, amt, 1);
            gen_reg_carry(dc, v, amt, sel, 32);
        }
        tcg_gen_shr_i32(s, r, v, amt);
        tcg_gen_movcond_i32(s, TCG_COND_GTU, r, amt, c31, zero, r);
        break;
    case 2:   /* ASR: amounts of 32 and more act as 32 */
        if (set_carry) {
            tcg_temp c32 = tcg_const_i32(s, 32);
            tcg_gen_movcond_i32(s, TCG_COND_GTU, sel, amt, c32, c32, amt);
            tcg_gen_subi_i32(s, sel, sel, 1);
            gen_reg_carry(dc, v, amt, sel, 255);
        }
        tcg_gen_movcond_i32(s, TCG_COND_GTU, sel, amt, c31, c31, amt);
        tcg_gen_sar_i32(s, r, v, sel);
        break;
    default:  /* ROR: C = bit 31 of the result */
        tcg_gen_rotr_i32(s, r, v, amt);
        if (set_carry) {
            tcg_gen_movi_i32(s, sel, 31);
            gen_reg_carry(dc, r, amt, sel, 255);
        }
        break;
    }
    return r;
}

/* ---- conditions ----------------------------------------------------------- */

static tcg_temp load_flag(struct arm_dc *dc, size_t off)
{
    tcg_temp t = tcg_temp_new_i32(dc->s);
    tcg_gen_ld_env_i32(dc->s, t, off);
    return t;
}

/* Emits a branch to skip taken when cond (0..13) FAILS. Each condition
 * is reduced to one comparison of one value against 0. */
static void gen_skip_unless(struct arm_dc *dc, unsigned cond, tcg_label skip)
{
    struct tcg_ctx *s = dc->s;
    enum tcg_cond fail;   /* for the even (positive) condition */
    tcg_temp v;

    switch (cond >> 1) {
    case 0: v = load_flag(dc, ARM_ENV(ZF)); fail = TCG_COND_NE; break;   /* EQ: Z */
    case 1: v = load_flag(dc, ARM_ENV(CF)); fail = TCG_COND_EQ; break;   /* CS: C */
    case 2: v = load_flag(dc, ARM_ENV(NF)); fail = TCG_COND_GE; break;   /* MI: N */
    case 3: v = load_flag(dc, ARM_ENV(VF)); fail = TCG_COND_GE; break;   /* VS: V */
    case 4:                                                               /* HI: C && !Z */
        v = load_flag(dc, ARM_ENV(CF));
        tcg_gen_neg_i32(s, v, v);
        tcg_gen_and_i32(s, v, v, load_flag(dc, ARM_ENV(ZF)));
        fail = TCG_COND_EQ;
        break;
    case 5:                                                               /* GE: N == V */
        v = load_flag(dc, ARM_ENV(NF));
        tcg_gen_xor_i32(s, v, v, load_flag(dc, ARM_ENV(VF)));
        fail = TCG_COND_LT;
        break;
    default: {                                                            /* GT: !Z && N == V */
        tcg_temp nv = load_flag(dc, ARM_ENV(NF));
        tcg_gen_xor_i32(s, nv, nv, load_flag(dc, ARM_ENV(VF)));
        tcg_gen_sari_i32(s, nv, nv, 31);
        v = load_flag(dc, ARM_ENV(ZF));
        tcg_gen_andc_i32(s, v, v, nv);
        fail = TCG_COND_EQ;
        break;
    }
    }
    if (cond & 1)
        fail = tcg_cond_invert(fail);
    tcg_gen_brcondi_i32(s, fail, v, 0, skip);
}

/* ---- one instruction ------------------------------------------------------ */

typedef enum arm_trans group_fn(struct arm_dc *dc, const struct arm_insn *in);

static group_fn *const groups[] = {
    arm_translate_dp, arm_translate_mul, arm_translate_media,
    arm_translate_mem, arm_translate_sys,
};

/* Offers the line to each group. A group that answers UNDEF after
 * emitting ops has them dropped, so UNDEF is always a clean exception. */
static void dispatch(struct arm_dc *dc, const struct arm_insn *in)
{
    size_t mark = dc->s->n_ops;

    for (size_t g = 0; g < sizeof groups / sizeof groups[0]; g++) {
        enum arm_trans r = groups[g](dc, in);
        if (r == ARM_TRANS_OK)
            return;
        if (r == ARM_TRANS_UNDEF) {
            dc->s->n_ops = mark;
            dc->end = ARM_END_NEXT;
            arm_gen_exception(dc, ARM_EXCP_UDEF, 0);
            return;
        }
        dc->s->n_ops = mark;
        dc->end = ARM_END_NEXT;
    }
    tcg_temp raw = tcg_const_i32(dc->s, in->raw);
    arm_gen_helper(dc, &h_unimp_insn, TCG_NO_RESULT, 1, raw);
    dc->end = ARM_END_NORETURN;
}

/* Ends the not-taken path of a conditional instruction that left the TB:
 * on to the next instruction through jump slot 1. */
static void gen_fallthrough(struct arm_dc *dc)
{
    tcg_temp t = tcg_const_i32(dc->s, dc->pc + 4);

    tcg_gen_st_env_i32(dc->s, t, ARM_ENV(r[15]));
    tcg_gen_goto_tb(dc->s, 1);
    tcg_gen_exit_tb(dc->s, TCG_EXIT_GOTO_TB(1));
}

static void translate_insn(struct arm_dc *dc, uint32_t word)
{
    struct arm_insn in;
    unsigned cond = word >> 28;
    bool conditional = cond < 0xe;
    tcg_label skip = 0;

    tcg_gen_insn_start(dc->s, dc->pc, 0);
    if (conditional) {
        skip = tcg_label_new(dc->s);
        gen_skip_unless(dc, cond, skip);
    }
    if (arm_decode(word, &in))
        dispatch(dc, &in);
    else
        arm_gen_exception(dc, ARM_EXCP_UDEF, 0);
    if (!conditional)
        return;
    tcg_gen_set_label(dc->s, skip);
    if (dc->end == ARM_END_NORETURN)
        dc->end = ARM_END_NEXT;
    else if (dc->end == ARM_END_JUMP)
        gen_fallthrough(dc);
}

/* ---- the TB ------------------------------------------------------------------ */

static void gen_tb_end(struct arm_dc *dc, uint32_t next_pc)
{
    tcg_temp t;

    switch (dc->end) {
    case ARM_END_NEXT:
        t = tcg_const_i32(dc->s, next_pc);
        tcg_gen_st_env_i32(dc->s, t, ARM_ENV(r[15]));
        tcg_gen_goto_tb(dc->s, 0);
        tcg_gen_exit_tb(dc->s, TCG_EXIT_GOTO_TB(0));
        break;
    case ARM_END_UPDATE:
        t = tcg_const_i32(dc->s, next_pc);
        tcg_gen_st_env_i32(dc->s, t, ARM_ENV(r[15]));
        tcg_gen_exit_tb(dc->s, TCG_EXIT_LOOKUP);
        break;
    case ARM_END_JUMP:
        break;
    case ARM_END_NORETURN:
        /* Never reached (the helper does not return), but every op list
         * ends in a TB exit, whatever the backend assumes. */
        tcg_gen_exit_tb(dc->s, TCG_EXIT_LOOKUP);
        break;
    }
}

static void dc_init(struct arm_dc *dc, struct tcg_ctx *s, const struct arm_tb_desc *tb,
                    const struct arm_translate_opts *opts)
{
    dc->s = s;
    dc->opts = opts;
    dc->pc = tb->pc;
    dc->flags = tb->flags;
    dc->privileged = ARM_TBFLAG_MODE(tb->flags) != ARM_MODE_USR;
    dc->mmu_idx = dc->privileged ? ARM_MMU_IDX_PL1 : ARM_MMU_IDX_PL0;
    dc->be_data = (tb->flags & ARM_TBFLAG_BE_DATA) != 0;
    dc->end = ARM_END_NEXT;
}

/* A TB that only raises: Thumb state, or a PC that is not word-aligned
 * (or too close to the page end for a whole instruction). */
static bool gen_bad_state_tb(struct arm_dc *dc, const struct arm_tb_desc *tb,
                             struct arm_tb_result *out)
{
    const struct tcg_helper *h;

    if (tb->flags & ARM_TBFLAG_THUMB)
        h = &h_thumb_tb;
    else if ((tb->pc & 3) || tb->code_len < 4)
        h = &h_pc_alignment;
    else
        return false;
    tcg_gen_insn_start(dc->s, dc->pc, 0);
    arm_gen_helper(dc, h, TCG_NO_RESULT, 0);
    dc->end = ARM_END_NORETURN;
    gen_tb_end(dc, tb->pc);
    out->size = tb->code_len < 2 ? tb->code_len : 2;
    out->n_insns = 1;
    return true;
}

void arm_translate_tb(struct tcg_ctx *s, const struct arm_tb_desc *tb,
                      const struct arm_translate_opts *opts, struct arm_tb_result *out)
{
    static const struct arm_translate_opts no_opts;
    struct arm_dc dc;
    unsigned max = opts && opts->max_insns ? opts->max_insns : 128;
    uint32_t off = 0;
    unsigned n = 0;

    tcg_ctx_reset(s);
    s->insn_start_offset = offsetof(struct arm_cpu, insn_pc);
    dc_init(&dc, s, tb, opts ? opts : &no_opts);
    if (gen_bad_state_tb(&dc, tb, out))
        return;
    do {
        const uint8_t *p = tb->code + off;
        uint32_t word = (uint32_t)p[0] | (uint32_t)p[1] << 8 |
                        (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
        dc.pc = tb->pc + off;
        translate_insn(&dc, word);
        off += 4;
        n++;
    } while (dc.end == ARM_END_NEXT && n < max && off + 4 <= tb->code_len);
    gen_tb_end(&dc, tb->pc + off);
    out->size = off;
    out->n_insns = n;
}
