-- Close the workbook's cursor (export/gswb.c).
CLOSE gswb_rows;
