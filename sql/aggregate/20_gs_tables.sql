-- 20_gs_tables: Global Study tables GS1-GS5, GS7, GS8 (definitions: the
-- iafq.calc_gs* / calc_share / calc_count views, migration 0003) for the
-- years this run recomputes (see 10_sdg_16_4_2.sql).  GS6 is 16.4.2
-- (10_sdg_16_4_2.sql); GS9 is 30_gs9.sql.
SELECT s.stored, s.closed
FROM (SELECT nullif(current_setting('iafq.agg_run', true), '')::bigint AS id) AS run
CROSS JOIN LATERAL iafq.agg_store('iafq.res_gs1', 'iafq.calc_gs1', 'true', run.id) AS s
WHERE run.id IS NOT NULL;

-- GS2 (T1 SEIZED by type), GS3 (T3), GS5 (T5, T6, T7)
SELECT s.stored, s.closed
FROM (SELECT nullif(current_setting('iafq.agg_run', true), '')::bigint AS id) AS run
CROSS JOIN LATERAL iafq.agg_store('iafq.res_share', 'iafq.calc_share',
    $$(c.tbl = 'T1' AND c.col_code = 'SEIZED')
      OR (c.tbl IN ('T3', 'T5', 'T7') AND c.col_code = 'SEIZED')
      OR c.tbl = 'T6'$$, run.id) AS s
WHERE run.id IS NOT NULL;

-- GS4 (T4), GS7 (T2)
SELECT s.stored, s.closed
FROM (SELECT nullif(current_setting('iafq.agg_run', true), '')::bigint AS id) AS run
CROSS JOIN LATERAL iafq.agg_store('iafq.res_count', 'iafq.calc_count', 'true', run.id) AS s
WHERE run.id IS NOT NULL;

SELECT s.stored, s.closed
FROM (SELECT nullif(current_setting('iafq.agg_run', true), '')::bigint AS id) AS run
CROSS JOIN LATERAL iafq.agg_store('iafq.res_gs8', 'iafq.calc_gs8', 'true', run.id) AS s
WHERE run.id IS NOT NULL;
