/*
 * summary.c — summary.md, the report a person reads first.
 *
 * Four parts: a header (totals, verdict, how the run was started); the
 * matrix, one row per test and one column per (smp, thread) pair of the
 * run, each cell a status word; every job that was not a plain PASS, with
 * its reason and log; and the metrics, one small table per test whose
 * columns are the keys that test printed, in natural order (cpu2 before
 * cpu10). A cell the run did not cover (the suite ruled that combination
 * out) shows "-". With a seed axis a cell holds one job per seed: it
 * shows the worst status and how many jobs had it ("FAIL 2/100"), or
 * "PASS x100" when all passed; each failure's line names its seed. With an
 * LL/SC axis (--llsc) each (smp, thread) column splits into one column per
 * strategy, since one strategy's expected failure must not hide another's
 * pass; failure lines and the metrics tables name the strategy.
 */
#include "reports/report.h"

#include "reports/text.h"
#include "util/fatal.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

/* Worse first: what a cell of several jobs (seeds) shows. */
static int severity(enum report_status s)
{
    switch (s) {
    case REPORT_FAIL:  return 3;
    case REPORT_XPASS: return 2;
    case REPORT_XFAIL: return 1;
    case REPORT_PASS:  break;
    }
    return 0;
}

/* One column of the matrix: an (smp, thread[, llsc]) triple. */
struct column {
    unsigned long smp;
    const char *thread;
    const char *llsc; /* NULL: the run has no LL/SC axis */
};

static bool in_column(const struct report_job *j, const char *test, const struct column *c)
{
    if (j->smp != c->smp || strcmp(j->test, test) != 0 || strcmp(j->thread, c->thread) != 0)
        return false;
    return !c->llsc || (j->llsc && strcmp(j->llsc, c->llsc) == 0);
}

/* The matrix cell for (test, column): "-", a status word, "PASS x100"
 * or "FAIL 2/100". */
static void write_cell(FILE *f, const struct report_run *run, const char *test,
                       const struct column *col)
{
    size_t n = 0, n_worst = 0;
    enum report_status worst = REPORT_PASS;

    for (size_t i = 0; i < run->n_jobs; i++) {
        const struct report_job *j = &run->jobs[i];

        if (!in_column(j, test, col))
            continue;
        if (n++ == 0 || severity(j->status) > severity(worst))
            worst = j->status, n_worst = 0;
        n_worst += j->status == worst;
    }
    if (n == 0)
        fputs(" - |", f);
    else if (n == 1)
        fprintf(f, " %s |", report_status_word(worst));
    else if (n_worst == n)
        fprintf(f, " %s x%zu |", report_status_word(worst), n);
    else
        fprintf(f, " %s %zu/%zu |", report_status_word(worst), n_worst, n);
}

static bool any_seeded(const struct report_run *run)
{
    for (size_t i = 0; i < run->n_jobs; i++)
        if (run->jobs[i].seeded)
            return true;
    return false;
}

static bool any_llsc(const struct report_run *run)
{
    for (size_t i = 0; i < run->n_jobs; i++)
        if (run->jobs[i].llsc)
            return true;
    return false;
}

static bool first_of_test(const struct report_run *run, size_t i)
{
    for (size_t j = 0; j < i; j++)
        if (strcmp(run->jobs[j].test, run->jobs[i].test) == 0)
            return false;
    return true;
}

static void write_header(FILE *f, const struct report_run *run)
{
    struct report_totals t = report_totals(run);
    char start[32];

    report_format_utc(run->start, start, sizeof(start));
    fprintf(f, "# strex run: %s\n\n", report_run_ok(run) ? "PASS" : "FAIL");
    fprintf(f, "%zu jobs: %zu passed, %zu failed, %zu expected failures, "
               "%zu unexpected passes, in %.1f s.\n\n",
            t.jobs, t.passed, t.failed, t.xfailed, t.xpassed, run->wall_seconds);
    fputs("- command: `", f);
    for (size_t i = 0; i < run->command_argc; i++) {
        if (i)
            fputc(' ', f);
        text_write_md_code(f, run->command[i]);
    }
    fputs("`\n- suite: `", f);
    text_write_md_code(f, run->suite);
    fputs("`\n- emulator: ", f);
    text_write_md_cell(f, run->emulator_label);
    fputs(" (`", f);
    text_write_md_code(f, run->emulator_binary);
    fprintf(f, "`)\n- started %s, %u parallel jobs, default timeout %u s\n\n", start,
            run->jobs_parallel, run->timeout_s);
}

