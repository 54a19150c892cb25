-- 0017_as_of: the stable views read as of an earlier run, for the
-- `changes.csv` of every export (issue 14, item 3: what changed since the
-- previous export; export/changes.h, sql/q/export_changes.sql).
--
-- Every stable view, internal (0004, 0013) and public (0009, 0013), shows
-- the rows valid in `iafq.latest_run`.  That view now honours the
-- transaction-local setting iafq.as_of_run: when it is set to a run id, it
-- is the latest finished run whose id is at most that one.  Unset or empty,
-- nothing changes.  The views themselves are not recreated: the one place
-- that says which run a view shows is the one place that changed.
--
-- What a role can read this way is what it could read already: the public
-- views at an earlier run are computed from the submissions published NOW
-- (iafq.public_submission and iafq.public_withheld are read live), so a
-- country that withholds its figures today is absent from every run seen
-- through iafq_public, and every public row of every run is a sum over
-- consenting countries only (docs/audit.md).
CREATE OR REPLACE VIEW iafq.latest_run AS
SELECT r.id, r.started, r.finished, r.submissions
FROM iafq.agg_run AS r
WHERE r.finished IS NOT NULL
  AND r.id <= coalesce(nullif(current_setting('iafq.as_of_run', true), '')::bigint,
                       r.id)
ORDER BY r.id DESC
LIMIT 1;

-- Every row of `view` (any view the caller may read; the caller's rights:
-- not a security definer) as of run `run`, each row as jsonb.  The setting
-- is made for the query inside and put back afterwards, so that two calls
-- in one statement (the two sides of a comparison) each see their run:
-- RETURN QUERY runs the whole query before the function returns.
CREATE FUNCTION iafq_public.view_rows(view regclass, run bigint) RETURNS SETOF jsonb
LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    before text := current_setting('iafq.as_of_run', true);
BEGIN
    PERFORM set_config('iafq.as_of_run', run::text, true);
    RETURN QUERY EXECUTE format('SELECT to_jsonb(v) FROM %s AS v', view);
    PERFORM set_config('iafq.as_of_run', coalesce(before, ''), true);
END;
$$;
REVOKE ALL ON FUNCTION iafq_public.view_rows(regclass, bigint) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION iafq_public.view_rows(regclass, bigint)
    TO iafq_portal, iafq_analyst, iafq_loader;

