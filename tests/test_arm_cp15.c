/*
 * test_arm_cp15.c — the system registers (arm/cp15.c): the values of
 * machine-contract.md §4, who may access what, the side effects of writes
 * (TLB flushes, address translation into PAR, the timer) and the generic
 * timer's arithmetic.
 *
 * Every function of emu/cpu_services.h is stubbed here, so the test links
 * without the runtime: the TLB stubs record their calls, the counter is a
 * variable the test sets, and physical reads come from a small fake
 * memory holding translation tables.
 */
#include "arm/cp15.h"
#include "emu/cpu_services.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>

/* ---- stubs for emu/cpu_services.h --------------------------------------- */

enum flush_kind { FLUSH_NONE, FLUSH_ALL, FLUSH_VA, FLUSH_ASID, FLUSH_VA_ASID };

static struct {
    enum flush_kind kind;
    uint32_t va, asid;
    bool all_cpus;
    unsigned count;
} flushes;
static uint64_t counter_value;
static unsigned timer_changes;

#define MEM_BASE 0x00100000u
#define MEM_WORDS 0x2000u
static uint32_t mem[MEM_WORDS];

static void record_flush(enum flush_kind kind, uint32_t va, uint32_t asid, bool all)
{
    flushes.kind = kind;
    flushes.va = va;
    flushes.asid = asid;
    flushes.all_cpus = all;
    flushes.count++;
}

void emu_tlb_flush_all(struct arm_cpu *cpu, bool all_cpus)
{
    (void)cpu;
    record_flush(FLUSH_ALL, 0, 0, all_cpus);
}

void emu_tlb_flush_va(struct arm_cpu *cpu, uint32_t va, bool all_cpus)
{
    (void)cpu;
    record_flush(FLUSH_VA, va, 0, all_cpus);
}

void emu_tlb_flush_asid(struct arm_cpu *cpu, uint32_t asid, bool all_cpus)
{
    (void)cpu;
    record_flush(FLUSH_ASID, 0, asid, all_cpus);
}

void emu_tlb_flush_va_asid(struct arm_cpu *cpu, uint32_t va, uint32_t asid, bool all_cpus)
{
    (void)cpu;
    record_flush(FLUSH_VA_ASID, va, asid, all_cpus);
}

uint64_t emu_counter_now(struct arm_cpu *cpu)
{
    (void)cpu;
    return counter_value;
}

void emu_timer_changed(struct arm_cpu *cpu)
{
    (void)cpu;
    timer_changes++;
}

bool emu_phys_read32(struct arm_cpu *cpu, uint64_t pa, uint32_t *value)
{
    (void)cpu;
    if (pa < MEM_BASE || pa >= MEM_BASE + 4ull * MEM_WORDS)
        return false;
    *value = mem[(pa - MEM_BASE) / 4];
    return true;
}

uint64_t emu_mem_load(struct arm_cpu *cpu, uint32_t va, unsigned memop)
{
    (void)cpu, (void)va, (void)memop;
    ck_abort_msg("emu_mem_load called");
}

void emu_mem_store(struct arm_cpu *cpu, uint32_t va, uint64_t value, unsigned memop)
{
    (void)cpu, (void)va, (void)value, (void)memop;
    ck_abort_msg("emu_mem_store called");
}

static uint64_t stub_load(void *env, uint64_t addr, unsigned memop)
{
    return emu_mem_load(env, (uint32_t)addr, memop);
}

static void stub_store(void *env, uint64_t addr, uint64_t value, unsigned memop)
{
    emu_mem_store(env, (uint32_t)addr, value, memop);
}

const struct tcg_mem_ops emu_tcg_mem_ops = { stub_load, stub_store };

uint64_t emu_load_exclusive(struct arm_cpu *cpu, uint32_t va, unsigned memop)
{
    (void)cpu, (void)va, (void)memop;
    ck_abort_msg("emu_load_exclusive called");
}

uint32_t emu_store_exclusive(struct arm_cpu *cpu, uint32_t va, uint64_t value, unsigned memop)
{
    (void)cpu, (void)va, (void)value, (void)memop;
    ck_abort_msg("emu_store_exclusive called");
}

