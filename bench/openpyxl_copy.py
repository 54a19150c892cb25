"""Load the T11 seizures of a workbook into iafq.seizure the way an analyst
would script it: openpyxl (read-only, values only) reads the T11 sheet,
the rows are written as COPY text into a StringIO, and psycopg2's
copy_expert sends them in one transaction.  No validation at all.

    /usr/bin/python3 openpyxl_copy.py FILE.xlsx CONNINFO SUBMISSION_ID

Prints the number of rows loaded.  The T11 layout is the template's: the
header row names the columns (A = seizure id, then DATE, PLACE_TYPE, ...),
data rows follow it.
"""
import datetime
import io
import sys

import openpyxl
import psycopg2

# T11 header -> iafq.seizure column
COLUMNS = {
    "DATE": "date", "PLACE_TYPE": "place_type", "PLACE": "place",
    "ARM_TYPE": "arm_type", "QUANTITY": "quantity", "MAKE": "make",
    "MODEL": "model", "CALIBRE": "calibre", "MARKING": "marking",
    "MANUFACTURE_COUNTRY": "manufacture_country",
    "DEPARTURE_COUNTRY": "departure_country",
    "DESTINATION_COUNTRY": "destination_country", "TRACING": "tracing",
    "NOTES": "notes",
}
ESCAPE = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def field(v):
    if v is None or v == "":
        return "\\N"
    if isinstance(v, datetime.datetime):
        return v.date().isoformat()
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v).translate(ESCAPE)


def main():
    path, conninfo, sub_id = sys.argv[1], sys.argv[2], sys.argv[3]
    wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    ws = next(s for s in wb.worksheets if s.title.startswith("T11"))
    buf = io.StringIO()
    header = None
    n = 0
    for r, row in enumerate(ws.iter_rows(values_only=True), start=1):
        if header is None:
            if row and row[0] == "CODE":
                header = [(i, COLUMNS[h]) for i, h in enumerate(row)
                          if h in COLUMNS]
            continue
        if not row or row[0] is None:
            continue
        buf.write("\t".join([sub_id, field(row[0]), str(r)] +
                            [field(row[i]) for i, _ in header]) + "\n")
        n += 1
    wb.close()
    buf.seek(0)
    cols = ", ".join(["submission_id", "seizure_id", "sheet_row"] +
                     [c for _, c in header])
    conn = psycopg2.connect(conninfo)
    with conn, conn.cursor() as cur:
        cur.copy_expert("COPY iafq.seizure (%s) FROM STDIN" % cols, buf)
    conn.close()
    print(n)


if __name__ == "__main__":
    main()
