/*
 * feedback.c - the feedback workbook (feedback.h).
 *
 * The workbook is written in libxlsxwriter's constant_memory mode (each
 * sheet flushed row by row; cell comments work in that mode), so that a
 * T11 of a million rows costs no more memory than one row plus the
 * findings.  Consequences:
 *   - the copied sheets are written in the reader's row-major order; a
 *     cell that comes out of order (a row already written) cannot be
 *     written and is counted as not copied, as are cells beyond Excel's
 *     grid;
 *   - the findings are indexed once, sorted by (sheet, row, column), and
 *     each copied sheet walks its slice of that index with a cursor along
 *     the cell stream: a finding on a cell the input leaves blank is
 *     written as a blank, coloured cell with its comment when the stream
 *     passes it (or at the end of the sheet);
 *   - the "Findings" sheet is added first (so it is the first tab) but
 *     written last, when the names of the copied sheets are known for the
 *     links.
 *
 * Layout of "Findings": A1 the summary ("2 errors, 1 warning", and "N more
 * findings not listed" when the list was full), A2 a note when something
 * was not copied, row 4 the header (Code, Severity, Sheet, Cell, Row code,
 * Column code, Value, Message) with an autofilter and frozen panes, one row
 * per stored finding from row 5 in list order; Cell links to the marked
 * cell ("internal:'T1 Arms by type'!C7").
 *
 * Copied sheets keep the input's names, made valid (xlsxw_sheet_name) and
 * unique (case-insensitively, " (2)" appended); at most MAX_SHEETS are
 * copied.  Numbers are written as numbers (date cells with a date format,
 * 1904-system serials moved to the 1900 system), text, errors and formulas
 * without a cached value as text, booleans as booleans.
 */
#include "feedback.h"

#include "cells.h"
#include "str.h"
#include "xlsxw.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FINDINGS_SHEET N_("Findings")
#define MAX_SHEETS 200
#define FEEDBACK_ABOUT_ROWS 6 /* the header block (feedback_about_block) */
#define SUMMARY_ROW FEEDBACK_ABOUT_ROWS
#define HDR_ROW (FEEDBACK_ABOUT_ROWS + 3)
#define NCOLS 8
#define FILL_ERROR 0xFFC7CE
#define FILL_WARNING 0xFFE699
#define DATE1904_SHIFT 1462.0

enum { FB_NONE, FB_ERROR, FB_WARNING, FB_COUNT };

typedef struct {
    const finding *f;
    size_t idx; /* position in the list: keeps the sort stable */
} _mark;

typedef struct {
    char *in;                      /* the input's sheet name */
    char out[XLSXW_SHEETNAME_BUF]; /* its name in the feedback workbook */
} _sheet;

typedef struct {
    lxw_workbook *wb;
    _mark *marks;
    size_t nmarks;
    _sheet *sheets;
    size_t nsheets;
    /* the sheet being copied */
    lxw_worksheet *ws;
    size_t cur, end; /* its slice of marks, cur = next not yet written */
    uint32_t last_row;
    /* formats [fill][date] */
    lxw_format *fmt[FB_COUNT][2];
    lxw_format *bold, *header;
    sbuf text;
    size_t cells_skipped, sheets_skipped;
    i18n_lang lang;
    iafq_error *err;
    iafq_err rc;
} _fb;

/* --------------------------------------------------------------- indexing */

static int _cmp_mark(const void *pa, const void *pb)
{
    const _mark *a = pa, *b = pb;
    int c = strcmp(a->f->sheet, b->f->sheet);
    if (c)
        return c;
    if (a->f->row != b->f->row)
        return a->f->row < b->f->row ? -1 : 1;
    if (a->f->col != b->f->col)
        return a->f->col < b->f->col ? -1 : 1;
    return a->idx < b->idx ? -1 : a->idx > b->idx;
}

static int _has_cell(const finding *f)
{
    return f->sheet && f->row >= 1 && f->row <= LXW_ROW_MAX && f->col >= 0 &&
           f->col < LXW_COL_MAX;
}

