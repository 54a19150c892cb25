-- drv_portal: the export's snapshot (right after BEGIN), as exp.h asks.
SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY
