SELECT pg_advisory_unlock(hashtext('iafq.run'))
