/*
 * hist.c — the histogram of final states, the condition, the litmus7 log.
 *
 * A final state is the descriptor's outs in print order: nouts 32-bit
 * values plus a mask saying which of them are location indexes (the value
 * was the address of that location in its iteration; printed as the
 * location's name, as litmus7 prints pointers). Distinct states live in an
 * open-addressing hash table of LRT_MAX_STATES entries with 2x as many
 * slots; the filter and the condition P are evaluated once per distinct
 * state, when it is first inserted, since they depend on the state alone.
 * States the filter rejects stay in the table (so they are not evaluated
 * again) but are neither printed nor counted as positive or negative.
 *
 * Only CPU 0 touches this file's data, after the threads of a batch have
 * finished (run.c), so there is no locking.
 *
 * The log follows litmus7 (see /work/shared/litmus/README.md), including
 * its quantifier rules, taken from what litmus7 prints:
 *   exists P   Ok/validated iff P seen;    Positive = #P, Negative = #~P
 *   ~exists P  Ok/validated iff P never;   Positive = #~P, Negative = #P
 *   forall P   Ok/validated iff ~P never;  Positive = #P, Negative = #~P
 * "*>" marks states satisfying P (for forall: violating it); Observation
 * is always Never/Sometimes/Always over P with #P and #~P.
 */
#include "lrt.h"

#define NSLOTS (2 * LRT_MAX_STATES) /* a power of two */

struct state {
    uint32_t vals[LITMUS_MAX_OUTS];
    uint32_t addr_mask;
    uint8_t p;      /* the condition's P holds */
    uint8_t kept;   /* the filter holds */
    uint64_t count;
};

static const struct litmus_desc *desc; /* set by lrt_hist_init */
static struct state states[LRT_MAX_STATES];
static unsigned nstates;
static uint16_t slots[NSLOTS]; /* 0 = empty, else state index + 1 */

void lrt_hist_init(const struct litmus_desc *d)
{
    desc = d;
    nstates = 0;
    memset(slots, 0, sizeof(slots));
}

int lrt_eval(const struct litmus_insn *prog, const uint32_t *vals, uint32_t addr_mask)
{
    uint8_t stack[LITMUS_MAX_PROG];
    unsigned sp = 0;

    for (const struct litmus_insn *in = prog;; in++) {
        /* a is an out index only for EQ, NE, EQ_LOC (check.c) */
        int is_addr = in->a < LITMUS_MAX_OUTS && ((addr_mask >> in->a) & 1u);

        switch (in->op) {
        case LITMUS_OP_END:
            return stack[sp - 1];
        case LITMUS_OP_TRUE:
            stack[sp++] = 1;
            break;
        case LITMUS_OP_FALSE:
            stack[sp++] = 0;
            break;
        case LITMUS_OP_EQ:
            stack[sp++] = !is_addr && vals[in->a] == in->b;
            break;
        case LITMUS_OP_NE:
            stack[sp++] = is_addr || vals[in->a] != in->b;
            break;
        case LITMUS_OP_EQ_LOC:
            stack[sp++] = is_addr && vals[in->a] == in->b;
            break;
        case LITMUS_OP_NOT:
            stack[sp - 1] = !stack[sp - 1];
            break;
        case LITMUS_OP_AND:
            sp--;
            stack[sp - 1] = stack[sp - 1] && stack[sp];
            break;
        case LITMUS_OP_OR:
            sp--;
            stack[sp - 1] = stack[sp - 1] || stack[sp];
            break;
        case LITMUS_OP_IMPLIES:
            sp--;
            stack[sp - 1] = !stack[sp - 1] || stack[sp];
            break;
        }
    }
}

static uint32_t hash_state(const uint32_t *vals, unsigned n, uint32_t addr_mask)
{
    uint32_t h = 2166136261u ^ addr_mask;

    for (unsigned o = 0; o < n; o++) {
        h = (h ^ vals[o]) * 16777619u;
        h ^= h >> 15;
    }
    return h;
}

static int same_state(const struct state *s, const uint32_t *vals, unsigned n,
                      uint32_t addr_mask)
{
    if (s->addr_mask != addr_mask)
        return 0;
    for (unsigned o = 0; o < n; o++)
        if (s->vals[o] != vals[o])
            return 0;
    return 1;
}

int lrt_hist_add(const uint32_t *vals, uint32_t addr_mask)
{
    unsigned n = desc->nouts;
    uint32_t i = hash_state(vals, n, addr_mask) & (NSLOTS - 1);
    struct state *s;

    for (; slots[i]; i = (i + 1) & (NSLOTS - 1)) {
        s = &states[slots[i] - 1];
        if (same_state(s, vals, n, addr_mask)) {
            s->count++;
            return 0;
        }
    }
    if (nstates == LRT_MAX_STATES)
        return -1;
    s = &states[nstates];
    memcpy(s->vals, vals, n * sizeof(vals[0]));
    s->addr_mask = addr_mask;
    s->kept = (uint8_t)lrt_eval(desc->filter, vals, addr_mask);
    s->p = (uint8_t)lrt_eval(desc->cond, vals, addr_mask);
    s->count = 1;
    slots[i] = (uint16_t)++nstates;
    return 0;
}