static iafq_err _index(_fb *x, const finding_list *fl)
{
    size_t n = 0;
    for (size_t i = 0; fl && i < fl->n; i++)
        n += _has_cell(&fl->v[i]);
    if (n == 0)
        return IAFQ_OK;
    x->marks = malloc(n * sizeof *x->marks);
    if (!x->marks)
        return iafq_error_set(x->err, IAFQ_ERR_NOMEM, "out of memory");
    for (size_t i = 0; i < fl->n; i++)
        if (_has_cell(&fl->v[i]))
            x->marks[x->nmarks++] = (_mark){&fl->v[i], i};
    qsort(x->marks, x->nmarks, sizeof *x->marks, _cmp_mark);
    return IAFQ_OK;
}

/* The slice [*lo, *hi) of marks on sheet name. */
static void _slice(const _fb *x, const char *name, size_t *lo, size_t *hi)
{
    size_t a = 0, b = x->nmarks;
    while (a < b) {
        size_t m = a + (b - a) / 2;
        if (strcmp(x->marks[m].f->sheet, name) < 0)
            a = m + 1;
        else
            b = m;
    }
    *lo = a;
    b = x->nmarks;
    while (a < b) {
        size_t m = a + (b - a) / 2;
        if (strcmp(x->marks[m].f->sheet, name) <= 0)
            a = m + 1;
        else
            b = m;
    }
    *hi = a;
}

static const _sheet *_sheet_of(const _fb *x, const char *in)
{
    for (size_t i = 0; in && i < x->nsheets; i++)
        if (strcmp(x->sheets[i].in, in) == 0)
            return &x->sheets[i];
    return NULL;
}

/* ---------------------------------------------------------------- writing */

/* Record the failure rc (its message is in *x->err) and return it. */
static iafq_err _fail(_fb *x, iafq_err rc)
{
    x->rc = rc != IAFQ_OK ? rc : IAFQ_ERR_INTERNAL;
    return x->rc;
}

static iafq_err _lxw_fail(_fb *x, lxw_error e, const char *what)
{
    return _fail(x, xlsxw_err(e, what, x->err));
}

static iafq_err _make_formats(_fb *x)
{
    static const lxw_color_t fill[FB_COUNT] = {0, FILL_ERROR, FILL_WARNING};
    for (int f = 0; f < FB_COUNT; f++)
        for (int d = 0; d < 2; d++) {
            if (f == FB_NONE && d == 0)
                continue; /* the default format */
            lxw_format *fmt = workbook_add_format(x->wb);
            if (!fmt)
                return iafq_error_set(x->err, IAFQ_ERR_NOMEM, "out of memory");
            if (f != FB_NONE)
                format_set_bg_color(fmt, fill[f]);
            if (d)
                format_set_num_format(fmt, "yyyy-mm-dd");
            x->fmt[f][d] = fmt;
        }
    x->bold = workbook_add_format(x->wb);
    x->header = workbook_add_format(x->wb);
    if (!x->bold || !x->header)
        return iafq_error_set(x->err, IAFQ_ERR_NOMEM, "out of memory");
    format_set_bold(x->bold);
    format_set_bold(x->header);
    format_set_bg_color(x->header, 0xD9E1F2);
    format_set_bottom(x->header, LXW_BORDER_THIN);
    return IAFQ_OK;
}

/* Write one input cell (c may be NULL: a blank) at (row, col) 0-based. */
static lxw_error _write_value(_fb *x, lxw_row_t row, lxw_col_t col,
                              const cell *c, int fill)
{
    int date = c && c->kind == CELL_NUMBER && c->is_date;
    lxw_format *fmt = x->fmt[fill][date];

    if (!c || c->kind == CELL_BLANK)
        return fmt ? worksheet_write_blank(x->ws, row, col, fmt) : LXW_NO_ERROR;
    switch (c->kind) {
    case CELL_NUMBER:
        if (isfinite(c->num)) {
            double v = c->num;
            if (date && c->date1904)
                v += DATE1904_SHIFT;
            return worksheet_write_number(x->ws, row, col, v, fmt);
        }
        return xlsxw_write_text(x->ws, row, col, c->text, fmt);
    case CELL_BOOL:
        return worksheet_write_boolean(x->ws, row, col, c->num != 0, fmt);
    case CELL_TEXT:
    case CELL_ERROR:
    case CELL_FORMULA_NOCACHE:
    default:
        if (!c->text[0])
            return fmt ? worksheet_write_blank(x->ws, row, col, fmt)
                       : LXW_NO_ERROR;
        return xlsxw_write_text(x->ws, row, col, c->text, fmt);
    }
}

