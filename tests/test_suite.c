/*
 * test_suite.c — the suite file parser (harness/suite.c): every key,
 * quoting, and each error with its FILE:LINE message; which declared
 * xfail applies to a job (per emulator, per LL/SC strategy).
 *
 * Suite texts are parsed from memory (fmemopen) under the name "t.suite".
 */
#include "harness/suite.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static struct suite s;
static char err[1024];

static int parse(const char *text)
{
    FILE *f = fmemopen((void *)text, strlen(text), "r");
    int rc;

    ck_assert_ptr_nonnull(f);
    err[0] = '\0';
    rc = suite_parse_stream(f, "t.suite", &s, err, sizeof(err));
    fclose(f);
    return rc;
}

static void teardown(void) { suite_free(&s); }

/* The text must fail with exactly this message. */
static void expect_error(const char *text, const char *message)
{
    ck_assert_int_eq(parse(text), -1);
    ck_assert_str_eq(err, message);
    ck_assert_uint_eq(s.n_tests, 0);
}

START_TEST(defaults_for_a_bare_name)
{
    ck_assert_int_eq(parse("llsc-counter\n"), 0);
    ck_assert_uint_eq(s.n_tests, 1);
    ck_assert_str_eq(s.tests[0].name, "llsc-counter");
    ck_assert_str_eq(s.tests[0].image, "build/baremetal/llsc-counter.elf");
    ck_assert_ptr_null(s.tests[0].args);
    ck_assert_uint_eq(s.tests[0].n_smp, 0);
    ck_assert(suite_allows_smp(&s.tests[0], 64));
    ck_assert(s.tests[0].thread_ok[THREAD_MULTI] && s.tests[0].thread_ok[THREAD_SINGLE]);
    ck_assert_uint_eq(s.tests[0].timeout_s, 0);
    ck_assert_uint_eq(s.tests[0].line, 1);
}
END_TEST

START_TEST(every_key_is_applied)
{
    ck_assert_int_eq(parse("# a comment\n\n   \n"
                           "t1 image=img/t.elf args=\"iters=5 cpus=2\" smp=1,4-5 "
                           "thread=single timeout=30 xfail.qemu=\"qemu bug\" xfail.any=why\n"),
                     0);
    const struct suite_test *t = &s.tests[0];
    ck_assert_uint_eq(t->line, 4);
    ck_assert_str_eq(t->image, "img/t.elf");
    ck_assert_str_eq(t->args, "iters=5 cpus=2");
    ck_assert_uint_eq(t->n_smp, 3);
    ck_assert(suite_allows_smp(t, 4) && suite_allows_smp(t, 5) && !suite_allows_smp(t, 2));
    ck_assert(!t->thread_ok[THREAD_MULTI] && t->thread_ok[THREAD_SINGLE]);
    ck_assert_uint_eq(t->timeout_s, 30);
    ck_assert_str_eq(suite_xfail_reason(t, "qemu"), "qemu bug");
    ck_assert_str_eq(suite_xfail_reason(t, "strex"), "why"); /* from xfail.any */
}
END_TEST

START_TEST(xfail_for_other_emulator_does_not_apply)
{
    ck_assert_int_eq(parse("t xfail.strex=\"not yet\"\n"), 0);
    ck_assert_ptr_null(suite_xfail_reason(&s.tests[0], "qemu"));
    ck_assert_str_eq(suite_xfail_reason(&s.tests[0], "strex"), "not yet");
}
END_TEST

START_TEST(xfail_llsc_is_kept_per_strategy)
{
    ck_assert_int_eq(parse("t xfail.qemu=\"q\" xfail.llsc.cas=\"aba\" xfail.llsc.stw=slow\n"),
                     0);
    const struct suite_test *t = &s.tests[0];
    ck_assert_str_eq(t->xfail_llsc[LLSC_CAS], "aba");
    ck_assert_ptr_null(t->xfail_llsc[LLSC_EXCL]);
    ck_assert_str_eq(t->xfail_llsc[LLSC_STW], "slow");
    ck_assert_uint_eq(t->n_xfails, 1); /* "llsc.cas" is not an emulator label */
}
END_TEST

