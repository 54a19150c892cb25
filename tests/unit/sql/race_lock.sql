-- test_cluster: hold CREATE DATABASE back after its insert into
-- pg_database and before its commit (it records its owner in pg_shdepend
-- next, which needs ROW EXCLUSIVE there), so that a second CREATE DATABASE
-- of the same name passes the "already exists?" check, waits on the first
-- one's row and ends on unique_violation (23505) when it commits.
BEGIN;
LOCK TABLE pg_catalog.pg_shdepend IN SHARE MODE;
