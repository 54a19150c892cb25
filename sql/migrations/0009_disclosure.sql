-- 0009_disclosure: the disclosure rule of IAFQ-SPEC section 5 as it now
-- reads, and roles that hold in the database (issue 10; docs/disclosure.md).
--
-- 1. Consent.  A country is withheld when its newest accepted return that
--    STATES a consent says CONSENT = NO.  A portal long-format file states
--    none (the loader now writes NULL, and this migration turns the YES
--    that earlier loads stored into NULL): loading one never lifts a
--    withdrawal.  A country-year is also withheld when its own newest
--    stating return for that year says NO, or when the very return whose
--    figures a run used says NO (figures sent under NO stay unpublished).
--
-- 2. Public = withheld treated as not reporting.  Every iafq_public view is
--    recomputed when it is read: its country rows are the latest finished
--    run's country rows of the submissions that may be published NOW
--    (iafq.public_submission: consent read from iafq.submission at read
--    time, so a withdrawal takes effect in the very next public read, with
--    no new aggregation), and every regional, sub-regional, SDG-regional and
--    world row is recomputed from those published country rows only, with
--    the aggregation's own rules (sums; ratios of sums; GS3's mean of
--    national shares over the published countries), `countries` counting
--    them.  A regional row exists exactly when at least one published
--    country row stands behind it (the internal rule over that set).  The
--    stored `withheld` counts of the result tables are not read.
--    So every public aggregate is, exactly, the sum (ratio of sums) of the
--    published country rows of its members: nothing of a withheld country
--    can be worked out from it (docs/audit.md proves it per table).
--    GS9: a withheld country is never a reporting country, and as a partner
--    (manufacture, departure, destination) of a published country's
--    seizures it is shown as code '' and name 'Not published' (the
--    quantity stays, so totals stay right; several withheld partners of one
--    row fold into one row); regional rows follow the published country
--    rows (a 'Not published' partner belongs to no partner area and is
--    shown as '' / 'Not published' there too).
--    Columns, their names, order and types are those of 0005-0007
--    (CREATE OR REPLACE VIEW refuses any other); every view is a
--    security_barrier view.
--
-- 3. Roles.  iafq_analyst reads and writes nothing (no more runs or
--    results: the aggregation runs as iafq_loader or the owner);
--    iafq_loader writes submissions and runs the aggregation; iafq_portal
--    reads iafq_public only.  PUBLIC loses TEMP and CREATE on the database
--    and CREATE on schema public (iafq.revoke_public_rights()).

-- ---------------------------------------------------------------------------
-- Consent

-- Long-format files loaded before this migration were stored as saying
-- YES; they said nothing.  (The one change ever made to stored
-- submissions: a consent the file never stated.)
UPDATE iafq.submission SET consent = NULL
WHERE source = 'long' AND consent IS TRUE;

-- The consent each accepted submission states: NULL when it states none (a
-- long-format file).  A workbook or CSV return is accepted only with its
-- CONSENT (a required cover field), so a NULL there cannot arise from a
-- loaded file; it would count as stating nothing too.
CREATE VIEW iafq.submission_consent AS
SELECT s.id, s.country, s.year, s.received, s.consent
FROM iafq.submission AS s
WHERE s.status = 'accepted';

-- Per country-year: the newest accepted return that states a consent.
CREATE VIEW iafq.year_consent AS
SELECT DISTINCT ON (s.country, s.year)
       s.country, s.year, s.id AS submission_id, s.received, s.consent
FROM iafq.submission_consent AS s
WHERE s.consent IS NOT NULL
ORDER BY s.country, s.year, s.received DESC, s.id DESC;

-- Per country: the newest accepted return that states a consent (greatest
-- received, then greatest id).  A country with none (only long files) has
-- no row and is not withheld.  (Same columns as before; it used to read the
-- current submissions, whatever they stated.)
CREATE OR REPLACE VIEW iafq.country_consent AS
SELECT DISTINCT ON (s.country)
       s.country, s.id AS submission_id, s.year, s.received, s.consent
FROM iafq.submission_consent AS s
WHERE s.consent IS NOT NULL
ORDER BY s.country, s.received DESC, s.id DESC;

