-- A submission row, made before its values so that T11 can stream into
-- iafq.seizure with its id while the file is still being read; finished by
-- load_finish.sql in the same transaction (nobody sees it before).
INSERT INTO iafq.submission (file_name, sha256, status, source, errors, warnings, report)
VALUES ($1::text, $2::text, 'rejected', $3::text, 0, 0, '{}'::jsonb)
RETURNING id
