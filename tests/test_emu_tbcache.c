/*
 * test_emu_tbcache.c — the TB cache: lookup by its whole key, a full
 * buffer, flushes and their log line, page invalidation.
 */
#include "emu/tbcache.h"

#include <check.h>
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
    struct emu_tb *tb = emu_tb_alloc(c, 64);
    ck_assert_ptr_nonnull(tb);
    emu_tb_commit(c, tb, 40);
    tb->pc = pc;
    tb->phys_pc = phys;
    tb->flags = flags;
    emu_tb_insert(c, tb);
    return tb;
}

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
    while (emu_tb_alloc(c, 4096) != NULL)
        n++;
    ck_assert_uint_gt(n, 200);      /* 1 MiB of 4 KiB + header pieces */
    ck_assert_uint_lt(n, 257);
    emu_tb_flush(c);
    ck_assert_ptr_nonnull(emu_tb_alloc(c, 4096));
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
    emu_tb_flush(c);
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
    uint64_t gen = emu_tb_generation(c);
    ck_assert_uint_eq(emu_tb_invalidate_page(c, 0x40001000), 2);
    ck_assert(a->invalid && b->invalid && !other->invalid);
    ck_assert_ptr_null(emu_tb_lookup(c, 0x1000, 0x40001000, 0));
    ck_assert_ptr_null(emu_tb_lookup(c, 0x1ff0, 0x40001ff0, 0));
    ck_assert_ptr_eq(emu_tb_lookup(c, 0x2000, 0x40002000, 0), other);
    ck_assert_uint_ne(emu_tb_generation(c), gen);
    ck_assert_uint_eq(emu_tb_invalidate_page(c, 0x40001000), 0);
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
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