void emu_clear_exclusive(struct arm_cpu *cpu)
{
    (void)cpu;
    ck_abort_msg("emu_clear_exclusive called");
}

void emu_send_event(struct arm_cpu *cpu)
{
    (void)cpu;
    ck_abort_msg("emu_send_event called");
}

/* ---- helpers ---------------------------------------------------------- */

static struct arm_cpu cpu;

static void fresh(void)
{
    memset(&cpu, 0, sizeof(cpu));
    arm_cpu_reset(&cpu, 0);
    memset(&flushes, 0, sizeof(flushes));
    memset(mem, 0, sizeof(mem));
    counter_value = 0;
    timer_changes = 0;
}

static uint32_t rd(unsigned cp, unsigned o1, unsigned n, unsigned m, unsigned o2)
{
    uint32_t v = 0xdeadbeef;

    ck_assert_msg(arm_sysreg_read(&cpu, cp, o1, n, m, o2, &v),
                  "read p%u, %u, c%u, c%u, %u is UNDEFINED", cp, o1, n, m, o2);
    return v;
}

static void wr(unsigned cp, unsigned o1, unsigned n, unsigned m, unsigned o2, uint32_t v)
{
    ck_assert_msg(arm_sysreg_write(&cpu, cp, o1, n, m, o2, v),
                  "write p%u, %u, c%u, c%u, %u is UNDEFINED", cp, o1, n, m, o2);
}

static uint64_t rd64(unsigned cp, unsigned o1, unsigned m)
{
    uint64_t v = 0;

    ck_assert_msg(arm_sysreg_read64(&cpu, cp, o1, m, &v), "MRRC p%u, %u, c%u UNDEFINED", cp,
                  o1, m);
    return v;
}

static void to_user(void)
{
    arm_cpu_switch_mode(&cpu, ARM_MODE_USR);
}

/* ---- identification --------------------------------------------------- */

struct id_case {
    unsigned cp, o1, n, m, o2;
    uint32_t value;
    const char *name;
};

static const struct id_case id_cases[] = {
    { 15, 0, 0, 0, 0, 0x414fc0f0u, "MIDR" },
    { 15, 0, 0, 0, 1, 0x8444c004u, "CTR" },
    { 15, 0, 0, 0, 2, 0, "TCMTR" },
    { 15, 0, 0, 0, 3, 0, "TLBTR" },
    { 15, 0, 0, 0, 6, 0x414fc0f0u, "REVIDR reads as MIDR" },
    { 15, 0, 0, 1, 0, 0x00001131u, "ID_PFR0" },
    { 15, 0, 0, 1, 1, 0x00010001u, "ID_PFR1" },
    { 15, 0, 0, 1, 2, 0x02010505u, "ID_DFR0" },
    { 15, 0, 0, 1, 3, 0, "ID_AFR0" },
    { 15, 0, 0, 1, 4, 0x10201105u, "ID_MMFR0" },
    { 15, 0, 0, 1, 5, 0x20000000u, "ID_MMFR1" },
    { 15, 0, 0, 1, 6, 0x01240000u, "ID_MMFR2" },
    { 15, 0, 0, 1, 7, 0x02102211u, "ID_MMFR3" },
    { 15, 0, 0, 2, 0, 0x02101110u, "ID_ISAR0" },
    { 15, 0, 0, 2, 1, 0x13112111u, "ID_ISAR1" },
    { 15, 0, 0, 2, 2, 0x21232041u, "ID_ISAR2" },
    { 15, 0, 0, 2, 3, 0x11112131u, "ID_ISAR3" },
    { 15, 0, 0, 2, 4, 0x10011142u, "ID_ISAR4" },
    { 15, 0, 0, 2, 5, 0, "ID_ISAR5" },
    { 15, 1, 0, 0, 1, 0x0a200023u, "CLIDR" },
    { 15, 1, 0, 0, 7, 0, "AIDR" },
    { 15, 4, 15, 0, 0, 0x08000000u, "CBAR" },
    { 15, 0, 1, 0, 0, 0x00c50078u, "SCTLR" },
    { 15, 0, 1, 0, 1, 0, "ACTLR" },
    { 15, 0, 1, 0, 2, 0, "CPACR" },
    { 15, 0, 14, 0, 0, 62500000u, "CNTFRQ" },
    { 14, 0, 0, 0, 0, 0x3515f021u, "DBGDIDR" },
};

