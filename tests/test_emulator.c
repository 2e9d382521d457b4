/*
 * test_emulator.c — finding the emulator binary and its command line
 * (harness/emulator.c). PATH and STREX_QEMU are pointed at a temporary
 * folder holding fake emulators (empty shell scripts).
 */
#include "harness/emulator.h"

#include <check.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char dir[64];
static char err[512];
static struct emulator emu;
static char saved_path[4096];

static void make_file(const char *name, mode_t mode)
{
    char path[128];
    int fd;

    snprintf(path, sizeof(path), "%s/%s", dir, name);
    fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, mode);
    ck_assert_int_ge(fd, 0);
    ck_assert_int_eq(write(fd, "#!/bin/sh\n", 10), 10);
    close(fd);
    chmod(path, mode);
}

static void setup(void)
{
    strcpy(dir, "/tmp/test_emulator_XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(dir));
    make_file("qemu-system-arm", 0755);
    make_file("other-qemu", 0755);
    make_file("not-executable", 0644);
    make_file("strex-emu-asan", 0755);
    snprintf(saved_path, sizeof(saved_path), "%s", getenv("PATH") ? getenv("PATH") : "");
    setenv("PATH", dir, 1);
    unsetenv("STREX_QEMU");
}

static void teardown(void)
{
    static const char *const files[] = { "qemu-system-arm", "other-qemu", "not-executable",
                                         "strex-emu-asan" };
    char path[128];

    emulator_free(&emu);
    for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
        snprintf(path, sizeof(path), "%s/%s", dir, files[i]);
        unlink(path);
    }
    rmdir(dir);
    setenv("PATH", saved_path, 1);
}

START_TEST(qemu_is_found_on_path)
{
    char expected[128];

    snprintf(expected, sizeof(expected), "%s/qemu-system-arm", dir);
    ck_assert_int_eq(emulator_resolve("qemu", &emu, err, sizeof(err)), 0);
    ck_assert_str_eq(emu.label, "qemu");
    ck_assert_str_eq(emu.binary, expected);
}
END_TEST

START_TEST(strex_qemu_overrides_the_path)
{
    char expected[128];

    snprintf(expected, sizeof(expected), "%s/other-qemu", dir);
    setenv("STREX_QEMU", expected, 1);
    ck_assert_int_eq(emulator_resolve("qemu", &emu, err, sizeof(err)), 0);
    ck_assert_str_eq(emu.binary, expected);
    ck_assert_str_eq(emu.label, "qemu");
    emulator_free(&emu);
    setenv("STREX_QEMU", "/nonexistent/q", 1);
    ck_assert_int_eq(emulator_resolve("qemu", &emu, err, sizeof(err)), -1);
    ck_assert_str_eq(err, "emulator 'qemu' not found (STREX_QEMU=/nonexistent/q is not an "
                          "executable file)");
}
END_TEST

START_TEST(qemu_missing_from_path_is_an_error)
{
    setenv("PATH", "/nonexistent", 1);
    ck_assert_int_eq(emulator_resolve("qemu", &emu, err, sizeof(err)), -1);
    ck_assert_str_eq(err, "emulator 'qemu' not found (qemu-system-arm is not an executable "
                          "on PATH)");
}
END_TEST

START_TEST(a_path_is_used_with_its_basename_as_label)
{
    char path[128];

    snprintf(path, sizeof(path), "%s/other-qemu", dir);
    ck_assert_int_eq(emulator_resolve(path, &emu, err, sizeof(err)), 0);
    ck_assert_str_eq(emu.label, "other-qemu");
    ck_assert_str_eq(emu.binary, path);
    ck_assert(!emu.is_strex);
}
END_TEST

START_TEST(only_strex_emu_takes_strex_options)
{
    char path[128];

    ck_assert_int_eq(emulator_resolve("qemu", &emu, err, sizeof(err)), 0);
    ck_assert(!emu.is_strex);
    emulator_free(&emu);
    snprintf(path, sizeof(path), "%s/strex-emu-asan", dir);
    ck_assert_int_eq(emulator_resolve(path, &emu, err, sizeof(err)), 0);
    ck_assert_str_eq(emu.label, "strex-emu-asan");
    ck_assert(emu.is_strex);
}
END_TEST

START_TEST(bad_paths_are_errors)
{
    char path[128];

    snprintf(path, sizeof(path), "%s/not-executable", dir);
    ck_assert_int_eq(emulator_resolve(path, &emu, err, sizeof(err)), -1);
    ck_assert_ptr_nonnull(strstr(err, "not found (not an executable file)"));
    ck_assert_int_eq(emulator_resolve(dir, &emu, err, sizeof(err)), -1); /* a folder */
    ck_assert_int_eq(emulator_resolve("/nonexistent/emu", &emu, err, sizeof(err)), -1);
    ck_assert_str_eq(err, "emulator '/nonexistent/emu' not found (not an executable file)");
}
END_TEST

START_TEST(strex_is_looked_for_next_to_the_binary)
{
    char self[1024], expected[1200];
    ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);

    /* The test binary lives in build/tests/, where no strex-emu is. */
    ck_assert_int_gt(n, 0);
    self[n] = '\0';
    *strrchr(self, '/') = '\0';
    snprintf(expected, sizeof(expected), "emulator 'strex' not found (no executable %s/strex-emu)",
             self);
    ck_assert_int_eq(emulator_resolve("strex", &emu, err, sizeof(err)), -1);
    ck_assert_str_eq(err, expected);
}
END_TEST

