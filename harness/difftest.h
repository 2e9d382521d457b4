/*
 * difftest.h — differential testing of A32 execution: random straight-line
 * instruction sequences run on two emulators, final states compared.
 *
 * The pieces, in the order a run uses them:
 *   difftest_lines.c  which arm/a32.def lines are generated, which are
 *                     excluded and why, and the per-instruction rules
 *                     (the ARM ARM's UNPREDICTABLE cases, our policies);
 *   difftest_gen.c    one sequence from (seed, index): random field values
 *                     for a random covered line, re-decoded with
 *                     arm_decode() to land on that line, plus MOVW/MOVT
 *                     set-up words that point every memory access into
 *                     the scratch buffer;
 *   difftest_guest.c  a batch of sequences as one assembly file: vectors,
 *                     a driver that runs each sequence from a known state
 *                     and prints its final state through semihosting;
 *   difftest_cmp.c    parsing those "DT ..." lines and comparing them;
 *   difftest.c        `strex difftest`: options, --list-lines;
 *   difftest_run.c    batches: write, assemble, link, run both emulators,
 *                     compare;
 *   difftest_report.c the summary, OUT/report.md and OUT/report.json.
 *
 * The generator is a pure function of (config, index) and carries its own
 * PRNG state, so sequence K of seed S is the same in every run, on every
 * host, alone or in a batch. docs/difftest.md has the user's view.
 */
#ifndef HARNESS_DIFFTEST_H
#define HARNESS_DIFFTEST_H

#include "arm/decode.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* Guest memory map (physical = virtual, MMU off). The image is linked at
 * 0x40000000; these fixed areas lie beyond it in RAM. Every load and
 * store of a sequence hits [SCRATCH, SCRATCH + SCRATCH_SIZE); PUSH and POP
 * use its upper half, the stack area. */
#define DIFFTEST_IMAGE_BASE   0x40000000u
#define DIFFTEST_SCRATCH      0x40400000u
#define DIFFTEST_SCRATCH_SIZE 4096u
#define DIFFTEST_STACK_AREA   (DIFFTEST_SCRATCH + 2048u)
#define DIFFTEST_STACK_START  (DIFFTEST_SCRATCH + 3072u) /* initial SP */
#define DIFFTEST_MEM_CHUNKS   16u /* the dump hashes the buffer in 256-byte chunks */

/* The state bits compared: NZCVQ (31:27), GE (19:16), E (9). */
#define DIFFTEST_PSR_MASK 0xf80f0200u

/* ---- PRNG (xorshift64*, seeded through splitmix64) ----------------------- */

struct difftest_rng {
    uint64_t s;
};

void difftest_rng_seed(struct difftest_rng *r, uint64_t seed);
uint64_t difftest_rng_next(struct difftest_rng *r);
/* Uniform in [0, n); n > 0. */
uint32_t difftest_rng_below(struct difftest_rng *r, uint32_t n);

/* ---- lines and rules (difftest_lines.c) ---------------------------------- */

enum difftest_kind {
    DIFFTEST_EXCLUDED,
    DIFFTEST_PLAIN,      /* registers and flags only */
    DIFFTEST_MEM,        /* one access through Rn (+ Rm or an immediate) */
    DIFFTEST_MULTI,      /* LDM/STM through Rn */
    DIFFTEST_STACK,      /* PUSH/POP through SP */
    DIFFTEST_EXCL_LOAD,  /* LDREX*: generated as LDREX*, STREX*, CLREX */
    DIFFTEST_EXCL_STORE, /* STREX* with the monitor open: it fails */
};

enum difftest_kind difftest_line_kind(enum a32_line line);
/* Why a line is never generated (NULL for a covered line). */
const char *difftest_line_excluded(enum a32_line line);
/* What is restricted on a covered line ("APSR only"...), or NULL. */
const char *difftest_line_note(enum a32_line line);

/* NULL when the decoded instruction may appear in a sequence; otherwise
 * the rule it breaks: an UNPREDICTABLE case from the ARM ARM, a write to
 * PC or SP, or one of our policies (docs/difftest.md lists them). */
const char *difftest_insn_rejected(const struct arm_insn *in);

/* ---- memory accesses (difftest_gen.c) ------------------------------------ */

struct difftest_access {
    uint32_t addr;  /* lowest byte touched */
    uint32_t size;  /* bytes, contiguous */
    uint32_t align; /* the alignment the access needs */
};

/* The bytes in->raw touches when it executes with these register values
 * (regs[15] is not used). False for an instruction that touches no
 * memory (hints, PLD, data processing). RRX-indexed forms are rejected
 * by difftest_insn_rejected() and not handled here. */
bool difftest_mem_access(const struct arm_insn *in, const uint32_t regs[16],
                         struct difftest_access *acc);

/* ---- sequences (difftest_gen.c) ------------------------------------------ */

struct difftest_slot {
    uint32_t word;
    uint16_t line;  /* enum a32_line it decodes to */
    bool setup;     /* a MOVW/MOVT the generator added, not a tested word */
};

/* One sequence: the state it starts from and its words. r13 always
 * starts at DIFFTEST_STACK_START. */
