-- The stored bytes (large object) of submission $1, when it belongs to
-- country $2 (a token sees only its own country's; '' = any, for analysts).
SELECT u.content, s.sha256, s.file_name
FROM iafq.submission AS s
JOIN iafq.upload AS u ON u.sha256 = s.sha256
LEFT JOIN iafq.token_submission AS ts ON ts.submission_id = s.id
LEFT JOIN iafq.token AS t ON t.id = ts.token_id
WHERE s.id = $1::bigint
  AND ($2::text = '' OR s.country = $2::text
       OR (s.country IS NULL AND t.country = $2::text))
