/*
 * test_arm_cpu.c — the CPU state (arm/cpu.c): reset, CPSR reads and
 * writes, banked registers, exception entry and return, leaving generated
 * code by siglongjmp, and the -d unimp line.
 *
 * Expected values come from machine-contract.md §2 (boot state) and the
 * ARMv7 ARM (TakeException: modes, vector offsets, LR offsets, masks).
 */
#include "arm/cpu.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>

static struct arm_cpu cpu;

static void fresh(void)
{
    memset(&cpu, 0, sizeof(cpu));
    arm_cpu_reset(&cpu, 0);
}

START_TEST(reset_gives_the_contract_boot_state)
{
    int marker;

    memset(&cpu, 0xa5, sizeof(cpu));
    cpu.runtime = &marker;
    atomic_store(&cpu.irq_lines, ARM_IRQ_LINE);
    arm_cpu_reset(&cpu, 3);
    for (int i = 0; i < 16; i++)
        ck_assert_uint_eq(cpu.r[i], 0);
    ck_assert_uint_eq(arm_cpsr_read(&cpu), 0x400001d3u);
    ck_assert_uint_eq(cpu.cp15.sctlr, 0x00c50078u);
    ck_assert_uint_eq(cpu.cp15.vbar, 0);
    ck_assert_uint_eq(cpu.cp15.ttbcr, 0);
    ck_assert_uint_eq(cpu.cp15.cntkctl, 0);
    ck_assert_uint_eq(cpu.index, 3);
    ck_assert(!cpu.excl_valid);
    ck_assert_int_eq(cpu.exception, ARM_EXCP_NONE);
    /* What belongs to the runtime and the devices is left alone. */
    ck_assert_ptr_eq(cpu.runtime, &marker);
    ck_assert_uint_eq(atomic_load(&cpu.irq_lines), ARM_IRQ_LINE);
    /* Every banked copy starts at zero too. */
    arm_cpu_switch_mode(&cpu, ARM_MODE_FIQ);
    for (int i = 8; i < 15; i++)
        ck_assert_uint_eq(cpu.r[i], 0);
}
END_TEST

START_TEST(cpsr_read_assembles_the_split_flags)
{
    fresh();
    cpu.NF = 0x80000000u;
    cpu.ZF = 0;                /* Z set */
    cpu.CF = 1;
    cpu.VF = 0x80000000u;
    cpu.QF = 1;
    cpu.GE = 0x5;
    ck_assert_uint_eq(arm_cpsr_read(&cpu), 0xf80501d3u);
    cpu.ZF = 7;                /* Z clear */
    cpu.NF = 0x7fffffffu;      /* N clear: only bit 31 counts */
    ck_assert_uint_eq(arm_cpsr_read(&cpu), 0x380501d3u);
}
END_TEST

START_TEST(cpsr_write_changes_only_the_masked_bits)
{
    fresh();
    arm_cpsr_write(&cpu, 0x9f0f0000u, 0xf8000000u);      /* flags byte only */
    ck_assert_uint_eq(arm_cpsr_read(&cpu), 0x980001d3u);
    arm_cpsr_write(&cpu, 0x000a0000u, 0x000f0000u);      /* GE */
    ck_assert_uint_eq(arm_cpsr_read(&cpu), 0x980a01d3u);
    arm_cpsr_write(&cpu, 0x00000040u, 0x000000c0u);      /* I clear, F set */
    ck_assert_uint_eq(arm_cpsr_read(&cpu), 0x980a0153u);
    /* 0x9 = N and V: Z and C were cleared in the split form too. */
    ck_assert_uint_ne(cpu.ZF, 0);
    ck_assert_uint_eq(cpu.CF, 0);
    ck_assert_uint_eq(cpu.VF >> 31, 1);
    ck_assert_uint_eq(cpu.QF, 1);
}
END_TEST

START_TEST(cpsr_write_ignores_an_illegal_mode)
{
    fresh();
    arm_cpsr_write(&cpu, 0x0000001au | CPSR_A, 0x1ffu);   /* HYP: not on this CPU */
    ck_assert_int_eq(arm_cpu_mode(&cpu), ARM_MODE_SVC);
    ck_assert_uint_eq(arm_cpsr_read(&cpu) & 0x1ffu, 0x113u); /* A written, I F cleared */
    arm_cpsr_write(&cpu, 0x00000000u, CPSR_M);            /* 26-bit USR: gone in v7 */
    ck_assert_int_eq(arm_cpu_mode(&cpu), ARM_MODE_SVC);
}
END_TEST

