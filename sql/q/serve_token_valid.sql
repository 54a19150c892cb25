-- Whether token $1 may still be used (each request of a session asks).
SELECT id
FROM iafq.token
WHERE id = $1::bigint
  AND revoked IS NULL
  AND (expires IS NULL OR expires > clock_timestamp())