/* Write the cell at the cursor's (row, col) with every finding on it: the
 * value (c, or a blank), its fill and one comment.  Advances the cursor. */
static iafq_err _write_marked(_fb *x, const cell *c)
{
    const finding *first = x->marks[x->cur].f;
    lxw_row_t row = first->row - 1;
    lxw_col_t col = (lxw_col_t)first->col;
    int fill = FB_WARNING;
    size_t lines = 0;

    sbuf_reset(&x->text);
    while (x->cur < x->end) {
        const finding *f = x->marks[x->cur].f;
        if (f->row != first->row || f->col != first->col)
            break;
        if (f->sev == SEV_ERROR)
            fill = FB_ERROR;
        if (sbuf_addf(&x->text, "%s%s: %s", lines ? "\n" : "",
                      finding_code_str(f->code),
                      finding_message(f, x->lang)) != 0)
            return _fail(
                x, iafq_error_set(x->err, IAFQ_ERR_NOMEM, "out of memory"));
        lines++;
        x->cur++;
    }

    lxw_error e = _write_value(x, row, col, c, fill);
    if (e != LXW_NO_ERROR)
        return _lxw_fail(x, e, "write cell");

    char *note = xlsxw_text_dup(x->text.buf);
    if (!note)
        return _fail(x,
                     iafq_error_set(x->err, IAFQ_ERR_NOMEM, "out of memory"));
    lxw_comment_options opt;
    memset(&opt, 0, sizeof opt);
    opt.width = 360;
    size_t h = 24 + 16 * (lines + strlen(note) / 55);
    opt.height = (uint16_t)(h > 400 ? 400 : h);
    e = worksheet_write_comment_opt(x->ws, row, col, note, &opt);
    free(note);
    if (e != LXW_NO_ERROR)
        return _lxw_fail(x, e, "write comment");
    return IAFQ_OK;
}

/* Write the marked blanks before (row, col) (1-based row, 0-based col);
 * (UINT32_MAX, ...) flushes all of the sheet's remaining ones. */
static iafq_err _flush_before(_fb *x, uint32_t row, uint32_t col)
{
    while (x->cur < x->end) {
        const finding *f = x->marks[x->cur].f;
        if (f->row > row || (f->row == row && (uint32_t)f->col >= col))
            break;
        if (f->row < x->last_row) { /* behind the stream: cannot be written */
            x->cur++;
            continue;
        }
        if (_write_marked(x, NULL) != IAFQ_OK)
            return x->rc;
        x->last_row = f->row;
    }
    return IAFQ_OK;
}

