/*
 * interp.c — the reference backend's compiler: an optimized op list
 * becomes the compact form of interp_priv.h, and jump slots are linked.
 * The loop that runs it is interp_exec.c.
 *
 * Compilation is three walks over the live (not dead) ops:
 *  1. sizes: each op's word count, hence each label's word index;
 *  2. slots: every temp gets the interval of op indices from its first to
 *     its last appearance, widened over any loop (a backward branch) it
 *     touches so a value that goes round the loop keeps its slot; temps
 *     whose intervals do not overlap share a slot (a linear scan with a
 *     stack of free slots), which keeps the exec loop's working set small
 *     however many temps the front end created;
 *  3. encoding.
 * The scratch arrays are allocated per compilation; nothing is kept.
 */
#include "tcg/interp.h"
#include "tcg/interp_priv.h"
#include "tcg/ir_priv.h"

#include "util/fatal.h"

#include <stdlib.h>
#include <string.h>

#define NONE UINT32_MAX

/* ---- sizes -------------------------------------------------------------- */

static unsigned const_words(const struct tcg_op *op)
{
    switch (op->opc) {
    case TCG_OP_movi_i64:
    case TCG_OP_exit_tb:
        return 2;
    case TCG_OP_mb:
    case TCG_OP_set_label:
        return 0;
    case TCG_OP_brcond_i32:     /* the condition is in the opcode */
    case TCG_OP_insn_start:     /* the front end's data word is not needed */
        return 1;
    default:
        return tcg_op_defs[op->opc].n_const;
    }
}

static unsigned op_words(const struct tcg_op *op)
{
    const struct tcg_op_def *def = &tcg_op_defs[op->opc];

    if (op->dead || op->opc == TCG_OP_set_label)
        return 0;
    if (op->opc == TCG_OP_call)
        return 5 + (unsigned)op->args[1];
    return 1 + def->n_out + def->n_in + const_words(op);
}

static size_t bytes_for(size_t n_words)
{
    return (sizeof(struct interp_tb) + n_words * sizeof(uint32_t) + 7) & ~(size_t)7;
}

size_t tcg_interp_code_size(const struct tcg_ctx *s)
{
    size_t n = 0;

    for (size_t i = 0; i < s->n_ops; i++)
        n += op_words(&s->ops[i]);
    return bytes_for(n);
}

/* Word index and op index of every label; the code's length in words. */
static size_t place_labels(const struct tcg_ctx *s, uint32_t *label_word, uint32_t *label_op)
{
    size_t n = 0;

    for (size_t l = 0; l < s->n_labels; l++)
        label_word[l] = label_op[l] = NONE;
    for (size_t i = 0; i < s->n_ops; i++) {
        const struct tcg_op *op = &s->ops[i];

        if (!op->dead && op->opc == TCG_OP_set_label) {
            label_word[op->args[0]] = (uint32_t)n;
            label_op[op->args[0]] = (uint32_t)i;
        }
        n += op_words(op);
    }
    return n;
}

/* ---- slots ------------------------------------------------------------------ */

struct intervals {
    uint32_t *first, *last;   /* op indices; first == NONE: the temp is unused */
};

static void note_use(struct intervals *iv, uint64_t t, uint32_t i)
{
    if (iv->first[t] == NONE)
        iv->first[t] = i;
    iv->last[t] = i;
}

static void find_intervals(const struct tcg_ctx *s, struct intervals *iv)
{
    for (size_t t = 0; t < s->n_temps; t++)
        iv->first[t] = iv->last[t] = NONE;
    for (size_t i = 0; i < s->n_ops; i++) {
        struct tcg_op_temps t = tcg_op_temps_of(&s->ops[i]);

        if (s->ops[i].dead)
            continue;
        for (unsigned k = 0; k < t.n_out; k++)
            note_use(iv, t.out[k], (uint32_t)i);
        for (unsigned k = 0; k < t.n_in; k++)
            note_use(iv, t.in[k], (uint32_t)i);
    }
}

static uint64_t branch_label(const struct tcg_op *op)
{
    return op->opc == TCG_OP_br ? op->args[0] : op->args[3];
}

/* One pass over the backward branches: every interval that overlaps a loop
 * [label, branch] grows to cover all of it. Returns whether any grew. */
