#include "report.h"

#include "cells.h"
#include "check.h"

#include <cjson/cJSON.h>
#include <errno.h>
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
        return iafq_error_set(err, IAFQ_ERR_IO, "cannot write the report: %s",
                              strerror(errno));
    return IAFQ_OK;
}

static cJSON *_str_or_null(const char *s)
{
    return s ? cJSON_CreateString(s) : cJSON_CreateNull();
}

/* Add v under key k; on any failure (v NULL: out of memory) clear *ok and
 * free v, so that a report is never printed with a field missing. */
static void _put(cJSON *o, const char *k, cJSON *v, int *ok)
{
    if (!v || !cJSON_AddItemToObject(o, k, v)) {
        cJSON_Delete(v);
        *ok = 0;
    }
}

static cJSON *_one(const iafq_return *r)
{
    const finding_list *l = &r->findings;
    int ok = 1;
    cJSON *o = cJSON_CreateObject();
    if (!o)
        return NULL;
    _put(o, "file", cJSON_CreateString(r->file), &ok);
    _put(o, "country",
         r->country[0] ? cJSON_CreateString(r->country) : cJSON_CreateNull(),
         &ok);
    _put(o, "year", r->year ? cJSON_CreateNumber(r->year) : cJSON_CreateNull(),
         &ok);
    _put(o, "valid", cJSON_CreateBool(check_valid(r)), &ok);
    cJSON *counts = cJSON_CreateObject();
    if (counts) {
        _put(counts, "errors", cJSON_CreateNumber((double)l->nerr), &ok);
        _put(counts, "warnings", cJSON_CreateNumber((double)l->nwarn), &ok);
    }
    _put(o, "counts", counts, &ok);
    cJSON *arr = cJSON_CreateArray();
    for (size_t i = 0; arr && ok && i < l->n; i++) {
        const finding *f = &l->v[i];
        cJSON *j = cJSON_CreateObject();
        if (!j || !cJSON_AddItemToArray(arr, j)) {
            cJSON_Delete(j);
            ok = 0;
            break;
        }
        char ref[16];
        _put(j, "code", cJSON_CreateString(finding_code_str(f->code)), &ok);
        _put(j, "severity", cJSON_CreateString(severity_str(f->sev)), &ok);
        _put(j, "sheet", _str_or_null(f->sheet), &ok);
        _put(j, "cell",
             (f->row && f->col >= 0)
                 ? cJSON_CreateString(cells_ref(f->row, (uint32_t)f->col, ref))
                 : cJSON_CreateNull(),
             &ok);
        _put(j, "row", _str_or_null(f->rowcode), &ok);
        _put(j, "column", _str_or_null(f->colcode), &ok);
        _put(j, "value", _str_or_null(f->value), &ok);
        _put(j, "message", cJSON_CreateString(f->message), &ok);
    }
    _put(o, "findings", arr, &ok);
    if (l->dropped)
        _put(o, "not_listed", cJSON_CreateNumber((double)l->dropped), &ok);
    if (!ok) {
        cJSON_Delete(o);
        return NULL;
    }
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
            if (!o || !cJSON_AddItemToArray(root, o)) {
                cJSON_Delete(o);
                cJSON_Delete(root);
                root = NULL;
                break;
            }
        }
    }
    if (!root || !(text = cJSON_Print(root))) {
        e = iafq_error_set(err, IAFQ_ERR_JSON,
                           "cannot build the JSON report (out of memory)");
        goto cleanup;
    }
    if (fputs(text, out) == EOF || fputc('\n', out) == EOF)
        e = iafq_error_set(err, IAFQ_ERR_IO, "cannot write the report: %s",
                           strerror(errno));
cleanup:
    free(text);
    cJSON_Delete(root);
    return e;
}
