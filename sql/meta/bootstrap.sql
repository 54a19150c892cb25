-- Run before every migration pass (idempotent): the table that records
-- which migrations are applied.  See docs: DBCONTRACT, db/migrate.h.
CREATE SCHEMA IF NOT EXISTS iafq;
CREATE TABLE IF NOT EXISTS iafq.schema_migrations (
    version text PRIMARY KEY,
    applied_at timestamptz NOT NULL DEFAULT now()
);