/* The matrix's columns in run order: smp, then thread, then llsc. */
static struct column *columns(const struct report_run *run, size_t *n)
{
    size_t per = run->n_llsc ? run->n_llsc : 1;
    struct column *cols = xcalloc(run->n_smp * run->n_threads * per + 1, sizeof(*cols));

    *n = 0;
    for (size_t s = 0; s < run->n_smp; s++)
        for (size_t t = 0; t < run->n_threads; t++)
            for (size_t l = 0; l < per; l++)
                cols[(*n)++] = (struct column){ run->smp[s], run->threads[t],
                                                run->n_llsc ? run->llsc[l] : NULL };
    return cols;
}

static void write_matrix(FILE *f, const struct report_run *run)
{
    size_t n;
    struct column *cols = columns(run, &n);

    fputs("## Results\n\n| test |", f);
    for (size_t c = 0; c < n; c++) {
        fprintf(f, " smp=%lu %s", cols[c].smp, cols[c].thread);
        if (cols[c].llsc)
            fprintf(f, " llsc=%s", cols[c].llsc);
        fputs(" |", f);
    }
    fputs("\n|---|", f);
    for (size_t c = 0; c < n; c++)
        fputs("---|", f);
    fputc('\n', f);
    for (size_t i = 0; i < run->n_jobs; i++) {
        if (!first_of_test(run, i))
            continue;
        fputs("| ", f);
        text_write_md_cell(f, run->jobs[i].test);
        fputs(" |", f);
        for (size_t c = 0; c < n; c++)
            write_cell(f, run, run->jobs[i].test, &cols[c]);
        fputc('\n', f);
    }
    fputc('\n', f);
    free(cols);
}

static void write_problem(FILE *f, const struct report_job *j)
{
    fprintf(f, "- **%s** ", report_status_word(j->status));
    text_write_md_cell(f, j->test);
    fprintf(f, " smp=%u thread=%s", j->smp, j->thread);
    if (j->seeded)
        fprintf(f, " seed=%lu", j->seed);
    if (j->llsc) {
        fputs(" llsc=", f);
        text_write_md_cell(f, j->llsc);
    }
    fputs(": ", f);
    if (j->status == REPORT_XPASS)
        fputs("passed although declared to fail", f);
    else
        text_write_md_cell(f, j->reason ? j->reason : "failed");
    if (j->xfail_reason) {
        fputs(" (declared xfail: ", f);
        text_write_md_cell(f, j->xfail_reason);
        fputc(')', f);
    }
    fputs("; log `", f);
    text_write_md_code(f, j->stdout_path);
    fputs("`\n", f);
    for (size_t e = 0; e < j->n_exceptions; e++) {
        fputs("  - `", f);
        text_write_md_code(f, j->exceptions[e]);
        fputs("`\n", f);
    }
}

static void write_problems(FILE *f, const struct report_run *run)
{
    bool any = false;

    fputs("## Failures and expected failures\n\n", f);
    for (size_t i = 0; i < run->n_jobs; i++) {
        if (run->jobs[i].status != REPORT_PASS) {
            write_problem(f, &run->jobs[i]);
            any = true;
        }
    }
    fputs(any ? "\n" : "None.\n\n", f);
}

/* "cpu2" before "cpu10": runs of digits compare as numbers, so per-CPU
 * metrics line up in CPU order. */
static int natural_cmp(const char *a, const char *b)
{
    while (*a && *b) {
        if (isdigit((unsigned char)*a) && isdigit((unsigned char)*b)) {
            char *ea, *eb;
            unsigned long long x = strtoull(a, &ea, 10), y = strtoull(b, &eb, 10);

            if (x != y)
                return x < y ? -1 : 1;
            a = ea, b = eb;
            continue;
        }
        if (*a != *b)
            return (unsigned char)*a < (unsigned char)*b ? -1 : 1;
        a++, b++;
    }
    return (unsigned char)*a - (unsigned char)*b;
}

