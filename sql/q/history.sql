-- Every submission of a country (and year): by year, newest first (a
-- rejected return that named no year last), then newest received first;
-- with whether it is the current one (the newest accepted of its
-- country-year).  $1 country (ISO alpha-3), $2 year or NULL.
SELECT s.id, s.country, s.year, s.status,
       to_char(s.received AT TIME ZONE 'UTC',
               'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS received,
       s.file_name, s.sha256, s.errors, s.warnings, s.strict,
       (c.id IS NOT NULL) AS current
FROM iafq.submission AS s
LEFT JOIN iafq.current_submissions AS c ON c.id = s.id
WHERE s.country = upper($1::text)
  AND ($2::int IS NULL OR s.year = $2::int)
ORDER BY s.year DESC NULLS LAST, s.received DESC, s.id DESC
