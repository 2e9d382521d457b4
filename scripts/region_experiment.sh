#!/usr/bin/env bash
# region_experiment.sh — the region experiment: how often strex-emu's code
# buffer flushes, and how full it is when it does, for one vCPU with one
# region, eight vCPUs with automatic regions and eight vCPUs with one
# fixed slice each (regions=static). docs/design/regions.md explains it
# and keeps the table.
#
#   scripts/region_experiment.sh [--strex PATH] [--image ELF] [--tb-size MB]
#                                [--append "copies=N rounds=N"]
#                                [--thread8 multi|single] [--out DIR]
#                                [--timeout S]
#
# The guest is build/bench/codefill.elf (baremetal/bench/codefill.c): it
# writes, maintains and calls many distinct copies of a 60-instruction
# function, worker w doing (w + 1) times as many as worker 0, eight
# workers spread over the vCPUs. At -smp 1 the one vCPU does all eight
# workers, so the three runs translate the same code. The runs are
#
#   1 vCPU, 1 region       -smp 1 -accel tcg,thread=single,tb-size=MB,regions=1
#   8 vCPUs, auto regions  -smp 8 -accel tcg,thread=T,tb-size=MB
#   8 vCPUs, static        -smp 8 -accel tcg,thread=T,tb-size=MB,regions=static
#
# with T = multi (one host thread per vCPU), or single with --thread8
# single (or REGIONS_THREAD8=single): with one host thread there is one
# translating context, so the 8-vCPU rows then show the one-thread
# behaviour, not the per-vCPU one. Each run also gets -stats, -d flush
# and -D; the table is read from the -stats JSON ("tb_flushes",
# "flushes"[].utilisation, "regions", "tbs_translated") with python3, and
# the flush count is checked against the -d flush log's lines.
#
# Defaults: tb-size 64 MiB, copies=512 rounds=8 (147,456 functions, about
# ten buffer fills in the 1-vCPU run). Writes OUT/regions.md and
# OUT/regions.json (default out/regions) and, per run NAME (smp1-r1,
# smp8-auto, smp8-static), OUT/NAME.{out,err,stats.json,flush.log}.
# Exit status: 0 every run passed, 1 a run failed (crash, timeout, guest
# check, inconsistent counts), 2 usage.
set -u

strex=${STREX_EMU:-build/strex-emu}
image=build/bench/codefill.elf
tb_size=64
append="copies=512 rounds=8"
thread8=${REGIONS_THREAD8:-multi}
out=out/regions
timeout_s=600

usage() {
    sed -n '2,/^set -u/p' "$0" | sed 's/^# \{0,1\}//; /^set -u/d' >&2
    exit 2
}

while [ $# -gt 0 ]; do
    case $1 in
    --strex) strex=$2; shift 2 ;;
    --image) image=$2; shift 2 ;;
    --tb-size) tb_size=$2; shift 2 ;;
    --append) append=$2; shift 2 ;;
    --thread8) thread8=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    --timeout) timeout_s=$2; shift 2 ;;
    -h|--help) usage ;;
    *) echo "region_experiment.sh: unknown argument $1" >&2; usage ;;
    esac
done
case $thread8 in multi|single) ;; *) echo "region_experiment.sh: --thread8 is multi or single" >&2; exit 2 ;; esac
case $tb_size in ''|*[!0-9]*|0) echo "region_experiment.sh: --tb-size wants MiB > 0" >&2; exit 2 ;; esac
[ -x "$strex" ] || { echo "region_experiment.sh: no strex-emu at $strex (run make)" >&2; exit 2; }
[ -f "$image" ] || { echo "region_experiment.sh: no image $image (run make guest)" >&2; exit 2; }
command -v python3 >/dev/null 2>&1 || { echo "region_experiment.sh: python3 is needed" >&2; exit 2; }
mkdir -p "$out" || exit 2

now() { date +%s.%N; }

