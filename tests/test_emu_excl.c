/*
 * test_emu_excl.c — exclusive sections: with one thread they only count;
 * with threads no vCPU is in guest code during a section (also when it
 * enters its bracket just as the section is asked for), sections never
 * overlap, queued work runs once inside a section, a vCPU parked outside
 * its bracket holds nobody up, and everybody requesting at once does not
 * deadlock.
 *
 * Worker threads play vCPUs: "guest code" is a stretch between
 * incrementing and decrementing `inside`, so a section that sees
 * inside != 0 caught a vCPU in guest code. Workers call emu_excl_check()
 * only when kicked, as the exec loop does, so a missing kick hangs the
 * test (Check's timeout then fails it). Hangs are the failure mode of a
 * broken protocol, so a section that sees a wrong state fails at once,
 * from the thread that saw it (fine in Check's fork mode, the default).
 */
#include "emu/excl.h"

#include <check.h>
#include <sched.h>
#include <stdint.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#define MAX_WORKERS 4
#define N_ITEMS     5000

static struct emu_excl X;
static _Atomic int inside;            /* workers now in "guest code" */
static _Atomic int in_section;        /* threads now inside a section */
static _Atomic int max_in_section;
static _Atomic int violations;        /* sections or work that saw inside != 0 */
static _Atomic long sections;         /* section bodies run */
static _Atomic long steps;            /* stretches of guest code run */
static _Atomic bool kicked[MAX_WORKERS];
static _Atomic unsigned kicks;
static _Atomic bool stop;
static _Atomic int item_runs[N_ITEMS];
static _Atomic int items_run;

struct worker {
    pthread_t thread;
    unsigned cpu;
    unsigned bracket_every;           /* exec_end/exec_start every N steps; 0: never */
    unsigned request_every;           /* start(self)/end(self) every N steps; 0: never */
    long quota;                       /* sections (or items, for queuers) to do */
    unsigned first_item;              /* queuers: items [first_item, first_item + quota) */
    unsigned gap_steps;               /* requesters: guest steps to let run between sections */
};

static void kick_worker(void *opaque, unsigned cpu)
{
    (void)opaque;
    atomic_store(&kicked[cpu], true);
    atomic_fetch_add(&kicks, 1);
}

static void spin(unsigned n)
{
    for (volatile unsigned i = 0; i < n; i++)
        ;
}

static void reset_counters(void)
{
    atomic_store(&inside, 0);
    atomic_store(&in_section, 0);
    atomic_store(&max_in_section, 0);
    atomic_store(&violations, 0);
    atomic_store(&sections, 0);
    atomic_store(&steps, 0);
    atomic_store(&kicks, 0);
    atomic_store(&stop, false);
    atomic_store(&items_run, 0);
    for (unsigned i = 0; i < MAX_WORKERS; i++)
        atomic_store(&kicked[i], false);
    for (unsigned i = 0; i < N_ITEMS; i++)
        atomic_store(&item_runs[i], 0);
}

static void setup_threads(void)
{
    reset_counters();
    ck_assert_int_eq(emu_excl_init(&X, MAX_WORKERS, false, kick_worker, NULL), 0);
}

static void teardown_threads(void)
{
    emu_excl_destroy(&X);
}

static void section_body(void)
{
    bool seen_vcpu = atomic_load(&inside) != 0;    /* first thing: the race test's stray vCPU */
    int now = atomic_fetch_add(&in_section, 1) + 1;
    int max = atomic_load(&max_in_section);
    while (now > max && !atomic_compare_exchange_weak(&max_in_section, &max, now))
        ;
    /* Failing here, in the thread that saw it, names the cause before a
     * broken protocol's next step can hang or abort the test. */
    ck_assert_int_eq(now, 1);
    for (int i = 0; i < 32 && !seen_vcpu; i++) {   /* then watch the whole section */
        seen_vcpu = atomic_load(&inside) != 0;
        spin(10);
    }
    if (seen_vcpu)
        atomic_fetch_add(&violations, 1);
    atomic_fetch_sub(&in_section, 1);
    atomic_fetch_add(&sections, 1);
}

/* One stretch of guest code, then what the exec loop does between TBs. */
static void guest_step(unsigned cpu)
{
    atomic_fetch_add(&inside, 1);
    spin(200);
    atomic_fetch_sub(&inside, 1);
    atomic_fetch_add(&steps, 1);
    if (atomic_exchange(&kicked[cpu], false))
        emu_excl_check(&X, cpu);
}

