/*
 * fatal.c — internal errors: message, host backtrace, abort.
 *
 * The backtrace is walked with libunwind's local unwinder, which needs no
 * frame pointers and works from any thread. abort() rather than exit() so
 * that a core dump or a debugger catches the state.
 */
#define UNW_LOCAL_ONLY
#include "util/fatal.h"

#include "util/log.h"

#include <libunwind.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

void fatal_backtrace(FILE *f)
{
    unw_context_t context;
    unw_cursor_t cursor;
    int depth = 0;

    if (unw_getcontext(&context) != 0 || unw_init_local(&cursor, &context) != 0) {
        fprintf(f, "  (no backtrace available)\n");
        return;
    }
    while (unw_step(&cursor) > 0 && depth < 64) {
        unw_word_t pc = 0, offset = 0;
        char name[256];

        unw_get_reg(&cursor, UNW_REG_IP, &pc);
        if (unw_get_proc_name(&cursor, name, sizeof(name), &offset) != 0)
            strcpy(name, "??");
        fprintf(f, "  #%-2d 0x%016lx %s+0x%lx\n", depth, (unsigned long)pc, name,
                (unsigned long)offset);
        depth++;
    }
}

void fatal(const char *fmt, ...)
{
    va_list ap;

    fprintf(stderr, "%s: fatal: ", log_prog());
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, "\nhost backtrace:\n");
    fatal_backtrace(stderr);
    fflush(stderr);
    abort();
}

void *xmalloc(size_t size)
{
    void *p = malloc(size ? size : 1);

    if (!p)
        fatal("out of memory allocating %zu bytes", size);
    return p;
}

void *xcalloc(size_t n, size_t size)
{
    void *p = calloc(n ? n : 1, size ? size : 1);

    if (!p)
        fatal("out of memory allocating %zu x %zu bytes", n, size);
    return p;
}

void *xrealloc(void *p, size_t size)
{
    void *q = realloc(p, size ? size : 1);

    if (!q)
        fatal("out of memory reallocating to %zu bytes", size);
    return q;
}

char *xstrdup(const char *s)
{
    size_t n = strlen(s) + 1;

    return memcpy(xmalloc(n), s, n);
}
