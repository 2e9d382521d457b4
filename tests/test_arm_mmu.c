/*
 * test_arm_mmu.c — the VMSAv7 table walk (arm/mmu.c) on crafted tables.
 *
 * The tables live in a fake physical memory of MEM_SIZE bytes at MEM_BASE;
 * a read outside it fails, which the walk must report as an external
 * abort. Short-descriptor tables: L1 at L1_PA (16 KiB aligned), second
 * levels at L2_PA. Long-descriptor tables: one 4 KiB table per level at
 * LPAE_L1_PA, LPAE_L2_PA, LPAE_L3_PA. Every fault test checks the exact
 * FSR word a guest would read from DFSR/IFSR.
 */
#include "arm/mmu.h"

#include <check.h>
#include <string.h>

#define MEM_BASE 0x00100000u
#define MEM_SIZE 0x00040000u
#define L1_PA 0x00100000u
#define L1_PA_TTBR1 0x00104000u
#define L2_PA 0x00108000u
#define L2_PA_B 0x00108400u
#define LPAE_L1_PA 0x00110000u
#define LPAE_L2_PA 0x00111000u
#define LPAE_L3_PA 0x00112000u
#define LPAE_L1_PA_TTBR1 0x00113000u

static uint8_t mem[MEM_SIZE];
static struct arm_cpu cpu;
static unsigned reads;

static bool mem_read(void *opaque, uint64_t pa, uint32_t *value)
{
    (void)opaque;
    reads++;
    if (pa < MEM_BASE || pa + 4 > (uint64_t)MEM_BASE + MEM_SIZE)
        return false;
    memcpy(value, &mem[pa - MEM_BASE], 4);   /* the host is little-endian like the guest */
    return true;
}

static void put32(uint32_t pa, uint32_t v)
{
    memcpy(&mem[pa - MEM_BASE], &v, 4);
}

static void put64(uint32_t pa, uint64_t v)
{
    put32(pa, (uint32_t)v);
    put32(pa + 4, (uint32_t)(v >> 32));
}

/* ---- short-descriptor helpers ------------------------------------------ */

#define SECT(pa, ap, dom) (((pa) & 0xfff00000u) | 2u | (((ap) & 3u) << 10) | \
                           ((((ap) >> 2) & 1u) << 15) | ((uint32_t)(dom) << 5))
#define SECT_XN (1u << 4)
#define SECT_PXN (1u << 0)
#define SECT_NG (1u << 17)
#define SUPERSECT(pa) (((uint32_t)(pa) & 0xff000000u) | (1u << 18) | 2u | (3u << 10) | \
                       ((uint32_t)(((pa) >> 32) & 0xfu) << 20) | \
                       ((uint32_t)(((pa) >> 36) & 0xfu) << 5))
#define PTABLE(pa, dom) (((pa) & 0xfffffc00u) | 1u | ((uint32_t)(dom) << 5))
#define SMALL(pa, ap) (((pa) & 0xfffff000u) | 2u | (((ap) & 3u) << 4) | ((((ap) >> 2) & 1u) << 9))
#define SMALL_XN (1u << 0)
#define LARGE(pa, ap) (((pa) & 0xffff0000u) | 1u | (((ap) & 3u) << 4) | ((((ap) >> 2) & 1u) << 9))
#define LARGE_XN (1u << 15)

static void short_setup(void)
{
    memset(mem, 0, sizeof(mem));
    memset(&cpu, 0, sizeof(cpu));
    cpu.cp15.sctlr = 0x00c50078u | SCTLR_M;
    cpu.cp15.ttbr0_lo = L1_PA;
    cpu.cp15.dacr = 0x55555555u;            /* every domain client */
    reads = 0;
}

static void l1(uint32_t va, uint32_t desc)
{
    put32(L1_PA + (va >> 20) * 4, desc);
}

static void l2(uint32_t table, uint32_t va, uint32_t desc)
{
    put32(table + ((va >> 12) & 0xffu) * 4, desc);
}

static bool xlate(uint32_t va, enum arm_access type, enum arm_mmu_idx idx,
                  struct arm_mmu_result *res, uint32_t *fsr)
{
    *fsr = 0xdeadbeef;
    return arm_mmu_translate(&cpu, va, type, idx, mem_read, NULL, res, fsr);
}

/* The FSR of a fault, or 0 when the access is allowed. */
static uint32_t fault_of(uint32_t va, enum arm_access type, enum arm_mmu_idx idx)
{
    struct arm_mmu_result res;
    uint32_t fsr;

    return xlate(va, type, idx, &res, &fsr) ? 0 : fsr;
}

