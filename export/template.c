/*
 * template.c - the blank return (template.h), written entirely from the
 * schema tables of common/schema.h and the country list of common/m49.h.
 *
 * Layout of a table sheet (rows 1-based as Excel shows them):
 *   B1 "T1 — <title>"   B2 <help>   B3 the blank rule (+ required cells)
 *   row 4: the column labels above the value columns (column A empty)
 *   row 5: the header: A "CODE", B "LABEL" (not on free-row tables), then
 *          the value-column codes
 *   row 6...: one row per row code (A code, B label, value cells blank,
 *          shaded and unlocked); a free-row table (T11) has TPL_T11_ROWS
 *          shaded rows instead and its checks cover the whole column.
 * Fixed-row sheets are protected without a password (only the shaded
 * cells can be edited); the free-row sheet is not, so that rows can be
 * pasted.  Coded cells get a drop-down list of their codes (in-cell when
 * the codes fit Excel's 255 characters, else read from the hidden "Lists"
 * sheet: a column per code list, then the countries); country cells a
 * check against the Lists column of countries (COUNTIF, no drop-down: a
 * range-read list leaks memory in libxlsxwriter 1.1.4); counts a whole
 * number >= 0 check; dates a date check; years 2000..current year; text at
 * most SCHEMA_TEXT_MAX characters.  After the tables: "Instructions", then
 * the hidden "Lists".
 */
#include "template.h"

#include "cells.h"
#include "m49.h"
#include "schema.h"
#include "str.h"
#include "xlsxw.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define TPL_TITLE_ROW 0
#define TPL_HELP_ROW 1
#define TPL_NOTE_ROW 2
#define TPL_LABEL_ROW 3
#define TPL_HEADER_ROW 4
#define TPL_FIRST_ROW 5
#define TPL_T11_ROWS 1000
#define TPL_YEAR_MIN 2000
#define TPL_LISTS_SHEET "Lists"
#define TPL_INSTR_SHEET "Instructions"
#define TPL_COUNTRY_LIST CL__COUNT /* Lists column after the code lists */

typedef struct {
    lxw_format *title, *help, *note, *collabel, *header, *code, *label;
    lxw_format *in_count, *in_text, *in_date, *col_count, *col_date;
    lxw_format *wrap, *bold;
} _formats;

typedef struct {
    lxw_workbook *wb;
    _formats f;
    int year;               /* current year, the upper bound of YEAR */
    size_t ncountries;      /* rows of the country column in Lists */
    const char **countries; /* sorted ISO alpha-3 codes */
} _tpl;

/* ---------------------------------------------------------------- helpers */

static int _cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static iafq_err _load_countries(_tpl *t, iafq_error *err)
{
    size_t n = m49_count();
    t->ncountries = 0;
    if (n == 0)
        return IAFQ_OK;
    t->countries = calloc(n, sizeof *t->countries);
    if (!t->countries)
        return iafq_error_set(err, IAFQ_ERR_NOMEM, "out of memory");
    for (size_t i = 0; i < n; i++) {
        const m49_entry *e = m49_at(i);
        if (e && e->iso3 && e->iso3[0])
            t->countries[t->ncountries++] = e->iso3;
    }
    qsort(t->countries, t->ncountries, sizeof *t->countries, _cmp_str);
    return IAFQ_OK;
}

static lxw_format *_fmt(lxw_workbook *wb)
{
    return workbook_add_format(wb);
}

