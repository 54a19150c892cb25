-- One file at a time per content: a second ingest of the same bytes waits
-- here, then finds the first one's submissions (load_existing.sql).
SELECT pg_advisory_xact_lock(hashtextextended('iafq.submission:' || $1::text, 0))