START_TEST(mmu_off_is_a_flat_map_with_every_permission)
{
    struct arm_mmu_result res;
    uint32_t fsr;

    short_setup();
    cpu.cp15.sctlr &= ~SCTLR_M;
    ck_assert(xlate(0x12345678u, ARM_ACCESS_EXEC, ARM_MMU_IDX_PL0, &res, &fsr));
    ck_assert_uint_eq(res.pa, 0x12345678u);
    ck_assert_uint_eq(res.prot, ARM_PROT_READ | ARM_PROT_WRITE | ARM_PROT_EXEC);
    ck_assert_uint_eq(res.page_size, 4096);
    ck_assert(res.global);
    ck_assert_uint_eq(reads, 0);
}
END_TEST

START_TEST(section_maps_1mib_with_the_offset)
{
    struct arm_mmu_result res;
    uint32_t fsr;

    short_setup();
    l1(0x80000000u, SECT(0x40000000u, 3, 0));
    ck_assert(xlate(0x800abcdeu, ARM_ACCESS_WRITE, ARM_MMU_IDX_PL0, &res, &fsr));
    ck_assert_uint_eq(res.pa, 0x400abcdeu);
    ck_assert_uint_eq(res.page_size, 1u << 20);
    ck_assert_uint_eq(res.prot, ARM_PROT_READ | ARM_PROT_WRITE | ARM_PROT_EXEC);
    ck_assert(res.global);
    ck_assert_uint_eq(res.asid, 0);
}
END_TEST

START_TEST(supersection_maps_16mib_with_a_40_bit_pa)
{
    struct arm_mmu_result res;
    uint32_t fsr;

    short_setup();
    /* All 16 first-level entries of a supersection repeat the descriptor. */
    for (uint32_t i = 0; i < 16; i++)
        l1(0x81000000u + (i << 20), SUPERSECT(0xab12000000ull));
    ck_assert(xlate(0x81fedcbau, ARM_ACCESS_READ, ARM_MMU_IDX_PL1, &res, &fsr));
    ck_assert_uint_eq(res.pa, 0xab12fedcbaull);
    ck_assert_uint_eq(res.page_size, 1u << 24);
}
END_TEST

START_TEST(small_page_maps_4kib_with_the_offset)
{
    struct arm_mmu_result res;
    uint32_t fsr;

    short_setup();
    l1(0x00300000u, PTABLE(L2_PA, 0));
    l2(L2_PA, 0x00345000u, SMALL(0x47654000u, 3));
    ck_assert(xlate(0x00345678u, ARM_ACCESS_READ, ARM_MMU_IDX_PL0, &res, &fsr));
    ck_assert_uint_eq(res.pa, 0x47654678u);
    ck_assert_uint_eq(res.page_size, 4096);
}
END_TEST

START_TEST(large_page_maps_64kib_with_the_offset)
{
    struct arm_mmu_result res;
    uint32_t fsr;

    short_setup();
    l1(0x00300000u, PTABLE(L2_PA, 0));
    /* A large page's descriptor is repeated in 16 consecutive entries. */
    for (uint32_t i = 0; i < 16; i++)
        l2(L2_PA, 0x00340000u + (i << 12), LARGE(0x47650000u, 3));
    ck_assert(xlate(0x0034abcdu, ARM_ACCESS_READ, ARM_MMU_IDX_PL1, &res, &fsr));
    ck_assert_uint_eq(res.pa, 0x4765abcdu);
    ck_assert_uint_eq(res.page_size, 1u << 16);
}
END_TEST

START_TEST(first_level_fault_entry_is_translation_fault_0x005)
{
    short_setup();
    ck_assert_uint_eq(fault_of(0x00500000u, ARM_ACCESS_READ, ARM_MMU_IDX_PL1), 0x005);
    ck_assert_uint_eq(fault_of(0x00500000u, ARM_ACCESS_WRITE, ARM_MMU_IDX_PL1), 0x805);
}
END_TEST

START_TEST(second_level_fault_entry_is_translation_fault_0x007_with_domain)
{
    short_setup();
    l1(0x00300000u, PTABLE(L2_PA, 5));
    ck_assert_uint_eq(fault_of(0x00301000u, ARM_ACCESS_READ, ARM_MMU_IDX_PL1), 0x057);
    ck_assert_uint_eq(fault_of(0x00301000u, ARM_ACCESS_WRITE, ARM_MMU_IDX_PL0), 0x857);
}
END_TEST

