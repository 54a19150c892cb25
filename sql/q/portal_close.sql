-- Close the cursor of q/portal.sql (or q/portal_public.sql).
CLOSE iafq_portal_rows
