/*
 * test_junit.c — junit.xml (reports/junit.c): structure, counts, escaping.
 *
 * The writer's output is captured with open_memstream and checked as
 * text. When xmllint is installed it also has to accept the document;
 * the build does not depend on it.
 */
#include "reports/report.h"

#include "report_fixture.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static struct report_run run;
static char *xml;

static void setup(void)
{
    size_t len;
    FILE *f = open_memstream(&xml, &len);

    fixture_run(&run, "out/x");
    report_write_junit(&run, f);
    fclose(f);
}

static void teardown(void)
{
    report_run_free(&run);
    free(xml);
}

static size_t count(const char *haystack, const char *needle)
{
    size_t n = 0;

    for (const char *p = strstr(haystack, needle); p; p = strstr(p + 1, needle))
        n++;
    return n;
}

static void assert_has(const char *needle)
{
    ck_assert_msg(strstr(xml, needle) != NULL, "junit.xml lacks: %s\n%.1500s", needle, xml);
}

START_TEST(root_counts_failures_and_skips)
{
    ck_assert(strncmp(xml, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n", 39) == 0);
    assert_has("<testsuites name=\"strex\" tests=\"4\" failures=\"2\" skipped=\"1\" "
               "errors=\"0\" time=\"7.500\">");
    ck_assert_uint_eq(count(xml, "</testsuites>\n"), 1);
}
END_TEST

START_TEST(one_testsuite_per_test_in_run_order)
{
    const char *a = strstr(xml, "<testsuite name=\"llsc-counter\" tests=\"2\" failures=\"1\" "
                                "skipped=\"0\"");
    const char *b = strstr(xml, "<testsuite name=\"selftest-hang\" tests=\"1\" failures=\"0\" "
                                "skipped=\"1\"");
    const char *c = strstr(xml, "<testsuite name=\"selftest-fault\" tests=\"1\" failures=\"1\"");

    ck_assert(a && b && c && a < b && b < c);
    ck_assert_uint_eq(count(xml, "<testsuite "), 3);
    ck_assert_uint_eq(count(xml, "</testsuite>"), 3);
}
END_TEST

START_TEST(one_testcase_per_job)
{
    ck_assert_uint_eq(count(xml, "<testcase "), 4);
    ck_assert_uint_eq(count(xml, "</testcase>"), 4);
    assert_has("<testcase name=\"llsc-counter smp=2 thread=multi\" "
               "classname=\"strex.llsc-counter\" time=\"1.250\">");
}
END_TEST

START_TEST(fail_has_escaped_failure_message)
{
    assert_has("<failure message=\"not ok 1 - counter &lt;is&gt; &quot;wrong&quot; &amp; "
               "&apos;bad&apos; | x\" type=\"fail\">");
    assert_has("log: out/x/logs/llsc-counter.smp2.multi.out</failure>");
}
END_TEST

START_TEST(xfail_is_skipped_with_both_reasons)
{
    assert_has("<skipped message=\"expected failure: timeout after 3s (declared: "
               "spins forever)\"/>");
}
END_TEST

START_TEST(xpass_is_a_failure)
{
    assert_has("<failure message=\"unexpected pass (declared xfail: executes UDF)\" "
               "type=\"xpass\"/>");
}
END_TEST

START_TEST(output_is_escaped_and_control_chars_dropped)
{
    assert_has("<system-out>1..1\nnot ok 1 - &lt;b&gt;[0m ]]&gt; done\n"
               "\n[... truncated: see the log file ...]\n</system-out>");
    assert_has("<system-err>qemu: warning\n</system-err>");
    ck_assert_ptr_null(strchr(xml, '\x01'));
    ck_assert_ptr_null(strchr(xml, '\x1b'));
    ck_assert_ptr_null(strstr(xml, "]]>"));
}
END_TEST

START_TEST(empty_output_has_no_system_out)
{
    const char *hang = strstr(xml, "<testcase name=\"selftest-hang");
    const char *end = strstr(hang, "</testcase>");

    ck_assert_ptr_nonnull(hang);
    ck_assert(!memmem(hang, (size_t)(end - hang), "<system-out>", 12));
}
END_TEST

START_TEST(xmllint_accepts_it_when_installed)
{
    char path[] = "/tmp/test_junit_XXXXXX", cmd[128];
    int fd;
    FILE *f;

    if (access("/usr/bin/xmllint", X_OK) != 0)
        return;
    fd = mkstemp(path);
    f = fdopen(fd, "w");
    fputs(xml, f);
    fclose(f);
    snprintf(cmd, sizeof(cmd), "/usr/bin/xmllint --noout %s", path);
    int rc = system(cmd);
    unlink(path);
    ck_assert_int_eq(rc, 0);
}
END_TEST

START_TEST(a_seeded_job_names_its_seed)
{
    size_t len;
    FILE *f;

    free(xml);
    run.jobs[1].seeded = true;
    run.jobs[1].seed = 8;
    f = open_memstream(&xml, &len);
    report_write_junit(&run, f);
    fclose(f);
    ck_assert_ptr_nonnull(strstr(xml, "<testcase name=\"llsc-counter smp=2 thread=multi seed=8\""));
    ck_assert_ptr_nonnull(strstr(xml, "<testcase name=\"llsc-counter smp=1 thread=multi\""));
}
END_TEST

START_TEST(a_job_with_a_strategy_names_it)
{
    size_t len;
    FILE *f;

    free(xml);
    run.jobs[0].llsc = xstrdup("cas");
    run.jobs[1].llsc = xstrdup("excl");
    run.jobs[1].seeded = true;
    run.jobs[1].seed = 8;
    f = open_memstream(&xml, &len);
    report_write_junit(&run, f);
    fclose(f);
    ck_assert_ptr_nonnull(
        strstr(xml, "<testcase name=\"llsc-counter smp=1 thread=multi llsc=cas\""));
    ck_assert_ptr_nonnull(
        strstr(xml, "<testcase name=\"llsc-counter smp=2 thread=multi seed=8 llsc=excl\""));
}
END_TEST

static Suite *junit_suite(void)
{
    Suite *s = suite_create("junit");
    TCase *tc = tcase_create("writer");

    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, root_counts_failures_and_skips);
    tcase_add_test(tc, one_testsuite_per_test_in_run_order);
    tcase_add_test(tc, one_testcase_per_job);
    tcase_add_test(tc, fail_has_escaped_failure_message);
    tcase_add_test(tc, xfail_is_skipped_with_both_reasons);
    tcase_add_test(tc, xpass_is_a_failure);
    tcase_add_test(tc, output_is_escaped_and_control_chars_dropped);
    tcase_add_test(tc, empty_output_has_no_system_out);
    tcase_add_test(tc, xmllint_accepts_it_when_installed);
    tcase_add_test(tc, a_seeded_job_names_its_seed);
    tcase_add_test(tc, a_job_with_a_strategy_names_it);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(junit_suite());
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? 1 : 0;
}
