/*
 * translate_mul.c — A32 multiplies and divides: MUL MLA MLS, the 64-bit
 * UMULL UMLAL SMULL SMLAL UMAAL, the DSP halfword and dual multiplies
 * (SMLAxy SMLAWy SMULWy SMLALxy SMULxy SMUAD SMLAD SMUSD SMLSD SMLALD
 * SMLSLD SMMUL SMMLA SMMLS), SDIV/UDIV and USAD8/USADA8.
 *
 * The common multiplies are plain IR (mul, mulu2/muls2, add2). The DSP
 * forms go through one C helper each for 32-bit and 64-bit results: their
 * operand selection, rounding and Q rules are easiest to get exactly
 * right as C, following the manual's pseudocode (for SMLAD/SMLSD the sum
 * is formed in full precision and Q set only when the final result does
 * not fit).
 *
 * A PC operand is UNPREDICTABLE and treated as UNDEFINED. RdHi == RdLo
 * (also UNPREDICTABLE) writes RdLo then RdHi, as the natural sequence
 * does.
 */
#include "arm/translate.h"

/* ---- the DSP helpers ------------------------------------------------------- */

/* Operand selectors passed to the helpers. */
#define SEL_X 1u   /* [N]: top half of Rn; for the dual forms [M]: swap Rm */
#define SEL_Y 2u   /* [M]: top half of Rm */
#define SEL_R 4u   /* [R]: round */

static int32_t half(uint32_t v, bool top)
{
    return (int16_t)(top ? v >> 16 : v);
}

/* Sets Q when the full-precision result does not fit in 32 bits. */
static uint32_t set_q_if_wide(struct arm_cpu *cpu, int64_t r)
{
    if (r != (int32_t)r)
        cpu->QF = 1;
    return (uint32_t)r;
}

/* The two products of the dual multiplies, Rm swapped when X. */
static void dual_products(uint32_t n, uint32_t m, unsigned sel, int64_t *p1, int64_t *p2)
{
    if (sel & SEL_X)
        m = m >> 16 | m << 16;
    *p1 = (int64_t)half(n, false) * half(m, false);
    *p2 = (int64_t)half(n, true) * half(m, true);
}

/* The high word of a + p (a 64-bit sum), rounded when R. */
static uint32_t most_significant(int64_t a_hi, int64_t p, bool sub, bool round)
{
    uint64_t acc = (uint64_t)a_hi << 32;

    acc = sub ? acc - (uint64_t)p : acc + (uint64_t)p;
    if (round)
        acc += 0x80000000u;
    return (uint32_t)(acc >> 32);
}

static uint32_t usad8(uint32_t n, uint32_t m)
{
    uint32_t sum = 0;

    for (int i = 0; i < 32; i += 8) {
        int d = (int)((n >> i) & 0xff) - (int)((m >> i) & 0xff);
        sum += (uint32_t)(d < 0 ? -d : d);
    }
    return sum;
}

/* args: line, sel, Rn, Rm, Ra (0 for the forms without one). */
static uint64_t helper_dsp32(void *env, const uint64_t *args)
{
    struct arm_cpu *cpu = env;
    unsigned sel = (unsigned)args[1];
    uint32_t n = (uint32_t)args[2], m = (uint32_t)args[3], a = (uint32_t)args[4];
    int64_t p1, p2;

    switch (args[0]) {
    case A32_SMLAXY:
        return set_q_if_wide(cpu, (int64_t)half(n, sel & SEL_X) * half(m, sel & SEL_Y)
                                  + (int32_t)a);
    case A32_SMULXY:
        return (uint32_t)(half(n, sel & SEL_X) * half(m, sel & SEL_Y));
    case A32_SMLAWY:
        return set_q_if_wide(cpu, (((int64_t)(int32_t)n * half(m, sel & SEL_Y)) >> 16)
                                  + (int32_t)a);
    case A32_SMULWY:
        return (uint32_t)(((int64_t)(int32_t)n * half(m, sel & SEL_Y)) >> 16);
    case A32_SMUAD: case A32_SMLAD:
        dual_products(n, m, sel, &p1, &p2);
        return set_q_if_wide(cpu, p1 + p2 + (int32_t)a);
    case A32_SMUSD: case A32_SMLSD:
        dual_products(n, m, sel, &p1, &p2);
        return set_q_if_wide(cpu, p1 - p2 + (int32_t)a);
    case A32_SMMUL: case A32_SMMLA:
        return most_significant((int32_t)a, (int64_t)(int32_t)n * (int32_t)m, false,
                                sel & SEL_R);
    case A32_SMMLS:
        return most_significant((int32_t)a, (int64_t)(int32_t)n * (int32_t)m, true,
                                sel & SEL_R);
    default: /* USAD8, USADA8 */
        return usad8(n, m) + a;
    }
}