START_TEST(id_registers_read_the_contract_values)
{
    fresh();
    for (size_t i = 0; i < sizeof(id_cases) / sizeof(id_cases[0]); i++) {
        const struct id_case *c = &id_cases[i];
        uint32_t v = rd(c->cp, c->o1, c->n, c->m, c->o2);

        ck_assert_msg(v == c->value, "%s = 0x%08x, want 0x%08x", c->name, v, c->value);
    }
}
END_TEST

START_TEST(isar0_reports_no_swp)
{
    fresh();
    ck_assert_uint_eq(rd(15, 0, 0, 2, 0) & 0xfu, 0);
}
END_TEST

START_TEST(mpidr_is_bit_31_or_the_cpu_index)
{
    fresh();
    arm_cpu_reset(&cpu, 5);
    ck_assert_uint_eq(rd(15, 0, 0, 0, 5), 0x80000005u);
}
END_TEST

START_TEST(ccsidr_follows_csselr)
{
    fresh();
    wr(15, 2, 0, 0, 0, 0xffffffffu);
    ck_assert_uint_eq(rd(15, 2, 0, 0, 0), 0xfu);          /* CSSELR keeps [3:0] */
    wr(15, 2, 0, 0, 0, 0);
    ck_assert_uint_eq(rd(15, 1, 0, 0, 0), 0x701fe00au);   /* L1 data */
    wr(15, 2, 0, 0, 0, 1);
    ck_assert_uint_eq(rd(15, 1, 0, 0, 0), 0x201fe00au);   /* L1 instruction */
    wr(15, 2, 0, 0, 0, 2);
    ck_assert_uint_eq(rd(15, 1, 0, 0, 0), 0x711fe07au);   /* L2 */
    wr(15, 2, 0, 0, 0, 4);
    ck_assert_uint_eq(rd(15, 1, 0, 0, 0), 0);
}
END_TEST

START_TEST(reserved_id_space_reads_as_zero_and_is_read_only)
{
    uint32_t v;

    fresh();
    ck_assert_uint_eq(rd(15, 0, 0, 2, 6), 0);
    ck_assert_uint_eq(rd(15, 0, 0, 7, 7), 0);
    ck_assert(!arm_sysreg_write(&cpu, 15, 0, 0, 0, 0, 1));    /* MIDR */
    ck_assert(!arm_sysreg_write(&cpu, 15, 0, 0, 3, 0, 1));
    ck_assert(!arm_sysreg_read(&cpu, 15, 0, 7, 5, 0, &v));     /* ICIALLU: write-only */
}
END_TEST

START_TEST(unknown_registers_are_undefined_with_an_unimp_line)
{
    char *text = NULL;
    size_t len = 0;
    uint32_t v;
    uint64_t v64;

    fresh();
    arm_unimp_log = open_memstream(&text, &len);
    ck_assert(!arm_sysreg_read(&cpu, 15, 0, 1, 1, 0, &v));     /* SCR: Security Ext. */
    ck_assert(!arm_sysreg_write(&cpu, 15, 0, 9, 12, 0, 0));    /* PMCR */
    ck_assert(!arm_sysreg_read64(&cpu, 15, 5, 14, &v64));
    ck_assert(!arm_sysreg_read(&cpu, 14, 0, 0, 6, 5, &v));     /* DBGBCR6: only 6 BRPs */
    /* Existing but forbidden: UNDEFINED without a line. */
    ck_assert(!arm_sysreg_write(&cpu, 15, 0, 7, 8, 4, 0));     /* ATS12NSOPR */
    ck_assert(!arm_sysreg_read64(&cpu, 15, 4, 14, &v64));      /* CNTVOFF */
    fclose(arm_unimp_log);
    arm_unimp_log = NULL;
    ck_assert_str_eq(text,
                     "unimp: cpu 0 pc 0x00000000: sysreg cp15 opc1 0 CRn 1 CRm 1 opc2 0\n"
                     "unimp: cpu 0 pc 0x00000000: sysreg cp15 opc1 0 CRn 9 CRm 12 opc2 0\n"
                     "unimp: cpu 0 pc 0x00000000: sysreg64 cp15 opc1 5 CRm 14\n"
                     "unimp: cpu 0 pc 0x00000000: sysreg cp14 opc1 0 CRn 0 CRm 6 opc2 5\n");
    free(text);
}
END_TEST

