#include "report.h"

#include "cells.h"
#include "check.h"
#include "jsonitem.h"
#include "str.h"
#include "utf8.h"

#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>

static const char *_kind_word(const iafq_return *r, i18n_lang lang)
{
    return check_valid(r) ? i18n_tr(lang, "valid") : i18n_tr(lang, "rejected");
}

/* Write s escaped for a terminal (utf8_escape_text); NULL writes "". */
static int _put(FILE *out, const char *s)
{
    return s ? utf8_fput_text(out, s, strlen(s)) : 0;
}

iafq_err report_text(FILE *out, const iafq_return *r, iafq_error *err)
{
    return report_text_lang(out, r, I18N_EN, err);
}

iafq_err report_text_lang(FILE *out, const iafq_return *r, i18n_lang lang,
                          iafq_error *err)
{
    const finding_list *l = &r->findings;
    int ok = _put(out, r->file) == 0;
    if (ok && r->country[0] && r->year)
        ok = fprintf(out, " (%s %d)", r->country, r->year) > 0;
    if (ok)
        ok = fprintf(out, ": %s: ", _kind_word(r, lang)) > 0 &&
             fprintf(out,
                     i18n_trn(lang, "%zu error", "%zu errors",
                              (unsigned long long)l->nerr),
                     l->nerr) > 0 &&
             fputs(", ", out) != EOF &&
             fprintf(out,
                     i18n_trn(lang, "%zu warning", "%zu warnings",
                              (unsigned long long)l->nwarn),
                     l->nwarn) > 0 &&
             fputc('\n', out) != EOF;
    for (size_t i = 0; i < l->n && ok; i++) {
        const finding *f = &l->v[i];
        char ref[16] = "";
        if (f->row && f->col >= 0)
            cells_ref(f->row, (uint32_t)f->col, ref);
        ok = fprintf(out, "  %-7s %-17s ", i18n_tr(lang, severity_str(f->sev)),
                     finding_code_str(f->code)) > 0 &&
             _put(out, f->sheet) == 0 &&
             (!ref[0] || fprintf(out, "!%s", ref) > 0);
        if (ok && (f->rowcode || f->colcode))
            ok = fputs(" [", out) != EOF && _put(out, f->rowcode) == 0 &&
                 (!(f->rowcode && f->colcode) || fputc(' ', out) != EOF) &&
                 _put(out, f->colcode) == 0 && fputc(']', out) != EOF;
        if (ok)
            ok = fputs(": ", out) != EOF &&
                 _put(out, finding_message(f, lang)) == 0 &&
                 fputc('\n', out) != EOF;
    }
    if (ok && l->dropped)
        ok = fputs("  ", out) != EOF &&
             fprintf(out,
                     i18n_trn(lang,
                              "... and %zu more finding not listed (raise "
                              "--max-findings)",
                              "... and %zu more findings not listed (raise "
                              "--max-findings)",
                              (unsigned long long)l->dropped),
                     l->dropped) > 0 &&
             fputc('\n', out) != EOF;
    if (!ok)
        return iafq_error_set(err, IAFQ_ERR_IO, "cannot write the report");
    return IAFQ_OK;
}

/* {"en": ..., "fr": ..., "es": ...}: f's message in every language. */
static cJSON *_messages(const finding *f)
{
    cJSON *o = cJSON_CreateObject();
    for (int k = 0; o && k < I18N_COUNT; k++)
        if (!jsonitem_add(o, i18n_code((i18n_lang)k),
                          jsonitem_str(finding_message(f, (i18n_lang)k)))) {
            cJSON_Delete(o);
            return NULL;
        }
    return o;
}

static cJSON *_finding(const finding *f, i18n_lang lang, int all_langs)
{
    cJSON *j = cJSON_CreateObject();
    char ref[16];
    bool ok =
        j &&
        jsonitem_add(j, "code",
                     cJSON_CreateString(finding_code_str(f->code))) &&
        jsonitem_add(j, "severity", cJSON_CreateString(severity_str(f->sev))) &&
        jsonitem_add(j, "sheet", jsonitem_str(f->sheet)) &&
        jsonitem_add(
            j, "cell",
            (f->row && f->col >= 0)
                ? cJSON_CreateString(cells_ref(f->row, (uint32_t)f->col, ref))
                : cJSON_CreateNull()) &&
        jsonitem_add(j, "row", jsonitem_str(f->rowcode)) &&
        jsonitem_add(j, "column", jsonitem_str(f->colcode)) &&
        jsonitem_add(j, "value", jsonitem_str(f->value)) &&
        jsonitem_add(j, "message", jsonitem_str(finding_message(f, lang))) &&
        (!all_langs || jsonitem_add(j, "messages", _messages(f)));
    if (!ok) {
        cJSON_Delete(j);
        return NULL;
    }
    return j;
}

