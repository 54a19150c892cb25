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

-- The part of the stable views that can differ between runs a and b: the
-- years and the area codes (of the areas containing a country) of the
-- country rows stored, closed or reopened between the two runs in any
-- result table (0013: a row of run a and b alike is one stored row, valid
-- in both; pruned runs in between leave their boundaries).  Every row
-- that differs, internal or public, country or regional, is one of those
-- years and of those areas: a regional row is made of its countries' rows
-- (iafq.country_area, M49 data that only a migration changes).  NULL
-- (everything) when a is NULL or a migration lies between the runs.  With
-- published_only, only the country-years published now count (the public
-- views of both runs leave the others out): the portal learns no more than
-- the public rows that differ say.  A security definer: it reads res_*.
CREATE FUNCTION iafq_public.changed_scope(a bigint, b bigint, published_only boolean,
                                          OUT years int[], OUT area_codes text[])
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
WITH bound AS (
    SELECT least(a, b) AS lo, greatest(a, b) AS hi,
           a IS NULL
           OR (SELECT g.schema_version FROM iafq.agg_run AS g WHERE g.id = a)
              IS DISTINCT FROM
              (SELECT g.schema_version FROM iafq.agg_run AS g WHERE g.id = b) AS everything
), moved AS (
    SELECT r.area_code, r.year, r.submission_id, r.run_id, r.valid_to FROM iafq.res_sdg_16_4_2 AS r WHERE r.area_type = 'country'
    UNION ALL SELECT r.area_code, r.year, r.submission_id, r.run_id, r.valid_to FROM iafq.res_sdg_16_4_2_by_column AS r WHERE r.area_type = 'country'
    UNION ALL SELECT r.area_code, r.year, r.submission_id, r.run_id, r.valid_to FROM iafq.res_sdg_16_4_2_by_tracing AS r WHERE r.area_type = 'country'
    UNION ALL SELECT r.area_code, r.year, r.submission_id, r.run_id, r.valid_to FROM iafq.res_gs1 AS r WHERE r.area_type = 'country'
    UNION ALL SELECT r.area_code, r.year, r.submission_id, r.run_id, r.valid_to FROM iafq.res_share AS r WHERE r.area_type = 'country'
    UNION ALL SELECT r.area_code, r.year, r.submission_id, r.run_id, r.valid_to FROM iafq.res_count AS r WHERE r.area_type = 'country'
    UNION ALL SELECT r.area_code, r.year, r.submission_id, r.run_id, r.valid_to FROM iafq.res_gs8 AS r WHERE r.area_type = 'country'
    UNION ALL SELECT r.area_code, r.year, r.submission_id, r.run_id, r.valid_to FROM iafq.res_gs9 AS r WHERE r.area_type = 'country'
), changed AS (
    SELECT DISTINCT m.area_code, m.year
    FROM moved AS m, bound AS x
    WHERE NOT x.everything
      AND ((m.run_id > x.lo AND m.run_id <= x.hi)
           OR (m.valid_to > x.lo AND m.valid_to <= x.hi))
      AND (NOT published_only
           OR m.submission_id IN (SELECT p.id FROM iafq.public_submission AS p))
)
SELECT CASE WHEN x.everything THEN NULL
            ELSE ARRAY(SELECT DISTINCT c.year FROM changed AS c ORDER BY 1) END,
       CASE WHEN x.everything THEN NULL
            ELSE ARRAY(SELECT DISTINCT ca.area_code
                       FROM changed AS c
                       JOIN iafq.m49_country AS mc ON mc.m49 = c.area_code
                       JOIN iafq.country_area AS ca ON ca.iso3 = mc.iso3
                       ORDER BY 1) END
FROM bound AS x;
$$;
REVOKE ALL ON FUNCTION iafq_public.changed_scope(bigint, bigint, boolean) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION iafq_public.changed_scope(bigint, bigint, boolean)
    TO iafq_portal, iafq_analyst, iafq_loader;

-- The rows of `view` (any view the caller may read; the caller's rights:
-- not a security definer) as of run `run`, each row as jsonb; only those of
-- `years` and `area_codes` when given (NULL: all; the filter reaches into
-- the view, as a view's own WHERE would).  The setting is made for the
-- query inside and put back afterwards, so that two calls in one statement
-- (the two sides of a comparison) each see their run: RETURN QUERY runs
-- the whole query before the function returns.
CREATE FUNCTION iafq_public.view_rows(view regclass, run bigint,
                                      years int[] DEFAULT NULL,
                                      area_codes text[] DEFAULT NULL)
RETURNS SETOF jsonb
LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    before text := current_setting('iafq.as_of_run', true);
BEGIN
    PERFORM set_config('iafq.as_of_run', run::text, true);
    RETURN QUERY EXECUTE format(
        'SELECT to_jsonb(v) FROM %s AS v
         WHERE ($1 IS NULL OR v.year = ANY ($1))
           AND ($2 IS NULL OR v.area_code = ANY ($2))', view)
        USING years, area_codes;
    PERFORM set_config('iafq.as_of_run', coalesce(before, ''), true);
END;
$$;
REVOKE ALL ON FUNCTION iafq_public.view_rows(regclass, bigint, int[], text[]) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION iafq_public.view_rows(regclass, bigint, int[], text[])
    TO iafq_portal, iafq_analyst, iafq_loader;

-- The figures that differ between runs a (old; NULL: none, every figure
-- is added) and b (new) in the views of `schema` ('iafq' or 'iafq_public')
-- named by `spec`, the views' table of db/stable.h (a JSON array of
-- {"view", "keys", "measures"} in output order): both sides read through
-- view_rows within changed_scope (published_only for iafq_public), matched
-- on (view, area_type, area_code, year, key) - `key` writes a NULL code
-- empty and '' as "", so that a missing partner (NULL, "Unknown") and a
-- withheld one ('', "Not published") stay apart (codes hold no ';') -
-- and one row per measure whose value differs ("added" or "removed": every
-- measure, the other side NULL; a measure a view does not have, as
-- withheld in iafq_public, is NULL on both sides and never listed).  The
-- one comparison of `iafq diff` (q/diff_rows.sql, which adds the causes)
-- and of every export's changes.csv (q/export_changes.sql).  Unordered:
-- `ord` (the view's place in spec) and `measure_ord` let the caller order.
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
), scope AS MATERIALIZED (
    SELECT * FROM iafq_public.changed_scope(a, b, schema = 'iafq_public')
), side (old, run) AS (
    SELECT true, a WHERE a IS NOT NULL
    UNION ALL
    SELECT false, b
), keyed AS (
    SELECT sp.ord, sp.view, s.old, j ->> 'area_type' AS area_type,
           j ->> 'area_code' AS area_code, (j ->> 'year')::int AS year,
           array_to_string(ARRAY(SELECT k || '=' || CASE j ->> k WHEN '' THEN '""'
                                                     ELSE coalesce(j ->> k, '') END
                                 FROM unnest(sp.keys) WITH ORDINALITY AS u (k, i)
                                 ORDER BY u.i), ';') AS key,
           j
    FROM sp
    CROSS JOIN side AS s
    CROSS JOIN scope AS c
    CROSS JOIN LATERAL iafq_public.view_rows(
        format('%I.%I', schema, sp.view)::regclass, s.run,
        c.years, c.area_codes) AS j
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
              AND n.area_code = o.area_code AND n.year = o.year
              AND n.key = o.key
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
