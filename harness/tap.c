/*
 * tap.c — the TAP line parser.
 *
 * Each line is classified by its first characters (see tap.h) and handled
 * by one small function. A test line is
 *
 *     ("ok" | "not ok") [number] [" - "] [description] ["#" directive]
 *
 * where the directive is TODO or SKIP in any case ("# skipped: no FPU"
 * counts as SKIP, as in the TAP specification), followed by the reason.
 * A '#' that is not followed by a directive stays part of the description.
 */
#include "harness/tap.h"

#include "reports/text.h"
#include "util/fatal.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

void tap_init(struct tap_result *r)
{
    memset(r, 0, sizeof(*r));
    r->counts.planned = -1;
}

void tap_free(struct tap_result *r)
{
    free(r->bail_reason);
    free(r->first_failure);
    for (size_t i = 0; i < r->n_metrics; i++) {
        free(r->metrics[i].key);
        free(r->metrics[i].value);
    }
    free(r->metrics);
    for (size_t i = 0; i < r->n_exceptions; i++)
        free(r->exceptions[i]);
    free(r->exceptions);
    tap_init(r);
}

static const char *skip_blanks(const char *s)
{
    while (*s == ' ' || *s == '\t')
        s++;
    return s;
}

/* A copy of [s, s+n) without leading and trailing blanks. */
static char *dup_trimmed(const char *s, size_t n)
{
    while (n && (*s == ' ' || *s == '\t'))
        s++, n--;
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
        n--;
    char *d = xmalloc(n + 1);
    memcpy(d, s, n);
    d[n] = '\0';
    return d;
}

/* True when line starts with word followed by a blank or the end. */
static bool starts_word(const char *line, const char *word)
{
    size_t n = strlen(word);

    return strncmp(line, word, n) == 0 && (line[n] == '\0' || line[n] == ' ' || line[n] == '\t');
}

/* "1..N", optionally followed by a "# comment". */
static bool parse_plan(struct tap_result *r, const char *line)
{
    char *end;
    long n;

    if (strncmp(line, "1..", 3) != 0 || !isdigit((unsigned char)line[3]))
        return false;
    errno = 0;
    n = strtol(line + 3, &end, 10);
    end = (char *)skip_blanks(end);
    if (errno || (*end && *end != '#'))
        return false;
    if (r->counts.planned >= 0) {
        r->counts.garbage++; /* a second plan means nothing */
        return true;
    }
    r->counts.planned = n;
    r->plan_late = r->counts.ran > 0;
    return true;
}

/* Finds the directive after a '#' in a test line's text. Returns the '#'
 * that starts it (the description ends there) or NULL. */
static const char *find_directive(const char *text, bool *todo, const char **reason)
{
    for (const char *h = strchr(text, '#'); h; h = strchr(h + 1, '#')) {
        const char *d = skip_blanks(h + 1);

        if (h > text && h[-1] == '\\')
            continue; /* an escaped '#' */
        if (strncasecmp(d, "todo", 4) == 0 || strncasecmp(d, "skip", 4) == 0) {
            *todo = tolower((unsigned char)d[0]) == 't';
            d += 4;
            while (isalpha((unsigned char)*d) || *d == ':') /* "skipped:" */
                d++;
            *reason = skip_blanks(d);
            return h;
        }
    }
    return NULL;
}

static void record_failure(struct tap_result *r, long number, const char *desc, size_t len)
{
    char *what;
    size_t size;

    if (r->first_failure)
        return;
    what = dup_trimmed(desc, len);
    size = strlen(what) + 48;
    r->first_failure = xmalloc(size);
    if (*what)
        snprintf(r->first_failure, size, "not ok %ld - %s", number, what);
    else
        snprintf(r->first_failure, size, "not ok %ld", number);
    free(what);
}

static void parse_test(struct tap_result *r, const char *line, bool ok)
{
    const char *p = skip_blanks(line + (ok ? 2 : 6));
    const char *directive, *reason = NULL;
    long number = (long)r->counts.ran + 1;
    bool todo = false;

    if (isdigit((unsigned char)*p))
        number = strtol(p, (char **)&p, 10);
    p = skip_blanks(p);
    if (p[0] == '-' && (p[1] == ' ' || p[1] == '\t' || p[1] == '\0'))
        p = skip_blanks(p + 1);
    directive = find_directive(p, &todo, &reason);
    r->counts.ran++;
    if (directive && todo)
        r->counts.todo++;
    else if (!ok)
        r->counts.failed++;
    else if (directive)
        r->counts.skipped++;
    else
        r->counts.passed++;
    if (!ok && !todo)
        record_failure(r, number, p, directive ? (size_t)(directive - p) : strlen(p));
}

static struct report_metric *find_metric(struct tap_result *r, const char *key, size_t n)
{
    for (size_t i = 0; i < r->n_metrics; i++)
        if (strlen(r->metrics[i].key) == n && strncmp(r->metrics[i].key, key, n) == 0)
            return &r->metrics[i];
    return NULL;
}

static bool is_key_char(char c)
{
    return isalnum((unsigned char)c) || c == '_' || c == '.' || c == '-';
}

/* True when the (trimmed) value is one word: "# cpus=1 iters=1000" is a
 * diagnostic that happens to contain '=', not a metric named cpus. */
static bool is_one_word(const char *v)
{
    v = skip_blanks(v);
    if (!*v)
        return false;
    while (*v && !isspace((unsigned char)*v))
        v++;
    return *skip_blanks(v) == '\0';
}

/* "# key=value" with a one-word value is a metric; any other comment is a
 * diagnostic. */
static void parse_comment(struct tap_result *r, const char *line)
{
    const char *key = skip_blanks(line + 1), *p = key;
    struct report_metric *m;

    while (is_key_char(*p))
        p++;
    if (p == key || *p != '=' || !is_one_word(p + 1)) {
        r->diagnostics++;
        return;
    }
    m = find_metric(r, key, (size_t)(p - key));
    if (m) {
        free(m->value);
    } else if (r->n_metrics == TAP_MAX_METRICS) {
        r->dropped++;
        return;
    } else {
        r->metrics = xrealloc(r->metrics, (r->n_metrics + 1) * sizeof(*r->metrics));
        m = &r->metrics[r->n_metrics++];
        m->key = dup_trimmed(key, (size_t)(p - key));
    }
    m->value = dup_trimmed(p + 1, strlen(p + 1));
}

static void keep_exception(struct tap_result *r, const char *line)
{
    if (r->n_exceptions == TAP_MAX_EXCEPTIONS) {
        r->dropped++;
        return;
    }
    r->exceptions = xrealloc(r->exceptions, (r->n_exceptions + 1) * sizeof(*r->exceptions));
    r->exceptions[r->n_exceptions++] = xstrdup(line);
}

static void bail_out(struct tap_result *r, const char *line)
{
    if (r->bailed)
        return;
    r->bailed = true;
    r->bail_reason = dup_trimmed(line + 9, strlen(line + 9));
}

void tap_parse_line(struct tap_result *r, char *line)
{
    size_t n = strlen(line);

    if (n && line[n - 1] == '\r')
        line[--n] = '\0';
    text_sanitize_utf8(line);
    if (n == 0 || starts_word(line, "TAP version"))
        return;
    if (strncmp(line, "Bail out!", 9) == 0)
        bail_out(r, line);
    else if (starts_word(line, "EXCEPTION"))
        keep_exception(r, line);
    else if (starts_word(line, "ok"))
        parse_test(r, line, true);
    else if (starts_word(line, "not ok"))
        parse_test(r, line, false);
    else if (line[0] == '#')
        parse_comment(r, line);
    else if (!parse_plan(r, line))
        r->counts.garbage++;
}

/* One line of n bytes; NULs inside become '?' so the C string holds it all. */
static void parse_bytes(struct tap_result *r, const char *s, size_t n)
{
    char *line = xmalloc(n + 1);

    for (size_t i = 0; i < n; i++)
        line[i] = s[i] ? s[i] : '?';
    line[n] = '\0';
    tap_parse_line(r, line);
    free(line);
}

void tap_parse_text(struct tap_result *r, const char *text, size_t len)
{
    const char *p = text, *end = text + len;

    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));

        if (!nl) {
            r->cut_off = true;
            parse_bytes(r, p, (size_t)(end - p));
            return;
        }
        parse_bytes(r, p, (size_t)(nl - p));
        p = nl + 1;
    }
}

int tap_parse_file(struct tap_result *r, const char *path, char *err, size_t errlen)
{
    FILE *f = fopen(path, "r");
    char *buf = NULL;
    size_t cap = 0;
    ssize_t n;

    if (!f) {
        snprintf(err, errlen, "cannot read %s: %s", path, strerror(errno));
        return -1;
    }
    while ((n = getline(&buf, &cap, f)) > 0) {
        bool has_newline = buf[n - 1] == '\n';

        if (!has_newline)
            r->cut_off = true;
        parse_bytes(r, buf, (size_t)n - has_newline);
    }
    free(buf);
    fclose(f);
    return 0;
}