static cJSON *_one(const iafq_return *r, i18n_lang lang, int all_langs)
{
    const finding_list *l = &r->findings;
    cJSON *o = cJSON_CreateObject(), *counts = NULL, *arr = NULL;
    bool ok =
        o && jsonitem_add(o, "file", jsonitem_str(r->file ? r->file : "")) &&
        jsonitem_add(o, "country",
                     r->country[0] ? jsonitem_str(r->country)
                                   : cJSON_CreateNull()) &&
        jsonitem_add(o, "year",
                     r->year ? cJSON_CreateNumber(r->year)
                             : cJSON_CreateNull()) &&
        jsonitem_add(o, "valid", cJSON_CreateBool(check_valid(r))) &&
        jsonitem_add(o, "counts", counts = cJSON_CreateObject()) &&
        jsonitem_add(counts, "errors", cJSON_CreateNumber((double)l->nerr)) &&
        jsonitem_add(counts, "warnings",
                     cJSON_CreateNumber((double)l->nwarn)) &&
        jsonitem_add(o, "findings", arr = cJSON_CreateArray());
    for (size_t i = 0; ok && i < l->n; i++) {
        cJSON *j = _finding(&l->v[i], lang, all_langs);
        ok = j && cJSON_AddItemToArray(arr, j);
        if (!ok)
            cJSON_Delete(j);
    }
    if (ok && l->dropped)
        ok = jsonitem_add(o, "not_listed",
                          cJSON_CreateNumber((double)l->dropped));
    if (!ok) {
        cJSON_Delete(o);
        return NULL;
    }
    return o;
}

cJSON *report_json_value(iafq_return *const *v, size_t n, int force_array)
{
    return report_json_value_lang(v, n, force_array, I18N_EN, 0);
}

cJSON *report_json_value_lang(iafq_return *const *v, size_t n, int force_array,
                              i18n_lang lang, int all_langs)
{
    if (n == 1 && !force_array)
        return _one(v[0], lang, all_langs);
    cJSON *root = cJSON_CreateArray();
    for (size_t i = 0; root && i < n; i++) {
        cJSON *o = _one(v[i], lang, all_langs);
        if (!o || !cJSON_AddItemToArray(root, o)) {
            cJSON_Delete(o);
            cJSON_Delete(root);
            return NULL;
        }
    }
    return root;
}

iafq_err report_json_write(FILE *out, const cJSON *doc, iafq_error *err)
{
    iafq_err e = IAFQ_OK;
    char *text = doc ? cJSON_Print(doc) : NULL;
    sbuf b = SBUF_INIT;
    /* cJSON escapes C0 controls but leaves DEL, C1 controls and U+2028/9
     * raw (valid JSON, but not for a terminal): escape them too */
    if (!text || utf8_escape_json(&b, text, strlen(text)) ||
        sbuf_addc(&b, '\n')) {
        e = iafq_error_set(err, IAFQ_ERR_JSON,
                           "cannot build the JSON report (out of memory)");
        goto cleanup;
    }
    if (fwrite(b.buf, 1, b.len, out) != b.len)
        e = iafq_error_set(err, IAFQ_ERR_IO, "cannot write the report");
cleanup:
    free(text);
    sbuf_release(&b);
    return e;
}

iafq_err report_json(FILE *out, iafq_return *const *v, size_t n,
                     int force_array, iafq_error *err)
{
    return report_json_lang(out, v, n, force_array, I18N_EN, err);
}

iafq_err report_json_lang(FILE *out, iafq_return *const *v, size_t n,
                          int force_array, i18n_lang lang, iafq_error *err)
{
    cJSON *root = report_json_value_lang(v, n, force_array, lang, 0);
    if (!root)
        return iafq_error_set(err, IAFQ_ERR_JSON,
                              "cannot build the JSON report (out of memory)");
    iafq_err e = report_json_write(out, root, err);
    cJSON_Delete(root);
    return e;
}