-- The figures that differ between runs a (old; NULL: none, every figure
-- is added) and b (new) in the views of `schema` ('iafq' or 'iafq_public')
-- named by `spec`, the views' table of db/stable.h (a JSON array of
-- {"view", "keys", "measures"} in output order): both sides read through
-- view_rows, matched on (view, area_type, area_code, year, keys), one row
-- per measure whose value differs ("added" or "removed": every measure,
-- the other side NULL; a measure a view does not have, as withheld in
-- iafq_public, is NULL on both sides and never listed).  The one
-- comparison of `iafq diff` (q/diff_rows.sql, which adds the causes) and
-- of every export's changes.csv (q/export_changes.sql).  Unordered: `ord`
-- (the view's place in spec) and `measure_ord` let the caller order.
CREATE FUNCTION iafq_public.view_changes(schema text, a bigint, b bigint, spec jsonb)
RETURNS TABLE (ord bigint, view text, change text, area_type text,
               area_code text, area_name text, year int, key text,
               measure text, measure_ord bigint, old text, new text)
LANGUAGE sql VOLATILE SET search_path = pg_catalog, pg_temp AS $$
WITH sp AS (
    SELECT x.ord, x.v ->> 'view' AS view,
           ARRAY(SELECT jsonb_array_elements_text(x.v -> 'keys')) AS keys,
           ARRAY(SELECT jsonb_array_elements_text(x.v -> 'measures')) AS measures
    FROM jsonb_array_elements(spec) WITH ORDINALITY AS x (v, ord)
), side (old, run) AS (
    SELECT true, a WHERE a IS NOT NULL
    UNION ALL
    SELECT false, b
), keyed AS (
    SELECT sp.ord, sp.view, s.old, j ->> 'area_type' AS area_type,
           j ->> 'area_code' AS area_code, (j ->> 'year')::int AS year,
           array_to_string(ARRAY(SELECT k || '=' || coalesce(j ->> k, '')
                                 FROM unnest(sp.keys) WITH ORDINALITY AS u (k, i)
                                 ORDER BY u.i), ';') AS key,
           j
    FROM sp
    CROSS JOIN side AS s
    CROSS JOIN LATERAL iafq_public.view_rows(
        format('%I.%I', schema, sp.view)::regclass, s.run) AS j
), pair AS (
    SELECT coalesce(o.ord, n.ord) AS ord, coalesce(o.view, n.view) AS view,
           coalesce(o.area_type, n.area_type) AS area_type,
           coalesce(o.area_code, n.area_code) AS area_code,
           coalesce(n.j ->> 'area_name', o.j ->> 'area_name') AS area_name,
           coalesce(o.year, n.year) AS year,
           coalesce(o.key, n.key) AS key,
           CASE WHEN o.j IS NULL THEN 'added' WHEN n.j IS NULL THEN 'removed'
                ELSE 'changed' END AS change,
           o.j AS oj, n.j AS nj
    FROM (SELECT * FROM keyed WHERE keyed.old) AS o
    FULL JOIN (SELECT * FROM keyed WHERE NOT keyed.old) AS n
           ON n.view = o.view AND n.area_type = o.area_type
              AND n.area_code = o.area_code AND n.year = o.year AND n.key = o.key
)
SELECT p.ord, p.view, p.change, p.area_type, p.area_code, p.area_name,
       p.year, p.key, m.measure, m.i, p.oj ->> m.measure, p.nj ->> m.measure
FROM pair AS p
JOIN sp ON sp.view = p.view
CROSS JOIN LATERAL unnest(sp.measures) WITH ORDINALITY AS m (measure, i)
WHERE (p.oj -> m.measure) IS DISTINCT FROM (p.nj -> m.measure)
$$;
REVOKE ALL ON FUNCTION iafq_public.view_changes(text, bigint, bigint, jsonb) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION iafq_public.view_changes(text, bigint, bigint, jsonb)
    TO iafq_portal, iafq_analyst, iafq_loader;

-- The run of the previous export of `scope` ('internal' or 'public') before
-- run `run`: the latest run id below `run` that an export of that scope
-- recorded (0014), NULL when there is none.  "Below": exporting the same
-- run again compares with the same base, so the same run always gives the
-- same changes.csv.  A security definer so that the portal learns that one
-- number and nothing else of iafq.export_log (which names folders).
CREATE FUNCTION iafq_public.export_base(run bigint, scope text) RETURNS bigint
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
    SELECT max(e.run_id) FROM iafq.export_log AS e
    WHERE e.scope = export_base.scope AND e.run_id < export_base.run;
$$;
REVOKE ALL ON FUNCTION iafq_public.export_base(bigint, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION iafq_public.export_base(bigint, text)
    TO iafq_portal, iafq_analyst, iafq_loader;

-- Public exports are recorded too.  0014 let only the analyst and the
-- loader call iafq.export_record, but `export --public` connects as the
-- portal, which may not even look into schema iafq: its exports went
-- unrecorded (a warning), so `runs prune` could remove the run a public
-- export used and a public changes.csv had no previous export.  The
-- portal may record public exports only (an internal row is refused: NULL).
CREATE FUNCTION iafq_public.export_record(run bigint, scope text, target text) RETURNS bigint
LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
    SELECT iafq.export_record(run, scope, target)
    WHERE scope = 'public'
       OR pg_has_role(session_user, 'iafq_analyst', 'USAGE')
       OR pg_has_role(session_user, 'iafq_loader', 'USAGE');
$$;
REVOKE ALL ON FUNCTION iafq_public.export_record(bigint, text, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION iafq_public.export_record(bigint, text, text)
    TO iafq_portal, iafq_analyst, iafq_loader;