START_TEST(debug_breakpoint_and_watchpoint_registers_read_zero)
{
    fresh();
    ck_assert_uint_eq(rd(14, 0, 0, 5, 4), 0);          /* DBGBVR5 */
    wr(14, 0, 0, 5, 5, 0x1e7);                         /* DBGBCR5: ignored */
    ck_assert_uint_eq(rd(14, 0, 0, 5, 5), 0);
    ck_assert_uint_eq(rd(14, 0, 0, 3, 7), 0);          /* DBGWCR3 */
    ck_assert_uint_eq(rd(14, 0, 1, 1, 4), 0xau);       /* DBGOSLSR */
}
END_TEST

/* ---- privilege --------------------------------------------------------- */

START_TEST(pl0_reads_tpidruro_and_owns_tpidrurw_only)
{
    uint32_t v;

    fresh();
    wr(15, 0, 13, 0, 3, 0x1111u);
    wr(15, 0, 13, 0, 4, 0x2222u);
    to_user();
    ck_assert_uint_eq(rd(15, 0, 13, 0, 3), 0x1111u);
    ck_assert(!arm_sysreg_write(&cpu, 15, 0, 13, 0, 3, 0));    /* TPIDRURO */
    wr(15, 0, 13, 0, 2, 0x3333u);                              /* TPIDRURW */
    ck_assert_uint_eq(rd(15, 0, 13, 0, 2), 0x3333u);
    ck_assert(!arm_sysreg_read(&cpu, 15, 0, 13, 0, 4, &v));    /* TPIDRPRW */
    ck_assert(!arm_sysreg_read(&cpu, 15, 0, 0, 0, 0, &v));     /* MIDR */
    ck_assert(!arm_sysreg_read(&cpu, 15, 0, 1, 0, 0, &v));     /* SCTLR */
    ck_assert(!arm_sysreg_write(&cpu, 15, 0, 8, 7, 0, 0));     /* TLBIALL */
    ck_assert(!arm_sysreg_write(&cpu, 15, 0, 7, 5, 0, 0));     /* ICIALLU */
    ck_assert_uint_eq(flushes.count, 0);
}
END_TEST

START_TEST(pl0_may_use_cp15_barriers_unless_cp15ben_is_clear)
{
    fresh();
    to_user();
    wr(15, 0, 7, 10, 5, 0);      /* CP15DMB */
    wr(15, 0, 7, 10, 4, 0);      /* CP15DSB */
    wr(15, 0, 7, 5, 4, 0);       /* CP15ISB */
    cpu.cp15.sctlr &= ~(1u << 5);
    ck_assert(!arm_sysreg_write(&cpu, 15, 0, 7, 10, 5, 0));
}
END_TEST

START_TEST(pl0_timer_access_follows_cntkctl)
{
    uint32_t v;
    uint64_t v64;

    fresh();
    to_user();
    ck_assert(!arm_sysreg_read(&cpu, 15, 0, 14, 0, 0, &v));    /* CNTFRQ */
    ck_assert(!arm_sysreg_read64(&cpu, 15, 1, 14, &v64));      /* CNTVCT */
    ck_assert(!arm_sysreg_read64(&cpu, 15, 0, 14, &v64));      /* CNTPCT */
    ck_assert(!arm_sysreg_read(&cpu, 15, 0, 14, 3, 1, &v));    /* CNTV_CTL */
    ck_assert(!arm_sysreg_write(&cpu, 15, 0, 14, 1, 0, 3));    /* CNTKCTL: PL1 only */
    cpu.cp15.cntkctl = 1u << 1;                                /* PL0VCTEN */
    ck_assert(arm_sysreg_read(&cpu, 15, 0, 14, 0, 0, &v));
    ck_assert(arm_sysreg_read64(&cpu, 15, 1, 14, &v64));
    ck_assert(!arm_sysreg_read64(&cpu, 15, 0, 14, &v64));
    cpu.cp15.cntkctl = 1u << 0;                                /* PL0PCTEN */
    ck_assert(arm_sysreg_read64(&cpu, 15, 0, 14, &v64));
    cpu.cp15.cntkctl = 1u << 8;                                /* PL0VTEN */
    ck_assert(arm_sysreg_write(&cpu, 15, 0, 14, 3, 1, 0));
    ck_assert(!arm_sysreg_write(&cpu, 15, 0, 14, 2, 1, 0));
    cpu.cp15.cntkctl = 1u << 9;                                /* PL0PTEN */
    ck_assert(arm_sysreg_write(&cpu, 15, 0, 14, 2, 1, 0));
    ck_assert(arm_sysreg_write64(&cpu, 15, 2, 14, 5));
}
END_TEST

