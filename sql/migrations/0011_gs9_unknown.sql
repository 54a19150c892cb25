-- 0011_gs9_unknown: GS9 names an unknown partner (issue 12, item 7).
--
-- A partner the return did not state (or a partner country in no area of
-- the row's partner level) had a NULL code and a NULL name, so a file
-- showed an empty code and an empty name, as if a value had been lost.  Its
-- name is now 'Unknown'; its code stays NULL (empty in a CSV).  Only the
-- columns of the row's own flow: a 'manufacture' row's departure and
-- destination, a 'route' row's manufacture, stay NULL (they do not apply).
-- A withheld partner in iafq_public stays code '' and name 'Not published'
-- (docs/disclosure.md): its code is '', not NULL.
--
-- iafq.gs9 is replaced with the same columns.  iafq_public.gs9 (0009,
-- recomputed at read time) is kept whole as iafq.gs9_published and the new
-- iafq_public.gs9 names its unknown partners: the disclosure rule stays
-- where it is written, in one place.  Same columns, names, order and types
-- as before (docs/sql-interface.md).

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
WHERE r.run_id = (SELECT id FROM iafq.latest_run);

ALTER VIEW iafq_public.gs9 RENAME TO gs9_published;
ALTER VIEW iafq_public.gs9_published SET SCHEMA iafq;
REVOKE ALL ON iafq.gs9_published FROM iafq_portal;

CREATE VIEW iafq_public.gs9 WITH (security_barrier) AS
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
       r.quantity, r.seizures, r.countries
FROM iafq.gs9_published AS r;

GRANT SELECT ON iafq_public.gs9 TO iafq_portal, iafq_analyst;
