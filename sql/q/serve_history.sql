-- The submissions of country $1, newest first: those naming it, and the
-- unreadable ones (no country) a token of that country made.
SELECT s.id, coalesce(s.year::text, '') AS year, s.status,
       to_char(s.received AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS "UTC"') AS received,
       s.file_name, s.sha256, s.errors, s.warnings,
       (c.id IS NOT NULL) AS current,
       (u.sha256 IS NOT NULL) AS has_bytes,
       s.report
FROM iafq.submission AS s
LEFT JOIN iafq.current_submissions AS c ON c.id = s.id
LEFT JOIN iafq.upload AS u ON u.sha256 = s.sha256
LEFT JOIN iafq.token_submission AS ts ON ts.submission_id = s.id
LEFT JOIN iafq.token AS t ON t.id = ts.token_id
WHERE s.country = upper($1::text)
   OR (s.country IS NULL AND t.country = upper($1::text))
ORDER BY s.received DESC, s.id DESC
LIMIT 200
