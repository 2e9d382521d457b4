/*
 * cond.c — the condition language: parse, evaluate, print.
 *
 *   cond    := implies
 *   implies := or [ "=>" implies ]              (right-associative)
 *   or      := and { "\/" and }
 *   and     := unary { "/\" unary }
 *   unary   := ("not" | "~") unary | primary
 *   primary := "(" cond ")" | "true" | "false" | place ("=" | "<>") value
 *
 * so /\ binds tighter than \/, which binds tighter than =>. Chains of /\
 * and \/ become one n-ary node: the campaign's long disjunctions then cost
 * no recursion depth, and nesting (parentheses, not, =>) is capped at
 * MAX_DEPTH so that no input can exhaust the stack. The printer writes the
 * fewest parentheses that give back the same tree.
 */
#include "litmus/lex.h"

#include "util/fatal.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#define MAX_DEPTH 200

enum precedence { PREC_IMPLIES = 1, PREC_OR, PREC_AND, PREC_UNARY };

static int parse_implies(struct lexer *lx, struct litmus_cond **out);

static struct litmus_cond *new_cond(enum litmus_cond_kind kind)
{
    struct litmus_cond *c = xcalloc(1, sizeof(*c));

    c->kind = kind;
    return c;
}

static void add_kid(struct litmus_cond *c, struct litmus_cond *kid)
{
    c->kids = xrealloc(c->kids, (c->n_kids + 1) * sizeof(*c->kids));
    c->kids[c->n_kids++] = kid;
}

void litmus_cond_free(struct litmus_cond *c)
{
    if (!c)
        return;
    for (size_t i = 0; i < c->n_kids; i++)
        litmus_cond_free(c->kids[i]);
    free(c->kids);
    litmus_lhs_clear(&c->lhs);
    litmus_value_clear(&c->value);
    free(c);
}

/* A keyword like "true" is a location when "=" or "<>" follows it. */
static bool keyword_here(const struct lexer *lx, const char *word)
{
    const char *p = lx->p;

    if (!lex_is_name(lx, word))
        return false;
    while (p < lx->end && isspace((unsigned char)*p))
        p++;
    return !(p < lx->end && (*p == '=' || *p == '<'));
}

static int parse_atom(struct lexer *lx, struct litmus_cond **out)
{
    struct litmus_cond *c = new_cond(LITMUS_COND_EQ);
    char what[64];

    *out = c;
    if (lex_parse_lhs(lx, &c->lhs))
        return -1;
    if (lex_is(lx, "<>"))
        c->kind = LITMUS_COND_NE;
    else if (!lex_is(lx, "="))
        return lex_fail(lx, "expected '=' or '<>' in the condition, found %s",
                        lex_describe(lx, what, sizeof(what)));
    if (lex_next(lx))
        return -1;
    return lex_parse_value(lx, &c->value);
}

static int parse_primary(struct lexer *lx, struct litmus_cond **out)
{
    if (lex_is(lx, "(")) {
        if (lex_next(lx) || parse_implies(lx, out))
            return -1;
        return lex_expect(lx, ")", "to close the parenthesis");
    }
    if (keyword_here(lx, "true") || keyword_here(lx, "false")) {
        *out = new_cond(lex_is_name(lx, "true") ? LITMUS_COND_TRUE : LITMUS_COND_FALSE);
        return lex_next(lx);
    }
    return parse_atom(lx, out);
}

static int enter(struct lexer *lx)
{
    if (++lx->depth > MAX_DEPTH)
        return lex_fail(lx, "condition nested more than %d deep", MAX_DEPTH);
    return 0;
}

static int parse_unary(struct lexer *lx, struct litmus_cond **out)
{
    int rc;

    if (!keyword_here(lx, "not") && !lex_is(lx, "~"))
        return parse_primary(lx, out);
    if (enter(lx) || lex_next(lx))
        return -1;
    *out = new_cond(LITMUS_COND_NOT);
    add_kid(*out, NULL);
    rc = parse_unary(lx, &(*out)->kids[0]);
    lx->depth--;
    return rc;
}

/* and := unary {"/\" unary}; or := and {"\/" and}: one n-ary node each. */
static int parse_chain(struct lexer *lx, struct litmus_cond **out, const char *op,
                       enum litmus_cond_kind kind,
                       int (*operand)(struct lexer *, struct litmus_cond **))
{
    struct litmus_cond *first = NULL, *node;

    *out = NULL;
    if (operand(lx, &first)) {
        *out = first;
        return -1;
    }
    if (!lex_is(lx, op)) {
        *out = first;
        return 0;
    }
    node = new_cond(kind);
    add_kid(node, first);
    *out = node;
    while (lex_is(lx, op)) {
        if (lex_next(lx))
            return -1;
        add_kid(node, NULL);
        if (operand(lx, &node->kids[node->n_kids - 1]))
            return -1;
    }
    return 0;
}

