-- explain gs9: the countries behind one published row, each with its
-- submission and the T11 seizure rows its figures are made of, in the
-- latest run.
-- A country's part is the sum of its country rows of the view (year and
-- flow) whose partner falls in the row's partner: at the country level the
-- partner country itself, above it the partner's area of the row's level
-- (the world's: its M49 region), as iafq.calc_gs9 groups them; with public,
-- a partner withheld in the year is 'not-published' whatever its area, as
-- iafq_public.gs9 (iafq.gs9_published) hides it (iafq.explain_partners,
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
), part AS (
    -- the reporting countries' country rows of the view whose partners
    -- have the row's key at the row's level
    SELECT e.iso3, e.m49, e.name, e.submission_id, e.file_name, e.sha256,
           e.source, e.received, bool_or(g.withheld > 0) AS withheld,
           sum(g.quantity)::bigint AS quantity,
           sum(g.seizures)::bigint AS seizures
    FROM iafq.gs9 AS g
    CROSS JOIN hidden AS h
    CROSS JOIN LATERAL iafq.explain_part($1::text, $2::text, $4::boolean,
                                         g.area_code, g.submission_id) AS e
    LEFT JOIN iafq.m49_country AS pm ON pm.m49 = g.manufacture_code
    LEFT JOIN iafq.m49_country AS pd ON pd.m49 = g.departure_code
    LEFT JOIN iafq.m49_country AS pt ON pt.m49 = g.destination_code
    CROSS JOIN LATERAL iafq.explain_partners(
        $6::text, pm.iso3::text, pd.iso3::text, pt.iso3::text, $1::text,
        h.countries) AS k
    WHERE g.area_type = 'country' AND g.year = $3::int AND g.flow = $6::text
      AND k.k_m IS NOT DISTINCT FROM $7::text
      AND k.k_d IS NOT DISTINCT FROM $8::text
      AND k.k_t IS NOT DISTINCT FROM $9::text
    GROUP BY e.iso3, e.m49, e.name, e.submission_id, e.file_name, e.sha256,
             e.source, e.received
)
SELECT p.iso3, p.m49, p.name, p.withheld, p.submission_id, p.file_name,
       p.sha256, p.source, p.received,
       p.quantity AS a, p.seizures AS b, p.quantity::text AS figure,
       coalesce(t.cells, '[]') AS cells,
       t.quantity::text AS t11_quantity, t.given AS t11_given,
       t.nrows AS t11_rows
FROM part AS p
CROSS JOIN hidden AS h
CROSS JOIN LATERAL (
    SELECT sum(x.quantity) AS quantity, count(x.quantity) AS given,
           count(*) AS nrows,
           (jsonb_agg(jsonb_build_object(
                'table', 'T11', 'seizure_id', x.seizure_id,
                'row', x.sheet_row, 'origin', x.origin,
                'quantity', x.quantity::text, 'manufacture', x.m_shown,
                'departure', x.d_shown, 'destination', x.t_shown)
              ORDER BY x.ord) FILTER (WHERE x.ord <= $10::int))::text AS cells
    FROM (
        SELECT z.seizure_id, z.sheet_row, z.origin, z.quantity,
               row_number() OVER (
                   ORDER BY z.sheet_row NULLS LAST, z.origin, z.seizure_id)
               AS ord,
               CASE WHEN rtrim(z.manufacture_country) = ANY (h.countries)
                    THEN '' ELSE rtrim(z.manufacture_country) END AS m_shown,
               CASE WHEN rtrim(z.departure_country) = ANY (h.countries)
                    THEN '' ELSE rtrim(z.departure_country) END AS d_shown,
               CASE WHEN rtrim(z.destination_country) = ANY (h.countries)
                    THEN '' ELSE rtrim(z.destination_country) END AS t_shown
        FROM iafq.seizure AS z
        CROSS JOIN LATERAL iafq.explain_partners(
            $6::text, rtrim(z.manufacture_country),
            rtrim(z.departure_country), rtrim(z.destination_country),
            $1::text, h.countries) AS k
        WHERE z.submission_id = p.submission_id
          AND k.k_m IS NOT DISTINCT FROM $7::text
          AND k.k_d IS NOT DISTINCT FROM $8::text
          AND k.k_t IS NOT DISTINCT FROM $9::text
    ) AS x
) AS t
ORDER BY p.iso3
