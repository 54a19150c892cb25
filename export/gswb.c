/*
 * gswb.c - the global study workbook (gswb.h).
 *
 * Everything the sheets hold is described by the tables below (_sheets and
 * their _col lists); the code walks them.  Rows come from a cursor in the
 * order they are written, so the workbook is written in libxlsxwriter's
 * constant-memory mode; what the charts need (a few regional rows) is kept
 * aside while the tables stream past, and written last, on the chart
 * sheets.
 */
#include "gswb.h"

#include "grow.h"
#include "schema.h"
#include "str.h"
#include "utf8.h"
#include "xlsxw.h"

#include <libgen.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define _TITLE_ROW 0
#define _NOTE_ROW 1
#define _HEADER_ROW 2
#define _FIRST_ROW 3
#define _MAX_COLS 24
#define _WIDTH_MIN 6.0
#define _WIDTH_MAX 60.0
#define _NAME_MAX 128
#define _NO_TABLE -1
#define _BY_DIMENSION -2 /* GS5 category: the table its dimension names */

#define _INTERNAL_NOTE                                                         \
    "IAFQ: internal, not for publication. Includes the figures of "            \
    "countries that did not consent to publication and aggregates of fewer "   \
    "than 3 countries that include them."
#define _PUBLIC_NOTE                                                           \
    "Public edition: the disclosure rule is applied (a country that did not "  \
    "consent appears nowhere; an aggregate that includes one is shown only "   \
    "when at least 3 countries stand behind it)."

typedef enum {
    _K_TEXT,  /* a string */
    _K_LABEL, /* the label (common/schema.h) of the code in `field` */
    _K_INT,   /* a count: "#,##0" */
    _K_PCT,   /* a share or 16.4.2, 0-100: "0.00" */
    _K_BOOL,
} _kind;

typedef struct {
    const char *field;  /* column of the query */
    const char *header; /* header cell */
    _kind kind;
    int table;     /* _K_LABEL: the table_id whose codes `field` holds */
    bool internal; /* only in internal exports (not in iafq_public) */
} _col;

typedef enum { _CH_NONE, _CH_GS1, _CH_GS2, _CH_GS6 } _chart_id;

/* A query parameter: the codes of a table's rows (or columns) as a text
 * array, plus one more code; the order rows are written in. */
typedef struct {
    int table;
    bool cols;
    const char *extra;
} _param;

typedef struct {
    const char *code;  /* "GS1": continuation sheets are "GS1 (2)" */
    const char *name;  /* sheet name */
    const char *title; /* row 1 */
    const char *about; /* one line on the About sheet */
    const char *query; /* exp_query() name */
    const _col *cols;
    int ncols;
    _param params[4];
    int nparams;
    _chart_id chart;
} _sheet;

#define _AREA_COLS                                                             \
    {"area_type", "Area type", _K_TEXT, _NO_TABLE, false},                     \
        {"area_code", "M49 code", _K_TEXT, _NO_TABLE, false},                  \
        {"area_name", "Area", _K_TEXT, _NO_TABLE, false},                      \
    {                                                                          \
        "year", "Year", _K_INT, _NO_TABLE, false                               \
    }
#define _TAIL_COLS                                                             \
    {"countries", "Countries", _K_INT, _NO_TABLE, false},                      \
        {"withheld", "Withheld (internal)", _K_INT, _NO_TABLE, true},          \
    {                                                                          \
        "submission_id", "Submission (internal)", _K_INT, _NO_TABLE, true      \
    }
#define N(a) ((int)(sizeof(a) / sizeof((a)[0])))

