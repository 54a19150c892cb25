-- The uploaded bytes of a web submission (large object $2), once per
-- SHA-256; returns a row only when this one was stored (else the caller
-- unlinks its large object).
INSERT INTO iafq.upload (sha256, content, bytes)
VALUES ($1::text, $2::oid, $3::bigint)
ON CONFLICT (sha256) DO NOTHING
RETURNING sha256
