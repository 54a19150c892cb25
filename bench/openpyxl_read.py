"""Read a workbook the way an analyst would with openpyxl: read-only mode,
every row of every sheet, counting the non-empty cells.

    /usr/bin/python3 openpyxl_read.py FILE.xlsx

Prints the number of non-empty cells.  values_only=True is openpyxl's fastest
way to walk a sheet (no Cell objects), so this is the alternative at its best.
"""
import sys

import openpyxl


def main():
    wb = openpyxl.load_workbook(sys.argv[1], read_only=True, data_only=True)
    n = 0
    for ws in wb.worksheets:
        for row in ws.iter_rows(values_only=True):
            for v in row:
                if v is not None:
                    n += 1
    wb.close()
    print(n)


if __name__ == "__main__":
    main()
