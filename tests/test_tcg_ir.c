/*
 * test_tcg_ir.c — building op lists: the context and its arrays, temps,
 * labels, the layout tcg_emit() and the emitters produce, conditions, the
 * -d op dump, and the checks that stop a malformed op.
 */
#include "tcg/ir.h"

#include <check.h>
#include <signal.h>
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

START_TEST(new_context_numbers_temps_and_labels_from_zero)
{
    ck_assert_uint_eq(s->n_ops, 0);
    ck_assert_uint_eq(tcg_temp_new_i32(s), 0);
    ck_assert_uint_eq(tcg_temp_new_i64(s), 1);
    ck_assert_uint_eq(s->temps[0].type, TCG_TYPE_I32);
    ck_assert_uint_eq(s->temps[1].type, TCG_TYPE_I64);
    ck_assert_uint_eq(tcg_label_new(s), 0);
    ck_assert_uint_eq(tcg_label_new(s), 1);
}
END_TEST

START_TEST(reset_forgets_the_tb_but_keeps_capacity_and_insn_start_offset)
{
    size_t cap_ops, cap_temps;

    s->insn_start_offset = 0x44;
    for (int i = 0; i < 1000; i++)
        tcg_const_i32(s, (uint32_t)i);
    tcg_label_new(s);
    cap_ops = s->cap_ops;
    cap_temps = s->cap_temps;
    tcg_ctx_reset(s);
    ck_assert_uint_eq(s->n_ops, 0);
    ck_assert_uint_eq(s->n_temps, 0);
    ck_assert_uint_eq(s->n_labels, 0);
    ck_assert_uint_eq(s->cap_ops, cap_ops);
    ck_assert_uint_eq(s->cap_temps, cap_temps);
    ck_assert_uint_eq(s->insn_start_offset, 0x44);
    ck_assert_uint_eq(tcg_temp_new_i32(s), 0);
}
END_TEST

START_TEST(arrays_grow_past_their_first_capacity)
{
    for (uint32_t i = 0; i < 20000; i++)
        ck_assert_uint_eq(tcg_const_i32(s, i), i);
    ck_assert_uint_eq(s->n_ops, 20000);
    ck_assert_uint_ge(s->cap_ops, 20000);
    for (uint32_t i = 0; i < 20000; i++)
        ck_assert_uint_eq(s->ops[i].args[1], i);
}
END_TEST

START_TEST(emit_lays_out_outputs_then_inputs_then_constants)
{
    tcg_temp d = tcg_temp_new_i32(s), a = tcg_temp_new_i32(s), b = tcg_temp_new_i32(s);
    tcg_label l = tcg_label_new(s);

    tcg_gen_setcond_i32(s, TCG_COND_GTU, d, a, b);
    tcg_gen_brcond_i32(s, TCG_COND_LT, a, b, l);
    tcg_gen_qemu_st_i32(s, d, a, 0x123);
    ck_assert_uint_eq(s->ops[0].opc, TCG_OP_setcond_i32);
    ck_assert_uint_eq(s->ops[0].args[0], d);
    ck_assert_uint_eq(s->ops[0].args[1], a);
    ck_assert_uint_eq(s->ops[0].args[2], b);
    ck_assert_uint_eq(s->ops[0].args[3], TCG_COND_GTU);
    ck_assert_uint_eq(s->ops[1].args[2], TCG_COND_LT);
    ck_assert_uint_eq(s->ops[1].args[3], l);
    ck_assert_uint_eq(s->ops[2].args[0], d);
    ck_assert_uint_eq(s->ops[2].args[2], 0x123);
    ck_assert_uint_eq(s->ops[2].dead, 0);
}
END_TEST

START_TEST(immediate_forms_make_a_constant_temp_then_emit_the_op)
{
    tcg_temp d = tcg_temp_new_i32(s), a = tcg_temp_new_i32(s);
    tcg_label l = tcg_label_new(s);

    tcg_gen_addi_i32(s, d, a, 0x1234);
    tcg_gen_shli_i32(s, d, a, 33);
    tcg_gen_brcondi_i32(s, TCG_COND_EQ, a, 7, l);
    ck_assert_uint_eq(s->n_ops, 6);
    ck_assert_uint_eq(s->ops[0].opc, TCG_OP_movi_i32);
    ck_assert_uint_eq(s->ops[0].args[0], 2);
    ck_assert_uint_eq(s->ops[0].args[1], 0x1234);
    ck_assert_uint_eq(s->ops[1].opc, TCG_OP_add_i32);
    ck_assert_uint_eq(s->ops[1].args[2], 2);
    ck_assert_uint_eq(s->ops[2].args[1], 1);        /* count modulo 32 */
    ck_assert_uint_eq(s->ops[3].opc, TCG_OP_shl_i32);
    ck_assert_uint_eq(s->ops[4].args[1], 7);
    ck_assert_uint_eq(s->ops[5].opc, TCG_OP_brcond_i32);
    ck_assert_uint_eq(s->ops[5].args[1], 4);
}
END_TEST

