/*
 * translate_mem.c — the A32 load/store group: single loads and stores
 * (word, byte, halfword, signed, dual, the unprivileged T forms, PUSH and
 * POP of one register), the block transfers (LDM/STM in every addressing
 * mode, PUSH/POP, the user-register and exception-return forms), the
 * exclusives (LDREX/STREX B/H/D, CLREX) and the preload hints.
 *
 * One rule orders everything here: an access that faults must leave the
 * registers as they were. So each instruction computes its addresses and
 * does all of its loads into temps first, then writes registers; the base
 * register is written back only after every access succeeded.
 *
 * Memops. A single load or store is aligned only when SCTLR.A is set
 * (ARM_TBFLAG_ALIGN); LDRD/STRD, LDM/STM, SRS/RFE and the exclusives
 * always need word (exclusives: natural) alignment, as ARMv7 requires and
 * QEMU enforces. Big-endian data (CPSR.E) is TCG_MO_BSWAP on this
 * little-endian host.
 *
 * UNPREDICTABLE encodings do what QEMU 7.2 does where that is a defined
 * outcome (a differential test compares the two), else UNDEFINED:
 * LDM with writeback and the base in the list, LDRD/STRD with an odd Rt,
 * Rt = 14 or P = 0, W = 1, writeback to the PC, the exclusives' register
 * clashes. docs/design/translator-sys.md has the list.
 */
#include "arm/translate.h"

#include "arm/helper_sys.h"

/* ---- memops ------------------------------------------------------------------- */

/* size_flags: TCG_MO_8/16/32/64, maybe TCG_MO_SIGN. always_align: the
 * instruction needs alignment whatever SCTLR.A says. */
static unsigned mem_op(const struct arm_dc *dc, unsigned size_flags, unsigned mmu_idx,
                       bool always_align)
{
    unsigned mo = size_flags;

    if (TCG_MEMOP_SIZE(size_flags) != TCG_MO_8) {
        if (dc->be_data)
            mo |= TCG_MO_BSWAP;
        if (always_align || (dc->flags & ARM_TBFLAG_ALIGN))
            mo |= TCG_MO_ALIGN;
    }
    return TCG_MEMOP(mo, mmu_idx);
}

/* ---- single loads and stores ----------------------------------------------------- */

struct xfer {
    unsigned rn, rt;
    bool p, u, w;          /* index (pre), add, writeback: as encoded */
    bool load;
    unsigned size;         /* TCG_MO_8/16/32, maybe TCG_MO_SIGN */
    unsigned mmu_idx;
};

/* base +/- offset, the address with the offset applied. */
static tcg_temp offset_addr(struct arm_dc *dc, tcg_temp base, tcg_temp off, bool add)
{
    tcg_temp a = tcg_temp_new_i32(dc->s);

    if (add)
        tcg_gen_add_i32(dc->s, a, base, off);
    else
        tcg_gen_sub_i32(dc->s, a, base, off);
    return a;
}

/* The order matches QEMU's: the load, the base writeback, then Rt (so Rt
 * wins when Rn = Rt); a load into r15 is LoadWritePC (interworking). */
static enum arm_trans gen_xfer(struct arm_dc *dc, const struct xfer *x, tcg_temp off)
{
    bool wback = !x->p || x->w;

    if (wback && x->rn == 15)
        return ARM_TRANS_UNDEF;
    tcg_temp base = arm_load_reg(dc, x->rn);
    tcg_temp offaddr = offset_addr(dc, base, off, x->u);
    tcg_temp addr = x->p ? offaddr : base;
    unsigned memop = mem_op(dc, x->size, x->mmu_idx, false);

