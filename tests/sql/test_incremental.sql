-- Incremental aggregation (issue 14, item 4; migration 0013): after every
-- step of a world with new returns, revisions, a withdrawal (CONSENT = NO:
-- the internal results keep the withheld country, flagged), a consent
-- given again, a rejected return and a return for a new year, the
-- incremental run's results equal a full computation row for row:
--  * every result table's rows valid in the latest run = the calc_* view
--    (the indicator SQL over every year, no scope);
--  * a `--full` run right after stores and closes nothing;
--  * at the end, every stable and public view equals the views after a
--    from-scratch aggregation (all runs deleted, one run).
-- And a run where nothing changed records nothing.

CREATE FUNCTION pg_temp.diff(res regclass, calc regclass, filter text) RETURNS bigint
LANGUAGE plpgsql AS $$
DECLARE
    cols text;
    valid text := 'r.run_id <= (SELECT id FROM iafq.latest_run) AND (r.valid_to IS NULL OR r.valid_to > (SELECT id FROM iafq.latest_run))';
    n bigint;
BEGIN
    SELECT string_agg(format('%I', a.attname), ', ' ORDER BY a.attnum) INTO cols
    FROM pg_attribute AS a
    WHERE a.attrelid = res AND a.attnum > 0 AND NOT a.attisdropped AND a.attname NOT IN ('run_id', 'valid_to');
    EXECUTE format('SELECT count(*) FROM ((SELECT %1$s FROM %2$s AS r WHERE %5$s EXCEPT ALL SELECT %1$s FROM %3$s AS c WHERE %4$s)
                    UNION ALL (SELECT %1$s FROM %3$s AS c WHERE %4$s EXCEPT ALL SELECT %1$s FROM %2$s AS r WHERE %5$s)) AS x',
                   cols, res, calc, filter, valid) INTO n;
    RETURN n;
END
$$;
CREATE FUNCTION pg_temp.check(step text) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    n bigint;
BEGIN
    n := pg_temp.diff('iafq.res_sdg_16_4_2', 'iafq.calc_sdg_16_4_2', 'true')
       + pg_temp.diff('iafq.res_sdg_16_4_2_by_column', 'iafq.calc_sdg_16_4_2_by_column', 'true')
       + pg_temp.diff('iafq.res_sdg_16_4_2_by_tracing', 'iafq.calc_sdg_16_4_2_by_tracing', 'true')
       + pg_temp.diff('iafq.res_gs1', 'iafq.calc_gs1', 'true')
       + pg_temp.diff('iafq.res_share', 'iafq.calc_share',
                      $f$(c.tbl = 'T1' AND c.col_code = 'SEIZED') OR (c.tbl IN ('T3', 'T5', 'T7') AND c.col_code = 'SEIZED') OR c.tbl = 'T6'$f$)
       + pg_temp.diff('iafq.res_count', 'iafq.calc_count', 'true')
       + pg_temp.diff('iafq.res_gs8', 'iafq.calc_gs8', 'true')
       + pg_temp.diff('iafq.res_gs9', 'iafq.calc_gs9', 'true');
    PERFORM t.eq(n, 0::bigint, step || ': incremental results = the indicator SQL over every year');
    PERFORM t.eq((SELECT count(*) FROM iafq.gs1) > 0, true, step || ': gs1 has rows');
END
$$;
-- a return: T1 (SEIZED by type), T2, T3, T4, T8, T9 and 3 T11 seizures
CREATE FUNCTION pg_temp.ret(c text, y int, k bigint, consent boolean DEFAULT true,
                            status text DEFAULT 'accepted', received timestamptz DEFAULT '2024-01-01')
RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
    s bigint := t.sub(c, y, consent, status, received);
BEGIN
    PERFORM t.vals(s, 'T1', 'SEIZED', format('PISTOL=%s RIFLE=%s TOTAL=%s', 2 * k, k, 3 * k));
    PERFORM t.vals(s, 'T1', 'FOUND', format('TOTAL=%s', k));
    PERFORM t.vals(s, 'T2', 'VALUE', format('PARTS=%s', k + 1));
    PERFORM t.vals(s, 'T3', 'SEIZED', format('POSSESSION=%s TRAFFICKING=%s TOTAL=%s', k, k, 2 * k));
    PERFORM t.vals(s, 'T4', 'SEIZED', format('DRUGS=%s', k));
    PERFORM t.vals(s, 'T8', 'SEIZED', format('UI_LEGIT_NATIONAL=%s UI_ILLEGIT_FOREIGN=%s', k, k));
    PERFORM t.vals(s, 'T8', 'FOUND', format('UI_OTHERWISE=%s', k));
    PERFORM t.seize(s, k, 'USA', 'BEL', c, 2);
    PERFORM t.seize(s, k + 1, 'BRA', NULL, NULL);
    RETURN s;
END
$$;

-- step 1: four countries, two years
SELECT pg_temp.ret('FRA', 2019, 10), pg_temp.ret('FRA', 2020, 11),
       pg_temp.ret('DEU', 2019, 20), pg_temp.ret('DEU', 2020, 21),
       pg_temp.ret('BRA', 2019, 30), pg_temp.ret('ARG', 2020, 40);