static uint64_t nop_helper(void *env, const uint64_t *args)
{
    (void)env;
    (void)args;
    return 0;
}

static const struct tcg_helper h_nop = { "nop_helper", nop_helper, 0 };

START_TEST(call_follows_the_documented_layout)
{
    tcg_temp a[3] = { tcg_temp_new_i32(s), tcg_temp_new_i32(s), tcg_temp_new_i64(s) };
    tcg_temp r = tcg_temp_new_i32(s);

    tcg_gen_call(s, &h_nop, r, 3, a);
    tcg_gen_call(s, &h_nop, TCG_NO_RESULT, 0, NULL);
    ck_assert_ptr_eq((void *)(uintptr_t)s->ops[0].args[0], &h_nop);
    ck_assert_uint_eq(s->ops[0].args[1], 3);
    ck_assert_uint_eq(s->ops[0].args[2], 1);
    ck_assert_uint_eq(s->ops[0].args[3], r);
    ck_assert_uint_eq(s->ops[0].args[4], a[0]);
    ck_assert_uint_eq(s->ops[0].args[6], a[2]);
    ck_assert_uint_eq(s->ops[1].args[1], 0);
    ck_assert_uint_eq(s->ops[1].args[2], 0);
}
END_TEST

/* Each condition on the pairs (1,2) (2,1) (2,2) (-1,1), as '0'/'1'. */
static const uint32_t cond_a[4] = { 1, 2, 2, 0xffffffff }, cond_b[4] = { 2, 1, 2, 1 };
static const char *const cond_want[] = {
    "0000", "1111",         /* NEVER ALWAYS */
    "0010", "1101",         /* EQ NE */
    "1001", "0110",         /* LT GE */
    "1011", "0100",         /* LE GT */
    "1000", "0111",         /* LTU GEU */
    "1010", "0101",         /* LEU GTU */
    "1100", "0011",         /* TSTEQ TSTNE */
};

START_TEST(cond_eval_follows_each_definition)
{
    for (unsigned c = TCG_COND_NEVER; c <= TCG_COND_TSTNE; c++)
        for (unsigned p = 0; p < 4; p++)
            ck_assert_msg(tcg_cond_eval(c, cond_a[p], cond_b[p]) == (cond_want[c][p] == '1'),
                          "cond %u pair %u", c, p);
}
END_TEST

START_TEST(cond_invert_negates_every_condition)
{
    for (unsigned c = TCG_COND_NEVER; c <= TCG_COND_TSTNE; c++) {
        ck_assert_uint_eq(tcg_cond_invert(tcg_cond_invert(c)), c);
        for (unsigned p = 0; p < 4; p++)
            ck_assert(tcg_cond_eval(tcg_cond_invert(c), cond_a[p], cond_b[p]) !=
                      tcg_cond_eval(c, cond_a[p], cond_b[p]));
    }
}
END_TEST

static char *dump(void)
{
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);

    tcg_dump_ops(s, f);
    fclose(f);
    return text;
}

