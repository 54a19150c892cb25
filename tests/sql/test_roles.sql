-- The three roles' grants, proved by connecting as each (trust over the
-- socket; the roles have LOGIN), each trying what it must not do.  A
-- refusal must be insufficient_privilege.  (migration 0009; docs/disclosure.md)
--
-- World: FRA withholds (CONSENT = NO), DEU consents; both report T11 naming
-- each other.

SELECT t.sub('FRA', 2020, false) AS fra \gset
SELECT t.vals(:fra, 'T1', 'SEIZED', 'TOTAL=10'), t.vals(:fra, 'T8', 'SEIZED', 'UI_LEGIT_NATIONAL=1');
SELECT t.seize(:fra, 1, 'USA', 'USA', 'FRA');
SELECT t.sub('DEU', 2020) AS deu \gset
SELECT t.vals(:deu, 'T1', 'SEIZED', 'PISTOL=3 TOTAL=5'), t.vals(:deu, 'T8', 'SEIZED', 'UI_LEGIT_NATIONAL=2');
SELECT t.vals(:deu, 'T2', 'VALUE', 'PARTS=1'), t.vals(:deu, 'T3', 'SEIZED', 'POSSESSION=5'),
       t.vals(:deu, 'T4', 'SEIZED', 'DRUGS=1'), t.vals(:deu, 'T5', 'SEIZED', 'INDUSTRIAL=5'),
       t.vals(:deu, 'T9', 'TOTAL', 'ARRESTED=1');
SELECT t.seize(:deu, 2, 'FRA', 'FRA', 'DEU');
-- a token of `iafq serve` (0010), issued by the owner
INSERT INTO iafq.token (country, secret_sha256) VALUES ('ITA', repeat('e', 64));
\i :aggregate

-- refused(statement): the statement must fail with 42501
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

-- This database is a copy of a migrated template: CREATE DATABASE does not
-- copy database privileges, so PUBLIC has TEMP here, as in a database whose
-- owner did not migrate it.  First the views alone must hold.
SELECT t.eq(has_database_privilege('iafq_portal', current_database(), 'TEMP'), true, 'copied database: TEMP still granted');

-- ------------------------------------------------------------------ portal
\connect - iafq_portal
-- a leaky function, as cheap as can be, in a WHERE on every public view:
-- it records every value it is shown
CREATE TEMP TABLE seen (v text);
CREATE FUNCTION pg_temp.leak(v text) RETURNS boolean
LANGUAGE plpgsql COST 0.0000001 AS $$
BEGIN
    RAISE NOTICE 'leak: %', v;
    INSERT INTO seen VALUES (v);
    RETURN true;
END
$$;
DO $$
DECLARE
    rel record;
    n int := 0;
BEGIN
    FOR rel IN SELECT c.relname, array_agg(a.attname::text ORDER BY a.attnum) AS cols
               FROM pg_class AS c
               JOIN pg_namespace AS s ON s.oid = c.relnamespace
               JOIN pg_attribute AS a ON a.attrelid = c.oid AND a.attnum > 0
               WHERE s.nspname = 'iafq_public' AND c.relkind = 'v'
               GROUP BY c.relname LOOP
        -- every column through the function, one column per query (so that
        -- a condition on a single column may be pushed down)
        FOR i IN 1 .. cardinality(rel.cols) LOOP
            EXECUTE format('SELECT count(*) FROM iafq_public.%I AS r WHERE pg_temp.leak(r.%I::text)',
                           rel.relname, rel.cols[i]);
        END LOOP;
        n := n + 1;
    END LOOP;
    ASSERT n = 14, 'every public view (' || n || ')';
    ASSERT (SELECT count(*) FROM seen WHERE v = '276') > 0, 'the function saw published rows';
    ASSERT (SELECT count(*) FROM seen WHERE v IN ('250', 'FRA', 'France')) = 0,
        'the function saw a withheld row: ' || (SELECT string_agg(DISTINCT v, ',') FROM seen WHERE v IN ('250', 'FRA', 'France'));
END
$$;

DO $$
DECLARE
    rel record;
    n int := 0;
