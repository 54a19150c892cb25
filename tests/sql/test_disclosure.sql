-- Disclosure (IAFQ-SPEC section 5) in iafq_public, at every area level:
-- a withheld country is treated as a country that did not report.
--
-- 2020, Oceania (009):
--   AUS  Australia and New Zealand (053, also SDG 053)  return 2020 YES, but
--        its NEWEST accepted return (2021) says NO: withheld in every year
--   NZL  053                                             YES (a newer REJECTED
--        return says NO: it does not count)
--   FJI  Melanesia (054), SDG 543                        YES
--   PNG  054, SDG 543   2020 return says NO, newest (2022) YES: 2020 withheld
-- So every public aggregate stands on NZL and FJI in 2020, on NZL in 2021,
-- on PNG in 2022, and counts only them.  Then consent changes with no new
-- aggregation: NZL withdraws (a newer return says NO), a long-format file
-- for NZL changes nothing, a newer YES publishes it again.

CREATE FUNCTION pg_temp.ret(c text, y int, consent boolean, recv timestamptz,
                            status text DEFAULT 'accepted') RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
    s bigint := t.sub(c, y, consent, status, recv);
BEGIN
    PERFORM t.vals(s, 'T1', 'SEIZED', 'PISTOL=6 RIFLE=4 TOTAL=10');
    PERFORM t.vals(s, 'T2', 'VALUE', 'AMMUNITION=100');
    PERFORM t.vals(s, 'T3', 'SEIZED', 'POSSESSION=10');
    PERFORM t.vals(s, 'T4', 'SEIZED', 'DRUGS=2');
    PERFORM t.vals(s, 'T5', 'SEIZED', 'INDUSTRIAL=10');
    PERFORM t.vals(s, 'T6', 'SEIZED', 'UNIQUE=10 TOTAL=10');
    PERFORM t.vals(s, 'T7', 'SEIZED', 'TERRITORY=10');
    PERFORM t.vals(s, 'T8', 'SEIZED', 'UI_LEGIT_NATIONAL=1 TOTAL=10');
    PERFORM t.vals(s, 'T9', 'TOTAL', 'ARRESTED=3');
    PERFORM t.vals(s, 'T9', 'FEMALE', 'ARRESTED=1');
    RETURN s;
END
$$;

SELECT pg_temp.ret('AUS', 2020, true, '2021-01-01') AS aus2020 \gset
SELECT pg_temp.ret('AUS', 2021, false, '2022-01-01') AS aus2021 \gset
SELECT pg_temp.ret('NZL', 2020, true, '2021-01-01') AS nzl2020 \gset
SELECT pg_temp.ret('NZL', 2021, true, '2022-01-01') AS nzl2021 \gset
SELECT pg_temp.ret('NZL', 2021, false, '2023-01-01', 'rejected');
SELECT pg_temp.ret('FJI', 2020, true, '2021-01-01');
SELECT pg_temp.ret('PNG', 2020, false, '2021-01-01');
SELECT pg_temp.ret('PNG', 2022, true, '2023-01-01');

-- T11: New Zealand's seizures of arms made in Australia (withheld) and in
-- the USA; a route Australia -> New Zealand; Fiji: USA -> Fiji.  Australia's
-- own 2021 T11.
SELECT t.seize(:nzl2020, 2, 'AUS', 'AUS', 'NZL'), t.seize(:nzl2020, 3, 'USA', 'USA', 'NZL');
SELECT t.seize(id, 4, 'USA', 'USA', 'FJI') FROM iafq.current_submissions WHERE country = 'FJI';
SELECT t.seize(:aus2021, 5, 'CHN', 'CHN', 'AUS');

\i :aggregate

DO $$
DECLARE
    v text;
    cnt bigint;
