/*
 * suite.c — the suite file parser.
 *
 * Format. Plain text, one test per line; a line whose first non-blank
 * character is '#' is a comment; blank lines are ignored.
 *
 *     line   := NAME { blanks item }
 *     NAME   := [a-z0-9._-]+
 *     item   := KEY '=' value
 *     value  := bare | '"' { char | '\"' | '\\' } '"'
 *     bare   := one or more characters other than blanks and '"'
 *
 * Inside quotes, \" is a quote and \\ a backslash; any other backslash is
 * kept as it is. A closing quote must end the item. Keys:
 *
 *     image=PATH        guest image; default build/baremetal/NAME.elf
 *     args="TEXT"       passed with -append (none when empty or absent)
 *     smp=LIST          vCPU counts the test may run at ("1,2,4", "1-8"),
 *                       each 1..64; default any. Intersected with --smp.
 *     thread=LIST       thread modes allowed (multi, single); default both
 *     timeout=SECONDS   overrides --timeout for this test (1..86400)
 *     xfail.EMU="why"   expected to fail on emulator EMU (qemu, strex, or
 *                       the basename of an --emulator PATH); xfail.any
 *                       for every emulator. The reason must not be empty.
 *     xfail.llsc.X="why"
 *                       expected to fail on strex-emu run with
 *                       -accel tcg,llsc=X, X one of cas, excl, stw (the
 *                       harness's --llsc axis). A strex-emu job without
 *                       --llsc runs strex-emu's default, excl, so
 *                       xfail.llsc.excl applies to it too; other emulators
 *                       (QEMU) never see these. "llsc" is therefore not an
 *                       emulator label.
 *
 * A key may appear once per line. Any error stops the parse with one
 * message "FILE:LINE: what is wrong"; the caller prints it and exits 2.
 */
#include "harness/suite.h"

#include "util/fatal.h"
#include "util/opt.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

/* Where the parser is, for messages. */
struct cursor {
    const char *file;
    unsigned line;
    char *err;
    size_t errlen;
};