static const _col _c_gs1[] = {
    _AREA_COLS,
    {"arms", "Arms", _K_TEXT, _NO_TABLE, false},
    {"arms", "Arms (label)", _K_LABEL, TBL_T1, false},
    {"n", "Number", _K_INT, _NO_TABLE, false},
    _TAIL_COLS,
};
static const _col _c_gs2[] = {
    _AREA_COLS,
    {"arm_type", "Type", _K_TEXT, _NO_TABLE, false},
    {"arm_type", "Type (label)", _K_LABEL, TBL_T1, false},
    {"n", "Number", _K_INT, _NO_TABLE, false},
    {"reported", "Reported (sum of types)", _K_INT, _NO_TABLE, false},
    {"share_pct", "Share (%)", _K_PCT, _NO_TABLE, false},
    _TAIL_COLS,
};
static const _col _c_gs3[] = {
    _AREA_COLS,
    {"justification", "Justification", _K_TEXT, _NO_TABLE, false},
    {"justification", "Justification (label)", _K_LABEL, TBL_T3, false},
    {"n", "Number", _K_INT, _NO_TABLE, false},
    {"reported", "Reported", _K_INT, _NO_TABLE, false},
    {"share_pct", "Share, ratio of sums (%)", _K_PCT, _NO_TABLE, false},
    {"share_pct_mean", "Share, mean of national shares (%)", _K_PCT, _NO_TABLE,
     false},
    _TAIL_COLS,
};
static const _col _c_gs4[] = {
    _AREA_COLS,
    {"offence", "Offence", _K_TEXT, _NO_TABLE, false},
    {"offence", "Offence (label)", _K_LABEL, TBL_T4, false},
    {"n", "Number", _K_INT, _NO_TABLE, false},
    _TAIL_COLS,
};
static const _col _c_gs5[] = {
    _AREA_COLS,
    {"dimension", "Dimension", _K_TEXT, _NO_TABLE, false},
    {"arms", "Arms", _K_TEXT, _NO_TABLE, false},
    {"category", "Category", _K_TEXT, _NO_TABLE, false},
    {"category", "Category (label)", _K_LABEL, _BY_DIMENSION, false},
    {"n", "Number", _K_INT, _NO_TABLE, false},
    {"reported", "Reported", _K_INT, _NO_TABLE, false},
    {"share_pct", "Share (%)", _K_PCT, _NO_TABLE, false},
    _TAIL_COLS,
};
static const _col _c_sdg[] = {
    _AREA_COLS,
    {"numerator", "Arms traced (N)", _K_INT, _NO_TABLE, false},
    {"denominator", "Arms seized, found, surrendered (D)", _K_INT, _NO_TABLE,
     false},
    {"value", "SDG 16.4.2 (%)", _K_PCT, _NO_TABLE, false},
    _TAIL_COLS,
};
static const _col _c_sdg_column[] = {
    _AREA_COLS,
    {"arms", "Column", _K_TEXT, _NO_TABLE, false},
    {"numerator", "Arms traced (N)", _K_INT, _NO_TABLE, false},
    {"denominator", "Arms (D)", _K_INT, _NO_TABLE, false},
    {"value", "SDG 16.4.2 (%)", _K_PCT, _NO_TABLE, false},
    _TAIL_COLS,
};
static const _col _c_sdg_tracing[] = {
    _AREA_COLS,
    {"arms", "Column", _K_TEXT, _NO_TABLE, false},
    {"tracing", "Tracing", _K_TEXT, _NO_TABLE, false},
    {"tracing", "Tracing (label)", _K_LABEL, TBL_T8, false},
    {"n", "Number", _K_INT, _NO_TABLE, false},
    {"t8_total", "T8 total", _K_INT, _NO_TABLE, false},
    {"share_pct", "Share of T8 total (%)", _K_PCT, _NO_TABLE, false},
    _TAIL_COLS,
};
static const _col _c_gs7[] = {
    _AREA_COLS,
    {"item", "Item", _K_TEXT, _NO_TABLE, false},
    {"item", "Item (label)", _K_LABEL, TBL_T2, false},
    {"n", "Number", _K_INT, _NO_TABLE, false},
    _TAIL_COLS,
};
static const _col _c_gs8[] = {
    _AREA_COLS,
    {"persons", "Persons", _K_TEXT, _NO_TABLE, false},
    {"persons", "Persons (label)", _K_LABEL, TBL_T9, false},
    {"sex", "Sex", _K_TEXT, _NO_TABLE, false},
    {"n", "Number", _K_INT, _NO_TABLE, false},
    {"share_pct", "Share of total (%)", _K_PCT, _NO_TABLE, false},
    _TAIL_COLS,
};
static const _col _c_gs9[] = {
    _AREA_COLS,
    {"flow", "Flow", _K_TEXT, _NO_TABLE, false},
    {"manufacture_code", "Manufacture code", _K_TEXT, _NO_TABLE, false},
    {"manufacture_name", "Manufacture", _K_TEXT, _NO_TABLE, false},
    {"departure_code", "Departure code", _K_TEXT, _NO_TABLE, false},
    {"departure_name", "Departure", _K_TEXT, _NO_TABLE, false},
    {"destination_code", "Destination code", _K_TEXT, _NO_TABLE, false},
    {"destination_name", "Destination", _K_TEXT, _NO_TABLE, false},
    {"quantity", "Quantity", _K_INT, _NO_TABLE, false},
    {"seizures", "Seizures", _K_INT, _NO_TABLE, false},
    {"countries", "Countries", _K_INT, _NO_TABLE, false},
    {"withheld", "Withheld (internal)", _K_INT, _NO_TABLE, true},
    {"partner_withheld", "Partner withheld (internal)", _K_BOOL, _NO_TABLE,
     true},
    {"submission_id", "Submission (internal)", _K_INT, _NO_TABLE, true},
};

static const _sheet _sheets[] = {
    {"GS1",
     "GS1 Arms",
     "GS1 Arms seized, found and surrendered",
     "arms seized, found, surrendered (T1 TOTAL of each column) and their "
     "total",
     "gswb_gs1",
     _c_gs1,
     N(_c_gs1),
     {{TBL_T1, true, "TOTAL"}},
     1,
     _CH_GS1},
    {"GS2",
     "GS2 Types",
     "GS2 Arms seized by type",
     "arms seized by type: count and share of the reported types",
     "gswb_gs2",
     _c_gs2,
     N(_c_gs2),
     {{TBL_T1, false, NULL}},
     1,
     _CH_GS2},
    {"GS3",
     "GS3 Justification",
     "GS3 Legal justification of seizure",
     "arms seized by legal justification: share as ratio of sums and as mean "
     "of national shares",
     "gswb_gs3",
     _c_gs3,
     N(_c_gs3),
     {{TBL_T3, false, NULL}},
     1,
     _CH_NONE},
    {"GS4",
     "GS4 Offences",
     "GS4 Other suspected offences",
     "arms seized by other suspected offences (an arm may count in several "
     "rows: no share)",
     "gswb_gs4",
     _c_gs4,
     N(_c_gs4),
     {{TBL_T4, false, NULL}},
     1,
     _CH_NONE},
    {"GS5",
     "GS5 Condition marking place",
     "GS5 Condition, marking and place of seizure",
     "condition (T5), marking (T6) and place of seizure (T7): count and share "
     "of the reported categories",
     "gswb_gs5",
     _c_gs5,
     N(_c_gs5),
     {{TBL_T6, true, NULL},
      {TBL_T5, false, NULL},
      {TBL_T6, false, NULL},
      {TBL_T7, false, NULL}},
     4,
     _CH_NONE},
    {"GS6",
     "GS6 SDG 16.4.2",
     "GS6 SDG indicator 16.4.2",
     "SDG 16.4.2: arms traced (N), arms seized, found, surrendered (D), "
     "100 x N / D",
     "gswb_sdg",
     _c_sdg,
     N(_c_sdg),
     {{0}},
     0,
     _CH_GS6},
    {"GS6c",
     "GS6 by column",
     "GS6 SDG 16.4.2 by column",
     "SDG 16.4.2 for each column (seized, found, surrendered) alone",
     "gswb_sdg_column",
     _c_sdg_column,
     N(_c_sdg_column),
     {{TBL_T1, true, NULL}},
     1,
     _CH_NONE},
    {"GS6t",
     "GS6 by tracing",
     "GS6 SDG 16.4.2 by tracing level",
     "each T8 row as a share of T8 TOTAL, per column and for ALL columns",
     "gswb_sdg_tracing",
     _c_sdg_tracing,
     N(_c_sdg_tracing),
     {{TBL_T8, true, "ALL"}, {TBL_T8, false, NULL}},
     2,
     _CH_NONE},
    {"GS7",
     "GS7 Parts ammunition cases",
     "GS7 Parts, ammunition and cases",
     "parts and components, rounds of ammunition, instances of seizure",
     "gswb_gs7",
     _c_gs7,
     N(_c_gs7),
     {{TBL_T2, false, NULL}},
     1,
     _CH_NONE},
    {"GS8",
     "GS8 Persons",
     "GS8 Persons by sex",
     "persons arrested, prosecuted, convicted, targeted by sex; share of the "
     "T9 total (the FEMALE row is the share female)",
     "gswb_gs8",
     _c_gs8,
     N(_c_gs8),
     {{TBL_T9, false, NULL}, {TBL_T9, true, NULL}},
     2,
     _CH_NONE},
    {"GS9",
     "GS9 Significant seizures",
     "GS9 Significant seizures (T11)",
     "T11: quantity by area of manufacture, and departure -> destination "
     "routes, per reporting area",
     "gswb_gs9",
     _c_gs9,
     N(_c_gs9),
     {{0}},
     0,
     _CH_NONE},
};

