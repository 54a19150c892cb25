-- 30_gs9: GS9 from T11 significant seizures (definition: iafq.calc_gs9,
-- migrations 0003 and 0013) for the years this run recomputes (see
-- 10_sdg_16_4_2.sql).
SELECT s.stored, s.closed
FROM (SELECT nullif(current_setting('iafq.agg_run', true), '')::bigint AS id) AS run
CROSS JOIN LATERAL iafq.agg_store('iafq.res_gs9', 'iafq.calc_gs9', 'true', run.id) AS s
WHERE run.id IS NOT NULL;
