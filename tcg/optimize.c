/*
 * optimize.c — tcg_optimize(): two passes over one TB's op list.
 *
 * Forward, per basic block: constant propagation and folding, copy
 * propagation and algebraic identities. What is known about a temp (a
 * constant value, or "holds the same value as temp u") is valid only in
 * the block where it was learnt: an op that ends a block (label, branch,
 * TB exit) forgets everything, so nothing is propagated across a label.
 * Forgetting is O(1): each temp's knowledge carries the block number it
 * was learnt in. A copy also records the version (write count) of its
 * source, so writing the source silently voids every copy of it.
 *
 * Backward: dead-code removal. Temps are dead at the TB's end. At a branch
 * every temp that may carry a value from one block to another is taken
 * as live (no per-label liveness): a temp is "block-local" only when all
 * its uses sit in one block and the first of them is a write, and only
 * block-local temps are known dead at a branch. An op without side
 * effects whose outputs are all dead is marked dead; so is a call to a
 * TCG_CALL_PURE helper whose result is dead.
 *
 * What it never does: move an op; fold or remove a guest memory access,
 * a barrier, an env store or a non-pure call; forward a value loaded from
 * env (ld_env results are unknown, so a helper that writes env or an
 * st_env can never make a forwarded value stale). Ops are rewritten in
 * place (into mov/movi/br) or marked dead; the one insertion is the
 * second movi of a folded double-word op, right after it.
 */
#include "tcg/ir.h"
#include "tcg/ir_priv.h"

#include "util/fatal.h"

#include <stdlib.h>
#include <string.h>

#define NO_TEMP UINT32_MAX

struct opt_info {
    uint32_t bb;            /* the knowledge below holds while bb == opt.bb */
    uint32_t version;       /* bumped at every write of the temp */
    uint32_t copy_of;       /* NO_TEMP, or a temp holding the same value ... */
    uint32_t copy_version;  /* ... as long as its version is still this */
    bool is_const;
    uint64_t value;
};

struct opt {
    struct tcg_ctx *s;
    struct opt_info *info;
    uint32_t bb;
};

/* ---- what is known about a temp -------------------------------------- */

static bool get_const(const struct opt *o, uint64_t t, uint64_t *v)
{
    const struct opt_info *i = &o->info[t];

    if (i->bb != o->bb || !i->is_const)
        return false;
    *v = i->value;
    return true;
}

/* The temp whose value t holds: the oldest known copy, or t itself. */
static uint64_t rep(const struct opt *o, uint64_t t)
{
    const struct opt_info *i = &o->info[t];

    if (i->bb == o->bb && i->copy_of != NO_TEMP &&
        o->info[i->copy_of].version == i->copy_version)
        return i->copy_of;
    return t;
}

static struct opt_info *learn(struct opt *o, uint64_t t)
{
    struct opt_info *i = &o->info[t];

    i->version++;
    i->bb = o->bb;
    i->copy_of = NO_TEMP;
    i->is_const = false;
    return i;
}

static void set_const(struct opt *o, uint64_t t, uint64_t v)
{
    struct opt_info *i = learn(o, t);

    i->is_const = true;
    i->value = v;
}

/* d = src, where src is already its own representative. */
static void set_copy(struct opt *o, uint64_t d, uint64_t src)
{
    uint64_t v;

    if (get_const(o, src, &v)) {
        set_const(o, d, v);
        return;
    }
    learn(o, d)->copy_of = (uint32_t)src;
    o->info[d].copy_version = o->info[src].version;
}

/* ---- rewriting an op in place --------------------------------------------- */

static bool is_i64(const struct opt *o, uint64_t t)
{
    return o->s->temps[t].type == TCG_TYPE_I64;
}

static void make_movi(struct opt *o, struct tcg_op *op, uint64_t v)
{
    uint64_t d = op->args[0];
    bool wide = is_i64(o, d);

    memset(op->args, 0, sizeof(op->args));
    op->opc = wide ? TCG_OP_movi_i64 : TCG_OP_movi_i32;
    op->args[0] = d;
    op->args[1] = wide ? v : (uint32_t)v;
}

static void make_mov(struct opt *o, struct tcg_op *op, uint64_t src)
{
    uint64_t d = op->args[0];

    memset(op->args, 0, sizeof(op->args));
    op->opc = is_i64(o, d) ? TCG_OP_mov_i64 : TCG_OP_mov_i32;
    op->args[0] = d;
    op->args[1] = src;
}

