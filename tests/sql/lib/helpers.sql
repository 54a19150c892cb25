-- helpers.sql: loaded by run.sh into each test database before the test
-- file.  Schema t: shorthand to build a small world by hand.  Tests insert
-- straight into iafq.submission / value / seizure, as the loader would.

CREATE SCHEMA t;

-- A submission; returns its id.  `received` orders the versions of a
-- country-year (newest accepted = current).
CREATE FUNCTION t.sub(p_country text, p_year int,
                      p_consent boolean DEFAULT true,
                      p_status text DEFAULT 'accepted',
                      p_received timestamptz DEFAULT '2024-01-01 00:00+00')
RETURNS bigint LANGUAGE sql AS $$
    INSERT INTO iafq.submission (country, year, file_name, sha256, received,
                                 status, consent, source, errors, warnings, report)
    VALUES (p_country, p_year, p_country || '-' || p_year || '.xlsx',
            encode(sha256(convert_to(gen_random_uuid()::text, 'UTF8')), 'hex'),
            p_received, p_status, p_consent, 'xlsx',
            CASE WHEN p_status = 'rejected' THEN 1 ELSE 0 END, 0, '{}'::jsonb)
    RETURNING id;
$$;

-- Values of one table column: t.vals(sub, 'T8', 'SEIZED', 'UI_LEGIT_NATIONAL=3 TOTAL=10')
CREATE FUNCTION t.vals(p_sub bigint, p_tbl text, p_col text, p_cells text)
RETURNS void LANGUAGE sql AS $$
    INSERT INTO iafq.value (submission_id, tbl, row_code, col_code, n)
    SELECT p_sub, p_tbl, split_part(cell, '=', 1), p_col, split_part(cell, '=', 2)::bigint
    FROM regexp_split_to_table(btrim(p_cells), '\s+') AS cell;
$$;

-- n T11 seizures of `qty` arms each
CREATE FUNCTION t.seize(p_sub bigint, p_qty bigint, p_manufacture text,
                        p_departure text, p_destination text, p_n int DEFAULT 1)
RETURNS void LANGUAGE sql AS $$
    INSERT INTO iafq.seizure (submission_id, seizure_id, sheet_row, arm_type,
                              quantity, manufacture_country, departure_country,
                              destination_country)
    SELECT p_sub, 'S' || gen_random_uuid(), g, 'PISTOL', p_qty,
           p_manufacture, p_departure, p_destination
    FROM generate_series(1, p_n) AS g;
$$;

-- Equality assertions with a readable message (numeric compared exactly).
CREATE FUNCTION t.eq(got anyelement, want anyelement, what text)
RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    IF got IS DISTINCT FROM want THEN
        RAISE EXCEPTION 'FAIL %: got %, want %', what, got, want;
    END IF;
END;
$$;

-- A numeric equal to want within 1e-12 (unrounded values)
CREATE FUNCTION t.near(got numeric, want numeric, what text)
RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    IF got IS NULL OR abs(got - want) > 1e-12 THEN
        RAISE EXCEPTION 'FAIL %: got %, want %', what, got, want;
    END IF;
END;
$$;
