-- The run an export shows (export/exp.c): the latest finished aggregation
-- run of iafq, read inside the export's snapshot.  id, started, finished
-- (ISO 8601 UTC), number of submissions, release date (finished, UTC).
SELECT r.id,
       to_char(r.started AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
       to_char(r.finished AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
       cardinality(r.submissions),
       to_char(r.finished AT TIME ZONE 'UTC', 'YYYY-MM-DD')
FROM iafq.latest_run AS r
