-- 99_finish: mark the run finished, as the last step of its transaction
-- (none when nothing changed).  From COMMIT on, the stable views
-- (iafq.latest_run) show this run.  The calc_* views read every year again.
UPDATE iafq.agg_run
SET finished = clock_timestamp()
WHERE id = nullif(current_setting('iafq.agg_run', true), '')::bigint;
SELECT set_config('iafq.agg_years', '', true) AS years;
