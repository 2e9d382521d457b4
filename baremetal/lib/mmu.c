/*
 * mmu.c — short-descriptor tables and MMU enable (see mmu.h).
 *
 * Descriptor bits are from the ARMv7-A Architecture Reference Manual,
 * B3.5 (short-descriptor translation table format). TEX remap and the
 * access flag are off (SCTLR.TRE = SCTLR.AFE = 0), so memory types come
 * straight from TEX/C/B and AP[2:0] are plain permissions. Everything
 * is in domain 0, which DACR makes a client domain (permissions checked).
 */
#include "mmu.h"

#include "rt.h"

#define RAM_BASE 0x40000000u
#define RAM_END 0x48000000u

/* First-level section descriptor (1 MiB). */
#define SECT_TYPE 0x2u           /* [1:0] = 0b10: section */
#define SECT_B (1u << 2)
#define SECT_C (1u << 3)
#define SECT_XN (1u << 4)        /* never execute */
#define SECT_AP_PL1_RW (1u << 10) /* AP[2:0] = 0b001: PL1 read/write, PL0 none */
#define SECT_TEX1 (1u << 12)     /* TEX = 0b001 */
#define SECT_S (1u << 16)        /* shareable */
#define SECT_BASE_MASK 0xfff00000u

/* TEX=000 C=0 B=1: shareable Device. TEX=001 C=1 B=1: Normal, inner and
 * outer write-back write-allocate. */
#define SECT_DEVICE (SECT_TYPE | SECT_B | SECT_XN | SECT_AP_PL1_RW)
#define SECT_NORMAL (SECT_TYPE | SECT_TEX1 | SECT_C | SECT_B | SECT_S | SECT_AP_PL1_RW)

/* First-level page-table descriptor: [1:0] = 0b01, domain 0, base [31:10]. */
#define L1_PAGE_TABLE 0x1u
#define L1_TABLE_BASE_MASK 0xfffffc00u

/* Second-level small-page descriptor (4 KiB). */
#define PAGE_XN (1u << 0)
#define PAGE_TYPE (1u << 1)      /* [1] = 1: small page */
#define PAGE_B (1u << 2)
#define PAGE_C (1u << 3)
#define PAGE_AP_PL1_RW (1u << 4) /* AP[2:0] = 0b001 */
#define PAGE_TEX1 (1u << 6)      /* TEX = 0b001 */
#define PAGE_S (1u << 10)
#define PAGE_BASE_MASK 0xfffff000u

/* TTBR0 walk attributes (multiprocessing extensions): IRGN = 0b01
 * (IRGN[0] is bit 6), RGN = 0b01 in [4:3], S in bit 1: the walker reads
 * the tables through the same write-back shareable caches the CPUs write. */
#define TTBR_WALK_WBWA_SHARED ((1u << 6) | (1u << 3) | (1u << 1))

#define DACR_D0_CLIENT 0x1u      /* domain 0 = 0b01: client */

/* SCTLR bits turned on. */
#define SCTLR_M (1u << 0)        /* MMU */
#define SCTLR_C (1u << 2)        /* data and unified caches */
#define SCTLR_Z (1u << 11)       /* branch prediction */
#define SCTLR_I (1u << 12)       /* instruction cache */

void mmu_build_identity(uint32_t *l1)
{
    for (uint32_t i = 0; i < MMU_L1_ENTRIES; i++) {
        uint32_t pa = i * MMU_SECTION_SIZE;

        if (pa < RAM_BASE)
            l1[i] = pa | SECT_DEVICE;
        else if (pa < RAM_END)
            l1[i] = pa | SECT_NORMAL;
        else
            l1[i] = 0; /* translation fault */
    }
    rt_dsb();
}

void mmu_link_l2(uint32_t *l1, uint32_t va, const uint32_t *l2)
{
    l1[va / MMU_SECTION_SIZE] = ((uint32_t)l2 & L1_TABLE_BASE_MASK) | L1_PAGE_TABLE;
    rt_dsb();
}

uint32_t mmu_small_page(uint32_t pa)
{
    return (pa & PAGE_BASE_MASK) | PAGE_TYPE | PAGE_XN | PAGE_TEX1 | PAGE_C | PAGE_B |
           PAGE_S | PAGE_AP_PL1_RW;
}

/* Drops whatever this CPU's TLB, instruction cache and branch predictor
 * might hold from before, then loads the translation registers. */
static void load_translation_regs(const uint32_t *l1)
{
    uint32_t zero = 0;

    __asm__ volatile("mcr p15, 0, %0, c8, c7, 0\n\t" /* TLBIALL */
                     "mcr p15, 0, %0, c7, c5, 0\n\t" /* ICIALLU */
                     "mcr p15, 0, %0, c7, c5, 6\n\t" /* BPIALL */
                     "dsb\n\t"
                     "isb" : : "r"(zero) : "memory");
    __asm__ volatile("mcr p15, 0, %0, c3, c0, 0" : : "r"(DACR_D0_CLIENT));
    __asm__ volatile("mcr p15, 0, %0, c2, c0, 2" : : "r"(zero)); /* TTBCR: N = 0 */
    __asm__ volatile("mcr p15, 0, %0, c2, c0, 0"                 /* TTBR0 */
                     : : "r"((uint32_t)l1 | TTBR_WALK_WBWA_SHARED));
    __asm__ volatile("mcr p15, 0, %0, c13, c0, 1" : : "r"(zero)); /* CONTEXTIDR: ASID 0 */
    __asm__ volatile("isb" ::: "memory");
}

void mmu_enable(const uint32_t *l1)
{
    uint32_t sctlr;

    load_translation_regs(l1);
    __asm__ volatile("mrc p15, 0, %0, c1, c0, 0" : "=r"(sctlr));
    sctlr |= SCTLR_M | SCTLR_C | SCTLR_Z | SCTLR_I;
    __asm__ volatile("dsb\n\t"
                     "mcr p15, 0, %0, c1, c0, 0\n\t"
                     "isb" : : "r"(sctlr) : "memory");
}
