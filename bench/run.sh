#!/bin/sh
# bench/run.sh - `iafq check` on a large return, side by side with the
# alternatives, in one run on the same file (see bench/README.md).
#
#   sh bench/run.sh build/iafq          (what `make bench` runs)
#
# Environment:
#   BENCH_ROWS=200000      T11 rows of the main file
#   BENCH_RUNS=3           runs of iafq and of the floor; the best wall time
#                          is kept (openpyxl runs once: it is the slow one)
#   BENCH_BIG=1            also run the big file (iafq and the floor only)
#   BENCH_BIG_ROWS=1000000 T11 rows of the big file (at most 1048573)
#   BENCH_BIG_RUNS=1       runs of iafq and of the floor on the big file
#   PYTHON=/usr/bin/python3  Debian's python3, with python3-openpyxl
#
# Generated files are cached in bench/out/ and rebuilt only when missing or
# older than bench/gen_big.py or tests/fixtures/gen_returns.py.
# Exit status 0 unless a tool fails to run (goals are informational).
set -u

IAFQ=${1:-build/iafq}
PY=${PYTHON:-/usr/bin/python3}
ROWS=${BENCH_ROWS:-200000}
RUNS=${BENCH_RUNS:-3}
BIG=${BENCH_BIG:-0}
BIG_ROWS=${BENCH_BIG_ROWS:-1000000}
BIG_RUNS=${BENCH_BIG_RUNS:-1}
OUT=bench/out
TIME=/usr/bin/time
SHEETS='xl/worksheets/sheet*.xml'

# goals (IAFQ issue): within 3x the floor, 20x faster than openpyxl, <100 MB
GOAL_FLOOR=3
GOAL_OPENPYXL=20
GOAL_RSS_MB=100

fail=0
die() { echo "bench: $*" >&2; exit 1; }

[ -x "$IAFQ" ] || die "$IAFQ: not built (make)"
[ -x "$TIME" ] || die "$TIME missing: GNU time, Debian package 'time' (make deps)"
command -v unzip >/dev/null 2>&1 || die "unzip missing (make deps)"
[ -x "$PY" ] || die "$PY missing (make deps)"
mkdir -p "$OUT" || die "cannot create $OUT"
TMP=$OUT/.time.$$
trap 'rm -f "$TMP" "$TMP.err"' EXIT INT TERM

# label 200000 -> 200k, 1000000 -> 1m
label() {
    awk -v n="$1" 'BEGIN {
        if (n % 1000000 == 0) printf "%dm", n / 1000000;
        else if (n % 1000 == 0) printf "%dk", n / 1000;
        else printf "%d", n }'
}

# gen ROWS -> sets FILE, CELLS
gen() {
    FILE=$OUT/big_$(label "$1").xlsx
    if [ ! -f "$FILE" ] || [ ! -f "$FILE.cells" ] || [ -n "$(find \
        bench/gen_big.py tests/fixtures/gen_returns.py -newer "$FILE")" ]; then
        "$PY" bench/gen_big.py "$FILE" "$1" ||
            die "gen_big.py $FILE $1 failed"
    fi
    CELLS=$(cat "$FILE.cells")
}

# measure NAME OUTFILE CMD... -> one run; sets W (s), M (KB), RC
measure() {
    _out=$2
    shift 2
    "$TIME" -f '%e %M' -o "$TMP" "$@" >"$_out" 2>"$TMP.err"
    RC=$?
    # GNU time prefixes "Command exited with non-zero status N" on failure
    # shellcheck disable=SC2046 # split "WALL RSS" into $1 $2
    set -- $(tail -n 1 "$TMP")
    W=${1:-0}
    M=${2:-0}
}

# best NRUNS OUTFILE CMD... -> best wall BW, highest peak RSS BM over the runs,
# exit status BRC of the last run
best() {
    _n=$1
    shift
    BW=
    BM=0
    _i=0
    while [ "$_i" -lt "$_n" ]; do
        measure x "$@"
        BRC=$RC
        BW=$(awk -v a="$BW" -v b="$W" 'BEGIN { print (a == "" || b < a) ? b : a }')
        BM=$(awk -v a="$BM" -v b="$M" 'BEGIN { print (b > a) ? b : a }')
        _i=$((_i + 1))
    done
}

row() { # tool wall rss_kb floor_wall
    awk -v t="$1" -v w="$2" -v m="$3" -v f="$4" -v c="$CELLS" 'BEGIN {
        cps = (w > 0) ? sprintf("%.0f", c / w) : "inf";
        vf = (f > 0) ? sprintf("%.1fx", w / f) : "-";
        printf "%-24s %8.2f %12s %12.1f %9s\n", t, w, cps, m / 1024, vf }'
}

verdict() { # label value op goal unit
    awk -v l="$1" -v v="$2" -v op="$3" -v g="$4" -v u="$5" 'BEGIN {
        ok = (op == "<=") ? (v <= g) : (op == "<") ? (v < g) : (v >= g);
        printf "  %-36s %8.1f%s (goal %s %s%s)  %s\n", l, v, u, op, g, u,
            ok ? "PASS" : "MISS" }'
}

