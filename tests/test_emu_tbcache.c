/*
 * test_emu_tbcache.c — the TB cache: lookup by its whole key, a full
 * buffer, flushes and their log line, page invalidation.
 */
#include "emu/tbcache.h"
#include "tcg/interp.h"
#include "tcg/ir.h"

#include <check.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static struct emu_tb_cache *cache_new(size_t mb, FILE *log)
{
    struct emu_tb_cache_config cfg = { .size_mb = mb, .regions = REGION_AUTO, .n_vcpus = 1,
                                       .one_thread = true, .flush_log = log };
    char err[200];
    struct emu_tb_cache *c = emu_tb_cache_new(&cfg, err, sizeof(err));
    ck_assert_msg(c != NULL, "%s", err);
    return c;
}

static struct emu_tb *add(struct emu_tb_cache *c, uint32_t pc, uint64_t phys, uint32_t flags)
{
    struct emu_tb *tb = emu_tb_alloc(c, 0, 64);
    ck_assert_ptr_nonnull(tb);
    emu_tb_commit(c, 0, tb, 40);
    tb->pc = pc;
    tb->phys_pc = phys;
    tb->flags = flags;
    ck_assert_ptr_eq(emu_tb_insert(c, tb, emu_tb_smc_generation(c)), tb);
    return tb;
}

/* A TB with real compiled code: goto_tb 0, then its exit. */
static struct emu_tb *add_compiled(struct emu_tb_cache *c, uint32_t pc, uint64_t phys)
{
    struct tcg_ctx *s = tcg_ctx_new();
    tcg_gen_goto_tb(s, 0);
    tcg_gen_exit_tb(s, TCG_EXIT_GOTO_TB(0));
    size_t need = tcg_interp_code_size(s);
    struct emu_tb *tb = emu_tb_alloc(c, 0, need);
    ck_assert_ptr_nonnull(tb);
    size_t used = tcg_interp_compile(s, tb->code, need);
    ck_assert_uint_ne(used, 0);
    emu_tb_commit(c, 0, tb, used);
    tcg_ctx_free(s);
    tb->pc = pc;
    tb->phys_pc = phys;
    tb->size = 4;
    ck_assert_ptr_eq(emu_tb_insert(c, tb, emu_tb_smc_generation(c)), tb);
    return tb;
}

/* The TB whose exit a run of from's code left by. */
static struct emu_tb *run_from(struct emu_tb *from)
{
    int env = 0;
    struct tcg_interp_run run = { .env = &env, .chain_budget = 10 };
    const void *last = NULL;
    ck_assert_uint_eq(tcg_interp_exec(from->code, &run, &last), TCG_EXIT_GOTO_TB(0));
    return emu_tb_of_code(last);
}

START_TEST(a_link_is_followed_until_its_target_is_invalidated)
{
    struct emu_tb_cache *c = cache_new(1, NULL);
    struct emu_tb *a = add_compiled(c, 0x1000, 0x40001000);
    struct emu_tb *b = add_compiled(c, 0x2000, 0x40002000);
    ck_assert_ptr_eq(emu_tb_of_code(a->code), a);
    ck_assert_ptr_eq(run_from(a), a);
    ck_assert(emu_tb_link(c, a, 0, b));
    ck_assert(!emu_tb_link(c, a, 0, a));         /* the slot is taken */
    ck_assert_ptr_eq(run_from(a), b);
    ck_assert_uint_eq(emu_tb_invalidate_page(c, 0x40002000), 1);
    ck_assert_ptr_eq(run_from(a), a);            /* the jump into b was cut */
    ck_assert_ptr_null(a->jmp_target[0]);
    ck_assert(!emu_tb_link(c, a, 0, b));         /* b is invalid */
    ck_assert(emu_tb_link(c, a, 0, a));          /* the slot is free again */
    emu_tb_cache_free(c);
}
END_TEST

/* Several TBs jump into one; invalidating it cuts them all, and an
 * invalid TB links to nothing. */
START_TEST(invalidation_cuts_every_jump_in)
{
    struct emu_tb_cache *c = cache_new(1, NULL);
    struct emu_tb *t = add_compiled(c, 0x3000, 0x40003000);
    struct emu_tb *from[3];
    for (unsigned i = 0; i < 3; i++) {
        from[i] = add_compiled(c, 0x1000 + 0x10 * i, 0x40001000 + 0x10 * i);
        ck_assert(emu_tb_link(c, from[i], 0, t));
        ck_assert_ptr_eq(run_from(from[i]), t);
    }
    ck_assert_uint_eq(emu_tb_invalidate_page(c, 0x40003000), 1);
    for (unsigned i = 0; i < 3; i++)
        ck_assert_ptr_eq(run_from(from[i]), from[i]);
    ck_assert_uint_eq(emu_tb_invalidate_page(c, 0x40001000), 3);
    struct emu_tb *u = add_compiled(c, 0x4000, 0x40004000);
    ck_assert(!emu_tb_link(c, from[0], 0, u));
    emu_tb_cache_free(c);
}
END_TEST

