/*
 * log_compare.c — two litmus7 logs side by side, as mcompare7 shows them.
 *
 * One row per test present in either log, sorted by name (strcmp order):
 *
 *     Test      | run-a.log      | run-b.log   |
 *     MP        | Sometimes 1395 | Never 0     | ** P seen
 *         only in run-a.log: 1395  *>1:R0=1; 1:R2=0;
 *     SB        | Sometimes 3532 | Sometimes 7 |
 *     2 tests, 1 disagree
 *
 * A cell is the observation word and the Positive count. A row is a
 * disagreement when one side saw P (Sometimes, Always) and the other did
 * not (Never), when the verdict words differ (the logs were made against
 * different models), or when the test is missing from one side (a run that
 * did not finish must not pass as agreement). Sometimes against Always is
 * not a disagreement: how often an allowed outcome shows is coverage.
 * Under a disagreeing row present on both sides come the states that only
 * one side has, in the histogram's own layout, so the reader sees which
 * outcome made the difference.
 *
 * Both logs are walked in name order through sorted arrays of pointers,
 * so a 10,000-test campaign costs two sorts, not a search per row.
 */
#include "litmus/log.h"

#include "util/fatal.h"

#include <stdlib.h>
#include <string.h>

#define CELL_MAX 96

struct row {
    const char *name;
    const struct litmus_log_test *a, *b; /* NULL: missing on that side */
};

struct widths {
    int name, a, b;
};

static int by_test_name(const void *x, const void *y)
{
    const struct litmus_log_test *a = *(const struct litmus_log_test *const *)x;
    const struct litmus_log_test *b = *(const struct litmus_log_test *const *)y;

    return strcmp(a->name ? a->name : "", b->name ? b->name : "");
}

static const struct litmus_log_test **sorted_tests(const struct litmus_log *log)
{
    size_t n = log ? log->ntests : 0;
    const struct litmus_log_test **v = xmalloc((n ? n : 1) * sizeof(*v));

    for (size_t i = 0; i < n; i++)
        v[i] = &log->tests[i];
    if (n)
        qsort(v, n, sizeof(*v), by_test_name);
    return v;
}

static const char *name_of(const struct litmus_log_test *t)
{
    return t->name ? t->name : "";
}

/* The union of both logs' tests, in name order, paired by name. */
static size_t make_rows(const struct litmus_log *a, const struct litmus_log *b,
                        struct row **out)
{
    size_t na = a ? a->ntests : 0, nb = b ? b->ntests : 0, i = 0, j = 0, n = 0;
    const struct litmus_log_test **sa = sorted_tests(a), **sb = sorted_tests(b);
    struct row *rows = xmalloc((na + nb + 1) * sizeof(*rows));

    while (i < na || j < nb) {
        int c = i == na ? 1 : j == nb ? -1 : strcmp(name_of(sa[i]), name_of(sb[j]));

        rows[n].a = c <= 0 ? sa[i++] : NULL;
        rows[n].b = c >= 0 ? sb[j++] : NULL;
        rows[n].name = name_of(rows[n].a ? rows[n].a : rows[n].b);
        n++;
    }
    free(sa);
    free(sb);
    *out = rows;
    return n;
}

static const char *or_empty(const char *s)
{
    return s ? s : "";
}

static void cell(char *buf, size_t len, const struct litmus_log_test *t)
{
    if (t)
        snprintf(buf, len, "%s %lu", t->observation ? t->observation : "?", t->positive);
    else
        snprintf(buf, len, "-");
}

static bool saw_p(const struct litmus_log_test *t)
{
    return t->observation && strcmp(t->observation, "Never") != 0;
}

static bool p_differs(const struct row *r)
{
    return saw_p(r->a) != saw_p(r->b);
}

static bool verdict_differs(const struct row *r)
{
    return strcmp(or_empty(r->a->verdict), or_empty(r->b->verdict)) != 0;
}

static bool disagrees(const struct row *r)
{
    return !r->a || !r->b || p_differs(r) || verdict_differs(r);
}

/* The last column of a disagreeing row; written directly, since a path in
 * "missing in PATH" has no useful bound. */
static void print_mark(FILE *out, const struct row *r, const char *name_a, const char *name_b)
{
    if (!r->a || !r->b) {
        fprintf(out, " ** missing in %s", r->a ? name_b : name_a);
        return;
    }
    fprintf(out, " **");
    if (p_differs(r))
        fprintf(out, " P seen%s", verdict_differs(r) ? "," : "");
    if (verdict_differs(r))
        fprintf(out, " verdict %s vs %s", or_empty(r->a->verdict), or_empty(r->b->verdict));
}

static bool has_state(const struct litmus_log_test *t, const char *text)
{
    for (size_t i = 0; i < t->nstates; i++)
        if (!strcmp(or_empty(t->states[i].text), text))
            return true;
    return false;
}

static void states_only_in(FILE *out, const struct litmus_log_test *t,
                           const struct litmus_log_test *other, const char *name)
{
    for (size_t i = 0; i < t->nstates; i++) {
        const struct litmus_log_state *s = &t->states[i];

        if (!has_state(other, or_empty(s->text)))
            fprintf(out, "    only in %s: %-6lu%c>%s\n", name, s->count,
                    s->marked ? '*' : ':', or_empty(s->text));
    }
}

static int max_int(int a, int b)
{
    return a > b ? a : b;
}

static struct widths measure(const struct row *rows, size_t n, const char *name_a,
                             const char *name_b)
{
    struct widths w = { (int)strlen("Test"), (int)strlen(name_a), (int)strlen(name_b) };
    char buf[CELL_MAX];

    for (size_t i = 0; i < n; i++) {
        w.name = max_int(w.name, (int)strlen(rows[i].name));
        cell(buf, sizeof(buf), rows[i].a);
        w.a = max_int(w.a, (int)strlen(buf));
        cell(buf, sizeof(buf), rows[i].b);
        w.b = max_int(w.b, (int)strlen(buf));
    }
    return w;
}

int litmus_log_compare(FILE *out, const char *name_a, const struct litmus_log *a,
                       const char *name_b, const struct litmus_log *b)
{
    struct row *rows;
    size_t n;
    struct widths w;
    int disagree = 0;

    name_a = name_a ? name_a : "A";
    name_b = name_b ? name_b : "B";
    n = make_rows(a, b, &rows);
    w = measure(rows, n, name_a, name_b);
    fprintf(out, "%-*s | %-*s | %-*s |\n", w.name, "Test", w.a, name_a, w.b, name_b);
    for (size_t i = 0; i < n; i++) {
        const struct row *r = &rows[i];
        char ca[CELL_MAX], cb[CELL_MAX];

        cell(ca, sizeof(ca), r->a);
        cell(cb, sizeof(cb), r->b);
        fprintf(out, "%-*s | %-*s | %-*s |", w.name, r->name, w.a, ca, w.b, cb);
        if (!disagrees(r)) {
            fputc('\n', out);
            continue;
        }
        disagree++;
        print_mark(out, r, name_a, name_b);
        fputc('\n', out);
        if (r->a && r->b) {
            states_only_in(out, r->a, r->b, name_a);
            states_only_in(out, r->b, r->a, name_b);
        }
    }
    fprintf(out, "%zu tests, %d disagree\n", n, disagree);
    free(rows);
    return disagree;
}