/* ---- translation control ------------------------------------------------ */

START_TEST(sctlr_keeps_what_is_written_and_flushes_on_change)
{
    fresh();
    wr(15, 0, 1, 0, 0, 0x00c50078u);
    ck_assert_uint_eq(flushes.count, 0);
    wr(15, 0, 1, 0, 0, 0x00c5187du);
    ck_assert_uint_eq(rd(15, 0, 1, 0, 0), 0x00c5187du);
    ck_assert_uint_eq(flushes.count, 1);
    ck_assert_int_eq(flushes.kind, FLUSH_ALL);
    ck_assert(!flushes.all_cpus);
}
END_TEST

START_TEST(ttbcr_keeps_the_bits_of_its_format)
{
    fresh();
    wr(15, 0, 2, 0, 2, 0x7fffffffu);
    ck_assert_uint_eq(rd(15, 0, 2, 0, 2), 0x7u);
    wr(15, 0, 2, 0, 2, 0xffffffffu);
    ck_assert_uint_eq(rd(15, 0, 2, 0, 2), 0xffc73f87u);
    ck_assert_uint_eq(flushes.count, 2);
}
END_TEST

START_TEST(dacr_and_asid_changes_flush_the_tlb)
{
    fresh();
    wr(15, 0, 3, 0, 0, 0x55555555u);
    ck_assert_uint_eq(flushes.count, 1);
    wr(15, 0, 3, 0, 0, 0x55555555u);
    ck_assert_uint_eq(flushes.count, 1);
    wr(15, 0, 13, 0, 1, 0x00000100u);      /* PROCID only */
    ck_assert_uint_eq(flushes.count, 1);
    wr(15, 0, 13, 0, 1, 0x00000105u);      /* ASID 5 */
    ck_assert_uint_eq(flushes.count, 2);
    ck_assert_uint_eq(rd(15, 0, 13, 0, 1), 0x105u);
}
END_TEST

START_TEST(vbar_ignores_bits_4_to_0)
{
    fresh();
    wr(15, 0, 12, 0, 0, 0xffffffffu);
    ck_assert_uint_eq(rd(15, 0, 12, 0, 0), 0xffffffe0u);
}
END_TEST

START_TEST(cpacr_reads_as_zero_without_vfp)
{
    fresh();
    wr(15, 0, 1, 0, 2, 0xffffffffu);
    ck_assert_uint_eq(rd(15, 0, 1, 0, 2), 0);
}
END_TEST

START_TEST(ttbr_64_bit_access_and_the_32_bit_low_half)
{
    fresh();
    ck_assert(arm_sysreg_write64(&cpu, 15, 0, 2, 0xffffffff12345000ull));
    ck_assert_uint_eq(rd64(15, 0, 2), 0xffffffff12345000ull);
    wr(15, 0, 2, 0, 0, 0xabcdef00u);                  /* MCR: low half only */
    ck_assert_uint_eq(rd64(15, 0, 2), 0xffffffffabcdef00ull);
    ck_assert(arm_sysreg_write64(&cpu, 15, 1, 2, 0x0000000400008000ull));
    ck_assert_uint_eq(rd(15, 0, 2, 0, 1), 0x00008000u);
    ck_assert_uint_eq(cpu.cp15.ttbr1_hi, 4);
}
END_TEST

