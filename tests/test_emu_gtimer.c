/*
 * test_emu_gtimer.c — the generic timer's arithmetic (emu/gtimer.c).
 */
#include "emu/gtimer.h"

#include <check.h>
#include <stdlib.h>
#include <time.h>

#define ENABLE GTIMER_CTL_ENABLE
#define IMASK GTIMER_CTL_IMASK

START_TEST(ppi_ids_match_the_device_tree)
{
    /* emu/devtree.c lists PPIs 13, 14, 11, 10; PPI n is interrupt ID 16 + n. */
    ck_assert_uint_eq(GTIMER_PPI_PHYS_S, 16 + 13);
    ck_assert_uint_eq(GTIMER_PPI_PHYS_NS, 16 + 14);
    ck_assert_uint_eq(GTIMER_PPI_VIRT, 16 + 11);
    ck_assert_uint_eq(GTIMER_PPI_HYP, 16 + 10);
    ck_assert_uint_eq(GTIMER_FREQ_HZ, 62500000);
}
END_TEST

START_TEST(output_needs_enable_no_mask_and_the_deadline)
{
    ck_assert(gtimer_output(ENABLE, 100, 100));
    ck_assert(gtimer_output(ENABLE, 100, 101));
    ck_assert(!gtimer_output(ENABLE, 100, 99));
    ck_assert(!gtimer_output(0, 100, 200));
    ck_assert(!gtimer_output(ENABLE | IMASK, 100, 200));
}
END_TEST

START_TEST(istatus_ignores_imask_but_needs_enable)
{
    ck_assert_uint_eq(gtimer_ctl_read(ENABLE | IMASK, 5, 5), ENABLE | IMASK | GTIMER_CTL_ISTATUS);
    ck_assert_uint_eq(gtimer_ctl_read(ENABLE, 5, 4), ENABLE);
    ck_assert_uint_eq(gtimer_ctl_read(IMASK, 5, 9), IMASK);
    ck_assert_uint_eq(gtimer_ctl_read(ENABLE | GTIMER_CTL_ISTATUS | 0xf0, 9, 5), ENABLE);
}
END_TEST

START_TEST(ctl_write_keeps_enable_and_imask_only)
{
    ck_assert_uint_eq(gtimer_ctl_write(0xffffffff), ENABLE | IMASK);
    ck_assert_uint_eq(gtimer_ctl_write(GTIMER_CTL_ISTATUS), 0);
}
END_TEST

START_TEST(ns_until_is_16_ns_per_tick_and_zero_when_due)
{
    ck_assert_uint_eq(gtimer_ns_until(1000, 1000), 0);
    ck_assert_uint_eq(gtimer_ns_until(1000, 2000), 0);
    ck_assert_uint_eq(gtimer_ns_until(1062, 1000), 62 * 16);
    ck_assert_uint_eq(gtimer_ns_until(62500000, 0), 1000000000);
}
END_TEST

START_TEST(ns_until_a_far_deadline_is_never)
{
    ck_assert_uint_eq(gtimer_ns_until(UINT64_MAX, 0), UINT64_MAX);
    ck_assert_uint_eq(gtimer_ns_until(UINT64_MAX / 16 + 1, 0), UINT64_MAX);
    ck_assert_uint_eq(gtimer_ns_until(UINT64_MAX / 16, 0), UINT64_MAX / 16 * 16);
}
END_TEST

START_TEST(counter_is_host_ns_over_16_since_the_epoch)
{
    struct gtimer_clock clock = { .epoch_ns = 1000000 };

    ck_assert_uint_eq(gtimer_counter_at(&clock, 1000000), 0);
    ck_assert_uint_eq(gtimer_counter_at(&clock, 1000015), 0);
    ck_assert_uint_eq(gtimer_counter_at(&clock, 1000016), 1);
    ck_assert_uint_eq(gtimer_counter_at(&clock, 2000000000u + 1000000), 125000000);
    ck_assert_uint_eq(gtimer_counter_at(&clock, 5), 0);
}
END_TEST

