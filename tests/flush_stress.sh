#!/bin/bash
# flush_stress.sh — constant code-buffer flushes with one thread per vCPU.
#
#     bash tests/flush_stress.sh [STREX_EMU [OUT_DIR]]
#
# Runs at -smp 8, -accel tcg,thread=multi,tb-size=1 (the smallest buffer:
# 1 MiB, 8 regions) with -d flush, for each LL/SC strategy:
#   codefill        every vCPU writes, syncs and calls fresh code copies,
#                   checking each result: it fills the buffer dozens of
#                   times, so flushes race translations, invalidations
#                   and the other vCPUs' exclusive steps;
#   smc-cross-vcpu  one vCPU rewrites code another runs;
#   spinlock        LDREX/STREX under a small, often-flushed buffer.
# A run passes when the guest exits 0 with no "not ok"; codefill must
# also have logged at least 10 "flush code_size=" lines. Prints one line
# per run with its flush count. Exit status 0 when every run passed.
set -u

emu=${1:-build/strex-emu}
out=${2:-out/flush-stress}
status=0

mkdir -p "$out" || exit 1
run() { # name image args llsc min_flushes
    local base="$out/$1.$4"
    timeout 300 "$emu" -M virt -cpu cortex-a15 -m 128 -nographic -semihosting -smp 8 \
        -accel "tcg,thread=multi,tb-size=1,llsc=$4" -d flush -D "$base.log" \
        -kernel "$2" -append "$3" >"$base.out" 2>"$base.err" </dev/null
    local rc=$? flushes
    flushes=$(grep -c '^flush code_size=' "$base.log")
    if [ $rc -ne 0 ] || grep -q '^not ok' "$base.out" || [ "$flushes" -lt "$5" ]; then
        echo "flush_stress: FAIL $1 llsc=$4: exit $rc, $flushes flushes (want >= $5): $base.*"
        status=1
    else
        echo "flush_stress: ok $1 llsc=$4: $flushes flushes"
    fi
}

for llsc in cas excl stw; do
    run codefill build/bench/codefill.elf "copies=64 rounds=4" "$llsc" 10
    run smc-cross-vcpu build/baremetal/smc-cross-vcpu.elf "" "$llsc" 0
    run spinlock build/baremetal/spinlock.elf "" "$llsc" 0
done
exit $status