START_TEST(ttbr_asid_change_flushes_the_tlb)
{
    fresh();
    ck_assert(arm_sysreg_write64(&cpu, 15, 0, 2, 0x0000000000100000ull));
    ck_assert_uint_eq(flushes.count, 0);
    ck_assert(arm_sysreg_write64(&cpu, 15, 0, 2, 0x0007000000100000ull));
    ck_assert_uint_eq(flushes.count, 1);
}
END_TEST

/* ---- address translation operations -------------------------------------- */

/* MMU on, short descriptors: 0x80000000 → section at 0x40000000, PL1 rw /
 * PL0 read-only (AP 0b010), domain 0 client. */
static void map_one_section(void)
{
    cpu.cp15.ttbr0_lo = MEM_BASE;
    cpu.cp15.dacr = 1;
    mem[0x800] = 0x40000000u | (2u << 10) | 2u;
    cpu.cp15.sctlr |= SCTLR_M;
}

START_TEST(ats1cpr_writes_the_pa_into_par)
{
    fresh();
    map_one_section();
    wr(15, 0, 7, 8, 0, 0x80012345u);
    ck_assert_uint_eq(rd(15, 0, 7, 4, 0), 0x40012200u);     /* PA[31:12] | NS */
    ck_assert_uint_eq(rd64(15, 0, 7), 0x40012200u);
}
END_TEST

START_TEST(ats1cuw_fault_writes_the_fault_status_into_par)
{
    fresh();
    map_one_section();
    wr(15, 0, 7, 8, 3, 0x80012345u);          /* PL0 write: permission fault 0x00d */
    ck_assert_uint_eq(rd(15, 0, 7, 4, 0), (0xdu << 1) | 1u);
    wr(15, 0, 7, 8, 2, 0x80012345u);          /* PL0 read: allowed */
    ck_assert_uint_eq(rd(15, 0, 7, 4, 0), 0x40012200u);
    wr(15, 0, 7, 8, 1, 0x90000000u);          /* unmapped: translation fault 0x005 */
    ck_assert_uint_eq(rd(15, 0, 7, 4, 0), (0x5u << 1) | 1u);
}
END_TEST

START_TEST(ats_with_the_mmu_off_and_lpae_uses_the_long_par_format)
{
    fresh();
    wr(15, 0, 7, 8, 0, 0x40001234u);
    ck_assert_uint_eq(rd64(15, 0, 7), 0x40001200u);         /* measured on QEMU 7.2 */
    cpu.cp15.ttbcr = TTBCR_EAE;
    wr(15, 0, 7, 8, 0, 0x40001234u);
    ck_assert_uint_eq(rd64(15, 0, 7), 0x40001a00u);
    /* MMU on, long descriptors, an empty level-1 table: fault, level 1. */
    cpu.cp15.ttbr0_lo = MEM_BASE;
    cpu.cp15.sctlr |= SCTLR_M;
    wr(15, 0, 7, 8, 0, 0x40001234u);
    ck_assert_uint_eq(rd64(15, 0, 7), (1u << 11) | (0x5u << 1) | 1u);
}
END_TEST

/* ---- maintenance ---------------------------------------------------------- */

struct tlbi_case {
    unsigned crm, opc2;
    enum flush_kind kind;
    uint32_t va, asid;
    bool all_cpus;
};

static const struct tlbi_case tlbi_cases[] = {
    { 7, 0, FLUSH_ALL, 0, 0, false },                  /* TLBIALL */
    { 7, 1, FLUSH_VA_ASID, 0x12345000u, 0x78, false }, /* TLBIMVA */
    { 7, 2, FLUSH_ASID, 0, 0x78, false },              /* TLBIASID */
    { 7, 3, FLUSH_VA, 0x12345000u, 0, false },         /* TLBIMVAA */
    { 3, 0, FLUSH_ALL, 0, 0, true },                   /* TLBIALLIS */
    { 3, 1, FLUSH_VA_ASID, 0x12345000u, 0x78, true },  /* TLBIMVAIS */
    { 3, 2, FLUSH_ASID, 0, 0x78, true },               /* TLBIASIDIS */
    { 3, 3, FLUSH_VA, 0x12345000u, 0, true },          /* TLBIMVAAIS */
    { 5, 0, FLUSH_ALL, 0, 0, false },                  /* ITLBIALL */
    { 5, 1, FLUSH_VA_ASID, 0x12345000u, 0x78, false }, /* ITLBIMVA */
    { 6, 2, FLUSH_ASID, 0, 0x78, false },              /* DTLBIASID */
};

