/* gswb_about.c - the About sheet of the global study workbook
 * (gswb_int.h): the data, the run, the edition, the definitions, the list
 * of sheets. */
#include "gswb_int.h"

#include <stdio.h>

static iafq_err kv(gswb_book *w, lxw_worksheet *ws, lxw_row_t *row,
                   const char *key, const char *value, iafq_error *err)
{
    iafq_err rc = IAFQ_OK;
    XLSXW_TRY(rc, xlsxw_write_text(ws, *row, 0, key, w->f.key), "About", err);
    XLSXW_TRY(rc, xlsxw_write_text(ws, *row, 1, value, w->f.wrap), "About",
              err);
    (*row)++;
cleanup:
    return rc;
}

static iafq_err kn(gswb_book *w, lxw_worksheet *ws, lxw_row_t *row,
                   const char *key, double value, iafq_error *err)
{
    iafq_err rc = IAFQ_OK;
    XLSXW_TRY(rc, xlsxw_write_text(ws, *row, 0, key, w->f.key), "About", err);
    XLSXW_TRY(rc, worksheet_write_number(ws, *row, 1, value, NULL), "About",
              err);
    (*row)++;
cleanup:
    return rc;
}

static const char *const definitions[][2] = {
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

iafq_err gswb_about(gswb_book *w, iafq_error *err)
{
    iafq_err rc;
    const exp_ctx *ctx = w->ctx;
    lxw_worksheet *ws = gswb_add_sheet(w, "About", err);
    if (!ws)
        return IAFQ_ERR_XLSXW;
    if ((rc = gswb_sheet_top(w, ws,
                             "Illicit Arms Flows Questionnaire (IAFQ): SDG "
                             "indicator 16.4.2 and the Global Study tables",
                             err)) != IAFQ_OK)
        return rc;
    lxw_row_t row = GSWB_FIRST_ROW;
    char buf[512];
    if ((rc = kv(w, ws, &row, "Data",
                 "SDG indicator 16.4.2 with its disaggregations and the "
                 "Global Study tables GS1-GS9, computed by iafq from the "
                 "national IAFQ returns (the newest accepted return of each "
                 "country-year), for countries, M49 regions, sub-regions, "
                 "SDG regions and the world.",
                 err)) != IAFQ_OK ||
        (rc = kv(w, ws, &row, "Edition",
                 ctx->internal ? "internal, not for publication" : "public",
                 err)) != IAFQ_OK ||
        (rc = kn(w, ws, &row, "Aggregation run", (double)ctx->run.id, err)) !=
            IAFQ_OK ||
        (rc = kv(w, ws, &row, "Run started (UTC)", ctx->run.started, err)) !=
            IAFQ_OK ||
        (rc = kv(w, ws, &row, "Vintage: run finished (UTC)", ctx->run.finished,
                 err)) != IAFQ_OK ||
        (rc = kn(w, ws, &row, "Submissions used", (double)ctx->run.submissions,
                 err)) != IAFQ_OK ||
        (rc = kv(w, ws, &row, "Release date", ctx->release, err)) != IAFQ_OK)
        return rc;
    snprintf(buf, sizeof buf, "views of schema %s (docs/sql-interface.md)",
             ctx->schema ? ctx->schema : "");
    if ((rc = kv(w, ws, &row, "Read from", buf, err)) != IAFQ_OK)
        return rc;
    row++;
    if ((rc = kv(w, ws, &row, "Disclosure",
                 ctx->internal
                     ? "Internal, not for publication: every country and "
                       "every aggregate, including countries whose newest "
                       "return says CONSENT = NO and the aggregates that "
                       "include them (the public edition leaves them out "
                       "of every row and every aggregate). The columns "
                       "marked (internal) say how many of a row's countries "
                       "are withheld from public exports."
                     : "Disclosure rule applied (IAFQ-SPEC 5): a country "
                       "whose newest accepted return says CONSENT = NO (or "
                       "whose return for the year does) appears in no row, "
                       "by name or code: it is treated as not having "
                       "reported, and no regional or world figure includes "
                       "its figures. GS9: a partner country (manufacture, "
                       "departure, destination) that is withheld is shown "
                       "as 'Not published', with no code; the quantity "
                       "stays in the reporting country's figures.",
                 err)) != IAFQ_OK)
        return rc;
    row++;
    for (size_t i = 0; i < sizeof definitions / sizeof definitions[0]; i++)
        if ((rc = kv(w, ws, &row, definitions[i][0], definitions[i][1], err)) !=
            IAFQ_OK)
            return rc;
    row++;
    size_t ns;
    const gswb_sheet *sheets = gswb_sheets(&ns);
    for (size_t i = 0; i < ns; i++)
        if ((rc = kv(w, ws, &row, sheets[i].name, sheets[i].about, err)) !=
            IAFQ_OK)
            return rc;
    for (size_t i = 0; i < gswb_chart_count(); i++) {
        const char *sheet, *about;
        gswb_chart_about(i, &sheet, &about);
        if ((rc = kv(w, ws, &row, sheet, about, err)) != IAFQ_OK)
            return rc;
    }
    if ((rc = xlsxw_err(worksheet_set_column(ws, 0, 0, 30, NULL), "About",
                        err)) != IAFQ_OK ||
        (rc = xlsxw_err(worksheet_set_column(ws, 1, 1, 110, NULL), "About",
                        err)) != IAFQ_OK)
        return rc;
    return IAFQ_OK;
}
