/*
 * test_emu_psci.c — PSCI calls (emu/psci.c) against a fake board that
 * records what it was asked. Expected codes: machine-contract.md §7 and
 * the QEMU 7.2 measurements in docs/design/devices.md.
 */
#include "emu/psci.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>

struct fake_board {
    unsigned on_calls, off_calls, aff_calls, sys_off, sys_reset, suspends;
    unsigned on_target, aff_target, aff_level;
    uint32_t on_entry, on_context;
    int32_t on_result;              /* what cpu_on answers */
    struct arm_cpu *off_cpu;
};

static struct fake_board fb;
static struct arm_cpu cpu;
static struct emu_psci_ops ops;

static int32_t fake_cpu_on(void *opaque, unsigned target, uint32_t entry, uint32_t context)
{
    struct fake_board *b = opaque;

    b->on_calls++;
    b->on_target = target;
    b->on_entry = entry;
    b->on_context = context;
    return b->on_result;
}

static void fake_cpu_off(void *opaque, struct arm_cpu *c)
{
    ((struct fake_board *)opaque)->off_calls++;
    ((struct fake_board *)opaque)->off_cpu = c;
}

static int32_t fake_affinity_info(void *opaque, unsigned target, unsigned level)
{
    struct fake_board *b = opaque;

    b->aff_calls++;
    b->aff_target = target;
    b->aff_level = level;
    return target == 0 ? PSCI_AFF_ON : PSCI_AFF_OFF;
}

static void fake_system_off(void *opaque) { ((struct fake_board *)opaque)->sys_off++; }
static void fake_system_reset(void *opaque) { ((struct fake_board *)opaque)->sys_reset++; }
static void fake_suspend(void *opaque, struct arm_cpu *c) { (void)c; ((struct fake_board *)opaque)->suspends++; }

static void setup(void)
{
    memset(&fb, 0, sizeof(fb));
    memset(&cpu, 0, sizeof(cpu));
    ops = (struct emu_psci_ops){ fake_cpu_on, fake_cpu_off, fake_affinity_info, fake_system_off,
                                 fake_system_reset, 2, &fb, NULL };
}

static int32_t call(uint32_t fn, uint32_t a1, uint32_t a2, uint32_t a3)
{
    cpu.r[0] = fn;
    cpu.r[1] = a1;
    cpu.r[2] = a2;
    cpu.r[3] = a3;
    emu_psci_call(&ops, &cpu);
    return (int32_t)cpu.r[0];
}

START_TEST(version_is_1_1)
{
    ck_assert_int_eq(call(PSCI_FN_VERSION, 0, 0, 0), 0x00010001);
}
END_TEST

START_TEST(features_match_qemu)
{
    static const uint32_t yes[] = { 0x84000000, 0x84000001, 0x84000002, 0x84000003, 0x84000004,
                                    0x84000006, 0x84000008, 0x84000009, 0x8400000a, 0x95c1ba60 };
    static const uint32_t no[] = { 0x84000005, 0x84000007, 0x8400000b, 0x84000012, 0xc4000003,
                                   0xc4000004, 0x95c1ba61, 0x12345678 };

    for (unsigned i = 0; i < sizeof(yes) / sizeof(yes[0]); i++)
        ck_assert_int_eq(call(PSCI_FN_FEATURES, yes[i], 0, 0), 0);
    for (unsigned i = 0; i < sizeof(no) / sizeof(no[0]); i++)
        ck_assert_int_eq(call(PSCI_FN_FEATURES, no[i], 0, 0), PSCI_NOT_SUPPORTED);
}
END_TEST

START_TEST(cpu_on_passes_target_entry_and_context_to_the_board)
{
    ck_assert_int_eq(call(PSCI_FN_CPU_ON, 1, 0x40001000, 0xdeadbeef), 0);
    ck_assert_uint_eq(fb.on_calls, 1);
    ck_assert_uint_eq(fb.on_target, 1);
    ck_assert_uint_eq(fb.on_entry, 0x40001000);
    ck_assert_uint_eq(fb.on_context, 0xdeadbeef);
}
END_TEST