static iafq_err _make_formats(_tpl *t, iafq_error *err)
{
    _formats *f = &t->f;
    lxw_workbook *wb = t->wb;
    f->title = _fmt(wb);
    f->help = _fmt(wb);
    f->note = _fmt(wb);
    f->collabel = _fmt(wb);
    f->header = _fmt(wb);
    f->code = _fmt(wb);
    f->label = _fmt(wb);
    f->in_count = _fmt(wb);
    f->in_text = _fmt(wb);
    f->in_date = _fmt(wb);
    f->col_count = _fmt(wb);
    f->col_date = _fmt(wb);
    f->wrap = _fmt(wb);
    f->bold = _fmt(wb);
    if (!f->title || !f->help || !f->note || !f->collabel || !f->header ||
        !f->code || !f->label || !f->in_count || !f->in_text || !f->in_date ||
        !f->col_count || !f->col_date || !f->wrap || !f->bold)
        return iafq_error_set(err, IAFQ_ERR_NOMEM, "out of memory");

    format_set_bold(f->title);
    format_set_font_size(f->title, 14);
    format_set_italic(f->help);
    format_set_font_color(f->note, 0x9C0006);
    format_set_text_wrap(f->collabel);
    format_set_align(f->collabel, LXW_ALIGN_VERTICAL_BOTTOM);
    format_set_font_color(f->collabel, 0x595959);
    format_set_bold(f->header);
    format_set_bg_color(f->header, 0xD9E1F2);
    format_set_bottom(f->header, LXW_BORDER_THIN);
    format_set_font_name(f->code, "Consolas");
    format_set_font_color(f->code, 0x404040);

    lxw_format *in[3] = {f->in_count, f->in_text, f->in_date};
    for (int i = 0; i < 3; i++) {
        format_set_unlocked(in[i]);
        format_set_bg_color(in[i], 0xFFF2CC);
        format_set_border(in[i], LXW_BORDER_THIN);
        format_set_border_color(in[i], 0xBFBFBF);
    }
    format_set_num_format(f->in_count, "#,##0");
    format_set_num_format(f->in_date, "yyyy-mm-dd");
    format_set_unlocked(f->col_count);
    format_set_num_format(f->col_count, "#,##0");
    format_set_unlocked(f->col_date);
    format_set_num_format(f->col_date, "yyyy-mm-dd");
    format_set_text_wrap(f->wrap);
    format_set_align(f->wrap, LXW_ALIGN_VERTICAL_TOP);
    format_set_bold(f->bold);
    return IAFQ_OK;
}

/* "Lists!$C$2:$C$9": the range of a code list, or of the countries */
static void _list_range(const _tpl *t, int list, char *buf, size_t size)
{
    char col[8];
    size_t n = list == TPL_COUNTRY_LIST ? t->ncountries
                                        : (size_t)schema_codelists[list].n;
    cells_col_name((uint32_t)(list - 1), col);
    snprintf(buf, size, "%s!$%s$2:$%s$%zu", TPL_LISTS_SHEET, col, col, n + 1);
}

/* The codes of cl as a NULL-terminated array for an in-cell list (*out,
 * the caller frees it) when they fit Excel's 255 characters: 1; 0 when
 * they do not fit (*out NULL); -1 when out of memory. */
static int _inline_list(codelist_id cl, const char ***out)
{
    const schema_codelist *l = &schema_codelists[cl];
    size_t len = 0;
    *out = NULL;
    if (l->n <= 0 || l->n > 255)
        return 0;
    for (int i = 0; i < l->n; i++) {
        if (strchr(l->codes[i], ',') || strchr(l->codes[i], '"'))
            return 0;
        len += strlen(l->codes[i]) + (i ? 1 : 0);
    }
    if (len > 255)
        return 0;
    const char **v = calloc((size_t)l->n + 1, sizeof *v);
    if (!v)
        return -1;
    for (int i = 0; i < l->n; i++)
        v[i] = l->codes[i];
    *out = v;
    return 1;
}

static lxw_format *_input_format(const _tpl *t, value_type vt)
{
    switch (vt) {
    case VT_COUNT:
    case VT_YEAR:
        return t->f.in_count;
    case VT_DATE:
        return t->f.in_date;
    default:
        return t->f.in_text;
    }
}

/* Data validation of type vt / code list cl on a range.  Over 100 lines
 * on purpose: one case per value type, each a few settings of the same
 * lxw_data_validation and its input/error messages, read side by side. */
