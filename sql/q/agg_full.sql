-- `iafq aggregate --full`: recompute every year (sql/aggregate/05_plan.sql
-- reads it), run right after sql/aggregate/00_run.sql.
SELECT set_config('iafq.agg_full', 'on', true) AS full