/* Makes room for one op after index i; returns it (zeroed). */
static struct tcg_op *insert_after(struct tcg_ctx *s, size_t i)
{
    if (s->n_ops == s->cap_ops) {
        s->cap_ops *= 2;
        s->ops = xrealloc(s->ops, s->cap_ops * sizeof(*s->ops));
    }
    memmove(&s->ops[i + 2], &s->ops[i + 1], (s->n_ops - i - 1) * sizeof(*s->ops));
    s->n_ops++;
    memset(&s->ops[i + 1], 0, sizeof(*s->ops));
    return &s->ops[i + 1];
}

/* ---- folding ------------------------------------------------------------------ */

static bool fold_binary_i32(unsigned opc, uint32_t a, uint32_t b, uint32_t *r)
{
    switch (opc) {
    case TCG_OP_add_i32:  *r = a + b; return true;
    case TCG_OP_sub_i32:  *r = a - b; return true;
    case TCG_OP_mul_i32:  *r = a * b; return true;
    case TCG_OP_and_i32:  *r = a & b; return true;
    case TCG_OP_or_i32:   *r = a | b; return true;
    case TCG_OP_xor_i32:  *r = a ^ b; return true;
    case TCG_OP_andc_i32: *r = a & ~b; return true;
    case TCG_OP_shl_i32:  *r = tcg_eval_shl(a, b); return true;
    case TCG_OP_shr_i32:  *r = tcg_eval_shr(a, b); return true;
    case TCG_OP_sar_i32:  *r = tcg_eval_sar(a, b); return true;
    case TCG_OP_rotr_i32: *r = tcg_eval_rotr(a, b); return true;
    case TCG_OP_divs_i32: *r = tcg_eval_divs(a, b); return true;
    case TCG_OP_divu_i32: *r = tcg_eval_divu(a, b); return true;
    default:              return false;
    }
}

static bool fold_unary(unsigned opc, uint64_t a, uint64_t *r)
{
    uint32_t a32 = (uint32_t)a;

    switch (opc) {
    case TCG_OP_neg_i32:       *r = (uint32_t)-a32; return true;
    case TCG_OP_not_i32:       *r = (uint32_t)~a32; return true;
    case TCG_OP_ext8s_i32:     *r = tcg_eval_ext8s(a32); return true;
    case TCG_OP_ext8u_i32:     *r = (uint8_t)a32; return true;
    case TCG_OP_ext16s_i32:    *r = tcg_eval_ext16s(a32); return true;
    case TCG_OP_ext16u_i32:    *r = (uint16_t)a32; return true;
    case TCG_OP_bswap32_i32:   *r = tcg_eval_bswap32(a32); return true;
    case TCG_OP_clz_i32:       *r = tcg_eval_clz(a32); return true;
    case TCG_OP_extu_i32_i64:  *r = a32; return true;
    case TCG_OP_exts_i32_i64:  *r = (uint64_t)(int64_t)(int32_t)a32; return true;
    case TCG_OP_extrl_i64_i32: *r = (uint32_t)a; return true;
    case TCG_OP_extrh_i64_i32: *r = (uint32_t)(a >> 32); return true;
    default:                   return false;
    }
}

/* The value of a single-output op whose inputs are the constants in[]. */
static bool fold_value(const struct tcg_op *op, const uint64_t *in, uint64_t *r)
{
    uint32_t r32;

    switch (op->opc) {
    case TCG_OP_add_i64:        *r = in[0] + in[1]; return true;
    case TCG_OP_sub_i64:        *r = in[0] - in[1]; return true;
    case TCG_OP_concat_i32_i64: *r = tcg_eval_pair((uint32_t)in[0], (uint32_t)in[1]); return true;
    case TCG_OP_setcond_i32:
        *r = tcg_cond_eval((enum tcg_cond)op->args[3], (uint32_t)in[0], (uint32_t)in[1]);
        return true;
    case TCG_OP_movcond_i32:
        *r = tcg_cond_eval((enum tcg_cond)op->args[5], (uint32_t)in[0], (uint32_t)in[1])
             ? in[2] : in[3];
        return true;
    default:
        break;
    }
    if (tcg_op_defs[op->opc].n_in == 1)
        return fold_unary(op->opc, in[0], r);
    if (!fold_binary_i32(op->opc, (uint32_t)in[0], (uint32_t)in[1], &r32))
        return false;
    *r = r32;
    return true;
}

