-- 10_sdg_16_4_2: SDG 16.4.2 and its disaggregations (definitions: the
-- iafq.calc_sdg_16_4_2* views, migration 0003) for the years this run
-- recomputes; iafq.agg_store (migration 0013) stores what changed.  Nothing
-- when nothing changed (iafq.agg_run is '').
SELECT s.stored, s.closed
FROM (SELECT nullif(current_setting('iafq.agg_run', true), '')::bigint AS id) AS run
CROSS JOIN LATERAL iafq.agg_store('iafq.res_sdg_16_4_2', 'iafq.calc_sdg_16_4_2', 'true', run.id) AS s
WHERE run.id IS NOT NULL;

SELECT s.stored, s.closed
FROM (SELECT nullif(current_setting('iafq.agg_run', true), '')::bigint AS id) AS run
CROSS JOIN LATERAL iafq.agg_store('iafq.res_sdg_16_4_2_by_column', 'iafq.calc_sdg_16_4_2_by_column', 'true', run.id) AS s
WHERE run.id IS NOT NULL;

SELECT s.stored, s.closed
FROM (SELECT nullif(current_setting('iafq.agg_run', true), '')::bigint AS id) AS run
CROSS JOIN LATERAL iafq.agg_store('iafq.res_sdg_16_4_2_by_tracing', 'iafq.calc_sdg_16_4_2_by_tracing', 'true', run.id) AS s
WHERE run.id IS NOT NULL;