header() {
    echo
    echo "== $FILE: $1 T11 rows, $CELLS non-empty cells," \
        "$(awk -v b="$(wc -c <"$FILE")" 'BEGIN { printf "%.1f", b / 1e6 }') MB" \
        "($(unzip -l "$FILE" "$SHEETS" | awk 'END { printf "%.1f", $1 / 1e6 }') MB of sheet XML); $2"
    printf "%-24s %8s %12s %12s %9s\n" tool wall_s cells_per_s peak_rss_MB vs_floor
}

check_iafq() { # reports the exit status and the counts of the last run
    case $BRC in
    0 | 1) ;;
    *) echo "bench: iafq check exited $BRC:" >&2; cat "$TMP.err" >&2; fail=1 ;;
    esac
    ICOUNTS=$(tr -d ' \t\n' <"$OUT/check.json" |
        sed -n 's/.*"counts":{"errors":\([0-9]*\),"warnings":\([0-9]*\)}.*/\1 errors, \2 warnings/p')
}

CPU=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)
echo "iafq bench: $(nproc) CPU x ${CPU:-unknown}, $(uname -sr)," \
    "load average $(cut -d' ' -f1-3 /proc/loadavg)"

# ---- main file: iafq, openpyxl, floor -------------------------------------
gen "$ROWS"

best "$RUNS" /dev/null unzip -p "$FILE" "$SHEETS"
[ "$BRC" -eq 0 ] || { echo "bench: unzip exited $BRC" >&2; fail=1; }
FW=$BW FM=$BM
best "$RUNS" /dev/null unzip -p "$FILE" "$SHEETS" xl/sharedStrings.xml
SW=$BW SM=$BM

best "$RUNS" "$OUT/check.json" "$IAFQ" check --format json "$FILE"
check_iafq
IW=$BW IM=$BM IRC=$BRC

measure x "$OUT/openpyxl.count" "$PY" bench/openpyxl_read.py "$FILE"
OW=$W OM=$M
if [ "$RC" -ne 0 ]; then
    echo "bench: openpyxl read failed (python3-openpyxl: make deps):" >&2
    cat "$TMP.err" >&2
    fail=1
elif [ "$(cat "$OUT/openpyxl.count")" != "$CELLS" ]; then
    echo "bench: note: openpyxl counted $(cat "$OUT/openpyxl.count") cells," \
        "gen_big.py wrote $CELLS"
fi

header "$ROWS" "best of $RUNS, openpyxl 1 run"
row "iafq check" "$IW" "$IM" "$FW"
row "openpyxl read-only" "$OW" "$OM" "$FW"
row "unzip -p sheets (floor)" "$FW" "$FM" "$FW"
row "unzip -p sheets+sst" "$SW" "$SM" "$FW"
echo "iafq check --format json: exit $IRC, ${ICOUNTS:-no counts in the report}"
verdict "iafq / floor" "$(awk -v a="$IW" -v b="$FW" 'BEGIN { print (b > 0) ? a / b : 0 }')" "<=" "$GOAL_FLOOR" x
verdict "openpyxl / iafq" "$(awk -v a="$OW" -v b="$IW" 'BEGIN { print (b > 0) ? a / b : 0 }')" ">=" "$GOAL_OPENPYXL" x
verdict "iafq peak RSS" "$(awk -v m="$IM" 'BEGIN { print m / 1024 }')" "<" "$GOAL_RSS_MB" " MB"

# ---- big file: iafq and the floor only -------------------------------------
if [ "$BIG" = 1 ]; then
    SMALL_IM=$IM
    gen "$BIG_ROWS"
    best "$BIG_RUNS" /dev/null unzip -p "$FILE" "$SHEETS"
    [ "$BRC" -eq 0 ] || { echo "bench: unzip exited $BRC" >&2; fail=1; }
    FW=$BW FM=$BM
    best "$BIG_RUNS" "$OUT/check.json" "$IAFQ" check --format json "$FILE"
    check_iafq
    IW=$BW IM=$BM IRC=$BRC
    header "$BIG_ROWS" "best of $BIG_RUNS"
    row "iafq check" "$IW" "$IM" "$FW"
    echo "openpyxl read-only       (skipped on the big file: it takes minutes)"
    row "unzip -p sheets (floor)" "$FW" "$FM" "$FW"
    echo "iafq check --format json: exit $IRC, ${ICOUNTS:-no counts in the report}"
    verdict "iafq / floor" "$(awk -v a="$IW" -v b="$FW" 'BEGIN { print (b > 0) ? a / b : 0 }')" "<=" "$GOAL_FLOOR" x
    verdict "iafq peak RSS" "$(awk -v m="$IM" 'BEGIN { print m / 1024 }')" "<" "$GOAL_RSS_MB" " MB"
    awk -v a="$IM" -v b="$SMALL_IM" -v r1="$ROWS" -v r2="$BIG_ROWS" 'BEGIN {
        printf "  peak RSS %.1f MB at %d rows vs %.1f MB at %d rows (x%.2f for x%.1f rows)\n",
            a / 1024, r2, b / 1024, r1, (b > 0) ? a / b : 0, r2 / r1 }'
else
    echo
    echo "(big file skipped: BENCH_BIG=1 make bench adds $BIG_ROWS T11 rows, iafq and floor only)"
fi

exit $fail