    if (x->load) {
        tcg_temp v = tcg_temp_new_i32(dc->s);
        tcg_gen_qemu_ld_i32(dc->s, v, addr, memop);
        if (wback)
            arm_store_reg(dc, x->rn, offaddr);
        arm_store_reg_bx(dc, x->rt, v);
    } else {
        tcg_temp v = arm_load_reg(dc, x->rt);
        tcg_gen_qemu_st_i32(dc->s, v, addr, memop);
        if (wback)
            arm_store_reg(dc, x->rn, offaddr);
    }
    return ARM_TRANS_OK;
}

/* The offset of a _REG form: Rm shifted by an immediate (the halfword
 * forms have no shift fields, which read as LSL #0). */
static tcg_temp reg_offset(struct arm_dc *dc, const struct arm_insn *in)
{
    tcg_temp rm = arm_load_reg(dc, arm_field(in, 'm'));

    return arm_gen_shift_imm(dc, rm, arm_field(in, 'y'), arm_field(in, 'i'), false);
}

/* The offset of an extra load/store _IMM form: imm4H:imm4L. */
static tcg_temp split_imm_offset(struct arm_dc *dc, const struct arm_insn *in)
{
    return tcg_const_i32(dc->s, arm_field(in, 'j') << 4 | arm_field(in, 'i'));
}

/* The fields every single-transfer line shares. unpriv: a T form (P = 0,
 * W = 1 by its pattern), which accesses memory as PL0. */
static struct xfer xfer_of(const struct arm_dc *dc, const struct arm_insn *in, bool load,
                           unsigned size, bool unpriv)
{
    struct xfer x = {
        .rn = arm_field(in, 'n'), .rt = arm_field(in, 't'),
        .p = arm_field(in, 'P'), .u = arm_field(in, 'U'), .w = arm_field(in, 'W'),
        .load = load, .size = size, .mmu_idx = unpriv ? ARM_MMU_IDX_PL0 : dc->mmu_idx,
    };
    if (unpriv) {
        x.p = false;
        x.w = true;
    }
    return x;
}

/* word/byte lines: imm12 or a shifted register. */
static enum arm_trans trans_wb(struct arm_dc *dc, const struct arm_insn *in, bool load,
                               unsigned size, bool unpriv, bool reg)
{
    struct xfer x = xfer_of(dc, in, load, size, unpriv);
    tcg_temp off = reg ? reg_offset(dc, in) : tcg_const_i32(dc->s, arm_field(in, 'i'));

    return gen_xfer(dc, &x, off);
}

/* halfword/signed lines: imm4H:imm4L or a plain register. */
static enum arm_trans trans_extra(struct arm_dc *dc, const struct arm_insn *in, bool load,
                                  unsigned size, bool unpriv, bool reg)
{
    struct xfer x = xfer_of(dc, in, load, size, unpriv);
    tcg_temp off = reg ? reg_offset(dc, in) : split_imm_offset(dc, in);

    return gen_xfer(dc, &x, off);
}

/* PUSH {Rt} = STR Rt, [sp, #-4]!; POP {Rt} = LDR Rt, [sp], #4. */
static enum arm_trans trans_push_pop_one(struct arm_dc *dc, const struct arm_insn *in,
                                         bool load)
{
    struct xfer x = {
        .rn = 13, .rt = arm_field(in, 't'), .p = !load, .u = load, .w = !load,
        .load = load, .size = TCG_MO_32, .mmu_idx = dc->mmu_idx,
    };
    return gen_xfer(dc, &x, tcg_const_i32(dc->s, 4));
}

/* LDRD/STRD: two word accesses at addr and addr + 4, Rt and Rt + 1. As
 * in QEMU, a load writes Rt, Rt2 and then the base. */
