#!/usr/bin/env bash
# harness_selftest.sh — the harness checking itself against QEMU.
#
#     bash tests/harness_selftest.sh STREX_BIN OUTDIR
#
# Runs tests/fixtures/selftest.suite: a guest that hangs (it must be killed
# at its 3 s timeout and reported so), a guest that executes UDF (its
# EXCEPTION line must reach results.json) and llsc-counter as the control.
# Both bad ones are declared xfail, so the run must exit 0. Then it runs a
# copy of the suite without the hang's xfail: a real timeout is a failure,
# so that run must exit 1. Needs jq to read results.json.
set -u

strex=${1:?usage: harness_selftest.sh STREX_BIN OUTDIR}
out=${2:?usage: harness_selftest.sh STREX_BIN OUTDIR}
suite=tests/fixtures/selftest.suite
passed=0
failed=0

if ! command -v jq >/dev/null 2>&1; then
    echo "harness self-test: needs jq to read results.json (apt-get install jq)" >&2
    exit 1
fi

# check WHAT COMMAND...: counts and prints one result line.
check() {
    local what=$1
    shift
    if "$@"; then
        passed=$((passed + 1))
        echo "  ok    $what"
    else
        failed=$((failed + 1))
        echo "  FAIL  $what"
    fi
}

# field DIR TEST JQ-EXPR: one value of the first job of TEST in DIR/results.json.
field() {
    jq -r --arg t "$2" "[.jobs[] | select(.test == \$t)][0] | $3" "$1/results.json" 2>/dev/null
}

equals() { [ "$1" = "$2" ]; }
valid_json() { jq -e . "$1" >/dev/null 2>&1; }
less_than() { awk -v a="$1" -v b="$2" 'BEGIN { exit !(a + 0 < b + 0) }'; }

# run_suite SUITE DIR: runs strex, prints its output, returns its status.
# The outer timeout catches a harness that fails to kill the hang.
run_suite() {
    timeout 60 "$strex" run "$1" --emulator qemu --smp 1 --thread multi --jobs 2 --out "$2"
}

rm -rf "$out"
mkdir -p "$out"

echo "== harness self-test, with the xfail declarations"
start=$(date +%s.%N)
run_suite "$suite" "$out/xfail"
status=$?
elapsed=$(awk -v s="$start" -v e="$(date +%s.%N)" 'BEGIN { print e - s }')
dir=$out/xfail
check "strex exits 0 when every failure is declared" equals "$status" 0
check "results.json is valid JSON" valid_json "$dir/results.json"
check "selftest-hang is xfail" equals "$(field "$dir" selftest-hang .status)" xfail
check "selftest-hang reason is 'timeout after 3s'" \
    equals "$(field "$dir" selftest-hang .reason)" "timeout after 3s"
check "selftest-hang is marked timed_out" equals "$(field "$dir" selftest-hang .timed_out)" true
check "selftest-hang was killed within 3 s + grace (took $(field "$dir" selftest-hang .seconds) s)" \
    less_than "$(field "$dir" selftest-hang .seconds)" 6
check "selftest-fault is xfail" equals "$(field "$dir" selftest-fault .status)" xfail
check "selftest-fault exited with status 3 (RT_EXIT_UNDEF)" \
    equals "$(field "$dir" selftest-fault .exit_status)" 3
check "selftest-fault's EXCEPTION type=undef line is in results.json" \
    equals "$(field "$dir" selftest-fault \
        '[.exceptions[] | select(startswith("EXCEPTION ") and test("type=undef"))] | length')" 1
check "llsc-counter passed" equals "$(field "$dir" llsc-counter .status)" pass
check "the run took well under the hang's life (${elapsed} s)" less_than "$elapsed" 20
check "junit.xml and summary.md were written" test -s "$dir/junit.xml" -a -s "$dir/summary.md"

echo "== harness self-test, selftest-hang without its xfail"
sed '/^selftest-hang/ s/ *xfail\.any="[^"]*"//' "$suite" > "$out/no-xfail.suite"
check "the copy of the suite lost the hang's xfail" \
    equals "$(grep -c '^selftest-hang.*xfail' "$out/no-xfail.suite")" 0
run_suite "$out/no-xfail.suite" "$out/no-xfail"
status=$?
dir=$out/no-xfail
check "strex exits 1 when a test times out undeclared" equals "$status" 1
check "selftest-hang is now fail, 'timeout after 3s'" \
    equals "$(field "$dir" selftest-hang '.status + " " + .reason')" "fail timeout after 3s"

echo "harness self-test: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
