/* iafq explain - one published figure traced to the countries, submissions
 * and cells behind it, and checked to add up (aggregate/explain.h). */
#include "cli.h"
#include "explain.h"
#include "log.h"
#include "m49.h"
#include "report.h"
#include "str.h"

#include <cjson/cJSON.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char explain_help[] =
    "usage: iafq [--db CONNINFO] explain [--format text|json] [--public]\n"
    "                                    VIEW AREA YEAR [KEY=VALUE...]\n"
    "\n"
    "The figure of VIEW for AREA and YEAR as published in the latest run,\n"
    "each country behind it with its submission (id, file, received,\n"
    "SHA-256) and the cells its figure is made of (e.g. T8!C7 = 120; gs9:\n"
    "the T11 rows, at most 100 listed per country), and the arithmetic that\n"
    "gives the figure.  The parts are added up again and checked against\n"
    "the published figure (exit 3 when they do not agree).\n"
    "\n"
    "  VIEW       sdg_16_4_2, sdg_16_4_2_by_column, sdg_16_4_2_by_tracing,\n"
    "             gs1, gs2, gs3, gs4, gs5, gs6, gs7, gs8 or gs9\n"
    "  AREA       ISO alpha-3 of a country (ESP) or an M49 area code (419,\n"
    "             001 the world), as the views' area_code\n"
    "  KEY=VALUE  the row of the view: arms=SEIZED (sdg_16_4_2_by_column,\n"
    "             gs1), arm_type=PISTOL (gs2), justification=... (gs3),\n"
    "             offence=... (gs4), dimension=condition|marking|place\n"
    "             arms=... category=... (gs5),\n"
    "             item=... (gs7), arms=ALL tracing=...\n"
    "             (sdg_16_4_2_by_tracing), breakdown=total|column|tracing\n"
    "             arms=... tracing=... (gs6), persons=... sex=FEMALE (gs8),\n"
    "             flow=manufacture|route and manufacture_code=... or\n"
    "             departure_code=... destination_code=... (gs9: an M49\n"
    "             code, unknown, or not-published with --public), and\n"
    "             area_type=region|subregion|sdg_region|world|country when\n"
    "             a code names areas of two types; several rows match: the\n"
    "             choices are listed (exit 2)\n"
    "\n"
    "  --public           what the portal sees (iafq_public): the withheld\n"
    "                     countries are left out of the figure and the list\n"
    "                     (gs9: and never named as partners)\n"
    "  --format text|json output format on stdout (default text)\n";

enum { OPT_FORMAT = 'f', OPT_HELP = 'h', OPT_PUBLIC = 'p' };

static const char *explain_str(const cJSON *o, const char *name)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, name);
    return cJSON_IsString(v) ? v->valuestring : NULL;
}

static double explain_num(const cJSON *o, const char *name)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, name);
    return cJSON_IsNumber(v) ? v->valuedouble : 0;
}

/* A country's heading and its submission line (text format).  printf's
 * result, -1 on failure. */
static int explain_country_text(const cJSON *c)
{
    const cJSON *sub = cJSON_GetObjectItemCaseSensitive(c, "submission");
    char *file = str_escape_ctl(explain_str(sub, "file"));
    if (!file)
        return -1;
    int rc = printf(
        "\n%s %s %s%s\n  submission %.0f: %s, received %s, SHA-256 %s\n",
        explain_str(c, "iso3"), explain_str(c, "m49"), explain_str(c, "name"),
        cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(c, "withheld"))
            ? " (withheld: not published by name)"
            : "",
        explain_num(sub, "id"), file, explain_str(sub, "received"),
        explain_str(sub, "sha256"));
    free(file);
    return rc;
}

/* "numerator 120, denominator 510" or "n 7" or "n 3, reported 9". */
static int explain_parts_text(const cJSON *o, const char *a, const char *b)
{
    if (b)
        return printf("%s %.0f, %s %.0f", a, explain_num(o, a), b,
                      explain_num(o, b));
    return printf("%s %.0f", a, explain_num(o, a));
}

/* A partner of a listed T11 row: its alpha-3, "Not published" ('': a
 * withheld partner, public) or "not stated". */
static const char *explain_partner(const cJSON *cell, const char *name)
{
    const char *v = explain_str(cell, name);
    return !v ? "not stated" : !*v ? "Not published" : v;
}