static iafq_err _validate(const _tpl *t, lxw_worksheet *ws, lxw_row_t r1,
                          lxw_col_t c1, lxw_row_t r2, lxw_col_t c2,
                          value_type vt, codelist_id cl, iafq_error *err)
{
    lxw_data_validation dv;
    char range[48], ref[16], formula[96], msg[256];
    const char **list = NULL;
    lxw_datetime dmin = {TPL_YEAR_MIN, 1, 1, 0, 0, 0};
    lxw_datetime dmax = {9999, 12, 31, 0, 0, 0};

    memset(&dv, 0, sizeof dv);
    dv.ignore_blank = LXW_VALIDATION_ON;
    dv.error_type = LXW_VALIDATION_ERROR_TYPE_STOP;
    switch (vt) {
    case VT_COUNT:
        dv.validate = LXW_VALIDATION_TYPE_INTEGER;
        dv.criteria = LXW_VALIDATION_CRITERIA_GREATER_THAN_OR_EQUAL_TO;
        dv.value_number = 0;
        dv.error_title = "Whole number";
        snprintf(msg, sizeof msg,
                 "Enter a whole number of 0 or more, without decimals or "
                 "text. Leave the cell blank when the figure is not "
                 "available: a blank is never read as zero.");
        break;
    case VT_YEAR:
        dv.validate = LXW_VALIDATION_TYPE_INTEGER;
        dv.criteria = LXW_VALIDATION_CRITERIA_BETWEEN;
        dv.minimum_number = TPL_YEAR_MIN;
        dv.maximum_number = t->year;
        dv.error_title = "Reporting year";
        snprintf(msg, sizeof msg,
                 "Enter the reporting year, a whole number from %d to %d.",
                 TPL_YEAR_MIN, t->year);
        break;
    case VT_DATE:
        dv.validate = LXW_VALIDATION_TYPE_DATE;
        dv.criteria = LXW_VALIDATION_CRITERIA_BETWEEN;
        dv.minimum_datetime = dmin;
        dv.maximum_datetime = dmax;
        dv.error_title = "Date";
        snprintf(msg, sizeof msg,
                 "Enter a date as YYYY-MM-DD (for example %d-05-31), or leave "
                 "the cell blank when it is not known.",
                 t->year);
        break;
    case VT_COUNTRY:
        /* COUNTIF over the Lists column, not a drop-down: a list read from
         * a range (LXW_VALIDATION_TYPE_LIST_FORMULA) leaks in
         * worksheet_data_validation_range() of libxlsxwriter 1.1.4 */
        if (t->ncountries == 0)
            return IAFQ_OK;
        dv.validate = LXW_VALIDATION_TYPE_CUSTOM_FORMULA;
        _list_range(t, TPL_COUNTRY_LIST, range, sizeof range);
        cells_ref(r1 + 1, c1, ref);
        snprintf(formula, sizeof formula, "=COUNTIF(%s,%s)>0", range, ref);
        dv.value_formula = formula;
        dv.error_title = "Country code";
        snprintf(msg, sizeof msg,
                 "Type the country's three-letter ISO 3166 alpha-3 code (for "
                 "example the code of your own country), or leave the cell "
                 "blank.");
        break;
    case VT_CODE:
        if (cl <= CL_NONE || cl >= CL__COUNT || schema_codelists[cl].n == 0)
            return IAFQ_OK;
        switch (_inline_list(cl, &list)) {
        case 1: /* a drop-down of the codes themselves */
            dv.validate = LXW_VALIDATION_TYPE_LIST;
            dv.value_list = (char **)list;
            break;
        case 0: /* too long: a drop-down of the Lists column */
            dv.validate = LXW_VALIDATION_TYPE_LIST_FORMULA;
            _list_range(t, (int)cl, range, sizeof range);
            snprintf(formula, sizeof formula, "=%s", range);
            dv.value_formula = formula;
            break;
        default:
            return iafq_error_set(err, IAFQ_ERR_NOMEM, "out of memory");
        }
        dv.error_title = "Code";
        snprintf(msg, sizeof msg,
                 "Pick a code from the list (the codes are explained on the "
                 "%s sheet), or leave the cell blank.",
                 TPL_INSTR_SHEET);
        break;
    case VT_TEXT:
    default:
        dv.validate = LXW_VALIDATION_TYPE_LENGTH;
        dv.criteria = LXW_VALIDATION_CRITERIA_LESS_THAN_OR_EQUAL_TO;
        dv.value_number = SCHEMA_TEXT_MAX;
        dv.error_title = "Text too long";
        snprintf(msg, sizeof msg, "Text may be at most %d characters long.",
                 SCHEMA_TEXT_MAX);
        break;
    }
    dv.error_message = msg;
    lxw_error e =
        (r1 == r2 && c1 == c2)
            ? worksheet_data_validation_cell(ws, r1, c1, &dv)
            : worksheet_data_validation_range(ws, r1, c1, r2, c2, &dv);
    free(list);
    return xlsxw_err(e, "data validation", err);
}

