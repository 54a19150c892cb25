-- test migration: creates a table, then fails (must leave no trace)
CREATE TABLE iafq_test.t3 (x int);
SELECT 1 / 0;
