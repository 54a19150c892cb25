-- Whether $1 is an M49 area code.
SELECT code FROM iafq.m49 WHERE code = $1::text LIMIT 1
