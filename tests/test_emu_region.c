/*
 * test_emu_region.c — the code buffer's regions: how many, who takes
 * which, what happens when they run out, and the guard pages.
 */
#include "emu/region.h"

#include <check.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static struct region_state rs;
static char err[256];

START_TEST(automatic_count_follows_the_two_mib_rule)
{
    ck_assert_uint_eq(region_count_for(64u << 20, REGION_AUTO, 0, 1, true), 1);
    ck_assert_uint_eq(region_count_for(64u << 20, REGION_AUTO, 0, 8, true), 1);
    ck_assert_uint_eq(region_count_for(64u << 20, REGION_AUTO, 0, 8, false), 32);
    ck_assert_uint_eq(region_count_for(8u << 20, REGION_AUTO, 0, 8, false), 8);    /* at least one per vCPU */
    ck_assert_uint_eq(region_count_for(1024u << 20, REGION_AUTO, 0, 8, false), 64); /* at most eight */
    ck_assert_uint_eq(region_count_for(64u << 20, REGION_STATIC, 0, 8, false), 8);
    ck_assert_uint_eq(region_count_for(64u << 20, REGION_COUNT, 5, 8, false), 5);
}
END_TEST

START_TEST(zero_regions_or_a_tiny_buffer_is_one_clear_error)
{
    ck_assert_int_eq(region_init(&rs, 1, 0, REGION_COUNT, 4096, err, sizeof(err)), -1);
    ck_assert_ptr_nonnull(strstr(err, "regions=0"));
    ck_assert_int_eq(region_init(&rs, 1, 300, REGION_COUNT, 4096, err, sizeof(err)), -1);
    ck_assert_ptr_nonnull(strstr(err, "too small for 300 regions"));
}
END_TEST

START_TEST(a_full_region_is_replaced_by_the_next_free_one)
{
    ck_assert_int_eq(region_init(&rs, 1, 4, REGION_COUNT, 4096, err, sizeof(err)), 0);
    struct region_ctx a, b;
    region_ctx_init(&a, 0);
    region_ctx_init(&b, 1);
    uint8_t *p = region_alloc(&rs, &a, 100);
    uint8_t *q = region_alloc(&rs, &b, 100);
    ck_assert_int_eq(a.region, 0);
    ck_assert_int_eq(b.region, 1);
    ck_assert_ptr_eq(p, rs.buf);
    ck_assert_ptr_eq(q, rs.buf + rs.stride);
    /* Fill region 0: the next allocation moves a to region 2. */
    while (region_alloc(&rs, &a, 4096) != NULL && a.region == 0)
        ;
    ck_assert_int_eq(a.region, 2);
    ck_assert_uint_eq(atomic_load(&rs.stats[0].taken), 1);
    ck_assert_uint_eq(atomic_load(&rs.stats[2].taken), 1);
    region_destroy(&rs);
}
END_TEST

START_TEST(no_region_left_asks_for_a_flush_and_reset_frees_them_all)
{
    ck_assert_int_eq(region_init(&rs, 1, 2, REGION_COUNT, 4096, err, sizeof(err)), 0);
    struct region_ctx a;
    region_ctx_init(&a, 0);
    unsigned n = 0;
    while (region_alloc(&rs, &a, 4096) != NULL)
        n++;
    ck_assert_uint_eq(n, 2 * (rs.region_size / 4096));
    ck_assert_uint_eq(region_bytes_used(&rs), n * 4096u);
    struct region_ctx *ctxs[] = { &a };
    region_reset(&rs, ctxs, 1);
    ck_assert_int_eq(a.region, -1);
    ck_assert_uint_eq(region_bytes_used(&rs), 0);
    ck_assert_ptr_eq(region_alloc(&rs, &a, 64), rs.buf);
    region_destroy(&rs);
}
END_TEST

START_TEST(static_slices_are_never_shared)
{
    ck_assert_int_eq(region_init(&rs, 1, 4, REGION_STATIC, 4096, err, sizeof(err)), 0);
    struct region_ctx c1, c3;
    region_ctx_init(&c1, 1);
    region_ctx_init(&c3, 3);
    ck_assert_ptr_eq(region_alloc(&rs, &c1, 64), rs.buf + rs.stride);
    ck_assert_ptr_eq(region_alloc(&rs, &c3, 64), rs.buf + 3 * rs.stride);
    while (region_alloc(&rs, &c1, 4096) != NULL)
        ;
    /* c1's slice is full although slices 0 and 2 are free: it must flush. */
    ck_assert_int_eq(c1.region, 1);
    ck_assert_uint_eq(atomic_load(&rs.stats[0].taken), 0);
    ck_assert_ptr_null(region_alloc(&rs, &c1, 4096));
    region_destroy(&rs);
}
END_TEST

START_TEST(trim_gives_back_the_unused_tail)
{
    ck_assert_int_eq(region_init(&rs, 1, 1, REGION_COUNT, 4096, err, sizeof(err)), 0);
    struct region_ctx a;
    region_ctx_init(&a, 0);
    uint8_t *p = region_alloc(&rs, &a, 1000);
    region_trim(&rs, &a, p, 1000, 40);
    ck_assert_uint_eq(region_bytes_used(&rs), 48);
    ck_assert_ptr_eq(region_alloc(&rs, &a, 16), p + 48);
    region_destroy(&rs);
}
END_TEST

START_TEST(writing_past_a_region_hits_its_guard_page)
{
    ck_assert_int_eq(region_init(&rs, 1, 2, REGION_COUNT, 4096, err, sizeof(err)), 0);
    pid_t pid = fork();
    if (pid == 0) {
        rs.buf[rs.region_size - 1] = 1;     /* the last usable byte: fine */
        rs.buf[rs.region_size] = 1;         /* the guard: SIGSEGV */
        _exit(0);
    }
    int status;
    waitpid(pid, &status, 0);
    ck_assert(WIFSIGNALED(status));
    ck_assert_int_eq(WTERMSIG(status), SIGSEGV);
    region_destroy(&rs);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("emu_region");
    TCase *tc = tcase_create("emu_region");
    tcase_add_test(tc, automatic_count_follows_the_two_mib_rule);
    tcase_add_test(tc, zero_regions_or_a_tiny_buffer_is_one_clear_error);
    tcase_add_test(tc, a_full_region_is_replaced_by_the_next_free_one);
    tcase_add_test(tc, no_region_left_asks_for_a_flush_and_reset_frees_them_all);
    tcase_add_test(tc, static_slices_are_never_shared);
    tcase_add_test(tc, trim_gives_back_the_unused_tail);
    tcase_add_test(tc, writing_past_a_region_hits_its_guard_page);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
