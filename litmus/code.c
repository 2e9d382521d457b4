/*
 * code.c — one cell of a thread column into instructions, and back.
 *
 * A cell holds nothing, a label ("L0:"), an instruction, or a label then an
 * instruction. An instruction is a mnemonic and up to three operands:
 * registers (R2, %x0), immediates (#1, or a bare 1 as old files write),
 * memory ([R1], [R1,R2], [R1,#4], [R1,%x1]) and names (labels, barrier
 * options). The parser normalizes spelling, not meaning:
 *
 *   ldr / LDR                -> "LDR"
 *   BNE L0                   -> "B", cc NE, label L0
 *   DMB.ST, dmb st           -> "DMB", option ST
 *   LDR R2,R5 / LDR R2,R5,R6 -> LDR R2,[R5] / LDR R2,[R5,R6]  (old files)
 *
 * Whether a mnemonic exists and takes these operands is the encoder's
 * question, so an unknown instruction parses and fails at encoding with
 * its name in the message.
 */
#include "litmus/lex.h"

#include "util/fatal.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

static const char *const cc_names[] = {
    [LITMUS_CC_EQ] = "EQ", [LITMUS_CC_NE] = "NE", [LITMUS_CC_CS] = "CS",
    [LITMUS_CC_CC] = "CC", [LITMUS_CC_MI] = "MI", [LITMUS_CC_PL] = "PL",
    [LITMUS_CC_VS] = "VS", [LITMUS_CC_VC] = "VC", [LITMUS_CC_HI] = "HI",
    [LITMUS_CC_LS] = "LS", [LITMUS_CC_GE] = "GE", [LITMUS_CC_LT] = "LT",
    [LITMUS_CC_GT] = "GT", [LITMUS_CC_LE] = "LE", [LITMUS_CC_AL] = "",
};

const char *litmus_cc_name(enum litmus_cc cc)
{
    return cc <= LITMUS_CC_AL ? cc_names[cc] : "?";
}

static bool is_barrier(const char *mnemonic)
{
    return !strcmp(mnemonic, "DMB") || !strcmp(mnemonic, "DSB") || !strcmp(mnemonic, "ISB");
}

static bool is_load_store(const char *mnemonic)
{
    return !strcmp(mnemonic, "LDR") || !strcmp(mnemonic, "STR");
}

static void upcase(char *s)
{
    for (; *s; s++)
        *s = (char)toupper((unsigned char)*s);
}

/* "BNE" -> "B" + NE; HS and LO are the manual's other names for CS, CC. */
static void split_branch_condition(struct litmus_instr *insn)
{
    const char *m = insn->mnemonic;

    insn->cc = LITMUS_CC_AL;
    if (m[0] != 'B' || strlen(m) != 3)
        return;
    for (int cc = 0; cc < LITMUS_CC_AL; cc++)
        if (!strcmp(m + 1, cc_names[cc]))
            insn->cc = (enum litmus_cc)cc;
    if (!strcmp(m + 1, "HS"))
        insn->cc = LITMUS_CC_CS;
    if (!strcmp(m + 1, "LO"))
        insn->cc = LITMUS_CC_CC;
    if (!strcmp(m + 1, "AL") || insn->cc != LITMUS_CC_AL)
        insn->mnemonic[1] = '\0';
}

static void operand_clear(struct litmus_operand *op)
{
    free(op->reg.sym);
    free(op->index.sym);
    free(op->name);
    *op = (struct litmus_operand){ 0 };
}

void litmus_insn_clear(struct litmus_instr *insn)
{
    for (int i = 0; i < insn->n_ops; i++)
        operand_clear(&insn->ops[i]);
    free(insn->label);
    free(insn->mnemonic);
    *insn = (struct litmus_instr){ 0 };
}

/* Rk or %name. */
static int parse_reg(struct lexer *lx, struct litmus_reg *reg)
{
    char what[64];

    *reg = (struct litmus_reg){ .num = LITMUS_NO_REG };
    if (lex_is(lx, "%")) {
        if (lex_next(lx))
            return -1;
        if (lx->tok.kind != LEX_NAME)
            return lex_fail(lx, "expected a name after '%%', found %s",
                            lex_describe(lx, what, sizeof(what)));
        reg->sym = lex_strdup(&lx->tok);
        return lex_next(lx);
    }
    reg->num = lex_register(&lx->tok);
    if (reg->num < 0)
        return lex_fail(lx, "expected a register (R0..R15 or %%name), found %s",
                        lex_describe(lx, what, sizeof(what)));
    return lex_next(lx);
}