START_TEST(no_access_domain_gives_domain_fault_section_0x9_page_0xb)
{
    short_setup();
    cpu.cp15.dacr = 0x55555555u & ~(3u << 6);     /* domain 3: no access */
    l1(0x00200000u, SECT(0x40000000u, 3, 3));
    l1(0x00300000u, PTABLE(L2_PA, 3));
    l2(L2_PA, 0x00300000u, SMALL(0x40000000u, 3));
    ck_assert_uint_eq(fault_of(0x00200000u, ARM_ACCESS_READ, ARM_MMU_IDX_PL1), 0x039);
    ck_assert_uint_eq(fault_of(0x00300000u, ARM_ACCESS_WRITE, ARM_MMU_IDX_PL1), 0x83b);
    cpu.cp15.dacr |= 2u << 6;                     /* 0b10 is reserved: also a fault */
    ck_assert_uint_eq(fault_of(0x00200000u, ARM_ACCESS_READ, ARM_MMU_IDX_PL1), 0x039);
}
END_TEST

START_TEST(translation_fault_on_page_comes_before_domain_fault)
{
    short_setup();
    cpu.cp15.dacr = 0;
    l1(0x00300000u, PTABLE(L2_PA, 2));
    ck_assert_uint_eq(fault_of(0x00300000u, ARM_ACCESS_READ, ARM_MMU_IDX_PL1), 0x027);
}
END_TEST

START_TEST(manager_domain_skips_ap_and_xn)
{
    struct arm_mmu_result res;
    uint32_t fsr;

    short_setup();
    cpu.cp15.dacr = 3u << 2;                       /* domain 1: manager */
    l1(0x00200000u, SECT(0x40000000u, 0, 1) | SECT_XN);
    ck_assert(xlate(0x00200000u, ARM_ACCESS_EXEC, ARM_MMU_IDX_PL0, &res, &fsr));
    ck_assert_uint_eq(res.prot, ARM_PROT_READ | ARM_PROT_WRITE | ARM_PROT_EXEC);
}
END_TEST

/* AP[2:0] → (PL1, PL0) as "rw", "r-" or "--" (ARMv7 ARM table B3-8). */
static const char *const ap_table[8][2] = {
    { "--", "--" }, { "rw", "--" }, { "rw", "r-" }, { "rw", "rw" },
    { "--", "--" }, { "r-", "--" }, { "r-", "r-" }, { "r-", "r-" },
};

static void check_ap(uint32_t va, unsigned ap, bool section)
{
    for (int pl = 0; pl < 2; pl++) {
        enum arm_mmu_idx idx = pl ? ARM_MMU_IDX_PL0 : ARM_MMU_IDX_PL1;
        bool r = ap_table[ap][pl][0] == 'r', w = ap_table[ap][pl][1] == 'w';
        uint32_t perm = (section ? 0x00d : 0x00f) | (4u << 4);

        ck_assert_msg(fault_of(va, ARM_ACCESS_READ, idx) == (r ? 0 : perm),
                      "AP %u %s read at PL%d", ap, section ? "section" : "page", pl ? 0 : 1);
        ck_assert_msg(fault_of(va, ARM_ACCESS_WRITE, idx) == (w ? 0 : perm | 0x800),
                      "AP %u %s write at PL%d", ap, section ? "section" : "page", pl ? 0 : 1);
    }
}

START_TEST(every_ap_value_grants_the_architected_permissions)
{
    short_setup();
    l1(0x00300000u, PTABLE(L2_PA, 4));
    for (unsigned ap = 0; ap < 8; ap++) {
        l1(0x00200000u, SECT(0x40000000u, ap, 4));
        l2(L2_PA, 0x00300000u, SMALL(0x40000000u, ap));
        check_ap(0x00200000u, ap, true);
        check_ap(0x00300000u, ap, false);
    }
}
END_TEST

START_TEST(xn_forbids_instruction_fetch_with_a_permission_fault)
{
    short_setup();
    l1(0x00200000u, SECT(0x40000000u, 3, 0) | SECT_XN);
    l1(0x00300000u, PTABLE(L2_PA, 0));
    l2(L2_PA, 0x00300000u, SMALL(0x40000000u, 3) | SMALL_XN);
    l2(L2_PA, 0x00310000u, LARGE(0x40000000u, 3) | LARGE_XN);
    ck_assert_uint_eq(fault_of(0x00200000u, ARM_ACCESS_EXEC, ARM_MMU_IDX_PL1), 0x00d);
    ck_assert_uint_eq(fault_of(0x00300000u, ARM_ACCESS_EXEC, ARM_MMU_IDX_PL0), 0x00f);
    ck_assert_uint_eq(fault_of(0x00310000u, ARM_ACCESS_EXEC, ARM_MMU_IDX_PL1), 0x00f);
    ck_assert_uint_eq(fault_of(0x00200000u, ARM_ACCESS_READ, ARM_MMU_IDX_PL0), 0);
}
END_TEST

