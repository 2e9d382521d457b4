/*
 * translate_dp.c — A32 data-processing: the sixteen ALU operations in
 * their immediate, register (shift by immediate) and register-shifted
 * register forms, the exception-return forms (SUBS PC, LR and friends),
 * MOVW/MOVT, CLZ and the saturating QADD/QSUB/QDADD/QDSUB.
 *
 * All ALU forms share one layout (opcode in [24:21], S in [20], Rn in
 * [19:16], Rd in [15:12], operand 2 in [11:0]), so they are decoded from
 * the raw word by one function rather than one per line: the a32.def line
 * only says which operand-2 form it is. Flags follow the manual: the
 * logical operations take C from the shifter (or from the rotated
 * immediate) and leave V alone; the arithmetic ones set all four.
 */
#include "arm/translate.h"

#include "arm/helper_sys.h"

enum dp_opcode {
    DP_AND, DP_EOR, DP_SUB, DP_RSB, DP_ADD, DP_ADC, DP_SBC, DP_RSC,
    DP_TST, DP_TEQ, DP_CMP, DP_CMN, DP_ORR, DP_MOV, DP_BIC, DP_MVN,
};

enum dp_form { DP_FORM_IMM, DP_FORM_REG, DP_FORM_RSR };

#define RAW_N(in) (((in)->raw >> 16) & 0xf)
#define RAW_D(in) (((in)->raw >> 12) & 0xf)
#define RAW_S(in) (((in)->raw >> 8) & 0xf)
#define RAW_M(in) ((in)->raw & 0xf)

static bool dp_is_logical(unsigned op)
{
    switch (op) {
    case DP_AND: case DP_EOR: case DP_TST: case DP_TEQ:
    case DP_ORR: case DP_MOV: case DP_BIC: case DP_MVN:
        return true;
    default:
        return false;
    }
}

/* TST TEQ CMP CMN: flags only, no Rd. */
static bool dp_is_test(unsigned op)
{
    return op >= DP_TST && op <= DP_CMN;
}

/* MOV MVN: no Rn. */
static bool dp_is_move(unsigned op)
{
    return op == DP_MOV || op == DP_MVN;
}

/* ---- operand 2 ------------------------------------------------------------ */

static uint32_t ror32(uint32_t v, unsigned n)
{
    n &= 31;
    return n ? v >> n | v << (32 - n) : v;
}

/* ARMExpandImm_C: imm8 rotated right by twice the 4-bit rotation; with
 * set_carry and a non-zero rotation, C = bit 31 of the result. */
static tcg_temp gen_op2_imm(struct arm_dc *dc, uint32_t imm12, bool set_carry)
{
    unsigned rot = (imm12 >> 8) * 2;
    uint32_t v = ror32(imm12 & 0xff, rot);

    if (set_carry && rot) {
        tcg_temp c = tcg_const_i32(dc->s, v >> 31);
        tcg_gen_st_env_i32(dc->s, c, ARM_ENV(CF));
    }
    return tcg_const_i32(dc->s, v);
}

static tcg_temp gen_op2(struct arm_dc *dc, const struct arm_insn *in, enum dp_form form,
                        bool set_carry)
{
    uint32_t raw = in->raw;
    unsigned type = (raw >> 5) & 3;

    if (form == DP_FORM_IMM)
        return gen_op2_imm(dc, raw & 0xfff, set_carry);
    tcg_temp m = arm_load_reg(dc, RAW_M(in));
    if (form == DP_FORM_REG)
        return arm_gen_shift_imm(dc, m, type, (raw >> 7) & 31, set_carry);
    tcg_temp amount = arm_load_reg(dc, RAW_S(in));
    return arm_gen_shift_reg(dc, m, type, amount, set_carry);
}

/* ---- the operation ---------------------------------------------------------- */

/* d = a + b + C without flags. */
static void gen_adc(struct arm_dc *dc, tcg_temp d, tcg_temp a, tcg_temp b)
{
    tcg_temp c = tcg_temp_new_i32(dc->s);

    tcg_gen_ld_env_i32(dc->s, c, ARM_ENV(CF));
    tcg_gen_add_i32(dc->s, d, a, b);
    tcg_gen_add_i32(dc->s, d, d, c);
}

/* d = a - b - !C = a + ~b + C without flags. */
static void gen_sbc(struct arm_dc *dc, tcg_temp d, tcg_temp a, tcg_temp b)
{
    tcg_temp nb = tcg_temp_new_i32(dc->s);

    tcg_gen_not_i32(dc->s, nb, b);
    gen_adc(dc, d, a, nb);
}

/* d = n op m; with s, the logical operations set N and Z (C came from
 * operand 2) and the arithmetic ones N Z C V. */
