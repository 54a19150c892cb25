-- The nightly run's lock without waiting: false when another run holds it.
SELECT pg_try_advisory_lock(hashtext('iafq.run')) AS got
