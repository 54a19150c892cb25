-- Sign in: the usable token whose secret hashes to $1 (none when revoked or
-- expired), marked as used now.
UPDATE iafq.token
SET last_used = clock_timestamp()
WHERE secret_sha256 = $1::text
  AND revoked IS NULL
  AND (expires IS NULL OR expires > clock_timestamp())
RETURNING id, coalesce(country, '') AS country, analyst
