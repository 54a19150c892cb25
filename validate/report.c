#include "report.h"

#include "cells.h"
#include "check.h"

#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>

static const char *_kind_word(const iafq_return *r)
{
    return check_valid(r) ? "valid" : "rejected";
}

iafq_err report_text(FILE *out, const iafq_return *r, iafq_error *err)
{
    const finding_list *l = &r->findings;
    int ok = 1;
    if (r->country[0] && r->year)
        ok &= fprintf(out, "%s (%s %d): %s: %zu error%s, %zu warning%s\n",
                      r->file, r->country, r->year, _kind_word(r), l->nerr,
                      l->nerr == 1 ? "" : "s", l->nwarn,
                      l->nwarn == 1 ? "" : "s") > 0;
    else
        ok &= fprintf(out, "%s: %s: %zu error%s, %zu warning%s\n", r->file,
                      _kind_word(r), l->nerr, l->nerr == 1 ? "" : "s", l->nwarn,
                      l->nwarn == 1 ? "" : "s") > 0;
    for (size_t i = 0; i < l->n && ok; i++) {
        const finding *f = &l->v[i];
        char ref[16] = "";
        if (f->row && f->col >= 0)
            cells_ref(f->row, (uint32_t)f->col, ref);
        char where[400];
        snprintf(where, sizeof where, "%s%s%s%s", f->sheet ? f->sheet : "",
                 ref[0] ? "!" : "", ref, (f->rowcode || f->colcode) ? " " : "");
        char codes[300] = "";
        if (f->rowcode || f->colcode)
            snprintf(codes, sizeof codes, "[%s%s%s]",
                     f->rowcode ? f->rowcode : "",
                     (f->rowcode && f->colcode) ? " " : "",
                     f->colcode ? f->colcode : "");
        ok &= fprintf(out, "  %-7s %-17s %s%s: %s\n", severity_str(f->sev),
                      finding_code_str(f->code), where, codes, f->message) > 0;
    }
    if (ok && l->dropped)
        ok &= fprintf(out,
                      "  ... and %zu more findings not listed (raise "
                      "--max-findings)\n",
                      l->dropped) > 0;
    if (!ok)
        return iafq_error_set(err, IAFQ_ERR_IO, "cannot write the report");
    return IAFQ_OK;
}

static cJSON *_str_or_null(const char *s)
{
    return s ? cJSON_CreateString(s) : cJSON_CreateNull();
}

static cJSON *_one(const iafq_return *r)
{
    const finding_list *l = &r->findings;
    cJSON *o = cJSON_CreateObject();
    if (!o)
        return NULL;
    cJSON_AddItemToObject(o, "file", cJSON_CreateString(r->file));
    cJSON_AddItemToObject(o, "country",
                          r->country[0] ? cJSON_CreateString(r->country)
                                        : cJSON_CreateNull());
    cJSON_AddItemToObject(
        o, "year", r->year ? cJSON_CreateNumber(r->year) : cJSON_CreateNull());
    cJSON_AddItemToObject(o, "valid", cJSON_CreateBool(check_valid(r)));
    cJSON *counts = cJSON_AddObjectToObject(o, "counts");
    if (counts) {
        cJSON_AddNumberToObject(counts, "errors", (double)l->nerr);
        cJSON_AddNumberToObject(counts, "warnings", (double)l->nwarn);
    }
    cJSON *arr = cJSON_AddArrayToObject(o, "findings");
    for (size_t i = 0; arr && i < l->n; i++) {
        const finding *f = &l->v[i];
        cJSON *j = cJSON_CreateObject();
        if (!j)
            break;
        char ref[16];
        cJSON_AddItemToObject(j, "code",
                              cJSON_CreateString(finding_code_str(f->code)));
        cJSON_AddItemToObject(j, "severity",
                              cJSON_CreateString(severity_str(f->sev)));
        cJSON_AddItemToObject(j, "sheet", _str_or_null(f->sheet));
        cJSON_AddItemToObject(
            j, "cell",
            (f->row && f->col >= 0)
                ? cJSON_CreateString(cells_ref(f->row, (uint32_t)f->col, ref))
                : cJSON_CreateNull());
        cJSON_AddItemToObject(j, "row", _str_or_null(f->rowcode));
        cJSON_AddItemToObject(j, "column", _str_or_null(f->colcode));
        cJSON_AddItemToObject(j, "value", _str_or_null(f->value));
        cJSON_AddItemToObject(j, "message", cJSON_CreateString(f->message));
        cJSON_AddItemToArray(arr, j);
    }
    if (l->dropped)
        cJSON_AddNumberToObject(o, "not_listed", (double)l->dropped);
    return o;
}

iafq_err report_json(FILE *out, iafq_return *const *v, size_t n,
                     int force_array, iafq_error *err)
{
    cJSON *root = NULL;
    char *text = NULL;
    iafq_err e = IAFQ_OK;
    if (n == 1 && !force_array)
        root = _one(v[0]);
    else {
        root = cJSON_CreateArray();
        for (size_t i = 0; root && i < n; i++) {
            cJSON *o = _one(v[i]);
            if (!o) {
                cJSON_Delete(root);
                root = NULL;
                break;
            }
            cJSON_AddItemToArray(root, o);
        }
    }
    if (!root || !(text = cJSON_Print(root))) {
        e = iafq_error_set(err, IAFQ_ERR_JSON,
                           "cannot build the JSON report (out of memory)");
        goto cleanup;
    }
    if (fputs(text, out) == EOF || fputc('\n', out) == EOF)
        e = iafq_error_set(err, IAFQ_ERR_IO, "cannot write the report");
cleanup:
    free(text);
    cJSON_Delete(root);
    return e;
}