START_TEST(dump_shows_one_op_per_line_with_names_decoded)
{
    tcg_temp x = tcg_temp_new_i32(s), y = tcg_temp_new_i32(s), v = tcg_temp_new_i32(s);
    tcg_temp r = tcg_temp_new_i32(s);
    tcg_label l = tcg_label_new(s);
    char *text;

    tcg_gen_insn_start(s, 0x40000010, 0);
    tcg_gen_ld_env_i32(s, x, 0x10);
    tcg_gen_addi_i32(s, y, x, 5);
    tcg_gen_brcond_i32(s, TCG_COND_LTU, y, x, l);
    tcg_gen_qemu_ld_i32(s, v, y, TCG_MEMOP(TCG_MO_32 | TCG_MO_ALIGN, 1));
    tcg_gen_qemu_st_i32(s, v, y, TCG_MEMOP(TCG_MO_16 | TCG_MO_BSWAP, 0));
    tcg_gen_qemu_ld_i32(s, v, y, TCG_MEMOP(TCG_MO_8 | TCG_MO_SIGN | TCG_MO_EXCL, 2));
    tcg_gen_call(s, &h_nop, r, 2, (tcg_temp[]){ v, y });
    tcg_gen_set_label(s, l);
    tcg_gen_mb(s, TCG_BAR_ALL);
    tcg_gen_goto_tb(s, 0);
    tcg_gen_exit_tb(s, 1);
    text = dump();
    ck_assert_str_eq(text,
                     " ---- 0x40000010\n"
                     " ld_env_i32 t0,env+0x10\n"
                     " movi_i32 t4,$0x5\n"
                     " add_i32 t1,t0,t4\n"
                     " brcond_i32 t1,t0,ltu,L0\n"
                     " qemu_ld_i32 t2,t1,ld32u idx1 align\n"
                     " qemu_st_i32 t2,t1,st16 idx0 bswap\n"
                     " qemu_ld_i32 t2,t1,ld8s idx2 excl\n"
                     " call nop_helper,t2,t1 -> t3\n"
                     " set_label L0\n"
                     " mb $0xf\n"
                     " goto_tb $0x0\n"
                     " exit_tb $0x1\n");
    free(text);
}
END_TEST

START_TEST(dump_leaves_out_dead_ops)
{
    char *text;

    tcg_gen_movi_i32(s, tcg_temp_new_i32(s), 1);
    tcg_gen_exit_tb(s, 0);
    s->ops[0].dead = 1;
    text = dump();
    ck_assert_str_eq(text, " exit_tb $0x0\n");
    free(text);
}
END_TEST

START_TEST(emit_stops_at_an_unknown_temp)
{
    tcg_temp d = tcg_temp_new_i32(s);

    tcg_gen_add_i32(s, d, d, d + 1);
}
END_TEST

START_TEST(emit_stops_at_a_wrong_argument_count)
{
    uint64_t args[2] = { 0, 0 };

    tcg_temp_new_i32(s);
    tcg_emit(s, TCG_OP_add_i32, args, 2);
}
END_TEST

START_TEST(emit_stops_at_an_unknown_label)
{
    tcg_gen_br(s, 0);
}
END_TEST

START_TEST(emit_stops_at_an_unknown_condition)
{
    tcg_temp t = tcg_temp_new_i32(s);

    tcg_gen_setcond_i32(s, (enum tcg_cond)(TCG_COND_TSTNE + 1), t, t, t);
}
END_TEST

START_TEST(emit_stops_at_a_third_jump_slot)
{
    tcg_gen_goto_tb(s, 2);
}
END_TEST

int main(void)
{
    Suite *su = suite_create("tcg_ir");
    TCase *tc = tcase_create("tcg_ir");
    SRunner *sr;
    int failed;

    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, new_context_numbers_temps_and_labels_from_zero);
    tcase_add_test(tc, reset_forgets_the_tb_but_keeps_capacity_and_insn_start_offset);
    tcase_add_test(tc, arrays_grow_past_their_first_capacity);
    tcase_add_test(tc, emit_lays_out_outputs_then_inputs_then_constants);
    tcase_add_test(tc, immediate_forms_make_a_constant_temp_then_emit_the_op);
    tcase_add_test(tc, call_follows_the_documented_layout);
    tcase_add_test(tc, cond_eval_follows_each_definition);
    tcase_add_test(tc, cond_invert_negates_every_condition);
    tcase_add_test(tc, dump_shows_one_op_per_line_with_names_decoded);
    tcase_add_test(tc, dump_leaves_out_dead_ops);
    tcase_add_test_raise_signal(tc, emit_stops_at_an_unknown_temp, SIGABRT);
    tcase_add_test_raise_signal(tc, emit_stops_at_a_wrong_argument_count, SIGABRT);
    tcase_add_test_raise_signal(tc, emit_stops_at_an_unknown_label, SIGABRT);
    tcase_add_test_raise_signal(tc, emit_stops_at_an_unknown_condition, SIGABRT);
    tcase_add_test_raise_signal(tc, emit_stops_at_a_third_jump_slot, SIGABRT);
    suite_add_tcase(su, tc);
    sr = srunner_create(su);
    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
