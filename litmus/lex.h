/*
 * lex.h — the token scanner shared by the litmus parsers, and the other
 * calls between litmus/ files that are not public (internal header).
 *
 * The init section, the instruction cells and the tail (locations, filter,
 * condition) all read as the same small tokens: names, numbers and
 * punctuation. A lexer scans one slice of the source and knows the slice's
 * first line, so every message can say FILE:LINE. Tokens point into the
 * source; nothing is copied until a parser keeps a name (lex_strdup).
 */
#ifndef LITMUS_LEX_H
#define LITMUS_LEX_H

#include "litmus/litmus.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum lex_kind { LEX_END, LEX_NAME, LEX_NUM, LEX_PUNCT };

struct lex_token {
    enum lex_kind kind;
    const char *text;  /* into the source; not NUL-terminated */
    size_t len;
    uint64_t num;      /* LEX_NUM; at most 0xffffffff */
    int line;
};

struct lexer {
    const char *file;
    const char *p, *end;
    int line;             /* of p */
    struct lex_token tok; /* the current token */
    int depth;            /* recursion guard for the condition parser */
    char *err;
    size_t errlen;
};

/* Starts on [text, text + len) whose first character is on line; reads the
 * first token. Returns -1 (message written) if that token is bad. */
int lex_init(struct lexer *lx, const char *file, const char *text, size_t len, int line,
             char *err, size_t errlen);
int lex_next(struct lexer *lx);

/* The current token is this punctuation / this name (case-insensitive). */
bool lex_is(const struct lexer *lx, const char *punct);
bool lex_is_name(const struct lexer *lx, const char *name);
/* Consumes the punctuation or fails with "expected 'p' ...". */
int lex_expect(struct lexer *lx, const char *punct, const char *context);

/* Writes "FILE:LINE: message" (line of the current token); returns -1. */
int lex_fail(struct lexer *lx, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* The same message format for callers without a lexer. */
int litmus_fail(char *err, size_t errlen, const char *file, int line, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

char *lex_strdup(const struct lex_token *tok);
/* A short printable form of the token for messages ("end of input"). */
const char *lex_describe(const struct lexer *lx, char *buf, size_t len);

/* "R0".."R15" (either case) -> 0..15, else -1. */
int lex_register(const struct lex_token *tok);
/* A thread prefix "1" or "P1" followed by ':' and a register; fills lhs. */
int lex_parse_thread_reg(struct lexer *lx, int *thread, int *reg);
/* Is the current token "N" or "PN" with ':' next (a thread's register)? */
bool lex_at_thread_prefix(const struct lexer *lx);
/* "x", "[x]" or "N:Rk"/"PN:Rk". */
int lex_parse_lhs(struct lexer *lx, struct litmus_lhs *lhs);
/* ["-"] number, or a location name (its address). */
int lex_parse_value(struct lexer *lx, struct litmus_value *v);

/* The condition grammar from the current token on (cond.c); stops at the
 * first token that cannot continue it. */
int litmus_cond_parse_lex(struct lexer *lx, struct litmus_cond **out);

/* Calls fn on every = and <> atom of c, left to right. */
void litmus_cond_for_each_atom(const struct litmus_cond *c,
                               void (*fn)(const struct litmus_cond *atom, void *ctx), void *ctx);

/* A whole text file, NUL-terminated; one containing NUL bytes is refused. */
int litmus_read_text(const char *path, char **text, char *err, size_t errlen);

/* After parsing (test.c): checks the init section's thread numbers and
 * gathers t->locs. */
int litmus_finish_test(struct litmus_test *t, char *err, size_t errlen);

/* The init section's items (init.c), from the token after '{' to the end
 * of the lexer's slice; appended to t->init. */
int litmus_parse_init_items(struct lexer *lx, struct litmus_test *t);

/* One cell of a thread column (code.c): nothing, "L0:", an instruction,
 * or a label and an instruction; appended to th->code. */
int litmus_parse_cell(const char *file, const char *text, size_t len, int line,
                      struct litmus_thread *th, char *err, size_t errlen);
void litmus_insn_clear(struct litmus_instr *insn);

/* Free what a value or place owns (safe on a zeroed or cleared one). */
void litmus_value_clear(struct litmus_value *v);
void litmus_lhs_clear(struct litmus_lhs *lhs);

#endif
