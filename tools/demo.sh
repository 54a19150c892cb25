#!/bin/sh
# The README's first command ends here: iafq's main job on the bundled
# sample returns, against iafq's own PostgreSQL (created and started under
# .iafq/ on first use, or $IAFQ_HOME; --db / IAFQ_DB point elsewhere).
# Outputs go to out/ (or $IAFQ_OUT): a plain folder with the template and
# the feedback workbook, and two export folders in it, out/export (the
# run's internal export) and out/public, each a link to a complete release
# switched at once (docs/decisions.md, one run per export folder).
set -u
iafq=${1:-build/iafq}
out=${IAFQ_OUT:-out}
if [ -L "$out" ]; then
    # an earlier demo made out/ an export link itself: start it afresh
    rm -f "$out" || exit 3
fi
mkdir -p "$out"

echo "== iafq template -o $out/iafq-template.xlsx  (the blank return for focal points)"
"$iafq" template -o "$out/iafq-template.xlsx" || exit 3

echo
echo "== iafq check samples/mar-2021-errors.xlsx  (what a focal point sees; it is meant to be rejected)"
"$iafq" check --feedback "$out/mar-2021-feedback.xlsx" samples/mar-2021-errors.xlsx
[ $? -le 1 ] || exit 3

echo
echo "== iafq run -o $out/export  (the nightly job: ingest the samples and the published extract, aggregate, export)"
"$iafq" run -o "$out/export" samples/esp-2021.xlsx samples/esp-2021-csv \
    samples/fra-2021-warnings.xlsx samples/mar-2021-errors.xlsx \
    data/dataunodc_iafq_sample.csv
status=$?
# 1 is expected: mar-2021-errors.xlsx is rejected
[ "$status" -le 1 ] || exit "$status"

echo
echo "== iafq export --public -o $out/public  (what the data portal may publish: countries that did not consent left out)"
"$iafq" export --public -o "$out/public" || exit $?

echo
echo "== SDG 16.4.2 by region, in the year most countries reported (iafq db psql: the analyst's view)"
"$iafq" db psql -X -c "SELECT area_code, area_name, year, numerator, denominator,
       round(value, 2) AS percent, countries
FROM iafq.sdg_16_4_2
WHERE area_type IN ('region', 'world')
  AND year = (SELECT year FROM iafq.sdg_16_4_2 WHERE area_type = 'world'
              ORDER BY countries DESC, year DESC LIMIT 1)
ORDER BY area_type DESC, area_code" || exit $?

echo
echo "== iafq history ESP 2021  (every submission of a country-year, newest first)"
"$iafq" history ESP 2021 || exit $?

echo
echo "written:"
echo "  $out/iafq-template.xlsx     the blank return to send to focal points"
echo "  $out/mar-2021-feedback.xlsx the rejected sample with each finding marked on its cell"
echo "  $out/export/run.json        the summary of the run (files, submissions, aggregation, exports)"
echo "  the run's internal export in $out/export/ and the public one in $out/public/, each file listed above"
echo "  with what it is for (README, section Exports)"
echo "the database: 'build/iafq db status' says where it is; 'build/iafq db psql' opens it"
