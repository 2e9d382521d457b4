/*
 * difftest_gen.c — random A32 sequences for the difftest, and the address
 * arithmetic of the memory instructions.
 *
 * An instruction is drawn for a chosen line by filling every field of the
 * line's pattern with random bits (a few fields get a value from a short
 * list: MSR masks, the thread ID registers, register lists), forcing a
 * condition other than 1111, then decoding the word again: it is kept only
 * if arm_decode() lands on the same line (a later, more special line may
 * own that encoding: MOV_REG inside LSL_IMM, SMUAD inside SMLAD) and
 * difftest_insn_rejected() finds nothing wrong. Rejection sampling keeps
 * every rule in one place (difftest_lines.c).
 *
 * Memory instructions are then "planned": pick where the access lands
 * inside the scratch buffer (aligned to its size, so no alignment fault
 * and no dependence on SCTLR.A), work back to the base (and index)
 * register value, and emit MOVW/MOVT set-up words for them right before
 * the instruction. The set-up words are unconditional and touch no flags,
 * so the planned values are exact whatever ran before.
 *
 * The exclusive monitor: each sequence starts with it open. LDREX* is
 * always followed by a STREX* of the same size to the same address and a
 * CLREX, so no STREX ever meets a monitor armed for another address or
 * size (IMPLEMENTATION DEFINED) and a lone STREX* always fails.
 */
#include "harness/difftest.h"

#include "util/fatal.h"

#include <stdlib.h>
#include <string.h>

#define MAX_DRAWS 100000

/* ---- PRNG --------------------------------------------------------------------- */

