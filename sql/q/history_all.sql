-- The latest submissions of every country, those that named no country
-- (a rejected file: a PDF renamed .xlsx, an empty file) included: newest
-- received first, at most $1 rows.  The columns of history.sql.
SELECT s.id, s.country, s.year, s.status,
       to_char(s.received AT TIME ZONE 'UTC',
               'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS received,
       s.file_name, s.sha256, s.errors, s.warnings, s.strict,
       (c.id IS NOT NULL) AS current
FROM iafq.submission AS s
LEFT JOIN iafq.current_submissions AS c ON c.id = s.id
ORDER BY s.received DESC, s.id DESC
LIMIT $1::int
