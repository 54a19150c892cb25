/* gswb_chart.c - the chart sheets of the global study workbook
 * (gswb_int.h): the figures kept while the tables stream past, then a tidy
 * block of them and a native chart on each chart sheet. */
#include "gswb_int.h"

#include "grow.h"
#include "schema.h"
#include "utf8.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

iafq_err gswb_collect_start(gswb_collector *c, const gswb_sheet *s,
                            const PGresult *res, iafq_error *err)
{
    memset(c, 0, sizeof *c);
    c->chart = s->chart;
    if (s->chart == GSWB_CH_NONE)
        return IAFQ_OK;
    const char *names[7] = {"area_type",
                            "area_code",
                            "area_name",
                            "year",
                            s->chart == GSWB_CH_GS1   ? "arms"
                            : s->chart == GSWB_CH_GS2 ? "arm_type"
                                                      : "area_type",
                            s->chart == GSWB_CH_GS1   ? "n"
                            : s->chart == GSWB_CH_GS2 ? "share_pct"
                                                      : "value",
                            "countries"};
    int idx[7];
    char what[80];
    snprintf(what, sizeof what, "view %s (chart)", s->view);
    iafq_err rc = db_cols(res, what, names, idx, 7, err);
    if (rc)
        return rc;
    c->type = idx[0];
    c->code = idx[1];
    c->name = idx[2];
    c->year = idx[3];
    c->key = idx[4];
    c->value = idx[5];
    c->countries = idx[6];
    return IAFQ_OK;
}

/* Whether row r of the chart's view is one of its points: regions (GS1);
 * the world and regions (GS2, GS6); GS1 the arms seized only. */
static int charted(const gswb_collector *c, const PGresult *res, int r)
{
    const char *type = PQgetvalue(res, r, c->type);
    if (strcmp(type, "region") != 0 &&
        !(c->chart != GSWB_CH_GS1 && strcmp(type, "world") == 0))
        return 0;
    return c->chart != GSWB_CH_GS1 ||
           strcmp(PQgetvalue(res, r, c->key), "SEIZED") == 0;
}

int gswb_collect(gswb_book *w, const gswb_collector *c, const PGresult *res,
                 int r)
{
    gswb_pts *pts = c->chart == GSWB_CH_GS1   ? &w->gs1
                    : c->chart == GSWB_CH_GS2 ? &w->gs2
                    : c->chart == GSWB_CH_GS6 ? &w->gs6
                                              : NULL;
    if (!pts || !charted(c, res, r))
        return 0;
    int key = 0;
    if (c->chart == GSWB_CH_GS2) {
        key = schema_row_index(&schema_tables[TBL_T1],
                               PQgetvalue(res, r, c->key));
        if (key < 0)
            return 0;
    }
    double v;
    if (PQgetisnull(res, r, c->value) ||
        !gswb_number(PQgetvalue(res, r, c->value), &v))
        return 0;
    if (grow((void **)&pts->p, &pts->cap, pts->n + 1, sizeof *pts->p, 64) != 0)
        return -1;
    gswb_pt *p = &pts->p[pts->n++];
    memset(p, 0, sizeof *p);
    const char *code = PQgetvalue(res, r, c->code);
    const char *name = PQgetvalue(res, r, c->name);
    size_t n =
        utf8_prefix(code, strlen(code), sizeof p->code - 1, sizeof p->code - 1);
    memcpy(p->code, code, n);
    n = utf8_prefix(name, strlen(name), GSWB_AREA_NAME_MAX, sizeof p->name - 1);
    memcpy(p->name, name, n);
    p->year = atoi(PQgetvalue(res, r, c->year));
    p->countries = atoi(PQgetvalue(res, r, c->countries));
    p->key = key;
    p->v = v;
    return 0;
}

static int cmp_int(const void *a, const void *b)
{
    int x = *(const int *)a, y = *(const int *)b;
    return (x > y) - (x < y);
}

/* The distinct areas of pts (indexes of their first point, in the order
 * they came: the tables' order) and the distinct years, ascending; only
 * the points of area `code` when it is not NULL. */
