/*
 * matrix.c — expanding a suite into jobs (see matrix.h for the order).
 */
#include "harness/matrix.h"

#include "util/fatal.h"

#include <stdio.h>
#include <string.h>

static bool selected(const struct matrix_spec *spec, const char *name)
{
    if (!spec->filter)
        return true;
    for (size_t i = 0; i < spec->n_filter; i++)
        if (strcmp(spec->filter[i], name) == 0)
            return true;
    return false;
}

int matrix_check_filter(const struct suite *s, const struct matrix_spec *spec,
                        char *err, size_t errlen)
{
    for (size_t i = 0; spec->filter && i < spec->n_filter; i++) {
        if (!suite_find(s, spec->filter[i])) {
            snprintf(err, errlen, "--filter: no test '%s' in %s", spec->filter[i], s->path);
            return -1;
        }
    }
    return 0;
}

/* The cell once per strategy, or once without one; none where the
 * strategies cannot go. */
static void add_llsc_cells(struct matrix_cell *cells, size_t *n,
                           const struct matrix_spec *spec, struct matrix_cell cell)
{
    if (spec->n_llsc == 0) {
        cells[(*n)++] = cell;
        return;
    }
    if (!spec->is_strex)
        return;
    for (size_t i = 0; i < spec->n_llsc; i++) {
        cell.has_llsc = true;
        cell.llsc = spec->llsc[i];
        cells[(*n)++] = cell;
    }
}

/* The cell's seeds, or one unseeded cell; none where seeds cannot go. */
static void add_cells(struct matrix_cell *cells, size_t *n, const struct matrix_spec *spec,
                      struct matrix_cell cell)
{
    if (spec->n_seeds == 0) {
        add_llsc_cells(cells, n, spec, cell);
        return;
    }
    if (!spec->is_strex || cell.thread != THREAD_SINGLE)
        return;
    for (size_t i = 0; i < spec->n_seeds; i++) {
        cell.seeded = true;
        cell.seed = spec->seeds[i];
        add_llsc_cells(cells, n, spec, cell);
    }
}

struct matrix_cell *matrix_plan(const struct suite *s, const struct matrix_spec *spec, size_t *n)
{
    size_t per_cell = (spec->n_seeds ? spec->n_seeds : 1) * (spec->n_llsc ? spec->n_llsc : 1);
    size_t max = s->n_tests * spec->n_smp * spec->n_threads * per_cell;
    struct matrix_cell *cells = xcalloc(max ? max : 1, sizeof(*cells));

    *n = 0;
    for (size_t t = 0; t < s->n_tests; t++) {
        const struct suite_test *test = &s->tests[t];

        if (!selected(spec, test->name))
            continue;
        for (size_t c = 0; c < spec->n_smp; c++) {
            if (!suite_allows_smp(test, spec->smp[c]))
                continue;
            for (size_t m = 0; m < spec->n_threads; m++) {
                if (!test->thread_ok[spec->threads[m]])
                    continue;
                add_cells(cells, n, spec, (struct matrix_cell){
                    .test = test, .smp = (unsigned)spec->smp[c], .thread = spec->threads[m],
                });
            }
        }
    }
    return cells;
}

const char *matrix_cell_xfail(const struct matrix_cell *c, const char *label, bool is_strex)
{
    return suite_job_xfail(c->test, label, is_strex, c->has_llsc ? c->llsc : LLSC_DEFAULT);
}
