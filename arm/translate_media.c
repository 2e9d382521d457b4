/*
 * translate_media.c — the A32 media instructions: parallel add/subtract
 * (S Q SH U UQ UH x ADD16 ASX SAX SUB16 ADD8 SUB8), PKHBT/PKHTB, the
 * saturations SSAT USAT SSAT16 USAT16, SEL, the extends (SXTB16 ... UXTAH,
 * with their rotation), REV REV16 REVSH RBIT and the bitfield
 * instructions SBFX UBFX BFC BFI.
 *
 * Lane-wise operations (parallel add/subtract, saturation, SEL) are C
 * helpers that read and write the GE and Q flags in env; everything
 * else is plain IR. A PC operand or a bitfield reaching past bit 31 is
 * UNPREDICTABLE and treated as UNDEFINED.
 */
#include "arm/translate.h"

/* ---- parallel add/subtract ------------------------------------------------ */

/* The prefix, from bits [22:20]. */
enum par_kind { PAR_S = 1, PAR_Q = 2, PAR_SH = 3, PAR_U = 5, PAR_UQ = 6, PAR_UH = 7 };
/* The operation, from bits [7:5]. */
enum par_op { PAR_ADD16 = 0, PAR_ASX = 1, PAR_SAX = 2, PAR_SUB16 = 3, PAR_ADD8 = 4,
              PAR_SUB8 = 7 };

static int32_t lane(uint32_t v, unsigned i, unsigned w, bool is_signed)
{
    uint32_t x = (v >> (i * w)) & ((1u << w) - 1);

    if (is_signed && (x >> (w - 1)))
        return (int32_t)x - (int32_t)(1u << w);
    return (int32_t)x;
}

/* For lane i of op: whether it subtracts, and which lane of m it takes
 * (ASX and SAX cross the halves). */
static bool lane_subtracts(unsigned op, unsigned i, unsigned *m_lane)
{
    *m_lane = i;
    switch (op) {
    case PAR_ASX: *m_lane = 1 - i; return i == 0;
    case PAR_SAX: *m_lane = 1 - i; return i == 1;
    case PAR_SUB16: case PAR_SUB8: return true;
    default: return false;
    }
}

static int32_t clamp(int32_t v, int32_t lo, int32_t hi)
{
    return v < lo ? lo : v > hi ? hi : v;
}

/* One lane's result under the prefix; *ge says whether its GE bits set. */
static uint32_t par_lane(unsigned kind, int32_t r, bool sub, unsigned w, bool *ge)
{
    int32_t half_range = 1 << (w - 1);

    switch (kind) {
    case PAR_S:  *ge = r >= 0; return (uint32_t)r;
    case PAR_U:  *ge = sub ? r >= 0 : r >= (1 << w); return (uint32_t)r;
    case PAR_Q:  return (uint32_t)clamp(r, -half_range, half_range - 1);
    case PAR_UQ: return (uint32_t)clamp(r, 0, (1 << w) - 1);
    default:     return (uint32_t)(r >> 1);   /* SH, UH: arithmetic halving */
    }
}

/* args: the instruction word, Rn, Rm. S and U set GE[3:0]. */
static uint64_t helper_parallel(void *env, const uint64_t *args)
{
    struct arm_cpu *cpu = env;
    uint32_t raw = (uint32_t)args[0], n = (uint32_t)args[1], m = (uint32_t)args[2];
    unsigned kind = (raw >> 20) & 7, op = (raw >> 5) & 7;
    unsigned w = op >= PAR_ADD8 ? 8 : 16, lanes = 32 / w;
    bool is_signed = kind < PAR_U;
    uint32_t d = 0, ge = 0;

    for (unsigned i = 0; i < lanes; i++) {
        unsigned ml;
        bool sub = lane_subtracts(op, i, &ml), lane_ge = false;
        int32_t a = lane(n, i, w, is_signed), b = lane(m, ml, w, is_signed);
        uint32_t r = par_lane(kind, sub ? a - b : a + b, sub, w, &lane_ge);

        d |= (r & ((1u << w) - 1)) << (i * w);
        if (lane_ge)
            ge |= (w == 16 ? 3u : 1u) << (i * (w / 8));
    }
    if (kind == PAR_S || kind == PAR_U)
        cpu->GE = ge;
    return d;
}

