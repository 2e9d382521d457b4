/*
 * ir.h — strex's intermediate representation: what a front end emits for
 * one translation block (TB), what the optimizer rewrites and what a
 * backend runs.
 *
 * The IR is guest-independent. A TB is a straight list of ops (tcg/ops.def)
 * over typed temps: 32-bit or 64-bit values, each numbered from 0 in its
 * struct tcg_ctx. Temps keep their value across labels inside the TB and
 * are dead when the TB ends; CPU state lives in the front end's env struct
 * and is read and written with ld_env/st_env at byte offsets. Guest memory
 * is reached only through qemu_ld/qemu_st, whose memop carries the size,
 * signedness, alignment requirement and MMU index; the runtime supplies
 * the functions that do the access (struct tcg_mem_ops), so the IR knows
 * nothing of page tables or devices.
 *
 * One struct tcg_ctx is used by one thread at a time: a translating thread
 * owns its context, resets it per TB and hands the finished op list to
 * tcg_optimize() and then to a backend (tcg/interp.h). Nothing here is
 * shared between threads except the read-only op descriptions.
 *
 *     struct tcg_ctx *s = tcg_ctx_new();
 *     tcg_ctx_reset(s);
 *     tcg_temp t = tcg_temp_new_i32(s);
 *     tcg_gen_ld_env_i32(s, t, offsetof(struct cpu, r[0]));
 *     tcg_gen_addi_i32(s, t, t, 1);
 *     tcg_gen_st_env_i32(s, t, offsetof(struct cpu, r[0]));
 *     tcg_gen_exit_tb(s, 0);
 */
#ifndef TCG_IR_H
#define TCG_IR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* ---- op descriptions ---------------------------------------------------- */

enum tcg_op_flags {
    TCG_OPF_SIDE_EFFECTS = 1u << 0, /* never removed, even if its outputs are dead */
    TCG_OPF_BB_END       = 1u << 1, /* ends a basic block: the optimizer forgets what it knew */
    TCG_OPF_MEMORY       = 1u << 2, /* a guest memory access */
    TCG_OPF_BARRIER      = 1u << 3, /* a memory barrier */
    TCG_OPF_CALL         = 1u << 4, /* a helper call (variable argument list) */
    TCG_OPF_READS_ENV    = 1u << 5,
    TCG_OPF_WRITES_ENV   = 1u << 6,
};

enum tcg_opcode {
#define OP(name, n_out, n_in, n_const, flags) TCG_OP_##name,
#include "tcg/ops.def"
    TCG_N_OPS
};

struct tcg_op_def {
    const char *name;
    uint8_t n_out, n_in, n_const;
    unsigned flags;
};

extern const struct tcg_op_def tcg_op_defs[TCG_N_OPS];

/* ---- temps, labels, conditions, memops ----------------------------------- */

typedef uint32_t tcg_temp;   /* an index into the context's temps */
typedef uint32_t tcg_label;  /* an index into the context's labels */

enum tcg_type { TCG_TYPE_I32, TCG_TYPE_I64 };

/* Comparisons on 32-bit values. */
enum tcg_cond {
    TCG_COND_NEVER, TCG_COND_ALWAYS,
    TCG_COND_EQ, TCG_COND_NE,
    TCG_COND_LT, TCG_COND_GE, TCG_COND_LE, TCG_COND_GT,       /* signed */
    TCG_COND_LTU, TCG_COND_GEU, TCG_COND_LEU, TCG_COND_GTU,   /* unsigned */
    TCG_COND_TSTEQ, TCG_COND_TSTNE,                           /* (a & b) == 0, != 0 */
};

/* Evaluates a cond on two 32-bit values: what every backend must agree on. */
bool tcg_cond_eval(enum tcg_cond cond, uint32_t a, uint32_t b);
enum tcg_cond tcg_cond_invert(enum tcg_cond cond);