/* The (lo, hi) results of a double-word op with constant inputs. */
static uint64_t fold_pair(const struct tcg_op *op, const uint64_t *in)
{
    uint32_t a = (uint32_t)in[0], b = (uint32_t)in[1];

    switch (op->opc) {
    case TCG_OP_add2_i32:
        return tcg_eval_pair(a, b) + tcg_eval_pair((uint32_t)in[2], (uint32_t)in[3]);
    case TCG_OP_sub2_i32:
        return tcg_eval_pair(a, b) - tcg_eval_pair((uint32_t)in[2], (uint32_t)in[3]);
    case TCG_OP_mulu2_i32:
        return (uint64_t)a * b;
    default: /* muls2_i32 */
        return tcg_eval_muls64(a, b);
    }
}

/* Whether cond on (a, b) has one answer whatever the values: the constant
 * conditions, two constants, or one temp compared with itself. */
static bool cond_known(const struct opt *o, enum tcg_cond cond, uint64_t a, uint64_t b, bool *r)
{
    uint64_t va, vb;

    if (cond == TCG_COND_ALWAYS || cond == TCG_COND_NEVER) {
        *r = cond == TCG_COND_ALWAYS;
        return true;
    }
    if (get_const(o, a, &va) && get_const(o, b, &vb)) {
        *r = tcg_cond_eval(cond, (uint32_t)va, (uint32_t)vb);
        return true;
    }
    if (a != b || cond == TCG_COND_TSTEQ || cond == TCG_COND_TSTNE)
        return false;
    *r = tcg_cond_eval(cond, 0, 0);   /* x cond x is the same for every x */
    return true;
}

/* ---- identities ------------------------------------------------------------- */

/* id such that x op id == x, for the ops that have one. */
static bool right_identity(unsigned opc, uint64_t *id)
{
    switch (opc) {
    case TCG_OP_add_i32: case TCG_OP_sub_i32: case TCG_OP_or_i32: case TCG_OP_xor_i32:
    case TCG_OP_andc_i32: case TCG_OP_shl_i32: case TCG_OP_shr_i32: case TCG_OP_sar_i32:
    case TCG_OP_rotr_i32: case TCG_OP_add_i64: case TCG_OP_sub_i64:
        *id = 0;
        return true;
    case TCG_OP_mul_i32: case TCG_OP_divs_i32: case TCG_OP_divu_i32:
        *id = 1;
        return true;
    case TCG_OP_and_i32:
        *id = 0xffffffffu;
        return true;
    default:
        return false;
    }
}

/* id such that id op x == x. */
static bool left_identity(unsigned opc, uint64_t *id)
{
    switch (opc) {
    case TCG_OP_add_i32: case TCG_OP_or_i32: case TCG_OP_xor_i32: case TCG_OP_add_i64:
        *id = 0;
        return true;
    case TCG_OP_mul_i32:
        *id = 1;
        return true;
    case TCG_OP_and_i32:
        *id = 0xffffffffu;
        return true;
    default:
        return false;
    }
}

/* The result when one operand alone decides it: x & 0, x * 0, x | ~0,
 * 0 << x (and the other ops that map a zero left operand to zero), x / 0. */
static bool absorbed(unsigned opc, bool ka, uint64_t va, bool kb, uint64_t vb, uint64_t *r)
{
    switch (opc) {
    case TCG_OP_and_i32: case TCG_OP_mul_i32:
        *r = 0;
        return (ka && va == 0) || (kb && vb == 0);
    case TCG_OP_or_i32:
        *r = 0xffffffffu;
        return (ka && va == 0xffffffffu) || (kb && vb == 0xffffffffu);
    case TCG_OP_divs_i32: case TCG_OP_divu_i32:
        *r = 0;
        return (ka && va == 0) || (kb && vb == 0);
    case TCG_OP_shl_i32: case TCG_OP_shr_i32: case TCG_OP_sar_i32: case TCG_OP_rotr_i32:
    case TCG_OP_andc_i32:
        *r = 0;
        return ka && va == 0;
    default:
        return false;
    }
}

static bool is_shift(unsigned opc)
{
    return opc == TCG_OP_shl_i32 || opc == TCG_OP_shr_i32 || opc == TCG_OP_sar_i32 ||
           opc == TCG_OP_rotr_i32;
}

/* x op x. */
static void simplify_same(struct opt *o, struct tcg_op *op)
{
    switch (op->opc) {
    case TCG_OP_sub_i32: case TCG_OP_xor_i32: case TCG_OP_andc_i32: case TCG_OP_sub_i64:
        make_movi(o, op, 0);
        break;
    case TCG_OP_and_i32: case TCG_OP_or_i32:
        make_mov(o, op, op->args[1]);
        break;
    default:
        break;
    }
}

