/*
 * test_tcg_optimize.c — tcg_optimize(): what it folds, propagates and
 * removes, and what it must leave alone (memory ops, barriers, calls, env
 * stores, values across labels, env loads).
 *
 * Results of folding every op are checked by test_tcg_interp.c (each op
 * run with constant inputs); here the op lists themselves are inspected,
 * and random programs are run with and without the optimizer.
 */
#include "tcg/interp.h"
#include "tcg/ir.h"

#include <check.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

static struct tcg_ctx *s;

static void setup(void)
{
    s = tcg_ctx_new();
}

static void teardown(void)
{
    tcg_ctx_free(s);
}

static size_t live_ops(void)
{
    size_t n = 0;

    for (size_t i = 0; i < s->n_ops; i++)
        n += !s->ops[i].dead;
    return n;
}

static size_t count_live(enum tcg_opcode opc)
{
    size_t n = 0;

    for (size_t i = 0; i < s->n_ops; i++)
        n += !s->ops[i].dead && s->ops[i].opc == opc;
    return n;
}

/* The live op that writes temp t last before index `before`. */
static const struct tcg_op *writer_of(tcg_temp t, size_t before)
{
    for (size_t i = before; i-- > 0;)
        if (!s->ops[i].dead && s->ops[i].opc != TCG_OP_call && tcg_op_defs[s->ops[i].opc].n_out &&
            s->ops[i].args[0] == t)
            return &s->ops[i];
    return NULL;
}

/* The value the first live st_env_i32 stores, which must be a constant. */
static uint64_t stored_constant(void)
{
    for (size_t i = 0; i < s->n_ops; i++) {
        const struct tcg_op *op = &s->ops[i], *w;

        if (op->dead || op->opc != TCG_OP_st_env_i32)
            continue;
        w = writer_of((tcg_temp)op->args[0], i);
        ck_assert_ptr_nonnull(w);
        ck_assert_str_eq(tcg_op_defs[w->opc].name, "movi_i32");
        return w->args[1];
    }
    ck_abort_msg("no st_env_i32");
}

static tcg_temp env_value(size_t offset)
{
    tcg_temp t = tcg_temp_new_i32(s);

    tcg_gen_ld_env_i32(s, t, offset);
    return t;
}

START_TEST(folds_a_chain_of_constants_into_one_movi)
{
    tcg_temp a = tcg_const_i32(s, 6), b = tcg_const_i32(s, 7), d = tcg_temp_new_i32(s);

    tcg_gen_mul_i32(s, d, a, b);
    tcg_gen_addi_i32(s, d, d, 100);
    tcg_gen_shli_i32(s, d, d, 1);
    tcg_gen_not_i32(s, d, d);
    tcg_gen_st_env_i32(s, d, 0);
    tcg_gen_exit_tb(s, 0);
    ck_assert_uint_eq(live_ops(), 10);
    tcg_optimize(s);
    ck_assert_uint_eq(live_ops(), 3);          /* movi, st_env, exit_tb */
    ck_assert_uint_eq(stored_constant(), (uint32_t)~((6 * 7 + 100) << 1));
}
END_TEST

START_TEST(folds_add2_into_two_movi)
{
    tcg_temp lo = tcg_temp_new_i32(s), hi = tcg_temp_new_i32(s);

    tcg_gen_add2_i32(s, lo, hi, tcg_const_i32(s, 0xffffffff), tcg_const_i32(s, 1),
                     tcg_const_i32(s, 2), tcg_const_i32(s, 3));
    tcg_gen_st_env_i32(s, lo, 0);
    tcg_gen_st_env_i32(s, hi, 4);
    tcg_gen_exit_tb(s, 0);
    tcg_optimize(s);
    ck_assert_uint_eq(live_ops(), 5);
    ck_assert_uint_eq(count_live(TCG_OP_movi_i32), 2);
    ck_assert_uint_eq(writer_of(lo, s->n_ops)->args[1], 1);
    ck_assert_uint_eq(writer_of(hi, s->n_ops)->args[1], 5);
}
END_TEST

