/*
 * log_io.c — litmus7 logs: the reader, the writer, look-ups (log.h).
 *
 * The reader walks the text one line at a time (a trailing \r and trailing
 * blanks are cut, so a UART capture reads like a file). A line
 * "Test NAME WORD" opens a block; anything outside a block is skipped, since
 * the guest's UART may also carry TAP lines, Bail out! lines or
 * diagnostics. A block is read in litmus7's order (log.h, README):
 *
 *   Test, Histogram (N states), exactly N state lines, Ok|No, Witnesses,
 *   Positive:, Condition, [Key=value such as Hash=], Observation, [Time],
 *   Key=value lines up to a blank line, a non-Key=value line, the next
 *   Test line or the end
 *
 * with blank lines allowed between the fixed lines (not inside the
 * histogram, and a blank line ends the trailing Key=value lines). A block
 * that is cut short or out of order is an error "FILE:LINE: what", not a
 * skipped block: a silently dropped test would change a comparison.
 *
 * struct litmus_log_test does not keep the Observation line's counts
 * (#P, #not P). They follow from the histogram: "*>" marks P, except for
 * forall, where it marks not P. The reader checks that the Observation
 * line agrees with the histogram, and the writer recomputes it the same
 * way, so a block read and written again is the same text.
 */
#include "litmus/log.h"

#include "util/fatal.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#define MAX_TOKENS 8
#define QUOTE_MAX 48 /* how much of an offending line an error quotes */

struct reader {
    const char *p, *end;      /* the text not read yet */
    const char *source;       /* the file name, for errors */
    unsigned long lineno;     /* of line */
    char *line;               /* the current line, NUL-terminated, trimmed */
    size_t cap;
    bool pushed_back;         /* next_line gives line again */
    unsigned long test_lineno; /* the current block's Test line */
    const char *test_name;
    char *err;
    size_t errlen;
};

/* ---- lines ------------------------------------------------------------------ */

static bool is_blank_char(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
}

static bool next_line(struct reader *r)
{
    const char *nl;
    size_t n;

    if (r->pushed_back) {
        r->pushed_back = false;
        return true;
    }
    if (r->p >= r->end)
        return false;
    nl = memchr(r->p, '\n', (size_t)(r->end - r->p));
    n = (size_t)((nl ? nl : r->end) - r->p);
    if (n + 1 > r->cap) {
        r->cap = n + 1 > 2 * r->cap ? n + 1 : 2 * r->cap;
        r->line = xrealloc(r->line, r->cap);
    }
    memcpy(r->line, r->p, n);
    r->line[n] = '\0';
    r->p = nl ? nl + 1 : r->end;
    r->lineno++;
    /* An embedded NUL ends the line early: harmless, and never a crash. */
    n = strlen(r->line);
    while (n > 0 && is_blank_char(r->line[n - 1]))
        r->line[--n] = '\0';
    return true;
}

