/*
 * translate_sys.c — the A32 branch and system group: B/BL/BLX/BX/BXJ, the
 * hints (NOP YIELD WFE WFI SEV DBG), PSR access (MRS, MSR, CPS, SETEND),
 * SRS/RFE, the exception-generating instructions (SVC HVC BKPT HLT SMC),
 * the coprocessor transfers (MCR MRC MCRR MRRC) and the barriers.
 *
 * What the machine is decides several answers (machine-contract.md):
 * cortex-a15 on QEMU's virt has neither the Security nor the
 * Virtualization Extensions, so SMC and the banked-register MRS/MSR are
 * UNDEFINED, yet HVC reaches PSCI in the runtime. Semihosting traps
 * (SVC 0x123456, HLT 0xf000) are taken only from a privileged mode, as
 * QEMU does without -semihosting-config userspace=on.
 *
 * Anything that changes what a TB was translated for (mode, CPSR.E, the
 * interrupt masks, which the exec loop checks between TBs, or a system
 * register) ends the TB with ARM_END_UPDATE. The exception returns (RFE
 * here, LDM ^ in translate_mem.c) leave through arm_cpu_exception_return()
 * and a TB exit to the exec loop.
 */
#include "arm/translate.h"

#include "arm/helper_sys.h"
#include "tcg/interp.h"

/* CPSR bits MSR may write in a privileged mode (no execution-state bits:
 * T, IT, J) and in User mode (APSR: N Z C V Q, GE). */
#define CPSR_MSR_PRIV (CPSR_NZCV | CPSR_Q | CPSR_GE | CPSR_E | CPSR_A | CPSR_I | CPSR_F | CPSR_M)
#define CPSR_MSR_USER (CPSR_NZCV | CPSR_Q | CPSR_GE)
/* The SPSR bits that exist in ARMv7 (bits 23:20 are reserved). */
#define SPSR_VALID    0xff0fffffu

/* SVC and HLT immediates that are semihosting calls in A32. */
#define SEMIHOST_SVC_IMM 0x123456u
#define SEMIHOST_HLT_IMM 0xf000u

static enum arm_mode tb_mode(const struct arm_dc *dc)
{
    return (enum arm_mode)ARM_TBFLAG_MODE(dc->flags);
}

/* The modes that have an SPSR. */
static bool mode_has_spsr(const struct arm_dc *dc)
{
    return tb_mode(dc) != ARM_MODE_USR && tb_mode(dc) != ARM_MODE_SYS;
}

/* ---- branches ----------------------------------------------------------------- */

static uint32_t branch_offset(const struct arm_insn *in)
{
    uint32_t imm24 = arm_field(in, 'i');

    return (uint32_t)((int32_t)(imm24 << 8) >> 6);   /* SignExtend(imm24:'00') */
}

/* B, BL; BLX (immediate) always enters Thumb state, so it reaches the
 * toolkit's not-implemented path after setting LR, as hardware would. */
static enum arm_trans trans_branch(struct arm_dc *dc, const struct arm_insn *in, bool link,
                                   bool to_thumb)
{
    uint32_t dest = dc->pc + 8 + branch_offset(in);

    if (link)
        arm_store_reg(dc, 14, tcg_const_i32(dc->s, dc->pc + 4));
    if (to_thumb)
        arm_store_reg_bx(dc, 15, tcg_const_i32(dc->s, dest | arm_field(in, 'H') << 1 | 1));
    else
        arm_gen_jump(dc, dest);
    return ARM_TRANS_OK;
}

/* BX, BXJ (no Jazelle: a BX), BLX (register): Rm is read before LR is
 * written, so BLX lr works. */
static enum arm_trans trans_bx(struct arm_dc *dc, const struct arm_insn *in, bool link)
{
    tcg_temp target = arm_load_reg(dc, arm_field(in, 'm'));

    if (link)
        arm_store_reg(dc, 14, tcg_const_i32(dc->s, dc->pc + 4));
    arm_store_reg_bx(dc, 15, target);
    return ARM_TRANS_OK;
}