/* args: Rn, Rm. Byte i from Rn when GE[i], else from Rm. */
static uint64_t helper_sel(void *env, const uint64_t *args)
{
    const struct arm_cpu *cpu = env;
    uint32_t mask = 0;

    for (unsigned i = 0; i < 4; i++)
        if (cpu->GE & (1u << i))
            mask |= 0xffu << (i * 8);
    return ((uint32_t)args[0] & mask) | ((uint32_t)args[1] & ~mask);
}

/* ---- saturation -------------------------------------------------------------- */

static int32_t sat_signed(struct arm_cpu *cpu, int32_t v, unsigned bits)
{
    int32_t hi = (int32_t)((1u << (bits - 1)) - 1), lo = -hi - 1;

    if (v < lo || v > hi)
        cpu->QF = 1;
    return clamp(v, lo, hi);
}

static uint32_t sat_unsigned(struct arm_cpu *cpu, int32_t v, unsigned bits)
{
    int64_t hi = ((int64_t)1 << bits) - 1;

    if (v < 0 || v > hi) {
        cpu->QF = 1;
        return v < 0 ? 0 : (uint32_t)hi;
    }
    return (uint32_t)v;
}

/* args: the line, the (shifted) operand, the saturate_to field. */
static uint64_t helper_saturate(void *env, const uint64_t *args)
{
    struct arm_cpu *cpu = env;
    int32_t v = (int32_t)(uint32_t)args[1];
    unsigned sat = (unsigned)args[2];
    int32_t lo = (int16_t)v, hi = (int16_t)((uint32_t)v >> 16);

    switch (args[0]) {
    case A32_SSAT:
        return (uint32_t)sat_signed(cpu, v, sat + 1);
    case A32_USAT:
        return sat_unsigned(cpu, v, sat);
    case A32_SSAT16:
        return ((uint32_t)sat_signed(cpu, lo, sat + 1) & 0xffff) |
               (uint32_t)sat_signed(cpu, hi, sat + 1) << 16;
    default: /* USAT16 */
        return sat_unsigned(cpu, lo, sat) | sat_unsigned(cpu, hi, sat) << 16;
    }
}

static const struct tcg_helper h_parallel = {
    "arm_parallel", helper_parallel, TCG_CALL_WRITES_ENV };
static const struct tcg_helper h_sel = { "arm_sel", helper_sel, TCG_CALL_READS_ENV };
static const struct tcg_helper h_saturate = {
    "arm_saturate", helper_saturate, TCG_CALL_WRITES_ENV };

/* ---- the lines ---------------------------------------------------------------- */

static enum arm_trans trans_parallel(struct arm_dc *dc, const struct arm_insn *in)
{
    unsigned rd = arm_field(in, 'd'), rn = arm_field(in, 'n'), rm = arm_field(in, 'm');

    if (rd == 15 || rn == 15 || rm == 15)
        return ARM_TRANS_UNDEF;
    tcg_temp raw = tcg_const_i32(dc->s, in->raw);
    tcg_temp n = arm_load_reg(dc, rn), m = arm_load_reg(dc, rm);
    tcg_temp d = tcg_temp_new_i32(dc->s);

    arm_gen_helper(dc, &h_parallel, d, 3, raw, n, m);
    arm_store_reg(dc, rd, d);
    return ARM_TRANS_OK;
}

static enum arm_trans trans_sel(struct arm_dc *dc, const struct arm_insn *in)
{
    unsigned rd = arm_field(in, 'd'), rn = arm_field(in, 'n'), rm = arm_field(in, 'm');

