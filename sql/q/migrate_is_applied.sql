-- $1 version: one row when that migration is recorded.
SELECT version FROM iafq.schema_migrations WHERE version = $1;
