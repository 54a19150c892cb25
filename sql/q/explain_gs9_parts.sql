-- explain gs9: the countries behind one published row, each with its
-- submission and the T11 seizure rows its figures are made of, in the
-- latest run.
-- A country's part is the sum of its country rows of the view (year and
-- flow) whose partner falls in the row's partner: at the country level the
-- partner country itself, above it the partner's area of the row's level
-- (the world's: its M49 region), as iafq.calc_gs9 groups them; with public,
-- a partner withheld in the year is 'not-published' whatever its area, as
-- iafq_public.gs9 (iafq.gs9_published) hides it (iafq.explain_partner_keys,
-- migration 0018).  Its T11 rows are the seizures of its submission whose
-- partners give the same key: quantity sums the quantities given,
-- seizures counts the rows.
-- $1 area type, $2 area code, $3 year, $4 public (boolean): only the
-- submissions published now (iafq.public_submission) and withheld partners
-- hidden; $5 the view ('gs9'); $6 the row's flow; $7, $8, $9 its
-- manufacture, departure and destination keys as sql/q/explain_gs9.sql
-- gives them (NULL: not a column of the flow); $10 how many T11 rows to
-- list per country (all are summed).
-- Columns: iso3, m49, name, withheld, submission_id, file_name, sha256,
-- source, received, a (quantity of its country rows; NULL: none given),
-- b (their seizures), figure (a as text), cells (JSON array of the first $10
-- T11 rows: table, seizure_id, row (sheet_row), origin, quantity (text or
-- null), manufacture, departure, destination (alpha-3 as returned; '' for
-- a partner withheld when public)), t11_quantity (text; NULL: none
-- given), t11_given (rows with a quantity), t11_rows.
WITH hidden AS MATERIALIZED (
    SELECT coalesce(array_agg(w.country::text), '{}') AS countries
    FROM iafq.public_withheld AS w
    WHERE $4::boolean AND w.year = $3::int AND $5::text = 'gs9'
), keys AS MATERIALIZED (
    SELECT k.code, k.key
    FROM hidden AS h
    CROSS JOIN LATERAL iafq.explain_partner_keys($1::text, h.countries) AS k
), rep AS MATERIALIZED (
    -- the reporting countries of the area: their country rows of the view
    SELECT e.*, g.withheld, g.quantity, g.seizures, g.manufacture_code,
           g.departure_code, g.destination_code
    FROM (SELECT DISTINCT g.area_code, g.submission_id
          FROM iafq.gs9 AS g
          WHERE g.area_type = 'country' AND g.year = $3::int
            AND g.flow = $6::text) AS c
    CROSS JOIN LATERAL iafq.explain_part($1::text, $2::text, $4::boolean,
                                         c.area_code, c.submission_id) AS e
    JOIN iafq.gs9 AS g
      ON g.area_type = 'country' AND g.area_code = c.area_code
     AND g.year = $3::int AND g.flow = $6::text
), matched AS (
    -- their rows of the view (seizure_id NULL; partners by M49 code) and
    -- their submissions' T11 rows (partners by alpha-3 code) whose
    -- partners have the row's keys
    SELECT x.*
    FROM (
        SELECT r.iso3, r.withheld, r.quantity, r.seizures,
               NULL::text AS seizure_id, NULL::int AS sheet_row,
               NULL::text AS origin, r.manufacture_code AS m,
               r.departure_code AS d, r.destination_code AS t
        FROM rep AS r
        UNION ALL
        SELECT r.iso3, NULL, z.quantity, NULL, z.seizure_id, z.sheet_row,
               z.origin, rtrim(z.manufacture_country),
               rtrim(z.departure_country), rtrim(z.destination_country)
        FROM (SELECT DISTINCT r.iso3, r.submission_id FROM rep AS r) AS r
        JOIN iafq.seizure AS z ON z.submission_id = r.submission_id
    ) AS x
    LEFT JOIN keys AS km ON km.code = x.m
    LEFT JOIN keys AS kd ON kd.code = x.d
    LEFT JOIN keys AS kt ON kt.code = x.t
    WHERE CASE WHEN $6::text = 'manufacture'
               THEN coalesce(km.key, 'unknown') END
              IS NOT DISTINCT FROM $7::text
      AND CASE WHEN $6::text = 'route' THEN coalesce(kd.key, 'unknown') END
              IS NOT DISTINCT FROM $8::text
      AND CASE WHEN $6::text = 'route' THEN coalesce(kt.key, 'unknown') END
              IS NOT DISTINCT FROM $9::text
), part AS (
    SELECT x.iso3, bool_or(x.withheld > 0) AS withheld,
           sum(x.quantity)::bigint AS quantity,
           sum(x.seizures)::bigint AS seizures
    FROM matched AS x
    WHERE x.seizure_id IS NULL
    GROUP BY x.iso3
), t11 AS (
    SELECT x.iso3, sum(x.quantity) AS quantity, count(x.quantity) AS given,
           count(*) AS nrows,
           (jsonb_agg(jsonb_build_object(
                'table', 'T11', 'seizure_id', x.seizure_id,
                'row', x.sheet_row, 'origin', x.origin,
                'quantity', x.quantity::text,
                'manufacture', CASE WHEN x.m = ANY (h.countries) THEN ''
                                    ELSE x.m END,
                'departure', CASE WHEN x.d = ANY (h.countries) THEN ''
                                  ELSE x.d END,
                'destination', CASE WHEN x.t = ANY (h.countries) THEN ''
                                    ELSE x.t END)
              ORDER BY x.ord) FILTER (WHERE x.ord <= $10::int))::text AS cells
    FROM (
        SELECT y.*, row_number() OVER (
                   PARTITION BY y.iso3
                   ORDER BY y.sheet_row NULLS LAST, y.origin, y.seizure_id)
               AS ord
        FROM matched AS y
        WHERE y.seizure_id IS NOT NULL
    ) AS x
    CROSS JOIN hidden AS h
    GROUP BY x.iso3
)
SELECT p.iso3, s.m49, s.name, p.withheld, s.submission_id, s.file_name,
       s.sha256, s.source, s.received,
       p.quantity AS a, p.seizures AS b, p.quantity::text AS figure,
       coalesce(t.cells, '[]') AS cells,
       t.quantity::text AS t11_quantity, coalesce(t.given, 0) AS t11_given,
       coalesce(t.nrows, 0) AS t11_rows
FROM part AS p
JOIN (SELECT DISTINCT r.iso3, r.m49, r.name, r.submission_id, r.file_name,
                      r.sha256, r.source, r.received
      FROM rep AS r) AS s ON s.iso3 = p.iso3
LEFT JOIN t11 AS t ON t.iso3 = p.iso3
ORDER BY p.iso3
