-- The holder of the nightly run's lock names itself for the runs that wait
-- (q/run_lock_holder.sql): $1 = "iafq run, pid P on HOST since T" (at most
-- 63 bytes: application_name's limit).  For this session only.
SELECT set_config('application_name', $1, false) AS name
