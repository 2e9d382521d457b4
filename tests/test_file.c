/*
 * test_file.c — util/file: whole-file reads, their limit and their errors;
 * mkdir -p.
 */
#include "util/file.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char path[] = "/tmp/strex-test-file-XXXXXX";
static char err[256];

static void write_fixture(const char *bytes, size_t n)
{
    int fd = mkstemp(path);

    ck_assert_int_ge(fd, 0);
    ck_assert_int_eq(write(fd, bytes, n), (ssize_t)n);
    close(fd);
}

static void teardown(void)
{
    unlink(path);
    strcpy(path, "/tmp/strex-test-file-XXXXXX");
}

START_TEST(reads_everything_and_ends_in_a_nul)
{
    size_t len;
    char *buf;

    write_fixture("abc\0def", 7);
    buf = file_read_all(path, 0, &len, err, sizeof(err));
    ck_assert_ptr_nonnull(buf);
    ck_assert_uint_eq(len, 7);
    ck_assert_mem_eq(buf, "abc\0def", 7);
    ck_assert_int_eq(buf[7], '\0');
    free(buf);
}
END_TEST

START_TEST(reads_files_larger_than_one_chunk)
{
    size_t n = 200000, len;
    char *big = malloc(n), *buf;

    for (size_t i = 0; i < n; i++)
        big[i] = (char)('a' + i % 26);
    write_fixture(big, n);
    buf = file_read_all(path, 0, &len, err, sizeof(err));
    ck_assert_ptr_nonnull(buf);
    ck_assert_uint_eq(len, n);
    ck_assert_mem_eq(buf, big, n);
    free(buf);
    free(big);
}
END_TEST

START_TEST(limit_refuses_larger_files_and_allows_exact_ones)
{
    size_t len = 99;
    char *buf;

    write_fixture("0123456789", 10);
    buf = file_read_all(path, 10, &len, err, sizeof(err));
    ck_assert_ptr_nonnull(buf);
    free(buf);
    ck_assert_ptr_null(file_read_all(path, 9, &len, err, sizeof(err)));
    ck_assert_uint_eq(len, 0);
    ck_assert_ptr_nonnull(strstr(err, ": larger than 9 bytes"));
}
END_TEST

START_TEST(missing_file_names_path_and_reason)
{
    size_t len;

    ck_assert_ptr_null(file_read_all("/nonexistent/x", 0, &len, err, sizeof(err)));
    ck_assert_str_eq(err, "/nonexistent/x: cannot open: No such file or directory");
}
END_TEST

START_TEST(directory_is_a_read_error)
{
    size_t len;

    ck_assert_ptr_null(file_read_all("/tmp", 0, &len, err, sizeof(err)));
    ck_assert_str_eq(err, "/tmp: read error");
}
END_TEST

START_TEST(make_dirs_creates_every_missing_parent_and_accepts_existing)
{
    char base[] = "/tmp/strex-dirs-XXXXXX", deep[128];
    struct stat st;

    ck_assert_ptr_nonnull(mkdtemp(base));
    snprintf(deep, sizeof(deep), "%s/a/b/c", base);
    ck_assert_int_eq(file_make_dirs(deep, err, sizeof(err)), 0);
    ck_assert_int_eq(stat(deep, &st), 0);
    ck_assert(S_ISDIR(st.st_mode));
    ck_assert_int_eq(file_make_dirs(deep, err, sizeof(err)), 0);
    snprintf(deep, sizeof(deep), "rm -rf %s", base);
    ck_assert_int_eq(system(deep), 0);
}
END_TEST

START_TEST(make_dirs_under_a_file_names_the_part_that_failed)
{
    write_fixture("x", 1);
    char deep[128];

    snprintf(deep, sizeof(deep), "%s/sub/dir", path);
    ck_assert_int_eq(file_make_dirs(deep, err, sizeof(err)), -1);
    ck_assert_ptr_nonnull(strstr(err, "cannot create "));
    ck_assert_ptr_nonnull(strstr(err, "/sub: Not a directory"));
}
END_TEST

int main(void)
{
    Suite *s = suite_create("file");
    TCase *tc = tcase_create("file");
    SRunner *sr;
    int failed;

    tcase_add_checked_fixture(tc, NULL, teardown);
    tcase_add_test(tc, reads_everything_and_ends_in_a_nul);
    tcase_add_test(tc, reads_files_larger_than_one_chunk);
    tcase_add_test(tc, limit_refuses_larger_files_and_allows_exact_ones);
    tcase_add_test(tc, missing_file_names_path_and_reason);
    tcase_add_test(tc, directory_is_a_read_error);
    tcase_add_test(tc, make_dirs_creates_every_missing_parent_and_accepts_existing);
    tcase_add_test(tc, make_dirs_under_a_file_names_the_part_that_failed);
    suite_add_tcase(s, tc);
    sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
