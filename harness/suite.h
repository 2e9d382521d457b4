/*
 * suite.h — suite files: which guest tests a run covers, and how.
 *
 * The grammar is in suite.c's header comment. A parsed suite is a list of
 * tests, each with its image, its -append text, the vCPU counts and thread
 * modes it may run at, an optional timeout and its xfail declarations:
 * per emulator (xfail.EMU) and per strex-emu LL/SC strategy (xfail.llsc.X).
 */
#ifndef HARNESS_SUITE_H
#define HARNESS_SUITE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#define SUITE_MAX_SMP 64 /* the largest vCPU count, also the longest smp list */

enum thread_mode { THREAD_MULTI, THREAD_SINGLE, THREAD_MODES };

/* strex-emu's -accel tcg,llsc=X: how LDREX/STREX are emulated. A job that
 * names none runs strex-emu's default, LLSC_DEFAULT. */
enum llsc_mode { LLSC_CAS, LLSC_EXCL, LLSC_STW, LLSC_MODES };
#define LLSC_DEFAULT LLSC_EXCL

struct suite_xfail {
    char *emulator; /* a label (qemu, strex, a binary's basename) or "any" */
    char *reason;
};

struct suite_test {
    char *name;
    char *image;
    char *args; /* NULL: no -append */
    unsigned long smp[SUITE_MAX_SMP];
    size_t n_smp;                 /* 0: any vCPU count */
    bool thread_ok[THREAD_MODES]; /* which thread modes it may run in */
    unsigned timeout_s;           /* 0: the run's --timeout */
    struct suite_xfail *xfails;
    size_t n_xfails;
    char *xfail_llsc[LLSC_MODES]; /* xfail.llsc.X reasons; NULL: none */
    unsigned line; /* where it was declared */
};

struct suite {
    char *path;
    struct suite_test *tests;
    size_t n_tests;
};

/* Parses the file at path. Returns 0; -1 with "FILE:LINE: message" in
 * err; or -2 with "cannot open suite ..." when the file cannot be read.
 * On failure the suite is empty. */
int suite_parse_file(const char *path, struct suite *s, char *err, size_t errlen);
/* The same from an open stream; name is used in messages. */
int suite_parse_stream(FILE *f, const char *name, struct suite *s, char *err, size_t errlen);
void suite_free(struct suite *s);

const struct suite_test *suite_find(const struct suite *s, const char *name);
/* The declared reason a test fails on the emulator with this label (its
 * own xfail.LABEL first, then xfail.any), or NULL. */
const char *suite_xfail_reason(const struct suite_test *t, const char *label);
/* The declared reason one job is expected to fail: the emulator's
 * (suite_xfail_reason) first; then, on strex-emu only (is_strex), the
 * xfail.llsc.X of the job's strategy (LLSC_DEFAULT for a job run without
 * llsc=). NULL when the job is expected to pass. */
const char *suite_job_xfail(const struct suite_test *t, const char *label, bool is_strex,
                            enum llsc_mode llsc);
bool suite_allows_smp(const struct suite_test *t, unsigned long smp);

/* "multi,single" into an ordered list without repeats. 0, or -1 + err. */
int thread_list_parse(const char *s, enum thread_mode *out, size_t *n, char *err, size_t errlen);
const char *thread_mode_name(enum thread_mode m);

/* "cas,excl,stw" into an ordered list without repeats. 0, or -1 + err
 * ("unknown LL/SC strategy 'x' (cas, excl or stw)"). */
int llsc_list_parse(const char *s, enum llsc_mode *out, size_t *n, char *err, size_t errlen);
/* "cas" -> LLSC_CAS ...; -1 for anything else. */
int llsc_mode_parse(const char *name);
const char *llsc_mode_name(enum llsc_mode m);

#endif