/* ------------------------------------------------------------ chart data */

typedef struct {
    char code[8];
    char name[_NAME_MAX];
    int year;
    int key; /* GS2: index of the arm type in T1's rows */
    double v;
} _pt;

typedef struct {
    _pt *p;
    size_t n, cap;
} _pts;

typedef struct {
    lxw_format *title, *note, *banner, *header, *count, *pct, *key, *wrap;
} _formats;

typedef struct {
    const exp_ctx *ctx;
    lxw_workbook *wb;
    _formats f;
    _pts gs1, gs2, gs6;
} _wb;

/* A table sheet being written (one part of a table). */
typedef struct {
    lxw_worksheet *ws;
    lxw_row_t row; /* next row */
    double width[_MAX_COLS];
} _part;

static unsigned long _rows_per_sheet = LXW_ROW_MAX - _FIRST_ROW;

void gswb_set_rows_per_sheet(unsigned long rows)
{
    _rows_per_sheet = rows == 0 || rows > LXW_ROW_MAX - _FIRST_ROW
                          ? LXW_ROW_MAX - _FIRST_ROW
                          : rows;
}

/* -------------------------------------------------------------- helpers */

static iafq_err _make_formats(_wb *w, iafq_error *err)
{
    _formats *f = &w->f;
    lxw_format **all[] = {&f->title, &f->note, &f->banner, &f->header,
                          &f->count, &f->pct,  &f->key,    &f->wrap};
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++)
        if (!(*all[i] = workbook_add_format(w->wb)))
            return iafq_error_set(err, IAFQ_ERR_NOMEM, "out of memory");
    format_set_bold(f->title);
    format_set_font_size(f->title, 14);
    format_set_italic(f->note);
    format_set_font_color(f->note, 0x404040);
    format_set_bold(f->banner);
    format_set_font_color(f->banner, 0xC00000);
    format_set_bold(f->header);
    format_set_bg_color(f->header, 0xD9E1F2);
    format_set_bottom(f->header, LXW_BORDER_THIN);
    format_set_num_format(f->count, "#,##0");
    format_set_num_format(f->pct, "0.00");
    format_set_bold(f->key);
    format_set_align(f->key, LXW_ALIGN_VERTICAL_TOP);
    format_set_text_wrap(f->wrap);
    format_set_align(f->wrap, LXW_ALIGN_VERTICAL_TOP);
    return IAFQ_OK;
}

/* Characters of text as Excel shows it (for column widths). */
static double _text_width(const char *s)
{
    return (double)utf8_len(s, strlen(s));
}

/* Characters of v written with "#,##0" (counts) or "0.00" (shares),
 * counted without printing it (this runs for every number). */
static double _number_width(double v, _kind k)
{
    double a = fabs(v);
    int digits = 1;
    for (double p = 10; p <= a && digits < 20; p *= 10)
        digits++;
    int n = digits + (v < 0);
    return (double)(k == _K_PCT ? n + 3 : n + (digits - 1) / 3);
}

/* The label of code in table t: its column label, else its row label;
 * NULL when t has no such code. */
static const char *_label(int t, const char *code)
{
    if (t < 0 || t >= TBL__COUNT || !code)
        return NULL;
    const schema_table *st = &schema_tables[t];
    int i = schema_col_index(st, code);
    if (i >= 0)
        return st->cols[i].label;
    i = schema_row_index(st, code);
    return i >= 0 ? st->rows[i].label : NULL;
}

/* "{"A","B"}": the codes of p as a PostgreSQL text array, into b. */
static int _param_array(const _param *p, sbuf *b)
{
    const schema_table *t = &schema_tables[p->table];
    int n = p->cols ? t->ncols : t->nrows;
    if (sbuf_add(b, "{", 1) != 0)
        return -1;
    for (int i = 0; i <= n; i++) {
        const char *c =
            i < n ? (p->cols ? t->cols[i].code : t->rows[i].code) : p->extra;
        if (!c)
            continue;
        if (b->len > 1 && sbuf_add(b, ",", 1) != 0)
            return -1;
        if (sbuf_add(b, "\"", 1) != 0 || sbuf_add(b, c, strlen(c)) != 0 ||
            sbuf_add(b, "\"", 1) != 0)
            return -1;
    }
    return sbuf_add(b, "}", 1);
}

/* Title in row 1 and the edition note in row 2 of any sheet; the printed
 * page header of an internal sheet says it too. */
static iafq_err _sheet_top(_wb *w, lxw_worksheet *ws, const char *title,
                           iafq_error *err)
{
    iafq_err rc = IAFQ_OK;
    XLSXW_TRY(rc, xlsxw_write_text(ws, _TITLE_ROW, 0, title, w->f.title),
              "title", err);
    if (w->ctx->internal) {
        XLSXW_TRY(
            rc, xlsxw_write_text(ws, _NOTE_ROW, 0, _INTERNAL_NOTE, w->f.banner),
            "note", err);
        XLSXW_TRY(
            rc,
            worksheet_set_header(ws, "&CIAFQ: internal, not for publication"),
            "page header", err);
    } else {
        XLSXW_TRY(rc,
                  xlsxw_write_text(ws, _NOTE_ROW, 0, _PUBLIC_NOTE, w->f.note),
                  "note", err);
    }
    xlsxw_print_setup(ws);
cleanup:
    return rc;
}