/* ---- hints ------------------------------------------------------------------------ */

static enum arm_trans trans_hint(struct arm_dc *dc, const struct arm_insn *in)
{
    switch (in->line) {
    case A32_YIELD:      /* lets the runtime give the thread to another vCPU */
        arm_gen_exception(dc, ARM_EXCP_YIELD, 0);
        return ARM_TRANS_OK;
    case A32_WFI:
        arm_gen_exception(dc, ARM_EXCP_WFI, 0);
        return ARM_TRANS_OK;
    case A32_WFE:
        arm_gen_helper(dc, &arm_helper_wfe, TCG_NO_RESULT, 0);
        return ARM_TRANS_OK;
    case A32_SEV:
        arm_gen_helper(dc, &arm_helper_sev, TCG_NO_RESULT, 0);
        return ARM_TRANS_OK;
    case A32_NOP: case A32_DBG: case A32_HINT:
        return ARM_TRANS_OK;
    default:
        return ARM_TRANS_NOT_MINE;
    }
}

/* ---- PSR access -------------------------------------------------------------------- */

static enum arm_trans trans_mrs(struct arm_dc *dc, const struct arm_insn *in)
{
    unsigned rd = arm_field(in, 'd');
    tcg_temp v = tcg_temp_new_i32(dc->s);

    if (rd == 15)
        return ARM_TRANS_UNDEF;
    if (arm_field(in, 'R')) {
        if (!mode_has_spsr(dc))
            return ARM_TRANS_UNDEF;
        tcg_gen_ld_env_i32(dc->s, v, ARM_ENV(spsr));
    } else {
        arm_gen_helper(dc, &arm_helper_cpsr_read, v, 0);
    }
    arm_store_reg(dc, rd, v);
    return ARM_TRANS_OK;
}

/* The byte lanes the mask field k selects: c, x, s, f. */
static uint32_t psr_field_mask(unsigned k)
{
    uint32_t m = 0;

    for (unsigned i = 0; i < 4; i++)
        if (k & (1u << i))
            m |= 0xffu << (8 * i);
    return m;
}

/* CPSR bits under mask = v's. A write that may touch more than the APSR
 * (mode, E, A, I, F) ends the TB. */
static void gen_cpsr_write(struct arm_dc *dc, tcg_temp v, uint32_t mask)
{
    if (!mask)
        return;
    arm_gen_helper(dc, &arm_helper_cpsr_write, TCG_NO_RESULT, 2, v,
                   tcg_const_i32(dc->s, mask));
    if (mask & ~CPSR_MSR_USER)
        dc->end = ARM_END_UPDATE;
}

/* MSR to CPSR or SPSR: in User mode only the APSR bits are written; an
 * SPSR write in a mode without one is UNDEFINED. */
static enum arm_trans gen_msr(struct arm_dc *dc, bool spsr, unsigned k, tcg_temp v)
{
    uint32_t mask = psr_field_mask(k);

    if (!spsr) {
        gen_cpsr_write(dc, v, mask & (dc->privileged ? CPSR_MSR_PRIV : CPSR_MSR_USER));
        return ARM_TRANS_OK;
    }
    if (!mode_has_spsr(dc))
        return ARM_TRANS_UNDEF;
    mask &= SPSR_VALID;
    if (mask) {
        tcg_temp old = tcg_temp_new_i32(dc->s), nv = tcg_temp_new_i32(dc->s);
        tcg_gen_ld_env_i32(dc->s, old, ARM_ENV(spsr));
        tcg_gen_andi_i32(dc->s, old, old, ~mask);
        tcg_gen_andi_i32(dc->s, nv, v, mask);
        tcg_gen_or_i32(dc->s, nv, nv, old);
        tcg_gen_st_env_i32(dc->s, nv, ARM_ENV(spsr));
    }
    return ARM_TRANS_OK;
}

/* MSR (immediate): the value is ARMExpandImm(imm12). R = 0 with mask 0
 * is the hint space with non-zero should-be-zero bits: a NOP, as QEMU
 * decodes it. */
