-- $1 version: record a migration, in the transaction that applied it.
INSERT INTO iafq.schema_migrations (version) VALUES ($1);
