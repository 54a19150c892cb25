-- 0013_incremental: result rows valid from one run to another (issue 14,
-- item 4).  `iafq aggregate` no longer stores a full copy of every result
-- table per run: a row is stored once, by the run that first produced it
-- (run_id = "valid from"), and closed (valid_to = the run that changed or
-- removed it).  A row belongs to run R when
--     run_id <= R AND (valid_to IS NULL OR valid_to > R).
-- The open rows (valid_to IS NULL) are the latest finished run's results.
-- Every view that read `run_id = (SELECT id FROM iafq.latest_run)` is
-- replaced here with the same columns (CREATE OR REPLACE VIEW keeps the
-- grants; the public views keep security_barrier).  docs/decisions.md,
-- "Incremental aggregation", states the rule and what a run recomputes.

ALTER TABLE iafq.res_sdg_16_4_2 ADD COLUMN valid_to bigint;
ALTER TABLE iafq.res_sdg_16_4_2_by_column ADD COLUMN valid_to bigint;
ALTER TABLE iafq.res_sdg_16_4_2_by_tracing ADD COLUMN valid_to bigint;
ALTER TABLE iafq.res_gs1 ADD COLUMN valid_to bigint;
ALTER TABLE iafq.res_share ADD COLUMN valid_to bigint;
ALTER TABLE iafq.res_count ADD COLUMN valid_to bigint;
ALTER TABLE iafq.res_gs8 ADD COLUMN valid_to bigint;
ALTER TABLE iafq.res_gs9 ADD COLUMN valid_to bigint;

-- Rows stored before this migration: each run's full copy.  The latest
-- finished run's rows stay open; an older run's copy is closed at the next
-- id (valid in its own run only); rows of runs after the latest finished
-- one (never finished) are dropped.
UPDATE iafq.res_sdg_16_4_2 SET valid_to = run_id + 1 WHERE run_id < coalesce((SELECT id FROM iafq.latest_run), 0);
UPDATE iafq.res_sdg_16_4_2_by_column SET valid_to = run_id + 1 WHERE run_id < coalesce((SELECT id FROM iafq.latest_run), 0);
UPDATE iafq.res_sdg_16_4_2_by_tracing SET valid_to = run_id + 1 WHERE run_id < coalesce((SELECT id FROM iafq.latest_run), 0);
UPDATE iafq.res_gs1 SET valid_to = run_id + 1 WHERE run_id < coalesce((SELECT id FROM iafq.latest_run), 0);
UPDATE iafq.res_share SET valid_to = run_id + 1 WHERE run_id < coalesce((SELECT id FROM iafq.latest_run), 0);
UPDATE iafq.res_count SET valid_to = run_id + 1 WHERE run_id < coalesce((SELECT id FROM iafq.latest_run), 0);
UPDATE iafq.res_gs8 SET valid_to = run_id + 1 WHERE run_id < coalesce((SELECT id FROM iafq.latest_run), 0);
UPDATE iafq.res_gs9 SET valid_to = run_id + 1 WHERE run_id < coalesce((SELECT id FROM iafq.latest_run), 0);
DELETE FROM iafq.res_sdg_16_4_2 WHERE run_id > coalesce((SELECT id FROM iafq.latest_run), 0);
DELETE FROM iafq.res_sdg_16_4_2_by_column WHERE run_id > coalesce((SELECT id FROM iafq.latest_run), 0);
DELETE FROM iafq.res_sdg_16_4_2_by_tracing WHERE run_id > coalesce((SELECT id FROM iafq.latest_run), 0);
DELETE FROM iafq.res_gs1 WHERE run_id > coalesce((SELECT id FROM iafq.latest_run), 0);
DELETE FROM iafq.res_share WHERE run_id > coalesce((SELECT id FROM iafq.latest_run), 0);
DELETE FROM iafq.res_count WHERE run_id > coalesce((SELECT id FROM iafq.latest_run), 0);
DELETE FROM iafq.res_gs8 WHERE run_id > coalesce((SELECT id FROM iafq.latest_run), 0);
DELETE FROM iafq.res_gs9 WHERE run_id > coalesce((SELECT id FROM iafq.latest_run), 0);

-- What a run used, to tell "nothing changed" (sql/aggregate/05_plan.sql):
-- the submissions (already there), the country-years withheld, the schema
-- (the latest migration: code lists and indicator SQL); and what it did.
ALTER TABLE iafq.agg_run
    ADD COLUMN withheld text[],        -- 'ISO3:year' withheld (calc_withheld)
    ADD COLUMN schema_version text,    -- latest applied migration
    ADD COLUMN full_recompute boolean NOT NULL DEFAULT true,
    ADD COLUMN years int[],            -- years recomputed; NULL: all
    ADD COLUMN rows_stored bigint,     -- result rows this run inserted
    ADD COLUMN rows_closed bigint;     -- result rows this run closed

