-- The next rows of the workbook's cursor (export/gswb.c).
FETCH FORWARD 2000 FROM gswb_rows;
