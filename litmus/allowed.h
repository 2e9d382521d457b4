/*
 * allowed.h — mcompare7 verdict tables such as herding-cats/arm.allowed:
 * which tests the ARM model allows, and what hardware showed.
 *
 *     *Revalidation*                                 title lines
 *                                        | ARM-Model.txt ARM-Hardware.txt
 *     ----------------------------------------       rules, anywhere
 *     MP+dmb+addr                        | No            No
 *     LB+data+pos-addr-fri               | No            ---
 *
 * One row per test: the name, '|', then one word per log: Ok (the
 * condition as written was validated: for `exists P`, P is reachable) or
 * No, or --- when that log does not have the test. Column 1 is the model
 * (herd7 with arm.cat), column 2 the hardware. A name may touch the '|'.
 * Anything else after the header is "FILE:LINE: what is wrong".
 */
#ifndef LITMUS_ALLOWED_H
#define LITMUS_ALLOWED_H

#include <stddef.h>

enum litmus_model {
    LITMUS_MODEL_UNKNOWN = 0, /* "---", or no row / no such column */
    LITMUS_MODEL_OK,          /* the condition as written is validated */
    LITMUS_MODEL_NO,
};

struct litmus_allowed_row {
    char *name;
    enum litmus_model model;    /* column 1 */
    enum litmus_model hardware; /* column 2; UNKNOWN when absent */
    int line;
};

struct litmus_allowed {
    struct litmus_allowed_row *rows; /* sorted by name */
    size_t n;
};

/* Parses text[0..len); source names it in errors. On failure *a is empty. */
int litmus_allowed_parse(const char *text, size_t len, const char *source,
                         struct litmus_allowed *a, char *err, size_t errlen);
int litmus_allowed_read_file(const char *path, struct litmus_allowed *a, char *err,
                             size_t errlen);
void litmus_allowed_free(struct litmus_allowed *a);

/* The row for test name, or NULL. */
const struct litmus_allowed_row *litmus_allowed_find(const struct litmus_allowed *a,
                                                     const char *name);

/* "Ok", "No", "---". */
const char *litmus_model_word(enum litmus_model m);

#endif
