/*
 * run_jobs.c — the tests that run: image, emulator job, verdict.
 *
 * Images are about 150 KB each, 1.4 GB for the whole campaign, so they
 * are written just in time and a passing test's image is deleted as soon
 * as its verdict is in; failures keep theirs, to be run again by hand. The
 * runner (harness/runner.h) starts jobs strictly in array order and calls
 * back once per job before it fills the freed slot, so the window is
 * simple: images exist for the first `jobs` jobs before it starts, and
 * each callback writes the next one. With `done` callbacks counted as d,
 * at most d + jobs jobs have started and d + jobs images exist.
 *
 * The verdict of a job, first match wins: the image could not be written;
 * the emulator did not start; interrupted; timed out; killed by a signal;
 * a "Bail out!" line; the log unreadable or without this test's block; the
 * outcome broke a universal condition (a Forbidden test's P observed, a
 * Required test's P violated: the guest exits 1 then, and that is a
 * conformance failure, not a crash); any other non-zero exit status
 * (the runtime's exception codes). Otherwise it passes.
 */
#include "litmus/run.h"

#include "harness/emulator.h"
#include "harness/runner.h"
#include "litmus/gen.h"
#include "litmus/lex.h"
#include "litmus/log.h"
#include "reports/report.h"
#include "util/fatal.h"
#include "util/file.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct jobs {
    struct litmus_run_report *r;
    struct runner_job *exec;
    size_t n;
    size_t next_image; /* the first job without its image yet */
    size_t *finished;
};

int litmus_run_load(const char *path, const char *display, enum litmus_model model,
                    struct litmus_desc *d, char *err, size_t errlen)
{
    struct litmus_test t;
    char *text;
    int rc;

    if (litmus_read_text(path, &text, err, errlen))
        return LITMUS_GEN_BAD;
    rc = litmus_parse_string(display, text, &t, err, errlen);
    free(text);
    if (rc == 0)
        rc = litmus_alloc_registers(&t, LITMUS_DEFAULT_POOL, err, errlen);
    if (rc == 0)
        rc = litmus_gen_desc(&t, model, d, err, errlen);
    else
        rc = LITMUS_GEN_BAD;
    litmus_test_free(&t);
    return rc;
}

static char *out_file(const struct litmus_run_report *r, const char *sub, const char *slug,
                      const char *ext)
{
    char *p;

    if (asprintf(&p, "%s/litmus/%s%s.%s", r->out_dir, sub, slug, ext) < 0)
        fatal("out of memory");
    return p;
}

