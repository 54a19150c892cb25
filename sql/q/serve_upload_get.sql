-- The stored bytes (large object, NULL when none were kept) of submission
-- $1, and whether country $2 may see it ('' = any: analysts): a token sees
-- only its own country's.
SELECT u.content,
       ($2::text = '' OR s.country = $2::text
        OR (s.country IS NULL AND t.country = $2::text)) AS allowed
FROM iafq.submission AS s
LEFT JOIN iafq.upload AS u ON u.sha256 = s.sha256
LEFT JOIN iafq.token_submission AS ts ON ts.submission_id = s.id
LEFT JOIN iafq.token AS t ON t.id = ts.token_id
WHERE s.id = $1::bigint
