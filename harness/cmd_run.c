/*
 * cmd_run.c — `strex run`: options -> suite -> matrix -> jobs -> reports.
 *
 * Steps, each of which can stop the run with exit status 2 before any
 * emulator starts: parse the suite, check --filter against it, find the
 * emulator, plan the matrix, create the out folder. Then every cell
 * becomes a report_job; cells whose image is missing fail at once
 * ("image not found: PATH"), the rest go to the runner. As each job ends,
 * its stdout is parsed as TAP, the verdict is made and one progress line
 * printed. Last, the three reports are written and the totals printed.
 *
 * With --seeds every job runs strex-emu's replayable schedule, and with
 * --llsc every job runs once per LL/SC strategy; a job's seed and strategy
 * are in its progress line, its log names and the reports, and each
 * failing seeded or strategy job gets a last line with the command that
 * replays it. Both are strex-emu options: on another emulator either one
 * is a usage error, as a run that silently dropped an axis would report
 * less than was asked for.
 *
 * All state lives in one struct run on main's stack; the runner calls back
 * on the same thread, so nothing is shared.
 */
#include "harness/cmd_run.h"

#include "harness/emulator.h"
#include "harness/matrix.h"
#include "harness/runner.h"
#include "harness/tap.h"
#include "harness/verdict.h"
#include "reports/report.h"
#include "reports/text.h"
#include "util/fatal.h"
#include "util/file.h"
#include "util/log.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define OUTPUT_HEAD_BYTES (64 * 1024) /* of stdout, kept for junit.xml */
#define ERRPUT_HEAD_BYTES (16 * 1024) /* of stderr */

/* What a job needs beyond its report_job while it runs. */
struct job_ctx {
    struct report_job *job;
    const char *image;
    unsigned timeout_s;
    const char *xfail; /* borrowed from the suite */
};

struct run {
    const struct run_options *opt;
    struct suite suite;
    struct emulator emu;
    struct report_run report;
    struct job_ctx *ctx; /* one per report job */
    size_t finished;     /* jobs with a verdict, for the progress lines */
    double t0;
};

