-- The receipt of submission $1: when it was received.
SELECT to_char(received AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS "UTC"') AS received
FROM iafq.submission
WHERE id = $1::bigint
