/*
 * interp_exec.c — tcg_interp_exec(): runs compiled TBs (interp_priv.h).
 *
 * A threaded loop: every handler ends by jumping straight to the next
 * op's handler through a table indexed by the opcode word (GNU C's labels
 * as values, which gcc and clang both have). Temps live in one array on
 * this function's stack, indexed by slot; a 32-bit temp's slot holds its
 * value zero-extended, so every 32-bit result is cut to 32 bits when it
 * is written.
 *
 * A chained goto_tb jumps into the next TB's code without returning,
 * reusing the same temp array (temps are dead across TBs). The loop keeps
 * nothing anywhere but in its own frame and takes no lock, so a load,
 * store or helper that leaves by siglongjmp (a guest fault) abandons it
 * safely; the env stores it did before stay done, as they would on a CPU.
 */
#include "tcg/interp.h"
#include "tcg/interp_priv.h"
#include "tcg/ir_priv.h"

#include "util/fatal.h"
#include "util/fence.h"

#include <string.h>

/* The value a load returned, cut to its size and extended as memop says. */
static inline uint64_t load_extend(uint64_t v, uint32_t memop)
{
    switch (TCG_MEMOP_SIZE(memop)) {
    case TCG_MO_8:
        return memop & TCG_MO_SIGN ? (uint64_t)(int64_t)(int8_t)v : (uint8_t)v;
    case TCG_MO_16:
        return memop & TCG_MO_SIGN ? (uint64_t)(int64_t)(int16_t)v : (uint16_t)v;
    case TCG_MO_32:
        return memop & TCG_MO_SIGN ? (uint64_t)(int64_t)(int32_t)v : (uint32_t)v;
    default:
        return v;
    }
}

static inline uint64_t store_cut(uint64_t v, uint32_t memop)
{
    unsigned size = TCG_MEMOP_SIZE(memop);

    return size == TCG_MO_64 ? v : v & ((UINT64_C(1) << (8u << size)) - 1);
}

static inline uint32_t env_ld32(void *env, uint32_t off)
{
    uint32_t v;

    memcpy(&v, (char *)env + off, sizeof(v));
    return v;
}

static inline uint64_t env_ld64(void *env, uint32_t off)
{
    uint64_t v;

    memcpy(&v, (char *)env + off, sizeof(v));
    return v;
}

static inline void env_st32(void *env, uint32_t off, uint32_t v) { memcpy((char *)env + off, &v, sizeof(v)); }
static inline void env_st64(void *env, uint32_t off, uint64_t v) { memcpy((char *)env + off, &v, sizeof(v)); }

static inline uint64_t word64(const uint32_t *w) { return w[0] | (uint64_t)w[1] << 32; }

/* Calls the helper of the call op at ip; returns the op's length in words. */
static inline uint32_t do_call(const uint32_t *ip, uint64_t *t, void *env)
{
    uint32_t info = ip[1], n = info & INTERP_CALL_NARGS;
    tcg_helper_fn *fn = (tcg_helper_fn *)(uintptr_t)word64(&ip[2]);
    uint64_t args[TCG_MAX_CALL_ARGS], r;

    for (uint32_t k = 0; k < n; k++)
        args[k] = t[ip[5 + k]];
    r = fn(env, args);
    if (info & INTERP_CALL_RET)
        t[ip[4]] = info & INTERP_CALL_RET_I32 ? (uint32_t)r : r;
    return 5 + n;
}

#define DISPATCH()  goto *dispatch[*ip]
#define NEXT(n)     do { ip += (n); DISPATCH(); } while (0)
#define S(k)        t[ip[k]]                    /* the temp in operand word k */
#define U(k)        ((uint32_t)t[ip[k]])        /* ... as a 32-bit value */

#define BINARY_I32(name, expr) \
    op_##name: { uint32_t a = U(2), b = U(3); S(1) = (uint32_t)(expr); NEXT(4); }
#define UNARY_I32(name, expr) \
    op_##name: { uint32_t a = U(2); S(1) = (uint32_t)(expr); NEXT(3); }
