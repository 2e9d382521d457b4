/*
 * tap.c — TAP lines and the bookkeeping behind tap_done().
 */
#include "tap.h"

#include "rt.h"

static int planned = -1;
static unsigned next_number; /* atomic: checks may come from any CPU */
static unsigned failures;    /* atomic */

void tap_plan(int n)
{
    planned = n;
    rt_printf("1..%d\n", n);
}

static int check(int cond, const char *todo, const char *fmt, va_list ap)
{
    char what[256];
    unsigned n = __atomic_add_fetch(&next_number, 1, __ATOMIC_RELAXED);

    rt_vsnprintf(what, sizeof(what), fmt, ap);
    if (!cond && !todo)
        __atomic_add_fetch(&failures, 1, __ATOMIC_RELAXED);
    if (todo)
        rt_printf("%s %u - %s # TODO %s\n", cond ? "ok" : "not ok", n, what, todo);
    else
        rt_printf("%s %u - %s\n", cond ? "ok" : "not ok", n, what);
    return cond;
}

int tap_ok(int cond, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    cond = check(cond, 0, fmt, ap);
    va_end(ap);
    return cond;
}

int tap_todo(int cond, const char *reason, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    cond = check(cond, reason, fmt, ap);
    va_end(ap);
    return cond;
}

void tap_diag(const char *fmt, ...)
{
    char text[256];
    va_list ap;

    va_start(ap, fmt);
    rt_vsnprintf(text, sizeof(text), fmt, ap);
    va_end(ap);
    rt_printf("# %s\n", text);
}

void tap_metric(const char *key, const char *fmt, ...)
{
    char value[128];
    va_list ap;

    va_start(ap, fmt);
    rt_vsnprintf(value, sizeof(value), fmt, ap);
    va_end(ap);
    rt_printf("# %s=%s\n", key, value);
}

void tap_bail(const char *fmt, ...)
{
    char text[256];
    va_list ap;

    va_start(ap, fmt);
    rt_vsnprintf(text, sizeof(text), fmt, ap);
    va_end(ap);
    rt_printf("Bail out! %s\n", text);
    rt_exit(RT_EXIT_FAIL);
}

int tap_failures(void)
{
    return (int)__atomic_load_n(&failures, __ATOMIC_RELAXED);
}

int tap_done(void)
{
    unsigned ran = __atomic_load_n(&next_number, __ATOMIC_RELAXED);

    if (planned < 0) {
        rt_printf("# no plan was printed\n");
        return RT_EXIT_FAIL;
    }
    if ((int)ran != planned) {
        rt_printf("# planned %d checks, ran %u\n", planned, ran);
        return RT_EXIT_FAIL;
    }
    return tap_failures() ? RT_EXIT_FAIL : RT_EXIT_PASS;
}
