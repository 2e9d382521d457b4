/*
 * interp.h — the reference backend: it runs the IR itself.
 *
 * tcg_interp_compile() turns an optimized op list into a compact,
 * position-independent form written into memory the caller provides (a
 * slice of the code buffer), so the interpreter's TBs live where a JIT's
 * would and the code buffer and its regions are real before the JIT
 * exists. tcg_interp_exec() runs one compiled TB, following chained jumps
 * into further TBs, until an exit_tb that is not chained.
 *
 * This backend is kept for ever: every other backend is checked against
 * it, so it favours being obviously right over being fast.
 *
 * Threads: compiled code is immutable except its jump slots, which
 * tcg_interp_link()/tcg_interp_unlink() write atomically and
 * tcg_interp_exec() reads atomically; any number of threads may run the
 * same compiled TB at once. A run follows chained jumps only while its
 * exit_request is clear and its chain budget lasts.
 */
#ifndef TCG_INTERP_H
#define TCG_INTERP_H

#include "tcg/ir.h"

#include <stdatomic.h>

/* The exit_tb values with a meaning to the exec loop. A front end ends a
 * TB with goto_tb n followed by exit_tb TCG_EXIT_GOTO_TB(n) for a direct
 * jump, or exit_tb TCG_EXIT_LOOKUP when the next PC is only in env. Values
 * from TCG_EXIT_FRONT_END up are the front end's own. */
#define TCG_EXIT_LOOKUP      0u
#define TCG_EXIT_GOTO_TB(n)  (1u + (n))
#define TCG_EXIT_FRONT_END   16u

/* How generated code reaches guest memory. Both may leave by a non-local
 * exit (a guest fault); the backend keeps no state that such an exit
 * would corrupt. addr is the guest virtual address. memop is passed
 * through unchanged: the runtime does the access it describes (size,
 * alignment check, TCG_MO_BSWAP byte order, MMU index).
 * Width and sign are the backend's job: load returns the loaded value in
 * its low 8 << TCG_MEMOP_SIZE(memop) bits (the bits above are ignored) and
 * the backend zero- or sign-extends it (TCG_MO_SIGN) to the result temp;
 * store receives value already cut to the access size. */
struct tcg_mem_ops {
    uint64_t (*load)(void *env, uint64_t addr, unsigned memop);
    void (*store)(void *env, uint64_t addr, uint64_t value, unsigned memop);
};

struct tcg_interp_run {
    void *env;
    const struct tcg_mem_ops *mem;
    /* Checked before following a chained jump: when non-zero the run
     * returns at the chained TB's exit instead, so the exec loop can take
     * an interrupt or stop. May be NULL. Set by other threads. */
    _Atomic int *exit_request;
    /* Chained jumps this run may still follow: each one takes one, and at
     * 0 a goto_tb leaves by its exit_tb as if it were unlinked. This bounds
     * a run, which a TB linked to itself would otherwise never end. */
    uint64_t chain_budget;
    /* Added to by each chained jump: the TBs it entered and their guest
     * instructions (insn_start ops). Never reset here. */
    uint64_t n_chained, n_chained_insns;
};

/* The most temps one compiled TB may hold at once. Compilation gives
 * temps whose lifetimes do not overlap the same slot, so this bounds the
 * temps live at one point of a TB, not the TB's n_temps; a TB over it is
 * a front-end bug and tcg_interp_compile() calls fatal(). Each
 * tcg_interp_exec() keeps this many 64-bit slots on its stack. */
#define TCG_INTERP_MAX_TEMPS 1024

/* Bytes tcg_interp_compile() would need for s's ops (an upper bound). */
size_t tcg_interp_code_size(const struct tcg_ctx *s);

/* Compiles s into buf (cap bytes, any alignment the caller got from the
 * code buffer rounded to 16). Returns the bytes used, or 0 when cap is too
 * small (the caller takes a new region or flushes). */
size_t tcg_interp_compile(const struct tcg_ctx *s, void *buf, size_t cap);

/* Runs the compiled TB at code. Returns the exit_tb value it left by;
 * *last_code, when last_code is non-NULL, is set to the compiled TB that
 * executed that exit_tb (the one whose jump slot the exec loop may link). */
uint64_t tcg_interp_exec(const void *code, struct tcg_interp_run *run,
                         const void **last_code);

/* Points jump slot `slot` (0 or 1) of the compiled TB at code to the
 * compiled TB at target, or cuts it (target NULL). Atomic against
 * concurrent tcg_interp_exec() of either TB. */
void tcg_interp_link(void *code, unsigned slot, const void *target);
static inline void tcg_interp_unlink(void *code, unsigned slot)
{
    tcg_interp_link(code, slot, NULL);
}

#endif
