-- test_cluster: more than the small disk under the cluster holds.  Unlogged:
-- the rows go to the data files only, so the failure is the data file's
-- (disk_full), not a WAL write's.
CREATE UNLOGGED TABLE fill_the_disk AS
SELECT g, repeat('x', 1000) AS pad FROM generate_series(1, 200000) AS g;
