/*
 * alloc.c — symbolic registers (%x0) get real ones, thread by thread.
 *
 * Generated tests write "LDR R0,[%x0]" with "%x0=x" in the init section:
 * the tool that runs the test picks a register that holds x's address.
 * The rule here is the simplest that is always right: a register is free
 * for a thread when the thread never names it itself, in its code, in its
 * "N:Rk=" init items, or in the condition, filter or `locations` (a
 * register that is observed at the end must keep its own value). Symbols
 * take the lowest free register of the pool in order of first use. Two
 * threads using %x0 get a register each; the name is per thread.
 */
#include "litmus/lex.h"

#include "util/fatal.h"

#include <stdlib.h>
#include <string.h>

static uint16_t bit(int reg)
{
    return reg >= 0 && reg < 16 ? (uint16_t)(1u << reg) : 0;
}

static uint16_t code_regs(const struct litmus_thread *th, bool with_symbols)
{
    uint16_t mask = 0;

    for (size_t i = 0; i < th->n_code; i++)
        for (int k = 0; k < th->code[i].n_ops; k++) {
            const struct litmus_operand *op = &th->code[i].ops[k];

            if (op->kind != LITMUS_OPND_REG && op->kind != LITMUS_OPND_MEM)
                continue;
            if (with_symbols || !op->reg.sym)
                mask |= bit(op->reg.num);
            if (op->has_index && (with_symbols || !op->index.sym))
                mask |= bit(op->index.num);
        }
    return mask;
}

struct observed_regs {
    int thread;
    uint16_t mask;
};

static void note_observed(const struct litmus_cond *atom, void *ctx)
{
    struct observed_regs *o = ctx;

    if (atom->lhs.kind == LITMUS_LHS_REG && atom->lhs.thread == o->thread)
        o->mask |= bit(atom->lhs.reg);
}

/* Registers the test names for thread outside its code. */
static uint16_t outside_regs(const struct litmus_test *t, size_t thread)
{
    struct observed_regs o = { .thread = (int)thread };

    for (size_t i = 0; i < t->n_init; i++)
        if (t->init[i].kind == LITMUS_INIT_REG && t->init[i].thread == (int)thread)
            o.mask |= bit(t->init[i].reg);
    for (size_t i = 0; i < t->n_observed; i++)
        if (t->observed[i].kind == LITMUS_LHS_REG && t->observed[i].thread == (int)thread)
            o.mask |= bit(t->observed[i].reg);
    if (t->cond)
        litmus_cond_for_each_atom(t->cond, note_observed, &o);
    if (t->filter)
        litmus_cond_for_each_atom(t->filter, note_observed, &o);
    return o.mask;
}

uint16_t litmus_thread_regs_used(const struct litmus_test *t, size_t thread)
{
    return code_regs(&t->threads[thread], true) | outside_regs(t, thread);
}

static void reset_thread(struct litmus_thread *th)
{
    for (size_t i = 0; i < th->n_syms; i++) {
        free(th->syms[i].name);
        litmus_value_clear(&th->syms[i].value);
    }
    free(th->syms);
    th->syms = NULL;
    th->n_syms = 0;
    for (size_t i = 0; i < th->n_code; i++)
        for (int k = 0; k < th->code[i].n_ops; k++) {
            struct litmus_operand *op = &th->code[i].ops[k];

            if (op->reg.sym)
                op->reg.num = LITMUS_NO_REG;
            if (op->index.sym)
                op->index.num = LITMUS_NO_REG;
        }
}

static const struct litmus_init *symbol_init(const struct litmus_test *t, const char *name)
{
    for (size_t i = 0; i < t->n_init; i++)
        if (t->init[i].kind == LITMUS_INIT_SYMREG && !strcmp(t->init[i].name, name))
            return &t->init[i];
    return NULL;
}

static int lowest(uint16_t mask)
{
    for (int r = 0; r < 16; r++)
        if (mask & bit(r))
            return r;
    return -1;
}

/* Gives reg (a %name) its register, taking a new one on first use. */
static int assign(const struct litmus_test *t, size_t thread, int line, struct litmus_reg *reg,
                  uint16_t pool, uint16_t *taken, char *err, size_t errlen)
{
    struct litmus_thread *th = &t->threads[thread];
    const struct litmus_init *init;
    struct litmus_symreg *s;

    for (size_t i = 0; i < th->n_syms; i++)
        if (!strcmp(th->syms[i].name, reg->sym)) {
            reg->num = th->syms[i].reg;
            return 0;
        }
    init = symbol_init(t, reg->sym);
    if (!init)
        return litmus_fail(err, errlen, t->file, line,
                           "P%zu: %%%s has no initial value (no '%%%s=...' in the init section)",
                           thread, reg->sym, reg->sym);
    reg->num = lowest(pool & (uint16_t)~*taken);
    if (reg->num < 0)
        return litmus_fail(err, errlen, t->file, line,
                           "P%zu: no free register left for %%%s", thread, reg->sym);
    *taken |= bit(reg->num);
    th->syms = xrealloc(th->syms, (th->n_syms + 1) * sizeof(*th->syms));
    s = &th->syms[th->n_syms++];
    *s = (struct litmus_symreg){ .name = xstrdup(reg->sym), .reg = reg->num,
                                 .value = init->value };
    if (init->value.loc)
        s->value.loc = xstrdup(init->value.loc);
    return 0;
}

static int alloc_thread(struct litmus_test *t, size_t thread, uint16_t pool, char *err,
                        size_t errlen)
{
    struct litmus_thread *th = &t->threads[thread];
    uint16_t taken;

    reset_thread(th);
    taken = code_regs(th, false) | outside_regs(t, thread);
    for (size_t i = 0; i < th->n_code; i++)
        for (int k = 0; k < th->code[i].n_ops; k++) {
            struct litmus_operand *op = &th->code[i].ops[k];
            int line = th->code[i].line;

            if (op->kind != LITMUS_OPND_REG && op->kind != LITMUS_OPND_MEM)
                continue;
            if (op->reg.sym && assign(t, thread, line, &op->reg, pool, &taken, err, errlen))
                return -1;
            if (op->has_index && op->index.sym &&
                assign(t, thread, line, &op->index, pool, &taken, err, errlen))
                return -1;
        }
    return 0;
}

int litmus_alloc_registers(struct litmus_test *t, uint16_t pool, char *err, size_t errlen)
{
    for (size_t i = 0; i < t->n_threads; i++)
        if (alloc_thread(t, i, pool, err, errlen))
            return -1;
    return 0;
}

void litmus_thread_inits(const struct litmus_test *t, size_t thread,
                         struct litmus_value vals[16], uint16_t *mask)
{
    const struct litmus_thread *th = &t->threads[thread];

    *mask = 0;
    for (size_t i = 0; i < t->n_init; i++) {
        const struct litmus_init *it = &t->init[i];

        if (it->kind == LITMUS_INIT_REG && it->thread == (int)thread) {
            vals[it->reg] = it->value; /* borrowed from the test */
            *mask |= bit(it->reg);
        }
    }
    for (size_t i = 0; i < th->n_syms; i++) {
        vals[th->syms[i].reg] = th->syms[i].value;
        *mask |= bit(th->syms[i].reg);
    }
}