-- The years the aggregation of this transaction recomputes: the
-- transaction-local setting iafq.agg_years, '' or unset = every year.
-- Only `iafq aggregate` sets it (SET LOCAL), so every other reader of the
-- calc_* views sees every year.
CREATE FUNCTION iafq.agg_in_scope(y int) RETURNS boolean
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT CASE WHEN coalesce(current_setting('iafq.agg_years', true), '') = '' THEN true
                ELSE y = ANY (current_setting('iafq.agg_years', true)::int[]) END
$$;

-- calc_return (0009) and calc_gs9 (0003) read only the years in scope.
-- Same columns; the same rows when no aggregation scope is set.
CREATE OR REPLACE VIEW iafq.calc_return AS
SELECT cs.id AS submission_id, cs.country, cs.year, cs.consent,
       (cc.consent IS FALSE OR yc.consent IS FALSE) AS withheld
FROM iafq.current_submissions AS cs
LEFT JOIN iafq.country_consent AS cc ON cc.country = cs.country
LEFT JOIN iafq.year_consent AS yc ON yc.country = cs.country AND yc.year = cs.year
WHERE iafq.agg_in_scope(cs.year);

CREATE OR REPLACE VIEW iafq.calc_gs9 AS
WITH seizure_flow AS MATERIALIZED (
    -- one pass over the T11 rows of the current returns, grouped on codes
    -- only: per return and partner country(ies)
    SELECT s.submission_id,
           GROUPING(s.manufacture_country) AS is_route,
           s.manufacture_country, s.departure_country, s.destination_country,
           sum(s.quantity) AS quantity,
           count(*) AS seizures
    FROM iafq.seizure AS s
    WHERE s.submission_id IN (SELECT r.submission_id FROM iafq.calc_return AS r)
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

-- ---------------------------------------------------------------------------
-- The stable views (0004, gs9: 0011): the rows valid in the latest run.

CREATE OR REPLACE VIEW iafq.sdg_16_4_2 AS
SELECT r.area_type, r.area_code, r.area_name, r.year,
       r.numerator, r.denominator, r.value, r.countries,
       r.withheld, r.submission_id
FROM iafq.res_sdg_16_4_2 AS r
WHERE r.run_id <= (SELECT id FROM iafq.latest_run)
      AND (r.valid_to IS NULL OR r.valid_to > (SELECT id FROM iafq.latest_run));

CREATE OR REPLACE VIEW iafq.sdg_16_4_2_by_column AS
SELECT r.area_type, r.area_code, r.area_name, r.year, r.arms,
       r.numerator, r.denominator, r.value, r.countries,
       r.withheld, r.submission_id
FROM iafq.res_sdg_16_4_2_by_column AS r
WHERE r.run_id <= (SELECT id FROM iafq.latest_run)
      AND (r.valid_to IS NULL OR r.valid_to > (SELECT id FROM iafq.latest_run));

CREATE OR REPLACE VIEW iafq.sdg_16_4_2_by_tracing AS
SELECT r.area_type, r.area_code, r.area_name, r.year, r.arms, r.tracing,
       r.n, r.t8_total, r.share_pct, r.countries,
       r.withheld, r.submission_id
FROM iafq.res_sdg_16_4_2_by_tracing AS r
WHERE r.run_id <= (SELECT id FROM iafq.latest_run)
      AND (r.valid_to IS NULL OR r.valid_to > (SELECT id FROM iafq.latest_run));

CREATE OR REPLACE VIEW iafq.gs1 AS
SELECT r.area_type, r.area_code, r.area_name, r.year, r.arms,
       r.n, r.countries, r.withheld, r.submission_id
FROM iafq.res_gs1 AS r
WHERE r.run_id <= (SELECT id FROM iafq.latest_run)
      AND (r.valid_to IS NULL OR r.valid_to > (SELECT id FROM iafq.latest_run));

CREATE OR REPLACE VIEW iafq.gs2 AS
SELECT r.area_type, r.area_code, r.area_name, r.year, r.row_code AS arm_type,
       r.n, r.reported, r.share_pct, r.countries, r.withheld, r.submission_id
FROM iafq.res_share AS r
WHERE r.run_id <= (SELECT id FROM iafq.latest_run)
      AND (r.valid_to IS NULL OR r.valid_to > (SELECT id FROM iafq.latest_run))
  AND r.tbl = 'T1' AND r.col_code = 'SEIZED';

CREATE OR REPLACE VIEW iafq.gs3 AS
SELECT r.area_type, r.area_code, r.area_name, r.year, r.row_code AS justification,
       r.n, r.reported, r.share_pct, r.share_pct_mean, r.countries,
       r.withheld, r.submission_id
FROM iafq.res_share AS r
WHERE r.run_id <= (SELECT id FROM iafq.latest_run)
      AND (r.valid_to IS NULL OR r.valid_to > (SELECT id FROM iafq.latest_run))
  AND r.tbl = 'T3' AND r.col_code = 'SEIZED';

CREATE OR REPLACE VIEW iafq.gs4 AS
SELECT r.area_type, r.area_code, r.area_name, r.year, r.row_code AS offence,
       r.n, r.countries, r.withheld, r.submission_id
FROM iafq.res_count AS r
WHERE r.run_id <= (SELECT id FROM iafq.latest_run)
      AND (r.valid_to IS NULL OR r.valid_to > (SELECT id FROM iafq.latest_run))
  AND r.tbl = 'T4' AND r.col_code = 'SEIZED';

CREATE OR REPLACE VIEW iafq.gs5 AS
SELECT r.area_type, r.area_code, r.area_name, r.year,
       CASE r.tbl WHEN 'T5' THEN 'condition' WHEN 'T6' THEN 'marking'
                  WHEN 'T7' THEN 'place' END AS dimension,
       r.col_code AS arms, r.row_code AS category,
       r.n, r.reported, r.share_pct, r.countries, r.withheld, r.submission_id
FROM iafq.res_share AS r
WHERE r.run_id <= (SELECT id FROM iafq.latest_run)
      AND (r.valid_to IS NULL OR r.valid_to > (SELECT id FROM iafq.latest_run))
  AND r.tbl IN ('T5', 'T6', 'T7');

CREATE OR REPLACE VIEW iafq.gs7 AS
SELECT r.area_type, r.area_code, r.area_name, r.year, r.row_code AS item,
       r.n, r.countries, r.withheld, r.submission_id
FROM iafq.res_count AS r
WHERE r.run_id <= (SELECT id FROM iafq.latest_run)
      AND (r.valid_to IS NULL OR r.valid_to > (SELECT id FROM iafq.latest_run))
  AND r.tbl = 'T2';

CREATE OR REPLACE VIEW iafq.gs8 AS
SELECT r.area_type, r.area_code, r.area_name, r.year, r.persons, r.sex,
       r.n, r.share_pct, r.countries, r.withheld, r.submission_id
FROM iafq.res_gs8 AS r
WHERE r.run_id <= (SELECT id FROM iafq.latest_run)
      AND (r.valid_to IS NULL OR r.valid_to > (SELECT id FROM iafq.latest_run));

CREATE OR REPLACE VIEW iafq.gs9 AS
SELECT r.area_type, r.area_code, r.area_name, r.year, r.flow,
       r.manufacture_code,
       CASE WHEN r.flow = 'manufacture' AND r.manufacture_code IS NULL
            THEN 'Unknown' ELSE r.manufacture_name END AS manufacture_name,
       r.departure_code,
       CASE WHEN r.flow = 'route' AND r.departure_code IS NULL
            THEN 'Unknown' ELSE r.departure_name END AS departure_name,
       r.destination_code,
       CASE WHEN r.flow = 'route' AND r.destination_code IS NULL
            THEN 'Unknown' ELSE r.destination_name END AS destination_name,
       r.quantity, r.seizures, r.countries,
       r.withheld, r.partner_withheld, r.submission_id
FROM iafq.res_gs9 AS r
WHERE r.run_id <= (SELECT id FROM iafq.latest_run)
      AND (r.valid_to IS NULL OR r.valid_to > (SELECT id FROM iafq.latest_run));

-- ---------------------------------------------------------------------------
-- The public views (0009; its iafq_public.gs9 is iafq.gs9_published since
-- 0011), the same text but for the rows of the latest run.

CREATE OR REPLACE VIEW iafq_public.sdg_16_4_2 WITH (security_barrier) AS
WITH c AS (
    SELECT r.*, p.country AS iso3
    FROM iafq.res_sdg_16_4_2 AS r
    JOIN iafq.public_submission AS p ON p.id = r.submission_id
    WHERE r.run_id <= (SELECT id FROM iafq.latest_run)
      AND (r.valid_to IS NULL OR r.valid_to > (SELECT id FROM iafq.latest_run)) AND r.area_type = 'country'
)
SELECT c.area_type, c.area_code, c.area_name, c.year,
       c.numerator, c.denominator, c.value, c.countries
FROM c
UNION ALL
SELECT a.area_type, a.area_code, a.area_name, c.year,
       sum(c.numerator)::bigint, sum(c.denominator)::bigint,
       100 * sum(c.numerator) / sum(c.denominator),
       count(*)::int
FROM c
JOIN iafq.country_area AS a ON a.iso3 = c.iso3 AND a.area_type <> 'country'
GROUP BY a.area_type, a.area_code, a.area_name, c.year;

CREATE OR REPLACE VIEW iafq_public.sdg_16_4_2_by_column WITH (security_barrier) AS
WITH c AS (
    SELECT r.*, p.country AS iso3
    FROM iafq.res_sdg_16_4_2_by_column AS r
    JOIN iafq.public_submission AS p ON p.id = r.submission_id
    WHERE r.run_id <= (SELECT id FROM iafq.latest_run)
      AND (r.valid_to IS NULL OR r.valid_to > (SELECT id FROM iafq.latest_run)) AND r.area_type = 'country'
)
SELECT c.area_type, c.area_code, c.area_name, c.year, c.arms,
       c.numerator, c.denominator, c.value, c.countries
FROM c
UNION ALL
SELECT a.area_type, a.area_code, a.area_name, c.year, c.arms,
       sum(c.numerator)::bigint, sum(c.denominator)::bigint,
       100 * sum(c.numerator) / sum(c.denominator),
       count(*)::int
FROM c
JOIN iafq.country_area AS a ON a.iso3 = c.iso3 AND a.area_type <> 'country'
GROUP BY a.area_type, a.area_code, a.area_name, c.year, c.arms;

CREATE OR REPLACE VIEW iafq_public.sdg_16_4_2_by_tracing WITH (security_barrier) AS
WITH c AS (
    SELECT r.*, p.country AS iso3
    FROM iafq.res_sdg_16_4_2_by_tracing AS r
    JOIN iafq.public_submission AS p ON p.id = r.submission_id
    WHERE r.run_id <= (SELECT id FROM iafq.latest_run)
      AND (r.valid_to IS NULL OR r.valid_to > (SELECT id FROM iafq.latest_run)) AND r.area_type = 'country'
)
SELECT c.area_type, c.area_code, c.area_name, c.year, c.arms, c.tracing,
       c.n, c.t8_total, c.share_pct, c.countries
FROM c
UNION ALL
SELECT a.area_type, a.area_code, a.area_name, c.year, c.arms, c.tracing,
       sum(c.n)::bigint, sum(c.t8_total)::bigint,
       100 * sum(c.n) / sum(c.t8_total),
       count(*)::int
FROM c
JOIN iafq.country_area AS a ON a.iso3 = c.iso3 AND a.area_type <> 'country'
GROUP BY a.area_type, a.area_code, a.area_name, c.year, c.arms, c.tracing;

CREATE OR REPLACE VIEW iafq_public.gs1 WITH (security_barrier) AS
WITH c AS (
    SELECT r.*, p.country AS iso3
    FROM iafq.res_gs1 AS r
    JOIN iafq.public_submission AS p ON p.id = r.submission_id
    WHERE r.run_id <= (SELECT id FROM iafq.latest_run)
      AND (r.valid_to IS NULL OR r.valid_to > (SELECT id FROM iafq.latest_run)) AND r.area_type = 'country'
)
SELECT c.area_type, c.area_code, c.area_name, c.year, c.arms,
       c.n, c.countries
FROM c
UNION ALL
SELECT a.area_type, a.area_code, a.area_name, c.year, c.arms,
       sum(c.n)::bigint, count(*)::int
FROM c
JOIN iafq.country_area AS a ON a.iso3 = c.iso3 AND a.area_type <> 'country'
GROUP BY a.area_type, a.area_code, a.area_name, c.year, c.arms;

-- Shares (GS2, GS3, GS5; iafq.calc_share): ratio of sums, and the mean of
-- the national shares n / reported of the countries with reported > 0.
CREATE OR REPLACE VIEW iafq_public.gs2 WITH (security_barrier) AS
WITH c AS (
    SELECT r.*, p.country AS iso3
    FROM iafq.res_share AS r
    JOIN iafq.public_submission AS p ON p.id = r.submission_id
    WHERE r.run_id <= (SELECT id FROM iafq.latest_run)
      AND (r.valid_to IS NULL OR r.valid_to > (SELECT id FROM iafq.latest_run)) AND r.area_type = 'country'
      AND r.tbl = 'T1' AND r.col_code = 'SEIZED'
)
SELECT c.area_type, c.area_code, c.area_name, c.year, c.row_code AS arm_type,
       c.n, c.reported, c.share_pct, c.countries
FROM c
UNION ALL
SELECT a.area_type, a.area_code, a.area_name, c.year, c.row_code,
       sum(c.n)::bigint, sum(c.reported)::bigint,
       100 * sum(c.n) / nullif(sum(c.reported), 0),
       count(*)::int
FROM c
JOIN iafq.country_area AS a ON a.iso3 = c.iso3 AND a.area_type <> 'country'
GROUP BY a.area_type, a.area_code, a.area_name, c.year, c.row_code;

CREATE OR REPLACE VIEW iafq_public.gs3 WITH (security_barrier) AS
WITH c AS (
    SELECT r.*, p.country AS iso3
    FROM iafq.res_share AS r
    JOIN iafq.public_submission AS p ON p.id = r.submission_id
    WHERE r.run_id <= (SELECT id FROM iafq.latest_run)
      AND (r.valid_to IS NULL OR r.valid_to > (SELECT id FROM iafq.latest_run)) AND r.area_type = 'country'
      AND r.tbl = 'T3' AND r.col_code = 'SEIZED'
)
SELECT c.area_type, c.area_code, c.area_name, c.year, c.row_code AS justification,
       c.n, c.reported, c.share_pct, c.share_pct_mean, c.countries
FROM c
UNION ALL
SELECT a.area_type, a.area_code, a.area_name, c.year, c.row_code,
       sum(c.n)::bigint, sum(c.reported)::bigint,
       100 * sum(c.n) / nullif(sum(c.reported), 0),
       100 * avg(c.n::numeric / nullif(c.reported::numeric, 0)),
       count(*)::int
FROM c
JOIN iafq.country_area AS a ON a.iso3 = c.iso3 AND a.area_type <> 'country'
GROUP BY a.area_type, a.area_code, a.area_name, c.year, c.row_code;

CREATE OR REPLACE VIEW iafq_public.gs4 WITH (security_barrier) AS
WITH c AS (
    SELECT r.*, p.country AS iso3
    FROM iafq.res_count AS r
    JOIN iafq.public_submission AS p ON p.id = r.submission_id
    WHERE r.run_id <= (SELECT id FROM iafq.latest_run)
      AND (r.valid_to IS NULL OR r.valid_to > (SELECT id FROM iafq.latest_run)) AND r.area_type = 'country'
      AND r.tbl = 'T4' AND r.col_code = 'SEIZED'
)
SELECT c.area_type, c.area_code, c.area_name, c.year, c.row_code AS offence,
       c.n, c.countries
FROM c
UNION ALL
SELECT a.area_type, a.area_code, a.area_name, c.year, c.row_code,
       sum(c.n)::bigint, count(*)::int
FROM c
JOIN iafq.country_area AS a ON a.iso3 = c.iso3 AND a.area_type <> 'country'
GROUP BY a.area_type, a.area_code, a.area_name, c.year, c.row_code;

CREATE OR REPLACE VIEW iafq_public.gs5 WITH (security_barrier) AS
WITH c AS (
    SELECT r.*, p.country AS iso3
    FROM iafq.res_share AS r
    JOIN iafq.public_submission AS p ON p.id = r.submission_id
    WHERE r.run_id <= (SELECT id FROM iafq.latest_run)
      AND (r.valid_to IS NULL OR r.valid_to > (SELECT id FROM iafq.latest_run)) AND r.area_type = 'country'
      AND r.tbl IN ('T5', 'T6', 'T7')
), g AS (
    SELECT c.area_type, c.area_code, c.area_name, c.year, c.tbl, c.col_code,
           c.row_code, c.n, c.reported, c.share_pct, c.countries
    FROM c
    UNION ALL
    SELECT a.area_type, a.area_code, a.area_name, c.year, c.tbl, c.col_code,
           c.row_code,
           sum(c.n)::bigint, sum(c.reported)::bigint,
           100 * sum(c.n) / nullif(sum(c.reported), 0),
           count(*)::int
    FROM c
    JOIN iafq.country_area AS a ON a.iso3 = c.iso3 AND a.area_type <> 'country'
    GROUP BY a.area_type, a.area_code, a.area_name, c.year, c.tbl, c.col_code,
             c.row_code
)
SELECT g.area_type, g.area_code, g.area_name, g.year,
       CASE g.tbl WHEN 'T5' THEN 'condition' WHEN 'T6' THEN 'marking'
                  WHEN 'T7' THEN 'place' END AS dimension,
       g.col_code AS arms, g.row_code AS category,
       g.n, g.reported, g.share_pct, g.countries
FROM g;

CREATE OR REPLACE VIEW iafq_public.gs6 WITH (security_barrier) AS
SELECT t.area_type, t.area_code, t.area_name, t.year,
       'total'::text AS breakdown, NULL::text AS arms, NULL::text AS tracing,
       t.numerator, t.denominator, t.value, t.countries
FROM iafq_public.sdg_16_4_2 AS t
UNION ALL
SELECT c.area_type, c.area_code, c.area_name, c.year,
       'column', c.arms, NULL,
       c.numerator, c.denominator, c.value, c.countries
FROM iafq_public.sdg_16_4_2_by_column AS c
UNION ALL
SELECT g.area_type, g.area_code, g.area_name, g.year,
       'tracing', g.arms, g.tracing,
       g.n, g.t8_total, g.share_pct, g.countries
FROM iafq_public.sdg_16_4_2_by_tracing AS g;

CREATE OR REPLACE VIEW iafq_public.gs7 WITH (security_barrier) AS
WITH c AS (
    SELECT r.*, p.country AS iso3
    FROM iafq.res_count AS r
    JOIN iafq.public_submission AS p ON p.id = r.submission_id
    WHERE r.run_id <= (SELECT id FROM iafq.latest_run)
      AND (r.valid_to IS NULL OR r.valid_to > (SELECT id FROM iafq.latest_run)) AND r.area_type = 'country'
      AND r.tbl = 'T2'
)
SELECT c.area_type, c.area_code, c.area_name, c.year, c.row_code AS item,
       c.n, c.countries
FROM c
UNION ALL
SELECT a.area_type, a.area_code, a.area_name, c.year, c.row_code,
       sum(c.n)::bigint, count(*)::int
FROM c
JOIN iafq.country_area AS a ON a.iso3 = c.iso3 AND a.area_type <> 'country'
GROUP BY a.area_type, a.area_code, a.area_name, c.year, c.row_code;

-- GS8: share_pct over the countries whose T9 TOTAL of the row is given and
-- > 0 (the country's own TOTAL row, published with it).
CREATE OR REPLACE VIEW iafq_public.gs8 WITH (security_barrier) AS
WITH c AS MATERIALIZED (
    SELECT r.*, p.country AS iso3
    FROM iafq.res_gs8 AS r
    JOIN iafq.public_submission AS p ON p.id = r.submission_id
    WHERE r.run_id <= (SELECT id FROM iafq.latest_run)
      AND (r.valid_to IS NULL OR r.valid_to > (SELECT id FROM iafq.latest_run)) AND r.area_type = 'country'
), t AS (
    SELECT c.*,
           CASE WHEN c.sex <> 'TOTAL' AND tot.n > 0 THEN tot.n END AS total
    FROM c
    LEFT JOIN c AS tot
           ON tot.submission_id = c.submission_id AND tot.persons = c.persons
          AND tot.sex = 'TOTAL'
)
SELECT c.area_type, c.area_code, c.area_name, c.year, c.persons, c.sex,
       c.n, c.share_pct, c.countries
FROM c
UNION ALL
SELECT a.area_type, a.area_code, a.area_name, t.year, t.persons, t.sex,
       sum(t.n)::bigint,
       100 * sum(t.n) FILTER (WHERE t.total IS NOT NULL) / sum(t.total),
       count(*)::int
FROM t
JOIN iafq.country_area AS a ON a.iso3 = t.iso3 AND a.area_type <> 'country'
GROUP BY a.area_type, a.area_code, a.area_name, t.year, t.persons, t.sex;

-- GS9: reporting countries are the published ones; a partner country
-- withheld in the row's year becomes '' / 'Not published' (rows that then
-- share their key are added up); regional rows are grouped from these
-- country rows as iafq.calc_gs9 groups its own (partner areas of the same
-- level; the world's partners are M49 regions).
CREATE OR REPLACE VIEW iafq.gs9_published WITH (security_barrier) AS
WITH hidden AS MATERIALIZED (
    SELECT w.m49, w.year FROM iafq.public_withheld AS w
), r AS (
    SELECT r.*, p.country AS iso3,
           hm.m49 IS NOT NULL AS hide_m,
           hd.m49 IS NOT NULL AS hide_d,
           ht.m49 IS NOT NULL AS hide_t
    FROM iafq.res_gs9 AS r
    JOIN iafq.public_submission AS p ON p.id = r.submission_id
    LEFT JOIN hidden AS hm ON hm.m49 = r.manufacture_code AND hm.year = r.year
    LEFT JOIN hidden AS hd ON hd.m49 = r.departure_code AND hd.year = r.year
    LEFT JOIN hidden AS ht ON ht.m49 = r.destination_code AND ht.year = r.year
    WHERE r.run_id <= (SELECT id FROM iafq.latest_run)
      AND (r.valid_to IS NULL OR r.valid_to > (SELECT id FROM iafq.latest_run)) AND r.area_type = 'country'
), c AS MATERIALIZED (
    SELECT r.iso3, r.area_code, r.area_name, r.year, r.flow,
           CASE WHEN r.hide_m THEN '' ELSE r.manufacture_code END AS manufacture_code,
           CASE WHEN r.hide_m THEN 'Not published' ELSE r.manufacture_name END AS manufacture_name,
           CASE WHEN r.hide_d THEN '' ELSE r.departure_code END AS departure_code,
           CASE WHEN r.hide_d THEN 'Not published' ELSE r.departure_name END AS departure_name,
           CASE WHEN r.hide_t THEN '' ELSE r.destination_code END AS destination_code,
           CASE WHEN r.hide_t THEN 'Not published' ELSE r.destination_name END AS destination_name,
           sum(r.quantity)::bigint AS quantity,
           sum(r.seizures)::bigint AS seizures
    FROM r
    GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11
), partner_level (area_type, partner_type) AS (
    VALUES ('region', 'region'), ('subregion', 'subregion'),
           ('sdg_region', 'sdg_region'), ('world', 'region')
), per_country AS (
    -- partner areas from the partner country's M49 row (one hash join per
    -- partner; iafq.country_area holds the same codes)
    SELECT a.area_type, a.area_code, c.year, c.flow, l.partner_type, c.iso3,
           CASE WHEN c.manufacture_code = '' THEN ''
                WHEN l.partner_type = 'region' THEN pm.region_code
                WHEN l.partner_type = 'subregion' THEN pm.subregion_code
                ELSE pm.sdg_region_code END AS manufacture_code,
           CASE WHEN c.departure_code = '' THEN ''
                WHEN l.partner_type = 'region' THEN pd.region_code
                WHEN l.partner_type = 'subregion' THEN pd.subregion_code
                ELSE pd.sdg_region_code END AS departure_code,
           CASE WHEN c.destination_code = '' THEN ''
                WHEN l.partner_type = 'region' THEN pt.region_code
                WHEN l.partner_type = 'subregion' THEN pt.subregion_code
                ELSE pt.sdg_region_code END AS destination_code,
           sum(c.quantity) AS quantity,
           sum(c.seizures) AS seizures
    FROM c
    JOIN iafq.country_area AS a ON a.iso3 = c.iso3
    JOIN partner_level AS l ON l.area_type = a.area_type
    LEFT JOIN iafq.m49_country AS pm ON pm.m49 = c.manufacture_code
    LEFT JOIN iafq.m49_country AS pd ON pd.m49 = c.departure_code
    LEFT JOIN iafq.m49_country AS pt ON pt.m49 = c.destination_code
    GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9
), area_flow AS (
    SELECT p.area_type, p.area_code, p.year, p.flow, p.partner_type,
           p.manufacture_code, p.departure_code, p.destination_code,
           sum(p.quantity)::bigint AS quantity,
           sum(p.seizures)::bigint AS seizures,
           count(*)::int AS countries
    FROM per_country AS p
    GROUP BY 1, 2, 3, 4, 5, 6, 7, 8
)
SELECT 'country'::text AS area_type, c.area_code, c.area_name, c.year, c.flow,
       c.manufacture_code, c.manufacture_name,
       c.departure_code, c.departure_name,
       c.destination_code, c.destination_name,
       c.quantity, c.seizures, 1 AS countries
FROM c
UNION ALL
SELECT f.area_type, f.area_code, ar.area_name, f.year, f.flow,
       f.manufacture_code,
       CASE WHEN f.manufacture_code = '' THEN 'Not published' ELSE am.area_name END,
       f.departure_code,
       CASE WHEN f.departure_code = '' THEN 'Not published' ELSE ad.area_name END,
       f.destination_code,
       CASE WHEN f.destination_code = '' THEN 'Not published' ELSE at.area_name END,
       f.quantity, f.seizures, f.countries
FROM area_flow AS f
JOIN iafq.area AS ar ON ar.area_type = f.area_type AND ar.area_code = f.area_code
LEFT JOIN iafq.area AS am ON am.area_type = f.partner_type AND am.area_code = f.manufacture_code
LEFT JOIN iafq.area AS ad ON ad.area_type = f.partner_type AND ad.area_code = f.departure_code
LEFT JOIN iafq.area AS at ON at.area_type = f.partner_type AND at.area_code = f.destination_code;


-- ---------------------------------------------------------------------------
-- Storing a run: one statement per result table.  `new`: the calc view's
-- rows for the years in scope (iafq.agg_years), cast to the table's types;
-- `old`: the open rows of those years.  A row is compared whole (its text
-- form: every column but run_id and valid_to, NULLs equal): an old row with
-- no equal new row is closed (valid_to = run), a new row with no equal old
-- row is inserted (run_id = run); an unchanged row is not touched.  Each
-- result row is one group of a GROUP BY, so the rows of a table are
-- distinct and whole-row comparison is key + IS DISTINCT FROM on the
-- values.  Invoker's rights: the aggregation's role (the loader) inserts
-- and sets valid_to, nothing else.  Returns the rows stored and closed and
-- adds them to the run's counts.
CREATE FUNCTION iafq.agg_store(res regclass, calc regclass, filter text, run bigint,
                               OUT stored bigint, OUT closed bigint)
LANGUAGE plpgsql AS $fn$
DECLARE
    cols text;   -- a, b, ...
    cast_ text;  -- c.a::type AS a, ...
    crow text;   -- c.a::type, ...
    rrow text;   -- r.a, ...
    nrow text;   -- n.a, ...
    -- the years in scope, once (a constant of the statement below)
    years int[] := nullif(coalesce(current_setting('iafq.agg_years', true), ''), '')::int[];
    nestloop text;
BEGIN
    SELECT string_agg(quote_ident(a.attname), ', ' ORDER BY a.attnum),
           string_agg(format('c.%I::%s AS %I', a.attname, format_type(a.atttypid, a.atttypmod), a.attname),
                      ', ' ORDER BY a.attnum),
           string_agg(format('c.%I::%s', a.attname, format_type(a.atttypid, a.atttypmod)),
                      ', ' ORDER BY a.attnum),
           string_agg(format('r.%I', a.attname), ', ' ORDER BY a.attnum),
           string_agg(format('n.%I', a.attname), ', ' ORDER BY a.attnum)
    INTO cols, cast_, crow, rrow, nrow
    FROM pg_attribute AS a
    WHERE a.attrelid = res AND a.attnum > 0 AND NOT a.attisdropped
      AND a.attname NOT IN ('run_id', 'valid_to');
    -- the comparisons are joins of thousands of rows on their text: hash
    -- joins, never a nested loop over a mis-estimated CTE (quadratic)
    nestloop := current_setting('enable_nestloop');
    PERFORM set_config('enable_nestloop', 'off', true);
    EXECUTE format($q$
        WITH new AS MATERIALIZED (
            SELECT %2$s, ROW(%3$s)::text AS agg_row
            FROM %6$s AS c
            WHERE %7$s
        ), old AS MATERIALIZED (
            SELECT r.ctid AS agg_tid, ROW(%4$s)::text AS agg_row
            FROM %8$s AS r
            WHERE r.valid_to IS NULL AND ($2::int[] IS NULL OR r.year = ANY ($2::int[]))
        ), closing AS (
            UPDATE %8$s AS r SET valid_to = $1
            FROM old AS o
            WHERE r.ctid = o.agg_tid
              AND NOT EXISTS (SELECT 1 FROM new AS n WHERE n.agg_row = o.agg_row)
            RETURNING 1
        ), storing AS (
            INSERT INTO %8$s (run_id, %1$s)
            SELECT $1, %5$s
            FROM new AS n
            WHERE NOT EXISTS (SELECT 1 FROM old AS o WHERE o.agg_row = n.agg_row)
            RETURNING 1
        )
        SELECT (SELECT count(*) FROM storing), (SELECT count(*) FROM closing)$q$,
        cols, cast_, crow, rrow, nrow, calc, filter, res)
    INTO stored, closed
    USING run, years;
    PERFORM set_config('enable_nestloop', nestloop, true);
    UPDATE iafq.agg_run AS g
    SET rows_stored = coalesce(g.rows_stored, 0) + stored,
        rows_closed = coalesce(g.rows_closed, 0) + closed
    WHERE g.id = run;
END
$fn$;

-- Rows left by runs that never finished (a run is one transaction, so only
-- a run committed by hand without its last step; none while this one holds
-- the aggregation lock): deleted, and the rows they closed reopened, so
-- that the open rows are the latest finished run's.  Security definer: the
-- loader may neither delete nor reopen results otherwise.
CREATE FUNCTION iafq.agg_discard_unfinished(run bigint) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $fn$
DECLARE
    latest bigint := coalesce((SELECT r.id FROM iafq.latest_run AS r), 0);
    t text;
BEGIN
    -- `run` is the caller's own run, unfinished and not yet stored
    IF NOT EXISTS (SELECT 1 FROM iafq.agg_run AS g WHERE g.id > latest AND g.id <> run) THEN
        RETURN;
    END IF;
    FOREACH t IN ARRAY ARRAY['res_sdg_16_4_2', 'res_sdg_16_4_2_by_column',
                             'res_sdg_16_4_2_by_tracing', 'res_gs1', 'res_share',
                             'res_count', 'res_gs8', 'res_gs9'] LOOP
        EXECUTE format('DELETE FROM iafq.%I WHERE run_id > $1 AND run_id <> $2', t) USING latest, run;
        EXECUTE format('UPDATE iafq.%I SET valid_to = NULL WHERE valid_to > $1', t) USING latest;
    END LOOP;
END
$fn$;
REVOKE ALL ON FUNCTION iafq.agg_discard_unfinished(bigint) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION iafq.agg_discard_unfinished(bigint) TO iafq_loader;

-- Deleting runs (the owner; `iafq runs prune`): a result row valid in no
-- remaining finished run goes; a row closed after the latest remaining
-- finished run is open again (that run's results are the open rows).  A
-- row whose interval spans a kept run stays as it is.
CREATE OR REPLACE FUNCTION iafq.agg_run_delete_results() RETURNS trigger
LANGUAGE plpgsql AS $fn$
DECLARE
    latest bigint := coalesce((SELECT max(g.id) FROM iafq.agg_run AS g WHERE g.finished IS NOT NULL), 0);
    t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['res_sdg_16_4_2', 'res_sdg_16_4_2_by_column',
                             'res_sdg_16_4_2_by_tracing', 'res_gs1', 'res_share',
                             'res_count', 'res_gs8', 'res_gs9'] LOOP
        EXECUTE format($q$
            DELETE FROM iafq.%I AS r
            WHERE EXISTS (SELECT 1 FROM gone AS g
                          WHERE g.id >= r.run_id AND (r.valid_to IS NULL OR g.id < r.valid_to))
              AND NOT EXISTS (SELECT 1 FROM iafq.agg_run AS k
                              WHERE k.finished IS NOT NULL AND k.id >= r.run_id
                                AND (r.valid_to IS NULL OR k.id < r.valid_to))$q$, t);
        EXECUTE format('UPDATE iafq.%I SET valid_to = NULL WHERE valid_to > $1', t) USING latest;
    END LOOP;
    RETURN NULL;
END
$fn$;

GRANT UPDATE (valid_to) ON iafq.res_sdg_16_4_2, iafq.res_sdg_16_4_2_by_column,
    iafq.res_sdg_16_4_2_by_tracing, iafq.res_gs1, iafq.res_share,
    iafq.res_count, iafq.res_gs8, iafq.res_gs9 TO iafq_loader;
