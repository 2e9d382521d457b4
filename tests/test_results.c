/*
 * test_results.c — results.json and summary.md (reports/results_json.c,
 * reports/summary.c, reports/report.c): written to a temporary folder
 * with report_write_all, read back, checked as text. jq, when installed,
 * also has to accept the JSON; the build does not depend on it.
 */
#include "reports/report.h"

#include "report_fixture.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static struct report_run run;
static char dir[64];
static char *json, *md;

static char *slurp(const char *name)
{
    char path[128];
    FILE *f;
    long n;
    char *buf;

    snprintf(path, sizeof(path), "%s/%s", dir, name);
    f = fopen(path, "r");
    ck_assert_msg(f != NULL, "%s was not written", path);
    fseek(f, 0, SEEK_END);
    n = ftell(f);
    rewind(f);
    buf = xmalloc((size_t)n + 1);
    ck_assert_uint_eq(fread(buf, 1, (size_t)n, f), (size_t)n);
    buf[n] = '\0';
    fclose(f);
    return buf;
}

static void setup(void)
{
    char err[256];

    strcpy(dir, "/tmp/test_results_XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(dir));
    fixture_run(&run, dir);
    ck_assert_msg(report_write_all(&run, err, sizeof(err)) == 0, "%s", err);
    json = slurp("results.json");
    md = slurp("summary.md");
}

static void teardown(void)
{
    char cmd[128];

    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", dir);
    report_run_free(&run);
    free(json);
    free(md);
}

static void assert_in(const char *text, const char *needle)
{
    ck_assert_msg(strstr(text, needle) != NULL, "missing: %s\n--- in:\n%.1500s", needle, text);
}

START_TEST(totals_count_each_status)
{
    struct report_totals t = report_totals(&run);

    ck_assert_uint_eq(t.jobs, 4);
    ck_assert_uint_eq(t.passed, 1);
    ck_assert_uint_eq(t.failed, 1);
    ck_assert_uint_eq(t.xfailed, 1);
    ck_assert_uint_eq(t.xpassed, 1);
    ck_assert(!report_run_ok(&run));
    run.jobs[1].status = REPORT_XFAIL;
    ck_assert(!report_run_ok(&run)); /* the XPASS still fails the run */
    run.jobs[3].status = REPORT_PASS;
    ck_assert(report_run_ok(&run));
}
END_TEST

START_TEST(json_has_run_info)
{
    assert_in(json, "\"format\": \"strex-results-1\"");
    assert_in(json, "\"suite\": \"stress/s.suite\"");
    assert_in(json, "\"label\": \"qemu\",\n      \"binary\": \"/usr/bin/qemu-system-arm\"");
    assert_in(json, "\"smp\": [\n      1,\n      2\n    ]");
    assert_in(json, "\"thread\": [\n      \"multi\"\n    ]");
    assert_in(json, "\"jobs\": 2,");
    assert_in(json, "\"timeout\": 120,");
    assert_in(json, "\"start\": \"2023-11-14T22:13:20Z\"");
    assert_in(json, "\"wall_seconds\": 7.5");
    assert_in(json, "\"passed\": 1,\n      \"failed\": 1,\n      \"xfailed\": 1,\n"
                    "      \"xpassed\": 1,\n      \"ok\": false");
}
END_TEST

START_TEST(json_has_every_job_field)
{
    static const char *const keys[] = {
        "test", "smp", "thread", "seed", "llsc", "emulator", "status", "reason", "xfail_reason",
        "exit_status", "signal", "timed_out", "seconds", "command", "tap", "metrics",
        "exceptions", "logs",
    };

    for (size_t k = 0; k < sizeof(keys) / sizeof(keys[0]); k++) {
        char needle[64];
        snprintf(needle, sizeof(needle), "\n      \"%s\": ", keys[k]);
        const char *p = json;
        size_t n = 0;
        while ((p = strstr(p, needle)) != NULL)
            n++, p++;
        ck_assert_msg(n == 4, "key %s appears %zu times, not once per job", keys[k], n);
    }
}
END_TEST

START_TEST(json_job_values)
{
    assert_in(json, "\"status\": \"pass\",\n      \"reason\": null,\n      \"xfail_reason\": null");
    assert_in(json, "\"reason\": \"not ok 1 - counter <is> \\\"wrong\\\" & 'bad' | x\"");
    assert_in(json, "\"status\": \"xfail\",\n      \"reason\": \"timeout after 3s\",\n"
                    "      \"xfail_reason\": \"spins forever\",\n      \"exit_status\": null,\n"
                    "      \"signal\": \"SIGTERM\",\n      \"timed_out\": true");
    assert_in(json, "\"status\": \"xpass\"");
    assert_in(json, "\"planned\": null");
    assert_in(json, "\"metrics\": {\n        \"strex_fail_cpu0\": \"3\",\n"
                    "        \"ns_per_increment\": \"208\"\n      }");
    assert_in(json, "\"exceptions\": [\n        \"EXCEPTION cpu=0 type=undef pc=400001a0 "
                    "spsr=600001d3\"\n      ]");
    assert_in(json, "\"command\": [\n        \"qemu-system-arm\",\n        \"-smp\"");
    assert_in(json, "\"stdout\": \"out/x/logs/selftest-hang.smp1.multi.out\"");
}
END_TEST

START_TEST(jq_accepts_the_json_when_installed)
{
    char cmd[160];

    if (access("/usr/bin/jq", X_OK) != 0)
        return;
    snprintf(cmd, sizeof(cmd), "/usr/bin/jq -e '.jobs | length == 4' %s/results.json >/dev/null",
             dir);
    ck_assert_int_eq(system(cmd), 0);
}
END_TEST

START_TEST(summary_header_has_totals_and_command)
{
    ck_assert(strncmp(md, "# strex run: FAIL\n", 18) == 0);
    assert_in(md, "4 jobs: 1 passed, 1 failed, 1 expected failures, 1 unexpected passes");
    assert_in(md, "- command: `strex run s.suite --smp 1,2`");
    assert_in(md, "- emulator: qemu (`/usr/bin/qemu-system-arm`)");
}
END_TEST

START_TEST(summary_matrix_has_a_cell_per_smp_and_thread)
{
    assert_in(md, "| test | smp=1 multi | smp=2 multi |\n|---|---|---|\n");
    assert_in(md, "| llsc-counter | PASS | FAIL |\n");
    assert_in(md, "| selftest-hang | XFAIL | - |\n");
    assert_in(md, "| selftest-fault | XPASS | - |\n");
}
END_TEST

START_TEST(summary_lists_each_problem_with_reason_and_log)
{
    assert_in(md, "- **FAIL** llsc-counter smp=2 thread=multi: not ok 1 - counter &lt;is> "
                  "\"wrong\" &amp; 'bad' \\| x; log `out/x/logs/llsc-counter.smp2.multi.out`\n");
    assert_in(md, "- **XFAIL** selftest-hang smp=1 thread=multi: timeout after 3s "
                  "(declared xfail: spins forever); log");
    assert_in(md, "- **XPASS** selftest-fault smp=1 thread=multi: passed although declared "
                  "to fail (declared xfail: executes UDF)");
    assert_in(md, "  - `EXCEPTION cpu=0 type=undef pc=400001a0 spsr=600001d3`\n");
    ck_assert_ptr_null(strstr(md, "**PASS**"));
}
END_TEST

START_TEST(summary_metrics_table_per_test)
{
    assert_in(md, "### llsc-counter\n\n"
                  "| smp | thread | ns_per_increment | strex_fail_cpu0 | strex_fail_cpu2 | "
                  "strex_fail_cpu10 |\n|---|---|---|---|---|---|\n"
                  "| 1 | multi | 208 | 3 |  |  |\n| 2 | multi |  | 7 | 2 | 10 |\n");
    ck_assert_ptr_null(strstr(md, "### selftest-hang"));
}
END_TEST

START_TEST(write_all_fails_cleanly_on_a_missing_folder)
{
    char err[256];

    free(run.out_dir);
    run.out_dir = xstrdup("/nonexistent/out");
    ck_assert_int_eq(report_write_all(&run, err, sizeof(err)), -1);
    ck_assert_ptr_nonnull(strstr(err, "cannot write /nonexistent/out/results.json.tmp"));
}
END_TEST

/* The fixture's two llsc-counter jobs become one cell of a seed sweep:
 * smp=1 with seeds 7 (PASS) and 8 (FAIL). */
static void rewrite_as_seeds(void)
{
    char err[256];

    free(run.seeds); /* called twice by one test */
    run.seeds = xcalloc(2, sizeof(*run.seeds));
    run.seeds[0] = 7;
    run.seeds[1] = 8;
    run.n_seeds = 2;
    run.jobs[0].seeded = run.jobs[1].seeded = true;
    run.jobs[0].seed = 7;
    run.jobs[1].seed = 8;
    run.jobs[1].smp = 1;
    ck_assert_msg(report_write_all(&run, err, sizeof(err)) == 0, "%s", err);
    free(json);
    free(md);
    json = slurp("results.json");
    md = slurp("summary.md");
}

START_TEST(json_has_the_seed_of_every_seeded_job)
{
    assert_in(json, "\"seeds\": null,");
    assert_in(json, "\"seed\": null,");
    rewrite_as_seeds();
    assert_in(json, "\"seeds\": [\n      7,\n      8\n    ],");
    assert_in(json, "\"thread\": \"multi\",\n      \"seed\": 8,");
    assert_in(json, "\"thread\": \"multi\",\n      \"seed\": 7,");
}
END_TEST

START_TEST(summary_names_the_failing_seed_and_counts_the_cell)
{
    rewrite_as_seeds();
    assert_in(md, "| llsc-counter | FAIL 1/2 | - |\n");
    assert_in(md, "- **FAIL** llsc-counter smp=1 thread=multi seed=8: not ok 1");
    assert_in(md, "| smp | thread | seed | ns_per_increment |");
    assert_in(md, "| 1 | multi | 7 | 208 |");
    run.jobs[1].status = REPORT_PASS;
    rewrite_as_seeds();
    assert_in(md, "| llsc-counter | PASS x2 | - |\n");
}
END_TEST

/* The fixture's two llsc-counter jobs become one (smp=1, multi) cell of
 * an LL/SC sweep: llsc=cas (PASS) and llsc=stw (FAIL). */
static void rewrite_as_llsc(void)
{
    static const char *const list[] = { "cas", "stw" };
    char err[256];

    run.llsc = fixture_strings(2, list);
    run.n_llsc = 2;
    run.jobs[0].llsc = xstrdup("cas");
    run.jobs[1].llsc = xstrdup("stw");
    run.jobs[1].smp = 1;
    ck_assert_msg(report_write_all(&run, err, sizeof(err)) == 0, "%s", err);
    free(json);
    free(md);
    json = slurp("results.json");
    md = slurp("summary.md");
}

START_TEST(json_has_the_llsc_strategy_of_every_job)
{
    assert_in(json, "\"llsc\": null,\n    \"jobs\"");
    assert_in(json, "\"seed\": null,\n      \"llsc\": null,");
    rewrite_as_llsc();
    assert_in(json, "\"llsc\": [\n      \"cas\",\n      \"stw\"\n    ],");
    assert_in(json, "\"seed\": null,\n      \"llsc\": \"cas\",");
    assert_in(json, "\"seed\": null,\n      \"llsc\": \"stw\",");
}
END_TEST

START_TEST(summary_has_a_column_per_strategy)
{
    rewrite_as_llsc();
    assert_in(md, "| test | smp=1 multi llsc=cas | smp=1 multi llsc=stw | smp=2 multi llsc=cas "
                  "| smp=2 multi llsc=stw |\n|---|---|---|---|---|\n");
    assert_in(md, "| llsc-counter | PASS | FAIL | - | - |\n");
    assert_in(md, "- **FAIL** llsc-counter smp=1 thread=multi llsc=stw: not ok 1");
    assert_in(md, "| smp | thread | llsc | ns_per_increment |");
    assert_in(md, "| 1 | multi | cas | 208 |");
}
END_TEST

static Suite *results_suite(void)
{
    Suite *s = suite_create("results");
    TCase *tc = tcase_create("json+summary");

    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, totals_count_each_status);
    tcase_add_test(tc, json_has_run_info);
    tcase_add_test(tc, json_has_every_job_field);
    tcase_add_test(tc, json_job_values);
    tcase_add_test(tc, jq_accepts_the_json_when_installed);
    tcase_add_test(tc, summary_header_has_totals_and_command);
    tcase_add_test(tc, summary_matrix_has_a_cell_per_smp_and_thread);
    tcase_add_test(tc, summary_lists_each_problem_with_reason_and_log);
    tcase_add_test(tc, summary_metrics_table_per_test);
    tcase_add_test(tc, write_all_fails_cleanly_on_a_missing_folder);
    tcase_add_test(tc, json_has_the_seed_of_every_seeded_job);
    tcase_add_test(tc, summary_names_the_failing_seed_and_counts_the_cell);
    tcase_add_test(tc, json_has_the_llsc_strategy_of_every_job);
    tcase_add_test(tc, summary_has_a_column_per_strategy);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(results_suite());
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? 1 : 0;
}
