/*
 * suite.h — suite files: which guest tests a run covers, and how.
 *
 * The grammar is in suite.c's header comment. A parsed suite is a list of
 * tests, each with its image, its -append text, the vCPU counts and thread
 * modes it may run at, an optional timeout and its xfail declarations.
 */
#ifndef HARNESS_SUITE_H
#define HARNESS_SUITE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#define SUITE_MAX_SMP 64 /* the largest vCPU count, also the longest smp list */

enum thread_mode { THREAD_MULTI, THREAD_SINGLE, THREAD_MODES };

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
bool suite_allows_smp(const struct suite_test *t, unsigned long smp);

/* "multi,single" into an ordered list without repeats. 0, or -1 + err. */
int thread_list_parse(const char *s, enum thread_mode *out, size_t *n, char *err, size_t errlen);
const char *thread_mode_name(enum thread_mode m);

#endif