BEGIN
    ASSERT current_user = 'iafq_portal', 'connected as the portal';
    -- what it may read
    PERFORM 1 FROM iafq_public.gs1, iafq_public.gs9, iafq_public.latest_run;
    ASSERT (SELECT count(*) FROM iafq_public.sdg_16_4_2) > 0, 'portal reads public 16.4.2';
    -- the submissions, values, seizures and every other relation of iafq
    ASSERT public.refused('SELECT 1 FROM iafq.submission LIMIT 1'), 'portal refused iafq.submission';
    ASSERT public.refused('SELECT 1 FROM iafq.sdg_16_4_2 LIMIT 1'), 'portal refused iafq.sdg_16_4_2';
    FOR rel IN SELECT c.relname FROM pg_class AS c JOIN pg_namespace AS s ON s.oid = c.relnamespace
               WHERE s.nspname = 'iafq' AND c.relkind IN ('r', 'v', 'm', 'S') LOOP
        IF NOT public.refused(format('SELECT 1 FROM iafq.%I LIMIT 1', rel.relname)) THEN
            RAISE EXCEPTION 'FAIL portal can read iafq.%', rel.relname;
        END IF;
        n := n + 1;
    END LOOP;
    ASSERT n > 30, 'portal tried every iafq relation (' || n || ')';
    ASSERT public.refused('CALL iafq.revoke_public_rights()'), 'portal cannot call into iafq';
    ASSERT NOT has_table_privilege('iafq_public.gs1', 'INSERT, UPDATE, DELETE, TRUNCATE'), 'portal cannot write';
    ASSERT public.refused('CREATE TABLE iafq_public.x (a int)'), 'portal cannot create in iafq_public';
    ASSERT public.refused('CREATE TABLE public.x (a int)'), 'portal cannot create in public';
    ASSERT public.refused('CREATE SCHEMA x'), 'portal cannot create schemas';
    -- 0017: a view as of a run is what the portal may read anyway; the
    -- withheld FRA is in no run of it, the iafq views stay closed, and it
    -- may record a public export only
    ASSERT public.refused($q$SELECT count(*) FROM iafq_public.view_rows('iafq.sdg_16_4_2'::regclass, 1)$q$),
        'portal cannot read iafq views through view_rows';
    ASSERT (SELECT count(*) FROM iafq_public.view_rows('iafq_public.gs1'::regclass,
                                                       (SELECT id FROM iafq_public.latest_run))) > 0,
        'portal reads gs1 as of the run';
    ASSERT NOT EXISTS (SELECT 1 FROM iafq_public.latest_run AS r
                       CROSS JOIN LATERAL iafq_public.view_rows('iafq_public.gs1'::regclass, r.id) AS j
                       WHERE j ->> 'area_code' = '250'),
        'no FRA row as of the run';
    PERFORM set_config('iafq.as_of_run', '1', true);
    ASSERT NOT EXISTS (SELECT 1 FROM iafq_public.gs9 WHERE '250' IN (area_code, manufacture_code, departure_code, destination_code)),
        'no FRA partner as of run 1';
    PERFORM set_config('iafq.as_of_run', '', true);
    ASSERT public.refused($q$SELECT iafq.export_record(1, 'internal', 'x')$q$), 'portal cannot call iafq.export_record';
    ASSERT iafq_public.export_record((SELECT id FROM iafq_public.latest_run), 'internal', 'x') IS NULL,
        'portal cannot record an internal export';
    ASSERT iafq_public.export_base((SELECT id FROM iafq_public.latest_run) + 1, 'internal') IS NULL,
        'nothing was recorded';
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
    -- submissions: no new one, no change, no deletion
    ASSERT public.refused($q$INSERT INTO iafq.submission (country, year, file_name, sha256, status, source, errors, warnings, report)
                             VALUES ('FRA', 2020, 'x', repeat('a', 64), 'accepted', 'xlsx', 0, 0, '{}')$q$),
        'analyst cannot write submissions';
    ASSERT public.refused('UPDATE iafq.submission SET consent = true'), 'analyst cannot change consent';
    ASSERT public.refused('DELETE FROM iafq.value'), 'analyst cannot delete values';
    -- runs and results: no deletion, no forged run, no forged result
    ASSERT public.refused('DELETE FROM iafq.agg_run'), 'analyst cannot delete runs';
    ASSERT public.refused('UPDATE iafq.agg_run SET finished = NULL'), 'analyst cannot unfinish runs';
    ASSERT public.refused($q$INSERT INTO iafq.agg_run (started, finished, submissions) VALUES (now(), now(), '{}')$q$),
        'analyst cannot insert a run';
    ASSERT public.refused($q$SELECT nextval('iafq.agg_run_id_seq')$q$), 'analyst cannot take run ids';
    ASSERT public.refused($q$INSERT INTO iafq.res_gs1 (run_id, area_type, area_code, area_name, year, arms, n, countries, withheld)
                             VALUES (1, 'country', '250', 'France', 2020, 'TOTAL', 10, 1, 0)$q$),
        'analyst cannot insert results with withheld = 0';
    ASSERT public.refused('UPDATE iafq.res_gs1 SET withheld = 0'), 'analyst cannot clear withheld';
    ASSERT public.refused('DELETE FROM iafq.res_gs9'), 'analyst cannot delete results';
    ASSERT public.refused('TRUNCATE iafq.res_share'), 'analyst cannot truncate results';
    ASSERT public.refused('CREATE TABLE iafq.x (a int)'), 'analyst cannot create in iafq';
    ASSERT public.refused('CREATE TABLE public.x (a int)'), 'analyst cannot create in public';
    -- tokens of `iafq serve` (0010): read, never the secrets' hashes, never written
    PERFORM id, country, analyst, note, issued, expires, revoked, last_used FROM iafq.token;
    ASSERT public.refused('SELECT secret_sha256 FROM iafq.token'), 'analyst cannot read the secrets'' hashes';
    ASSERT public.refused($q$INSERT INTO iafq.token (country, secret_sha256) VALUES ('FRA', repeat('c', 64))$q$),
        'analyst cannot issue a token';
    ASSERT public.refused('UPDATE iafq.token SET revoked = now()'), 'analyst cannot revoke a token';
    ASSERT public.refused('INSERT INTO iafq.token_submission VALUES (1, 1)'), 'analyst cannot link a submission';
