/*
 * ir.c — building an op list: the op descriptions, the context (growable
 * arrays of ops and temps that a reset empties but keeps allocated), temps
 * and labels, tcg_emit() and one emitter per op, and the meaning of a
 * condition.
 *
 * tcg_emit() checks each op's shape against ops.def and every temp and
 * label against the context, so a front-end bug stops at the op that
 * carries it (fatal()) instead of surfacing later as a wrong guest result.
 * The dump lives in ir_dump.c, the optimizer in optimize.c.
 */
#include "tcg/ir.h"
#include "tcg/ir_priv.h"

#include "util/fatal.h"

#include <stdlib.h>
#include <string.h>

const struct tcg_op_def tcg_op_defs[TCG_N_OPS] = {
#define OP(name, n_out, n_in, n_const, flags) { #name, n_out, n_in, n_const, flags },
#include "tcg/ops.def"
};

/* ---- context ------------------------------------------------------------ */

struct tcg_ctx *tcg_ctx_new(void)
{
    struct tcg_ctx *s = xcalloc(1, sizeof(*s));

    s->cap_ops = 256;
    s->ops = xmalloc(s->cap_ops * sizeof(*s->ops));
    s->cap_temps = 256;
    s->temps = xmalloc(s->cap_temps * sizeof(*s->temps));
    return s;
}

void tcg_ctx_free(struct tcg_ctx *s)
{
    if (!s)
        return;
    free(s->ops);
    free(s->temps);
    free(s);
}

/* insn_start_offset belongs to the front end, not to one TB: it stays. */
void tcg_ctx_reset(struct tcg_ctx *s)
{
    s->n_ops = 0;
    s->n_temps = 0;
    s->n_labels = 0;
}

static tcg_temp temp_new(struct tcg_ctx *s, enum tcg_type type)
{
    if (s->n_temps == s->cap_temps) {
        s->cap_temps *= 2;
        s->temps = xrealloc(s->temps, s->cap_temps * sizeof(*s->temps));
    }
    s->temps[s->n_temps].type = (uint8_t)type;
    return (tcg_temp)s->n_temps++;
}

tcg_temp tcg_temp_new_i32(struct tcg_ctx *s) { return temp_new(s, TCG_TYPE_I32); }
tcg_temp tcg_temp_new_i64(struct tcg_ctx *s) { return temp_new(s, TCG_TYPE_I64); }

tcg_temp tcg_const_i32(struct tcg_ctx *s, uint32_t value)
{
    tcg_temp t = tcg_temp_new_i32(s);

    tcg_gen_movi_i32(s, t, value);
    return t;
}

tcg_temp tcg_const_i64(struct tcg_ctx *s, uint64_t value)
{
    tcg_temp t = tcg_temp_new_i64(s);

    tcg_gen_movi_i64(s, t, value);
    return t;
}

tcg_label tcg_label_new(struct tcg_ctx *s)
{
    return (tcg_label)s->n_labels++;
}

/* ---- tcg_emit ------------------------------------------------------------ */

static void check_temp(const struct tcg_ctx *s, enum tcg_opcode opc, uint64_t t)
{
    if (t >= s->n_temps)
        fatal("tcg_emit: %s uses temp %llu of %zu", tcg_op_defs[opc].name,
              (unsigned long long)t, s->n_temps);
}

/* The shape of a call's args is fixed by ir.h: helper, count, has-result,
 * result slot, then the arguments. */
static void check_call(const struct tcg_ctx *s, const uint64_t *args, unsigned n_args)
{
    if (!args[0] || args[1] > TCG_MAX_CALL_ARGS || args[2] > 1 || n_args != 4 + args[1])
        fatal("tcg_emit: malformed call (%u args)", n_args);
    if (args[2])
        check_temp(s, TCG_OP_call, args[3]);
    for (unsigned i = 0; i < args[1]; i++)
        check_temp(s, TCG_OP_call, args[4 + i]);
}

