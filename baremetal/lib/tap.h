/*
 * tap.h — Test Anything Protocol output for guest tests.
 *
 *     tap_plan(2);
 *     tap_ok(total == expected, "total is %lu", expected);
 *     tap_metric("strex_fail_cpu0", "%lu", fails[0]);
 *     return tap_done();
 *
 * Lines: "1..N", "ok N - what", "not ok N - what", "# key=value" metrics,
 * "# text" diagnostics. tap_done() returns 0 only when the plan was printed,
 * every planned check ran, and none failed; that is main's exit status.
 * Checks are numbered in the order they are printed, from any CPU.
 */
#ifndef TAP_H
#define TAP_H

void tap_plan(int n);
int tap_ok(int cond, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* A check the test knows fails on this emulator, with the reason:
 * "not ok N - what # TODO reason". It does not count as a failure. */
int tap_todo(int cond, const char *reason, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void tap_diag(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void tap_metric(const char *key, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
_Noreturn void tap_bail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int tap_done(void);
int tap_failures(void);

#endif