struct difftest_seq {
    uint32_t index;
    uint64_t seed;       /* this sequence's own seed (for the report) */
    uint32_t regs[15];   /* r0-r14 on entry */
    uint32_t psr;        /* written with MSR APSR_nzcvqg on entry */
    uint32_t mem_seed;   /* the scratch buffer's fill (xorshift32) */
    uint32_t tpidr[3];   /* TPIDRURW, TPIDRURO, TPIDRPRW on entry */
    struct difftest_slot *slots;
    size_t n_slots, n_tested;
};

struct difftest_gen_config {
    uint64_t seed;
    unsigned min_len, max_len; /* tested instructions per sequence */
    /* NULL: every covered line; else picked[line] says which may be drawn
     * (excluded lines are never drawn). */
    const bool *picked;
};

/* Sequence `index` of cfg->seed. Free with difftest_seq_free(). */
void difftest_gen_seq(const struct difftest_gen_config *cfg, uint32_t index,
                      struct difftest_seq *seq);
void difftest_seq_free(struct difftest_seq *seq);

/* MOVW/MOVT Rd, #imm16 with cond AL. */
uint32_t difftest_movw(unsigned rd, uint32_t imm16);
uint32_t difftest_movt(unsigned rd, uint32_t imm16);

/* ---- the guest image (difftest_guest.c) ---------------------------------- */

/* One assembly file (GNU as, A32) holding the driver and these sequences,
 * to be linked at DIFFTEST_IMAGE_BASE with entry _start. It prints one
 * "DT ..." line per sequence on semihosting (the emulator's stderr) and
 * exits through SYS_EXIT with status 0. */
void difftest_write_asm(FILE *f, const struct difftest_seq *seqs, size_t n);

/* ---- results (difftest_cmp.c) -------------------------------------------- */

#define DIFFTEST_N_FIELDS (15 + 1 + DIFFTEST_MEM_CHUNKS) /* r0-r14, psr, m0-m15 */

struct difftest_state {
    uint32_t seq;        /* index in the batch */
    bool exception;      /* an "X" line: the sequence took an exception */
    uint32_t v[DIFFTEST_N_FIELDS]; /* D: r0-r14, psr, m0-m15; X: type, pc, insn */
};

/* Parses one "DT ..." line; 0, or -1 when it is not a well-formed one. */
int difftest_parse_line(const char *line, struct difftest_state *st);
/* The name of field i of a D line: "r0".."r14", "psr", "m0".."m15". */
const char *difftest_field_name(unsigned i);
/* Exception type numbers in X lines, as a word ("undef", ...). */
const char *difftest_exception_name(uint32_t type);

/* Appends to out a description of every difference between a and b
 * ("r3 a=00000001 b=00000000; psr ..."), NUL-terminated and truncated to
 * outlen. Returns the number of differing fields (0: equal). The psr is
 * compared under DIFFTEST_PSR_MASK. */
size_t difftest_compare(const struct difftest_state *a, const struct difftest_state *b,
                        char *out, size_t outlen);

/* All "DT" lines of an emulator's output, indexed by sequence (batch
 * index); have[i] false when sequence i printed nothing. */
struct difftest_output {
    struct difftest_state *states;
    bool *have;
    size_t n;
};
void difftest_output_parse(const char *text, size_t n_seqs, struct difftest_output *out);
void difftest_output_free(struct difftest_output *out);

/* ---- the command (difftest.c, difftest_run.c, difftest_report.c) -------- */

struct difftest_options {
    const char *emu_a, *emu_b, *out_dir;
    unsigned long count, batch, min_len, max_len, seed;
    unsigned jobs, timeout_s;
    bool help, list_lines;
    bool have_lines;             /* --lines given: picked[] says which */
    bool picked[A32_N_LINES];
    unsigned long *only;         /* --only: these indices instead of 0..count-1 */
    size_t n_only;
};

/* argv[0] is "difftest". 0, or -1 with a one-line message in err. */
int difftest_parse_options(int argc, char **argv, struct difftest_options *o, char *err,
                           size_t errlen);
void difftest_options_free(struct difftest_options *o);

/* What a run found, for the report. seq indexes seqs[]. */
struct difftest_finding {
    size_t seq;
    char *what;
};

struct difftest_failure {
    size_t batch;
    char *what;
};

struct difftest_result {
    const struct difftest_options *o;
    const char *label_a, *label_b; /* the emulators as given */
    struct difftest_seq *seqs;
    size_t n_seqs, n_batches, n_compared;
    struct difftest_finding *diffs;
    size_t n_diffs;
    struct difftest_failure *fails;
    size_t n_fails;
    double seconds;
};

/* Generates, builds, runs and compares; returns the exit status. */
int difftest_run(const struct difftest_options *o);
/* Prints the summary and the first differences to f, writes
 * OUT/report.md and OUT/report.json (disassembling the differing
 * sequences with arm-none-eabi-objdump when it is there). */
void difftest_report(const struct difftest_result *res, FILE *f);

/* `strex difftest ...`: argv[0] is "difftest". Exit status 0 with no
 * difference, 1 with differences or a failed run, 2 on bad usage or a
 * missing tool. */
int difftest_main(int argc, char **argv);

#endif
