-- One aggregation at a time: a second one waits for the first to commit.
SELECT pg_advisory_xact_lock(hashtext('iafq.aggregate'))
