-- `iafq runs prune --keep N` ($1 = N): delete every run but the latest N
-- finished ones and those an export used (iafq.export_log); a run that
-- never finished goes too.  The trigger on iafq.agg_run (migration 0013)
-- deletes the result rows valid in no remaining finished run; a row
-- whose interval spans a kept run stays.  Returns every run with what
-- happens to it (pruned: deleted by this statement).
WITH finished AS (
    SELECT g.id, row_number() OVER (ORDER BY g.id DESC) AS k
    FROM iafq.agg_run AS g
    WHERE g.finished IS NOT NULL
), plan AS (
    SELECT r.id,
           coalesce(f.k <= $1::int, false) AS recent,
           EXISTS (SELECT 1 FROM iafq.export_log AS e WHERE e.run_id = r.id) AS exported
    FROM iafq.agg_run AS r
    LEFT JOIN finished AS f ON f.id = r.id
), gone AS (
    DELETE FROM iafq.agg_run AS r
    USING plan AS p
    WHERE p.id = r.id AND NOT p.recent AND NOT p.exported
    RETURNING r.id
)
SELECT p.id, p.recent, p.exported, (g.id IS NOT NULL) AS pruned
FROM plan AS p
LEFT JOIN gone AS g ON g.id = p.id
ORDER BY p.id
