-- The outcome of a submission once the whole return is read and checked.
UPDATE iafq.submission
SET country = nullif($2::text, ''),
    year = nullif($3::int, 0),
    status = $4::text,
    consent = $5::boolean,
    errors = $6::int,
    warnings = $7::int,
    report = $8::jsonb
WHERE id = $1::bigint