static void *vcpu_main(void *arg)
{
    struct worker *w = arg;
    long done = 0;
    emu_excl_exec_start(&X, w->cpu);
    for (unsigned long step = 1; !atomic_load(&stop); step++) {
        guest_step(w->cpu);
        if (step % 16 == 0)
            sched_yield();            /* more threads than cores: let the others in often */
        if (w->bracket_every && step % w->bracket_every == 0) {
            emu_excl_exec_end(&X, w->cpu);
            emu_excl_exec_start(&X, w->cpu);
        }
        if (w->request_every && step % w->request_every == 0 && done < w->quota) {
            emu_excl_start(&X, (int)w->cpu);
            section_body();
            emu_excl_end(&X, (int)w->cpu);
            done++;
        }
    }
    emu_excl_exec_end(&X, w->cpu);
    return NULL;
}

/* A thread that is no vCPU (an I/O thread, say) asking for sections.
 * Between two it lets the vCPUs run a little guest code, or the next
 * request would find them all still held and test nothing. */
static void *requester_main(void *arg)
{
    struct worker *w = arg;
    for (long done = 0; done < w->quota && !atomic_load(&stop); done++) {
        emu_excl_start(&X, -1);
        section_body();
        emu_excl_end(&X, -1);
        long seen = atomic_load(&steps);
        while (atomic_load(&steps) < seen + w->gap_steps && !atomic_load(&stop))
            sched_yield();
    }
    return NULL;
}

/* vCPU 0 leaves its bracket only when kicked (a long chain of TBs), so a
 * section that forgets to kick hangs. */
static void start_vcpus(struct worker *w, unsigned n, unsigned bracket_every,
                        unsigned request_every, long quota)
{
    for (unsigned i = 0; i < n; i++) {
        w[i] = (struct worker){ .cpu = i, .bracket_every = i == 0 ? 0 : bracket_every,
                                .request_every = request_every, .quota = quota };
        ck_assert_int_eq(pthread_create(&w[i].thread, NULL, vcpu_main, &w[i]), 0);
    }
}

/* Fails as soon as a section sees a vCPU or another section: a broken
 * protocol may hang right after, and the hang would hide the cause. */
static void wait_for_sections(long target)
{
    while (sections < target) {
        ck_assert_int_eq(violations, 0);
        ck_assert_int_le(max_in_section, 1);
        usleep(1000);
    }
}

static void stop_and_join(struct worker *w, unsigned n)
{
    atomic_store(&stop, true);
    for (unsigned i = 0; i < n; i++)
        pthread_join(w[i].thread, NULL);
}

/* ---- one thread ---------------------------------------------------------------- */

static void count_item(void *opaque)
{
    atomic_fetch_add(&item_runs[(uintptr_t)opaque], 1);
    atomic_fetch_add(&items_run, 1);
}

START_TEST(one_thread_sections_only_count)
{
    reset_counters();
    ck_assert_int_eq(emu_excl_init(&X, 2, true, kick_worker, NULL), 0);
    emu_excl_exec_start(&X, 0);
    emu_excl_exec_start(&X, 1);       /* both "running": a real section would wait */
    emu_excl_start(&X, -1);
    emu_excl_end(&X, -1);
    emu_excl_start(&X, 0);
    emu_excl_end(&X, 0);
    ck_assert_uint_eq(X.n_sections, 2);
    ck_assert_uint_eq(kicks, 0);
    ck_assert(!X.pending);
    emu_excl_destroy(&X);
}
END_TEST

START_TEST(one_thread_queued_work_runs_at_the_next_bracket_entry)
{
    reset_counters();
    ck_assert_int_eq(emu_excl_init(&X, 2, true, kick_worker, NULL), 0);
    emu_excl_exec_start(&X, 0);
    emu_excl_queue(&X, count_item, (void *)(uintptr_t)0);
    emu_excl_queue(&X, count_item, (void *)(uintptr_t)1);
    ck_assert_int_eq(items_run, 0);
    emu_excl_exec_end(&X, 0);
    ck_assert_int_eq(items_run, 0);
    emu_excl_exec_start(&X, 0);
    ck_assert_int_eq(items_run, 2);
    ck_assert_int_eq(item_runs[0], 1);
    ck_assert_int_eq(item_runs[1], 1);
    ck_assert_uint_eq(X.n_sections, 1);   /* both in one section */
    emu_excl_queue(&X, count_item, (void *)(uintptr_t)2);
    emu_excl_check(&X, 0);                              /* a check runs it too */
    ck_assert_int_eq(item_runs[2], 1);
    ck_assert_uint_eq(kicks, 0);
    emu_excl_destroy(&X);
}
END_TEST

/* ---- threads ------------------------------------------------------------------- */

