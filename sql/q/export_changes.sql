-- changes.csv of an export (export/changes.c): every figure of the stable
-- views that differs between the run of the previous export of this scope
-- and run $1, the one exported.  $2 is the scope ('internal' or 'public'),
-- $3 the views' table (db/stable.h, stable_spec_json), $4 the schema the
-- export reads (exp_ctx.schema: iafq or iafq_public), so a public export compares
-- what iafq_public shows at each run, with today's consent
-- (iafq_public.view_changes, migration 0017).  The previous export:
-- iafq_public.export_base, the latest run below $1 an export of the same
-- scope used; none (a first export): no row, the header alone (the full
-- files are the news; listing every figure as added would repeat them).
-- Read-only.
WITH base AS (
    SELECT iafq_public.export_base($1::bigint, $2::text) AS run
)
SELECT c.view, c.change, c.area_type, c.area_code, c.area_name, c.year,
       c.key, c.measure, c.old, c.new, b.run AS old_run, $1::bigint AS new_run
FROM base AS b
CROSS JOIN LATERAL iafq_public.view_changes($4::text, b.run,
                                            $1::bigint, $3::jsonb) AS c
WHERE b.run IS NOT NULL
ORDER BY c.ord, iafq_public.area_rank(c.area_type), c.area_code, c.year,
         c.key, c.measure_ord
