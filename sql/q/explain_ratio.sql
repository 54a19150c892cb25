-- explain: 100 * $1 / $2 in numeric, as the views compute it, and whether
-- it equals $3 (the published figure).  $2 = 0: NULL (nullif), equal when
-- $3 is NULL too.
SELECT (100 * $1::numeric / nullif($2::numeric, 0))::text AS value,
       (100 * $1::numeric / nullif($2::numeric, 0)) IS NOT DISTINCT FROM $3::numeric AS equal
