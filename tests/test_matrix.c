/*
 * test_matrix.c — expanding a suite into jobs (harness/matrix.c): the
 * intersection with --smp/--thread, the order, --filter, the seed axis
 * (strex-emu and thread=single only) and the LL/SC axis (strex-emu only,
 * innermost).
 */
#include "harness/matrix.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>

static struct suite s;
static char err[512];

static const char text[] =
    "a\n"
    "b smp=2,8 thread=single\n"
    "c smp=16\n";

static void setup(void)
{
    FILE *f = fmemopen((void *)text, strlen(text), "r");

    ck_assert_int_eq(suite_parse_stream(f, "m.suite", &s, err, sizeof(err)), 0);
    fclose(f);
}

static void teardown(void) { suite_free(&s); }

static const unsigned long smp_list[] = { 8, 1, 2 };
static const enum thread_mode both[] = { THREAD_MULTI, THREAD_SINGLE };

START_TEST(cells_are_the_allowed_intersection_in_order)
{
    struct matrix_spec spec = { smp_list, 3, both, 2, NULL, 0, NULL, 0, false, NULL, 0 };
    size_t n;
    struct matrix_cell *c = matrix_plan(&s, &spec, &n);

    /* a: 3 x 2; b: smp 8 and 2, single only; c: nothing (16 not asked) */
    ck_assert_uint_eq(n, 8);
    ck_assert_str_eq(c[0].test->name, "a");
    ck_assert_uint_eq(c[0].smp, 8);
    ck_assert_int_eq(c[0].thread, THREAD_MULTI);
    ck_assert_int_eq(c[1].thread, THREAD_SINGLE);
    ck_assert_uint_eq(c[2].smp, 1);
    ck_assert_str_eq(c[6].test->name, "b");
    ck_assert_uint_eq(c[6].smp, 8);
    ck_assert_int_eq(c[6].thread, THREAD_SINGLE);
    ck_assert_uint_eq(c[7].smp, 2);
    free(c);
}
END_TEST

START_TEST(filter_keeps_named_tests)
{
    char *names[] = { "c", "b" };
    static const unsigned long sixteen[] = { 16 };
    struct matrix_spec spec = { sixteen, 1, both, 1, names, 2, NULL, 0, false, NULL, 0 };
    size_t n;
    struct matrix_cell *c;

    ck_assert_int_eq(matrix_check_filter(&s, &spec, err, sizeof(err)), 0);
    c = matrix_plan(&s, &spec, &n);
    ck_assert_uint_eq(n, 1);
    ck_assert_str_eq(c[0].test->name, "c");
    free(c);
}
END_TEST

START_TEST(unknown_filter_name_is_an_error)
{
    char *names[] = { "a", "zz" };
    struct matrix_spec spec = { smp_list, 3, both, 2, names, 2, NULL, 0, false, NULL, 0 };

    ck_assert_int_eq(matrix_check_filter(&s, &spec, err, sizeof(err)), -1);
    ck_assert_str_eq(err, "--filter: no test 'zz' in m.suite");
}
END_TEST

START_TEST(nothing_allowed_gives_no_cells)
{
    static const unsigned long four[] = { 4 };
    char *names[] = { "b" };
    struct matrix_spec spec = { four, 1, both, 2, names, 1, NULL, 0, false, NULL, 0 };
    size_t n;

    free(matrix_plan(&s, &spec, &n));
    ck_assert_uint_eq(n, 0);
}
END_TEST

static const unsigned long seeds[] = { 9, 3 };

START_TEST(seeds_multiply_the_single_thread_cells_in_order)
{
    static const unsigned long two[] = { 2 };
    struct matrix_spec spec = { two, 1, both, 2, NULL, 0, seeds, 2, true, NULL, 0 };
    size_t n;
    struct matrix_cell *c = matrix_plan(&s, &spec, &n);

    /* a and b at smp 2, thread=single only, each with seed 9 then 3 */
    ck_assert_uint_eq(n, 4);
    for (size_t i = 0; i < n; i++) {
        ck_assert_int_eq(c[i].thread, THREAD_SINGLE);
        ck_assert(c[i].seeded);
        ck_assert_uint_eq(c[i].seed, seeds[i % 2]);
        ck_assert_str_eq(c[i].test->name, i < 2 ? "a" : "b");
    }
    free(c);
}
END_TEST

START_TEST(no_seeded_cells_for_an_emulator_without_seeds)
{
    struct matrix_spec spec = { smp_list, 3, both, 2, NULL, 0, seeds, 2, false, NULL, 0 };
    size_t n;

    free(matrix_plan(&s, &spec, &n));
    ck_assert_uint_eq(n, 0);
}
END_TEST

