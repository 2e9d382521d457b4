/*
 * test_cmdline.c — parsing the strex command line (harness/cmdline.c).
 */
#include "harness/cmdline.h"

#include <check.h>
#include <string.h>
#include <unistd.h>

static struct cmdline cli;
static char err[512];

/* Parses a NULL-terminated list of words after "strex". */
static int parse_words(const char *const *words)
{
    char *argv[32] = { "strex" };
    int argc = 1;

    while (*words)
        argv[argc++] = (char *)*words++;
    err[0] = '\0';
    return cmdline_parse(argc, argv, &cli, err, sizeof(err));
}

#define PARSE(...) parse_words((const char *const[]){ __VA_ARGS__, NULL })

static void teardown(void) { cmdline_free(&cli); }

static void expect_error(int rc, const char *message)
{
    ck_assert_int_eq(rc, -1);
    ck_assert_str_eq(err, message);
}

START_TEST(run_defaults)
{
    ck_assert_int_eq(PARSE("run"), 0);
    ck_assert_int_eq(cli.command, CMDLINE_RUN);
    ck_assert_str_eq(cli.run.suite, "stress/default.suite");
    ck_assert_str_eq(cli.run.emulator, "qemu");
    ck_assert_uint_eq(cli.run.n_smp, 4);
    ck_assert_uint_eq(cli.run.smp[3], 8);
    ck_assert_uint_eq(cli.run.n_threads, 2);
    ck_assert_int_eq(cli.run.threads[0], THREAD_MULTI);
    ck_assert_uint_eq(cli.run.jobs, (unsigned)sysconf(_SC_NPROCESSORS_ONLN));
    ck_assert_uint_eq(cli.run.timeout_s, 120);
    ck_assert_ptr_null(cli.run.filter);
    ck_assert(strncmp(cli.run.out_dir, "out/run-", 8) == 0);
    ck_assert_uint_eq(strlen(cli.run.out_dir), strlen("out/run-YYYYmmdd-HHMMSS"));
}
END_TEST

START_TEST(values_with_space_or_equals)
{
    ck_assert_int_eq(PARSE("run", "--smp", "1,4", "my.suite", "--thread=single,multi",
                           "--jobs", "3", "--timeout=7", "--out", "o/d", "--filter=a,b",
                           "--emulator=/opt/emu"),
                     0);
    ck_assert_str_eq(cli.run.suite, "my.suite");
    ck_assert_uint_eq(cli.run.n_smp, 2);
    ck_assert_uint_eq(cli.run.smp[1], 4);
    ck_assert_int_eq(cli.run.threads[0], THREAD_SINGLE);
    ck_assert_uint_eq(cli.run.jobs, 3);
    ck_assert_uint_eq(cli.run.timeout_s, 7);
    ck_assert_str_eq(cli.run.out_dir, "o/d");
    ck_assert_uint_eq(cli.run.n_filter, 2);
    ck_assert_str_eq(cli.run.filter[1], "b");
    ck_assert_str_eq(cli.run.emulator, "/opt/emu");
}
END_TEST

START_TEST(smp_ranges)
{
    ck_assert_int_eq(PARSE("run", "--smp=1-3,8"), 0);
    ck_assert_uint_eq(cli.run.n_smp, 4);
    ck_assert_uint_eq(cli.run.smp[2], 3);
    ck_assert_uint_eq(cli.run.smp[3], 8);
}
END_TEST

START_TEST(double_dash_ends_options)
{
    ck_assert_int_eq(PARSE("run", "--", "--odd.suite"), 0);
    ck_assert_str_eq(cli.run.suite, "--odd.suite");
}
END_TEST

START_TEST(help_and_version)
{
    ck_assert_int_eq(PARSE("--help"), 0);
    ck_assert_int_eq(cli.command, CMDLINE_HELP);
    ck_assert_int_eq(PARSE("help"), 0);
    ck_assert_int_eq(cli.command, CMDLINE_HELP);
    ck_assert_int_eq(PARSE("run", "--smp", "2", "--help"), 0);
    ck_assert_int_eq(cli.command, CMDLINE_HELP);
    cmdline_free(&cli);
    ck_assert_int_eq(PARSE("--version"), 0);
    ck_assert_int_eq(cli.command, CMDLINE_VERSION);
}
END_TEST