/* A memop: size, sign, alignment, byte order and MMU index in one word. */
enum tcg_memop_bits {
    TCG_MO_8       = 0,
    TCG_MO_16      = 1,
    TCG_MO_32      = 2,
    TCG_MO_64      = 3,
    TCG_MO_SIZE    = 3,          /* log2 of the access size */
    TCG_MO_SIGN    = 1u << 2,    /* sign-extend a load */
    TCG_MO_BSWAP   = 1u << 3,    /* the access is in the opposite byte order of the host */
    TCG_MO_ALIGN   = 1u << 4,    /* must be aligned to its size, else the runtime faults */
    TCG_MO_EXCL    = 1u << 5,    /* part of an exclusive (LL/SC) pair: the runtime may watch it */
    TCG_MO_IDX_SHIFT = 8,        /* MMU index in bits [11:8] */
};
#define TCG_MEMOP(size_flags, mmu_idx) ((unsigned)(size_flags) | ((unsigned)(mmu_idx) << TCG_MO_IDX_SHIFT))
#define TCG_MEMOP_SIZE(memop)    ((memop) & TCG_MO_SIZE)
#define TCG_MEMOP_MMU_IDX(memop) (((memop) >> TCG_MO_IDX_SHIFT) & 0xf)

/* Barrier kinds for the mb op, as a mask of the orderings kept. */
enum tcg_mo_barrier {
    TCG_BAR_LD_LD = 1u << 0,
    TCG_BAR_ST_LD = 1u << 1,
    TCG_BAR_LD_ST = 1u << 2,
    TCG_BAR_ST_ST = 1u << 3,
    TCG_BAR_ALL   = 0xf,
};

/* ---- helpers -------------------------------------------------------------- */

/* Every helper has one signature: the env pointer and its arguments, each
 * widened to 64 bits (32-bit temps zero-extended). A helper may leave the
 * TB by a non-local exit that the runtime owns (a guest exception); it
 * must not return to a TB whose state it has invalidated. */
typedef uint64_t tcg_helper_fn(void *env, const uint64_t *args);

enum tcg_helper_flags {
    TCG_CALL_PURE        = 1u << 0, /* reads only its arguments: may be removed if its result is dead */
    TCG_CALL_READS_ENV   = 1u << 1, /* informational: reads CPU state */
    TCG_CALL_WRITES_ENV  = 1u << 2, /* writes CPU state: loaded env values are stale after it */
};

#define TCG_MAX_CALL_ARGS 6

struct tcg_helper {
    const char *name;      /* for -d op */
    tcg_helper_fn *fn;
    unsigned flags;        /* enum tcg_helper_flags */
};

/* ---- the op list ------------------------------------------------------------ */

/* A call op's args: [0] the struct tcg_helper pointer, [1] the number of
 * arguments, [2] 1 if it returns a value, [3] the result temp (when [2]
 * is 1), [4...] the argument temps. Every other op: its outputs, then its
 * inputs, then its constants, in ops.def order. */
#define TCG_MAX_OP_ARGS (4 + TCG_MAX_CALL_ARGS)

struct tcg_op {
    uint16_t opc;                   /* enum tcg_opcode */
    uint16_t dead;                  /* set by the optimizer: skip this op */
    uint64_t args[TCG_MAX_OP_ARGS];
};

struct tcg_temp_info {
    uint8_t type;                   /* enum tcg_type */
};

struct tcg_ctx {
    struct tcg_op *ops;
    size_t n_ops, cap_ops;
    struct tcg_temp_info *temps;
    size_t n_temps, cap_temps;
    size_t n_labels;
    /* Where in env the backend records an insn_start's address (so that
     * a fault raised from a load or a helper knows its guest PC); set once
     * by the front end. The field is a uint32_t. */
    size_t insn_start_offset;
};

struct tcg_ctx *tcg_ctx_new(void);
void tcg_ctx_free(struct tcg_ctx *s);
/* Forgets the ops, temps and labels of the previous TB. */
void tcg_ctx_reset(struct tcg_ctx *s);

tcg_temp tcg_temp_new_i32(struct tcg_ctx *s);
tcg_temp tcg_temp_new_i64(struct tcg_ctx *s);
/* A fresh temp holding a constant. */
tcg_temp tcg_const_i32(struct tcg_ctx *s, uint32_t value);
tcg_temp tcg_const_i64(struct tcg_ctx *s, uint64_t value);
tcg_label tcg_label_new(struct tcg_ctx *s);

/* Appends an op; args as laid out above. Returns the op's index. */
size_t tcg_emit(struct tcg_ctx *s, enum tcg_opcode opc, const uint64_t *args, unsigned n_args);

/* ---- emitters: one per op, plus a few conveniences ------------------------- */

