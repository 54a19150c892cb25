COPY iafq.value (submission_id, tbl, row_code, col_code, n, derived, source, origin)
FROM STDIN