    if (rd == 15 || rn == 15 || rm == 15)
        return ARM_TRANS_UNDEF;
    tcg_temp n = arm_load_reg(dc, rn), m = arm_load_reg(dc, rm);
    tcg_temp d = tcg_temp_new_i32(dc->s);

    arm_gen_helper(dc, &h_sel, d, 2, n, m);
    arm_store_reg(dc, rd, d);
    return ARM_TRANS_OK;
}

/* PKHBT: Rn's bottom half, (Rm LSL imm)'s top half. PKHTB: Rn's top half,
 * (Rm ASR imm)'s bottom half, ASR #0 meaning #32. */
static enum arm_trans trans_pkh(struct arm_dc *dc, const struct arm_insn *in)
{
    struct tcg_ctx *s = dc->s;
    unsigned rd = arm_field(in, 'd'), rn = arm_field(in, 'n'), rm = arm_field(in, 'm');
    unsigned imm = arm_field(in, 'i');
    bool tb = in->line == A32_PKHTB;

    if (rd == 15 || rn == 15 || rm == 15)
        return ARM_TRANS_UNDEF;
    tcg_temp n = arm_load_reg(dc, rn), m = arm_load_reg(dc, rm);
    if (tb) {
        tcg_gen_sari_i32(s, m, m, imm ? imm : 31);
        tcg_gen_ext16u_i32(s, m, m);
        tcg_gen_andi_i32(s, n, n, 0xffff0000u);
    } else {
        tcg_gen_shli_i32(s, m, m, imm);
        tcg_gen_andi_i32(s, m, m, 0xffff0000u);
        tcg_gen_ext16u_i32(s, n, n);
    }
    tcg_gen_or_i32(s, n, n, m);
    arm_store_reg(dc, rd, n);
    return ARM_TRANS_OK;
}

/* SSAT USAT: Rn shifted (y = 0: LSL imm; y = 1: ASR imm, #0 meaning #32),
 * then saturated. SSAT16 USAT16: each halfword. */
static enum arm_trans trans_saturate(struct arm_dc *dc, const struct arm_insn *in)
{
    unsigned rd = arm_field(in, 'd'), rn = arm_field(in, 'n');

    if (rd == 15 || rn == 15)
        return ARM_TRANS_UNDEF;
    tcg_temp v = arm_load_reg(dc, rn);
    if (in->line == A32_SSAT || in->line == A32_USAT)
        v = arm_gen_shift_imm(dc, v, arm_field(in, 'y') ? 2 : 0, arm_field(in, 'i'), false);
    tcg_temp line = tcg_const_i32(dc->s, in->line);
    tcg_temp sat = tcg_const_i32(dc->s, arm_field(in, 'w'));
    tcg_temp d = tcg_temp_new_i32(dc->s);

    arm_gen_helper(dc, &h_saturate, d, 3, line, v, sat);
    arm_store_reg(dc, rd, d);
    return ARM_TRANS_OK;
}

/* The two bytes 0 and 2 of x, each extended to a halfword. */
static void gen_ext_b16(struct tcg_ctx *s, tcg_temp x, bool is_signed)
{
    if (!is_signed) {
        tcg_gen_andi_i32(s, x, x, 0x00ff00ffu);
        return;
    }
    tcg_temp hi = tcg_temp_new_i32(s);
    tcg_gen_sari_i32(s, hi, x, 16);
    tcg_gen_ext8s_i32(s, hi, hi);
    tcg_gen_shli_i32(s, hi, hi, 16);
    tcg_gen_ext8s_i32(s, x, x);
    tcg_gen_ext16u_i32(s, x, x);
    tcg_gen_or_i32(s, x, x, hi);
}