START_TEST(no_vcpu_runs_guest_code_during_a_section)
{
    struct worker w[MAX_WORKERS + 1];
    setup_threads();
    start_vcpus(w, MAX_WORKERS, 3, 4096, 1000000);
    w[MAX_WORKERS] = (struct worker){ .quota = 1000000, .gap_steps = 4 * MAX_WORKERS };
    ck_assert_int_eq(pthread_create(&w[MAX_WORKERS].thread, NULL, requester_main,
                                    &w[MAX_WORKERS]), 0);
    wait_for_sections(20000);
    stop_and_join(w, MAX_WORKERS + 1);
    ck_assert_int_eq(violations, 0);
    ck_assert_uint_ge(X.n_sections, 20000);
    ck_assert_uint_gt(kicks, 0);
    teardown_threads();
}
END_TEST

/* The race the seq_cst handshake closes: a section is requested while a
 * vCPU is between storing running and loading pending. One vCPU enters
 * and leaves its bracket back to back; the requester asks again as soon
 * as it has seen the vCPU run, so requests keep landing in that window.
 * With release/acquire in place of seq_cst this sees hundreds of vCPUs in
 * guest code per second on x86; it can only ever be probabilistic. */
static void *bracket_cycler_main(void *arg)
{
    (void)arg;
    while (!atomic_load(&stop)) {
        emu_excl_exec_start(&X, 0);
        atomic_fetch_add(&inside, 1);
        spin(400);
        atomic_fetch_sub(&inside, 1);
        emu_excl_exec_end(&X, 0);
        atomic_fetch_add(&steps, 1);
    }
    return NULL;
}

static double seconds_now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

START_TEST(a_vcpu_entering_its_bracket_as_a_section_starts_is_held)
{
    pthread_t t;
    setup_threads();
    ck_assert_int_eq(pthread_create(&t, NULL, bracket_cycler_main, NULL), 0);
    double until = seconds_now() + 1.5;
    for (long n = 0; n < 1000000 && seconds_now() < until; n++) {
        emu_excl_start(&X, -1);
        section_body();
        emu_excl_end(&X, -1);
        long seen = atomic_load(&steps);
        while (atomic_load(&steps) < seen + 2 && seconds_now() < until)
            sched_yield();
        spin((unsigned)rand() % 64);  /* vary the phase against the vCPU's loop */
    }
    atomic_store(&stop, true);
    pthread_join(t, NULL);
    ck_assert_int_eq(violations, 0);
    ck_assert_int_gt(sections, 0);
    teardown_threads();
}
END_TEST

/* No vCPU is in its bracket, so every start() has nobody to wait for: only
 * the serialization keeps the three requesters' sections apart. */
START_TEST(two_requesters_never_overlap)
{
    struct worker w[3];
    setup_threads();
    for (unsigned i = 0; i < 3; i++) {
        w[i] = (struct worker){ .quota = 2000 };
        ck_assert_int_eq(pthread_create(&w[i].thread, NULL, requester_main, &w[i]), 0);
    }
    wait_for_sections(6000);
    for (unsigned i = 0; i < 3; i++)
        pthread_join(w[i].thread, NULL);
    ck_assert_int_eq(sections, 6000);
    ck_assert_int_eq(max_in_section, 1);
    teardown_threads();
}
END_TEST

static void check_item(void *opaque)
{
    if (atomic_load(&inside) != 0)
        atomic_fetch_add(&violations, 1);
    count_item(opaque);
}

static void *queuer_main(void *arg)
{
    struct worker *w = arg;
    for (long i = 0; i < w->quota; i++) {
        emu_excl_queue(&X, check_item, (void *)(uintptr_t)(w->first_item + i));
        if (i % 16 == 0)
            usleep(10);
    }
    return NULL;
}

START_TEST(queued_work_runs_once_inside_a_section)
{
    struct worker w[MAX_WORKERS + 4];
    setup_threads();
    start_vcpus(w, MAX_WORKERS, 7, 0, 0);
    for (unsigned i = 0; i < 4; i++) {
        struct worker *q = &w[MAX_WORKERS + i];
        *q = (struct worker){ .quota = N_ITEMS / 4, .first_item = i * (N_ITEMS / 4) };
        ck_assert_int_eq(pthread_create(&q->thread, NULL, queuer_main, q), 0);
    }
    for (unsigned i = 0; i < 4; i++)
        pthread_join(w[MAX_WORKERS + i].thread, NULL);
    for (int ms = 0; ms < 20000 && atomic_load(&items_run) < N_ITEMS; ms++)
        usleep(1000);
    stop_and_join(w, MAX_WORKERS);
    ck_assert_int_eq(items_run, N_ITEMS);
    for (unsigned i = 0; i < N_ITEMS; i++)
        ck_assert_int_eq(item_runs[i], 1);
    ck_assert_int_eq(violations, 0);
    ck_assert_uint_lt(X.n_sections, N_ITEMS);   /* batched, not one each */
    teardown_threads();
}
END_TEST