START_TEST(usage_errors)
{
    expect_error(PARSE("run", "--bogus"), "unknown option '--bogus'");
    expect_error(PARSE("run", "--bogus=1"), "unknown option '--bogus'");
    expect_error(PARSE("run", "-j", "2"), "unknown option '-j'");
    expect_error(PARSE("run", "--smp"), "--smp needs a value");
    expect_error(PARSE("run", "--smp", "0"), "--smp: 0 is out of range [1, 64]");
    expect_error(PARSE("run", "--smp=1,,2"), "--smp: empty item in list '1,,2'");
    expect_error(PARSE("run", "--thread", "dual"),
                 "--thread: unknown thread mode 'dual' (multi or single)");
    expect_error(PARSE("run", "--jobs=0"), "--jobs: 0 is out of range [1, 1024]");
    expect_error(PARSE("run", "--timeout", "soon"), "--timeout: 'soon' is not a number");
    expect_error(PARSE("run", "--out="), "--out: empty value");
    expect_error(PARSE("run", "--emulator="), "--emulator: empty value");
    expect_error(PARSE("run", "--filter", "a,,b"), "--filter: empty item in list 'a,,b'");
    expect_error(PARSE("run", "a.suite", "b.suite"),
                 "more than one suite given ('a.suite' and 'b.suite')");
    expect_error(PARSE("walk"), "unknown command 'walk'");
    expect_error(parse_words((const char *const[]){ NULL }), "no command given");
}
END_TEST

START_TEST(seeds_take_ranges_and_lists)
{
    ck_assert_int_eq(PARSE("run"), 0);
    ck_assert_ptr_null(cli.run.seeds);
    ck_assert_uint_eq(cli.run.n_seeds, 0);
    cmdline_free(&cli);
    ck_assert_int_eq(PARSE("run", "--seeds", "1..100"), 0);
    ck_assert_uint_eq(cli.run.n_seeds, 100);
    ck_assert_uint_eq(cli.run.seeds[0], 1);
    ck_assert_uint_eq(cli.run.seeds[99], 100);
    cmdline_free(&cli);
    ck_assert_int_eq(PARSE("run", "--seeds=42,3,17,3"), 0);
    ck_assert_uint_eq(cli.run.n_seeds, 3);
    ck_assert_uint_eq(cli.run.seeds[0], 42);
    ck_assert_uint_eq(cli.run.seeds[2], 17);
}
END_TEST

START_TEST(seeds_errors)
{
    expect_error(PARSE("run", "--seeds", "x"), "--seeds: 'x' is not a number");
    expect_error(PARSE("run", "--seeds", "9..2"), "--seeds: range 9-2 runs backwards");
    expect_error(PARSE("run", "--seeds", "1..10001"), "--seeds: more than 10000 values");
    expect_error(PARSE("run", "--seeds="), "--seeds: empty list");
}
END_TEST

START_TEST(llsc_takes_a_list_of_strategies)
{
    ck_assert_int_eq(PARSE("run"), 0);
    ck_assert_uint_eq(cli.run.n_llsc, 0);
    cmdline_free(&cli);
    ck_assert_int_eq(PARSE("run", "--llsc", "cas,excl,stw"), 0);
    ck_assert_uint_eq(cli.run.n_llsc, 3);
    ck_assert_int_eq(cli.run.llsc[0], LLSC_CAS);
    ck_assert_int_eq(cli.run.llsc[1], LLSC_EXCL);
    ck_assert_int_eq(cli.run.llsc[2], LLSC_STW);
    cmdline_free(&cli);
    ck_assert_int_eq(PARSE("run", "--llsc=stw,stw"), 0);
    ck_assert_uint_eq(cli.run.n_llsc, 1);
    ck_assert_int_eq(cli.run.llsc[0], LLSC_STW);
}
END_TEST

START_TEST(llsc_errors)
{
    expect_error(PARSE("run", "--llsc", "cas,ll"),
                 "--llsc: unknown LL/SC strategy 'll' (cas, excl or stw)");
    expect_error(PARSE("run", "--llsc="), "--llsc: empty list");
    expect_error(PARSE("run", "--llsc"), "--llsc needs a value");
}
END_TEST

static Suite *cmdline_suite(void)
{
    Suite *s = suite_create("cmdline");
    TCase *tc = tcase_create("parse");

    tcase_add_checked_fixture(tc, NULL, teardown);
    tcase_add_test(tc, run_defaults);
    tcase_add_test(tc, values_with_space_or_equals);
    tcase_add_test(tc, smp_ranges);
    tcase_add_test(tc, double_dash_ends_options);
    tcase_add_test(tc, help_and_version);
    tcase_add_test(tc, usage_errors);
    tcase_add_test(tc, seeds_take_ranges_and_lists);
    tcase_add_test(tc, seeds_errors);
    tcase_add_test(tc, llsc_takes_a_list_of_strategies);
    tcase_add_test(tc, llsc_errors);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(cmdline_suite());
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? 1 : 0;
}
