-- 0004_results: the result tables that `iafq aggregate` fills (one set of
-- rows per run, keyed by run_id) and the stable views of the interface,
-- which show the latest FINISHED run only.  The aggregation runs in one
-- transaction and marks its run finished as its last step, so a reader sees
-- either the previous run or the whole new one, never half of a run.
-- docs/sql-interface.md describes every view and column.

CREATE TABLE iafq.res_sdg_16_4_2 (
    run_id        bigint NOT NULL,
    area_type     text NOT NULL CHECK (area_type IN ('country', 'region', 'subregion', 'sdg_region', 'world')),
    area_code     text NOT NULL,
    area_name     text NOT NULL,
    year          int NOT NULL,
    numerator     bigint NOT NULL,
    denominator   bigint NOT NULL,
    value         numeric NOT NULL,
    countries     int NOT NULL,
    withheld      int NOT NULL,
    submission_id bigint
);

CREATE TABLE iafq.res_sdg_16_4_2_by_column (
    run_id        bigint NOT NULL,
    area_type     text NOT NULL CHECK (area_type IN ('country', 'region', 'subregion', 'sdg_region', 'world')),
    area_code     text NOT NULL,
    area_name     text NOT NULL,
    year          int NOT NULL,
    arms          text NOT NULL,
    numerator     bigint NOT NULL,
    denominator   bigint NOT NULL,
    value         numeric NOT NULL,
    countries     int NOT NULL,
    withheld      int NOT NULL,
    submission_id bigint
);

CREATE TABLE iafq.res_sdg_16_4_2_by_tracing (
    run_id        bigint NOT NULL,
    area_type     text NOT NULL CHECK (area_type IN ('country', 'region', 'subregion', 'sdg_region', 'world')),
    area_code     text NOT NULL,
    area_name     text NOT NULL,
    year          int NOT NULL,
    arms          text NOT NULL,
    tracing       text NOT NULL,
    n             bigint NOT NULL,
    t8_total      bigint NOT NULL,
    share_pct     numeric NOT NULL,
    countries     int NOT NULL,
    withheld      int NOT NULL,
    submission_id bigint
);

CREATE TABLE iafq.res_gs1 (
    run_id        bigint NOT NULL,
    area_type     text NOT NULL CHECK (area_type IN ('country', 'region', 'subregion', 'sdg_region', 'world')),
    area_code     text NOT NULL,
    area_name     text NOT NULL,
    year          int NOT NULL,
    arms          text NOT NULL,
    n             bigint NOT NULL,
    countries     int NOT NULL,
    withheld      int NOT NULL,
    submission_id bigint
);

-- GS2, GS3, GS5 (shares of reported components)
CREATE TABLE iafq.res_share (
    run_id         bigint NOT NULL,
    area_type      text NOT NULL CHECK (area_type IN ('country', 'region', 'subregion', 'sdg_region', 'world')),
    area_code      text NOT NULL,
    area_name      text NOT NULL,
    year           int NOT NULL,
    tbl            text NOT NULL,
    col_code       text NOT NULL,
    row_code       text NOT NULL,
    n              bigint NOT NULL,
    reported       bigint NOT NULL,
    share_pct      numeric,
    share_pct_mean numeric,
    countries      int NOT NULL,
    withheld       int NOT NULL,
    submission_id  bigint
);

-- GS4, GS7 (plain counts)
CREATE TABLE iafq.res_count (
    run_id        bigint NOT NULL,
    area_type     text NOT NULL CHECK (area_type IN ('country', 'region', 'subregion', 'sdg_region', 'world')),
    area_code     text NOT NULL,
    area_name     text NOT NULL,
    year          int NOT NULL,
    tbl           text NOT NULL,
    col_code      text NOT NULL,
    row_code      text NOT NULL,
    n             bigint NOT NULL,
    countries     int NOT NULL,
    withheld      int NOT NULL,
    submission_id bigint
);

CREATE TABLE iafq.res_gs8 (
    run_id        bigint NOT NULL,
    area_type     text NOT NULL CHECK (area_type IN ('country', 'region', 'subregion', 'sdg_region', 'world')),
    area_code     text NOT NULL,
    area_name     text NOT NULL,
    year          int NOT NULL,
    persons       text NOT NULL,
    sex           text NOT NULL,
    n             bigint NOT NULL,
    share_pct     numeric,
    countries     int NOT NULL,
    withheld      int NOT NULL,
    submission_id bigint
);

