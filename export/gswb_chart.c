/* gswb_chart.c - the chart sheets of the global study workbook
 * (gswb_int.h): the figures kept while the tables stream past, then a tidy
 * block of them and a native chart on each chart sheet. */
#include "gswb_int.h"

#include "grow.h"
#include "schema.h"
#include "utf8.h"

#include <math.h>
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
    const char *names[6] = {"area_type",
                            "area_code",
                            "area_name",
                            "year",
                            s->chart == GSWB_CH_GS1   ? "arms"
                            : s->chart == GSWB_CH_GS2 ? "arm_type"
                                                      : "area_type",
                            s->chart == GSWB_CH_GS1   ? "n"
                            : s->chart == GSWB_CH_GS2 ? "share_pct"
                                                      : "value"};
    int idx[6];
    char what[80];
    snprintf(what, sizeof what, "view %s (chart)", s->view);
    iafq_err rc = db_cols(res, what, names, idx, 6, err);
    if (rc)
        return rc;
    c->type = idx[0];
    c->code = idx[1];
    c->name = idx[2];
    c->year = idx[3];
    c->key = idx[4];
    c->value = idx[5];
    return IAFQ_OK;
}

int gswb_collect(gswb_book *w, const gswb_collector *c, const PGresult *res,
                 int r)
{
    gswb_pts *pts = c->chart == GSWB_CH_GS1   ? &w->gs1
                    : c->chart == GSWB_CH_GS2 ? &w->gs2
                    : c->chart == GSWB_CH_GS6 ? &w->gs6
                                              : NULL;
    if (!pts)
        return 0;
    const char *type = PQgetvalue(res, r, c->type);
    if (strcmp(type, "region") != 0 &&
        !(c->chart == GSWB_CH_GS6 && strcmp(type, "world") == 0))
        return 0;
    int key = 0;
    if (c->chart == GSWB_CH_GS1 &&
        strcmp(PQgetvalue(res, r, c->key), "SEIZED") != 0)
        return 0;
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
 * they came: the tables' order) and the distinct years, ascending. */
static int axes(const gswb_pts *pts, int year_only, size_t **areas, size_t *na,
                int **years, size_t *ny)
{
    *areas = calloc(pts->n ? pts->n : 1, sizeof **areas);
    *years = calloc(pts->n ? pts->n : 1, sizeof **years);
    *na = *ny = 0;
    if (!*areas || !*years)
        return -1;
    for (size_t i = 0; i < pts->n; i++) {
        const gswb_pt *p = &pts->p[i];
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
     "GS1: arms seized by M49 region and year (line chart)", "Arms seized"},
    {GSWB_CH_GS2, "GS2 chart", "Arms seized by type, share by M49 region",
     "GS2: shares of the arm types by M49 region, latest year with regional "
     "figures (stacked bar chart)",
     "Share of the reported types (%)"},
    {GSWB_CH_GS6, "GS6 chart", "SDG 16.4.2 by M49 region and world",
     "GS6: SDG 16.4.2 by M49 region and world, by year (line chart)",
     "Arms traced (%)"},
};

/* A line chart over the years (GS1, GS6): block "Year | area ..." from
 * row GSWB_HEADER_ROW, one row per year, one series per area. */
static iafq_err chart_years(gswb_book *w, const chart_def *ch,
                            const gswb_pts *pts, lxw_worksheet *ws,
                            iafq_error *err)
{
    iafq_err rc = IAFQ_OK;
    size_t *areas = NULL, na = 0, ny = 0;
    int *years = NULL;
    lxw_format *fmt = ch->id == GSWB_CH_GS6 ? w->f.pct : w->f.count;
    if (axes(pts, -1, &areas, &na, &years, &ny) != 0) {
        rc = iafq_error_set(err, IAFQ_ERR_NOMEM, "out of memory");
        goto cleanup;
    }
    if (na == 0 || ny == 0) {
        XLSXW_TRY(rc,
                  xlsxw_write_text(ws, GSWB_HEADER_ROW, 0,
                                   "No regional figures in this edition.",
                                   NULL),
                  "chart data", err);
        goto cleanup;
    }
    XLSXW_TRY(rc, xlsxw_write_text(ws, GSWB_HEADER_ROW, 0, "Year", w->f.header),
              "header", err);
    for (size_t a = 0; a < na; a++)
        XLSXW_TRY(rc,
                  xlsxw_write_text(ws, GSWB_HEADER_ROW, (lxw_col_t)(a + 1),
                                   pts->p[areas[a]].name, w->f.header),
                  "header", err);
    for (size_t y = 0; y < ny; y++) {
        lxw_row_t row = (lxw_row_t)(GSWB_FIRST_ROW + y);
        XLSXW_TRY(rc, worksheet_write_number(ws, row, 0, years[y], NULL),
                  "cell", err);
        for (size_t a = 0; a < na; a++) {
            const gswb_pt *p = find(pts, pts->p[areas[a]].code, years[y], 0);
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
    lxw_row_t last = (lxw_row_t)(GSWB_FIRST_ROW + ny - 1);
    for (size_t a = 0; a < na; a++) {
        lxw_chart_series *se = chart_add_series(chart, NULL, NULL);
        if (!se) {
            rc = iafq_error_set(err, IAFQ_ERR_XLSXW, "cannot add a series");
            goto cleanup;
        }
        chart_series_set_categories(se, ch->sheet, GSWB_FIRST_ROW, 0, last, 0);
        chart_series_set_values(se, ch->sheet, GSWB_FIRST_ROW,
                                (lxw_col_t)(a + 1), last, (lxw_col_t)(a + 1));
        chart_series_set_name_range(se, ch->sheet, GSWB_HEADER_ROW,
                                    (lxw_col_t)(a + 1));
        chart_series_set_marker_type(se, LXW_CHART_MARKER_AUTOMATIC);
    }
    lxw_chart_options opt = {.x_scale = 1.6, .y_scale = 1.5};
    XLSXW_TRY(rc,
              worksheet_insert_chart_opt(ws, GSWB_HEADER_ROW,
                                         (lxw_col_t)(na + 2), chart, &opt),
              "chart", err);
cleanup:
    free(areas);
    free(years);
    return rc;
}

/* A stacked bar chart of the GS2 shares: block "Region | type ..." for the
 * latest year, one row per region, one series per arm type. */
static iafq_err chart_types(gswb_book *w, const chart_def *ch,
                            const gswb_pts *pts, lxw_worksheet *ws,
                            iafq_error *err)
{
    iafq_err rc = IAFQ_OK;
    size_t *areas = NULL, na = 0, ny = 0;
    int *years = NULL, latest = -1;
    int keys[SCHEMA_MAX_ROWS], nk = 0;
    const schema_table *t1 = &schema_tables[TBL_T1];
    for (size_t i = 0; i < pts->n; i++)
        if (pts->p[i].year > latest)
            latest = pts->p[i].year;
    if (axes(pts, latest, &areas, &na, &years, &ny) != 0) {
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
                  xlsxw_write_text(ws, GSWB_HEADER_ROW, 0,
                                   "No regional figures in this edition.",
                                   NULL),
                  "chart data", err);
        goto cleanup;
    }
    char head[64];
    snprintf(head, sizeof head, "Region, %d", latest);
    XLSXW_TRY(rc, xlsxw_write_text(ws, GSWB_HEADER_ROW, 0, head, w->f.header),
              "header", err);
    for (int k = 0; k < nk; k++)
        XLSXW_TRY(rc,
                  xlsxw_write_text(ws, GSWB_HEADER_ROW, (lxw_col_t)(k + 1),
                                   t1->rows[keys[k]].label, w->f.header),
                  "header", err);
    for (size_t a = 0; a < na; a++) {
        lxw_row_t row = (lxw_row_t)(GSWB_FIRST_ROW + a);
        const gswb_pt *ap = &pts->p[areas[a]];
        XLSXW_TRY(rc, xlsxw_write_text(ws, row, 0, ap->name, NULL), "cell",
                  err);
        for (int k = 0; k < nk; k++) {
            const gswb_pt *p = find(pts, ap->code, latest, keys[k]);
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
    lxw_row_t last = (lxw_row_t)(GSWB_FIRST_ROW + na - 1);
    for (int k = 0; k < nk; k++) {
        lxw_chart_series *se = chart_add_series(chart, NULL, NULL);
        if (!se) {
            rc = iafq_error_set(err, IAFQ_ERR_XLSXW, "cannot add a series");
            goto cleanup;
        }
        chart_series_set_categories(se, ch->sheet, GSWB_FIRST_ROW, 0, last, 0);
        chart_series_set_values(se, ch->sheet, GSWB_FIRST_ROW,
                                (lxw_col_t)(k + 1), last, (lxw_col_t)(k + 1));
        chart_series_set_name_range(se, ch->sheet, GSWB_HEADER_ROW,
                                    (lxw_col_t)(k + 1));
    }
    lxw_chart_options opt = {.x_scale = 1.6, .y_scale = 1.5};
    XLSXW_TRY(rc,
              worksheet_insert_chart_opt(ws, GSWB_HEADER_ROW,
                                         (lxw_col_t)(nk + 2), chart, &opt),
              "chart", err);
cleanup:
    free(areas);
    free(years);
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
    if (ch->id == GSWB_CH_GS2)
        return chart_types(w, ch, &w->gs2, ws, err);
    return chart_years(w, ch, ch->id == GSWB_CH_GS1 ? &w->gs1 : &w->gs6, ws,
                       err);
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