static lxw_worksheet *_add_sheet(_wb *w, const char *name, iafq_error *err)
{
    lxw_worksheet *ws = workbook_add_worksheet(w->wb, name);
    if (!ws)
        iafq_error_set(err, IAFQ_ERR_XLSXW, "cannot add sheet '%s'", name);
    return ws;
}

/* ---------------------------------------------------------- table sheets */

static iafq_err _part_start(_wb *w, const _sheet *s, const _col **cols,
                            int ncols, int part, _part *p, iafq_error *err)
{
    iafq_err rc = IAFQ_OK;
    char name[XLSXW_SHEETNAME_BUF];
    if (part == 1)
        snprintf(name, sizeof name, "%s", s->name);
    else
        snprintf(name, sizeof name, "%s (%d)", s->code, part);
    memset(p, 0, sizeof *p);
    if (!(p->ws = _add_sheet(w, name, err)))
        return IAFQ_ERR_XLSXW;
    char title[200];
    if (part == 1)
        snprintf(title, sizeof title, "%s", s->title);
    else
        snprintf(title, sizeof title, "%s (continued, part %d)", s->title,
                 part);
    if ((rc = _sheet_top(w, p->ws, title, err)) != IAFQ_OK)
        return rc;
    for (int c = 0; c < ncols; c++) {
        XLSXW_TRY(rc,
                  xlsxw_write_text(p->ws, _HEADER_ROW, (lxw_col_t)c,
                                   cols[c]->header, w->f.header),
                  "header", err);
        /* room for the autofilter's button */
        p->width[c] = _text_width(cols[c]->header) + 3;
    }
    worksheet_freeze_panes(p->ws, _FIRST_ROW, 0);
    p->row = _FIRST_ROW;
cleanup:
    return rc;
}

static iafq_err _part_finish(_part *p, int ncols, iafq_error *err)
{
    iafq_err rc = IAFQ_OK;
    for (int c = 0; c < ncols; c++) {
        double wd = p->width[c] + 1;
        wd = wd < _WIDTH_MIN ? _WIDTH_MIN : wd > _WIDTH_MAX ? _WIDTH_MAX : wd;
        XLSXW_TRY(
            rc,
            worksheet_set_column(p->ws, (lxw_col_t)c, (lxw_col_t)c, wd, NULL),
            "column width", err);
    }
    lxw_row_t last = p->row - 1; /* the header alone when no rows */
    XLSXW_TRY(rc,
              worksheet_autofilter(p->ws, _HEADER_ROW, 0, last,
                                   (lxw_col_t)(ncols - 1)),
              "autofilter", err);
cleanup:
    return rc;
}

static iafq_err _bad_value(const char *field, const char *v, iafq_error *err)
{
    char shown[40];
    size_t n = utf8_prefix(v, strlen(v), 30, sizeof shown - 1);
    memcpy(shown, v, n);
    shown[n] = '\0';
    return iafq_error_set(err, IAFQ_ERR_DB,
                          "global study workbook: column %s holds '%s', not a "
                          "number",
                          field, shown);
}

static int _number(const char *v, double *out)
{
    char *end;
    *out = strtod(v, &end);
    return end != v && *end == '\0' && isfinite(*out);
}

/* Keep what a chart needs from row r of sheet s. */
static int _collect(_wb *w, const _sheet *s, PGresult *res, int r)
{
    _pts *pts = s->chart == _CH_GS1   ? &w->gs1
                : s->chart == _CH_GS2 ? &w->gs2
                : s->chart == _CH_GS6 ? &w->gs6
                                      : NULL;
    if (!pts)
        return 0;
    const char *type = PQgetvalue(res, r, PQfnumber(res, "area_type"));
    if (strcmp(type, "region") != 0 &&
        !(s->chart == _CH_GS6 && strcmp(type, "world") == 0))
        return 0;
    int fv = PQfnumber(res, s->chart == _CH_GS1   ? "n"
                            : s->chart == _CH_GS2 ? "share_pct"
                                                  : "value");
    int key = 0;
    if (s->chart == _CH_GS1 &&
        strcmp(PQgetvalue(res, r, PQfnumber(res, "arms")), "SEIZED") != 0)
        return 0;
    if (s->chart == _CH_GS2) {
        key = schema_row_index(&schema_tables[TBL_T1],
                               PQgetvalue(res, r, PQfnumber(res, "arm_type")));
        if (key < 0)
            return 0;
    }
    double v;
    if (fv < 0 || PQgetisnull(res, r, fv) ||
        !_number(PQgetvalue(res, r, fv), &v))
        return 0;
    if (grow((void **)&pts->p, &pts->cap, pts->n + 1, sizeof *pts->p, 64) != 0)
        return -1;
    _pt *p = &pts->p[pts->n++];
    memset(p, 0, sizeof *p);
    const char *code = PQgetvalue(res, r, PQfnumber(res, "area_code"));
    const char *name = PQgetvalue(res, r, PQfnumber(res, "area_name"));
    size_t n =
        utf8_prefix(code, strlen(code), sizeof p->code - 1, sizeof p->code - 1);
    memcpy(p->code, code, n);
    n = utf8_prefix(name, strlen(name), _NAME_MAX, sizeof p->name - 1);
    memcpy(p->name, name, n);
    p->year = atoi(PQgetvalue(res, r, PQfnumber(res, "year")));
    p->key = key;
    p->v = v;
    return 0;
}