static iafq_err _sheet_begin(_fb *x, const char *name, int *skip)
{
    char base[XLSXW_SHEETNAME_BUF];

    if (x->nsheets >= MAX_SHEETS) {
        x->sheets_skipped++;
        *skip = 1;
        return IAFQ_OK;
    }
    _sheet *s = &x->sheets[x->nsheets];
    xlsxw_sheet_name(name, 0, base);
    snprintf(s->out, sizeof s->out, "%s", base);
    for (int k = 2; workbook_validate_sheet_name(x->wb, s->out) ==
                    LXW_ERROR_SHEETNAME_ALREADY_USED;
         k++) {
        char suffix[16];
        int sl = snprintf(suffix, sizeof suffix, " (%d)", k);
        /* cut base to 31 - sl characters on a UTF-8 boundary */
        size_t keep = 0, units = 0;
        for (size_t i = 0; base[i];) {
            unsigned char ch = (unsigned char)base[i];
            size_t len = ch < 0x80 ? 1 : ch >= 0xF0 ? 4 : ch >= 0xE0 ? 3 : 2;
            size_t u = len == 4 ? 2 : 1;
            if (units + u > (size_t)(31 - sl))
                break;
            units += u;
            i += len;
            keep = i;
        }
        snprintf(s->out, sizeof s->out, "%.*s%s", (int)keep, base, suffix);
    }
    lxw_error e = workbook_validate_sheet_name(x->wb, s->out);
    if (e != LXW_NO_ERROR)
        return _lxw_fail(x, e, "sheet name");
    s->in = str_dup(name);
    if (!s->in)
        return _fail(x,
                     iafq_error_set(x->err, IAFQ_ERR_NOMEM, "out of memory"));
    x->nsheets++;
    x->ws = workbook_add_worksheet(x->wb, s->out);
    if (!x->ws)
        return _fail(x, iafq_error_set(x->err, IAFQ_ERR_XLSXW,
                                       "cannot add worksheet '%s'", s->out));
    worksheet_set_comments_author(x->ws, "iafq");
    xlsxw_print_setup(x->ws);
    e = worksheet_set_column(x->ws, 0, 0, 24, NULL);
    if (e == LXW_NO_ERROR)
        e = worksheet_set_column(x->ws, 1, 1, 40, NULL);
    if (e != LXW_NO_ERROR)
        return _lxw_fail(x, e, "set column");
    _slice(x, name, &x->cur, &x->end);
    x->last_row = 0;
    return IAFQ_OK;
}

static iafq_err _cell(_fb *x, const cell *c)
{
    if (!x->ws)
        return IAFQ_OK;
    if (c->row < 1 || c->row > LXW_ROW_MAX || c->col >= LXW_COL_MAX ||
        c->row < x->last_row) {
        x->cells_skipped += c->kind != CELL_BLANK;
        return IAFQ_OK;
    }
    if (_flush_before(x, c->row, c->col) != IAFQ_OK)
        return x->rc;
    if (x->cur < x->end && x->marks[x->cur].f->row == c->row &&
        (uint32_t)x->marks[x->cur].f->col == c->col) {
        if (_write_marked(x, c) != IAFQ_OK)
            return x->rc;
    } else {
        lxw_error e =
            _write_value(x, c->row - 1, (lxw_col_t)c->col, c, FB_NONE);
        if (e != LXW_NO_ERROR)
            return _lxw_fail(x, e, "write cell");
    }
    x->last_row = c->row;
    return IAFQ_OK;
}

static iafq_err _sheet_end(_fb *x)
{
    if (!x->ws)
        return IAFQ_OK;
    if (_flush_before(x, UINT32_MAX, 0) != IAFQ_OK)
        return x->rc;
    x->ws = NULL;
    return IAFQ_OK;
}

/* The sink's callbacks: on a failure the writers above set x->rc and
 * *x->err; the reader gets that error, unchanged. */
static iafq_err _sink_fail(_fb *x, iafq_error *err)
{
    iafq_err code = x->rc != IAFQ_OK ? x->rc : IAFQ_ERR_NOMEM;
    if (err && x->err && err != x->err)
        *err = *x->err;
    else if (!x->err)
        iafq_error_set(err, code, "cannot write the feedback workbook");
    return code;
}

static iafq_err _sink_sheet_begin(void *ud, const char *name, int *skip,
                                  iafq_error *err)
{
    return _sheet_begin(ud, name, skip) == IAFQ_OK ? IAFQ_OK
                                                   : _sink_fail(ud, err);
}

static iafq_err _sink_cell(void *ud, const cell *c, iafq_error *err)
{
    return _cell(ud, c) == IAFQ_OK ? IAFQ_OK : _sink_fail(ud, err);
}

static iafq_err _sink_sheet_end(void *ud, iafq_error *err)
{
    return _sheet_end(ud) == IAFQ_OK ? IAFQ_OK : _sink_fail(ud, err);
}

/* -------------------------------------------------------- Findings sheet */

