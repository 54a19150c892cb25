-- The next batch of the cursor q/portal.sql (or q/portal_public.sql) opened.
FETCH FORWARD 2000 FROM iafq_portal_rows