START_TEST(counter_starts_near_zero_and_follows_the_monotonic_clock)
{
    struct gtimer_clock clock;
    struct timespec nap = { 0, 20000000 };         /* 20 ms = 1,250,000 ticks */
    uint64_t t0, t1;

    gtimer_clock_init(&clock);
    t0 = gtimer_counter_now(&clock);
    nanosleep(&nap, NULL);
    t1 = gtimer_counter_now(&clock);
    ck_assert_uint_lt(t0, 6250000);                /* under 100 ms after init */
    ck_assert_uint_ge(t1 - t0, 1250000);
    ck_assert_uint_lt(t1 - t0, 1250000 * 50);
}
END_TEST

START_TEST(waiting_ns_until_reaches_the_deadline)
{
    struct gtimer_clock clock;
    uint64_t now, cval;
    struct timespec nap;
    uint64_t ns;

    gtimer_clock_init(&clock);
    now = gtimer_counter_now(&clock);
    cval = now + 1250000;                           /* 20 ms ahead */
    ns = gtimer_ns_until(cval, now);
    nap.tv_sec = 0;
    nap.tv_nsec = (long)ns;
    nanosleep(&nap, NULL);
    ck_assert(gtimer_output(ENABLE, cval, gtimer_counter_now(&clock)));
}
END_TEST

START_TEST(virtual_counter_moves_only_when_advanced)
{
    struct gtimer_clock clock;
    struct timespec nap = { 0, 2000000 };

    gtimer_clock_init_virtual(&clock);
    ck_assert_uint_eq(gtimer_counter_now(&clock), 0);
    nanosleep(&nap, NULL);                          /* host time does not count */
    ck_assert_uint_eq(gtimer_counter_now(&clock), 0);
    gtimer_clock_advance(&clock, 5 * GTIMER_TICKS_PER_INSN);
    gtimer_clock_advance(&clock, 1250000);
    ck_assert_uint_eq(gtimer_counter_now(&clock), 5 * GTIMER_TICKS_PER_INSN + 1250000);
    ck_assert_uint_eq(gtimer_clock_ns(&clock), (5 * GTIMER_TICKS_PER_INSN + 1250000) * 16);
}
END_TEST

START_TEST(advancing_a_host_clock_does_nothing)
{
    struct gtimer_clock clock;

    gtimer_clock_init(&clock);
    gtimer_clock_advance(&clock, 1ull << 40);       /* would be 5 hours */
    ck_assert_uint_lt(gtimer_counter_now(&clock), 6250000);
    ck_assert_uint_lt(gtimer_clock_ns(&clock), 100000000);
}
END_TEST

START_TEST(jumping_a_virtual_clock_by_ns_until_reaches_the_deadline)
{
    struct gtimer_clock clock;
    uint64_t cval = 987654321;

    gtimer_clock_init_virtual(&clock);
    gtimer_clock_advance(&clock, 1000);
    ck_assert(!gtimer_output(ENABLE, cval, gtimer_counter_now(&clock)));
    gtimer_clock_advance(&clock, gtimer_ns_until(cval, gtimer_counter_now(&clock))
                                     / GTIMER_NS_PER_TICK);
    ck_assert_uint_eq(gtimer_counter_now(&clock), cval);
    ck_assert(gtimer_output(ENABLE, cval, gtimer_counter_now(&clock)));
}
END_TEST

int main(void)
{
    Suite *s = suite_create("emu_gtimer");
    TCase *tc = tcase_create("emu_gtimer");
    SRunner *sr;
    int failed;

    tcase_add_test(tc, ppi_ids_match_the_device_tree);
    tcase_add_test(tc, output_needs_enable_no_mask_and_the_deadline);
    tcase_add_test(tc, istatus_ignores_imask_but_needs_enable);
    tcase_add_test(tc, ctl_write_keeps_enable_and_imask_only);
    tcase_add_test(tc, ns_until_is_16_ns_per_tick_and_zero_when_due);
    tcase_add_test(tc, ns_until_a_far_deadline_is_never);
    tcase_add_test(tc, counter_is_host_ns_over_16_since_the_epoch);
    tcase_add_test(tc, counter_starts_near_zero_and_follows_the_monotonic_clock);
    tcase_add_test(tc, waiting_ns_until_reaches_the_deadline);
    tcase_add_test(tc, virtual_counter_moves_only_when_advanced);
    tcase_add_test(tc, advancing_a_host_clock_does_nothing);
    tcase_add_test(tc, jumping_a_virtual_clock_by_ns_until_reaches_the_deadline);
    suite_add_tcase(s, tc);
    sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