static int fail(const struct cursor *c, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static int fail(const struct cursor *c, const char *fmt, ...)
{
    char msg[512];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    snprintf(c->err, c->errlen, "%s:%u: %s", c->file, c->line, msg);
    return -1;
}

static bool is_blank(char ch)
{
    return ch == ' ' || ch == '\t';
}

static bool is_name_char(char ch)
{
    return islower((unsigned char)ch) || isdigit((unsigned char)ch) || ch == '.' ||
           ch == '_' || ch == '-';
}

static bool is_label_char(char ch)
{
    return isalnum((unsigned char)ch) || ch == '.' || ch == '_' || ch == '-';
}

/* ---- thread modes ------------------------------------------------------ */

static const char *const thread_names[THREAD_MODES] = {
    [THREAD_MULTI] = "multi", [THREAD_SINGLE] = "single",
};

const char *thread_mode_name(enum thread_mode m)
{
    return thread_names[m];
}

/* ---- LL/SC strategies ---------------------------------------------------- */

static const char *const llsc_names[LLSC_MODES] = {
    [LLSC_CAS] = "cas", [LLSC_EXCL] = "excl", [LLSC_STW] = "stw",
};

const char *llsc_mode_name(enum llsc_mode m)
{
    return llsc_names[m];
}

int llsc_mode_parse(const char *name)
{
    for (int m = 0; m < LLSC_MODES; m++)
        if (strcmp(name, llsc_names[m]) == 0)
            return m;
    return -1;
}

int llsc_list_parse(const char *s, enum llsc_mode *out, size_t *n, char *err, size_t errlen)
{
    char **words;
    size_t nwords;
    int rc = 0;

    *n = 0;
    if (opt_parse_words(s, &words, &nwords, err, errlen) != 0)
        return -1;
    for (size_t i = 0; i < nwords && rc == 0; i++) {
        int m = llsc_mode_parse(words[i]);
        bool seen = false;

        if (m < 0) {
            snprintf(err, errlen, "unknown LL/SC strategy '%s' (cas, excl or stw)", words[i]);
            rc = -1;
            break;
        }
        for (size_t j = 0; j < *n; j++)
            seen |= out[j] == (enum llsc_mode)m;
        if (!seen)
            out[(*n)++] = (enum llsc_mode)m;
    }
    opt_free_words(words, nwords);
    if (rc != 0)
        *n = 0;
    return rc;
}

int thread_list_parse(const char *s, enum thread_mode *out, size_t *n, char *err, size_t errlen)
{
    char **words;
    size_t nwords;

    *n = 0;
    if (opt_parse_words(s, &words, &nwords, err, errlen) != 0)
        return -1;
    for (size_t i = 0; i < nwords; i++) {
        enum thread_mode m;

        if (strcmp(words[i], "multi") == 0) {
            m = THREAD_MULTI;
        } else if (strcmp(words[i], "single") == 0) {
            m = THREAD_SINGLE;
        } else {
            snprintf(err, errlen, "unknown thread mode '%s' (multi or single)", words[i]);
            opt_free_words(words, nwords);
            return -1;
        }
        bool seen = false;
        for (size_t j = 0; j < *n; j++)
            seen |= out[j] == m;
        if (!seen)
            out[(*n)++] = m;
    }
    opt_free_words(words, nwords);
    return 0;
}

/* ---- one item ------------------------------------------------------------ */

/* A quoted value starting at the opening quote *p; on success *p is past
 * the closing quote and *value holds the unescaped text. */
static int read_quoted(const char **p, char **value, const char *key, const struct cursor *c)
{
    const char *s = *p + 1;
    char *v = xmalloc(strlen(s) + 1), *d = v;

    for (; *s && *s != '"'; s++) {
        if (*s == '\\' && (s[1] == '"' || s[1] == '\\'))
            s++;
        *d++ = *s;
    }
    *d = '\0';
    if (*s != '"') {
        free(v);
        return fail(c, "unterminated quote in the value of '%s'", key);
    }
    if (s[1] && !is_blank(s[1])) {
        free(v);
        return fail(c, "text after the closing quote of '%s'", key);
    }
    *p = s + 1;
    *value = v;
    return 0;
}

static int read_bare(const char **p, char **value, const char *key, const struct cursor *c)
{
    const char *s = *p;
    size_t n = 0;

    while (s[n] && !is_blank(s[n])) {
        if (s[n] == '"')
            return fail(c, "stray quote in the value of '%s' (quote the whole value: "
                           "%s=\"...\")", key, key);
        n++;
    }
    *value = strndup(s, n);
    if (!*value)
        fatal("out of memory");
    *p = s + n;
    return 0;
}

/* The key=value item at *p; *p moves past it. */
static int read_item(const char **p, char **key, char **value, const struct cursor *c)
{
    const char *s = *p, *eq = s;

    while (*eq && !is_blank(*eq) && *eq != '=')
        eq++;
    if (*eq != '=') {
        return fail(c, "expected key=value, got '%.*s'", (int)(eq - s), s);
    }
    if (eq == s)
        return fail(c, "missing key before '='");
    *key = strndup(s, (size_t)(eq - s));
    if (!*key)
        fatal("out of memory");
    *p = eq + 1;
    if (**p == '"' ? read_quoted(p, value, *key, c) : read_bare(p, value, *key, c)) {
        free(*key);
        return -1;
    }
    return 0;
}

/* ---- applying an item to a test ----------------------------------------- */

/* An xfail's reason must say something. key: "xfail.qemu", ... */
static int check_reason(const char *key, const char *reason, const struct cursor *c)
{
    while (isspace((unsigned char)*reason))
        reason++;
    if (!*reason)
        return fail(c, "%s needs a reason: %s=\"why it fails\"", key, key);
    return 0;
}

/* key is "xfail.llsc" + "" or ".X". */
static int set_xfail_llsc(struct suite_test *t, const char *key, const char *reason,
                          const struct cursor *c)
{
    const char *strategy = key + strlen("xfail.llsc");
    int m;

    if (!strategy[0] || !strategy[1])
        return fail(c, "xfail.llsc needs a strategy: xfail.llsc.cas, xfail.llsc.excl or "
                       "xfail.llsc.stw");
    m = llsc_mode_parse(strategy + 1);
    if (m < 0)
        return fail(c, "unknown LL/SC strategy '%s' in %s (cas, excl or stw)", strategy + 1,
                    key);
    if (check_reason(key, reason, c) != 0)
        return -1;
    if (t->xfail_llsc[m])
        return fail(c, "'%s' given twice", key);
    t->xfail_llsc[m] = xstrdup(reason);
    return 0;
}

/* key is "xfail." + a label, or xfail.llsc[.X]. */
static int set_xfail(struct suite_test *t, const char *key, const char *reason,
                     const struct cursor *c)
{
    const char *label = key + strlen("xfail.");

    if (strncmp(label, "llsc", 4) == 0 && (label[4] == '\0' || label[4] == '.'))
        return set_xfail_llsc(t, key, reason, c);
    if (!*label)
        return fail(c, "'xfail.' needs an emulator label (xfail.qemu, xfail.any, ...)");
    for (const char *l = label; *l; l++)
        if (!is_label_char(*l))
            return fail(c, "bad emulator label '%s' in xfail.%s", label, label);
    if (check_reason(key, reason, c) != 0)
        return -1;
    for (size_t i = 0; i < t->n_xfails; i++)
        if (strcmp(t->xfails[i].emulator, label) == 0)
            return fail(c, "'xfail.%s' given twice", label);
    t->xfails = xrealloc(t->xfails, (t->n_xfails + 1) * sizeof(*t->xfails));
    t->xfails[t->n_xfails].emulator = xstrdup(label);
    t->xfails[t->n_xfails].reason = xstrdup(reason);
    t->n_xfails++;
    return 0;
}

static int set_threads(struct suite_test *t, const char *value, const struct cursor *c)
{
    enum thread_mode modes[THREAD_MODES * 8];
    size_t n;
    char msg[256];

    if (thread_list_parse(value, modes, &n, msg, sizeof(msg)) != 0)
        return fail(c, "thread: %s", msg);
    t->thread_ok[THREAD_MULTI] = t->thread_ok[THREAD_SINGLE] = false;
    for (size_t i = 0; i < n; i++)
        t->thread_ok[modes[i]] = true;
    return 0;
}

static int set_number(const char *key, const char *value, unsigned long max,
                      unsigned *out, const struct cursor *c)
{
    unsigned long v;
    char msg[256];

    if (opt_parse_ulong(value, 1, max, &v, msg, sizeof(msg)) != 0)
        return fail(c, "%s: %s", key, msg);
    *out = (unsigned)v;
    return 0;
}

/* The fixed keys, in the order of the bits that catch repeats. */
static const char *const fixed_keys[] = { "image", "args", "smp", "thread", "timeout" };

static int apply_item(struct suite_test *t, const char *key, const char *value,
                      unsigned *seen, const struct cursor *c)
{
    char msg[256];
    size_t k = 0;

    if (strncmp(key, "xfail.", 6) == 0)
        return set_xfail(t, key, value, c);
    while (k < 5 && strcmp(key, fixed_keys[k]) != 0)
        k++;
    if (k == 5)
        return fail(c, "unknown key '%s' (known: image args smp thread timeout xfail.EMU "
                       "xfail.llsc.X)", key);
    if (*seen & (1u << k))
        return fail(c, "'%s' given twice", key);
    *seen |= 1u << k;
    switch (k) {
    case 0:
        if (!*value)
            return fail(c, "image: empty path");
        free(t->image);
        t->image = xstrdup(value);
        return 0;
    case 1:
        t->args = *value ? xstrdup(value) : NULL;
        return 0;
    case 2:
        if (opt_parse_ulong_list(value, 1, SUITE_MAX_SMP, t->smp, SUITE_MAX_SMP, &t->n_smp,
                                 msg, sizeof(msg)) != 0)
            return fail(c, "smp: %s", msg);
        return 0;
    case 3:
        return set_threads(t, value, c);
    default:
        return set_number("timeout", value, 86400, &t->timeout_s, c);
    }
}

/* ---- one line -------------------------------------------------------------- */

static void test_free(struct suite_test *t)
{
    free(t->name);
    free(t->image);
    free(t->args);
    for (size_t i = 0; i < t->n_xfails; i++) {
        free(t->xfails[i].emulator);
        free(t->xfails[i].reason);
    }
    free(t->xfails);
    for (int m = 0; m < LLSC_MODES; m++)
        free(t->xfail_llsc[m]);
}

/* The NAME at the start of a line; *p moves past it. */
static int read_name(const char **p, struct suite_test *t, const struct cursor *c)
{
    const char *s = *p;
    size_t n = 0;

    while (s[n] && !is_blank(s[n]))
        n++;
    if (memchr(s, '=', n))
        return fail(c, "missing test name: the line starts with '%.*s'", (int)n, s);
    for (size_t i = 0; i < n; i++)
        if (!is_name_char(s[i]))
            return fail(c, "bad test name '%.*s' (allowed: a-z 0-9 . _ -)", (int)n, s);
    t->name = strndup(s, n);
    if (!t->name)
        fatal("out of memory");
    *p = s + n;
    return 0;
}

static int parse_test_line(const char *line, struct suite_test *t, const struct cursor *c)
{
    const char *p = line;
    unsigned seen = 0;
    char image[4096];

    memset(t, 0, sizeof(*t));
    t->thread_ok[THREAD_MULTI] = t->thread_ok[THREAD_SINGLE] = true;
    t->line = c->line;
    if (read_name(&p, t, c) != 0)
        return -1;
    for (;;) {
        char *key = NULL, *value = NULL;
        int rc;

        while (is_blank(*p))
            p++;
        if (!*p)
            break;
        if (read_item(&p, &key, &value, c) != 0)
            return -1;
        rc = apply_item(t, key, value, &seen, c);
        free(key);
        free(value);
        if (rc != 0)
            return -1;
    }
    if (!t->image) {
        snprintf(image, sizeof(image), "build/baremetal/%s.elf", t->name);
        t->image = xstrdup(image);
    }
    return 0;
}

static int add_line(struct suite *s, char *line, const struct cursor *c)
{
    size_t n = strlen(line);
    const char *p = line;
    struct suite_test t;
    const struct suite_test *dup;

    while (n && (line[n - 1] == '\n' || line[n - 1] == '\r'))
        line[--n] = '\0';
    while (is_blank(*p))
        p++;
    if (!*p || *p == '#')
        return 0;
    if (parse_test_line(p, &t, c) != 0) {
        test_free(&t);
        return -1;
    }
    dup = suite_find(s, t.name);
    if (dup) {
        fail(c, "duplicate test '%s' (first on line %u)", t.name, dup->line);
        test_free(&t);
        return -1;
    }
    s->tests = xrealloc(s->tests, (s->n_tests + 1) * sizeof(*s->tests));
    s->tests[s->n_tests++] = t;
    return 0;
}

/* ---- the file -------------------------------------------------------------- */

int suite_parse_stream(FILE *f, const char *name, struct suite *s, char *err, size_t errlen)
{
    struct cursor c = { .file = name, .err = err, .errlen = errlen };
    char *buf = NULL;
    size_t cap = 0;
    int rc = 0;

    memset(s, 0, sizeof(*s));
    s->path = xstrdup(name);
    while (rc == 0 && getline(&buf, &cap, f) >= 0) {
        c.line++;
        rc = add_line(s, buf, &c);
    }
    free(buf);
    if (rc != 0)
        suite_free(s);
    return rc;
}

int suite_parse_file(const char *path, struct suite *s, char *err, size_t errlen)
{
    FILE *f = fopen(path, "r");
    int rc;

    if (!f) {
        memset(s, 0, sizeof(*s));
        snprintf(err, errlen, "cannot open suite '%s': %s", path, strerror(errno));
        return -2;
    }
    rc = suite_parse_stream(f, path, s, err, errlen);
    fclose(f);
    return rc;
}

void suite_free(struct suite *s)
{
    for (size_t i = 0; i < s->n_tests; i++)
        test_free(&s->tests[i]);
    free(s->tests);
    free(s->path);
    memset(s, 0, sizeof(*s));
}

const struct suite_test *suite_find(const struct suite *s, const char *name)
{
    for (size_t i = 0; i < s->n_tests; i++)
        if (strcmp(s->tests[i].name, name) == 0)
            return &s->tests[i];
    return NULL;
}

const char *suite_xfail_reason(const struct suite_test *t, const char *label)
{
    const char *any = NULL;

    for (size_t i = 0; i < t->n_xfails; i++) {
        if (strcmp(t->xfails[i].emulator, label) == 0)
            return t->xfails[i].reason;
        if (strcmp(t->xfails[i].emulator, "any") == 0)
            any = t->xfails[i].reason;
    }
    return any;
}

const char *suite_job_xfail(const struct suite_test *t, const char *label, bool is_strex,
                            enum llsc_mode llsc)
{
    const char *reason = suite_xfail_reason(t, label);

    if (!reason && is_strex)
        reason = t->xfail_llsc[llsc];
    return reason;
}

bool suite_allows_smp(const struct suite_test *t, unsigned long smp)
{
    if (t->n_smp == 0)
        return true;
    for (size_t i = 0; i < t->n_smp; i++)
        if (t->smp[i] == smp)
            return true;
    return false;
}