\i :aggregate
SELECT pg_temp.check('first run');
SELECT id AS run1 FROM iafq.latest_run \gset
SELECT t.eq((SELECT full_recompute FROM iafq.agg_run WHERE id = :run1), true, 'first run: every year');

-- nothing changed: no run, nothing stored
SELECT pg_temp.ret('ITA', 2020, 5, true, 'rejected');   -- a rejected return changes nothing
SELECT (SELECT count(*) FROM iafq.res_gs1) AS gs1_rows \gset
\i :aggregate
SELECT t.eq((SELECT count(*) FROM iafq.agg_run), 1::bigint, 'nothing changed (a rejected return): no run recorded');
SELECT t.eq((SELECT count(*) FROM iafq.res_gs1), :gs1_rows::bigint, 'nothing changed: nothing stored');

-- step 2: FRA revises 2020 (same received order: later)
SELECT pg_temp.ret('FRA', 2020, 12, true, 'accepted', '2024-02-01');
\i :aggregate
SELECT pg_temp.check('revision');
SELECT t.eq((SELECT years FROM iafq.agg_run WHERE id = (SELECT id FROM iafq.latest_run)), '{2020}'::int[], 'a 2020 revision recomputes 2020 only');
SELECT t.eq((SELECT count(*) FROM iafq.res_gs1 WHERE run_id = (SELECT id FROM iafq.latest_run) AND year = 2019), 0::bigint, '2019 rows untouched');

-- step 3: a new country and a new year
SELECT pg_temp.ret('CHL', 2020, 7), pg_temp.ret('DEU', 2021, 22);
\i :aggregate
SELECT pg_temp.check('new returns');

-- step 4: DEU withdraws its consent (newest return says NO): every year of
-- DEU is withheld, in its own rows and as a GS9 partner of the others
SELECT pg_temp.ret('DEU', 2021, 23, false, 'accepted', '2024-03-01');
\i :aggregate
SELECT pg_temp.check('withdrawal');
SELECT t.eq((SELECT withheld FROM iafq.gs1 WHERE area_type = 'country' AND area_code = '276' AND year = 2019 AND arms = 'TOTAL'),
            1, 'internal results keep DEU 2019, flagged withheld');
SELECT t.eq((SELECT count(*) FROM iafq_public.gs1 WHERE area_type = 'country' AND area_code = '276'), 0::bigint,
            'public: no DEU row');

-- a --full run after incremental ones stores and closes nothing
\i :aggregate_full
SELECT t.eq((SELECT rows_stored + rows_closed FROM iafq.agg_run WHERE id = (SELECT id FROM iafq.latest_run)), 0::bigint,
            '--full after incremental runs: nothing to store');
SELECT pg_temp.check('--full');

-- step 5: DEU consents again; BRA revises 2019 with fewer tables
SELECT pg_temp.ret('DEU', 2021, 24, true, 'accepted', '2024-04-01');
SELECT t.vals(t.sub('BRA', 2019, true, 'accepted', '2024-04-01'), 'T1', 'SEIZED', 'TOTAL=9');
\i :aggregate
SELECT pg_temp.check('consent again, smaller revision');

-- step 6: a year-only withdrawal (ARG 2020 says NO, an older return)
SELECT pg_temp.ret('ARG', 2020, 41, false, 'accepted', '2024-05-01');
\i :aggregate
SELECT pg_temp.check('year withdrawal');

-- the end: every stable and public view = a from-scratch aggregation
CREATE FUNCTION pg_temp.snap(into_ text) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    v text;
BEGIN
    EXECUTE format('CREATE TEMP TABLE %I (name text, r text)', into_);
    FOREACH v IN ARRAY ARRAY['iafq.sdg_16_4_2', 'iafq.sdg_16_4_2_by_column', 'iafq.sdg_16_4_2_by_tracing',
                             'iafq.gs1', 'iafq.gs2', 'iafq.gs3', 'iafq.gs4', 'iafq.gs5', 'iafq.gs6', 'iafq.gs7',
                             'iafq.gs8', 'iafq.gs9',
                             'iafq_public.sdg_16_4_2', 'iafq_public.sdg_16_4_2_by_column',
                             'iafq_public.sdg_16_4_2_by_tracing', 'iafq_public.gs1', 'iafq_public.gs2',
                             'iafq_public.gs3', 'iafq_public.gs4', 'iafq_public.gs5', 'iafq_public.gs6',
                             'iafq_public.gs7', 'iafq_public.gs8', 'iafq_public.gs9'] LOOP
        EXECUTE format('INSERT INTO %I SELECT %L, v::text FROM %s AS v', into_, v, v);
    END LOOP;
END
$$;
SELECT pg_temp.snap('incr');
DELETE FROM iafq.agg_run;
SELECT t.eq((SELECT count(*) FROM iafq.res_gs1), 0::bigint, 'all runs deleted: no results');
\i :aggregate
SELECT pg_temp.snap('scratch');
SELECT t.eq((SELECT count(*) FROM incr) > 100, true, 'views have rows');
SELECT t.eq((SELECT count(*) FROM (SELECT * FROM incr EXCEPT ALL SELECT * FROM scratch) AS x)
          + (SELECT count(*) FROM (SELECT * FROM scratch EXCEPT ALL SELECT * FROM incr) AS x),
            0::bigint, 'every stable and public view: incremental = from scratch');
