/*
 * test_verdict.c — the pass rule, the order of reasons, and the xfail
 * mapping (harness/verdict.c). Inputs are built by hand; TAP text goes
 * through the real parser. The per-strategy xfail (xfail.llsc.X) goes
 * through the real suite parser and matrix, as `strex run` does.
 */
#include "harness/verdict.h"

#include "harness/matrix.h"

#include <check.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

static struct tap_result tap;
static struct verdict_input in;

static void setup(void)
{
    tap_init(&tap);
    memset(&in, 0, sizeof(in));
    in.timeout_s = 5;
    in.tap = &tap;
}

static void teardown(void) { tap_free(&tap); }

static void output(const char *text)
{
    tap_parse_text(&tap, text, strlen(text));
}

static void assert_reason(const char *expected)
{
    char *reason = verdict_reason(&in);

    if (!expected)
        ck_assert_msg(reason == NULL, "unexpected reason '%s'", reason);
    else
        ck_assert_msg(reason && strcmp(reason, expected) == 0, "reason '%s', not '%s'",
                      reason ? reason : "(pass)", expected);
    free(reason);
}

START_TEST(clean_run_passes)
{
    output("1..2\r\nok 1\r\nnot ok 2 - flaky # TODO known\r\n# m=1\r\n");
    assert_reason(NULL);
}
END_TEST

START_TEST(reasons_come_in_order)
{
    /* Everything wrong at once; peel the causes off one by one. */
    output("1..3\nok 1 # SKIP no\nnot ok 2 - wrong\nBail out! gave up\nok 3");
    in.not_run = "image not found: x.elf";
    in.interrupted = true;
    in.timed_out = true;
    in.term_signal = SIGTERM;
    in.exit_status = 1;
    assert_reason("image not found: x.elf");
    in.not_run = NULL;
    assert_reason("interrupted");
    in.interrupted = false;
    assert_reason("timeout after 5s");
    in.timed_out = false;
    assert_reason("killed by signal SIGTERM");
    in.term_signal = 0;
    assert_reason("bail out: gave up"); /* says more than "exit status 1" */
    tap.bailed = false;
    tap.bailed = false;
    assert_reason("not ok 2 - wrong");
    free(tap.first_failure);
    tap.first_failure = NULL;
    tap.counts.planned = 4;
    assert_reason("planned 4, ran 3");
    tap.counts.planned = -1;
    assert_reason("no TAP plan");
    tap.counts.planned = 3;
    assert_reason("TAP output cut off");
    tap.cut_off = false;
    assert_reason("skipped checks are not passes");
    tap.counts.skipped = 0;
    assert_reason("exit status 1"); /* clean TAP, yet the guest said no */
    in.exit_status = 0;
    assert_reason(NULL);
}
END_TEST

START_TEST(empty_bail_out_still_fails)
{
    output("1..1\nBail out!\n");
    assert_reason("bail out");
}
END_TEST

START_TEST(empty_plan_is_not_a_pass)
{
    output("1..0 # SKIP nothing to do here\n");
    assert_reason("plan 1..0: no checks ran");
}
END_TEST

START_TEST(no_output_at_all)
{
    in.tap = NULL;
    assert_reason("no TAP plan");
}
END_TEST

START_TEST(xfail_turns_fail_into_xfail_and_pass_into_xpass)
{
    ck_assert_int_eq(verdict_status(NULL, NULL), REPORT_PASS);
    ck_assert_int_eq(verdict_status("exit status 1", NULL), REPORT_FAIL);
    ck_assert_int_eq(verdict_status("exit status 1", "known"), REPORT_XFAIL);
    ck_assert_int_eq(verdict_status(NULL, "known"), REPORT_XPASS);
}
END_TEST

/* The status of each job of "t xfail.llsc.cas=..." planned at smp 2,
 * thread=single, over the given strategies (NULL, 0: no --llsc), on an
 * emulator labelled label; reason: what every job's verdict said. */
static void llsc_statuses(const char *label, bool is_strex, const enum llsc_mode *llsc,
                          size_t n_llsc, const char *reason, enum report_status *out,
                          size_t *n)
{
    static const char text[] = "t xfail.llsc.cas=\"aba\"\n";
    static const unsigned long two[] = { 2 };
    static const enum thread_mode single[] = { THREAD_SINGLE };
    struct matrix_spec spec = { two, 1, single, 1, NULL, 0, NULL, 0, is_strex, llsc, n_llsc };
    FILE *f = fmemopen((void *)text, strlen(text), "r");
    struct suite s;
    struct matrix_cell *c;
    char err[256];

    ck_assert_int_eq(suite_parse_stream(f, "t.suite", &s, err, sizeof(err)), 0);
    fclose(f);
    c = matrix_plan(&s, &spec, n);
    for (size_t i = 0; i < *n; i++)
        out[i] = verdict_status(reason, matrix_cell_xfail(&c[i], label, is_strex));
    free(c);
    suite_free(&s);
}

static const enum llsc_mode all_llsc[] = { LLSC_CAS, LLSC_EXCL, LLSC_STW };

START_TEST(llsc_xfail_passing_under_its_strategy_is_an_unexpected_pass)
{
    enum report_status st[3];
    size_t n;

    llsc_statuses("strex", true, all_llsc, 3, NULL, st, &n);
    ck_assert_uint_eq(n, 3);
    ck_assert_int_eq(st[0], REPORT_XPASS); /* cas: declared to fail, passed */
    ck_assert_int_eq(st[1], REPORT_PASS);
    ck_assert_int_eq(st[2], REPORT_PASS);
}
END_TEST

START_TEST(llsc_xfail_failing_under_another_strategy_is_a_plain_failure)
{
    enum report_status st[3];
    size_t n;

    llsc_statuses("strex", true, all_llsc, 3, "not ok 1 - ABA", st, &n);
    ck_assert_uint_eq(n, 3);
    ck_assert_int_eq(st[0], REPORT_XFAIL);
    ck_assert_int_eq(st[1], REPORT_FAIL); /* excl must catch ABA */
    ck_assert_int_eq(st[2], REPORT_FAIL);
}
END_TEST

START_TEST(llsc_xfail_needs_strex_and_a_job_without_llsc_is_excl)
{
    enum report_status st[1];
    size_t n;

    llsc_statuses("strex", true, NULL, 0, "not ok 1", st, &n); /* strex-emu's default: excl */
    ck_assert_uint_eq(n, 1);
    ck_assert_int_eq(st[0], REPORT_FAIL);
    llsc_statuses("qemu", false, NULL, 0, "not ok 1", st, &n);
    ck_assert_uint_eq(n, 1);
    ck_assert_int_eq(st[0], REPORT_FAIL); /* xfail.llsc.* never covers QEMU */
}
END_TEST

static Suite *verdict_suite(void)
{
    Suite *s = suite_create("verdict");
    TCase *tc = tcase_create("rules");

    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, clean_run_passes);
    tcase_add_test(tc, reasons_come_in_order);
    tcase_add_test(tc, empty_bail_out_still_fails);
    tcase_add_test(tc, empty_plan_is_not_a_pass);
    tcase_add_test(tc, no_output_at_all);
    tcase_add_test(tc, xfail_turns_fail_into_xfail_and_pass_into_xpass);
    tcase_add_test(tc, llsc_xfail_passing_under_its_strategy_is_an_unexpected_pass);
    tcase_add_test(tc, llsc_xfail_failing_under_another_strategy_is_a_plain_failure);
    tcase_add_test(tc, llsc_xfail_needs_strex_and_a_job_without_llsc_is_excl);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(verdict_suite());
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? 1 : 0;
}
