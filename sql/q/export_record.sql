-- Record that an export used run $1 (scope $2 'internal' or 'public',
-- DIR $3): migrations 0014, 0017 (through iafq_public, which the portal
-- may call: a public export is recorded too).  After the export's snapshot
-- is closed.  id NULL: not recorded (the run is not finished, or the
-- portal named an internal export).
SELECT iafq_public.export_record($1::bigint, $2::text, $3::text) AS id
