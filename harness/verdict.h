/*
 * verdict.h — did a job pass, and if not, why.
 *
 * A job passes only when the emulator exited with status 0, the guest
 * printed a TAP plan, ran exactly the planned checks, none failed (a TODO
 * failure is fine), none was skipped, it did not bail out and its output
 * was not cut off. Otherwise the reason is the first that applies, in this
 * order: not run, interrupted, timeout, signal, bail out, the first
 * "not ok", plan mismatch, no plan, cut off, skipped checks, exit status —
 * the earliest cause first, since a timeout explains a missing plan but
 * not the other way round; a non-zero exit status comes last because the
 * guest's own TAP line says why it exited non-zero.
 *
 * An xfail declaration then turns FAIL into XFAIL and PASS into XPASS.
 */
#ifndef HARNESS_VERDICT_H
#define HARNESS_VERDICT_H

#include "harness/tap.h"
#include "reports/report.h"

#include <stdbool.h>

struct verdict_input {
    const char *not_run; /* why it never ran (image not found, spawn error), or NULL */
    bool interrupted;
    bool timed_out;
    unsigned timeout_s;
    int term_signal;
    int exit_status;
    const struct tap_result *tap; /* may be NULL when it never ran */
};

/* The reason the job did not pass (newly allocated), or NULL if it passed. */
char *verdict_reason(const struct verdict_input *in);

enum report_status verdict_status(const char *reason, const char *xfail_reason);

#endif
