-- How many result rows are stored (all runs): `iafq runs prune` says how
-- many it removed.
SELECT count(*) AS n FROM iafq.result_run
