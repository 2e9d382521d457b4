/*
 * runner.h — run a batch of commands, a few at a time, each with a timeout.
 *
 * Generic on purpose: a job is an argv, a timeout and two log files, so
 * the unit tests drive it with /bin/sh one-liners and the harness with
 * emulator command lines. Each job runs in its own process group with
 * stdin from /dev/null; at its timeout the whole group gets SIGTERM, and
 * SIGKILL RUNNER_KILL_GRACE_S seconds later if anything is still alive.
 *
 * Order guarantees callers rely on (litmus/run_jobs.c writes each image
 * just in time): jobs start in array order, and a finished job's done
 * callback runs before its slot is given to the next job.
 *
 * runner_run() is single-threaded: it blocks SIGCHLD (and SIGINT, SIGTERM,
 * SIGHUP, to clean up on Ctrl-C) while it runs and waits for them with
 * sigtimedwait(); the caller's signal mask is restored when it returns.
 * Call it from a program with one thread.
 */
#ifndef HARNESS_RUNNER_H
#define HARNESS_RUNNER_H

#include <stdbool.h>
#include <stddef.h>

#define RUNNER_KILL_GRACE_S 2

struct runner_job {
    /* set by the caller */
    char *const *argv;      /* argv[0] is looked up in PATH if it has no '/' */
    unsigned timeout_s;     /* 0: no timeout */
    const char *stdout_path;
    const char *stderr_path;
    void *user;

    /* set by runner_run */
    bool started;      /* false: start_error says why */
    char start_error[256];
    int exit_status;   /* -1 unless it exited */
    int term_signal;   /* the signal that ended it, 0 if none */
    bool timed_out;    /* it was still running at its timeout */
    bool interrupted;  /* killed because the batch was interrupted */
    double seconds;    /* from start to reaped */
};

/* Called once per job as it finishes (or fails to start), in finishing order. */
typedef void runner_done_fn(struct runner_job *job, void *ctx);

/* Runs all jobs with at most max_running at once. Returns 0, or the
 * number of the signal (SIGINT, SIGTERM, SIGHUP) that interrupted the
 * batch: then the running jobs were killed and the rest were not started
 * (start_error "interrupted"); done was still called for each. */
int runner_run(struct runner_job *jobs, size_t n, unsigned max_running,
               runner_done_fn *done, void *ctx);

#endif
