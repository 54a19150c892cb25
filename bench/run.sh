#!/bin/sh
# bench/run.sh - `iafq check` on a large return, side by side with the
# alternatives, in one run on the same file (see bench/README.md).
#
#   sh bench/run.sh build/iafq          (what `make bench` runs)
#
# Environment:
#   BENCH_ROWS=100000      T11 rows of the main file
#   BENCH_RUNS=5           rounds on the main file; each round runs the floor,
#                          this iafq and the previous main's iafq in turn (so
#                          all three see the same machine load); the best wall
#                          time of each is kept (openpyxl runs once: it is the
#                          slow one)
#   BENCH_PREV=1967b1c     the previous main: that commit is extracted with
#                          `git archive` into bench/out/prev-COMMIT/ and built
#                          there once (cached); empty to skip it
#   BENCH_BIG=1            also run the big file (iafq and the floor only)
#   BENCH_BIG_ROWS=1000000 T11 rows of the big file (at most 1048573)
#   BENCH_BIG_RUNS=1       runs of iafq and of the floor on the big file
#   BENCH_OPENPYXL=0       skip openpyxl (quicker)
#   CC=cc                  compiles bench/expat_alone.c (expat with handlers
#                          that do nothing, on the inflated sheets: the
#                          parser's own share), timed in the same rounds
#   PYTHON=/usr/bin/python3  Debian's python3, with python3-openpyxl
#
# Generated files are cached in bench/out/ and rebuilt only when missing or
# older than bench/gen_big.py or tests/fixtures/gen_returns.py.
# Exit status 0 unless a tool fails to run (goals are informational).
set -u

IAFQ=${1:-build/iafq}
PY=${PYTHON:-/usr/bin/python3}
ROWS=${BENCH_ROWS:-100000}
RUNS=${BENCH_RUNS:-5}
PREV=${BENCH_PREV-1967b1c}
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

# measure NAME OUTFILE CMD... -> one run; sets W (wall s), M (KB), C (user +
# system CPU s), RC
measure() {
    _out=$2
    shift 2
    "$TIME" -f '%e %M %U %S' -o "$TMP" "$@" >"$_out" 2>"$TMP.err"
    RC=$?
    # GNU time prefixes "Command exited with non-zero status N" on failure
    # shellcheck disable=SC2046 # split "WALL RSS USER SYS" into $1..$4
    set -- $(tail -n 1 "$TMP")
    W=${1:-0}
    M=${2:-0}
    C=$(awk -v u="${3:-0}" -v s="${4:-0}" 'BEGIN { print u + s }')
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

row() { # tool wall rss_kb floor_wall [cpu floor_cpu]
    awk -v t="$1" -v w="$2" -v m="$3" -v f="$4" -v c="$CELLS" -v u="${5:-}" \
        -v fu="${6:-}" 'BEGIN {
        cps = (w > 0) ? sprintf("%.0f", c / w) : "inf";
        vf = (f > 0) ? sprintf("%.2fx", w / f) : "-";
        cs = (u == "") ? "-" : sprintf("%.2f", u);
        vc = (u == "" || fu == "" || fu <= 0) ? "-" : sprintf("%.2fx", u / fu);
        printf "%-30s %8.2f %12s %12.1f %9s %7s %9s\n", t, w, cps, m / 1024, vf, cs, vc }'
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
    printf "%-30s %8s %12s %12s %9s %7s %9s\n" tool wall_s cells_per_s peak_rss_MB vs_floor cpu_s cpu/floor
}

check_iafq() { # reports the exit status and the counts of the last run
    case $BRC in
    0 | 1) ;;
    *) echo "bench: iafq check exited $BRC:" >&2; cat "$TMP.err" >&2; fail=1 ;;
    esac
    ICOUNTS=$(tr -d ' \t\n' <"$OUT/check.json" |
        sed -n 's/.*"counts":{"errors":\([0-9]*\),"warnings":\([0-9]*\)}.*/\1 errors, \2 warnings/p')
}

# build_prev -> PREV_BIN: the previous main's iafq, built once from git
PREV_BIN=
build_prev() {
    [ -n "$PREV" ] || return 0
    if ! command -v git >/dev/null 2>&1 ||
        ! sha=$(git rev-parse --short "$PREV^{commit}" 2>/dev/null); then
        echo "bench: note: no commit $PREV here (git missing, or a shallow" \
            "clone): the previous main is skipped (BENCH_PREV=COMMIT)" >&2
        return 0
    fi
    dir=$OUT/prev-$sha
    if [ ! -x "$dir/build/iafq" ]; then
        echo "bench: building the previous main ($sha) in $dir"
        rm -rf "$dir" && mkdir -p "$dir" &&
            git archive "$sha" | tar -x -C "$dir" &&
            make -C "$dir" -j2 all >"$dir.log" 2>&1 || {
            echo "bench: note: cannot build $sha (see $dir.log): the" \
                "previous main is skipped" >&2
            return 0
        }
    fi
    PREV_BIN=$dir/build/iafq
}

CPU=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)
echo "iafq bench: $(nproc) CPU x ${CPU:-unknown}, $(uname -sr)," \
    "load average $(cut -d' ' -f1-3 /proc/loadavg)"

# ---- main file: iafq, the previous main, openpyxl, floor -------------------
build_prev
gen "$ROWS"

