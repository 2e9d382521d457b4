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
 * "PASS x100" when all passed; each failure's line names its seed.
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

/* The matrix cell for (test, smp, thread): "-", a status word, "PASS x100"
 * or "FAIL 2/100". */
static void write_cell(FILE *f, const struct report_run *run, const char *test,
                       unsigned long smp, const char *thread)
{
    size_t n = 0, n_worst = 0;
    enum report_status worst = REPORT_PASS;

    for (size_t i = 0; i < run->n_jobs; i++) {
        const struct report_job *j = &run->jobs[i];

        if (j->smp != smp || strcmp(j->test, test) != 0 || strcmp(j->thread, thread) != 0)
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

static void write_matrix(FILE *f, const struct report_run *run)
{
    fputs("## Results\n\n| test |", f);
    for (size_t s = 0; s < run->n_smp; s++)
        for (size_t t = 0; t < run->n_threads; t++)
            fprintf(f, " smp=%lu %s |", run->smp[s], run->threads[t]);
    fputs("\n|---|", f);
    for (size_t c = 0; c < run->n_smp * run->n_threads; c++)
        fputs("---|", f);
    fputc('\n', f);
    for (size_t i = 0; i < run->n_jobs; i++) {
        if (!first_of_test(run, i))
            continue;
        fputs("| ", f);
        text_write_md_cell(f, run->jobs[i].test);
        fputs(" |", f);
        for (size_t s = 0; s < run->n_smp; s++)
            for (size_t t = 0; t < run->n_threads; t++)
                write_cell(f, run, run->jobs[i].test, run->smp[s], run->threads[t]);
        fputc('\n', f);
    }
    fputc('\n', f);
}

static void write_problem(FILE *f, const struct report_job *j)
{
    fprintf(f, "- **%s** ", report_status_word(j->status));
    text_write_md_cell(f, j->test);
    fprintf(f, " smp=%u thread=%s", j->smp, j->thread);
    if (j->seeded)
        fprintf(f, " seed=%lu", j->seed);
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

static void write_test_metrics(FILE *f, const struct report_run *run, const char *test)
{
    size_t n;
    const char **keys = metric_keys(run, test, &n);
    bool seeds = any_seeded(run);

    if (n == 0) {
        free(keys);
        return;
    }
    fputs("### ", f);
    text_write_md_cell(f, test);
    fputs(seeds ? "\n\n| smp | thread | seed |" : "\n\n| smp | thread |", f);
    for (size_t k = 0; k < n; k++) {
        fputc(' ', f);
        text_write_md_cell(f, keys[k]);
        fputs(" |", f);
    }
    fputs(seeds ? "\n|---|---|---|" : "\n|---|---|", f);
    for (size_t k = 0; k < n; k++)
        fputs("---|", f);
    fputc('\n', f);
    for (size_t i = 0; i < run->n_jobs; i++) {
        const struct report_job *j = &run->jobs[i];

        if (strcmp(j->test, test) != 0)
            continue;
        fprintf(f, "| %u | %s |", j->smp, j->thread);
        if (seeds && j->seeded)
            fprintf(f, " %lu |", j->seed);
        else if (seeds)
            fputs(" - |", f);
        for (size_t k = 0; k < n; k++) {
            fputc(' ', f);
            text_write_md_cell(f, metric_value(j, keys[k]));
            fputs(" |", f);
        }
        fputc('\n', f);
    }
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
