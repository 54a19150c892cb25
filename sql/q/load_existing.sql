-- The submissions already made from these bytes (same SHA-256) judged the
-- same way ($2: --strict): the same bytes under another --strict are
-- judged again (docs/decisions.md, "What makes an ingest the same").
SELECT id, coalesce(country, '') AS country, coalesce(year, 0) AS year,
       status, errors, warnings
FROM iafq.submission
WHERE sha256 = $1::text AND strict = $2::boolean
ORDER BY id
