/*
 * difftest_lines.c — which A32 lines the difftest generates, and the rules
 * each generated instruction must obey.
 *
 * Two emulators may legitimately disagree on anything the architecture
 * leaves open, so a sequence holds only instructions whose result the ARM
 * ARM (ARMv7-A/R, chapter A8) defines completely from the registers, the
 * flags and the scratch buffer. That rules out, by line: branches and
 * anything else that writes PC, exceptions and exception returns, mode
 * changes and other system state, waits that may never end. Within a
 * covered line, difftest_insn_rejected() removes the encodings the manual
 * marks "if ... then UNPREDICTABLE" (Rd = PC, RdHi = RdLo, writeback with
 * Rn = Rt, ...) and a few our set-up needs (r13 stays the stack pointer;
 * a register offset must be computable before the sequence runs).
 *
 * The rules are written per line against the manual's encoding-specific
 * pseudocode; the comment above each group names the manual's checks.
 */
#include "harness/difftest.h"

#include <stddef.h>

#define R_BRANCH "a branch: writes PC"
#define R_EXCRET "exception return: writes PC and CPSR from the SPSR"
#define R_EXC "generates an exception"
#define R_UNDEF "UNDEFINED on cortex-a15 (an A32_UNDEF line)"

/* ---- lines -------------------------------------------------------------- */

static const char *excluded_reason(enum a32_line line)
{
    switch (line) {
    case A32_SUBS_PC_IMM: case A32_MOVS_PC_IMM: case A32_SUBS_PC_REG: case A32_MOVS_PC_REG:
    case A32_LDM_EXCRET: case A32_RFE:
        return R_EXCRET;
    case A32_B: case A32_BL: case A32_BLX_IMM: case A32_BX: case A32_BXJ: case A32_BLX_REG:
        return R_BRANCH;
    case A32_SVC: return R_EXC " (SVC 0x123456 is a semihosting call)";
    case A32_HLT: return R_EXC " (HLT 0xF000 is a semihosting call)";
    case A32_BKPT: case A32_SMC: return R_EXC;
    case A32_HVC: return R_EXC " (the PSCI conduit)";
    case A32_WFI: return "waits for an interrupt, and none is enabled";
    case A32_WFE: return "may wait for an event that never comes";
    case A32_MRS_BANKED: case A32_MSR_BANKED:
        return "another mode's banked registers: system state";
    case A32_STM_USER: case A32_LDM_USER:
        return "the User-mode register bank: system state";
    case A32_MCRR: case A32_MRRC:
        return "64-bit system registers: the generic-timer counters change with time";
    case A32_CPS: return "changes the mode or the interrupt masks";
    case A32_SRS: return "stores to another mode's stack";
    default:
        break;
    }
    if (line >= A32_N_LINES || arm_line_is_undefined(line))
        return R_UNDEF;
    return NULL;
}

enum difftest_kind difftest_line_kind(enum a32_line line)
{
    if (excluded_reason(line))
        return DIFFTEST_EXCLUDED;
    switch (line) {
    case A32_LDREX: case A32_LDREXB: case A32_LDREXH: case A32_LDREXD:
        return DIFFTEST_EXCL_LOAD;
    case A32_STREX: case A32_STREXB: case A32_STREXH: case A32_STREXD:
        return DIFFTEST_EXCL_STORE;
    case A32_PUSH: case A32_POP: case A32_PUSH_ONE: case A32_POP_ONE:
        return DIFFTEST_STACK;
    case A32_STM: case A32_LDM:
        return DIFFTEST_MULTI;
    default:
        break;
    }
    if (line >= A32_STRHT_IMM && line <= A32_LDRSH_REG)
        return DIFFTEST_MEM;
    if (line >= A32_STRT_IMM && line <= A32_LDRB_REG)
        return DIFFTEST_MEM;
    return DIFFTEST_PLAIN;
}

const char *difftest_line_excluded(enum a32_line line)
{
    return excluded_reason(line);
}

const char *difftest_line_note(enum a32_line line)
{
    switch (line) {
    case A32_MSR_IMM: case A32_MSR_REG:
        return "APSR only (masks nzcvq, g, nzcvqg): the SPSR and the control bits are system state";
    case A32_MRS: return "CPSR only: the SPSR is UNKNOWN at reset";
    case A32_MCR: case A32_MRC: return "TPIDRURW, TPIDRURO, TPIDRPRW only";
    case A32_LDREX: case A32_LDREXB: case A32_LDREXH: case A32_LDREXD:
        return "followed by a STREX of the same size and address, then CLREX";
    case A32_STREX: case A32_STREXB: case A32_STREXH: case A32_STREXD:
        return "also alone, with the monitor open (it fails)";
    case A32_NOP: case A32_YIELD: case A32_SEV: case A32_DBG: case A32_HINT:
        return "a NOP on one CPU";
    default:
        return NULL;
    }
}

