-- 20_gs_tables: Global Study tables GS1-GS5, GS7, GS8 (definitions: the
-- iafq.calc_gs* / calc_share / calc_count views, migration 0003).  GS6 is
-- 16.4.2 (10_sdg_16_4_2.sql); GS9 is 30_gs9.sql.
INSERT INTO iafq.res_gs1
    (run_id, area_type, area_code, area_name, year, arms,
     n, countries, withheld, submission_id)
SELECT run.id,
       c.area_type, c.area_code, c.area_name, c.year, c.arms,
       c.n, c.countries, c.withheld, c.submission_id
FROM iafq.calc_gs1 AS c
CROSS JOIN (SELECT currval(pg_get_serial_sequence('iafq.agg_run', 'id')) AS id) AS run;

-- GS2 (T1 SEIZED by type), GS3 (T3), GS5 (T5, T6, T7)
INSERT INTO iafq.res_share
    (run_id, area_type, area_code, area_name, year, tbl, col_code, row_code,
     n, reported, share_pct, share_pct_mean, countries, withheld, submission_id)
SELECT run.id,
       c.area_type, c.area_code, c.area_name, c.year, c.tbl, c.col_code, c.row_code,
       c.n, c.reported, c.share_pct, c.share_pct_mean, c.countries, c.withheld,
       c.submission_id
FROM iafq.calc_share AS c
CROSS JOIN (SELECT currval(pg_get_serial_sequence('iafq.agg_run', 'id')) AS id) AS run
WHERE (c.tbl = 'T1' AND c.col_code = 'SEIZED')
   OR (c.tbl IN ('T3', 'T5', 'T7') AND c.col_code = 'SEIZED')
   OR c.tbl = 'T6';

-- GS4 (T4), GS7 (T2)
INSERT INTO iafq.res_count
    (run_id, area_type, area_code, area_name, year, tbl, col_code, row_code,
     n, countries, withheld, submission_id)
SELECT run.id,
       c.area_type, c.area_code, c.area_name, c.year, c.tbl, c.col_code, c.row_code,
       c.n, c.countries, c.withheld, c.submission_id
FROM iafq.calc_count AS c
CROSS JOIN (SELECT currval(pg_get_serial_sequence('iafq.agg_run', 'id')) AS id) AS run;

INSERT INTO iafq.res_gs8
    (run_id, area_type, area_code, area_name, year, persons, sex,
     n, share_pct, countries, withheld, submission_id)
SELECT run.id,
       c.area_type, c.area_code, c.area_name, c.year, c.persons, c.sex,
       c.n, c.share_pct, c.countries, c.withheld, c.submission_id
FROM iafq.calc_gs8 AS c
CROSS JOIN (SELECT currval(pg_get_serial_sequence('iafq.agg_run', 'id')) AS id) AS run;
