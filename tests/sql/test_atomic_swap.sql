-- A reader never sees half a run: while a run is going, another session
-- sees the previous finished run; an unfinished run (even one committed by
-- hand) is never shown; the new run appears whole at its COMMIT.

CREATE EXTENSION dblink;
SELECT dblink_connect('reader', format('host=%s port=%s dbname=%s user=postgres',
       split_part(current_setting('unix_socket_directories'), ',', 1),
       current_setting('port'), current_database()));
CREATE FUNCTION pg_temp.seen() RETURNS text LANGUAGE sql AS $$
    SELECT x FROM dblink('reader',
        $q$SELECT (SELECT id FROM iafq.latest_run) || ':' ||
                  coalesce((SELECT value::text FROM iafq.sdg_16_4_2 WHERE area_type = 'world'), '-') || ':' ||
                  (SELECT count(*) FROM iafq.gs1)$q$) AS r (x text);
$$;

SELECT t.sub('BRA', 2020, true, 'accepted', '2021-01-01') AS s1 \gset
SELECT t.vals(:s1, 'T1', 'SEIZED', 'TOTAL=10'), t.vals(:s1, 'T8', 'SEIZED', 'UI_LEGIT_NATIONAL=1');
SELECT t.eq(pg_temp.seen(), NULL, 'no run yet: nothing');
\i :aggregate
SELECT id AS run1 FROM iafq.latest_run \gset
SELECT t.eq(pg_temp.seen(), :run1 || ':10.0000000000000000:10', 'run 1 seen');

-- a newer return, then a run that is still going
SELECT t.sub('BRA', 2020, true, 'accepted', '2021-02-01') AS s2 \gset
SELECT t.vals(:s2, 'T1', 'SEIZED', 'TOTAL=10'), t.vals(:s2, 'T8', 'SEIZED', 'UI_LEGIT_NATIONAL=5');
SELECT t.vals(t.sub('ARG', 2020), 'T1', 'FOUND', 'TOTAL=3');
BEGIN;
\i :aggregate_steps
-- the run is complete and marked finished in this transaction ...
SELECT t.eq((SELECT value FROM iafq.sdg_16_4_2 WHERE area_type = 'world'), 50.0000000000000000, 'writer sees its own run');
-- ... but another session still sees run 1, whole
SELECT t.eq(pg_temp.seen(), :run1 || ':10.0000000000000000:10', 'reader during the run');
COMMIT;
SELECT t.eq(pg_temp.seen(), (:run1 + 1) || ':50.0000000000000000:16', 'reader after COMMIT: the new run, whole');

-- a run that has not reached its last step is not shown, even committed
-- (a new return, so that the run has something to do)
SELECT t.vals(t.sub('CHL', 2020), 'T1', 'SEIZED', 'TOTAL=7');
BEGIN;
\i :aggregate_unfinished
COMMIT;
SELECT t.eq((SELECT count(*) FROM iafq.agg_run WHERE finished IS NULL), 1::bigint, 'an unfinished run exists');
SELECT t.eq((SELECT count(*) FROM iafq.res_gs1 WHERE run_id = :run1 + 2) > 0, true, 'with results');
SELECT t.eq(pg_temp.seen(), (:run1 + 1) || ':50.0000000000000000:16', 'unfinished run not shown');
SELECT t.eq((SELECT id FROM iafq.latest_run), (:run1 + 1)::bigint, 'latest finished run');

-- a failed run leaves nothing
BEGIN;
\i :aggregate_unfinished
ROLLBACK;
SELECT t.eq((SELECT count(*) FROM iafq.agg_run), 3::bigint, 'rolled-back run left no row');
SELECT dblink_disconnect('reader');

-- the next run discards the unfinished run's rows (migration 0013) and
-- stores its own: its results are what the indicator SQL gives now
\i :aggregate
SELECT t.eq((SELECT id FROM iafq.latest_run), (:run1 + 4)::bigint, 'the next run');
SELECT t.eq((SELECT count(*) FROM iafq.res_gs1 WHERE run_id = :run1 + 2), 0::bigint, 'unfinished run''s rows discarded');
SELECT t.eq((SELECT count(*) FROM (SELECT * FROM iafq.gs1 EXCEPT ALL SELECT * FROM iafq.calc_gs1) AS x)
          + (SELECT count(*) FROM (SELECT * FROM iafq.calc_gs1 EXCEPT ALL SELECT * FROM iafq.gs1) AS x),
            0::bigint, 'gs1 of the next run = calc_gs1');
SELECT t.eq((SELECT count(*) FROM (SELECT * FROM iafq.sdg_16_4_2 EXCEPT ALL SELECT * FROM iafq.calc_sdg_16_4_2) AS x)
          + (SELECT count(*) FROM (SELECT * FROM iafq.calc_sdg_16_4_2 EXCEPT ALL SELECT * FROM iafq.sdg_16_4_2) AS x),
            0::bigint, 'sdg_16_4_2 of the next run = calc_sdg_16_4_2');