static enum arm_trans trans_dual(struct arm_dc *dc, const struct arm_insn *in, bool load,
                                 bool reg)
{
    struct xfer x = xfer_of(dc, in, load, TCG_MO_32, false);
    bool wback = !x.p || x.w;

    if ((x.rt & 1) || x.rt == 14 || (!x.p && x.w) || (wback && x.rn == 15))
        return ARM_TRANS_UNDEF;
    tcg_temp off = reg ? reg_offset(dc, in) : split_imm_offset(dc, in);
    tcg_temp base = arm_load_reg(dc, x.rn);
    tcg_temp offaddr = offset_addr(dc, base, off, x.u);
    tcg_temp addr = x.p ? offaddr : base;
    tcg_temp addr2 = tcg_temp_new_i32(dc->s);
    unsigned memop = mem_op(dc, TCG_MO_32, dc->mmu_idx, true);

    tcg_gen_addi_i32(dc->s, addr2, addr, 4);
    if (load) {
        tcg_temp v1 = tcg_temp_new_i32(dc->s), v2 = tcg_temp_new_i32(dc->s);
        tcg_gen_qemu_ld_i32(dc->s, v1, addr, memop);
        tcg_gen_qemu_ld_i32(dc->s, v2, addr2, memop);
        arm_store_reg(dc, x.rt, v1);
        arm_store_reg(dc, x.rt + 1, v2);
    } else {
        tcg_gen_qemu_st_i32(dc->s, arm_load_reg(dc, x.rt), addr, memop);
        tcg_gen_qemu_st_i32(dc->s, arm_load_reg(dc, x.rt + 1), addr2, memop);
    }
    if (wback)
        arm_store_reg(dc, x.rn, offaddr);
    return ARM_TRANS_OK;
}

/* ---- block transfers ---------------------------------------------------------------- */

enum block_kind { BLOCK_PLAIN, BLOCK_USER, BLOCK_EXCRET };

struct block {
    unsigned rn;
    uint32_t list;         /* bit i: register i */
    bool before, incr, wback;
    enum block_kind kind;
};

static struct block block_of(const struct arm_insn *in, enum block_kind kind)
{
    struct block b = {
        .rn = arm_field(in, 'n'), .list = arm_field(in, 'g'),
        .before = arm_field(in, 'P'), .incr = arm_field(in, 'U'), .wback = arm_field(in, 'W'),
        .kind = kind,
    };
    if (kind == BLOCK_EXCRET)
        b.list |= 1u << 15;      /* the pattern fixes the PC bit */
    return b;
}

/* The lowest address: IA base, IB base + 4, DA base - 4n + 4, DB base - 4n. */
static tcg_temp block_start(struct arm_dc *dc, tcg_temp base, const struct block *b,
                            unsigned n)
{
    tcg_temp a = tcg_temp_new_i32(dc->s);
    uint32_t off;

    if (b->incr)
        off = b->before ? 4 : 0;
    else
        off = b->before ? -4 * n : -4 * n + 4;
    tcg_gen_addi_i32(dc->s, a, base, off);
    return a;
}

static void block_writeback(struct arm_dc *dc, tcg_temp base, const struct block *b,
                            unsigned n)
{
    tcg_temp a = tcg_temp_new_i32(dc->s);

    tcg_gen_addi_i32(dc->s, a, base, b->incr ? 4 * n : -4 * n);
    arm_store_reg(dc, b->rn, a);
}

/* Where the User mode copy of register r lives while in this TB's mode:
 * r8-r12 are banked for FIQ only, r13/r14 for every mode but USR/SYS. */
static size_t user_reg_offset(const struct arm_dc *dc, unsigned r)
{
    enum arm_mode mode = (enum arm_mode)ARM_TBFLAG_MODE(dc->flags);
    bool own_sp_lr = mode != ARM_MODE_USR && mode != ARM_MODE_SYS;

    if (r >= 8 && r <= 12 && mode == ARM_MODE_FIQ)
        return ARM_ENV(usr_r8_12[r - 8]);
    if (r == 13 && own_sp_lr)
        return ARM_ENV(bank_r13[ARM_BANK_USR]);
    if (r == 14 && own_sp_lr)
        return ARM_ENV(bank_r14[ARM_BANK_USR]);
    return ARM_ENV(r[r]);
}