static const char *const _headers[NCOLS] = {
    N_("Code"),     N_("Severity"),    N_("Sheet"), N_("Cell"),
    N_("Row code"), N_("Column code"), N_("Value"), N_("Message")};
static const double _widths[NCOLS] = {20, 9, 24, 8, 22, 20, 24, 100};

/* Row r of the Findings sheet: finding f, its cell linked to the copied
 * sheet while libxlsxwriter takes more links (*links counts them). */
static iafq_err _write_finding_row(_fb *x, lxw_worksheet *ws, lxw_row_t r,
                                   const finding *f, size_t *links)
{
    iafq_err rc = IAFQ_OK;
    char ref[16], url[2 * XLSXW_SHEETNAME_BUF + 32];
    char quoted[2 * XLSXW_SHEETNAME_BUF + 3];
    int fill = f->sev == SEV_ERROR ? FB_ERROR : FB_WARNING;
    XLSXW_TRY(rc,
              worksheet_write_string(ws, r, 0, finding_code_str(f->code),
                                     x->fmt[fill][0]),
              "write code", x->err);
    XLSXW_TRY(rc,
              worksheet_write_string(
                  ws, r, 1, i18n_tr(x->lang, severity_str(f->sev)), NULL),
              "write severity", x->err);
    if (f->sheet)
        XLSXW_TRY(rc, xlsxw_write_text(ws, r, 2, f->sheet, NULL), "write sheet",
                  x->err);
    if (_has_cell(f)) {
        const _sheet *s = _sheet_of(x, f->sheet);
        cells_ref(f->row, (uint32_t)f->col, ref);
        if (s && *links < LXW_MAX_NUMBER_URLS) {
            snprintf(url, sizeof url, "internal:%s!%s",
                     xlsxw_quote_sheet(s->out, quoted), ref);
            XLSXW_TRY(rc,
                      worksheet_write_url_opt(ws, r, 3, url, NULL, ref, NULL),
                      "write link", x->err);
            (*links)++;
        } else {
            XLSXW_TRY(rc, worksheet_write_string(ws, r, 3, ref, NULL),
                      "write cell", x->err);
        }
    }
    if (f->rowcode)
        XLSXW_TRY(rc, xlsxw_write_text(ws, r, 4, f->rowcode, NULL), "write row",
                  x->err);
    if (f->colcode)
        XLSXW_TRY(rc, xlsxw_write_text(ws, r, 5, f->colcode, NULL),
                  "write column", x->err);
    if (f->value)
        XLSXW_TRY(rc, xlsxw_write_text(ws, r, 6, f->value, NULL), "write value",
                  x->err);
    if (f->message)
        XLSXW_TRY(rc,
                  xlsxw_write_text(ws, r, 7, finding_message(f, x->lang), NULL),
                  "write message", x->err);
cleanup:
    return rc;
}

