-- The aggregation lock, for the session, before the run's transaction
-- begins: the run's REPEATABLE READ snapshot is then taken after the
-- previous run committed (sql/aggregate/00_run.sql takes it again for the
-- transaction).
SELECT pg_advisory_lock(hashtext('iafq.aggregate')) AS got