START_TEST(tlb_operations_call_the_matching_flush)
{
    for (size_t i = 0; i < sizeof(tlbi_cases) / sizeof(tlbi_cases[0]); i++) {
        const struct tlbi_case *c = &tlbi_cases[i];

        fresh();
        wr(15, 0, 8, c->crm, c->opc2, 0x12345678u);
        ck_assert_msg(flushes.count == 1, "case %zu: %u flushes", i, flushes.count);
        ck_assert_msg(flushes.kind == c->kind, "case %zu kind", i);
        ck_assert_msg(flushes.va == c->va, "case %zu va 0x%08x", i, flushes.va);
        ck_assert_msg(flushes.asid == c->asid, "case %zu asid", i);
        ck_assert_msg(flushes.all_cpus == c->all_cpus, "case %zu broadcast", i);
    }
}
END_TEST

START_TEST(cache_maintenance_is_accepted_and_does_nothing)
{
    static const unsigned ops[][2] = {
        { 1, 0 }, { 1, 6 }, { 5, 0 }, { 5, 1 }, { 5, 6 }, { 5, 7 }, { 6, 1 },
        { 6, 2 }, { 10, 1 }, { 10, 2 }, { 11, 1 }, { 14, 1 }, { 14, 2 },
    };

    fresh();
    for (size_t i = 0; i < sizeof(ops) / sizeof(ops[0]); i++)
        wr(15, 0, 7, ops[i][0], ops[i][1], 0x40000000u);
    ck_assert_uint_eq(flushes.count, 0);
}
END_TEST

START_TEST(isr_shows_the_pending_interrupt_lines)
{
    fresh();
    ck_assert_uint_eq(rd(15, 0, 12, 1, 0), 0);
    atomic_store(&cpu.irq_lines, ARM_IRQ_LINE | ARM_FIQ_LINE);
    ck_assert_uint_eq(rd(15, 0, 12, 1, 0), 0xc0u);
}
END_TEST

/* ---- the generic timer ------------------------------------------------------ */

START_TEST(counters_come_from_the_runtime_clock)
{
    fresh();
    counter_value = 0x123456789ull;
    ck_assert_uint_eq(rd64(15, 0, 14), 0x123456789ull);      /* CNTPCT */
    ck_assert_uint_eq(rd64(15, 1, 14), 0x123456789ull);      /* CNTVCT: CNTVOFF 0 */
}
END_TEST

START_TEST(tval_reads_cval_minus_counter_and_writes_set_cval)
{
    fresh();
    counter_value = 1000000;
    wr(15, 0, 14, 3, 0, 500);                                /* CNTV_TVAL */
    ck_assert_uint_eq(rd64(15, 3, 14), 1000500);             /* CNTV_CVAL */
    counter_value = 1000100;
    ck_assert_uint_eq(rd(15, 0, 14, 3, 0), 400);
    counter_value = 1000600;                                 /* past: negative */
    ck_assert_uint_eq(rd(15, 0, 14, 3, 0), (uint32_t)-100);
    wr(15, 0, 14, 2, 0, (uint32_t)-10);                      /* CNTP_TVAL, signed */
    ck_assert_uint_eq(rd64(15, 2, 14), 1000590);
}
END_TEST

START_TEST(ctl_istatus_is_set_when_enabled_and_the_counter_reached_cval)
{
    fresh();
    counter_value = 100;
    ck_assert(arm_sysreg_write64(&cpu, 15, 2, 14, 200));     /* CNTP_CVAL */
    wr(15, 0, 14, 2, 1, 0xffffffffu);                        /* ENABLE | IMASK kept */
    ck_assert_uint_eq(rd(15, 0, 14, 2, 1), 3);
    counter_value = 200;
    ck_assert_uint_eq(rd(15, 0, 14, 2, 1), 7);
    wr(15, 0, 14, 2, 1, 0);                                  /* disabled: no status */
    ck_assert_uint_eq(rd(15, 0, 14, 2, 1), 0);
    ck_assert_uint_eq(rd(15, 0, 14, 3, 1), 0);               /* the virtual one is apart */
}
END_TEST