START_TEST(without_seeds_cells_are_unseeded)
{
    struct matrix_spec spec = { smp_list, 3, both, 2, NULL, 0, NULL, 0, true, NULL, 0 };
    size_t n;
    struct matrix_cell *c = matrix_plan(&s, &spec, &n);

    ck_assert_uint_eq(n, 8);
    for (size_t i = 0; i < n; i++)
        ck_assert(!c[i].seeded);
    free(c);
}
END_TEST

static const enum llsc_mode strategies[] = { LLSC_STW, LLSC_CAS };

START_TEST(llsc_multiplies_every_cell_innermost_in_order)
{
    static const unsigned long two[] = { 2 };
    struct matrix_spec spec = { two, 1, both, 2, NULL, 0, NULL, 0, true, strategies, 2 };
    size_t n;
    struct matrix_cell *c = matrix_plan(&s, &spec, &n);

    /* a multi stw, a multi cas, a single stw, a single cas, b single stw, b single cas */
    ck_assert_uint_eq(n, 6);
    for (size_t i = 0; i < n; i++) {
        ck_assert(c[i].has_llsc);
        ck_assert_int_eq(c[i].llsc, strategies[i % 2]);
        ck_assert(!c[i].seeded);
        ck_assert_str_eq(c[i].test->name, i < 4 ? "a" : "b");
        ck_assert_int_eq(c[i].thread, i < 2 ? THREAD_MULTI : THREAD_SINGLE);
    }
    free(c);
}
END_TEST

START_TEST(llsc_comes_after_seeds)
{
    static const unsigned long two[] = { 2 };
    struct matrix_spec spec = { two, 1, both, 2, NULL, 0, seeds, 2, true, strategies, 2 };
    size_t n;
    struct matrix_cell *c = matrix_plan(&s, &spec, &n);

    /* a and b at smp 2 single: seed 9 stw, 9 cas, 3 stw, 3 cas */
    ck_assert_uint_eq(n, 8);
    for (size_t i = 0; i < n; i++) {
        ck_assert_int_eq(c[i].thread, THREAD_SINGLE);
        ck_assert(c[i].seeded && c[i].has_llsc);
        ck_assert_uint_eq(c[i].seed, seeds[(i / 2) % 2]);
        ck_assert_int_eq(c[i].llsc, strategies[i % 2]);
        ck_assert_str_eq(c[i].test->name, i < 4 ? "a" : "b");
    }
    free(c);
}
END_TEST

START_TEST(no_llsc_cells_for_an_emulator_without_llsc)
{
    struct matrix_spec spec = { smp_list, 3, both, 2, NULL, 0, NULL, 0, false, strategies, 2 };
    size_t n;

    free(matrix_plan(&s, &spec, &n));
    ck_assert_uint_eq(n, 0);
}
END_TEST

START_TEST(without_llsc_cells_name_no_strategy)
{
    struct matrix_spec spec = { smp_list, 3, both, 2, NULL, 0, seeds, 2, true, NULL, 0 };
    size_t n;
    struct matrix_cell *c = matrix_plan(&s, &spec, &n);

    ck_assert_uint_eq(n, 10); /* single only: a at 3 smp, b at 2, each x 2 seeds */
    for (size_t i = 0; i < n; i++)
        ck_assert(!c[i].has_llsc);
    free(c);
}
END_TEST

static Suite *matrix_suite(void)
{
    Suite *su = suite_create("matrix");
    TCase *tc = tcase_create("plan");

    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, cells_are_the_allowed_intersection_in_order);
    tcase_add_test(tc, filter_keeps_named_tests);
    tcase_add_test(tc, unknown_filter_name_is_an_error);
    tcase_add_test(tc, nothing_allowed_gives_no_cells);
    tcase_add_test(tc, seeds_multiply_the_single_thread_cells_in_order);
    tcase_add_test(tc, no_seeded_cells_for_an_emulator_without_seeds);
    tcase_add_test(tc, without_seeds_cells_are_unseeded);
    tcase_add_test(tc, llsc_multiplies_every_cell_innermost_in_order);
    tcase_add_test(tc, llsc_comes_after_seeds);
    tcase_add_test(tc, no_llsc_cells_for_an_emulator_without_llsc);
    tcase_add_test(tc, without_llsc_cells_name_no_strategy);
    suite_add_tcase(su, tc);
    return su;
}

int main(void)
{
    SRunner *sr = srunner_create(matrix_suite());
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? 1 : 0;
}
