-- How many result rows are stored (all runs): `iafq runs prune` says how
-- many it removed.
SELECT count(*) AS n
FROM (
        SELECT run_id FROM iafq.res_sdg_16_4_2
        UNION ALL SELECT run_id FROM iafq.res_sdg_16_4_2_by_column
        UNION ALL SELECT run_id FROM iafq.res_sdg_16_4_2_by_tracing
        UNION ALL SELECT run_id FROM iafq.res_gs1
        UNION ALL SELECT run_id FROM iafq.res_share
        UNION ALL SELECT run_id FROM iafq.res_count
        UNION ALL SELECT run_id FROM iafq.res_gs8
        UNION ALL SELECT run_id FROM iafq.res_gs9
) AS x