START_TEST(propagates_copies_and_drops_the_moves)
{
    tcg_temp x = env_value(0), c = tcg_temp_new_i32(s), d = tcg_temp_new_i32(s);

    tcg_gen_mov_i32(s, c, x);
    tcg_gen_add_i32(s, d, c, c);
    tcg_gen_st_env_i32(s, d, 4);
    tcg_gen_exit_tb(s, 0);
    tcg_optimize(s);
    ck_assert_uint_eq(count_live(TCG_OP_mov_i32), 0);
    ck_assert_uint_eq(s->ops[2].args[1], x);
    ck_assert_uint_eq(s->ops[2].args[2], x);
}
END_TEST

START_TEST(a_copy_dies_when_its_source_is_rewritten)
{
    tcg_temp x = env_value(0), c = tcg_temp_new_i32(s);

    tcg_gen_mov_i32(s, c, x);
    tcg_gen_addi_i32(s, x, x, 1);
    tcg_gen_st_env_i32(s, c, 4);     /* must store the old x, i.e. c */
    tcg_gen_exit_tb(s, 0);
    tcg_optimize(s);
    ck_assert(!s->ops[1].dead);
    ck_assert_uint_eq(s->ops[4].opc, TCG_OP_st_env_i32);
    ck_assert_uint_eq(s->ops[4].args[0], c);
}
END_TEST

/* x op identity and x op x become moves or constants. */
START_TEST(applies_algebraic_identities)
{
    tcg_temp x = env_value(0), d[8];

    for (int i = 0; i < 8; i++)
        d[i] = tcg_temp_new_i32(s);
    tcg_gen_addi_i32(s, d[0], x, 0);
    tcg_gen_andi_i32(s, d[1], x, 0);
    tcg_gen_ori_i32(s, d[2], x, 0);
    tcg_gen_xor_i32(s, d[3], x, x);
    tcg_gen_ori_i32(s, d[4], x, 0xffffffff);
    tcg_gen_mul_i32(s, d[5], x, tcg_const_i32(s, 1));
    tcg_gen_sub_i32(s, d[6], x, x);
    tcg_gen_shli_i32(s, d[7], x, 0);
    for (int i = 0; i < 8; i++)
        tcg_gen_st_env_i32(s, d[i], 4 + 4 * (size_t)i);
    tcg_gen_exit_tb(s, 0);
    tcg_optimize(s);
    /* ld_env, four movi (x & 0, x ^ x, x | ~0, x - x), eight stores, exit_tb */
    ck_assert_uint_eq(live_ops(), 14);
    ck_assert_uint_eq(count_live(TCG_OP_movi_i32), 4);
    for (int i = 0; i < 8; i++)      /* x + 0, x | 0, x * 1, x << 0: x itself */
        if (i == 0 || i == 2 || i == 5 || i == 7)
            ck_assert_uint_eq(s->ops[15 + i].args[0], x);
}
END_TEST

START_TEST(removes_dead_pure_ops)
{
    tcg_temp x = env_value(0), d = tcg_temp_new_i32(s);

    tcg_gen_add_i32(s, d, x, x);
    tcg_gen_neg_i32(s, d, d);
    tcg_gen_exit_tb(s, 0);
    tcg_optimize(s);
    ck_assert_uint_eq(live_ops(), 1);
    ck_assert_uint_eq(count_live(TCG_OP_exit_tb), 1);
}
END_TEST

static uint64_t helper_fn(void *env, const uint64_t *args)
{
    (void)env;
    return args[0] + 1;
}

static const struct tcg_helper h_pure = { "pure", helper_fn, TCG_CALL_PURE };
static const struct tcg_helper h_plain = { "plain", helper_fn, TCG_CALL_WRITES_ENV };

START_TEST(keeps_memory_ops_barriers_calls_and_env_stores_even_when_dead)
{
    tcg_temp addr = tcg_const_i32(s, 0x100), d = tcg_temp_new_i32(s);

    tcg_gen_qemu_ld_i32(s, d, addr, TCG_MEMOP(TCG_MO_32, 0));
    tcg_gen_qemu_st_i32(s, addr, addr, TCG_MEMOP(TCG_MO_32, 0));
    tcg_gen_mb(s, TCG_BAR_ALL);
    tcg_gen_call(s, &h_plain, d, 1, &addr);
    tcg_gen_st_env_i32(s, addr, 0);
    tcg_gen_insn_start(s, 0x40, 0);
    tcg_gen_goto_tb(s, 0);
    tcg_gen_exit_tb(s, 0);
    tcg_optimize(s);
    ck_assert_uint_eq(live_ops(), s->n_ops);
}
END_TEST