START_TEST(pxn_forbids_pl1_fetch_only)
{
    short_setup();
    l1(0x00200000u, SECT(0x40000000u, 3, 0) | SECT_PXN);
    l1(0x00300000u, PTABLE(L2_PA, 0) | (1u << 2));
    l2(L2_PA, 0x00300000u, SMALL(0x40000000u, 3));
    ck_assert_uint_eq(fault_of(0x00200000u, ARM_ACCESS_EXEC, ARM_MMU_IDX_PL1), 0x00d);
    ck_assert_uint_eq(fault_of(0x00200000u, ARM_ACCESS_EXEC, ARM_MMU_IDX_PL0), 0);
    ck_assert_uint_eq(fault_of(0x00300000u, ARM_ACCESS_EXEC, ARM_MMU_IDX_PL1), 0x00f);
    ck_assert_uint_eq(fault_of(0x00300000u, ARM_ACCESS_EXEC, ARM_MMU_IDX_PL0), 0);
}
END_TEST

START_TEST(fetch_needs_read_permission)
{
    short_setup();
    l1(0x00200000u, SECT(0x40000000u, 1, 0));      /* PL1 rw, PL0 none */
    ck_assert_uint_eq(fault_of(0x00200000u, ARM_ACCESS_EXEC, ARM_MMU_IDX_PL0), 0x00d);
    ck_assert_uint_eq(fault_of(0x00200000u, ARM_ACCESS_EXEC, ARM_MMU_IDX_PL1), 0);
}
END_TEST

START_TEST(wxn_makes_writable_regions_execute_never)
{
    short_setup();
    cpu.cp15.sctlr |= 1u << 19;
    l1(0x00200000u, SECT(0x40000000u, 3, 0));
    l1(0x00300000u, SECT(0x40000000u, 7, 0));
    ck_assert_uint_eq(fault_of(0x00200000u, ARM_ACCESS_EXEC, ARM_MMU_IDX_PL1), 0x00d);
    ck_assert_uint_eq(fault_of(0x00300000u, ARM_ACCESS_EXEC, ARM_MMU_IDX_PL1), 0);
}
END_TEST

START_TEST(access_flag_fault_with_afe_section_0x3_page_0x6)
{
    short_setup();
    cpu.cp15.sctlr |= SCTLR_AFE;
    l1(0x00200000u, SECT(0x40000000u, 2, 1));      /* AP[0] = 0: not accessed */
    l1(0x00300000u, PTABLE(L2_PA, 1));
    l2(L2_PA, 0x00300000u, SMALL(0x40000000u, 6));
    ck_assert_uint_eq(fault_of(0x00200000u, ARM_ACCESS_READ, ARM_MMU_IDX_PL1), 0x013);
    ck_assert_uint_eq(fault_of(0x00300000u, ARM_ACCESS_WRITE, ARM_MMU_IDX_PL1), 0x816);
}
END_TEST

START_TEST(afe_uses_the_simplified_ap_model)
{
    short_setup();
    cpu.cp15.sctlr |= SCTLR_AFE;
    /* AP[2:1] 00: PL1 rw; 01: rw everywhere; 10: PL1 r; 11: r everywhere. */
    l1(0x00100000u, SECT(0x40000000u, 1, 0));
    l1(0x00200000u, SECT(0x40000000u, 3, 0));
    l1(0x00300000u, SECT(0x40000000u, 5, 0));
    l1(0x00400000u, SECT(0x40000000u, 7, 0));
    ck_assert_uint_eq(fault_of(0x00100000u, ARM_ACCESS_WRITE, ARM_MMU_IDX_PL1), 0);
    ck_assert_uint_eq(fault_of(0x00100000u, ARM_ACCESS_READ, ARM_MMU_IDX_PL0), 0x00d);
    ck_assert_uint_eq(fault_of(0x00200000u, ARM_ACCESS_WRITE, ARM_MMU_IDX_PL0), 0);
    ck_assert_uint_eq(fault_of(0x00300000u, ARM_ACCESS_WRITE, ARM_MMU_IDX_PL1), 0x80d);
    ck_assert_uint_eq(fault_of(0x00300000u, ARM_ACCESS_READ, ARM_MMU_IDX_PL0), 0x00d);
    ck_assert_uint_eq(fault_of(0x00400000u, ARM_ACCESS_READ, ARM_MMU_IDX_PL0), 0);
    ck_assert_uint_eq(fault_of(0x00400000u, ARM_ACCESS_WRITE, ARM_MMU_IDX_PL0), 0x80d);
}
END_TEST