#define BRCOND(cond, expr) \
    brcond_##cond: { uint32_t a = U(1), b = U(2); \
        if (expr) { ip = tb->code + ip[3]; DISPATCH(); } NEXT(4); }

uint64_t tcg_interp_exec(const void *code, struct tcg_interp_run *run,
                         const void **last_code)
{
    static const void *const dispatch[INTERP_N_OPCODES] = {
#define OP(name, n_out, n_in, n_const, flags) [TCG_OP_##name] = &&op_##name,
#include "tcg/ops.def"
        [INTERP_BRCOND + TCG_COND_NEVER] = &&brcond_NEVER,
        [INTERP_BRCOND + TCG_COND_ALWAYS] = &&brcond_ALWAYS,
        [INTERP_BRCOND + TCG_COND_EQ] = &&brcond_EQ,   [INTERP_BRCOND + TCG_COND_NE] = &&brcond_NE,
        [INTERP_BRCOND + TCG_COND_LT] = &&brcond_LT,   [INTERP_BRCOND + TCG_COND_GE] = &&brcond_GE,
        [INTERP_BRCOND + TCG_COND_LE] = &&brcond_LE,   [INTERP_BRCOND + TCG_COND_GT] = &&brcond_GT,
        [INTERP_BRCOND + TCG_COND_LTU] = &&brcond_LTU, [INTERP_BRCOND + TCG_COND_GEU] = &&brcond_GEU,
        [INTERP_BRCOND + TCG_COND_LEU] = &&brcond_LEU, [INTERP_BRCOND + TCG_COND_GTU] = &&brcond_GTU,
        [INTERP_BRCOND + TCG_COND_TSTEQ] = &&brcond_TSTEQ,
        [INTERP_BRCOND + TCG_COND_TSTNE] = &&brcond_TSTNE,
    };
    uint64_t t[TCG_INTERP_MAX_TEMPS];
    const struct interp_tb *tb = code;
    const uint32_t *ip = tb->code;
    void *env = run->env;
    const struct tcg_mem_ops *mem = run->mem;
    _Atomic int *exit_request = run->exit_request;

    DISPATCH();

op_mov_i32:
op_mov_i64:
    S(1) = S(2);
    NEXT(3);
op_movi_i32:
    S(1) = ip[2];
    NEXT(3);
op_movi_i64:
    S(1) = word64(&ip[2]);
    NEXT(4);

    BINARY_I32(add_i32, a + b)
    BINARY_I32(sub_i32, a - b)
    BINARY_I32(mul_i32, a * b)
    BINARY_I32(and_i32, a & b)
    BINARY_I32(or_i32, a | b)
    BINARY_I32(xor_i32, a ^ b)
    BINARY_I32(andc_i32, a & ~b)
    BINARY_I32(shl_i32, tcg_eval_shl(a, b))
    BINARY_I32(shr_i32, tcg_eval_shr(a, b))
    BINARY_I32(sar_i32, tcg_eval_sar(a, b))
    BINARY_I32(rotr_i32, tcg_eval_rotr(a, b))
    BINARY_I32(divs_i32, tcg_eval_divs(a, b))
    BINARY_I32(divu_i32, tcg_eval_divu(a, b))
    UNARY_I32(neg_i32, -a)
    UNARY_I32(not_i32, ~a)
    UNARY_I32(ext8s_i32, tcg_eval_ext8s(a))
    UNARY_I32(ext8u_i32, (uint8_t)a)
    UNARY_I32(ext16s_i32, tcg_eval_ext16s(a))
    UNARY_I32(ext16u_i32, (uint16_t)a)
    UNARY_I32(bswap32_i32, tcg_eval_bswap32(a))
    UNARY_I32(clz_i32, tcg_eval_clz(a))

op_add2_i32: {
    uint64_t r = tcg_eval_pair(U(3), U(4)) + tcg_eval_pair(U(5), U(6));
    S(1) = (uint32_t)r;
    S(2) = r >> 32;
    NEXT(7);
}
op_sub2_i32: {
    uint64_t r = tcg_eval_pair(U(3), U(4)) - tcg_eval_pair(U(5), U(6));
    S(1) = (uint32_t)r;
    S(2) = r >> 32;
    NEXT(7);
}
op_mulu2_i32: {
    uint64_t r = (uint64_t)U(3) * U(4);
    S(1) = (uint32_t)r;
    S(2) = r >> 32;
    NEXT(5);
}
op_muls2_i32: {
    uint64_t r = tcg_eval_muls64(U(3), U(4));
    S(1) = (uint32_t)r;
    S(2) = r >> 32;
    NEXT(5);
}
op_setcond_i32:
    S(1) = tcg_eval_cond(ip[4], U(2), U(3));
    NEXT(5);
op_movcond_i32:
    S(1) = tcg_eval_cond(ip[6], U(2), U(3)) ? S(4) : S(5);
    NEXT(7);

op_add_i64:
    S(1) = S(2) + S(3);
    NEXT(4);
op_sub_i64:
    S(1) = S(2) - S(3);
    NEXT(4);
op_extu_i32_i64:
op_extrl_i64_i32:
    S(1) = U(2);
    NEXT(3);
op_exts_i32_i64:
    S(1) = (uint64_t)(int64_t)(int32_t)U(2);
    NEXT(3);
op_extrh_i64_i32:
    S(1) = S(2) >> 32;
    NEXT(3);
op_concat_i32_i64:
    S(1) = tcg_eval_pair(U(2), U(3));
    NEXT(4);

op_ld_env_i32:
    S(1) = env_ld32(env, ip[2]);
    NEXT(3);
op_st_env_i32:
    env_st32(env, ip[2], U(1));
    NEXT(3);
op_ld_env_i64:
    S(1) = env_ld64(env, ip[2]);
    NEXT(3);
op_st_env_i64:
    env_st64(env, ip[2], S(1));
    NEXT(3);

op_qemu_ld_i32:
    S(1) = (uint32_t)load_extend(mem->load(env, S(2), ip[3]), ip[3]);
    NEXT(4);
op_qemu_ld_i64:
    S(1) = load_extend(mem->load(env, S(2), ip[3]), ip[3]);
    NEXT(4);
op_qemu_st_i32:
op_qemu_st_i64:
    mem->store(env, S(2), store_cut(S(1), ip[3]), ip[3]);
    NEXT(4);
op_mb:
    host_full_fence();
    NEXT(1);
op_call:
    NEXT(do_call(ip, t, env));

op_br:
    ip = tb->code + ip[1];
    DISPATCH();
    BRCOND(NEVER, false && a == b)
    BRCOND(ALWAYS, true || a == b)
    BRCOND(EQ, a == b)
    BRCOND(NE, a != b)
    BRCOND(LT, (int32_t)a < (int32_t)b)
    BRCOND(GE, (int32_t)a >= (int32_t)b)
    BRCOND(LE, (int32_t)a <= (int32_t)b)
    BRCOND(GT, (int32_t)a > (int32_t)b)
    BRCOND(LTU, a < b)
    BRCOND(GEU, a >= b)
    BRCOND(LEU, a <= b)
    BRCOND(GTU, a > b)
    BRCOND(TSTEQ, (a & b) == 0)
    BRCOND(TSTNE, (a & b) != 0)

op_goto_tb: {
    /* Acquire pairs with tcg_interp_link()'s release: the target's code
     * is complete before we can see its address. */
    const struct interp_tb *next = atomic_load_explicit(&tb->jmp[ip[1]], memory_order_acquire);

    if (next && run->chain_budget > 0 &&
        (!exit_request || !atomic_load_explicit(exit_request, memory_order_relaxed))) {
        run->chain_budget--;
        run->n_chained++;
        run->n_chained_insns += next->n_insns;
        tb = next;
        ip = tb->code;
        DISPATCH();
    }
    NEXT(2);
}
op_exit_tb:
    if (last_code)
        *last_code = tb;
    return word64(&ip[1]);
op_insn_start:
    env_st32(env, tb->insn_start_offset, ip[1]);
    NEXT(2);

op_set_label:
op_brcond_i32:
    fatal("tcg_interp_exec: opcode %u is never compiled (corrupt code at %p)", *ip, (const void *)ip);
}
