-- Who holds the nightly run's lock (q/run_lock.sql), for the message of a
-- run that waits: the holder's backend, the name it gave itself when it
-- took the lock (q/run_lock_name.sql: "iafq run, pid P on HOST since T";
-- application_name is visible to every role) and when its session began.
-- pg_advisory_lock(bigint k) shows in pg_locks as classid = high 32 bits,
-- objid = low 32 bits, objsubid = 1.  No row when the lock is free.
WITH k AS (SELECT hashtext('iafq.run')::bigint AS key)
SELECT l.pid AS backend,
       coalesce(a.application_name, '') AS name,
       coalesce(to_char(a.backend_start AT TIME ZONE 'UTC',
                        'YYYY-MM-DD"T"HH24:MI:SS"Z"'), '') AS since
FROM pg_locks l
CROSS JOIN k
LEFT JOIN pg_stat_activity a ON a.pid = l.pid
WHERE l.locktype = 'advisory'
  AND l.granted
  AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
  AND l.classid::bigint = ((k.key >> 32) & 4294967295)
  AND l.objid::bigint = (k.key & 4294967295)
  AND l.objsubid = 1
LIMIT 1
