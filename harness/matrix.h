/*
 * matrix.h — which jobs a run has: tests x vCPU counts x thread modes.
 *
 * The run's --smp and --thread lists give the order and the candidates;
 * each test keeps only those its suite line allows, and --filter keeps
 * only the named tests. Order: suite order, then --smp order, then
 * --thread order, so reports read the same way every time.
 */
#ifndef HARNESS_MATRIX_H
#define HARNESS_MATRIX_H

#include "harness/suite.h"

#include <stddef.h>

struct matrix_cell {
    const struct suite_test *test; /* borrowed from the suite */
    unsigned smp;
    enum thread_mode thread;
};

struct matrix_spec {
    const unsigned long *smp;
    size_t n_smp;
    const enum thread_mode *threads;
    size_t n_threads;
    char *const *filter; /* NULL: every test */
    size_t n_filter;
};

/* 0 when every name in the filter is a test of the suite; else -1 and
 * "--filter: no test 'x' in SUITE". */
int matrix_check_filter(const struct suite *s, const struct matrix_spec *spec,
                        char *err, size_t errlen);

/* The cells, newly allocated (free() them); *n may be 0. */
struct matrix_cell *matrix_plan(const struct suite *s, const struct matrix_spec *spec, size_t *n);

#endif
