-- test migration: needs 9001 before it
INSERT INTO iafq_test.t1 VALUES (1);