/* ---- per-instruction rules ------------------------------------------------ */

static bool is_reg_letter(char c)
{
    return c == 'n' || c == 'd' || c == 't' || c == 'u' || c == 'm' || c == 's' ||
           c == 'a' || c == 'h' || c == 'l';
}

/* Data processing with an immediate or an immediate-shifted register may
 * read PC (it reads the instruction's address + 8, the same on both
 * emulators since both run the same image); so may the PLD/PLI literal
 * forms. Everywhere else r15 is a PC write or UNPREDICTABLE. */
static bool pc_readable(enum a32_line line, char letter)
{
    if (line >= A32_AND_IMM && line <= A32_MVN_IMM && line != A32_MOVW && line != A32_MOVT)
        return letter == 'n';
    if (line >= A32_AND_REG && line <= A32_MVN_REG)
        return letter == 'n' || letter == 'm';
    if (line == A32_PLD_IMM || line == A32_PLI_IMM)
        return letter == 'n';
    return false;
}

static const char *check_registers(const struct arm_insn *in)
{
    bool coproc = in->line == A32_MCR || in->line == A32_MRC;

    for (unsigned i = 0; i < in->n_fields; i++) {
        char c = in->letters[i];

        if (!is_reg_letter(c) || (coproc && (c == 'n' || c == 'm')))
            continue;
        if (in->values[i] == 13)
            return "r13 is kept as the stack pointer for PUSH/POP";
        if (in->values[i] == 15 && !pc_readable(in->line, c))
            return "r15 here writes PC or is UNPREDICTABLE";
    }
    return NULL;
}

/* MRS/MSR: APSR only; MSR mask 0 is UNPREDICTABLE, masks with c or x write
 * the mode, E or A bits. MCR/MRC: the three thread ID registers. */
static const char *check_system(const struct arm_insn *in)
{
    uint32_t k = arm_field(in, 'k');

    switch (in->line) {
    case A32_MRS:
        return arm_field(in, 'R') ? "MRS SPSR: UNKNOWN at reset" : NULL;
    case A32_MSR_IMM: case A32_MSR_REG:
        if (arm_field(in, 'R'))
            return "MSR SPSR: system state";
        return k == 4 || k == 8 || k == 12 ? NULL : "MSR mask other than APSR_{nzcvq,g,nzcvqg}";
    case A32_MCR: case A32_MRC:
        if (arm_field(in, 'p') == 15 && arm_field(in, 'o') == 0 && arm_field(in, 'n') == 13 &&
            arm_field(in, 'm') == 0 && arm_field(in, 'q') >= 2 && arm_field(in, 'q') <= 4)
            return NULL;
        return "coprocessor register other than TPIDRURW/TPIDRURO/TPIDRPRW";
    default:
        return NULL;
    }
}

/* Multiplies with two destinations: "if dHi == dLo then UNPREDICTABLE".
 * Bitfields: BFC/BFI "if msbit < lsbit", SBFX/UBFX "if msbit > 31". */
static const char *check_arith(const struct arm_insn *in)
{
    switch (in->line) {
    case A32_UMAAL: case A32_UMULL: case A32_UMLAL: case A32_SMULL: case A32_SMLAL:
    case A32_SMLALXY: case A32_SMLALD: case A32_SMLSLD:
        return arm_field(in, 'h') == arm_field(in, 'l') ? "RdHi == RdLo is UNPREDICTABLE" : NULL;
    case A32_BFC: case A32_BFI:
        return arm_field(in, 'w') < arm_field(in, 'i') ? "msb < lsb is UNPREDICTABLE" : NULL;
    case A32_SBFX: case A32_UBFX:
        return arm_field(in, 'i') + arm_field(in, 'w') > 31 ? "lsb + width > 32 is UNPREDICTABLE"
                                                            : NULL;
    default:
        return NULL;
    }
}

/* A doubleword's Rt: "if Rt<0> == '1' UNPREDICTABLE", t2 = t + 1 must not be
 * PC ("if t2 == 15") nor, by our policy, SP. */
static const char *check_pair(uint32_t t)
{
    if (t & 1)
        return "odd Rt in a doubleword access is UNPREDICTABLE";
    if (t >= 12)
        return "Rt2 would be r13 or r15";
    return NULL;
}