static int axes(const gswb_pts *pts, const char *code, size_t **areas,
                size_t *na, int **years, size_t *ny)
{
    *areas = calloc(pts->n ? pts->n : 1, sizeof **areas);
    *years = calloc(pts->n ? pts->n : 1, sizeof **years);
    *na = *ny = 0;
    if (!*areas || !*years)
        return -1;
    for (size_t i = 0; i < pts->n; i++) {
        const gswb_pt *p = &pts->p[i];
        if (code && strcmp(p->code, code) != 0)
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
    qsort(*years, *ny, sizeof **years, cmp_int);
    return 0;
}

static const gswb_pt *find(const gswb_pts *pts, const char *code, int year,
                           int key)
{
    for (size_t i = 0; i < pts->n; i++)
        if (pts->p[i].year == year && pts->p[i].key == key &&
            !strcmp(pts->p[i].code, code))
            return &pts->p[i];
    return NULL;
}

typedef struct {
    gswb_chart_id id;
    const char *sheet, *title, *about, *y_axis;
} chart_def;

static const chart_def charts[] = {
    {GSWB_CH_GS1, "GS1 chart", "Arms seized by M49 region",
     "GS1: arms seized by M49 region and year (line chart; each point labelled "
     "with the countries behind it)",
     "Arms seized"},
    {GSWB_CH_GS2, "GS2 chart",
     "Arms seized by type, share of the reported types",
     "GS2: shares of the arm types over the years, one chart for the world and "
     "one per M49 region (stacked columns; each year labelled with the "
     "countries behind it)",
     "Share of the reported types (%)"},
    {GSWB_CH_GS6, "GS6 chart", "SDG 16.4.2 by M49 region and world",
     "GS6: SDG 16.4.2 by M49 region and world, by year (line chart; each point "
     "labelled with the countries behind it)",
     "Arms traced (%)"},
};

/* What one chart draws: years (the categories) x series, and the point of
 * each (NULL where there is none).  The countries behind a point are shown
 * next to it: as a data label of each point (`point_labels`: GS1, GS6,
 * one series per area) or in the year's category label (GS2, one chart per
 * area, one series per arm type: "2019 (12 countries)", "2019 (3-4
 * countries)" when the types rest on different numbers). */
typedef struct {
    const chart_def *ch;
    const char *head;  /* header of the category column */
    const char *title; /* the chart's title */
    const int *years;
    size_t ny;
    const char **names; /* series names, borrowed */
    size_t ns;
    const gswb_pt **pt; /* [s * ny + y] */
    bool point_labels;
} grid;

#define LABEL_BUF 48

/* "12 countries", "1 country", or "3-12 countries" (lo < hi). */
static void countries_text(char *out, size_t cap, int lo, int hi)
{
    if (lo == hi)
        snprintf(out, cap, "%d %s", hi, hi == 1 ? "country" : "countries");
    else
        snprintf(out, cap, "%d-%d countries", lo, hi);
}

/* The category label of year y: the year, or "2019 (12 countries)". */
static void category_text(const grid *g, size_t y, char *out, size_t cap)
{
    int lo = 0, hi = 0;
    for (size_t s = 0; s < g->ns; s++) {
        const gswb_pt *p = g->pt[s * g->ny + y];
        if (p && (!hi || p->countries < lo))
            lo = p->countries;
        if (p && p->countries > hi)
            hi = p->countries;
    }
    char c[LABEL_BUF];
    countries_text(c, sizeof c, lo, hi);
    snprintf(out, cap, "%d (%s)", g->years[y], c);
}

/* The block of g from row0: header row, one row per year: the category
 * (year, or its label), the series' values, and with point_labels one
 * column per series of the countries behind each point. */
static iafq_err grid_cells(gswb_book *w, const grid *g, lxw_worksheet *ws,
                           lxw_row_t row0, iafq_error *err)
{
    iafq_err rc = IAFQ_OK;
    lxw_format *fmt = g->ch->id == GSWB_CH_GS1 ? w->f.count : w->f.pct;
    char text[GSWB_AREA_NAME_MAX + LABEL_BUF];
    XLSXW_TRY(rc, xlsxw_write_text(ws, row0, 0, g->head, w->f.header), "header",
              err);
    for (size_t s = 0; s < g->ns; s++) {
        lxw_col_t x = (lxw_col_t)(s + 1);
        XLSXW_TRY(rc, xlsxw_write_text(ws, row0, x, g->names[s], w->f.header),
                  "header", err);
        snprintf(text, sizeof text, "%s: countries", g->names[s]);
        if (g->point_labels)
            XLSXW_TRY(rc,
                      xlsxw_write_text(ws, row0, (lxw_col_t)(x + g->ns), text,
                                       w->f.header),
                      "header", err);
    }
    for (size_t y = 0; y < g->ny; y++) {
        lxw_row_t row = (lxw_row_t)(row0 + 1 + y);
        category_text(g, y, text, sizeof text);
        XLSXW_TRY(rc,
                  g->point_labels
                      ? worksheet_write_number(ws, row, 0, g->years[y], NULL)
                      : xlsxw_write_text(ws, row, 0, text, NULL),
                  "cell", err);
        for (size_t s = 0; s < g->ns; s++) {
            const gswb_pt *p = g->pt[s * g->ny + y];
            if (!p)
                continue;
            lxw_col_t x = (lxw_col_t)(s + 1);
            XLSXW_TRY(rc, worksheet_write_number(ws, row, x, p->v, fmt), "cell",
                      err);
            countries_text(text, sizeof text, p->countries, p->countries);
            if (g->point_labels)
                XLSXW_TRY(rc,
                          xlsxw_write_text(ws, row, (lxw_col_t)(x + g->ns),
                                           text, NULL),
                          "cell", err);
        }
    }
cleanup:
    return rc;
}

/* Series s's data labels: each point's "N countries" cell of the block
 * from row0 (none where the series has no point). */
static iafq_err point_labels(const grid *g, lxw_chart_series *se, size_t s,
                             lxw_row_t row0, iafq_error *err)
{
    iafq_err rc = IAFQ_OK;
    char quoted[2 * XLSXW_SHEETNAME_BUF + 3], cell[32];
    lxw_chart_data_label *lab = calloc(g->ny, sizeof *lab);
    lxw_chart_data_label **ptr = calloc(g->ny + 1, sizeof *ptr);
    char *text = calloc(g->ny, sizeof quoted + sizeof cell + 2);
    if (!lab || !ptr || !text) {
        rc = iafq_error_set(err, IAFQ_ERR_NOMEM, "out of memory");
        goto cleanup;
    }
    xlsxw_quote_sheet(g->ch->sheet, quoted);
    for (size_t y = 0; y < g->ny; y++) {
        char *t = text + y * (sizeof quoted + sizeof cell + 2);
        lxw_rowcol_to_cell_abs(cell, (lxw_row_t)(row0 + 1 + y),
                               (lxw_col_t)(s + 1 + g->ns), 1, 1);
        snprintf(t, sizeof quoted + sizeof cell + 2, "=%s!%s", quoted, cell);
        lab[y].value = t;
        lab[y].hide = g->pt[s * g->ny + y] == NULL;
        ptr[y] = &lab[y];
    }
    chart_series_set_labels(se);
    chart_series_set_labels_position(se, LXW_CHART_LABEL_POSITION_ABOVE);
    /* the library copies the labels */
    XLSXW_TRY(rc, chart_series_set_labels_custom(se, ptr), "data labels", err);
cleanup:
    free(lab);
    free(ptr);
    free(text);
    return rc;
}

/* g as a block from row0 and its chart at (row0, col) scaled by scale. */
static iafq_err grid_chart(gswb_book *w, const grid *g, lxw_worksheet *ws,
                           lxw_row_t row0, lxw_col_t col, double scale,
                           iafq_error *err)
{
    iafq_err rc = grid_cells(w, g, ws, row0, err);
    if (rc)
        return rc;
    lxw_chart *chart = workbook_add_chart(
        w->wb, g->point_labels ? LXW_CHART_LINE : LXW_CHART_COLUMN_STACKED);
    if (!chart)
        return iafq_error_set(err, IAFQ_ERR_XLSXW, "cannot add chart");
    chart_title_set_name(chart, g->title);
    chart_axis_set_name(chart->x_axis, "Year");
    chart_axis_set_name(chart->y_axis, g->ch->y_axis);
    if (!g->point_labels)
        chart_axis_set_max(chart->y_axis, 100);
    chart_legend_set_position(chart, LXW_CHART_LEGEND_BOTTOM);
    lxw_row_t first = row0 + 1, last = (lxw_row_t)(row0 + g->ny);
    for (size_t s = 0; s < g->ns && !rc; s++) {
        lxw_col_t x = (lxw_col_t)(s + 1);
        lxw_chart_series *se = chart_add_series(chart, NULL, NULL);
        if (!se)
            return iafq_error_set(err, IAFQ_ERR_XLSXW, "cannot add a series");
        chart_series_set_categories(se, g->ch->sheet, first, 0, last, 0);
        chart_series_set_values(se, g->ch->sheet, first, x, last, x);
        chart_series_set_name_range(se, g->ch->sheet, row0, x);
        if (g->point_labels) {
            chart_series_set_marker_type(se, LXW_CHART_MARKER_AUTOMATIC);
            rc = point_labels(g, se, s, row0, err);
        }
    }
    lxw_chart_options opt = {.x_scale = scale, .y_scale = scale};
    if (!rc)
        XLSXW_TRY(rc, worksheet_insert_chart_opt(ws, row0, col, chart, &opt),
                  "chart", err);
cleanup:
    return rc;
}

/* GS1, GS6: one chart, one series per area (world and regions in the
 * tables' order), the years as categories. */
static iafq_err chart_areas(gswb_book *w, const chart_def *ch,
                            const gswb_pts *pts, lxw_worksheet *ws,
                            iafq_error *err)
{
    iafq_err rc = IAFQ_OK;
    size_t *areas = NULL, na = 0, ny = 0;
    int *years = NULL;
    const char **names = NULL;
    const gswb_pt **pt = NULL;
    if (axes(pts, NULL, &areas, &na, &years, &ny) != 0 ||
        !(names = calloc(na + 1, sizeof *names)) ||
        !(pt = calloc(na * ny + 1, sizeof *pt))) {
        rc = iafq_error_set(err, IAFQ_ERR_NOMEM, "out of memory");
        goto cleanup;
    }
    for (size_t a = 0; a < na; a++) {
        names[a] = pts->p[areas[a]].name;
        for (size_t y = 0; y < ny; y++)
            pt[a * ny + y] = find(pts, pts->p[areas[a]].code, years[y], 0);
    }
    grid g = {ch, "Year", ch->title, years, ny, names, na, pt, true};
    XLSXW_TRY(rc, worksheet_set_column(ws, 0, 0, 8, NULL), "column width", err);
    XLSXW_TRY(rc, worksheet_set_column(ws, 1, (lxw_col_t)(2 * na), 16, NULL),
              "column width", err);
    rc = grid_chart(w, &g, ws, GSWB_HEADER_ROW, (lxw_col_t)(2 * na + 2), 1.6,
                    err);
cleanup:
    free(areas);
    free(years);
    free(names);
    free(pt);
    return rc;
}

/* GS2: for the world and each region (the tables' order) a block and a
 * stacked column chart of the arm types' shares over the years; the same
 * types (those with a share anywhere, in T1's order) in every chart, so
 * that a type has the same colour in each. */
static iafq_err chart_types(gswb_book *w, const chart_def *ch,
                            const gswb_pts *pts, lxw_worksheet *ws,
                            iafq_error *err)
{
    iafq_err rc = IAFQ_OK;
    size_t *areas = NULL, na = 0, ny = 0, *unused = NULL, nu = 0;
    int *years = NULL, *ay = NULL;
    const schema_table *t1 = &schema_tables[TBL_T1];
    const char *names[SCHEMA_MAX_ROWS];
    int keys[SCHEMA_MAX_ROWS];
    size_t nk = 0;
    const gswb_pt **pt = NULL;
    if (axes(pts, NULL, &areas, &na, &years, &ny) != 0 ||
        !(pt = calloc(SCHEMA_MAX_ROWS * ny + 1, sizeof *pt))) {
        rc = iafq_error_set(err, IAFQ_ERR_NOMEM, "out of memory");
        goto cleanup;
    }
    for (int k = 0; k < t1->nrows && nk < SCHEMA_MAX_ROWS; k++)
        for (size_t i = 0; i < pts->n; i++)
            if (pts->p[i].key == k) {
                names[nk] = t1->rows[k].label;
                keys[nk++] = k;
                break;
            }
    lxw_row_t row0 = GSWB_HEADER_ROW;
    XLSXW_TRY(rc, worksheet_set_column(ws, 0, 0, 24, NULL), "column width",
              err);
    XLSXW_TRY(rc, worksheet_set_column(ws, 1, (lxw_col_t)nk, 14, NULL),
              "column width", err);
    for (size_t a = 0; a < na && !rc; a++) {
        const gswb_pt *ap = &pts->p[areas[a]];
        size_t any;
        if (axes(pts, ap->code, &unused, &nu, &ay, &any) != 0) {
            rc = iafq_error_set(err, IAFQ_ERR_NOMEM, "out of memory");
            goto cleanup;
        }
        for (size_t k = 0; k < nk; k++)
            for (size_t y = 0; y < any; y++)
                pt[k * any + y] = find(pts, ap->code, ay[y], keys[k]);
        char title[GSWB_AREA_NAME_MAX + 160];
        snprintf(title, sizeof title, "%s: %s", ch->title, ap->name);
        grid g = {ch, ap->name, title, ay, any, names, nk, pt, false};
        rc = grid_chart(w, &g, ws, row0, (lxw_col_t)(nk + 2), 1.2, err);
        /* the next block below this one and below its chart (18 rows) */
        row0 += (lxw_row_t)(any + 2 > 20 ? any + 2 : 20);
        free(unused);
        free(ay);
        unused = NULL;
        ay = NULL;
    }
cleanup:
    free(areas);
    free(years);
    free(unused);
    free(ay);
    free(pt);
    return rc;
}

static iafq_err chart_sheet(gswb_book *w, const chart_def *ch, iafq_error *err)
{
    iafq_err rc;
    lxw_worksheet *ws = gswb_add_sheet(w, ch->sheet, err);
    if (!ws)
        return IAFQ_ERR_XLSXW;
    if ((rc = gswb_sheet_top(w, ws, ch->title, err)) != IAFQ_OK)
        return rc;
    const gswb_pts *pts = ch->id == GSWB_CH_GS1   ? &w->gs1
                          : ch->id == GSWB_CH_GS2 ? &w->gs2
                                                  : &w->gs6;
    if (pts->n == 0)
        return xlsxw_err(xlsxw_write_text(ws, GSWB_HEADER_ROW, 0,
                                          "No regional figures in this "
                                          "edition.",
                                          NULL),
                         "chart data", err);
    if (ch->id == GSWB_CH_GS2)
        return chart_types(w, ch, pts, ws, err);
    return chart_areas(w, ch, pts, ws, err);
}

iafq_err gswb_charts(gswb_book *w, iafq_error *err)
{
    iafq_err rc = IAFQ_OK;
    for (size_t i = 0; i < sizeof charts / sizeof charts[0] && !rc; i++)
        rc = chart_sheet(w, &charts[i], err);
    return rc;
}

size_t gswb_chart_count(void)
{
    return sizeof charts / sizeof charts[0];
}

void gswb_chart_about(size_t i, const char **sheet, const char **about)
{
    *sheet = charts[i].sheet;
    *about = charts[i].about;
}
