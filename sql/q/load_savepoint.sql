-- Before the T11 COPY of a return: a return that ends rejected rolls its
-- seizures back to here (load_drop_seizures.sql).
SAVEPOINT seizures