/* Sheet name of a table: "COVER", "T1 Arms seized, found and" ... */
static char *_table_sheet_name(const schema_table *tb, char *out)
{
    char buf[512];
    if (tb->id == TBL_COVER)
        snprintf(buf, sizeof buf, "%s", tb->code);
    else
        snprintf(buf, sizeof buf, "%s %s", tb->code, tb->title);
    for (char *p = buf; *p; p++) /* "arrested/suspected": two words */
        if (strchr(":\\/?*[]", *p))
            *p = ' ';
    return xlsxw_sheet_name(buf, 1, out);
}

/* "Leave a cell blank ... Required: A, B." */
static iafq_err _note_text(const schema_table *tb, sbuf *b, iafq_error *err)
{
    int nreq = 0, rc = 0;
    sbuf_reset(b);
    rc |= sbuf_addf(b, "Leave a cell blank when the figure is not available; "
                       "blank is never zero.");
    for (int i = 0; i < tb->nrows; i++)
        if (tb->rows[i].required)
            rc |= sbuf_addf(b, "%s%s",
                            nreq++ ? ", " : " Required: ", tb->rows[i].code);
    for (int i = 0; i < tb->ncols; i++)
        if (tb->cols[i].required_value)
            rc |= sbuf_addf(b, "%s%s",
                            nreq++ ? ", " : " Required: ", tb->cols[i].code);
    if (nreq)
        rc |= sbuf_addc(b, '.');
    if (rc)
        return iafq_error_set(err, IAFQ_ERR_NOMEM, "out of memory");
    return IAFQ_OK;
}

/* ----------------------------------------------------------- table sheets */

static iafq_err _write_fixed_rows(_tpl *t, lxw_worksheet *ws,
                                  const schema_table *tb, iafq_error *err)
{
    iafq_err rc = IAFQ_OK;
    const lxw_col_t c0 = 2; /* first value column */

    for (int r = 0; r < tb->nrows; r++) {
        const schema_row *row = &tb->rows[r];
        lxw_row_t xr = (lxw_row_t)(TPL_FIRST_ROW + r);
        XLSXW_TRY(rc, worksheet_write_string(ws, xr, 0, row->code, t->f.code),
                  "write row code", err);
        XLSXW_TRY(rc, worksheet_write_string(ws, xr, 1, row->label, t->f.label),
                  "write row label", err);
        for (int c = 0; c < tb->ncols; c++) {
            lxw_format *fmt = _input_format(t, row->type);
            lxw_col_t xc = (lxw_col_t)(c0 + c);
            codelist_id cl =
                row->codelist != CL_NONE ? row->codelist : tb->cols[c].codelist;
            if (row->type == VT_CODE && cl > CL_NONE && cl < CL__COUNT &&
                schema_codelists[cl].n == 1)
                XLSXW_TRY(rc,
                          worksheet_write_string(
                              ws, xr, xc, schema_codelists[cl].codes[0], fmt),
                          "write pre-filled value", err);
            else
                XLSXW_TRY(rc, worksheet_write_blank(ws, xr, xc, fmt),
                          "write value cell", err);
        }
    }
    /* one validation per run of rows of the same type in each column */
    for (int c = 0; c < tb->ncols; c++) {
        int start = 0;
        for (int r = 1; r <= tb->nrows; r++) {
            const schema_row *a = &tb->rows[start];
            if (r < tb->nrows && tb->rows[r].type == a->type &&
                tb->rows[r].codelist == a->codelist)
                continue;
            codelist_id cl =
                a->codelist != CL_NONE ? a->codelist : tb->cols[c].codelist;
            rc = _validate(t, ws, (lxw_row_t)(TPL_FIRST_ROW + start),
                           (lxw_col_t)(c0 + c),
                           (lxw_row_t)(TPL_FIRST_ROW + r - 1),
                           (lxw_col_t)(c0 + c), a->type, cl, err);
            if (rc != IAFQ_OK)
                goto cleanup;
            start = r;
        }
    }
cleanup:
    return rc;
}