START_TEST(removes_a_pure_call_only_when_its_result_is_dead)
{
    tcg_temp a = env_value(0), r1 = tcg_temp_new_i32(s), r2 = tcg_temp_new_i32(s);

    tcg_gen_call(s, &h_pure, r1, 1, &a);
    tcg_gen_call(s, &h_pure, r2, 1, &a);
    tcg_gen_st_env_i32(s, r2, 4);
    tcg_gen_exit_tb(s, 0);
    tcg_optimize(s);
    ck_assert(s->ops[1].dead);
    ck_assert(!s->ops[2].dead);
}
END_TEST

START_TEST(brcond_on_constants_becomes_br_or_goes)
{
    tcg_temp one = tcg_const_i32(s, 1), two = tcg_const_i32(s, 2), x = env_value(0);
    tcg_label l = tcg_label_new(s);

    tcg_gen_brcond_i32(s, TCG_COND_GT, one, two, l);      /* never taken: removed */
    tcg_gen_brcond_i32(s, TCG_COND_EQ, x, x, l);          /* always taken: br */
    tcg_gen_set_label(s, l);
    tcg_gen_exit_tb(s, 0);
    tcg_optimize(s);
    ck_assert(s->ops[3].dead);
    ck_assert_uint_eq(s->ops[4].opc, TCG_OP_br);
    ck_assert_uint_eq(s->ops[4].args[0], l);
    ck_assert_uint_eq(count_live(TCG_OP_brcond_i32), 0);
}
END_TEST

START_TEST(does_not_propagate_across_a_label)
{
    tcg_temp c = tcg_const_i32(s, 5), x = env_value(0), cp = tcg_temp_new_i32(s);
    tcg_temp d = tcg_temp_new_i32(s), e = tcg_temp_new_i32(s);
    tcg_label l = tcg_label_new(s);

    tcg_gen_mov_i32(s, cp, x);
    tcg_gen_brcondi_i32(s, TCG_COND_EQ, x, 0, l);
    tcg_gen_movi_i32(s, c, 6);
    tcg_gen_set_label(s, l);
    tcg_gen_addi_i32(s, d, c, 1);      /* c is 5 or 6 here */
    tcg_gen_add_i32(s, e, cp, cp);     /* cp is still a copy of x, but not known */
    tcg_gen_st_env_i32(s, d, 4);
    tcg_gen_st_env_i32(s, e, 8);
    tcg_gen_exit_tb(s, 0);
    tcg_optimize(s);
    ck_assert_uint_eq(count_live(TCG_OP_add_i32), 2);
    ck_assert_uint_eq(writer_of(d, s->n_ops)->opc, TCG_OP_add_i32);
    ck_assert_uint_eq(writer_of(e, s->n_ops)->args[1], cp);
    ck_assert(!s->ops[0].dead);      /* c = 5 reaches the label */
}
END_TEST

/* A value that reaches a label from a branch is live there. */
START_TEST(keeps_values_live_across_branches)
{
    tcg_temp x = env_value(0), v = tcg_temp_new_i32(s);
    tcg_label l = tcg_label_new(s);

    tcg_gen_ld_env_i32(s, v, 8);
    tcg_gen_brcondi_i32(s, TCG_COND_EQ, x, 0, l);
    tcg_gen_movi_i32(s, v, 3);
    tcg_gen_set_label(s, l);
    tcg_gen_st_env_i32(s, v, 4);
    tcg_gen_exit_tb(s, 0);
    tcg_optimize(s);
    ck_assert(!s->ops[1].dead);      /* ld_env v */
    ck_assert(!s->ops[4].dead);      /* movi v, 3 */
}
END_TEST

/* A temp written and read inside one block does not survive its branch:
 * the constant behind a folded compare is removed. */
START_TEST(removes_block_local_constants_before_a_branch)
{
    tcg_temp x = env_value(0), d = tcg_temp_new_i32(s);
    tcg_label l = tcg_label_new(s);

    tcg_gen_addi_i32(s, d, x, 0);
    tcg_gen_st_env_i32(s, d, 4);
    tcg_gen_brcondi_i32(s, TCG_COND_EQ, x, 0, l);
    tcg_gen_set_label(s, l);
    tcg_gen_exit_tb(s, 0);
    tcg_optimize(s);
    ck_assert(s->ops[1].dead);       /* movi of the 0 added */
    ck_assert(s->ops[2].dead);       /* the add, now a copy */
    ck_assert(!s->ops[4].dead);      /* movi of the 0 compared: brcond reads it */
}
END_TEST

