-- Run by db/cluster.c on iafq's own cluster only, connected to the
-- `postgres` database, when the database `iafq` does not exist yet.
CREATE DATABASE iafq ENCODING 'UTF8' TEMPLATE template0 LC_COLLATE 'C' LC_CTYPE 'C';
