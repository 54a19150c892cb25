-- 0003_calc: the indicator definitions, as views computed live from the
-- current submissions (iafq.calc_*).  `iafq aggregate` materialises them into
-- the result tables of 0004 (sql/aggregate/*.sql); an analyst can also query
-- them directly to see what the next run would give.
--
-- Conventions (IAFQ-SPEC section 5; docs/sql-interface.md):
--  * Only the newest accepted return of each country-year counts
--    (iafq.current_submissions).
--  * A value that was not given has no row in iafq.value: blank is never
--    zero, except where section 5 says so (16.4.2 numerator).
--  * Country rows and regional rows come from the same country-level rows:
--    every country-level row is joined with iafq.country_area (the country
--    itself, its M49 region, sub-region, SDG region and the world) and
--    summed.  So a regional figure is always a ratio of sums over the
--    countries behind it, and `countries` counts them.  (The larger views
--    write the country rows apart, as the group of one they are, and group
--    only the regional rows: the same figures, a much smaller hash table.)
--  * `withheld` counts the countries behind a row whose figures may not be
--    published (section 5, disclosure); iafq_public uses it.

-- ---------------------------------------------------------------------------
-- Reference: the row codes of each table (common/schema.c), in table order.
-- is_total marks TOTAL rows and sub-totals (T8 UI_TOTAL, NUI_TOTAL): rows that
-- are not components of their table's total.
CREATE TABLE iafq.table_row (
    tbl      text NOT NULL,
    row_code text NOT NULL,
    ord      int  NOT NULL,
    is_total boolean NOT NULL,
    PRIMARY KEY (tbl, row_code)
);
INSERT INTO iafq.table_row (tbl, row_code, ord, is_total)
SELECT t.tbl, r.code, r.ord::int, r.code IN ('TOTAL', 'UI_TOTAL', 'NUI_TOTAL')
FROM (VALUES
    ('T1', ARRAY['PISTOL', 'REVOLVER', 'RIFLE', 'SHOTGUN', 'SUBMACHINE_GUN',
                 'MACHINE_GUN', 'OTHER', 'UNKNOWN', 'TOTAL']),
    ('T2', ARRAY['PARTS', 'AMMUNITION', 'CASES']),
    ('T3', ARRAY['POSSESSION', 'USE', 'TRAFFICKING', 'MANUFACTURE',
                 'ALTERED_MARKINGS', 'OTHER', 'UNKNOWN', 'TOTAL']),
    ('T4', ARRAY['VIOLENT_CRIME', 'DRUGS', 'TERRORISM', 'ORGANIZED_CRIME',
                 'OTHER_TRAFFICKING', 'OTHER_ARMS_OFFENCES', 'ILLICIT_OFFENCES',
                 'OTHER']),
    ('T5', ARRAY['INDUSTRIAL', 'ASSEMBLED', 'CONVERTED', 'MODIFIED',
                 'REACTIVATED', 'OTHER_ILLICIT', 'TOTAL']),
    ('T6', ARRAY['UNIQUE', 'ALTERED', 'NONE', 'UNKNOWN', 'TOTAL']),
    ('T7', ARRAY['LAND_BORDER', 'AIRPORT', 'HARBOUR', 'TERRITORY', 'OTHER',
                 'UNKNOWN', 'TOTAL']),
    ('T8', ARRAY['UI_LEGIT_NATIONAL', 'UI_ILLEGIT_NATIONAL', 'UI_ILLEGIT_FOREIGN',
                 'UI_OTHERWISE', 'UI_NO_DIVERSION', 'UI_PENDING',
                 'UI_NOT_INITIATED', 'UI_TOTAL', 'NUI_ILLICIT_MANUFACTURE',
                 'NUI_ALTERED', 'NUI_NO_INFO', 'NUI_TOTAL', 'UNKNOWN_MARKING',
                 'TOTAL']),
    ('T9', ARRAY['ARRESTED', 'PROSECUTED', 'CONVICTED', 'TARGETED']),
    ('T10', ARRAY['ONLY_TRAFFICKING', 'WITH_POSSESSION', 'WITH_OTHER_ARMS',
                  'WITH_DRUGS', 'WITH_VIOLENT', 'WITH_TERRORISM',
                  'WITH_OTHER_TRAFFICKING', 'WITH_OTHER'])
) AS t (tbl, codes)
CROSS JOIN LATERAL unnest(t.codes) WITH ORDINALITY AS r (code, ord);

-- ---------------------------------------------------------------------------
-- Areas: each country with every area it belongs to, one row per area,
-- the country itself included (area_type 'country').  Antarctica belongs to
-- the world only.
CREATE MATERIALIZED VIEW iafq.country_area AS
SELECT c.iso3, 'country'::text AS area_type, c.m49 AS area_code, c.name AS area_name
FROM iafq.m49_country AS c
UNION ALL
SELECT c.iso3, 'region', c.region_code, c.region_name
FROM iafq.m49_country AS c WHERE c.region_code IS NOT NULL
UNION ALL
SELECT c.iso3, 'subregion', c.subregion_code, c.subregion_name
FROM iafq.m49_country AS c WHERE c.subregion_code IS NOT NULL
UNION ALL
SELECT c.iso3, 'sdg_region', c.sdg_region_code, c.sdg_region_name
FROM iafq.m49_country AS c WHERE c.sdg_region_code IS NOT NULL
UNION ALL
SELECT c.iso3, 'world', w.code, w.name
FROM iafq.m49_country AS c
CROSS JOIN iafq.m49 AS w
WHERE w.level = 'world';
-- (materialised, with statistics, for the planner: the rollups join millions
-- of rows with it.  A later migration that changes iafq.m49_country must
-- REFRESH MATERIALIZED VIEW iafq.country_area.)
CREATE UNIQUE INDEX country_area_key ON iafq.country_area (iso3, area_type);
ANALYZE iafq.country_area;

-- ---------------------------------------------------------------------------
-- Areas by type and code, with their names (the five area types).
CREATE VIEW iafq.area AS
SELECT m.level AS area_type, m.code AS area_code, m.name AS area_name
FROM iafq.m49 AS m
WHERE m.level IN ('country', 'region', 'subregion', 'sdg_region', 'world');

-- ---------------------------------------------------------------------------
-- Disclosure.  A country's consent is what its newest accepted return says
-- (greatest received, then greatest id; IAFQ-SPEC section 5).
CREATE VIEW iafq.country_consent AS
SELECT DISTINCT ON (cs.country)
       cs.country, cs.id AS submission_id, cs.year, cs.received, cs.consent
FROM iafq.current_submissions AS cs
ORDER BY cs.country, cs.received DESC, cs.id DESC;

-- The returns aggregation reads: one per country-year.  `withheld`: this
-- country-year's figures may not be published by name, because the
-- country's newest accepted return says CONSENT = NO, or because this very
-- return says NO (a later YES for another year does not publish figures the
-- country sent under NO).  A missing CONSENT counts as NO.
CREATE VIEW iafq.calc_return AS
SELECT cs.id AS submission_id, cs.country, cs.year, cs.consent,
       (cs.consent IS NOT TRUE OR cc.consent IS NOT TRUE) AS withheld
FROM iafq.current_submissions AS cs
JOIN iafq.country_consent AS cc ON cc.country = cs.country;

-- Is country `iso3` withheld in `year`?  Also for a country named only as a
-- partner (GS9): withheld when its newest return, or its return for that
-- year, says NO; a country that never sent a return is not withheld.
CREATE VIEW iafq.calc_withheld AS
SELECT cc.country, y.year,
       cc.consent IS NOT TRUE OR coalesce(r.withheld, false) AS withheld
FROM iafq.country_consent AS cc
CROSS JOIN (SELECT DISTINCT year FROM iafq.current_submissions) AS y
LEFT JOIN iafq.calc_return AS r ON r.country = cc.country AND r.year = y.year;

-- The figures of the current returns.
CREATE VIEW iafq.calc_value AS
SELECT r.submission_id, r.country, r.year, r.withheld,
       v.tbl, v.row_code, v.col_code, v.n
FROM iafq.calc_return AS r
JOIN iafq.value AS v ON v.submission_id = r.submission_id;

-- ===========================================================================
-- SDG 16.4.2: proportion of seized, found or surrendered arms whose illicit
-- origin or context has been traced or established by a competent authority.
-- ===========================================================================

-- Step 1, per country-year and column (SEIZED, FOUND, SURRENDERED):
--   t1_total      T1 TOTAL of the column (NULL when not given)
--   t8_rows_given how many T8 rows of the column are given
--   traced        T8 UI_LEGIT_NATIONAL + UI_ILLEGIT_NATIONAL
--                 + UI_ILLEGIT_FOREIGN + UI_OTHERWISE, a blank counting as 0
--   qualifying    T1 TOTAL given and > 0, and at least one T8 row given
CREATE VIEW iafq.calc_sdg_16_4_2_column AS
SELECT g.*,
       (g.t1_total > 0 AND g.t8_rows_given > 0) AS qualifying
FROM (
    SELECT v.submission_id, v.country, v.year, v.withheld,
           v.col_code AS arms,
           max(v.n) FILTER (WHERE v.tbl = 'T1') AS t1_total,
           count(*) FILTER (WHERE v.tbl = 'T8') AS t8_rows_given,
           coalesce(sum(v.n) FILTER (
               WHERE v.tbl = 'T8'
                 AND v.row_code IN ('UI_LEGIT_NATIONAL', 'UI_ILLEGIT_NATIONAL',
                                    'UI_ILLEGIT_FOREIGN', 'UI_OTHERWISE')), 0) AS traced
    FROM iafq.calc_value AS v
    WHERE v.col_code IN ('SEIZED', 'FOUND', 'SURRENDERED')
      AND ((v.tbl = 'T1' AND v.row_code = 'TOTAL') OR v.tbl = 'T8')
    GROUP BY v.submission_id, v.country, v.year, v.withheld, v.col_code
) AS g;

-- Step 2, per country-year: N = sum of traced, D = sum of T1 TOTAL, over the
-- qualifying columns.  No qualifying column: no row (no value).
CREATE VIEW iafq.calc_sdg_16_4_2_country AS
SELECT c.submission_id, c.country, c.year, c.withheld,
       sum(c.traced) AS numerator,
       sum(c.t1_total) AS denominator
FROM iafq.calc_sdg_16_4_2_column AS c
WHERE c.qualifying
GROUP BY c.submission_id, c.country, c.year, c.withheld;

-- Step 3, every area: value = 100 * sum N / sum D over the countries with a
-- value (ratio of sums, never an average of percentages), unrounded.
CREATE VIEW iafq.calc_sdg_16_4_2 AS
SELECT a.area_type, a.area_code, a.area_name, c.year,
       sum(c.numerator) AS numerator,
       sum(c.denominator) AS denominator,
       100 * sum(c.numerator) / sum(c.denominator) AS value,
       count(*)::int AS countries,
       (count(*) FILTER (WHERE c.withheld))::int AS withheld,
       CASE WHEN a.area_type = 'country' THEN min(c.submission_id) END AS submission_id
FROM iafq.calc_sdg_16_4_2_country AS c
JOIN iafq.country_area AS a ON a.iso3 = c.country
GROUP BY a.area_type, a.area_code, a.area_name, c.year;

-- Disaggregation by column: the same, one column at a time (a column counts
-- where it qualifies).
CREATE VIEW iafq.calc_sdg_16_4_2_by_column AS
SELECT a.area_type, a.area_code, a.area_name, c.year, c.arms,
       sum(c.traced) AS numerator,
       sum(c.t1_total) AS denominator,
       100 * sum(c.traced) / sum(c.t1_total) AS value,
       count(*)::int AS countries,
       (count(*) FILTER (WHERE c.withheld))::int AS withheld,
       CASE WHEN a.area_type = 'country' THEN min(c.submission_id) END AS submission_id
FROM iafq.calc_sdg_16_4_2_column AS c
JOIN iafq.country_area AS a ON a.iso3 = c.country
WHERE c.qualifying
GROUP BY a.area_type, a.area_code, a.area_name, c.year, c.arms;

-- Disaggregation by tracing level: each T8 row (but TOTAL) as a share of T8
-- TOTAL, per column where both are given and TOTAL > 0, and for 'ALL' the
-- sums over those columns.
CREATE VIEW iafq.calc_sdg_16_4_2_tracing_country AS
WITH t8 AS (
    SELECT v.submission_id, v.country, v.year, v.withheld,
           v.col_code AS arms, v.row_code AS tracing, v.n, tot.n AS t8_total
    FROM iafq.calc_value AS v
    JOIN iafq.value AS tot
      ON tot.submission_id = v.submission_id AND tot.tbl = 'T8'
     AND tot.row_code = 'TOTAL' AND tot.col_code = v.col_code
    WHERE v.tbl = 'T8' AND v.row_code <> 'TOTAL' AND tot.n > 0
)
SELECT t8.submission_id, t8.country, t8.year, t8.withheld, t8.arms, t8.tracing,
       t8.n, t8.t8_total
FROM t8
UNION ALL
SELECT t8.submission_id, t8.country, t8.year, t8.withheld, 'ALL', t8.tracing,
       sum(t8.n), sum(t8.t8_total)
FROM t8
GROUP BY t8.submission_id, t8.country, t8.year, t8.withheld, t8.tracing;

CREATE VIEW iafq.calc_sdg_16_4_2_by_tracing AS
WITH c AS MATERIALIZED (
    SELECT * FROM iafq.calc_sdg_16_4_2_tracing_country
)
SELECT 'country'::text AS area_type, a.m49 AS area_code, a.name AS area_name,
       c.year, c.arms, c.tracing,
       c.n::numeric AS n,
       c.t8_total::numeric AS t8_total,
       100 * c.n::numeric / c.t8_total::numeric AS share_pct,
       1 AS countries,
       CASE WHEN c.withheld THEN 1 ELSE 0 END AS withheld,
       c.submission_id
FROM c
JOIN iafq.m49_country AS a ON a.iso3 = c.country
UNION ALL
SELECT a.area_type, a.area_code, a.area_name, c.year, c.arms, c.tracing,
       sum(c.n),
       sum(c.t8_total),
       100 * sum(c.n) / sum(c.t8_total),
       count(*)::int,
       (count(*) FILTER (WHERE c.withheld))::int,
       NULL::bigint
FROM c
JOIN iafq.country_area AS a ON a.iso3 = c.country AND a.area_type <> 'country'
GROUP BY a.area_type, a.area_code, a.area_name, c.year, c.arms, c.tracing;

-- ===========================================================================
-- Global Study tables (IAFQ-SPEC section 5).  GS6 is 16.4.2 (views in 0004).
-- ===========================================================================

-- GS1: arms seized, found, surrendered (T1 TOTAL of each column) and their
-- total (the sum of the columns the country gave).
CREATE VIEW iafq.calc_gs1 AS
WITH t1 AS (
    SELECT v.submission_id, v.country, v.year, v.withheld, v.col_code AS arms, v.n
    FROM iafq.calc_value AS v
    WHERE v.tbl = 'T1' AND v.row_code = 'TOTAL'
), c AS (
    SELECT * FROM t1
    UNION ALL
    SELECT t1.submission_id, t1.country, t1.year, t1.withheld, 'TOTAL', sum(t1.n)
    FROM t1
    GROUP BY t1.submission_id, t1.country, t1.year, t1.withheld
)
SELECT a.area_type, a.area_code, a.area_name, c.year, c.arms,
       sum(c.n) AS n,
       count(*)::int AS countries,
       (count(*) FILTER (WHERE c.withheld))::int AS withheld,
       CASE WHEN a.area_type = 'country' THEN min(c.submission_id) END AS submission_id
FROM c
JOIN iafq.country_area AS a ON a.iso3 = c.country
GROUP BY a.area_type, a.area_code, a.area_name, c.year, c.arms;

-- Shares of the reported components (GS2 T1 by type, GS3 T3, GS5 T5/T6/T7).
-- Per country-year, table and column: each given component row with
--   reported = the sum of the components the country gave in that column
-- (the TOTAL row is not a component).
CREATE VIEW iafq.calc_share_country AS
SELECT v.submission_id, v.country, v.year, v.withheld,
       v.tbl, v.col_code, v.row_code, v.n,
       sum(v.n) OVER w AS reported,
       v.n / nullif(sum(v.n) OVER w, 0) AS national_share -- fraction, NULL if reported is 0
FROM iafq.calc_value AS v
JOIN iafq.table_row AS tr
  ON tr.tbl = v.tbl AND tr.row_code = v.row_code AND NOT tr.is_total
WHERE v.tbl IN ('T1', 'T3', 'T5', 'T6', 'T7')
WINDOW w AS (PARTITION BY v.submission_id, v.tbl, v.col_code);

-- Every area, over the countries that gave the row:
--   share_pct      = 100 * sum n / sum reported   (ratio of sums)
--   share_pct_mean = mean of the national shares  (countries with reported > 0)
CREATE VIEW iafq.calc_share AS
WITH c AS MATERIALIZED (
    SELECT * FROM iafq.calc_share_country
)
SELECT 'country'::text AS area_type, a.m49 AS area_code, a.name AS area_name,
       c.year, c.tbl, c.col_code, c.row_code,
       c.n::numeric AS n,
       c.reported::numeric AS reported,
       100 * c.n::numeric / nullif(c.reported::numeric, 0) AS share_pct,
       100 * (c.national_share / 1::numeric) AS share_pct_mean, -- avg of one
       1 AS countries,
       CASE WHEN c.withheld THEN 1 ELSE 0 END AS withheld,
       c.submission_id
FROM c
JOIN iafq.m49_country AS a ON a.iso3 = c.country
UNION ALL
SELECT a.area_type, a.area_code, a.area_name, c.year,
       c.tbl, c.col_code, c.row_code,
       sum(c.n),
       sum(c.reported),
       100 * sum(c.n) / nullif(sum(c.reported), 0),
       100 * avg(c.national_share),
       count(*)::int,
       (count(*) FILTER (WHERE c.withheld))::int,
       NULL::bigint
FROM c
JOIN iafq.country_area AS a ON a.iso3 = c.country AND a.area_type <> 'country'
GROUP BY a.area_type, a.area_code, a.area_name, c.year, c.tbl, c.col_code, c.row_code;

-- Plain sums of given cells (GS4 T4, GS7 T2).
CREATE VIEW iafq.calc_count AS
WITH v AS MATERIALIZED (
    SELECT * FROM iafq.calc_value AS v WHERE v.tbl IN ('T2', 'T4')
)
SELECT 'country'::text AS area_type, a.m49 AS area_code, a.name AS area_name,
       v.year, v.tbl, v.col_code, v.row_code,
       v.n::numeric AS n,
       1 AS countries,
       CASE WHEN v.withheld THEN 1 ELSE 0 END AS withheld,
       v.submission_id
FROM v
JOIN iafq.m49_country AS a ON a.iso3 = v.country
UNION ALL
SELECT a.area_type, a.area_code, a.area_name, v.year,
       v.tbl, v.col_code, v.row_code,
       sum(v.n),
       count(*)::int,
       (count(*) FILTER (WHERE v.withheld))::int,
       NULL::bigint
FROM v
JOIN iafq.country_area AS a ON a.iso3 = v.country AND a.area_type <> 'country'
GROUP BY a.area_type, a.area_code, a.area_name, v.year, v.tbl, v.col_code, v.row_code;

-- GS8: persons by sex (T9).  n over the countries that gave the cell;
-- share_pct (the share of the sex in TOTAL; for FEMALE the share female) over
-- those of them whose T9 TOTAL is given and > 0.
CREATE VIEW iafq.calc_gs8 AS
WITH c AS MATERIALIZED (
    SELECT v.submission_id, v.country, v.year, v.withheld,
           v.row_code AS persons, v.col_code AS sex, v.n,
           CASE WHEN v.col_code <> 'TOTAL' AND tot.n > 0 THEN tot.n END AS total
    FROM iafq.calc_value AS v
    LEFT JOIN iafq.value AS tot
      ON tot.submission_id = v.submission_id AND tot.tbl = 'T9'
     AND tot.row_code = v.row_code AND tot.col_code = 'TOTAL'
    WHERE v.tbl = 'T9'
)
SELECT 'country'::text AS area_type, a.m49 AS area_code, a.name AS area_name,
       c.year, c.persons, c.sex,
       c.n::numeric AS n,
       100 * (CASE WHEN c.total IS NOT NULL THEN c.n END)::numeric
           / c.total::numeric AS share_pct,
       1 AS countries,
       CASE WHEN c.withheld THEN 1 ELSE 0 END AS withheld,
       c.submission_id
FROM c
JOIN iafq.m49_country AS a ON a.iso3 = c.country
UNION ALL
SELECT a.area_type, a.area_code, a.area_name, c.year, c.persons, c.sex,
       sum(c.n),
       100 * sum(c.n) FILTER (WHERE c.total IS NOT NULL) / sum(c.total),
       count(*)::int,
       (count(*) FILTER (WHERE c.withheld))::int,
       NULL::bigint
FROM c
JOIN iafq.country_area AS a ON a.iso3 = c.country AND a.area_type <> 'country'
GROUP BY a.area_type, a.area_code, a.area_name, c.year, c.persons, c.sex;

-- GS9: T11 significant seizures.  flow 'manufacture': quantity seized by the
-- reporting area x area of manufacture; flow 'route': departure area ->
-- destination area.  The partner is an area of the same level as the
-- reporting area (country x country, region x region, ...); for the world,
-- the partner is the M49 region.  Country rows are the reported flows as
-- they are; regional rows sum them over the reporting countries of the
-- area (countries = how many).  A partner that is NULL was not stated (or
-- belongs to no area of that level).  quantity sums the given quantities;
-- seizures counts the T11 rows.  partner_withheld: a country partner
-- (country rows only) whose figures may not be published.
-- How many partner combinations a return has (the planner's estimate of
-- the T11 grouping below; without it, it expects millions of groups).
CREATE STATISTICS iafq.seizure_partners (ndistinct)
    ON submission_id, manufacture_country, departure_country, destination_country
    FROM iafq.seizure;
CREATE VIEW iafq.calc_gs9 AS
WITH seizure_flow AS MATERIALIZED (
    -- one pass over the T11 rows of the current returns, grouped on codes
    -- only: per return and partner country(ies)
    SELECT s.submission_id,
           GROUPING(s.manufacture_country) AS is_route,
           s.manufacture_country, s.departure_country, s.destination_country,
           sum(s.quantity) AS quantity,
           count(*) AS seizures
    FROM iafq.seizure AS s
    WHERE s.submission_id IN (SELECT cs.id FROM iafq.current_submissions AS cs)
    GROUP BY GROUPING SETS (
        (s.submission_id, s.manufacture_country),
        (s.submission_id, s.departure_country, s.destination_country))
), country_flow AS MATERIALIZED (
    -- per reporting country-year and partner country(ies)
    SELECT r.submission_id, r.country, r.year, r.withheld,
           CASE WHEN f.is_route = 0 THEN 'manufacture' ELSE 'route' END AS flow,
           f.manufacture_country, f.departure_country, f.destination_country,
           f.quantity, f.seizures
    FROM seizure_flow AS f
    JOIN iafq.calc_return AS r ON r.submission_id = f.submission_id
), withheld_in_year AS MATERIALIZED (
    -- the countries withheld in each year (few)
    SELECT w.year, array_agg(w.country) AS countries
    FROM iafq.calc_withheld AS w
    WHERE w.withheld
    GROUP BY w.year
), partner_level (area_type, partner_type) AS (
    VALUES ('region', 'region'), ('subregion', 'subregion'),
           ('sdg_region', 'sdg_region'), ('world', 'region')
), per_country AS (
    -- aggregate levels, step 1: each reporting country's flows between
    -- areas (a country's many partner countries fall into few partner areas)
    SELECT a.area_type, a.area_code, c.year, c.flow, l.partner_type, c.country,
           pm.area_code AS manufacture_code,
           pd.area_code AS departure_code,
           pt.area_code AS destination_code,
           sum(c.quantity) AS quantity,
           sum(c.seizures) AS seizures,
           bool_or(c.withheld) AS withheld
    FROM country_flow AS c
    JOIN iafq.country_area AS a ON a.iso3 = c.country
    JOIN partner_level AS l ON l.area_type = a.area_type
    LEFT JOIN iafq.country_area AS pm
           ON pm.iso3 = c.manufacture_country AND pm.area_type = l.partner_type
    LEFT JOIN iafq.country_area AS pd
           ON pd.iso3 = c.departure_country AND pd.area_type = l.partner_type
    LEFT JOIN iafq.country_area AS pt
           ON pt.iso3 = c.destination_country AND pt.area_type = l.partner_type
    GROUP BY a.area_type, a.area_code, c.year, c.flow, l.partner_type, c.country,
             pm.area_code, pd.area_code, pt.area_code
), area_flow AS (
    -- aggregate levels, step 2: sum over the reporting countries of the area
    SELECT p.area_type, p.area_code, p.year, p.flow, p.partner_type,
           p.manufacture_code, p.departure_code, p.destination_code,
           sum(p.quantity) AS quantity,
           sum(p.seizures) AS seizures,
           count(*)::int AS countries,
           (count(*) FILTER (WHERE p.withheld))::int AS withheld
    FROM per_country AS p
    GROUP BY p.area_type, p.area_code, p.year, p.flow, p.partner_type,
             p.manufacture_code, p.departure_code, p.destination_code
)
-- country rows: reporting country x partner country, as reported
SELECT 'country'::text AS area_type, a.m49 AS area_code, a.name AS area_name,
       c.year, c.flow,
       pm.m49 AS manufacture_code, pm.name AS manufacture_name,
       pd.m49 AS departure_code, pd.name AS departure_name,
       pt.m49 AS destination_code, pt.name AS destination_name,
       c.quantity, c.seizures,
       1 AS countries,
       CASE WHEN c.withheld THEN 1 ELSE 0 END AS withheld,
       coalesce(c.manufacture_country = ANY (w.countries)
                OR c.departure_country = ANY (w.countries)
                OR c.destination_country = ANY (w.countries), false) AS partner_withheld,
       c.submission_id
FROM country_flow AS c
JOIN iafq.m49_country AS a ON a.iso3 = c.country
LEFT JOIN iafq.m49_country AS pm ON pm.iso3 = c.manufacture_country
LEFT JOIN iafq.m49_country AS pd ON pd.iso3 = c.departure_country
LEFT JOIN iafq.m49_country AS pt ON pt.iso3 = c.destination_country
LEFT JOIN withheld_in_year AS w ON w.year = c.year
UNION ALL
-- region, sub-region, SDG region and world rows
SELECT f.area_type, f.area_code, ar.area_name, f.year, f.flow,
       f.manufacture_code, am.area_name,
       f.departure_code, ad.area_name,
       f.destination_code, at.area_name,
       f.quantity, f.seizures, f.countries, f.withheld,
       false, NULL
FROM area_flow AS f
JOIN iafq.area AS ar ON ar.area_type = f.area_type AND ar.area_code = f.area_code
LEFT JOIN iafq.area AS am ON am.area_type = f.partner_type AND am.area_code = f.manufacture_code
LEFT JOIN iafq.area AS ad ON ad.area_type = f.partner_type AND ad.area_code = f.departure_code
LEFT JOIN iafq.area AS at ON at.area_type = f.partner_type AND at.area_code = f.destination_code;

GRANT SELECT ON ALL TABLES IN SCHEMA iafq TO iafq_analyst;
