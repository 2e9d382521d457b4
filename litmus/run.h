/*
 * run.h — `strex litmus run`: litmus tests as images on an emulator, with
 * a conformance verdict per test and a report for the whole run.
 *
 *   run.c         options, the set-up, the end
 *   run_select.c  which tests: files, folders, the Herding Cats campaign,
 *                 --list/--filter/--limit
 *   run_jobs.c    per test: descriptor, image, emulator job; the verdict
 *                 from the exit status and the litmus7 log
 *   run_report.c  OUT/litmus.json, OUT/litmus.md, OUT/junit.xml and
 *                 OUT/litmus/all.log
 *
 * The verdict rule (shared/litmus/README.md): a Forbidden test fails when
 * its outcome P was observed, a Required one when P was seen violated;
 * an Allowed test passes whether or not P showed up (coverage, reported).
 * Every test fails on a timeout, crash, bail-out or unreadable log. A test
 * whose file is wrong (parse, registers, encoding) fails with the reason; a
 * valid test the descriptor cannot hold (desc.h limits) is not generated:
 * listed with the reason, it neither passes nor fails the run.
 */
#ifndef LITMUS_RUN_H
#define LITMUS_RUN_H

#include "harness/suite.h"
#include "litmus/allowed.h"
#include "litmus/desc.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

/* argv[0] is "run". Exit status: 0 no test failed, 1 a test failed or the
 * reports could not be written, 2 a usage error, 128+N interrupted by
 * signal N. */
int litmus_cli_run(int argc, char **argv);

/* ---- between run.c, run_select.c, run_jobs.c and run_report.c ------------------ */

struct litmus_candidate {
    char *path;    /* the file read */
    char *display; /* how messages and reports name it */
    char *base;    /* the file's name without .litmus */
    char *name;    /* the test's name; NULL when it does not parse */
    char *error;   /* then: the parse error */
};

struct litmus_select_spec {
    bool campaign;      /* --campaign herding-cats (or --list) */
    char **paths;       /* files and folders named */
    size_t n_paths;
    const char *list;   /* --list FILE, or NULL */
    char **filter;      /* --filter */
    size_t n_filter;
    unsigned long limit; /* 0: all */
};

struct litmus_selection {
    char *campaign;     /* the campaign's .tgz or folder; NULL without one */
    char tmp[4096];     /* where the .tgz was unpacked; "" if not */
    struct litmus_candidate *tests; /* selected, in name order */
    size_t n;
};

/* 0, or -1 with err (a usage error: no campaign, unknown name, no test). */
int litmus_select(const struct litmus_select_spec *spec, struct litmus_selection *sel,
                  char *err, size_t errlen);
void litmus_selection_free(struct litmus_selection *sel); /* removes the unpacked folder */
const char *litmus_candidate_name(const struct litmus_candidate *c);

enum litmus_status { LITMUS_PASS, LITMUS_FAIL, LITMUS_NOT_GENERATED };

struct litmus_result {
    char *name;   /* the test's name (the file's base name if it did not parse) */
    char *file;   /* the .litmus file, as messages name it */
    char *path;   /* the file read (a campaign's is in a temporary folder);
                     NULL when the test will not run */
    char *slug;   /* name made safe for a file name */
    enum litmus_model model, hardware; /* arm.allowed columns; UNKNOWN if absent */
    bool in_table;
    uint32_t quantifier; /* enum litmus_quantifier run; valid when generated */
    unsigned threads, smp;

    enum litmus_status status;
    char *reason;          /* NULL for a plain pass */
    bool ran;
    int exit_status;       /* -1 unless it exited */
    int signal;
    bool timed_out;
    double seconds;
    bool log_ok;           /* the log parsed and has the test's block */
    unsigned long positive, negative, states;
    unsigned long p_count;   /* iterations where P held */
    unsigned long total;     /* iterations counted (positive + negative) */

    char *log_path;   /* OUT/litmus/SLUG.log, when it ran */
    char *err_path;   /* OUT/litmus/SLUG.err, kept when not empty */
    char *image_path; /* kept for failures only, else NULL */
    char **argv;      /* the emulator command line, when it ran */
    size_t argc;
};

struct litmus_run_report {
    char *source;   /* the campaign's .tgz, or "files" */
    char *allowed;  /* the verdict table, or NULL */
    char *emulator_label, *emulator_binary;
    char *runtime;  /* the runtime ELF */
    char *thread;   /* multi | single */
    enum thread_mode thread_mode;
    unsigned smp_min;
    char *append;   /* the -append text every test got */
    unsigned jobs, timeout_s;
    time_t start;
    double wall_seconds;
    char *out_dir;
    char **command;
    size_t command_argc;
    bool interrupted;

    struct litmus_result *results; /* in name order */
    size_t n;
};

struct litmus_run_totals {
    size_t tests, passed, failed, not_generated;
    size_t forbidden_seen;  /* Forbidden tests whose P was observed */
    size_t required_broken; /* Required tests seen violated */
    size_t allowed_run, allowed_seen;
};

struct litmus_run_totals litmus_run_totals(const struct litmus_run_report *r);
const char *litmus_status_word(enum litmus_status s); /* "ok", "FAIL", "skip" */
const char *litmus_status_name(enum litmus_status s); /* "pass", "fail", "not-generated" */

/* run_jobs.c: reads, parses and allocates the test in path (display names
 * it in messages) and fills *d; a LITMUS_GEN_* status, with parse and
 * allocation errors as LITMUS_GEN_BAD. */
int litmus_run_load(const char *path, const char *display, enum litmus_model model,
                    struct litmus_desc *d, char *err, size_t errlen);

/* run_jobs.c: generates each image just before its job starts, runs the
 * generated tests with at most r->jobs at once, prints one progress line
 * per finished test and fills the results. Returns 0 or the interrupting
 * signal. */
int litmus_run_jobs(struct litmus_run_report *r, size_t *finished);
void litmus_print_progress(const struct litmus_run_report *r, const struct litmus_result *t,
                           size_t finished);

/* run_report.c: writes litmus.json, litmus.md, junit.xml and all.log into
 * r->out_dir. Returns 0, or -1 with one line in err. */
int litmus_report_write_all(const struct litmus_run_report *r, char *err, size_t errlen);
void litmus_run_report_free(struct litmus_run_report *r);

#endif
