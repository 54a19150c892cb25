-- A submission id, taken before the return is read so that its T11
-- seizures can stream into iafq.seizure while the file is still being read.
SELECT nextval(pg_get_serial_sequence('iafq.submission', 'id')) AS id