START_TEST(cpu_on_returns_the_boards_already_on)
{
    fb.on_result = PSCI_ALREADY_ON;
    ck_assert_int_eq(call(PSCI_FN_CPU_ON, 0, 0x40001000, 0), -4);
}
END_TEST

START_TEST(cpu_on_refuses_targets_that_are_not_affinity_values_of_cpus)
{
    ck_assert_int_eq(call(PSCI_FN_CPU_ON, 2, 0, 0), -2);             /* only 2 CPUs */
    ck_assert_int_eq(call(PSCI_FN_CPU_ON, 0x80000001, 0, 0), -2);    /* MPIDR with bit 31 */
    ck_assert_int_eq(call(PSCI_FN_CPU_ON, 0x100, 0, 0), -2);         /* Aff1 = 1 */
    ck_assert_uint_eq(fb.on_calls, 0);
}
END_TEST

START_TEST(cpu_on_64_is_not_supported)
{
    ck_assert_int_eq(call(0xc4000003, 1, 0, 0), -1);
    ck_assert_uint_eq(fb.on_calls, 0);
}
END_TEST

START_TEST(psci_0_1_cpu_on_id_works_too)
{
    ck_assert_int_eq(call(PSCI_0_1_FN_CPU_ON, 1, 0x40000100, 7), 0);
    ck_assert_uint_eq(fb.on_calls, 1);
}
END_TEST

START_TEST(cpu_off_goes_to_the_board_and_leaves_r0)
{
    ck_assert_uint_eq((uint32_t)call(PSCI_FN_CPU_OFF, 0, 0, 0), PSCI_FN_CPU_OFF);
    ck_assert_uint_eq(fb.off_calls, 1);
    ck_assert_ptr_eq(fb.off_cpu, &cpu);
}
END_TEST

START_TEST(affinity_info_level_0_asks_the_board)
{
    ck_assert_int_eq(call(PSCI_FN_AFFINITY_INFO, 0, 0, 0), PSCI_AFF_ON);
    ck_assert_int_eq(call(PSCI_FN_AFFINITY_INFO, 1, 0, 0), PSCI_AFF_OFF);
    ck_assert_uint_eq(fb.aff_calls, 2);
    ck_assert_uint_eq(fb.aff_target, 1);
    ck_assert_uint_eq(fb.aff_level, 0);
}
END_TEST

START_TEST(affinity_info_refuses_bad_targets)
{
    ck_assert_int_eq(call(PSCI_FN_AFFINITY_INFO, 2, 0, 0), -2);
    ck_assert_int_eq(call(PSCI_FN_AFFINITY_INFO, 0x80000001, 0, 0), -2);
    ck_assert_int_eq(call(PSCI_FN_AFFINITY_INFO, 0x100, 0, 0), -2);
    ck_assert_uint_eq(fb.aff_calls, 0);
}
END_TEST

START_TEST(affinity_info_above_level_0_is_always_on)
{
    ck_assert_int_eq(call(PSCI_FN_AFFINITY_INFO, 5, 1, 0), 0);
    ck_assert_int_eq(call(PSCI_FN_AFFINITY_INFO, 0, 2, 0), 0);
    ck_assert_uint_eq(fb.aff_calls, 0);
}
END_TEST

START_TEST(migrate_calls_are_answered_as_on_qemu)
{
    ck_assert_int_eq(call(PSCI_FN_MIGRATE_INFO_TYPE, 0, 0, 0), 2);
    ck_assert_int_eq(call(PSCI_FN_MIGRATE, 1, 0, 0), -1);
    ck_assert_int_eq(call(PSCI_0_1_FN_MIGRATE, 1, 0, 0), -1);
    ck_assert_int_eq(call(PSCI_FN_MIGRATE_INFO_UP_CPU, 0, 0, 0), -1);
}
END_TEST