/* The encodings every form refuses, as QEMU does: an empty list, Rn = PC,
 * the ^ forms in User mode (and, UNPREDICTABLE, the exception return in
 * System mode, which has no SPSR), LDM writeback with Rn in the list. */
static bool block_is_undef(const struct arm_dc *dc, const struct block *b, bool load)
{
    enum arm_mode mode = (enum arm_mode)ARM_TBFLAG_MODE(dc->flags);

    if (b->list == 0 || b->rn == 15)
        return true;
    if (b->kind != BLOCK_PLAIN && !dc->privileged)
        return true;
    if (b->kind == BLOCK_EXCRET && mode == ARM_MODE_SYS)
        return true;
    return load && b->wback && (b->list & (1u << b->rn));
}

/* STM: registers in ascending order at ascending addresses; a stored
 * base is its value before the instruction, a stored PC is the
 * instruction's address + 8. */
static enum arm_trans gen_stm(struct arm_dc *dc, const struct block *b)
{
    unsigned n = (unsigned)__builtin_popcount(b->list);

    if (block_is_undef(dc, b, false))
        return ARM_TRANS_UNDEF;
    tcg_temp base = arm_load_reg(dc, b->rn);
    tcg_temp addr = block_start(dc, base, b, n);
    unsigned memop = mem_op(dc, TCG_MO_32, dc->mmu_idx, true);

    for (unsigned i = 0; i < 16; i++) {
        if (!(b->list & (1u << i)))
            continue;
        tcg_temp v;
        if (b->kind == BLOCK_USER && i != 15) {
            v = tcg_temp_new_i32(dc->s);
            tcg_gen_ld_env_i32(dc->s, v, user_reg_offset(dc, i));
        } else {
            v = arm_load_reg(dc, i);
        }
        tcg_gen_qemu_st_i32(dc->s, v, addr, memop);
        tcg_gen_addi_i32(dc->s, addr, addr, 4);
    }
    if (b->wback)
        block_writeback(dc, base, b, n);
    return ARM_TRANS_OK;
}

/* The end of an LDM ... {..., pc}^: CPSR = SPSR, PC = the loaded value. */
static void gen_excret(struct arm_dc *dc, tcg_temp pc)
{
    tcg_temp spsr = tcg_temp_new_i32(dc->s);

    tcg_gen_ld_env_i32(dc->s, spsr, ARM_ENV(spsr));
    arm_gen_exception_return(dc, pc, spsr);
}

/* LDM: every load into a temp, then the registers, the base writeback,
 * and the PC last (LoadWritePC, or the exception return). */
static enum arm_trans gen_ldm(struct arm_dc *dc, const struct block *b)
{
    unsigned n = (unsigned)__builtin_popcount(b->list);
    tcg_temp v[16];

    if (block_is_undef(dc, b, true))
        return ARM_TRANS_UNDEF;
    tcg_temp base = arm_load_reg(dc, b->rn);
    tcg_temp addr = block_start(dc, base, b, n);
    unsigned memop = mem_op(dc, TCG_MO_32, dc->mmu_idx, true);

    for (unsigned i = 0; i < 16; i++) {
        if (!(b->list & (1u << i)))
            continue;
        v[i] = tcg_temp_new_i32(dc->s);
        tcg_gen_qemu_ld_i32(dc->s, v[i], addr, memop);
        tcg_gen_addi_i32(dc->s, addr, addr, 4);
    }
    for (unsigned i = 0; i < 15; i++) {
        if (!(b->list & (1u << i)))
            continue;
        if (b->kind == BLOCK_USER)
            tcg_gen_st_env_i32(dc->s, v[i], user_reg_offset(dc, i));
        else
            arm_store_reg(dc, i, v[i]);
    }
    if (b->wback)
        block_writeback(dc, base, b, n);
    if (b->kind == BLOCK_EXCRET)
        gen_excret(dc, v[15]);
    else if (b->list & (1u << 15))
        arm_store_reg_bx(dc, 15, v[15]);
    return ARM_TRANS_OK;
}

