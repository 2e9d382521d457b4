/*
 * parse.c — a herdtools ARM .litmus file into a struct litmus_test.
 *
 * The file is read in sections, each by the simplest means that fits it:
 *
 *   ARM NAME [()] ["doc"]      line by line: the header, an optional
 *   "doc string"               quoted doc string and Key=Value lines,
 *   Key=Value ...              up to the '{' that opens the init section
 *   { init items; ... }        tokens (lex.c); the items are init.c's
 *   P0 | P1 ;                  characters: rows end at ';', cells at '|',
 *   cells ... ;                each cell parsed by code.c
 *   locations [..] filter P    tokens again; the section starts at the
 *   exists P / ~exists / forall   first line beginning with one of these words
 *
 * (* comments *) are blanked out first, newlines kept, so that every line
 * number stays true. After parsing, references are checked (a thread
 * number past the last column is an error) and the memory locations are
 * gathered with their initial values. On any error the test is freed and
 * the message is "FILE:LINE: what is wrong".
 */
#include "litmus/lex.h"

#include "util/fatal.h"
#include "util/file.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

struct parser {
    const char *file;
    char *text;  /* owned; comments blanked */
    size_t len;
    size_t pos;
    int line;    /* line of text[pos] */
    char *err;
    size_t errlen;
};