static int parse_and(struct lexer *lx, struct litmus_cond **out)
{
    return parse_chain(lx, out, "/\\", LITMUS_COND_AND, parse_unary);
}

static int parse_or(struct lexer *lx, struct litmus_cond **out)
{
    return parse_chain(lx, out, "\\/", LITMUS_COND_OR, parse_and);
}

static int parse_implies(struct lexer *lx, struct litmus_cond **out)
{
    struct litmus_cond *left = NULL, *node;
    int rc;

    if (enter(lx))
        return -1;
    rc = parse_or(lx, &left);
    *out = left;
    if (rc == 0 && lex_is(lx, "=>")) {
        node = new_cond(LITMUS_COND_IMPLIES);
        add_kid(node, left);
        add_kid(node, NULL);
        *out = node;
        rc = lex_next(lx) || parse_implies(lx, &node->kids[1]) ? -1 : 0;
    }
    lx->depth--;
    return rc;
}

int litmus_cond_parse_lex(struct lexer *lx, struct litmus_cond **out)
{
    *out = NULL;
    if (parse_implies(lx, out)) {
        litmus_cond_free(*out);
        *out = NULL;
        return -1;
    }
    return 0;
}

int litmus_cond_parse(const char *file, const char *text, struct litmus_cond **out,
                      char *err, size_t errlen)
{
    struct lexer lx;
    char what[64];

    *out = NULL;
    if (lex_init(&lx, file, text, strlen(text), 1, err, errlen) ||
        litmus_cond_parse_lex(&lx, out))
        return -1;
    if (lx.tok.kind != LEX_END) {
        litmus_cond_free(*out);
        *out = NULL;
        return lex_fail(&lx, "unexpected %s after the condition",
                        lex_describe(&lx, what, sizeof(what)));
    }
    return 0;
}

void litmus_cond_for_each_atom(const struct litmus_cond *c,
                               void (*fn)(const struct litmus_cond *atom, void *ctx), void *ctx)
{
    if (c->kind == LITMUS_COND_EQ || c->kind == LITMUS_COND_NE)
        fn(c, ctx);
    for (size_t i = 0; i < c->n_kids; i++)
        litmus_cond_for_each_atom(c->kids[i], fn, ctx);
}

/* ---- evaluation ---------------------------------------------------------- */

static int fail_plain(char *err, size_t errlen, const char *what, const struct litmus_lhs *lhs,
                      const char *loc)
{
    if (lhs && lhs->kind == LITMUS_LHS_REG)
        snprintf(err, errlen, "condition: %s %d:R%d", what, lhs->thread, lhs->reg);
    else
        snprintf(err, errlen, "condition: %s %s", what, lhs ? lhs->loc : loc);
    return -1;
}

static int eval_atom(const struct litmus_cond *c, const struct litmus_state *s, bool *holds,
                     char *err, size_t errlen)
{
    uint32_t have, want = c->value.num;
    int rc;

    if (c->lhs.kind == LITMUS_LHS_REG)
        rc = s->reg ? s->reg(s->ctx, c->lhs.thread, c->lhs.reg, &have) : -1;
    else
        rc = s->mem ? s->mem(s->ctx, c->lhs.loc, &have) : -1;
    if (rc)
        return fail_plain(err, errlen, "no final value for", &c->lhs, NULL);
    if (c->value.kind == LITMUS_VALUE_ADDR &&
        (!s->addr || s->addr(s->ctx, c->value.loc, &want)))
        return fail_plain(err, errlen, "no address for", NULL, c->value.loc);
    *holds = (have == want) == (c->kind == LITMUS_COND_EQ);
    return 0;
}

