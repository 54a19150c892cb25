#!/bin/sh
# The README's first command ends here: run iafq's main job of this version
# (offline checking) on the bundled sample returns.  Outputs go to out/.
set -u
iafq=${1:-build/iafq}
out=${IAFQ_OUT:-out}
mkdir -p "$out"

echo "== iafq template -o $out/iafq-template.xlsx"
"$iafq" template -o "$out/iafq-template.xlsx" || exit 3

echo
echo "== iafq check samples/* (text report; mar-2021-errors.xlsx is meant to be rejected)"
"$iafq" check samples/esp-2021.xlsx samples/esp-2021-csv \
    samples/fra-2021-warnings.xlsx samples/mar-2021-errors.xlsx
status=$?
# 1 is expected: mar-2021-errors.xlsx is meant to be rejected
[ "$status" -le 1 ] || exit "$status"

echo
echo "== the published extract (portal long format): summary"
"$iafq" check --format json data/dataunodc_iafq_sample.csv > "$out/published-check.json" || exit $?
grep -c '"file"' "$out/published-check.json" | sed 's/^/country-years read: /'

echo
echo "== JSON report and feedback workbook for the rejected sample"
"$iafq" check --format json --feedback "$out/mar-2021-feedback.xlsx" \
    samples/mar-2021-errors.xlsx > "$out/mar-2021-check.json"
[ $? -le 1 ] || exit 3
echo "written: $out/iafq-template.xlsx $out/published-check.json" \
     "$out/mar-2021-check.json $out/mar-2021-feedback.xlsx"
