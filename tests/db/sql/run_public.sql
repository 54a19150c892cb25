-- drv_portal: the latest finished run (iafq_public.latest_run) for exp_ctx.run.
SELECT r.id,
       to_char(r.started AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
       to_char(r.finished AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
       NULL
FROM iafq_public.latest_run AS r
