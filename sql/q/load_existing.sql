-- The submissions already made from these bytes (same SHA-256).
SELECT id, coalesce(country, ''), coalesce(year, 0), status, errors, warnings
FROM iafq.submission
WHERE sha256 = $1::text
ORDER BY id
