/*
 * selftest-fault — a guest that takes an unexpected exception, for the
 * harness's own test.
 *
 * After its plan it executes UDF, a permanently undefined instruction.
 * No handler is installed, so the runtime prints its "EXCEPTION cpu=0
 * type=undef ..." line and a Bail out!, and exits with RT_EXIT_UNDEF (3).
 * tests/harness_selftest.sh checks that this line reaches results.json.
 */
#include "rt.h"
#include "tap.h"

int main(void)
{
    tap_plan(1);
    __asm__ volatile("udf #0" ::: "memory");
    tap_ok(0, "execution continued after UDF");
    return tap_done();
}