static double now_s(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static void usage_error(const char *msg)
{
    log_error("%s (see strex --help)", msg);
}

/* ---- set-up ------------------------------------------------------------------ */

static char **copy_argv(int argc, char **argv, size_t *n)
{
    char **v = xcalloc((size_t)argc + 1, sizeof(*v));

    for (int i = 0; i < argc; i++)
        v[i] = xstrdup(argv[i]);
    *n = (size_t)argc;
    return v;
}

static void init_report(struct run *r, int argc, char **argv)
{
    const struct run_options *o = r->opt;
    struct report_run *rep = &r->report;

    rep->suite = xstrdup(o->suite);
    rep->emulator_label = xstrdup(r->emu.label);
    rep->emulator_binary = xstrdup(r->emu.binary);
    rep->smp = xcalloc(o->n_smp, sizeof(*rep->smp));
    memcpy(rep->smp, o->smp, o->n_smp * sizeof(*rep->smp));
    rep->n_smp = o->n_smp;
    rep->threads = xcalloc(o->n_threads, sizeof(*rep->threads));
    for (size_t i = 0; i < o->n_threads; i++)
        rep->threads[i] = xstrdup(thread_mode_name(o->threads[i]));
    rep->n_threads = o->n_threads;
    if (o->n_seeds) {
        rep->seeds = xcalloc(o->n_seeds, sizeof(*rep->seeds));
        memcpy(rep->seeds, o->seeds, o->n_seeds * sizeof(*rep->seeds));
        rep->n_seeds = o->n_seeds;
    }
    if (o->n_llsc) {
        rep->llsc = xcalloc(o->n_llsc, sizeof(*rep->llsc));
        for (size_t i = 0; i < o->n_llsc; i++)
            rep->llsc[i] = xstrdup(llsc_mode_name(o->llsc[i]));
        rep->n_llsc = o->n_llsc;
    }
    rep->jobs_parallel = o->jobs;
    rep->timeout_s = o->timeout_s;
    rep->start = time(NULL);
    rep->out_dir = xstrdup(o->out_dir);
    rep->command = copy_argv(argc, argv, &rep->command_argc);
}

static char *log_path(const struct run *r, const struct matrix_cell *c, const char *ext)
{
    char *p, seed[32] = "", llsc[16] = "";

    if (c->seeded)
        snprintf(seed, sizeof(seed), ".seed%lu", c->seed);
    if (c->has_llsc)
        snprintf(llsc, sizeof(llsc), ".llsc-%s", llsc_mode_name(c->llsc));
    if (asprintf(&p, "%s/logs/%s.smp%u.%s%s%s.%s", r->opt->out_dir, c->test->name, c->smp,
                 thread_mode_name(c->thread), seed, llsc, ext) < 0)
        fatal("out of memory");
    return p;
}

/* The emulator command line: QEMU's, plus strex-emu's own -accel keys
 * when the cell has any (the matrix gives them to strex-emu only). */
static char **job_argv(const struct run *r, const struct matrix_cell *c, size_t *argc)
{
    const struct suite_test *t = c->test;
    struct emulator_strex_keys keys = {
        .seeded = c->seeded, .seed = c->seed, .has_llsc = c->has_llsc, .llsc = c->llsc,
    };

    if (!c->seeded && !c->has_llsc)
        return emulator_argv(r->emu.binary, c->smp, c->thread, t->image, t->args, argc);
    return emulator_argv_strex(r->emu.binary, c->smp, c->thread, &keys, t->image, t->args,
                               argc);
}

static void init_job(struct run *r, size_t i, const struct matrix_cell *c)
{
    struct report_job *job = &r->report.jobs[i];
    const struct suite_test *t = c->test;

    job->test = xstrdup(t->name);
    job->smp = c->smp;
    job->thread = xstrdup(thread_mode_name(c->thread));
    job->emulator = xstrdup(r->emu.label);
    job->exit_status = -1;
    job->tap.planned = -1;
    job->seeded = c->seeded;
    job->seed = c->seed;
    job->llsc = c->has_llsc ? xstrdup(llsc_mode_name(c->llsc)) : NULL;
    job->argv = job_argv(r, c, &job->argc);
    job->stdout_path = log_path(r, c, "out");
    job->stderr_path = log_path(r, c, "err");
    r->ctx[i] = (struct job_ctx){
        .job = job,
        .image = t->image,
        .timeout_s = t->timeout_s ? t->timeout_s : r->opt->timeout_s,
        .xfail = matrix_cell_xfail(c, r->emu.label, r->emu.is_strex),
    };
}

static bool has_single(const struct run_options *o)
{
    for (size_t i = 0; i < o->n_threads; i++)
        if (o->threads[i] == THREAD_SINGLE)
            return true;
    return false;
}

/* Everything that can make the run a usage error (exit 2). */
static int prepare(struct run *r, int argc, char **argv)
{
    const struct run_options *o = r->opt;
    struct matrix_spec spec = {
        .smp = o->smp, .n_smp = o->n_smp, .threads = o->threads, .n_threads = o->n_threads,
        .filter = o->filter, .n_filter = o->n_filter, .seeds = o->seeds, .n_seeds = o->n_seeds,
        .llsc = o->llsc, .n_llsc = o->n_llsc,
    };
    struct matrix_cell *cells;
    char err[1024], logs[4096];
    size_t n;
    int rc;

    rc = suite_parse_file(o->suite, &r->suite, err, sizeof(err));
    if (rc == -2)
        log_error("%s", err);
    else if (rc != 0)
        fprintf(stderr, "%s\n", err); /* FILE:LINE: message, as compilers do */
    if (rc != 0)
        return -1;
    if (matrix_check_filter(&r->suite, &spec, err, sizeof(err)) != 0) {
        usage_error(err);
        return -1;
    }
    if (emulator_resolve(o->emulator, &r->emu, err, sizeof(err)) != 0) {
        log_error("%s", err);
        return -1;
    }
    if (o->n_seeds && !r->emu.is_strex) {
        snprintf(err, sizeof(err), "--seeds: only strex-emu has a seeded schedule "
                 "(--emulator strex), not '%s'", r->emu.label);
        usage_error(err);
        return -1;
    }
    if (o->n_llsc && !r->emu.is_strex) {
        snprintf(err, sizeof(err), "--llsc: only strex-emu has LL/SC strategies "
                 "(--emulator strex), not '%s'", r->emu.label);
        usage_error(err);
        return -1;
    }
    spec.is_strex = r->emu.is_strex;
    cells = matrix_plan(&r->suite, &spec, &n);
    if (n == 0) {
        free(cells);
        usage_error(!o->n_seeds ? "nothing to run: no test of the suite allows these "
                                  "--smp/--thread values"
                    : has_single(o) ? "nothing to run: no test of the suite allows these "
                                      "--smp values with --thread single"
                                    : "nothing to run: --seeds runs thread=single jobs only, "
                                      "and --thread has no single");
        return -1;
    }
    snprintf(logs, sizeof(logs), "%s/logs", o->out_dir);
    if (file_make_dirs(logs, err, sizeof(err)) != 0) {
        free(cells);
        log_error("%s", err);
        return -1;
    }
    init_report(r, argc, argv);
    r->report.jobs = xcalloc(n, sizeof(*r->report.jobs));
    r->report.n_jobs = n;
    r->ctx = xcalloc(n, sizeof(*r->ctx));
    for (size_t i = 0; i < n; i++)
        init_job(r, i, &cells[i]);
    free(cells);
    return 0;
}

/* ---- a finished job ------------------------------------------------------- */

static void take_tap(struct report_job *job, struct tap_result *tap)
{
    job->tap = tap->counts;
    job->metrics = tap->metrics;
    job->n_metrics = tap->n_metrics;
    job->exceptions = tap->exceptions;
    job->n_exceptions = tap->n_exceptions;
    tap->metrics = NULL;
    tap->n_metrics = 0;
    tap->exceptions = NULL;
    tap->n_exceptions = 0;
}

static void print_progress(struct run *r, const struct report_job *job)
{
    size_t total = r->report.n_jobs;
    int width = snprintf(NULL, 0, "%zu", total);

    r->finished++;
    printf("[%*zu/%zu] %-6s %s smp=%u thread=%s", width < 3 ? 3 : width, r->finished, total,
           report_status_word(job->status), job->test, job->smp, job->thread);
    if (job->seeded)
        printf(" seed=%lu", job->seed);
    if (job->llsc)
        printf(" llsc=%s", job->llsc);
    printf("  %.1fs", job->seconds);
    if (job->status == REPORT_XPASS)
        printf("  (passed, but declared xfail)");
    else if (job->reason)
        printf("  (%s)", job->reason);
    putchar('\n');
    fflush(stdout);
}

/* The verdict, for a job that ran (x) or could not (x NULL, not_run set). */
static void finish_job(struct run *r, struct job_ctx *c, const struct runner_job *x,
                       const char *not_run)
{
    struct report_job *job = c->job;
    struct verdict_input in = { .not_run = not_run, .timeout_s = c->timeout_s };
    struct tap_result tap;
    const char *xfail;
    char err[512];

    tap_init(&tap);
    if (x) {
        in.interrupted = x->interrupted;
        in.timed_out = x->timed_out;
        in.term_signal = x->term_signal;
        in.exit_status = x->exit_status;
        if (x->started && tap_parse_file(&tap, job->stdout_path, err, sizeof(err)) != 0)
            log_warn("%s", err);
        in.tap = &tap;
        job->exit_status = x->exit_status;
        job->signal = x->term_signal;
        job->timed_out = x->timed_out;
        job->seconds = x->seconds;
        job->output = text_read_head(job->stdout_path, OUTPUT_HEAD_BYTES, &job->output_truncated);
        job->errput = text_read_head(job->stderr_path, ERRPUT_HEAD_BYTES, &job->errput_truncated);
    }
    /* An interrupted job says nothing about the test: never an XFAIL. */
    xfail = in.interrupted ? NULL : c->xfail;
    job->reason = verdict_reason(&in);
    job->status = verdict_status(job->reason, xfail);
    job->xfail_reason = xfail ? xstrdup(xfail) : NULL;
    take_tap(job, &tap);
    tap_free(&tap);
    print_progress(r, job);
}

static void job_done(struct runner_job *x, void *ctx)
{
    struct run *r = ctx;
    struct job_ctx *c = x->user;

    finish_job(r, c, x, x->started ? NULL : x->start_error);
}

/* ---- the run ------------------------------------------------------------------ */

/* Fails the jobs whose image is missing and hands the rest to the runner.
 * Returns the interrupting signal, or 0. */
static int run_jobs(struct run *r)
{
    size_t n = r->report.n_jobs, n_exec = 0;
    struct runner_job *exec = xcalloc(n, sizeof(*exec));
    char reason[4200];
    int sig;

    for (size_t i = 0; i < n; i++) {
        struct job_ctx *c = &r->ctx[i];

        if (access(c->image, R_OK) != 0) {
            snprintf(reason, sizeof(reason), "image not found: %s", c->image);
            finish_job(r, c, NULL, reason);
            continue;
        }
        exec[n_exec++] = (struct runner_job){
            .argv = c->job->argv,
            .timeout_s = c->timeout_s,
            .stdout_path = c->job->stdout_path,
            .stderr_path = c->job->stderr_path,
            .user = c,
        };
    }
    sig = runner_run(exec, n_exec, r->opt->jobs, job_done, r);
    free(exec);
    return sig;
}

/* "FAIL seed 17 llsc=cas: llsc-aba smp=4; replay: strex run ... --seeds 17
 * --llsc cas" for a failed job with a seed and/or a strategy. */
static void print_replay(const struct run *r, const struct report_job *j)
{
    printf("%s", report_status_word(j->status));
    if (j->seeded)
        printf(" seed %lu", j->seed);
    if (j->llsc)
        printf(" llsc=%s", j->llsc);
    printf(": %s smp=%u", j->test, j->smp);
    if (!j->seeded)
        printf(" thread=%s", j->thread);
    printf("; replay: strex run %s --emulator %s --smp %u --thread %s --filter %s",
           r->opt->suite, r->opt->emulator, j->smp, j->thread, j->test);
    if (j->seeded)
        printf(" --seeds %lu", j->seed);
    if (j->llsc)
        printf(" --llsc %s", j->llsc);
    putchar('\n');
}

/* One line per failed seeded or strategy job: the strex run that replays
 * just it. */
static void print_replays(const struct run *r)
{
    for (size_t i = 0; i < r->report.n_jobs; i++) {
        const struct report_job *j = &r->report.jobs[i];

        if ((j->seeded || j->llsc) && (j->status == REPORT_FAIL || j->status == REPORT_XPASS))
            print_replay(r, j);
    }
}

static int conclude(struct run *r, int sig)
{
    struct report_totals t;
    char err[1024];
    int status;

    r->report.wall_seconds = now_s() - r->t0;
    t = report_totals(&r->report);
    status = report_run_ok(&r->report) ? RUN_OK : RUN_FAILED;
    if (report_write_all(&r->report, err, sizeof(err)) != 0) {
        log_error("%s", err);
        status = RUN_FAILED;
    }
    print_replays(r);
    printf("%zu jobs: %zu passed, %zu failed, %zu expected failures, %zu unexpected passes "
           "(%.1fs) -> %s\n",
           t.jobs, t.passed, t.failed, t.xfailed, t.xpassed, r->report.wall_seconds,
           r->report.out_dir);
    if (sig) {
        report_signal_name(sig, err, sizeof(err));
        log_error("interrupted by %s", err);
        status = 128 + sig;
    }
    return status;
}

int cmd_run(const struct run_options *o, int argc, char **argv)
{
    struct run r = { .opt = o, .t0 = now_s() };
    int status = RUN_USAGE;

    if (prepare(&r, argc, argv) == 0)
        status = conclude(&r, run_jobs(&r));
    report_run_free(&r.report);
    free(r.ctx);
    emulator_free(&r.emu);
    suite_free(&r.suite);
    return status;
}
