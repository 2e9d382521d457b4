#!/usr/bin/env bash
# bench.sh — `make bench`: the compute benchmarks (baremetal/bench/*.c) on
# strex-emu and on QEMU, one after the other, single vCPU, and their guest
# MIPS.
#
#   scripts/bench.sh [--strex PATH] [--qemu PATH] [--repeat N] [--images DIR]
#                    [--out DIR] [--timeout S] [NAME...]
#
# Each image runs --repeat times (default 3, or $BENCH_REPEAT) on each
# emulator with the qemu-system-arm command line
#     EMU -M virt -cpu cortex-a15 -m 128 -smp 1 -nographic -semihosting -kernel IMAGE
# (strex-emu also gets -stats FILE). The wall time kept is the best run:
# noise on a shared host only ever adds time. A run counts only if the
# guest exits 0 and printed "ok": a benchmark checks its own result.
#
# Guest instructions come from strex-emu's -stats JSON (top-level integer
# "insns"); QEMU runs the same image, hence the same instructions, so
# MIPS = insns / best wall seconds / 1e6 for both, and the ratio
# strex/QEMU is the ratio of their speeds. Without strex-emu, only QEMU's
# wall times are printed and MIPS are "n/a".
#
# Why a script and not a `strex` subcommand: it only starts processes and
# times them; there is no logic here worth a unit test, and the command
# lines it prints are the whole method. docs/bench.md explains the table.
#
# Writes OUT/bench.md and OUT/bench.json (default out/bench), and each
# run's output as OUT/NAME.EMU.N.{out,err}. Exit status: 0 every run
# passed, 1 a benchmark failed (crash, timeout, wrong result), 2 usage.
set -u

strex=${STREX_EMU:-build/strex-emu}
qemu=${STREX_QEMU:-qemu-system-arm}
repeat=${BENCH_REPEAT:-3}
images=build/bench
out=out/bench
timeout_s=600
names=()

usage() {
    sed -n '2,/^set -u/p' "$0" | sed 's/^# \{0,1\}//; /^set -u/d' >&2
    exit 2
}

while [ $# -gt 0 ]; do
    case $1 in
    --strex) strex=$2; shift 2 ;;
    --qemu) qemu=$2; shift 2 ;;
    --repeat) repeat=$2; shift 2 ;;
    --images) images=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    --timeout) timeout_s=$2; shift 2 ;;
    -h|--help) usage ;;
    -*) echo "bench.sh: unknown option $1" >&2; usage ;;
    *) names+=("$1"); shift ;;
    esac
done
case $repeat in ''|*[!0-9]*|0) echo "bench.sh: --repeat wants a positive number" >&2; exit 2 ;; esac
[ ${#names[@]} -gt 0 ] || names=(sieve matmul crc32 sort)
for n in "${names[@]}"; do
    [ -f "$images/$n.elf" ] || { echo "bench.sh: no image $images/$n.elf (run make guest)" >&2; exit 2; }
done
command -v "$qemu" >/dev/null 2>&1 || { echo "bench.sh: QEMU '$qemu' not found" >&2; exit 2; }
have_strex=0
[ -x "$strex" ] && have_strex=1
mkdir -p "$out" || exit 2

now() { date +%s.%N; }

# run_one EMU_LABEL BINARY IMAGE NAME N: one timed run; prints the wall
# seconds, or "FAIL reason".
run_one() {
    local label=$1 bin=$2 image=$3 name=$4 i=$5 t0 t1 rc extra=()
    local log="$out/$name.$label.$i"

    [ "$label" = strex ] && extra=(-stats "$out/$name.stats.json")
    t0=$(now)
    timeout "$timeout_s" "$bin" -M virt -cpu cortex-a15 -m 128 -smp 1 -nographic \
        -semihosting -kernel "$image" "${extra[@]}" >"$log.out" 2>"$log.err" </dev/null
    rc=$?
    t1=$(now)
    if [ $rc -eq 124 ]; then echo "FAIL timeout"; return; fi
    if [ $rc -ne 0 ]; then echo "FAIL exit-$rc"; return; fi
    if ! grep -q '^ok ' "$log.out"; then echo "FAIL not-ok"; return; fi
    awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f\n", b - a }'
}

# best EMU_LABEL BINARY NAME: the best wall time of $repeat runs, or FAIL.
best() {
    local label=$1 bin=$2 name=$3 b="" t
    for i in $(seq 1 "$repeat"); do
        t=$(run_one "$label" "$bin" "$images/$name.elf" "$name" "$i")
        case $t in FAIL*) echo "$t"; return ;; esac
        if [ -z "$b" ] || awk -v t="$t" -v b="$b" 'BEGIN { exit !(t < b) }'; then b=$t; fi
    done
    echo "$b"
}

# The top-level integer "insns" of a stats file, or empty.
insns_of() {
    [ -f "$1" ] || return 0
    if command -v jq >/dev/null 2>&1; then
        jq -r 'if (.insns | type) == "number" then .insns else empty end' "$1" 2>/dev/null
    else
        sed -n 's/^[[:space:]]\{0,2\}"insns"[[:space:]]*:[[:space:]]*\([0-9][0-9]*\).*/\1/p' "$1" | head -1
    fi
}

# The guest's own timing of its kernel (# kernel_ticks at # tick_hz), in
# seconds, or empty.
kernel_s_of() {
    awk -F= '/^# kernel_ticks=/ { t = $2 } /^# tick_hz=/ { h = $2 }
             END { if (t != "" && h > 0) printf "%.3f\n", t / h }' "$1" 2>/dev/null
}

mips() { # insns seconds
    if [ -z "$1" ] || case $2 in FAIL*|'') true ;; *) false ;; esac; then echo n/a; return; fi
    awk -v i="$1" -v s="$2" 'BEGIN { printf "%.1f\n", i / s / 1e6 }'
}

