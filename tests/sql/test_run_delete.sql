-- Deleting aggregation runs (the owner; `iafq runs prune`) deletes the
-- result rows valid in no remaining finished run, and only those: a row
-- is stored once and valid from one run to another (migration 0013), so a
-- row whose interval spans a kept run stays.  The analyst may not delete
-- runs (migration 0009).

SELECT t.sub('BRA', 2020, true, 'accepted', '2021-01-01') AS bra1 \gset
SELECT t.vals(:bra1, 'T1', 'SEIZED', 'TOTAL=10');
SELECT t.vals(t.sub('ARG', 2020), 'T2', 'VALUE', 'PARTS=3');
\i :aggregate
SELECT id AS run1 FROM iafq.latest_run \gset
-- BRA revises its return: run 2 changes BRA's rows and the regions'
SELECT t.vals(t.sub('BRA', 2020, true, 'accepted', '2021-02-01'), 'T1', 'SEIZED', 'TOTAL=20');
\i :aggregate
SELECT id AS run2 FROM iafq.latest_run \gset
-- nothing changed: no run
\i :aggregate
SELECT t.eq((SELECT id FROM iafq.latest_run), :run2::bigint, 'nothing changed: no new run');
-- ARG's new return: run 3
SELECT t.vals(t.sub('ARG', 2021), 'T2', 'VALUE', 'PARTS=4');
\i :aggregate
SELECT id AS run3 FROM iafq.latest_run \gset

-- the rows valid in a run (whether or not the run still exists)
CREATE FUNCTION pg_temp.rows(run bigint) RETURNS bigint LANGUAGE sql AS $$
    SELECT sum(n)::bigint FROM (
        SELECT count(*) AS n FROM iafq.res_sdg_16_4_2 AS r WHERE r.run_id <= run AND (r.valid_to IS NULL OR r.valid_to > run)
        UNION ALL SELECT count(*) FROM iafq.res_sdg_16_4_2_by_column AS r WHERE r.run_id <= run AND (r.valid_to IS NULL OR r.valid_to > run)
        UNION ALL SELECT count(*) FROM iafq.res_sdg_16_4_2_by_tracing AS r WHERE r.run_id <= run AND (r.valid_to IS NULL OR r.valid_to > run)
        UNION ALL SELECT count(*) FROM iafq.res_gs1 AS r WHERE r.run_id <= run AND (r.valid_to IS NULL OR r.valid_to > run)
        UNION ALL SELECT count(*) FROM iafq.res_share AS r WHERE r.run_id <= run AND (r.valid_to IS NULL OR r.valid_to > run)
        UNION ALL SELECT count(*) FROM iafq.res_count AS r WHERE r.run_id <= run AND (r.valid_to IS NULL OR r.valid_to > run)
        UNION ALL SELECT count(*) FROM iafq.res_gs8 AS r WHERE r.run_id <= run AND (r.valid_to IS NULL OR r.valid_to > run)
        UNION ALL SELECT count(*) FROM iafq.res_gs9 AS r WHERE r.run_id <= run AND (r.valid_to IS NULL OR r.valid_to > run)) AS x;
$$;
CREATE FUNCTION pg_temp.stored() RETURNS bigint LANGUAGE sql AS $$
    SELECT (SELECT count(*) FROM iafq.res_sdg_16_4_2) + (SELECT count(*) FROM iafq.res_sdg_16_4_2_by_column)
         + (SELECT count(*) FROM iafq.res_sdg_16_4_2_by_tracing) + (SELECT count(*) FROM iafq.res_gs1)
         + (SELECT count(*) FROM iafq.res_share) + (SELECT count(*) FROM iafq.res_count)
         + (SELECT count(*) FROM iafq.res_gs8) + (SELECT count(*) FROM iafq.res_gs9);
$$;
-- BRA's only-in-run-1 rows: its gs1 TOTAL 10 (and its regions')
SELECT t.eq((SELECT count(*) FROM iafq.res_gs1 WHERE area_type = 'country' AND arms = 'TOTAL' AND n = 10
             AND run_id = :run1 AND valid_to = :run2), 1::bigint, 'run 1''s BRA row closed by run 2');
SELECT pg_temp.rows(:run3) AS per_run \gset
SELECT t.eq(:per_run > 0, true, 'a run has results');
SELECT t.eq(pg_temp.stored() < pg_temp.rows(:run1) + pg_temp.rows(:run2) + :per_run, true,
            'unchanged rows are stored once');
SELECT count(*) AS arg2020 FROM iafq.res_count
WHERE area_type = 'country' AND year = 2020 AND run_id = :run1 AND valid_to IS NULL \gset
SELECT t.eq(:arg2020 > 0, true, 'ARG 2020 rows of run 1 still open in run 3');

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
-- the owner deletes the two older runs in one statement: rows valid only
-- in them go; ARG 2020's rows, valid from run 1 through run 3, stay
DELETE FROM iafq.agg_run WHERE id IN (:run1, :run2);
SELECT t.eq(pg_temp.stored(), :per_run::bigint, 'only run 3''s rows are left');
SELECT t.eq(pg_temp.rows(:run3), :per_run::bigint, 'run 3 results kept');
SELECT t.eq((SELECT count(*) FROM iafq.res_count
             WHERE area_type = 'country' AND year = 2020 AND run_id = :run1 AND valid_to IS NULL),
            :arg2020::bigint, 'a row spanning a kept run stays');
SELECT t.eq((SELECT id FROM iafq.latest_run), :run3::bigint, 'run 3 is still the latest');

-- deleting the latest run: the previous one is shown again, whole
\i :aggregate_full
SELECT id AS run4 FROM iafq.latest_run \gset
SELECT t.eq(:run4::bigint, (:run3 + 1)::bigint, '--full records a run even when nothing changed');
SELECT t.eq(pg_temp.rows(:run4), :per_run::bigint, 'and stores nothing new');
SELECT t.vals(t.sub('BRA', 2020, true, 'accepted', '2021-03-01'), 'T1', 'SEIZED', 'TOTAL=30');
\i :aggregate
SELECT id AS run5 FROM iafq.latest_run \gset
SELECT t.eq((SELECT n FROM iafq.gs1 WHERE area_type = 'country' AND arms = 'TOTAL' AND year = 2020 AND area_code = '076'), 30::bigint, 'run 5: BRA 30');
DELETE FROM iafq.agg_run WHERE id = :run5;
SELECT t.eq((SELECT n FROM iafq.gs1 WHERE area_type = 'country' AND arms = 'TOTAL' AND year = 2020 AND area_code = '076'), 20::bigint, 'run 5 deleted: run 4''s BRA 20 again');
SELECT t.eq(pg_temp.stored(), :per_run::bigint, 'run 5''s rows gone, run 4''s open again');
