/*
 * encode.c — a thread's instructions into A32 words.
 *
 * Only what the Herding Cats campaign uses, one table row per encoding,
 * written as the manual's bit pattern. Letters name fields: c condition,
 * n d m t registers (Rn Rd Rm Rt), i immediate, u the add/subtract bit of
 * a load/store offset, o a barrier option; '0'/'1' are fixed bits and '_'
 * is for the eye. A field's value is spread over its letters from bit 0
 * up, so MOVW's imm4:imm12 needs no special code.
 *
 * Every instruction is one word, so assembly is two passes over the
 * thread's code: the first gives each label the offset of the word that
 * follows it, the second encodes. Immediates that do not fit the
 * modified-immediate form fall back as an assembler does (MOV -> MVN or
 * MOVW, ADD -> SUB, AND -> BIC, CMP -> CMN), so the words match
 * arm-none-eabi-as, which the unit tests check.
 */
#include "litmus/lex.h"

#include "util/fatal.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* What to try when an immediate does not fit: the value's complement or
 * negation under another opcode. */
enum fallback { NO_FALLBACK, FALLBACK_NOT, FALLBACK_NEG };

struct encoding;

struct enc_ctx {
    const struct litmus_test *t;
    size_t thread;
    const struct litmus_instr *insn;
    uint32_t pc;                /* byte offset of the word being encoded */
    char **label_names;         /* labels of the thread, and their offsets */
    uint32_t *label_pcs;
    size_t n_labels;
    char *err;
    size_t errlen;
};

typedef int encode_fn(const struct encoding *e, struct enc_ctx *cx, uint32_t *word);

struct encoding {
    const char *mnemonic;
    const char *shape;   /* per operand: r reg, i imm, m [Rn{,#k}], x [Rn,Rm], l label, o option */
    const char *pattern;
    encode_fn *encode;
    const char *fallback_pattern;
    enum fallback fallback;
};

static encode_fn enc_dp_reg, enc_dp_imm, enc_mov_reg, enc_mov_imm, enc_cmp_reg, enc_cmp_imm,
    enc_branch, enc_mem_imm, enc_mem_reg, enc_barrier;

#define MOVW_PATTERN "cccc_0011_0000_iiii_dddd_iiii_iiii_iiii"
#define MOVT_PATTERN "cccc_0011_0100_iiii_dddd_iiii_iiii_iiii"

/* clang-format off */
#define A32(m, shape, pattern, fn)  { m, shape, pattern, fn, NULL, NO_FALLBACK }
#define ELSE(pattern, how)          pattern, how

static const struct encoding encodings[] = {
/*  mnemonic shape  pattern                                          encoder      */
  A32("MOV", "rr",  "cccc_0001_1010_0000_dddd_0000_0000_mmmm", enc_mov_reg),
  { "MOV",   "ri",  "cccc_0011_1010_0000_dddd_iiii_iiii_iiii", enc_mov_imm,
      ELSE("cccc_0011_1110_0000_dddd_iiii_iiii_iiii", FALLBACK_NOT) },     /* MVN */
  A32("ADD", "rrr", "cccc_0000_1000_nnnn_dddd_0000_0000_mmmm", enc_dp_reg),
  { "ADD",   "rri", "cccc_0010_1000_nnnn_dddd_iiii_iiii_iiii", enc_dp_imm,
      ELSE("cccc_0010_0100_nnnn_dddd_iiii_iiii_iiii", FALLBACK_NEG) },     /* SUB */
  A32("EOR", "rrr", "cccc_0000_0010_nnnn_dddd_0000_0000_mmmm", enc_dp_reg),
  A32("EOR", "rri", "cccc_0010_0010_nnnn_dddd_iiii_iiii_iiii", enc_dp_imm),
  A32("AND", "rrr", "cccc_0000_0000_nnnn_dddd_0000_0000_mmmm", enc_dp_reg),
  { "AND",   "rri", "cccc_0010_0000_nnnn_dddd_iiii_iiii_iiii", enc_dp_imm,
      ELSE("cccc_0011_1100_nnnn_dddd_iiii_iiii_iiii", FALLBACK_NOT) },     /* BIC */
  A32("CMP", "rr",  "cccc_0001_0101_nnnn_0000_0000_0000_mmmm", enc_cmp_reg),
  { "CMP",   "ri",  "cccc_0011_0101_nnnn_0000_iiii_iiii_iiii", enc_cmp_imm,
      ELSE("cccc_0011_0111_nnnn_0000_iiii_iiii_iiii", FALLBACK_NEG) },     /* CMN */
  A32("B",   "l",   "cccc_1010_iiii_iiii_iiii_iiii_iiii_iiii", enc_branch),
  A32("LDR", "rm",  "cccc_0101_u001_nnnn_tttt_iiii_iiii_iiii", enc_mem_imm),
  A32("LDR", "rx",  "cccc_0111_1001_nnnn_tttt_0000_0000_mmmm", enc_mem_reg),
  A32("STR", "rm",  "cccc_0101_u000_nnnn_tttt_iiii_iiii_iiii", enc_mem_imm),
  A32("STR", "rx",  "cccc_0111_1000_nnnn_tttt_0000_0000_mmmm", enc_mem_reg),
  A32("DMB", "",    "1111_0101_0111_1111_1111_0000_0101_oooo", enc_barrier),
  A32("DMB", "o",   "1111_0101_0111_1111_1111_0000_0101_oooo", enc_barrier),
  A32("DSB", "",    "1111_0101_0111_1111_1111_0000_0100_oooo", enc_barrier),
  A32("DSB", "o",   "1111_0101_0111_1111_1111_0000_0100_oooo", enc_barrier),
  A32("ISB", "",    "1111_0101_0111_1111_1111_0000_0110_oooo", enc_barrier),
  A32("ISB", "o",   "1111_0101_0111_1111_1111_0000_0110_oooo", enc_barrier),
};
/* clang-format on */