/* args: line, sel, Rn, Rm, RdLo, RdHi. Returns RdHi:RdLo. */
static uint64_t helper_dsp64(void *env, const uint64_t *args)
{
    unsigned sel = (unsigned)args[1];
    uint32_t n = (uint32_t)args[2], m = (uint32_t)args[3];
    uint64_t acc = (uint32_t)args[4] | (uint64_t)(uint32_t)args[5] << 32;
    int64_t p1, p2;

    (void)env;
    switch (args[0]) {
    case A32_SMLALXY:
        return acc + (uint64_t)((int64_t)half(n, sel & SEL_X) * half(m, sel & SEL_Y));
    case A32_SMLALD:
        dual_products(n, m, sel, &p1, &p2);
        return acc + (uint64_t)(p1 + p2);
    default: /* SMLSLD */
        dual_products(n, m, sel, &p1, &p2);
        return acc + (uint64_t)(p1 - p2);
    }
}

static const struct tcg_helper h_dsp32 = { "arm_dsp32", helper_dsp32, TCG_CALL_WRITES_ENV };
static const struct tcg_helper h_dsp64 = { "arm_dsp64", helper_dsp64, TCG_CALL_PURE };

/* ---- 32-bit results ------------------------------------------------------------ */

static bool any_pc(unsigned a, unsigned b, unsigned c, unsigned d)
{
    return a == 15 || b == 15 || c == 15 || d == 15;
}

/* MUL, MLA, MLS: S sets N and Z only. */
static enum arm_trans trans_mul(struct arm_dc *dc, const struct arm_insn *in)
{
    unsigned rd = arm_field(in, 'd'), rn = arm_field(in, 'n'), rm = arm_field(in, 'm');
    bool acc = arm_has_field(in, 'a');
    unsigned ra = acc ? arm_field(in, 'a') : 0;

    if (any_pc(rd, rn, rm, ra))
        return ARM_TRANS_UNDEF;
    tcg_temp d = arm_load_reg(dc, rn);
    tcg_gen_mul_i32(dc->s, d, d, arm_load_reg(dc, rm));
    if (in->line == A32_MLA)
        tcg_gen_add_i32(dc->s, d, d, arm_load_reg(dc, ra));
    else if (in->line == A32_MLS)
        tcg_gen_sub_i32(dc->s, d, arm_load_reg(dc, ra), d);
    if (arm_field(in, 'S'))
        arm_gen_nz(dc, d);
    arm_store_reg(dc, rd, d);
    return ARM_TRANS_OK;
}

static unsigned dsp_sel(const struct arm_insn *in)
{
    return (arm_field(in, 'X') ? SEL_X : 0) | (arm_field(in, 'Y') ? SEL_Y : 0) |
           (arm_field(in, 'R') ? SEL_R : 0);
}

/* The DSP forms with a 32-bit result, USAD8 and USADA8. */
static enum arm_trans trans_dsp32(struct arm_dc *dc, const struct arm_insn *in)
{
    unsigned rd = arm_field(in, 'd'), rn = arm_field(in, 'n'), rm = arm_field(in, 'm');
    bool acc = arm_has_field(in, 'a');
    unsigned ra = acc ? arm_field(in, 'a') : 0;

    if (any_pc(rd, rn, rm, ra))
        return ARM_TRANS_UNDEF;
    tcg_temp line = tcg_const_i32(dc->s, in->line);
    tcg_temp sel = tcg_const_i32(dc->s, dsp_sel(in));
    tcg_temp n = arm_load_reg(dc, rn), m = arm_load_reg(dc, rm);
    tcg_temp a = acc ? arm_load_reg(dc, ra) : tcg_const_i32(dc->s, 0);
    tcg_temp d = tcg_temp_new_i32(dc->s);

    arm_gen_helper(dc, &h_dsp32, d, 5, line, sel, n, m, a);
    arm_store_reg(dc, rd, d);
    return ARM_TRANS_OK;
}

static enum arm_trans trans_div(struct arm_dc *dc, const struct arm_insn *in)
{
    unsigned rd = arm_field(in, 'd'), rn = arm_field(in, 'n'), rm = arm_field(in, 'm');

    if (any_pc(rd, rn, rm, 0))
        return ARM_TRANS_UNDEF;
    tcg_temp d = arm_load_reg(dc, rn);
    if (in->line == A32_SDIV)
        tcg_gen_divs_i32(dc->s, d, d, arm_load_reg(dc, rm));
    else
        tcg_gen_divu_i32(dc->s, d, d, arm_load_reg(dc, rm));
    arm_store_reg(dc, rd, d);
    return ARM_TRANS_OK;
}

/* ---- 64-bit results -------------------------------------------------------------- */