START_TEST(cpsr_reserved_and_j_bits_read_as_zero)
{
    fresh();
    arm_cpsr_write(&cpu, 0x01f00000u, 0xffffffffu & ~CPSR_M);
    ck_assert_uint_eq(arm_cpsr_read(&cpu) & 0x01f00000u, 0);
}
END_TEST

START_TEST(mode_switch_banks_r13_r14_and_spsr_per_mode)
{
    static const enum arm_mode modes[] = {
        ARM_MODE_USR, ARM_MODE_FIQ, ARM_MODE_IRQ, ARM_MODE_SVC, ARM_MODE_ABT, ARM_MODE_UND,
    };
    unsigned n = sizeof(modes) / sizeof(modes[0]);

    fresh();
    for (unsigned i = 0; i < n; i++) {
        arm_cpu_switch_mode(&cpu, modes[i]);
        cpu.r[13] = 0x1000u + i;
        cpu.r[14] = 0x2000u + i;
        cpu.spsr = 0x3000u + i;
        cpu.r[0] = 0x77u;                 /* unbanked: shared by all modes */
    }
    for (unsigned i = 0; i < n; i++) {
        arm_cpu_switch_mode(&cpu, modes[(i + 3) % n]);
        arm_cpu_switch_mode(&cpu, modes[i]);
        ck_assert_int_eq(arm_cpu_mode(&cpu), modes[i]);
        ck_assert_uint_eq(cpu.r[13], 0x1000u + i);
        ck_assert_uint_eq(cpu.r[14], 0x2000u + i);
        if (modes[i] != ARM_MODE_USR)
            ck_assert_uint_eq(cpu.spsr, 0x3000u + i);
        ck_assert_uint_eq(cpu.r[0], 0x77u);
    }
}
END_TEST

START_TEST(usr_and_sys_share_one_bank)
{
    fresh();
    arm_cpu_switch_mode(&cpu, ARM_MODE_SYS);
    cpu.r[13] = 0xabcd0000u;
    cpu.r[14] = 0xabcd0004u;
    arm_cpu_switch_mode(&cpu, ARM_MODE_USR);
    ck_assert_uint_eq(cpu.r[13], 0xabcd0000u);
    ck_assert_uint_eq(cpu.r[14], 0xabcd0004u);
    arm_cpu_switch_mode(&cpu, ARM_MODE_SVC);
    ck_assert_uint_eq(cpu.r[13], 0);
}
END_TEST

START_TEST(fiq_banks_r8_to_r12)
{
    fresh();
    for (int i = 8; i <= 12; i++)
        cpu.r[i] = 0x100u + (uint32_t)i;
    arm_cpu_switch_mode(&cpu, ARM_MODE_FIQ);
    for (int i = 8; i <= 12; i++) {
        ck_assert_uint_eq(cpu.r[i], 0);
        cpu.r[i] = 0xf00u + (uint32_t)i;
    }
    arm_cpu_switch_mode(&cpu, ARM_MODE_IRQ);         /* IRQ sees the USR r8-r12 */
    for (int i = 8; i <= 12; i++)
        ck_assert_uint_eq(cpu.r[i], 0x100u + (uint32_t)i);
    arm_cpu_switch_mode(&cpu, ARM_MODE_FIQ);
    for (int i = 8; i <= 12; i++)
        ck_assert_uint_eq(cpu.r[i], 0xf00u + (uint32_t)i);
}
END_TEST

START_TEST(cpsr_mode_write_switches_banks)
{
    fresh();
    cpu.r[13] = 0x5000u;                              /* SVC's sp */
    arm_cpsr_write(&cpu, ARM_MODE_IRQ, CPSR_M);
    ck_assert_int_eq(arm_cpu_mode(&cpu), ARM_MODE_IRQ);
    ck_assert_uint_eq(cpu.r[13], 0);
    arm_cpsr_write(&cpu, ARM_MODE_SVC, CPSR_M);
    ck_assert_uint_eq(cpu.r[13], 0x5000u);
}
END_TEST

