#!/bin/bash
# llsc_soak.sh — no lost update, many times over, for each LL/SC strategy.
#
#     bash tests/llsc_soak.sh [STREX_EMU [OUT_DIR [RUNS [SMP]]]]
#
# Runs llsc-counter RUNS times (default 100) at -smp SMP (default 8) with
# -accel tcg,thread=multi,llsc=X for X in cas, excl, stw. Every vCPU adds
# 1 to one shared counter with LDREX/STREX; a run passes when the guest
# finds the exact total (it prints "ok 1 - counter is N ...") and exits 0.
# Prints one line per strategy (runs, failures, STREX failures seen,
# seconds) and the first failure's files. Exit status 0 when every run of
# every strategy passed, 1 otherwise. ITERS (default 200000) sets the
# increments per vCPU.
set -u

emu=${1:-build/strex-emu}
out=${2:-out/llsc-soak}
runs=${3:-100}
smp=${4:-8}
iters=${ITERS:-200000}
status=0

mkdir -p "$out" || exit 1
# shellcheck source=tests/stats.sh
. "$(dirname "$0")/stats.sh"
for llsc in cas excl stw; do
    fails=0 strex_fail=0 t0=$(date +%s)
    for i in $(seq 1 "$runs"); do
        base="$out/$llsc.$i"
        timeout 300 "$emu" -M virt -cpu cortex-a15 -m 128 -nographic -semihosting -smp "$smp" \
            -accel "tcg,thread=multi,llsc=$llsc" -kernel build/baremetal/llsc-counter.elf \
            -append "iters=$iters" -stats "$base.stats.json" >"$base.out" 2>"$base.err" </dev/null
        rc=$?
        if [ $rc -ne 0 ] || ! grep -q "^ok 1 - counter is" "$base.out"; then
            [ $fails -eq 0 ] && echo "llsc_soak: llsc=$llsc run $i failed (exit $rc): $base.out $base.err"
            fails=$((fails + 1))
            continue
        fi
        n=$(stats_counter "$base.stats.json" strex_fail)
        strex_fail=$((strex_fail + ${n:-0}))
        rm -f "$base.out" "$base.err" "$base.stats.json"
    done
    echo "llsc=$llsc smp=$smp: $runs runs, $fails failed, $strex_fail STREX failures in all, $(( $(date +%s) - t0 )) s"
    [ $fails -eq 0 ] || status=1
done
exit $status