/* Threads run a chained TB while the main thread links its slot to a new
 * target and invalidates it, over and over: every run ends in a or in a
 * target, and once an invalidation returns the main thread's own runs
 * never reach that target. Under `make tsan` this is also the check that
 * linking, unlinking and running share no plain memory. */
struct chain_race {
    struct emu_tb *from;
    _Atomic bool stop;
    _Atomic unsigned long runs;
};

static void *chain_runner(void *arg)
{
    struct chain_race *r = arg;
    int env = 0;
    while (!atomic_load(&r->stop)) {
        struct tcg_interp_run run = { .env = &env, .chain_budget = 10 };
        tcg_interp_exec(r->from->code, &run, NULL);
        atomic_fetch_add(&r->runs, 1);
    }
    return NULL;
}

START_TEST(chained_runs_race_links_and_invalidations)
{
    struct emu_tb_cache *c = cache_new(1, NULL);
    struct chain_race r = { .from = add_compiled(c, 0x1000, 0x40001000) };
    pthread_t th[2];
    for (unsigned i = 0; i < 2; i++)
        ck_assert_int_eq(pthread_create(&th[i], NULL, chain_runner, &r), 0);
    for (unsigned i = 0; i < 1000; i++) {
        struct emu_tb *t = add_compiled(c, 0x2000, 0x40002000);
        ck_assert(emu_tb_link(c, r.from, 0, t));
        ck_assert_ptr_eq(run_from(r.from), t);
        ck_assert_uint_eq(emu_tb_invalidate_page(c, 0x40002000), 1);
        ck_assert_ptr_eq(run_from(r.from), r.from);
    }
    atomic_store(&r.stop, true);
    for (unsigned i = 0; i < 2; i++)
        pthread_join(th[i], NULL);
    ck_assert_uint_gt(atomic_load(&r.runs), 0);
    emu_tb_cache_free(c);
}
END_TEST

START_TEST(lookup_matches_pc_phys_and_flags)
{
    struct emu_tb_cache *c = cache_new(1, NULL);
    struct emu_tb *a = add(c, 0x1000, 0x40001000, 0x13);
    struct emu_tb *b = add(c, 0x1000, 0x40001000, 0x10);
    ck_assert_ptr_eq(emu_tb_lookup(c, 0x1000, 0x40001000, 0x13), a);
    ck_assert_ptr_eq(emu_tb_lookup(c, 0x1000, 0x40001000, 0x10), b);
    ck_assert_ptr_null(emu_tb_lookup(c, 0x1000, 0x40002000, 0x13));
    ck_assert_ptr_null(emu_tb_lookup(c, 0x1004, 0x40001000, 0x13));
    emu_tb_cache_free(c);
}
END_TEST

START_TEST(full_buffer_returns_null_until_flushed)
{
    struct emu_tb_cache *c = cache_new(1, NULL);
    unsigned n = 0;
    while (emu_tb_alloc(c, 0, 4096) != NULL)
        n++;
    ck_assert_uint_gt(n, 200);      /* 1 MiB of 4 KiB + header pieces */
    ck_assert_uint_lt(n, 257);
    emu_tb_flush(c, emu_tb_generation(c));
    ck_assert_ptr_nonnull(emu_tb_alloc(c, 0, 4096));
    ck_assert_uint_eq(emu_tb_flush_count(c), 1);
    emu_tb_cache_free(c);
}
END_TEST

START_TEST(flush_forgets_every_tb_and_logs_the_line)
{
    char *text = NULL;
    size_t len = 0;
    FILE *log = open_memstream(&text, &len);
    struct emu_tb_cache *c = cache_new(1, log);
    add(c, 0x1000, 0x40001000, 0);
    add(c, 0x2000, 0x40002000, 0);
    uint64_t gen = emu_tb_generation(c);
    emu_tb_flush(c, emu_tb_generation(c));
    ck_assert_ptr_null(emu_tb_lookup(c, 0x1000, 0x40001000, 0));
    ck_assert_uint_ne(emu_tb_generation(c), gen);
    fclose(log);
    /* Two TBs, each a header and 40 bytes of code rounded up to 48. */
    unsigned code_size, nb, avg;
    ck_assert_int_eq(sscanf(text, "flush code_size=%u nb_tbs=%u avg_tb_size=%u", &code_size,
                            &nb, &avg), 3);
    ck_assert_uint_eq(nb, 2);
    ck_assert_uint_eq(code_size, 2 * (((sizeof(struct emu_tb) + 15) & ~(size_t)15) + 48));
    ck_assert_uint_eq(avg, code_size / 2);
    free(text);
    emu_tb_cache_free(c);
}
END_TEST

