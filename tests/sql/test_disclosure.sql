-- Disclosure (IAFQ-SPEC section 5) in iafq_public, at every area level.
--
-- 2020, Oceania (009):
--   AUS  Australia and New Zealand (053, also SDG 053)  return 2020 YES, but
--        its NEWEST accepted return (2021) says NO: withheld in every year
--   NZL  053                                             YES (a newer REJECTED
--        return says NO: it does not count)
--   FJI  Melanesia (054), SDG 543                        YES
--   PNG  054, SDG 543   2020 return says NO, newest (2022) YES: 2020 withheld
-- So in 2020: 053 (AUS, NZL) has 2 countries incl. a withheld one: absent;
-- 054 and SDG 543 (FJI, PNG) likewise absent; Oceania and the world have 4:
-- present.  2021: AUS and NZL only: Oceania, the world absent too.
-- 2022: PNG alone, consenting now: present everywhere.

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
    n bigint;
BEGIN
    -- internal views have everything, and say who is withheld
    PERFORM t.eq((SELECT withheld FROM iafq.sdg_16_4_2 WHERE area_type = 'country' AND area_code = '036' AND year = 2020), 1, 'AUS 2020 withheld (newest return NO)');
    PERFORM t.eq((SELECT withheld FROM iafq.sdg_16_4_2 WHERE area_type = 'country' AND area_code = '554' AND year = 2021), 0, 'NZL: newer rejected NO does not count');
    PERFORM t.eq((SELECT withheld FROM iafq.sdg_16_4_2 WHERE area_type = 'country' AND area_code = '598' AND year = 2020), 1, 'PNG 2020 withheld (its return says NO)');
    PERFORM t.eq((SELECT withheld FROM iafq.sdg_16_4_2 WHERE area_type = 'country' AND area_code = '598' AND year = 2022), 0, 'PNG 2022 not withheld');
    PERFORM t.eq((SELECT countries || '/' || withheld FROM iafq.sdg_16_4_2 WHERE area_type = 'region' AND area_code = '009' AND year = 2020), '4/2', 'Oceania 2020 internal');

    -- public 16.4.2, every row
    PERFORM t.eq((SELECT string_agg(area_type || ' ' || area_code || ' ' || year, ', ' ORDER BY year, area_type, area_code)
                  FROM iafq_public.sdg_16_4_2),
                 'country 242 2020, country 554 2020, region 009 2020, world 001 2020, '
                 'country 554 2021, '
                 'country 598 2022, region 009 2022, sdg_region 543 2022, subregion 054 2022, world 001 2022',
                 'public 16.4.2 rows');
    -- a present aggregate is the internal one, unchanged (withheld figures count in it)
    PERFORM t.eq((SELECT numerator || '/' || denominator || '/' || countries FROM iafq_public.sdg_16_4_2 WHERE area_type = 'region' AND year = 2020),
                 '4/40/4', 'Oceania 2020 public');

    -- Australia (036) appears in no public row of any view, by code or by name,
    -- and PNG (598) in no 2020 row
    FOR v IN SELECT c.relname FROM pg_class AS c JOIN pg_namespace AS s ON s.oid = c.relnamespace
             WHERE s.nspname = 'iafq_public' AND c.relkind = 'v' AND c.relname <> 'latest_run' LOOP
        EXECUTE format('SELECT count(*) FROM iafq_public.%I AS r WHERE r::text ~ %L', v, '036|Australia[,)"]|"Australia"')
        INTO n;
        PERFORM t.eq(n, 0::bigint, 'Australia in iafq_public.' || v);
        EXECUTE format('SELECT count(*) FROM iafq_public.%I AS r WHERE r.year = 2020 AND r::text ~ %L', v, '598|Papua')
        INTO n;
        PERFORM t.eq(n, 0::bigint, 'PNG 2020 in iafq_public.' || v);
        -- and no aggregate of 2 countries with a withheld one (GS9: below)
        CONTINUE WHEN v = 'gs9';
        EXECUTE format('SELECT count(*) FROM iafq_public.%I AS r WHERE r.area_code IN (''053'', ''054'', ''543'') AND r.year IN (2020, 2021)', v)
        INTO n;
        PERFORM t.eq(n, 0::bigint, '053/054/543 2020-21 in iafq_public.' || v);
        EXECUTE format('SELECT count(*) FROM iafq_public.%I AS r WHERE r.area_type = ''world'' AND r.year = 2021', v)
        INTO n;
        PERFORM t.eq(n, 0::bigint, 'world 2021 (2 countries) in iafq_public.' || v);
    END LOOP;
    -- the same in the internal views: there they are (so the test can fail)
    PERFORM t.eq((SELECT count(*) FROM iafq.gs1 AS r WHERE r.area_code = '036'), 4::bigint, 'AUS internal GS1 (2 years x SEIZED, TOTAL)');
    PERFORM t.eq((SELECT count(*) FROM iafq.gs9 AS r WHERE r.manufacture_code = '036'), 1::bigint, 'AUS as internal GS9 partner');

    -- present: Oceania 2020 in every GS table; GS2 has 4 countries behind
    PERFORM t.eq((SELECT countries FROM iafq_public.gs2 WHERE area_type = 'region' AND year = 2020 AND arm_type = 'PISTOL'), 4, 'GS2 Oceania 2020');
    PERFORM t.eq((SELECT count(*) FROM iafq_public.gs8 WHERE area_type = 'region' AND year = 2020), 2::bigint, 'GS8 Oceania 2020');

    -- GS9: NZL's row of arms made in the USA is public, made in AUS is not,
    -- the route AUS -> NZL is not; Oceania 2020 (NZL, FJI reporting, no
    -- withheld reporter) is public with partner regions; Oceania 2021 (AUS
    -- alone) is not.
    PERFORM t.eq((SELECT string_agg(flow || ' ' || coalesce(manufacture_code, '-') || ' ' || coalesce(departure_code, '-') || '>' || coalesce(destination_code, '-') || ' ' || quantity, '; ' ORDER BY flow, manufacture_code, departure_code)
                  FROM iafq_public.gs9 WHERE area_type = 'country' AND area_code = '554'),
                 'manufacture 840 ->- 3; route - 840>554 3', 'NZL public GS9');
    PERFORM t.eq((SELECT string_agg(flow || ' ' || coalesce(manufacture_code, '-') || ' ' || quantity || ' ' || countries, '; ' ORDER BY flow, manufacture_code)
                  FROM iafq_public.gs9 WHERE area_type = 'region' AND area_code = '009' AND year = 2020 AND flow = 'manufacture'),
                 'manufacture 009 2 1; manufacture 019 7 2', 'Oceania 2020 public GS9 by region of manufacture');
    PERFORM t.eq((SELECT count(*) FROM iafq_public.gs9 WHERE year = 2021), 0::bigint, 'GS9 2021 (AUS alone) absent');
    -- GS9's countries are the reporting ones: in 2020 only NZL reports T11 in
    -- 053, so that row has 1 consenting country behind it and is public
    -- (Australia appears there only inside the partner area 053, unnamed)
    PERFORM t.eq((SELECT string_agg(DISTINCT countries::text, ',') FROM iafq_public.gs9 WHERE area_code = '053' AND year = 2020), '1', 'GS9 053 2020: NZL alone');
    PERFORM t.eq((SELECT count(*) FROM iafq.gs9 WHERE year = 2021 AND area_type = 'region'), 2::bigint, 'GS9 2021 internal');
END
$$;