/* PUSH = STMDB sp!, POP = LDMIA sp!. */
static enum arm_trans trans_push_pop(struct arm_dc *dc, const struct arm_insn *in, bool load)
{
    struct block b = {
        .rn = 13, .list = arm_field(in, 'g'), .before = !load, .incr = load, .wback = true,
        .kind = BLOCK_PLAIN,
    };
    return load ? gen_ldm(dc, &b) : gen_stm(dc, &b);
}

/* ---- exclusives ------------------------------------------------------------------------ */

static unsigned excl_op(const struct arm_dc *dc, unsigned size)
{
    return mem_op(dc, size | TCG_MO_EXCL, dc->mmu_idx, true);
}

/* LDREX/LDREXB/LDREXH. */
static enum arm_trans trans_ldrex(struct arm_dc *dc, const struct arm_insn *in, unsigned size)
{
    unsigned rn = arm_field(in, 'n'), rt = arm_field(in, 't');

    if (rn == 15 || rt == 15)
        return ARM_TRANS_UNDEF;
    tcg_temp addr = arm_load_reg(dc, rn);
    tcg_temp mo = tcg_const_i32(dc->s, excl_op(dc, size));
    tcg_temp v = tcg_temp_new_i32(dc->s);

    arm_gen_helper(dc, &arm_helper_ldrex, v, 2, addr, mo);
    arm_store_reg(dc, rt, v);
    return ARM_TRANS_OK;
}

/* LDREXD: one 64-bit exclusive access; Rt gets the word at the lower
 * address whatever the endianness (the high half of a big-endian load). */
static enum arm_trans trans_ldrexd(struct arm_dc *dc, const struct arm_insn *in)
{
    unsigned rn = arm_field(in, 'n'), rt = arm_field(in, 't');

    if (rn == 15 || (rt & 1) || rt == 14)
        return ARM_TRANS_UNDEF;
    tcg_temp addr = arm_load_reg(dc, rn);
    tcg_temp mo = tcg_const_i32(dc->s, excl_op(dc, TCG_MO_64));
    tcg_temp v = tcg_temp_new_i64(dc->s);
    tcg_temp lo = tcg_temp_new_i32(dc->s), hi = tcg_temp_new_i32(dc->s);

    arm_gen_helper(dc, &arm_helper_ldrex, v, 2, addr, mo);
    tcg_gen_extrl_i64_i32(dc->s, lo, v);
    tcg_gen_extrh_i64_i32(dc->s, hi, v);
    arm_store_reg(dc, rt, dc->be_data ? hi : lo);
    arm_store_reg(dc, rt + 1, dc->be_data ? lo : hi);
    return ARM_TRANS_OK;
}

/* STREX/STREXB/STREXH/STREXD: Rd = 0 when stored, 1 when not. The
 * UNPREDICTABLE register clashes are UNDEFINED, as in QEMU. */
static enum arm_trans trans_strex(struct arm_dc *dc, const struct arm_insn *in, unsigned size)
{
    unsigned rn = arm_field(in, 'n'), rd = arm_field(in, 'd'), rt = arm_field(in, 't');
    bool dual = size == TCG_MO_64;
    unsigned rt2 = rt + 1;

    if (rd == 15 || rn == 15 || rt == 15 || rd == rn || rd == rt)
        return ARM_TRANS_UNDEF;
    if (dual && ((rt & 1) || rt2 == 15 || rd == rt2))
        return ARM_TRANS_UNDEF;
    tcg_temp addr = arm_load_reg(dc, rn);
    tcg_temp mo = tcg_const_i32(dc->s, excl_op(dc, size));
    tcg_temp v = arm_load_reg(dc, rt);
    tcg_temp status = tcg_temp_new_i32(dc->s);

