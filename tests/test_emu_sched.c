/*
 * test_emu_sched.c — the exec thread's scheduler (emu/sched.c): the
 * splitmix64 generator, round-robin order, and the seeded chaos policy's
 * promises — the same seed gives the same picks, different seeds differ,
 * only runnable vCPUs are picked, quanta stay in range and are often short.
 */
#include "emu/sched.h"

#include <check.h>
#include <string.h>

#define N_PICKS 2000

/* A runnable set that changes with the step, the same way every time:
 * vCPU i is runnable unless (step + i) % 5 == 0, and vCPU 0 sleeps on
 * every seventh step. */
static void runnable_at(unsigned step, unsigned n, bool *runnable)
{
    for (unsigned i = 0; i < n; i++)
        runnable[i] = (step + i) % 5 != 0;
    if (step % 7 == 0)
        runnable[0] = false;
}

/* Picks N_PICKS times on 4 vCPUs under runnable_at(). */
static void record_picks(uint64_t seed, struct emu_sched_pick *out)
{
    struct emu_sched s;
    bool runnable[4];

    emu_sched_init(&s, EMU_SCHED_CHAOS, seed, 4);
    for (unsigned step = 0; step < N_PICKS; step++) {
        runnable_at(step, 4, runnable);
        ck_assert(emu_sched_pick(&s, runnable, &out[step]));
    }
}

START_TEST(prng_matches_the_splitmix64_reference)
{
    struct emu_prng p;

    emu_prng_seed(&p, 0);
    ck_assert_uint_eq(emu_prng_next(&p), 0xe220a8397b1dcdafull);
    emu_prng_seed(&p, 1234567);
    ck_assert_uint_eq(emu_prng_next(&p), 6457827717110365317ull);
    ck_assert_uint_eq(emu_prng_next(&p), 3203168211198807973ull);
    ck_assert_uint_eq(emu_prng_next(&p), 9817491932198370423ull);
}
END_TEST

START_TEST(prng_below_stays_in_range_and_reaches_every_value)
{
    struct emu_prng p;
    unsigned seen[7] = { 0 };

    emu_prng_seed(&p, 42);
    for (int i = 0; i < 7000; i++) {
        uint64_t v = emu_prng_below(&p, 7);
        ck_assert_uint_lt(v, 7);
        seen[v]++;
    }
    for (int v = 0; v < 7; v++)
        ck_assert_msg(seen[v] > 800 && seen[v] < 1200, "value %d drawn %u times of 7000", v,
                      seen[v]);
    ck_assert_uint_eq(emu_prng_below(&p, 1), 0);
}
END_TEST

START_TEST(chaos_quantum_is_1_to_max_and_often_short)
{
    struct emu_prng p;
    unsigned short_ones = 0, ones = 0, longest = 0;

    emu_prng_seed(&p, 9);
    for (int i = 0; i < 11000; i++) {
        unsigned q = emu_sched_chaos_quantum(&p);
        ck_assert_uint_ge(q, 1);
        ck_assert_uint_le(q, EMU_SCHED_MAX_QUANTUM);
        short_ones += q < 16;
        ones += q == 1;
        longest = q > longest ? q : longest;
    }
    /* Log-uniform over 11 octaves: 4 in 11 below 16, 1 in 11 exactly 1. */
    ck_assert_msg(short_ones > 3700 && short_ones < 4300, "%u of 11000 below 16", short_ones);
    ck_assert_msg(ones > 800 && ones < 1200, "%u of 11000 are 1", ones);
    ck_assert_uint_gt(longest, 1900);
}
END_TEST

START_TEST(chaos_same_seed_gives_the_same_picks)
{
    static struct emu_sched_pick a[N_PICKS], b[N_PICKS];

    record_picks(7, a);
    record_picks(7, b);
    for (unsigned i = 0; i < N_PICKS; i++) {
        ck_assert_uint_eq(a[i].cpu, b[i].cpu);
        ck_assert_uint_eq(a[i].quantum, b[i].quantum);
    }
}
END_TEST

START_TEST(chaos_different_seeds_give_different_picks)
{
    static struct emu_sched_pick a[N_PICKS], b[N_PICKS];
    unsigned same = 0;

    record_picks(7, a);
    record_picks(8, b);
    for (unsigned i = 0; i < N_PICKS; i++)
        same += a[i].cpu == b[i].cpu && a[i].quantum == b[i].quantum;
    ck_assert_msg(same < N_PICKS / 10, "%u of %u picks equal for seeds 7 and 8", same, N_PICKS);
}
END_TEST

