-- iafq diff (cli/cmd_diff.c): the two runs to compare.  $1 and $2 are the
-- run ids given on the command line (NULL: not given).  Neither given: the
-- two latest finished runs; only $1: $1 and the latest finished run.  One
-- row: run_a, run_b (NULL when there is no such finished run), and for
-- each its finished time and schema_version.
WITH fin AS (
    SELECT g.id FROM iafq.agg_run AS g WHERE g.finished IS NOT NULL
), pick AS (
    SELECT CASE WHEN $1::bigint IS NOT NULL
                THEN (SELECT f.id FROM fin AS f WHERE f.id = $1::bigint)
                ELSE (SELECT f.id FROM fin AS f ORDER BY f.id DESC OFFSET 1 LIMIT 1)
           END AS run_a,
           CASE WHEN $2::bigint IS NOT NULL
                THEN (SELECT f.id FROM fin AS f WHERE f.id = $2::bigint)
                ELSE (SELECT max(f.id) FROM fin AS f)
           END AS run_b
)
SELECT p.run_a, p.run_b,
       to_char(a.finished AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS finished_a,
       to_char(b.finished AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS finished_b,
       a.schema_version AS schema_a, b.schema_version AS schema_b
FROM pick AS p
LEFT JOIN iafq.agg_run AS a ON a.id = p.run_a
LEFT JOIN iafq.agg_run AS b ON b.id = p.run_b