    if (dual) {
        tcg_temp v2 = arm_load_reg(dc, rt2), d = tcg_temp_new_i64(dc->s);
        if (dc->be_data)
            tcg_gen_concat_i32_i64(dc->s, d, v2, v);
        else
            tcg_gen_concat_i32_i64(dc->s, d, v, v2);
        v = d;
    }
    arm_gen_helper(dc, &arm_helper_strex, status, 3, addr, v, mo);
    arm_store_reg(dc, rd, status);
    return ARM_TRANS_OK;
}

/* ---- the dispatcher ---------------------------------------------------------------------- */

#define LD true
#define ST false
#define IMM false
#define REG true

static enum arm_trans trans_single(struct arm_dc *dc, const struct arm_insn *in)
{
    switch (in->line) {
    case A32_LDR_IMM:    return trans_wb(dc, in, LD, TCG_MO_32, false, IMM);
    case A32_LDR_REG:    return trans_wb(dc, in, LD, TCG_MO_32, false, REG);
    case A32_STR_IMM:    return trans_wb(dc, in, ST, TCG_MO_32, false, IMM);
    case A32_STR_REG:    return trans_wb(dc, in, ST, TCG_MO_32, false, REG);
    case A32_LDRB_IMM:   return trans_wb(dc, in, LD, TCG_MO_8, false, IMM);
    case A32_LDRB_REG:   return trans_wb(dc, in, LD, TCG_MO_8, false, REG);
    case A32_STRB_IMM:   return trans_wb(dc, in, ST, TCG_MO_8, false, IMM);
    case A32_STRB_REG:   return trans_wb(dc, in, ST, TCG_MO_8, false, REG);
    case A32_LDRT_IMM:   return trans_wb(dc, in, LD, TCG_MO_32, true, IMM);
    case A32_LDRT_REG:   return trans_wb(dc, in, LD, TCG_MO_32, true, REG);
    case A32_STRT_IMM:   return trans_wb(dc, in, ST, TCG_MO_32, true, IMM);
    case A32_STRT_REG:   return trans_wb(dc, in, ST, TCG_MO_32, true, REG);
    case A32_LDRBT_IMM:  return trans_wb(dc, in, LD, TCG_MO_8, true, IMM);
    case A32_LDRBT_REG:  return trans_wb(dc, in, LD, TCG_MO_8, true, REG);
    case A32_STRBT_IMM:  return trans_wb(dc, in, ST, TCG_MO_8, true, IMM);
    case A32_STRBT_REG:  return trans_wb(dc, in, ST, TCG_MO_8, true, REG);
    case A32_PUSH_ONE:   return trans_push_pop_one(dc, in, ST);
    case A32_POP_ONE:    return trans_push_pop_one(dc, in, LD);
    default:             return ARM_TRANS_NOT_MINE;
    }
}

static enum arm_trans trans_extra_line(struct arm_dc *dc, const struct arm_insn *in)
{
    const unsigned sh = TCG_MO_16 | TCG_MO_SIGN, sb = TCG_MO_8 | TCG_MO_SIGN;

