-- The three roles' grants, proved by connecting as each (trust over the
-- socket; the roles have LOGIN).  A refusal must be insufficient_privilege.

SELECT t.sub('FRA', 2020) AS fra \gset
SELECT t.vals(:fra, 'T1', 'SEIZED', 'TOTAL=10'), t.vals(:fra, 'T8', 'SEIZED', 'UI_LEGIT_NATIONAL=1');
SELECT t.seize(:fra, 1, 'USA', 'USA', 'FRA');
\i :aggregate

-- refused(role-less statement): the statement must fail with 42501
CREATE FUNCTION public.refused(stmt text) RETURNS boolean LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE stmt;
    RETURN false;
EXCEPTION WHEN insufficient_privilege THEN
    RETURN true;
END
$$;
GRANT EXECUTE ON FUNCTION public.refused(text) TO PUBLIC;
-- (the test helpers, for the checks below)
GRANT USAGE ON SCHEMA t TO PUBLIC;

-- ------------------------------------------------------------------ portal
\connect - iafq_portal
DO $$
DECLARE
    rel record;
    n int := 0;
BEGIN
    ASSERT current_user = 'iafq_portal', 'connected as the portal';
    -- what it may read
    PERFORM t FROM iafq_public.sdg_16_4_2 AS t;
    PERFORM 1 FROM iafq_public.gs1, iafq_public.gs9, iafq_public.latest_run;
    ASSERT (SELECT count(*) FROM iafq_public.sdg_16_4_2) > 0, 'portal reads public 16.4.2';
    -- the submissions, values, seizures and every other relation of iafq
    ASSERT public.refused('SELECT 1 FROM iafq.submission LIMIT 1'), 'portal refused iafq.submission';
    ASSERT public.refused('SELECT 1 FROM iafq.value LIMIT 1'), 'portal refused iafq.value';
    ASSERT public.refused('SELECT 1 FROM iafq.seizure LIMIT 1'), 'portal refused iafq.seizure';
    ASSERT public.refused('SELECT 1 FROM iafq.sdg_16_4_2 LIMIT 1'), 'portal refused iafq.sdg_16_4_2';
    ASSERT public.refused('SELECT 1 FROM iafq.current_submissions LIMIT 1'), 'portal refused current_submissions';
    FOR rel IN SELECT c.relname FROM pg_class AS c JOIN pg_namespace AS s ON s.oid = c.relnamespace
               WHERE s.nspname = 'iafq' AND c.relkind IN ('r', 'v', 'm') LOOP
        IF NOT public.refused(format('SELECT 1 FROM iafq.%I LIMIT 1', rel.relname)) THEN
            RAISE EXCEPTION 'FAIL portal can read iafq.%', rel.relname;
        END IF;
        n := n + 1;
    END LOOP;
    ASSERT n > 30, 'portal tried every iafq relation (' || n || ')';
    ASSERT public.refused('INSERT INTO iafq_public.gs1 VALUES (''country'', ''250'', ''France'', 2020, ''X'', 1, 1)'),
        'portal cannot write';
    ASSERT public.refused('CREATE TABLE iafq_public.x (a int)'), 'portal cannot create in iafq_public';
END
$$;

-- ----------------------------------------------------------------- analyst
\connect - iafq_analyst
DO $$
DECLARE
    rel record;
BEGIN
    ASSERT current_user = 'iafq_analyst', 'connected as the analyst';
    FOR rel IN SELECT s.nspname, c.relname FROM pg_class AS c JOIN pg_namespace AS s ON s.oid = c.relnamespace
               WHERE s.nspname IN ('iafq', 'iafq_public') AND c.relkind IN ('r', 'v', 'm') LOOP
        IF public.refused(format('SELECT 1 FROM %I.%I LIMIT 1', rel.nspname, rel.relname)) THEN
            RAISE EXCEPTION 'FAIL analyst cannot read %.%', rel.nspname, rel.relname;
        END IF;
    END LOOP;
    ASSERT public.refused($q$INSERT INTO iafq.submission (country, year, file_name, sha256, status, source, errors, warnings, report)
                             VALUES ('FRA', 2020, 'x', repeat('a', 64), 'accepted', 'xlsx', 0, 0, '{}')$q$),
        'analyst cannot write submissions';
    ASSERT public.refused('DELETE FROM iafq.value'), 'analyst cannot delete values';
END
$$;
-- the analyst runs the aggregation
\i :aggregate
SELECT t.eq(count(*), 2::bigint, 'analyst ran an aggregation') FROM iafq.agg_run WHERE finished IS NOT NULL;
SELECT t.eq(count(*), 1::bigint, 'latest run results') FROM iafq.sdg_16_4_2 WHERE area_type = 'country';

-- ------------------------------------------------------------------ loader
\connect - iafq_loader
DO $$
DECLARE
    id bigint;
BEGIN
    ASSERT current_user = 'iafq_loader', 'connected as the loader';
    INSERT INTO iafq.submission (country, year, file_name, sha256, status, consent, source, errors, warnings, report)
    VALUES ('DEU', 2020, 'deu.xlsx', repeat('b', 64), 'accepted', true, 'xlsx', 0, 0, '{"findings": []}')
    RETURNING submission.id INTO id;
    INSERT INTO iafq.value (submission_id, tbl, row_code, col_code, n) VALUES (id, 'T1', 'TOTAL', 'SEIZED', 5);
    INSERT INTO iafq.seizure (submission_id, seizure_id, quantity) VALUES (id, 'A1', 1);
    ASSERT (SELECT count(*) FROM iafq.current_submissions WHERE country = 'DEU') = 1, 'loader sees current submissions';
    ASSERT public.refused('DELETE FROM iafq.submission'), 'loader cannot delete submissions';
    ASSERT public.refused('UPDATE iafq.submission SET status = ''rejected'''), 'loader cannot rewrite history';
    ASSERT public.refused('INSERT INTO iafq.agg_run (submissions) VALUES (''{}'')'), 'loader cannot write runs';
    ASSERT public.refused('SELECT 1 FROM iafq.res_gs1'), 'loader does not read results';
END
$$;

\connect - postgres
SELECT t.eq(count(*), 2::bigint, 'loader wrote a submission') FROM iafq.submission;
SELECT t.eq(rolcanlogin, true, rolname || ' LOGIN') FROM pg_roles WHERE rolname LIKE 'iafq\_%';
SELECT t.eq(count(*), 3::bigint, 'three roles') FROM pg_roles WHERE rolname IN ('iafq_loader', 'iafq_analyst', 'iafq_portal');