/* [+|-] number, as a signed 32-bit immediate ("#-1", "#0xffffffff"). */
static int parse_number(struct lexer *lx, int32_t *imm)
{
    char what[64];
    bool negative = lex_is(lx, "-");

    if ((negative || lex_is(lx, "+")) && lex_next(lx))
        return -1;
    if (lx->tok.kind != LEX_NUM)
        return lex_fail(lx, "expected a number, found %s", lex_describe(lx, what, sizeof(what)));
    if (negative && lx->tok.num > 0x80000000u)
        return lex_fail(lx, "immediate -%llu does not fit in 32 bits",
                        (unsigned long long)lx->tok.num);
    *imm = (int32_t)(negative ? 0u - (uint32_t)lx->tok.num : (uint32_t)lx->tok.num);
    return lex_next(lx);
}

/* [Rn], [Rn,Rm], [Rn,#k]; registers may be symbolic. */
static int parse_memory(struct lexer *lx, struct litmus_operand *op)
{
    op->kind = LITMUS_OPND_MEM;
    if (lex_next(lx) || parse_reg(lx, &op->reg))
        return -1;
    if (lex_is(lx, ",")) {
        if (lex_next(lx))
            return -1;
        if (lex_is(lx, "#")) {
            if (lex_next(lx) || parse_number(lx, &op->imm))
                return -1;
        } else if (lx->tok.kind == LEX_NUM || lex_is(lx, "-") || lex_is(lx, "+")) {
            if (parse_number(lx, &op->imm))
                return -1;
        } else {
            op->has_index = true;
            if (parse_reg(lx, &op->index))
                return -1;
        }
    }
    return lex_expect(lx, "]", "to close the memory operand");
}

static int parse_operand(struct lexer *lx, struct litmus_operand *op)
{
    char what[64];

    *op = (struct litmus_operand){ .reg.num = LITMUS_NO_REG, .index.num = LITMUS_NO_REG };
    if (lex_is(lx, "["))
        return parse_memory(lx, op);
    op->kind = LITMUS_OPND_IMM;
    if (lex_is(lx, "#"))
        return lex_next(lx) || parse_number(lx, &op->imm) ? -1 : 0;
    if (lx->tok.kind == LEX_NUM || lex_is(lx, "-") || lex_is(lx, "+"))
        return parse_number(lx, &op->imm);
    op->kind = LITMUS_OPND_REG;
    if (lex_is(lx, "%") || lex_register(&lx->tok) >= 0)
        return parse_reg(lx, &op->reg);
    if (lx->tok.kind != LEX_NAME)
        return lex_fail(lx, "expected an operand, found %s", lex_describe(lx, what, sizeof(what)));
    op->kind = LITMUS_OPND_LABEL;
    op->name = lex_strdup(&lx->tok);
    return lex_next(lx);
}

/* Old files write "LDR R2,R5" for [R5] and "LDR R2,R5,R6" for [R5,R6]. */
static int fold_old_address(struct lexer *lx, struct litmus_instr *insn)
{
    struct litmus_operand *base = &insn->ops[1];

    if (!is_load_store(insn->mnemonic) || insn->n_ops < 2 || base->kind != LITMUS_OPND_REG)
        return 0;
    base->kind = LITMUS_OPND_MEM;
    if (insn->n_ops == 3) {
        struct litmus_operand *second = &insn->ops[2];

        if (second->kind == LITMUS_OPND_REG) {
            base->has_index = true;
            base->index = second->reg;
        } else if (second->kind == LITMUS_OPND_IMM) {
            base->imm = second->imm;
        } else {
            return lex_fail(lx, "%s: bad third operand", insn->mnemonic);
        }
        *second = (struct litmus_operand){ 0 };
        insn->n_ops = 2;
    }
    return 0;
}

/* The barrier's option is a name operand, or was glued on with '.'. */
static void names_become_options(struct litmus_instr *insn)
{
    if (!is_barrier(insn->mnemonic))
        return;
    for (int i = 0; i < insn->n_ops; i++)
        if (insn->ops[i].kind == LITMUS_OPND_LABEL) {
            insn->ops[i].kind = LITMUS_OPND_OPTION;
            upcase(insn->ops[i].name);
        }
}

