#!/bin/bash
# chaining.sh — TB chaining changes how fast a guest runs, never what it does.
#
#     bash tests/chaining.sh [STREX_EMU [OUT_DIR]]
#
# Runs llsc-monitor and swp (one vCPU; their instruction counts do not
# depend on host time) with chaining and with -d nochain, and checks:
#   - both runs exit 0;
#   - they execute the same guest instructions ("insns") and enter the
#     same TBs (tbs_executed + tbs_chained);
#   - chaining linked slots and entered chained TBs; -d nochain did neither;
#   - -d exec prints "Linking TBs" lines with chaining, none with nochain.
# Exit status 0 when all holds, 1 with one line per broken promise.
set -u

emu=${1:-build/strex-emu}
out=${2:-out/chaining}
status=0

mkdir -p "$out" || exit 1

fail() {
    echo "chaining: $*"
    status=1
}

run() { # test tag -d-items
    "$emu" -M virt -cpu cortex-a15 -nographic -semihosting -smp 1 \
        -kernel "build/baremetal/$1.elf" -stats "$out/$1.$2.stats.json" \
        ${3:+-d "$3"} -D "$out/$1.$2.log" >"$out/$1.$2.out" 2>&1
    echo $?
}

# shellcheck source=tests/stats.sh
. "$(dirname "$0")/stats.sh"

for t in llsc-monitor swp; do
    rc_c=$(run "$t" chain exec)
    rc_n=$(run "$t" nochain nochain,exec)
    [ "$rc_c" = 0 ] || fail "$t with chaining exited $rc_c ($out/$t.chain.out)"
    [ "$rc_n" = 0 ] || fail "$t with -d nochain exited $rc_n ($out/$t.nochain.out)"
    c="$out/$t.chain.stats.json"
    n="$out/$t.nochain.stats.json"
    insns_c=$(stats_counter "$c" insns)
    insns_n=$(stats_counter "$n" insns)
    [ -n "$insns_c" ] && [ "$insns_c" = "$insns_n" ] ||
        fail "$t: $insns_c instructions with chaining, $insns_n without"
    tbs_c=$(( $(stats_counter "$c" tbs_executed) + $(stats_counter "$c" tbs_chained) ))
    tbs_n=$(( $(stats_counter "$n" tbs_executed) + $(stats_counter "$n" tbs_chained) ))
    [ "$tbs_c" = "$tbs_n" ] || fail "$t: $tbs_c TBs entered with chaining, $tbs_n without"
    [ "$(stats_counter "$c" tb_links)" -gt 0 ] && [ "$(stats_counter "$c" tbs_chained)" -gt 0 ] ||
        fail "$t: chaining linked nothing ($c)"
    [ "$(stats_counter "$n" tb_links)" = 0 ] && [ "$(stats_counter "$n" tbs_chained)" = 0 ] ||
        fail "$t: -d nochain still chained ($n)"
    grep -q '^Linking TBs' "$out/$t.chain.log" || fail "$t: no 'Linking TBs' line in -d exec"
    ! grep -q '^Linking TBs' "$out/$t.nochain.log" || fail "$t: 'Linking TBs' under -d nochain"
    [ $status = 0 ] && echo "chaining: ok $t: $insns_c instructions, $tbs_c TBs," \
        "$(stats_counter "$c" tbs_chained) chained through $(stats_counter "$c" tb_links) links"
done
exit $status
