-- The run the aggregation files of this transaction recorded or, when
-- nothing changed (no run recorded), the latest finished run: `changed`
-- says which.
SELECT r.id AS run,
       to_char(r.started AT TIME ZONE 'UTC',
               'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS started,
       to_char(r.finished AT TIME ZONE 'UTC',
               'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS finished,
       cardinality(r.submissions) AS submissions,
       coalesce(current_setting('iafq.agg_run', true), '') <> '' AS changed,
       coalesce(r.rows_stored, 0) AS rows_stored,
       coalesce(r.rows_closed, 0) AS rows_closed,
       r.full_recompute AS every_year,
       coalesce(array_to_string(r.years, ','), '') AS years
FROM iafq.agg_run AS r
WHERE r.id = coalesce(nullif(current_setting('iafq.agg_run', true), ''),
                      nullif(current_setting('iafq.agg_since', true), ''))::bigint