START_TEST(system_off_and_reset_go_to_the_board_and_leave_r0)
{
    ck_assert_uint_eq((uint32_t)call(PSCI_FN_SYSTEM_OFF, 0, 0, 0), PSCI_FN_SYSTEM_OFF);
    ck_assert_uint_eq(fb.sys_off, 1);
    ck_assert_uint_eq((uint32_t)call(PSCI_FN_SYSTEM_RESET, 0, 0, 0), PSCI_FN_SYSTEM_RESET);
    ck_assert_uint_eq(fb.sys_reset, 1);
    ck_assert_uint_eq(fb.sys_off, 1);
}
END_TEST

START_TEST(cpu_suspend_returns_0_after_the_boards_wfi)
{
    ck_assert_int_eq(call(PSCI_FN_CPU_SUSPEND, 0x10000, 0x40000000, 0), 0);   /* no callback */
    ops.cpu_suspend = fake_suspend;
    ck_assert_int_eq(call(PSCI_FN_CPU_SUSPEND, 0, 0x40000000, 0), 0);
    ck_assert_uint_eq(fb.suspends, 1);
}
END_TEST

START_TEST(cpu_suspend_refuses_affinity_levels)
{
    ops.cpu_suspend = fake_suspend;
    ck_assert_int_eq(call(PSCI_FN_CPU_SUSPEND, 0x01000000, 0, 0), -2);
    ck_assert_int_eq(call(PSCI_FN_CPU_SUSPEND, 0x20000, 0, 0), -2);
    ck_assert_uint_eq(fb.suspends, 0);
}
END_TEST

START_TEST(unknown_and_64_bit_ids_are_not_supported)
{
    ck_assert_int_eq(call(0x12345678, 0, 0, 0), -1);
    ck_assert_int_eq(call(0xc4000000, 0, 0, 0), -1);
    ck_assert_int_eq(call(0x8400000b, 0, 0, 0), -1);
    ck_assert_uint_eq(fb.on_calls + fb.off_calls + fb.aff_calls + fb.sys_off + fb.sys_reset, 0);
}
END_TEST

START_TEST(one_cpu_board_has_no_secondary)
{
    ops.n_cpus = 1;
    ck_assert_int_eq(call(PSCI_FN_CPU_ON, 1, 0x40000000, 0), -2);
    ck_assert_int_eq(call(PSCI_FN_AFFINITY_INFO, 1, 0, 0), -2);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("emu_psci");
    TCase *tc = tcase_create("emu_psci");
    SRunner *sr;
    int failed;

    tcase_add_checked_fixture(tc, setup, NULL);
    tcase_add_test(tc, version_is_1_1);
    tcase_add_test(tc, features_match_qemu);
    tcase_add_test(tc, cpu_on_passes_target_entry_and_context_to_the_board);
    tcase_add_test(tc, cpu_on_returns_the_boards_already_on);
    tcase_add_test(tc, cpu_on_refuses_targets_that_are_not_affinity_values_of_cpus);
    tcase_add_test(tc, cpu_on_64_is_not_supported);
    tcase_add_test(tc, psci_0_1_cpu_on_id_works_too);
    tcase_add_test(tc, cpu_off_goes_to_the_board_and_leaves_r0);
    tcase_add_test(tc, affinity_info_level_0_asks_the_board);
    tcase_add_test(tc, affinity_info_refuses_bad_targets);
    tcase_add_test(tc, affinity_info_above_level_0_is_always_on);
    tcase_add_test(tc, migrate_calls_are_answered_as_on_qemu);
    tcase_add_test(tc, system_off_and_reset_go_to_the_board_and_leave_r0);
    tcase_add_test(tc, cpu_suspend_returns_0_after_the_boards_wfi);
    tcase_add_test(tc, cpu_suspend_refuses_affinity_levels);
    tcase_add_test(tc, unknown_and_64_bit_ids_are_not_supported);
    tcase_add_test(tc, one_cpu_board_has_no_secondary);
    suite_add_tcase(s, tc);
    sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
