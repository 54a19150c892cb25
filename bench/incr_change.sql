-- bench/incr_change.sql: one country-year revised (bench/incr_run.sh).  The
-- psql variable n picks the country-year (the n-th current return by
-- country, year); its return is copied as a newer submission (every value
-- and T11 row, whatever columns the tables have) with its T1 TOTALs + 1.
SELECT set_config('bench.n', :'n', false) AS n \gset
DO $$
DECLARE
    old bigint;
    new bigint;
    cols text;
BEGIN
    SELECT cs.id INTO old FROM iafq.current_submissions AS cs
    ORDER BY cs.country, cs.year OFFSET current_setting('bench.n')::int LIMIT 1;
    SELECT string_agg(quote_ident(a.attname), ', ' ORDER BY a.attnum) INTO cols
    FROM pg_attribute AS a
    WHERE a.attrelid = 'iafq.submission'::regclass AND a.attnum > 0 AND NOT a.attisdropped
      AND a.attname NOT IN ('id', 'sha256', 'received');
    EXECUTE format('INSERT INTO iafq.submission (%1$s, sha256, received)
                    SELECT %1$s, encode(sha256(convert_to(gen_random_uuid()::text, ''UTF8'')), ''hex''),
                           clock_timestamp()
                    FROM iafq.submission WHERE id = $1 RETURNING id', cols)
    INTO new USING old;
    FOREACH cols IN ARRAY ARRAY['value', 'seizure'] LOOP
        EXECUTE format('INSERT INTO iafq.%1$I (submission_id, %2$s) SELECT $2, %2$s FROM iafq.%1$I WHERE submission_id = $1',
                       cols,
                       (SELECT string_agg(quote_ident(a.attname), ', ' ORDER BY a.attnum)
                        FROM pg_attribute AS a
                        WHERE a.attrelid = ('iafq.' || cols)::regclass AND a.attnum > 0
                          AND NOT a.attisdropped AND a.attname <> 'submission_id'
                          AND a.attidentity = ''
                          AND NOT EXISTS (SELECT 1 FROM pg_attrdef AS d
                                          WHERE d.adrelid = a.attrelid AND d.adnum = a.attnum
                                            AND pg_get_expr(d.adbin, d.adrelid) LIKE 'nextval%%')))
        USING old, new;
    END LOOP;
    UPDATE iafq.value SET n = n + 1
    WHERE submission_id = new AND tbl = 'T1' AND row_code = 'TOTAL' AND n IS NOT NULL;
END
$$;
