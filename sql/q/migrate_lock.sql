-- Serialises migration passes: held until the end of the transaction.
SELECT pg_advisory_xact_lock(hashtext('iafq.migrate'));