static enum arm_trans trans_msr_imm(struct arm_dc *dc, const struct arm_insn *in)
{
    uint32_t imm12 = arm_field(in, 'i'), rot = (imm12 >> 8) * 2, imm8 = imm12 & 0xff;
    uint32_t value = rot ? (imm8 >> rot | imm8 << (32 - rot)) : imm8;
    bool spsr = arm_field(in, 'R');

    if (!spsr && arm_field(in, 'k') == 0)
        return ARM_TRANS_OK;
    return gen_msr(dc, spsr, arm_field(in, 'k'), tcg_const_i32(dc->s, value));
}

static enum arm_trans trans_msr_reg(struct arm_dc *dc, const struct arm_insn *in)
{
    unsigned rn = arm_field(in, 'n');

    if (rn == 15)
        return ARM_TRANS_UNDEF;
    return gen_msr(dc, arm_field(in, 'R'), arm_field(in, 'k'), arm_load_reg(dc, rn));
}

/* CPS: imod 10 clears and 11 sets the chosen A/I/F bits; M changes mode.
 * A NOP in User mode. Like QEMU, the UNPREDICTABLE field mixes are done
 * as written rather than refused. */
static enum arm_trans trans_cps(struct arm_dc *dc, const struct arm_insn *in)
{
    unsigned imod = arm_field(in, 'e'), aif = arm_field(in, 'f');
    uint32_t mask = 0, val = 0;

    if (!dc->privileged)
        return ARM_TRANS_OK;
    if (imod & 2) {
        mask = aif << 6;                 /* f = A:I:F = CPSR bits 8:6 */
        if (imod & 1)
            val = mask;
    }
    if (arm_field(in, 'C')) {
        mask |= CPSR_M;
        val |= arm_field(in, 'M');
    }
    gen_cpsr_write(dc, tcg_const_i32(dc->s, val), mask);
    return ARM_TRANS_OK;
}

/* SETEND: only a change of CPSR.E needs doing (and a new TB). */
static enum arm_trans trans_setend(struct arm_dc *dc, const struct arm_insn *in)
{
    bool be = arm_field(in, 'E');

    if (be == dc->be_data)
        return ARM_TRANS_OK;
    arm_gen_helper(dc, &arm_helper_cpsr_write, TCG_NO_RESULT, 2,
                   tcg_const_i32(dc->s, be ? CPSR_E : 0), tcg_const_i32(dc->s, CPSR_E));
    dc->end = ARM_END_UPDATE;
    return ARM_TRANS_OK;
}

/* ---- SRS and RFE ------------------------------------------------------------------- */

static bool bank_of_mode(unsigned mode, enum arm_bank *bank)
{
    switch (mode) {
    case ARM_MODE_USR: case ARM_MODE_SYS: *bank = ARM_BANK_USR; return true;
    case ARM_MODE_FIQ: *bank = ARM_BANK_FIQ; return true;
    case ARM_MODE_IRQ: *bank = ARM_BANK_IRQ; return true;
    case ARM_MODE_SVC: *bank = ARM_BANK_SVC; return true;
    case ARM_MODE_ABT: *bank = ARM_BANK_ABT; return true;
    case ARM_MODE_UND: *bank = ARM_BANK_UND; return true;
    default: return false;   /* MON, HYP: not on this CPU; others: no mode */
    }
}

/* The first of the two words of SRS/RFE: DA -4, IA 0, DB -8, IB +4. */
static uint32_t srs_rfe_first(bool before, bool incr)
{
    return incr ? (before ? 4 : 0) : (before ? -8u : -4u);
}

/* SRS: stores this mode's LR and SPSR on the stack of mode M (its banked
 * r13). UNDEFINED from User and System mode (no SPSR) and for a mode
 * that does not exist here, as in QEMU. */
static enum arm_trans trans_srs(struct arm_dc *dc, const struct arm_insn *in)
{
    unsigned mode = arm_field(in, 'M');
    bool before = arm_field(in, 'P'), incr = arm_field(in, 'U');
    enum arm_bank bank, own;

