/*
 * gen.c — a parsed, allocated litmus test -> struct litmus_desc (gen.h).
 *
 * Every field of the descriptor comes from one call into the litmus
 * pipeline: the code from litmus_encode_thread() plus a final BX LR, the
 * starting registers from litmus_thread_inits(), the locations from
 * test->locs, the printed outcome items from litmus_test_outcome_places(),
 * the condition and filter from their trees, compiled to the guest's RPN
 * (enum litmus_op). Limits are checked against desc.h as each part is
 * filled, so nothing is ever cut short: a test that does not fit is an
 * error naming the test and the limit.
 *
 * The RPN for an n-ary /\ is kid0 kid1 AND kid2 AND ...: n-1 binary ops.
 * An atom whose value is a location's address compiles to EQ_LOC, which
 * matches when the final value was that location's address in its own
 * iteration (the guest places locations per iteration); `<>` with an
 * address is EQ_LOC NOT. For the same reason a location that starts with
 * another's address (`x=z`) is written as LITMUS_LOC_ADDR and the index
 * of z: the guest stores z's address of each iteration when it resets the
 * cells.
 */
#include "litmus/gen.h"

#include "litmus/lex.h"
#include "util/fatal.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#define SP_LR_MASK ((1u << 13) | (1u << 14))

/* "FILE: test NAME: message" for a test that is valid but does not fit. */
static int limit(char *err, size_t errlen, const struct litmus_test *t, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static int limit(char *err, size_t errlen, const struct litmus_test *t, const char *fmt, ...)
{
    char msg[384];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    snprintf(err, errlen, "%s: test %s: %s", t->file ? t->file : "?", t->name ? t->name : "?",
             msg);
    return LITMUS_GEN_LIMIT;
}

/* Copies src with its NUL into dst[n]; false when it does not fit. */
static bool copy_str(char *dst, size_t n, const char *src)
{
    size_t len = strlen(src);

    if (len >= n)
        return false;
    memcpy(dst, src, len + 1);
    return true;
}

const char *litmus_gen_verdict_word(uint32_t quantifier)
{
    switch (quantifier) {
    case LITMUS_EXISTS:     return "Allowed";
    case LITMUS_NOT_EXISTS: return "Forbidden";
    case LITMUS_FORALL:     return "Required";
    }
    return "?";
}

static const char *quantifier_text(uint32_t quantifier)
{
    return quantifier == LITMUS_EXISTS ? "exists"
         : quantifier == LITMUS_NOT_EXISTS ? "~exists" : "forall";
}

/* litmus7 with a kinds file: the model's verdict decides the quantifier. */
static uint32_t choose_quantifier(enum litmus_quant q, enum litmus_model model)
{
    bool reachable;

    if (q == LITMUS_QUANT_FORALL)
        return LITMUS_FORALL;
    if (model == LITMUS_MODEL_UNKNOWN)
        return q == LITMUS_QUANT_EXISTS ? LITMUS_EXISTS : LITMUS_NOT_EXISTS;
    /* Ok = the condition as written holds: for exists, P is reachable;
     * for ~exists, it is not. */
    reachable = (q == LITMUS_QUANT_EXISTS) == (model == LITMUS_MODEL_OK);
    return reachable ? LITMUS_EXISTS : LITMUS_NOT_EXISTS;
}

static int location_index(const struct litmus_test *t, const char *name)
{
    for (size_t i = 0; i < t->n_locs; i++)
        if (!strcmp(t->locs[i].name, name))
            return (int)i;
    return -1;
}

/* ---- locations and threads ----------------------------------------------- */

static int gen_locations(const struct litmus_test *t, struct litmus_desc *d, char *err,
                         size_t errlen)
{
    if (t->n_locs > LITMUS_MAX_LOCS)
        return limit(err, errlen, t, "%zu memory locations, the runtime takes at most %d",
                     t->n_locs, LITMUS_MAX_LOCS);
    for (size_t k = 0; k < t->n_locs; k++) {
        const struct litmus_location *loc = &t->locs[k];
        int target;

        if (!copy_str(d->loc_name[k], LITMUS_LABEL_LEN, loc->name))
            return limit(err, errlen, t, "location name '%s' is longer than %d characters",
                         loc->name, LITMUS_LABEL_LEN - 1);
        if (loc->init.kind == LITMUS_VALUE_INT) {
            d->loc_kind[k] = LITMUS_LOC_CONST;
            d->loc_init[k] = loc->init.num;
            continue;
        }
        target = location_index(t, loc->init.loc);
        if (target < 0) /* test.c gathers every address value: a broken test */
            fatal("gen: %s: location %s starts with the address of %s, not in the test's "
                  "list", t->file, loc->name, loc->init.loc);
        d->loc_kind[k] = LITMUS_LOC_ADDR;
        d->loc_init[k] = (uint32_t)target;
    }
    d->nlocs = (uint32_t)t->n_locs;
    return LITMUS_GEN_OK;
}

static int gen_registers(const struct litmus_test *t, size_t i, struct litmus_thread_desc *th,
                         char *err, size_t errlen)
{
    struct litmus_value vals[16];
    uint16_t mask;

    litmus_thread_inits(t, i, vals, &mask);
    for (int r = 0; r < 16; r++) {
        int loc;

        if (!(mask & (1u << r)))
            continue;
        if (r >= LITMUS_NREGS)
            return limit(err, errlen, t, "thread %zu starts with R%d set: the runtime sets "
                         "only R0-R12", i, r);
        if (vals[r].kind == LITMUS_VALUE_INT) {
            th->reg_kind[r] = LITMUS_REG_CONST;
            th->reg_value[r] = vals[r].num;
            continue;
        }
        loc = location_index(t, vals[r].loc);
        if (loc < 0) /* test.c gathers every address value: a broken test */
            fatal("gen: %s: location %s of %zu:R%d not in the test's list", t->file,
                  vals[r].loc, i, r);
        th->reg_kind[r] = LITMUS_REG_LOC;
        th->reg_value[r] = (uint32_t)loc;
    }
    return LITMUS_GEN_OK;
}

static int gen_thread(const struct litmus_test *t, size_t i, struct litmus_thread_desc *th,
                      char *err, size_t errlen)
{
    struct litmus_code code;
    int rc;

    if (litmus_thread_regs_used(t, i) & SP_LR_MASK)
        return limit(err, errlen, t, "thread %zu uses R13 (SP) or R14 (LR), which the "
                     "runtime needs to call and return", i);
    if (litmus_encode_thread(t, i, &code, err, errlen))
        return LITMUS_GEN_BAD;
    if (code.n_words + 1 > LITMUS_MAX_CODE) {
        rc = limit(err, errlen, t, "thread %zu has %zu words of code (with BX LR), the runtime "
                   "takes at most %d", i, code.n_words + 1, LITMUS_MAX_CODE);
        litmus_code_free(&code);
        return rc;
    }
    memcpy(th->code, code.words, code.n_words * sizeof(uint32_t));
    th->code[code.n_words] = LITMUS_BX_LR;
    th->ncode = (uint32_t)code.n_words + 1;
    litmus_code_free(&code);
    return gen_registers(t, i, th, err, errlen);
}

static int gen_threads(const struct litmus_test *t, struct litmus_desc *d, char *err,
                       size_t errlen)
{
    if (t->n_threads > LITMUS_MAX_THREADS)
        return limit(err, errlen, t, "%zu threads, the runtime runs at most %d (one per vCPU)",
                     t->n_threads, LITMUS_MAX_THREADS);
    if (t->n_threads == 0)
        return limit(err, errlen, t, "no threads");
    for (size_t i = 0; i < t->n_threads; i++) {
        int rc = gen_thread(t, i, &d->threads[i], err, errlen);

        if (rc)
            return rc;
    }
    d->nthreads = (uint32_t)t->n_threads;
    return LITMUS_GEN_OK;
}

/* ---- outs ------------------------------------------------------------------ */

static int gen_out(const struct litmus_test *t, const struct litmus_lhs *p,
                   struct litmus_out_desc *o, char *err, size_t errlen)
{
    char label[64];

    if (p->kind == LITMUS_LHS_REG) {
        if (p->reg >= LITMUS_NREGS)
            return limit(err, errlen, t, "the outcome shows %d:R%d, the runtime records only "
                         "R0-R12", p->thread, p->reg);
        o->kind = LITMUS_OUT_REG;
        o->thread = (uint32_t)p->thread;
        o->reg = (uint32_t)p->reg;
        snprintf(label, sizeof(label), "%d:R%d", p->thread, p->reg);
    } else {
        int loc = location_index(t, p->loc);

        if (loc < 0)
            fatal("gen: %s: outcome location %s not in the test's list", t->file, p->loc);
        o->kind = LITMUS_OUT_LOC;
        o->loc = (uint32_t)loc;
        snprintf(label, sizeof(label), "%s", p->loc);
    }
    if (!copy_str(o->label, LITMUS_LABEL_LEN, label))
        return limit(err, errlen, t, "outcome label '%s' is longer than %d characters", label,
                     LITMUS_LABEL_LEN - 1);
    return LITMUS_GEN_OK;
}

static int gen_outs(const struct litmus_test *t, struct litmus_desc *d,
                    const struct litmus_lhs *places, size_t n, char *err, size_t errlen)
{
    if (n > LITMUS_MAX_OUTS)
        return limit(err, errlen, t, "the outcome shows %zu items, the runtime prints at most %d",
                     n, LITMUS_MAX_OUTS);
    for (size_t o = 0; o < n; o++) {
        int rc = gen_out(t, &places[o], &d->outs[o], err, errlen);

        if (rc)
            return rc;
    }
    d->nouts = (uint32_t)n;
    return LITMUS_GEN_OK;
}

/* ---- conditions to RPN ------------------------------------------------------ */

struct prog {
    struct litmus_insn *code; /* LITMUS_MAX_PROG entries */
    size_t n;
    bool full;
    const struct litmus_test *t;
    const struct litmus_lhs *places;
    size_t n_places;
};

static void emit(struct prog *p, uint32_t op, uint32_t a, uint32_t b)
{
    if (p->n == LITMUS_MAX_PROG) {
        p->full = true;
        return;
    }
    p->code[p->n++] = (struct litmus_insn){ op, a, b };
}

static uint32_t place_index(const struct prog *p, const struct litmus_lhs *lhs)
{
    for (size_t o = 0; o < p->n_places; o++) {
        const struct litmus_lhs *q = &p->places[o];

        if (q->kind != lhs->kind)
            continue;
        if (q->kind == LITMUS_LHS_REG ? q->thread == lhs->thread && q->reg == lhs->reg
                                      : !strcmp(q->loc, lhs->loc))
            return (uint32_t)o;
    }
    fatal("gen: a place of the condition is not among the outcome places");
}

static void compile_atom(struct prog *p, const struct litmus_cond *c)
{
    uint32_t a = place_index(p, &c->lhs);
    int loc;

    if (c->value.kind == LITMUS_VALUE_INT) {
        emit(p, c->kind == LITMUS_COND_EQ ? LITMUS_OP_EQ : LITMUS_OP_NE, a, c->value.num);
        return;
    }
    loc = location_index(p->t, c->value.loc);
    if (loc < 0)
        fatal("gen: address of %s not among the test's locations", c->value.loc);
    emit(p, LITMUS_OP_EQ_LOC, a, (uint32_t)loc);
    if (c->kind == LITMUS_COND_NE)
        emit(p, LITMUS_OP_NOT, 0, 0);
}

static void compile(struct prog *p, const struct litmus_cond *c)
{
    uint32_t op;

    switch (c->kind) {
    case LITMUS_COND_TRUE:
        emit(p, LITMUS_OP_TRUE, 0, 0);
        return;
    case LITMUS_COND_FALSE:
        emit(p, LITMUS_OP_FALSE, 0, 0);
        return;
    case LITMUS_COND_EQ:
    case LITMUS_COND_NE:
        compile_atom(p, c);
        return;
    case LITMUS_COND_NOT:
        compile(p, c->kids[0]);
        emit(p, LITMUS_OP_NOT, 0, 0);
        return;
    case LITMUS_COND_AND:
    case LITMUS_COND_OR:
    case LITMUS_COND_IMPLIES:
        break;
    }
    op = c->kind == LITMUS_COND_AND ? LITMUS_OP_AND
       : c->kind == LITMUS_COND_OR ? LITMUS_OP_OR : LITMUS_OP_IMPLIES;
    compile(p, c->kids[0]);
    for (size_t k = 1; k < c->n_kids && !p->full; k++) {
        compile(p, c->kids[k]);
        emit(p, op, 0, 0);
    }
}

static int gen_program(const struct litmus_test *t, const struct litmus_cond *c,
                       const char *what, struct litmus_insn *code,
                       const struct litmus_lhs *places, size_t n_places, char *err,
                       size_t errlen)
{
    struct prog p = { .code = code, .t = t, .places = places, .n_places = n_places };

    if (c)
        compile(&p, c);
    else
        emit(&p, LITMUS_OP_TRUE, 0, 0);
    emit(&p, LITMUS_OP_END, 0, 0);
    if (p.full)
        return limit(err, errlen, t, "the %s needs more than %d RPN instructions", what,
                     LITMUS_MAX_PROG);
    return LITMUS_GEN_OK;
}

static int gen_cond_text(const struct litmus_test *t, struct litmus_desc *d, char *err,
                         size_t errlen)
{
    char *cond = litmus_cond_to_string(t->cond);
    int n = snprintf(d->cond_text, LITMUS_TEXT_LEN, "%s (%s)", quantifier_text(d->quantifier),
                     cond);

    free(cond);
    if (n < 0 || n >= LITMUS_TEXT_LEN) {
        memset(d->cond_text, 0, LITMUS_TEXT_LEN);
        return limit(err, errlen, t, "the condition as printed has %d characters, the log line "
                     "holds at most %d", n, LITMUS_TEXT_LEN - 1);
    }
    return LITMUS_GEN_OK;
}

static int gen_conditions(const struct litmus_test *t, struct litmus_desc *d, char *err,
                          size_t errlen)
{
    struct litmus_lhs *places;
    size_t n;
    int rc;

    litmus_test_outcome_places(t, &places, &n);
    rc = gen_outs(t, d, places, n, err, errlen);
    if (!rc)
        rc = gen_program(t, t->cond, "condition", d->cond, places, n, err, errlen);
    if (!rc)
        rc = gen_program(t, t->filter, "filter", d->filter, places, n, err, errlen);
    free(places);
    return rc ? rc : gen_cond_text(t, d, err, errlen);
}

/* ---- the descriptor ---------------------------------------------------------- */

int litmus_gen_desc(const struct litmus_test *t, enum litmus_model model,
                    struct litmus_desc *d, char *err, size_t errlen)
{
    int rc;

    memset(d, 0, sizeof(*d));
    d->magic = LITMUS_DESC_MAGIC;
    d->version = LITMUS_DESC_VERSION;
    d->size = sizeof(*d);
    if (!t->cond)
        return limit(err, errlen, t, "no final condition");
    if (!copy_str(d->name, LITMUS_NAME_LEN, t->name))
        return limit(err, errlen, t, "the name is longer than %d characters",
                     LITMUS_NAME_LEN - 1);
    d->quantifier = choose_quantifier(t->quantifier, model);
    copy_str(d->verdict, sizeof(d->verdict), litmus_gen_verdict_word(d->quantifier));
    rc = gen_locations(t, d, err, errlen);
    if (!rc)
        rc = gen_threads(t, d, err, errlen);
    if (!rc)
        rc = gen_conditions(t, d, err, errlen);
    return rc;
}

/* ---- evaluation, as the guest does it ---------------------------------------- */

bool litmus_desc_eval(const struct litmus_insn *prog, const uint32_t *vals,
                      uint32_t addr_mask)
{
    bool stack[LITMUS_MAX_PROG];
    size_t sp = 0;

    for (const struct litmus_insn *in = prog; in < prog + LITMUS_MAX_PROG; in++) {
        bool is_addr = in->a < LITMUS_MAX_OUTS && ((addr_mask >> in->a) & 1u);

        switch (in->op) {
        case LITMUS_OP_END:     return stack[sp - 1];
        case LITMUS_OP_TRUE:    stack[sp++] = true; break;
        case LITMUS_OP_FALSE:   stack[sp++] = false; break;
        case LITMUS_OP_EQ:      stack[sp++] = !is_addr && vals[in->a] == in->b; break;
        case LITMUS_OP_NE:      stack[sp++] = is_addr || vals[in->a] != in->b; break;
        case LITMUS_OP_EQ_LOC:  stack[sp++] = is_addr && vals[in->a] == in->b; break;
        case LITMUS_OP_NOT:     stack[sp - 1] = !stack[sp - 1]; break;
        case LITMUS_OP_AND:     sp--, stack[sp - 1] = stack[sp - 1] && stack[sp]; break;
        case LITMUS_OP_OR:      sp--, stack[sp - 1] = stack[sp - 1] || stack[sp]; break;
        case LITMUS_OP_IMPLIES: sp--, stack[sp - 1] = !stack[sp - 1] || stack[sp]; break;
        default:
            fatal("litmus_desc_eval: unknown op %u", (unsigned)in->op);
        }
    }
    fatal("litmus_desc_eval: no END");
}
