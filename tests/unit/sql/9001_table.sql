-- test migration: a schema and a table
CREATE SCHEMA iafq_test;
CREATE TABLE iafq_test.t1 (x int);