-- The returns aggregation reads, with the rule above (internal `withheld`).
CREATE OR REPLACE VIEW iafq.calc_return AS
SELECT cs.id AS submission_id, cs.country, cs.year, cs.consent,
       (cc.consent IS FALSE OR yc.consent IS FALSE) AS withheld
FROM iafq.current_submissions AS cs
LEFT JOIN iafq.country_consent AS cc ON cc.country = cs.country
LEFT JOIN iafq.year_consent AS yc ON yc.country = cs.country AND yc.year = cs.year;

-- The accepted submissions whose figures may be published now: neither the
-- return itself, nor its country-year's newest stating return, nor its
-- country's newest stating return says NO.  Read at query time.
CREATE VIEW iafq.public_submission AS
SELECT s.id, s.country, s.year
FROM iafq.submission_consent AS s
LEFT JOIN iafq.country_consent AS cc ON cc.country = s.country
LEFT JOIN iafq.year_consent AS yc ON yc.country = s.country AND yc.year = s.year
WHERE s.consent IS NOT FALSE
  AND cc.consent IS NOT FALSE
  AND yc.consent IS NOT FALSE;

-- The country-years withheld now (a withheld country: every year any
-- return names), by alpha-3 and M49 code: GS9 partners to hide.
CREATE VIEW iafq.public_withheld AS
SELECT w.country, c.m49, w.year
FROM (
    SELECT cc.country, y.year
    FROM iafq.country_consent AS cc
    CROSS JOIN (SELECT DISTINCT s.year FROM iafq.submission_consent AS s) AS y
    WHERE cc.consent IS FALSE
    UNION
    SELECT yc.country, yc.year
    FROM iafq.year_consent AS yc
    WHERE yc.consent IS FALSE
) AS w
JOIN iafq.m49_country AS c ON c.iso3 = w.country;

-- The portal long records (0006): `withheld` is now the rule above, read
-- when the view is read (what iafq.public_submission says of the return).
CREATE OR REPLACE VIEW iafq.portal AS
WITH used AS (
    SELECT s.id, s.country, s.year
    FROM iafq.latest_run AS r
    CROSS JOIN LATERAL unnest(r.submissions) AS u (id)
    JOIN iafq.submission AS s ON s.id = u.id
)
SELECT 'country'::text AS area_type, c.m49 AS area_code, c.name AS area_name,
       u.year, u.country AS iso3,
       c.region_name AS region, c.subregion_name AS subregion,
       v.tbl, v.row_code, v.col_code, v.n,
       coalesce(v.source, 'IAFQ') AS source,
       (p.id IS NULL) AS withheld,
       u.id AS submission_id
FROM used AS u
JOIN iafq.value AS v ON v.submission_id = u.id AND NOT v.derived
JOIN iafq.m49_country AS c ON c.iso3 = u.country
LEFT JOIN iafq.public_submission AS p ON p.id = u.id;

CREATE OR REPLACE VIEW iafq_public.portal WITH (security_barrier) AS
SELECT p.area_type, p.area_code, p.area_name, p.year, p.iso3,
       p.region, p.subregion, p.tbl, p.row_code, p.col_code, p.n, p.source
FROM iafq.portal AS p
WHERE NOT p.withheld;

