-- synth_world.sql: a synthetic world for the aggregation benchmark, made
-- with generate_series in the database (no files): 193 countries x 10 years
-- (2013-2022) of current accepted returns with every T1-T10 cell (about 1 in
-- 10 left blank), 2,000,000 T11 seizures spread over them, plus superseded
-- accepted returns (1 country-year in 10) and newer rejected returns (1 in
-- 20) that aggregation must skip; 1 country in 20 says CONSENT = NO.
-- T11 partners: each return names 15 countries of manufacture and 30
-- departure -> destination routes (a large country's T11 repeats a few
-- partners many times).
--
--   psql -v ON_ERROR_STOP=1 -f bench/synth_world.sql "$CONNINFO"
--
-- Run it on a freshly migrated, empty database (sql/meta/bootstrap.sql +
-- sql/migrations/*).  Deterministic (setseed).  Plain SQL, no psql commands.
SELECT setseed(0.4242);

CREATE TEMP TABLE synth_country AS
SELECT iso3, row_number() OVER (ORDER BY iso3) AS k
FROM iafq.m49_country
WHERE region_code IS NOT NULL
ORDER BY iso3
LIMIT 193;

-- superseded accepted returns (older), then the current ones, then rejected
INSERT INTO iafq.submission (country, year, file_name, sha256, received, status,
                             consent, source, errors, warnings, report)
SELECT c.iso3, y, 'old-' || c.iso3 || '-' || y || '.xlsx',
       encode(sha256(convert_to('old' || c.iso3 || y, 'UTF8')), 'hex'),
       make_timestamptz(y + 1, 3, 1, 0, 0, 0, 'UTC'), 'accepted', true, 'xlsx', 0, 1,
       '{}'::jsonb
FROM synth_country AS c, generate_series(2013, 2022) AS y
WHERE (c.k + y) % 10 = 0;

INSERT INTO iafq.submission (country, year, file_name, sha256, received, status,
                             consent, source, errors, warnings, report)
SELECT c.iso3, y, c.iso3 || '-' || y || '.xlsx',
       encode(sha256(convert_to('cur' || c.iso3 || y, 'UTF8')), 'hex'),
       make_timestamptz(y + 1, 6, 1, 0, 0, 0, 'UTC'), 'accepted',
       c.k % 20 <> 7, 'xlsx', 0, 0, '{}'::jsonb
FROM synth_country AS c, generate_series(2013, 2022) AS y;

INSERT INTO iafq.submission (country, year, file_name, sha256, received, status,
                             consent, source, errors, warnings, report)
SELECT c.iso3, y, 'bad-' || c.iso3 || '-' || y || '.xlsx',
       encode(sha256(convert_to('bad' || c.iso3 || y, 'UTF8')), 'hex'),
       make_timestamptz(y + 1, 9, 1, 0, 0, 0, 'UTC'), 'rejected', true, 'xlsx', 3, 0,
       '{}'::jsonb
FROM synth_country AS c, generate_series(2013, 2022) AS y
WHERE (c.k + y) % 20 = 3;

-- the columns of each table
CREATE TEMP TABLE synth_col (tbl text, col_code text);
INSERT INTO synth_col VALUES
    ('T1', 'SEIZED'), ('T1', 'FOUND'), ('T1', 'SURRENDERED'),
    ('T2', 'VALUE'), ('T3', 'SEIZED'), ('T4', 'SEIZED'), ('T5', 'SEIZED'),
    ('T6', 'SEIZED'), ('T6', 'FOUND'), ('T6', 'SURRENDERED'), ('T7', 'SEIZED'),
    ('T8', 'SEIZED'), ('T8', 'FOUND'), ('T8', 'SURRENDERED'),
    ('T9', 'MALE'), ('T9', 'FEMALE'), ('T9', 'UNKNOWN'), ('T9', 'TOTAL'),
    ('T10', 'TOTAL');

-- every cell of every return (superseded ones too), 1 in 10 blank
INSERT INTO iafq.value (submission_id, tbl, row_code, col_code, n)
SELECT s.id, r.tbl, r.row_code, c.col_code,
       CASE WHEN r.is_total THEN 500 + floor(random() * 5000)::bigint
            ELSE floor(random() * 400)::bigint END
FROM iafq.submission AS s
JOIN iafq.table_row AS r ON true
JOIN synth_col AS c ON c.tbl = r.tbl
WHERE s.status = 'accepted' AND random() >= 0.1;

-- 2,000,000 T11 seizures over the current returns
CREATE TEMP TABLE synth_cur AS
SELECT row_number() OVER (ORDER BY s.id) - 1 AS k, s.id
FROM iafq.submission AS s
WHERE s.status = 'accepted' AND s.file_name NOT LIKE 'old-%';

INSERT INTO iafq.seizure (submission_id, seizure_id, sheet_row, date, place_type,
    arm_type, quantity, marking, manufacture_country, departure_country,
    destination_country, tracing)
SELECT cur.id, 'S' || g, 5 + g / 1930,
       NULL, (ARRAY['LAND_BORDER', 'AIRPORT', 'HARBOUR', 'TERRITORY'])[1 + g % 4],
       (ARRAY['PISTOL', 'REVOLVER', 'RIFLE', 'SHOTGUN'])[1 + (g / 7) % 4],
       CASE WHEN g % 13 = 0 THEN NULL ELSE 1 + (g % 5) END,
       'UNIQUE',
       -- each return names 15 manufacture countries, 6 departure and 5
       -- destination countries (30 routes), some left blank
       CASE WHEN g % 9 = 0 THEN NULL ELSE iso.a[1 + (cur.k * 13 + g % 15) % iso.n] END,
       CASE WHEN g % 7 = 0 THEN NULL ELSE iso.a[1 + (cur.k * 17 + g % 6) % iso.n] END,
       CASE WHEN g % 11 = 0 THEN NULL ELSE iso.a[1 + (cur.k * 19 + (g / 6) % 5) % iso.n] END,
       'UI_PENDING'
FROM generate_series(0, 1999999) AS g
JOIN synth_cur AS cur ON cur.k = g % 1930
CROSS JOIN (SELECT array_agg(iso3 ORDER BY iso3) AS a, count(*)::int AS n
            FROM iafq.m49_country) AS iso;

ANALYZE iafq.submission;
ANALYZE iafq.value;
ANALYZE iafq.seizure;
