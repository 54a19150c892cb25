-- Every token, newest first, with its state.
SELECT t.id, coalesce(t.country, '') AS country, t.analyst,
       coalesce(t.note, '') AS note,
       to_char(t.issued AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS issued,
       coalesce(to_char((t.expires AT TIME ZONE 'UTC') - interval '1 day', 'YYYY-MM-DD'), '') AS expires,
       coalesce(to_char(t.last_used AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'), '') AS last_used,
       CASE WHEN t.revoked IS NOT NULL THEN 'revoked'
            WHEN t.expires IS NOT NULL AND t.expires <= clock_timestamp() THEN 'expired'
            ELSE 'active' END AS state
FROM iafq.token AS t
ORDER BY t.id DESC
