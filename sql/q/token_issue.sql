-- A new token; $4 is the last valid day (UTC), NULL for no end.
INSERT INTO iafq.token (country, analyst, note, secret_sha256, expires)
VALUES (nullif(upper($1::text), ''), $2::boolean, nullif($3::text, ''), $5::text,
        ($4::date + 1)::timestamp AT TIME ZONE 'UTC')
RETURNING id, (expires IS NOT NULL AND expires <= clock_timestamp()) AS expired
