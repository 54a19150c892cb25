-- The schema every query of this export reads (export/exp.c, once per
-- transaction): $1 is iafq (internal) or iafq_public (public).  The export's
-- queries name views without a schema; pg_catalog first (built-in functions
-- cannot be shadowed), pg_temp last (no temporary relation shadows a view).
SELECT set_config('search_path', 'pg_catalog, ' || quote_ident($1) || ', pg_temp', true)