START_TEST(invalidating_a_page_drops_only_its_tbs)
{
    struct emu_tb_cache *c = cache_new(1, NULL);
    struct emu_tb *a = add(c, 0x1000, 0x40001000, 0);
    struct emu_tb *b = add(c, 0x1ff0, 0x40001ff0, 0);
    struct emu_tb *other = add(c, 0x2000, 0x40002000, 0);
    uint64_t gen = emu_tb_smc_generation(c), flushes = emu_tb_generation(c);
    ck_assert_uint_eq(emu_tb_invalidate_page(c, 0x40001000), 2);
    ck_assert(a->invalid && b->invalid && !other->invalid);
    ck_assert_ptr_null(emu_tb_lookup(c, 0x1000, 0x40001000, 0));
    ck_assert_ptr_null(emu_tb_lookup(c, 0x1ff0, 0x40001ff0, 0));
    ck_assert_ptr_eq(emu_tb_lookup(c, 0x2000, 0x40002000, 0), other);
    ck_assert_uint_ne(emu_tb_smc_generation(c), gen);
    ck_assert_uint_eq(emu_tb_generation(c), flushes);   /* not a flush: jump caches stay */
    ck_assert_uint_eq(emu_tb_invalidate_page(c, 0x40001000), 0);
    emu_tb_cache_free(c);
}
END_TEST

START_TEST(only_stores_to_code_bytes_invalidate)
{
    struct emu_tb_cache_config cfg = { .size_mb = 1, .regions = REGION_AUTO, .n_vcpus = 1,
                                       .one_thread = true, .ram_base = 0x40000000u,
                                       .ram_size = 1u << 20 };
    char err[200];
    struct emu_tb_cache *c = emu_tb_cache_new(&cfg, err, sizeof(err));
    ck_assert_msg(c != NULL, "%s", err);
    struct emu_tb *tb = add(c, 0x1000, 0x40001000, 0);
    tb->size = 40;
    emu_tb_mark_code(c, 0x40001000, 40);
    ck_assert(emu_tb_code_at(c, 0x40001024, 4));
    ck_assert(!emu_tb_code_at(c, 0x40001040, 4));     /* data on the same page */
    ck_assert(!emu_tb_code_at(c, 0x50001000, 4));     /* not RAM */
    ck_assert_uint_eq(emu_tb_invalidate_range(c, 0x40001040, 4), 0);
    ck_assert(!tb->invalid);
    ck_assert(emu_tb_code_at(c, 0x40001000, 4));      /* still code */
    ck_assert_uint_eq(emu_tb_invalidate_range(c, 0x40001020, 4), 1);
    ck_assert(tb->invalid);
    ck_assert(!emu_tb_code_at(c, 0x40001000, 40));    /* nothing left on the page */
    emu_tb_cache_free(c);
}
END_TEST

static struct emu_tb *make(struct emu_tb_cache *c, unsigned ctx, uint32_t pc)
{
    struct emu_tb *tb = emu_tb_alloc(c, ctx, 64);
    ck_assert_ptr_nonnull(tb);
    emu_tb_commit(c, ctx, tb, 40);
    tb->pc = pc;
    tb->phys_pc = 0x40000000u + pc;
    return tb;
}

START_TEST(a_racing_duplicate_returns_the_first_tb)
{
    struct emu_tb_cache *c = cache_new(1, NULL);
    struct emu_tb *first = make(c, 0, 0x1000), *second = make(c, 0, 0x1000);
    uint64_t smc = emu_tb_smc_generation(c);
    ck_assert_ptr_eq(emu_tb_insert(c, first, smc), first);
    ck_assert_ptr_eq(emu_tb_insert(c, second, smc), first);
    ck_assert_ptr_eq(emu_tb_lookup(c, 0x1000, 0x40001000, 0), first);
    emu_tb_cache_free(c);
}
END_TEST

START_TEST(an_insert_after_an_invalidation_is_refused)
{
    struct emu_tb_cache *c = cache_new(1, NULL);
    uint64_t smc = emu_tb_smc_generation(c);
    struct emu_tb *tb = make(c, 0, 0x1000);
    emu_tb_invalidate_page(c, 0x40005000);      /* any page: the code may have changed */
    ck_assert_ptr_null(emu_tb_insert(c, tb, smc));
    ck_assert_ptr_null(emu_tb_lookup(c, 0x1000, 0x40001000, 0));
    emu_tb_cache_free(c);
}
END_TEST