/* "quantity 12" or "quantity none" (no T11 row gave one). */
static const char *explain_qty(const cJSON *o, const char *name, char *buf,
                               size_t n)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, name);
    if (!cJSON_IsNumber(v))
        return "none";
    snprintf(buf, n, "%.0f", v->valuedouble);
    return buf;
}

/* gs9: the reporting countries' T11 rows. */
static int explain_text_gs9(const cJSON *doc)
{
    const cJSON *area = cJSON_GetObjectItemCaseSensitive(doc, "area");
    const cJSON *pub = cJSON_GetObjectItemCaseSensitive(doc, "published");
    const cJSON *rec = cJSON_GetObjectItemCaseSensitive(doc, "recomputed");
    const cJSON *key = cJSON_GetObjectItemCaseSensitive(doc, "key");
    const cJSON *k;
    char b1[32], b2[32];
    int rc =
        printf("gs9%s %s %s (%s), %.0f",
               cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(doc, "public"))
                   ? " (public)"
                   : "",
               explain_str(area, "code"), explain_str(area, "name"),
               explain_str(area, "type"), explain_num(doc, "year"));
    cJSON_ArrayForEach(k, key)
    {
        if (rc >= 0 && cJSON_IsString(k))
            rc = printf(", %s=%s", k->string, k->valuestring);
    }
    if (rc >= 0)
        rc = printf(", run %.0f\n", explain_num(doc, "run"));
    cJSON_ArrayForEach(k, cJSON_GetObjectItemCaseSensitive(doc, "partners"))
    {
        /* "manufacture: 840 United States of America", or "departure:
         * Not published" (the key is not a code) */
        const char *kv = explain_str(k, "key"), *nm = explain_str(k, "name");
        int code = kv && isdigit((unsigned char)kv[0]);
        if (rc >= 0)
            rc = printf("%s: %s%s%s\n", k->string, code ? kv : "",
                        code ? " " : "",
                        nm   ? nm
                        : kv ? kv
                             : "");
    }
    if (rc >= 0 &&
        cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(doc, "partner_withheld")))
        rc = printf("(the partner is withheld: 'Not published' in the public "
                    "view)\n");
    if (rc >= 0)
        rc = printf("published: quantity %s, seizures %.0f, based on %.0f "
                    "countr%s\n",
                    explain_qty(pub, "quantity", b1, sizeof b1),
                    explain_num(pub, "seizures"), explain_num(pub, "countries"),
                    explain_num(pub, "countries") == 1 ? "y" : "ies");
    const cJSON *c;
    cJSON_ArrayForEach(c, cJSON_GetObjectItemCaseSensitive(doc, "countries"))
    {
        if (rc >= 0)
            rc = explain_country_text(c);
        const cJSON *cell;
        cJSON_ArrayForEach(cell, cJSON_GetObjectItemCaseSensitive(c, "cells"))
        {
            /* where the row was read: T11!7:7, T11.csv:7, line 7 (NULL:
             * loaded before origins were kept, migration 0012) */
            const char *origin = explain_str(cell, "origin");
            char row[40];
            if (!origin &&
                cJSON_IsNumber(cJSON_GetObjectItemCaseSensitive(cell, "row")))
                snprintf(row, sizeof row, "T11 row %.0f",
                         explain_num(cell, "row"));
            else
                snprintf(row, sizeof row, "T11, no cell recorded");
            char *o = str_escape_ctl(origin ? origin : row);
            char *id = str_escape_ctl(explain_str(cell, "seizure_id")
                                          ? explain_str(cell, "seizure_id")
                                          : "");
            if (!o || !id) {
                free(o);
                free(id);
                return -1;
            }
            if (rc >= 0)
                rc = printf("  %s = %s (seizure %s: made in %s, from %s "
                            "to %s)\n",
                            o, explain_qty(cell, "quantity", b1, sizeof b1), id,
                            explain_partner(cell, "manufacture"),
                            explain_partner(cell, "departure"),
                            explain_partner(cell, "destination"));
            free(o);
            free(id);
        }
        if (rc >= 0 && explain_num(c, "cells_not_listed") > 0)
            rc = printf("  ... and %.0f more T11 rows (not listed; all are "
                        "summed)\n",
                        explain_num(c, "cells_not_listed"));
        if (rc >= 0)
            rc = printf("  quantity %s, seizures %.0f\n",
                        explain_qty(c, "quantity", b1, sizeof b1),
                        explain_num(c, "seizures"));
    }
    if (rc >= 0)
        rc = printf("\nquantity = sum of the T11 quantities given = %s; "
                    "seizures = count of the T11 rows = %.0f; based on %.0f "
                    "countr%s\n",
                    explain_qty(rec, "quantity", b2, sizeof b2),
                    explain_num(rec, "seizures"), explain_num(rec, "countries"),
                    explain_num(rec, "countries") == 1 ? "y" : "ies");
    if (rc >= 0) {
        if (cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(doc, "checked")))
            rc = printf("checked: the parts add up to the published figure\n");
        else
            rc = printf("NOT checked: %s\n", explain_str(doc, "mismatch"));
    }
    return rc < 0 ? -1 : 0;
}