START_TEST(xfail_llsc_applies_to_strex_jobs_of_that_strategy_only)
{
    ck_assert_int_eq(parse("t xfail.llsc.cas=\"aba\"\n"), 0);
    const struct suite_test *t = &s.tests[0];
    ck_assert_str_eq(suite_job_xfail(t, "strex", true, LLSC_CAS), "aba");
    ck_assert_str_eq(suite_job_xfail(t, "strex-emu-tsan", true, LLSC_CAS), "aba");
    ck_assert_ptr_null(suite_job_xfail(t, "strex", true, LLSC_EXCL));
    ck_assert_ptr_null(suite_job_xfail(t, "strex", true, LLSC_STW));
    ck_assert_ptr_null(suite_job_xfail(t, "qemu", false, LLSC_CAS));
}
END_TEST

START_TEST(a_job_without_llsc_counts_as_excl)
{
    ck_assert_int_eq(parse("t xfail.llsc.excl=\"x\"\n"), 0);
    ck_assert_int_eq(LLSC_DEFAULT, LLSC_EXCL);
    ck_assert_str_eq(suite_job_xfail(&s.tests[0], "strex", true, LLSC_DEFAULT), "x");
}
END_TEST

START_TEST(emulator_xfail_comes_before_the_llsc_one)
{
    ck_assert_int_eq(parse("t xfail.qemu=\"q\" xfail.strex=\"s\" xfail.llsc.cas=\"c\"\n"), 0);
    ck_assert_str_eq(suite_job_xfail(&s.tests[0], "qemu", false, LLSC_DEFAULT), "q");
    ck_assert_str_eq(suite_job_xfail(&s.tests[0], "strex", true, LLSC_CAS), "s");
}
END_TEST

START_TEST(quotes_take_escapes_and_blanks)
{
    ck_assert_int_eq(parse("t\targs=\"a \\\"b\\\" c\\\\d \\n\"\t image=\"x y.elf\"\r\n"), 0);
    ck_assert_str_eq(s.tests[0].args, "a \"b\" c\\d \\n");
    ck_assert_str_eq(s.tests[0].image, "x y.elf");
}
END_TEST

START_TEST(empty_args_means_no_append)
{
    ck_assert_int_eq(parse("t args=\"\"\n"), 0);
    ck_assert_ptr_null(s.tests[0].args);
}
END_TEST

START_TEST(several_tests_keep_their_order)
{
    ck_assert_int_eq(parse("b\na\n# c\nc smp=2\n"), 0);
    ck_assert_uint_eq(s.n_tests, 3);
    ck_assert_str_eq(s.tests[0].name, "b");
    ck_assert_str_eq(s.tests[2].name, "c");
    ck_assert_ptr_eq(suite_find(&s, "a"), &s.tests[1]);
    ck_assert_ptr_null(suite_find(&s, "d"));
}
END_TEST

START_TEST(unknown_key_is_an_error)
{
    expect_error("ok1\nt iters=5\n",
                 "t.suite:2: unknown key 'iters' (known: image args smp thread timeout xfail.EMU "
                 "xfail.llsc.X)");
}
END_TEST

START_TEST(bad_values_are_errors)
{
    expect_error("t smp=0\n", "t.suite:1: smp: 0 is out of range [1, 64]");
    suite_free(&s);
    expect_error("t smp=65\n", "t.suite:1: smp: 65 is out of range [1, 64]");
    suite_free(&s);
    expect_error("t thread=multi,dual\n",
                 "t.suite:1: thread: unknown thread mode 'dual' (multi or single)");
    suite_free(&s);
    expect_error("t timeout=soon\n", "t.suite:1: timeout: 'soon' is not a number");
    suite_free(&s);
    expect_error("t image=\"\"\n", "t.suite:1: image: empty path");
}
END_TEST

START_TEST(missing_name_is_an_error)
{
    expect_error("  smp=2 args=x\n", "t.suite:1: missing test name: the line starts with 'smp=2'");
}
END_TEST

START_TEST(bad_name_is_an_error)
{
    expect_error("Big_Test\n", "t.suite:1: bad test name 'Big_Test' (allowed: a-z 0-9 . _ -)");
}
END_TEST

START_TEST(duplicate_name_is_an_error)
{
    expect_error("t\n\nt smp=1\n", "t.suite:3: duplicate test 't' (first on line 1)");
}
END_TEST

