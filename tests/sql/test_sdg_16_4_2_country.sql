-- SDG 16.4.2 per country-year on hand-worked numbers (IAFQ-SPEC section 5):
-- qualifying columns, blanks as 0 in the numerator, no value without a
-- qualifying column, derived totals, the disaggregations.

-- Brazil 2017, the real published figures: (47 + 549) traced of 2,284 = 26.09 %
SELECT t.sub('BRA', 2017) AS bra \gset
SELECT t.vals(:bra, 'T1', 'SEIZED', 'PISTOL=1510 REVOLVER=189 RIFLE=472 SHOTGUN=60 SUBMACHINE_GUN=42 MACHINE_GUN=4 OTHER=0 UNKNOWN=7 TOTAL=2284');
SELECT t.vals(:bra, 'T8', 'SEIZED', 'UI_LEGIT_NATIONAL=0 UI_ILLEGIT_NATIONAL=47 UI_ILLEGIT_FOREIGN=549 UI_OTHERWISE=0 UI_NO_DIVERSION=0 UI_PENDING=1351 UI_NOT_INITIATED=0 UI_TOTAL=1947 NUI_ILLICIT_MANUFACTURE=0 NUI_ALTERED=318 NUI_NO_INFO=19 NUI_TOTAL=337 UNKNOWN_MARKING=0 TOTAL=2284');

-- Argentina 2020: FOUND has T1 TOTAL 0 and SURRENDERED has no T1 TOTAL, so
-- only SEIZED qualifies; the other traced rows of SEIZED are blank (0).
SELECT t.sub('ARG', 2020) AS arg \gset
SELECT t.vals(:arg, 'T1', 'SEIZED', 'TOTAL=100');
SELECT t.vals(:arg, 'T1', 'FOUND', 'TOTAL=0');
SELECT t.vals(:arg, 'T8', 'SEIZED', 'UI_LEGIT_NATIONAL=10');
SELECT t.vals(:arg, 'T8', 'FOUND', 'UI_OTHERWISE=5');
SELECT t.vals(:arg, 'T8', 'SURRENDERED', 'UI_ILLEGIT_FOREIGN=7');

-- Chile 2020: SEIZED qualifies with only a non-traced T8 row given (N 0),
-- FOUND with the four traced rows and a non-traced one: N = 0 + 10, D = 80
SELECT t.sub('CHL', 2020) AS chl \gset
SELECT t.vals(:chl, 'T1', 'SEIZED', 'TOTAL=50');
SELECT t.vals(:chl, 'T1', 'FOUND', 'TOTAL=30');
SELECT t.vals(:chl, 'T8', 'SEIZED', 'UI_PENDING=20');
SELECT t.vals(:chl, 'T8', 'FOUND', 'UI_LEGIT_NATIONAL=3 UI_ILLEGIT_NATIONAL=2 UI_ILLEGIT_FOREIGN=1 UI_OTHERWISE=4 UI_NO_DIVERSION=9');

-- Peru 2020: T1 but no T8 row at all: no value
SELECT t.sub('PER', 2020) AS per \gset
SELECT t.vals(:per, 'T1', 'SEIZED', 'TOTAL=40');
-- Colombia 2020: T8 but T1 TOTAL blank: no value
SELECT t.sub('COL', 2020) AS col \gset
SELECT t.vals(:col, 'T1', 'SEIZED', 'PISTOL=3');
SELECT t.vals(:col, 'T8', 'SEIZED', 'UI_LEGIT_NATIONAL=5');
-- Uruguay 2020: T1 TOTAL 0: no value
SELECT t.sub('URY', 2020) AS ury \gset
SELECT t.vals(:ury, 'T1', 'SEIZED', 'TOTAL=0');
SELECT t.vals(:ury, 'T8', 'SEIZED', 'TOTAL=0');
-- Ecuador 2020: a T1 TOTAL derived by the validator (W-TOTAL-DERIVED) counts
SELECT t.sub('ECU', 2020) AS ecu \gset
INSERT INTO iafq.value (submission_id, tbl, row_code, col_code, n, derived)
VALUES (:ecu, 'T1', 'PISTOL', 'SEIZED', 20, false),
       (:ecu, 'T1', 'TOTAL', 'SEIZED', 20, true);
SELECT t.vals(:ecu, 'T8', 'SEIZED', 'UI_OTHERWISE=20');

\i :aggregate

DO $$
DECLARE
    r record;
