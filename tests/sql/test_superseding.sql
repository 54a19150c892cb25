-- The current submission of a country-year is the newest accepted one
-- (greatest received, then greatest id); a newer rejected return does not
-- replace it; nothing is deleted; the run records what it used.

-- Spain 2021: accepted (1 of 10), newer accepted (5 of 10), newest rejected (9 of 10)
SELECT t.sub('ESP', 2021, true, 'accepted', '2022-01-01') AS esp1 \gset
SELECT t.vals(:esp1, 'T1', 'SEIZED', 'TOTAL=10'), t.vals(:esp1, 'T8', 'SEIZED', 'UI_LEGIT_NATIONAL=1');
SELECT t.sub('ESP', 2021, true, 'accepted', '2022-02-01') AS esp2 \gset
SELECT t.vals(:esp2, 'T1', 'SEIZED', 'TOTAL=10'), t.vals(:esp2, 'T8', 'SEIZED', 'UI_LEGIT_NATIONAL=5');
SELECT t.sub('ESP', 2021, true, 'rejected', '2022-03-01') AS esp3 \gset
SELECT t.vals(:esp3, 'T1', 'SEIZED', 'TOTAL=10'), t.vals(:esp3, 'T8', 'SEIZED', 'UI_LEGIT_NATIONAL=9');
-- an OLDER return received later supersedes (received order, not file order)
SELECT t.sub('ESP', 2020, true, 'accepted', '2021-06-01') AS esp2020a \gset
SELECT t.sub('ESP', 2020, true, 'accepted', '2021-05-01') AS esp2020b \gset
-- Italy 2021: two accepted received at the same time: the greater id wins
SELECT t.sub('ITA', 2021, true, 'accepted', '2022-01-01') AS ita1 \gset
SELECT t.vals(:ita1, 'T1', 'SEIZED', 'TOTAL=4'), t.vals(:ita1, 'T8', 'SEIZED', 'UI_LEGIT_NATIONAL=4');
SELECT t.sub('ITA', 2021, true, 'accepted', '2022-01-01') AS ita2 \gset
SELECT t.vals(:ita2, 'T1', 'SEIZED', 'TOTAL=4'), t.vals(:ita2, 'T8', 'SEIZED', 'UI_LEGIT_NATIONAL=1');
-- Portugal 2021: only a rejected return
SELECT t.sub('PRT', 2021, true, 'rejected') AS prt \gset
SELECT t.vals(:prt, 'T1', 'SEIZED', 'TOTAL=4'), t.vals(:prt, 'T8', 'SEIZED', 'UI_LEGIT_NATIONAL=1');

\i :aggregate

SELECT set_config('t.esp2', :'esp2', false), set_config('t.ita2', :'ita2', false),
       set_config('t.esp2020a', :'esp2020a', false);
DO $$
DECLARE
    esp2 bigint := current_setting('t.esp2')::bigint;
    ita2 bigint := current_setting('t.ita2')::bigint;
    esp2020a bigint := current_setting('t.esp2020a')::bigint;
BEGIN
    PERFORM t.eq((SELECT id FROM iafq.current_submissions WHERE country = 'ESP' AND year = 2021), esp2, 'ESP 2021 current');
    PERFORM t.eq((SELECT id FROM iafq.current_submissions WHERE country = 'ESP' AND year = 2020), esp2020a, 'ESP 2020 current');
    PERFORM t.eq((SELECT id FROM iafq.current_submissions WHERE country = 'ITA' AND year = 2021), ita2, 'ITA tie: greater id');
    PERFORM t.eq((SELECT count(*) FROM iafq.current_submissions WHERE country = 'PRT'), 0::bigint, 'rejected only: none current');
    PERFORM t.eq((SELECT count(*) FROM iafq.current_submissions), 3::bigint, 'current count');

    PERFORM t.near((SELECT value FROM iafq.sdg_16_4_2 WHERE area_type = 'country' AND area_code = '724' AND year = 2021), 50, 'ESP from the current return');
    PERFORM t.eq((SELECT submission_id FROM iafq.sdg_16_4_2 WHERE area_type = 'country' AND area_code = '724' AND year = 2021), esp2, 'ESP row names its submission');
    PERFORM t.near((SELECT value FROM iafq.sdg_16_4_2 WHERE area_type = 'country' AND area_code = '380'), 25, 'ITA from the greater id');
    PERFORM t.eq((SELECT count(*) FROM iafq.sdg_16_4_2 WHERE area_type = 'country' AND area_code = '620'), 0::bigint, 'PRT (rejected) absent');
    -- Southern Europe 2021 = ESP + ITA only: 6 / 14
    PERFORM t.near((SELECT value FROM iafq.sdg_16_4_2 WHERE area_type = 'subregion' AND area_code = '039' AND year = 2021),
                   100 * 6::numeric / 14, 'Southern Europe from current returns only');

    -- the run says which submissions it used
    PERFORM t.eq((SELECT submissions FROM iafq.latest_run), ARRAY(SELECT unnest(ARRAY[esp2020a, esp2, ita2]) ORDER BY 1)::bigint[],
                 'run submissions (sorted ids)');
    PERFORM t.eq((SELECT count(*) FROM iafq.agg_run WHERE finished >= started), 1::bigint, 'run start and end');
    -- nothing deleted
    PERFORM t.eq((SELECT count(*) FROM iafq.submission), 8::bigint, 'all submissions kept');
    PERFORM t.eq((SELECT count(*) FROM iafq.value), 12::bigint, 'all values kept');
END
$$;

-- the same bytes of the same country-year cannot be stored twice
DO $$
BEGIN
    INSERT INTO iafq.submission (country, year, file_name, sha256, status, consent, source, errors, warnings, report)
    SELECT country, year, 'again.xlsx', sha256, status, consent, source, errors, warnings, report
    FROM iafq.submission WHERE country = 'ITA' LIMIT 1;
    RAISE EXCEPTION 'FAIL: the same bytes were stored twice';
EXCEPTION WHEN unique_violation THEN
    NULL;
END
$$;