START_TEST(duplicate_key_is_an_error)
{
    expect_error("t smp=1 smp=2\n", "t.suite:1: 'smp' given twice");
    suite_free(&s);
    expect_error("t xfail.qemu=a xfail.qemu=b\n", "t.suite:1: 'xfail.qemu' given twice");
}
END_TEST

START_TEST(unterminated_quote_is_an_error)
{
    expect_error("t args=\"iters=5\n", "t.suite:1: unterminated quote in the value of 'args'");
}
END_TEST

START_TEST(quote_problems_are_errors)
{
    expect_error("t args=\"a\"b\n", "t.suite:1: text after the closing quote of 'args'");
    suite_free(&s);
    expect_error("t args=a\"b\"\n",
                 "t.suite:1: stray quote in the value of 'args' (quote the whole value: "
                 "args=\"...\")");
}
END_TEST

START_TEST(item_without_equals_is_an_error)
{
    expect_error("t smp 2\n", "t.suite:1: expected key=value, got 'smp'");
}
END_TEST

START_TEST(empty_xfail_reason_is_an_error)
{
    expect_error("t xfail.qemu=\"  \"\n",
                 "t.suite:1: xfail.qemu needs a reason: xfail.qemu=\"why it fails\"");
    suite_free(&s);
    expect_error("t xfail.any=\n",
                 "t.suite:1: xfail.any needs a reason: xfail.any=\"why it fails\"");
    suite_free(&s);
    expect_error("t xfail.=x\n",
                 "t.suite:1: 'xfail.' needs an emulator label (xfail.qemu, xfail.any, ...)");
}
END_TEST

START_TEST(bad_xfail_llsc_keys_are_errors)
{
    expect_error("t xfail.llsc.ll=\"x\"\n",
                 "t.suite:1: unknown LL/SC strategy 'll' in xfail.llsc.ll (cas, excl or stw)");
    suite_free(&s);
    expect_error("t xfail.llsc=x\n", "t.suite:1: xfail.llsc needs a strategy: xfail.llsc.cas, "
                                     "xfail.llsc.excl or xfail.llsc.stw");
    suite_free(&s);
    expect_error("t xfail.llsc.=x\n", "t.suite:1: xfail.llsc needs a strategy: xfail.llsc.cas, "
                                      "xfail.llsc.excl or xfail.llsc.stw");
    suite_free(&s);
    expect_error("t xfail.llsc.cas=\" \"\n",
                 "t.suite:1: xfail.llsc.cas needs a reason: xfail.llsc.cas=\"why it fails\"");
    suite_free(&s);
    expect_error("t xfail.llsc.stw=a xfail.llsc.stw=b\n",
                 "t.suite:1: 'xfail.llsc.stw' given twice");
}
END_TEST

START_TEST(missing_file_is_an_error)
{
    ck_assert_int_eq(suite_parse_file("/nonexistent/x.suite", &s, err, sizeof(err)), -2);
    ck_assert_str_eq(err, "cannot open suite '/nonexistent/x.suite': No such file or directory");
}
END_TEST

START_TEST(the_shipped_suites_parse)
{
    static const char *const files[] = {
        "stress/quick.suite", "stress/default.suite", "tests/fixtures/selftest.suite",
    };

    for (size_t i = 0; i < 3; i++) {
        ck_assert_msg(suite_parse_file(files[i], &s, err, sizeof(err)) == 0, "%s", err);
        ck_assert_ptr_nonnull(suite_find(&s, "llsc-counter"));
        suite_free(&s);
    }
}
END_TEST

START_TEST(llsc_aba_is_declared_to_fail_under_cas_only)
{
    static const char *const files[] = { "stress/quick.suite", "stress/default.suite" };

    for (size_t i = 0; i < 2; i++) {
        ck_assert_msg(suite_parse_file(files[i], &s, err, sizeof(err)) == 0, "%s", err);
        const struct suite_test *t = suite_find(&s, "llsc-aba");
        ck_assert_ptr_nonnull(t);
        ck_assert_ptr_nonnull(suite_job_xfail(t, "qemu", false, LLSC_DEFAULT));
        ck_assert_ptr_nonnull(suite_job_xfail(t, "strex", true, LLSC_CAS));
        ck_assert_ptr_null(suite_job_xfail(t, "strex", true, LLSC_EXCL));
        ck_assert_ptr_null(suite_job_xfail(t, "strex", true, LLSC_STW));
        suite_free(&s);
    }
}
END_TEST