BEGIN
    -- Brazil 2017
    SELECT * INTO STRICT r FROM iafq.sdg_16_4_2
    WHERE area_type = 'country' AND area_code = '076' AND year = 2017;
    PERFORM t.eq(r.area_name, 'Brazil', 'BRA name');
    PERFORM t.eq(r.numerator, 596::bigint, 'BRA N');
    PERFORM t.eq(r.denominator, 2284::bigint, 'BRA D');
    PERFORM t.near(r.value, 100 * 596::numeric / 2284, 'BRA value unrounded');
    PERFORM t.eq(round(r.value, 2), 26.09, 'BRA value 2 decimals');
    PERFORM t.eq(r.countries, 1, 'BRA countries');
    PERFORM t.eq(r.submission_id, (SELECT id FROM iafq.submission WHERE country = 'BRA'), 'BRA submission');

    -- Argentina: 10 / 100
    SELECT * INTO STRICT r FROM iafq.sdg_16_4_2 WHERE area_type = 'country' AND area_code = '032' AND year = 2020;
    PERFORM t.eq(r.numerator, 10::bigint, 'ARG N (FOUND T1 0, SURRENDERED T1 blank)');
    PERFORM t.eq(r.denominator, 100::bigint, 'ARG D');
    PERFORM t.near(r.value, 10, 'ARG value');

    -- Chile: 10 / 80
    SELECT * INTO STRICT r FROM iafq.sdg_16_4_2 WHERE area_type = 'country' AND area_code = '152' AND year = 2020;
    PERFORM t.eq(r.numerator, 10::bigint, 'CHL N');
    PERFORM t.eq(r.denominator, 80::bigint, 'CHL D');
    PERFORM t.near(r.value, 12.5, 'CHL value');

    -- Ecuador (derived T1 TOTAL): 20 / 20
    SELECT * INTO STRICT r FROM iafq.sdg_16_4_2 WHERE area_type = 'country' AND area_code = '218' AND year = 2020;
    PERFORM t.near(r.value, 100, 'ECU value');

    -- no value for Peru (no T8), Colombia (no T1 TOTAL), Uruguay (T1 TOTAL 0)
    PERFORM t.eq((SELECT count(*) FROM iafq.sdg_16_4_2
                  WHERE area_type = 'country' AND area_code IN ('604', '170', '858')), 0::bigint,
                 'rows for countries without a qualifying column');
    PERFORM t.eq((SELECT count(*) FROM iafq.sdg_16_4_2 WHERE area_type = 'country'), 4::bigint,
                 'country rows');

    -- by column: qualifying columns only
    PERFORM t.eq((SELECT string_agg(arms || ':' || numerator || '/' || denominator, ' ' ORDER BY arms)
                  FROM iafq.sdg_16_4_2_by_column WHERE area_type = 'country' AND area_code = '152'),
                 'FOUND:10/30 SEIZED:0/50', 'CHL by column');
    PERFORM t.eq((SELECT string_agg(arms, ' ' ORDER BY arms)
                  FROM iafq.sdg_16_4_2_by_column WHERE area_type = 'country' AND area_code = '032'),
                 'SEIZED', 'ARG by column');
    PERFORM t.near((SELECT value FROM iafq.sdg_16_4_2_by_column
                    WHERE area_type = 'country' AND area_code = '152' AND arms = 'FOUND'),
                   100 * 10::numeric / 30, 'CHL FOUND value');

    -- by tracing level: T8 rows as shares of T8 TOTAL (Brazil only has a T8 TOTAL > 0)
    PERFORM t.eq((SELECT count(DISTINCT area_code) FROM iafq.sdg_16_4_2_by_tracing
                  WHERE area_type = 'country'), 1::bigint, 'countries with a T8 TOTAL > 0');
    SELECT * INTO STRICT r FROM iafq.sdg_16_4_2_by_tracing
    WHERE area_type = 'country' AND area_code = '076' AND arms = 'SEIZED' AND tracing = 'UI_ILLEGIT_FOREIGN';
    PERFORM t.eq(r.n, 549::bigint, 'BRA foreign registry n');
    PERFORM t.eq(r.t8_total, 2284::bigint, 'BRA T8 TOTAL');
    PERFORM t.near(r.share_pct, 100 * 549::numeric / 2284, 'BRA foreign registry share');
    PERFORM t.eq((SELECT count(*) FROM iafq.sdg_16_4_2_by_tracing
                  WHERE area_type = 'country' AND area_code = '076' AND arms = 'SEIZED'), 13::bigint,
                 'BRA tracing rows (every T8 row but TOTAL)');
    PERFORM t.near((SELECT share_pct FROM iafq.sdg_16_4_2_by_tracing
                    WHERE area_type = 'country' AND area_code = '076' AND arms = 'ALL' AND tracing = 'UI_PENDING'),
                   100 * 1351::numeric / 2284, 'BRA ALL columns pending share');

    -- GS6 is 16.4.2 with its disaggregations
    PERFORM t.eq((SELECT count(*) FROM iafq.gs6),
                 (SELECT count(*) FROM iafq.sdg_16_4_2) + (SELECT count(*) FROM iafq.sdg_16_4_2_by_column)
                 + (SELECT count(*) FROM iafq.sdg_16_4_2_by_tracing), 'GS6 rows');
    PERFORM t.eq((SELECT value FROM iafq.gs6 WHERE breakdown = 'total' AND area_type = 'country' AND area_code = '076'),
                 (SELECT value FROM iafq.sdg_16_4_2 WHERE area_type = 'country' AND area_code = '076'), 'GS6 total');

    -- the calc views give what the run stored
    PERFORM t.eq((SELECT count(*) FROM (SELECT area_type, area_code, year, numerator, denominator, value FROM iafq.calc_sdg_16_4_2
                  EXCEPT SELECT area_type, area_code, year, numerator, denominator, value FROM iafq.sdg_16_4_2) x),
                 0::bigint, 'calc view = stored run');
END
$$;