void tcg_gen_mov_i32(struct tcg_ctx *s, tcg_temp d, tcg_temp a);
void tcg_gen_movi_i32(struct tcg_ctx *s, tcg_temp d, uint32_t imm);
void tcg_gen_mov_i64(struct tcg_ctx *s, tcg_temp d, tcg_temp a);
void tcg_gen_movi_i64(struct tcg_ctx *s, tcg_temp d, uint64_t imm);

void tcg_gen_add_i32(struct tcg_ctx *s, tcg_temp d, tcg_temp a, tcg_temp b);
void tcg_gen_sub_i32(struct tcg_ctx *s, tcg_temp d, tcg_temp a, tcg_temp b);
void tcg_gen_mul_i32(struct tcg_ctx *s, tcg_temp d, tcg_temp a, tcg_temp b);
void tcg_gen_and_i32(struct tcg_ctx *s, tcg_temp d, tcg_temp a, tcg_temp b);
void tcg_gen_or_i32(struct tcg_ctx *s, tcg_temp d, tcg_temp a, tcg_temp b);
void tcg_gen_xor_i32(struct tcg_ctx *s, tcg_temp d, tcg_temp a, tcg_temp b);
void tcg_gen_andc_i32(struct tcg_ctx *s, tcg_temp d, tcg_temp a, tcg_temp b);
void tcg_gen_shl_i32(struct tcg_ctx *s, tcg_temp d, tcg_temp a, tcg_temp b);
void tcg_gen_shr_i32(struct tcg_ctx *s, tcg_temp d, tcg_temp a, tcg_temp b);
void tcg_gen_sar_i32(struct tcg_ctx *s, tcg_temp d, tcg_temp a, tcg_temp b);
void tcg_gen_rotr_i32(struct tcg_ctx *s, tcg_temp d, tcg_temp a, tcg_temp b);
void tcg_gen_divs_i32(struct tcg_ctx *s, tcg_temp d, tcg_temp a, tcg_temp b);
void tcg_gen_divu_i32(struct tcg_ctx *s, tcg_temp d, tcg_temp a, tcg_temp b);
/* The same with an immediate second operand (a constant temp + the op). */
void tcg_gen_addi_i32(struct tcg_ctx *s, tcg_temp d, tcg_temp a, uint32_t imm);
void tcg_gen_subi_i32(struct tcg_ctx *s, tcg_temp d, tcg_temp a, uint32_t imm);
void tcg_gen_andi_i32(struct tcg_ctx *s, tcg_temp d, tcg_temp a, uint32_t imm);
void tcg_gen_ori_i32(struct tcg_ctx *s, tcg_temp d, tcg_temp a, uint32_t imm);
void tcg_gen_xori_i32(struct tcg_ctx *s, tcg_temp d, tcg_temp a, uint32_t imm);
void tcg_gen_shli_i32(struct tcg_ctx *s, tcg_temp d, tcg_temp a, unsigned count);
void tcg_gen_shri_i32(struct tcg_ctx *s, tcg_temp d, tcg_temp a, unsigned count);
void tcg_gen_sari_i32(struct tcg_ctx *s, tcg_temp d, tcg_temp a, unsigned count);
void tcg_gen_rotri_i32(struct tcg_ctx *s, tcg_temp d, tcg_temp a, unsigned count);

void tcg_gen_neg_i32(struct tcg_ctx *s, tcg_temp d, tcg_temp a);
void tcg_gen_not_i32(struct tcg_ctx *s, tcg_temp d, tcg_temp a);
void tcg_gen_ext8s_i32(struct tcg_ctx *s, tcg_temp d, tcg_temp a);
void tcg_gen_ext8u_i32(struct tcg_ctx *s, tcg_temp d, tcg_temp a);
void tcg_gen_ext16s_i32(struct tcg_ctx *s, tcg_temp d, tcg_temp a);
void tcg_gen_ext16u_i32(struct tcg_ctx *s, tcg_temp d, tcg_temp a);
void tcg_gen_bswap32_i32(struct tcg_ctx *s, tcg_temp d, tcg_temp a);
void tcg_gen_clz_i32(struct tcg_ctx *s, tcg_temp d, tcg_temp a);

void tcg_gen_add2_i32(struct tcg_ctx *s, tcg_temp lo, tcg_temp hi,
                      tcg_temp al, tcg_temp ah, tcg_temp bl, tcg_temp bh);