START_TEST(a_flush_seen_late_does_nothing)
{
    struct emu_tb_cache *c = cache_new(1, NULL);
    uint64_t seen = emu_tb_generation(c);
    emu_tb_flush(c, seen);
    add(c, 0x1000, 0x40001000, 0);
    emu_tb_flush(c, seen);                      /* a second requester, too late */
    ck_assert_uint_eq(emu_tb_flush_count(c), 1);
    ck_assert_ptr_nonnull(emu_tb_lookup(c, 0x1000, 0x40001000, 0));
    emu_tb_cache_free(c);
}
END_TEST

/* Threads: each inserts its own TBs and looks up everybody's while one
 * invalidates pages; a lookup must return a TB with the key asked for
 * or NULL, never a torn one. Run under -fsanitize=thread by make tsan. */
#define RACE_THREADS 4
#define RACE_TBS     400

struct race {
    struct emu_tb_cache *c;
    unsigned ctx;
    _Atomic unsigned *bad;
};

static void *race_worker(void *arg)
{
    struct race *r = arg;
    for (unsigned i = 0; i < RACE_TBS; i++) {
        uint32_t pc = (r->ctx * RACE_TBS + i) * 64;
        struct emu_tb *tb = make(r->c, r->ctx, pc);
        struct emu_tb *got = emu_tb_insert(r->c, tb, emu_tb_smc_generation(r->c));
        if (got != NULL && got->pc != pc)
            atomic_fetch_add(r->bad, 1);
        for (unsigned j = 0; j < 8; j++) {
            uint32_t other = (uint32_t)(((j * 7 + i) % (RACE_THREADS * RACE_TBS)) * 64);
            struct emu_tb *o = emu_tb_lookup(r->c, other, 0x40000000u + other, 0);
            if (o != NULL && (o->pc != other || o->phys_pc != 0x40000000u + other))
                atomic_fetch_add(r->bad, 1);
        }
        if (r->ctx == 0 && i % 16 == 0)
            emu_tb_invalidate_page(r->c, 0x40000000u + (i % 8) * 4096);
    }
    return NULL;
}

START_TEST(lookups_race_inserts_and_invalidations)
{
    struct emu_tb_cache_config cfg = { .size_mb = 8, .regions = REGION_COUNT, .n_regions = 4,
                                       .n_vcpus = RACE_THREADS };
    char err[200];
    struct emu_tb_cache *c = emu_tb_cache_new(&cfg, err, sizeof(err));
    ck_assert_msg(c != NULL, "%s", err);
    _Atomic unsigned bad = 0;
    pthread_t th[RACE_THREADS];
    struct race r[RACE_THREADS];
    for (unsigned i = 0; i < RACE_THREADS; i++) {
        r[i] = (struct race){ .c = c, .ctx = i, .bad = &bad };
        ck_assert_int_eq(pthread_create(&th[i], NULL, race_worker, &r[i]), 0);
    }
    for (unsigned i = 0; i < RACE_THREADS; i++)
        pthread_join(th[i], NULL);
    ck_assert_uint_eq(atomic_load(&bad), 0);
    /* Every TB not on an invalidated page is there. */
    uint32_t last = (RACE_THREADS * RACE_TBS - 1) * 64;
    ck_assert_ptr_nonnull(emu_tb_lookup(c, last, 0x40000000u + last, 0));
    emu_tb_cache_free(c);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("emu_tbcache");
    TCase *tc = tcase_create("emu_tbcache");
    tcase_add_test(tc, lookup_matches_pc_phys_and_flags);
    tcase_add_test(tc, full_buffer_returns_null_until_flushed);
    tcase_add_test(tc, flush_forgets_every_tb_and_logs_the_line);
    tcase_add_test(tc, invalidating_a_page_drops_only_its_tbs);
    tcase_add_test(tc, a_racing_duplicate_returns_the_first_tb);
    tcase_add_test(tc, only_stores_to_code_bytes_invalidate);
    tcase_add_test(tc, an_insert_after_an_invalidation_is_refused);
    tcase_add_test(tc, a_flush_seen_late_does_nothing);
    tcase_add_test(tc, lookups_race_inserts_and_invalidations);
    tcase_add_test(tc, a_link_is_followed_until_its_target_is_invalidated);
    tcase_add_test(tc, invalidation_cuts_every_jump_in);
    tcase_add_test(tc, chained_runs_race_links_and_invalidations);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
