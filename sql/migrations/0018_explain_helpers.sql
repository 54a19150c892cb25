-- 0018_explain_helpers: the skeleton every `iafq explain` parts query
-- shared, written once (issue 11: no query written twice).  The queries
-- (sql/q/explain_parts.sql, sql/q/explain_gs9_parts.sql) keep what is
-- their own: the view's country rows behind a published row, and which
-- cells each figure is made of.
--
-- All run as the caller (`iafq explain` connects as iafq_analyst, who may
-- read every table they read), with a fixed search_path; EXECUTE is revoked
-- from PUBLIC and granted to the analyst.

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

-- GS9: the keys of a seizure's partners (alpha-3 codes; NULL: not stated)
-- at the level of a published row (area_type; the world's: its M49
-- region), as sql/q/explain_gs9.sql gives them: k_m the manufacture
-- country's (flow 'manufacture'), k_d, k_t the departure and destination
-- countries' (flow 'route'), NULL for a column the flow does not have.  A
-- key is the partner's M49 code (country level) or its area's code,
-- 'unknown' (not stated, or not an M49 country) or 'not-published' (in
-- hidden: the country-years withheld, when public).
CREATE FUNCTION iafq.explain_partners(p_flow text, p_manufacture text,
                                      p_departure text, p_destination text,
                                      p_area_type text, p_hidden text[])
RETURNS TABLE (k_m text, k_d text, k_t text)
LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp
AS $fn$
SELECT max(k.key) FILTER (WHERE k.side = 'm' AND p_flow = 'manufacture'),
       max(k.key) FILTER (WHERE k.side = 'd' AND p_flow = 'route'),
       max(k.key) FILTER (WHERE k.side = 't' AND p_flow = 'route')
FROM (
    SELECT x.side,
           CASE WHEN m.iso3 IS NULL THEN 'unknown'
                WHEN m.iso3::text = ANY (p_hidden) THEN 'not-published'
                WHEN p_area_type = 'country' THEN m.m49
                ELSE coalesce(
                    (SELECT ca.area_code FROM iafq.country_area AS ca
                     WHERE ca.iso3 = m.iso3
                       AND ca.area_type = CASE WHEN p_area_type = 'world'
                                               THEN 'region'
                                               ELSE p_area_type END),
                    'unknown') END AS key
    FROM (VALUES ('m', p_manufacture), ('d', p_departure),
                 ('t', p_destination)) AS x(side, iso3)
    LEFT JOIN iafq.m49_country AS m ON m.iso3 = x.iso3
) AS k
$fn$;

REVOKE ALL ON FUNCTION
    iafq.explain_part(text, text, boolean, text, bigint),
    iafq.explain_cells(bigint, iafq.explain_pick[]),
    iafq.explain_columns(bigint, text[], text, text, text, text),
    iafq.explain_partners(text, text, text, text, text, text[])
    FROM PUBLIC;
GRANT EXECUTE ON FUNCTION
    iafq.explain_part(text, text, boolean, text, bigint),
    iafq.explain_cells(bigint, iafq.explain_pick[]),
    iafq.explain_columns(bigint, text[], text, text, text, text),
    iafq.explain_partners(text, text, text, text, text, text[])
    TO iafq_analyst;
