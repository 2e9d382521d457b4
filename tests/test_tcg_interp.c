/*
 * test_tcg_interp.c — the reference backend: every op run through
 * tcg_optimize + tcg_interp_compile + tcg_interp_exec, the corner cases
 * the IR defines (shift counts, division, clz(0), carries), conditions,
 * loops, env and guest-memory access through a recording mem_ops, helper
 * calls, chaining, non-local exits, the size check and slot sharing.
 *
 * Each op is checked twice: with inputs loaded from env (the interpreter
 * computes) and with constant inputs (the optimizer must fold everything
 * to a movi, and the folded value must be the same).
 */
#include "tcg/interp.h"
#include "tcg/interp_priv.h"

#include <check.h>
#include <setjmp.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

struct env {
    uint32_t r[8];
    uint64_t d[4];
    uint32_t pc;
};

#define R(i) offsetof(struct env, r[i])
#define D(i) offsetof(struct env, d[i])

static struct tcg_ctx *s;
static struct env env;
static _Alignas(16) uint8_t code[1 << 20], code2[4096];

/* ---- a recording guest memory ------------------------------------------ */

struct mem_call {
    char kind;               /* 'l' or 's' */
    uint64_t addr, value;
    unsigned memop;
};

static struct mem_call mem_log[16];
static unsigned n_mem_log;
static uint64_t load_value;  /* what every load returns */
static sigjmp_buf fault_jmp;
static bool fault_on_load;

static uint64_t fake_load(void *e, uint64_t addr, unsigned memop)
{
    ck_assert_ptr_eq(e, &env);
    if (fault_on_load)
        siglongjmp(fault_jmp, 1);
    mem_log[n_mem_log++] = (struct mem_call){ 'l', addr, load_value, memop };
    return load_value;
}

static void fake_store(void *e, uint64_t addr, uint64_t value, unsigned memop)
{
    ck_assert_ptr_eq(e, &env);
    mem_log[n_mem_log++] = (struct mem_call){ 's', addr, value, memop };
}

static const struct tcg_mem_ops fake_mem = { fake_load, fake_store };

static void setup(void)
{
    s = tcg_ctx_new();
    s->insn_start_offset = offsetof(struct env, pc);
    memset(&env, 0, sizeof(env));
    n_mem_log = 0;
    load_value = 0;
    fault_on_load = false;
}

static void teardown(void)
{
    tcg_ctx_free(s);
}

/* ---- running a TB ---------------------------------------------------------- */

static void *compile_into(void *buf, size_t cap)
{
    tcg_optimize(s);
    ck_assert_uint_ne(tcg_interp_compile(s, buf, cap), 0);
    return buf;
}

static uint64_t exec_code(const void *c, _Atomic int *exit_request, const void **last)
{
    struct tcg_interp_run run = { &env, &fake_mem, exit_request, .chain_budget = UINT64_MAX };

    return tcg_interp_exec(c, &run, last);
}

static uint64_t run_tb(void)
{
    return exec_code(compile_into(code, sizeof(code)), NULL, NULL);
}

/* After folding, nothing may compute: only movi, env stores and the exit. */
static void assert_all_folded(void)
{
    for (size_t i = 0; i < s->n_ops; i++) {
        unsigned opc = s->ops[i].opc;

        if (s->ops[i].dead)
            continue;
        ck_assert_msg(opc == TCG_OP_movi_i32 || opc == TCG_OP_movi_i64 || opc == TCG_OP_st_env_i32 ||
                      opc == TCG_OP_st_env_i64 || opc == TCG_OP_exit_tb,
                      "op %zu (%s) was not folded", i, tcg_op_defs[opc].name);
    }
}

/* An i32 input: from env (computed at run time) or a constant (folded). */
static tcg_temp input(unsigned i, uint32_t v, bool folded)
{
    tcg_temp t;

    if (folded)
        return tcg_const_i32(s, v);
    t = tcg_temp_new_i32(s);
    env.r[i] = v;
    tcg_gen_ld_env_i32(s, t, R(i));
    return t;
}

/* Stores the results in r[6], r[7], runs, checks folding if asked. */
static void finish(tcg_temp d0, tcg_temp d1, bool folded)
{
    tcg_gen_st_env_i32(s, d0, R(6));
    if (d1 != TCG_NO_RESULT)
        tcg_gen_st_env_i32(s, d1, R(7));
    tcg_gen_exit_tb(s, 0);
    tcg_optimize(s);
    if (folded)
        assert_all_folded();
    ck_assert_uint_eq(run_tb(), 0);
}

typedef void gen_binary_fn(struct tcg_ctx *, tcg_temp, tcg_temp, tcg_temp);
typedef void gen_unary_fn(struct tcg_ctx *, tcg_temp, tcg_temp);

static uint32_t binary(gen_binary_fn *gen, uint32_t a, uint32_t b, bool folded)
{
    tcg_temp d, ta, tb;

    tcg_ctx_reset(s);
    d = tcg_temp_new_i32(s);
    ta = input(0, a, folded);
    tb = input(1, b, folded);
    gen(s, d, ta, tb);
    finish(d, TCG_NO_RESULT, folded);
    return env.r[6];
}

