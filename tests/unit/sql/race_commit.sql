-- test_cluster: let the held CREATE DATABASE statements go on.
COMMIT;
