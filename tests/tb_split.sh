#!/bin/bash
# tb_split.sh — a block too big for one region of the code buffer is
# translated in smaller TBs, never refused.
#
#     bash tests/tb_split.sh [STREX_EMU [OUT_DIR]]
#
# Writes a raw A32 image: 1,000 LDM instructions of 12 registers each (the
# largest IR per instruction the suite has, about 1 KiB compiled) followed
# by a semihosting exit, and runs it with -accel tcg,tb-size=1,regions=15:
# 64 KiB regions, smaller than one 128-instruction TB of those LDMs. The
# run must exit 0 and -stats must show retranslations (the halving).
# Exit status 0 when all holds, 1 with one line saying what broke.
set -u

emu=${1:-build/strex-emu}
out=${2:-out/tb-split}
mkdir -p "$out" || exit 1
# shellcheck source=tests/stats.sh
. "$(dirname "$0")/stats.sh"

# word VALUE: the 32-bit value, little-endian.
word() {
    printf "\\x$(printf %02x $(($1 & 255)))\\x$(printf %02x $(($1 >> 8 & 255)))"
    printf "\\x$(printf %02x $(($1 >> 16 & 255)))\\x$(printf %02x $(($1 >> 24 & 255)))"
}

{
    word 0xe3a03000                     # mov r3, #0 (flash at 0 is readable)
    for _ in $(seq 1000); do
        word 0xe8931ff7                 # ldm r3, {r0-r2, r4-r12}
    done
    word 0xe3a00018                     # mov r0, #0x18 (SYS_EXIT)
    word 0xe3001026                     # movw r1, #0x26
    word 0xe3401002                     # movt r1, #2 (ADP_Stopped_ApplicationExit)
    word 0xef123456                     # svc 0x123456
} >"$out/ldm.bin"

"$emu" -M virt -cpu cortex-a15 -nographic -semihosting -kernel "$out/ldm.bin" \
    -accel tcg,tb-size=1,regions=15 -stats "$out/ldm.stats.json" >"$out/ldm.out" 2>&1
rc=$?
if [ $rc != 0 ]; then
    echo "tb_split: the image exited $rc ($out/ldm.out)"
    exit 1
fi
re=$(stats_counter "$out/ldm.stats.json" tb_retranslations)
if [ "${re:-0}" = 0 ]; then
    echo "tb_split: no TB was split (tb_retranslations 0 in $out/ldm.stats.json)"
    exit 1
fi
echo "tb_split: ok, $re retranslations at a smaller size"