START_TEST(mmu_index_is_pl0_only_in_usr_mode)
{
    fresh();
    ck_assert_int_eq(arm_cpu_mmu_idx(&cpu), ARM_MMU_IDX_PL1);
    arm_cpu_switch_mode(&cpu, ARM_MODE_SYS);
    ck_assert_int_eq(arm_cpu_mmu_idx(&cpu), ARM_MMU_IDX_PL1);
    arm_cpu_switch_mode(&cpu, ARM_MODE_USR);
    ck_assert_int_eq(arm_cpu_mmu_idx(&cpu), ARM_MMU_IDX_PL0);
}
END_TEST

START_TEST(tb_flags_carry_mode_thumb_endianness_mmu_and_alignment)
{
    fresh();
    ck_assert_uint_eq(arm_cpu_tb_flags(&cpu), ARM_MODE_SVC);
    cpu.cp15.sctlr |= SCTLR_M | SCTLR_A;
    arm_cpsr_write(&cpu, CPSR_E | CPSR_T | ARM_MODE_USR, CPSR_E | CPSR_T | CPSR_M);
    ck_assert_uint_eq(arm_cpu_tb_flags(&cpu), ARM_MODE_USR | ARM_TBFLAG_THUMB |
                      ARM_TBFLAG_BE_DATA | ARM_TBFLAG_MMU_ON | ARM_TBFLAG_ALIGN);
    ck_assert_uint_eq(ARM_TBFLAG_MODE(arm_cpu_tb_flags(&cpu)), ARM_MODE_USR);
}
END_TEST

/* ---- exception entry ----------------------------------------------------- */

struct entry_case {
    enum arm_excp excp;
    enum arm_mode mode;
    uint32_t vector;
    uint32_t lr;          /* for insn_pc 0x40001000, r[15] (next) 0x40002000 */
    uint32_t masks;       /* A/I/F after entry from a CPSR with all three clear */
};

static const struct entry_case entry_cases[] = {
    { ARM_EXCP_UDEF,           ARM_MODE_UND, 0x04, 0x40001004u, CPSR_I },
    { ARM_EXCP_SWI,            ARM_MODE_SVC, 0x08, 0x40001004u, CPSR_I },
    { ARM_EXCP_PREFETCH_ABORT, ARM_MODE_ABT, 0x0c, 0x40001004u, CPSR_I | CPSR_A },
    { ARM_EXCP_BKPT,           ARM_MODE_ABT, 0x0c, 0x40001004u, CPSR_I | CPSR_A },
    { ARM_EXCP_DATA_ABORT,     ARM_MODE_ABT, 0x10, 0x40001008u, CPSR_I | CPSR_A },
    { ARM_EXCP_IRQ,            ARM_MODE_IRQ, 0x18, 0x40002004u, CPSR_I | CPSR_A },
    { ARM_EXCP_FIQ,            ARM_MODE_FIQ, 0x1c, 0x40002004u, CPSR_I | CPSR_A | CPSR_F },
};

/* USR mode, flags N and C, no masks: the state every entry starts from. */
static uint32_t enter_from_user(enum arm_excp excp)
{
    fresh();
    cpu.cp15.vbar = 0x40000000u;
    arm_cpsr_write(&cpu, 0xa0000000u | ARM_MODE_USR, 0xffffffffu);
    cpu.insn_pc = 0x40001000u;
    cpu.r[15] = 0x40002000u;
    arm_cpu_do_exception(&cpu, excp);
    return 0xa0000000u | ARM_MODE_USR;
}

START_TEST(exception_entry_sets_mode_lr_spsr_masks_and_vector)
{
    for (size_t i = 0; i < sizeof(entry_cases) / sizeof(entry_cases[0]); i++) {
        const struct entry_case *c = &entry_cases[i];
        uint32_t old = enter_from_user(c->excp);

        ck_assert_msg(arm_cpu_mode(&cpu) == c->mode, "case %zu mode", i);
        ck_assert_msg(cpu.r[14] == c->lr, "case %zu lr 0x%08x", i, cpu.r[14]);
        ck_assert_msg(cpu.spsr == old, "case %zu spsr 0x%08x", i, cpu.spsr);
        ck_assert_msg(cpu.r[15] == 0x40000000u + c->vector, "case %zu pc", i);
        ck_assert_msg((arm_cpsr_read(&cpu) & (CPSR_A | CPSR_I | CPSR_F)) == c->masks,
                      "case %zu masks", i);
        ck_assert_msg(arm_cpsr_read(&cpu) >> 28 == 0xa, "case %zu flags kept", i);
    }
}
END_TEST