/* Values loaded from env are never forwarded: a store or a helper may
 * have changed the field in between. */
START_TEST(does_not_forward_env_loads)
{
    tcg_temp a = env_value(0), b = tcg_temp_new_i32(s), c = tcg_temp_new_i32(s), d;

    tcg_gen_addi_i32(s, b, a, 1);
    tcg_gen_st_env_i32(s, b, 0);
    tcg_gen_ld_env_i32(s, c, 0);
    tcg_gen_call(s, &h_plain, TCG_NO_RESULT, 1, &c);
    d = env_value(0);
    tcg_gen_st_env_i32(s, c, 4);
    tcg_gen_st_env_i32(s, d, 8);
    tcg_gen_exit_tb(s, 0);
    tcg_optimize(s);
    ck_assert_uint_eq(count_live(TCG_OP_ld_env_i32), 3);
    ck_assert_uint_eq(s->ops[7].args[0], c);
    ck_assert_uint_eq(s->ops[8].args[0], d);
}
END_TEST

START_TEST(folds_setcond_and_movcond_with_known_conditions)
{
    tcg_temp x = env_value(0), y = env_value(4), d1 = tcg_temp_new_i32(s), d2 = tcg_temp_new_i32(s);

    tcg_gen_setcond_i32(s, TCG_COND_LTU, d1, tcg_const_i32(s, 1), tcg_const_i32(s, 2));
    tcg_gen_movcond_i32(s, TCG_COND_GE, d2, x, x, y, x);
    tcg_gen_st_env_i32(s, d1, 8);
    tcg_gen_st_env_i32(s, d2, 12);
    tcg_gen_exit_tb(s, 0);
    tcg_optimize(s);
    ck_assert_uint_eq(count_live(TCG_OP_setcond_i32) + count_live(TCG_OP_movcond_i32), 0);
    ck_assert_uint_eq(stored_constant(), 1);
    ck_assert_uint_eq(s->ops[s->n_ops - 2].args[0], y);
}
END_TEST

/* ---- random programs: optimized and not, the same results ------------------ */

static uint32_t rng;

static uint32_t rnd(uint32_t n)
{
    rng ^= rng << 13;
    rng ^= rng >> 17;
    rng ^= rng << 5;
    return rng % n;
}

static uint32_t interesting(void)
{
    static const uint32_t v[] = { 0, 1, 2, 31, 32, 0xff, 0x8000, 0x7fffffff, 0x80000000, 0xffffffff };

    return rnd(3) ? v[rnd(10)] : rng;
}

static void random_binary(tcg_temp *t)
{
    static void (*const gen[])(struct tcg_ctx *, tcg_temp, tcg_temp, tcg_temp) = {
        tcg_gen_add_i32, tcg_gen_sub_i32, tcg_gen_mul_i32, tcg_gen_and_i32, tcg_gen_or_i32,
        tcg_gen_xor_i32, tcg_gen_andc_i32, tcg_gen_shl_i32, tcg_gen_shr_i32, tcg_gen_sar_i32,
        tcg_gen_rotr_i32, tcg_gen_divs_i32, tcg_gen_divu_i32,
    };

    gen[rnd(13)](s, t[rnd(8)], t[rnd(8)], t[rnd(8)]);
}

static void random_unary(tcg_temp *t)
{
    static void (*const gen[])(struct tcg_ctx *, tcg_temp, tcg_temp) = {
        tcg_gen_mov_i32, tcg_gen_neg_i32, tcg_gen_not_i32, tcg_gen_ext8s_i32, tcg_gen_ext8u_i32,
        tcg_gen_ext16s_i32, tcg_gen_ext16u_i32, tcg_gen_bswap32_i32, tcg_gen_clz_i32,
    };

    gen[rnd(9)](s, t[rnd(8)], t[rnd(8)]);
}