static bool widen_over_loops(const struct tcg_ctx *s, struct intervals *iv, const uint32_t *label_op)
{
    bool grew = false;

    for (size_t b = 0; b < s->n_ops; b++) {
        const struct tcg_op *op = &s->ops[b];
        uint32_t p;

        if (op->dead || (op->opc != TCG_OP_br && op->opc != TCG_OP_brcond_i32))
            continue;
        p = label_op[branch_label(op)];
        if (p > b)
            continue;
        for (size_t t = 0; t < s->n_temps; t++) {
            if (iv->first[t] == NONE || iv->first[t] > b || iv->last[t] < p)
                continue;
            grew |= iv->first[t] > p || iv->last[t] < b;
            iv->first[t] = iv->first[t] < p ? iv->first[t] : p;
            iv->last[t] = iv->last[t] > b ? iv->last[t] : (uint32_t)b;
        }
    }
    return grew;
}

/* The temps with a key (not NONE), ordered by key: a counting sort. */
static void order_by(const uint32_t *key, size_t n_temps, size_t n_ops, uint32_t *out)
{
    uint32_t *start = xcalloc(n_ops + 1, sizeof(*start));

    for (size_t t = 0; t < n_temps; t++)
        if (key[t] != NONE)
            start[key[t] + 1]++;
    for (size_t i = 1; i <= n_ops; i++)
        start[i] += start[i - 1];
    for (size_t t = 0; t < n_temps; t++)
        if (key[t] != NONE)
            out[start[key[t]]++] = (uint32_t)t;
    free(start);
}

/* Linear scan: at each op index, first take slots for the intervals that
 * start there, then free those that end there, so an op's inputs never
 * share a slot with its outputs. Returns the number of slots. */
static uint32_t assign_slots(const struct tcg_ctx *s, const struct intervals *iv, uint32_t *slot)
{
    size_t n = s->n_temps, a = 0, e = 0, n_used;
    uint32_t *by_first = xmalloc((n + 1) * sizeof(*by_first));
    uint32_t *by_last = xmalloc((n + 1) * sizeof(*by_last));
    uint32_t *free_slots = xmalloc((n + 1) * sizeof(*free_slots)), n_free = 0, n_slots = 0;

    order_by(iv->first, n, s->n_ops, by_first);
    order_by(iv->last, n, s->n_ops, by_last);
    n_used = 0;
    for (size_t t = 0; t < n; t++)
        n_used += iv->first[t] != NONE;
    for (size_t i = 0; i < s->n_ops; i++) {
        for (; a < n_used && iv->first[by_first[a]] == i; a++)
            slot[by_first[a]] = n_free ? free_slots[--n_free] : n_slots++;
        for (; e < n_used && iv->last[by_last[e]] == i; e++)
            free_slots[n_free++] = slot[by_last[e]];
    }
    free(by_first);
    free(by_last);
    free(free_slots);
    return n_slots;
}

static uint32_t allocate_slots(const struct tcg_ctx *s, const uint32_t *label_op, uint32_t *slot)
{
    struct intervals iv = {
        .first = xmalloc((s->n_temps + 1) * sizeof(uint32_t)),
        .last = xmalloc((s->n_temps + 1) * sizeof(uint32_t)),
    };
    uint32_t n_slots;

    find_intervals(s, &iv);
    while (widen_over_loops(s, &iv, label_op))
        ;
    n_slots = assign_slots(s, &iv, slot);
    free(iv.first);
    free(iv.last);
    if (n_slots > TCG_INTERP_MAX_TEMPS)
        fatal("tcg_interp_compile: the TB needs %u temp slots, the interpreter has %u",
              n_slots, TCG_INTERP_MAX_TEMPS);
    return n_slots;
}

/* ---- encoding ------------------------------------------------------------------- */

struct enc {
    uint32_t *w;
    size_t n;
    const uint32_t *slot, *label_word;
};

static void put(struct enc *e, uint64_t word)
{
    e->w[e->n++] = (uint32_t)word;
}

static void put64(struct enc *e, uint64_t v)
{
    put(e, v);
    put(e, v >> 32);
}

static void put_label(struct enc *e, uint64_t label)
{
    if (e->label_word[label] == NONE)
        fatal("tcg_interp_compile: branch to label L%llu that is never set",
              (unsigned long long)label);
    put(e, e->label_word[label]);
}

