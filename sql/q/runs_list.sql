-- `iafq runs list`: every aggregation run, oldest first: when it ran,
-- how many submissions it used, the result rows it stored (still stored:
-- a row is stored by the run it is valid from, migration 0013), the years
-- it recomputed ('' = all), how many exports used it (iafq.export_log)
-- and whether it is the latest finished run (the one the views show).
WITH stored AS (
    SELECT x.run_id, count(*) AS n
    FROM iafq.result_run AS x
    GROUP BY x.run_id
)
SELECT r.id,
       to_char(r.started AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS started,
       coalesce(to_char(r.finished AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'), '') AS finished,
       cardinality(r.submissions) AS submissions,
       coalesce(s.n, 0) AS rows_stored,
       CASE WHEN r.full_recompute THEN 'all'
            ELSE coalesce(array_to_string(r.years, ','), '') END AS years,
       (SELECT count(*) FROM iafq.export_log AS e WHERE e.run_id = r.id) AS exports,
       coalesce(r.id = (SELECT l.id FROM iafq.latest_run AS l), false) AS latest
FROM iafq.agg_run AS r
LEFT JOIN stored AS s ON s.run_id = r.id
ORDER BY r.id
