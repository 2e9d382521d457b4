/*
 * test_tap.c — the TAP parser (harness/tap.c), one behaviour per test.
 *
 * Outputs are given as the guest prints them, "\r\n" line ends included.
 */
#include "harness/tap.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static struct tap_result r;

static void setup(void) { tap_init(&r); }
static void teardown(void) { tap_free(&r); }

static void parse(const char *text)
{
    tap_parse_text(&r, text, strlen(text));
}

static const char *metric(const char *key)
{
    for (size_t i = 0; i < r.n_metrics; i++)
        if (strcmp(r.metrics[i].key, key) == 0)
            return r.metrics[i].value;
    return NULL;
}

START_TEST(plan_first_counts_every_kind)
{
    parse("1..3\r\nok 1 - first\r\nnot ok 2 - second\r\nok 3 - third\r\n");
    ck_assert_int_eq(r.counts.planned, 3);
    ck_assert(!r.plan_late);
    ck_assert_uint_eq(r.counts.ran, 3);
    ck_assert_uint_eq(r.counts.passed, 2);
    ck_assert_uint_eq(r.counts.failed, 1);
    ck_assert_str_eq(r.first_failure, "not ok 2 - second");
    ck_assert(!r.cut_off);
    ck_assert_uint_eq(r.counts.garbage, 0);
}
END_TEST

START_TEST(plan_last_is_accepted)
{
    parse("ok 1 - a\nok 2 - b\n1..2\n");
    ck_assert_int_eq(r.counts.planned, 2);
    ck_assert(r.plan_late);
    ck_assert_uint_eq(r.counts.passed, 2);
}
END_TEST

START_TEST(no_plan_leaves_planned_negative)
{
    parse("ok 1 - a\n");
    ck_assert_int_eq(r.counts.planned, -1);
}
END_TEST

START_TEST(second_plan_is_garbage)
{
    parse("1..1\nok 1\n1..5\n");
    ck_assert_int_eq(r.counts.planned, 1);
    ck_assert_uint_eq(r.counts.garbage, 1);
}
END_TEST

START_TEST(todo_failure_is_not_a_failure)
{
    parse("1..2\r\nnot ok 1 - racy on qemu # TODO known QEMU bug\r\nok 2 - fine # todo\r\n");
    ck_assert_uint_eq(r.counts.todo, 2);
    ck_assert_uint_eq(r.counts.failed, 0);
    ck_assert_uint_eq(r.counts.passed, 0);
    ck_assert_ptr_null(r.first_failure);
}
END_TEST

START_TEST(skip_is_counted_apart_from_passes)
{
    parse("1..2\nok 1 - no VFP # SKIP not built with VFP\nok 2 # skipped: later\n");
    ck_assert_uint_eq(r.counts.skipped, 2);
    ck_assert_uint_eq(r.counts.passed, 0);
    ck_assert_uint_eq(r.counts.ran, 2);
}
END_TEST

START_TEST(hash_without_directive_stays_in_description)
{
    parse("1..1\nnot ok 1 - counter # 3 is wrong\n");
    ck_assert_uint_eq(r.counts.failed, 1);
    ck_assert_str_eq(r.first_failure, "not ok 1 - counter # 3 is wrong");
}
END_TEST

START_TEST(failure_without_number_or_dash_is_numbered)
{
    parse("1..2\nok\nnot ok lost update\n");
    ck_assert_str_eq(r.first_failure, "not ok 2 - lost update");
}
END_TEST

START_TEST(bail_out_keeps_its_reason)
{
    parse("1..4\r\nok 1 - a\r\nBail out! unexpected undef exception on cpu 0\r\n");
    ck_assert(r.bailed);
    ck_assert_str_eq(r.bail_reason, "unexpected undef exception on cpu 0");
    ck_assert_uint_eq(r.counts.ran, 1);
}
END_TEST

START_TEST(exception_lines_are_kept_verbatim)
{
    parse("1..1\r\nEXCEPTION cpu=0 type=undef pc=400001a0 spsr=600001d3\r\n");
    ck_assert_uint_eq(r.n_exceptions, 1);
    ck_assert_str_eq(r.exceptions[0], "EXCEPTION cpu=0 type=undef pc=400001a0 spsr=600001d3");
    ck_assert_uint_eq(r.counts.garbage, 0);
}
END_TEST

START_TEST(output_without_final_newline_is_cut_off)
{
    parse("1..2\r\nok 1 - a\r\nok 2 - b");
    ck_assert(r.cut_off);
    ck_assert_uint_eq(r.counts.ran, 2); /* the partial line is still read */
}
END_TEST

START_TEST(carriage_returns_are_stripped)
{
    parse("1..1\r\nnot ok 1 - x\r\n# k=v\r\n");
    ck_assert_str_eq(r.first_failure, "not ok 1 - x");
    ck_assert_str_eq(metric("k"), "v");
}
END_TEST