static void store_pair(struct arm_dc *dc, const struct arm_insn *in, tcg_temp lo, tcg_temp hi)
{
    arm_store_reg(dc, arm_field(in, 'l'), lo);
    arm_store_reg(dc, arm_field(in, 'h'), hi);
}

static bool long_regs_bad(const struct arm_insn *in)
{
    return any_pc(arm_field(in, 'h'), arm_field(in, 'l'), arm_field(in, 'n'),
                  arm_field(in, 'm'));
}

/* UMULL UMLAL SMULL SMLAL UMAAL. S: N = bit 63, Z = the whole 64 bits. */
static enum arm_trans trans_mul_long(struct arm_dc *dc, const struct arm_insn *in)
{
    struct tcg_ctx *s = dc->s;
    bool is_signed = in->line == A32_SMULL || in->line == A32_SMLAL;

    if (long_regs_bad(in))
        return ARM_TRANS_UNDEF;
    tcg_temp n = arm_load_reg(dc, arm_field(in, 'n')), m = arm_load_reg(dc, arm_field(in, 'm'));
    tcg_temp lo = tcg_temp_new_i32(s), hi = tcg_temp_new_i32(s);

    (is_signed ? tcg_gen_muls2_i32 : tcg_gen_mulu2_i32)(s, lo, hi, n, m);
    if (in->line == A32_UMLAL || in->line == A32_SMLAL) {
        tcg_temp alo = arm_load_reg(dc, arm_field(in, 'l'));
        tcg_temp ahi = arm_load_reg(dc, arm_field(in, 'h'));
        tcg_gen_add2_i32(s, lo, hi, lo, hi, alo, ahi);
    } else if (in->line == A32_UMAAL) {
        tcg_temp zero = tcg_const_i32(s, 0);
        tcg_gen_add2_i32(s, lo, hi, lo, hi, arm_load_reg(dc, arm_field(in, 'l')), zero);
        tcg_gen_add2_i32(s, lo, hi, lo, hi, arm_load_reg(dc, arm_field(in, 'h')), zero);
    }
    if (arm_field(in, 'S')) {
        tcg_temp z = tcg_temp_new_i32(s);
        tcg_gen_or_i32(s, z, lo, hi);
        tcg_gen_st_env_i32(s, hi, ARM_ENV(NF));
        tcg_gen_st_env_i32(s, z, ARM_ENV(ZF));
    }
    store_pair(dc, in, lo, hi);
    return ARM_TRANS_OK;
}

/* SMLALxy SMLALD SMLSLD. */
static enum arm_trans trans_dsp64(struct arm_dc *dc, const struct arm_insn *in)
{
    struct tcg_ctx *s = dc->s;

    if (long_regs_bad(in))
        return ARM_TRANS_UNDEF;
    tcg_temp line = tcg_const_i32(s, in->line), sel = tcg_const_i32(s, dsp_sel(in));
    tcg_temp n = arm_load_reg(dc, arm_field(in, 'n')), m = arm_load_reg(dc, arm_field(in, 'm'));
    tcg_temp alo = arm_load_reg(dc, arm_field(in, 'l'));
    tcg_temp ahi = arm_load_reg(dc, arm_field(in, 'h'));
    tcg_temp r = tcg_temp_new_i64(s);
    tcg_temp lo = tcg_temp_new_i32(s), hi = tcg_temp_new_i32(s);

    tcg_temp args[6] = { line, sel, n, m, alo, ahi };
    tcg_gen_call(s, &h_dsp64, r, 6, args);
    tcg_gen_extrl_i64_i32(s, lo, r);
    tcg_gen_extrh_i64_i32(s, hi, r);
    store_pair(dc, in, lo, hi);
    return ARM_TRANS_OK;
}

/* ---- the group ------------------------------------------------------------------------ */

enum arm_trans arm_translate_mul(struct arm_dc *dc, const struct arm_insn *in)
{
    switch (in->line) {
    case A32_MUL: case A32_MLA: case A32_MLS:
        return trans_mul(dc, in);
    case A32_UMULL: case A32_UMLAL: case A32_SMULL: case A32_SMLAL: case A32_UMAAL:
        return trans_mul_long(dc, in);
    case A32_SMLAXY: case A32_SMLAWY: case A32_SMULWY: case A32_SMULXY:
    case A32_SMUAD: case A32_SMLAD: case A32_SMUSD: case A32_SMLSD:
    case A32_SMMUL: case A32_SMMLA: case A32_SMMLS:
    case A32_USAD8: case A32_USADA8:
        return trans_dsp32(dc, in);
    case A32_SMLALXY: case A32_SMLALD: case A32_SMLSLD:
        return trans_dsp64(dc, in);
    case A32_SDIV: case A32_UDIV:
        return trans_div(dc, in);
    default:
        return ARM_TRANS_NOT_MINE;
    }
}
