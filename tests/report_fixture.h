/*
 * report_fixture.h — one small, fixed report_run for the report writers'
 * tests (test_junit.c, test_results.c). Header-only because the Makefile
 * builds each tests/test_*.c on its own.
 *
 * Four jobs: llsc-counter smp=1 PASS with metrics; llsc-counter smp=2 FAIL
 * whose reason and output hold characters every format must escape;
 * selftest-hang XFAIL (timeout); selftest-fault XPASS.
 */
#ifndef TESTS_REPORT_FIXTURE_H
#define TESTS_REPORT_FIXTURE_H

#include "reports/report.h"
#include "util/fatal.h"

#include <signal.h>
#include <string.h>

static __attribute__((unused)) char **fixture_strings(size_t n, const char *const *v)
{
    char **out = xcalloc(n + 1, sizeof(*out));

    for (size_t i = 0; i < n; i++)
        out[i] = xstrdup(v[i]);
    return out;
}

static __attribute__((unused)) void fixture_job(struct report_job *j, const char *test,
                                                unsigned smp, enum report_status status,
                                                const char *reason, const char *xfail)
{
    static const char *const argv[] = { "qemu-system-arm", "-smp", "N", "-append", "a b" };
    char path[256];

    memset(j, 0, sizeof(*j));
    j->test = xstrdup(test);
    j->smp = smp;
    j->thread = xstrdup("multi");
    j->emulator = xstrdup("qemu");
    j->status = status;
    j->reason = reason ? xstrdup(reason) : NULL;
    j->xfail_reason = xfail ? xstrdup(xfail) : NULL;
    j->exit_status = 0;
    j->seconds = 1.25;
    j->argv = fixture_strings(5, argv);
    j->argc = 5;
    j->tap.planned = 1;
    j->tap.ran = 1;
    j->tap.passed = status == REPORT_PASS || status == REPORT_XPASS;
    j->tap.failed = !j->tap.passed;
    snprintf(path, sizeof(path), "out/x/logs/%s.smp%u.multi.out", test, smp);
    j->stdout_path = xstrdup(path);
    path[strlen(path) - 3] = '\0';
    strcat(path, "err");
    j->stderr_path = xstrdup(path);
}

static __attribute__((unused)) void fixture_metric(struct report_job *j, const char *k,
                                                   const char *v)
{
    j->metrics = xrealloc(j->metrics, (j->n_metrics + 1) * sizeof(*j->metrics));
    j->metrics[j->n_metrics].key = xstrdup(k);
    j->metrics[j->n_metrics].value = xstrdup(v);
    j->n_metrics++;
}

static __attribute__((unused)) void fixture_run(struct report_run *run, const char *out_dir)
{
    static const char *const threads[] = { "multi" };
    static const char *const command[] = { "strex", "run", "s.suite", "--smp", "1,2" };
    struct report_job *j;

    memset(run, 0, sizeof(*run));
    run->suite = xstrdup("stress/s.suite");
    run->emulator_label = xstrdup("qemu");
    run->emulator_binary = xstrdup("/usr/bin/qemu-system-arm");
    run->smp = xcalloc(2, sizeof(*run->smp));
    run->smp[0] = 1;
    run->smp[1] = 2;
    run->n_smp = 2;
    run->threads = fixture_strings(1, threads);
    run->n_threads = 1;
    run->jobs_parallel = 2;
    run->timeout_s = 120;
    run->start = 1700000000; /* 2023-11-14T22:13:20Z */
    run->wall_seconds = 7.5;
    run->out_dir = xstrdup(out_dir);
    run->command = fixture_strings(5, command);
    run->command_argc = 5;
    run->jobs = xcalloc(4, sizeof(*run->jobs));
    run->n_jobs = 4;

    j = &run->jobs[0];
    fixture_job(j, "llsc-counter", 1, REPORT_PASS, NULL, NULL);
    fixture_metric(j, "strex_fail_cpu0", "3");
    fixture_metric(j, "ns_per_increment", "208");
    j->output = xstrdup("1..1\nok 1 - counter is 1000\n# strex_fail_cpu0=3\n");

    j = &run->jobs[1];
    fixture_job(j, "llsc-counter", 2, REPORT_FAIL,
                "not ok 1 - counter <is> \"wrong\" & 'bad' | x", NULL);
    fixture_metric(j, "strex_fail_cpu0", "7");
    fixture_metric(j, "strex_fail_cpu10", "10");
    fixture_metric(j, "strex_fail_cpu2", "2");
    j->output = xstrdup("1..1\nnot ok 1 - <b>\x01\x1b[0m ]]> done\n");
    j->output_truncated = true;
    j->errput = xstrdup("qemu: warning\n");

    j = &run->jobs[2];
    fixture_job(j, "selftest-hang", 1, REPORT_XFAIL, "timeout after 3s", "spins forever");
    j->timed_out = true;
    j->exit_status = -1;
    j->signal = SIGTERM;
    j->tap.planned = -1;
    j->tap.ran = j->tap.failed = 0;

    j = &run->jobs[3];
    fixture_job(j, "selftest-fault", 1, REPORT_XPASS, NULL, "executes UDF");
    j->exceptions = xcalloc(1, sizeof(*j->exceptions));
    j->exceptions[0] = xstrdup("EXCEPTION cpu=0 type=undef pc=400001a0 spsr=600001d3");
    j->n_exceptions = 1;
}

#endif
