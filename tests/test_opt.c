/*
 * test_opt.c — util/opt: key=value lists, bounded numbers, number ranges.
 */
#include "util/opt.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>

static char err[256];

START_TEST(kv_comma_list_splits_keys_and_values)
{
    struct opt_kvlist l;

    ck_assert_int_eq(opt_kv_parse("tcg,thread=multi,tb-size=64", ',', &l, err, sizeof(err)), 0);
    ck_assert_uint_eq(l.n, 3);
    ck_assert_str_eq(l.items[0].key, "tcg");
    ck_assert_str_eq(l.items[0].value, "");
    ck_assert_str_eq(opt_kv_get(&l, "thread"), "multi");
    ck_assert_str_eq(opt_kv_get(&l, "tb-size"), "64");
    ck_assert_ptr_null(opt_kv_get(&l, "llsc"));
    opt_kv_free(&l);
}
END_TEST

START_TEST(kv_space_list_skips_runs_of_blanks)
{
    struct opt_kvlist l;

    ck_assert_int_eq(opt_kv_parse("  iters=5   cpus=2 ", ' ', &l, err, sizeof(err)), 0);
    ck_assert_uint_eq(l.n, 2);
    ck_assert_str_eq(opt_kv_get(&l, "iters"), "5");
    ck_assert_str_eq(opt_kv_get(&l, "cpus"), "2");
    opt_kv_free(&l);
}
END_TEST

START_TEST(kv_last_value_wins)
{
    struct opt_kvlist l;

    ck_assert_int_eq(opt_kv_parse("a=1,a=2", ',', &l, err, sizeof(err)), 0);
    ck_assert_str_eq(opt_kv_get(&l, "a"), "2");
    opt_kv_free(&l);
}
END_TEST

START_TEST(kv_rejects_empty_key_and_items)
{
    struct opt_kvlist l;

    ck_assert_int_eq(opt_kv_parse("=1", ',', &l, err, sizeof(err)), -1);
    ck_assert_ptr_nonnull(strstr(err, "missing key"));
    ck_assert_int_eq(opt_kv_parse("a=1,,b=2", ',', &l, err, sizeof(err)), -1);
    ck_assert_ptr_nonnull(strstr(err, "empty item"));
    ck_assert_int_eq(opt_kv_parse("a=1,", ',', &l, err, sizeof(err)), -1);
    ck_assert_ptr_nonnull(strstr(err, "trailing"));
}
END_TEST

START_TEST(ulong_accepts_decimal_and_hex_in_range)
{
    unsigned long v;

    ck_assert_int_eq(opt_parse_ulong("42", 0, 100, &v, err, sizeof(err)), 0);
    ck_assert_uint_eq(v, 42);
    ck_assert_int_eq(opt_parse_ulong("0x10", 0, 100, &v, err, sizeof(err)), 0);
    ck_assert_uint_eq(v, 16);
}
END_TEST

START_TEST(ulong_rejects_junk_sign_and_range)
{
    unsigned long v = 7;

    ck_assert_int_eq(opt_parse_ulong("12x", 0, 100, &v, err, sizeof(err)), -1);
    ck_assert_ptr_nonnull(strstr(err, "not a number"));
    ck_assert_int_eq(opt_parse_ulong("-1", 0, 100, &v, err, sizeof(err)), -1);
    ck_assert_int_eq(opt_parse_ulong("", 0, 100, &v, err, sizeof(err)), -1);
    ck_assert_int_eq(opt_parse_ulong("101", 0, 100, &v, err, sizeof(err)), -1);
    ck_assert_ptr_nonnull(strstr(err, "out of range"));
    ck_assert_uint_eq(v, 7);
}
END_TEST

START_TEST(list_expands_ranges_in_order_without_duplicates)
{
    unsigned long v[16];
    size_t n;

    ck_assert_int_eq(opt_parse_ulong_list("1,2,4,8", 1, 64, v, 16, &n, err, sizeof(err)), 0);
    ck_assert_uint_eq(n, 4);
    ck_assert_uint_eq(v[3], 8);
    ck_assert_int_eq(opt_parse_ulong_list("1-3,2,6..7", 1, 64, v, 16, &n, err, sizeof(err)), 0);
    ck_assert_uint_eq(n, 5);
    ck_assert_uint_eq(v[0], 1);
    ck_assert_uint_eq(v[2], 3);
    ck_assert_uint_eq(v[3], 6);
    ck_assert_uint_eq(v[4], 7);
}
END_TEST

START_TEST(list_rejects_backwards_overflow_and_out_of_range)
{
    unsigned long v[4];
    size_t n;

    ck_assert_int_eq(opt_parse_ulong_list("8-1", 1, 64, v, 4, &n, err, sizeof(err)), -1);
    ck_assert_ptr_nonnull(strstr(err, "backwards"));
    ck_assert_int_eq(opt_parse_ulong_list("1-5", 1, 64, v, 4, &n, err, sizeof(err)), -1);
    ck_assert_ptr_nonnull(strstr(err, "more than 4"));
    ck_assert_int_eq(opt_parse_ulong_list("0,1", 1, 64, v, 4, &n, err, sizeof(err)), -1);
    ck_assert_int_eq(opt_parse_ulong_list("1,,2", 1, 64, v, 4, &n, err, sizeof(err)), -1);
}
END_TEST

START_TEST(words_split_on_commas)
{
    char **w;
    size_t n;

    ck_assert_int_eq(opt_parse_words("multi,single", &w, &n, err, sizeof(err)), 0);
    ck_assert_uint_eq(n, 2);
    ck_assert_str_eq(w[1], "single");
    opt_free_words(w, n);
    ck_assert_int_eq(opt_parse_words("", &w, &n, err, sizeof(err)), -1);
    ck_assert_int_eq(opt_parse_words("a,", &w, &n, err, sizeof(err)), -1);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("opt");
    TCase *tc = tcase_create("opt");
    SRunner *sr;
    int failed;

    tcase_add_test(tc, kv_comma_list_splits_keys_and_values);
    tcase_add_test(tc, kv_space_list_skips_runs_of_blanks);
    tcase_add_test(tc, kv_last_value_wins);
    tcase_add_test(tc, kv_rejects_empty_key_and_items);
    tcase_add_test(tc, ulong_accepts_decimal_and_hex_in_range);
    tcase_add_test(tc, ulong_rejects_junk_sign_and_range);
    tcase_add_test(tc, list_expands_ranges_in_order_without_duplicates);
    tcase_add_test(tc, list_rejects_backwards_overflow_and_out_of_range);
    tcase_add_test(tc, words_split_on_commas);
    suite_add_tcase(s, tc);
    sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