static uint64_t splitmix64(uint64_t *x)
{
    uint64_t z = (*x += 0x9e3779b97f4a7c15ull);

    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

void difftest_rng_seed(struct difftest_rng *r, uint64_t seed)
{
    r->s = splitmix64(&seed);
    if (r->s == 0)
        r->s = 1;
}

uint64_t difftest_rng_next(struct difftest_rng *r)
{
    r->s ^= r->s >> 12;
    r->s ^= r->s << 25;
    r->s ^= r->s >> 27;
    return r->s * 0x2545f4914f6cdd1dull;
}

uint32_t difftest_rng_below(struct difftest_rng *r, uint32_t n)
{
    return (uint32_t)((difftest_rng_next(r) >> 32) * n >> 32);
}

static uint32_t rand32(struct difftest_rng *r)
{
    return (uint32_t)(difftest_rng_next(r) >> 32);
}

/* ---- fields -------------------------------------------------------------------- */

/* The bit position and width of `letter` in the line's pattern; false if
 * the line has no such field. */
static bool field_place(enum a32_line line, char letter, unsigned *lo, unsigned *width)
{
    const char *p = arm_line_pattern(line);
    int bit = 31;

    *width = 0;
    for (; *p; p++) {
        if (*p == '_')
            continue;
        if (*p == letter) {
            *lo = (unsigned)bit;
            (*width)++;
        }
        bit--;
    }
    return *width > 0;
}

static uint32_t set_field(uint32_t word, enum a32_line line, char letter, uint32_t value)
{
    unsigned lo, width;
    uint32_t mask;

    if (!field_place(line, letter, &lo, &width))
        fatal("difftest: line %s has no field '%c'", arm_insn_name(line), letter);
    mask = (width == 32 ? ~0u : (1u << width) - 1) << lo;
    return (word & ~mask) | ((value << lo) & mask);
}

uint32_t difftest_movw(unsigned rd, uint32_t imm16)
{
    return 0xe3000000u | ((imm16 >> 12) & 0xf) << 16 | (rd & 0xf) << 12 | (imm16 & 0xfff);
}

uint32_t difftest_movt(unsigned rd, uint32_t imm16)
{
    return 0xe3400000u | ((imm16 >> 12) & 0xf) << 16 | (rd & 0xf) << 12 | (imm16 & 0xfff);
}

/* Half the lists are short: long random lists would rarely leave a base
 * register out, and short ones are where the edge cases are. */
static uint32_t random_list(struct difftest_rng *r)
{
    uint32_t list = 0;

    if (difftest_rng_below(r, 2))
        return rand32(r) & 0xffff;
    for (unsigned k = 1 + difftest_rng_below(r, 3); k; k--)
        list |= 1u << difftest_rng_below(r, 16);
    return list;
}

/* Fields whose random bits would almost never pass the rules. */
static uint32_t fix_fields(struct difftest_rng *r, enum a32_line line, uint32_t w)
{
    static const uint32_t apsr_masks[3] = { 4, 8, 12 };

    switch (line) {
    case A32_MSR_IMM: case A32_MSR_REG:
        w = set_field(w, line, 'R', 0);
        return set_field(w, line, 'k', apsr_masks[difftest_rng_below(r, 3)]);
    case A32_MRS:
        return set_field(w, line, 'R', 0);
    case A32_MCR: case A32_MRC:
        w = set_field(w, line, 'p', 15);
        w = set_field(w, line, 'o', 0);
        w = set_field(w, line, 'n', 13);
        w = set_field(w, line, 'm', 0);
        return set_field(w, line, 'q', 2 + difftest_rng_below(r, 3));
    default:
        return w;
    }
}

/* One try: random bits in every field of the line. */
static uint32_t random_word(struct difftest_rng *r, enum a32_line line)
{
    uint32_t mask, value, w;
    unsigned lo, width;
    bool conditional;

    arm_line_bits(line, &mask, &value, &conditional);
    w = value | (rand32(r) & ~mask);
    if (conditional) {
        uint32_t cond = difftest_rng_below(r, 3) ? difftest_rng_below(r, 15) : 14;

        w = (w & 0x0fffffffu) | cond << 28;
    }
    if (field_place(line, 'g', &lo, &width))
        w = set_field(w, line, 'g', random_list(r));
    return fix_fields(r, line, w);
}

/* A valid instruction of `line`; fatal() when the line's rules cannot be
 * met, which is a bug in the rules or the table. */
static void draw_insn(struct difftest_rng *r, enum a32_line line, struct arm_insn *in)
{
    for (unsigned tries = 0; tries < MAX_DRAWS; tries++) {
        uint32_t w = random_word(r, line);

        if (arm_decode(w, in) && in->line == line && !difftest_insn_rejected(in))
            return;
    }
    fatal("difftest: no valid encoding of %s found in %u tries", arm_insn_name(line), MAX_DRAWS);
}

static void redecode(uint32_t w, enum a32_line line, struct arm_insn *in)
{
    if (!arm_decode(w, in) || in->line != line || difftest_insn_rejected(in))
        fatal("difftest: %08x left line %s while planning", w, arm_insn_name(line));
}

/* ---- memory accesses ------------------------------------------------------------ */

/* Bytes per access and the alignment needed, for single loads/stores. */
static void single_size(enum a32_line line, uint32_t *size, uint32_t *align)
{
    switch (line) {
    case A32_STRB_IMM: case A32_STRB_REG: case A32_LDRB_IMM: case A32_LDRB_REG:
    case A32_STRBT_IMM: case A32_STRBT_REG: case A32_LDRBT_IMM: case A32_LDRBT_REG:
    case A32_LDRSB_IMM: case A32_LDRSB_REG: case A32_LDRSBT_IMM: case A32_LDRSBT_REG:
    case A32_LDREXB: case A32_STREXB:
        *size = *align = 1;
        return;
    case A32_STRH_IMM: case A32_STRH_REG: case A32_LDRH_IMM: case A32_LDRH_REG:
    case A32_STRHT_IMM: case A32_STRHT_REG: case A32_LDRHT_IMM: case A32_LDRHT_REG:
    case A32_LDRSH_IMM: case A32_LDRSH_REG: case A32_LDRSHT_IMM: case A32_LDRSHT_REG:
    case A32_LDREXH: case A32_STREXH:
        *size = *align = 2;
        return;
    case A32_LDRD_IMM: case A32_LDRD_REG: case A32_STRD_IMM: case A32_STRD_REG:
        *size = 8, *align = 4; /* MemA[address, 4] twice */
        return;
    case A32_LDREXD: case A32_STREXD:
        *size = *align = 8;
        return;
    default:
        *size = *align = 4;
        return;
    }
}

/* Shift(Rm, type, imm5) of a register offset; RRX (type 3, imm5 0) is
 * never generated and is taken with carry 0. */
static uint32_t shifted(uint32_t rm, uint32_t type, uint32_t imm5)
{
    switch (type) {
    case 0: return rm << imm5;
    case 1: return imm5 ? rm >> imm5 : 0;
    case 2: return (uint32_t)((int32_t)rm >> (imm5 ? imm5 : 31));
    default: return imm5 ? (rm >> imm5 | rm << (32 - imm5)) : rm >> 1;
    }
}

/* The offset of a single load/store: the immediate, or the shifted Rm. */
static uint32_t single_offset(const struct arm_insn *in, uint32_t rm)
{
    if (arm_has_field(in, 'm'))
        return arm_has_field(in, 'y') ? shifted(rm, arm_field(in, 'y'), arm_field(in, 'i')) : rm;
    if (arm_has_field(in, 'j'))
        return arm_field(in, 'j') << 4 | arm_field(in, 'i');
    return arm_field(in, 'i');
}

static bool single_access(const struct arm_insn *in, const uint32_t regs[16],
                          struct difftest_access *acc)
{
    uint32_t base = regs[arm_field(in, 'n')];
    uint32_t off = single_offset(in, regs[arm_field(in, 'm')]);
    bool pre = arm_has_field(in, 'P') && arm_field(in, 'P');

    single_size(in->line, &acc->size, &acc->align);
    if (!pre)
        acc->addr = base;
    else
        acc->addr = arm_field(in, 'U') ? base + off : base - off;
    return true;
}

/* LDM/STM: IA starts at Rn, IB at Rn + 4, DA at Rn - 4n + 4, DB at Rn - 4n. */
static bool multi_access(const struct arm_insn *in, const uint32_t regs[16],
                         struct difftest_access *acc)
{
    uint32_t n = (uint32_t)__builtin_popcount(arm_field(in, 'g'));
    uint32_t base = regs[arm_field(in, 'n')];
    bool p = arm_field(in, 'P'), u = arm_field(in, 'U');

    acc->size = 4 * n;
    acc->align = 4;
    if (u)
        acc->addr = p ? base + 4 : base;
    else
        acc->addr = p ? base - 4 * n : base - 4 * n + 4;
    return true;
}

static bool stack_access(const struct arm_insn *in, const uint32_t regs[16],
                         struct difftest_access *acc)
{
    uint32_t n = in->line == A32_PUSH || in->line == A32_POP
                     ? (uint32_t)__builtin_popcount(arm_field(in, 'g')) : 1;
    bool push = in->line == A32_PUSH || in->line == A32_PUSH_ONE;

    acc->size = 4 * n;
    acc->align = 4;
    acc->addr = push ? regs[13] - 4 * n : regs[13];
    return true;
}

bool difftest_mem_access(const struct arm_insn *in, const uint32_t regs[16],
                         struct difftest_access *acc)
{
    switch (difftest_line_kind(in->line)) {
    case DIFFTEST_MEM:
        return single_access(in, regs, acc);
    case DIFFTEST_MULTI:
        return multi_access(in, regs, acc);
    case DIFFTEST_STACK:
        return stack_access(in, regs, acc);
    case DIFFTEST_EXCL_LOAD: case DIFFTEST_EXCL_STORE:
        single_size(in->line, &acc->size, &acc->align);
        acc->addr = regs[arm_field(in, 'n')];
        return true;
    default:
        return false;
    }
}

/* ---- planning: register values that put each access in the buffer -------------- */

struct gen {
    struct difftest_rng *r;
    struct difftest_seq *seq;
    size_t cap;
};

static void emit(struct gen *g, uint32_t word, enum a32_line line, bool setup)
{
    struct difftest_seq *s = g->seq;

    if (s->n_slots == g->cap) {
        g->cap = g->cap ? 2 * g->cap : 64;
        s->slots = xrealloc(s->slots, g->cap * sizeof(*s->slots));
    }
    s->slots[s->n_slots++] = (struct difftest_slot){ word, (uint16_t)line, setup };
    if (!setup)
        s->n_tested++;
}

static void emit_set(struct gen *g, unsigned reg, uint32_t value)
{
    emit(g, difftest_movw(reg, value & 0xffff), A32_MOVW, true);
    emit(g, difftest_movt(reg, value >> 16), A32_MOVT, true);
}

/* A random address in [lo, hi) where size bytes fit, aligned to align. */
static uint32_t pick_addr(struct difftest_rng *r, uint32_t lo, uint32_t hi, uint32_t size,
                          uint32_t align)
{
    return lo + align * difftest_rng_below(r, (hi - lo - size) / align + 1);
}

/* An Rm whose Shift(Rm, type, imm5) is a small aligned offset *off. The
 * bits the shift discards are random, so the index register still looks
 * like data. */
static uint32_t index_for(struct difftest_rng *r, uint32_t type, uint32_t imm5, uint32_t align,
                          uint32_t *off)
{
    uint32_t junk = rand32(r), k = imm5 ? imm5 : 32, o, rm;

    if (type == 0) {
        o = (difftest_rng_below(r, (2048u >> imm5) + 1) << imm5) & ~(align - 1);
        rm = o >> imm5 | (imm5 ? junk << (32 - imm5) : 0);
    } else if (type == 3) {
        o = difftest_rng_below(r, 2048) & ~(align - 1);
        rm = o << imm5 | o >> (32 - imm5);
    } else if (k == 32) {
        o = 0;
        rm = type == 2 ? junk & 0x7fffffffu : junk;
    } else {
        uint32_t bits = type == 2 ? 31 - k : 32 - k; /* ASR: keep the sign bit clear */
        uint32_t limit = bits < 11 ? 1u << bits : 2048;

        o = difftest_rng_below(r, limit) & ~(align - 1);
        rm = o << k | (junk & ((1u << k) - 1));
    }
    if (shifted(rm, type, imm5) != o)
        fatal("difftest: index %08x does not shift to %u", rm, o);
    *off = o;
    return rm;
}

/* Checks the plan with the same arithmetic the tests use. */
static void check_plan(const struct arm_insn *in, const uint32_t regs[16], uint32_t addr)
{
    struct difftest_access acc;

    if (!difftest_mem_access(in, regs, &acc) || acc.addr != addr ||
        acc.addr < DIFFTEST_SCRATCH || acc.addr + acc.size > DIFFTEST_SCRATCH + DIFFTEST_SCRATCH_SIZE ||
        acc.addr % acc.align)
        fatal("difftest: planned %08x for %08x (%s), got %08x+%u", addr, in->raw,
              arm_insn_name(in->line), acc.addr, acc.size);
}

/* The immediate offset, rounded down to the access's alignment. */
static void align_immediate(struct arm_insn *in, uint32_t align)
{
    uint32_t w = set_field(in->raw, in->line, 'i', arm_field(in, 'i') & ~(align - 1));

    redecode(w, in->line, in);
}

static void plan_single(struct gen *g, struct arm_insn *in)
{
    uint32_t regs[16] = { 0 }, size, align, addr, off, base, rm = 0;
    unsigned n = arm_field(in, 'n'), m = arm_field(in, 'm');
    bool reg = arm_has_field(in, 'm');

    single_size(in->line, &size, &align);
    if (!reg)
        align_immediate(in, align);
    addr = pick_addr(g->r, DIFFTEST_SCRATCH, DIFFTEST_SCRATCH + DIFFTEST_SCRATCH_SIZE, size, align);
    if (reg && arm_has_field(in, 'y'))
        rm = index_for(g->r, arm_field(in, 'y'), arm_field(in, 'i'), align, &off);
    else if (reg)
        rm = off = difftest_rng_below(g->r, 2048) & ~(align - 1);
    else
        off = single_offset(in, 0);
    base = addr;
    if (arm_has_field(in, 'P') && arm_field(in, 'P'))
        base = arm_field(in, 'U') ? addr - off : addr + off;
    regs[n] = base;
    emit_set(g, n, base);
    if (reg) {
        regs[m] = rm;
        emit_set(g, m, rm);
    }
    check_plan(in, regs, addr);
}

static void plan_multi(struct gen *g, const struct arm_insn *in)
{
    uint32_t regs[16] = { 0 }, bytes = 4 * (uint32_t)__builtin_popcount(arm_field(in, 'g'));
    uint32_t addr = pick_addr(g->r, DIFFTEST_SCRATCH, DIFFTEST_SCRATCH + DIFFTEST_SCRATCH_SIZE,
                              bytes, 4);
    unsigned n = arm_field(in, 'n');
    bool p = arm_field(in, 'P'), u = arm_field(in, 'U');

    if (u)
        regs[n] = p ? addr - 4 : addr;
    else
        regs[n] = p ? addr + bytes : addr + bytes - 4;
    emit_set(g, n, regs[n]);
    check_plan(in, regs, addr);
}

/* PUSH/POP move SP by at most 56 bytes; resetting it before each one keeps
 * it in the stack area whatever the earlier conditions did. */
static void plan_stack(struct gen *g, const struct arm_insn *in)
{
    uint32_t regs[16] = { 0 }, n = 1, addr;
    bool push = in->line == A32_PUSH || in->line == A32_PUSH_ONE;

    if (in->line == A32_PUSH || in->line == A32_POP)
        n = (uint32_t)__builtin_popcount(arm_field(in, 'g'));
    addr = pick_addr(g->r, DIFFTEST_STACK_AREA, DIFFTEST_SCRATCH + DIFFTEST_SCRATCH_SIZE, 4 * n, 4);
    regs[13] = push ? addr + 4 * n : addr;
    emit_set(g, 13, regs[13]);
    check_plan(in, regs, addr);
}

static void plan_exclusive(struct gen *g, const struct arm_insn *in, uint32_t addr)
{
    uint32_t regs[16] = { 0 };

    regs[arm_field(in, 'n')] = addr;
    emit_set(g, arm_field(in, 'n'), addr);
    check_plan(in, regs, addr);
}

/* ---- sequences ---------------------------------------------------------------- */

#define CLREX_WORD 0xf57ff01fu

static enum a32_line store_partner(enum a32_line load)
{
    switch (load) {
    case A32_LDREXB: return A32_STREXB;
    case A32_LDREXH: return A32_STREXH;
    case A32_LDREXD: return A32_STREXD;
    default: return A32_STREX;
    }
}

/* LDREX*, STREX* of the same size to the same address, CLREX. */
static void emit_exclusive_group(struct gen *g, enum a32_line load)
{
    struct arm_insn in;
    uint32_t size, align, addr;

    draw_insn(g->r, load, &in);
    single_size(load, &size, &align);
    addr = pick_addr(g->r, DIFFTEST_SCRATCH, DIFFTEST_SCRATCH + DIFFTEST_SCRATCH_SIZE, size, align);
    plan_exclusive(g, &in, addr);
    emit(g, in.raw, load, false);
    draw_insn(g->r, store_partner(load), &in);
    plan_exclusive(g, &in, addr);
    emit(g, in.raw, in.line, false);
    emit(g, CLREX_WORD, A32_CLREX, false);
}

static void emit_line(struct gen *g, enum a32_line line)
{
    struct arm_insn in;
    uint32_t size, align;

    if (difftest_line_kind(line) == DIFFTEST_EXCL_LOAD) {
        emit_exclusive_group(g, line);
        return;
    }
    draw_insn(g->r, line, &in);
    switch (difftest_line_kind(line)) {
    case DIFFTEST_MEM: plan_single(g, &in); break;
    case DIFFTEST_MULTI: plan_multi(g, &in); break;
    case DIFFTEST_STACK: plan_stack(g, &in); break;
    case DIFFTEST_EXCL_STORE:
        single_size(line, &size, &align);
        plan_exclusive(g, &in, pick_addr(g->r, DIFFTEST_SCRATCH,
                                         DIFFTEST_SCRATCH + DIFFTEST_SCRATCH_SIZE, size, align));
        break;
    default: break;
    }
    emit(g, in.raw, line, false);
}

/* Register values that reach the edges: zero, sign bits, all ones, small
 * numbers (shift amounts, saturation limits), and plain random words. */
static uint32_t interesting(struct difftest_rng *r)
{
    static const uint32_t special[] = {
        0, 1, 2, 0x7fffffffu, 0x80000000u, 0xffffffffu, 0xfffffffeu, 0x8000u,
        0xffffu, 0x7fffu, 0x80u, 0xffu, 0x10000u, 31, 32, 33, 0x80008000u, 0x7fff7fffu,
    };

    switch (difftest_rng_below(r, 4)) {
    case 0: return special[difftest_rng_below(r, sizeof(special) / sizeof(special[0]))];
    case 1: return difftest_rng_below(r, 64);
    default: return rand32(r);
    }
}

static size_t drawable_lines(const struct difftest_gen_config *cfg, enum a32_line *out)
{
    size_t n = 0;

    for (int l = 0; l < A32_N_LINES; l++)
        if (difftest_line_kind((enum a32_line)l) != DIFFTEST_EXCLUDED &&
            (!cfg->picked || cfg->picked[l]))
            out[n++] = (enum a32_line)l;
    return n;
}

static void init_state(struct difftest_rng *r, struct difftest_seq *seq)
{
    for (unsigned i = 0; i < 15; i++)
        seq->regs[i] = interesting(r);
    seq->regs[13] = DIFFTEST_STACK_START;
    seq->psr = rand32(r) & 0xf80f0000u;
    seq->mem_seed = rand32(r) | 1;
    for (unsigned i = 0; i < 3; i++)
        seq->tpidr[i] = interesting(r);
}

void difftest_gen_seq(const struct difftest_gen_config *cfg, uint32_t index,
                      struct difftest_seq *seq)
{
    enum a32_line lines[A32_N_LINES];
    size_t n_lines = drawable_lines(cfg, lines);
    uint64_t mix = cfg->seed ^ (0x9e3779b97f4a7c15ull * ((uint64_t)index + 1));
    struct difftest_rng r;
    struct gen g = { &r, seq, 0 };
    unsigned len;

    if (n_lines == 0 || cfg->min_len == 0 || cfg->min_len > cfg->max_len)
        fatal("difftest: nothing to generate (%zu lines, length %u-%u)", n_lines, cfg->min_len,
              cfg->max_len);
    memset(seq, 0, sizeof(*seq));
    seq->index = index;
    seq->seed = splitmix64(&mix);
    difftest_rng_seed(&r, seq->seed);
    init_state(&r, seq);
    len = cfg->min_len + difftest_rng_below(&r, cfg->max_len - cfg->min_len + 1);
    while (seq->n_tested < len)
        emit_line(&g, lines[difftest_rng_below(&r, (uint32_t)n_lines)]);
}

void difftest_seq_free(struct difftest_seq *seq)
{
    free(seq->slots);
    seq->slots = NULL;
    seq->n_slots = seq->n_tested = 0;
}
