#!/usr/bin/env bash
# bench_smp.sh — the SMP part of `make bench`: three multi-CPU guests
# (llsc-counter, spinlock, smc-cross-vcpu) at several vCPU counts on QEMU
# and on strex-emu with each LL/SC strategy, as ratios of wall time, and
# the peak RSS of every emulator.
#
#   scripts/bench_smp.sh [--strex PATH] [--qemu PATH] [--repeat N]
#                        [--images DIR] [--out DIR] [--timeout S]
#                        [--smp LIST] [--llsc LIST] [--thread single|multi]
#                        [--args NAME=ARGS] [NAME...]
#
# For each guest and each N in --smp (default 1,2,4,8), QEMU runs
#     qemu-system-arm -M virt -cpu cortex-a15 -m 128 -smp N -nographic
#         -semihosting -accel tcg,thread=multi -kernel IMAGE -append ARGS
# and strex-emu the same line with -accel tcg,thread=T,llsc=X for each X
# in --llsc (default cas,excl,stw). T is multi unless --thread or
# $STREX_BENCH_THREAD says single; QEMU always runs thread=multi.
# Each command runs --repeat times (default 3, or $BENCH_REPEAT), one at a
# time, under GNU time: the wall time kept is the best run (noise on a
# shared host only ever adds time), the RSS the largest (%M, KiB).
#
# A run counts only if the guest exits 0, printed at least one "ok" line
# and no "not ok" or "Bail out!" line (the harness's rule): the guests
# check their own results (lost updates, mixed code versions). A failed
# run (also a timeout, default 60 s) shows as FAIL in the table and makes
# the script exit 1, but the table is finished first.
#
# Writes OUT/bench-smp.md and OUT/bench-smp.json (default out/bench-smp),
# and each run's output as OUT/NAME.smpN.EMU.I.{out,err,time}, EMU being
# qemu or strex-X. Exit status: 0 every run passed, 1 a run failed, 2
# usage. docs/bench.md ("SMP benchmarks") explains the table.
set -u

strex=${STREX_EMU:-build/strex-emu}
qemu=${STREX_QEMU:-qemu-system-arm}
repeat=${BENCH_REPEAT:-3}
thread=${STREX_BENCH_THREAD:-multi}
images=build/baremetal
out=out/bench-smp
timeout_s=60
smp_list=1,2,4,8
llsc_list=cas,excl,stw
names=()
gnu_time=/usr/bin/time

# Guest sizes (-append): about 1 s of QEMU at -smp 8 on an idle 2-core
# host (up to 4 s busy), and the whole default run in about 6 minutes
# there. The per-CPU work is fixed, so the total grows with the vCPUs.
declare -A guest_args=(
    [llsc-counter]="iters=1000000"
    [spinlock]="iters=2000"
    [smc-cross-vcpu]="versions=2000"
)

usage() {
    sed -n '2,/^set -u/p' "$0" | sed 's/^# \{0,1\}//; /^set -u/d' >&2
    exit 2
}

die_usage() { echo "bench_smp.sh: $*" >&2; exit 2; }

while [ $# -gt 0 ]; do
    case $1 in
    --strex|--qemu|--repeat|--images|--out|--timeout|--smp|--llsc|--thread|--args)
        [ $# -ge 2 ] || die_usage "$1 wants a value" ;;
    esac
    case $1 in
    --strex) strex=$2; shift 2 ;;
    --qemu) qemu=$2; shift 2 ;;
    --repeat) repeat=$2; shift 2 ;;
    --images) images=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    --timeout) timeout_s=$2; shift 2 ;;
    --smp) smp_list=$2; shift 2 ;;
    --llsc) llsc_list=$2; shift 2 ;;
    --thread) thread=$2; shift 2 ;;
    --args) guest_args[${2%%=*}]=${2#*=}; shift 2 ;;
    -h|--help) usage ;;
    -*) echo "bench_smp.sh: unknown option $1" >&2; usage ;;
    *) names+=("$1"); shift ;;
    esac
done