static void gen_alu(struct arm_dc *dc, unsigned op, tcg_temp d, tcg_temp n, tcg_temp m,
                    bool s)
{
    struct tcg_ctx *tc = dc->s;

    switch (op) {
    case DP_AND: case DP_TST: tcg_gen_and_i32(tc, d, n, m); break;
    case DP_EOR: case DP_TEQ: tcg_gen_xor_i32(tc, d, n, m); break;
    case DP_ORR:              tcg_gen_or_i32(tc, d, n, m); break;
    case DP_BIC:              tcg_gen_andc_i32(tc, d, n, m); break;
    case DP_MOV:              tcg_gen_mov_i32(tc, d, m); break;
    case DP_MVN:              tcg_gen_not_i32(tc, d, m); break;
    case DP_SUB: case DP_CMP:
        if (s) arm_gen_sub_cc(dc, d, n, m); else tcg_gen_sub_i32(tc, d, n, m);
        break;
    case DP_RSB:
        if (s) arm_gen_sub_cc(dc, d, m, n); else tcg_gen_sub_i32(tc, d, m, n);
        break;
    case DP_ADD: case DP_CMN:
        if (s) arm_gen_add_cc(dc, d, n, m); else tcg_gen_add_i32(tc, d, n, m);
        break;
    case DP_ADC:
        if (s) arm_gen_adc_cc(dc, d, n, m); else gen_adc(dc, d, n, m);
        break;
    case DP_SBC:
        if (s) arm_gen_sbc_cc(dc, d, n, m); else gen_sbc(dc, d, n, m);
        break;
    default: /* DP_RSC */
        if (s) arm_gen_sbc_cc(dc, d, m, n); else gen_sbc(dc, d, m, n);
        break;
    }
    if (s && dp_is_logical(op))
        arm_gen_nz(dc, d);
}

/* ---- the lines ------------------------------------------------------------- */

/* AND_IMM ... MVN_RSR, and the MOV shifts (LSL_IMM ... ROR_REG), which
 * are MOV with a shifted operand. A write to the PC is ALUWritePC. */
static enum arm_trans trans_alu(struct arm_dc *dc, const struct arm_insn *in,
                                enum dp_form form)
{
    unsigned op = (in->raw >> 21) & 0xf;
    bool test = dp_is_test(op), move = dp_is_move(op);
    bool s = test || ((in->raw >> 20) & 1);
    unsigned rd = RAW_D(in), rn = RAW_N(in);

    /* Register-shifted register forms: any PC operand is UNPREDICTABLE. */
    if (form == DP_FORM_RSR && ((!test && rd == 15) || (!move && rn == 15) ||
                                RAW_M(in) == 15 || RAW_S(in) == 15))
        return ARM_TRANS_UNDEF;
    tcg_temp n = move ? tcg_const_i32(dc->s, 0) : arm_load_reg(dc, rn);
    tcg_temp m = gen_op2(dc, in, form, s && dp_is_logical(op));
    tcg_temp d = tcg_temp_new_i32(dc->s);

    gen_alu(dc, op, d, n, m, s);
    if (!test)
        arm_store_reg_bx(dc, rd, d);
    return ARM_TRANS_OK;
}

/* SUBS_PC_* and MOVS_PC_*: the result is the return address; the flags
 * are not computed, as CPSR is replaced by SPSR (the sequence LDM ^ and
 * RFE use too). USR and SYS have no SPSR: UNPREDICTABLE, here UNDEFINED. */
static enum arm_trans trans_exception_return(struct arm_dc *dc, const struct arm_insn *in,
                                             enum dp_form form)
{
    unsigned op = (in->raw >> 21) & 0xf;
    unsigned mode = ARM_TBFLAG_MODE(dc->flags);

    if (mode == ARM_MODE_USR || mode == ARM_MODE_SYS)
        return ARM_TRANS_UNDEF;
    if (dp_is_move(op) && RAW_N(in) != 0)
        return ARM_TRANS_UNDEF;
    tcg_temp n = arm_load_reg(dc, RAW_N(in));
    tcg_temp m = gen_op2(dc, in, form, false);
    tcg_temp d = tcg_temp_new_i32(dc->s);

    gen_alu(dc, op, d, n, m, false);
    tcg_temp spsr = tcg_temp_new_i32(dc->s);
    tcg_gen_ld_env_i32(dc->s, spsr, ARM_ENV(spsr));
    arm_gen_exception_return(dc, d, spsr);
    return ARM_TRANS_OK;
}

static enum arm_trans trans_movw_movt(struct arm_dc *dc, const struct arm_insn *in, bool top)
{
    unsigned rd = arm_field(in, 'd');
    uint32_t imm16 = arm_field(in, 'j') << 12 | arm_field(in, 'i');

    if (rd == 15)
        return ARM_TRANS_UNDEF;
    if (!top) {
        arm_store_reg(dc, rd, tcg_const_i32(dc->s, imm16));
        return ARM_TRANS_OK;
    }
    tcg_temp d = arm_load_reg(dc, rd);
    tcg_gen_ext16u_i32(dc->s, d, d);
    tcg_gen_ori_i32(dc->s, d, d, imm16 << 16);
    arm_store_reg(dc, rd, d);
    return ARM_TRANS_OK;
}

static enum arm_trans trans_clz(struct arm_dc *dc, const struct arm_insn *in)
{
    unsigned rd = arm_field(in, 'd'), rm = arm_field(in, 'm');