static void check_op(const struct tcg_ctx *s, enum tcg_opcode opc, const uint64_t *args,
                     unsigned n_args)
{
    const struct tcg_op_def *def = &tcg_op_defs[opc];
    unsigned n_temps = def->n_out + def->n_in;

    if (opc == TCG_OP_call) {
        check_call(s, args, n_args);
        return;
    }
    if (n_args != n_temps + def->n_const)
        fatal("tcg_emit: %s takes %u args, got %u", def->name, n_temps + def->n_const, n_args);
    for (unsigned i = 0; i < n_temps; i++)
        check_temp(s, opc, args[i]);
    if ((opc == TCG_OP_set_label || opc == TCG_OP_br) && args[0] >= s->n_labels)
        fatal("tcg_emit: %s of unknown label %llu", def->name, (unsigned long long)args[0]);
    if (opc == TCG_OP_brcond_i32 && args[3] >= s->n_labels)
        fatal("tcg_emit: brcond_i32 to unknown label %llu", (unsigned long long)args[3]);
    if ((opc == TCG_OP_setcond_i32 || opc == TCG_OP_movcond_i32 || opc == TCG_OP_brcond_i32) &&
        args[n_temps] > TCG_COND_TSTNE)
        fatal("tcg_emit: %s with condition %llu", def->name, (unsigned long long)args[n_temps]);
    if (opc == TCG_OP_goto_tb && args[0] > 1)
        fatal("tcg_emit: goto_tb slot %llu", (unsigned long long)args[0]);
}

size_t tcg_emit(struct tcg_ctx *s, enum tcg_opcode opc, const uint64_t *args, unsigned n_args)
{
    struct tcg_op *op;

    if ((unsigned)opc >= TCG_N_OPS || n_args > TCG_MAX_OP_ARGS)
        fatal("tcg_emit: bad opcode %d or %u args", (int)opc, n_args);
    check_op(s, opc, args, n_args);
    if (s->n_ops == s->cap_ops) {
        s->cap_ops *= 2;
        s->ops = xrealloc(s->ops, s->cap_ops * sizeof(*s->ops));
    }
    op = &s->ops[s->n_ops];
    memset(op, 0, sizeof(*op));
    op->opc = (uint16_t)opc;
    memcpy(op->args, args, n_args * sizeof(*args));
    return s->n_ops++;
}

/* ---- conditions ------------------------------------------------------------ */

bool tcg_cond_eval(enum tcg_cond cond, uint32_t a, uint32_t b)
{
    if ((unsigned)cond > TCG_COND_TSTNE)
        fatal("tcg_cond_eval: bad condition %d", (int)cond);
    return tcg_eval_cond(cond, a, b);
}

enum tcg_cond tcg_cond_invert(enum tcg_cond cond)
{
    static const enum tcg_cond inverse[] = {
        [TCG_COND_NEVER] = TCG_COND_ALWAYS, [TCG_COND_ALWAYS] = TCG_COND_NEVER,
        [TCG_COND_EQ] = TCG_COND_NE,        [TCG_COND_NE] = TCG_COND_EQ,
        [TCG_COND_LT] = TCG_COND_GE,        [TCG_COND_GE] = TCG_COND_LT,
        [TCG_COND_LE] = TCG_COND_GT,        [TCG_COND_GT] = TCG_COND_LE,
        [TCG_COND_LTU] = TCG_COND_GEU,      [TCG_COND_GEU] = TCG_COND_LTU,
        [TCG_COND_LEU] = TCG_COND_GTU,      [TCG_COND_GTU] = TCG_COND_LEU,
        [TCG_COND_TSTEQ] = TCG_COND_TSTNE,  [TCG_COND_TSTNE] = TCG_COND_TSTEQ,
    };

    if ((unsigned)cond >= sizeof(inverse) / sizeof(inverse[0]))
        fatal("tcg_cond_invert: bad condition %d", (int)cond);
    return inverse[cond];
}

/* ---- emitters ---------------------------------------------------------------- */

static void emit1(struct tcg_ctx *s, enum tcg_opcode opc, uint64_t a0)
{
    uint64_t args[] = { a0 };

    tcg_emit(s, opc, args, 1);
}

static void emit2(struct tcg_ctx *s, enum tcg_opcode opc, uint64_t a0, uint64_t a1)
{
    uint64_t args[] = { a0, a1 };

    tcg_emit(s, opc, args, 2);
}

static void emit3(struct tcg_ctx *s, enum tcg_opcode opc, uint64_t a0, uint64_t a1, uint64_t a2)
{
    uint64_t args[] = { a0, a1, a2 };

    tcg_emit(s, opc, args, 3);
}