static int explain_text(const cJSON *doc)
{
    const char *view = explain_str(doc, "view");
    if (!strcmp(view, "gs9"))
        return explain_text_gs9(doc);
    int ratio = !strncmp(view, "sdg_16_4_2", 10) || !strcmp(view, "gs6");
    int share =
        !strcmp(view, "gs2") || !strcmp(view, "gs3") || !strcmp(view, "gs5");
    int sex = !strcmp(view, "gs8"); /* share over the countries with a total */
    const char *a = ratio ? "numerator" : "n";
    const char *b = ratio   ? "denominator"
                    : share ? "reported"
                    : sex   ? "total"
                            : NULL;
    share = share || sex;
    const char *fname = ratio ? "value" : share ? "share_pct" : "n";
    const cJSON *area = cJSON_GetObjectItemCaseSensitive(doc, "area");
    const cJSON *pub = cJSON_GetObjectItemCaseSensitive(doc, "published");
    const cJSON *rec = cJSON_GetObjectItemCaseSensitive(doc, "recomputed");
    const cJSON *key = cJSON_GetObjectItemCaseSensitive(doc, "key");
    const cJSON *k;
    int rc =
        printf("%s%s %s %s (%s), %.0f", view,
               cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(doc, "public"))
                   ? " (public)"
                   : "",
               explain_str(area, "code"), explain_str(area, "name"),
               explain_str(area, "type"), explain_num(doc, "year"));
    cJSON_ArrayForEach(k, key)
    {
        if (rc >= 0)
            rc = printf(", %s=%s", k->string,
                        cJSON_IsString(k) ? k->valuestring : "-");
    }
    if (rc >= 0 && b)
        rc = printf(", run %.0f\npublished: %s = %s (", explain_num(doc, "run"),
                    fname,
                    explain_str(pub, fname) ? explain_str(pub, fname) : "none");
    else if (rc >= 0)
        rc = printf(", run %.0f\npublished: ", explain_num(doc, "run"));
    if (rc >= 0)
        rc = explain_parts_text(pub, a, sex ? NULL : b); /* no total */
    if (rc >= 0 && explain_str(pub, "share_pct_mean"))
        rc =
            printf(", share_pct_mean = %s", explain_str(pub, "share_pct_mean"));
    if (rc >= 0)
        rc = printf("%s, based on %.0f countr%s\n", b ? ")" : "",
                    explain_num(pub, "countries"),
                    explain_num(pub, "countries") == 1 ? "y" : "ies");
    const cJSON *c;
    cJSON_ArrayForEach(c, cJSON_GetObjectItemCaseSensitive(doc, "countries"))
    {
        if (rc >= 0)
            rc = explain_country_text(c);
        const cJSON *cell;
        cJSON_ArrayForEach(cell, cJSON_GetObjectItemCaseSensitive(c, "cells"))
        {
            const char *origin = explain_str(cell, "origin");
            int derived =
                cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(cell, "derived"));
            char *o = str_escape_ctl(origin ? origin : "");
            if (!o)
                return -1;
            if (rc >= 0)
                rc = printf(
                    "  %-8s %s = %.0f (%s %s %s%s)\n",
                    explain_str(cell, "role"),
                    origin    ? o
                    : derived ? "computed"
                              : "no cell recorded",
                    explain_num(cell, "value"), explain_str(cell, "table"),
                    explain_str(cell, "row"), explain_str(cell, "column"),
                    derived ? ": the sum of its components" : "");
            free(o);
        }
        if (rc >= 0)
            rc = printf("  ");
        if (rc >= 0)
            rc = explain_parts_text(c, a, b);
        if (rc >= 0 && b)
            rc = printf(", %s %s", fname,
                        explain_str(c, fname) ? explain_str(c, fname) : "none");
        if (rc >= 0 && cJSON_GetObjectItemCaseSensitive(c, "share_pct_mean"))
            rc = printf(", share_pct_mean %s",
                        explain_str(c, "share_pct_mean")
                            ? explain_str(c, "share_pct_mean")
                            : "none");
        if (rc >= 0)
            rc = printf("\n");
    }
    if (rc >= 0) {
        if (sex)
            rc = printf("\nn = sum of n = %.0f; share_pct = 100 * %.0f (n of "
                        "the countries with a total) / %.0f = %s, based on "
                        "%.0f countr%s\n",
                        explain_num(rec, a), explain_num(rec, "n_with_total"),
                        explain_num(rec, b),
                        explain_str(rec, fname) ? explain_str(rec, fname)
                                                : "none",
                        explain_num(rec, "countries"),
                        explain_num(rec, "countries") == 1 ? "y" : "ies");
        else if (b)
            rc = printf("\n%s = 100 * %.0f / %.0f = %s, based on %.0f "
                        "countr%s\n",
                        fname, explain_num(rec, a), explain_num(rec, b),
                        explain_str(rec, fname) ? explain_str(rec, fname)
                                                : "none",
                        explain_num(rec, "countries"),
                        explain_num(rec, "countries") == 1 ? "y" : "ies");
        else
            rc = printf("\nn = sum of n = %s, based on %.0f countr%s\n",
                        explain_str(rec, "n_text"),
                        explain_num(rec, "countries"),
                        explain_num(rec, "countries") == 1 ? "y" : "ies");
    }
    if (rc >= 0 && cJSON_GetObjectItemCaseSensitive(rec, "share_pct_mean"))
        rc = printf("share_pct_mean = 100 * mean of the countries' n / "
                    "reported (reported > 0) = %s\n",
                    explain_str(rec, "share_pct_mean")
                        ? explain_str(rec, "share_pct_mean")
                        : "none");
    if (rc >= 0) {
        if (cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(doc, "checked")))
            rc = printf("checked: the parts add up to the published figure\n");
        else
            rc = printf("NOT checked: %s\n", explain_str(doc, "mismatch"));
    }
    return rc < 0 ? -1 : 0;
}