START_TEST(chaos_picks_only_runnable_vcpus_and_each_of_them)
{
    static struct emu_sched_pick p[N_PICKS];
    unsigned per_cpu[4] = { 0 };
    bool runnable[4];

    record_picks(3, p);
    for (unsigned step = 0; step < N_PICKS; step++) {
        runnable_at(step, 4, runnable);
        ck_assert_uint_lt(p[step].cpu, 4);
        ck_assert_msg(runnable[p[step].cpu], "step %u picked sleeping cpu %u", step, p[step].cpu);
        per_cpu[p[step].cpu]++;
    }
    for (unsigned i = 0; i < 4; i++)
        ck_assert_msg(per_cpu[i] > N_PICKS / 8, "cpu %u picked %u times", i, per_cpu[i]);
}
END_TEST

START_TEST(chaos_with_one_runnable_vcpu_picks_it)
{
    struct emu_sched s;
    bool runnable[8] = { false };
    struct emu_sched_pick p;

    emu_sched_init(&s, EMU_SCHED_CHAOS, 11, 8);
    runnable[5] = true;
    for (int i = 0; i < 100; i++) {
        ck_assert(emu_sched_pick(&s, runnable, &p));
        ck_assert_uint_eq(p.cpu, 5);
    }
}
END_TEST

START_TEST(nothing_runnable_picks_nothing_and_draws_nothing)
{
    struct emu_sched s, fresh;
    bool none[4] = { false }, all[4] = { true, true, true, true };
    struct emu_sched_pick p = { .cpu = 99, .quantum = 99 }, q;

    emu_sched_init(&s, EMU_SCHED_CHAOS, 5, 4);
    emu_sched_init(&fresh, EMU_SCHED_CHAOS, 5, 4);
    ck_assert(!emu_sched_pick(&s, none, &p));
    ck_assert_uint_eq(p.cpu, 99);
    ck_assert(emu_sched_pick(&s, all, &p));
    ck_assert(emu_sched_pick(&fresh, all, &q));
    ck_assert_uint_eq(p.cpu, q.cpu);
    ck_assert_uint_eq(p.quantum, q.quantum);
    emu_sched_init(&s, EMU_SCHED_RR, 0, 4);
    ck_assert(!emu_sched_pick(&s, none, &p));
}
END_TEST

START_TEST(rr_goes_round_from_cpu0_skipping_sleepers)
{
    struct emu_sched s;
    bool runnable[4] = { true, false, true, true };
    static const unsigned want[] = { 0, 2, 3, 0, 2 };
    struct emu_sched_pick p;

    emu_sched_init(&s, EMU_SCHED_RR, 123, 4);
    for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
        ck_assert(emu_sched_pick(&s, runnable, &p));
        ck_assert_uint_eq(p.cpu, want[i]);
        ck_assert_uint_eq(p.quantum, EMU_SCHED_RR_QUANTUM);
    }
    runnable[1] = true;     /* woken: its turn comes in index order, after 3 and 0 */
    ck_assert(emu_sched_pick(&s, runnable, &p));
    ck_assert_uint_eq(p.cpu, 3);
    ck_assert(emu_sched_pick(&s, runnable, &p));
    ck_assert_uint_eq(p.cpu, 0);
    ck_assert(emu_sched_pick(&s, runnable, &p));
    ck_assert_uint_eq(p.cpu, 1);
}
END_TEST

START_TEST(tb_limit_is_default_under_rr_and_drawn_from_the_seed_under_chaos)
{
    struct emu_sched s, again;
    bool seen[4] = { false };

    emu_sched_init(&s, EMU_SCHED_RR, 77, 2);
    ck_assert_uint_eq(s.tb_limit, 0);
    for (uint64_t seed = 1; seed <= 100; seed++) {
        emu_sched_init(&s, EMU_SCHED_CHAOS, seed, 2);
        emu_sched_init(&again, EMU_SCHED_CHAOS, seed, 2);
        ck_assert_uint_eq(s.tb_limit, again.tb_limit);
        ck_assert_uint_le(s.tb_limit, 3);
        seen[s.tb_limit] = true;
    }
    for (int i = 0; i < 4; i++)
        ck_assert_msg(seen[i], "no seed in 1..100 drew TB limit %d", i);
}
END_TEST

static Suite *sched_suite(void)
{
    Suite *s = suite_create("emu_sched");
    TCase *tc = tcase_create("core");

    tcase_add_test(tc, prng_matches_the_splitmix64_reference);
    tcase_add_test(tc, prng_below_stays_in_range_and_reaches_every_value);
    tcase_add_test(tc, chaos_quantum_is_1_to_max_and_often_short);
    tcase_add_test(tc, chaos_same_seed_gives_the_same_picks);
    tcase_add_test(tc, chaos_different_seeds_give_different_picks);
    tcase_add_test(tc, chaos_picks_only_runnable_vcpus_and_each_of_them);
    tcase_add_test(tc, chaos_with_one_runnable_vcpu_picks_it);
    tcase_add_test(tc, nothing_runnable_picks_nothing_and_draws_nothing);
    tcase_add_test(tc, rr_goes_round_from_cpu0_skipping_sleepers);
    tcase_add_test(tc, tb_limit_is_default_under_rr_and_drawn_from_the_seed_under_chaos);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(sched_suite());
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? 0 : 1;
}