# run NAME SMP ACCEL: one run; records its wall seconds or failure reason
# in OUT/NAME.result.
run() {
    local name=$1 smp=$2 accel=$3 t0 t1 rc log="$out/$1"
    rm -f "$log.stats.json" "$log.flush.log"
    echo "== $name: -smp $smp -accel $accel" >&2
    t0=$(now)
    timeout "$timeout_s" "$strex" -M virt -cpu cortex-a15 -m 128 -smp "$smp" -nographic \
        -semihosting -accel "$accel" -d flush -D "$log.flush.log" -stats "$log.stats.json" \
        -kernel "$image" -append "$append" >"$log.out" 2>"$log.err" </dev/null
    rc=$?
    t1=$(now)
    if [ $rc -eq 124 ]; then echo "FAIL timeout" >"$log.result"
    elif [ $rc -ne 0 ]; then echo "FAIL exit $rc: $(head -c 200 "$log.err" | head -1)" >"$log.result"
    elif grep -q '^not ok' "$log.out" || ! grep -q '^ok 2' "$log.out"; then
        echo "FAIL guest check" >"$log.result"
    else
        awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f\n", b - a }' >"$log.result"
    fi
    echo "   $(cat "$log.result")" >&2
}

base="tcg,tb-size=$tb_size"
run smp1-r1 1 "$base,thread=single,regions=1"
run smp8-auto 8 "$base,thread=$thread8"
run smp8-static 8 "$base,thread=$thread8,regions=static"

# The table and the JSON, from the three runs' files.
python3 - "$out" "$tb_size" "$append" "$thread8" <<'EOF'
import json, os, sys

out, tb_size, append, thread8 = sys.argv[1:5]
runs = [("smp1-r1", "1 vCPU, 1 region", "thread=single,regions=1"),
        ("smp8-auto", "8 vCPUs, automatic regions", "thread=%s" % thread8),
        ("smp8-static", "8 vCPUs, regions=static", "thread=%s,regions=static" % thread8)]

def pct(x):
    return "%.1f %%" % (100 * x) if x is not None else "n/a"

def one(name, label, accel):
    p = os.path.join(out, name)
    result = open(p + ".result").read().strip()
    row = {"name": name, "configuration": label, "accel": "tcg,tb-size=%s,%s" % (tb_size, accel),
           "result": result}
    try:
        st = json.load(open(p + ".stats.json"))
    except (OSError, ValueError):
        return row
    util = [f["utilisation"] for f in st.get("flushes", [])]
    with open(p + ".flush.log") as f:
        logged = sum(1 for line in f if line.startswith("flush "))
    row.update(regions=len(st["regions"]), region_size=st.get("region_size"),
               flushes=st["tb_flushes"], logged_flushes=logged,
               util_mean=sum(util) / len(util) if util else None,
               util_min=min(util) if util else None,
               tbs_translated=st["tbs_translated"],
               regions_taken=sum(r["taken"] for r in st["regions"]))
    if not result.startswith("FAIL"):
        row["wall_s"] = float(result)
    if st["tb_flushes"] != len(util) or st["tb_flushes"] != logged:
        row["result"] = "FAIL counts: tb_flushes %d, %d records, %d log lines" % (
            st["tb_flushes"], len(util), logged)
    return row

rows = [one(*r) for r in runs]
lines = ["| configuration | -accel tcg,... | regions | flushes | utilisation at flush (mean) "
         "| (min) | TBs translated | wall s |",
         "|---|---|---:|---:|---:|---:|---:|---:|"]
for r in rows:
    if "flushes" not in r or r["result"].startswith("FAIL"):
        lines.append("| %s | `%s` | %s |  |  |  |  |  |" % (r["configuration"], r["accel"],
                                                           r["result"]))
        continue
    lines.append("| %s | `%s` | %d x %d KiB | %d | %s | %s | %d | %.2f |" % (
        r["configuration"], r["accel"], r["regions"], r["region_size"] // 1024, r["flushes"],
        pct(r["util_mean"]), pct(r["util_min"]), r["tbs_translated"], r["wall_s"]))
md = ["# Region experiment", "",
      "Guest `codefill` (`-append \"%s\"`), `tb-size=%s` MiB, 8-vCPU rows with `thread=%s`. "
      "Host: %s, %d CPUs. docs/design/regions.md explains the columns." % (
          append, tb_size, thread8, os.uname().machine, os.cpu_count()), ""] + lines
open(os.path.join(out, "regions.md"), "w").write("\n".join(md) + "\n")
json.dump({"tb_size_mb": int(tb_size), "append": append, "thread8": thread8, "runs": rows},
          open(os.path.join(out, "regions.json"), "w"), indent=2)
print("\n".join(md))
sys.exit(1 if any(r["result"].startswith("FAIL") for r in rows) else 0)
EOF
rc=$?
echo
echo "wrote $out/regions.md and $out/regions.json"
exit $rc
