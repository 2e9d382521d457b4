/*
 * desc.h — the litmus test descriptor: the one interface between the host
 * generator and the guest litmus runtime.
 *
 * A litmus image is the prebuilt guest runtime (build/litmus/litmus-rt.elf)
 * with its `.litmus_desc` section overwritten by the host: no cross
 * compiler runs per test. This header is compiled by both sides (host gcc
 * and arm-none-eabi-gcc), so it holds only fixed-width integers and char
 * arrays, no pointers: the layout is the same on both (little-endian,
 * 4-byte alignment). The guest refuses a descriptor whose magic or version
 * differs.
 *
 * Thread code is position-independent A32 (branches are PC-relative;
 * locations are reached through registers the runtime loads with their
 * addresses), ending with BX LR. The runtime calls it with r0-r12 set from
 * the thread's register table and records r0-r12 when it returns.
 *
 * The condition and the filter are RPN programs over the final state (the
 * `outs`, in print order); see enum litmus_op.
 *
 * Version 2 (v1 had 96 RPN instructions per program and 512 bytes of
 * condition text, and locations that started as constants only) holds
 * every test of the Herding Cats campaign: the longest condition, CoRW3's,
 * compiles to 655 instructions and prints as 3,442 characters, and
 * MP+nondep+dmb starts location x with z's address (loc_kind).
 */
#ifndef LITMUS_DESC_H
#define LITMUS_DESC_H

#include <stdint.h>

#define LITMUS_DESC_MAGIC 0x5354584cu /* "LXTS" */
#define LITMUS_DESC_VERSION 2u

#define LITMUS_MAX_THREADS 8
#define LITMUS_MAX_LOCS 16
#define LITMUS_MAX_CODE 128   /* words per thread */
#define LITMUS_MAX_OUTS 24    /* items of the printed final state */
#define LITMUS_MAX_PROG 1024  /* RPN instructions per program, END included */
#define LITMUS_NAME_LEN 64
#define LITMUS_LABEL_LEN 16
#define LITMUS_TEXT_LEN 4096  /* the condition as printed in the log, NUL included */
#define LITMUS_NREGS 13       /* r0-r12 */

enum litmus_reg_kind {
    LITMUS_REG_UNSET = 0, /* left as the runtime found it (0) */
    LITMUS_REG_CONST = 1, /* value is the constant */
    LITMUS_REG_LOC = 2,   /* value is a location index: its address */
};

/* What a location starts with, in every iteration. Placement is drawn per
 * run, so an address is resolved by the guest, not the host. */
enum litmus_loc_kind {
    LITMUS_LOC_CONST = 0, /* loc_init is the value */
    LITMUS_LOC_ADDR = 1,  /* loc_init is a location index: its address */
};

enum litmus_out_kind {
    LITMUS_OUT_REG = 0, /* thread's register reg after the thread ran */
    LITMUS_OUT_LOC = 1, /* location loc's final value */
};

enum litmus_quantifier {
    LITMUS_EXISTS = 0,     /* exists P      -> "Allowed"   */
    LITMUS_NOT_EXISTS = 1, /* ~exists P     -> "Forbidden" */
    LITMUS_FORALL = 2,     /* forall P      -> "Required"  */
};

/* RPN: each instruction pushes or combines booleans on a small stack. */
enum litmus_op {
    LITMUS_OP_END = 0,   /* end of program: the result is the top */
    LITMUS_OP_TRUE = 1,
    LITMUS_OP_FALSE = 2,
    LITMUS_OP_EQ = 3,    /* push outs[a] == b */
    LITMUS_OP_NE = 4,    /* push outs[a] != b */
    LITMUS_OP_NOT = 5,
    LITMUS_OP_AND = 6,
    LITMUS_OP_OR = 7,
    LITMUS_OP_IMPLIES = 8,
    LITMUS_OP_EQ_LOC = 9, /* push outs[a] == address of location b */
};

struct litmus_insn {
    uint32_t op, a, b;
};

struct litmus_thread_desc {
    uint32_t ncode;
    uint32_t reg_kind[LITMUS_NREGS];
    uint32_t reg_value[LITMUS_NREGS];
    uint32_t code[LITMUS_MAX_CODE];
};

struct litmus_out_desc {
    uint32_t kind;   /* enum litmus_out_kind */
    uint32_t thread; /* LITMUS_OUT_REG */
    uint32_t reg;    /* LITMUS_OUT_REG: 0..12 */
    uint32_t loc;    /* LITMUS_OUT_LOC */
    char label[LITMUS_LABEL_LEN]; /* "1:R0" or "x", as printed */
};

struct litmus_desc {
    uint32_t magic;   /* LITMUS_DESC_MAGIC */
    uint32_t version; /* LITMUS_DESC_VERSION */
    uint32_t size;    /* sizeof(struct litmus_desc), checked by the guest */
    char name[LITMUS_NAME_LEN];
    char verdict[16]; /* first log line's word: Allowed, Forbidden, Required */
    uint32_t nthreads;
    uint32_t nlocs;
    uint32_t nouts;
    uint32_t quantifier; /* enum litmus_quantifier */
    uint32_t loc_kind[LITMUS_MAX_LOCS]; /* enum litmus_loc_kind */
    uint32_t loc_init[LITMUS_MAX_LOCS]; /* a constant or a location index */
    char loc_name[LITMUS_MAX_LOCS][LITMUS_LABEL_LEN];
    struct litmus_out_desc outs[LITMUS_MAX_OUTS];
    struct litmus_insn cond[LITMUS_MAX_PROG];   /* the quantified property P */
    struct litmus_insn filter[LITMUS_MAX_PROG]; /* TRUE when the test has none */
    char cond_text[LITMUS_TEXT_LEN]; /* e.g. "exists (1:R0=1 /\ 1:R2=0)" */
    struct litmus_thread_desc threads[LITMUS_MAX_THREADS];
};

#endif