static iafq_err _write_free_rows(_tpl *t, lxw_worksheet *ws,
                                 const schema_table *tb, iafq_error *err)
{
    iafq_err rc = IAFQ_OK;
    const lxw_col_t c0 = 1; /* first value column: no LABEL column */

    for (int r = 0; r < TPL_T11_ROWS; r++) {
        lxw_row_t xr = (lxw_row_t)(TPL_FIRST_ROW + r);
        XLSXW_TRY(rc, worksheet_write_blank(ws, xr, 0, t->f.in_text),
                  "write id cell", err);
        for (int c = 0; c < tb->ncols; c++)
            XLSXW_TRY(rc,
                      worksheet_write_blank(ws, xr, (lxw_col_t)(c0 + c),
                                            _input_format(t, tb->cols[c].type)),
                      "write value cell", err);
    }
    for (int c = 0; c < tb->ncols; c++) {
        rc = _validate(t, ws, TPL_FIRST_ROW, (lxw_col_t)(c0 + c),
                       LXW_ROW_MAX - 1, (lxw_col_t)(c0 + c), tb->cols[c].type,
                       tb->cols[c].codelist, err);
        if (rc != IAFQ_OK)
            goto cleanup;
    }
cleanup:
    return rc;
}

static iafq_err _write_table(_tpl *t, const schema_table *tb, sbuf *b,
                             iafq_error *err)
{
    iafq_err rc = IAFQ_OK;
    char name[XLSXW_SHEETNAME_BUF];
    const int free_rows = tb->free_rows;
    const lxw_col_t c0 = free_rows ? 1 : 2;

    lxw_worksheet *ws =
        workbook_add_worksheet(t->wb, _table_sheet_name(tb, name));
    if (!ws)
        return iafq_error_set(err, IAFQ_ERR_XLSXW, "cannot add worksheet '%s'",
                              name);
    xlsxw_print_setup(ws);

    sbuf_reset(b);
    if (sbuf_addf(b, "%s \xE2\x80\x94 %s", tb->code, tb->title))
        return iafq_error_set(err, IAFQ_ERR_NOMEM, "out of memory");
    XLSXW_TRY(rc,
              worksheet_write_string(ws, TPL_TITLE_ROW, 1, b->buf, t->f.title),
              "write title", err);
    XLSXW_TRY(rc,
              worksheet_write_string(ws, TPL_HELP_ROW, 1, tb->help, t->f.help),
              "write help", err);
    rc = _note_text(tb, b, err);
    if (rc != IAFQ_OK)
        goto cleanup;
    XLSXW_TRY(rc,
              worksheet_write_string(ws, TPL_NOTE_ROW, 1, b->buf, t->f.note),
              "write note", err);

    /* column labels above the header, the header itself */
    XLSXW_TRY(
        rc, worksheet_write_string(ws, TPL_HEADER_ROW, 0, "CODE", t->f.header),
        "write header", err);
    if (!free_rows)
        XLSXW_TRY(
            rc,
            worksheet_write_string(ws, TPL_HEADER_ROW, 1, "LABEL", t->f.header),
            "write header", err);
    for (int c = 0; c < tb->ncols; c++) {
        lxw_col_t xc = (lxw_col_t)(c0 + c);
        XLSXW_TRY(rc,
                  worksheet_write_string(ws, TPL_LABEL_ROW, xc,
                                         tb->cols[c].label, t->f.collabel),
                  "write column label", err);
        XLSXW_TRY(rc,
                  worksheet_write_string(ws, TPL_HEADER_ROW, xc,
                                         tb->cols[c].code, t->f.header),
                  "write header", err);
    }
    XLSXW_TRY(rc,
              worksheet_set_row(ws, TPL_LABEL_ROW, free_rows ? 45 : 30, NULL),
              "set row height", err);

    /* widths: codes, labels, values */
    if (free_rows) {
        XLSXW_TRY(rc, worksheet_set_column(ws, 0, 0, 14, NULL), "set column",
                  err);
        for (int c = 0; c < tb->ncols; c++) {
            size_t w = strlen(tb->cols[c].code) + 3;
            lxw_format *cf = tb->cols[c].type == VT_DATE    ? t->f.col_date
                             : tb->cols[c].type == VT_COUNT ? t->f.col_count
                                                            : NULL;
            XLSXW_TRY(rc,
                      worksheet_set_column(ws, (lxw_col_t)(c0 + c),
                                           (lxw_col_t)(c0 + c),
                                           (double)(w < 14 ? 14 : w), cf),
                      "set column", err);
        }
        rc = _write_free_rows(t, ws, tb, err);
    } else {
        XLSXW_TRY(rc, worksheet_set_column(ws, 0, 0, 26, NULL), "set column",
                  err);
        XLSXW_TRY(
            rc,
            worksheet_set_column(ws, 1, 1, tb->id == TBL_COVER ? 56 : 50, NULL),
            "set column", err);
        XLSXW_TRY(rc,
                  worksheet_set_column(ws, c0, (lxw_col_t)(c0 + tb->ncols - 1),
                                       tb->id == TBL_COVER ? 34 : 14, NULL),
                  "set column", err);
        rc = _write_fixed_rows(t, ws, tb, err);
    }
    if (rc != IAFQ_OK)
        goto cleanup;

    worksheet_freeze_panes(ws, TPL_FIRST_ROW, c0);
    if (!free_rows) {
        lxw_protection prot;
        memset(&prot, 0, sizeof prot);
        prot.format_columns = 1;
        prot.format_rows = 1;
        worksheet_protect(ws, NULL, &prot);
    }
cleanup:
    return rc;
}

