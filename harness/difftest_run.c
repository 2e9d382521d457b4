/*
 * difftest_run.c — one difftest run: batches of sequences become guest
 * images, each image runs on both emulators, their "DT" lines are compared.
 *
 * Files, under OUT/batches/: NNNN.S (the generated source), NNNN.o,
 * NNNN.elf, NNNN.{as,ld}.err (tool messages), NNNN.{a,b}.{out,err} (each
 * emulator's stdout and stderr; the DT lines are on stderr, the
 * semihosting console). They are kept, so a failing batch can be rerun by
 * hand with the command line printed in the report.
 *
 * A batch where either emulator did not exit 0 (crash, timeout, signal) is
 * a failure of the run; its sequences are compared as far as both got,
 * and the first one that one side did not finish is reported.
 */
#include "harness/difftest.h"

#include "harness/emulator.h"
#include "harness/runner.h"
#include "util/fatal.h"
#include "util/file.h"
#include "util/log.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define MAX_OUTPUT (64u << 20)

struct run {
    const struct difftest_options *o;
    struct emulator a, b;
    struct difftest_result res;
    size_t cap_diffs, cap_fails;
};

static double now_s(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static char *fmt_alloc(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static char *fmt_alloc(const char *fmt, ...)
{
    va_list ap;
    char *s;

    va_start(ap, fmt);
    if (vasprintf(&s, fmt, ap) < 0)
        fatal("out of memory");
    va_end(ap);
    return s;
}

static char *batch_path(const struct run *r, size_t b, const char *suffix)
{
    return fmt_alloc("%s/batches/%04zu%s", r->o->out_dir, b, suffix);
}

static size_t batch_first(const struct run *r, size_t b)
{
    return b * r->o->batch;
}

static size_t batch_len(const struct run *r, size_t b)
{
    size_t first = batch_first(r, b), left = r->res.n_seqs - first;

    return left < r->o->batch ? left : r->o->batch;
}

/* ---- jobs -------------------------------------------------------------------- */

struct jobs {
    struct runner_job *v;
    char ***argvs;
    char **paths; /* stdout, stderr per job */
    size_t n;
};

static void jobs_init(struct jobs *j, size_t n)
{
    j->v = xcalloc(n, sizeof(*j->v));
    j->argvs = xcalloc(n, sizeof(*j->argvs));
    j->paths = xcalloc(2 * n, sizeof(*j->paths));
    j->n = 0;
}

/* Adds a job; argv is a NULL-terminated list of strings, copied. */
static struct runner_job *jobs_add(struct jobs *j, char *out, char *err, unsigned timeout_s,
                                   const char *const *argv)
{
    size_t argc = 0;
    char **v;

    while (argv[argc])
        argc++;
    v = xcalloc(argc + 1, sizeof(*v));
    for (size_t i = 0; i < argc; i++)
        v[i] = xstrdup(argv[i]);
    j->argvs[j->n] = v;
    j->paths[2 * j->n] = out;
    j->paths[2 * j->n + 1] = err;
    j->v[j->n] = (struct runner_job){ .argv = v, .timeout_s = timeout_s, .stdout_path = out,
                                      .stderr_path = err };
    return &j->v[j->n++];
}

static void jobs_free(struct jobs *j)
{
    for (size_t i = 0; i < j->n; i++) {
        for (char **a = j->argvs[i]; *a; a++)
            free(*a);
        free(j->argvs[i]);
        free(j->paths[2 * i]);
        free(j->paths[2 * i + 1]);
    }
    free(j->v);
    free(j->argvs);
    free(j->paths);
}

static void job_done(struct runner_job *job, void *ctx)
{
    (void)job, (void)ctx;
}

/* "exit status 3", "killed by signal 9", "timed out", "did not start: ..." */
static char *job_outcome(const struct runner_job *job)
{
    if (!job->started)
        return fmt_alloc("did not start: %s", job->start_error);
    if (job->timed_out)
        return fmt_alloc("timed out after %u s", job->timeout_s);
    if (job->term_signal)
        return fmt_alloc("killed by signal %d", job->term_signal);
    if (job->exit_status != 0)
        return fmt_alloc("exit status %d", job->exit_status);
    return NULL;
}

static int run_jobs(const struct run *r, struct jobs *j)
{
    if (runner_run(j->v, j->n, r->o->jobs, job_done, NULL)) {
        log_error("difftest: interrupted");
        return -1;
    }
    return 0;
}

/* ---- generate and build ---------------------------------------------------------- */

static int write_batch(struct run *r, size_t b)
{
    char *path = batch_path(r, b, ".S");
    FILE *f = fopen(path, "w");

    if (!f) {
        log_error("difftest: cannot write %s", path);
        free(path);
        return -1;
    }
    difftest_write_asm(f, &r->res.seqs[batch_first(r, b)], batch_len(r, b));
    if (fclose(f)) {
        log_error("difftest: cannot write %s", path);
        free(path);
        return -1;
    }
    free(path);
    return 0;
}

static void generate(struct run *r)
{
    const struct difftest_options *o = r->o;
    struct difftest_gen_config cfg = { o->seed, (unsigned)o->min_len, (unsigned)o->max_len,
                                       o->have_lines ? o->picked : NULL };

    r->res.n_seqs = o->n_only ? o->n_only : o->count;
    r->res.seqs = xcalloc(r->res.n_seqs, sizeof(*r->res.seqs));
    for (size_t i = 0; i < r->res.n_seqs; i++)
        difftest_gen_seq(&cfg, o->n_only ? (uint32_t)o->only[i] : (uint32_t)i, &r->res.seqs[i]);
    r->res.n_batches = (r->res.n_seqs + o->batch - 1) / o->batch;
}

/* A tool's failure: its stderr, which names the line. Exit status 2. */
static int tool_failed(const struct runner_job *job, const char *tool)
{
    char err[256], *out = NULL, *why = job_outcome(job);
    size_t len;

    log_error("difftest: %s failed (%s)", tool, why ? why : "see below");
    if (job->started)
        out = file_read_all(job->stderr_path, 1 << 20, &len, err, sizeof(err));
    if (out && *out)
        fprintf(stderr, "%.4000s", out);
    free(out);
    free(why);
    return 2;
}

/* as, then ld, for every batch. */
static int build(struct run *r)
{
    for (int step = 0; step < 2; step++) {
        struct jobs j;
        int rc = 0;

        jobs_init(&j, r->res.n_batches);
        for (size_t b = 0; b < r->res.n_batches; b++) {
            char *src = batch_path(r, b, ".S"), *obj = batch_path(r, b, ".o");
            char *elf = batch_path(r, b, ".elf");
            const char *as[] = { "arm-none-eabi-as", "-march=armv7-a", "-o", obj, src, NULL };
            const char *ld[] = { "arm-none-eabi-ld", "-Ttext=0x40000000", "-e", "_start",
                                 "--no-warn-rwx-segments", "-o", elf, obj, NULL };

            jobs_add(&j, batch_path(r, b, step ? ".ld.out" : ".as.out"),
                     batch_path(r, b, step ? ".ld.err" : ".as.err"), 120, step ? ld : as);
            free(src), free(obj), free(elf);
        }
        rc = run_jobs(r, &j) ? 2 : 0;
        for (size_t i = 0; i < j.n && rc == 0; i++)
            if (!j.v[i].started || j.v[i].exit_status != 0)
                rc = tool_failed(&j.v[i], step ? "link" : "assemble");
        jobs_free(&j);
        if (rc)
            return rc;
    }
    return 0;
}

/* ---- run and compare --------------------------------------------------------------- */

static void add_emulator_job(struct run *r, struct jobs *j, size_t b, const struct emulator *e,
                             const char *side)
{
    char *elf = batch_path(r, b, ".elf");
    char out[16], err[16];
    const char *argv[] = { e->binary, "-M", "virt", "-cpu", "cortex-a15", "-m", "128",
                           "-smp", "1", "-nographic", "-semihosting", "-kernel", elf, NULL };

    snprintf(out, sizeof(out), ".%s.out", side);
    snprintf(err, sizeof(err), ".%s.err", side);
    jobs_add(j, batch_path(r, b, out), batch_path(r, b, err), r->o->timeout_s, argv);
    free(elf);
}

static void add_finding(struct run *r, size_t seq, char *what)
{
    if (r->res.n_diffs == r->cap_diffs) {
        r->cap_diffs = r->cap_diffs ? 2 * r->cap_diffs : 16;
        r->res.diffs = xrealloc(r->res.diffs, r->cap_diffs * sizeof(*r->res.diffs));
    }
    r->res.diffs[r->res.n_diffs++] = (struct difftest_finding){ seq, what };
}

static void add_failure(struct run *r, size_t batch, char *what)
{
    if (r->res.n_fails == r->cap_fails) {
        r->cap_fails = r->cap_fails ? 2 * r->cap_fails : 8;
        r->res.fails = xrealloc(r->res.fails, r->cap_fails * sizeof(*r->res.fails));
    }
    r->res.fails[r->res.n_fails++] = (struct difftest_failure){ batch, what };
}

static void read_output(const struct runner_job *job, size_t n, struct difftest_output *out)
{
    char err[256], *text = NULL;
    size_t len;

    if (job->started)
        text = file_read_all(job->stderr_path, MAX_OUTPUT, &len, err, sizeof(err));
    difftest_output_parse(text ? text : "", n, out);
    free(text);
}

/* Sequence by sequence; after the first one a side did not finish, the
 * rest of the batch is not compared (its run already failed). */
static void compare_batch(struct run *r, size_t b, const struct runner_job *ja,
                          const struct runner_job *jb)
{
    size_t first = batch_first(r, b), n = batch_len(r, b);
    struct difftest_output a, bo;
    char what[2048];

    read_output(ja, n, &a);
    read_output(jb, n, &bo);
    for (size_t k = 0; k < n; k++) {
        if (!a.have[k] || !bo.have[k]) {
            add_finding(r, first + k, fmt_alloc("no result from %s%s%s: the run stopped here",
                                                !a.have[k] ? "a" : "", !a.have[k] && !bo.have[k]
                                                ? " and " : "", !bo.have[k] ? "b" : ""));
            break;
        }
        r->res.n_compared++;
        if (difftest_compare(&a.states[k], &bo.states[k], what, sizeof(what)))
            add_finding(r, first + k, xstrdup(what));
    }
    difftest_output_free(&a);
    difftest_output_free(&bo);
}

static void judge_batch(struct run *r, size_t b, const struct runner_job *ja,
                        const struct runner_job *jb)
{
    char *why_a = job_outcome(ja), *why_b = job_outcome(jb);

    if (why_a)
        add_failure(r, b, fmt_alloc("a (%s): %s", r->o->emu_a, why_a));
    if (why_b)
        add_failure(r, b, fmt_alloc("b (%s): %s", r->o->emu_b, why_b));
    free(why_a);
    free(why_b);
    compare_batch(r, b, ja, jb);
}

static int run_and_compare(struct run *r)
{
    struct jobs j;

    jobs_init(&j, 2 * r->res.n_batches);
    for (size_t b = 0; b < r->res.n_batches; b++) {
        add_emulator_job(r, &j, b, &r->a, "a");
        add_emulator_job(r, &j, b, &r->b, "b");
    }
    if (run_jobs(r, &j)) {
        jobs_free(&j);
        return -1;
    }
    for (size_t b = 0; b < r->res.n_batches; b++)
        judge_batch(r, b, &j.v[2 * b], &j.v[2 * b + 1]);
    jobs_free(&j);
    return 0;
}

/* ---- the run ------------------------------------------------------------------------ */

static int prepare(struct run *r)
{
    char err[512], *dir;
    int rc = 0;

    if (emulator_resolve(r->o->emu_a, &r->a, err, sizeof(err)) ||
        emulator_resolve(r->o->emu_b, &r->b, err, sizeof(err))) {
        log_error("difftest: %s", err);
        return 2;
    }
    dir = fmt_alloc("%s/batches", r->o->out_dir);
    if (file_make_dirs(dir, err, sizeof(err))) {
        log_error("difftest: %s", err);
        rc = 2;
    }
    free(dir);
    return rc;
}

static void free_result(struct difftest_result *res)
{
    for (size_t i = 0; i < res->n_seqs; i++)
        difftest_seq_free(&res->seqs[i]);
    for (size_t i = 0; i < res->n_diffs; i++)
        free(res->diffs[i].what);
    for (size_t i = 0; i < res->n_fails; i++)
        free(res->fails[i].what);
    free(res->seqs);
    free(res->diffs);
    free(res->fails);
}

int difftest_run(const struct difftest_options *o)
{
    struct run r = { .o = o };
    double t0 = now_s();
    int rc = prepare(&r);

    r.res.o = o;
    r.res.label_a = o->emu_a;
    r.res.label_b = o->emu_b;
    if (rc == 0) {
        generate(&r);
        for (size_t b = 0; b < r.res.n_batches && rc == 0; b++)
            rc = write_batch(&r, b) ? 2 : 0;
    }
    if (rc == 0)
        rc = build(&r);
    if (rc == 0)
        rc = run_and_compare(&r) ? 2 : 0;
    if (rc == 0) {
        r.res.seconds = now_s() - t0;
        difftest_report(&r.res, stdout);
        rc = r.res.n_diffs || r.res.n_fails ? 1 : 0;
    }
    free_result(&r.res);
    emulator_free(&r.a);
    emulator_free(&r.b);
    return rc;
}