/* litmus7's order: the last out is the most significant; numbers as
 * signed values, before location names. */
static int compare_states(const struct state *a, const struct state *b)
{
    for (int o = (int)desc->nouts - 1; o >= 0; o--) {
        int aa = (int)((a->addr_mask >> o) & 1u), ba = (int)((b->addr_mask >> o) & 1u);
        int32_t av = (int32_t)a->vals[o], bv = (int32_t)b->vals[o];

        if (aa != ba)
            return aa - ba;
        if (av != bv)
            return av < bv ? -1 : 1;
    }
    return 0;
}

/* Insertion sort of the kept states' indexes: at most LRT_MAX_STATES. */
static unsigned sorted_kept(uint16_t *order)
{
    unsigned n = 0;

    for (unsigned i = 0; i < nstates; i++) {
        unsigned j = n++;

        if (!states[i].kept) {
            n--;
            continue;
        }
        while (j > 0 && compare_states(&states[order[j - 1]], &states[i]) > 0) {
            order[j] = order[j - 1];
            j--;
        }
        order[j] = (uint16_t)i;
    }
    return n;
}

/* rt_printf formats into 512 bytes; a state line can be longer, so it is
 * printed one item at a time. Only CPU 0 prints at this point. */
static void print_state(const struct state *s, int star)
{
    rt_printf("%-6llu%c>", (unsigned long long)s->count, star ? '*' : ':');
    for (unsigned o = 0; o < desc->nouts; o++) {
        const char *sep = o + 1 < desc->nouts ? " " : "";

        if ((s->addr_mask >> o) & 1u)
            rt_printf("%s=%s;%s", desc->outs[o].label, desc->loc_name[s->vals[o]], sep);
        else
            rt_printf("%s=%ld;%s", desc->outs[o].label, (long)(int32_t)s->vals[o], sep);
    }
    rt_printf("\n");
}

/* Prints s, which may be longer than rt_printf's 512-byte line (the
 * condition text holds up to LITMUS_TEXT_LEN - 1 characters), in pieces:
 * the bytes on the UART are the same. rt_printf has no "%.*s", so each
 * piece is copied out first. */
#define PIECE 256

static void print_long(const char *s)
{
    char piece[PIECE + 1];

    while (*s) {
        size_t n = 0;

        while (n < PIECE && s[n]) {
            piece[n] = s[n];
            n++;
        }
        piece[n] = '\0';
        rt_printf("%s", piece);
        s += n;
    }
}

static void print_time(const struct litmus_desc *d, uint64_t ticks)
{
    uint64_t freq = rt_tick_freq() ? rt_tick_freq() : 1;
    uint64_t cs = (ticks * 100 + freq / 2) / freq;

    rt_printf("Time %s %llu.%02llu\n", d->name, (unsigned long long)(cs / 100),
              (unsigned long long)(cs % 100));
}

int lrt_print_log(const struct litmus_desc *d, uint64_t ticks)
{
    static uint16_t order[LRT_MAX_STATES];
    unsigned n = sorted_kept(order);
    uint64_t ptrue = 0, pfalse = 0, pos, neg;
    int forall = d->quantifier == LITMUS_FORALL, ok;

    for (unsigned i = 0; i < n; i++) {
        if (states[order[i]].p)
            ptrue += states[order[i]].count;
        else
            pfalse += states[order[i]].count;
    }
    if (d->quantifier == LITMUS_EXISTS)
        ok = ptrue > 0;
    else if (d->quantifier == LITMUS_NOT_EXISTS)
        ok = ptrue == 0;
    else
        ok = pfalse == 0;
    pos = d->quantifier == LITMUS_NOT_EXISTS ? pfalse : ptrue;
    neg = d->quantifier == LITMUS_NOT_EXISTS ? ptrue : pfalse;

    rt_printf("Test %s %s\n", d->name, d->verdict);
    rt_printf("Histogram (%u states)\n", n);
    for (unsigned i = 0; i < n; i++)
        print_state(&states[order[i]], forall ? !states[order[i]].p : states[order[i]].p);
    rt_printf("%s\n\nWitnesses\n", ok ? "Ok" : "No");
    rt_printf("Positive: %llu, Negative: %llu\n", (unsigned long long)pos,
              (unsigned long long)neg);
    rt_printf("Condition ");
    print_long(d->cond_text);
    rt_printf(" is %svalidated\n", ok ? "" : "NOT ");
    rt_printf("Observation %s %s %llu %llu\n", d->name,
              !ptrue ? "Never" : !pfalse ? "Always" : "Sometimes",
              (unsigned long long)ptrue, (unsigned long long)pfalse);
    print_time(d, ticks);
    /* Exit status: a universal property (~exists, forall) seen violated. */
    return d->quantifier != LITMUS_EXISTS && !ok ? RT_EXIT_FAIL : RT_EXIT_PASS;
}

/* Iterations the filter removed, for the Key=value lines. */
uint64_t lrt_hist_filtered(void)
{
    uint64_t n = 0;

    for (unsigned i = 0; i < nstates; i++)
        if (!states[i].kept)
            n += states[i].count;
    return n;
}
