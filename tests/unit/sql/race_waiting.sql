-- test_cluster: how many CREATE DATABASE statements wait for a lock.
SELECT count(*) FROM pg_stat_activity
WHERE wait_event_type = 'Lock' AND query LIKE '%CREATE DATABASE%';