START_TEST(external_abort_on_walk_level1_0xc_level2_0xe)
{
    short_setup();
    cpu.cp15.ttbr0_lo = 0x08000000u;               /* outside the fake memory */
    ck_assert_uint_eq(fault_of(0x00200000u, ARM_ACCESS_READ, ARM_MMU_IDX_PL1), 0x00c);
    cpu.cp15.ttbr0_lo = L1_PA;
    l1(0x00300000u, PTABLE(0x08000000u, 6));
    ck_assert_uint_eq(fault_of(0x00300000u, ARM_ACCESS_WRITE, ARM_MMU_IDX_PL1), 0x86e);
}
END_TEST

START_TEST(ttbcr_n_splits_the_va_space_between_ttbr0_and_ttbr1)
{
    struct arm_mmu_result res;
    uint32_t fsr;

    short_setup();
    cpu.cp15.ttbcr = 2;                             /* TTBR0 below 1 GiB */
    cpu.cp15.ttbr1_lo = L1_PA_TTBR1;
    l1(0x00200000u, SECT(0x40000000u, 3, 0));
    put32(L1_PA_TTBR1 + (0xc0200000u >> 20) * 4, SECT(0x44000000u, 3, 0));
    ck_assert(xlate(0x00200010u, ARM_ACCESS_READ, ARM_MMU_IDX_PL1, &res, &fsr));
    ck_assert_uint_eq(res.pa, 0x40000010u);
    ck_assert(xlate(0xc0200010u, ARM_ACCESS_READ, ARM_MMU_IDX_PL1, &res, &fsr));
    ck_assert_uint_eq(res.pa, 0x44000010u);
    /* 0x40200000 is above TTBR0's 1 GiB: TTBR1's table, entry 0x402, is empty. */
    ck_assert_uint_eq(fault_of(0x40200000u, ARM_ACCESS_READ, ARM_MMU_IDX_PL1), 0x005);
}
END_TEST

START_TEST(not_global_entries_carry_the_contextidr_asid)
{
    struct arm_mmu_result res;
    uint32_t fsr;

    short_setup();
    cpu.cp15.contextidr = 0x1234u << 8 | 0x5a;
    l1(0x00200000u, SECT(0x40000000u, 3, 0) | SECT_NG);
    l1(0x00300000u, PTABLE(L2_PA, 0));
    l2(L2_PA, 0x00300000u, SMALL(0x40000000u, 3) | (1u << 11));
    ck_assert(xlate(0x00200000u, ARM_ACCESS_READ, ARM_MMU_IDX_PL1, &res, &fsr));
    ck_assert(!res.global);
    ck_assert_uint_eq(res.asid, 0x5a);
    ck_assert(xlate(0x00300000u, ARM_ACCESS_READ, ARM_MMU_IDX_PL1, &res, &fsr));
    ck_assert(!res.global);
    ck_assert_uint_eq(res.asid, 0x5a);
}
END_TEST

START_TEST(big_endian_tables_with_sctlr_ee)
{
    struct arm_mmu_result res;
    uint32_t fsr;

    short_setup();
    cpu.cp15.sctlr |= SCTLR_EE;
    l1(0x00200000u, __builtin_bswap32(SECT(0x40000000u, 3, 0)));
    ck_assert(xlate(0x00200004u, ARM_ACCESS_READ, ARM_MMU_IDX_PL1, &res, &fsr));
    ck_assert_uint_eq(res.pa, 0x40000004u);
}
END_TEST

/* ---- long descriptors --------------------------------------------------- */

#define LD_TABLE(pa) ((uint64_t)(pa) | 3u)
#define LD_BLOCK(pa) ((uint64_t)(pa) | 1u | (1u << 10))          /* AF set, AP 00 */
#define LD_PAGE(pa) ((uint64_t)(pa) | 3u | (1u << 10))
#define LD_AP(ap21) ((uint64_t)(ap21) << 6)
#define LD_NG (1ull << 11)
#define LD_XN (1ull << 54)
#define LD_PXN (1ull << 53)
#define LD_PXNTABLE (1ull << 59)
#define LD_XNTABLE (1ull << 60)
#define LD_APTABLE(x) ((uint64_t)(x) << 61)

static void lpae_setup(void)
{
    short_setup();
    cpu.cp15.ttbcr = TTBCR_EAE;                    /* T0SZ = T1SZ = 0: TTBR0 everywhere */
    cpu.cp15.ttbr0_lo = LPAE_L1_PA;
    cpu.cp15.dacr = 0;                             /* no domains in this format */
}