START_TEST(thread_list_keeps_order_and_drops_repeats)
{
    enum thread_mode m[THREAD_MODES];
    size_t n;

    ck_assert_int_eq(thread_list_parse("single,multi,single", m, &n, err, sizeof(err)), 0);
    ck_assert_uint_eq(n, 2);
    ck_assert_int_eq(m[0], THREAD_SINGLE);
    ck_assert_int_eq(m[1], THREAD_MULTI);
    ck_assert_int_eq(thread_list_parse("multi,", m, &n, err, sizeof(err)), -1);
}
END_TEST

START_TEST(llsc_list_keeps_order_and_drops_repeats)
{
    enum llsc_mode m[LLSC_MODES];
    size_t n;

    ck_assert_int_eq(llsc_list_parse("stw,cas,stw,excl", m, &n, err, sizeof(err)), 0);
    ck_assert_uint_eq(n, 3);
    ck_assert_int_eq(m[0], LLSC_STW);
    ck_assert_int_eq(m[1], LLSC_CAS);
    ck_assert_int_eq(m[2], LLSC_EXCL);
    ck_assert_str_eq(llsc_mode_name(m[0]), "stw");
}
END_TEST

START_TEST(llsc_list_rejects_an_unknown_strategy)
{
    enum llsc_mode m[LLSC_MODES];
    size_t n;

    ck_assert_int_eq(llsc_list_parse("cas,CAS", m, &n, err, sizeof(err)), -1);
    ck_assert_str_eq(err, "unknown LL/SC strategy 'CAS' (cas, excl or stw)");
    ck_assert_uint_eq(n, 0);
}
END_TEST

static Suite *suite_suite(void)
{
    Suite *su = suite_create("suite");
    TCase *ok = tcase_create("accepted");
    TCase *bad = tcase_create("errors");

    tcase_add_checked_fixture(ok, NULL, teardown);
    tcase_add_test(ok, defaults_for_a_bare_name);
    tcase_add_test(ok, every_key_is_applied);
    tcase_add_test(ok, xfail_for_other_emulator_does_not_apply);
    tcase_add_test(ok, xfail_llsc_is_kept_per_strategy);
    tcase_add_test(ok, xfail_llsc_applies_to_strex_jobs_of_that_strategy_only);
    tcase_add_test(ok, a_job_without_llsc_counts_as_excl);
    tcase_add_test(ok, emulator_xfail_comes_before_the_llsc_one);
    tcase_add_test(ok, quotes_take_escapes_and_blanks);
    tcase_add_test(ok, empty_args_means_no_append);
    tcase_add_test(ok, several_tests_keep_their_order);
    tcase_add_test(ok, the_shipped_suites_parse);
    tcase_add_test(ok, llsc_aba_is_declared_to_fail_under_cas_only);
    tcase_add_test(ok, thread_list_keeps_order_and_drops_repeats);
    tcase_add_test(ok, llsc_list_keeps_order_and_drops_repeats);
    tcase_add_test(ok, llsc_list_rejects_an_unknown_strategy);
    tcase_add_checked_fixture(bad, NULL, teardown);
    tcase_add_test(bad, unknown_key_is_an_error);
    tcase_add_test(bad, bad_values_are_errors);
    tcase_add_test(bad, missing_name_is_an_error);
    tcase_add_test(bad, bad_name_is_an_error);
    tcase_add_test(bad, duplicate_name_is_an_error);
    tcase_add_test(bad, duplicate_key_is_an_error);
    tcase_add_test(bad, unterminated_quote_is_an_error);
    tcase_add_test(bad, quote_problems_are_errors);
    tcase_add_test(bad, item_without_equals_is_an_error);
    tcase_add_test(bad, empty_xfail_reason_is_an_error);
    tcase_add_test(bad, bad_xfail_llsc_keys_are_errors);
    tcase_add_test(bad, missing_file_is_an_error);
    suite_add_tcase(su, ok);
    suite_add_tcase(su, bad);
    return su;
}

int main(void)
{
    SRunner *sr = srunner_create(suite_suite());
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? 1 : 0;
}