static iafq_err _write_findings(_fb *x, lxw_worksheet *ws,
                                const finding_list *fl, int readable)
{
    iafq_err rc = IAFQ_OK;
    size_t n = fl ? fl->n : 0;
    size_t nerr = fl ? fl->nerr : 0, nwarn = fl ? fl->nwarn : 0;
    size_t links = 0;

    for (lxw_col_t c = 0; c < NCOLS; c++)
        XLSXW_TRY(rc, worksheet_set_column(ws, c, c, _widths[c], NULL),
                  "set column", x->err);

    i18n_lang lg = x->lang;
    sbuf_reset(&x->text);
    int m = sbuf_addf(
        &x->text,
        i18n_trn(lg, "%zu error", "%zu errors", (unsigned long long)nerr),
        nerr);
    m |= sbuf_addf(&x->text, ", ");
    m |= sbuf_addf(
        &x->text,
        i18n_trn(lg, "%zu warning", "%zu warnings", (unsigned long long)nwarn),
        nwarn);
    if (fl && fl->dropped) {
        m |= sbuf_addf(&x->text, "; ");
        m |= sbuf_addf(&x->text,
                       i18n_trn(lg, "%zu more finding not listed",
                                "%zu more findings not listed",
                                (unsigned long long)fl->dropped),
                       fl->dropped);
    }
    if (m) {
        rc = iafq_error_set(x->err, IAFQ_ERR_NOMEM, "out of memory");
        goto cleanup;
    }
    XLSXW_TRY(rc,
              worksheet_write_string(ws, SUMMARY_ROW, 0, x->text.buf, x->bold),
              "write summary", x->err);

    sbuf_reset(&x->text);
    m = 0;
    if (!readable)
        m |= sbuf_addf(&x->text, "%s ",
                       i18n_tr(lg, "The file could not be read, so only the "
                                   "findings are listed."));
    if (x->sheets_skipped) {
        m |= sbuf_addf(&x->text,
                       i18n_trn(lg,
                                "%zu sheet not copied (more than %d sheets).",
                                "%zu sheets not copied (more than %d sheets).",
                                (unsigned long long)x->sheets_skipped),
                       x->sheets_skipped, MAX_SHEETS);
        m |= sbuf_addf(&x->text, " ");
    }
    if (x->cells_skipped) {
        m |= sbuf_addf(&x->text,
                       i18n_trn(lg,
                                "%zu cell could not be copied (out of order "
                                "or beyond Excel's grid).",
                                "%zu cells could not be copied (out of order "
                                "or beyond Excel's grid).",
                                (unsigned long long)x->cells_skipped),
                       x->cells_skipped);
        m |= sbuf_addf(&x->text, " ");
    }
    if (m) {
        rc = iafq_error_set(x->err, IAFQ_ERR_NOMEM, "out of memory");
        goto cleanup;
    }
    if (x->text.len)
        XLSXW_TRY(
            rc,
            worksheet_write_string(ws, SUMMARY_ROW + 1, 0, x->text.buf, NULL),
            "write note", x->err);

    for (lxw_col_t c = 0; c < NCOLS; c++)
        XLSXW_TRY(rc,
                  worksheet_write_string(ws, HDR_ROW, c,
                                         i18n_tr(lg, _headers[c]), x->header),
                  "write header", x->err);

    for (size_t i = 0; i < n; i++) {
        lxw_row_t r = (lxw_row_t)(HDR_ROW + 1 + i);
        if (r >= LXW_ROW_MAX)
            break;
        if ((rc = _write_finding_row(x, ws, r, &fl->v[i], &links)) != IAFQ_OK)
            goto cleanup;
    }
    lxw_row_t last = (lxw_row_t)(HDR_ROW + (n < LXW_ROW_MAX ? n : 0));
    if (last >= LXW_ROW_MAX)
        last = LXW_ROW_MAX - 1;
    XLSXW_TRY(rc, worksheet_autofilter(ws, HDR_ROW, 0, last, NCOLS - 1),
              "autofilter", x->err);
    worksheet_freeze_panes(ws, HDR_ROW + 1, 0);
cleanup:
    return rc;
}

/* The header block of the Findings sheet (rows 1-5): the file, country,
 * year, verdict and what the focal point does next.  Every text is a plain
 * English literal in this one place (for translation). */
static iafq_err feedback_about_block(_fb *x, lxw_worksheet *ws,
                                     const feedback_about *a)
{
    static const char *const verdicts[] = {
        N_("Accepted"), N_("Accepted with warnings"), N_("Rejected")};
    static const char *const next[] = {
        N_("No action needed."),
        N_("No action needed; you may explain the warnings to UNODC."),
        N_("Correct the errors marked in red and send the workbook again.")};
    i18n_lang lg = x->lang;
    const char *unknown = i18n_tr(lg, N_("Unknown"));
    const char *base = a->file ? strrchr(a->file, '/') : NULL;
    const char *rows[5][2] = {
        {i18n_tr(lg, N_("File")), base ? base + 1 : a->file},
        {i18n_tr(lg, N_("Country")),
         a->country && *a->country ? a->country : unknown},
        {i18n_tr(lg, N_("Year")), a->year && *a->year ? a->year : unknown},
        {i18n_tr(lg, N_("Verdict")), i18n_tr(lg, verdicts[a->verdict])},
        {i18n_tr(lg, N_("What to do next")), i18n_tr(lg, next[a->verdict])}};
    iafq_err rc = IAFQ_OK;
    for (lxw_row_t r = 0; r < 5; r++) {
        XLSXW_TRY(rc, worksheet_write_string(ws, r, 0, rows[r][0], x->bold),
                  "write header block", x->err);
        if (rows[r][1])
            XLSXW_TRY(
                rc,
                xlsxw_write_text(ws, r, 1, rows[r][1], r == 3 ? x->bold : NULL),
                "write header block", x->err);
    }
cleanup:
    return rc;
}

