/*
 * test_fatal.c — util/fatal and util/log: the message, the host backtrace,
 * the abort; log levels.
 */
#include "util/fatal.h"
#include "util/log.h"

#include <check.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static __attribute__((noinline)) void deliberately_broken_invariant(void)
{
    fatal("invariant broken: %d", 42);
}

START_TEST(fatal_aborts)
{
    deliberately_broken_invariant();
}
END_TEST

/* fatal() in a child whose stderr is a pipe; returns what it printed. */
static char *fatal_output(void)
{
    static char text[8192];
    int fds[2];
    size_t len = 0;
    ssize_t n;
    pid_t pid;

    ck_assert_int_eq(pipe(fds), 0);
    pid = fork();
    ck_assert_int_ge(pid, 0);
    if (pid == 0) {
        dup2(fds[1], 2);
        log_init("test_fatal");
        deliberately_broken_invariant();
    }
    close(fds[1]);
    while ((n = read(fds[0], text + len, sizeof(text) - 1 - len)) > 0)
        len += (size_t)n;
    text[len] = '\0';
    close(fds[0]);
    return text;
}

START_TEST(fatal_prints_message_and_a_backtrace_with_the_caller)
{
    char *text = fatal_output();

    ck_assert_ptr_nonnull(strstr(text, "test_fatal: fatal: invariant broken: 42"));
    ck_assert_ptr_nonnull(strstr(text, "host backtrace:"));
    ck_assert_ptr_nonnull(strstr(text, "deliberately_broken_invariant"));
}
END_TEST

START_TEST(xstrdup_copies)
{
    char *s = xstrdup("region");

    ck_assert_str_eq(s, "region");
    free(s);
}
END_TEST

START_TEST(log_level_filters_messages)
{
    log_set_level(LOG_WARN);
    ck_assert_int_eq(log_get_level(), LOG_WARN);
    log_set_level(LOG_INFO);
    ck_assert_int_eq(log_get_level(), LOG_INFO);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("fatal");
    TCase *tc = tcase_create("fatal");
    SRunner *sr;
    int failed;

    tcase_add_test_raise_signal(tc, fatal_aborts, SIGABRT);
    tcase_add_test(tc, fatal_prints_message_and_a_backtrace_with_the_caller);
    tcase_add_test(tc, xstrdup_copies);
    tcase_add_test(tc, log_level_filters_messages);
    suite_add_tcase(s, tc);
    sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