static uint32_t unary(gen_unary_fn *gen, uint32_t a, bool folded)
{
    tcg_temp d;

    tcg_ctx_reset(s);
    d = tcg_temp_new_i32(s);
    gen(s, d, input(0, a, folded));
    finish(d, TCG_NO_RESULT, folded);
    return env.r[6];
}

#define CHECK_BINARY(op, a, b, want) do { \
        ck_assert_uint_eq(binary(tcg_gen_##op, a, b, false), (uint32_t)(want)); \
        ck_assert_uint_eq(binary(tcg_gen_##op, a, b, true), (uint32_t)(want)); \
    } while (0)
#define CHECK_UNARY(op, a, want) do { \
        ck_assert_uint_eq(unary(tcg_gen_##op, a, false), (uint32_t)(want)); \
        ck_assert_uint_eq(unary(tcg_gen_##op, a, true), (uint32_t)(want)); \
    } while (0)

/* ---- arithmetic and logic ------------------------------------------------------ */

START_TEST(arithmetic_and_logic_wrap_at_32_bits)
{
    CHECK_BINARY(add_i32, 1, 2, 3);
    CHECK_BINARY(add_i32, 0xffffffff, 1, 0);
    CHECK_BINARY(sub_i32, 1, 2, 0xffffffff);
    CHECK_BINARY(mul_i32, 0x10001, 0x10001, 0x20001);
    CHECK_BINARY(mul_i32, 7, 0xfffffffd, 0xffffffeb);
    CHECK_BINARY(and_i32, 0xff00ff00, 0x0ff00ff0, 0x0f000f00);
    CHECK_BINARY(or_i32, 0xff00ff00, 0x0ff00ff0, 0xfff0fff0);
    CHECK_BINARY(xor_i32, 0xff00ff00, 0x0ff00ff0, 0xf0f0f0f0);
    CHECK_BINARY(andc_i32, 0xff00ff00, 0x0ff00ff0, 0xf000f000);
}
END_TEST

START_TEST(shift_counts_are_taken_modulo_32)
{
    CHECK_BINARY(shl_i32, 0x80000001, 0, 0x80000001);
    CHECK_BINARY(shl_i32, 1, 31, 0x80000000);
    CHECK_BINARY(shl_i32, 3, 33, 6);
    CHECK_BINARY(shr_i32, 0x80000000, 31, 1);
    CHECK_BINARY(shr_i32, 0x80000000, 0, 0x80000000);
    CHECK_BINARY(shr_i32, 0x80000000, 32, 0x80000000);
    CHECK_BINARY(sar_i32, 0x80000000, 31, 0xffffffff);
    CHECK_BINARY(sar_i32, 0x80000000, 0, 0x80000000);
    CHECK_BINARY(sar_i32, 0x40000000, 30, 1);
    CHECK_BINARY(sar_i32, 0x80000000, 4, 0xf8000000);
    CHECK_BINARY(rotr_i32, 0x12345678, 0, 0x12345678);
    CHECK_BINARY(rotr_i32, 0x12345678, 8, 0x78123456);
    CHECK_BINARY(rotr_i32, 1, 31, 2);
    CHECK_BINARY(rotr_i32, 0x12345678, 40, 0x78123456);
}
END_TEST

START_TEST(division_never_traps)
{
    CHECK_BINARY(divs_i32, 7, 2, 3);
    CHECK_BINARY(divs_i32, (uint32_t)-7, 2, (uint32_t)-3);
    CHECK_BINARY(divs_i32, 7, (uint32_t)-2, (uint32_t)-3);
    CHECK_BINARY(divs_i32, 5, 0, 0);
    CHECK_BINARY(divs_i32, 0x80000000, 0xffffffff, 0x80000000);
    CHECK_BINARY(divu_i32, 7, 2, 3);
    CHECK_BINARY(divu_i32, 0xffffffff, 2, 0x7fffffff);
    CHECK_BINARY(divu_i32, 0xffffffff, 0, 0);
}
END_TEST

START_TEST(unary_ops_extend_swap_and_count)
{
    CHECK_UNARY(neg_i32, 1, 0xffffffff);
    CHECK_UNARY(neg_i32, 0x80000000, 0x80000000);
    CHECK_UNARY(not_i32, 0, 0xffffffff);
    CHECK_UNARY(ext8s_i32, 0x80, 0xffffff80);
    CHECK_UNARY(ext8s_i32, 0x17f, 0x7f);
    CHECK_UNARY(ext8u_i32, 0x1ff, 0xff);
    CHECK_UNARY(ext16s_i32, 0x8000, 0xffff8000);
    CHECK_UNARY(ext16s_i32, 0x17fff, 0x7fff);
    CHECK_UNARY(ext16u_i32, 0x12345678, 0x5678);
    CHECK_UNARY(bswap32_i32, 0x12345678, 0x78563412);
    CHECK_UNARY(clz_i32, 0, 32);
    CHECK_UNARY(clz_i32, 1, 31);
    CHECK_UNARY(clz_i32, 0x80000000, 0);
    CHECK_UNARY(mov_i32, 0xdeadbeef, 0xdeadbeef);
}
END_TEST

/* ---- double-word results ----------------------------------------------------- */

/* op (lo, hi) from four inputs (add2/sub2) or two (mulu2/muls2). */
static uint64_t pair_op(unsigned opc, const uint32_t *in, bool folded)
{
    tcg_temp lo, hi, t[4];
    unsigned n = opc == TCG_OP_add2_i32 || opc == TCG_OP_sub2_i32 ? 4 : 2;

    tcg_ctx_reset(s);
    lo = tcg_temp_new_i32(s);
    hi = tcg_temp_new_i32(s);
    for (unsigned k = 0; k < n; k++)
        t[k] = input(k, in[k], folded);
    if (opc == TCG_OP_add2_i32)
        tcg_gen_add2_i32(s, lo, hi, t[0], t[1], t[2], t[3]);
    else if (opc == TCG_OP_sub2_i32)
        tcg_gen_sub2_i32(s, lo, hi, t[0], t[1], t[2], t[3]);
    else if (opc == TCG_OP_mulu2_i32)
        tcg_gen_mulu2_i32(s, lo, hi, t[0], t[1]);
    else
        tcg_gen_muls2_i32(s, lo, hi, t[0], t[1]);
    finish(lo, hi, folded);
    return env.r[6] | (uint64_t)env.r[7] << 32;
}

#define CHECK_PAIR(opc, want, ...) do { \
        const uint32_t in_[] = { __VA_ARGS__ }; \
        ck_assert_uint_eq(pair_op(TCG_OP_##opc, in_, false), (uint64_t)(want)); \
        ck_assert_uint_eq(pair_op(TCG_OP_##opc, in_, true), (uint64_t)(want)); \
    } while (0)

START_TEST(add2_carries_and_sub2_borrows_into_the_high_word)
{
    CHECK_PAIR(add2_i32, 0x100000000ull, 0xffffffff, 0, 1, 0);
    CHECK_PAIR(add2_i32, 0x0000000100000001ull, 0xffffffff, 0xffffffff, 2, 1);
    CHECK_PAIR(sub2_i32, 0xffffffffull, 0, 1, 1, 0);
    CHECK_PAIR(sub2_i32, 0xffffffffffffffffull, 0, 0, 1, 0);
}
END_TEST

START_TEST(mulu2_and_muls2_give_the_full_product)
{
    CHECK_PAIR(mulu2_i32, 0xfffffffe00000001ull, 0xffffffff, 0xffffffff);
    CHECK_PAIR(muls2_i32, 1, 0xffffffff, 0xffffffff);
    CHECK_PAIR(muls2_i32, 0xfffffffffffffffaull, (uint32_t)-2, 3);
    CHECK_PAIR(muls2_i32, 0x4000000000000000ull, 0x80000000, 0x80000000);
    CHECK_PAIR(mulu2_i32, 0x4000000000000000ull, 0x80000000, 0x80000000);
}
END_TEST

/* ---- conditions -------------------------------------------------------------- */

/* Each condition on the pairs (1,2) (2,1) (2,2) (-1,1), as '0'/'1'. */
static const uint32_t cond_a[4] = { 1, 2, 2, 0xffffffff }, cond_b[4] = { 2, 1, 2, 1 };
static const char *const cond_want[] = {
    [TCG_COND_NEVER] = "0000", [TCG_COND_ALWAYS] = "1111",
    [TCG_COND_EQ] = "0010",    [TCG_COND_NE] = "1101",
    [TCG_COND_LT] = "1001",    [TCG_COND_GE] = "0110",
    [TCG_COND_LE] = "1011",    [TCG_COND_GT] = "0100",
    [TCG_COND_LTU] = "1000",   [TCG_COND_GEU] = "0111",
    [TCG_COND_LEU] = "1010",   [TCG_COND_GTU] = "0101",
    [TCG_COND_TSTEQ] = "1100", [TCG_COND_TSTNE] = "0011",
};

enum cond_form { SETCOND, MOVCOND, BRCOND };

/* r[6] = cond(a, b) computed by setcond, movcond (0x1234 : 0x5678) or a
 * brcond around a store. */
static uint32_t cond_op(enum cond_form form, enum tcg_cond c, uint32_t a, uint32_t b, bool folded)
{
    tcg_temp d, ta, tb, yes, no;
    tcg_label skip;

    tcg_ctx_reset(s);
    d = tcg_temp_new_i32(s);
    ta = input(0, a, folded);
    tb = input(1, b, folded);
    if (form == SETCOND) {
        tcg_gen_setcond_i32(s, c, d, ta, tb);
    } else if (form == MOVCOND) {
        yes = input(2, 0x1234, folded);
        no = input(3, 0x5678, folded);
        tcg_gen_movcond_i32(s, c, d, ta, tb, yes, no);
    } else {
        skip = tcg_label_new(s);
        tcg_gen_movi_i32(s, d, 1);
        tcg_gen_brcond_i32(s, c, ta, tb, skip);
        tcg_gen_movi_i32(s, d, 0);
        tcg_gen_set_label(s, skip);
    }
    tcg_gen_st_env_i32(s, d, R(6));
    tcg_gen_exit_tb(s, 0);
    run_tb();
    return env.r[6];
}

static void check_cond_form(enum cond_form form)
{
    for (unsigned c = TCG_COND_NEVER; c <= TCG_COND_TSTNE; c++) {
        for (unsigned p = 0; p < 4; p++) {
            bool want = cond_want[c][p] == '1';
            uint32_t w = form == MOVCOND ? (want ? 0x1234 : 0x5678) : want;

            for (int folded = 0; folded < 2; folded++)
                ck_assert_msg(cond_op(form, c, cond_a[p], cond_b[p], folded) == w,
                              "form %d cond %u pair %u folded %d", form, c, p, folded);
        }
    }
}

START_TEST(setcond_evaluates_every_condition)
{
    check_cond_form(SETCOND);
}
END_TEST

START_TEST(movcond_selects_on_every_condition)
{
    check_cond_form(MOVCOND);
}
END_TEST

START_TEST(brcond_branches_on_every_condition)
{
    check_cond_form(BRCOND);
}
END_TEST

START_TEST(brcond_loop_sums_one_to_a_hundred)
{
    tcg_temp i = tcg_const_i32(s, 0), sum = tcg_const_i32(s, 0);
    tcg_label top = tcg_label_new(s);

    tcg_gen_set_label(s, top);
    tcg_gen_addi_i32(s, i, i, 1);
    tcg_gen_add_i32(s, sum, sum, i);
    tcg_gen_brcondi_i32(s, TCG_COND_LTU, i, 100, top);
    tcg_gen_st_env_i32(s, sum, R(0));
    tcg_gen_exit_tb(s, 3);
    ck_assert_uint_eq(run_tb(), 3);
    ck_assert_uint_eq(env.r[0], 5050);
}
END_TEST

/* k is last read at the top of the loop; the temps after it in the body
 * must not take its slot, since the next iteration reads k again. */
START_TEST(loop_keeps_values_defined_before_it)
{
    tcg_temp k = tcg_temp_new_i32(s), i = tcg_const_i32(s, 0), acc = tcg_const_i32(s, 0);
    tcg_label top = tcg_label_new(s);

    tcg_gen_ld_env_i32(s, k, R(1));
    env.r[1] = 7;
    tcg_gen_set_label(s, top);
    tcg_gen_add_i32(s, acc, acc, k);
    for (int n = 0; n < 8; n++) {
        tcg_temp junk = tcg_temp_new_i32(s);

        tcg_gen_ld_env_i32(s, junk, R(2));
        tcg_gen_st_env_i32(s, junk, R(3));
    }
    tcg_gen_addi_i32(s, i, i, 1);
    tcg_gen_brcondi_i32(s, TCG_COND_NE, i, 10, top);
    tcg_gen_st_env_i32(s, acc, R(0));
    tcg_gen_exit_tb(s, 0);
    env.r[2] = 0xbad;
    run_tb();
    ck_assert_uint_eq(env.r[0], 70);
}
END_TEST

/* ---- 64-bit values and env ---------------------------------------------------- */

START_TEST(ops_on_64_bit_temps)
{
    tcg_temp a = tcg_temp_new_i64(s), b = tcg_const_i64(s, 0x00000001ffffffffull);
    tcg_temp d = tcg_temp_new_i64(s), lo = tcg_temp_new_i32(s), hi = tcg_temp_new_i32(s);

    env.d[0] = 0x1122334455667788ull;
    tcg_gen_ld_env_i64(s, a, D(0));
    tcg_gen_add_i64(s, d, a, b);
    tcg_gen_st_env_i64(s, d, D(1));
    tcg_gen_sub_i64(s, d, b, a);
    tcg_gen_st_env_i64(s, d, D(2));
    tcg_gen_extrl_i64_i32(s, lo, a);
    tcg_gen_extrh_i64_i32(s, hi, a);
    tcg_gen_st_env_i32(s, lo, R(0));
    tcg_gen_st_env_i32(s, hi, R(1));
    tcg_gen_concat_i32_i64(s, d, hi, lo);
    tcg_gen_st_env_i64(s, d, D(3));
    tcg_gen_exit_tb(s, 0);
    run_tb();
    ck_assert_uint_eq(env.d[1], 0x1122334655667787ull);
    ck_assert_uint_eq(env.d[2], 0x00000001ffffffffull - 0x1122334455667788ull);
    ck_assert_uint_eq(env.r[0], 0x55667788);
    ck_assert_uint_eq(env.r[1], 0x11223344);
    ck_assert_uint_eq(env.d[3], 0x5566778811223344ull);
}
END_TEST

START_TEST(extensions_between_32_and_64_bits)
{
    tcg_temp a = tcg_temp_new_i32(s), u = tcg_temp_new_i64(s), x = tcg_temp_new_i64(s);
    tcg_temp m = tcg_temp_new_i64(s);

    env.r[0] = 0x80000001;
    tcg_gen_ld_env_i32(s, a, R(0));
    tcg_gen_extu_i32_i64(s, u, a);
    tcg_gen_exts_i32_i64(s, x, a);
    tcg_gen_movi_i64(s, m, 0xfedcba9876543210ull);
    tcg_gen_mov_i64(s, m, m);
    tcg_gen_st_env_i64(s, u, D(0));
    tcg_gen_st_env_i64(s, x, D(1));
    tcg_gen_st_env_i64(s, m, D(2));
    tcg_gen_exit_tb(s, 0xfedcba9876543210ull);
    ck_assert_uint_eq(run_tb(), 0xfedcba9876543210ull);
    ck_assert_uint_eq(env.d[0], 0x80000001ull);
    ck_assert_uint_eq(env.d[1], 0xffffffff80000001ull);
    ck_assert_uint_eq(env.d[2], 0xfedcba9876543210ull);
}
END_TEST

START_TEST(insn_start_records_the_pc_in_env)
{
    tcg_gen_insn_start(s, 0x40000010, 0);
    tcg_gen_insn_start(s, 0x40000014, 5);
    tcg_gen_exit_tb(s, 0);
    run_tb();
    ck_assert_uint_eq(env.pc, 0x40000014);
}
END_TEST

/* ---- guest memory ----------------------------------------------------------------- */

static uint32_t load_i32(unsigned memop, uint64_t raw)
{
    tcg_temp addr, d;

    tcg_ctx_reset(s);
    n_mem_log = 0;
    addr = tcg_const_i32(s, 0x1000);
    d = tcg_temp_new_i32(s);
    tcg_gen_qemu_ld_i32(s, d, addr, memop);
    tcg_gen_st_env_i32(s, d, R(0));
    tcg_gen_exit_tb(s, 0);
    load_value = raw;
    run_tb();
    ck_assert_uint_eq(n_mem_log, 1);
    ck_assert_uint_eq(mem_log[0].memop, memop);
    ck_assert_uint_eq(mem_log[0].addr, 0x1000);
    return env.r[0];
}

START_TEST(loads_are_extended_by_the_backend_as_memop_says)
{
    ck_assert_uint_eq(load_i32(TCG_MEMOP(TCG_MO_8, 1), 0x12345680), 0x80);
    ck_assert_uint_eq(load_i32(TCG_MEMOP(TCG_MO_8 | TCG_MO_SIGN, 1), 0x80), 0xffffff80);
    ck_assert_uint_eq(load_i32(TCG_MEMOP(TCG_MO_8 | TCG_MO_SIGN, 1), 0xffffffffffffff80ull), 0xffffff80);
    ck_assert_uint_eq(load_i32(TCG_MEMOP(TCG_MO_16, 0), 0xffff8001), 0x8001);
    ck_assert_uint_eq(load_i32(TCG_MEMOP(TCG_MO_16 | TCG_MO_SIGN, 0), 0x8001), 0xffff8001);
    ck_assert_uint_eq(load_i32(TCG_MEMOP(TCG_MO_32 | TCG_MO_ALIGN | TCG_MO_EXCL, 2), 0xaabbccdd),
                      0xaabbccdd);
}
END_TEST

START_TEST(memops_and_addresses_pass_through_to_the_runtime)
{
    tcg_temp addr = tcg_temp_new_i32(s), v = tcg_temp_new_i32(s), w = tcg_temp_new_i64(s);
    unsigned st8 = TCG_MEMOP(TCG_MO_8, 3), st64 = TCG_MEMOP(TCG_MO_64 | TCG_MO_BSWAP, 1);
    unsigned ld64 = TCG_MEMOP(TCG_MO_32 | TCG_MO_SIGN, 1);

    env.r[0] = 0xfffffff0;
    env.r[1] = 0x12345678;
    env.d[0] = 0x0102030405060708ull;
    tcg_gen_ld_env_i32(s, addr, R(0));
    tcg_gen_ld_env_i32(s, v, R(1));
    tcg_gen_ld_env_i64(s, w, D(0));
    tcg_gen_qemu_st_i32(s, v, addr, st8);
    tcg_gen_qemu_st_i64(s, w, addr, st64);
    tcg_gen_qemu_ld_i64(s, w, addr, ld64);
    tcg_gen_st_env_i64(s, w, D(1));
    tcg_gen_exit_tb(s, 0);
    load_value = 0x80000000;
    run_tb();
    ck_assert_uint_eq(n_mem_log, 3);
    ck_assert_int_eq(mem_log[0].kind, 's');
    ck_assert_uint_eq(mem_log[0].addr, 0xfffffff0);
    ck_assert_uint_eq(mem_log[0].value, 0x78);           /* cut to the access size */
    ck_assert_uint_eq(mem_log[0].memop, st8);
    ck_assert_uint_eq(mem_log[1].value, 0x0102030405060708ull);
    ck_assert_uint_eq(mem_log[1].memop, st64);
    ck_assert_int_eq(mem_log[2].kind, 'l');
    ck_assert_uint_eq(mem_log[2].memop, ld64);
    ck_assert_uint_eq(env.d[1], 0xffffffff80000000ull);
}
END_TEST

/* A faulting load leaves by siglongjmp: the PC is recorded, and the
 * interpreter runs normally afterwards. */
START_TEST(a_fault_leaves_by_siglongjmp_with_the_pc_recorded)
{
    tcg_temp addr = tcg_const_i32(s, 0x2000), d = tcg_temp_new_i32(s);
    void *c;

    tcg_gen_insn_start(s, 0x8000, 0);
    tcg_gen_movi_i32(s, d, 1);
    tcg_gen_st_env_i32(s, d, R(0));
    tcg_gen_insn_start(s, 0x8004, 0);
    tcg_gen_qemu_ld_i32(s, d, addr, TCG_MEMOP(TCG_MO_32, 0));
    tcg_gen_st_env_i32(s, d, R(1));
    tcg_gen_exit_tb(s, 9);
    c = compile_into(code, sizeof(code));
    fault_on_load = true;
    if (sigsetjmp(fault_jmp, 0) == 0) {
        exec_code(c, NULL, NULL);
        ck_abort_msg("the load did not fault");
    }
    ck_assert_uint_eq(env.pc, 0x8004);
    ck_assert_uint_eq(env.r[0], 1);
    fault_on_load = false;
    load_value = 77;
    ck_assert_uint_eq(exec_code(c, NULL, NULL), 9);
    ck_assert_uint_eq(env.r[1], 77);
}
END_TEST

START_TEST(barrier_runs_and_is_kept)
{
    tcg_gen_mb(s, TCG_BAR_ALL);
    tcg_gen_mb(s, TCG_BAR_ST_ST);
    tcg_gen_exit_tb(s, 4);
    ck_assert_uint_eq(run_tb(), 4);
    ck_assert(!s->ops[0].dead && !s->ops[1].dead);
}
END_TEST

/* ---- helper calls ----------------------------------------------------------------- */

static uint64_t weighted_sum(void *e, const uint64_t *args)
{
    struct env *en = e;
    uint64_t sum = 0x100000000ull;       /* above 32 bits: an i32 result drops it */

    for (unsigned i = 0; i < en->r[7]; i++)
        sum += args[i] * (i + 1);
    return sum;
}

static uint64_t store_marker(void *e, const uint64_t *args)
{
    (void)args;
    ((struct env *)e)->r[5] = 0x600d;
    return 0;
}

static const struct tcg_helper h_sum = { "weighted_sum", weighted_sum, 0 };
static const struct tcg_helper h_marker = { "store_marker", store_marker, TCG_CALL_WRITES_ENV };

START_TEST(calls_pass_zero_to_six_arguments_and_return_results)
{
    for (unsigned n = 0; n <= TCG_MAX_CALL_ARGS; n++) {
        tcg_temp args[TCG_MAX_CALL_ARGS], r32, r64;
        uint64_t want = 0;

        tcg_ctx_reset(s);
        r32 = tcg_temp_new_i32(s);
        r64 = tcg_temp_new_i64(s);
        for (unsigned i = 0; i < n; i++) {
            args[i] = tcg_const_i32(s, 10 * (i + 1));
            want += 10 * (i + 1) * (i + 1);
        }
        env.r[7] = n;
        tcg_gen_call(s, &h_sum, r32, n, args);
        tcg_gen_call(s, &h_sum, r64, n, args);
        tcg_gen_st_env_i32(s, r32, R(0));
        tcg_gen_st_env_i64(s, r64, D(0));
        /* an address sees the whole temp: the i32 result must be cut */
        tcg_gen_qemu_st_i32(s, r32, r32, TCG_MEMOP(TCG_MO_32, 0));
        tcg_gen_exit_tb(s, 0);
        n_mem_log = 0;
        run_tb();
        ck_assert_uint_eq(env.r[0], want);
        ck_assert_uint_eq(env.d[0], want + 0x100000000ull);
        ck_assert_uint_eq(mem_log[0].addr, want);
    }
}
END_TEST

START_TEST(call_without_result_runs_for_its_effect)
{
    tcg_gen_call(s, &h_marker, TCG_NO_RESULT, 0, NULL);
    tcg_gen_exit_tb(s, 0);
    run_tb();
    ck_assert_uint_eq(env.r[5], 0x600d);
}
END_TEST

/* ---- chaining ---------------------------------------------------------------------- */

/* TB A: r0 += 1, goto_tb 0, exit GOTO_TB(0). TB B: r1 += 10, exit 99. */
static void build_chain_pair(void **a, void **b)
{
    tcg_temp t = tcg_temp_new_i32(s);

    tcg_gen_ld_env_i32(s, t, R(0));
    tcg_gen_addi_i32(s, t, t, 1);
    tcg_gen_st_env_i32(s, t, R(0));
    tcg_gen_goto_tb(s, 0);
    tcg_gen_exit_tb(s, TCG_EXIT_GOTO_TB(0));
    *a = compile_into(code, sizeof(code));
    tcg_ctx_reset(s);
    t = tcg_temp_new_i32(s);
    tcg_gen_ld_env_i32(s, t, R(1));
    tcg_gen_addi_i32(s, t, t, 10);
    tcg_gen_st_env_i32(s, t, R(1));
    tcg_gen_exit_tb(s, 99);
    *b = compile_into(code2, sizeof(code2));
}

START_TEST(goto_tb_follows_a_linked_slot_and_not_an_unlinked_one)
{
    const void *last = NULL;
    void *a, *b;

    build_chain_pair(&a, &b);
    ck_assert_uint_eq(exec_code(a, NULL, &last), TCG_EXIT_GOTO_TB(0));
    ck_assert_ptr_eq(last, a);
    tcg_interp_link(a, 0, b);
    ck_assert_uint_eq(exec_code(a, NULL, &last), 99);
    ck_assert_ptr_eq(last, b);
    ck_assert_uint_eq(env.r[0], 2);
    ck_assert_uint_eq(env.r[1], 10);
    tcg_interp_unlink(a, 0);
    ck_assert_uint_eq(exec_code(a, NULL, &last), TCG_EXIT_GOTO_TB(0));
    ck_assert_ptr_eq(last, a);
    ck_assert_uint_eq(env.r[1], 10);
}
END_TEST

START_TEST(exit_request_stops_chaining)
{
    _Atomic int request = 0;
    const void *last = NULL;
    void *a, *b;

    build_chain_pair(&a, &b);
    tcg_interp_link(a, 0, b);
    ck_assert_uint_eq(exec_code(a, &request, &last), 99);
    request = 1;
    ck_assert_uint_eq(exec_code(a, &request, &last), TCG_EXIT_GOTO_TB(0));
    ck_assert_ptr_eq(last, a);
    ck_assert_uint_eq(env.r[0], 2);
    ck_assert_uint_eq(env.r[1], 10);
}
END_TEST

/* A TB linked to itself loops inside one exec until its own exit. */
START_TEST(self_linked_tb_runs_until_its_exit)
{
    tcg_temp t = tcg_temp_new_i32(s);
    tcg_label out = tcg_label_new(s);
    void *a;

    tcg_gen_ld_env_i32(s, t, R(0));
    tcg_gen_addi_i32(s, t, t, 1);
    tcg_gen_st_env_i32(s, t, R(0));
    tcg_gen_brcondi_i32(s, TCG_COND_EQ, t, 1000, out);
    tcg_gen_goto_tb(s, 1);
    tcg_gen_exit_tb(s, TCG_EXIT_GOTO_TB(1));
    tcg_gen_set_label(s, out);
    tcg_gen_exit_tb(s, TCG_EXIT_FRONT_END);
    a = compile_into(code, sizeof(code));
    tcg_interp_link(a, 1, a);
    ck_assert_uint_eq(exec_code(a, NULL, NULL), TCG_EXIT_FRONT_END);
    ck_assert_uint_eq(env.r[0], 1000);
}
END_TEST

/* The chain budget bounds a self-linked loop, and the chained TBs and
 * their instructions (insn_start ops) are counted. */
START_TEST(chain_budget_bounds_a_run_and_counts_chained_tbs)
{
    struct tcg_interp_run run = { &env, &fake_mem, NULL, .chain_budget = 5 };
    const void *last = NULL;
    tcg_temp t = tcg_temp_new_i32(s);
    void *a;

    tcg_gen_insn_start(s, 0x100, 0);
    tcg_gen_ld_env_i32(s, t, R(0));
    tcg_gen_addi_i32(s, t, t, 1);
    tcg_gen_st_env_i32(s, t, R(0));
    tcg_gen_insn_start(s, 0x104, 0);
    tcg_gen_goto_tb(s, 0);
    tcg_gen_exit_tb(s, TCG_EXIT_GOTO_TB(0));
    a = compile_into(code, sizeof(code));
    tcg_interp_link(a, 0, a);
    ck_assert_uint_eq(tcg_interp_exec(a, &run, &last), TCG_EXIT_GOTO_TB(0));
    ck_assert_ptr_eq(last, a);
    ck_assert_uint_eq(env.r[0], 6);            /* the first entry and 5 chained */
    ck_assert_uint_eq(run.chain_budget, 0);
    ck_assert_uint_eq(run.n_chained, 5);
    ck_assert_uint_eq(run.n_chained_insns, 10);
    /* With no budget left the linked slot is not followed at all. */
    ck_assert_uint_eq(tcg_interp_exec(a, &run, &last), TCG_EXIT_GOTO_TB(0));
    ck_assert_uint_eq(env.r[0], 7);
    ck_assert_uint_eq(run.n_chained, 5);
}
END_TEST

/* ---- the compiled form --------------------------------------------------------------- */

START_TEST(compile_refuses_a_buffer_that_is_too_small)
{
    tcg_temp t = tcg_temp_new_i32(s);
    size_t need;

    tcg_gen_ld_env_i32(s, t, R(0));
    tcg_gen_addi_i32(s, t, t, 5);
    tcg_gen_st_env_i32(s, t, R(1));
    tcg_gen_exit_tb(s, 0);
    tcg_optimize(s);
    need = tcg_interp_code_size(s);
    ck_assert_uint_eq(tcg_interp_compile(s, code, need - 1), 0);
    ck_assert_uint_eq(tcg_interp_compile(s, code, 0), 0);
    ck_assert_uint_eq(tcg_interp_compile(s, code, need), need);
    env.r[0] = 3;
    exec_code(code, NULL, NULL);
    ck_assert_uint_eq(env.r[1], 8);
}
END_TEST

START_TEST(compiled_code_is_position_independent)
{
    tcg_temp t = tcg_temp_new_i32(s);
    tcg_label l = tcg_label_new(s);
    size_t n;

    tcg_gen_ld_env_i32(s, t, R(0));
    tcg_gen_brcondi_i32(s, TCG_COND_EQ, t, 0, l);
    tcg_gen_movi_i32(s, t, 42);
    tcg_gen_set_label(s, l);
    tcg_gen_st_env_i32(s, t, R(1));
    tcg_gen_exit_tb(s, 0);
    tcg_optimize(s);
    n = tcg_interp_compile(s, code, sizeof(code));
    memcpy(code2, code, n);
    memset(code, 0xff, n);
    env.r[0] = 1;
    exec_code(code2, NULL, NULL);
    ck_assert_uint_eq(env.r[1], 42);
    env.r[0] = 0;                    /* the branch is taken */
    exec_code(code2, NULL, NULL);
    ck_assert_uint_eq(env.r[1], 0);
}
END_TEST

/* Thousands of short-lived temps need only a handful of slots. */
START_TEST(short_lived_temps_share_slots)
{
    tcg_temp acc = tcg_temp_new_i32(s);

    tcg_gen_ld_env_i32(s, acc, R(0));
    for (int i = 0; i < 5000; i++) {
        tcg_temp next = tcg_temp_new_i32(s);

        tcg_gen_addi_i32(s, next, acc, 1);
        acc = next;
    }
    tcg_gen_st_env_i32(s, acc, R(1));
    tcg_gen_exit_tb(s, 0);
    ck_assert_uint_gt(s->n_temps, TCG_INTERP_MAX_TEMPS);
    run_tb();
    ck_assert_uint_le(((const struct interp_tb *)(const void *)code)->n_slots, 4);
    ck_assert_uint_eq(env.r[1], 5000);
}
END_TEST

int main(void)
{
    Suite *su = suite_create("tcg_interp");
    TCase *tc = tcase_create("tcg_interp");
    SRunner *sr;
    int failed;

    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, arithmetic_and_logic_wrap_at_32_bits);
    tcase_add_test(tc, shift_counts_are_taken_modulo_32);
    tcase_add_test(tc, division_never_traps);
    tcase_add_test(tc, unary_ops_extend_swap_and_count);
    tcase_add_test(tc, add2_carries_and_sub2_borrows_into_the_high_word);
    tcase_add_test(tc, mulu2_and_muls2_give_the_full_product);
    tcase_add_test(tc, setcond_evaluates_every_condition);
    tcase_add_test(tc, movcond_selects_on_every_condition);
    tcase_add_test(tc, brcond_branches_on_every_condition);
    tcase_add_test(tc, brcond_loop_sums_one_to_a_hundred);
    tcase_add_test(tc, loop_keeps_values_defined_before_it);
    tcase_add_test(tc, ops_on_64_bit_temps);
    tcase_add_test(tc, extensions_between_32_and_64_bits);
    tcase_add_test(tc, insn_start_records_the_pc_in_env);
    tcase_add_test(tc, loads_are_extended_by_the_backend_as_memop_says);
    tcase_add_test(tc, memops_and_addresses_pass_through_to_the_runtime);
    tcase_add_test(tc, a_fault_leaves_by_siglongjmp_with_the_pc_recorded);
    tcase_add_test(tc, barrier_runs_and_is_kept);
    tcase_add_test(tc, calls_pass_zero_to_six_arguments_and_return_results);
    tcase_add_test(tc, call_without_result_runs_for_its_effect);
    tcase_add_test(tc, goto_tb_follows_a_linked_slot_and_not_an_unlinked_one);
    tcase_add_test(tc, exit_request_stops_chaining);
    tcase_add_test(tc, chain_budget_bounds_a_run_and_counts_chained_tbs);
    tcase_add_test(tc, self_linked_tb_runs_until_its_exit);
    tcase_add_test(tc, compile_refuses_a_buffer_that_is_too_small);
    tcase_add_test(tc, compiled_code_is_position_independent);
    tcase_add_test(tc, short_lived_temps_share_slots);
    suite_add_tcase(su, tc);
    sr = srunner_create(su);
    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
