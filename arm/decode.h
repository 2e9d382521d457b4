/*
 * decode.h — the A32 decoder: which line of arm/a32.def an instruction
 * word is, and the values of that line's fields.
 *
 * The table (arm/a32.def) is the source of truth; this header generates
 * the line ids from it (A32_AND_IMM, A32_LDREX, ...). arm_decode() is
 * thread-safe: the matcher is built once, on first use, under
 * pthread_once, and is read-only afterwards.
 *
 *     struct arm_insn in;
 *     if (!arm_decode(word, &in))
 *         raise UNDEFINED;          // in.line says why, if a line matched
 *     switch (in.line) { case A32_LDREX: rt = arm_field(&in, 't'); ... }
 */
#ifndef ARM_DECODE_H
#define ARM_DECODE_H

#include <stdbool.h>
#include <stdint.h>

enum a32_line {
#define A32(name, pattern) A32_##name,
#include "arm/a32.def"
    A32_N_LINES,
    A32_NO_LINE = A32_N_LINES, /* nothing matched: an unallocated encoding */
};

/* Enough for the busiest line (LDR_REG: c P U W n t i y m). */
#define ARM_MAX_FIELDS 10

struct arm_insn {
    uint32_t raw;            /* the instruction word */
    enum a32_line line;      /* the line that matched, or A32_NO_LINE */
    uint8_t cond;            /* bits [31:28]; 0xf in the unconditional space */
    uint8_t n_fields;
    char letters[ARM_MAX_FIELDS];    /* fields in pattern order */
    uint32_t values[ARM_MAX_FIELDS]; /* ... and their values, zero-extended */
};

/* Decodes insn into *out. Returns false when the encoding is UNDEFINED:
 * no line matched (out->line = A32_NO_LINE) or the line that matched is
 * an A32_UNDEF one (SWP, UDF, the VFP/NEON space, ...). */
bool arm_decode(uint32_t insn, struct arm_insn *out);

/* The value of field `letter` (see the legend in arm/a32.def); 0 when the
 * line has no such field. */
uint32_t arm_field(const struct arm_insn *insn, char letter);
bool arm_has_field(const struct arm_insn *insn, char letter);

/* The line's name as written in the table ("LDREX"); "UNALLOCATED" for
 * A32_NO_LINE. */
const char *arm_insn_name(enum a32_line line);

/* The line's pattern string, as written in the table ("" for A32_NO_LINE). */
const char *arm_line_pattern(enum a32_line line);

/* True for the A32_UNDEF lines (and A32_NO_LINE). */
bool arm_line_is_undefined(enum a32_line line);

/* The compiled line: insn matches when (insn & mask) == value, and, for
 * a line whose cond is a field, cond != 1111. */
void arm_line_bits(enum a32_line line, uint32_t *mask, uint32_t *value,
                   bool *conditional);

#endif