    if (!mode_has_spsr(dc) || !bank_of_mode(mode, &bank) || !bank_of_mode(tb_mode(dc), &own))
        return ARM_TRANS_UNDEF;
    size_t sp_off = bank == own ? ARM_ENV(r[13]) : ARM_ENV(bank_r13[bank]);
    unsigned memop = TCG_MEMOP(TCG_MO_32 | TCG_MO_ALIGN | (dc->be_data ? TCG_MO_BSWAP : 0),
                               dc->mmu_idx);
    tcg_temp sp = tcg_temp_new_i32(dc->s), addr = tcg_temp_new_i32(dc->s);
    tcg_temp addr2 = tcg_temp_new_i32(dc->s), spsr = tcg_temp_new_i32(dc->s);

    tcg_gen_ld_env_i32(dc->s, sp, sp_off);
    tcg_gen_addi_i32(dc->s, addr, sp, srs_rfe_first(before, incr));
    tcg_gen_addi_i32(dc->s, addr2, addr, 4);
    tcg_gen_ld_env_i32(dc->s, spsr, ARM_ENV(spsr));
    tcg_gen_qemu_st_i32(dc->s, arm_load_reg(dc, 14), addr, memop);
    tcg_gen_qemu_st_i32(dc->s, spsr, addr2, memop);
    if (arm_field(in, 'W')) {
        tcg_temp wb = tcg_temp_new_i32(dc->s);
        tcg_gen_addi_i32(dc->s, wb, sp, incr ? 8 : -8u);
        tcg_gen_st_env_i32(dc->s, wb, sp_off);
    }
    return ARM_TRANS_OK;
}

/* RFE: loads PC and CPSR, writes the base back in the current mode, then
 * returns from the exception. UNDEFINED in User mode (QEMU); allowed in
 * System mode, which the architecture permits. */
static enum arm_trans trans_rfe(struct arm_dc *dc, const struct arm_insn *in)
{
    unsigned rn = arm_field(in, 'n');
    bool before = arm_field(in, 'P'), incr = arm_field(in, 'U');

    if (!dc->privileged || rn == 15)
        return ARM_TRANS_UNDEF;
    unsigned memop = TCG_MEMOP(TCG_MO_32 | TCG_MO_ALIGN | (dc->be_data ? TCG_MO_BSWAP : 0),
                               dc->mmu_idx);
    tcg_temp base = arm_load_reg(dc, rn), addr = tcg_temp_new_i32(dc->s);
    tcg_temp addr2 = tcg_temp_new_i32(dc->s);
    tcg_temp pc = tcg_temp_new_i32(dc->s), cpsr = tcg_temp_new_i32(dc->s);

    tcg_gen_addi_i32(dc->s, addr, base, srs_rfe_first(before, incr));
    tcg_gen_addi_i32(dc->s, addr2, addr, 4);
    tcg_gen_qemu_ld_i32(dc->s, pc, addr, memop);
    tcg_gen_qemu_ld_i32(dc->s, cpsr, addr2, memop);
    if (arm_field(in, 'W')) {
        tcg_temp wb = tcg_temp_new_i32(dc->s);
        tcg_gen_addi_i32(dc->s, wb, base, incr ? 8 : -8u);
        arm_store_reg(dc, rn, wb);
    }
    arm_gen_exception_return(dc, pc, cpsr);
    return ARM_TRANS_OK;
}

void arm_gen_exception_return(struct arm_dc *dc, tcg_temp pc, tcg_temp cpsr)
{
    arm_gen_helper(dc, &arm_helper_exception_return, TCG_NO_RESULT, 2, pc, cpsr);
    tcg_gen_exit_tb(dc->s, TCG_EXIT_LOOKUP);
    dc->end = ARM_END_JUMP;
}

/* ---- exception-generating instructions ----------------------------------------------- */

static uint32_t imm16_of(const struct arm_insn *in)
{
    return arm_field(in, 'j') << 4 | arm_field(in, 'i');
}

static enum arm_trans trans_excp(struct arm_dc *dc, const struct arm_insn *in)
{
    bool semihost = dc->opts->semihosting && dc->privileged;

