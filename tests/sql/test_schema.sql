-- What the migrations built: every migration recorded, the bootstrap still
-- idempotent, the reference data loaded from data/m49.csv, the roles.
SELECT t.eq(string_agg(version, ',' ORDER BY version), :'migrations', 'recorded migrations') FROM iafq.schema_migrations;
\i sql/meta/bootstrap.sql
SELECT t.eq(count(*), 249::bigint, 'M49 countries and areas (m49.csv rows)') FROM iafq.m49 WHERE level = 'country';
SELECT t.eq(count(*), 248::bigint, 'countries with an ISO code (Sark has none)') FROM iafq.m49_country;
SELECT t.eq(name, 'World', 'world') FROM iafq.m49 WHERE code = '001';
SELECT t.eq(string_agg(level, ',' ORDER BY level), 'sdg_region,subregion', '202 is a sub-region and an SDG region') FROM iafq.m49 WHERE code = '202';
SELECT t.eq(region_code || subregion_code || coalesce(intermediate_code, '-') || sdg_region_code, '019419005419', 'Brazil areas') FROM iafq.m49_country WHERE iso3 = 'BRA';
SELECT t.eq(name, 'Côte d’Ivoire', 'UTF-8 names') FROM iafq.m49_country WHERE iso3 = 'CIV';
SELECT t.eq(count(*), 1::bigint, 'Antarctica: the world only') FROM iafq.country_area WHERE iso3 = 'ATA' AND area_type <> 'country';
SELECT t.eq(count(*), 3::bigint, 'roles') FROM pg_roles WHERE rolname IN ('iafq_loader', 'iafq_analyst', 'iafq_portal');
-- PUBLIC has no access to the schemas
SELECT t.eq(has_schema_privilege('public', 'iafq', 'USAGE'), false, 'PUBLIC on iafq');
SELECT t.eq(has_schema_privilege('iafq_portal', 'iafq', 'USAGE'), false, 'portal on iafq');
SELECT t.eq(has_schema_privilege('iafq_portal', 'iafq_public', 'USAGE'), true, 'portal on iafq_public');
-- the current view of an empty database, and the same bytes key
SELECT t.eq(count(*), 0::bigint, 'no current submissions') FROM iafq.current_submissions;
SELECT t.eq(count(*), 1::bigint, 'same-bytes unique index') FROM pg_indexes WHERE indexname = 'submission_same_bytes' AND indexdef LIKE 'CREATE UNIQUE%';
-- a hostile file name and report are stored as they are
SELECT t.sub('FRA', 2020) AS s \gset
UPDATE iafq.submission SET file_name = $x$O'Brien\"; drop table iafq.value; --.xlsx$x$, report = '{"a": "\\\"; drop"}' WHERE id = :s;
SELECT t.eq(file_name, $x$O'Brien\"; drop table iafq.value; --.xlsx$x$, 'hostile file name') FROM iafq.submission WHERE id = :s;
SELECT t.eq(count(*), 0::bigint, 'value table still there') FROM iafq.value;
