/*
 * litmus.h — herdtools ARM litmus tests on the host: parse, allocate,
 * encode, evaluate.
 *
 * The pipeline, one step per file:
 *
 *   parse.c   text -> struct litmus_test: header, sections, tail
 *   init.c    the init section's items
 *   code.c    the thread columns' cells -> struct litmus_instr lists (an
 *             operand AST; mnemonics are not checked here, the encoder
 *             does that)
 *   cond.c    the condition language: parse, evaluate, print
 *   test.c    checks after parsing, the test's locations, freeing
 *   alloc.c   symbolic registers (%x0) -> free real registers, per thread
 *   encode.c  one thread's instructions -> A32 words, labels resolved
 *   print.c   the test printed back in litmus syntax, code listings
 *   cli.c     `strex litmus show` and `strex litmus parse-all`
 *   lex.c     the tokens all the parsers share (lex.h is internal)
 *
 * Every function that can meet bad input returns 0 or -1 and fills a
 * one-line message "FILE:LINE: what is wrong" into (err, errlen); none of
 * them exits or calls fatal() on input, only on running out of memory.
 * The image generator (later) takes a parsed, allocated test, the encoded
 * words of each thread, litmus_thread_inits() and test->locs. Names here
 * stay clear of litmus/desc.h (the descriptor shared with the guest), so
 * the generator can include both.
 */
#ifndef LITMUS_LITMUS_H
#define LITMUS_LITMUS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define LITMUS_MAX_COLUMNS  64  /* threads a file may have; the guest takes fewer */
#define LITMUS_MAX_OPERANDS 3
#define LITMUS_NO_REG       (-1)  /* a symbolic register not yet allocated */

/* A value: a number, or the address of a memory location ("0:R2=x"). */
enum litmus_value_kind { LITMUS_VALUE_INT, LITMUS_VALUE_ADDR };

struct litmus_value {
    enum litmus_value_kind kind;
    uint32_t num;  /* INT: the 32-bit word; "-1" is 0xffffffff */
    char *loc;     /* ADDR: the location's name */
};

/* Something with a final value: a thread's register or a memory location. */
enum litmus_lhs_kind { LITMUS_LHS_REG, LITMUS_LHS_MEM };

struct litmus_lhs {
    enum litmus_lhs_kind kind;
    int thread, reg;  /* REG: "1:R2" and "P1:R2" */
    char *loc;        /* MEM: "x" and "[x]" */
};

/* ---- conditions (cond.c) ------------------------------------------------ */

enum litmus_cond_kind {
    LITMUS_COND_TRUE, LITMUS_COND_FALSE,
    LITMUS_COND_EQ, LITMUS_COND_NE,     /* lhs = value, lhs <> value */
    LITMUS_COND_NOT,                    /* kids[0] */
    LITMUS_COND_AND, LITMUS_COND_OR,    /* kids[0..n_kids), n_kids >= 2 */
    LITMUS_COND_IMPLIES,                /* kids[0] => kids[1] */
};

struct litmus_cond {
    enum litmus_cond_kind kind;
    struct litmus_lhs lhs;      /* EQ, NE */
    struct litmus_value value;  /* EQ, NE */
    struct litmus_cond **kids;
    size_t n_kids;
};

/*
 * A final state, as callbacks so that any representation fits (the guest's
 * result buffer, a parsed log line, a test's table). Each returns 0 and the
 * value, or -1 when it does not know it. addr gives a location's address,
 * needed for atoms like "1:R4=z" (a register holding z's address).
 */
struct litmus_state {
    int (*reg)(void *ctx, int thread, int reg, uint32_t *value);
    int (*mem)(void *ctx, const char *loc, uint32_t *value);
    int (*addr)(void *ctx, const char *loc, uint32_t *value);
    void *ctx;
};

/* Parses a whole condition ("1:R0=1 /\ not (x=2)"); errors name file. */
int litmus_cond_parse(const char *file, const char *text, struct litmus_cond **out,
                      char *err, size_t errlen);
void litmus_cond_free(struct litmus_cond *c);
int litmus_cond_eval(const struct litmus_cond *c, const struct litmus_state *s,
                     bool *holds, char *err, size_t errlen);
/* Herd syntax with the fewest parentheses: "1:R0=1 /\ (x=1 \/ x=2)". */
void litmus_cond_print(FILE *f, const struct litmus_cond *c);
char *litmus_cond_to_string(const struct litmus_cond *c);  /* free() it */

