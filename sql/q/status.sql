-- The submission tracker (`iafq status`, the analysts' page): every
-- country x reporting year.  $1 a year (NULL: every year any return named),
-- $2 an M49 area code (NULL: the world).  Status: the current (newest
-- accepted) submission when there is one, else the newest rejected one,
-- else none; with when and by which token (none: `iafq ingest`).
WITH years AS (
    SELECT DISTINCT year FROM iafq.submission
    WHERE year IS NOT NULL AND ($1::int IS NULL OR year = $1::int)
    UNION
    SELECT $1::int WHERE $1::int IS NOT NULL
), countries AS (
    SELECT c.iso3, c.name, coalesce(c.region_name, '') AS region
    FROM iafq.m49_country AS c
    WHERE $2::text IS NULL
       OR $2::text IN (c.region_code, c.subregion_code, c.intermediate_code,
                       c.sdg_region_code, c.m49)
       OR $2::text = '001'
), best AS (
    SELECT DISTINCT ON (s.country, s.year)
           s.country, s.year, s.id, s.status, s.warnings, s.received
    FROM iafq.submission AS s
    WHERE s.country IS NOT NULL AND s.year IS NOT NULL
    ORDER BY s.country, s.year, (s.status = 'accepted') DESC,
             s.received DESC, s.id DESC
)
SELECT c.iso3 AS country, c.name, c.region, y.year,
       CASE WHEN b.id IS NULL THEN 'not submitted'
            WHEN b.status = 'rejected' THEN 'rejected'
            WHEN b.warnings > 0 THEN 'accepted with warnings'
            ELSE 'accepted' END AS status,
       coalesce(b.id::text, '') AS submission,
       coalesce(to_char(b.received AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'), '') AS received,
       coalesce(ts.token_id::text, '') AS token,
       coalesce(t.note, '') AS token_note
FROM countries AS c
CROSS JOIN years AS y
LEFT JOIN best AS b ON b.country = c.iso3 AND b.year = y.year
LEFT JOIN iafq.token_submission AS ts ON ts.submission_id = b.id
LEFT JOIN iafq.token AS t ON t.id = ts.token_id
ORDER BY y.year DESC, c.iso3
