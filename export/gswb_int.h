/*
 * gswb_int.h - the parts of the global study workbook (gswb.h), shared by
 * its modules and by nothing else:
 *   gswb.c        gswb_write: the workbook, its formats, the top rows every
 *                 sheet has
 *   gswb_sheets.c the table sheets' descriptions: columns, headers, kinds
 *   gswb_table.c  writing a table sheet from its view's rows (views.h)
 *   gswb_chart.c  the figures a chart needs, kept while the tables stream
 *                 past, and the chart sheets written last
 *   gswb_about.c  the About sheet
 *
 * Ownership: a gswb_book is the writer's; everything in it is freed by
 * gswb_write.  The description tables are static.
 */
#ifndef IAFQ_GSWB_INT_H
#define IAFQ_GSWB_INT_H

#include "gswb.h"
#include "views.h"
#include "xlsxw.h"

#include <stdbool.h>

#define GSWB_TITLE_ROW 0
#define GSWB_NOTE_ROW 1
#define GSWB_HEADER_ROW 2
#define GSWB_FIRST_ROW 3
#define GSWB_MAX_COLS 24
#define GSWB_AREA_NAME_MAX 128
#define GSWB_NO_TABLE -1
#define GSWB_BY_DIMENSION -2 /* GS5 category: the table its dimension names */

typedef enum {
    GSWB_K_TEXT,  /* a string */
    GSWB_K_LABEL, /* the label (common/schema.h) of the code in `field` */
    GSWB_K_INT,   /* a count: "#,##0" */
    GSWB_K_PCT,   /* a share or 16.4.2, 0-100: "0.00" */
    GSWB_K_BOOL,
} gswb_kind;

/* A column of a table sheet: internal-only ones (exp_internal_only) are
 * left out of public workbooks. */
typedef struct {
    const char *field;  /* column of the view */
    const char *header; /* header cell */
    gswb_kind kind;
    int table; /* GSWB_K_LABEL: the table_id whose codes `field` holds */
} gswb_col;

typedef enum {
    GSWB_CH_NONE,
    GSWB_CH_GS1,
    GSWB_CH_GS2,
    GSWB_CH_GS6
} gswb_chart_id;

typedef struct {
    const char *code;  /* "GS1": continuation sheets are "GS1 (2)" */
    const char *name;  /* sheet name */
    const char *title; /* row 1 */
    const char *about; /* one line on the About sheet */
    const char *view;  /* views.h: the view, its query and row order */
    const gswb_col *cols;
    int ncols;
    gswb_chart_id chart;
} gswb_sheet;

/* The table sheets, in order (gswb_sheets.c); *n their number. */
const gswb_sheet *gswb_sheets(size_t *n);

/* A charted figure. */
typedef struct {
    char code[8];
    char name[GSWB_AREA_NAME_MAX];
    int year;
    int key;       /* GS2: index of the arm type in T1's rows */
    int countries; /* the countries behind the figure */
    double v;
} gswb_pt;

typedef struct {
    gswb_pt *p;
    size_t n, cap;
} gswb_pts;

typedef struct {
    lxw_format *title, *note, *banner, *header, *count, *pct, *key, *wrap;
} gswb_formats;

/* The workbook being written. */
typedef struct {
    const exp_ctx *ctx;
    lxw_workbook *wb;
    gswb_formats f;
    gswb_pts gs1, gs2, gs6; /* what the charts need */
} gswb_book;

/* gswb.c: a new sheet (NULL after setting err); its title in row 1 and
 * the edition note in row 2 (and the printed page header of internal
 * sheets). */
lxw_worksheet *gswb_add_sheet(gswb_book *w, const char *name, iafq_error *err);
iafq_err gswb_sheet_top(gswb_book *w, lxw_worksheet *ws, const char *title,
                        iafq_error *err);
/* The data rows a table sheet holds before it goes on into the next. */
unsigned long gswb_rows_per_sheet(void);

/* gswb_table.c: the sheet(s) of table s. */
iafq_err gswb_table(gswb_book *w, const gswb_sheet *s, iafq_error *err);
/* A finite number that is all of v into *out: 1, else 0. */
int gswb_number(const char *v, double *out);

/* gswb_chart.c: what the charts need to be resolved once per table (the
 * columns of res by name), then kept from each row; the chart sheets. */
typedef struct {
    gswb_chart_id chart;
    int type, code, name, year, key, value, countries; /* column numbers */
} gswb_collector;
iafq_err gswb_collect_start(gswb_collector *c, const gswb_sheet *s,
                            const PGresult *res, iafq_error *err);
/* Keep what the chart needs of row r.  0, or -1 when out of memory. */
int gswb_collect(gswb_book *w, const gswb_collector *c, const PGresult *res,
                 int r);
iafq_err gswb_charts(gswb_book *w, iafq_error *err);
/* The chart sheets' names and one line each for the About sheet. */
size_t gswb_chart_count(void);
void gswb_chart_about(size_t i, const char **sheet, const char **about);

/* gswb_about.c: the About sheet (first). */
iafq_err gswb_about(gswb_book *w, iafq_error *err);

#endif
