/*
 * printf.c — formatted output for guests: rt_vsnprintf and rt_printf.
 *
 * Conversions: %d %i %u %x %X %p %s %c %% with flags '-' and '0', a width,
 * and the l / ll / z length modifiers. rt_printf formats into a buffer
 * first and writes it under print_lock, so a line from one CPU is never
 * torn by another's. The lock remembers its owner: a CPU that faults while
 * printing can still report the fault.
 */
#include "rt.h"
#include "uart.h"

#include <stdint.h>

struct out {
    char *buf;
    size_t len;
    size_t pos; /* characters produced, may exceed len */
};

static void put(struct out *o, char c)
{
    if (o->pos + 1 < o->len)
        o->buf[o->pos] = c;
    o->pos++;
}

static void put_padded(struct out *o, const char *s, size_t n, int width,
                       int left, char pad)
{
    int fill = width > (int)n ? width - (int)n : 0;

    if (!left && pad == '0' && n > 0 && s[0] == '-') {
        put(o, '-');
        s++;
        n--;
    }
    if (!left)
        while (fill-- > 0)
            put(o, pad);
    for (size_t i = 0; i < n; i++)
        put(o, s[i]);
    if (left)
        while (fill-- > 0)
            put(o, ' ');
}

static size_t format_number(char *tmp, unsigned long long v, unsigned base,
                            int upper, int negative)
{
    const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
    char rev[24];
    size_t n = 0, k = 0;

    do {
        rev[n++] = digits[v % base];
        v /= base;
    } while (v);
    if (negative)
        tmp[k++] = '-';
    while (n)
        tmp[k++] = rev[--n];
    return k;
}

int rt_vsnprintf(char *buf, size_t len, const char *fmt, va_list ap)
{
    struct out o = { buf, len, 0 };

    for (const char *p = fmt; *p; p++) {
        int left = 0, width = 0, lng = 0;
        char pad = ' ', tmp[24];
        unsigned long long u;
        long long s;
        size_t n;

        if (*p != '%') {
            put(&o, *p);
            continue;
        }
        p++;
        for (; *p == '-' || *p == '0'; p++) {
            if (*p == '-')
                left = 1;
            else
                pad = '0';
        }
        for (; *p >= '0' && *p <= '9'; p++)
            width = width * 10 + (*p - '0');
        for (; *p == 'l' || *p == 'z'; p++)
            lng += *p == 'l' ? 1 : (sizeof(size_t) > sizeof(int));
        switch (*p) {
        case 'd':
        case 'i':
            s = lng >= 2 ? va_arg(ap, long long) : lng ? va_arg(ap, long) : va_arg(ap, int);
            n = format_number(tmp, s < 0 ? 0ull - (unsigned long long)s : (unsigned long long)s,
                              10, 0, s < 0);
            put_padded(&o, tmp, n, width, left, pad);
            break;
        case 'u':
        case 'x':
        case 'X':
            u = lng >= 2 ? va_arg(ap, unsigned long long)
                : lng ? va_arg(ap, unsigned long) : va_arg(ap, unsigned);
            n = format_number(tmp, u, *p == 'u' ? 10 : 16, *p == 'X', 0);
            put_padded(&o, tmp, n, width, left, pad);
            break;
        case 'p':
            n = format_number(tmp, (uintptr_t)va_arg(ap, void *), 16, 0, 0);
            put(&o, '0');
            put(&o, 'x');
            put_padded(&o, tmp, n, width, left, pad);
            break;
        case 's': {
            const char *str = va_arg(ap, const char *);
            if (!str)
                str = "(null)";
            put_padded(&o, str, strlen(str), width, left, ' ');
            break;
        }
        case 'c':
            tmp[0] = (char)va_arg(ap, int);
            put_padded(&o, tmp, 1, width, left, ' ');
            break;
        case '%':
            put(&o, '%');
            break;
        case '\0':
            p--;
            break;
        default:
            put(&o, '%');
            put(&o, *p);
        }
    }
    if (len)
        buf[o.pos < len ? o.pos : len - 1] = '\0';
    return (int)o.pos;
}

int rt_snprintf(char *buf, size_t len, const char *fmt, ...)
{
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = rt_vsnprintf(buf, len, fmt, ap);
    va_end(ap);
    return n;
}

/* -1 when free, else the owning CPU. Taken with LDREX/STREX through the
 * __atomic builtins. */
static int print_lock_owner = -1;

static int print_lock(void)
{
    int me = rt_cpu_id();

    if (__atomic_load_n(&print_lock_owner, __ATOMIC_RELAXED) == me)
        return 0; /* re-entered from an exception on this CPU */
    for (;;) {
        int expected = -1;
        if (__atomic_compare_exchange_n(&print_lock_owner, &expected, me, 0,
                                        __ATOMIC_ACQUIRE, __ATOMIC_RELAXED))
            return 1;
        rt_cpu_relax();
    }
}

static void print_unlock(int taken)
{
    if (taken)
        __atomic_store_n(&print_lock_owner, -1, __ATOMIC_RELEASE);
}

int rt_vprintf(const char *fmt, va_list ap)
{
    char line[512];
    int n = rt_vsnprintf(line, sizeof(line), fmt, ap);
    size_t len = n < (int)sizeof(line) ? (size_t)n : sizeof(line) - 1;
    int taken = print_lock();

    uart_write(line, len);
    print_unlock(taken);
    return n;
}

int rt_printf(const char *fmt, ...)
{
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = rt_vprintf(fmt, ap);
    va_end(ap);
    return n;
}