END
$$;
-- and so cannot run an aggregation
\set ON_ERROR_STOP 0
\i :aggregate
\set ON_ERROR_STOP 1
ROLLBACK;

-- ------------------------------------------------------------------ loader
\connect - iafq_loader
DO $$
DECLARE
    id bigint;
BEGIN
    ASSERT current_user = 'iafq_loader', 'connected as the loader';
    INSERT INTO iafq.submission (country, year, file_name, sha256, status, consent, source, errors, warnings, report)
    VALUES ('ITA', 2020, 'ita.xlsx', repeat('b', 64), 'accepted', true, 'xlsx', 0, 0, '{"findings": []}')
    RETURNING submission.id INTO id;
    INSERT INTO iafq.value (submission_id, tbl, row_code, col_code, n) VALUES (id, 'T1', 'TOTAL', 'SEIZED', 5);
    INSERT INTO iafq.seizure (submission_id, seizure_id, quantity) VALUES (id, 'A1', 1);
    ASSERT (SELECT count(*) FROM iafq.current_submissions WHERE country = 'ITA') = 1, 'loader sees current submissions';
    ASSERT public.refused('DELETE FROM iafq.submission'), 'loader cannot delete submissions';
    ASSERT public.refused('UPDATE iafq.submission SET status = ''rejected'''), 'loader cannot rewrite history';
    ASSERT public.refused('DELETE FROM iafq.agg_run'), 'loader cannot delete runs';
    ASSERT public.refused('DELETE FROM iafq.res_gs1'), 'loader cannot delete results';
    ASSERT public.refused('UPDATE iafq.res_gs1 SET withheld = 0'), 'loader cannot change results';
    ASSERT public.refused('CREATE TABLE iafq.x (a int)'), 'loader cannot create in iafq';
    ASSERT public.refused('CREATE TABLE public.x (a int)'), 'loader cannot create in public';
    -- what `iafq serve` does as the loader (0010): sign in (read the hash,
    -- set last_used), link the submission to its token, keep its bytes
    PERFORM secret_sha256 FROM iafq.token;
    UPDATE iafq.token AS k SET last_used = now() WHERE k.id = (SELECT min(t.id) FROM iafq.token AS t);
    INSERT INTO iafq.token_submission (submission_id, token_id) VALUES (id, (SELECT min(t.id) FROM iafq.token AS t));
    INSERT INTO iafq.upload (sha256, content, bytes) VALUES (repeat('b', 64), lo_from_bytea(0, 'xlsx'), 4);
    ASSERT (SELECT lo_get(content) FROM iafq.upload WHERE sha256 = repeat('b', 64)) = 'xlsx'::bytea, 'loader reads its upload';
    -- but never mints or ends access
    ASSERT public.refused($q$INSERT INTO iafq.token (country, secret_sha256) VALUES ('ITA', repeat('d', 64))$q$),
        'loader cannot issue a token';
    ASSERT public.refused('UPDATE iafq.token SET revoked = now()'), 'loader cannot revoke a token';
    ASSERT public.refused('UPDATE iafq.token SET expires = NULL'), 'loader cannot extend a token';
    ASSERT public.refused('DELETE FROM iafq.token_submission'), 'loader cannot unlink a submission';
