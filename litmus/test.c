/*
 * test.c — a parsed test as a whole: final checks, its memory locations,
 * the places an outcome shows, and freeing it.
 *
 * Locations are gathered after parsing because a test names them in many
 * places (init items, register and memory values, `locations`, the
 * condition) and never declares them; the image generator needs one list
 * with an initial value each.
 */
#include "litmus/lex.h"

#include "util/fatal.h"

#include <stdlib.h>
#include <string.h>

const char *litmus_quantifier_name(enum litmus_quant q)
{
    switch (q) {
    case LITMUS_QUANT_EXISTS:     return "exists";
    case LITMUS_QUANT_NOT_EXISTS: return "~exists";
    case LITMUS_QUANT_FORALL:     return "forall";
    }
    return "?";
}

static struct litmus_location *find_location(const struct litmus_test *t, const char *name)
{
    for (size_t i = 0; i < t->n_locs; i++)
        if (!strcmp(t->locs[i].name, name))
            return &t->locs[i];
    return NULL;
}

const struct litmus_location *litmus_find_location(const struct litmus_test *t,
                                                   const char *name)
{
    return find_location(t, name);
}

static void add_location(struct litmus_test *t, const char *name)
{
    if (find_location(t, name))
        return;
    t->locs = xrealloc(t->locs, (t->n_locs + 1) * sizeof(*t->locs));
    t->locs[t->n_locs++] = (struct litmus_location){
        .name = xstrdup(name), .init = { .kind = LITMUS_VALUE_INT } };
}

static void add_atom_locations(const struct litmus_cond *atom, void *ctx)
{
    if (atom->lhs.kind == LITMUS_LHS_MEM)
        add_location(ctx, atom->lhs.loc);
    if (atom->value.kind == LITMUS_VALUE_ADDR)
        add_location(ctx, atom->value.loc);
}

static void gather_locations(struct litmus_test *t)
{
    for (size_t i = 0; i < t->n_init; i++) {
        const struct litmus_init *it = &t->init[i];

        if (it->kind == LITMUS_INIT_MEM)
            add_location(t, it->name);
        if (it->value.kind == LITMUS_VALUE_ADDR)
            add_location(t, it->value.loc);
    }
    for (size_t i = 0; i < t->n_observed; i++)
        if (t->observed[i].kind == LITMUS_LHS_MEM)
            add_location(t, t->observed[i].loc);
    if (t->filter)
        litmus_cond_for_each_atom(t->filter, add_atom_locations, t);
    litmus_cond_for_each_atom(t->cond, add_atom_locations, t);
    for (size_t i = 0; i < t->n_init; i++) {
        const struct litmus_init *it = &t->init[i];

        if (it->kind == LITMUS_INIT_MEM) {
            struct litmus_location *loc = find_location(t, it->name);

            loc->init = it->value;
            if (it->value.loc)
                loc->init.loc = xstrdup(it->value.loc);
        }
    }
}

int litmus_finish_test(struct litmus_test *t, char *err, size_t errlen)
{
    for (size_t i = 0; i < t->n_init; i++) {
        const struct litmus_init *it = &t->init[i];

        if (it->kind == LITMUS_INIT_REG && (size_t)it->thread >= t->n_threads)
            return litmus_fail(err, errlen, t->file, it->line,
                               "init names thread %d, the test has %zu", it->thread,
                               t->n_threads);
    }
    gather_locations(t);
    return 0;
}

/* ---- outcome places ------------------------------------------------------- */

struct places {
    struct litmus_lhs *items;
    size_t n;
};

static bool same_place(const struct litmus_lhs *a, const struct litmus_lhs *b)
{
    if (a->kind != b->kind)
        return false;
    if (a->kind == LITMUS_LHS_REG)
        return a->thread == b->thread && a->reg == b->reg;
    return !strcmp(a->loc, b->loc);
}

static void add_place(struct places *p, const struct litmus_lhs *lhs)
{
    for (size_t i = 0; i < p->n; i++)
        if (same_place(&p->items[i], lhs))
            return;
    p->items = xrealloc(p->items, (p->n + 1) * sizeof(*p->items));
    p->items[p->n++] = *lhs; /* borrows lhs->loc from the test */
}

static void add_atom_place(const struct litmus_cond *atom, void *ctx)
{
    add_place(ctx, &atom->lhs);
}

static int place_order(const void *pa, const void *pb)
{
    const struct litmus_lhs *a = pa, *b = pb;

    if (a->kind != b->kind)
        return a->kind == LITMUS_LHS_REG ? -1 : 1;
    if (a->kind == LITMUS_LHS_MEM)
        return strcmp(a->loc, b->loc);
    if (a->thread != b->thread)
        return a->thread - b->thread;
    return a->reg - b->reg;
}

void litmus_test_outcome_places(const struct litmus_test *t, struct litmus_lhs **out,
                                size_t *n)
{
    struct places p = { 0 };

    for (size_t i = 0; i < t->n_observed; i++)
        add_place(&p, &t->observed[i]);
    if (t->cond)
        litmus_cond_for_each_atom(t->cond, add_atom_place, &p);
    if (t->filter)
        litmus_cond_for_each_atom(t->filter, add_atom_place, &p);
    if (p.n)
        qsort(p.items, p.n, sizeof(*p.items), place_order);
    *out = p.items;
    *n = p.n;
}

/* ---- freeing ------------------------------------------------------------- */

static void thread_free(struct litmus_thread *th)
{
    for (size_t i = 0; i < th->n_code; i++)
        litmus_insn_clear(&th->code[i]);
    free(th->code);
    for (size_t i = 0; i < th->n_syms; i++) {
        free(th->syms[i].name);
        litmus_value_clear(&th->syms[i].value);
    }
    free(th->syms);
}

void litmus_test_free(struct litmus_test *t)
{
    for (size_t i = 0; i < t->n_keys; i++) {
        free(t->keys[i].key);
        free(t->keys[i].value);
    }
    for (size_t i = 0; i < t->n_init; i++) {
        free(t->init[i].name);
        free(t->init[i].type);
        litmus_value_clear(&t->init[i].value);
    }
    for (size_t i = 0; t->threads && i < t->n_threads; i++)
        thread_free(&t->threads[i]);
    for (size_t i = 0; i < t->n_locs; i++) {
        free(t->locs[i].name);
        litmus_value_clear(&t->locs[i].init);
    }
    for (size_t i = 0; i < t->n_observed; i++)
        litmus_lhs_clear(&t->observed[i]);
    litmus_cond_free(t->filter);
    litmus_cond_free(t->cond);
    free(t->keys);
    free(t->init);
    free(t->threads);
    free(t->locs);
    free(t->observed);
    free(t->file);
    free(t->arch);
    free(t->name);
    free(t->doc);
    *t = (struct litmus_test){ 0 };
}