/* Level 1 entry i → level 2 table, entry j → level 3 table. */
static void lpae_chain(uint32_t va, uint64_t l1_bits, uint64_t l2_bits, uint64_t leaf)
{
    put64(LPAE_L1_PA + (va >> 30) * 8, LD_TABLE(LPAE_L2_PA) | l1_bits);
    put64(LPAE_L2_PA + ((va >> 21) & 0x1ffu) * 8, LD_TABLE(LPAE_L3_PA) | l2_bits);
    put64(LPAE_L3_PA + ((va >> 12) & 0x1ffu) * 8, leaf);
}

START_TEST(lpae_1gib_block_maps_a_40_bit_pa)
{
    struct arm_mmu_result res;
    uint32_t fsr;

    lpae_setup();
    put64(LPAE_L1_PA + 2 * 8, LD_BLOCK(0x80c0000000ull) | LD_AP(1));
    ck_assert(xlate(0x89abcdefu, ARM_ACCESS_WRITE, ARM_MMU_IDX_PL0, &res, &fsr));
    ck_assert_uint_eq(res.pa, 0x80c9abcdefull);
    ck_assert_uint_eq(res.page_size, 1u << 30);
    ck_assert(res.global);
}
END_TEST

START_TEST(lpae_2mib_block_and_4kib_page)
{
    struct arm_mmu_result res;
    uint32_t fsr;

    lpae_setup();
    put64(LPAE_L1_PA + 1 * 8, LD_TABLE(LPAE_L2_PA));
    put64(LPAE_L2_PA + 3 * 8, LD_BLOCK(0x47e00000u));
    ck_assert(xlate(0x40654321u, ARM_ACCESS_READ, ARM_MMU_IDX_PL1, &res, &fsr));
    ck_assert_uint_eq(res.pa, 0x47e54321u);
    ck_assert_uint_eq(res.page_size, 1u << 21);
    lpae_chain(0x40812345u, 0, 0, LD_PAGE(0x4abcd000u));
    ck_assert(xlate(0x40812345u, ARM_ACCESS_READ, ARM_MMU_IDX_PL1, &res, &fsr));
    ck_assert_uint_eq(res.pa, 0x4abcd345u);
    ck_assert_uint_eq(res.page_size, 4096);
}
END_TEST

START_TEST(lpae_translation_fault_reports_the_level)
{
    lpae_setup();
    ck_assert_uint_eq(fault_of(0x40000000u, ARM_ACCESS_READ, ARM_MMU_IDX_PL1), 0x205);
    lpae_chain(0x40000000u, 0, 0, 0);
    ck_assert_uint_eq(fault_of(0x40000000u, ARM_ACCESS_WRITE, ARM_MMU_IDX_PL1), 0xa07);
    ck_assert_uint_eq(fault_of(0x40200000u, ARM_ACCESS_READ, ARM_MMU_IDX_PL1), 0x206);
    /* A block descriptor at level 3 is reserved: a translation fault too. */
    put64(LPAE_L3_PA, LD_BLOCK(0x40000000u));
    ck_assert_uint_eq(fault_of(0x40000000u, ARM_ACCESS_READ, ARM_MMU_IDX_PL1), 0x207);
}
END_TEST

START_TEST(lpae_access_flag_fault_0x2_level)
{
    lpae_setup();
    put64(LPAE_L1_PA, LD_BLOCK(0x40000000u) & ~(1ull << 10));
    lpae_chain(0x40000000u, 0, 0, LD_PAGE(0x40000000u) & ~(1ull << 10));
    ck_assert_uint_eq(fault_of(0x00000000u, ARM_ACCESS_READ, ARM_MMU_IDX_PL1), 0x209);
    ck_assert_uint_eq(fault_of(0x40000000u, ARM_ACCESS_WRITE, ARM_MMU_IDX_PL0), 0xa0b);
}
END_TEST

