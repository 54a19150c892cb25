-- 0005_public: schema iafq_public, the views a data portal may read: the
-- stable views of schema iafq with the disclosure rule of IAFQ-SPEC
-- section 5 applied.
--
-- THE RULE, applied by every view below:
--  * a country row is shown only when the country is not withheld
--    (withheld = the country's newest accepted return, or its return for
--    that year, says CONSENT = NO; see iafq.calc_return);
--  * a regional, sub-regional, SDG-regional or world row is shown when no
--    withheld country stands behind it, or when at least 3 countries do;
--  * GS9 also hides every country row whose partner country (manufacture,
--    departure or destination) is withheld: a withheld country appears in
--    no row by name or code.
-- Internal columns (withheld, partner_withheld, submission_id) are left out.
-- The views belong to the migration's owner, so iafq_portal needs no right
-- on schema iafq (and has none).

CREATE VIEW iafq_public.latest_run AS
SELECT r.id, r.started, r.finished
FROM iafq.latest_run AS r;

CREATE VIEW iafq_public.sdg_16_4_2 AS
SELECT r.area_type, r.area_code, r.area_name, r.year,
       r.numerator, r.denominator, r.value, r.countries
FROM iafq.sdg_16_4_2 AS r
WHERE CASE WHEN r.area_type = 'country' THEN r.withheld = 0
           ELSE r.withheld = 0 OR r.countries >= 3 END;

CREATE VIEW iafq_public.sdg_16_4_2_by_column AS
SELECT r.area_type, r.area_code, r.area_name, r.year, r.arms,
       r.numerator, r.denominator, r.value, r.countries
FROM iafq.sdg_16_4_2_by_column AS r
WHERE CASE WHEN r.area_type = 'country' THEN r.withheld = 0
           ELSE r.withheld = 0 OR r.countries >= 3 END;

CREATE VIEW iafq_public.sdg_16_4_2_by_tracing AS
SELECT r.area_type, r.area_code, r.area_name, r.year, r.arms, r.tracing,
       r.n, r.t8_total, r.share_pct, r.countries
FROM iafq.sdg_16_4_2_by_tracing AS r
WHERE CASE WHEN r.area_type = 'country' THEN r.withheld = 0
           ELSE r.withheld = 0 OR r.countries >= 3 END;

CREATE VIEW iafq_public.gs1 AS
SELECT r.area_type, r.area_code, r.area_name, r.year, r.arms,
       r.n, r.countries
FROM iafq.gs1 AS r
WHERE CASE WHEN r.area_type = 'country' THEN r.withheld = 0
           ELSE r.withheld = 0 OR r.countries >= 3 END;

CREATE VIEW iafq_public.gs2 AS
SELECT r.area_type, r.area_code, r.area_name, r.year, r.arm_type,
       r.n, r.reported, r.share_pct, r.countries
FROM iafq.gs2 AS r
WHERE CASE WHEN r.area_type = 'country' THEN r.withheld = 0
           ELSE r.withheld = 0 OR r.countries >= 3 END;

CREATE VIEW iafq_public.gs3 AS
SELECT r.area_type, r.area_code, r.area_name, r.year, r.justification,
       r.n, r.reported, r.share_pct, r.share_pct_mean, r.countries
FROM iafq.gs3 AS r
WHERE CASE WHEN r.area_type = 'country' THEN r.withheld = 0
           ELSE r.withheld = 0 OR r.countries >= 3 END;

CREATE VIEW iafq_public.gs4 AS
SELECT r.area_type, r.area_code, r.area_name, r.year, r.offence,
       r.n, r.countries
FROM iafq.gs4 AS r
WHERE CASE WHEN r.area_type = 'country' THEN r.withheld = 0
           ELSE r.withheld = 0 OR r.countries >= 3 END;

CREATE VIEW iafq_public.gs5 AS
SELECT r.area_type, r.area_code, r.area_name, r.year, r.dimension, r.arms,
       r.category, r.n, r.reported, r.share_pct, r.countries
FROM iafq.gs5 AS r
WHERE CASE WHEN r.area_type = 'country' THEN r.withheld = 0
           ELSE r.withheld = 0 OR r.countries >= 3 END;

CREATE VIEW iafq_public.gs6 AS
SELECT r.area_type, r.area_code, r.area_name, r.year, r.breakdown, r.arms,
       r.tracing, r.numerator, r.denominator, r.value, r.countries
FROM iafq.gs6 AS r
WHERE CASE WHEN r.area_type = 'country' THEN r.withheld = 0
           ELSE r.withheld = 0 OR r.countries >= 3 END;

CREATE VIEW iafq_public.gs7 AS
SELECT r.area_type, r.area_code, r.area_name, r.year, r.item,
       r.n, r.countries
FROM iafq.gs7 AS r
WHERE CASE WHEN r.area_type = 'country' THEN r.withheld = 0
           ELSE r.withheld = 0 OR r.countries >= 3 END;

CREATE VIEW iafq_public.gs8 AS
SELECT r.area_type, r.area_code, r.area_name, r.year, r.persons, r.sex,
       r.n, r.share_pct, r.countries
FROM iafq.gs8 AS r
WHERE CASE WHEN r.area_type = 'country' THEN r.withheld = 0
           ELSE r.withheld = 0 OR r.countries >= 3 END;

CREATE VIEW iafq_public.gs9 AS
SELECT r.area_type, r.area_code, r.area_name, r.year, r.flow,
       r.manufacture_code, r.manufacture_name,
       r.departure_code, r.departure_name,
       r.destination_code, r.destination_name,
       r.quantity, r.seizures, r.countries
FROM iafq.gs9 AS r
WHERE CASE WHEN r.area_type = 'country' THEN r.withheld = 0 AND NOT r.partner_withheld
           ELSE r.withheld = 0 OR r.countries >= 3 END;

-- ---------------------------------------------------------------------------
-- The portal reads these views and nothing else.
REVOKE ALL ON SCHEMA iafq FROM iafq_portal;
REVOKE ALL ON ALL TABLES IN SCHEMA iafq FROM iafq_portal;
GRANT USAGE ON SCHEMA iafq_public TO iafq_portal, iafq_analyst;
GRANT SELECT ON ALL TABLES IN SCHEMA iafq_public TO iafq_portal, iafq_analyst;