/* AREA: an alpha-3 country (its M49 code into out) or an M49 code. */
static int explain_area(const char *arg, char out[8])
{
    size_t n = strlen(arg);
    if (n == 3 && isalpha((unsigned char)arg[0])) {
        char iso3[4];
        for (int i = 0; i < 3; i++)
            iso3[i] = (char)toupper((unsigned char)arg[i]);
        iso3[3] = '\0';
        const m49_entry *e = m49_by_iso3(iso3);
        if (!e)
            return cli_usage("explain", "'%s' is not a country of the M49 list",
                             arg);
        snprintf(out, 8, "%s", e->m49);
        return EXIT_OK;
    }
    if (n < 1 || n > 3 || strspn(arg, "0123456789") != n)
        return cli_usage("explain",
                         "AREA is an ISO alpha-3 code (ESP) or an M49 area "
                         "code (419), not '%s'",
                         arg);
    snprintf(out, 8, "%03d", atoi(arg));
    return EXIT_OK;
}

int cmd_explain(int argc, char **argv)
{
    static const struct option opts[] = {
        {"format", required_argument, NULL, OPT_FORMAT},
        {"public", no_argument, NULL, OPT_PUBLIC},
        {"help", no_argument, NULL, OPT_HELP},
        {NULL, 0, NULL, 0}};
    int json = 0, c;
    explain_req q;
    memset(&q, 0, sizeof q);
    optind = 1;
    while ((c = cli_getopt(argc, argv, "h", opts, "explain")) != -1) {
        switch (c) {
        case OPT_FORMAT:
            if ((json = cli_format_option(optarg)) < 0)
                return EXIT_USAGE;
            break;
        case OPT_PUBLIC:
            q.public_only = true;
            break;
        case OPT_HELP:
            return fputs(explain_help, stdout) < 0 ? cli_stdout_failed()
                                                   : EXIT_OK;
        default:
            return EXIT_USAGE; /* CLI_OPT_BAD: logged */
        }
    }
    if (argc - optind < 3)
        return cli_usage("explain", "explain takes VIEW AREA YEAR");
    const char *const *keys = NULL;
    q.view = argv[optind];
    if (!explain_view(q.view, &keys))
        return cli_usage("explain",
                         "'%s' is not a view explain knows (sdg_16_4_2, "
                         "sdg_16_4_2_by_column, sdg_16_4_2_by_tracing, gs1, "
                         "gs2, gs3, gs4, gs5, gs6, gs7, gs8, gs9)",
                         q.view);
    char area[8];
    if (explain_area(argv[optind + 1], area) != EXIT_OK)
        return EXIT_USAGE;
    q.area = area;
    char *end;
    long y = strtol(argv[optind + 2], &end, 10);
    if (!*argv[optind + 2] || *end || y < 1900 || y > 9999)
        return cli_usage("explain", "'%s' is not a year", argv[optind + 2]);
    q.year = (int)y;
    for (int i = optind + 3; i < argc; i++) {
        const char *eq = strchr(argv[i], '=');
        size_t kn = eq ? (size_t)(eq - argv[i]) : 0;
        int j = 0;
        while (eq && keys[j] &&
               (kn != strlen(keys[j]) || strncmp(argv[i], keys[j], kn)))
            j++;
        if (eq && kn == 9 && !strncmp(argv[i], "area_type", 9))
            q.area_type = eq + 1;
        else if (eq && keys[j])
            q.keys[j] = eq + 1;
        else {
            char names[96] = "area_type";
            for (int k = 0; keys[k]; k++)
                snprintf(names + strlen(names), sizeof names - strlen(names),
                         ", %s", keys[k]);
            return cli_usage("explain",
                             "'%s' is not KEY=VALUE with a key of %s (%s)",
                             argv[i], q.view, names);
        }
    }
    cli_set_db_role(CLI_ANALYST_ROLE);
    if (!cli_db())
        return cli_db_status();
    explain_outcome out;
    cJSON *doc = NULL;
    iafq_error err = {0};
    iafq_err e = explain_figure(cli_db(), &q, &out, &doc, &err);
    if (e)
        return cli_db_failed(cli_db(), e, &err, NULL, "cannot explain %s %s %d",
                             q.view, area, q.year);
    int rc = EXIT_OK;
    if (out == EXPLAIN_NONE || out == EXPLAIN_CHOOSE) {
        const cJSON *ch = cJSON_GetObjectItemCaseSensitive(doc, "choices");
        if (out == EXPLAIN_NONE && cJSON_GetArraySize(ch) == 0) {
            log_error(NULL, "run 'iafq aggregate', or check the area and year",
                      "no published %s figure for %s %d", q.view, area, q.year);
        } else {
            log_error(NULL,
                      "add KEY=VALUE to choose (see 'iafq explain --help')",
                      out == EXPLAIN_NONE
                          ? "no published row of %s matches; the rows of %s "
                            "%d are:"
                          : "several rows of %s match for %s %d; choose one:",
                      q.view, area, q.year);
            const cJSON *one;
            cJSON_ArrayForEach(one, ch)
            {
                fprintf(stderr, "  area_type=%s",
                        explain_str(one, "area_type"));
                for (int k = 0; keys[k]; k++) {
                    const char *v = explain_str(one, keys[k]);
                    fprintf(stderr, " %s=%s", keys[k], v ? v : "");
                }
                fputc('\n', stderr);
            }
        }
        cJSON_Delete(doc);
        return EXIT_USAGE;
    }
    if (json) {
        if ((e = report_json_write(stdout, doc, &err)))
            rc = e == IAFQ_ERR_IO ? cli_stdout_failed() : EXIT_INTERNAL;
    } else if (explain_text(doc) != 0)
        rc = ferror(stdout) ? cli_stdout_failed() : EXIT_INTERNAL;
    if (rc == EXIT_OK && out == EXPLAIN_MISMATCH) {
        log_error(NULL,
                  "the published figure and the stored returns disagree: "
                  "report it (the run may predate a migration)",
                  "the parts do not add up to the published figure: %s",
                  explain_str(doc, "mismatch"));
        rc = EXIT_INTERNAL;
    }
    cJSON_Delete(doc);
    return rc;
}