static int fail_at(struct reader *r, unsigned long lineno, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int fail_at(struct reader *r, unsigned long lineno, const char *fmt, ...)
{
    va_list ap;
    int n;

    if (!r->err || r->errlen == 0)
        return -1;
    n = snprintf(r->err, r->errlen, "%s:%lu: ", r->source, lineno);
    if (n >= 0 && (size_t)n < r->errlen) {
        va_start(ap, fmt);
        vsnprintf(r->err + n, r->errlen - (size_t)n, fmt, ap);
        va_end(ap);
    }
    return -1;
}

#define fail(r, ...) fail_at((r), (r)->lineno, __VA_ARGS__)

/* The next non-blank line of the block, or an error naming what is missing. */
static int expect(struct reader *r, const char *what)
{
    while (next_line(r))
        if (r->line[0])
            return 0;
    return fail_at(r, r->test_lineno, "test %s ends before its %s line", r->test_name, what);
}

static int found(struct reader *r, const char *what)
{
    return fail(r, "expected %s, found \"%.*s\"", what, QUOTE_MAX, r->line);
}

/* ---- words and numbers ------------------------------------------------------ */

/* Splits s in place at blanks; returns how many words there were (at most
 * max are stored). */
static int split(char *s, char **words, int max)
{
    int n = 0;

    for (;;) {
        while (*s && is_blank_char(*s))
            s++;
        if (!*s)
            return n;
        if (n < max)
            words[n] = s;
        n++;
        while (*s && !is_blank_char(*s))
            s++;
        if (*s)
            *s++ = '\0';
    }
}

static int count_words(const char *s)
{
    int n = 0;

    for (;;) {
        while (*s && is_blank_char(*s))
            s++;
        if (!*s)
            return n;
        n++;
        while (*s && !is_blank_char(*s))
            s++;
    }
}

/* Decimal digits only (no sign, no blanks); false on none or overflow. */
static bool scan_ulong(const char **s, unsigned long *v)
{
    const char *p = *s;
    unsigned long n = 0;

    if (*p < '0' || *p > '9')
        return false;
    for (; *p >= '0' && *p <= '9'; p++) {
        unsigned d = (unsigned)(*p - '0');

        if (n > (~0ul - d) / 10)
            return false;
        n = n * 10 + d;
    }
    *v = n;
    *s = p;
    return true;
}

static bool whole_ulong(const char *s, unsigned long *v)
{
    return scan_ulong(&s, v) && *s == '\0';
}

/* Seconds as litmus7 prints them: digits, optionally '.' and digits.
 * Read by hand: strtod would follow the locale's decimal point. At most
 * 10^12 s and 15 decimals count, so the value always prints back. */
static bool parse_seconds(const char *s, double *v)
{
    double whole = 0, frac = 0, divisor = 1;
    bool digits = false;

    for (; *s >= '0' && *s <= '9'; s++, digits = true)
        whole = whole * 10 + (*s - '0');
    if (*s == '.')
        for (s++; *s >= '0' && *s <= '9'; s++, digits = true)
            if (divisor < 1e15) {
                frac = frac * 10 + (*s - '0');
                divisor *= 10;
            }
    if (*s || !digits || whole > 1e12)
        return false;
    *v = whole + frac / divisor; /* "0.78" reads as the double 0.78 */
    return true;
}

static bool starts_with(const char *s, const char *prefix)
{
    return strncmp(s, prefix, strlen(prefix)) == 0;
}

static bool is_test_line(const char *s)
{
    return starts_with(s, "Test ") && count_words(s) == 3;
}

/* KEY=VALUE with no blank in KEY and none right after '='. */
static bool is_key_value(const char *s)
{
    const char *eq = strchr(s, '=');

    if (!eq || eq == s || is_blank_char(eq[1]))
        return false;
    for (const char *p = s; p < eq; p++)
        if (is_blank_char(*p))
            return false;
    return true;
}

/* ---- the block, line by line ------------------------------------------------ */

static void add_extra(struct litmus_log_test *t, const char *line)
{
    const char *eq = strchr(line, '=');
    struct litmus_log_extra *e;

    t->extras = xrealloc(t->extras, (t->nextras + 1) * sizeof(*t->extras));
    e = &t->extras[t->nextras++];
    e->key = xmalloc((size_t)(eq - line) + 1);
    memcpy(e->key, line, (size_t)(eq - line));
    e->key[eq - line] = '\0';
    e->value = xstrdup(eq + 1);
}

/* "COUNT *>items" or "COUNT :>items"; the count is padded with blanks. */
static bool parse_state(const char *s, struct litmus_log_state *st)
{
    unsigned long count;
    bool marked;

    if (!scan_ulong(&s, &count))
        return false;
    while (is_blank_char(*s))
        s++;
    if ((*s != '*' && *s != ':') || s[1] != '>')
        return false;
    marked = *s == '*';
    s += 2;
    while (is_blank_char(*s))
        s++;
    *st = (struct litmus_log_state){ count, marked, xstrdup(s) };
    return true;
}

static bool parse_histogram_header(const char *s, unsigned long *n)
{
    if (!starts_with(s, "Histogram ("))
        return false;
    s += strlen("Histogram (");
    if (!scan_ulong(&s, n))
        return false;
    return !strcmp(s, " states)") || !strcmp(s, " state)");
}

static int read_histogram(struct reader *r, struct litmus_log_test *t)
{
    unsigned long n;

    if (expect(r, "Histogram"))
        return -1;
    if (!parse_histogram_header(r->line, &n))
        return found(r, "\"Histogram (N states)\"");
    for (unsigned long i = 0; i < n; i++) {
        struct litmus_log_state st;

        if (!next_line(r))
            return fail_at(r, r->test_lineno, "test %s ends after %lu of its %lu states",
                           t->name, i, n);
        if (!parse_state(r->line, &st))
            return fail(r, "expected state %lu of %lu (\"COUNT *>items\" or \"COUNT :>items\"),"
                        " found \"%.*s\"", i + 1, n, QUOTE_MAX, r->line);
        t->states = xrealloc(t->states, (t->nstates + 1) * sizeof(*t->states));
        t->states[t->nstates++] = st;
    }
    return 0;
}

static int read_ok_and_witnesses(struct reader *r, struct litmus_log_test *t)
{
    struct litmus_log_state st;

    if (expect(r, "Ok/No"))
        return -1;
    if (parse_state(r->line, &st)) {
        free(st.text);
        return fail(r, "more states than the %zu the Histogram line announces", t->nstates);
    }
    if (strcmp(r->line, "Ok") && strcmp(r->line, "No"))
        return found(r, "Ok or No");
    t->ok = !strcmp(r->line, "Ok");
    if (expect(r, "Witnesses"))
        return -1;
    return strcmp(r->line, "Witnesses") ? found(r, "Witnesses") : 0;
}

static int read_positive(struct reader *r, struct litmus_log_test *t)
{
    const char *s;

    if (expect(r, "Positive"))
        return -1;
    s = r->line;
    if (!starts_with(s, "Positive: "))
        return found(r, "\"Positive: P, Negative: N\"");
    s += strlen("Positive: ");
    if (!scan_ulong(&s, &t->positive) || !starts_with(s, ", Negative: "))
        return fail(r, "bad number in \"%.*s\"", QUOTE_MAX, r->line);
    s += strlen(", Negative: ");
    if (!scan_ulong(&s, &t->negative) || *s)
        return fail(r, "bad number in \"%.*s\"", QUOTE_MAX, r->line);
    return 0;
}

static int read_condition(struct reader *r, struct litmus_log_test *t)
{
    static const char yes[] = " is validated", no[] = " is NOT validated";
    size_t len;
    const char *text;

    if (expect(r, "Condition"))
        return -1;
    if (!starts_with(r->line, "Condition "))
        return found(r, "\"Condition ... is [NOT ]validated\"");
    text = r->line + strlen("Condition ");
    len = strlen(text);
    if (len > strlen(no) && !strcmp(text + len - strlen(no), no)) {
        len -= strlen(no);
    } else if (len > strlen(yes) && !strcmp(text + len - strlen(yes), yes)) {
        len -= strlen(yes);
        t->validated = true;
    } else {
        return fail(r, "the Condition line ends in neither \"is validated\" nor "
                    "\"is NOT validated\"");
    }
    t->condition = xmalloc(len + 1);
    memcpy(t->condition, text, len);
    t->condition[len] = '\0';
    return 0;
}

/* #P and #not P over the histogram: "*>" marks not P under forall. */
static void count_p(const struct litmus_log_test *t, unsigned long *ptrue,
                    unsigned long *pfalse)
{
    const char *c = t->condition ? t->condition : "";
    bool forall = starts_with(c, "forall") && (c[6] == '\0' || c[6] == ' ' || c[6] == '(');

    *ptrue = *pfalse = 0;
    for (size_t i = 0; i < t->nstates; i++) {
        if (t->states[i].marked != forall)
            *ptrue += t->states[i].count;
        else
            *pfalse += t->states[i].count;
    }
}

static const char *observation_word(unsigned long ptrue, unsigned long pfalse)
{
    return !ptrue ? "Never" : !pfalse ? "Always" : "Sometimes";
}

static int check_observation(struct reader *r, const struct litmus_log_test *t,
                             unsigned long ptrue, unsigned long pfalse)
{
    unsigned long want_true, want_false;
    const char *want;

    count_p(t, &want_true, &want_false);
    want = observation_word(want_true, want_false);
    if (ptrue == want_true && pfalse == want_false && !strcmp(t->observation, want))
        return 0;
    return fail(r, "Observation %s %lu %lu disagrees with the histogram (%s %lu %lu)",
                t->observation, ptrue, pfalse, want, want_true, want_false);
}

static int read_observation(struct reader *r, struct litmus_log_test *t)
{
    char *w[MAX_TOKENS];
    unsigned long ptrue, pfalse;
    int n;

    for (;;) { /* Key=value lines (Hash=) may come before it */
        if (expect(r, "Observation"))
            return -1;
        if (!is_key_value(r->line))
            break;
        add_extra(t, r->line);
    }
    if (!starts_with(r->line, "Observation "))
        return found(r, "\"Observation NAME Never|Sometimes|Always P N\"");
    n = split(r->line, w, MAX_TOKENS);
    if (n != 5)
        return fail(r, "the Observation line has %d words, not 5", n);
    if (strcmp(w[1], t->name))
        return fail(r, "the Observation line names test %s, the block is test %s", w[1], t->name);
    if (strcmp(w[2], "Never") && strcmp(w[2], "Sometimes") && strcmp(w[2], "Always"))
        return fail(r, "observation \"%.*s\" is none of Never, Sometimes, Always", QUOTE_MAX,
                    w[2]);
    if (!whole_ulong(w[3], &ptrue) || !whole_ulong(w[4], &pfalse))
        return fail(r, "bad number in the Observation line");
    t->observation = xstrdup(w[2]);
    return check_observation(r, t, ptrue, pfalse);
}

/* The optional Time line, right after Observation. */
static int read_time(struct reader *r, struct litmus_log_test *t)
{
    char *w[MAX_TOKENS];
    int n;

    t->time_s = -1;
    if (!next_line(r))
        return 0;
    if (!starts_with(r->line, "Time ")) {
        r->pushed_back = true;
        return 0;
    }
    n = split(r->line, w, MAX_TOKENS);
    if (n != 3)
        return fail(r, "the Time line has %d words, not 3", n);
    if (strcmp(w[1], t->name))
        return fail(r, "the Time line names test %s, the block is test %s", w[1], t->name);
    if (!parse_seconds(w[2], &t->time_s))
        return fail(r, "bad number of seconds \"%.*s\"", QUOTE_MAX, w[2]);
    return 0;
}

/* Key=value lines up to a blank line, the next Test line, another line
 * (UART noise, skipped) or the end. */
static void read_extras(struct reader *r, struct litmus_log_test *t)
{
    while (next_line(r) && r->line[0]) {
        if (is_test_line(r->line)) {
            r->pushed_back = true;
            return;
        }
        if (!is_key_value(r->line))
            return;
        add_extra(t, r->line);
    }
}

/* ---- whole logs ------------------------------------------------------------- */

static void free_test(struct litmus_log_test *t)
{
    for (size_t i = 0; i < t->nstates; i++)
        free(t->states[i].text);
    for (size_t i = 0; i < t->nextras; i++) {
        free(t->extras[i].key);
        free(t->extras[i].value);
    }
    free(t->states);
    free(t->extras);
    free(t->name);
    free(t->verdict);
    free(t->condition);
    free(t->observation);
}

void litmus_log_free(struct litmus_log *log)
{
    if (!log)
        return;
    for (size_t i = 0; i < log->ntests; i++)
        free_test(&log->tests[i]);
    free(log->tests);
    log->tests = NULL;
    log->ntests = 0;
}

/* Opens a block at the current (Test) line; the new test is already in
 * out, so a failure later frees whatever was read. */
static int read_block(struct reader *r, struct litmus_log *out)
{
    struct litmus_log_test *t;
    char *w[MAX_TOKENS];
    const struct litmus_log_test *dup;

    split(r->line, w, MAX_TOKENS);
    out->tests = xrealloc(out->tests, (out->ntests + 1) * sizeof(*out->tests));
    t = &out->tests[out->ntests++];
    *t = (struct litmus_log_test){ .name = xstrdup(w[1]), .verdict = xstrdup(w[2]),
                                   .time_s = -1 };
    r->test_lineno = r->lineno;
    r->test_name = t->name;
    out->ntests--; /* not a duplicate of itself */
    dup = litmus_log_find(out, t->name);
    out->ntests++;
    if (dup)
        return fail(r, "test %s appears a second time in the log", t->name);
    if (read_histogram(r, t) || read_ok_and_witnesses(r, t) || read_positive(r, t) ||
        read_condition(r, t) || read_observation(r, t) || read_time(r, t))
        return -1;
    read_extras(r, t);
    return 0;
}

int litmus_log_parse(const char *text, size_t len, const char *source,
                     struct litmus_log *out, char *err, size_t errlen)
{
    struct reader r = { .p = text, .end = text + len, .source = source ? source : "<log>",
                        .err = err, .errlen = errlen };
    int rc = 0;

    *out = (struct litmus_log){ 0 };
    if (!text)
        r.end = r.p = "";
    while (rc == 0 && next_line(&r))
        if (is_test_line(r.line))
            rc = read_block(&r, out);
    free(r.line);
    if (rc)
        litmus_log_free(out);
    return rc;
}

int litmus_log_read_file(const char *path, struct litmus_log *out, char *err, size_t errlen)
{
    FILE *f = fopen(path, "rb");
    char *text = NULL;
    size_t len = 0, cap = 0, n;
    int rc;

    *out = (struct litmus_log){ 0 };
    if (!f) {
        if (err && errlen)
            snprintf(err, errlen, "%s: %s", path, strerror(errno));
        return -1;
    }
    do {
        if (len == cap) {
            cap = cap ? 2 * cap : 65536;
            text = xrealloc(text, cap);
        }
        n = fread(text + len, 1, cap - len, f);
        len += n;
    } while (n > 0);
    if (ferror(f)) {
        if (err && errlen)
            snprintf(err, errlen, "%s: %s", path, strerror(errno ? errno : EIO));
        rc = -1;
    } else {
        rc = litmus_log_parse(text, len, path, out, err, errlen);
    }
    fclose(f);
    free(text);
    return rc;
}

/* ---- look-ups --------------------------------------------------------------- */

const struct litmus_log_test *litmus_log_find(const struct litmus_log *log, const char *name)
{
    for (size_t i = 0; log && name && i < log->ntests; i++)
        if (log->tests[i].name && !strcmp(log->tests[i].name, name))
            return &log->tests[i];
    return NULL;
}

const char *litmus_log_extra(const struct litmus_log_test *t, const char *key)
{
    for (size_t i = 0; t && key && i < t->nextras; i++)
        if (!strcmp(t->extras[i].key, key))
            return t->extras[i].value;
    return NULL;
}

/* ---- the writer ------------------------------------------------------------- */

static const char *or_empty(const char *s)
{
    return s ? s : "";
}

static void write_extras(FILE *f, const struct litmus_log_test *t, bool hash)
{
    for (size_t i = 0; i < t->nextras; i++)
        if (!strcmp(t->extras[i].key, "Hash") == hash)
            fprintf(f, "%s=%s\n", t->extras[i].key, or_empty(t->extras[i].value));
}

/* hist.c's layout exactly; a Hash= extra goes where litmus7 puts it,
 * before Observation, the other extras after Time. */
void litmus_log_write_test(FILE *f, const struct litmus_log_test *t)
{
    unsigned long ptrue, pfalse;

    fprintf(f, "Test %s %s\n", or_empty(t->name), or_empty(t->verdict));
    fprintf(f, "Histogram (%zu states)\n", t->nstates);
    for (size_t i = 0; i < t->nstates; i++)
        fprintf(f, "%-6lu%c>%s\n", t->states[i].count, t->states[i].marked ? '*' : ':',
                or_empty(t->states[i].text));
    fprintf(f, "%s\n\nWitnesses\n", t->ok ? "Ok" : "No");
    fprintf(f, "Positive: %lu, Negative: %lu\n", t->positive, t->negative);
    fprintf(f, "Condition %s is %svalidated\n", or_empty(t->condition),
            t->validated ? "" : "NOT ");
    write_extras(f, t, true);
    count_p(t, &ptrue, &pfalse);
    fprintf(f, "Observation %s %s %lu %lu\n", or_empty(t->name),
            t->observation ? t->observation : observation_word(ptrue, pfalse), ptrue, pfalse);
    if (t->time_s >= 0)
        fprintf(f, "Time %s %.2f\n", or_empty(t->name), t->time_s);
    write_extras(f, t, false);
}