BEGIN
    -- internal views have everything, and say who is withheld
    PERFORM t.eq((SELECT withheld FROM iafq.sdg_16_4_2 WHERE area_type = 'country' AND area_code = '036' AND year = 2020), 1, 'AUS 2020 withheld (newest return NO)');
    PERFORM t.eq((SELECT withheld FROM iafq.sdg_16_4_2 WHERE area_type = 'country' AND area_code = '554' AND year = 2021), 0, 'NZL: newer rejected NO does not count');
    PERFORM t.eq((SELECT withheld FROM iafq.sdg_16_4_2 WHERE area_type = 'country' AND area_code = '598' AND year = 2020), 1, 'PNG 2020 withheld (its return says NO)');
    PERFORM t.eq((SELECT withheld FROM iafq.sdg_16_4_2 WHERE area_type = 'country' AND area_code = '598' AND year = 2022), 0, 'PNG 2022 not withheld');
    PERFORM t.eq((SELECT countries || '/' || withheld FROM iafq.sdg_16_4_2 WHERE area_type = 'region' AND area_code = '009' AND year = 2020), '4/2', 'Oceania 2020 internal');

    -- public 16.4.2, every row: the areas of the consenting countries
    PERFORM t.eq((SELECT string_agg(area_type || ' ' || area_code || ' ' || year || ' ' || countries, ', ' ORDER BY year, area_type, area_code)
                  FROM iafq_public.sdg_16_4_2),
                 'country 242 2020 1, country 554 2020 1, region 009 2020 2, sdg_region 053 2020 1, sdg_region 543 2020 1, '
                 'subregion 053 2020 1, subregion 054 2020 1, world 001 2020 2, '
                 'country 554 2021 1, region 009 2021 1, sdg_region 053 2021 1, subregion 053 2021 1, world 001 2021 1, '
                 'country 598 2022 1, region 009 2022 1, sdg_region 543 2022 1, subregion 054 2022 1, world 001 2022 1',
                 'public 16.4.2 rows');
    -- a public aggregate stands on the consenting countries alone
    PERFORM t.eq((SELECT numerator || '/' || denominator || '/' || value || '/' || countries FROM iafq_public.sdg_16_4_2 WHERE area_type = 'region' AND year = 2020),
                 '2/20/10.0000000000000000/2', 'Oceania 2020 public');
    PERFORM t.eq((SELECT n || '/' || countries FROM iafq_public.gs1 WHERE area_type = 'world' AND year = 2020 AND arms = 'TOTAL'),
                 '20/2', 'World GS1 2020 public');
    PERFORM t.eq((SELECT n || '/' || countries FROM iafq.gs1 WHERE area_type = 'world' AND year = 2020 AND arms = 'TOTAL'),
                 '40/4', 'World GS1 2020 internal');

    -- Australia (036) appears in no public row of any view, by code or by name,
    -- and PNG (598) in no 2020 row
    FOR v IN SELECT c.relname FROM pg_class AS c JOIN pg_namespace AS s ON s.oid = c.relnamespace
             WHERE s.nspname = 'iafq_public' AND c.relkind = 'v' AND c.relname <> 'latest_run' LOOP
        EXECUTE format('SELECT count(*) FROM iafq_public.%I AS r WHERE r::text ~ %L', v, '036|AUS|Australia[,)"]|"Australia"')
        INTO cnt;
        PERFORM t.eq(cnt, 0::bigint, 'Australia in iafq_public.' || v);
        EXECUTE format('SELECT count(*) FROM iafq_public.%I AS r WHERE r.year = 2020 AND r::text ~ %L', v, '598|Papua')
        INTO cnt;
        PERFORM t.eq(cnt, 0::bigint, 'PNG 2020 in iafq_public.' || v);
        -- every regional row counts consenting countries only: 2020 has 2
        CONTINUE WHEN v = 'portal';
        EXECUTE format('SELECT coalesce(max(r.countries), 0) FROM iafq_public.%I AS r WHERE r.year = 2020', v)
        INTO cnt;
        PERFORM t.eq(cnt, 2::bigint, 'most countries behind a 2020 row of iafq_public.' || v);
    END LOOP;
    -- the same in the internal views: there they are (so the test can fail)
    PERFORM t.eq((SELECT count(*) FROM iafq.gs1 AS r WHERE r.area_code = '036'), 4::bigint, 'AUS internal GS1 (2 years x SEIZED, TOTAL)');
    PERFORM t.eq((SELECT count(*) FROM iafq.gs9 AS r WHERE r.manufacture_code = '036'), 1::bigint, 'AUS as internal GS9 partner');

    -- every table: Oceania 2020 is there, with the two consenting countries
    PERFORM t.eq((SELECT n || '/' || countries FROM iafq_public.gs2 WHERE area_type = 'region' AND year = 2020 AND arm_type = 'PISTOL'), '12/2', 'GS2 Oceania 2020');
    PERFORM t.eq((SELECT n || '/' || share_pct_mean || '/' || countries FROM iafq_public.gs3 WHERE area_type = 'region' AND year = 2020), '20/100.00000000000000000000/2', 'GS3 Oceania 2020');
    PERFORM t.eq((SELECT n || '/' || countries FROM iafq_public.gs4 WHERE area_type = 'region' AND year = 2020), '4/2', 'GS4 Oceania 2020');
    PERFORM t.eq((SELECT count(*) FROM iafq_public.gs5 WHERE area_type = 'region' AND year = 2020 AND countries = 2), 3::bigint, 'GS5 Oceania 2020');
    PERFORM t.eq((SELECT n || '/' || countries FROM iafq_public.gs7 WHERE area_type = 'region' AND year = 2020), '200/2', 'GS7 Oceania 2020');
    PERFORM t.eq((SELECT string_agg(sex || ' ' || n || ' ' || coalesce(share_pct::text, '-') || ' ' || countries, '; ' ORDER BY sex)
                  FROM iafq_public.gs8 WHERE area_type = 'region' AND year = 2020),
                 'FEMALE 2 33.3333333333333333 2; TOTAL 6 - 2', 'GS8 Oceania 2020');

    -- GS9: NZL's rows: arms made in the USA as they are; made in AUS
    -- (withheld) and the route AUS -> NZL with the partner not published,
    -- quantities kept.  Oceania 2020 (NZL and FJI reporting) by region of
    -- manufacture: the 'Not published' partner in no partner area.
    PERFORM t.eq((SELECT string_agg(flow || ' ' || coalesce(manufacture_code, '-') || ':' || coalesce(manufacture_name, '-') || ' '
                                    || coalesce(departure_code, '-') || ':' || coalesce(departure_name, '-') || '>' || coalesce(destination_code, '-') || ' ' || quantity,
                                    '; ' ORDER BY flow, manufacture_code, departure_code)
                  FROM iafq_public.gs9 WHERE area_type = 'country' AND area_code = '554'),
                 'manufacture :Not published -:->- 2; manufacture 840:United States of America -:->- 3; '
                 'route -:- :Not published>554 2; route -:- 840:United States of America>554 3', 'NZL public GS9');
    PERFORM t.eq((SELECT string_agg(flow || ' ' || coalesce(manufacture_code, '-') || ':' || manufacture_name || ' ' || quantity || ' ' || countries, '; ' ORDER BY flow, manufacture_code)
                  FROM iafq_public.gs9 WHERE area_type = 'region' AND area_code = '009' AND year = 2020 AND flow = 'manufacture'),
                 'manufacture :Not published 2 1; manufacture 019:Americas 7 2', 'Oceania 2020 public GS9 by region of manufacture');
    PERFORM t.eq((SELECT count(*) FROM iafq_public.gs9 WHERE year = 2021), 0::bigint, 'GS9 2021 (AUS alone reports T11) absent');
    PERFORM t.eq((SELECT count(*) FROM iafq.gs9 WHERE year = 2021 AND area_type = 'region'), 2::bigint, 'GS9 2021 internal');
    PERFORM t.eq((SELECT submissions FROM iafq_public.latest_run), 4, 'public run: the publishable submissions it used');
