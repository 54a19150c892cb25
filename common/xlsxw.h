/*
 * xlsxw.h - small shared helpers over libxlsxwriter (1.1.4) for every
 * workbook iafq writes (template, feedback, exports).
 *
 * Contract: libxlsxwriter errors stop at this edge.  A caller converts each
 * lxw_error it gets with xlsxw_err(), which keeps lxw_strerror()'s text and
 * returns IAFQ_ERR_XLSXW, and closes its workbook with xlsxw_close(), which
 * treats a failed workbook_close() (the moment the file is really written)
 * as an error.
 *
 * Ownership: xlsxw_close() and xlsxw_discard() consume the workbook (it is
 * freed on success and on failure, NULL is accepted); every other argument
 * is borrowed.
 */
#ifndef IAFQ_XLSXW_H
#define IAFQ_XLSXW_H

#include "err.h"

#include <stdint.h>
#include <xlsxwriter.h>

/* Bytes a sheet-name buffer needs: 31 characters of UTF-8 and the NUL. */
#define XLSXW_SHEETNAME_BUF (31 * 4 + 1)
/* Excel's longest cell text, in characters. */
#define XLSXW_TEXT_MAX 32767

/* IAFQ_OK when e is LXW_NO_ERROR; otherwise fill *err (may be NULL) with
 * IAFQ_ERR_XLSXW and "WHAT: <lxw_strerror text>" and return IAFQ_ERR_XLSXW.
 * what may be NULL. */
iafq_err xlsxw_err(lxw_error e, const char *what, iafq_error *err);

/* The one "on a libxlsxwriter error, go to cleanup" step of every writer:
 * converts EXPR's lxw_error with xlsxw_err() into RC, and jumps to the
 * function's `cleanup:` label unless it is IAFQ_OK. */
#define XLSXW_TRY(rc, expr, what, err)                                         \
    do {                                                                       \
        (rc) = xlsxw_err((expr), (what), (err));                               \
        if ((rc) != IAFQ_OK)                                                   \
            goto cleanup;                                                      \
    } while (0)

/* Close wb, writing the file to path (path is used in the message only; it
 * may be NULL).  A failed close is IAFQ_ERR_XLSXW "cannot write 'PATH':
 * ...".  wb NULL: IAFQ_ERR_XLSXW (the workbook could not be created). */
iafq_err xlsxw_close(lxw_workbook *wb, const char *path, iafq_error *err);

/* A new workbook for path (opt may be NULL).  The path is checked first, so
 * that an unwritable output is a clear IAFQ_ERR_IO before any work (and
 * libxlsxwriter does not print its own error later).  NULL on failure. */
lxw_workbook *xlsxw_new(const char *path, lxw_workbook_options *opt,
                        iafq_error *err);

/* Print set-up for a sheet a person may print: A4 landscape, one page
 * wide.  ws may be NULL. */
void xlsxw_print_setup(lxw_worksheet *ws);

/* Free wb without writing anything (the error path).  NULL-safe. */
void xlsxw_discard(lxw_workbook *wb);

/* A valid Excel sheet name made from name into out (XLSXW_SHEETNAME_BUF
 * bytes): characters Excel forbids (: \ / ? * [ ]), control characters
 * (C0, DEL, C1), characters XML cannot hold (U+FFFE, U+FFFF) and invalid
 * UTF-8 become '_', leading/trailing apostrophes and
 * spaces are dropped, and the result is cut to 31 characters (at the last
 * space, and before a parenthesis the cut leaves open, when word_cut and
 * that keeps at least 8 characters; characters
 * outside the BMP count twice, as Excel counts them).  An empty result
 * becomes "Sheet".  Returns out. */
char *xlsxw_sheet_name(const char *name, int word_cut, char *out);

/* Write text as a string cell, whatever it holds: as xlsxw_text_dup()
 * makes it, so that the part stays well-formed.  Returns the lxw_error of the
 * write (or LXW_ERROR_MEMORY_MALLOC_FAILED). */
lxw_error xlsxw_write_text(lxw_worksheet *ws, lxw_row_t row, lxw_col_t col,
                           const char *text, lxw_format *fmt);

/* A copy of text (NULL: "") that any OOXML part can hold: valid UTF-8
 * (invalid bytes replaced by U+FFFD), the characters XML forbids (C0
 * controls but tab and LF, CR, U+FFFE, U+FFFF) written as Excel's _xHHHH_
 * escape (read back as the character by Excel, openpyxl and iafq), a
 * literal "_xHHHH_" protected as "_x005F_xHHHH_", and at most
 * XLSXW_TEXT_MAX characters long; for cell text and comments.  The caller
 * frees it; NULL when out of memory. */
char *xlsxw_text_dup(const char *text);

/* Quote a sheet name for a formula or an internal link: 'It''s'.  out
 * needs 2 * XLSXW_SHEETNAME_BUF + 3 bytes.  Returns out. */
char *xlsxw_quote_sheet(const char *name, char *out);

#endif