/* Halfword-wise n + x. */
static void gen_add16(struct tcg_ctx *s, tcg_temp d, tcg_temp n, tcg_temp x)
{
    tcg_temp lo = tcg_temp_new_i32(s), hi = tcg_temp_new_i32(s);

    tcg_gen_add_i32(s, lo, n, x);
    tcg_gen_ext16u_i32(s, lo, lo);
    tcg_gen_andi_i32(s, hi, n, 0xffff0000u);
    tcg_gen_add_i32(s, hi, hi, x);
    tcg_gen_andi_i32(s, hi, hi, 0xffff0000u);
    tcg_gen_or_i32(s, d, lo, hi);
}

/* SXTB16 ... UXTAH: Rm rotated right by 8 * rotate, extended, and for
 * the A forms added to Rn (halfword-wise for the *16 forms). */
static enum arm_trans trans_extend(struct arm_dc *dc, const struct arm_insn *in)
{
    struct tcg_ctx *s = dc->s;
    unsigned rd = arm_field(in, 'd'), rm = arm_field(in, 'm');
    bool add = arm_has_field(in, 'n');
    enum a32_line l = in->line;

    if (rd == 15 || rm == 15)
        return ARM_TRANS_UNDEF;
    tcg_temp x = arm_load_reg(dc, rm);
    tcg_gen_rotri_i32(s, x, x, 8 * arm_field(in, 'r'));
    switch (l) {
    case A32_SXTB16: case A32_SXTAB16: gen_ext_b16(s, x, true); break;
    case A32_UXTB16: case A32_UXTAB16: gen_ext_b16(s, x, false); break;
    case A32_SXTB: case A32_SXTAB:     tcg_gen_ext8s_i32(s, x, x); break;
    case A32_UXTB: case A32_UXTAB:     tcg_gen_ext8u_i32(s, x, x); break;
    case A32_SXTH: case A32_SXTAH:     tcg_gen_ext16s_i32(s, x, x); break;
    default:                           tcg_gen_ext16u_i32(s, x, x); break;
    }
    if (add) {
        tcg_temp n = arm_load_reg(dc, arm_field(in, 'n'));
        if (l == A32_SXTAB16 || l == A32_UXTAB16)
            gen_add16(s, x, n, x);
        else
            tcg_gen_add_i32(s, x, n, x);
    }
    arm_store_reg(dc, rd, x);
    return ARM_TRANS_OK;
}

/* x = ((x >> k) & mask) | ((x & mask) << k): swaps the k-bit groups. */
static void gen_swap_bits(struct tcg_ctx *s, tcg_temp x, unsigned k, uint32_t mask)
{
    tcg_temp t = tcg_temp_new_i32(s);

    tcg_gen_shri_i32(s, t, x, k);
    tcg_gen_andi_i32(s, t, t, mask);
    tcg_gen_andi_i32(s, x, x, mask);
    tcg_gen_shli_i32(s, x, x, k);
    tcg_gen_or_i32(s, x, x, t);
}

static enum arm_trans trans_reverse(struct arm_dc *dc, const struct arm_insn *in)
{
    struct tcg_ctx *s = dc->s;
    unsigned rd = arm_field(in, 'd'), rm = arm_field(in, 'm');

    if (rd == 15 || rm == 15)
        return ARM_TRANS_UNDEF;
    tcg_temp x = arm_load_reg(dc, rm);
    switch (in->line) {
    case A32_REV:
        tcg_gen_bswap32_i32(s, x, x);
        break;
    case A32_REV16:
        gen_swap_bits(s, x, 8, 0x00ff00ffu);
        break;
    case A32_REVSH: {   /* bottom halfword byte-swapped, sign-extended */
        tcg_temp lo = tcg_temp_new_i32(s);
        tcg_gen_shri_i32(s, lo, x, 8);
        tcg_gen_ext8u_i32(s, lo, lo);
        tcg_gen_shli_i32(s, x, x, 24);
        tcg_gen_sari_i32(s, x, x, 16);
        tcg_gen_or_i32(s, x, x, lo);
        break;
    }
    default:            /* RBIT */
        gen_swap_bits(s, x, 1, 0x55555555u);
        gen_swap_bits(s, x, 2, 0x33333333u);
        gen_swap_bits(s, x, 4, 0x0f0f0f0fu);
        tcg_gen_bswap32_i32(s, x, x);
        break;
    }
    arm_store_reg(dc, rd, x);
    return ARM_TRANS_OK;
}

