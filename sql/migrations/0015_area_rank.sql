-- 0015_area_rank: the one order of area levels every export lists its rows
-- in (world, M49 regions, sub-regions, SDG regions, countries), written
-- once instead of in each sql/q/export_*.sql.  In schema iafq_public so
-- that the portal role, which may read nothing in iafq, can use it too;
-- EXECUTE on a function belongs to PUBLIC by default; the
-- loader, which exports the nightly run (`iafq run`), needs USAGE on the
-- schema to call it (it reads no view there).
CREATE FUNCTION iafq_public.area_rank(area_type text) RETURNS int
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN array_position('{world,region,subregion,sdg_region,country}'::text[],
                      area_type);

GRANT USAGE ON SCHEMA iafq_public TO iafq_loader;