START_TEST(lpae_ap_permission_faults_0x3_level)
{
    lpae_setup();
    lpae_chain(0x40000000u, 0, 0, LD_PAGE(0x40000000u) | LD_AP(2));   /* PL1 read-only */
    ck_assert_uint_eq(fault_of(0x40000000u, ARM_ACCESS_READ, ARM_MMU_IDX_PL1), 0);
    ck_assert_uint_eq(fault_of(0x40000000u, ARM_ACCESS_WRITE, ARM_MMU_IDX_PL1), 0xa0f);
    ck_assert_uint_eq(fault_of(0x40000000u, ARM_ACCESS_READ, ARM_MMU_IDX_PL0), 0x20f);
    put64(LPAE_L1_PA, LD_BLOCK(0) | LD_AP(3) | LD_XN);                 /* read-only, XN */
    ck_assert_uint_eq(fault_of(0x00001000u, ARM_ACCESS_READ, ARM_MMU_IDX_PL0), 0);
    ck_assert_uint_eq(fault_of(0x00001000u, ARM_ACCESS_WRITE, ARM_MMU_IDX_PL0), 0xa0d);
    ck_assert_uint_eq(fault_of(0x00001000u, ARM_ACCESS_EXEC, ARM_MMU_IDX_PL1), 0x20d);
}
END_TEST

START_TEST(lpae_external_abort_on_walk_0x5_level)
{
    lpae_setup();
    put64(LPAE_L1_PA + 8, LD_TABLE(0x08000000u));
    ck_assert_uint_eq(fault_of(0x40000000u, ARM_ACCESS_READ, ARM_MMU_IDX_PL1), 0x216);
    cpu.cp15.ttbr0_lo = 0x08000000u;
    ck_assert_uint_eq(fault_of(0x40000000u, ARM_ACCESS_WRITE, ARM_MMU_IDX_PL1), 0xa15);
}
END_TEST

START_TEST(lpae_aptable_takes_away_pl0_and_write_below)
{
    lpae_setup();
    lpae_chain(0x40000000u, LD_APTABLE(1), 0, LD_PAGE(0x40000000u) | LD_AP(1));
    ck_assert_uint_eq(fault_of(0x40000000u, ARM_ACCESS_READ, ARM_MMU_IDX_PL0), 0x20f);
    ck_assert_uint_eq(fault_of(0x40000000u, ARM_ACCESS_WRITE, ARM_MMU_IDX_PL1), 0);
    lpae_chain(0x40000000u, 0, LD_APTABLE(2), LD_PAGE(0x40000000u) | LD_AP(1));
    ck_assert_uint_eq(fault_of(0x40000000u, ARM_ACCESS_READ, ARM_MMU_IDX_PL0), 0);
    ck_assert_uint_eq(fault_of(0x40000000u, ARM_ACCESS_WRITE, ARM_MMU_IDX_PL0), 0xa0f);
    ck_assert_uint_eq(fault_of(0x40000000u, ARM_ACCESS_WRITE, ARM_MMU_IDX_PL1), 0xa0f);
}
END_TEST

START_TEST(lpae_xntable_and_pxntable_are_inherited)
{
    lpae_setup();
    lpae_chain(0x40000000u, LD_XNTABLE, 0, LD_PAGE(0x40000000u) | LD_AP(1));
    ck_assert_uint_eq(fault_of(0x40000000u, ARM_ACCESS_EXEC, ARM_MMU_IDX_PL0), 0x20f);
    lpae_chain(0x40000000u, 0, LD_PXNTABLE, LD_PAGE(0x40000000u) | LD_AP(1));
    ck_assert_uint_eq(fault_of(0x40000000u, ARM_ACCESS_EXEC, ARM_MMU_IDX_PL0), 0);
    ck_assert_uint_eq(fault_of(0x40000000u, ARM_ACCESS_EXEC, ARM_MMU_IDX_PL1), 0x20f);
    lpae_chain(0x40000000u, 0, 0, LD_PAGE(0x40000000u) | LD_AP(1) | LD_PXN);
    ck_assert_uint_eq(fault_of(0x40000000u, ARM_ACCESS_EXEC, ARM_MMU_IDX_PL1), 0x20f);
}
END_TEST

START_TEST(lpae_t0sz_and_t1sz_select_the_table)
{
    struct arm_mmu_result res;
    uint32_t fsr;

    lpae_setup();
    /* T0SZ = 1: TTBR0 below 2 GiB, level 1 with 2 entries; T1SZ = 2:
     * TTBR1 for the top 1 GiB, starting at level 2; 2-3 GiB is a gap. */
    cpu.cp15.ttbcr = TTBCR_EAE | 1u | (2u << 16);
    cpu.cp15.ttbr1_lo = LPAE_L1_PA_TTBR1;
    put64(LPAE_L1_PA + 1 * 8, LD_BLOCK(0x40000000u));
    put64(LPAE_L1_PA_TTBR1 + 5 * 8, LD_BLOCK(0x46000000u));
    ck_assert(xlate(0x40000123u, ARM_ACCESS_READ, ARM_MMU_IDX_PL1, &res, &fsr));
    ck_assert_uint_eq(res.pa, 0x40000123u);
    ck_assert(xlate(0xc0a00123u, ARM_ACCESS_READ, ARM_MMU_IDX_PL1, &res, &fsr));
    ck_assert_uint_eq(res.pa, 0x46000123u);
    ck_assert_uint_eq(fault_of(0x80000000u, ARM_ACCESS_READ, ARM_MMU_IDX_PL1), 0x205);
    /* EPD1 disables TTBR1's walks. */
    cpu.cp15.ttbcr |= 1u << 23;
    ck_assert_uint_eq(fault_of(0xc0a00123u, ARM_ACCESS_READ, ARM_MMU_IDX_PL1), 0x205);
}
END_TEST

