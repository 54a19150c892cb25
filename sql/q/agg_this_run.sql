-- The run the aggregation files of this transaction recorded.
SELECT r.id AS run,
       to_char(r.started AT TIME ZONE 'UTC',
               'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS started,
       to_char(r.finished AT TIME ZONE 'UTC',
               'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS finished,
       cardinality(r.submissions) AS submissions
FROM iafq.agg_run AS r
WHERE r.id = currval(pg_get_serial_sequence('iafq.agg_run', 'id'))