/* A two-input, one-output arithmetic op with at most one constant input. */
static void simplify_binary(struct opt *o, struct tcg_op *op)
{
    uint64_t a = op->args[1], b = op->args[2], va = 0, vb = 0, id, r;
    bool ka = get_const(o, a, &va), kb = get_const(o, b, &vb);

    if (kb && is_shift(op->opc))
        vb &= 31;
    if (kb && right_identity(op->opc, &id) && vb == id)
        make_mov(o, op, a);
    else if (ka && left_identity(op->opc, &id) && va == id)
        make_mov(o, op, b);
    else if (absorbed(op->opc, ka, va, kb, vb, &r))
        make_movi(o, op, r);
    else if (a == b)
        simplify_same(o, op);
}

/* ---- the forward pass ---------------------------------------------------------- */

static bool inputs_const(const struct opt *o, const struct tcg_op *op, uint64_t *in)
{
    struct tcg_op_temps t = tcg_op_temps_of(op);

    for (unsigned k = 0; k < t.n_in; k++)
        if (!get_const(o, t.in[k], &in[k]))
            return false;
    return true;
}

static void simplify_cond(struct opt *o, struct tcg_op *op)
{
    bool r;

    if (op->opc == TCG_OP_setcond_i32) {
        if (cond_known(o, (enum tcg_cond)op->args[3], op->args[1], op->args[2], &r))
            make_movi(o, op, r);
    } else if (cond_known(o, (enum tcg_cond)op->args[5], op->args[1], op->args[2], &r)) {
        make_mov(o, op, r ? op->args[3] : op->args[4]);
    } else if (op->args[3] == op->args[4]) {
        make_mov(o, op, op->args[3]);
    }
}

/* Folds or simplifies one op that computes values from temps only. */
static void simplify(struct opt *o, struct tcg_op *op)
{
    const struct tcg_op_def *def = &tcg_op_defs[op->opc];
    uint64_t in[TCG_MAX_OP_ARGS], v;

    if (def->n_out != 1 || def->n_in == 0 || (def->flags & (TCG_OPF_SIDE_EFFECTS | TCG_OPF_READS_ENV)))
        return;
    if (op->opc == TCG_OP_mov_i32 || op->opc == TCG_OP_mov_i64)
        ;
    else if (inputs_const(o, op, in) && fold_value(op, in, &v))
        make_movi(o, op, v);
    else if (op->opc == TCG_OP_setcond_i32 || op->opc == TCG_OP_movcond_i32)
        simplify_cond(o, op);
    else if (def->n_in == 2)
        simplify_binary(o, op);
    /* Whatever became a move: of a constant, it is a movi; onto itself, nothing. */
    if ((op->opc == TCG_OP_mov_i32 || op->opc == TCG_OP_mov_i64) && get_const(o, op->args[1], &v))
        make_movi(o, op, v);
    else if ((op->opc == TCG_OP_mov_i32 || op->opc == TCG_OP_mov_i64) && op->args[0] == op->args[1])
        op->dead = 1;
}

/* add2/sub2/mulu2/muls2 of constants: movi lo, then a new movi hi. */
static void fold_double(struct opt *o, size_t i)
{
    struct tcg_op *op = &o->s->ops[i], *hi_op;
    uint64_t in[TCG_MAX_OP_ARGS], v, hi = op->args[1];

    if (!inputs_const(o, op, in))
        return;
    v = fold_pair(op, in);
    make_movi(o, op, (uint32_t)v);
    hi_op = insert_after(o->s, i);
    hi_op->opc = TCG_OP_movi_i32;
    hi_op->args[0] = hi;
    hi_op->args[1] = (uint32_t)(v >> 32);
}

static void fold_brcond(struct opt *o, struct tcg_op *op)
{
    uint64_t label = op->args[3];
    bool taken;

    if (!cond_known(o, (enum tcg_cond)op->args[2], op->args[0], op->args[1], &taken))
        return;
    if (!taken) {
        op->dead = 1;
        return;
    }
    memset(op->args, 0, sizeof(op->args));
    op->opc = TCG_OP_br;
    op->args[0] = label;
}

static void propagate_copies(struct opt *o, struct tcg_op *op)
{
    struct tcg_op_temps t = tcg_op_temps_of(op);
    uint64_t *in = op->args + (t.in - op->args);

    for (unsigned k = 0; k < t.n_in; k++)
        in[k] = rep(o, in[k]);
}

