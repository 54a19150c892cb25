-- test_cluster: the error PostgreSQL raises when a data file cannot grow.
DO $$
BEGIN
    RAISE EXCEPTION 'could not extend file "base/1/2": No space left on device'
        USING ERRCODE = 'disk_full', HINT = 'Check free disk space.';
END
$$;