void litmus_value_print(FILE *f, const struct litmus_value *v);
void litmus_lhs_print(FILE *f, const struct litmus_lhs *lhs);

/* litmus7's state line: "1:R0=1; 1:R2=0; x=2;" for the given places. */
int litmus_state_print(FILE *f, const struct litmus_lhs *where, size_t n,
                       const struct litmus_state *s, char *err, size_t errlen);

/* ---- instructions (code.c) ----------------------------------------------- */

/* A register operand: Rk, or %name until alloc.c gives it a number. */
struct litmus_reg {
    int num;    /* 0..15, or LITMUS_NO_REG */
    char *sym;  /* "x0" for %x0, else NULL */
};

enum litmus_operand_kind {
    LITMUS_OPND_REG,     /* R2, %x0 */
    LITMUS_OPND_IMM,     /* #1, or a bare 1 in old files */
    LITMUS_OPND_MEM,     /* [Rn], [Rn,Rm], [Rn,#k]; old "LDR R2,R5[,R6]" */
    LITMUS_OPND_LABEL,   /* B L0 (any other bare name, too) */
    LITMUS_OPND_OPTION,  /* DMB ST, DMB.ST: the barrier option, upper case */
};

struct litmus_operand {
    enum litmus_operand_kind kind;
    struct litmus_reg reg;    /* REG; MEM: the base */
    struct litmus_reg index;  /* MEM with has_index */
    bool has_index;
    int32_t imm;              /* IMM; MEM: the offset */
    char *name;               /* LABEL, OPTION */
};

enum litmus_cc {
    LITMUS_CC_EQ, LITMUS_CC_NE, LITMUS_CC_CS, LITMUS_CC_CC,
    LITMUS_CC_MI, LITMUS_CC_PL, LITMUS_CC_VS, LITMUS_CC_VC,
    LITMUS_CC_HI, LITMUS_CC_LS, LITMUS_CC_GE, LITMUS_CC_LT,
    LITMUS_CC_GT, LITMUS_CC_LE, LITMUS_CC_AL,
};

/* One entry of a thread's code: a label definition or an instruction. */
struct litmus_instr {
    char *label;       /* set: defines this label here; the rest is unused */
    char *mnemonic;    /* upper case, without condition or option: "B", "DMB" */
    enum litmus_cc cc; /* BEQ -> "B" + EQ; AL for everything else */
    struct litmus_operand ops[LITMUS_MAX_OPERANDS];
    int n_ops;
    int line;
};

/* A symbolic register of one thread, after allocation. */
struct litmus_symreg {
    char *name;                /* without '%' */
    int reg;
    struct litmus_value value; /* from the init section */
};

struct litmus_thread {
    struct litmus_instr *code;
    size_t n_code;
    struct litmus_symreg *syms;  /* filled by litmus_alloc_registers() */
    size_t n_syms;
};

void litmus_insn_print(FILE *f, const struct litmus_instr *insn, bool allocated);
const char *litmus_cc_name(enum litmus_cc cc);  /* "EQ"; "" for AL */

/* ---- the test (parse.c) ------------------------------------------------- */

struct litmus_key {
    char *key, *value;  /* "Cycle", "Rfe DpAddrdR Fre DMBdWW" */
};

enum litmus_init_kind {
    LITMUS_INIT_REG,     /* 0:R2=x  P0:R5=1 */
    LITMUS_INIT_SYMREG,  /* %x0=x */
    LITMUS_INIT_MEM,     /* x=1  [x]=1  int y=2  x=z */
};

struct litmus_init {
    enum litmus_init_kind kind;
    int thread, reg;  /* REG */
    char *name;       /* SYMREG: without '%'; MEM: the location */
    char *type;       /* MEM: "int" in "int y=2", else NULL */
    struct litmus_value value;
    int line;
};

/* A memory location the test touches, with its initial value (0 unless
 * the init section says otherwise), in order of first mention. */
struct litmus_location {
    char *name;
    struct litmus_value init;
};

enum litmus_quant { LITMUS_QUANT_EXISTS, LITMUS_QUANT_NOT_EXISTS, LITMUS_QUANT_FORALL };

struct litmus_test {
    char *file, *arch, *name;
    char *doc;                      /* the quoted line, unquoted; or NULL */
    struct litmus_key *keys;
    size_t n_keys;
    struct litmus_init *init;
    size_t n_init;
    struct litmus_thread *threads;  /* threads[i] is Pi */
    size_t n_threads;
    struct litmus_location *locs;
    size_t n_locs;
    struct litmus_lhs *observed;    /* `locations [..]` */
    size_t n_observed;
    struct litmus_cond *filter;     /* or NULL */
    enum litmus_quant quantifier;
    struct litmus_cond *cond;
    int cond_line;
};