case $repeat in ''|*[!0-9]*|0) die_usage "--repeat wants a positive number" ;; esac
case $timeout_s in ''|*[!0-9]*|0) die_usage "--timeout wants a positive number of seconds" ;; esac
case $thread in single|multi) ;; *) die_usage "--thread wants single or multi" ;; esac
IFS=, read -r -a smps <<<"$smp_list"
IFS=, read -r -a llscs <<<"$llsc_list"
[ ${#smps[@]} -gt 0 ] || die_usage "--smp wants a list such as 1,2,4,8"
for n in "${smps[@]}"; do
    case $n in [1-8]) ;; *) die_usage "--smp: '$n' is not a vCPU count 1..8" ;; esac
done
for x in "${llscs[@]}"; do
    case $x in cas|excl|stw) ;; *) die_usage "--llsc: '$x' is not cas, excl or stw" ;; esac
done
[ ${#names[@]} -gt 0 ] || names=(llsc-counter spinlock smc-cross-vcpu)
for n in "${names[@]}"; do
    [ -f "$images/$n.elf" ] || die_usage "no image $images/$n.elf (run make guest)"
    [ -n "${guest_args[$n]+set}" ] || guest_args[$n]=""
done
command -v "$qemu" >/dev/null 2>&1 || die_usage "QEMU '$qemu' not found"
[ -x "$gnu_time" ] || die_usage "$gnu_time (GNU time, Debian package time) not found"
have_strex=0
[ -x "$strex" ] && have_strex=1
mkdir -p "$out" || exit 2

now() { date +%s.%N; }

# run_one LOG ACCEL SMP IMAGE ARGS BINARY: one timed run. Prints
# "SECONDS RSS_KIB", or "FAIL reason".
run_one() {
    local log=$1 accel=$2 smp=$3 image=$4 args=$5 bin=$6 t0 t1 rc rss

    t0=$(now)
    "$gnu_time" -f '%M' -o "$log.time" timeout "$timeout_s" "$bin" -M virt \
        -cpu cortex-a15 -m 128 -smp "$smp" -nographic -semihosting \
        -accel "$accel" -kernel "$image" -append "$args" \
        >"$log.out" 2>"$log.err" </dev/null
    rc=$?
    t1=$(now)
    if [ $rc -eq 124 ]; then echo "FAIL timeout"; return; fi
    if [ $rc -ne 0 ]; then echo "FAIL exit-$rc"; return; fi
    if grep -q -e '^not ok' -e '^Bail out!' "$log.out" || ! grep -q '^ok' "$log.out"; then
        echo "FAIL not-ok"; return
    fi
    rss=$(tail -n 1 "$log.time")
    awk -v a="$t0" -v b="$t1" -v r="$rss" 'BEGIN { printf "%.3f %d\n", b - a, r }'
}

# best LABEL ACCEL NAME SMP BINARY: "BEST_SECONDS MAX_RSS_KIB ALL" over
# $repeat runs (ALL: every run's seconds, comma-separated), or
# "FAIL reason" at the first failed run.
best() {
    local label=$1 accel=$2 name=$3 smp=$4 bin=$5 b="" r=0 all="" res t k
    for i in $(seq 1 "$repeat"); do
        res=$(run_one "$out/$name.smp$smp.$label.$i" "$accel" "$smp" \
            "$images/$name.elf" "${guest_args[$name]}" "$bin")
        case $res in FAIL*) echo "$res"; return ;; esac
        read -r t k <<<"$res"
        if [ -z "$b" ] || awk -v t="$t" -v b="$b" 'BEGIN { exit !(t < b) }'; then b=$t; fi
        [ "$k" -gt "$r" ] && r=$k
        all+=${all:+,}$t
    done
    echo "$b $r $all"
}

# Fields of a passing best() result.
wall_of() { echo "${1%% *}"; }
rss_of() { local f; read -r -a f <<<"$1"; echo "${f[1]}"; }
all_of() { echo "${1##* }"; }
passed() { case $1 in FAIL*|n/a) return 1 ;; esac; }

mib() { awk -v k="$1" 'BEGIN { printf "%.1f\n", k / 1024 }'; }
ratio() { awk -v s="$1" -v q="$2" 'BEGIN { printf "%.2f\n", s / q }'; }

# time_cell / rss_cell RESULT: the table's cells for a best() result.
time_cell() { if passed "$1"; then wall_of "$1"; else echo "$1"; fi; }
rss_cell() { if passed "$1"; then mib "$(rss_of "$1")"; else echo -; fi; }

