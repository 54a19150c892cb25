-- 30_gs9: GS9 from T11 significant seizures (definition: iafq.calc_gs9,
-- migration 0003).
INSERT INTO iafq.res_gs9
    (run_id, area_type, area_code, area_name, year, flow,
     manufacture_code, manufacture_name, departure_code, departure_name,
     destination_code, destination_name, quantity, seizures,
     countries, withheld, partner_withheld, submission_id)
SELECT run.id,
       c.area_type, c.area_code, c.area_name, c.year, c.flow,
       c.manufacture_code, c.manufacture_name, c.departure_code, c.departure_name,
       c.destination_code, c.destination_name, c.quantity, c.seizures,
       c.countries, c.withheld, c.partner_withheld, c.submission_id
FROM iafq.calc_gs9 AS c
CROSS JOIN (SELECT currval(pg_get_serial_sequence('iafq.agg_run', 'id')) AS id) AS run;
