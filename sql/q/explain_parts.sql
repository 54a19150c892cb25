-- explain (every view but gs9, sql/q/explain_gs9_parts.sql): the countries
-- behind one published row, each with its submission and the cells its
-- figure is made of, in the latest run.  One branch per view: its country
-- rows with the row's keys, their parts a, b, figure (mean: gs3's
-- share_pct_mean), and the patterns of the cells (iafq.explain_pick,
-- migration 0018) the parts are made of:
--   sdg_16_4_2, sdg_16_4_2_by_column, sdg_16_4_2_by_tracing: read as the
--     gs6 breakdowns total, column, tracing (gs6 is their union).  total,
--     column: N the T8 rows traced, D T1 TOTAL, of every qualifying column
--     (T1 TOTAL > 0 and a T8 row given; column: the row's column only);
--     tracing: N the T8 row of the level, D T8 TOTAL, of the row's column
--     (ALL: of every column whose T8 TOTAL is > 0 and whose row of that
--     level is given; iafq.calc_sdg_16_4_2_tracing_country)
--   gs1: n T1 TOTAL of the row's column (arms TOTAL: of every column)
--   gs2, gs3: n the T1 (T3) row of the arm type (justification), SEIZED;
--     reported every component row of that table, SEIZED (n's included)
--   gs4: n the T4 row of the offence, SEIZED
--   gs5: the table of the dimension (condition T5, marking T6, place T7);
--     n its row of the category in the row's column (arms); reported
--     every component row of that table and column
--   gs7: n the T2 row of the item
--   gs8: n the T9 cell of the persons and sex; total (b) the T9 TOTAL of
--     the persons, when the sex is not TOTAL and that TOTAL is > 0 (else
--     the country counts in n but not in share_pct; iafq.calc_gs8)
-- $1 area type, $2 area code, $3 year, $4 public (boolean): only the
-- submissions published now (iafq.public_submission), as iafq_public
-- does; $5 the view; $6, $7, $8 the row's keys in aggregate/explain.c's
-- order (NULL: none).
-- Columns: iso3, m49, name, withheld, submission_id, file_name, sha256,
-- source, received, a, b, figure, mean, cells (JSON array: see
-- iafq.explain_cells).
WITH r AS (
    SELECT c.area_type, c.year, c.area_code, c.submission_id, c.withheld,
           c.numerator AS a, c.denominator AS b, c.value::text AS figure,
           NULL::text AS mean,
           CASE WHEN c.breakdown = 'tracing'
                THEN ARRAY[('D', 'T8', '{TOTAL}', k.cols)::iafq.explain_pick,
                           ('N', 'T8', ARRAY[c.tracing], k.cols)::iafq.explain_pick]
                ELSE ARRAY[('D', 'T1', '{TOTAL}', k.cols)::iafq.explain_pick,
                           ('N', 'T8', '{UI_LEGIT_NATIONAL,UI_ILLEGIT_NATIONAL,'
                                       'UI_ILLEGIT_FOREIGN,UI_OTHERWISE}',
                            k.cols)::iafq.explain_pick] END AS picks
    FROM iafq.gs6 AS c
    CROSS JOIN LATERAL (
        SELECT CASE WHEN c.breakdown = 'tracing'
                    THEN iafq.explain_columns(
                             c.submission_id,
                             CASE WHEN c.arms <> 'ALL' THEN ARRAY[c.arms] END,
                             'T8', 'TOTAL', 'T8', c.tracing)
                    ELSE iafq.explain_columns(
                             c.submission_id,
                             CASE WHEN c.arms IS NULL
                                  THEN '{SEIZED,FOUND,SURRENDERED}'
                                  ELSE ARRAY[c.arms] END,
                             'T1', 'TOTAL', 'T8', NULL) END AS cols
    ) AS k
    WHERE CASE $5::text
          WHEN 'sdg_16_4_2' THEN c.breakdown = 'total' AND $6::text IS NULL
          WHEN 'sdg_16_4_2_by_column'
          THEN c.breakdown = 'column' AND c.arms = $6::text
          WHEN 'sdg_16_4_2_by_tracing'
          THEN c.breakdown = 'tracing' AND c.arms = $6::text
           AND c.tracing = $7::text
          WHEN 'gs6'
          THEN c.breakdown = $6::text AND c.arms IS NOT DISTINCT FROM $7::text
           AND c.tracing IS NOT DISTINCT FROM $8::text
          ELSE false END
    UNION ALL
    SELECT c.area_type, c.year, c.area_code, c.submission_id, c.withheld,
           c.n, NULL, c.n::text, NULL,
           ARRAY[('n', 'T1', '{TOTAL}', CASE WHEN c.arms <> 'TOTAL'
                                            THEN ARRAY[c.arms] END)::iafq.explain_pick]
    FROM iafq.gs1 AS c WHERE $5::text = 'gs1' AND c.arms = $6::text
    UNION ALL
    SELECT c.area_type, c.year, c.area_code, c.submission_id, c.withheld,
           c.n, c.reported, c.share_pct::text, NULL,
           ARRAY[('n', 'T1', ARRAY[c.arm_type], '{SEIZED}')::iafq.explain_pick,
                 ('reported', 'T1', NULL, '{SEIZED}')::iafq.explain_pick]
    FROM iafq.gs2 AS c WHERE $5::text = 'gs2' AND c.arm_type = $6::text
    UNION ALL
    SELECT c.area_type, c.year, c.area_code, c.submission_id, c.withheld,
           c.n, c.reported, c.share_pct::text, c.share_pct_mean::text,
           ARRAY[('n', 'T3', ARRAY[c.justification], '{SEIZED}')::iafq.explain_pick,
                 ('reported', 'T3', NULL, '{SEIZED}')::iafq.explain_pick]
    FROM iafq.gs3 AS c WHERE $5::text = 'gs3' AND c.justification = $6::text
    UNION ALL
    SELECT c.area_type, c.year, c.area_code, c.submission_id, c.withheld,
           c.n, NULL, c.n::text, NULL,
           ARRAY[('n', 'T4', ARRAY[c.offence], '{SEIZED}')::iafq.explain_pick]
    FROM iafq.gs4 AS c WHERE $5::text = 'gs4' AND c.offence = $6::text
    UNION ALL
    SELECT c.area_type, c.year, c.area_code, c.submission_id, c.withheld,
           c.n, c.reported, c.share_pct::text, NULL,
           ARRAY[('n', t.tbl, ARRAY[c.category], ARRAY[c.arms])::iafq.explain_pick,
                 ('reported', t.tbl, NULL, ARRAY[c.arms])::iafq.explain_pick]
    FROM iafq.gs5 AS c
    JOIN (VALUES ('condition', 'T5'), ('marking', 'T6'), ('place', 'T7'))
         AS t(dimension, tbl) ON t.dimension = c.dimension
    WHERE $5::text = 'gs5' AND c.dimension = $6::text AND c.arms = $7::text
      AND c.category = $8::text
    UNION ALL
    SELECT c.area_type, c.year, c.area_code, c.submission_id, c.withheld,
           c.n, NULL, c.n::text, NULL,
           ARRAY[('n', 'T2', ARRAY[c.item], NULL)::iafq.explain_pick]
    FROM iafq.gs7 AS c WHERE $5::text = 'gs7' AND c.item = $6::text
    UNION ALL
    SELECT c.area_type, c.year, c.area_code, c.submission_id, c.withheld,
           c.n, t.n, c.share_pct::text, NULL,
           ARRAY[('n', 'T9', ARRAY[c.persons], ARRAY[c.sex])::iafq.explain_pick,
                 ('total', 'T9', ARRAY[c.persons], ARRAY[t.col_code])::iafq.explain_pick]
    FROM iafq.gs8 AS c
    LEFT JOIN iafq.value AS t
           ON c.sex <> 'TOTAL' AND t.submission_id = c.submission_id
          AND t.tbl = 'T9' AND t.row_code = c.persons
          AND t.col_code = 'TOTAL' AND t.n > 0
    WHERE $5::text = 'gs8' AND c.persons = $6::text AND c.sex = $7::text
)
SELECT p.iso3, p.m49, p.name, (r.withheld > 0) AS withheld,
       p.submission_id, p.file_name, p.sha256, p.source, p.received,
       r.a, r.b, r.figure, r.mean,
       iafq.explain_cells(r.submission_id, r.picks) AS cells
FROM r
CROSS JOIN LATERAL iafq.explain_part($1::text, $2::text, $4::boolean,
                                     r.area_code, r.submission_id) AS p
WHERE r.area_type = 'country' AND r.year = $3::int
ORDER BY p.iso3