/* SBFX UBFX: w = width - 1, i = lsb. */
static enum arm_trans trans_extract(struct arm_dc *dc, const struct arm_insn *in)
{
    struct tcg_ctx *s = dc->s;
    unsigned rd = arm_field(in, 'd'), rn = arm_field(in, 'n');
    unsigned lsb = arm_field(in, 'i'), width = arm_field(in, 'w') + 1;

    if (rd == 15 || rn == 15 || lsb + width > 32)
        return ARM_TRANS_UNDEF;
    tcg_temp x = arm_load_reg(dc, rn);
    tcg_gen_shli_i32(s, x, x, 32 - lsb - width);
    if (in->line == A32_SBFX)
        tcg_gen_sari_i32(s, x, x, 32 - width);
    else
        tcg_gen_shri_i32(s, x, x, 32 - width);
    arm_store_reg(dc, rd, x);
    return ARM_TRANS_OK;
}

/* BFC BFI: w = msb, i = lsb. */
static enum arm_trans trans_insert(struct arm_dc *dc, const struct arm_insn *in)
{
    struct tcg_ctx *s = dc->s;
    unsigned rd = arm_field(in, 'd'), msb = arm_field(in, 'w'), lsb = arm_field(in, 'i');
    bool bfi = in->line == A32_BFI;

    if (rd == 15 || msb < lsb)
        return ARM_TRANS_UNDEF;
    uint32_t mask = (uint32_t)(((uint64_t)1 << (msb + 1)) - 1) & ~((1u << lsb) - 1);
    tcg_temp d = arm_load_reg(dc, rd);
    tcg_gen_andi_i32(s, d, d, ~mask);
    if (bfi) {
        tcg_temp n = arm_load_reg(dc, arm_field(in, 'n'));
        tcg_gen_shli_i32(s, n, n, lsb);
        tcg_gen_andi_i32(s, n, n, mask);
        tcg_gen_or_i32(s, d, d, n);
    }
    arm_store_reg(dc, rd, d);
    return ARM_TRANS_OK;
}

/* ---- the group -------------------------------------------------------------------- */

static bool is_parallel(enum a32_line l)
{
    return l >= A32_SADD16 && l <= A32_UHSUB8;
}

enum arm_trans arm_translate_media(struct arm_dc *dc, const struct arm_insn *in)
{
    if (is_parallel(in->line))
        return trans_parallel(dc, in);
    switch (in->line) {
    case A32_PKHBT: case A32_PKHTB:
        return trans_pkh(dc, in);
    case A32_SSAT: case A32_USAT: case A32_SSAT16: case A32_USAT16:
        return trans_saturate(dc, in);
    case A32_SEL:
        return trans_sel(dc, in);
    case A32_SXTB16: case A32_SXTAB16: case A32_SXTB: case A32_SXTAB:
    case A32_SXTH: case A32_SXTAH: case A32_UXTB16: case A32_UXTAB16:
    case A32_UXTB: case A32_UXTAB: case A32_UXTH: case A32_UXTAH:
        return trans_extend(dc, in);
    case A32_REV: case A32_REV16: case A32_REVSH: case A32_RBIT:
        return trans_reverse(dc, in);
    case A32_SBFX: case A32_UBFX:
        return trans_extract(dc, in);
    case A32_BFC: case A32_BFI:
        return trans_insert(dc, in);
    default:
        return ARM_TRANS_NOT_MINE;
    }
}
