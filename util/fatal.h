/*
 * fatal.h — the one way out for internal errors.
 *
 * fatal() is for states the program should never reach (a broken
 * invariant, a failed allocation): it prints the message, a host backtrace
 * taken with libunwind, and aborts. Bad input from the user is never
 * fatal(): it gets a log_error() line and a non-zero exit status.
 */
#ifndef UTIL_FATAL_H
#define UTIL_FATAL_H

#include <stddef.h>
#include <stdio.h>

_Noreturn void fatal(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Writes the calling thread's backtrace to f, one frame per line. */
void fatal_backtrace(FILE *f);

/* Allocation that never returns NULL: out of memory is an internal error. */
void *xmalloc(size_t size);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t size);
char *xstrdup(const char *s);

#endif
