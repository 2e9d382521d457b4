/*
 * selftest-hang — a guest that never finishes, for the harness's own test.
 *
 * It prints its plan and then spins with no way out, so the harness has
 * to notice the timeout, kill the emulator (the whole process group) and
 * report "timeout after Ns". tests/harness_selftest.sh runs it with a
 * short timeout and an xfail declaration (tests/fixtures/selftest.suite).
 */
#include "rt.h"
#include "tap.h"

int main(void)
{
    tap_plan(1);
    tap_diag("spinning forever: the harness must kill this at its timeout");
    for (;;) {
    }
}