END
$$;

-- ------------------------------------------------------------------------
-- Consent read live: NZL withdraws (a newer return, for another year, says
-- NO); no aggregation runs.
SELECT pg_temp.ret('NZL', 2019, false, '2024-06-01') AS nzl2019 \gset
CREATE FUNCTION pg_temp.nzl_nowhere(what text) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    v text;
    cnt bigint;
BEGIN
    FOR v IN SELECT c.relname FROM pg_class AS c JOIN pg_namespace AS s ON s.oid = c.relnamespace
             WHERE s.nspname = 'iafq_public' AND c.relkind = 'v' AND c.relname <> 'latest_run' LOOP
        EXECUTE format('SELECT count(*) FROM iafq_public.%I AS r WHERE r::text ~ %L', v, '554|NZL|"New Zealand"')
        INTO cnt;
        PERFORM t.eq(cnt, 0::bigint, what || ': New Zealand in iafq_public.' || v);
    END LOOP;
    -- the world of 2020 stands on Fiji alone, 2021 has nobody left
    PERFORM t.eq((SELECT n || '/' || countries FROM iafq_public.gs1 WHERE area_type = 'world' AND year = 2020 AND arms = 'TOTAL'),
                 '10/1', what || ': World GS1 2020');
    PERFORM t.eq((SELECT count(*) FROM iafq_public.gs1 WHERE year = 2021), 0::bigint, what || ': GS1 2021');
    PERFORM t.eq((SELECT string_agg(manufacture_code || ' ' || quantity || ' ' || countries, '; ' ORDER BY manufacture_code)
                  FROM iafq_public.gs9 WHERE area_type = 'world' AND flow = 'manufacture'),
                 '019 4 1', what || ': GS9 world');
END
$$;
SELECT pg_temp.nzl_nowhere('withdrawn');
SELECT t.eq((SELECT count(*) FROM iafq.gs1 WHERE area_code = '554'), 4::bigint, 'NZL still in the internal views');

-- Long-format files for NZL (they state no consent: NULL): NZL stays
-- withheld.
INSERT INTO iafq.submission (country, year, file_name, sha256, received, status, consent, source, errors, warnings, report)
VALUES ('NZL', 2020, 'long.csv', repeat('1', 64), '2024-07-01', 'accepted', NULL, 'long', 0, 0, '{}'),
       ('NZL', 2021, 'long.csv', repeat('1', 64), '2024-07-01', 'accepted', NULL, 'long', 0, 0, '{}');
SELECT pg_temp.nzl_nowhere('after long files');
SELECT t.eq((SELECT consent FROM iafq.country_consent WHERE country = 'NZL'), false, 'NZL consent after long files');

-- A newer YES publishes NZL again at once (its 2020 and 2021 figures: the
-- run's, sent under YES), still with no aggregation.
SELECT pg_temp.ret('NZL', 2018, true, '2024-08-01');
SELECT t.eq((SELECT n || '/' || countries FROM iafq_public.gs1 WHERE area_type = 'world' AND year = 2020 AND arms = 'TOTAL'),
            '20/2', 'NZL consents again: World GS1 2020');
