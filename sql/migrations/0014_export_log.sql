-- 0014_export_log: which run each export used (issue 14, item 4: `iafq
-- runs prune` keeps every run an export used; `iafq runs list` says so).
-- An export writes one row after its release is in place
-- (export/plan.c, export_record).  Exports run as the analyst, who writes
-- nothing else: the row is appended by iafq.export_record (security
-- definer), for a finished run only.

CREATE TABLE iafq.export_log (
    id       bigserial PRIMARY KEY,
    run_id   bigint NOT NULL,   -- iafq.agg_run id (no foreign key: a run
                                -- an export used is never pruned)
    exported timestamptz NOT NULL DEFAULT clock_timestamp(),
    scope    text NOT NULL CHECK (scope IN ('internal', 'public')),
    target   text NOT NULL      -- the export's DIR, as given
);
CREATE INDEX export_log_run ON iafq.export_log (run_id);

CREATE FUNCTION iafq.export_record(run bigint, scope text, target text) RETURNS bigint
LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
    INSERT INTO iafq.export_log (run_id, scope, target)
    SELECT g.id, scope, target
    FROM iafq.agg_run AS g
    WHERE g.id = run AND g.finished IS NOT NULL
    RETURNING id;
$$;
REVOKE ALL ON FUNCTION iafq.export_record(bigint, text, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION iafq.export_record(bigint, text, text) TO iafq_analyst, iafq_loader;
GRANT SELECT ON iafq.export_log TO iafq_analyst, iafq_loader;