/* Write row r of res into p's next row. */
static iafq_err _row(_wb *w, const _col **cols, const int *field, int ncols,
                     PGresult *res, int r, _part *p, iafq_error *err)
{
    iafq_err rc = IAFQ_OK;
    for (int c = 0; c < ncols; c++) {
        const _col *col = cols[c];
        if (PQgetisnull(res, r, field[c]))
            continue; /* not given: an empty cell, never 0 */
        const char *v = PQgetvalue(res, r, field[c]);
        lxw_col_t x = (lxw_col_t)c;
        double num, wd = 0;
        switch (col->kind) {
        case _K_TEXT:
            XLSXW_TRY(rc, xlsxw_write_text(p->ws, p->row, x, v, NULL), "cell",
                      err);
            wd = _text_width(v);
            break;
        case _K_LABEL: {
            int t = col->table;
            if (t == _BY_DIMENSION) {
                const char *dim =
                    PQgetvalue(res, r, PQfnumber(res, "dimension"));
                t = !strcmp(dim, "condition") ? TBL_T5
                    : !strcmp(dim, "marking") ? TBL_T6
                                              : TBL_T7;
            }
            const char *l = _label(t, v);
            if (!l && !strcmp(v, "ALL"))
                l = "All columns (summed)";
            if (!l)
                continue;
            XLSXW_TRY(rc, xlsxw_write_text(p->ws, p->row, x, l, NULL), "cell",
                      err);
            wd = _text_width(l);
            break;
        }
        case _K_INT:
        case _K_PCT:
            if (!_number(v, &num))
                return _bad_value(col->field, v, err);
            XLSXW_TRY(rc,
                      worksheet_write_number(p->ws, p->row, x, num,
                                             col->kind == _K_PCT ? w->f.pct
                                             : strcmp(col->field, "year") == 0
                                                 ? NULL
                                                 : w->f.count),
                      "cell", err);
            wd = _number_width(num, col->kind);
            break;
        case _K_BOOL:
            XLSXW_TRY(
                rc,
                worksheet_write_boolean(p->ws, p->row, x, v[0] == 't', NULL),
                "cell", err);
            wd = 5;
            break;
        }
        if (wd > p->width[c])
            p->width[c] = wd;
    }
    p->row++;
cleanup:
    return rc;
}

static iafq_err _table(_wb *w, const _sheet *s, iafq_error *err)
{
    iafq_err rc = IAFQ_OK;
    db_conn *db = w->ctx->db;
    sbuf pbuf[4] = {SBUF_INIT, SBUF_INIT, SBUF_INIT, SBUF_INIT};
    const char *params[4] = {NULL};
    const _col *cols[_MAX_COLS];
    int field[_MAX_COLS];
    int ncols = 0, part = 1, declared = 0;
    PGresult *res = NULL;
    _part p = {0};

    for (int c = 0; c < s->ncols && ncols < _MAX_COLS; c++)
        if (!s->cols[c].internal || w->ctx->internal)
            cols[ncols++] = &s->cols[c];
    for (int i = 0; i < s->nparams; i++) {
        if (_param_array(&s->params[i], &pbuf[i]) != 0) {
            rc = iafq_error_set(err, IAFQ_ERR_NOMEM, "out of memory");
            goto cleanup;
        }
        params[i] = pbuf[i].buf;
    }
    if ((rc = db_exec_file(db, exp_query(w->ctx, s->query), s->nparams, params,
                           NULL, err)) != IAFQ_OK)
        goto cleanup;
    declared = 1;
    if ((rc = _part_start(w, s, cols, ncols, part, &p, err)) != IAFQ_OK)
        goto cleanup;
    for (;;) {
        if ((rc = db_exec_file(db, "q/gswb_fetch.sql", 0, NULL, &res, err)) !=
            IAFQ_OK)
            goto cleanup;
        int nrows = PQntuples(res);
        if (nrows == 0)
            break;
        for (int c = 0; c < ncols; c++)
            if ((field[c] = PQfnumber(res, cols[c]->field)) < 0) {
                rc = iafq_error_set(
                    err, IAFQ_ERR_DB, "%s: the query has no column %s",
                    exp_query(w->ctx, s->query), cols[c]->field);
                goto cleanup;
            }
        for (int r = 0; r < nrows; r++) {
            if (p.row - _FIRST_ROW >= _rows_per_sheet) {
                if ((rc = _part_finish(&p, ncols, err)) != IAFQ_OK ||
                    (rc = _part_start(w, s, cols, ncols, ++part, &p, err)) !=
                        IAFQ_OK)
                    goto cleanup;
            }
            if ((rc = _row(w, cols, field, ncols, res, r, &p, err)) != IAFQ_OK)
                goto cleanup;
            if (_collect(w, s, res, r) != 0) {
                rc = iafq_error_set(err, IAFQ_ERR_NOMEM, "out of memory");
                goto cleanup;
            }
        }
        PQclear(res);
        res = NULL;
    }
    if ((rc = _part_finish(&p, ncols, err)) != IAFQ_OK)
        goto cleanup;
    declared = 0;
    rc = db_exec_file(db, "q/gswb_close.sql", 0, NULL, NULL, err);
cleanup:
    if (declared) /* leave the snapshot usable when it still is */
        db_exec_file(db, "q/gswb_close.sql", 0, NULL, NULL, NULL);
    PQclear(res);
    for (int i = 0; i < 4; i++)
        sbuf_release(&pbuf[i]);
    return rc;
}

/* ---------------------------------------------------------- chart sheets */

static int _cmp_int(const void *a, const void *b)
{
    int x = *(const int *)a, y = *(const int *)b;
    return (x > y) - (x < y);
}

/* The distinct areas of pts (indexes of their first point, in the order
 * they came: the tables' order) and the distinct years, ascending. */
static int _axes(const _pts *pts, int year_only, size_t **areas, size_t *na,
                 int **years, size_t *ny)
{
    *areas = calloc(pts->n ? pts->n : 1, sizeof **areas);
    *years = calloc(pts->n ? pts->n : 1, sizeof **years);
    *na = *ny = 0;
    if (!*areas || !*years)
        return -1;
    for (size_t i = 0; i < pts->n; i++) {
        const _pt *p = &pts->p[i];
        if (year_only >= 0 && p->year != year_only)
            continue;
        size_t a = 0;
        while (a < *na && strcmp(pts->p[(*areas)[a]].code, p->code) != 0)
            a++;
        if (a == *na)
            (*areas)[(*na)++] = i;
        size_t y = 0;
        while (y < *ny && (*years)[y] != p->year)
            y++;
        if (y == *ny)
            (*years)[(*ny)++] = p->year;
    }
    qsort(*years, *ny, sizeof **years, _cmp_int);
    return 0;
}

static const _pt *_find(const _pts *pts, const char *code, int year, int key)
{
    for (size_t i = 0; i < pts->n; i++)
        if (pts->p[i].year == year && pts->p[i].key == key &&
            !strcmp(pts->p[i].code, code))
            return &pts->p[i];
    return NULL;
}