START_TEST(garbage_lines_are_counted_and_ignored)
{
    parse("U-Boot 2024\nbooting...\n1..1\n  indented\nokay then\nok 1 - a\n\nTAP version 13\n");
    ck_assert_uint_eq(r.counts.garbage, 4);
    ck_assert_uint_eq(r.counts.passed, 1);
    ck_assert_int_eq(r.counts.planned, 1);
}
END_TEST

START_TEST(metrics_are_keyed_and_trimmed)
{
    parse("# strex_fail_cpu0=12\r\n#ns_per_increment=  208 \r\n# a.b-c_d=x\r\n");
    ck_assert_uint_eq(r.n_metrics, 3);
    ck_assert_str_eq(r.metrics[0].key, "strex_fail_cpu0");
    ck_assert_str_eq(metric("strex_fail_cpu0"), "12");
    ck_assert_str_eq(metric("ns_per_increment"), "208");
    ck_assert_str_eq(metric("a.b-c_d"), "x");
}
END_TEST

START_TEST(comments_that_are_not_metrics_are_diagnostics)
{
    parse("# hello world\n# =nokey\n# two words=x\n#\n# cpus=1 iters=1000\n# empty=\n");
    ck_assert_uint_eq(r.n_metrics, 0);
    ck_assert_uint_eq(r.diagnostics, 6);
}
END_TEST

START_TEST(repeated_metric_keeps_last_value)
{
    parse("# k=1\n# k=2\n");
    ck_assert_uint_eq(r.n_metrics, 1);
    ck_assert_str_eq(metric("k"), "2");
}
END_TEST

START_TEST(invalid_utf8_and_nul_are_replaced)
{
    static const char text[] = "# k=a\xff" "b\0c\n";

    tap_parse_text(&r, text, sizeof(text) - 1);
    ck_assert_str_eq(metric("k"), "a?b?c");
}
END_TEST

START_TEST(parse_file_reads_lines_and_notices_cut_off)
{
    char path[] = "/tmp/test_tap_XXXXXX";
    int fd = mkstemp(path);
    FILE *f = fdopen(fd, "w");
    char err[256];

    fputs("1..1\r\nok 1 - from a file\r\n# m=1", f);
    fclose(f);
    ck_assert_int_eq(tap_parse_file(&r, path, err, sizeof(err)), 0);
    unlink(path);
    ck_assert_uint_eq(r.counts.passed, 1);
    ck_assert_str_eq(metric("m"), "1");
    ck_assert(r.cut_off);
}
END_TEST

START_TEST(parse_file_reports_a_missing_file)
{
    char err[256];

    ck_assert_int_eq(tap_parse_file(&r, "/nonexistent/x.out", err, sizeof(err)), -1);
    ck_assert_ptr_nonnull(strstr(err, "/nonexistent/x.out"));
}
END_TEST

START_TEST(exceptions_beyond_the_cap_are_dropped)
{
    for (int i = 0; i < TAP_MAX_EXCEPTIONS + 5; i++)
        parse("EXCEPTION cpu=0 type=irq\n");
    ck_assert_uint_eq(r.n_exceptions, TAP_MAX_EXCEPTIONS);
    ck_assert_uint_eq(r.dropped, 5);
}
END_TEST

static Suite *tap_suite(void)
{
    Suite *s = suite_create("tap");
    TCase *tc = tcase_create("parser");

    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, plan_first_counts_every_kind);
    tcase_add_test(tc, plan_last_is_accepted);
    tcase_add_test(tc, no_plan_leaves_planned_negative);
    tcase_add_test(tc, second_plan_is_garbage);
    tcase_add_test(tc, todo_failure_is_not_a_failure);
    tcase_add_test(tc, skip_is_counted_apart_from_passes);
    tcase_add_test(tc, hash_without_directive_stays_in_description);
    tcase_add_test(tc, failure_without_number_or_dash_is_numbered);
    tcase_add_test(tc, bail_out_keeps_its_reason);
    tcase_add_test(tc, exception_lines_are_kept_verbatim);
    tcase_add_test(tc, output_without_final_newline_is_cut_off);
    tcase_add_test(tc, carriage_returns_are_stripped);
    tcase_add_test(tc, garbage_lines_are_counted_and_ignored);
    tcase_add_test(tc, metrics_are_keyed_and_trimmed);
    tcase_add_test(tc, comments_that_are_not_metrics_are_diagnostics);
    tcase_add_test(tc, repeated_metric_keeps_last_value);
    tcase_add_test(tc, invalid_utf8_and_nul_are_replaced);
    tcase_add_test(tc, parse_file_reads_lines_and_notices_cut_off);
    tcase_add_test(tc, parse_file_reports_a_missing_file);
    tcase_add_test(tc, exceptions_beyond_the_cap_are_dropped);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(tap_suite());
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? 1 : 0;
}