static void encode_call(struct enc *e, const struct tcg_ctx *s, const struct tcg_op *op)
{
    const struct tcg_helper *h = (const struct tcg_helper *)(uintptr_t)op->args[0];
    uint32_t info = (uint32_t)op->args[1];

    if (op->args[2]) {
        info |= INTERP_CALL_RET;
        if (s->temps[op->args[3]].type == TCG_TYPE_I32)
            info |= INTERP_CALL_RET_I32;
    }
    put(e, TCG_OP_call);
    put(e, info);
    put64(e, (uint64_t)(uintptr_t)h->fn);
    put(e, op->args[2] ? e->slot[op->args[3]] : 0);
    for (unsigned k = 0; k < op->args[1]; k++)
        put(e, e->slot[op->args[4 + k]]);
}

static void encode_consts(struct enc *e, const struct tcg_op *op)
{
    const uint64_t *c = tcg_op_consts(op);

    switch (op->opc) {
    case TCG_OP_movi_i64:
    case TCG_OP_exit_tb:
        put64(e, c[0]);
        break;
    case TCG_OP_mb:
        break;
    case TCG_OP_br:
        put_label(e, c[0]);
        break;
    case TCG_OP_brcond_i32:
        put_label(e, c[1]);
        break;
    case TCG_OP_ld_env_i32: case TCG_OP_ld_env_i64:
    case TCG_OP_st_env_i32: case TCG_OP_st_env_i64:
        if (c[0] > UINT32_MAX)
            fatal("tcg_interp_compile: env offset 0x%llx", (unsigned long long)c[0]);
        put(e, c[0]);
        break;
    default:                /* movi_i32, conditions, memops, goto_tb, insn_start */
        if (tcg_op_defs[op->opc].n_const)
            put(e, c[0]);
        break;
    }
}

static void encode_op(struct enc *e, const struct tcg_ctx *s, const struct tcg_op *op)
{
    struct tcg_op_temps t = tcg_op_temps_of(op);
    size_t start = e->n;

    if (op->dead || op->opc == TCG_OP_set_label)
        return;
    if (op->opc == TCG_OP_call) {
        encode_call(e, s, op);
        return;
    }
    if (op->opc == TCG_OP_brcond_i32)
        put(e, INTERP_BRCOND + op->args[2]);
    else
        put(e, op->opc);
    for (unsigned k = 0; k < t.n_out; k++)
        put(e, e->slot[t.out[k]]);
    for (unsigned k = 0; k < t.n_in; k++)
        put(e, e->slot[t.in[k]]);
    encode_consts(e, op);
    if (e->n - start != op_words(op))
        fatal("tcg_interp_compile: %s encoded in %zu words, sized %u",
              tcg_op_defs[op->opc].name, e->n - start, op_words(op));
}

size_t tcg_interp_compile(const struct tcg_ctx *s, void *buf, size_t cap)
{
    uint32_t *label_word = xmalloc((s->n_labels + 1) * sizeof(uint32_t));
    uint32_t *label_op = xmalloc((s->n_labels + 1) * sizeof(uint32_t));
    uint32_t *slot = xmalloc((s->n_temps + 1) * sizeof(uint32_t));
    struct interp_tb *tb = buf;
    size_t n_words = place_labels(s, label_word, label_op), size = bytes_for(n_words);
    struct enc e = { .w = tb->code, .slot = slot, .label_word = label_word };

    if ((uintptr_t)buf % 8)
        fatal("tcg_interp_compile: buffer %p is not 8-byte aligned", buf);
    if (size <= cap) {
        memset(tb, 0, sizeof(*tb));
        tb->magic = INTERP_MAGIC;
        tb->insn_start_offset = (uint32_t)s->insn_start_offset;
        tb->n_slots = allocate_slots(s, label_op, slot);
        tb->n_words = (uint32_t)n_words;
        for (size_t i = 0; i < s->n_ops; i++) {
            encode_op(&e, s, &s->ops[i]);
            tb->n_insns += !s->ops[i].dead && s->ops[i].opc == TCG_OP_insn_start;
        }
    }
    free(label_word);
    free(label_op);
    free(slot);
    return size <= cap ? size : 0;
}

void tcg_interp_link(void *code, unsigned slot, const void *target)
{
    struct interp_tb *tb = code;

    if (slot > 1 || tb->magic != INTERP_MAGIC)
        fatal("tcg_interp_link: slot %u of %p, which is not a compiled TB", slot, code);
    atomic_store_explicit(&tb->jmp[slot], target, memory_order_release);
}
