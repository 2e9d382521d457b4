/*
 * tap.h — reading a guest's TAP output.
 *
 * The guest prints on its UART (the emulator's stdout), one line at a time:
 *
 *     1..N                     the plan, first or last
 *     ok N - what              a check that held
 *     not ok N - what          a check that failed
 *     ... # TODO reason        a known failure: does not count as failed
 *     ... # SKIP reason        a check not run: never counts as passed
 *     Bail out! reason         the test gave up
 *     # key=value              a metric (key [A-Za-z0-9_.-]+, value trimmed)
 *     # anything else          a diagnostic
 *     EXCEPTION ...            the runtime's fault report, kept verbatim
 *
 * Lines end in "\r\n" (the UART convention); the "\r" is dropped. Blank
 * lines and "TAP version N" are ignored; anything else (boot noise, a
 * second plan, indented subtests) is counted as garbage and otherwise
 * ignored. The parser only counts and collects; deciding pass or fail is
 * verdict.c's job.
 */
#ifndef HARNESS_TAP_H
#define HARNESS_TAP_H

#include "reports/report.h"

#include <stdbool.h>
#include <stddef.h>

/* Caps on what is kept from one job, so a guest printing in a loop until
 * its timeout cannot eat the harness's memory. Lines beyond are counted. */
#define TAP_MAX_METRICS 1024
#define TAP_MAX_EXCEPTIONS 32

struct tap_result {
    struct report_tap counts; /* planned, ran, passed, failed, todo, skipped, garbage */
    bool plan_late;           /* the plan came after test lines */
    unsigned diagnostics;
    bool bailed;
    char *bail_reason;   /* after "Bail out!", trimmed (may be "") */
    char *first_failure; /* "not ok N - what" of the first non-TODO failure */
    bool cut_off;        /* the output ended in the middle of a line */
    struct report_metric *metrics; /* in first-seen order; a repeated key keeps the last value */
    size_t n_metrics;
    char **exceptions;
    size_t n_exceptions;
    unsigned dropped; /* metrics and exception lines over the caps */
};

void tap_init(struct tap_result *r);
void tap_free(struct tap_result *r);

/* One line without its '\n'. The line is modified (the '\r' is cut, bytes
 * that are not UTF-8 become '?'). */
void tap_parse_line(struct tap_result *r, char *line);
/* A whole output; a last line without '\n' sets cut_off. */
void tap_parse_text(struct tap_result *r, const char *text, size_t len);
/* The same from a file. Returns 0, or -1 with a message if it cannot be read. */
int tap_parse_file(struct tap_result *r, const char *path, char *err, size_t errlen);

#endif
