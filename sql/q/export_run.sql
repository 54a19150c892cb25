-- The run an export shows (export/exp.c): the latest finished aggregation
-- run of the export's schema (q/export_schema.sql), read inside the
-- export's snapshot.  latest_run.submissions is the submissions' ids in
-- iafq and their number in iafq_public: counted either way.
SELECT r.id,
       to_char(r.started AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS started,
       to_char(r.finished AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS finished,
       CASE jsonb_typeof(to_jsonb(r.submissions))
            WHEN 'array' THEN jsonb_array_length(to_jsonb(r.submissions))
            ELSE (to_jsonb(r.submissions))::text::bigint END AS submissions,
       to_char(r.finished AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS release
FROM latest_run AS r