# expat alone on the inflated sheets (the parser's own share of iafq check:
# bench/expat_alone.c), measured in the same rounds
EXPAT_BIN=$OUT/expat_alone
XW= XC= XM=0 SHEETFILES=
if [ ! -x "$EXPAT_BIN" ] || [ bench/expat_alone.c -nt "$EXPAT_BIN" ]; then
    ${CC:-cc} -O2 -o "$EXPAT_BIN" bench/expat_alone.c -lexpat 2>/dev/null ||
        rm -f "$EXPAT_BIN"
fi
SHEETDIR=$OUT/sheets.$$
trap 'rm -rf "$TMP" "$TMP.err" "$SHEETDIR"' EXIT INT TERM
if [ -x "$EXPAT_BIN" ] && mkdir -p "$SHEETDIR" &&
    unzip -q -o "$FILE" "$SHEETS" -d "$SHEETDIR"; then
    SHEETFILES=$(ls "$SHEETDIR"/xl/worksheets/sheet*.xml)
fi

# rounds: floor, this iafq, the previous main's iafq, in turn; best of each
FW= FM=0 FC= IW= IM=0 IC= PW= PM=0 PC= IRC=0 PRC=0
minw() { awk -v a="$1" -v b="$2" 'BEGIN { print (a == "" || b < a) ? b : a }'; }
maxm() { awk -v a="$1" -v b="$2" 'BEGIN { print (b > a) ? b : a }'; }
r=0
while [ "$r" -lt "$RUNS" ]; do
    measure x /dev/null unzip -p "$FILE" "$SHEETS"
    [ "$RC" -eq 0 ] || { echo "bench: unzip exited $RC" >&2; fail=1; }
    FW=$(minw "$FW" "$W") FM=$(maxm "$FM" "$M") FC=$(minw "$FC" "$C")
    measure x "$OUT/check.json" "$IAFQ" check --format json "$FILE"
    BRC=$RC
    check_iafq
    IW=$(minw "$IW" "$W") IM=$(maxm "$IM" "$M") IC=$(minw "$IC" "$C") IRC=$RC
    if [ -n "$PREV_BIN" ]; then
        measure x "$OUT/check_prev.json" "$PREV_BIN" check --format json "$FILE"
        case $RC in 0 | 1) ;; *) echo "bench: previous iafq exited $RC" >&2; fail=1 ;; esac
        PW=$(minw "$PW" "$W") PM=$(maxm "$PM" "$M") PC=$(minw "$PC" "$C") PRC=$RC
    fi
    if [ -n "$SHEETFILES" ]; then
        # shellcheck disable=SC2086 # one argument per sheet file
        measure x /dev/null "$EXPAT_BIN" $SHEETFILES
        [ "$RC" -eq 0 ] && XW=$(minw "$XW" "$W") XC=$(minw "$XC" "$C") XM=$(maxm "$XM" "$M")
    fi
    r=$((r + 1))
done
best "$RUNS" /dev/null unzip -p "$FILE" "$SHEETS" xl/sharedStrings.xml
SW=$BW SM=$BM
rm -rf "$SHEETDIR"

if [ "${BENCH_OPENPYXL:-1}" = 0 ]; then
    OW=0 OM=0
elif ! measure x "$OUT/openpyxl.count" "$PY" bench/openpyxl_read.py "$FILE" ||
    [ "$RC" -ne 0 ]; then
    echo "bench: openpyxl read failed (python3-openpyxl: make deps):" >&2
    cat "$TMP.err" >&2
    fail=1
else
    OW=$W OM=$M
fi
if [ "${BENCH_OPENPYXL:-1}" != 0 ] && [ "$(cat "$OUT/openpyxl.count")" != "$CELLS" ]; then
    echo "bench: note: openpyxl counted $(cat "$OUT/openpyxl.count") cells," \
        "gen_big.py wrote $CELLS"
fi

header "$ROWS" "best of $RUNS rounds, openpyxl 1 run"
row "iafq check" "$IW" "$IM" "$FW" "$IC" "$FC"
[ -n "$PREV_BIN" ] && row "iafq check, prev main $PREV" "$PW" "$PM" "$FW" "$PC" "$FC"
[ "${BENCH_OPENPYXL:-1}" = 0 ] || row "openpyxl read-only" "$OW" "$OM" "$FW"
row "unzip -p sheets (floor)" "$FW" "$FM" "$FW" "$FC" "$FC"
row "unzip -p sheets+sst" "$SW" "$SM" "$FW"
[ -n "$XW" ] && row "expat alone (no handler work)" "$XW" "$XM" "$FW" "$XC" "$FC"
echo "iafq check --format json: exit $IRC, ${ICOUNTS:-no counts in the report}"
verdict "iafq / floor" "$(awk -v a="$IW" -v b="$FW" 'BEGIN { print (b > 0) ? a / b : 0 }')" "<=" "$GOAL_FLOOR" x
[ -n "$PREV_BIN" ] &&
    verdict "prev main $PREV / floor" "$(awk -v a="$PW" -v b="$FW" 'BEGIN { print (b > 0) ? a / b : 0 }')" "<=" "$GOAL_FLOOR" x
[ "${BENCH_OPENPYXL:-1}" = 0 ] || verdict "openpyxl / iafq" "$(awk -v a="$OW" -v b="$IW" 'BEGIN { print (b > 0) ? a / b : 0 }')" ">=" "$GOAL_OPENPYXL" x
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

echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
exit $fail