END
$$;
-- the loader runs the aggregation
\i :aggregate
SELECT t.eq(count(*), 2::bigint, 'loader ran an aggregation') FROM iafq.agg_run WHERE finished IS NOT NULL;
SELECT t.eq(count(*), 3::bigint, 'latest run results') FROM iafq.gs1 WHERE area_type = 'country' AND arms = 'TOTAL';

-- --------------------------------------------- the database, as migrated
\connect - postgres
SELECT t.eq(count(*), 2::bigint, 'loader wrote a submission') FROM iafq.submission WHERE country = 'ITA' OR country = 'DEU';
SELECT t.eq(rolcanlogin, true, rolname || ' LOGIN') FROM pg_roles WHERE rolname LIKE 'iafq\_%';
SELECT t.eq(count(*), 3::bigint, 'three roles') FROM pg_roles WHERE rolname IN ('iafq_loader', 'iafq_analyst', 'iafq_portal');
-- what 0009 does to a database it migrates (and its owner does again here)
CALL iafq.revoke_public_rights();
SELECT t.eq(has_database_privilege(r, current_database(), 'TEMP'), false, r || ': no TEMP'),
       t.eq(has_database_privilege(r, current_database(), 'CREATE'), false, r || ': no CREATE on the database'),
       t.eq(has_schema_privilege(r, 'public', 'CREATE'), false, r || ': no CREATE on public'),
       t.eq(has_schema_privilege(r, 'iafq', 'CREATE'), false, r || ': no CREATE on iafq'),
       t.eq(has_schema_privilege(r, 'iafq_public', 'CREATE'), false, r || ': no CREATE on iafq_public')
FROM unnest(ARRAY['iafq_loader', 'iafq_analyst', 'iafq_portal']) AS r;

\connect - iafq_portal
DO $$
BEGIN
    ASSERT public.refused('CREATE TEMP TABLE seen2 (v text)'), 'portal: no temporary table';
    ASSERT public.refused('CREATE FUNCTION pg_temp.leak2(v text) RETURNS boolean LANGUAGE sql AS ''SELECT true'''),
        'portal: no temporary function';
    ASSERT public.refused('CREATE TABLE public.x (a int)'), 'portal cannot create in public';
END
$$;
\connect - iafq_analyst
DO $$
BEGIN
    ASSERT public.refused('CREATE TEMP TABLE seen2 (v text)'), 'analyst: no temporary table';
END
$$;
\connect - postgres
-- the owner still can
CREATE TABLE public.owner_may (a int);
DROP TABLE public.owner_may;
