/*
 * mmu.c — the VMSAv7 stage-1 translation table walk for PL1&0 (see mmu.h).
 *
 * Two formats, picked by TTBCR.EAE as the architecture does:
 *  - short descriptors: TTBCR.N splits the VA space between TTBR0 and
 *    TTBR1; first level gives faults, page tables, 1 MiB sections and
 *    16 MiB supersections (40-bit PA), second level 64 KiB large and
 *    4 KiB small pages. Domains come from DACR, permissions from AP[2:0]
 *    (or the simplified AP[2:1] model with the access flag when
 *    SCTLR.AFE is set). A15 implements PXN in short descriptors too.
 *  - long descriptors (LPAE): T0SZ/T1SZ pick the table, the walk starts
 *    at level 1 (T*SZ 0..1) or level 2, with 1 GiB and 2 MiB blocks and
 *    4 KiB pages; APTable/XNTable/PXNTable restrict later levels.
 *
 * Fault priority is that of the ARM ARM pseudocode: walk external abort,
 * translation, access flag (raised while walking), then domain, then
 * permission. Fault status words are built here, ready for DFSR/IFSR.
 *
 * Memory types (TEX/C/B, AttrIndx) do not change what an access does in
 * strex, so they are not decoded. The walk only reads guest memory,
 * through the caller's callback, and keeps no state between calls, so
 * any number of vCPU threads may walk at once.
 */
#include "arm/mmu.h"

#include <stddef.h>

#define PROT_RW (ARM_PROT_READ | ARM_PROT_WRITE)
#define PROT_ALL (ARM_PROT_READ | ARM_PROT_WRITE | ARM_PROT_EXEC)

#define SCTLR_WXN (1u << 19)
#define SCTLR_UWXN (1u << 20)

/* Short-descriptor FS[4:0] values. */
enum {
    FS_AF_SECTION = 0x03, FS_TRANS_SECTION = 0x05, FS_AF_PAGE = 0x06,
    FS_TRANS_PAGE = 0x07, FS_DOMAIN_SECTION = 0x09, FS_DOMAIN_PAGE = 0x0b,
    FS_WALK_EXT_L1 = 0x0c, FS_PERM_SECTION = 0x0d, FS_WALK_EXT_L2 = 0x0e,
    FS_PERM_PAGE = 0x0f,
};

/* Long-descriptor STATUS values, level in [1:0]. */
enum {
    LS_TRANSLATION = 0x04, LS_ACCESS_FLAG = 0x08, LS_PERMISSION = 0x0c,
    LS_WALK_EXT = 0x14,
};

#define FSR_WNR (1u << 11)
#define FSR_LPAE (1u << 9)

/* One walk's inputs. */
struct walk {
    const struct arm_cpu *cpu;
    uint32_t va;
    enum arm_access type;
    enum arm_mmu_idx idx;
    arm_mmu_read_fn *read;
    void *opaque;
};

/* What the final descriptor (and, for LPAE, the tables above it) allow,
 * before the checks. */
struct leaf {
    uint64_t pa;
    uint32_t size;
    unsigned ap;         /* short: AP[2:0]; long: AP[2:1] */
    bool xn, pxn, ng;
    unsigned domain;     /* short only */
    bool section;        /* short: first-level entry (FSR section codes) */
    unsigned level;      /* long: 1..3 */
};

static bool read_word(const struct walk *w, uint64_t pa, uint32_t *v)
{
    if (!w->read(w->opaque, pa, v))
        return false;
    if (w->cpu->cp15.sctlr & SCTLR_EE)   /* tables are big-endian too */
        *v = __builtin_bswap32(*v);
    return true;
}

static uint32_t wnr(const struct walk *w)
{
    return w->type == ARM_ACCESS_WRITE ? FSR_WNR : 0;
}

static bool wanted(const struct walk *w, unsigned prot)
{
    static const unsigned need[] = {
        [ARM_ACCESS_READ] = ARM_PROT_READ, [ARM_ACCESS_WRITE] = ARM_PROT_WRITE,
        [ARM_ACCESS_EXEC] = ARM_PROT_EXEC,
    };
    return (prot & need[w->type]) != 0;
}

/* Execute permission from read/write permission and the XN controls
 * (ARMv7 with the Virtualization Extensions' SCTLR.WXN/UWXN, as on A15).
 * Instruction fetches need read permission too. */