typedef struct {
    _chart_id id;
    const char *sheet, *title, *about, *y_axis;
} _chart;

static const _chart _charts[] = {
    {_CH_GS1, "GS1 chart", "Arms seized by M49 region",
     "GS1: arms seized by M49 region and year (line chart)", "Arms seized"},
    {_CH_GS2, "GS2 chart", "Arms seized by type, share by M49 region",
     "GS2: shares of the arm types by M49 region, latest year with regional "
     "figures (stacked bar chart)",
     "Share of the reported types (%)"},
    {_CH_GS6, "GS6 chart", "SDG 16.4.2 by M49 region and world",
     "GS6: SDG 16.4.2 by M49 region and world, by year (line chart)",
     "Arms traced (%)"},
};

/* A line chart over the years (GS1, GS6): block "Year | area ..." from
 * row _HEADER_ROW, one row per year, one series per area. */
static iafq_err _chart_years(_wb *w, const _chart *ch, const _pts *pts,
                             lxw_worksheet *ws, iafq_error *err)
{
    iafq_err rc = IAFQ_OK;
    size_t *areas = NULL, na = 0, ny = 0;
    int *years = NULL;
    lxw_format *fmt = ch->id == _CH_GS6 ? w->f.pct : w->f.count;
    if (_axes(pts, -1, &areas, &na, &years, &ny) != 0) {
        rc = iafq_error_set(err, IAFQ_ERR_NOMEM, "out of memory");
        goto cleanup;
    }
    if (na == 0 || ny == 0) {
        XLSXW_TRY(rc,
                  xlsxw_write_text(ws, _HEADER_ROW, 0,
                                   "No regional figures in this edition.",
                                   NULL),
                  "chart data", err);
        goto cleanup;
    }
    XLSXW_TRY(rc, xlsxw_write_text(ws, _HEADER_ROW, 0, "Year", w->f.header),
              "header", err);
    for (size_t a = 0; a < na; a++)
        XLSXW_TRY(rc,
                  xlsxw_write_text(ws, _HEADER_ROW, (lxw_col_t)(a + 1),
                                   pts->p[areas[a]].name, w->f.header),
                  "header", err);
    for (size_t y = 0; y < ny; y++) {
        lxw_row_t row = (lxw_row_t)(_FIRST_ROW + y);
        XLSXW_TRY(rc, worksheet_write_number(ws, row, 0, years[y], NULL),
                  "cell", err);
        for (size_t a = 0; a < na; a++) {
            const _pt *p = _find(pts, pts->p[areas[a]].code, years[y], 0);
            if (p)
                XLSXW_TRY(rc,
                          worksheet_write_number(ws, row, (lxw_col_t)(a + 1),
                                                 p->v, fmt),
                          "cell", err);
        }
    }
    XLSXW_TRY(rc, worksheet_set_column(ws, 0, 0, 8, NULL), "column width", err);
    XLSXW_TRY(rc, worksheet_set_column(ws, 1, (lxw_col_t)na, 16, NULL),
              "column width", err);

    lxw_chart *chart = workbook_add_chart(w->wb, LXW_CHART_LINE);
    if (!chart) {
        rc = iafq_error_set(err, IAFQ_ERR_XLSXW, "cannot add chart");
        goto cleanup;
    }
    chart_title_set_name(chart, ch->title);
    chart_axis_set_name(chart->x_axis, "Year");
    chart_axis_set_name(chart->y_axis, ch->y_axis);
    chart_legend_set_position(chart, LXW_CHART_LEGEND_BOTTOM);
    lxw_row_t last = (lxw_row_t)(_FIRST_ROW + ny - 1);
    for (size_t a = 0; a < na; a++) {
        lxw_chart_series *se = chart_add_series(chart, NULL, NULL);
        if (!se) {
            rc = iafq_error_set(err, IAFQ_ERR_XLSXW, "cannot add a series");
            goto cleanup;
        }
        chart_series_set_categories(se, ch->sheet, _FIRST_ROW, 0, last, 0);
        chart_series_set_values(se, ch->sheet, _FIRST_ROW, (lxw_col_t)(a + 1),
                                last, (lxw_col_t)(a + 1));
        chart_series_set_name_range(se, ch->sheet, _HEADER_ROW,
                                    (lxw_col_t)(a + 1));
        chart_series_set_marker_type(se, LXW_CHART_MARKER_AUTOMATIC);
    }
    lxw_chart_options opt = {.x_scale = 1.6, .y_scale = 1.5};
    XLSXW_TRY(rc,
              worksheet_insert_chart_opt(ws, _HEADER_ROW, (lxw_col_t)(na + 2),
                                         chart, &opt),
              "chart", err);
cleanup:
    free(areas);
    free(years);
    return rc;
}

/* A stacked bar chart of the GS2 shares: block "Region | type ..." for the
 * latest year, one row per region, one series per arm type. */