static void record_outputs(struct opt *o, const struct tcg_op *op)
{
    struct tcg_op_temps t = tcg_op_temps_of(op);

    if (op->opc == TCG_OP_movi_i32 || op->opc == TCG_OP_movi_i64)
        set_const(o, op->args[0], op->args[1]);
    else if (op->opc == TCG_OP_mov_i32 || op->opc == TCG_OP_mov_i64)
        set_copy(o, op->args[0], op->args[1]);
    else
        for (unsigned k = 0; k < t.n_out; k++)
            learn(o, t.out[k]);
}

static bool is_double(unsigned opc)
{
    return opc == TCG_OP_add2_i32 || opc == TCG_OP_sub2_i32 || opc == TCG_OP_mulu2_i32 ||
           opc == TCG_OP_muls2_i32;
}

static void forward(struct opt *o)
{
    for (size_t i = 0; i < o->s->n_ops; i++) {
        struct tcg_op *op = &o->s->ops[i];

        if (op->dead)
            continue;
        propagate_copies(o, op);
        if (op->opc == TCG_OP_brcond_i32)
            fold_brcond(o, op);
        else if (is_double(op->opc))
            fold_double(o, i);
        else
            simplify(o, op);
        op = &o->s->ops[i];             /* fold_double may have moved the array */
        if (op->dead)
            continue;
        record_outputs(o, op);
        if (tcg_op_defs[op->opc].flags & TCG_OPF_BB_END)
            o->bb++;
    }
}

/* ---- the backward pass ------------------------------------------------------------ */

/* global[t]: t may carry a value across a block boundary, i.e. it appears
 * in two blocks, or the first time it appears (in its block) is a read. */
static void find_global_temps(const struct tcg_ctx *s, bool *global)
{
    uint32_t *seen = xmalloc(s->n_temps * sizeof(*seen)), bb = 0;

    memset(seen, 0xff, s->n_temps * sizeof(*seen));
    for (size_t i = 0; i < s->n_ops; i++) {
        const struct tcg_op *op = &s->ops[i];
        struct tcg_op_temps t = tcg_op_temps_of(op);

        if (op->dead)
            continue;
        for (unsigned k = 0; k < t.n_in; k++) {
            global[t.in[k]] |= seen[t.in[k]] != bb;
            seen[t.in[k]] = bb;
        }
        for (unsigned k = 0; k < t.n_out; k++) {
            global[t.out[k]] |= seen[t.out[k]] != bb && seen[t.out[k]] != NO_TEMP;
            seen[t.out[k]] = bb;
        }
        if (tcg_op_defs[op->opc].flags & TCG_OPF_BB_END)
            bb++;
    }
    free(seen);
}

static bool removable(const struct tcg_op *op, const bool *live)
{
    struct tcg_op_temps t = tcg_op_temps_of(op);

    if (op->opc == TCG_OP_call) {
        const struct tcg_helper *h = (const struct tcg_helper *)(uintptr_t)op->args[0];

        return (h->flags & TCG_CALL_PURE) && t.n_out == 1 && !live[t.out[0]];
    }
    if (t.n_out == 0 || (tcg_op_defs[op->opc].flags & TCG_OPF_SIDE_EFFECTS))
        return false;
    for (unsigned k = 0; k < t.n_out; k++)
        if (live[t.out[k]])
            return false;
    return true;
}

static void remove_dead(struct tcg_ctx *s)
{
    bool *global = xcalloc(s->n_temps + 1, 1), *live = xcalloc(s->n_temps + 1, 1);

    find_global_temps(s, global);
    for (size_t i = s->n_ops; i-- > 0;) {
        struct tcg_op *op = &s->ops[i];
        struct tcg_op_temps t = tcg_op_temps_of(op);

        if (op->dead)
            continue;
        if (op->opc == TCG_OP_exit_tb)
            memset(live, 0, s->n_temps);
        else if (op->opc == TCG_OP_br)
            memcpy(live, global, s->n_temps);
        else if (op->opc == TCG_OP_brcond_i32)
            for (size_t k = 0; k < s->n_temps; k++)
                live[k] |= global[k];
        if (removable(op, live)) {
            op->dead = 1;
            continue;
        }
        for (unsigned k = 0; k < t.n_out; k++)
            live[t.out[k]] = false;
        for (unsigned k = 0; k < t.n_in; k++)
            live[t.in[k]] = true;
    }
    free(global);
    free(live);
}

void tcg_optimize(struct tcg_ctx *s)
{
    struct opt o = { .s = s, .bb = 1 };

    o.info = xcalloc(s->n_temps + 1, sizeof(*o.info));
    forward(&o);
    free(o.info);
    remove_dead(s);
}
