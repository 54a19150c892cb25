-- 0018_explain_helpers: what every `iafq explain` query shared, written
-- once (issue 11: no query written twice).  The published rows of a view
-- (iafq.explain_rows, driven by aggregate/explain.c's table of views) and
-- the skeleton of the parts queries (sql/q/explain_parts.sql,
-- sql/q/explain_gs9_parts.sql), which keep what is their own: the view's
-- country rows behind a published row, and which cells each figure is
-- made of.  Also the one list of the result tables' rows by run that
-- `iafq runs list` and `iafq runs prune` both count (iafq.result_run).
--
-- All run as the caller (`iafq explain` connects as iafq_analyst, who may
-- read every table they read), with a fixed search_path; EXECUTE on each
-- is revoked from PUBLIC and granted to the analyst.

-- One pattern of cells: the cells of table tbl in rows (NULL: the table's
-- component rows, iafq.table_row NOT is_total) and columns cols (NULL:
-- every column) take the role `role` (N, D, n, reported, total: see
-- aggregate/explain.h).
CREATE TYPE iafq.explain_pick AS (role text, tbl text, rows text[], cols text[]);

-- The country behind a country row of a stable view: the country of M49
-- code m49 when it is in area (area_type, area_code), with its row's
-- submission; with public, only when that submission is published now
-- (iafq.public_submission), as iafq_public computes its regional rows.
-- No row: not a part of the area's figure.  received: ISO 8601, UTC.
CREATE FUNCTION iafq.explain_part(p_area_type text, p_area_code text,
                                  p_public boolean, p_m49 text,
                                  p_submission bigint)
RETURNS TABLE (iso3 text, m49 text, name text, submission_id bigint,
               file_name text, sha256 text, source text, received text)
LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp
AS $fn$
SELECT m.iso3::text, m.m49, m.name, s.id, s.file_name, s.sha256, s.source,
       to_char(s.received AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')
FROM iafq.m49_country AS m
JOIN iafq.country_area AS ca
  ON ca.iso3 = m.iso3 AND ca.area_type = p_area_type
 AND ca.area_code = p_area_code
JOIN iafq.submission AS s ON s.id = p_submission
WHERE m.m49 = p_m49
  AND (NOT p_public
       OR s.id IN (SELECT p.id FROM iafq.public_submission AS p))
$fn$;
REVOKE ALL ON FUNCTION iafq.explain_part(text, text, boolean, text, bigint)
    FROM PUBLIC;
GRANT EXECUTE ON FUNCTION iafq.explain_part(text, text, boolean, text, bigint)
    TO iafq_analyst;

-- The cells of a submission (iafq.value) that the patterns pick, as the
-- text of a JSON array of {role, table, row, column, value (text), origin,
-- derived}, ordered by role, table, column, row ('[]': none).  A cell
-- picked by several patterns takes the role of the first.
CREATE FUNCTION iafq.explain_cells(p_submission bigint,
                                   p_picks iafq.explain_pick[])
RETURNS text
LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp
AS $fn$
SELECT coalesce(jsonb_agg(jsonb_build_object(
           'role', x.role, 'table', x.tbl, 'row', x.row_code,
           'column', x.col_code, 'value', x.n::text, 'origin', x.origin,
           'derived', x.derived)
         ORDER BY x.role, x.tbl, x.col_code, x.row_code)::text, '[]')
FROM (
    SELECT DISTINCT ON (v.tbl, v.row_code, v.col_code)
           p.role, v.tbl, v.row_code, v.col_code, v.n, v.origin, v.derived
    FROM unnest(p_picks) WITH ORDINALITY AS p(role, tbl, rows, cols, ord)
    JOIN iafq.value AS v
      ON v.submission_id = p_submission AND v.tbl = p.tbl
     AND (p.cols IS NULL OR v.col_code = ANY (p.cols))
     AND (CASE WHEN p.rows IS NULL
               THEN v.row_code IN (SELECT r.row_code FROM iafq.table_row AS r
                                   WHERE r.tbl = p.tbl AND NOT r.is_total)
               ELSE v.row_code = ANY (p.rows) END)
    ORDER BY v.tbl, v.row_code, v.col_code, p.ord
) AS x
$fn$;
REVOKE ALL ON FUNCTION iafq.explain_cells(bigint, iafq.explain_pick[])
    FROM PUBLIC;
GRANT EXECUTE ON FUNCTION iafq.explain_cells(bigint, iafq.explain_pick[])
    TO iafq_analyst;

-- The columns of a submission that count for a ratio: of cols (NULL: any
-- column), those whose cell (d_tbl, d_row) is > 0 and which give a cell of
-- table n_tbl (in row n_row; NULL: any row).  SDG 16.4.2 (T1 TOTAL > 0 and
-- a T8 row given, iafq.calc_sdg_16_4_2_column) and its tracing levels (T8
-- TOTAL > 0 and the level's row given).  '{}': none.
CREATE FUNCTION iafq.explain_columns(p_submission bigint, p_cols text[],
                                     p_d_tbl text, p_d_row text,
                                     p_n_tbl text, p_n_row text)
RETURNS text[]
LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp
AS $fn$
SELECT coalesce(array_agg(d.col_code ORDER BY d.col_code), '{}')
FROM iafq.value AS d
WHERE d.submission_id = p_submission AND d.tbl = p_d_tbl
  AND d.row_code = p_d_row AND d.n > 0
  AND (p_cols IS NULL OR d.col_code = ANY (p_cols))
  AND EXISTS (SELECT 1 FROM iafq.value AS t
              WHERE t.submission_id = p_submission AND t.tbl = p_n_tbl
                AND t.col_code = d.col_code
                AND (p_n_row IS NULL OR t.row_code = p_n_row))
$fn$;
REVOKE ALL ON FUNCTION iafq.explain_columns(bigint, text[], text, text, text, text)
    FROM PUBLIC;
GRANT EXECUTE ON FUNCTION iafq.explain_columns(bigint, text[], text, text, text, text)
    TO iafq_analyst;

-- GS9: every M49 country's key as a partner at the level of a published
-- row (area_type; the world's: its M49 region), as sql/q/explain_gs9.sql
-- gives them: its M49 code (country level) or its area's code ('unknown':
-- in no area of that level), 'not-published' when in hidden (the
-- country-years withheld, when public); listed by its M49 code and again
-- by its alpha-3 code.  A partner not stated or not listed is 'unknown'.
CREATE FUNCTION iafq.explain_partner_keys(p_area_type text, p_hidden text[])
RETURNS TABLE (code text, key text)
LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp
AS $fn$
SELECT c.code, k.key
FROM (
    SELECT m.iso3::text AS iso3, m.m49,
           CASE WHEN m.iso3::text = ANY (p_hidden) THEN 'not-published'
                WHEN p_area_type = 'country' THEN m.m49
                ELSE coalesce(ca.area_code, 'unknown') END AS key
    FROM iafq.m49_country AS m
    LEFT JOIN iafq.country_area AS ca
           ON ca.iso3 = m.iso3
          AND ca.area_type = CASE WHEN p_area_type = 'world' THEN 'region'
                                  ELSE p_area_type END
) AS k
CROSS JOIN LATERAL (VALUES (k.m49), (k.iso3)) AS c(code)
$fn$;
REVOKE ALL ON FUNCTION iafq.explain_partner_keys(text, text[])
    FROM PUBLIC;
GRANT EXECUTE ON FUNCTION iafq.explain_partner_keys(text, text[])
    TO iafq_analyst;

-- The published rows of one area (area_code) and year of a stable view
-- (view: its name, in iafq or, public, in iafq_public) in the latest run,
-- its columns named as aggregate/explain.c's table of views names them:
-- keys (up to three, in order: key, key2, key3; NULL: none), figure (as
-- text, exact), mean (gs3's share_pct_mean as text; NULL: none), a, b (the
-- parts the figure is made of; NULL: none).  Ordered by area_type and the
-- keys (first_desc: the first key descending, gs6's total first).  The
-- identifiers are quoted and the view must be one of the schema's: no other
-- text reaches the statement.
CREATE FUNCTION iafq.explain_rows(p_view text, p_public boolean,
                                  p_area_code text, p_year int,
                                  p_keys text[], p_figure text, p_mean text,
                                  p_a text, p_b text, p_first_desc boolean)
RETURNS TABLE (area_type text, area_code text, area_name text, year int,
               key text, key2 text, key3 text, figure text, mean text,
               a bigint, b bigint, countries int, run bigint)
LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp
AS $fn$
DECLARE
    sch text := CASE WHEN p_public THEN 'iafq_public' ELSE 'iafq' END;
    rel regclass;
BEGIN
    SELECT c.oid INTO rel
    FROM pg_class AS c JOIN pg_namespace AS n ON n.oid = c.relnamespace
    WHERE n.nspname = sch AND c.relname = p_view AND c.relkind = 'v';
    IF rel IS NULL OR cardinality(p_keys) > 3 THEN
        RAISE EXCEPTION 'explain: no view %.% (or more than 3 keys)',
            sch, p_view;
    END IF;
    RETURN QUERY EXECUTE format(
        'SELECT v.area_type::text, v.area_code::text, v.area_name::text, '
        'v.year::int, %s::text, %s::text, %s::text, %s::text, %s::text, '
        '%s::bigint, %s::bigint, v.countries::int, '
        '(SELECT r.id FROM %I.latest_run AS r)::bigint '
        'FROM %s AS v WHERE v.area_code = $1 AND v.year = $2 '
        'ORDER BY 1, 5 %s, 6, 7',
        coalesce('v.' || quote_ident(p_keys[1]), 'NULL'),
        coalesce('v.' || quote_ident(p_keys[2]), 'NULL'),
        coalesce('v.' || quote_ident(p_keys[3]), 'NULL'),
        coalesce('v.' || quote_ident(p_figure), 'NULL'),
        coalesce('v.' || quote_ident(p_mean), 'NULL'),
        coalesce('v.' || quote_ident(p_a), 'NULL'),
        coalesce('v.' || quote_ident(p_b), 'NULL'),
        sch, rel, CASE WHEN p_first_desc THEN 'DESC' ELSE '' END)
    USING p_area_code, p_year;
END;
$fn$;
REVOKE ALL ON FUNCTION iafq.explain_rows(text, boolean, text, int, text[],
    text, text, text, text, boolean) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION iafq.explain_rows(text, boolean, text, int, text[],
    text, text, text, text, boolean) TO iafq_analyst;

-- Every stored result row (every run), by its run: the one list of the
-- result tables that `iafq runs list` (the rows each run stored,
-- sql/q/runs_list.sql) and `iafq runs prune` (how many it removed,
-- sql/q/runs_rows.sql) count.
CREATE VIEW iafq.result_run AS
SELECT run_id FROM iafq.res_sdg_16_4_2
UNION ALL SELECT run_id FROM iafq.res_sdg_16_4_2_by_column
UNION ALL SELECT run_id FROM iafq.res_sdg_16_4_2_by_tracing
UNION ALL SELECT run_id FROM iafq.res_gs1
UNION ALL SELECT run_id FROM iafq.res_share
UNION ALL SELECT run_id FROM iafq.res_count
UNION ALL SELECT run_id FROM iafq.res_gs8
UNION ALL SELECT run_id FROM iafq.res_gs9;
GRANT SELECT ON iafq.result_run TO iafq_analyst, iafq_loader;
