/*
 * log.h — litmus7 logs: read them, write them, compare them.
 *
 * The format is litmus7's, as mcompare7 reads it (shared/litmus/README.md):
 *
 *     Test MP Allowed
 *     Histogram (4 states)
 *     5414  :>1:R0=0; 1:R2=0;
 *     1395  *>1:R0=1; 1:R2=0;
 *     Ok
 *
 *     Witnesses
 *     Positive: 1395, Negative: 1998605
 *     Condition exists (1:R0=1 /\ 1:R2=0) is validated
 *     Observation MP Sometimes 1395 1998605
 *     Time MP 0.78
 *     vCPUs=4
 *
 * A log file holds one or more such blocks (a campaign log is all of them
 * concatenated). The reader is lenient where litmus7 is (blank lines,
 * extra Key=value lines after Condition, an optional Hash= line) and
 * strict where a wrong reading would change a verdict: every block must
 * have its Test line, a histogram whose line count matches its header,
 * the Ok/No line, and the Observation line; otherwise
 * "FILE:LINE: what is wrong".
 */
#ifndef LITMUS_LOG_H
#define LITMUS_LOG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

struct litmus_log_state {
    unsigned long count;
    bool marked; /* "*>": satisfies P (for forall: violates it) */
    char *text;  /* the items as printed, e.g. "1:R0=1; 1:R2=0;" */
};

struct litmus_log_extra {
    char *key;
    char *value;
};

struct litmus_log_test {
    char *name;
    char *verdict;       /* the Test line's word: Allowed, Forbidden, Required */
    struct litmus_log_state *states;
    size_t nstates;
    bool ok;             /* the "Ok" / "No" line */
    unsigned long positive, negative;
    char *condition;     /* "exists (1:R0=1 /\ 1:R2=0)" */
    bool validated;      /* "is validated" / "is NOT validated" */
    char *observation;   /* Never, Sometimes, Always */
    double time_s;       /* the Time line; negative when absent */
    struct litmus_log_extra *extras; /* Key=value lines, in order */
    size_t nextras;
};

struct litmus_log {
    struct litmus_log_test *tests;
    size_t ntests;
};

/* Parses text (len bytes; need not end in NUL). source names it in errors. */
int litmus_log_parse(const char *text, size_t len, const char *source,
                     struct litmus_log *out, char *err, size_t errlen);
int litmus_log_read_file(const char *path, struct litmus_log *out,
                         char *err, size_t errlen);
void litmus_log_free(struct litmus_log *log);

/* The test named name, or NULL. */
const struct litmus_log_test *litmus_log_find(const struct litmus_log *log,
                                              const char *name);
/* The value of extra key, or NULL. */
const char *litmus_log_extra(const struct litmus_log_test *t, const char *key);

/* Writes one block in canonical litmus7 layout (what the guest prints). */
void litmus_log_write_test(FILE *f, const struct litmus_log_test *t);

/* Compares two logs the way mcompare7 does: one row per test present in
 * either, with each side's observation and positive count, and a mark
 * where the two disagree on whether P was seen. Returns the number of
 * disagreements (0 = the logs agree). */
int litmus_log_compare(FILE *out, const char *name_a, const struct litmus_log *a,
                       const char *name_b, const struct litmus_log *b);

#endif