static unsigned add_exec(const struct walk *w, const struct leaf *l, unsigned prot,
                         bool pl0_writable)
{
    uint32_t sctlr = w->cpu->cp15.sctlr;
    bool pl1 = w->idx == ARM_MMU_IDX_PL1;
    bool never = l->xn || (pl1 && l->pxn);

    if ((sctlr & SCTLR_WXN) && (prot & ARM_PROT_WRITE))
        never = true;
    if (pl1 && (sctlr & SCTLR_UWXN) && pl0_writable)
        never = true;
    if ((prot & ARM_PROT_READ) && !never)
        prot |= ARM_PROT_EXEC;
    return prot;
}

static void fill_result(const struct leaf *l, unsigned prot, uint32_t asid,
                        struct arm_mmu_result *res)
{
    res->pa = l->pa;
    res->prot = prot;
    res->page_size = l->size;
    res->global = !l->ng;
    res->asid = l->ng ? asid : 0;
}

/* ---- short descriptors -------------------------------------------------- */

static uint32_t short_fsr(const struct walk *w, unsigned fs, unsigned domain)
{
    return (fs & 0xfu) | ((fs & 0x10u) << 6) | (domain << 4) | wnr(w);
}

/* First-level descriptor address: TTBCR.N selects TTBR0 for the VAs whose
 * top N bits are zero, TTBR1 for the rest. */
static uint32_t short_l1_address(const struct arm_cp15 *cp, uint32_t va)
{
    unsigned n = cp->ttbcr & 7u;
    uint32_t base;

    if (n && (va >> (32 - n)) != 0)
        base = cp->ttbr1_lo & 0xffffc000u;
    else
        base = cp->ttbr0_lo & (0xffffffffu << (14 - n));
    return base | ((va >> 20) << 2);
}

static void short_section(uint32_t d, uint32_t va, struct leaf *l)
{
    l->section = true;
    l->xn = (d >> 4) & 1u;
    l->pxn = d & 1u;
    l->ap = ((d >> 10) & 3u) | (((d >> 15) & 1u) << 2);
    l->ng = (d >> 17) & 1u;
    if (d & (1u << 18)) {          /* supersection: PA[39:32] in [8:5] and [23:20] */
        l->domain = 0;
        l->size = 1u << 24;
        l->pa = (uint64_t)((d & 0xff000000u) | (va & 0x00ffffffu)) |
                ((uint64_t)((d >> 20) & 0xfu) << 32) | ((uint64_t)((d >> 5) & 0xfu) << 36);
    } else {
        l->domain = (d >> 5) & 0xfu;
        l->size = 1u << 20;
        l->pa = (d & 0xfff00000u) | (va & 0x000fffffu);
    }
}

/* Second level, below the page-table descriptor l1. */
static bool short_page(const struct walk *w, uint32_t l1, struct leaf *l, uint32_t *fsr)
{
    uint32_t d;

    l->section = false;
    l->domain = (l1 >> 5) & 0xfu;
    l->pxn = (l1 >> 2) & 1u;
    if (!read_word(w, (l1 & 0xfffffc00u) | ((w->va >> 10) & 0x3fcu), &d)) {
        *fsr = short_fsr(w, FS_WALK_EXT_L2, l->domain);
        return false;
    }
    if ((d & 3u) == 0) {
        *fsr = short_fsr(w, FS_TRANS_PAGE, l->domain);
        return false;
    }
    l->ap = ((d >> 4) & 3u) | (((d >> 9) & 1u) << 2);
    l->ng = (d >> 11) & 1u;
    if ((d & 3u) == 1) {           /* large page */
        l->xn = (d >> 15) & 1u;
        l->size = 1u << 16;
        l->pa = (d & 0xffff0000u) | (w->va & 0xffffu);
    } else {                       /* small page */
        l->xn = d & 1u;
        l->size = 1u << 12;
        l->pa = (d & 0xfffff000u) | (w->va & 0xfffu);
    }
    return true;
}

static bool short_walk(const struct walk *w, struct leaf *l, uint32_t *fsr)
{
    uint32_t d;

    if (!read_word(w, short_l1_address(&w->cpu->cp15, w->va), &d)) {
        *fsr = short_fsr(w, FS_WALK_EXT_L1, 0);
        return false;
    }
    switch (d & 3u) {
    case 0:
        *fsr = short_fsr(w, FS_TRANS_SECTION, 0);
        return false;
    case 1:
        return short_page(w, d, l, fsr);
    default:                       /* 0b1x: section, bit 0 is PXN */
        short_section(d, w->va, l);
        return true;
    }
}

/* (PL1, PL0) permissions of AP[2:0]; 0b100 is reserved: no access. */
static const uint8_t short_ap_prot[8][2] = {
    { 0, 0 }, { PROT_RW, 0 }, { PROT_RW, ARM_PROT_READ }, { PROT_RW, PROT_RW },
    { 0, 0 }, { ARM_PROT_READ, 0 }, { ARM_PROT_READ, ARM_PROT_READ },
    { ARM_PROT_READ, ARM_PROT_READ },
};
/* The simplified model (and LPAE), indexed by AP[2:1]. */
static const uint8_t simple_ap_prot[4][2] = {
    { PROT_RW, 0 }, { PROT_RW, PROT_RW }, { ARM_PROT_READ, 0 },
    { ARM_PROT_READ, ARM_PROT_READ },
};

