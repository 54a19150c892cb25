-- test migration: fails if 9003_fails left its table behind
CREATE TABLE iafq_test.t3 (x int);
