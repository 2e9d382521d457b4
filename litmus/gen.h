/*
 * gen.h — a parsed litmus test becomes a bare-metal image, without a
 * compiler: the host fills a struct litmus_desc (litmus/desc.h) and writes
 * it into a copy of the prebuilt guest runtime (build/litmus/litmus-rt.elf).
 *
 *   gen.c      struct litmus_test (parsed, registers allocated) -> the
 *              descriptor: code words, register inits, locations, outs,
 *              the condition and the filter as RPN, the quantifier chosen
 *              from the model's verdict
 *   gen_elf.c  the runtime ELF: validate it, find `.litmus_desc`, write a
 *              copy with those bytes replaced
 *
 * Errors are one line. litmus_gen_desc() tells two kinds apart: the test is
 * wrong (an unknown instruction, a register that cannot be encoded: "FILE:
 * LINE: ...", LITMUS_GEN_BAD) or it is fine but beyond what the descriptor
 * holds (too many threads, a condition of more than LITMUS_MAX_PROG RPN
 * instructions: LITMUS_GEN_LIMIT, "FILE: test NAME: ..."). The run reports
 * the first as a failure of the test and the second as "not generated".
 */
#ifndef LITMUS_GEN_H
#define LITMUS_GEN_H

#include "litmus/allowed.h"
#include "litmus/desc.h"
#include "litmus/litmus.h"

#include <stddef.h>
#include <stdint.h>

#define LITMUS_BX_LR 0xe12fff1eu /* every thread's last word */

enum {
    LITMUS_GEN_OK = 0,
    LITMUS_GEN_BAD = -1,   /* the test itself is wrong */
    LITMUS_GEN_LIMIT = -2, /* valid, but the descriptor cannot hold it */
};

/*
 * Fills *d from t, whose registers must be allocated already
 * (litmus_alloc_registers). model is the herd verdict of the test's
 * condition as written (arm.allowed column 1), or LITMUS_MODEL_UNKNOWN.
 * With a verdict the quantifier is rewritten as litmus7 does with a kinds
 * file: P reachable -> `exists P` ("Allowed"), unreachable -> `~exists P`
 * ("Forbidden"). Without one, or for a `forall` test, the file's own
 * quantifier stays: exists -> Allowed, ~exists -> Forbidden, forall ->
 * Required. Returns LITMUS_GEN_OK, _BAD or _LIMIT (message in err).
 */
int litmus_gen_desc(const struct litmus_test *t, enum litmus_model model,
                    struct litmus_desc *d, char *err, size_t errlen);

/* "Allowed", "Forbidden", "Required" for a descriptor quantifier. */
const char *litmus_gen_verdict_word(uint32_t quantifier);

/* Evaluates an RPN program over a final state the way the guest does
 * (litmus/guest/hist.c): vals[o] is out o's value; bit o of addr_mask says
 * it was the address of location vals[o]. prog must be well formed (as
 * litmus_gen_desc writes them). */
bool litmus_desc_eval(const struct litmus_insn *prog, const uint32_t *vals,
                      uint32_t addr_mask);

/* ---- the image (gen_elf.c) ------------------------------------------------- */

/* Finds `.litmus_desc` in the ELF image buf[0..len): checks that it is an
 * ELF32 little-endian ARM file with its section headers and names in
 * range, and that the section is PROGBITS of sizeof(struct litmus_desc)
 * bytes inside the file. Returns 0 and its file offset, or -1 + err
 * (source names the file in the message). */
int litmus_elf_find_desc(const uint8_t *buf, size_t len, const char *source,
                         size_t *offset, char *err, size_t errlen);

/* Reads the runtime ELF and finds its descriptor section: 0, or -1 + err. */
int litmus_elf_check_runtime(const char *runtime_elf, char *err, size_t errlen);

/* Reads runtime_elf, writes out_path: the same bytes with the descriptor
 * section replaced by *d. Returns 0, or -1 with one line in err. */
int litmus_gen_image(const struct litmus_desc *d, const char *runtime_elf,
                     const char *out_path, char *err, size_t errlen);

#endif