/* file names the text in messages; the test is owned by the caller. On
 * failure *t is left empty (safe to free again). */
int litmus_parse_string(const char *file, const char *text, struct litmus_test *t,
                        char *err, size_t errlen);
int litmus_parse_file(const char *path, struct litmus_test *t, char *err, size_t errlen);
void litmus_test_free(struct litmus_test *t);

const char *litmus_quantifier_name(enum litmus_quant q); /* "~exists" */
const struct litmus_location *litmus_find_location(const struct litmus_test *t,
                                                   const char *name);

/* The places litmus7 prints for each outcome: `locations [..]`, then every
 * place the condition and the filter read, without repeats; registers by
 * thread and number first, then memory by name. Free with free(). */
void litmus_test_outcome_places(const struct litmus_test *t, struct litmus_lhs **out,
                                size_t *n);

/* ---- registers and code (alloc.c, encode.c) ------------------------------ */

#define LITMUS_DEFAULT_POOL 0x1fffu  /* R0-R12: never SP, LR or PC */

/*
 * Gives every symbolic register of every thread the lowest register of
 * pool that the thread does not name itself (in its code, its init, the
 * condition, the filter or `locations`). Fills threads[i].syms and the
 * num of every %name operand. Safe to call again (with another pool).
 */
int litmus_alloc_registers(struct litmus_test *t, uint16_t pool, char *err, size_t errlen);

/* Registers the thread uses after allocation: code, init, observed. */
uint16_t litmus_thread_regs_used(const struct litmus_test *t, size_t thread);

/* The registers a thread starts with: explicit "N:Rk=v" inits and its
 * allocated symbolic registers. vals[k] is valid where bit k of *mask is. */
void litmus_thread_inits(const struct litmus_test *t, size_t thread,
                         struct litmus_value vals[16], uint16_t *mask);

struct litmus_code {
    uint32_t *words;       /* at byte offset 4*i from the thread's start */
    size_t n_words;
    size_t *insn_of_word;  /* index into the thread's code[] */
};

/* Encodes thread after allocation; labels resolve within the thread, and
 * a label at the end points just past the last word. */
int litmus_encode_thread(const struct litmus_test *t, size_t thread,
                         struct litmus_code *out, char *err, size_t errlen);
void litmus_code_free(struct litmus_code *c);

/* MOVW (+ MOVT when the top half is not 0) loading value into reg. */
size_t litmus_encode_load_const(int reg, uint32_t value, uint32_t words[2]);

/* ---- printing (print.c) -------------------------------------------------- */

/* The test in litmus syntax (normalized): parsing the output again gives
 * the same test. */
void litmus_test_print(FILE *f, const struct litmus_test *t);
/* "0004: e5810000  STR R0, [R1]   ; %x0" per word, at offset base. */
void litmus_code_print(FILE *f, const struct litmus_test *t, size_t thread,
                       const struct litmus_code *code, uint32_t base);

/* ---- command line (cli.c) ------------------------------------------------ */

/* argv[0] is the subcommand's name; return an exit status. */
/* Unpacks a .tgz with tar into a new folder under $TMPDIR (or /tmp),
 * written to dir; on failure nothing is left behind. */
int litmus_unpack_tgz(const char *tgz, char *dir, size_t dirlen, char *err, size_t errlen);
/* rm -rf dir; nothing when dir is "". */
void litmus_remove_tree(const char *dir);

int litmus_cli_show(int argc, char **argv);
int litmus_cli_parse_all(int argc, char **argv);

struct litmus_campaign {
    size_t total, parsed, encoded, generated;
    size_t by_threads[LITMUS_MAX_COLUMNS + 1];
    size_t insns;
};

/*
 * Parses, allocates, encodes and generates a descriptor (gen.h, without a
 * model verdict) for every .litmus file under path (a folder, or a
 * .tgz/.tar.gz unpacked into a temporary folder with tar). Each failure is
 * written to failures (if not NULL) as one line. Returns 0 when the walk
 * itself worked (the counts then say how many passed).
 */
int litmus_campaign_check(const char *path, struct litmus_campaign *c, FILE *failures,
                          char *err, size_t errlen);

#endif
