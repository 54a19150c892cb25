-- 00_run: start an aggregation run.  `iafq aggregate` executes the files of
-- sql/aggregate/ in lexical order inside ONE transaction (BEGIN, the files,
-- COMMIT: nothing may run between BEGIN and this file; `--full` runs
-- sql/q/agg_full.sql right after it).
--
-- REPEATABLE READ: every file of the run sees the same submissions, even if
-- an ingest commits while the run is going.  The advisory lock makes a
-- second run wait for the first, so run ids and finishing order agree
-- (`iafq aggregate` takes the same lock for its session before BEGIN, so
-- that this transaction's snapshot is taken after the previous run
-- committed: a run compares its rows with the previous run's).
SET TRANSACTION ISOLATION LEVEL REPEATABLE READ;
SELECT pg_advisory_xact_lock(hashtext('iafq.aggregate'));
-- Memory for the hash aggregates of this transaction only (a few hundred
-- thousand groups for a world with millions of T11 rows): hashing, not
-- sorting on disk.
SET LOCAL work_mem = '256MB';
SET LOCAL hash_mem_multiplier = 4;
-- JIT compilation costs more than it saves on these few-second queries.
SET LOCAL jit = off;