    switch (in->line) {
    case A32_SVC:
        if (semihost && arm_field(in, 'i') == SEMIHOST_SVC_IMM)
            arm_gen_exception(dc, ARM_EXCP_SEMIHOST, 0);
        else
            arm_gen_exception(dc, ARM_EXCP_SWI, arm_field(in, 'i'));
        return ARM_TRANS_OK;
    case A32_HLT:        /* halting debug is off: only the semihosting trap */
        if (!semihost || imm16_of(in) != SEMIHOST_HLT_IMM)
            return ARM_TRANS_UNDEF;
        arm_gen_exception(dc, ARM_EXCP_SEMIHOST, 0);
        return ARM_TRANS_OK;
    case A32_BKPT:
        arm_gen_exception(dc, ARM_EXCP_BKPT, imm16_of(in));
        return ARM_TRANS_OK;
    case A32_HVC:        /* the PSCI conduit; UNDEFINED from User mode */
        if (!dc->privileged)
            return ARM_TRANS_UNDEF;
        arm_gen_exception(dc, ARM_EXCP_HVC, imm16_of(in));
        return ARM_TRANS_OK;
    case A32_SMC:        /* no Security Extensions: machine-contract.md §7 */
        return ARM_TRANS_UNDEF;
    default:
        return ARM_TRANS_NOT_MINE;
    }
}

/* ---- coprocessor transfers -------------------------------------------------------------- */

static bool coproc_exists(unsigned cp)
{
    return cp == 14 || cp == 15;
}

/* MRC into r15 sets N Z C V from bits 31:28 (APSR_nzcv). */
static void gen_set_nzcv(struct arm_dc *dc, tcg_temp v)
{
    struct tcg_ctx *s = dc->s;
    tcg_temp z = tcg_temp_new_i32(s), c = tcg_temp_new_i32(s), ov = tcg_temp_new_i32(s);

    tcg_gen_st_env_i32(s, v, ARM_ENV(NF));
    tcg_gen_andi_i32(s, z, v, 1u << 30);
    tcg_gen_xori_i32(s, z, z, 1u << 30);      /* ZF == 0 means Z set */
    tcg_gen_st_env_i32(s, z, ARM_ENV(ZF));
    tcg_gen_shri_i32(s, c, v, 29);
    tcg_gen_andi_i32(s, c, c, 1);
    tcg_gen_st_env_i32(s, c, ARM_ENV(CF));
    tcg_gen_shli_i32(s, ov, v, 3);
    tcg_gen_st_env_i32(s, ov, ARM_ENV(VF));
}

/* MCR/MRC. A write may change translation (SCTLR, TTBR, TLB ops): the
 * TB ends after it. */
static enum arm_trans trans_mcr_mrc(struct arm_dc *dc, const struct arm_insn *in, bool read)
{
    unsigned cp = arm_field(in, 'p'), rt = arm_field(in, 't');
    tcg_temp key = tcg_const_i32(dc->s, ARM_SYSREG_KEY(cp, arm_field(in, 'o'), arm_field(in, 'n'),
                                                        arm_field(in, 'm'), arm_field(in, 'q')));

    if (!coproc_exists(cp) || (!read && rt == 15))
        return ARM_TRANS_UNDEF;
    if (read) {
        tcg_temp v = tcg_temp_new_i32(dc->s);
        arm_gen_helper(dc, &arm_helper_sysreg_read, v, 1, key);
        if (rt == 15)
            gen_set_nzcv(dc, v);
        else
            arm_store_reg(dc, rt, v);
    } else {
        arm_gen_helper(dc, &arm_helper_sysreg_write, TCG_NO_RESULT, 2, key,
                       arm_load_reg(dc, rt));
        dc->end = ARM_END_UPDATE;
    }
    return ARM_TRANS_OK;
}