/* ----------------------------------------------------- instructions, lists */

static iafq_err _line(lxw_worksheet *ws, lxw_row_t *row, lxw_format *fmt,
                      const char *text, iafq_error *err)
{
    size_t n = strlen(text);
    iafq_err rc = xlsxw_err(worksheet_write_string(ws, *row, 0, text, fmt),
                            "write instructions", err);
    if (rc == IAFQ_OK && n > 110)
        rc = xlsxw_err(
            worksheet_set_row(ws, *row, 15.0 * (double)(n / 110 + 1), NULL),
            "set row height", err);
    (*row)++;
    return rc;
}

/* The Instructions sheet.  Over 100 lines on purpose: it is the text of
 * the instructions, one LINE per paragraph in reading order; split, the
 * text would be read across functions. */
static iafq_err _write_instructions(_tpl *t, sbuf *b, iafq_error *err)
{
    iafq_err rc = IAFQ_OK;
    lxw_row_t row = 0;
    char name[XLSXW_SHEETNAME_BUF];
    lxw_worksheet *ws = workbook_add_worksheet(t->wb, TPL_INSTR_SHEET);
    xlsxw_print_setup(ws);
    if (!ws)
        return iafq_error_set(err, IAFQ_ERR_XLSXW, "cannot add worksheet '%s'",
                              TPL_INSTR_SHEET);
    XLSXW_TRY(rc, worksheet_set_column(ws, 0, 0, 120, t->f.wrap), "set column",
              err);

#define LINE(fmt, text)                                                        \
    do {                                                                       \
        if ((rc = _line(ws, &row, (fmt), (text), err)) != IAFQ_OK)             \
            goto cleanup;                                                      \
    } while (0)
#define LINEF(...)                                                             \
    do {                                                                       \
        sbuf_reset(b);                                                         \
        if (sbuf_addf(b, __VA_ARGS__)) {                                       \
            rc = iafq_error_set(err, IAFQ_ERR_NOMEM, "out of memory");         \
            goto cleanup;                                                      \
        }                                                                      \
        LINE(t->f.wrap, b->buf);                                               \
    } while (0)

    LINE(t->f.title, "Illicit Arms Flows Questionnaire (IAFQ): how to fill "
                     "in this return");
    LINE(t->f.wrap, "One workbook is one return: one country, one reporting "
                    "year. Fill in the shaded cells of each sheet and send "
                    "the workbook back as it is (.xlsx).");
    row++;
    LINE(t->f.bold, "Rules");
    LINE(t->f.wrap,
         "1. Blank means not available. Leave a cell blank when the figure "
         "is not available; a blank cell is never read as zero. Enter 0 only "
         "when the true figure is zero.");
    LINE(t->f.wrap,
         "2. Text such as n/a, na, -, .., x or \"not available\" is also "
         "read as not available, but it is reported back as a warning: "
         "prefer a blank cell.");
    LINE(t->f.wrap,
         "3. Counts are whole numbers of 0 or more. Type them as numbers, "
         "without decimals. A number typed as text or with thousands "
         "separators (1,234 or 1 234) is accepted with a warning; a "
         "fraction, a negative number or other text is an error.");
    LINE(t->f.wrap,
         "4. Totals: fill in the TOTAL row as well as its parts. When the "
         "parts do not add up to the total, or tables disagree with each "
         "other, you get a warning to check the figures; when TOTAL is "
         "blank but every part is given, the sum of the parts is used.");
    LINE(t->f.wrap,
         "5. Dates are written as YYYY-MM-DD (for example 2023-05-31) or "
         "typed as dates; they must fall in the reporting year.");
    LINE(t->f.wrap,
         "6. Codes: where a cell has a drop-down list, pick a code from it. "
         "Country cells take the three-letter ISO 3166 code (for example "
         "the code of your own country). The code lists are explained "
         "below.");
    LINEF("7. Text is at most %d characters long.", SCHEMA_TEXT_MAX);
    LINE(t->f.wrap,
         "8. Do not change the codes in column A nor the row that starts "
         "with CODE: they are how your figures are read. Rows whose column "
         "A is empty (titles, notes) are not read. LABEL is there for you to "
         "read.");

    /* consent, from the COVER rows and the CONSENT code list */
    for (int r = 0; r < schema_tables[TBL_COVER].nrows; r++) {
        const schema_row *cr = &schema_tables[TBL_COVER].rows[r];
        if (cr->codelist != CL_CONSENT)
            continue;
        const schema_codelist *cl = &schema_codelists[CL_CONSENT];
        sbuf_reset(b);
        int e = sbuf_addf(b,
                          "9. Consent: on the %s sheet, %s (%s) says whether "
                          "your country's own figures may be published under "
                          "its name:",
                          schema_tables[TBL_COVER].code, cr->code, cr->label);
        for (int i = 0; i < cl->n; i++)
            e |= sbuf_addf(b, "%s %s = %s", i ? ";" : "", cl->codes[i],
                           cl->labels[i]);
        e |= sbuf_addf(b, ". Figures not for publication are only used in "
                          "regional and global totals that at least three "
                          "countries stand behind.");
        if (e) {
            rc = iafq_error_set(err, IAFQ_ERR_NOMEM, "out of memory");
            goto cleanup;
        }
        LINE(t->f.wrap, b->buf);
    }
    LINE(t->f.wrap,
         "10. Sheets: a sheet is found by the first word of its name (the "
         "table code). Required sheets must be present; an optional sheet "
         "may be left empty or deleted when none of its figures are "
         "available. Extra columns are ignored.");

    row++;
    LINE(t->f.bold, "Sheets");
    for (int i = 0; i < TBL__COUNT; i++) {
        const schema_table *tb = &schema_tables[i];
        LINEF("%s (sheet \"%s\") \xE2\x80\x94 %s, %s. %s", tb->code,
              _table_sheet_name(tb, name), tb->title,
              tb->required ? "required" : "optional", tb->help);
    }

    row++;
    LINE(t->f.bold, "Code lists");
    for (int cl = CL_NONE + 1; cl < CL__COUNT; cl++) {
        const schema_codelist *l = &schema_codelists[cl];
        sbuf_reset(b);
        int e = sbuf_addf(b, "%s:", l->name);
        for (int i = 0; i < l->n; i++)
            e |= sbuf_addf(b, "%s %s = %s", i ? ";" : "", l->codes[i],
                           l->labels[i]);
        if (e) {
            rc = iafq_error_set(err, IAFQ_ERR_NOMEM, "out of memory");
            goto cleanup;
        }
        LINE(t->f.wrap, b->buf);
    }
#undef LINE
#undef LINEF
cleanup:
    return rc;
}