/* LDREX*: "if t == 15 || n == 15" (generic). STREX*: "if d == n || d == t"
 * (and d == t2 for STREXD). */
static const char *check_exclusive(const struct arm_insn *in)
{
    uint32_t d = arm_field(in, 'd'), t = arm_field(in, 't'), n = arm_field(in, 'n');

    switch (in->line) {
    case A32_LDREXD:
        return check_pair(t);
    case A32_STREXD:
        if (check_pair(t))
            return check_pair(t);
        if (d == t + 1)
            return "STREXD with Rd == Rt2 is UNPREDICTABLE";
        /* fall through */
    case A32_STREX: case A32_STREXB: case A32_STREXH:
        return d == n || d == t ? "STREX with Rd == Rn or Rd == Rt is UNPREDICTABLE" : NULL;
    default:
        return NULL;
    }
}

/* LDM/STM/PUSH/POP: "BitCount(registers) < 1", LDM "wback && registers<n>"
 * are UNPREDICTABLE, STM with wback stores an UNKNOWN base unless it is
 * the lowest register; PC in the list is a branch (LDM) or an
 * implementation-defined value (STM); SP stays ours. */
static const char *check_multiple(const struct arm_insn *in)
{
    uint32_t list = arm_field(in, 'g');
    bool push_pop = in->line == A32_PUSH || in->line == A32_POP;

    if (list == 0)
        return "an empty register list is UNPREDICTABLE";
    if (list & (1u << 15))
        return "PC in the register list";
    if (list & (1u << 13))
        return "r13 is kept as the stack pointer for PUSH/POP";
    if (!push_pop && arm_field(in, 'W') && (list & (1u << arm_field(in, 'n'))))
        return "writeback with Rn in the list is UNPREDICTABLE (LDM) or UNKNOWN (STM)";
    return NULL;
}

static bool has_writeback(const struct arm_insn *in)
{
    if (!arm_has_field(in, 'P'))
        return true; /* the T forms: always post-indexed */
    return arm_field(in, 'P') == 0 || arm_field(in, 'W') == 1;
}

static bool is_doubleword(enum a32_line line)
{
    return line == A32_LDRD_IMM || line == A32_LDRD_REG || line == A32_STRD_IMM ||
           line == A32_STRD_REG;
}

/* Single loads and stores: "if wback && n == t" (loads: "(n == 15 || n ==
 * t)", stores the same); LDRD/STRD: "if P == '0' && W == '1'", "if wback
 * && (n == t || n == t2)", LDRD (register): "if m == t || m == t2". Our
 * policy: Rm != Rn and no RRX, so the address is known before the run. */
static const char *check_single(const struct arm_insn *in)
{
    uint32_t t = arm_field(in, 't'), n = arm_field(in, 'n'), m = arm_field(in, 'm');
    bool reg = arm_has_field(in, 'm'), dw = is_doubleword(in->line);

    if (dw && check_pair(t))
        return check_pair(t);
    if (dw && arm_field(in, 'P') == 0 && arm_field(in, 'W') == 1)
        return "LDRD/STRD with P == 0 and W == 1 is UNPREDICTABLE";
    if (has_writeback(in) && (n == t || (dw && n == t + 1)))
        return "writeback with Rn == Rt is UNPREDICTABLE";
    if (reg && in->line == A32_LDRD_REG && (m == t || m == t + 1))
        return "LDRD (register) with Rm == Rt or Rt2 is UNPREDICTABLE";
    if (reg && m == n)
        return "Rm == Rn: the address cannot be planned before the run";
    if (reg && arm_has_field(in, 'y') && arm_field(in, 'y') == 3 && arm_field(in, 'i') == 0)
        return "an RRX offset depends on the carry flag: the address cannot be planned";
    return NULL;
}

const char *difftest_insn_rejected(const struct arm_insn *in)
{
    const char *why;

    if (in->line >= A32_N_LINES || difftest_line_excluded(in->line))
        return "the line is excluded";
    if ((why = check_registers(in)) || (why = check_system(in)) || (why = check_arith(in)))
        return why;
    switch (difftest_line_kind(in->line)) {
    case DIFFTEST_EXCL_LOAD: case DIFFTEST_EXCL_STORE:
        return check_exclusive(in);
    case DIFFTEST_MULTI:
        return check_multiple(in);
    case DIFFTEST_STACK:
        return arm_has_field(in, 'g') ? check_multiple(in) : NULL;
    case DIFFTEST_MEM:
        return check_single(in);
    default:
        return NULL;
    }
}