START_TEST(high_vectors_with_sctlr_v_ignore_vbar)
{
    fresh();
    cpu.cp15.vbar = 0x40000000u;
    cpu.cp15.sctlr |= SCTLR_V;
    cpu.insn_pc = 0x1000u;
    arm_cpu_do_exception(&cpu, ARM_EXCP_SWI);
    ck_assert_uint_eq(cpu.r[15], 0xffff0008u);
}
END_TEST

START_TEST(exception_entry_clears_it_and_t_and_takes_e_from_sctlr_ee)
{
    fresh();
    cpu.cp15.sctlr |= SCTLR_EE;
    arm_cpsr_write(&cpu, CPSR_IT_0_1 | CPSR_IT_2_7, 0xffffffffu & ~CPSR_M);
    arm_cpu_do_exception(&cpu, ARM_EXCP_UDEF);
    ck_assert_uint_eq(arm_cpsr_read(&cpu) & (CPSR_IT_0_1 | CPSR_IT_2_7 | CPSR_T), 0);
    ck_assert_uint_ne(arm_cpsr_read(&cpu) & CPSR_E, 0);
    ck_assert_uint_eq(cpu.spsr & (CPSR_IT_0_1 | CPSR_IT_2_7), CPSR_IT_0_1 | CPSR_IT_2_7);
}
END_TEST

START_TEST(exception_entry_keeps_the_exclusive_monitor)
{
    fresh();
    cpu.excl_valid = true;
    arm_cpu_do_exception(&cpu, ARM_EXCP_SWI);
    ck_assert(cpu.excl_valid);                    /* QEMU 7.2: llsc-monitor check 6 */
    arm_cpu_exception_return(&cpu, 0x40000000u, 0x13u);
    ck_assert(cpu.excl_valid);
}
END_TEST

START_TEST(bkpt_reports_a_debug_event_in_ifsr_and_keeps_ifar)
{
    fresh();
    cpu.cp15.ifar = 0x1234u;
    arm_cpu_do_exception(&cpu, ARM_EXCP_BKPT);
    ck_assert_uint_eq(cpu.cp15.ifsr, 0x2u);
    ck_assert_uint_eq(cpu.cp15.ifar, 0x1234u);
    fresh();
    cpu.cp15.ttbcr = TTBCR_EAE;                   /* long-descriptor FSR format */
    arm_cpu_do_exception(&cpu, ARM_EXCP_BKPT);
    ck_assert_uint_eq(cpu.cp15.ifsr, 0x222u);
}
END_TEST

START_TEST(exception_return_restores_cpsr_banks_and_pc)
{
    fresh();
    cpu.r[13] = 0x4800u;                          /* SVC sp */
    arm_cpu_switch_mode(&cpu, ARM_MODE_USR);
    cpu.r[13] = 0x4000u;                          /* USR sp */
    arm_cpu_switch_mode(&cpu, ARM_MODE_SVC);
    arm_cpu_exception_return(&cpu, 0x40001003u, 0x60000010u);
    ck_assert_uint_eq(arm_cpsr_read(&cpu), 0x60000010u);
    ck_assert_uint_eq(cpu.r[13], 0x4000u);
    ck_assert_uint_eq(cpu.r[15], 0x40001000u);    /* ARM state: word aligned */
}
END_TEST

START_TEST(exception_return_to_thumb_keeps_t_and_halfword_pc)
{
    char *text = NULL;
    size_t len = 0;

    fresh();
    arm_unimp_log = open_memstream(&text, &len);
    arm_cpu_exception_return(&cpu, 0x40001003u, 0x00000033u);
    fclose(arm_unimp_log);
    arm_unimp_log = NULL;
    ck_assert_uint_ne(arm_cpsr_read(&cpu) & CPSR_T, 0);
    ck_assert_uint_eq(cpu.r[15], 0x40001002u);
    ck_assert_ptr_nonnull(strstr(text, "Thumb"));
    free(text);
}
END_TEST

START_TEST(exception_return_with_an_illegal_mode_stays_in_the_mode)
{
    fresh();
    arm_cpu_exception_return(&cpu, 0x40001000u, 0x8000001au);   /* HYP */
    ck_assert_int_eq(arm_cpu_mode(&cpu), ARM_MODE_SVC);
    ck_assert_uint_eq(arm_cpsr_read(&cpu) >> 28, 0x8);
}
END_TEST

/* ---- leaving generated code --------------------------------------------------- */

