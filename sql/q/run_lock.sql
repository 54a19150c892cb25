-- The nightly run's lock, held by the session for the whole run.
SELECT pg_advisory_lock(hashtext('iafq.run')) AS got
