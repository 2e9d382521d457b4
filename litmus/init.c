/*
 * init.c — the items of the init section, between '{' and '}'.
 *
 *   %x0=x        a symbolic register holds x's address
 *   0:R2=x       thread 0's R2 holds x's address (also P0:R2)
 *   1:R1=-1      a register holds a constant
 *   x=1  [x]=1   a location's initial value (also "int x=1")
 *   x=z          a location holds z's address
 *
 * Items are separated by ';', the last one may go without. The same
 * register, symbol or location given twice is an error rather than "last
 * one wins": in a generated test it is always a mistake.
 */
#include "litmus/lex.h"

#include "util/fatal.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const known_types[] = { "int", "int32_t", "uint32_t", "unsigned" };

static bool is_known_type(const struct lexer *lx)
{
    for (size_t i = 0; i < sizeof(known_types) / sizeof(known_types[0]); i++)
        if (lex_is_name(lx, known_types[i]))
            return true;
    return false;
}

/* A name, blanks, then another name: "long x" has a type we do not know. */
static bool name_follows(const struct lexer *lx)
{
    const char *p = lx->p;

    if (lx->tok.kind != LEX_NAME || p >= lx->end || !isspace((unsigned char)*p))
        return false;
    while (p < lx->end && isspace((unsigned char)*p))
        p++;
    return p < lx->end && (isalpha((unsigned char)*p) || *p == '_');
}

/* The item's left side: "%x0", "0:R2", "P0:R2", "[x]", "x", "int x". */
static int parse_init_target(struct lexer *lx, struct litmus_init *it)
{
    struct litmus_lhs lhs;
    char what[64];
    int rc;

    if (lex_is(lx, "%")) {
        it->kind = LITMUS_INIT_SYMREG;
        if (lex_next(lx))
            return -1;
        if (lx->tok.kind != LEX_NAME)
            return lex_fail(lx, "expected a name after '%%', found %s",
                            lex_describe(lx, what, sizeof(what)));
        it->name = lex_strdup(&lx->tok);
        return lex_next(lx);
    }
    if (lex_at_thread_prefix(lx)) {
        it->kind = LITMUS_INIT_REG;
        return lex_parse_thread_reg(lx, &it->thread, &it->reg);
    }
    it->kind = LITMUS_INIT_MEM;
    if (is_known_type(lx)) {
        it->type = lex_strdup(&lx->tok);
        if (lex_next(lx))
            return -1;
    } else if (name_follows(lx)) {
        return lex_fail(lx, "unsupported type %s", lex_describe(lx, what, sizeof(what)));
    }
    rc = lex_parse_lhs(lx, &lhs);
    it->name = lhs.loc; /* "x" or "[x]": a location */
    return rc;
}

static void init_clear(struct litmus_init *it)
{
    free(it->name);
    free(it->type);
    litmus_value_clear(&it->value);
}

static bool same_target(const struct litmus_init *a, const struct litmus_init *b)
{
    if (a->kind != b->kind)
        return false;
    if (a->kind == LITMUS_INIT_REG)
        return a->thread == b->thread && a->reg == b->reg;
    return !strcmp(a->name, b->name);
}

static int add_init_item(struct lexer *lx, struct litmus_test *t)
{
    struct litmus_init it = { .line = lx->tok.line };

    if (parse_init_target(lx, &it) || lex_expect(lx, "=", "in the init item") ||
        lex_parse_value(lx, &it.value)) {
        init_clear(&it);
        return -1;
    }
    for (size_t i = 0; i < t->n_init; i++)
        if (same_target(&t->init[i], &it)) {
            char what[48];

            if (it.kind == LITMUS_INIT_REG)
                snprintf(what, sizeof(what), "%d:R%d", it.thread, it.reg);
            else
                snprintf(what, sizeof(what), "%s%.40s", it.kind == LITMUS_INIT_SYMREG ? "%" : "",
                         it.name);
            litmus_fail(lx->err, lx->errlen, lx->file, it.line,
                        "%s is initialised twice (first on line %d)", what, t->init[i].line);
            init_clear(&it);
            return -1;
        }
    t->init = xrealloc(t->init, (t->n_init + 1) * sizeof(*t->init));
    t->init[t->n_init++] = it;
    return 0;
}

int litmus_parse_init_items(struct lexer *lx, struct litmus_test *t)
{
    char what[64];

    while (lx->tok.kind != LEX_END) {
        if (lex_is(lx, ";")) {
            if (lex_next(lx))
                return -1;
            continue;
        }
        if (add_init_item(lx, t))
            return -1;
        if (!lex_is(lx, ";") && lx->tok.kind != LEX_END)
            return lex_fail(lx, "expected ';' after the init item, found %s",
                            lex_describe(lx, what, sizeof(what)));
    }
    return 0;
}