CREATE TABLE iafq.res_gs9 (
    run_id           bigint NOT NULL,
    area_type        text NOT NULL CHECK (area_type IN ('country', 'region', 'subregion', 'sdg_region', 'world')),
    area_code        text NOT NULL,
    area_name        text NOT NULL,
    year             int NOT NULL,
    flow             text NOT NULL CHECK (flow IN ('manufacture', 'route')),
    manufacture_code text,
    manufacture_name text,
    departure_code   text,
    departure_name   text,
    destination_code text,
    destination_name text,
    quantity         bigint,
    seizures         bigint NOT NULL,
    countries        int NOT NULL,
    withheld         int NOT NULL,
    partner_withheld boolean NOT NULL,
    submission_id    bigint
);

-- Keys.  A run's rows are written once, by one INSERT ... SELECT per table
-- inside the run's transaction (sql/aggregate/), with the run id of that
-- transaction, and never updated: the run id is right by construction and
-- each row is one group of a GROUP BY, unique by construction.  So no
-- foreign key and no primary key are checked per row (they cost the
-- aggregation of a large world several seconds); run ids grow with the
-- insertion order, and a BRIN index on run_id finds a run's rows (the
-- stable views read one run) as the one on iafq.seizure does.
CREATE INDEX res_sdg_16_4_2_run ON iafq.res_sdg_16_4_2 USING brin (run_id);
CREATE INDEX res_sdg_16_4_2_by_column_run ON iafq.res_sdg_16_4_2_by_column USING brin (run_id);
CREATE INDEX res_sdg_16_4_2_by_tracing_run ON iafq.res_sdg_16_4_2_by_tracing USING brin (run_id);
CREATE INDEX res_gs1_run ON iafq.res_gs1 USING brin (run_id);
CREATE INDEX res_share_run ON iafq.res_share USING brin (run_id);
CREATE INDEX res_count_run ON iafq.res_count USING brin (run_id);
CREATE INDEX res_gs8_run ON iafq.res_gs8 USING brin (run_id);
CREATE INDEX res_gs9_run ON iafq.res_gs9 USING brin (run_id);

-- Deleting runs deletes their results (what ON DELETE CASCADE did): one
-- statement per result table for all the deleted runs.
CREATE FUNCTION iafq.agg_run_delete_results() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM iafq.res_sdg_16_4_2 WHERE run_id IN (SELECT id FROM gone);
    DELETE FROM iafq.res_sdg_16_4_2_by_column WHERE run_id IN (SELECT id FROM gone);
    DELETE FROM iafq.res_sdg_16_4_2_by_tracing WHERE run_id IN (SELECT id FROM gone);
    DELETE FROM iafq.res_gs1 WHERE run_id IN (SELECT id FROM gone);
    DELETE FROM iafq.res_share WHERE run_id IN (SELECT id FROM gone);
    DELETE FROM iafq.res_count WHERE run_id IN (SELECT id FROM gone);
    DELETE FROM iafq.res_gs8 WHERE run_id IN (SELECT id FROM gone);
    DELETE FROM iafq.res_gs9 WHERE run_id IN (SELECT id FROM gone);
    RETURN NULL;
END
$$;
CREATE TRIGGER agg_run_delete_results
    AFTER DELETE ON iafq.agg_run
    REFERENCING OLD TABLE AS gone
    FOR EACH STATEMENT EXECUTE FUNCTION iafq.agg_run_delete_results();

-- ---------------------------------------------------------------------------
-- The stable interface: the latest finished run.

CREATE VIEW iafq.sdg_16_4_2 AS
SELECT r.area_type, r.area_code, r.area_name, r.year,
       r.numerator, r.denominator, r.value, r.countries,
       r.withheld, r.submission_id
FROM iafq.res_sdg_16_4_2 AS r
WHERE r.run_id = (SELECT id FROM iafq.latest_run);

CREATE VIEW iafq.sdg_16_4_2_by_column AS
SELECT r.area_type, r.area_code, r.area_name, r.year, r.arms,
       r.numerator, r.denominator, r.value, r.countries,
       r.withheld, r.submission_id
FROM iafq.res_sdg_16_4_2_by_column AS r
WHERE r.run_id = (SELECT id FROM iafq.latest_run);

CREATE VIEW iafq.sdg_16_4_2_by_tracing AS
SELECT r.area_type, r.area_code, r.area_name, r.year, r.arms, r.tracing,
       r.n, r.t8_total, r.share_pct, r.countries,
       r.withheld, r.submission_id
FROM iafq.res_sdg_16_4_2_by_tracing AS r
WHERE r.run_id = (SELECT id FROM iafq.latest_run);

CREATE VIEW iafq.gs1 AS
SELECT r.area_type, r.area_code, r.area_name, r.year, r.arms,
       r.n, r.countries, r.withheld, r.submission_id