    if (rd == 15 || rm == 15)
        return ARM_TRANS_UNDEF;
    tcg_temp d = arm_load_reg(dc, rm);
    tcg_gen_clz_i32(dc->s, d, d);
    arm_store_reg(dc, rd, d);
    return ARM_TRANS_OK;
}

/* ---- QADD QSUB QDADD QDSUB ------------------------------------------------- */

/* Signed saturation of a 33-bit sum to 32 bits; Q is sticky. */
static uint32_t sat32(struct arm_cpu *cpu, int64_t v)
{
    if (v > INT32_MAX) {
        cpu->QF = 1;
        return (uint32_t)INT32_MAX;
    }
    if (v < INT32_MIN) {
        cpu->QF = 1;
        return (uint32_t)INT32_MIN;
    }
    return (uint32_t)v;
}

/* args: the line (A32_QADD...), Rm, Rn. */
static uint64_t helper_qarith(void *env, const uint64_t *args)
{
    struct arm_cpu *cpu = env;
    int64_t m = (int32_t)(uint32_t)args[1];
    int64_t n = (int32_t)(uint32_t)args[2];

    switch (args[0]) {
    case A32_QADD:  return sat32(cpu, m + n);
    case A32_QSUB:  return sat32(cpu, m - n);
    case A32_QDADD: return sat32(cpu, m + (int32_t)sat32(cpu, 2 * n));
    default:        return sat32(cpu, m - (int32_t)sat32(cpu, 2 * n));
    }
}

static const struct tcg_helper h_qarith = {
    "arm_qarith", helper_qarith, TCG_CALL_WRITES_ENV };

static enum arm_trans trans_qarith(struct arm_dc *dc, const struct arm_insn *in)
{
    unsigned rd = arm_field(in, 'd'), rn = arm_field(in, 'n'), rm = arm_field(in, 'm');

    if (rd == 15 || rn == 15 || rm == 15)
        return ARM_TRANS_UNDEF;
    tcg_temp line = tcg_const_i32(dc->s, in->line);
    tcg_temp m = arm_load_reg(dc, rm), n = arm_load_reg(dc, rn);
    tcg_temp d = tcg_temp_new_i32(dc->s);

    arm_gen_helper(dc, &h_qarith, d, 3, line, m, n);
    arm_store_reg(dc, rd, d);
    return ARM_TRANS_OK;
}

/* ---- the group ---------------------------------------------------------------- */

enum arm_trans arm_translate_dp(struct arm_dc *dc, const struct arm_insn *in)
{
    switch (in->line) {
    case A32_SUBS_PC_IMM: case A32_MOVS_PC_IMM:
        return trans_exception_return(dc, in, DP_FORM_IMM);
    case A32_SUBS_PC_REG: case A32_MOVS_PC_REG:
        return trans_exception_return(dc, in, DP_FORM_REG);
    case A32_AND_IMM: case A32_EOR_IMM: case A32_SUB_IMM: case A32_RSB_IMM:
    case A32_ADD_IMM: case A32_ADC_IMM: case A32_SBC_IMM: case A32_RSC_IMM:
    case A32_TST_IMM: case A32_TEQ_IMM: case A32_CMP_IMM: case A32_CMN_IMM:
    case A32_ORR_IMM: case A32_MOV_IMM: case A32_BIC_IMM: case A32_MVN_IMM:
        return trans_alu(dc, in, DP_FORM_IMM);
    case A32_AND_REG: case A32_EOR_REG: case A32_SUB_REG: case A32_RSB_REG:
    case A32_ADD_REG: case A32_ADC_REG: case A32_SBC_REG: case A32_RSC_REG:
    case A32_TST_REG: case A32_TEQ_REG: case A32_CMP_REG: case A32_CMN_REG:
    case A32_ORR_REG: case A32_MOV_REG: case A32_BIC_REG: case A32_MVN_REG:
    case A32_LSL_IMM: case A32_LSR_IMM: case A32_ASR_IMM: case A32_RRX:
    case A32_ROR_IMM:
        return trans_alu(dc, in, DP_FORM_REG);
    case A32_AND_RSR: case A32_EOR_RSR: case A32_SUB_RSR: case A32_RSB_RSR:
    case A32_ADD_RSR: case A32_ADC_RSR: case A32_SBC_RSR: case A32_RSC_RSR:
    case A32_TST_RSR: case A32_TEQ_RSR: case A32_CMP_RSR: case A32_CMN_RSR:
    case A32_ORR_RSR: case A32_BIC_RSR: case A32_MVN_RSR:
    case A32_LSL_REG: case A32_LSR_REG: case A32_ASR_REG: case A32_ROR_REG:
        return trans_alu(dc, in, DP_FORM_RSR);
    case A32_MOVW: return trans_movw_movt(dc, in, false);
    case A32_MOVT: return trans_movw_movt(dc, in, true);
    case A32_CLZ:  return trans_clz(dc, in);
    case A32_QADD: case A32_QSUB: case A32_QDADD: case A32_QDSUB:
        return trans_qarith(dc, in);
    default:
        return ARM_TRANS_NOT_MINE;
    }
}