/* ---- patterns ------------------------------------------------------------- */

static uint32_t fixed_bits(const char *pattern)
{
    uint32_t w = 0;

    for (const char *p = pattern; *p; p++)
        if (*p != '_')
            w = w << 1 | (*p == '1');
    return w;
}

/* value spread over the positions of letter, low bit at the right. */
static uint32_t field(const char *pattern, char letter, uint32_t value)
{
    uint32_t w = 0;
    int pos = 0;

    for (const char *p = pattern + strlen(pattern); p-- > pattern;) {
        if (*p == '_')
            continue;
        if (*p == letter) {
            w |= (value & 1u) << pos;
            value >>= 1;
        }
        pos++;
    }
    return w;
}

/* ARM's modified immediate: an 8-bit value rotated right by an even
 * amount; the smallest rotation, as assemblers choose. -1 if none. */
static int modified_immediate(uint32_t value)
{
    for (uint32_t rot = 0; rot < 16; rot++) {
        uint32_t v = rot ? (value << (2 * rot)) | (value >> (32 - 2 * rot)) : value;

        if (v <= 0xff)
            return (int)(rot << 8 | v);
    }
    return -1;
}

/* ---- operands --------------------------------------------------------------- */

static int fail(struct enc_ctx *cx, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static int fail(struct enc_ctx *cx, const char *fmt, ...)
{
    char msg[160];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    return litmus_fail(cx->err, cx->errlen, cx->t->file, cx->insn->line, "P%zu: %s: %s",
                       cx->thread, cx->insn->mnemonic, msg);
}

static int reg_of(struct enc_ctx *cx, const struct litmus_reg *reg, uint32_t *out)
{
    if (reg->num < 0)
        return fail(cx, "%%%s has no register yet (allocate registers first)",
                    reg->sym ? reg->sym : "?");
    if (reg->num == 15)
        return fail(cx, "R15 (PC) is not supported as an operand");
    *out = (uint32_t)reg->num;
    return 0;
}

static uint32_t cond_bits(const struct encoding *e, const struct enc_ctx *cx)
{
    return field(e->pattern, 'c', (uint32_t)cx->insn->cc);
}

/* ---- encoders ----------------------------------------------------------------- */

static int enc_dp_reg(const struct encoding *e, struct enc_ctx *cx, uint32_t *word)
{
    const struct litmus_operand *ops = cx->insn->ops;
    uint32_t d = 0, n = 0, m = 0;

    if (reg_of(cx, &ops[0].reg, &d) || reg_of(cx, &ops[1].reg, &n) ||
        reg_of(cx, &ops[2].reg, &m))
        return -1;
    *word = fixed_bits(e->pattern) | cond_bits(e, cx) | field(e->pattern, 'd', d) |
            field(e->pattern, 'n', n) | field(e->pattern, 'm', m);
    return 0;
}

/* The immediate as is, or through the fallback opcode; -1 if neither. */
static int fit_immediate(const struct encoding *e, uint32_t value, const char **pattern,
                         uint32_t *imm12)
{
    int imm = modified_immediate(value);

    *pattern = e->pattern;
    if (imm < 0 && e->fallback != NO_FALLBACK) {
        imm = modified_immediate(e->fallback == FALLBACK_NOT ? ~value : 0u - value);
        *pattern = e->fallback_pattern;
    }
    *imm12 = (uint32_t)imm;
    return imm < 0 ? -1 : 0;
}

static int enc_dp_imm(const struct encoding *e, struct enc_ctx *cx, uint32_t *word)
{
    const struct litmus_operand *ops = cx->insn->ops;
    const char *p;
    uint32_t d = 0, n = 0, imm = 0;

    if (reg_of(cx, &ops[0].reg, &d) || reg_of(cx, &ops[1].reg, &n))
        return -1;
    if (fit_immediate(e, (uint32_t)ops[2].imm, &p, &imm))
        return fail(cx, "immediate #%ld is not an 8-bit value rotated by an even amount",
                    (long)ops[2].imm);
    *word = fixed_bits(p) | cond_bits(e, cx) | field(p, 'd', d) | field(p, 'n', n) |
            field(p, 'i', imm);
    return 0;
}

static int enc_mov_reg(const struct encoding *e, struct enc_ctx *cx, uint32_t *word)
{
    uint32_t d = 0, m = 0;

    if (reg_of(cx, &cx->insn->ops[0].reg, &d) || reg_of(cx, &cx->insn->ops[1].reg, &m))
        return -1;
    *word = fixed_bits(e->pattern) | cond_bits(e, cx) | field(e->pattern, 'd', d) |
            field(e->pattern, 'm', m);
    return 0;
}

static int enc_mov_imm(const struct encoding *e, struct enc_ctx *cx, uint32_t *word)
{
    uint32_t value = (uint32_t)cx->insn->ops[1].imm, d = 0, imm = 0;
    const char *p;

    if (reg_of(cx, &cx->insn->ops[0].reg, &d))
        return -1;
    if (fit_immediate(e, value, &p, &imm)) {
        if (value > 0xffff)
            return fail(cx, "immediate #%ld fits neither a rotated 8-bit value, "
                        "its complement, nor 16 bits", (long)cx->insn->ops[1].imm);
        p = MOVW_PATTERN;
        imm = value;
    }
    *word = fixed_bits(p) | cond_bits(e, cx) | field(p, 'd', d) | field(p, 'i', imm);
    return 0;
}

static int enc_cmp_reg(const struct encoding *e, struct enc_ctx *cx, uint32_t *word)
{
    uint32_t n = 0, m = 0;

    if (reg_of(cx, &cx->insn->ops[0].reg, &n) || reg_of(cx, &cx->insn->ops[1].reg, &m))
        return -1;
    *word = fixed_bits(e->pattern) | cond_bits(e, cx) | field(e->pattern, 'n', n) |
            field(e->pattern, 'm', m);
    return 0;
}

static int enc_cmp_imm(const struct encoding *e, struct enc_ctx *cx, uint32_t *word)
{
    const char *p;
    uint32_t n = 0, imm = 0;

    if (reg_of(cx, &cx->insn->ops[0].reg, &n))
        return -1;
    if (fit_immediate(e, (uint32_t)cx->insn->ops[1].imm, &p, &imm))
        return fail(cx, "immediate #%ld is not an 8-bit value rotated by an even amount",
                    (long)cx->insn->ops[1].imm);
    *word = fixed_bits(p) | cond_bits(e, cx) | field(p, 'n', n) | field(p, 'i', imm);
    return 0;
}

static int enc_branch(const struct encoding *e, struct enc_ctx *cx, uint32_t *word)
{
    const char *name = cx->insn->ops[0].name;
    int64_t offset;

    for (size_t i = 0; i < cx->n_labels; i++)
        if (!strcmp(cx->label_names[i], name)) {
            /* A32 branches count from the instruction's address + 8. */
            offset = ((int64_t)cx->label_pcs[i] - ((int64_t)cx->pc + 8)) / 4;
            if (offset < -(1 << 23) || offset >= (1 << 23))
                return fail(cx, "label %s is out of branch range", name);
            *word = fixed_bits(e->pattern) | cond_bits(e, cx) |
                    field(e->pattern, 'i', (uint32_t)offset & 0xffffff);
            return 0;
        }
    return fail(cx, "undefined label %s", name);
}

static int enc_mem_imm(const struct encoding *e, struct enc_ctx *cx, uint32_t *word)
{
    const struct litmus_operand *mem = &cx->insn->ops[1];
    int64_t offset = mem->imm;
    uint32_t t = 0, n = 0;

    if (reg_of(cx, &cx->insn->ops[0].reg, &t) || reg_of(cx, &mem->reg, &n))
        return -1;
    if (offset < -4095 || offset > 4095)
        return fail(cx, "offset #%ld is out of range (-4095..4095)", (long)offset);
    *word = fixed_bits(e->pattern) | cond_bits(e, cx) | field(e->pattern, 't', t) |
            field(e->pattern, 'n', n) | field(e->pattern, 'u', offset >= 0) |
            field(e->pattern, 'i', (uint32_t)(offset < 0 ? -offset : offset));
    return 0;
}

static int enc_mem_reg(const struct encoding *e, struct enc_ctx *cx, uint32_t *word)
{
    const struct litmus_operand *mem = &cx->insn->ops[1];
    uint32_t t = 0, n = 0, m = 0;

    if (reg_of(cx, &cx->insn->ops[0].reg, &t) || reg_of(cx, &mem->reg, &n) ||
        reg_of(cx, &mem->index, &m))
        return -1;
    *word = fixed_bits(e->pattern) | cond_bits(e, cx) | field(e->pattern, 't', t) |
            field(e->pattern, 'n', n) | field(e->pattern, 'm', m);
    return 0;
}

static const struct {
    const char *name;
    uint32_t bits;
} barrier_options[] = {
    { "SY", 0xf }, { "ST", 0xe }, { "ISH", 0xb }, { "ISHST", 0xa },
    { "NSH", 0x7 }, { "NSHST", 0x6 }, { "OSH", 0x3 }, { "OSHST", 0x2 },
};

static int enc_barrier(const struct encoding *e, struct enc_ctx *cx, uint32_t *word)
{
    const char *option = cx->insn->n_ops ? cx->insn->ops[0].name : "SY";

    for (size_t i = 0; i < sizeof(barrier_options) / sizeof(barrier_options[0]); i++)
        if (!strcmp(option, barrier_options[i].name)) {
            if (!strcmp(e->mnemonic, "ISB") && barrier_options[i].bits != 0xf)
                break;
            *word = fixed_bits(e->pattern) | field(e->pattern, 'o', barrier_options[i].bits);
            return 0;
        }
    return fail(cx, "%s is not a barrier option here", option);
}

/* ---- one instruction, one thread ------------------------------------------ */

static char shape_letter(const struct litmus_operand *op)
{
    switch (op->kind) {
    case LITMUS_OPND_REG:    return 'r';
    case LITMUS_OPND_IMM:    return 'i';
    case LITMUS_OPND_MEM:    return op->has_index ? 'x' : 'm';
    case LITMUS_OPND_LABEL:  return 'l';
    case LITMUS_OPND_OPTION: return 'o';
    }
    return '?';
}

/* "r,m" -> "register, memory" for messages. */
static const char *describe_shape(const char *shape, char *buf, size_t len)
{
    size_t used = 0;

    buf[0] = '\0';
    if (!*shape)
        snprintf(buf, len, "no operands");
    for (const char *c = shape; *c && used < len; c++) {
        const char *word = *c == 'r' ? "register" : *c == 'i' ? "immediate" :
                           *c == 'm' ? "[Rn,#k]" : *c == 'x' ? "[Rn,Rm]" :
                           *c == 'l' ? "label" : "option";
        int n = snprintf(buf + used, len - used, "%s%s", c == shape ? "" : ", ", word);

        if (n < 0)
            break;
        used += (size_t)n;
    }
    return buf;
}

static int encode_insn(struct enc_ctx *cx, uint32_t *word)
{
    char shape[LITMUS_MAX_OPERANDS + 1] = "", what[64];
    bool known = false;

    for (int i = 0; i < cx->insn->n_ops && i < LITMUS_MAX_OPERANDS; i++)
        shape[i] = shape_letter(&cx->insn->ops[i]);
    shape[cx->insn->n_ops] = '\0';
    for (size_t i = 0; i < sizeof(encodings) / sizeof(encodings[0]); i++) {
        const struct encoding *e = &encodings[i];

        if (strcmp(e->mnemonic, cx->insn->mnemonic))
            continue;
        known = true;
        if (!strcmp(e->shape, shape))
            return e->encode(e, cx, word);
    }
    if (!known)
        return litmus_fail(cx->err, cx->errlen, cx->t->file, cx->insn->line,
                           "P%zu: unknown instruction '%s%s'", cx->thread, cx->insn->mnemonic,
                           litmus_cc_name(cx->insn->cc));
    return fail(cx, "these operands are not supported (%s)", describe_shape(shape, what, sizeof(what)));
}

/* Pass 1: each label's offset; a label names the next word. */
static int collect_labels(struct enc_ctx *cx, const struct litmus_thread *th)
{
    uint32_t pc = 0;

    for (size_t i = 0; i < th->n_code; i++) {
        const struct litmus_instr *insn = &th->code[i];

        if (!insn->label) {
            pc += 4;
            continue;
        }
        for (size_t k = 0; k < cx->n_labels; k++)
            if (!strcmp(cx->label_names[k], insn->label))
                return litmus_fail(cx->err, cx->errlen, cx->t->file, insn->line,
                                   "P%zu: label %s defined twice", cx->thread, insn->label);
        cx->label_names = xrealloc(cx->label_names, (cx->n_labels + 1) * sizeof(char *));
        cx->label_pcs = xrealloc(cx->label_pcs, (cx->n_labels + 1) * sizeof(uint32_t));
        cx->label_names[cx->n_labels] = insn->label;
        cx->label_pcs[cx->n_labels++] = pc;
    }
    return 0;
}

static int encode_all(struct enc_ctx *cx, const struct litmus_thread *th, struct litmus_code *out)
{
    for (size_t i = 0; i < th->n_code; i++) {
        if (th->code[i].label)
            continue;
        cx->insn = &th->code[i];
        cx->pc = (uint32_t)(4 * out->n_words);
        if (encode_insn(cx, &out->words[out->n_words]))
            return -1;
        out->insn_of_word[out->n_words++] = i;
    }
    return 0;
}

int litmus_encode_thread(const struct litmus_test *t, size_t thread, struct litmus_code *out,
                         char *err, size_t errlen)
{
    const struct litmus_thread *th = &t->threads[thread];
    struct enc_ctx cx = { .t = t, .thread = thread, .err = err, .errlen = errlen };
    int rc;

    *out = (struct litmus_code){ .words = xcalloc(th->n_code + 1, sizeof(uint32_t)),
                                 .insn_of_word = xcalloc(th->n_code + 1, sizeof(size_t)) };
    rc = collect_labels(&cx, th) || encode_all(&cx, th, out) ? -1 : 0;
    free(cx.label_names);
    free(cx.label_pcs);
    if (rc)
        litmus_code_free(out);
    return rc;
}

void litmus_code_free(struct litmus_code *c)
{
    free(c->words);
    free(c->insn_of_word);
    *c = (struct litmus_code){ 0 };
}

size_t litmus_encode_load_const(int reg, uint32_t value, uint32_t words[2])
{
    const uint32_t al = field(MOVW_PATTERN, 'c', LITMUS_CC_AL), d = (uint32_t)reg & 0xf;

    words[0] = fixed_bits(MOVW_PATTERN) | al | field(MOVW_PATTERN, 'd', d) |
               field(MOVW_PATTERN, 'i', value & 0xffff);
    if (value >> 16 == 0)
        return 1;
    words[1] = fixed_bits(MOVT_PATTERN) | al | field(MOVT_PATTERN, 'd', d) |
               field(MOVT_PATTERN, 'i', value >> 16);
    return 2;
}
