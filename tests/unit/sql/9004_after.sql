-- test migration: after the failing one
CREATE TABLE iafq_test.t4 (x int);