static iafq_err _chart_types(_wb *w, const _chart *ch, const _pts *pts,
                             lxw_worksheet *ws, iafq_error *err)
{
    iafq_err rc = IAFQ_OK;
    size_t *areas = NULL, na = 0, ny = 0;
    int *years = NULL, latest = -1;
    int keys[SCHEMA_MAX_ROWS], nk = 0;
    const schema_table *t1 = &schema_tables[TBL_T1];
    for (size_t i = 0; i < pts->n; i++)
        if (pts->p[i].year > latest)
            latest = pts->p[i].year;
    if (_axes(pts, latest, &areas, &na, &years, &ny) != 0) {
        rc = iafq_error_set(err, IAFQ_ERR_NOMEM, "out of memory");
        goto cleanup;
    }
    for (int k = 0; k < t1->nrows && nk < SCHEMA_MAX_ROWS; k++)
        for (size_t i = 0; i < pts->n; i++)
            if (pts->p[i].key == k && pts->p[i].year == latest) {
                keys[nk++] = k;
                break;
            }
    if (na == 0 || nk == 0) {
        XLSXW_TRY(rc,
                  xlsxw_write_text(ws, _HEADER_ROW, 0,
                                   "No regional figures in this edition.",
                                   NULL),
                  "chart data", err);
        goto cleanup;
    }
    char head[64];
    snprintf(head, sizeof head, "Region, %d", latest);
    XLSXW_TRY(rc, xlsxw_write_text(ws, _HEADER_ROW, 0, head, w->f.header),
              "header", err);
    for (int k = 0; k < nk; k++)
        XLSXW_TRY(rc,
                  xlsxw_write_text(ws, _HEADER_ROW, (lxw_col_t)(k + 1),
                                   t1->rows[keys[k]].label, w->f.header),
                  "header", err);
    for (size_t a = 0; a < na; a++) {
        lxw_row_t row = (lxw_row_t)(_FIRST_ROW + a);
        const _pt *ap = &pts->p[areas[a]];
        XLSXW_TRY(rc, xlsxw_write_text(ws, row, 0, ap->name, NULL), "cell",
                  err);
        for (int k = 0; k < nk; k++) {
            const _pt *p = _find(pts, ap->code, latest, keys[k]);
            if (p)
                XLSXW_TRY(rc,
                          worksheet_write_number(ws, row, (lxw_col_t)(k + 1),
                                                 p->v, w->f.pct),
                          "cell", err);
        }
    }
    XLSXW_TRY(rc, worksheet_set_column(ws, 0, 0, 20, NULL), "column width",
              err);
    XLSXW_TRY(rc, worksheet_set_column(ws, 1, (lxw_col_t)nk, 14, NULL),
              "column width", err);

    lxw_chart *chart = workbook_add_chart(w->wb, LXW_CHART_BAR_STACKED);
    if (!chart) {
        rc = iafq_error_set(err, IAFQ_ERR_XLSXW, "cannot add chart");
        goto cleanup;
    }
    char title[160];
    snprintf(title, sizeof title, "%s, %d", ch->title, latest);
    chart_title_set_name(chart, title);
    chart_axis_set_name(chart->x_axis, ch->y_axis); /* bars: x is values */
    chart_axis_set_max(chart->x_axis, 100);
    chart_legend_set_position(chart, LXW_CHART_LEGEND_BOTTOM);
    lxw_row_t last = (lxw_row_t)(_FIRST_ROW + na - 1);
    for (int k = 0; k < nk; k++) {
        lxw_chart_series *se = chart_add_series(chart, NULL, NULL);
        if (!se) {
            rc = iafq_error_set(err, IAFQ_ERR_XLSXW, "cannot add a series");
            goto cleanup;
        }
        chart_series_set_categories(se, ch->sheet, _FIRST_ROW, 0, last, 0);
        chart_series_set_values(se, ch->sheet, _FIRST_ROW, (lxw_col_t)(k + 1),
                                last, (lxw_col_t)(k + 1));
        chart_series_set_name_range(se, ch->sheet, _HEADER_ROW,
                                    (lxw_col_t)(k + 1));
    }
    lxw_chart_options opt = {.x_scale = 1.6, .y_scale = 1.5};
    XLSXW_TRY(rc,
              worksheet_insert_chart_opt(ws, _HEADER_ROW, (lxw_col_t)(nk + 2),
                                         chart, &opt),
              "chart", err);
cleanup:
    free(areas);
    free(years);
    return rc;
}

static iafq_err _chart_sheet(_wb *w, const _chart *ch, iafq_error *err)
{
    iafq_err rc;
    lxw_worksheet *ws = _add_sheet(w, ch->sheet, err);
    if (!ws)
        return IAFQ_ERR_XLSXW;
    if ((rc = _sheet_top(w, ws, ch->title, err)) != IAFQ_OK)
        return rc;
    if (ch->id == _CH_GS2)
        return _chart_types(w, ch, &w->gs2, ws, err);
    return _chart_years(w, ch, ch->id == _CH_GS1 ? &w->gs1 : &w->gs6, ws, err);
}

/* ------------------------------------------------------------ About sheet */

static iafq_err _kv(_wb *w, lxw_worksheet *ws, lxw_row_t *row, const char *key,
                    const char *value, iafq_error *err)
{
    iafq_err rc = IAFQ_OK;
    XLSXW_TRY(rc, xlsxw_write_text(ws, *row, 0, key, w->f.key), "About", err);
    XLSXW_TRY(rc, xlsxw_write_text(ws, *row, 1, value, w->f.wrap), "About",
              err);
    (*row)++;
cleanup:
    return rc;
}

static iafq_err _kn(_wb *w, lxw_worksheet *ws, lxw_row_t *row, const char *key,
                    double value, iafq_error *err)
{
    iafq_err rc = IAFQ_OK;
    XLSXW_TRY(rc, xlsxw_write_text(ws, *row, 0, key, w->f.key), "About", err);
    XLSXW_TRY(rc, worksheet_write_number(ws, *row, 1, value, NULL), "About",
              err);
    (*row)++;
cleanup:
    return rc;
}

static const char *const _definitions[][2] = {
    {"SDG 16.4.2",
     "Proportion of seized, found or surrendered arms whose illicit origin or "
     "context has been traced or established by a competent authority. For "
     "a country-year: the qualifying columns are those of SEIZED, FOUND, "
     "SURRENDERED whose T1 TOTAL is given and > 0 and where at least one T8 "
     "row is given; N = the sum over them of T8 UI_LEGIT_NATIONAL + "
     "UI_ILLEGIT_NATIONAL + UI_ILLEGIT_FOREIGN + UI_OTHERWISE (blank as 0); "
     "D = the sum of T1 TOTAL over the same columns; value = 100 x N / D. No "
     "qualifying column: no value."},
    {"Regions and world",
     "Ratio of sums over the countries with the figure (e.g. 16.4.2 = 100 x "
     "sum N / sum D), never the mean of national percentages (GS3 also "
     "gives the mean of national shares, in its own column). Areas: M49 "
     "regions, M49 sub-regions, SDG regions and the world; the codes 202, "
     "419 and 053 are both a sub-region and an SDG region and appear once "
     "for each."},
    {"Countries",
     "The number of countries behind a row: those of the area that gave the "
     "figure (1 for a country row). A country without the figure has no row "
     "and is not counted."},
    {"Values",
     "As computed, not rounded: shares and 16.4.2 are percentages from 0 to "
     "100 shown with 2 decimals (format 0.00, headers marked (%)). An empty "
     "cell is a figure not given, never 0."},
    {"Order",
     "World, M49 regions, sub-regions, SDG regions, then countries; by M49 "
     "code, year and the questionnaire's row order."},
};