static int parse_operands(struct lexer *lx, struct litmus_instr *insn)
{
    char what[64];

    while (lx->tok.kind != LEX_END) {
        if (insn->n_ops == LITMUS_MAX_OPERANDS)
            return lex_fail(lx, "%s: more than %d operands", insn->mnemonic,
                            LITMUS_MAX_OPERANDS);
        if (parse_operand(lx, &insn->ops[insn->n_ops++]))
            return -1;
        if (lx->tok.kind == LEX_END)
            break;
        if (!lex_is(lx, ","))
            return lex_fail(lx, "expected ',' between operands, found %s",
                            lex_describe(lx, what, sizeof(what)));
        if (lex_next(lx))
            return -1;
        if (lx->tok.kind == LEX_END)
            return lex_fail(lx, "operand missing after ','");
    }
    return 0;
}

static int parse_insn(struct lexer *lx, struct litmus_instr *insn)
{
    char what[64];

    insn->line = lx->tok.line;
    if (lx->tok.kind != LEX_NAME)
        return lex_fail(lx, "expected an instruction, found %s",
                        lex_describe(lx, what, sizeof(what)));
    insn->mnemonic = lex_strdup(&lx->tok);
    upcase(insn->mnemonic);
    split_branch_condition(insn);
    if (lex_next(lx))
        return -1;
    if (lex_is(lx, ".")) { /* DMB.ST */
        if (lex_next(lx))
            return -1;
        if (lx->tok.kind != LEX_NAME)
            return lex_fail(lx, "expected an option after '%s.', found %s", insn->mnemonic,
                            lex_describe(lx, what, sizeof(what)));
        insn->ops[insn->n_ops++] = (struct litmus_operand){
            .kind = LITMUS_OPND_LABEL, .name = lex_strdup(&lx->tok) };
        if (lex_next(lx))
            return -1;
    }
    if (parse_operands(lx, insn))
        return -1;
    names_become_options(insn);
    return fold_old_address(lx, insn);
}

static struct litmus_instr *append(struct litmus_thread *th)
{
    th->code = xrealloc(th->code, (th->n_code + 1) * sizeof(*th->code));
    th->code[th->n_code] = (struct litmus_instr){ .cc = LITMUS_CC_AL };
    return &th->code[th->n_code++];
}

/* A name with ':' right after it starts the cell: a label definition. */
static bool at_label(const struct lexer *lx)
{
    const char *p = lx->p;

    while (p < lx->end && isspace((unsigned char)*p))
        p++;
    return lx->tok.kind == LEX_NAME && p < lx->end && *p == ':';
}

int litmus_parse_cell(const char *file, const char *text, size_t len, int line,
                      struct litmus_thread *th, char *err, size_t errlen)
{
    struct lexer lx;
    struct litmus_instr insn = { .cc = LITMUS_CC_AL };

    if (lex_init(&lx, file, text, len, line, err, errlen))
        return -1;
    if (at_label(&lx)) {
        struct litmus_instr *label = append(th);

        label->label = lex_strdup(&lx.tok);
        label->line = lx.tok.line;
        if (lex_next(&lx) || lex_next(&lx)) /* the name, the ':' */
            return -1;
    }
    if (lx.tok.kind == LEX_END)
        return 0;
    if (parse_insn(&lx, &insn)) {
        litmus_insn_clear(&insn);
        return -1;
    }
    *append(th) = insn;
    return 0;
}

/* ---- printing ------------------------------------------------------------ */

static void print_reg(FILE *f, const struct litmus_reg *reg, bool allocated)
{
    if (reg->sym && !(allocated && reg->num >= 0))
        fprintf(f, "%%%s", reg->sym);
    else
        fprintf(f, "R%d", reg->num);
}

static void print_operand(FILE *f, const struct litmus_operand *op, bool allocated)
{
    switch (op->kind) {
    case LITMUS_OPND_REG:
        print_reg(f, &op->reg, allocated);
        break;
    case LITMUS_OPND_IMM:
        fprintf(f, "#%d", (int)op->imm);
        break;
    case LITMUS_OPND_MEM:
        fputc('[', f);
        print_reg(f, &op->reg, allocated);
        if (op->has_index) {
            fputc(',', f);
            print_reg(f, &op->index, allocated);
        } else if (op->imm) {
            fprintf(f, ",#%d", (int)op->imm);
        }
        fputc(']', f);
        break;
    case LITMUS_OPND_LABEL:
    case LITMUS_OPND_OPTION:
        fputs(op->name, f);
        break;
    }
}

void litmus_insn_print(FILE *f, const struct litmus_instr *insn, bool allocated)
{
    if (insn->label) {
        fprintf(f, "%s:", insn->label);
        return;
    }
    fprintf(f, "%s%s", insn->mnemonic, litmus_cc_name(insn->cc));
    for (int i = 0; i < insn->n_ops; i++) {
        fputs(i ? ", " : " ", f);
        print_operand(f, &insn->ops[i], allocated);
    }
}
