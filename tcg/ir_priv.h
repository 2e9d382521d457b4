/*
 * ir_priv.h — what the tcg/ sources share and nobody outside needs.
 *
 * Where an op's temps sit in its args (a call lays them out differently
 * from every other op), and what the IR's less obvious 32-bit ops compute,
 * written once for the optimizer (which folds them) and the interpreter
 * (which runs them), so the two cannot disagree on a corner case: shift
 * counts modulo 32, division that never traps, clz(0) = 32.
 */
#ifndef TCG_IR_PRIV_H
#define TCG_IR_PRIV_H

#include "tcg/ir.h"

#include <stdbool.h>
#include <stdint.h>

/* ---- an op's temps ---------------------------------------------------- */

struct tcg_op_temps {
    const uint64_t *out, *in;
    unsigned n_out, n_in;
};

static inline struct tcg_op_temps tcg_op_temps_of(const struct tcg_op *op)
{
    struct tcg_op_temps t;

    if (op->opc == TCG_OP_call) {
        t.out = &op->args[3];
        t.n_out = (unsigned)op->args[2];
        t.in = &op->args[4];
        t.n_in = (unsigned)op->args[1];
    } else {
        t.out = op->args;
        t.n_out = tcg_op_defs[op->opc].n_out;
        t.in = op->args + t.n_out;
        t.n_in = tcg_op_defs[op->opc].n_in;
    }
    return t;
}

/* The first constant of a non-call op. */
static inline const uint64_t *tcg_op_consts(const struct tcg_op *op)
{
    return op->args + tcg_op_defs[op->opc].n_out + tcg_op_defs[op->opc].n_in;
}

/* ---- 32-bit semantics --------------------------------------------------- */

/* tcg_cond_eval(), inline for the exec loop; cond is known to be valid. */
static inline bool tcg_eval_cond(unsigned cond, uint32_t a, uint32_t b)
{
    switch (cond) {
    case TCG_COND_ALWAYS: return true;
    case TCG_COND_EQ:     return a == b;
    case TCG_COND_NE:     return a != b;
    case TCG_COND_LT:     return (int32_t)a < (int32_t)b;
    case TCG_COND_GE:     return (int32_t)a >= (int32_t)b;
    case TCG_COND_LE:     return (int32_t)a <= (int32_t)b;
    case TCG_COND_GT:     return (int32_t)a > (int32_t)b;
    case TCG_COND_LTU:    return a < b;
    case TCG_COND_GEU:    return a >= b;
    case TCG_COND_LEU:    return a <= b;
    case TCG_COND_GTU:    return a > b;
    case TCG_COND_TSTEQ:  return (a & b) == 0;
    case TCG_COND_TSTNE:  return (a & b) != 0;
    default:              return false;   /* TCG_COND_NEVER */
    }
}

static inline uint32_t tcg_eval_shl(uint32_t a, uint32_t b) { return a << (b & 31); }
static inline uint32_t tcg_eval_shr(uint32_t a, uint32_t b) { return a >> (b & 31); }

/* Arithmetic right shift without relying on the host's >> of negatives. */
static inline uint32_t tcg_eval_sar(uint32_t a, uint32_t b)
{
    uint32_t n = b & 31, sign = (a >> 31) ? ~(~0u >> n) : 0;

    return (a >> n) | sign;
}

static inline uint32_t tcg_eval_rotr(uint32_t a, uint32_t b)
{
    uint32_t n = b & 31;

    return n ? (a >> n) | (a << (32 - n)) : a;
}

static inline uint32_t tcg_eval_divs(uint32_t a, uint32_t b)
{
    if (b == 0)
        return 0;
    if (a == 0x80000000u && b == 0xffffffffu)
        return a;
    return (uint32_t)((int32_t)a / (int32_t)b);
}

static inline uint32_t tcg_eval_divu(uint32_t a, uint32_t b) { return b ? a / b : 0; }

static inline uint32_t tcg_eval_clz(uint32_t a) { return a ? (uint32_t)__builtin_clz(a) : 32; }
static inline uint32_t tcg_eval_bswap32(uint32_t a) { return __builtin_bswap32(a); }
static inline uint32_t tcg_eval_ext8s(uint32_t a) { return (uint32_t)(int32_t)(int8_t)a; }
static inline uint32_t tcg_eval_ext16s(uint32_t a) { return (uint32_t)(int32_t)(int16_t)a; }

/* The 64-bit value of a (lo, hi) pair and the pair of a 64-bit value. */
static inline uint64_t tcg_eval_pair(uint32_t lo, uint32_t hi) { return lo | (uint64_t)hi << 32; }

static inline uint64_t tcg_eval_muls64(uint32_t a, uint32_t b)
{
    return (uint64_t)((int64_t)(int32_t)a * (int64_t)(int32_t)b);
}

#endif
