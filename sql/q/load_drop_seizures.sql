-- The return ended rejected: none of its seizures stay (no DELETE: the
-- loader's role has none).
ROLLBACK TO SAVEPOINT seizures