/* Access flag, domain and permission checks on a short-descriptor leaf. */
static bool short_check(const struct walk *w, const struct leaf *l, unsigned *prot,
                        uint32_t *fsr)
{
    const struct arm_cp15 *cp = &w->cpu->cp15;
    bool afe = cp->sctlr & SCTLR_AFE;
    unsigned dom = (cp->dacr >> (2 * l->domain)) & 3u;
    /* With AFE the simplified model reads AP[2:1] only, but AP[0] = 1 by
     * then (0 is an access flag fault), and for odd AP[2:0] the full
     * table already gives the simplified model's permissions. */
    const uint8_t *p = short_ap_prot[l->ap];

    if (afe && !(l->ap & 1u)) {
        *fsr = short_fsr(w, l->section ? FS_AF_SECTION : FS_AF_PAGE, l->domain);
        return false;
    }
    if (dom == 0 || dom == 2) {    /* no access; 0b10 is reserved */
        *fsr = short_fsr(w, l->section ? FS_DOMAIN_SECTION : FS_DOMAIN_PAGE, l->domain);
        return false;
    }
    if (dom == 3) {                /* manager: neither AP nor XN is checked */
        *prot = PROT_ALL;
        return true;
    }
    *prot = add_exec(w, l, p[w->idx == ARM_MMU_IDX_PL0], (p[1] & ARM_PROT_WRITE) != 0);
    if (!wanted(w, *prot)) {
        *fsr = short_fsr(w, l->section ? FS_PERM_SECTION : FS_PERM_PAGE, l->domain);
        return false;
    }
    return true;
}

static bool short_translate(const struct walk *w, struct arm_mmu_result *res, uint32_t *fsr)
{
    struct leaf l = { 0 };
    unsigned prot;

    if (!short_walk(w, &l, fsr) || !short_check(w, &l, &prot, fsr))
        return false;
    fill_result(&l, prot, w->cpu->cp15.contextidr & 0xffu, res);
    return true;
}

/* ---- long descriptors (LPAE) ---------------------------------------------- */

static uint32_t long_fsr(const struct walk *w, unsigned status, unsigned level)
{
    return FSR_LPAE | status | level | wnr(w);
}

static uint64_t ttbr64(uint32_t lo, uint32_t hi)
{
    return ((uint64_t)hi << 32) | lo;
}

/* Where the walk starts: the table base, the first level and the bits of
 * VA that level indexes. false: the VA is in neither region, or the region's
 * walks are disabled (EPDn): a level 1 translation fault. */
struct long_start {
    uint64_t table;
    unsigned level;
    unsigned index_bits;     /* VA bits the first level uses */
};

static bool long_region(const struct arm_cp15 *cp, uint32_t va, uint64_t *ttbr,
                        unsigned *tsz)
{
    unsigned t0sz = cp->ttbcr & 7u, t1sz = (cp->ttbcr >> 16) & 7u;
    bool epd;

    if (t1sz && (va >> (32 - t1sz)) == (1u << t1sz) - 1) {
        *tsz = t1sz;
    } else if (t0sz == 0 || (va >> (32 - t0sz)) == 0) {
        *ttbr = ttbr64(cp->ttbr0_lo, cp->ttbr0_hi);
        *tsz = t0sz;
        return !(cp->ttbcr & (1u << 7));            /* EPD0 */
    } else if (t1sz) {
        return false;                               /* the gap between the two */
    } else {
        *tsz = 0;
    }
    *ttbr = ttbr64(cp->ttbr1_lo, cp->ttbr1_hi);
    epd = cp->ttbcr & (1u << 23);                   /* EPD1 */
    return !epd;
}

static bool long_start(const struct arm_cp15 *cp, uint32_t va, struct long_start *s)
{
    uint64_t ttbr;
    unsigned tsz, align;

    if (!long_region(cp, va, &ttbr, &tsz))
        return false;
    s->level = tsz <= 1 ? 1 : 2;
    s->index_bits = (32 - tsz) - (s->level == 1 ? 30 : 21);
    align = s->index_bits + 3;                      /* 8-byte descriptors */
    s->table = ttbr & 0xffffffffffull & ~((1ull << align) - 1);
    return true;
}

