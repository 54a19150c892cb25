-- The next rows of the workbook's cursor (export/gswb.c).
FETCH FORWARD 5000 FROM gswb_rows;