static iafq_err _about(_wb *w, iafq_error *err)
{
    iafq_err rc;
    const exp_ctx *ctx = w->ctx;
    lxw_worksheet *ws = _add_sheet(w, "About", err);
    if (!ws)
        return IAFQ_ERR_XLSXW;
    if ((rc = _sheet_top(w, ws,
                         "Illicit Arms Flows Questionnaire (IAFQ): SDG "
                         "indicator 16.4.2 and the Global Study tables",
                         err)) != IAFQ_OK)
        return rc;
    lxw_row_t row = _FIRST_ROW;
    char buf[512];
    if ((rc = _kv(w, ws, &row, "Data",
                  "SDG indicator 16.4.2 with its disaggregations and the "
                  "Global Study tables GS1-GS9, computed by iafq from the "
                  "national IAFQ returns (the newest accepted return of each "
                  "country-year), for countries, M49 regions, sub-regions, "
                  "SDG regions and the world.",
                  err)) != IAFQ_OK ||
        (rc = _kv(w, ws, &row, "Edition",
                  ctx->internal ? "internal, not for publication" : "public",
                  err)) != IAFQ_OK ||
        (rc = _kn(w, ws, &row, "Aggregation run", (double)ctx->run.id, err)) !=
            IAFQ_OK ||
        (rc = _kv(w, ws, &row, "Run started (UTC)", ctx->run.started, err)) !=
            IAFQ_OK ||
        (rc = _kv(w, ws, &row, "Vintage: run finished (UTC)", ctx->run.finished,
                  err)) != IAFQ_OK ||
        (rc = _kn(w, ws, &row, "Submissions used", (double)ctx->run.submissions,
                  err)) != IAFQ_OK ||
        (rc = _kv(w, ws, &row, "Release date", ctx->release, err)) != IAFQ_OK)
        return rc;
    snprintf(buf, sizeof buf, "views of schema %s (docs/sql-interface.md)",
             ctx->schema ? ctx->schema : "");
    if ((rc = _kv(w, ws, &row, "Read from", buf, err)) != IAFQ_OK)
        return rc;
    row++;
    if ((rc = _kv(w, ws, &row, "Disclosure",
                  ctx->internal
                      ? "Internal, not for publication: every country and "
                        "every aggregate, including countries whose newest "
                        "return says CONSENT = NO and aggregates of fewer "
                        "than 3 countries that include them. The columns "
                        "marked (internal) say how many of a row's countries "
                        "are withheld from public exports."
                      : "Disclosure rule applied (IAFQ-SPEC 5): a country "
                        "whose newest accepted return says CONSENT = NO (or "
                        "whose return for the year does) appears in no row, "
                        "by name or code; a regional or world figure that "
                        "includes such a country is shown only when at least "
                        "3 countries stand behind it. GS9: a country row "
                        "whose partner country is withheld is left out.",
                  err)) != IAFQ_OK)
        return rc;
    row++;
    for (size_t i = 0; i < sizeof _definitions / sizeof _definitions[0]; i++)
        if ((rc = _kv(w, ws, &row, _definitions[i][0], _definitions[i][1],
                      err)) != IAFQ_OK)
            return rc;
    row++;
    for (size_t i = 0; i < sizeof _sheets / sizeof _sheets[0]; i++)
        if ((rc = _kv(w, ws, &row, _sheets[i].name, _sheets[i].about, err)) !=
            IAFQ_OK)
            return rc;
    for (size_t i = 0; i < sizeof _charts / sizeof _charts[0]; i++)
        if ((rc = _kv(w, ws, &row, _charts[i].sheet, _charts[i].about, err)) !=
            IAFQ_OK)
            return rc;
    if ((rc = xlsxw_err(worksheet_set_column(ws, 0, 0, 30, NULL), "About",
                        err)) != IAFQ_OK ||
        (rc = xlsxw_err(worksheet_set_column(ws, 1, 1, 110, NULL), "About",
                        err)) != IAFQ_OK)
        return rc;
    return IAFQ_OK;
}

/* ------------------------------------------------------------------ main */

iafq_err gswb_write(const exp_ctx *ctx, const char *path, iafq_error *err)
{
    iafq_err rc = IAFQ_OK;
    _wb w = {.ctx = ctx};
    char *dir = NULL;
    if (!ctx || !ctx->db || !ctx->schema || !path)
        return iafq_error_set(err, IAFQ_ERR_USAGE,
                              "global study workbook: no database or path");
    /* libxlsxwriter's temporary files next to the output: same disk */
    char *copy = strdup(path);
    if (!copy || !(dir = strdup(dirname(copy)))) {
        free(copy);
        return iafq_error_set(err, IAFQ_ERR_NOMEM, "out of memory");
    }
    free(copy);
    lxw_workbook_options opt = {.constant_memory = LXW_TRUE, .tmpdir = dir};
    if (!(w.wb = xlsxw_new(path, &opt, err))) {
        rc = err ? err->code : IAFQ_ERR_XLSXW;
        goto cleanup;
    }
    if ((rc = _make_formats(&w, err)) != IAFQ_OK ||
        (rc = _about(&w, err)) != IAFQ_OK)
        goto cleanup;
    for (size_t i = 0; i < sizeof _sheets / sizeof _sheets[0]; i++)
        if ((rc = _table(&w, &_sheets[i], err)) != IAFQ_OK)
            goto cleanup;
    for (size_t i = 0; i < sizeof _charts / sizeof _charts[0]; i++)
        if ((rc = _chart_sheet(&w, &_charts[i], err)) != IAFQ_OK)
            goto cleanup;
    lxw_workbook *wb = w.wb;
    w.wb = NULL;
    rc = xlsxw_close(wb, path, err);
cleanup:
    xlsxw_discard(w.wb);
    free(w.gs1.p);
    free(w.gs2.p);
    free(w.gs6.p);
    free(dir);
    return rc;
}