json_num() { [ "$1" = n/a ] && echo null || echo "$1"; }
json_time() { case $1 in FAIL*|n/a) echo "\"$1\"" ;; *) echo "$1" ;; esac; }

fail=0
rows=()
json_items=()
for n in "${names[@]}"; do
    st=n/a
    rm -f "$out/$n.stats.json"
    if [ $have_strex = 1 ]; then
        st=$(best strex "$strex" "$n")
    fi
    qt=$(best qemu "$qemu" "$n")
    insns=""
    [ $have_strex = 1 ] && insns=$(insns_of "$out/$n.stats.json")
    case $qt in FAIL*) fail=1 ;; esac
    case $st in FAIL*) fail=1 ;; esac
    qm=$(mips "$insns" "$qt")
    sm=n/a
    [ $have_strex = 1 ] && sm=$(mips "$insns" "$st")
    ratio=n/a
    if [ "$sm" != n/a ] && [ "$qm" != n/a ]; then
        ratio=$(awk -v a="$qt" -v b="$st" 'BEGIN { printf "%.3f\n", a / b }')
    fi
    rows+=("| $n | ${insns:-n/a} | $qt | $qm | $st | $sm | $ratio |")
    qk=$(kernel_s_of "$out/$n.qemu.1.out")
    sk=$(kernel_s_of "$out/$n.strex.1.out")
    sj=null
    if [ $have_strex = 1 ]; then
        sj=$(printf '{"wall_s": %s, "mips": %s, "kernel_s": %s}' "$(json_time "$st")" \
            "$(json_num "$sm")" "${sk:-null}")
    fi
    json_items+=("$(printf '    {"name": "%s", "insns": %s, "qemu": {"wall_s": %s, "mips": %s, "kernel_s": %s}, "strex": %s, "strex_over_qemu": %s}' \
        "$n" "${insns:-null}" "$(json_time "$qt")" "$(json_num "$qm")" "${qk:-null}" "$sj" \
        "$(json_num "$ratio")")")
done

{
    echo "# Benchmarks: strex-emu vs QEMU (single vCPU, best of $repeat)"
    echo
    if [ $have_strex = 1 ]; then
        echo "strex-emu: \`$strex\`; QEMU: \`$qemu\`. MIPS = guest instructions (strex-emu's \`-stats\` count) / best wall seconds."
    else
        echo "strex-emu not found at \`$strex\`: QEMU wall times only; MIPS are unavailable (the instruction count comes from strex-emu)."
    fi
    echo
    echo "| benchmark | guest insns | QEMU s | QEMU MIPS | strex s | strex MIPS | strex/QEMU |"
    echo "|---|---:|---:|---:|---:|---:|---:|"
    printf '%s\n' "${rows[@]}"
    echo
    echo "strex/QEMU > 1 means strex-emu is faster. Host: $(uname -m), $(nproc) CPUs. docs/bench.md explains the columns."
} >"$out/bench.md"

{
    echo "{"
    echo "  \"repeat\": $repeat,"
    echo "  \"strex\": $([ $have_strex = 1 ] && echo "\"$strex\"" || echo null),"
    echo "  \"qemu\": \"$qemu\","
    echo "  \"benchmarks\": ["
    for i in "${!json_items[@]}"; do
        [ "$i" -gt 0 ] && echo ","
        printf '%s' "${json_items[$i]}"
    done
    echo
    echo "  ]"
    echo "}"
} >"$out/bench.json"

cat "$out/bench.md"
echo
echo "wrote $out/bench.md and $out/bench.json"
exit $fail
