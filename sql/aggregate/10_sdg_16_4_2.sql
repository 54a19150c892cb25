-- 10_sdg_16_4_2: SDG 16.4.2 and its disaggregations (definitions: the
-- iafq.calc_sdg_16_4_2* views, migration 0003) into this run's rows.
INSERT INTO iafq.res_sdg_16_4_2
    (run_id, area_type, area_code, area_name, year,
     numerator, denominator, value, countries, withheld, submission_id)
SELECT run.id,
       c.area_type, c.area_code, c.area_name, c.year,
       c.numerator, c.denominator, c.value, c.countries, c.withheld, c.submission_id
FROM iafq.calc_sdg_16_4_2 AS c
CROSS JOIN (SELECT currval(pg_get_serial_sequence('iafq.agg_run', 'id')) AS id) AS run;

INSERT INTO iafq.res_sdg_16_4_2_by_column
    (run_id, area_type, area_code, area_name, year, arms,
     numerator, denominator, value, countries, withheld, submission_id)
SELECT run.id,
       c.area_type, c.area_code, c.area_name, c.year, c.arms,
       c.numerator, c.denominator, c.value, c.countries, c.withheld, c.submission_id
FROM iafq.calc_sdg_16_4_2_by_column AS c
CROSS JOIN (SELECT currval(pg_get_serial_sequence('iafq.agg_run', 'id')) AS id) AS run;

INSERT INTO iafq.res_sdg_16_4_2_by_tracing
    (run_id, area_type, area_code, area_name, year, arms, tracing,
     n, t8_total, share_pct, countries, withheld, submission_id)
SELECT run.id,
       c.area_type, c.area_code, c.area_name, c.year, c.arms, c.tracing,
       c.n, c.t8_total, c.share_pct, c.countries, c.withheld, c.submission_id
FROM iafq.calc_sdg_16_4_2_by_tracing AS c
CROSS JOIN (SELECT currval(pg_get_serial_sequence('iafq.agg_run', 'id')) AS id) AS run;
