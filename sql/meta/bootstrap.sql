-- bootstrap.sql: run before any migration, every time (idempotent).
-- The migration runner then applies, under
-- pg_advisory_xact_lock(hashtext('iafq.migrate')), each sql/migrations/NNNN_*.sql
-- whose version (file name without .sql) is not yet in iafq.schema_migrations.
CREATE SCHEMA IF NOT EXISTS iafq;
CREATE TABLE IF NOT EXISTS iafq.schema_migrations (
    version    text PRIMARY KEY,
    applied_at timestamptz NOT NULL DEFAULT now()
);
