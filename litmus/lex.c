/*
 * lex.c — tokens for the litmus parsers, and the few phrases they share
 * (a thread's register, a place with a final value, a value).
 *
 * Blanks (spaces, tabs, CR, newlines) separate tokens; a newline bumps the
 * line count. Numbers are decimal or 0x-hex and must fit 32 bits: a sign
 * is a separate '-' token that lex_parse_value() folds in. Two-character
 * operators of the condition language are tried before single characters.
 */
#include "litmus/lex.h"

#include "util/fatal.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const char *const two_char_puncts[] = { "/\\", "\\/", "=>", "<>" };
static const char single_char_puncts[] = "()[]:;=~-+,#%{}|.&*!";

int litmus_fail(char *err, size_t errlen, const char *file, int line, const char *fmt, ...)
{
    va_list ap;
    int n = snprintf(err, errlen, "%s:%d: ", file, line);

    if (n >= 0 && (size_t)n < errlen) {
        va_start(ap, fmt);
        vsnprintf(err + n, errlen - (size_t)n, fmt, ap);
        va_end(ap);
    }
    return -1;
}

int lex_fail(struct lexer *lx, const char *fmt, ...)
{
    va_list ap;
    int n = snprintf(lx->err, lx->errlen, "%s:%d: ", lx->file, lx->tok.line);

    if (n >= 0 && (size_t)n < lx->errlen) {
        va_start(ap, fmt);
        vsnprintf(lx->err + n, lx->errlen - (size_t)n, fmt, ap);
        va_end(ap);
    }
    return -1;
}

static void skip_blanks(struct lexer *lx)
{
    while (lx->p < lx->end && isspace((unsigned char)*lx->p)) {
        if (*lx->p == '\n')
            lx->line++;
        lx->p++;
    }
}

static int scan_number(struct lexer *lx)
{
    const char *p = lx->p;
    int base = 10;
    uint64_t v = 0;

    if (lx->end - p > 2 && p[0] == '0' && (p[1] == 'x' || p[1] == 'X') &&
        isxdigit((unsigned char)p[2])) {
        base = 16;
        p += 2;
    }
    for (; p < lx->end && (base == 16 ? isxdigit((unsigned char)*p) : isdigit((unsigned char)*p));
         p++) {
        int d = isdigit((unsigned char)*p) ? *p - '0' : tolower((unsigned char)*p) - 'a' + 10;

        v = v * (uint64_t)base + (uint64_t)d;
        if (v > 0xffffffffu) {
            lx->tok.text = lx->p;
            lx->tok.len = (size_t)(p - lx->p + 1);
            return lex_fail(lx, "number '%.*s...' does not fit in 32 bits",
                            (int)lx->tok.len, lx->tok.text);
        }
    }
    lx->tok.kind = LEX_NUM;
    lx->tok.num = v;
    lx->tok.len = (size_t)(p - lx->p);
    lx->p = p;
    return 0;
}

static bool scan_punct(struct lexer *lx)
{
    for (size_t i = 0; i < sizeof(two_char_puncts) / sizeof(two_char_puncts[0]); i++)
        if (lx->end - lx->p >= 2 && memcmp(lx->p, two_char_puncts[i], 2) == 0) {
            lx->tok.len = 2;
            break;
        }
    if (!lx->tok.len && *lx->p && strchr(single_char_puncts, *lx->p))
        lx->tok.len = 1;
    if (!lx->tok.len)
        return false;
    lx->tok.kind = LEX_PUNCT;
    lx->p += lx->tok.len;
    return true;
}

int lex_next(struct lexer *lx)
{
    unsigned char c;
    int line_before = lx->line;

    skip_blanks(lx);
    lx->tok = (struct lex_token){ .kind = LEX_END, .text = lx->p, .line = lx->line };
    if (lx->p >= lx->end) {
        lx->tok.line = line_before; /* "end of input" is where the text ends */
        return 0;
    }
    c = (unsigned char)*lx->p;
    if (isalpha(c) || c == '_') {
        const char *p = lx->p;

        while (p < lx->end && (isalnum((unsigned char)*p) || *p == '_'))
            p++;
        lx->tok.kind = LEX_NAME;
        lx->tok.len = (size_t)(p - lx->p);
        lx->p = p;
        return 0;
    }
    if (isdigit(c))
        return scan_number(lx);
    if (scan_punct(lx))
        return 0;
    if (isprint(c))
        return lex_fail(lx, "unexpected character '%c'", c);
    return lex_fail(lx, "unexpected byte 0x%02x", c);
}

int lex_init(struct lexer *lx, const char *file, const char *text, size_t len, int line,
             char *err, size_t errlen)
{
    *lx = (struct lexer){ .file = file, .p = text, .end = text + len, .line = line,
                          .err = err, .errlen = errlen };
    return lex_next(lx);
}

bool lex_is(const struct lexer *lx, const char *punct)
{
    return lx->tok.kind == LEX_PUNCT && lx->tok.len == strlen(punct) &&
           memcmp(lx->tok.text, punct, lx->tok.len) == 0;
}

bool lex_is_name(const struct lexer *lx, const char *name)
{
    return lx->tok.kind == LEX_NAME && lx->tok.len == strlen(name) &&
           strncasecmp(lx->tok.text, name, lx->tok.len) == 0;
}