#define GEN_UNARY(name) \
    void tcg_gen_##name(struct tcg_ctx *s, tcg_temp d, tcg_temp a) \
    { emit2(s, TCG_OP_##name, d, a); }
#define GEN_BINARY(name) \
    void tcg_gen_##name(struct tcg_ctx *s, tcg_temp d, tcg_temp a, tcg_temp b) \
    { emit3(s, TCG_OP_##name, d, a, b); }
#define GEN_BINARY_IMM(name, op) \
    void tcg_gen_##name(struct tcg_ctx *s, tcg_temp d, tcg_temp a, uint32_t imm) \
    { tcg_gen_##op(s, d, a, tcg_const_i32(s, imm)); }
/* Counts are modulo 32 in the IR; an immediate count is reduced here so
 * that the constant temp says what the op will do. */
#define GEN_SHIFT_IMM(name, op) \
    void tcg_gen_##name(struct tcg_ctx *s, tcg_temp d, tcg_temp a, unsigned count) \
    { tcg_gen_##op(s, d, a, tcg_const_i32(s, count & 31)); }

GEN_UNARY(mov_i32)
GEN_UNARY(mov_i64)
GEN_UNARY(neg_i32)
GEN_UNARY(not_i32)
GEN_UNARY(ext8s_i32)
GEN_UNARY(ext8u_i32)
GEN_UNARY(ext16s_i32)
GEN_UNARY(ext16u_i32)
GEN_UNARY(bswap32_i32)
GEN_UNARY(clz_i32)
GEN_UNARY(extu_i32_i64)
GEN_UNARY(exts_i32_i64)
GEN_UNARY(extrl_i64_i32)
GEN_UNARY(extrh_i64_i32)

GEN_BINARY(add_i32)
GEN_BINARY(sub_i32)
GEN_BINARY(mul_i32)
GEN_BINARY(and_i32)
GEN_BINARY(or_i32)
GEN_BINARY(xor_i32)
GEN_BINARY(andc_i32)
GEN_BINARY(shl_i32)
GEN_BINARY(shr_i32)
GEN_BINARY(sar_i32)
GEN_BINARY(rotr_i32)
GEN_BINARY(divs_i32)
GEN_BINARY(divu_i32)
GEN_BINARY(add_i64)
GEN_BINARY(sub_i64)

GEN_BINARY_IMM(addi_i32, add_i32)
GEN_BINARY_IMM(subi_i32, sub_i32)
GEN_BINARY_IMM(andi_i32, and_i32)
GEN_BINARY_IMM(ori_i32, or_i32)
GEN_BINARY_IMM(xori_i32, xor_i32)
GEN_SHIFT_IMM(shli_i32, shl_i32)
GEN_SHIFT_IMM(shri_i32, shr_i32)
GEN_SHIFT_IMM(sari_i32, sar_i32)
GEN_SHIFT_IMM(rotri_i32, rotr_i32)

void tcg_gen_movi_i32(struct tcg_ctx *s, tcg_temp d, uint32_t imm) { emit2(s, TCG_OP_movi_i32, d, imm); }
void tcg_gen_movi_i64(struct tcg_ctx *s, tcg_temp d, uint64_t imm) { emit2(s, TCG_OP_movi_i64, d, imm); }

void tcg_gen_concat_i32_i64(struct tcg_ctx *s, tcg_temp d, tcg_temp lo, tcg_temp hi)
{
    emit3(s, TCG_OP_concat_i32_i64, d, lo, hi);
}

void tcg_gen_add2_i32(struct tcg_ctx *s, tcg_temp lo, tcg_temp hi,
                      tcg_temp al, tcg_temp ah, tcg_temp bl, tcg_temp bh)
{
    uint64_t args[] = { lo, hi, al, ah, bl, bh };

    tcg_emit(s, TCG_OP_add2_i32, args, 6);
}

void tcg_gen_sub2_i32(struct tcg_ctx *s, tcg_temp lo, tcg_temp hi,
                      tcg_temp al, tcg_temp ah, tcg_temp bl, tcg_temp bh)
{
    uint64_t args[] = { lo, hi, al, ah, bl, bh };

    tcg_emit(s, TCG_OP_sub2_i32, args, 6);
}

void tcg_gen_mulu2_i32(struct tcg_ctx *s, tcg_temp lo, tcg_temp hi, tcg_temp a, tcg_temp b)
{
    uint64_t args[] = { lo, hi, a, b };

    tcg_emit(s, TCG_OP_mulu2_i32, args, 4);
}

void tcg_gen_muls2_i32(struct tcg_ctx *s, tcg_temp lo, tcg_temp hi, tcg_temp a, tcg_temp b)
{
    uint64_t args[] = { lo, hi, a, b };

    tcg_emit(s, TCG_OP_muls2_i32, args, 4);
}

void tcg_gen_setcond_i32(struct tcg_ctx *s, enum tcg_cond cond, tcg_temp d, tcg_temp a, tcg_temp b)
{
    uint64_t args[] = { d, a, b, cond };

    tcg_emit(s, TCG_OP_setcond_i32, args, 4);
}

void tcg_gen_movcond_i32(struct tcg_ctx *s, enum tcg_cond cond, tcg_temp d,
                         tcg_temp c1, tcg_temp c2, tcg_temp v1, tcg_temp v2)
{
    uint64_t args[] = { d, c1, c2, v1, v2, cond };

    tcg_emit(s, TCG_OP_movcond_i32, args, 6);
}

void tcg_gen_ld_env_i32(struct tcg_ctx *s, tcg_temp d, size_t offset) { emit2(s, TCG_OP_ld_env_i32, d, offset); }
void tcg_gen_st_env_i32(struct tcg_ctx *s, tcg_temp v, size_t offset) { emit2(s, TCG_OP_st_env_i32, v, offset); }
void tcg_gen_ld_env_i64(struct tcg_ctx *s, tcg_temp d, size_t offset) { emit2(s, TCG_OP_ld_env_i64, d, offset); }
void tcg_gen_st_env_i64(struct tcg_ctx *s, tcg_temp v, size_t offset) { emit2(s, TCG_OP_st_env_i64, v, offset); }

void tcg_gen_qemu_ld_i32(struct tcg_ctx *s, tcg_temp d, tcg_temp addr, unsigned memop)
{
    emit3(s, TCG_OP_qemu_ld_i32, d, addr, memop);
}

void tcg_gen_qemu_st_i32(struct tcg_ctx *s, tcg_temp v, tcg_temp addr, unsigned memop)
{
    emit3(s, TCG_OP_qemu_st_i32, v, addr, memop);
}

void tcg_gen_qemu_ld_i64(struct tcg_ctx *s, tcg_temp d, tcg_temp addr, unsigned memop)
{
    emit3(s, TCG_OP_qemu_ld_i64, d, addr, memop);
}

void tcg_gen_qemu_st_i64(struct tcg_ctx *s, tcg_temp v, tcg_temp addr, unsigned memop)
{
    emit3(s, TCG_OP_qemu_st_i64, v, addr, memop);
}

void tcg_gen_mb(struct tcg_ctx *s, unsigned barrier) { emit1(s, TCG_OP_mb, barrier); }

void tcg_gen_call(struct tcg_ctx *s, const struct tcg_helper *helper, tcg_temp ret,
                  unsigned n_args, const tcg_temp *args)
{
    uint64_t a[TCG_MAX_OP_ARGS] = { 0 };

    if (n_args > TCG_MAX_CALL_ARGS)
        fatal("tcg_gen_call: %s with %u args", helper ? helper->name : "?", n_args);
    a[0] = (uint64_t)(uintptr_t)helper;
    a[1] = n_args;
    a[2] = ret != TCG_NO_RESULT;
    a[3] = ret != TCG_NO_RESULT ? ret : 0;
    for (unsigned i = 0; i < n_args; i++)
        a[4 + i] = args[i];
    tcg_emit(s, TCG_OP_call, a, 4 + n_args);
}

void tcg_gen_set_label(struct tcg_ctx *s, tcg_label l) { emit1(s, TCG_OP_set_label, l); }
void tcg_gen_br(struct tcg_ctx *s, tcg_label l) { emit1(s, TCG_OP_br, l); }

void tcg_gen_brcond_i32(struct tcg_ctx *s, enum tcg_cond cond, tcg_temp a, tcg_temp b, tcg_label l)
{
    uint64_t args[] = { a, b, cond, l };

    tcg_emit(s, TCG_OP_brcond_i32, args, 4);
}

void tcg_gen_brcondi_i32(struct tcg_ctx *s, enum tcg_cond cond, tcg_temp a, uint32_t imm, tcg_label l)
{
    tcg_gen_brcond_i32(s, cond, a, tcg_const_i32(s, imm), l);
}

void tcg_gen_goto_tb(struct tcg_ctx *s, unsigned slot) { emit1(s, TCG_OP_goto_tb, slot); }

void tcg_gen_exit_tb(struct tcg_ctx *s, uint64_t value) { emit1(s, TCG_OP_exit_tb, value); }
void tcg_gen_insn_start(struct tcg_ctx *s, uint64_t pc, uint64_t data) { emit2(s, TCG_OP_insn_start, pc, data); }
