/*
 * mmu.h — short-descriptor translation tables (VMSAv7, no LPAE) for tests
 * that turn the MMU on.
 *
 * One CPU builds the tables: mmu_build_identity() fills a 4096-entry
 * first-level table with 1 MiB identity sections (devices below RAM as
 * Device memory, never executable; RAM 0x40000000..0x48000000 as Normal
 * write-back shareable memory; everything else faults), and
 * mmu_link_l2() makes one 1 MiB section go through a 256-entry
 * second-level table of 4 KiB small pages built with mmu_small_page().
 * Then every CPU that uses the tables calls mmu_enable() itself: TTBCR,
 * TTBR0, DACR and SCTLR are per CPU.
 *
 * The tables are walked as cacheable, shareable memory, so a CPU that
 * changes an entry needs a DSB before the walkers see it, and TLB
 * maintenance for entries that were valid: no cache cleaning.
 */
#ifndef MMU_H
#define MMU_H

#include <stdint.h>

#define MMU_L1_ENTRIES 4096      /* 4 GiB / 1 MiB */
#define MMU_L2_ENTRIES 256       /* 1 MiB / 4 KiB */
#define MMU_L1_ALIGN 16384       /* TTBR0 with TTBCR.N = 0 */
#define MMU_L2_ALIGN 1024
#define MMU_SECTION_SIZE 0x100000u
#define MMU_PAGE_SIZE 0x1000u

void mmu_build_identity(uint32_t *l1);
/* Points the section holding va at the second-level table l2. */
void mmu_link_l2(uint32_t *l1, uint32_t va, const uint32_t *l2);
/* A small-page descriptor for 4 KiB of Normal memory at pa, PL1 read/write. */
uint32_t mmu_small_page(uint32_t pa);

static inline unsigned mmu_l2_index(uint32_t va)
{
    return (va >> 12) & (MMU_L2_ENTRIES - 1);
}

/* Turns on translation (and the caches) on the calling CPU. */
void mmu_enable(const uint32_t *l1);

#endif