static iafq_err _write_lists(_tpl *t, iafq_error *err)
{
    iafq_err rc = IAFQ_OK;
    lxw_worksheet *ws = workbook_add_worksheet(t->wb, TPL_LISTS_SHEET);
    if (!ws)
        return iafq_error_set(err, IAFQ_ERR_XLSXW, "cannot add worksheet '%s'",
                              TPL_LISTS_SHEET);
    for (int cl = CL_NONE + 1; cl < CL__COUNT; cl++) {
        const schema_codelist *l = &schema_codelists[cl];
        lxw_col_t c = (lxw_col_t)(cl - 1);
        XLSXW_TRY(rc, worksheet_write_string(ws, 0, c, l->name, t->f.bold),
                  "write list name", err);
        for (int i = 0; i < l->n; i++)
            XLSXW_TRY(rc,
                      worksheet_write_string(ws, (lxw_row_t)(i + 1), c,
                                             l->codes[i], NULL),
                      "write list code", err);
    }
    lxw_col_t cc = (lxw_col_t)(TPL_COUNTRY_LIST - 1);
    XLSXW_TRY(rc, worksheet_write_string(ws, 0, cc, "COUNTRY", t->f.bold),
              "write list name", err);
    for (size_t i = 0; i < t->ncountries; i++)
        XLSXW_TRY(rc,
                  worksheet_write_string(ws, (lxw_row_t)(i + 1), cc,
                                         t->countries[i], NULL),
                  "write list code", err);
    XLSXW_TRY(rc, worksheet_set_column(ws, 0, cc, 26, NULL), "set column", err);
    worksheet_hide(ws);
cleanup:
    return rc;
}

