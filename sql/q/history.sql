-- The submissions received, with whether each is the current one (the
-- newest accepted of its country-year).  $1 country (ISO alpha-3) or NULL,
-- $2 year or NULL, $3 at most this many rows or NULL (all).
-- With a country: by year, newest first (a rejected return that named no
-- year last), then newest received first.  Without: every country, those
-- that named none included (a PDF renamed .xlsx, an empty file), newest
-- received first.
SELECT s.id, s.country, s.year, s.status,
       to_char(s.received AT TIME ZONE 'UTC',
               'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS received,
       s.file_name, s.sha256, s.errors, s.warnings, s.strict,
       (c.id IS NOT NULL) AS current
FROM iafq.submission AS s
LEFT JOIN iafq.current_submissions AS c ON c.id = s.id
WHERE ($1::text IS NULL OR s.country = upper($1::text))
  AND ($2::int IS NULL OR s.year = $2::int)
ORDER BY CASE WHEN $1::text IS NULL THEN NULL ELSE s.year END DESC NULLS LAST,
         s.received DESC, s.id DESC
LIMIT $3::int
