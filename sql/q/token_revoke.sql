-- Revoke a token (once: revoking again keeps the first time).
UPDATE iafq.token
SET revoked = coalesce(revoked, clock_timestamp())
WHERE id = $1::bigint
RETURNING id
