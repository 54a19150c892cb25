-- test_cluster: drop iafq's database so that the next use creates it again.
DROP DATABASE IF EXISTS iafq WITH (FORCE);
