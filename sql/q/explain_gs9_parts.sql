-- explain gs9: the countries behind one published row, each with its
-- submission and the T11 seizure rows its figures are made of, in the
-- latest run.
-- A country's part is the sum of its country rows of the view (year and
-- flow) whose partner falls in the row's partner: at the country level the
-- partner country itself, above it the partner's area of the row's level
-- (the world's: its M49 region), as iafq.calc_gs9 groups them; with public,
-- a partner withheld in the year is 'not-published' whatever its area, as
-- iafq_public.gs9 (iafq.gs9_published) hides it.  Its T11 rows are the
-- seizures of its submission whose partners give the same key: quantity
-- sums the quantities given, seizures counts the rows.
-- $1 area type, $2 area code, $3 year, $4 the row's flow, $5 public
-- (boolean): only the submissions published now (iafq.public_submission)
-- and withheld partners hidden; $6, $7, $8 the row's manufacture,
-- departure and destination keys as sql/q/explain_gs9.sql gives them (NULL:
-- not a column of the flow); $9 how many T11 rows to list per country (all
-- are summed).
-- Columns: iso3, m49, name, withheld, submission_id, file_name, sha256,
-- source, received, a (quantity of its country rows; NULL: none given),
-- b (their seizures), figure (a as text), cells (JSON array of the first $9
-- T11 rows: table, seizure_id, row (sheet_row), origin, quantity (text or
-- null), manufacture, departure, destination (alpha-3 as returned; '' for
-- a partner withheld when public)), t11_quantity (text; NULL: none
-- given), t11_given (rows with a quantity), t11_rows.
WITH lvl AS (
    SELECT CASE WHEN $1::text = 'world' THEN 'region' ELSE $1::text END
           AS partner_type
), hidden AS MATERIALIZED (
    SELECT w.country FROM iafq.public_withheld AS w
    WHERE $5::boolean AND w.year = $3::int
), rep AS (
    -- the reporting countries' country rows of the view, with the row key
    -- their partners have at the row's level
    SELECT ca.iso3, m.m49, m.name, g.submission_id, g.withheld,
           g.quantity, g.seizures,
           CASE WHEN $4::text <> 'manufacture' THEN NULL
                WHEN hm.country IS NOT NULL THEN 'not-published'
                WHEN $1::text = 'country' THEN coalesce(g.manufacture_code, 'unknown')
                ELSE coalesce(am.area_code, 'unknown') END AS k_m,
           CASE WHEN $4::text <> 'route' THEN NULL
                WHEN hd.country IS NOT NULL THEN 'not-published'
                WHEN $1::text = 'country' THEN coalesce(g.departure_code, 'unknown')
                ELSE coalesce(ad.area_code, 'unknown') END AS k_d,
           CASE WHEN $4::text <> 'route' THEN NULL
                WHEN ht.country IS NOT NULL THEN 'not-published'
                WHEN $1::text = 'country' THEN coalesce(g.destination_code, 'unknown')
                ELSE coalesce(at.area_code, 'unknown') END AS k_t
    FROM iafq.country_area AS ca
    JOIN iafq.m49_country AS m ON m.iso3 = ca.iso3
    JOIN iafq.gs9 AS g
      ON g.area_type = 'country' AND g.area_code = m.m49 AND g.year = $3::int
     AND g.flow = $4::text
    CROSS JOIN lvl
    LEFT JOIN iafq.m49_country AS pm ON pm.m49 = g.manufacture_code
    LEFT JOIN iafq.m49_country AS pd ON pd.m49 = g.departure_code
    LEFT JOIN iafq.m49_country AS pt ON pt.m49 = g.destination_code
    LEFT JOIN hidden AS hm ON hm.country = pm.iso3
    LEFT JOIN hidden AS hd ON hd.country = pd.iso3
    LEFT JOIN hidden AS ht ON ht.country = pt.iso3
    LEFT JOIN iafq.country_area AS am
           ON am.iso3 = pm.iso3 AND am.area_type = lvl.partner_type
    LEFT JOIN iafq.country_area AS ad
           ON ad.iso3 = pd.iso3 AND ad.area_type = lvl.partner_type
    LEFT JOIN iafq.country_area AS at
           ON at.iso3 = pt.iso3 AND at.area_type = lvl.partner_type
    WHERE ca.area_type = $1::text AND ca.area_code = $2::text
      AND (NOT $5::boolean
           OR g.submission_id IN (SELECT p.id FROM iafq.public_submission AS p))
), part AS (
    SELECT r.iso3, r.m49, r.name, min(r.submission_id) AS submission_id,
           bool_or(r.withheld > 0) AS withheld,
           sum(r.quantity)::bigint AS quantity,
           sum(r.seizures)::bigint AS seizures
    FROM rep AS r
    WHERE r.k_m IS NOT DISTINCT FROM $6::text
      AND r.k_d IS NOT DISTINCT FROM $7::text
      AND r.k_t IS NOT DISTINCT FROM $8::text
    GROUP BY r.iso3, r.m49, r.name
)
SELECT p.iso3, p.m49, p.name, p.withheld,
       s.id AS submission_id, s.file_name, s.sha256, s.source,
       to_char(s.received AT TIME ZONE 'UTC',
               'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS received,
       p.quantity AS a, p.seizures AS b, p.quantity::text AS figure,
       coalesce(t.cells, '[]') AS cells,
       t.quantity::text AS t11_quantity, t.given AS t11_given,
       t.nrows AS t11_rows
FROM part AS p
JOIN iafq.submission AS s ON s.id = p.submission_id
CROSS JOIN LATERAL (
    SELECT sum(x.quantity) AS quantity, count(x.quantity) AS given,
           count(*) AS nrows,
           (jsonb_agg(jsonb_build_object(
                'table', 'T11', 'seizure_id', x.seizure_id,
                'row', x.sheet_row, 'origin', x.origin,
                'quantity', x.quantity::text, 'manufacture', x.m_shown,
                'departure', x.d_shown, 'destination', x.t_shown)
              ORDER BY x.ord) FILTER (WHERE x.ord <= $9::int))::text AS cells
    FROM (
        SELECT k.*, row_number() OVER (
                   ORDER BY k.sheet_row NULLS LAST, k.origin, k.seizure_id)
               AS ord
        FROM (
            SELECT z.seizure_id, z.sheet_row, z.origin, z.quantity,
                   CASE WHEN hm.country IS NOT NULL THEN ''
                        ELSE rtrim(z.manufacture_country) END AS m_shown,
                   CASE WHEN hd.country IS NOT NULL THEN ''
                        ELSE rtrim(z.departure_country) END AS d_shown,
                   CASE WHEN ht.country IS NOT NULL THEN ''
                        ELSE rtrim(z.destination_country) END AS t_shown,
                   CASE WHEN $4::text <> 'manufacture' THEN NULL
                        WHEN hm.country IS NOT NULL THEN 'not-published'
                        WHEN $1::text = 'country' THEN coalesce(pm.m49, 'unknown')
                        ELSE coalesce(am.area_code, 'unknown') END AS k_m,
                   CASE WHEN $4::text <> 'route' THEN NULL
                        WHEN hd.country IS NOT NULL THEN 'not-published'
                        WHEN $1::text = 'country' THEN coalesce(pd.m49, 'unknown')
                        ELSE coalesce(ad.area_code, 'unknown') END AS k_d,
                   CASE WHEN $4::text <> 'route' THEN NULL
                        WHEN ht.country IS NOT NULL THEN 'not-published'
                        WHEN $1::text = 'country' THEN coalesce(pt.m49, 'unknown')
                        ELSE coalesce(at.area_code, 'unknown') END AS k_t
            FROM iafq.seizure AS z
            CROSS JOIN lvl
            LEFT JOIN iafq.m49_country AS pm ON pm.iso3 = z.manufacture_country
            LEFT JOIN iafq.m49_country AS pd ON pd.iso3 = z.departure_country
            LEFT JOIN iafq.m49_country AS pt ON pt.iso3 = z.destination_country
            LEFT JOIN hidden AS hm ON hm.country = pm.iso3
            LEFT JOIN hidden AS hd ON hd.country = pd.iso3
            LEFT JOIN hidden AS ht ON ht.country = pt.iso3
            LEFT JOIN iafq.country_area AS am
                   ON am.iso3 = pm.iso3 AND am.area_type = lvl.partner_type
            LEFT JOIN iafq.country_area AS ad
                   ON ad.iso3 = pd.iso3 AND ad.area_type = lvl.partner_type
            LEFT JOIN iafq.country_area AS at
                   ON at.iso3 = pt.iso3 AND at.area_type = lvl.partner_type
            WHERE z.submission_id = p.submission_id
        ) AS k
        WHERE k.k_m IS NOT DISTINCT FROM $6::text
          AND k.k_d IS NOT DISTINCT FROM $7::text
          AND k.k_t IS NOT DISTINCT FROM $8::text
    ) AS x
) AS t
ORDER BY p.iso3