int litmus_cond_eval(const struct litmus_cond *c, const struct litmus_state *s, bool *holds,
                     char *err, size_t errlen)
{
    bool a = false, b = false;

    switch (c->kind) {
    case LITMUS_COND_TRUE:
    case LITMUS_COND_FALSE:
        *holds = c->kind == LITMUS_COND_TRUE;
        return 0;
    case LITMUS_COND_EQ:
    case LITMUS_COND_NE:
        return eval_atom(c, s, holds, err, errlen);
    case LITMUS_COND_NOT:
        if (litmus_cond_eval(c->kids[0], s, &a, err, errlen))
            return -1;
        *holds = !a;
        return 0;
    case LITMUS_COND_AND:
    case LITMUS_COND_OR:
        /* Every operand is evaluated, so a missing value is always reported,
         * not only on the outcomes that happen to reach it. */
        *holds = c->kind == LITMUS_COND_AND;
        for (size_t i = 0; i < c->n_kids; i++) {
            if (litmus_cond_eval(c->kids[i], s, &a, err, errlen))
                return -1;
            *holds = c->kind == LITMUS_COND_AND ? (*holds && a) : (*holds || a);
        }
        return 0;
    case LITMUS_COND_IMPLIES:
        if (litmus_cond_eval(c->kids[0], s, &a, err, errlen) ||
            litmus_cond_eval(c->kids[1], s, &b, err, errlen))
            return -1;
        *holds = !a || b;
        return 0;
    }
    snprintf(err, errlen, "condition: bad node kind %d", (int)c->kind);
    return -1;
}

/* ---- printing ------------------------------------------------------------ */

void litmus_value_print(FILE *f, const struct litmus_value *v)
{
    if (v->kind == LITMUS_VALUE_ADDR)
        fputs(v->loc, f);
    else
        fprintf(f, "%d", (int)(int32_t)v->num);
}

void litmus_lhs_print(FILE *f, const struct litmus_lhs *lhs)
{
    if (lhs->kind == LITMUS_LHS_REG)
        fprintf(f, "%d:R%d", lhs->thread, lhs->reg);
    else
        fputs(lhs->loc, f);
}

static int precedence(const struct litmus_cond *c)
{
    switch (c->kind) {
    case LITMUS_COND_IMPLIES: return PREC_IMPLIES;
    case LITMUS_COND_OR:      return PREC_OR;
    case LITMUS_COND_AND:     return PREC_AND;
    default:                  return PREC_UNARY;
    }
}

static void print_kid(FILE *f, const struct litmus_cond *kid, bool parens)
{
    if (parens)
        fputc('(', f);
    litmus_cond_print(f, kid);
    if (parens)
        fputc(')', f);
}

void litmus_cond_print(FILE *f, const struct litmus_cond *c)
{
    switch (c->kind) {
    case LITMUS_COND_TRUE:
    case LITMUS_COND_FALSE:
        fputs(c->kind == LITMUS_COND_TRUE ? "true" : "false", f);
        return;
    case LITMUS_COND_EQ:
    case LITMUS_COND_NE:
        litmus_lhs_print(f, &c->lhs);
        fputs(c->kind == LITMUS_COND_EQ ? "=" : "<>", f);
        litmus_value_print(f, &c->value);
        return;
    case LITMUS_COND_NOT:
        fputs("not ", f);
        print_kid(f, c->kids[0], precedence(c->kids[0]) < PREC_UNARY);
        return;
    case LITMUS_COND_AND:
    case LITMUS_COND_OR:
        for (size_t i = 0; i < c->n_kids; i++) {
            if (i)
                fputs(c->kind == LITMUS_COND_AND ? " /\\ " : " \\/ ", f);
            /* A kid of the same kind gets parentheses so that the tree,
             * not just the meaning, survives printing and parsing. */
            print_kid(f, c->kids[i], precedence(c->kids[i]) <= precedence(c));
        }
        return;
    case LITMUS_COND_IMPLIES:
        print_kid(f, c->kids[0], precedence(c->kids[0]) <= PREC_IMPLIES);
        fputs(" => ", f);
        print_kid(f, c->kids[1], false);
        return;
    }
}

char *litmus_cond_to_string(const struct litmus_cond *c)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);

    if (!f)
        fatal("open_memstream failed");
    litmus_cond_print(f, c);
    fclose(f);
    return buf;
}

int litmus_state_print(FILE *f, const struct litmus_lhs *where, size_t n,
                       const struct litmus_state *s, char *err, size_t errlen)
{
    for (size_t i = 0; i < n; i++) {
        uint32_t v;
        int rc;

        if (where[i].kind == LITMUS_LHS_REG)
            rc = s->reg ? s->reg(s->ctx, where[i].thread, where[i].reg, &v) : -1;
        else
            rc = s->mem ? s->mem(s->ctx, where[i].loc, &v) : -1;
        if (rc)
            return fail_plain(err, errlen, "no final value for", &where[i], NULL);
        litmus_lhs_print(f, &where[i]);
        fprintf(f, "=%d;%s", (int)(int32_t)v, i + 1 < n ? " " : "");
    }
    return 0;
}
