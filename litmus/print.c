/*
 * print.c — a test back in litmus syntax, and a thread's code as a listing.
 *
 * The printed test is normalized (upper-case mnemonics, bracketed memory
 * operands, '#' on immediates, one init item per line, columns padded to
 * line up) and parses back into the same test: the unit tests check that
 * round trip. Rows are not kept from the source: each thread's code is
 * printed from the top, a label on a row of its own, since herd's columns
 * are independent of each other.
 */
#include "litmus/litmus.h"

#include "util/fatal.h"

#include <stdlib.h>
#include <string.h>

static char *insn_text(const struct litmus_instr *insn, bool allocated)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);

    if (!f)
        fatal("open_memstream failed");
    litmus_insn_print(f, insn, allocated);
    fclose(f);
    return buf;
}

static void print_init_item(FILE *f, const struct litmus_init *it)
{
    switch (it->kind) {
    case LITMUS_INIT_REG:
        fprintf(f, "%d:R%d=", it->thread, it->reg);
        break;
    case LITMUS_INIT_SYMREG:
        fprintf(f, "%%%s=", it->name);
        break;
    case LITMUS_INIT_MEM:
        fprintf(f, "%s%s%s=", it->type ? it->type : "", it->type ? " " : "", it->name);
        break;
    }
    litmus_value_print(f, &it->value);
    fputs(";\n", f);
}

static void print_header(FILE *f, const struct litmus_test *t)
{
    fprintf(f, "%s %s\n", t->arch, t->name);
    if (t->doc)
        fprintf(f, "\"%s\"\n", t->doc);
    for (size_t i = 0; i < t->n_keys; i++)
        fprintf(f, "%s=%s\n", t->keys[i].key, t->keys[i].value);
    fputs("{\n", f);
    for (size_t i = 0; i < t->n_init; i++)
        print_init_item(f, &t->init[i]);
    fputs("}\n", f);
}

static void print_cell(FILE *f, const char *text, size_t width, bool last)
{
    fprintf(f, " %-*s %s", (int)width, text, last ? ";\n" : "|");
}

static void print_columns(FILE *f, const struct litmus_test *t)
{
    size_t rows = 0, *width = xcalloc(t->n_threads, sizeof(size_t));
    char ***text = xcalloc(t->n_threads, sizeof(char **));
    char head[24];

    for (size_t c = 0; c < t->n_threads; c++) {
        const struct litmus_thread *th = &t->threads[c];

        width[c] = 3;
        text[c] = xcalloc(th->n_code + 1, sizeof(char *));
        for (size_t r = 0; r < th->n_code; r++) {
            text[c][r] = insn_text(&th->code[r], false);
            if (strlen(text[c][r]) > width[c])
                width[c] = strlen(text[c][r]);
        }
        if (th->n_code > rows)
            rows = th->n_code;
    }
    for (size_t c = 0; c < t->n_threads; c++) {
        snprintf(head, sizeof(head), "P%zu", c);
        print_cell(f, head, width[c], c + 1 == t->n_threads);
    }
    for (size_t r = 0; r < rows; r++)
        for (size_t c = 0; c < t->n_threads; c++)
            print_cell(f, r < t->threads[c].n_code ? text[c][r] : "", width[c],
                       c + 1 == t->n_threads);
    for (size_t c = 0; c < t->n_threads; c++) {
        for (size_t r = 0; r < t->threads[c].n_code; r++)
            free(text[c][r]);
        free(text[c]);
    }
    free(text);
    free(width);
}

static void print_tail(FILE *f, const struct litmus_test *t)
{
    if (t->n_observed) {
        fputs("locations [", f);
        for (size_t i = 0; i < t->n_observed; i++) {
            litmus_lhs_print(f, &t->observed[i]);
            fputs(";", f);
        }
        fputs("]\n", f);
    }
    if (t->filter) {
        fputs("filter (", f);
        litmus_cond_print(f, t->filter);
        fputs(")\n", f);
    }
    fprintf(f, "%s (", litmus_quantifier_name(t->quantifier));
    litmus_cond_print(f, t->cond);
    fputs(")\n", f);
}

void litmus_test_print(FILE *f, const struct litmus_test *t)
{
    print_header(f, t);
    print_columns(f, t);
    print_tail(f, t);
}

static bool has_symbol(const struct litmus_instr *insn)
{
    for (int i = 0; i < insn->n_ops; i++)
        if (insn->ops[i].reg.sym || insn->ops[i].index.sym)
            return true;
    return false;
}

void litmus_code_print(FILE *f, const struct litmus_test *t, size_t thread,
                       const struct litmus_code *code, uint32_t base)
{
    const struct litmus_thread *th = &t->threads[thread];
    size_t word = 0;

    for (size_t i = 0; i < th->n_code; i++) {
        const struct litmus_instr *insn = &th->code[i];
        char *text, *source;

        if (insn->label) {
            fprintf(f, "%14s%s:\n", "", insn->label);
            continue;
        }
        if (word >= code->n_words || code->insn_of_word[word] != i)
            continue; /* not encoded: nothing to list */
        text = insn_text(insn, true);
        fprintf(f, "%08x: %08x  ", base + 4 * (uint32_t)word, code->words[word]);
        if (has_symbol(insn)) {
            source = insn_text(insn, false);
            fprintf(f, "%-24s ; %s", text, source);
            free(source);
        } else {
            fputs(text, f);
        }
        fputc('\n', f);
        free(text);
        word++;
    }
}