static int key_cmp(const void *a, const void *b)
{
    return natural_cmp(*(const char *const *)a, *(const char *const *)b);
}

/* The metric keys of one test's jobs, each once, in natural order.
 * Borrowed pointers into the jobs; the caller frees only the array. */
static const char **metric_keys(const struct report_run *run, const char *test, size_t *n)
{
    const char **keys = NULL;

    *n = 0;
    for (size_t i = 0; i < run->n_jobs; i++) {
        const struct report_job *j = &run->jobs[i];

        if (strcmp(j->test, test) != 0)
            continue;
        for (size_t m = 0; m < j->n_metrics; m++) {
            size_t k = 0;

            while (k < *n && strcmp(keys[k], j->metrics[m].key) != 0)
                k++;
            if (k < *n)
                continue;
            keys = xrealloc(keys, (*n + 1) * sizeof(*keys));
            keys[(*n)++] = j->metrics[m].key;
        }
    }
    if (*n)
        qsort(keys, *n, sizeof(*keys), key_cmp);
    return keys;
}

static const char *metric_value(const struct report_job *j, const char *key)
{
    for (size_t m = 0; m < j->n_metrics; m++)
        if (strcmp(j->metrics[m].key, key) == 0)
            return j->metrics[m].value;
    return "";
}

/* Which job columns a metrics table has before the metric keys. */
struct id_columns {
    bool seed, llsc;
};

static void write_metrics_head(FILE *f, const char **keys, size_t n, struct id_columns id)
{
    fprintf(f, "\n\n| smp | thread |%s%s", id.seed ? " seed |" : "", id.llsc ? " llsc |" : "");
    for (size_t k = 0; k < n; k++) {
        fputc(' ', f);
        text_write_md_cell(f, keys[k]);
        fputs(" |", f);
    }
    fprintf(f, "\n|---|---|%s%s", id.seed ? "---|" : "", id.llsc ? "---|" : "");
    for (size_t k = 0; k < n; k++)
        fputs("---|", f);
    fputc('\n', f);
}

static void write_metrics_row(FILE *f, const struct report_job *j, const char **keys, size_t n,
                              struct id_columns id)
{
    fprintf(f, "| %u | %s |", j->smp, j->thread);
    if (id.seed && j->seeded)
        fprintf(f, " %lu |", j->seed);
    else if (id.seed)
        fputs(" - |", f);
    if (id.llsc) {
        fputc(' ', f);
        text_write_md_cell(f, j->llsc ? j->llsc : "-");
        fputs(" |", f);
    }
    for (size_t k = 0; k < n; k++) {
        fputc(' ', f);
        text_write_md_cell(f, metric_value(j, keys[k]));
        fputs(" |", f);
    }
    fputc('\n', f);
}

static void write_test_metrics(FILE *f, const struct report_run *run, const char *test)
{
    size_t n;
    const char **keys = metric_keys(run, test, &n);
    struct id_columns id = { any_seeded(run), any_llsc(run) };

    if (n == 0) {
        free(keys);
        return;
    }
    fputs("### ", f);
    text_write_md_cell(f, test);
    write_metrics_head(f, keys, n, id);
    for (size_t i = 0; i < run->n_jobs; i++)
        if (strcmp(run->jobs[i].test, test) == 0)
            write_metrics_row(f, &run->jobs[i], keys, n, id);
    fputc('\n', f);
    free(keys);
}

static bool any_metrics(const struct report_run *run)
{
    for (size_t i = 0; i < run->n_jobs; i++)
        if (run->jobs[i].n_metrics)
            return true;
    return false;
}

void report_write_summary(const struct report_run *run, FILE *f)
{
    write_header(f, run);
    write_matrix(f, run);
    write_problems(f, run);
    fputs("## Metrics\n\n", f);
    for (size_t i = 0; i < run->n_jobs; i++)
        if (first_of_test(run, i))
            write_test_metrics(f, run, run->jobs[i].test);
    if (!any_metrics(run))
        fputs("None printed.\n", f);
}