START_TEST(raise_records_the_event_and_jumps_back)
{
    fresh();
    if (sigsetjmp(cpu.jmp_env, 0) == 0) {
        arm_cpu_raise(&cpu, ARM_EXCP_HVC, 0x1234u);
        ck_abort_msg("arm_cpu_raise returned");
    }
    ck_assert_int_eq(cpu.exception, ARM_EXCP_HVC);
    ck_assert_uint_eq(cpu.excp_syndrome, 0x1234u);
}
END_TEST

START_TEST(raising_aborts_sets_the_fault_registers)
{
    fresh();
    if (sigsetjmp(cpu.jmp_env, 0) == 0)
        arm_cpu_raise_data_abort(&cpu, 0x808u, 0x48000000u);
    ck_assert_int_eq(cpu.exception, ARM_EXCP_DATA_ABORT);
    ck_assert_uint_eq(cpu.cp15.dfsr, 0x808u);
    ck_assert_uint_eq(cpu.cp15.dfar, 0x48000000u);
    if (sigsetjmp(cpu.jmp_env, 0) == 0)
        arm_cpu_raise_prefetch_abort(&cpu, 0x005u, 0x80000000u);
    ck_assert_int_eq(cpu.exception, ARM_EXCP_PREFETCH_ABORT);
    ck_assert_uint_eq(cpu.cp15.ifsr, 0x005u);
    ck_assert_uint_eq(cpu.cp15.ifar, 0x80000000u);
    ck_assert_uint_eq(cpu.cp15.dfsr, 0x808u);
}
END_TEST

START_TEST(unimp_lines_name_the_cpu_and_pc)
{
    char *text = NULL;
    size_t len = 0;

    fresh();
    cpu.index = 2;
    cpu.insn_pc = 0x40000abcu;
    arm_log_unimp(&cpu, "nothing to see");       /* no log: a no-op */
    arm_unimp_log = open_memstream(&text, &len);
    arm_log_unimp(&cpu, "sysreg cp%u", 15u);
    fclose(arm_unimp_log);
    arm_unimp_log = NULL;
    ck_assert_str_eq(text, "unimp: cpu 2 pc 0x40000abc: sysreg cp15\n");
    free(text);
}
END_TEST

static Suite *arm_cpu_suite(void)
{
    Suite *s = suite_create("arm_cpu");
    TCase *st = tcase_create("state");
    TCase *ex = tcase_create("exceptions");

    tcase_add_test(st, reset_gives_the_contract_boot_state);
    tcase_add_test(st, cpsr_read_assembles_the_split_flags);
    tcase_add_test(st, cpsr_write_changes_only_the_masked_bits);
    tcase_add_test(st, cpsr_write_ignores_an_illegal_mode);
    tcase_add_test(st, cpsr_reserved_and_j_bits_read_as_zero);
    tcase_add_test(st, mode_switch_banks_r13_r14_and_spsr_per_mode);
    tcase_add_test(st, usr_and_sys_share_one_bank);
    tcase_add_test(st, fiq_banks_r8_to_r12);
    tcase_add_test(st, cpsr_mode_write_switches_banks);
    tcase_add_test(st, mmu_index_is_pl0_only_in_usr_mode);
    tcase_add_test(st, tb_flags_carry_mode_thumb_endianness_mmu_and_alignment);
    suite_add_tcase(s, st);
    tcase_add_test(ex, exception_entry_sets_mode_lr_spsr_masks_and_vector);
    tcase_add_test(ex, high_vectors_with_sctlr_v_ignore_vbar);
    tcase_add_test(ex, exception_entry_clears_it_and_t_and_takes_e_from_sctlr_ee);
    tcase_add_test(ex, exception_entry_keeps_the_exclusive_monitor);
    tcase_add_test(ex, bkpt_reports_a_debug_event_in_ifsr_and_keeps_ifar);
    tcase_add_test(ex, exception_return_restores_cpsr_banks_and_pc);
    tcase_add_test(ex, exception_return_to_thumb_keeps_t_and_halfword_pc);
    tcase_add_test(ex, exception_return_with_an_illegal_mode_stays_in_the_mode);
    tcase_add_test(ex, raise_records_the_event_and_jumps_back);
    tcase_add_test(ex, raising_aborts_sets_the_fault_registers);
    tcase_add_test(ex, unimp_lines_name_the_cpu_and_pc);
    suite_add_tcase(s, ex);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(arm_cpu_suite());
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? 1 : 0;
}