FROM iafq.res_gs1 AS r
WHERE r.run_id = (SELECT id FROM iafq.latest_run);

CREATE VIEW iafq.gs2 AS
SELECT r.area_type, r.area_code, r.area_name, r.year, r.row_code AS arm_type,
       r.n, r.reported, r.share_pct, r.countries, r.withheld, r.submission_id
FROM iafq.res_share AS r
WHERE r.run_id = (SELECT id FROM iafq.latest_run)
  AND r.tbl = 'T1' AND r.col_code = 'SEIZED';

CREATE VIEW iafq.gs3 AS
SELECT r.area_type, r.area_code, r.area_name, r.year, r.row_code AS justification,
       r.n, r.reported, r.share_pct, r.share_pct_mean, r.countries,
       r.withheld, r.submission_id
FROM iafq.res_share AS r
WHERE r.run_id = (SELECT id FROM iafq.latest_run)
  AND r.tbl = 'T3' AND r.col_code = 'SEIZED';

CREATE VIEW iafq.gs4 AS
SELECT r.area_type, r.area_code, r.area_name, r.year, r.row_code AS offence,
       r.n, r.countries, r.withheld, r.submission_id
FROM iafq.res_count AS r
WHERE r.run_id = (SELECT id FROM iafq.latest_run)
  AND r.tbl = 'T4' AND r.col_code = 'SEIZED';

CREATE VIEW iafq.gs5 AS
SELECT r.area_type, r.area_code, r.area_name, r.year,
       CASE r.tbl WHEN 'T5' THEN 'condition' WHEN 'T6' THEN 'marking'
                  WHEN 'T7' THEN 'place' END AS dimension,
       r.col_code AS arms, r.row_code AS category,
       r.n, r.reported, r.share_pct, r.countries, r.withheld, r.submission_id
FROM iafq.res_share AS r
WHERE r.run_id = (SELECT id FROM iafq.latest_run)
  AND r.tbl IN ('T5', 'T6', 'T7');

CREATE VIEW iafq.gs6 AS
SELECT t.area_type, t.area_code, t.area_name, t.year,
       'total'::text AS breakdown, NULL::text AS arms, NULL::text AS tracing,
       t.numerator, t.denominator, t.value, t.countries, t.withheld, t.submission_id
FROM iafq.sdg_16_4_2 AS t
UNION ALL
SELECT c.area_type, c.area_code, c.area_name, c.year,
       'column', c.arms, NULL,
       c.numerator, c.denominator, c.value, c.countries, c.withheld, c.submission_id
FROM iafq.sdg_16_4_2_by_column AS c
UNION ALL
SELECT g.area_type, g.area_code, g.area_name, g.year,
       'tracing', g.arms, g.tracing,
       g.n, g.t8_total, g.share_pct, g.countries, g.withheld, g.submission_id
FROM iafq.sdg_16_4_2_by_tracing AS g;

CREATE VIEW iafq.gs7 AS
SELECT r.area_type, r.area_code, r.area_name, r.year, r.row_code AS item,
       r.n, r.countries, r.withheld, r.submission_id
FROM iafq.res_count AS r
WHERE r.run_id = (SELECT id FROM iafq.latest_run)
  AND r.tbl = 'T2';

CREATE VIEW iafq.gs8 AS
SELECT r.area_type, r.area_code, r.area_name, r.year, r.persons, r.sex,
       r.n, r.share_pct, r.countries, r.withheld, r.submission_id
FROM iafq.res_gs8 AS r
WHERE r.run_id = (SELECT id FROM iafq.latest_run);

CREATE VIEW iafq.gs9 AS
SELECT r.area_type, r.area_code, r.area_name, r.year, r.flow,
       r.manufacture_code, r.manufacture_name,
       r.departure_code, r.departure_name,
       r.destination_code, r.destination_name,
       r.quantity, r.seizures, r.countries,
       r.withheld, r.partner_withheld, r.submission_id
FROM iafq.res_gs9 AS r
WHERE r.run_id = (SELECT id FROM iafq.latest_run);

-- ---------------------------------------------------------------------------
GRANT SELECT ON ALL TABLES IN SCHEMA iafq TO iafq_analyst;
GRANT INSERT, DELETE ON iafq.res_sdg_16_4_2, iafq.res_sdg_16_4_2_by_column,
    iafq.res_sdg_16_4_2_by_tracing, iafq.res_gs1, iafq.res_share,
    iafq.res_count, iafq.res_gs8, iafq.res_gs9 TO iafq_analyst;