START_TEST(lpae_not_global_entries_take_the_asid_from_the_ttbr)
{
    struct arm_mmu_result res;
    uint32_t fsr;

    lpae_setup();
    cpu.cp15.ttbr0_hi = 0x00420000u;               /* ASID 0x42 in TTBR0[55:48] */
    cpu.cp15.ttbr1_hi = 0x00770000u;
    put64(LPAE_L1_PA, LD_BLOCK(0) | LD_NG);
    ck_assert(xlate(0x1000u, ARM_ACCESS_READ, ARM_MMU_IDX_PL1, &res, &fsr));
    ck_assert(!res.global);
    ck_assert_uint_eq(res.asid, 0x42);
    cpu.cp15.ttbcr |= 1u << 22;                    /* A1: TTBR1's ASID */
    ck_assert(xlate(0x1000u, ARM_ACCESS_READ, ARM_MMU_IDX_PL1, &res, &fsr));
    ck_assert_uint_eq(res.asid, 0x77);
}
END_TEST

static Suite *arm_mmu_suite(void)
{
    Suite *s = suite_create("arm_mmu");
    TCase *sd = tcase_create("short");
    TCase *ld = tcase_create("long");

    tcase_add_test(sd, mmu_off_is_a_flat_map_with_every_permission);
    tcase_add_test(sd, section_maps_1mib_with_the_offset);
    tcase_add_test(sd, supersection_maps_16mib_with_a_40_bit_pa);
    tcase_add_test(sd, small_page_maps_4kib_with_the_offset);
    tcase_add_test(sd, large_page_maps_64kib_with_the_offset);
    tcase_add_test(sd, first_level_fault_entry_is_translation_fault_0x005);
    tcase_add_test(sd, second_level_fault_entry_is_translation_fault_0x007_with_domain);
    tcase_add_test(sd, no_access_domain_gives_domain_fault_section_0x9_page_0xb);
    tcase_add_test(sd, translation_fault_on_page_comes_before_domain_fault);
    tcase_add_test(sd, manager_domain_skips_ap_and_xn);
    tcase_add_test(sd, every_ap_value_grants_the_architected_permissions);
    tcase_add_test(sd, xn_forbids_instruction_fetch_with_a_permission_fault);
    tcase_add_test(sd, pxn_forbids_pl1_fetch_only);
    tcase_add_test(sd, fetch_needs_read_permission);
    tcase_add_test(sd, wxn_makes_writable_regions_execute_never);
    tcase_add_test(sd, access_flag_fault_with_afe_section_0x3_page_0x6);
    tcase_add_test(sd, afe_uses_the_simplified_ap_model);
    tcase_add_test(sd, external_abort_on_walk_level1_0xc_level2_0xe);
    tcase_add_test(sd, ttbcr_n_splits_the_va_space_between_ttbr0_and_ttbr1);
    tcase_add_test(sd, not_global_entries_carry_the_contextidr_asid);
    tcase_add_test(sd, big_endian_tables_with_sctlr_ee);
    suite_add_tcase(s, sd);
    tcase_add_test(ld, lpae_1gib_block_maps_a_40_bit_pa);
    tcase_add_test(ld, lpae_2mib_block_and_4kib_page);
    tcase_add_test(ld, lpae_translation_fault_reports_the_level);
    tcase_add_test(ld, lpae_access_flag_fault_0x2_level);
    tcase_add_test(ld, lpae_ap_permission_faults_0x3_level);
    tcase_add_test(ld, lpae_external_abort_on_walk_0x5_level);
    tcase_add_test(ld, lpae_aptable_takes_away_pl0_and_write_below);
    tcase_add_test(ld, lpae_xntable_and_pxntable_are_inherited);
    tcase_add_test(ld, lpae_t0sz_and_t1sz_select_the_table);
    tcase_add_test(ld, lpae_not_global_entries_take_the_asid_from_the_ttbr);
    suite_add_tcase(s, ld);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(arm_mmu_suite());
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? 1 : 0;
}
