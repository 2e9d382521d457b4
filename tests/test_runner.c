/*
 * test_runner.c — the job runner (harness/runner.c) driven with /bin/sh
 * one-liners, and the verdicts (harness/verdict.c) its results lead to.
 *
 * Each test gets a fresh temporary folder for the jobs' logs. Timing
 * assertions leave wide margins: the machine may be busy.
 */
#include "harness/runner.h"
#include "harness/tap.h"
#include "harness/verdict.h"

#include <check.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define MAX_JOBS 8

static char dir[64];
static char paths[MAX_JOBS][2][128];
static char *argvs[MAX_JOBS][4];
static struct runner_job jobs[MAX_JOBS];
static unsigned done_calls;

static void setup(void)
{
    strcpy(dir, "/tmp/test_runner_XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(dir));
    memset(jobs, 0, sizeof(jobs));
    done_calls = 0;
}

static void teardown(void)
{
    char cmd[128];

    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", dir);
}

/* Job i runs `sh -c script` with this timeout. */
static void shell_job(int i, const char *script, unsigned timeout_s)
{
    snprintf(paths[i][0], sizeof(paths[i][0]), "%s/job%d.out", dir, i);
    snprintf(paths[i][1], sizeof(paths[i][1]), "%s/job%d.err", dir, i);
    argvs[i][0] = "/bin/sh";
    argvs[i][1] = "-c";
    argvs[i][2] = (char *)script;
    argvs[i][3] = NULL;
    jobs[i] = (struct runner_job){
        .argv = argvs[i],
        .timeout_s = timeout_s,
        .stdout_path = paths[i][0],
        .stderr_path = paths[i][1],
    };
}

static void count_done(struct runner_job *job, void *ctx)
{
    (void)job;
    (void)ctx;
    done_calls++;
}

static double now_s(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* Runs jobs[0..n) with max_running and returns the wall time. */
static double run(size_t n, unsigned max_running)
{
    double t0 = now_s();

    ck_assert_int_eq(runner_run(jobs, n, max_running, count_done, NULL), 0);
    ck_assert_uint_eq(done_calls, n);
    return now_s() - t0;
}

/* The verdict reason for job i, as the harness would make it; NULL = pass. */
static char *reason_of(int i)
{
    struct tap_result tap;
    struct verdict_input in = {
        .not_run = jobs[i].started ? NULL : jobs[i].start_error,
        .timed_out = jobs[i].timed_out,
        .timeout_s = jobs[i].timeout_s,
        .term_signal = jobs[i].term_signal,
        .exit_status = jobs[i].exit_status,
        .tap = &tap,
    };
    char err[256], *reason;

    tap_init(&tap);
    if (jobs[i].started)
        ck_assert_int_eq(tap_parse_file(&tap, jobs[i].stdout_path, err, sizeof(err)), 0);
    reason = verdict_reason(&in);
    tap_free(&tap);
    return reason;
}

static void assert_reason(int i, const char *expected)
{
    char *reason = reason_of(i);

    if (!expected)
        ck_assert_msg(reason == NULL, "job %d: unexpected reason '%s'", i, reason);
    else
        ck_assert_msg(reason && strcmp(reason, expected) == 0, "job %d: reason '%s', not '%s'",
                      i, reason ? reason : "(pass)", expected);
    free(reason);
}

/* True once pid is gone or a zombie (dead, waiting for its new parent). */
static int process_gone(pid_t pid)
{
    char path[64], state = '?';
    FILE *f;

    if (kill(pid, 0) != 0 && errno == ESRCH)
        return 1;
    snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
    f = fopen(path, "r");
    if (!f)
        return 1;
    if (fscanf(f, "%*d (%*[^)]) %c", &state) != 1)
        state = '?';
    fclose(f);
    return state == 'Z';
}

START_TEST(tap_job_passes)
{
    shell_job(0, "echo 1..2; echo 'ok 1 - a'; echo 'ok 2 - b'; echo noise >&2", 10);
    run(1, 1);
    ck_assert(jobs[0].started);
    ck_assert_int_eq(jobs[0].exit_status, 0);
    ck_assert_int_eq(jobs[0].term_signal, 0);
    ck_assert(!jobs[0].timed_out);
    assert_reason(0, NULL);
}
END_TEST

START_TEST(spinning_job_is_killed_at_timeout_while_others_finish)
{
    char script[256];
    FILE *f;
    int pid = 0;

    snprintf(script, sizeof(script), "sleep 1000 & echo $! > %s/sleeper.pid; wait", dir);
    shell_job(0, "echo 1..1; while :; do :; done", 1);
    shell_job(1, script, 1);
    shell_job(2, "echo 1..1; echo ok 1 - quick", 10);
    shell_job(3, "sleep 1.5; echo 1..1; echo ok 1 - slower than the timeouts", 10);
    double wall = run(4, 4);

    ck_assert(jobs[0].timed_out && jobs[1].timed_out);
    ck_assert_int_eq(jobs[0].term_signal, SIGTERM);
    ck_assert_msg(jobs[0].seconds >= 0.95 && jobs[0].seconds < 3.0, "%.2f s", jobs[0].seconds);
    assert_reason(0, "timeout after 1s");
    assert_reason(1, "timeout after 1s");
    assert_reason(2, NULL);
    assert_reason(3, NULL);
    ck_assert(!jobs[3].timed_out);
    ck_assert_msg(wall < 6.0, "batch took %.2f s", wall); /* not held up by the spinners */

    /* The sleep was a child of the timed-out shell: the group kill got it. */
    snprintf(script, sizeof(script), "%s/sleeper.pid", dir);
    f = fopen(script, "r");
    ck_assert_ptr_nonnull(f);
    ck_assert_int_eq(fscanf(f, "%d", &pid), 1);
    fclose(f);
    for (int i = 0; i < 100 && !process_gone(pid); i++)
        usleep(10000);
    ck_assert_msg(process_gone(pid), "sleep %d survived its group's timeout", pid);
}
END_TEST

START_TEST(job_ignoring_sigterm_gets_sigkill)
{
    shell_job(0, "trap '' TERM; echo 1..1; while :; do :; done", 1);
    run(1, 1);
    ck_assert(jobs[0].timed_out);
    ck_assert_int_eq(jobs[0].term_signal, SIGKILL);
    ck_assert_msg(jobs[0].seconds >= 1.0 + RUNNER_KILL_GRACE_S - 0.05 &&
                      jobs[0].seconds < 1.0 + RUNNER_KILL_GRACE_S + 2.0,
                  "%.2f s", jobs[0].seconds);
    assert_reason(0, "timeout after 1s");
}
END_TEST

START_TEST(crashing_job_is_killed_by_signal)
{
    shell_job(0, "echo 1..1; kill -SEGV $$", 10);
    run(1, 1);
    ck_assert_int_eq(jobs[0].term_signal, SIGSEGV);
    ck_assert_int_eq(jobs[0].exit_status, -1);
    assert_reason(0, "killed by signal SIGSEGV");
}
END_TEST

START_TEST(garbage_output_fails_with_a_tap_reason)
{
    shell_job(0, "echo 'hello'; echo 'this is not TAP'", 10);
    shell_job(1, "echo 1..3; echo ok 1; echo ok 2", 10);
    shell_job(2, "echo 1..1; printf 'ok 1 - no newline'", 10);
    shell_job(3, "echo 1..1; echo ok 1; exit 7", 10);
    run(4, 2);
    ck_assert_int_eq(jobs[0].exit_status, 0);
    assert_reason(0, "no TAP plan");
    assert_reason(1, "planned 3, ran 2");
    assert_reason(2, "TAP output cut off");
    assert_reason(3, "exit status 7");
}
END_TEST

/* Each job marks itself live in dir, sleeps, then prints how many jobs
 * were live with it: never more than max_running. Lower bounds on time
 * are safe on a loaded machine; upper bounds are not, so overlap is
 * shown by the counts instead. */
static unsigned max_live(size_t n, unsigned max_running, double *wall)
{
    static char script[256];
    unsigned most = 0;

    snprintf(script, sizeof(script),
             "touch %s/live.$$; sleep 0.5; ls %s | grep -c '^live\\.'; rm %s/live.$$",
             dir, dir, dir);
    for (size_t i = 0; i < n; i++)
        shell_job((int)i, script, 20);
    done_calls = 0;
    *wall = run(n, max_running);
    for (size_t i = 0; i < n; i++) {
        FILE *f = fopen(jobs[i].stdout_path, "r");
        unsigned live = 0;

        ck_assert_ptr_nonnull(f);
        ck_assert_int_eq(fscanf(f, "%u", &live), 1);
        fclose(f);
        ck_assert_int_eq(jobs[i].exit_status, 0);
        if (live > most)
            most = live;
    }
    return most;
}

START_TEST(parallelism_is_honoured)
{
    double wall;
    unsigned live;

    live = max_live(4, 2, &wall);
    ck_assert_msg(live <= 2 && live >= 1, "2 at a time, but %u were live", live);
    ck_assert_msg(wall >= 0.95, "4 x 0.5 s, 2 at a time, took only %.2f s", wall);

    live = max_live(4, 4, &wall);
    ck_assert_msg(live >= 2 && live <= 4, "4 at a time, but %u were live together", live);

    live = max_live(2, 1, &wall);
    ck_assert_msg(live == 1, "1 at a time, but %u were live", live);
    ck_assert_msg(wall >= 0.95, "2 x 0.5 s, 1 at a time, took only %.2f s", wall);
}
END_TEST

/* The test's own stdin is a pipe that never ends: a job reading it
 * instead of /dev/null would hang until its timeout. */
START_TEST(stdin_is_dev_null)
{
    int fds[2], saved = dup(0);

    ck_assert_int_eq(pipe(fds), 0);
    dup2(fds[0], 0);
    shell_job(0, "cat; echo 1..1; echo ok 1 - stdin was empty", 3);
    run(1, 1);
    dup2(saved, 0);
    close(saved);
    close(fds[0]);
    close(fds[1]);
    ck_assert(!jobs[0].timed_out);
    assert_reason(0, NULL);
}
END_TEST

START_TEST(missing_program_is_a_start_error)
{
    static char *argv[] = { "/nonexistent/emulator", "-smp", "1", NULL };

    shell_job(0, "", 5);
    jobs[0].argv = argv;
    shell_job(1, "echo 1..1; echo ok 1", 5);
    run(2, 2);
    ck_assert(!jobs[0].started);
    ck_assert_str_eq(jobs[0].start_error,
                     "cannot run /nonexistent/emulator: No such file or directory");
    assert_reason(1, NULL);
}
END_TEST

START_TEST(unwritable_log_is_a_start_error)
{
    shell_job(0, "echo 1..1; echo ok 1", 5);
    jobs[0].stdout_path = "/nonexistent/dir/x.out";
    run(1, 1);
    ck_assert(!jobs[0].started);
    ck_assert_ptr_nonnull(strstr(jobs[0].start_error, "cannot open /nonexistent/dir/x.out"));
}
END_TEST

START_TEST(signal_mask_is_restored)
{
    sigset_t before, after;

    sigprocmask(SIG_SETMASK, NULL, &before);
    shell_job(0, "true", 5);
    run(1, 1);
    sigprocmask(SIG_SETMASK, NULL, &after);
    ck_assert(!sigismember(&after, SIGCHLD) && !sigismember(&after, SIGINT));
    ck_assert_int_eq(sigismember(&before, SIGTERM), sigismember(&after, SIGTERM));
}
END_TEST

static Suite *runner_suite(void)
{
    Suite *s = suite_create("runner");
    TCase *tc = tcase_create("jobs");

    tcase_set_timeout(tc, 20);
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, tap_job_passes);
    tcase_add_test(tc, spinning_job_is_killed_at_timeout_while_others_finish);
    tcase_add_test(tc, job_ignoring_sigterm_gets_sigkill);
    tcase_add_test(tc, crashing_job_is_killed_by_signal);
    tcase_add_test(tc, garbage_output_fails_with_a_tap_reason);
    tcase_add_test(tc, parallelism_is_honoured);
    tcase_add_test(tc, stdin_is_dev_null);
    tcase_add_test(tc, missing_program_is_a_start_error);
    tcase_add_test(tc, unwritable_log_is_a_start_error);
    tcase_add_test(tc, signal_mask_is_restored);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(runner_suite());
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? 1 : 0;
}
