-- Release the session's aggregation lock (sql/q/agg_lock.sql).
SELECT pg_advisory_unlock(hashtext('iafq.aggregate')) AS released
