-- test migration: slow, and fails when applied twice
SELECT pg_sleep(0.3);
CREATE TABLE iafq_test.c1 (x int);