/* MCRR/MRRC: Rt is the low word, Rt2 the high word. */
static enum arm_trans trans_mcrr_mrrc(struct arm_dc *dc, const struct arm_insn *in, bool read)
{
    unsigned cp = arm_field(in, 'p'), rt = arm_field(in, 't'), rt2 = arm_field(in, 'u');
    tcg_temp key = tcg_const_i32(dc->s, ARM_SYSREG_KEY(cp, arm_field(in, 'o'), 0,
                                                        arm_field(in, 'm'), 0));
    tcg_temp v = tcg_temp_new_i64(dc->s);

    if (!coproc_exists(cp) || rt == 15 || rt2 == 15 || (read && rt == rt2))
        return ARM_TRANS_UNDEF;
    if (read) {
        tcg_temp lo = tcg_temp_new_i32(dc->s), hi = tcg_temp_new_i32(dc->s);
        arm_gen_helper(dc, &arm_helper_sysreg_read64, v, 1, key);
        tcg_gen_extrl_i64_i32(dc->s, lo, v);
        tcg_gen_extrh_i64_i32(dc->s, hi, v);
        arm_store_reg(dc, rt, lo);
        arm_store_reg(dc, rt2, hi);
    } else {
        tcg_gen_concat_i32_i64(dc->s, v, arm_load_reg(dc, rt), arm_load_reg(dc, rt2));
        arm_gen_helper(dc, &arm_helper_sysreg_write64, TCG_NO_RESULT, 2, key, v);
        dc->end = ARM_END_UPDATE;
    }
    return ARM_TRANS_OK;
}

/* ---- the dispatcher ------------------------------------------------------------------------ */

static enum arm_trans trans_control(struct arm_dc *dc, const struct arm_insn *in)
{
    switch (in->line) {
    case A32_B:          return trans_branch(dc, in, false, false);
    case A32_BL:         return trans_branch(dc, in, true, false);
    case A32_BLX_IMM:    return trans_branch(dc, in, true, true);
    case A32_BX:         return trans_bx(dc, in, false);
    case A32_BXJ:        return trans_bx(dc, in, false);
    case A32_BLX_REG:    return trans_bx(dc, in, true);
    case A32_MRS:        return trans_mrs(dc, in);
    case A32_MSR_IMM:    return trans_msr_imm(dc, in);
    case A32_MSR_REG:    return trans_msr_reg(dc, in);
    /* Banked-register access belongs to the Virtualization Extensions,
     * which this CPU does not have (ID_PFR1). */
    case A32_MRS_BANKED: case A32_MSR_BANKED:
        return ARM_TRANS_UNDEF;
    case A32_CPS:        return trans_cps(dc, in);
    case A32_SETEND:     return trans_setend(dc, in);
    case A32_SRS:        return trans_srs(dc, in);
    case A32_RFE:        return trans_rfe(dc, in);
    default:             return ARM_TRANS_NOT_MINE;
    }
}

static enum arm_trans trans_coproc_barrier(struct arm_dc *dc, const struct arm_insn *in)
{
    switch (in->line) {
    case A32_MCR:   return trans_mcr_mrc(dc, in, false);
    case A32_MRC:   return trans_mcr_mrc(dc, in, true);
    case A32_MCRR:  return trans_mcrr_mrrc(dc, in, false);
    case A32_MRRC:  return trans_mcrr_mrrc(dc, in, true);
    /* Every option is a full barrier; the host is TSO, so only the
     * store-to-load order costs anything. */
    case A32_DMB: case A32_DSB:
        tcg_gen_mb(dc->s, TCG_BAR_ALL);
        return ARM_TRANS_OK;
    case A32_ISB:        /* the next instruction is fetched (translated) anew */
        dc->end = ARM_END_UPDATE;
        return ARM_TRANS_OK;
    default:
        return ARM_TRANS_NOT_MINE;
    }
}

enum arm_trans arm_translate_sys(struct arm_dc *dc, const struct arm_insn *in)
{
    enum arm_trans r = trans_control(dc, in);

    if (r == ARM_TRANS_NOT_MINE)
        r = trans_hint(dc, in);
    if (r == ARM_TRANS_NOT_MINE)
        r = trans_excp(dc, in);
    if (r == ARM_TRANS_NOT_MINE)
        r = trans_coproc_barrier(dc, in);
    return r;
}
