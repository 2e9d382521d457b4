/*
 * verdict.c — the pass rule and the reason, in the order verdict.h gives.
 */
#include "harness/verdict.h"

#include "util/fatal.h"

#include <stdarg.h>
#include <stdio.h>

static char *format(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static char *format(const char *fmt, ...)
{
    va_list ap;
    char *s;

    va_start(ap, fmt);
    if (vasprintf(&s, fmt, ap) < 0)
        fatal("out of memory");
    va_end(ap);
    return s;
}

/* How the process ended, when that alone says it failed: it never ran, was
 * interrupted, timed out or died of a signal. A non-zero exit status is
 * not in here: the TAP stream usually says why better (verdict_reason). */
static char *process_reason(const struct verdict_input *in)
{
    char sig[32];

    if (in->not_run)
        return xstrdup(in->not_run);
    if (in->interrupted)
        return xstrdup("interrupted");
    if (in->timed_out)
        return format("timeout after %us", in->timeout_s);
    if (in->term_signal) {
        report_signal_name(in->term_signal, sig, sizeof(sig));
        return format("killed by signal %s", sig);
    }
    return NULL;
}

static char *tap_reason(const struct tap_result *t)
{
    const struct report_tap *c = &t->counts;

    if (t->bailed)
        return *t->bail_reason ? format("bail out: %s", t->bail_reason) : xstrdup("bail out");
    if (t->first_failure)
        return xstrdup(t->first_failure);
    if (c->planned >= 0 && (unsigned long)c->planned != c->ran)
        return format("planned %ld, ran %u", c->planned, c->ran);
    if (c->planned < 0)
        return xstrdup("no TAP plan");
    if (t->cut_off)
        return xstrdup("TAP output cut off");
    if (c->skipped)
        return xstrdup("skipped checks are not passes");
    if (c->planned == 0)
        return xstrdup("plan 1..0: no checks ran");
    return NULL;
}

char *verdict_reason(const struct verdict_input *in)
{
    char *reason = process_reason(in);

    if (reason)
        return reason;
    reason = in->tap ? tap_reason(in->tap) : xstrdup("no TAP plan");
    if (!reason && in->exit_status != 0)
        reason = format("exit status %d", in->exit_status);
    return reason;
}

enum report_status verdict_status(const char *reason, const char *xfail_reason)
{
    if (xfail_reason)
        return reason ? REPORT_XFAIL : REPORT_XPASS;
    return reason ? REPORT_FAIL : REPORT_PASS;
}