/* ------------------------------------------------------------------ entry */

iafq_err template_write(const char *path, iafq_error *err)
{
    iafq_err rc = IAFQ_OK;
    _tpl t;
    sbuf b = SBUF_INIT;
    time_t now = time(NULL);
    struct tm tm;

    memset(&t, 0, sizeof t);
    t.year = localtime_r(&now, &tm) ? tm.tm_year + 1900 : 2100;

    rc = _load_countries(&t, err);
    if (rc != IAFQ_OK)
        goto cleanup;
    t.wb = xlsxw_new(path, NULL, err);
    if (!t.wb) {
        rc = err ? err->code : IAFQ_ERR_IO;
        goto cleanup;
    }
    lxw_doc_properties props;
    memset(&props, 0, sizeof props);
    props.title = "IAFQ return";
    props.subject = "Illicit Arms Flows Questionnaire: blank return";
    props.author = "iafq";
    XLSXW_TRY(rc, workbook_set_properties(t.wb, &props), "set properties", err);

    rc = _make_formats(&t, err);
    if (rc != IAFQ_OK)
        goto cleanup;
    for (int i = 0; i < TBL__COUNT; i++) {
        rc = _write_table(&t, &schema_tables[i], &b, err);
        if (rc != IAFQ_OK)
            goto cleanup;
    }
    rc = _write_instructions(&t, &b, err);
    if (rc != IAFQ_OK)
        goto cleanup;
    rc = _write_lists(&t, err);
    if (rc != IAFQ_OK)
        goto cleanup;

    rc = xlsxw_close(t.wb, path, err);
    t.wb = NULL; /* consumed, on success and failure */
cleanup:
    xlsxw_discard(t.wb);
    free(t.countries);
    sbuf_release(&b);
    return rc;
}