const char *lex_describe(const struct lexer *lx, char *buf, size_t len)
{
    if (lx->tok.kind == LEX_END)
        snprintf(buf, len, "end of input");
    else
        snprintf(buf, len, "'%.*s'", (int)(lx->tok.len > 40 ? 40 : lx->tok.len), lx->tok.text);
    return buf;
}

int lex_expect(struct lexer *lx, const char *punct, const char *context)
{
    char what[64];

    if (!lex_is(lx, punct))
        return lex_fail(lx, "expected '%s' %s, found %s", punct, context,
                        lex_describe(lx, what, sizeof(what)));
    return lex_next(lx);
}

char *lex_strdup(const struct lex_token *tok)
{
    char *s = xmalloc(tok->len + 1);

    memcpy(s, tok->text, tok->len);
    s[tok->len] = '\0';
    return s;
}

int lex_register(const struct lex_token *tok)
{
    int n = 0;

    if (tok->kind != LEX_NAME || tok->len < 2 || tok->len > 3 ||
        (tok->text[0] != 'R' && tok->text[0] != 'r'))
        return -1;
    for (size_t i = 1; i < tok->len; i++) {
        if (!isdigit((unsigned char)tok->text[i]))
            return -1;
        n = n * 10 + (tok->text[i] - '0');
    }
    if (tok->len == 3 && tok->text[1] == '0')
        return -1; /* "R01" is not a register name */
    return n <= 15 ? n : -1;
}

/* "1" or "P1" as a thread number. */
static int thread_number(const struct lex_token *tok)
{
    uint64_t n = 0;

    if (tok->kind == LEX_NUM)
        n = tok->num;
    else if (tok->kind == LEX_NAME && tok->len >= 2 && tok->len <= 4 &&
             (tok->text[0] == 'P' || tok->text[0] == 'p')) {
        for (size_t i = 1; i < tok->len; i++) {
            if (!isdigit((unsigned char)tok->text[i]))
                return -1;
            n = n * 10 + (uint64_t)(tok->text[i] - '0');
        }
    } else
        return -1;
    return n < LITMUS_MAX_COLUMNS ? (int)n : -1;
}

int lex_parse_thread_reg(struct lexer *lx, int *thread, int *reg)
{
    char what[64];

    *thread = thread_number(&lx->tok);
    if (*thread < 0)
        return lex_fail(lx, "expected a thread number (0..%d or P0..P%d), found %s",
                        LITMUS_MAX_COLUMNS - 1, LITMUS_MAX_COLUMNS - 1,
                        lex_describe(lx, what, sizeof(what)));
    if (lex_next(lx) || lex_expect(lx, ":", "after the thread number"))
        return -1;
    *reg = lex_register(&lx->tok);
    if (*reg < 0)
        return lex_fail(lx, "expected a register R0..R15, found %s",
                        lex_describe(lx, what, sizeof(what)));
    return lex_next(lx);
}

/* Is the current token the start of "N:" or "PN:"? Looks one char ahead. */
bool lex_at_thread_prefix(const struct lexer *lx)
{
    const char *p = lx->p;

    if (thread_number(&lx->tok) < 0)
        return false;
    while (p < lx->end && isspace((unsigned char)*p))
        p++;
    return p < lx->end && *p == ':';
}

int lex_parse_lhs(struct lexer *lx, struct litmus_lhs *lhs)
{
    char what[64];

    *lhs = (struct litmus_lhs){ .kind = LITMUS_LHS_MEM };
    if (lex_at_thread_prefix(lx)) {
        lhs->kind = LITMUS_LHS_REG;
        return lex_parse_thread_reg(lx, &lhs->thread, &lhs->reg);
    }
    if (lex_is(lx, "[")) {
        if (lex_next(lx))
            return -1;
        if (lx->tok.kind != LEX_NAME)
            return lex_fail(lx, "expected a location name after '[', found %s",
                            lex_describe(lx, what, sizeof(what)));
        lhs->loc = lex_strdup(&lx->tok);
        return lex_next(lx) || lex_expect(lx, "]", "after the location name") ? -1 : 0;
    }
    if (lx->tok.kind != LEX_NAME)
        return lex_fail(lx, "expected a register (N:Rk) or a location, found %s",
                        lex_describe(lx, what, sizeof(what)));
    lhs->loc = lex_strdup(&lx->tok);
    return lex_next(lx);
}

int lex_parse_value(struct lexer *lx, struct litmus_value *v)
{
    char what[64];
    bool negative = false;

    *v = (struct litmus_value){ .kind = LITMUS_VALUE_INT };
    if (lx->tok.kind == LEX_NAME) {
        v->kind = LITMUS_VALUE_ADDR;
        v->loc = lex_strdup(&lx->tok);
        return lex_next(lx);
    }
    if (lex_is(lx, "-")) {
        negative = true;
        if (lex_next(lx))
            return -1;
    }
    if (lx->tok.kind != LEX_NUM)
        return lex_fail(lx, "expected a value (a number or a location), found %s",
                        lex_describe(lx, what, sizeof(what)));
    if (negative && lx->tok.num > 0x80000000u)
        return lex_fail(lx, "-%llu does not fit in 32 bits", (unsigned long long)lx->tok.num);
    v->num = negative ? (uint32_t)(0u - (uint32_t)lx->tok.num) : (uint32_t)lx->tok.num;
    return lex_next(lx);
}

void litmus_value_clear(struct litmus_value *v)
{
    free(v->loc);
    v->loc = NULL;
}

void litmus_lhs_clear(struct litmus_lhs *lhs)
{
    free(lhs->loc);
    lhs->loc = NULL;
}
