/*
 * interp_priv.h — the compiled form of a TB, shared by its writer
 * (interp.c) and its reader (interp_exec.c).
 *
 *   struct interp_tb   two jump slots and what every op of the TB shares
 *   uint32_t code[]    the ops, one after another
 *
 * Each op is an opcode word followed by its operands, all 32-bit words:
 * first its temps as slot numbers (outputs, then inputs, as in the op
 * list), then its constants (a call puts its constants first). A 64-bit
 * constant or a helper pointer takes two words, low half first. A label
 * is resolved to a word index into code[], so the whole thing is
 * position-independent and may be copied.
 * set_label emits nothing; a dead op emits nothing.
 *
 * Opcode words are enum tcg_opcode values, except that brcond_i32 is
 * specialised by condition (INTERP_BRCOND + cond) so the exec loop does
 * not dispatch twice per branch.
 *
 * Per-op layout after the opcode word (d/a/b: slots):
 *   movi_i32   d imm            movi_i64   d lo hi
 *   setcond    d a b cond       movcond    d c1 c2 v1 v2 cond
 *   ld_env     d offset         st_env     v offset
 *   qemu_ld    d addr memop     qemu_st    v addr memop
 *   call       info fn_lo fn_hi ret args...   (info: INTERP_CALL_*; ret
 *              is present, and ignored, when there is no result)
 *   br         target           brcond+c   a b target
 *   goto_tb    slot             exit_tb    lo hi
 *   insn_start pc               mb         (nothing: every barrier is full)
 *   any other op: its slots only.
 */
#ifndef TCG_INTERP_PRIV_H
#define TCG_INTERP_PRIV_H

#include "tcg/interp.h"

#include <stdatomic.h>
#include <stdint.h>

#define INTERP_MAGIC 0x50544e49u   /* "INTP" */

struct interp_tb {
    _Atomic(const void *) jmp[2];  /* chained successor per goto_tb slot, or NULL */
    uint32_t magic;
    uint32_t insn_start_offset;    /* where insn_start stores the guest PC in env */
    uint32_t n_slots;              /* temp slots the code uses (<= TCG_INTERP_MAX_TEMPS) */
    uint32_t n_words;              /* length of code[] */
    uint32_t n_insns;              /* insn_start ops: the guest instructions */
    uint32_t code[];
};

enum {
    INTERP_BRCOND = TCG_N_OPS,             /* + enum tcg_cond */
    INTERP_N_OPCODES = INTERP_BRCOND + TCG_COND_TSTNE + 1,
};

/* The info word of a call: argument count, and what to do with the result. */
#define INTERP_CALL_NARGS   0xffu
#define INTERP_CALL_RET     (1u << 8)      /* store the result in slot ret */
#define INTERP_CALL_RET_I32 (1u << 9)      /* the result temp is 32-bit: truncate */

#endif