static void random_op(tcg_temp *t, tcg_label *open, unsigned *n_open)
{
    enum tcg_cond c = (enum tcg_cond)rnd(TCG_COND_TSTNE + 1);

    switch (rnd(10)) {
    case 0: case 1: tcg_gen_movi_i32(s, t[rnd(8)], interesting()); break;
    case 2: case 3: random_binary(t); break;
    case 4: random_unary(t); break;
    case 5: tcg_gen_setcond_i32(s, c, t[rnd(8)], t[rnd(8)], t[rnd(8)]); break;
    case 6: tcg_gen_movcond_i32(s, c, t[rnd(8)], t[rnd(8)], t[rnd(8)], t[rnd(8)], t[rnd(8)]); break;
    case 7: tcg_gen_add2_i32(s, t[rnd(8)], t[rnd(8)], t[rnd(8)], t[rnd(8)], t[rnd(8)], t[rnd(8)]); break;
    case 8: tcg_gen_muls2_i32(s, t[rnd(8)], t[rnd(8)], t[rnd(8)], t[rnd(8)]); break;
    default:
        if (*n_open < 4) {
            open[*n_open] = tcg_label_new(s);
            tcg_gen_brcond_i32(s, c, t[rnd(8)], t[rnd(8)], open[(*n_open)++]);
        } else {
            tcg_gen_set_label(s, open[--*n_open]);
        }
    }
}

/* Runs program `seed` (eight temps from env r[0..7], 60 random ops with
 * forward branches, all temps stored back) and leaves its results in r[]. */
static void run_random(uint32_t seed, bool optimize, uint32_t *r)
{
    static _Alignas(16) uint8_t buf[1 << 16];
    struct tcg_interp_run run = { .env = r };
    tcg_temp t[8];
    tcg_label open[4];
    unsigned n_open = 0;

    rng = seed * 2654435761u + 1;
    tcg_ctx_reset(s);
    for (unsigned i = 0; i < 8; i++) {
        t[i] = tcg_temp_new_i32(s);
        tcg_gen_ld_env_i32(s, t[i], 4 * i);
        r[i] = interesting();
    }
    for (unsigned n = 0; n < 60; n++)
        random_op(t, open, &n_open);
    while (n_open)
        tcg_gen_set_label(s, open[--n_open]);
    for (unsigned i = 0; i < 8; i++)
        tcg_gen_st_env_i32(s, t[i], 4 * i);
    tcg_gen_exit_tb(s, 0);
    if (optimize)
        tcg_optimize(s);
    ck_assert_uint_ne(tcg_interp_compile(s, buf, sizeof(buf)), 0);
    tcg_interp_exec(buf, &run, NULL);
}

START_TEST(random_programs_give_the_same_results_optimized)
{
    for (uint32_t seed = 1; seed <= 3000; seed++) {
        uint32_t plain[8], optimized[8];

        run_random(seed, false, plain);
        run_random(seed, true, optimized);
        ck_assert_msg(!memcmp(plain, optimized, sizeof(plain)), "program %u differs", seed);
    }
}
END_TEST

int main(void)
{
    Suite *su = suite_create("tcg_optimize");
    TCase *tc = tcase_create("tcg_optimize");
    SRunner *sr;
    int failed;

    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, folds_a_chain_of_constants_into_one_movi);
    tcase_add_test(tc, folds_add2_into_two_movi);
    tcase_add_test(tc, propagates_copies_and_drops_the_moves);
    tcase_add_test(tc, a_copy_dies_when_its_source_is_rewritten);
    tcase_add_test(tc, applies_algebraic_identities);
    tcase_add_test(tc, removes_dead_pure_ops);
    tcase_add_test(tc, keeps_memory_ops_barriers_calls_and_env_stores_even_when_dead);
    tcase_add_test(tc, removes_a_pure_call_only_when_its_result_is_dead);
    tcase_add_test(tc, brcond_on_constants_becomes_br_or_goes);
    tcase_add_test(tc, does_not_propagate_across_a_label);
    tcase_add_test(tc, keeps_values_live_across_branches);
    tcase_add_test(tc, removes_block_local_constants_before_a_branch);
    tcase_add_test(tc, does_not_forward_env_loads);
    tcase_add_test(tc, folds_setcond_and_movcond_with_known_conditions);
    tcase_add_test(tc, random_programs_give_the_same_results_optimized);
    suite_add_tcase(su, tc);
    sr = srunner_create(su);
    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
