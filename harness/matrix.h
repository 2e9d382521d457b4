/*
 * matrix.h — which jobs a run has: tests x vCPU counts x thread modes
 * [x seeds] [x LL/SC strategies].
 *
 * The run's --smp and --thread lists give the order and the candidates;
 * each test keeps only those its suite line allows, and --filter keeps
 * only the named tests. Order: suite order, then --smp order, then
 * --thread order, then --seeds order, then --llsc order (the innermost
 * axis, so one schedule's strategies sit side by side), so reports read
 * the same way every time.
 *
 * Seeds (strex-emu's replayable schedule) exist only where they mean
 * something: on an emulator that is strex-emu, and in thread=single (one
 * host thread runs every vCPU in the order the seed says). With a seed
 * list, every cell has a seed; a QEMU or thread=multi cell with a seed is
 * simply not in the matrix.
 *
 * LL/SC strategies (strex-emu's -accel tcg,llsc=X) likewise exist only on
 * strex-emu, in either thread mode. With an --llsc list every strex-emu
 * cell has a strategy; without one no cell has, and strex-emu runs its
 * default (LLSC_DEFAULT).
 */
#ifndef HARNESS_MATRIX_H
#define HARNESS_MATRIX_H

#include "harness/suite.h"

#include <stddef.h>

struct matrix_cell {
    const struct suite_test *test; /* borrowed from the suite */
    unsigned smp;
    enum thread_mode thread;
    bool seeded;        /* run with -accel ...,sched=chaos,seed=seed */
    unsigned long seed;
    bool has_llsc;      /* run with -accel ...,llsc=llsc */
    enum llsc_mode llsc;
};

struct matrix_spec {
    const unsigned long *smp;
    size_t n_smp;
    const enum thread_mode *threads;
    size_t n_threads;
    char *const *filter; /* NULL: every test */
    size_t n_filter;
    const unsigned long *seeds; /* NULL or n_seeds == 0: no seed axis */
    size_t n_seeds;
    bool is_strex;       /* the emulator is strex-emu: seeds and llsc apply */
    const enum llsc_mode *llsc; /* NULL or n_llsc == 0: no LL/SC axis */
    size_t n_llsc;
};

/* 0 when every name in the filter is a test of the suite; else -1 and
 * "--filter: no test 'x' in SUITE". */
int matrix_check_filter(const struct suite *s, const struct matrix_spec *spec,
                        char *err, size_t errlen);

/* The cells, newly allocated (free() them); *n may be 0. */
struct matrix_cell *matrix_plan(const struct suite *s, const struct matrix_spec *spec, size_t *n);

/* The declared reason the cell's job is expected to fail on the emulator
 * with this label (suite_job_xfail), a cell without a strategy counting as
 * strex-emu's default LLSC_DEFAULT; NULL when it is expected to pass. */
const char *matrix_cell_xfail(const struct matrix_cell *c, const char *label, bool is_strex);

#endif
