-- Record that an export used run $1 (scope $2 'internal' or 'public',
-- DIR $3): migration 0014.  After the export's snapshot is closed.
SELECT iafq.export_record($1::bigint, $2::text, $3::text) AS id