static int fail(struct parser *P, int line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int fail(struct parser *P, int line, const char *fmt, ...)
{
    char msg[256];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    return litmus_fail(P->err, P->errlen, P->file, line, "%s", msg);
}

/* ---- low-level movement -------------------------------------------------- */

static void advance(struct parser *P, size_t to)
{
    for (; P->pos < to && P->pos < P->len; P->pos++)
        if (P->text[P->pos] == '\n')
            P->line++;
}

static void skip_blanks(struct parser *P)
{
    size_t p = P->pos;

    while (p < P->len && isspace((unsigned char)P->text[p]))
        p++;
    advance(P, p);
}

/* Like skip_blanks, but not past stop: the line where a cell's text starts. */
static void skip_blanks_before(struct parser *P, size_t stop)
{
    size_t p = P->pos;

    while (p < stop && isspace((unsigned char)P->text[p]))
        p++;
    advance(P, p);
}

/* The line of the last character that is not blank: where a file that
 * stops too early ends. */
static int last_line(const struct parser *P)
{
    size_t end = P->len;
    int line = 1;

    while (end && isspace((unsigned char)P->text[end - 1]))
        end--;
    for (size_t i = 0; i < end; i++)
        line += P->text[i] == '\n';
    return line;
}

static size_t line_end(const struct parser *P, size_t from)
{
    const char *nl = memchr(P->text + from, '\n', P->len - from);

    return nl ? (size_t)(nl - P->text) : P->len;
}

static char *dup_trimmed(const char *s, size_t len)
{
    char *out;

    while (len && isspace((unsigned char)*s))
        s++, len--;
    while (len && isspace((unsigned char)s[len - 1]))
        len--;
    out = xmalloc(len + 1);
    memcpy(out, s, len);
    out[len] = '\0';
    return out;
}

/* Blanks (* ... *), nested as in OCaml, but not inside a "doc string". */
static int strip_comments(struct parser *P)
{
    int depth = 0, open_line = 1, line = 1;
    bool in_string = false;

    for (size_t i = 0; i < P->len; i++) {
        char *c = &P->text[i];

        if (*c == '\n') {
            line++;
            in_string = false; /* a doc string never spans lines */
        }
        if (depth == 0 && *c == '"')
            in_string = !in_string;
        if (in_string)
            continue;
        if (c[0] == '(' && i + 1 < P->len && c[1] == '*') {
            if (depth++ == 0)
                open_line = line;
            c[0] = c[1] = ' ';
            i++;
        } else if (depth && c[0] == '*' && i + 1 < P->len && c[1] == ')') {
            depth--;
            c[0] = c[1] = ' ';
            i++;
        } else if (depth && *c != '\n') {
            *c = ' ';
        }
    }
    return depth ? fail(P, open_line, "comment '(*' is never closed") : 0;
}

/* ---- header: "ARM NAME [()] ["doc"]", doc string, Key=Value lines ----------- */

/* A "quoted doc string" at pos. It ends at the closing quote or, as two
 * campaign files need, at the end of its line when the quote is missing. */
static int read_doc(struct parser *P, struct litmus_test *t)
{
    size_t end = line_end(P, P->pos);
    const char *close = memchr(P->text + P->pos + 1, '"', end - P->pos - 1);
    size_t stop = close ? (size_t)(close - P->text) : end;

    if (t->doc)
        return fail(P, P->line, "a second doc string");
    t->doc = dup_trimmed(P->text + P->pos + 1, stop - P->pos - 1);
    advance(P, close ? stop + 1 : stop);
    return 0;
}

static size_t word_end(const struct parser *P, size_t p, size_t end)
{
    while (p < end && !isspace((unsigned char)P->text[p]))
        p++;
    return p;
}

static int parse_title(struct parser *P, struct litmus_test *t)
{
    size_t end, a, b;

    skip_blanks(P);
    if (P->pos >= P->len)
        return fail(P, P->line, "empty file: expected 'ARM NAME'");
    end = line_end(P, P->pos);
    a = word_end(P, P->pos, end);
    t->arch = dup_trimmed(P->text + P->pos, a - P->pos);
    if (strcasecmp(t->arch, "ARM"))
        return fail(P, P->line, "only ARM tests are supported, this one is %.40s", t->arch);
    advance(P, a);
    while (P->pos < end && isblank((unsigned char)P->text[P->pos]))
        advance(P, P->pos + 1);
    b = word_end(P, P->pos, end);
    if (b == P->pos || P->text[P->pos] == '"')
        return fail(P, P->line, "expected the test's name after 'ARM'");
    t->name = dup_trimmed(P->text + P->pos, b - P->pos);
    advance(P, b);
    while (P->pos < end && isblank((unsigned char)P->text[P->pos]))
        advance(P, P->pos + 1);
    if (end - P->pos >= 2 && !memcmp(P->text + P->pos, "()", 2))
        advance(P, P->pos + 2); /* old files: an empty parameter list */
    while (P->pos < end && isblank((unsigned char)P->text[P->pos]))
        advance(P, P->pos + 1);
    if (P->pos < end && P->text[P->pos] == '"')
        return read_doc(P, t);
    if (P->pos < end && !isspace((unsigned char)P->text[P->pos]))
        return fail(P, P->line, "unexpected text after the test's name");
    return 0;
}

static int parse_key_value(struct parser *P, struct litmus_test *t)
{
    size_t end = line_end(P, P->pos);
    const char *eq = memchr(P->text + P->pos, '=', end - P->pos);
    struct litmus_key *kv;

    if (!eq || eq == P->text + P->pos)
        return fail(P, P->line, "expected Key=Value, a \"doc string\" or '{', found '%.*s'",
                    (int)(end - P->pos > 40 ? 40 : end - P->pos), P->text + P->pos);
    t->keys = xrealloc(t->keys, (t->n_keys + 1) * sizeof(*t->keys));
    kv = &t->keys[t->n_keys++];
    kv->key = dup_trimmed(P->text + P->pos, (size_t)(eq - P->text) - P->pos);
    kv->value = dup_trimmed(eq + 1, end - (size_t)(eq - P->text) - 1);
    advance(P, end);
    return 0;
}

static int parse_preamble(struct parser *P, struct litmus_test *t)
{
    if (parse_title(P, t))
        return -1;
    for (;;) {
        skip_blanks(P);
        if (P->pos >= P->len)
            return fail(P, P->line, "no init section: expected '{'");
        if (P->text[P->pos] == '{')
            return 0;
        if (P->text[P->pos] == '"' ? read_doc(P, t) : parse_key_value(P, t))
            return -1;
    }
}

/* ---- init section --------------------------------------------------------- */

static int parse_init(struct parser *P, struct litmus_test *t)
{
    const char *close = memchr(P->text + P->pos, '}', P->len - P->pos);
    struct lexer lx;

    if (!close)
        return fail(P, P->line, "init section '{' is never closed with '}'");
    if (lex_init(&lx, P->file, P->text + P->pos + 1, (size_t)(close - P->text) - P->pos - 1,
                 P->line, P->err, P->errlen) ||
        litmus_parse_init_items(&lx, t))
        return -1;
    advance(P, (size_t)(close - P->text) + 1);
    return 0;
}

/* ---- thread columns --------------------------------------------------------- */

/* A cell of a row: where its text is, the line it starts on (for the
 * cell's own lexer) and the line of its first character that is not blank
 * (for messages about the cell as a whole). */
struct cell {
    size_t start, end;
    int start_line, text_line;
};

static const char *const tail_words[] = { "exists", "forall", "locations", "filter" };

/* Does the line at p start (after blanks) with a word of the tail? */
static bool tail_starts(const struct parser *P, size_t p)
{
    while (p < P->len && (P->text[p] == ' ' || P->text[p] == '\t'))
        p++;
    if (p < P->len && P->text[p] == '~')
        return true;
    for (size_t i = 0; i < sizeof(tail_words) / sizeof(tail_words[0]); i++) {
        size_t n = strlen(tail_words[i]);

        if (P->len - p >= n && !strncmp(P->text + p, tail_words[i], n) &&
            (p + n == P->len || !(isalnum((unsigned char)P->text[p + n]) ||
                                  P->text[p + n] == '_')))
            return true;
    }
    return false;
}

static size_t find_tail(const struct parser *P)
{
    size_t p = P->pos;

    for (;;) {
        size_t nl = line_end(P, p);

        if (nl >= P->len)
            return P->len;
        p = nl + 1;
        if (tail_starts(P, p))
            return p;
    }
}

static int check_header_cell(struct parser *P, const char *s, size_t len, int line, size_t col)
{
    char want[24];
    char *got = dup_trimmed(s, len);
    int rc = 0;

    snprintf(want, sizeof(want), "P%zu", col);
    if (strcmp(got, want))
        rc = fail(P, line, "bad thread name '%.20s' in column %zu, expected '%s'", got, col, want);
    free(got);
    return rc;
}

/* The header row "P0 | P1 ;" fixes how many columns every row has. */
static int header_row(struct parser *P, struct litmus_test *t, const struct cell *cells,
                      size_t n_cells)
{
    if (n_cells > LITMUS_MAX_COLUMNS)
        return fail(P, cells[0].text_line, "too many threads");
    for (size_t c = 0; c < n_cells; c++)
        if (check_header_cell(P, P->text + cells[c].start, cells[c].end - cells[c].start,
                              cells[c].text_line, c))
            return -1;
    t->threads = xcalloc(n_cells, sizeof(*t->threads));
    t->n_threads = n_cells;
    return 0;
}

static int code_row(struct parser *P, struct litmus_test *t, const struct cell *cells,
                    size_t n_cells)
{
    if (n_cells != t->n_threads)
        return fail(P, cells[0].text_line, "row has %zu cells, expected %zu", n_cells,
                    t->n_threads);
    for (size_t c = 0; c < n_cells; c++)
        if (litmus_parse_cell(P->file, P->text + cells[c].start, cells[c].end - cells[c].start,
                              cells[c].start_line, &t->threads[c], P->err, P->errlen))
            return -1;
    return 0;
}

static bool blank(const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if (!isspace((unsigned char)s[i]))
            return false;
    return true;
}

/* One row [P->pos, end): cut at '|', then header or code. */
static int parse_row(struct parser *P, struct litmus_test *t, size_t end)
{
    struct cell cells[LITMUS_MAX_COLUMNS + 1];
    size_t n = 0;

    if (blank(P->text + P->pos, end - P->pos) && !t->threads)
        return 0;
    for (;;) {
        size_t bar = P->pos;

        while (bar < end && P->text[bar] != '|')
            bar++;
        if (n == LITMUS_MAX_COLUMNS + 1)
            return fail(P, P->line, "too many columns");
        cells[n] = (struct cell){ .start = P->pos, .end = bar, .start_line = P->line };
        skip_blanks_before(P, bar);
        cells[n++].text_line = P->line;
        advance(P, bar);
        if (bar == end)
            break;
        advance(P, bar + 1);
    }
    return t->threads ? code_row(P, t, cells, n) : header_row(P, t, cells, n);
}

static int parse_threads(struct parser *P, struct litmus_test *t, size_t tail)
{
    for (;;) {
        const char *semi = memchr(P->text + P->pos, ';', tail - P->pos);

        if (!semi)
            break;
        if (parse_row(P, t, (size_t)(semi - P->text)))
            return -1;
        advance(P, (size_t)(semi - P->text) + 1);
    }
    if (!blank(P->text + P->pos, tail - P->pos)) {
        skip_blanks(P);
        return fail(P, P->line, "row does not end with ';'");
    }
    if (!t->threads) {
        skip_blanks(P);
        return fail(P, P->line, "no thread columns: expected a row 'P0 | P1 ... ;'");
    }
    advance(P, tail);
    return 0;
}

/* ---- tail: locations, filter, quantifier + condition ---------------------- */

struct thread_check {
    size_t n_threads;
    int bad;  /* the first thread number past the last column, or -1 */
};

static void note_bad_thread(const struct litmus_cond *atom, void *ctx)
{
    struct thread_check *tc = ctx;

    if (atom->lhs.kind == LITMUS_LHS_REG && (size_t)atom->lhs.thread >= tc->n_threads &&
        tc->bad < 0)
        tc->bad = atom->lhs.thread;
}

static int check_cond_threads(struct lexer *lx, const struct litmus_test *t,
                              const struct litmus_cond *c, int line, const char *what)
{
    struct thread_check tc = { .n_threads = t->n_threads, .bad = -1 };

    litmus_cond_for_each_atom(c, note_bad_thread, &tc);
    if (tc.bad < 0)
        return 0;
    return litmus_fail(lx->err, lx->errlen, lx->file, line,
                       "the %s names thread %d, the test has %zu", what, tc.bad, t->n_threads);
}

static int parse_locations(struct lexer *lx, struct litmus_test *t)
{
    if (lex_next(lx) || lex_expect(lx, "[", "after 'locations'"))
        return -1;
    while (!lex_is(lx, "]")) {
        struct litmus_lhs lhs;

        if (lex_parse_lhs(lx, &lhs)) {
            litmus_lhs_clear(&lhs);
            return -1;
        }
        t->observed = xrealloc(t->observed, (t->n_observed + 1) * sizeof(*t->observed));
        t->observed[t->n_observed++] = lhs;
        if (lhs.kind == LITMUS_LHS_REG && (size_t)lhs.thread >= t->n_threads)
            return lex_fail(lx, "locations names thread %d, the test has %zu", lhs.thread,
                            t->n_threads);
        if (!lex_is(lx, "]") && lex_expect(lx, ";", "between locations"))
            return -1;
    }
    return lex_next(lx);
}

static int parse_quantifier(struct lexer *lx, struct litmus_test *t)
{
    char what[64];

    t->cond_line = lx->tok.line;
    if (lex_is(lx, "~")) {
        if (lex_next(lx))
            return -1;
        if (!lex_is_name(lx, "exists"))
            return lex_fail(lx, "expected 'exists' after '~', found %s",
                            lex_describe(lx, what, sizeof(what)));
        t->quantifier = LITMUS_QUANT_NOT_EXISTS;
    } else {
        t->quantifier = lex_is_name(lx, "forall") ? LITMUS_QUANT_FORALL : LITMUS_QUANT_EXISTS;
    }
    if (lex_next(lx) || litmus_cond_parse_lex(lx, &t->cond) ||
        check_cond_threads(lx, t, t->cond, t->cond_line, "condition"))
        return -1;
    if (lex_is(lx, ";") && lex_next(lx))
        return -1;
    if (lx->tok.kind != LEX_END)
        return lex_fail(lx, "unexpected %s after the final condition",
                        lex_describe(lx, what, sizeof(what)));
    return 0;
}

static int parse_tail(struct parser *P, struct litmus_test *t)
{
    struct lexer lx;
    char what[64];

    if (lex_init(&lx, P->file, P->text + P->pos, P->len - P->pos, P->line, P->err, P->errlen))
        return -1;
    for (;;) {
        if (lx.tok.kind == LEX_END)
            return fail(P, last_line(P), "missing final condition (exists, ~exists or forall)");
        if (lex_is_name(&lx, "locations") && !t->observed) {
            if (parse_locations(&lx, t))
                return -1;
        } else if (lex_is_name(&lx, "filter") && !t->filter) {
            int line = lx.tok.line;

            if (lex_next(&lx) || litmus_cond_parse_lex(&lx, &t->filter) ||
                check_cond_threads(&lx, t, t->filter, line, "filter"))
                return -1;
        } else if (lex_is_name(&lx, "exists") || lex_is_name(&lx, "forall") ||
                   lex_is(&lx, "~")) {
            return parse_quantifier(&lx, t);
        } else {
            return lex_fail(&lx, "expected locations, filter, exists, ~exists or forall, "
                            "found %s", lex_describe(&lx, what, sizeof(what)));
        }
    }
}

/* ---- the whole file ------------------------------------------------------- */

int litmus_parse_string(const char *file, const char *text, struct litmus_test *t,
                        char *err, size_t errlen)
{
    struct parser P = { .file = file, .text = xstrdup(text), .len = strlen(text), .line = 1,
                        .err = err, .errlen = errlen };
    int rc;

    *t = (struct litmus_test){ .file = xstrdup(file) };
    rc = strip_comments(&P) || parse_preamble(&P, t) || parse_init(&P, t) ||
         parse_threads(&P, t, find_tail(&P)) || parse_tail(&P, t) ||
         litmus_finish_test(t, err, errlen);
    free(P.text);
    if (rc) {
        litmus_test_free(t);
        return -1;
    }
    return 0;
}

int litmus_read_text(const char *path, char **text, char *err, size_t errlen)
{
    size_t len;
    char *buf = file_read_all(path, 0, &len, err, errlen);

    *text = NULL;
    if (!buf)
        return -1;
    if (strlen(buf) != len) {
        snprintf(err, errlen, "%s: contains a NUL byte, not a litmus test", path);
        free(buf);
        return -1;
    }
    *text = buf;
    return 0;
}

int litmus_parse_file(const char *path, struct litmus_test *t, char *err, size_t errlen)
{
    char *text;
    int rc;

    *t = (struct litmus_test){ 0 };
    if (litmus_read_text(path, &text, err, errlen))
        return -1;
    rc = litmus_parse_string(path, text, t, err, errlen);
    free(text);
    return rc;
}