    switch (in->line) {
    case A32_LDRH_IMM:   return trans_extra(dc, in, LD, TCG_MO_16, false, IMM);
    case A32_LDRH_REG:   return trans_extra(dc, in, LD, TCG_MO_16, false, REG);
    case A32_STRH_IMM:   return trans_extra(dc, in, ST, TCG_MO_16, false, IMM);
    case A32_STRH_REG:   return trans_extra(dc, in, ST, TCG_MO_16, false, REG);
    case A32_LDRSB_IMM:  return trans_extra(dc, in, LD, sb, false, IMM);
    case A32_LDRSB_REG:  return trans_extra(dc, in, LD, sb, false, REG);
    case A32_LDRSH_IMM:  return trans_extra(dc, in, LD, sh, false, IMM);
    case A32_LDRSH_REG:  return trans_extra(dc, in, LD, sh, false, REG);
    case A32_LDRHT_IMM:  return trans_extra(dc, in, LD, TCG_MO_16, true, IMM);
    case A32_LDRHT_REG:  return trans_extra(dc, in, LD, TCG_MO_16, true, REG);
    case A32_STRHT_IMM:  return trans_extra(dc, in, ST, TCG_MO_16, true, IMM);
    case A32_STRHT_REG:  return trans_extra(dc, in, ST, TCG_MO_16, true, REG);
    case A32_LDRSBT_IMM: return trans_extra(dc, in, LD, sb, true, IMM);
    case A32_LDRSBT_REG: return trans_extra(dc, in, LD, sb, true, REG);
    case A32_LDRSHT_IMM: return trans_extra(dc, in, LD, sh, true, IMM);
    case A32_LDRSHT_REG: return trans_extra(dc, in, LD, sh, true, REG);
    case A32_LDRD_IMM:   return trans_dual(dc, in, LD, IMM);
    case A32_LDRD_REG:   return trans_dual(dc, in, LD, REG);
    case A32_STRD_IMM:   return trans_dual(dc, in, ST, IMM);
    case A32_STRD_REG:   return trans_dual(dc, in, ST, REG);
    default:             return ARM_TRANS_NOT_MINE;
    }
}

static enum arm_trans trans_block_line(struct arm_dc *dc, const struct arm_insn *in)
{
    struct block b;

    switch (in->line) {
    case A32_PUSH:       return trans_push_pop(dc, in, ST);
    case A32_POP:        return trans_push_pop(dc, in, LD);
    case A32_STM:        b = block_of(in, BLOCK_PLAIN);  return gen_stm(dc, &b);
    case A32_LDM:        b = block_of(in, BLOCK_PLAIN);  return gen_ldm(dc, &b);
    case A32_STM_USER:   b = block_of(in, BLOCK_USER);   return gen_stm(dc, &b);
    case A32_LDM_USER:   b = block_of(in, BLOCK_USER);   return gen_ldm(dc, &b);
    case A32_LDM_EXCRET: b = block_of(in, BLOCK_EXCRET); return gen_ldm(dc, &b);
    default:             return ARM_TRANS_NOT_MINE;
    }
}

static enum arm_trans trans_sync_line(struct arm_dc *dc, const struct arm_insn *in)
{
    switch (in->line) {
    case A32_LDREX:   return trans_ldrex(dc, in, TCG_MO_32);
    case A32_LDREXB:  return trans_ldrex(dc, in, TCG_MO_8);
    case A32_LDREXH:  return trans_ldrex(dc, in, TCG_MO_16);
    case A32_LDREXD:  return trans_ldrexd(dc, in);
    case A32_STREX:   return trans_strex(dc, in, TCG_MO_32);
    case A32_STREXB:  return trans_strex(dc, in, TCG_MO_8);
    case A32_STREXH:  return trans_strex(dc, in, TCG_MO_16);
    case A32_STREXD:  return trans_strex(dc, in, TCG_MO_64);
    case A32_CLREX:
        arm_gen_helper(dc, &arm_helper_clrex, TCG_NO_RESULT, 0);
        return ARM_TRANS_OK;
    /* Preloads are hints: no access, no fault. */
    case A32_PLD_IMM: case A32_PLD_REG: case A32_PLDW_IMM: case A32_PLDW_REG:
    case A32_PLI_IMM: case A32_PLI_REG:
        return ARM_TRANS_OK;
    default:
        return ARM_TRANS_NOT_MINE;
    }
}

enum arm_trans arm_translate_mem(struct arm_dc *dc, const struct arm_insn *in)
{
    enum arm_trans r = trans_single(dc, in);

    if (r == ARM_TRANS_NOT_MINE)
        r = trans_extra_line(dc, in);
    if (r == ARM_TRANS_NOT_MINE)
        r = trans_block_line(dc, in);
    if (r == ARM_TRANS_NOT_MINE)
        r = trans_sync_line(dc, in);
    return r;
}
