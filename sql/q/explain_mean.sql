-- explain: 100 * the mean of the national shares n / r over the pairs of
-- $1 and $2 (bigint arrays of the same length), as iafq_public.gs3 and
-- iafq.calc_share compute share_pct_mean (r = 0: no share, not counted),
-- and whether it equals $3 (the published figure; NULL: no share at all).
SELECT (100 * avg(u.n::numeric / nullif(u.r::numeric, 0)))::text AS value,
       (100 * avg(u.n::numeric / nullif(u.r::numeric, 0)))
           IS NOT DISTINCT FROM $3::numeric AS equal
FROM unnest($1::bigint[], $2::bigint[]) AS u(n, r)
