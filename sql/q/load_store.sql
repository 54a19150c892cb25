-- A submission, once its return is read and checked: written once, never
-- updated (a newer return is a new row; nothing is deleted).
INSERT INTO iafq.submission (id, file_name, sha256, source, country, year,
                             status, consent, errors, warnings, report,
                             strict)
VALUES ($1::bigint, $2::text, $3::text, $4::text, nullif($5::text, ''),
        nullif($6::int, 0), $7::text, $8::boolean, $9::int, $10::int,
        $11::jsonb, $12::boolean)