static void fail(struct litmus_result *t, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void fail(struct litmus_result *t, const char *fmt, ...)
{
    va_list ap;

    t->status = LITMUS_FAIL;
    if (t->reason)
        return; /* the first reason stands */
    va_start(ap, fmt);
    if (vasprintf(&t->reason, fmt, ap) < 0)
        fatal("out of memory");
    va_end(ap);
}

static void make_image(struct jobs *j, size_t i)
{
    struct litmus_result *t = j->exec[i].user;
    static struct litmus_desc d; /* 34 KB; this runs on one thread */
    char err[600];

    if (litmus_run_load(t->path, t->file, t->model, &d, err, sizeof(err)) == LITMUS_GEN_OK &&
        litmus_gen_image(&d, j->r->runtime, t->image_path, err, sizeof(err)) == 0)
        return;
    fail(t, "image not generated: %s", err);
    free(t->image_path); /* the job still runs, and fails on the missing file */
    t->image_path = NULL;
}

/* ---- reading what the guest printed ---------------------------------------- */

static char *read_all(const char *path, size_t *len)
{
    char err[256];

    return file_read_all(path, 0, len, err, sizeof(err));
}

/* The first line starting with prefix, as a new string without the line
 * end; NULL if none. */
static char *find_line(const char *text, size_t len, const char *prefix)
{
    size_t plen = strlen(prefix);

    for (const char *p = text; p && p < text + len;) {
        const char *nl = memchr(p, '\n', (size_t)(text + len - p));
        const char *end = nl ? nl : text + len;

        if ((size_t)(end - p) >= plen && !memcmp(p, prefix, plen)) {
            char *line;

            while (end > p && (end[-1] == '\r' || end[-1] == ' '))
                end--;
            line = xmalloc((size_t)(end - p) + 1);
            memcpy(line, p, (size_t)(end - p));
            line[end - p] = '\0';
            for (char *c = line; *c; c++)
                if ((unsigned char)*c < 0x20 || (unsigned char)*c >= 0x7f)
                    *c = '?';
            return line;
        }
        p = nl ? nl + 1 : NULL;
    }
    return NULL;
}

/* Fills the counts from the test's block. */
static void take_counts(struct litmus_result *t, const struct litmus_log_test *b)
{
    unsigned long marked = 0, all = 0;

    for (size_t i = 0; i < b->nstates; i++) {
        all += b->states[i].count;
        if (b->states[i].marked)
            marked += b->states[i].count;
    }
    t->log_ok = true;
    t->positive = b->positive;
    t->negative = b->negative;
    t->states = b->nstates;
    t->total = all;
    /* "*>" marks P, except under forall, where it marks not P */
    t->p_count = t->quantifier == LITMUS_FORALL ? all - marked : marked;
}

static void judge_log(struct litmus_result *t, const struct runner_job *x, const char *text,
                      size_t len)
{
    struct litmus_log log;
    const struct litmus_log_test *b = NULL;
    char err[512], *bail = find_line(text, len, "Bail out!");
    char *exc = find_line(text, len, "EXCEPTION");
    int rc = litmus_log_parse(text, len, t->log_path, &log, err, sizeof(err));

    if (rc == 0 && (b = litmus_log_find(&log, t->name)) != NULL)
        take_counts(t, b);
    if (x->timed_out)
        fail(t, "timed out after %u s", x->timeout_s);
    else if (x->term_signal) {
        report_signal_name(x->term_signal, err, sizeof(err));
        fail(t, "emulator killed by %s", err);
    } else if (bail)
        fail(t, "%s", bail);
    else if (exc)
        fail(t, "guest exception (exit status %d): %s", x->exit_status, exc);
    else if (rc != 0)
        fail(t, "log: %s (exit status %d)", err, x->exit_status);
    else if (!b)
        fail(t, "the log has no result for test %s (exit status %d)", t->name, x->exit_status);
    else if (strcmp(b->verdict, litmus_gen_verdict_word(t->quantifier)))
        fail(t, "the log says %s, the test was generated as %s", b->verdict,
             litmus_gen_verdict_word(t->quantifier));
    else if (t->quantifier == LITMUS_NOT_EXISTS && t->p_count)
        fail(t, "forbidden outcome seen %lu times", t->p_count);
    else if (t->quantifier == LITMUS_FORALL && t->p_count != t->total)
        fail(t, "required condition violated %lu times", t->total - t->p_count);
    else if (x->exit_status != 0)
        fail(t, "exit status %d", x->exit_status);
    free(bail);
    free(exc);
    if (rc == 0)
        litmus_log_free(&log);
}

static void judge(struct litmus_result *t, const struct runner_job *x)
{
    size_t len;
    char *text = NULL;

    t->ran = x->started;
    t->exit_status = x->exit_status;
    t->signal = x->term_signal;
    t->timed_out = x->timed_out;
    t->seconds = x->seconds;
    if (t->status == LITMUS_FAIL)
        return; /* the image was not written */
    if (x->interrupted)
        fail(t, "interrupted");
    else if (!x->started)
        fail(t, "%s", x->start_error);
    else if (!(text = read_all(t->log_path, &len)))
        fail(t, "cannot read %s", t->log_path);
    else
        judge_log(t, x, text, len);
    free(text);
    if (t->status != LITMUS_FAIL)
        t->status = LITMUS_PASS;
}

/* Passing tests leave only their log. */
static void tidy(struct litmus_result *t)
{
    struct stat st;

    if (t->status == LITMUS_PASS && t->image_path) {
        unlink(t->image_path);
        free(t->image_path);
        t->image_path = NULL;
    }
    if (t->err_path && stat(t->err_path, &st) == 0 && st.st_size == 0) {
        unlink(t->err_path);
        free(t->err_path);
        t->err_path = NULL;
    }
}

static void job_done(struct runner_job *x, void *ctx)
{
    struct jobs *j = ctx;
    struct litmus_result *t = x->user;

    if (j->next_image < j->n)
        make_image(j, j->next_image++);
    judge(t, x);
    tidy(t);
    litmus_print_progress(j->r, t, ++*j->finished);
}

/* ---- progress ---------------------------------------------------------------- */

void litmus_print_progress(const struct litmus_run_report *r, const struct litmus_result *t,
                           size_t finished)
{
    int width = snprintf(NULL, 0, "%zu", r->n);

    printf("[%*zu/%zu] %-4s %s", width < 3 ? 3 : width, finished, r->n,
           litmus_status_word(t->status), t->name);
    if (t->log_ok) {
        const char *word = litmus_gen_verdict_word(t->quantifier);

        if (t->quantifier == LITMUS_FORALL)
            printf("  %s violated %lu/%lu", word, t->total - t->p_count, t->total);
        else
            printf("  %s seen %lu/%lu", word, t->p_count, t->total);
    } else if (t->path) {
        printf("  %s", litmus_gen_verdict_word(t->quantifier));
    }
    if (t->ran)
        printf("  %.1fs", t->seconds);
    if (t->status != LITMUS_PASS && t->reason)
        printf("  (%s)", t->reason);
    putchar('\n');
    fflush(stdout);
}

/* ---- the batch ------------------------------------------------------------------ */

int litmus_run_jobs(struct litmus_run_report *r, size_t *finished)
{
    struct jobs j = { .r = r, .finished = finished };
    int sig;

    j.exec = xcalloc(r->n ? r->n : 1, sizeof(*j.exec));
    for (size_t i = 0; i < r->n; i++) {
        struct litmus_result *t = &r->results[i];

        if (!t->path)
            continue;
        t->log_path = out_file(r, "", t->slug, "log");
        t->err_path = out_file(r, "", t->slug, "err");
        t->image_path = out_file(r, "images/", t->slug, "elf");
        t->argv = emulator_argv(r->emulator_binary, t->smp, r->thread_mode, t->image_path,
                                r->append, &t->argc);
        j.exec[j.n++] = (struct runner_job){
            .argv = t->argv,
            .timeout_s = r->timeout_s,
            .stdout_path = t->log_path,
            .stderr_path = t->err_path,
            .user = t,
        };
    }
    while (j.next_image < j.n && j.next_image < r->jobs)
        make_image(&j, j.next_image++);
    sig = runner_run(j.exec, j.n, r->jobs, job_done, &j);
    free(j.exec);
    return sig;
}