/* A vCPU that reaches WFI: leaves its bracket and sleeps until woken (or
 * 3 s pass). wait_for_kick: first stay in guest code until a section asks
 * for this vCPU, then park instead of checking. */
static pthread_mutex_t wfi_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t wfi_wake = PTHREAD_COND_INITIALIZER;
static bool wfi_woken;                /* wfi_lock */
static _Atomic bool wfi_in_bracket;
static _Atomic bool wfi_parked;

static void *wfi_vcpu_main(void *arg)
{
    bool wait_for_kick = (arg != NULL);
    emu_excl_exec_start(&X, 0);
    atomic_store(&wfi_in_bracket, true);
    while (wait_for_kick && !atomic_load(&kicked[0]))
        spin(100);
    atomic_store(&wfi_parked, true);  /* before leaving, or the section may win the race */
    emu_excl_exec_end(&X, 0);
    struct timespec until;
    clock_gettime(CLOCK_REALTIME, &until);
    until.tv_sec += 3;
    pthread_mutex_lock(&wfi_lock);
    while (!wfi_woken && pthread_cond_timedwait(&wfi_wake, &wfi_lock, &until) == 0)
        ;
    pthread_mutex_unlock(&wfi_lock);
    atomic_store(&wfi_parked, false);
    emu_excl_exec_start(&X, 0);
    emu_excl_exec_end(&X, 0);
    return NULL;
}

static bool section_while_vcpu_0_sleeps(bool wait_for_kick)
{
    pthread_t t;
    wfi_woken = false;
    atomic_store(&wfi_in_bracket, false);
    atomic_store(&wfi_parked, false);
    ck_assert_int_eq(pthread_create(&t, NULL, wfi_vcpu_main, wait_for_kick ? &t : NULL), 0);
    while (!atomic_load(wait_for_kick ? &wfi_in_bracket : &wfi_parked))
        usleep(100);
    emu_excl_start(&X, -1);
    bool still_asleep = atomic_load(&wfi_parked);
    emu_excl_end(&X, -1);
    pthread_mutex_lock(&wfi_lock);
    wfi_woken = true;
    pthread_cond_signal(&wfi_wake);
    pthread_mutex_unlock(&wfi_lock);
    pthread_join(t, NULL);
    return still_asleep;
}

START_TEST(a_vcpu_parked_outside_its_bracket_does_not_hold_a_section)
{
    setup_threads();
    ck_assert(section_while_vcpu_0_sleeps(false));
    ck_assert_uint_eq(kicks, 0);
    teardown_threads();
}
END_TEST

START_TEST(a_vcpu_that_parks_while_waited_for_releases_the_section)
{
    setup_threads();
    ck_assert(section_while_vcpu_0_sleeps(true));
    ck_assert_uint_eq(kicks, 1);
    teardown_threads();
}
END_TEST

START_TEST(every_vcpu_requesting_at_once_does_not_deadlock)
{
    struct worker w[MAX_WORKERS];
    setup_threads();
    start_vcpus(w, MAX_WORKERS, 7, 1, 1500);
    wait_for_sections(MAX_WORKERS * 1500);
    stop_and_join(w, MAX_WORKERS);
    ck_assert_int_eq(sections, MAX_WORKERS * 1500);
    ck_assert_int_eq(max_in_section, 1);
    ck_assert_int_eq(violations, 0);
    teardown_threads();
}
END_TEST

int main(void)
{
    Suite *s = suite_create("emu_excl");
    TCase *one = tcase_create("one_thread");
    tcase_set_timeout(one, 5);
    tcase_add_test(one, one_thread_sections_only_count);
    tcase_add_test(one, one_thread_queued_work_runs_at_the_next_bracket_entry);
    suite_add_tcase(s, one);
    TCase *multi = tcase_create("threads");
    tcase_set_timeout(multi, 60);     /* a hang is the failure; each test takes < 2 s */
    tcase_add_test(multi, no_vcpu_runs_guest_code_during_a_section);
    tcase_add_test(multi, a_vcpu_entering_its_bracket_as_a_section_starts_is_held);
    tcase_add_test(multi, two_requesters_never_overlap);
    tcase_add_test(multi, queued_work_runs_once_inside_a_section);
    tcase_add_test(multi, a_vcpu_parked_outside_its_bracket_does_not_hold_a_section);
    tcase_add_test(multi, a_vcpu_that_parks_while_waited_for_releases_the_section);
    tcase_add_test(multi, every_vcpu_requesting_at_once_does_not_deadlock);
    suite_add_tcase(s, multi);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
