-- 0006_portal: the records of the portal long file and its JSON (IAFQ-SPEC
-- sections 6.3, 6.4; export/portal.c writes them): one row per value GIVEN
-- in the returns of the latest finished aggregation run, with the country's
-- M49 names.  Totals that iafq derived (W-TOTAL-DERIVED, derived = true)
-- were not given and are left out; T11 is not in the long file.
--
-- The submissions are those the run used (iafq.latest_run.submissions), so
-- the file has the vintage of the GS tables and 16.4.2 it is exported with,
-- even if returns arrived after the run.
--
-- Disclosure: `withheld` is the rule of iafq.calc_return applied to the
-- run's submissions (this return says CONSENT = NO, or the country's newest
-- return among them does; a missing consent counts as NO) -- what the run's
-- own `withheld` flags say -- and, stricter, also when the country's newest
-- accepted return NOW says NO (iafq.country_consent): a consent withdrawn
-- after the run hides the country's figures at once.

CREATE VIEW iafq.portal AS
WITH used AS (
    SELECT s.id, s.country, s.year, s.received, s.consent
    FROM iafq.latest_run AS r
    CROSS JOIN LATERAL unnest(r.submissions) AS u (id)
    JOIN iafq.submission AS s ON s.id = u.id
), newest AS (
    SELECT DISTINCT ON (u.country) u.country, u.consent
    FROM used AS u
    ORDER BY u.country, u.received DESC, u.id DESC
)
SELECT 'country'::text AS area_type, c.m49 AS area_code, c.name AS area_name,
       u.year, u.country AS iso3,
       c.region_name AS region, c.subregion_name AS subregion,
       v.tbl, v.row_code, v.col_code, v.n,
       coalesce(v.source, 'IAFQ') AS source,
       (u.consent IS NOT TRUE OR nw.consent IS NOT TRUE
        OR coalesce(cc.consent IS NOT TRUE, false)) AS withheld,
       u.id AS submission_id
FROM used AS u
JOIN newest AS nw ON nw.country = u.country
JOIN iafq.value AS v ON v.submission_id = u.id AND NOT v.derived
JOIN iafq.m49_country AS c ON c.iso3 = u.country
LEFT JOIN iafq.country_consent AS cc ON cc.country = u.country;

-- The public records: no withheld country, no internal column.  A security
-- barrier, so that no condition a reader adds (a function that fails on
-- some value) is evaluated on a withheld row before the filter.
CREATE VIEW iafq_public.portal WITH (security_barrier) AS
SELECT p.area_type, p.area_code, p.area_name, p.year, p.iso3,
       p.region, p.subregion, p.tbl, p.row_code, p.col_code, p.n, p.source
FROM iafq.portal AS p
WHERE NOT p.withheld;

GRANT SELECT ON iafq.portal TO iafq_analyst;
GRANT SELECT ON iafq_public.portal TO iafq_portal, iafq_analyst;
