/*
 * report.h — the result of a run, as every report writer sees it.
 *
 * The harness fills one struct report_run (what was asked, when, how long)
 * holding one struct report_job per matrix cell (test x vCPUs x thread
 * mode [x seed] [x LL/SC strategy]). Writers only read it; they never run
 * anything and never include harness headers, so a later `strex report
 * merge` can rebuild the same structure from results.json files and reuse
 * them.
 *
 * Every string in here is owned by the struct (report_run_free releases
 * everything) and is valid UTF-8: text that came from a guest has been
 * through text_sanitize_utf8() before it got here.
 *
 * The writers:
 *   results.json  report_write_json     everything, for machines
 *   junit.xml     report_write_junit    for CI systems' test views
 *   summary.md    report_write_summary  for people
 */
#ifndef REPORTS_REPORT_H
#define REPORTS_REPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <time.h>

enum report_status {
    REPORT_PASS,  /* passed, and was expected to */
    REPORT_FAIL,  /* failed, and was expected to pass */
    REPORT_XFAIL, /* failed, as its xfail declaration says it would */
    REPORT_XPASS, /* passed although declared xfail: counts as a failure */
};

struct report_metric {
    char *key;
    char *value; /* as the guest printed it, trimmed */
};

/* What the TAP stream said, counted. */
struct report_tap {
    long planned; /* -1: no plan line */
    unsigned ran, passed, failed, todo, skipped;
    unsigned garbage; /* lines that were not TAP */
};

struct report_job {
    char *test;
    unsigned smp;
    char *thread;   /* "multi" or "single" */
    char *emulator; /* the label: qemu, strex, or a binary's basename */
    bool seeded;    /* ran with strex-emu's replayable schedule ... */
    unsigned long seed; /* ... from this seed (sched=chaos,seed=N) */
    char *llsc;     /* strex-emu's -accel ...,llsc=X: "cas", "excl", "stw";
                       NULL: none given (the emulator's default) */

    enum report_status status;
    char *reason;       /* why it did not pass; NULL for PASS */
    char *xfail_reason; /* the declared reason, for XFAIL and XPASS */

    int exit_status; /* -1 when it did not exit normally (or never ran) */
    int signal;      /* the signal that ended it, 0 if none */
    bool timed_out;
    double seconds;

    char **argv; /* the exact emulator command line */
    size_t argc;

    struct report_tap tap;
    struct report_metric *metrics;
    size_t n_metrics;
    char **exceptions; /* EXCEPTION lines, verbatim */
    size_t n_exceptions;

    char *stdout_path;
    char *stderr_path;
    char *output;         /* the head of stdout (sanitized), for junit */
    bool output_truncated;
    char *errput;         /* the head of stderr (sanitized) */
    bool errput_truncated;
};

struct report_totals {
    size_t jobs, passed, failed, xfailed, xpassed;
};

struct report_run {
    char *suite;
    char *emulator_label;
    char *emulator_binary;
    unsigned long *smp; /* the --smp list */
    size_t n_smp;
    char **threads; /* the --thread list */
    size_t n_threads;
    unsigned long *seeds; /* the --seeds list; NULL: none */
    size_t n_seeds;
    char **llsc; /* the --llsc list; NULL: none */
    size_t n_llsc;
    unsigned jobs_parallel;
    unsigned timeout_s;
    time_t start;
    double wall_seconds;
    char *out_dir;
    char **command; /* strex's own argv */
    size_t command_argc;

    struct report_job *jobs;
    size_t n_jobs;
};

/* "pass" ... and "PASS" ... */
const char *report_status_name(enum report_status s);
const char *report_status_word(enum report_status s);

struct report_totals report_totals(const struct report_run *run);
/* True when the run is a success: no FAIL and no XPASS. */
bool report_run_ok(const struct report_run *run);

/* "SIGSEGV", or "signal N" for a number without a name. */
void report_signal_name(int sig, char *buf, size_t len);

/* "2024-05-01T12:00:00Z" into buf (at least 21 bytes). */
void report_format_utc(time_t t, char *buf, size_t len);

void report_job_free(struct report_job *job);
void report_run_free(struct report_run *run);

void report_write_json(const struct report_run *run, FILE *f);
void report_write_junit(const struct report_run *run, FILE *f);
void report_write_summary(const struct report_run *run, FILE *f);

/* Writes results.json, junit.xml and summary.md into run->out_dir.
 * Returns 0, or -1 with a one-line message in err. */
int report_write_all(const struct report_run *run, char *err, size_t errlen);

#endif