-- ---------------------------------------------------------------------------
-- The public views.  Each: `c` = the published country rows of the latest
-- run (with the country's alpha-3 code), then the regional rows grouped
-- from `c` through iafq.country_area, exactly as 0003 groups them.

CREATE OR REPLACE VIEW iafq_public.latest_run WITH (security_barrier) AS
SELECT r.id, r.started, r.finished,
       (SELECT count(*)::int
        FROM unnest(r.submissions) AS u (id)
        JOIN iafq.public_submission AS p ON p.id = u.id) AS submissions
FROM iafq.latest_run AS r;

CREATE OR REPLACE VIEW iafq_public.sdg_16_4_2 WITH (security_barrier) AS
WITH c AS (
    SELECT r.*, p.country AS iso3
    FROM iafq.res_sdg_16_4_2 AS r
    JOIN iafq.public_submission AS p ON p.id = r.submission_id
    WHERE r.run_id = (SELECT id FROM iafq.latest_run) AND r.area_type = 'country'
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
    WHERE r.run_id = (SELECT id FROM iafq.latest_run) AND r.area_type = 'country'
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
    WHERE r.run_id = (SELECT id FROM iafq.latest_run) AND r.area_type = 'country'
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
    WHERE r.run_id = (SELECT id FROM iafq.latest_run) AND r.area_type = 'country'
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
    WHERE r.run_id = (SELECT id FROM iafq.latest_run) AND r.area_type = 'country'
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
    WHERE r.run_id = (SELECT id FROM iafq.latest_run) AND r.area_type = 'country'
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
    WHERE r.run_id = (SELECT id FROM iafq.latest_run) AND r.area_type = 'country'
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
    WHERE r.run_id = (SELECT id FROM iafq.latest_run) AND r.area_type = 'country'
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
    WHERE r.run_id = (SELECT id FROM iafq.latest_run) AND r.area_type = 'country'
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
    WHERE r.run_id = (SELECT id FROM iafq.latest_run) AND r.area_type = 'country'
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
CREATE OR REPLACE VIEW iafq_public.gs9 WITH (security_barrier) AS
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
    WHERE r.run_id = (SELECT id FROM iafq.latest_run) AND r.area_type = 'country'
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
-- Roles

-- PUBLIC (every role of the cluster) may not create temporary objects (a
-- leaky function next to a view) nor anything else in this database, nor
-- create in schema public.  Database privileges belong to the database, not
-- to its schema: CREATE DATABASE ... TEMPLATE does not copy them, so a
-- database made from a migrated template runs this procedure again (as its
-- owner).  A role that does not own the database only gets a warning.
CREATE PROCEDURE iafq.revoke_public_rights()
LANGUAGE plpgsql AS $$
BEGIN
    IF pg_has_role(current_user, (SELECT d.datdba FROM pg_database AS d
                                  WHERE d.datname = current_database()), 'USAGE') THEN
        EXECUTE format('REVOKE TEMPORARY, CREATE ON DATABASE %I FROM PUBLIC',
                       current_database());
    ELSE
        RAISE WARNING 'iafq: % does not own database %: TEMP and CREATE stay granted to PUBLIC',
            current_user, current_database()
            USING HINT = 'as its owner: CALL iafq.revoke_public_rights()';
    END IF;
    IF EXISTS (SELECT 1 FROM pg_namespace AS n
               WHERE n.nspname = 'public'
                 AND pg_has_role(current_user, n.nspowner, 'USAGE')) THEN
        REVOKE CREATE ON SCHEMA public FROM PUBLIC;
    END IF;
END
$$;
REVOKE ALL ON PROCEDURE iafq.revoke_public_rights() FROM PUBLIC;
CALL iafq.revoke_public_rights();

-- The analyst reads everything and writes nothing.
REVOKE ALL ON ALL TABLES IN SCHEMA iafq FROM iafq_analyst;
REVOKE ALL ON ALL SEQUENCES IN SCHEMA iafq FROM iafq_analyst;
GRANT SELECT ON ALL TABLES IN SCHEMA iafq TO iafq_analyst;

-- The loader ingests (0001) and runs the aggregation: it reads what the
-- aggregation and an internal export read, and writes runs and results.
GRANT SELECT ON ALL TABLES IN SCHEMA iafq TO iafq_loader;
GRANT INSERT, UPDATE ON iafq.agg_run TO iafq_loader;
GRANT USAGE, SELECT ON SEQUENCE iafq.agg_run_id_seq TO iafq_loader;
GRANT INSERT ON iafq.res_sdg_16_4_2, iafq.res_sdg_16_4_2_by_column,
    iafq.res_sdg_16_4_2_by_tracing, iafq.res_gs1, iafq.res_share,
    iafq.res_count, iafq.res_gs8, iafq.res_gs9 TO iafq_loader;

-- The portal reads iafq_public and nothing else.
REVOKE ALL ON SCHEMA iafq FROM iafq_portal;
REVOKE ALL ON ALL TABLES IN SCHEMA iafq FROM iafq_portal;
REVOKE ALL ON ALL TABLES IN SCHEMA iafq_public FROM iafq_portal, iafq_analyst;
GRANT USAGE ON SCHEMA iafq_public TO iafq_portal, iafq_analyst;
GRANT SELECT ON ALL TABLES IN SCHEMA iafq_public TO iafq_portal, iafq_analyst;
