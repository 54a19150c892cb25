-- 0007_public_run: iafq_public.latest_run also says how many submissions
-- the run used (a count, no ids), so that a public export can state it
-- (IAFQ-SPEC section 6.1: the run the data comes from).  CREATE OR REPLACE
-- keeps the view's grants; the new column goes at the end.
CREATE OR REPLACE VIEW iafq_public.latest_run AS
SELECT r.id, r.started, r.finished, cardinality(r.submissions) AS submissions
FROM iafq.latest_run AS r;
