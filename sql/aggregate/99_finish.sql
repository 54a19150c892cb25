-- 99_finish: mark the run finished, as the last step of its transaction.
-- From COMMIT on, the stable views (iafq.latest_run) show this run.
UPDATE iafq.agg_run
SET finished = clock_timestamp()
WHERE id = currval(pg_get_serial_sequence('iafq.agg_run', 'id'));
