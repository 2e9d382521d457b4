/*
 * allowed.c — reading an mcompare7 verdict table (allowed.h).
 *
 * Line by line: blank lines and rules (only '-') are skipped anywhere;
 * lines before the header (the row whose name part is empty) are titles;
 * after it every line is a row. The rows are sorted by name once, so a
 * look-up is a binary search (the campaign has 9,790 of them).
 */
#include "litmus/allowed.h"

#include "litmus/lex.h"
#include "util/fatal.h"
#include "util/file.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_WORDS 3 /* two columns, and one more to detect extras */

struct line {
    const char *p;
    size_t len;
    int no;
};

static bool blank(char c)
{
    return c == ' ' || c == '\t' || c == '\r';
}

static void trim(const char **p, size_t *len)
{
    while (*len && blank(**p))
        (*p)++, (*len)--;
    while (*len && blank((*p)[*len - 1]))
        (*len)--;
}

static bool is_rule(const char *p, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if (p[i] != '-')
            return false;
    return len > 0;
}

static int word_verdict(const char *w, size_t len, enum litmus_model *m)
{
    if (len == 2 && !strncmp(w, "Ok", 2))
        *m = LITMUS_MODEL_OK;
    else if (len == 2 && !strncmp(w, "No", 2))
        *m = LITMUS_MODEL_NO;
    else if (len == 3 && !strncmp(w, "---", 3))
        *m = LITMUS_MODEL_UNKNOWN;
    else
        return -1;
    return 0;
}

/* Splits the verdict part into words; returns their number. */
static size_t split_words(const char *p, size_t len, const char *w[], size_t wl[])
{
    size_t n = 0, i = 0;

    while (i < len && n < MAX_WORDS) {
        while (i < len && blank(p[i]))
            i++;
        if (i == len)
            break;
        w[n] = p + i;
        while (i < len && !blank(p[i]))
            i++;
        wl[n] = (size_t)(p + i - w[n]);
        n++;
    }
    return n;
}

static int parse_row(const struct line *ln, const char *bar, const char *source,
                     struct litmus_allowed_row *row, char *err, size_t errlen)
{
    const char *name = ln->p, *rest = bar + 1, *w[MAX_WORDS];
    size_t name_len = (size_t)(bar - ln->p), rest_len = ln->len - name_len - 1, wl[MAX_WORDS];
    size_t n;

    trim(&name, &name_len);
    for (size_t i = 0; i < name_len; i++)
        if (blank(name[i]) || name[i] == '|')
            return litmus_fail(err, errlen, source, ln->no, "a test name has no blanks: '%.*s'",
                               (int)name_len, name);
    n = split_words(rest, rest_len, w, wl);
    if (n == 0 || n > 2)
        return litmus_fail(err, errlen, source, ln->no,
                           "expected 'NAME | MODEL [HARDWARE]' (Ok, No or ---), found %s",
                           n ? "more than two verdicts" : "no verdict");
    for (size_t k = 0; k < n; k++) {
        enum litmus_model *m = k == 0 ? &row->model : &row->hardware;

        if (word_verdict(w[k], wl[k], m))
            return litmus_fail(err, errlen, source, ln->no,
                               "verdict '%.*s' is not Ok, No or ---", (int)wl[k], w[k]);
    }
    if (n == 1)
        row->hardware = LITMUS_MODEL_UNKNOWN;
    row->name = xmalloc(name_len + 1);
    memcpy(row->name, name, name_len);
    row->name[name_len] = '\0';
    row->line = ln->no;
    return 0;
}

static int by_name(const void *a, const void *b)
{
    const struct litmus_allowed_row *x = a, *y = b;

    return strcmp(x->name, y->name);
}

/* After sorting, equal names are neighbours. */
static int check_duplicates(const struct litmus_allowed *a, const char *source, char *err,
                            size_t errlen)
{
    for (size_t i = 1; i < a->n; i++) {
        const struct litmus_allowed_row *x = &a->rows[i - 1], *y = &a->rows[i];

        if (!strcmp(x->name, y->name))
            return litmus_fail(err, errlen, source, x->line > y->line ? x->line : y->line,
                               "%s is listed twice (also line %d)", x->name,
                               x->line > y->line ? y->line : x->line);
    }
    return 0;
}

/* One line; *header says whether the header row has been seen. */
static int take_line(struct litmus_allowed *a, const struct line *ln, bool *header,
                     const char *source, char *err, size_t errlen)
{
    const char *p = ln->p, *bar;
    size_t len = ln->len;
    struct litmus_allowed_row row = { 0 };

    trim(&p, &len);
    if (len == 0 || is_rule(p, len))
        return 0;
    bar = memchr(ln->p, '|', ln->len);
    if (!*header) {
        /* titles until the header: a '|' with nothing before it */
        if (bar && bar == p)
            *header = true;
        return 0;
    }
    if (!bar)
        return litmus_fail(err, errlen, source, ln->no,
                           "expected 'NAME | MODEL [HARDWARE]', found no '|'");
    if (bar == p)
        return litmus_fail(err, errlen, source, ln->no, "a row without a test name");
    if (parse_row(ln, bar, source, &row, err, errlen))
        return -1;
    a->rows = xrealloc(a->rows, (a->n + 1) * sizeof(*a->rows));
    a->rows[a->n++] = row;
    return 0;
}

int litmus_allowed_parse(const char *text, size_t len, const char *source,
                         struct litmus_allowed *a, char *err, size_t errlen)
{
    const char *p = text, *end = text + len;
    bool header = false;
    int no = 1;

    *a = (struct litmus_allowed){ 0 };
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        struct line ln = { p, (size_t)((nl ? nl : end) - p), no++ };

        if (memchr(ln.p, '\0', ln.len)) {
            litmus_allowed_free(a);
            return litmus_fail(err, errlen, source, ln.no, "a NUL byte in the table");
        }
        if (take_line(a, &ln, &header, source, err, errlen)) {
            litmus_allowed_free(a);
            return -1;
        }
        p = nl ? nl + 1 : end;
    }
    if (!header) {
        snprintf(err, errlen, "%s: no header row ('| LOG1 LOG2'): not an mcompare7 table",
                 source);
        return -1;
    }
    if (a->n)
        qsort(a->rows, a->n, sizeof(*a->rows), by_name);
    if (check_duplicates(a, source, err, errlen)) {
        litmus_allowed_free(a);
        return -1;
    }
    return 0;
}


int litmus_allowed_read_file(const char *path, struct litmus_allowed *a, char *err,
                             size_t errlen)
{
    size_t len;
    char *text = file_read_all(path, 0, &len, err, errlen);
    int rc;

    *a = (struct litmus_allowed){ 0 };
    if (!text)
        return -1;
    rc = litmus_allowed_parse(text, len, path, a, err, errlen);
    free(text);
    return rc;
}

void litmus_allowed_free(struct litmus_allowed *a)
{
    for (size_t i = 0; i < a->n; i++)
        free(a->rows[i].name);
    free(a->rows);
    *a = (struct litmus_allowed){ 0 };
}

const struct litmus_allowed_row *litmus_allowed_find(const struct litmus_allowed *a,
                                                     const char *name)
{
    struct litmus_allowed_row key = { .name = (char *)name };

    if (!a || !a->n)
        return NULL;
    return bsearch(&key, a->rows, a->n, sizeof(*a->rows), by_name);
}

const char *litmus_model_word(enum litmus_model m)
{
    switch (m) {
    case LITMUS_MODEL_OK: return "Ok";
    case LITMUS_MODEL_NO: return "No";
    case LITMUS_MODEL_UNKNOWN: break;
    }
    return "---";
}