static void assert_argv(char **v, size_t n, const char *const *expected)
{
    size_t i = 0;

    for (; expected[i]; i++) {
        ck_assert_uint_lt(i, n);
        ck_assert_str_eq(v[i], expected[i]);
    }
    ck_assert_uint_eq(n, i);
    ck_assert_ptr_null(v[n]);
    for (i = 0; i < n; i++)
        free(v[i]);
    free(v);
}

START_TEST(command_line_is_qemu_style)
{
    size_t n;
    char **v = emulator_argv("/usr/bin/qemu-system-arm", 4, THREAD_MULTI, "b/t.elf",
                             "iters=5 cpus=2", &n);

    assert_argv(v, n, (const char *const[]){
        "/usr/bin/qemu-system-arm", "-M", "virt", "-cpu", "cortex-a15", "-nographic",
        "-semihosting", "-smp", "4", "-accel", "tcg,thread=multi", "-kernel", "b/t.elf",
        "-append", "iters=5 cpus=2", NULL });
}
END_TEST

START_TEST(no_append_without_args_and_gicv3_above_8)
{
    size_t n;
    char **v = emulator_argv("q", 9, THREAD_SINGLE, "t.elf", "", &n);

    assert_argv(v, n, (const char *const[]){
        "q", "-M", "virt,gic-version=3", "-cpu", "cortex-a15", "-nographic", "-semihosting",
        "-smp", "9", "-accel", "tcg,thread=single", "-kernel", "t.elf", NULL });
    v = emulator_argv("q", 8, THREAD_SINGLE, "t.elf", NULL, &n);
    ck_assert_str_eq(v[2], "virt");
    ck_assert_uint_eq(n, 13);
    assert_argv(v, n, (const char *const[]){
        "q", "-M", "virt", "-cpu", "cortex-a15", "-nographic", "-semihosting",
        "-smp", "8", "-accel", "tcg,thread=single", "-kernel", "t.elf", NULL });
}
END_TEST

START_TEST(chaos_command_line_adds_sched_and_seed_to_accel)
{
    size_t n;
    char **v = emulator_argv_chaos("b/strex-emu", 4, "t.elf", "iters=5", 42, &n);

    assert_argv(v, n, (const char *const[]){
        "b/strex-emu", "-M", "virt", "-cpu", "cortex-a15", "-nographic", "-semihosting",
        "-smp", "4", "-accel", "tcg,thread=single,sched=chaos,seed=42", "-kernel", "t.elf",
        "-append", "iters=5", NULL });
}
END_TEST

START_TEST(llsc_is_the_last_accel_key)
{
    struct emulator_strex_keys keys = { .has_llsc = true, .llsc = LLSC_CAS };
    size_t n;
    char **v = emulator_argv_strex("b/strex-emu", 2, THREAD_MULTI, &keys, "t.elf", NULL, &n);

    assert_argv(v, n, (const char *const[]){
        "b/strex-emu", "-M", "virt", "-cpu", "cortex-a15", "-nographic", "-semihosting",
        "-smp", "2", "-accel", "tcg,thread=multi,llsc=cas", "-kernel", "t.elf", NULL });
}
END_TEST

START_TEST(llsc_follows_the_seed)
{
    struct emulator_strex_keys keys = { true, 7, true, LLSC_STW };
    size_t n;
    char **v = emulator_argv_strex("e", 4, THREAD_SINGLE, &keys, "t.elf", "x=1", &n);

    ck_assert_str_eq(v[10], "tcg,thread=single,sched=chaos,seed=7,llsc=stw");
    assert_argv(v, n, (const char *const[]){
        "e", "-M", "virt", "-cpu", "cortex-a15", "-nographic", "-semihosting", "-smp", "4",
        "-accel", "tcg,thread=single,sched=chaos,seed=7,llsc=stw", "-kernel", "t.elf",
        "-append", "x=1", NULL });
}
END_TEST

START_TEST(no_strex_keys_is_the_qemu_command_line)
{
    struct emulator_strex_keys keys = { 0 };
    size_t n;
    char **v = emulator_argv_strex("e", 1, THREAD_SINGLE, &keys, "t.elf", NULL, &n);

    ck_assert_str_eq(v[10], "tcg,thread=single");
    assert_argv(v, n, (const char *const[]){
        "e", "-M", "virt", "-cpu", "cortex-a15", "-nographic", "-semihosting", "-smp", "1",
        "-accel", "tcg,thread=single", "-kernel", "t.elf", NULL });
}
END_TEST

static Suite *emulator_suite(void)
{
    Suite *s = suite_create("emulator");
    TCase *tc = tcase_create("resolve+argv");

    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, qemu_is_found_on_path);
    tcase_add_test(tc, strex_qemu_overrides_the_path);
    tcase_add_test(tc, qemu_missing_from_path_is_an_error);
    tcase_add_test(tc, a_path_is_used_with_its_basename_as_label);
    tcase_add_test(tc, bad_paths_are_errors);
    tcase_add_test(tc, strex_is_looked_for_next_to_the_binary);
    tcase_add_test(tc, command_line_is_qemu_style);
    tcase_add_test(tc, no_append_without_args_and_gicv3_above_8);
    tcase_add_test(tc, only_strex_emu_takes_strex_options);
    tcase_add_test(tc, chaos_command_line_adds_sched_and_seed_to_accel);
    tcase_add_test(tc, llsc_is_the_last_accel_key);
    tcase_add_test(tc, llsc_follows_the_seed);
    tcase_add_test(tc, no_strex_keys_is_the_qemu_command_line);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(emulator_suite());
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? 1 : 0;
}
