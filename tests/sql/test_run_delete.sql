-- Deleting aggregation runs deletes their results in every result table
-- (the result tables have no foreign key: a statement trigger on
-- iafq.agg_run does what ON DELETE CASCADE did), and only theirs.  The
-- owner deletes runs; the analyst may not (migration 0009).

SELECT t.vals(t.sub('BRA', 2020), 'T1', 'SEIZED', 'TOTAL=10');
SELECT t.vals(t.sub('ARG', 2020), 'T2', 'VALUE', 'PARTS=3');
\i :aggregate
SELECT id AS run1 FROM iafq.latest_run \gset
\i :aggregate
SELECT id AS run2 FROM iafq.latest_run \gset
\i :aggregate
SELECT id AS run3 FROM iafq.latest_run \gset

CREATE FUNCTION pg_temp.rows(run bigint) RETURNS bigint LANGUAGE sql AS $$
    SELECT (SELECT count(*) FROM iafq.res_sdg_16_4_2 WHERE run_id = run)
         + (SELECT count(*) FROM iafq.res_sdg_16_4_2_by_column WHERE run_id = run)
         + (SELECT count(*) FROM iafq.res_sdg_16_4_2_by_tracing WHERE run_id = run)
         + (SELECT count(*) FROM iafq.res_gs1 WHERE run_id = run)
         + (SELECT count(*) FROM iafq.res_share WHERE run_id = run)
         + (SELECT count(*) FROM iafq.res_count WHERE run_id = run)
         + (SELECT count(*) FROM iafq.res_gs8 WHERE run_id = run)
         + (SELECT count(*) FROM iafq.res_gs9 WHERE run_id = run);
$$;
SELECT pg_temp.rows(:run1) AS per_run \gset
SELECT t.eq(:per_run > 0, true, 'a run has results');
SELECT t.eq(pg_temp.rows(:run2), :per_run::bigint, 'run 2 has as many');

-- the analyst may not delete runs
SET ROLE iafq_analyst;
DO $$
BEGIN
    DELETE FROM iafq.agg_run;
    RAISE EXCEPTION 'FAIL the analyst deleted runs';
EXCEPTION WHEN insufficient_privilege THEN
    NULL;
END
$$;
RESET ROLE;
-- the owner deletes the two older runs in one statement
DELETE FROM iafq.agg_run WHERE id IN (:run1, :run2);
SELECT t.eq(pg_temp.rows(:run1), 0::bigint, 'run 1 results deleted');
SELECT t.eq(pg_temp.rows(:run2), 0::bigint, 'run 2 results deleted');
SELECT t.eq(pg_temp.rows(:run3), :per_run::bigint, 'run 3 results kept');
SELECT t.eq((SELECT id FROM iafq.latest_run), :run3::bigint, 'run 3 is still the latest');