# json_res RESULT [QEMU_RESULT]: {"wall_s", "rss_kib", "runs_s"[, "over_qemu"]}.
json_res() {
    local over=""
    if [ $# -ge 2 ]; then
        over=', "over_qemu": null'
        passed "$1" && passed "$2" &&
            over=", \"over_qemu\": $(ratio "$(wall_of "$1")" "$(wall_of "$2")")"
    fi
    if passed "$1"; then
        printf '{"wall_s": %s, "rss_kib": %s, "runs_s": [%s]%s}' "$(wall_of "$1")" \
            "$(rss_of "$1")" "$(all_of "$1" | sed 's/,/, /g')" "$over"
    else
        printf '{"wall_s": "%s", "rss_kib": null, "runs_s": null%s}' "$1" "$over"
    fi
}

fail=0
rows=()
json_items=()
for n in "${names[@]}"; do
    for s in "${smps[@]}"; do
        echo "bench_smp.sh: $n -smp $s" >&2
        q=$(best qemu tcg,thread=multi "$n" "$s" "$qemu")
        case $q in FAIL*) fail=1 ;; esac
        row="| $n | $s | $(time_cell "$q") | $(rss_cell "$q")"
        js=()
        for x in "${llscs[@]}"; do
            st=n/a
            if [ $have_strex = 1 ]; then
                st=$(best "strex-$x" "tcg,thread=$thread,llsc=$x" "$n" "$s" "$strex")
            fi
            case $st in FAIL*) fail=1 ;; esac
            r=n/a
            passed "$st" && passed "$q" && r=$(ratio "$(wall_of "$st")" "$(wall_of "$q")")
            row+=" | $(time_cell "$st") | $r | $(rss_cell "$st")"
            js+=("\"$x\": $(json_res "$st" "$q")")
        done
        rows+=("$row |")
        strex_json=null
        if [ $have_strex = 1 ]; then
            strex_json="{${js[0]}"
            for j in "${js[@]:1}"; do strex_json+=", $j"; done
            strex_json+="}"
        fi
        json_items+=("$(printf '    {"name": "%s", "smp": %s, "args": "%s", "qemu": %s, "strex": %s}' \
            "$n" "$s" "${guest_args[$n]}" "$(json_res "$q")" "$strex_json")")
    done
done

{
    echo "# SMP benchmarks: strex-emu vs QEMU (best of $repeat, peak RSS)"
    echo
    if [ $have_strex = 1 ]; then
        echo "strex-emu: \`$strex\` with \`-accel tcg,thread=$thread,llsc=X\`; QEMU: \`$qemu\` with \`-accel tcg,thread=multi\`."
    else
        echo "strex-emu not found at \`$strex\`: QEMU only."
    fi
    sep=""
    printf 'Guest arguments (-append):'
    for n in "${names[@]}"; do printf "%s %s \`%s\`" "$sep" "$n" "${guest_args[$n]}"; sep=,; done
    echo .
    echo
    hdr="| guest | vCPUs | QEMU s | QEMU RSS MiB"
    sep="|---|---:|---:|---:"
    for x in "${llscs[@]}"; do
        hdr+=" | $x s | $x/QEMU | $x RSS MiB"
        sep+="|---:|---:|---:"
    done
    echo "$hdr |"
    echo "$sep|"
    printf '%s\n' "${rows[@]}"
    echo
    echo "X/QEMU = strex-emu's best wall time with llsc=X over QEMU's: below 1, strex-emu is faster."
    echo "Host: $(uname -m), $(nproc) CPUs. docs/bench.md (SMP benchmarks) explains the columns."
} >"$out/bench-smp.md"

{
    echo "{"
    echo "  \"repeat\": $repeat,"
    echo "  \"timeout_s\": $timeout_s,"
    echo "  \"host_cpus\": $(nproc),"
    echo "  \"thread\": \"$thread\","
    echo "  \"strex\": $([ $have_strex = 1 ] && echo "\"$strex\"" || echo null),"
    echo "  \"qemu\": \"$qemu\","
    echo "  \"runs\": ["
    for i in "${!json_items[@]}"; do
        [ "$i" -gt 0 ] && echo ","
        printf '%s' "${json_items[$i]}"
    done
    echo
    echo "  ]"
    echo "}"
} >"$out/bench-smp.json"

cat "$out/bench-smp.md"
echo
echo "wrote $out/bench-smp.md and $out/bench-smp.json"
exit $fail