static bool read_desc(const struct walk *w, uint64_t pa, uint64_t *d)
{
    uint32_t a, b;

    if (!read_word(w, pa, &a) || !read_word(w, pa + 4, &b))
        return false;
    /* Big-endian tables hold the high word first. */
    *d = (w->cpu->cp15.sctlr & SCTLR_EE) ? ((uint64_t)a << 32) | b : ((uint64_t)b << 32) | a;
    return true;
}

/* Hierarchical controls gathered from table descriptors. */
struct table_limits {
    bool xn, pxn, no_pl0, read_only;
};

static void leaf_from_long(const struct walk *w, uint64_t d, unsigned level,
                           const struct table_limits *t, struct leaf *l)
{
    unsigned shift = level == 1 ? 30 : level == 2 ? 21 : 12;
    uint64_t mask = (1ull << shift) - 1;

    l->level = level;
    l->size = 1u << shift;
    l->pa = (d & 0xffffffffffull & ~mask) | (w->va & mask);
    l->ap = (d >> 6) & 3u;                          /* AP[2:1] */
    if (t->no_pl0)
        l->ap &= ~1u;
    if (t->read_only)
        l->ap |= 2u;
    l->xn = ((d >> 54) & 1u) || t->xn;
    l->pxn = ((d >> 53) & 1u) || t->pxn;
    l->ng = (d >> 11) & 1u;
}

static bool long_walk(const struct walk *w, struct leaf *l, uint32_t *fsr)
{
    struct long_start s;
    struct table_limits t = { false, false, false, false };
    uint64_t table, d;
    unsigned level, bits;

    if (!long_start(&w->cpu->cp15, w->va, &s)) {
        *fsr = long_fsr(w, LS_TRANSLATION, 1);
        return false;
    }
    table = s.table;
    bits = s.index_bits;
    for (level = s.level;; level++, bits = 9) {
        unsigned shift = 39 - 9 * level;
        uint64_t index = (w->va >> shift) & ((1u << bits) - 1);

        if (!read_desc(w, table + index * 8, &d)) {
            *fsr = long_fsr(w, LS_WALK_EXT, level);
            return false;
        }
        if (!(d & 1u) || (level == 3 && (d & 3u) == 1)) {
            *fsr = long_fsr(w, LS_TRANSLATION, level);
            return false;
        }
        if (level == 3 || (d & 3u) == 1)
            break;
        t.pxn |= (d >> 59) & 1u;
        t.xn |= (d >> 60) & 1u;
        t.no_pl0 |= (d >> 61) & 1u;
        t.read_only |= (d >> 62) & 1u;
        table = d & 0xfffffff000ull;
    }
    leaf_from_long(w, d, level, &t, l);
    if (!((d >> 10) & 1u)) {                        /* AF */
        *fsr = long_fsr(w, LS_ACCESS_FLAG, level);
        return false;
    }
    return true;
}

/* The ASID of a long-descriptor walk: TTBCR.A1 picks TTBR1's or TTBR0's. */
static uint32_t long_asid(const struct arm_cp15 *cp)
{
    return (cp->ttbcr & (1u << 22)) ? (cp->ttbr1_hi >> 16) & 0xffu : (cp->ttbr0_hi >> 16) & 0xffu;
}

static bool long_translate(const struct walk *w, struct arm_mmu_result *res, uint32_t *fsr)
{
    struct leaf l = { 0 };
    unsigned prot;

    if (!long_walk(w, &l, fsr))
        return false;
    /* Same table shape as the simplified short model: AP[2:1]. */
    prot = simple_ap_prot[l.ap][w->idx == ARM_MMU_IDX_PL0];
    prot = add_exec(w, &l, prot, (simple_ap_prot[l.ap][1] & ARM_PROT_WRITE) != 0);
    if (!wanted(w, prot)) {
        *fsr = long_fsr(w, LS_PERMISSION, l.level);
        return false;
    }
    fill_result(&l, prot, long_asid(&w->cpu->cp15), res);
    return true;
}

/* ---- entry ------------------------------------------------------------------ */

bool arm_mmu_translate(const struct arm_cpu *cpu, uint32_t va, enum arm_access type,
                       enum arm_mmu_idx idx, arm_mmu_read_fn *read, void *opaque,
                       struct arm_mmu_result *res, uint32_t *fsr)
{
    struct walk w = { cpu, va, type, idx, read, opaque };

    if (!(cpu->cp15.sctlr & SCTLR_M)) {
        res->pa = va;
        res->prot = PROT_ALL;
        res->page_size = 4096;
        res->asid = 0;
        res->global = true;
        return true;
    }
    if (cpu->cp15.ttbcr & TTBCR_EAE)
        return long_translate(&w, res, fsr);
    return short_translate(&w, res, fsr);
}
