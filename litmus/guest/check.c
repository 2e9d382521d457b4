/*
 * check.c — refuse a malformed descriptor before any of it is used.
 *
 * The descriptor arrives as bytes the host wrote into the image, so every
 * count, index, enum and string is checked here once; run.c and hist.c then
 * index arrays with these values without further checks. The condition and
 * the filter are checked as RPN programs: every operand in range, no stack
 * underflow, an END that leaves exactly one value. Magic 0 (no test patched
 * in) is main.c's business, not a malformed descriptor.
 */
#include "lrt.h"

#define BX_LR 0xe12fff1eu

static int fail(char *why, size_t len, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int fail(char *why, size_t len, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    rt_vsnprintf(why, len, fmt, ap);
    va_end(ap);
    return -1;
}

static int terminated(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!s[i])
            return 1;
    return 0;
}

static int check_prog(const struct litmus_desc *d, const struct litmus_insn *p,
                      const char *name, char *why, size_t len)
{
    unsigned depth = 0;

    for (unsigned pc = 0; pc < LITMUS_MAX_PROG; pc++) {
        const struct litmus_insn *in = &p[pc];
        unsigned need = 0;

        switch (in->op) {
        case LITMUS_OP_END:
            if (depth != 1)
                return fail(why, len, "%s: END leaves %u values", name, depth);
            return 0;
        case LITMUS_OP_TRUE:
        case LITMUS_OP_FALSE:
            break;
        case LITMUS_OP_EQ:
        case LITMUS_OP_NE:
        case LITMUS_OP_EQ_LOC:
            if (in->a >= d->nouts || (in->op == LITMUS_OP_EQ_LOC && in->b >= d->nlocs))
                return fail(why, len, "%s: operand out of range at %u", name, pc);
            break;
        case LITMUS_OP_NOT:
            need = 1;
            break;
        case LITMUS_OP_AND:
        case LITMUS_OP_OR:
        case LITMUS_OP_IMPLIES:
            need = 2;
            break;
        default:
            return fail(why, len, "%s: unknown op %lu at %u", name, (unsigned long)in->op, pc);
        }
        if (depth < need)
            return fail(why, len, "%s: stack underflow at %u", name, pc);
        depth = depth - need + 1;
    }
    return fail(why, len, "%s: no END in %d instructions", name, LITMUS_MAX_PROG);
}

static int check_thread(const struct litmus_desc *d, unsigned t, char *why, size_t len)
{
    const struct litmus_thread_desc *th = &d->threads[t];

    if (th->ncode < 1 || th->ncode > LITMUS_MAX_CODE)
        return fail(why, len, "thread %u: ncode %lu", t, (unsigned long)th->ncode);
    if (th->code[th->ncode - 1] != BX_LR)
        return fail(why, len, "thread %u: the code does not end with BX LR (last word %08lx)",
                    t, (unsigned long)th->code[th->ncode - 1]);
    for (unsigned r = 0; r < LITMUS_NREGS; r++) {
        if (th->reg_kind[r] > LITMUS_REG_LOC)
            return fail(why, len, "thread %u: R%u has kind %lu", t, r,
                        (unsigned long)th->reg_kind[r]);
        if (th->reg_kind[r] == LITMUS_REG_LOC && th->reg_value[r] >= d->nlocs)
            return fail(why, len, "thread %u: R%u points to location %lu of %lu", t, r,
                        (unsigned long)th->reg_value[r], (unsigned long)d->nlocs);
    }
    return 0;
}

static int check_locs(const struct litmus_desc *d, char *why, size_t len)
{
    for (unsigned k = 0; k < d->nlocs; k++) {
        if (!terminated(d->loc_name[k], LITMUS_LABEL_LEN) || !d->loc_name[k][0])
            return fail(why, len, "location %u: name empty or not terminated", k);
        if (d->loc_kind[k] > LITMUS_LOC_ADDR)
            return fail(why, len, "location %u: init kind %lu", k,
                        (unsigned long)d->loc_kind[k]);
        if (d->loc_kind[k] == LITMUS_LOC_ADDR && d->loc_init[k] >= d->nlocs)
            return fail(why, len, "location %u starts with the address of location %lu of %lu",
                        k, (unsigned long)d->loc_init[k], (unsigned long)d->nlocs);
    }
    return 0;
}

static int check_outs(const struct litmus_desc *d, char *why, size_t len)
{
    for (unsigned o = 0; o < d->nouts; o++) {
        const struct litmus_out_desc *out = &d->outs[o];

        if (!terminated(out->label, LITMUS_LABEL_LEN) || !out->label[0])
            return fail(why, len, "out %u: label empty or not terminated", o);
        if (out->kind == LITMUS_OUT_REG) {
            if (out->thread >= d->nthreads || out->reg >= LITMUS_NREGS)
                return fail(why, len, "out %u: %lu:R%lu out of range", o,
                            (unsigned long)out->thread, (unsigned long)out->reg);
        } else if (out->kind == LITMUS_OUT_LOC) {
            if (out->loc >= d->nlocs)
                return fail(why, len, "out %u: location %lu out of range", o,
                            (unsigned long)out->loc);
        } else {
            return fail(why, len, "out %u: kind %lu", o, (unsigned long)out->kind);
        }
    }
    return 0;
}

int lrt_check(const struct litmus_desc *d, char *why, size_t len)
{
    if (d->magic != LITMUS_DESC_MAGIC)
        return fail(why, len, "descriptor magic %08lx, expected %08lx",
                    (unsigned long)d->magic, (unsigned long)LITMUS_DESC_MAGIC);
    if (d->version != LITMUS_DESC_VERSION)
        return fail(why, len, "descriptor version %lu, this runtime reads %lu",
                    (unsigned long)d->version, (unsigned long)LITMUS_DESC_VERSION);
    if (d->size != sizeof(*d))
        return fail(why, len, "descriptor size %lu, this runtime expects %lu",
                    (unsigned long)d->size, (unsigned long)sizeof(*d));
    if (!terminated(d->name, LITMUS_NAME_LEN) || !d->name[0] ||
        !terminated(d->verdict, sizeof(d->verdict)) ||
        !terminated(d->cond_text, LITMUS_TEXT_LEN))
        return fail(why, len, "name empty, or name, verdict or condition not terminated");
    if (d->nthreads < 1 || d->nthreads > LITMUS_MAX_THREADS)
        return fail(why, len, "nthreads %lu (1..%d)", (unsigned long)d->nthreads,
                    LITMUS_MAX_THREADS);
    if (d->nlocs > LITMUS_MAX_LOCS || d->nouts > LITMUS_MAX_OUTS)
        return fail(why, len, "nlocs %lu or nouts %lu too large", (unsigned long)d->nlocs,
                    (unsigned long)d->nouts);
    if (d->quantifier > LITMUS_FORALL)
        return fail(why, len, "quantifier %lu", (unsigned long)d->quantifier);
    if (check_locs(d, why, len) < 0)
        return -1;
    for (unsigned t = 0; t < d->nthreads; t++)
        if (check_thread(d, t, why, len) < 0)
            return -1;
    if (check_outs(d, why, len) < 0)
        return -1;
    if (check_prog(d, d->cond, "condition", why, len) < 0)
        return -1;
    return check_prog(d, d->filter, "filter", why, len);
}