START_TEST(timer_writes_tell_the_runtime)
{
    fresh();
    wr(15, 0, 14, 3, 1, 1);
    wr(15, 0, 14, 3, 0, 10);
    ck_assert(arm_sysreg_write64(&cpu, 15, 3, 14, 5));
    wr(15, 0, 14, 2, 1, 1);
    ck_assert_uint_eq(timer_changes, 4);
    wr(15, 0, 14, 1, 0, 3);                                  /* CNTKCTL: no timer change */
    ck_assert_uint_eq(timer_changes, 4);
}
END_TEST

START_TEST(cntfrq_ignores_writes)
{
    fresh();
    wr(15, 0, 14, 0, 0, 1000);
    ck_assert_uint_eq(rd(15, 0, 14, 0, 0), 62500000u);
}
END_TEST

static Suite *arm_cp15_suite(void)
{
    Suite *s = suite_create("arm_cp15");
    TCase *id = tcase_create("identification");
    TCase *acc = tcase_create("access");
    TCase *mmu = tcase_create("translation");
    TCase *tim = tcase_create("timer");

    tcase_add_test(id, id_registers_read_the_contract_values);
    tcase_add_test(id, isar0_reports_no_swp);
    tcase_add_test(id, mpidr_is_bit_31_or_the_cpu_index);
    tcase_add_test(id, ccsidr_follows_csselr);
    tcase_add_test(id, reserved_id_space_reads_as_zero_and_is_read_only);
    tcase_add_test(id, unknown_registers_are_undefined_with_an_unimp_line);
    tcase_add_test(id, debug_breakpoint_and_watchpoint_registers_read_zero);
    suite_add_tcase(s, id);
    tcase_add_test(acc, pl0_reads_tpidruro_and_owns_tpidrurw_only);
    tcase_add_test(acc, pl0_may_use_cp15_barriers_unless_cp15ben_is_clear);
    tcase_add_test(acc, pl0_timer_access_follows_cntkctl);
    suite_add_tcase(s, acc);
    tcase_add_test(mmu, sctlr_keeps_what_is_written_and_flushes_on_change);
    tcase_add_test(mmu, ttbcr_keeps_the_bits_of_its_format);
    tcase_add_test(mmu, dacr_and_asid_changes_flush_the_tlb);
    tcase_add_test(mmu, vbar_ignores_bits_4_to_0);
    tcase_add_test(mmu, cpacr_reads_as_zero_without_vfp);
    tcase_add_test(mmu, ttbr_64_bit_access_and_the_32_bit_low_half);
    tcase_add_test(mmu, ttbr_asid_change_flushes_the_tlb);
    tcase_add_test(mmu, ats1cpr_writes_the_pa_into_par);
    tcase_add_test(mmu, ats1cuw_fault_writes_the_fault_status_into_par);
    tcase_add_test(mmu, ats_with_the_mmu_off_and_lpae_uses_the_long_par_format);
    tcase_add_test(mmu, tlb_operations_call_the_matching_flush);
    tcase_add_test(mmu, cache_maintenance_is_accepted_and_does_nothing);
    tcase_add_test(mmu, isr_shows_the_pending_interrupt_lines);
    suite_add_tcase(s, mmu);
    tcase_add_test(tim, counters_come_from_the_runtime_clock);
    tcase_add_test(tim, tval_reads_cval_minus_counter_and_writes_set_cval);
    tcase_add_test(tim, ctl_istatus_is_set_when_enabled_and_the_counter_reached_cval);
    tcase_add_test(tim, timer_writes_tell_the_runtime);
    tcase_add_test(tim, cntfrq_ignores_writes);
    suite_add_tcase(s, tim);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(arm_cp15_suite());
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? 1 : 0;
}