/* ------------------------------------------------------------------ entry */

iafq_err feedback_write(const char *out_path, const char *in_path,
                        source_kind kind, int readable, const iafq_limits *lim,
                        const finding_list *findings, iafq_error *err)
{
    return feedback_write_about(out_path, in_path, kind, readable, lim,
                                findings, NULL, I18N_EN, err);
}

iafq_err feedback_write_lang(const char *out_path, const char *in_path,
                             source_kind kind, int readable,
                             const iafq_limits *lim,
                             const finding_list *findings, i18n_lang lang,
                             iafq_error *err)
{
    return feedback_write_about(out_path, in_path, kind, readable, lim,
                                findings, NULL, lang, err);
}

iafq_err feedback_write_about(const char *out_path, const char *in_path,
                              source_kind kind, int readable,
                              const iafq_limits *lim,
                              const finding_list *findings,
                              const feedback_about *about, i18n_lang lang,
                              iafq_error *err)
{
    feedback_about derived = {in_path, "", "",
                              findings && findings->nerr ? FEEDBACK_REJECTED
                              : findings && findings->nwarn
                                  ? FEEDBACK_ACCEPTED_WARNINGS
                                  : FEEDBACK_ACCEPTED};
    if (!about)
        about = &derived;
    iafq_err rc = IAFQ_OK;
    _fb x;
    lxw_workbook_options opt;

    memset(&x, 0, sizeof x);
    x.err = err;
    x.lang = lang;
    const char *fsname = i18n_tr(lang, FINDINGS_SHEET);
    memset(&opt, 0, sizeof opt);
    opt.constant_memory = LXW_TRUE;

    x.sheets = calloc(MAX_SHEETS, sizeof *x.sheets);
    if (!x.sheets) {
        rc = iafq_error_set(err, IAFQ_ERR_NOMEM, "out of memory");
        goto cleanup;
    }
    rc = _index(&x, findings);
    if (rc != IAFQ_OK)
        goto cleanup;
    x.wb = xlsxw_new(out_path, &opt, err);
    if (!x.wb) {
        rc = err ? err->code : IAFQ_ERR_IO;
        goto cleanup;
    }
    rc = _make_formats(&x);
    if (rc != IAFQ_OK)
        goto cleanup;
    lxw_worksheet *fs = workbook_add_worksheet(x.wb, fsname);
    if (!fs) {
        rc = iafq_error_set(err, IAFQ_ERR_XLSXW, "cannot add worksheet '%s'",
                            fsname);
        goto cleanup;
    }
    xlsxw_print_setup(fs);

    if (readable) {
        cell_sink sink = {_sink_sheet_begin, _sink_cell, NULL, _sink_sheet_end,
                          &x};
        rc = source_cells(in_path, kind, lim, &sink, err);
        if (rc != IAFQ_OK)
            goto cleanup;
    }
    rc = feedback_about_block(&x, fs, about);
    if (rc == IAFQ_OK)
        rc = _write_findings(&x, fs, findings, readable);
    if (rc != IAFQ_OK)
        goto cleanup;

    rc = xlsxw_close(x.wb, out_path, err);
    x.wb = NULL; /* consumed, on success and failure */
cleanup:
    xlsxw_discard(x.wb);
    for (size_t i = 0; x.sheets && i < x.nsheets; i++)
        free(x.sheets[i].in);
    free(x.sheets);
    free(x.marks);
    sbuf_release(&x.text);
    return rc;
}