void tcg_gen_sub2_i32(struct tcg_ctx *s, tcg_temp lo, tcg_temp hi,
                      tcg_temp al, tcg_temp ah, tcg_temp bl, tcg_temp bh);
void tcg_gen_mulu2_i32(struct tcg_ctx *s, tcg_temp lo, tcg_temp hi, tcg_temp a, tcg_temp b);
void tcg_gen_muls2_i32(struct tcg_ctx *s, tcg_temp lo, tcg_temp hi, tcg_temp a, tcg_temp b);

void tcg_gen_setcond_i32(struct tcg_ctx *s, enum tcg_cond cond, tcg_temp d, tcg_temp a, tcg_temp b);
void tcg_gen_movcond_i32(struct tcg_ctx *s, enum tcg_cond cond, tcg_temp d,
                         tcg_temp c1, tcg_temp c2, tcg_temp v1, tcg_temp v2);

void tcg_gen_add_i64(struct tcg_ctx *s, tcg_temp d, tcg_temp a, tcg_temp b);
void tcg_gen_sub_i64(struct tcg_ctx *s, tcg_temp d, tcg_temp a, tcg_temp b);
void tcg_gen_extu_i32_i64(struct tcg_ctx *s, tcg_temp d, tcg_temp a);
void tcg_gen_exts_i32_i64(struct tcg_ctx *s, tcg_temp d, tcg_temp a);
void tcg_gen_extrl_i64_i32(struct tcg_ctx *s, tcg_temp d, tcg_temp a);
void tcg_gen_extrh_i64_i32(struct tcg_ctx *s, tcg_temp d, tcg_temp a);
void tcg_gen_concat_i32_i64(struct tcg_ctx *s, tcg_temp d, tcg_temp lo, tcg_temp hi);

void tcg_gen_ld_env_i32(struct tcg_ctx *s, tcg_temp d, size_t offset);
void tcg_gen_st_env_i32(struct tcg_ctx *s, tcg_temp v, size_t offset);
void tcg_gen_ld_env_i64(struct tcg_ctx *s, tcg_temp d, size_t offset);
void tcg_gen_st_env_i64(struct tcg_ctx *s, tcg_temp v, size_t offset);

void tcg_gen_qemu_ld_i32(struct tcg_ctx *s, tcg_temp d, tcg_temp addr, unsigned memop);
void tcg_gen_qemu_st_i32(struct tcg_ctx *s, tcg_temp v, tcg_temp addr, unsigned memop);
void tcg_gen_qemu_ld_i64(struct tcg_ctx *s, tcg_temp d, tcg_temp addr, unsigned memop);
void tcg_gen_qemu_st_i64(struct tcg_ctx *s, tcg_temp v, tcg_temp addr, unsigned memop);

void tcg_gen_mb(struct tcg_ctx *s, unsigned barrier);

/* ret: the result temp, or ~0u for none. args: n_args temps (<= 6). */
void tcg_gen_call(struct tcg_ctx *s, const struct tcg_helper *helper, tcg_temp ret,
                  unsigned n_args, const tcg_temp *args);
#define TCG_NO_RESULT (~(tcg_temp)0)

void tcg_gen_set_label(struct tcg_ctx *s, tcg_label l);
void tcg_gen_br(struct tcg_ctx *s, tcg_label l);
void tcg_gen_brcond_i32(struct tcg_ctx *s, enum tcg_cond cond, tcg_temp a, tcg_temp b, tcg_label l);
void tcg_gen_brcondi_i32(struct tcg_ctx *s, enum tcg_cond cond, tcg_temp a, uint32_t imm, tcg_label l);

void tcg_gen_goto_tb(struct tcg_ctx *s, unsigned slot);
void tcg_gen_exit_tb(struct tcg_ctx *s, uint64_t value);
void tcg_gen_insn_start(struct tcg_ctx *s, uint64_t pc, uint64_t data);

/* ---- passes and dumps -------------------------------------------------- */

/* Constant folding, copy propagation and dead-code removal (tcg/optimize.c).
 * Never moves an op across a barrier, a memory access or a call. */
void tcg_optimize(struct tcg_ctx *s);

/* Writes the op list as -d op does, one op per line. */
void tcg_dump_ops(const struct tcg_ctx *s, FILE *f);

#endif
