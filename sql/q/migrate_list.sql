-- The applied migrations, oldest version first: version, applied_at (ISO 8601).
SELECT version,
       to_char(applied_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS applied_at
FROM iafq.schema_migrations
ORDER BY version;
