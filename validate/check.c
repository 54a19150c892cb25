#include "check.h"

#include "cellq.h"

#include "layout.h"
#include "longret.h"
#include "rules.h"
#include "str.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void check_opts_default(check_opts *o)
{
    memset(o, 0, sizeof *o);
    limits_default(&o->lim);
}

void check_result_release(check_result *res)
{
    if (!res)
        return;
    for (size_t i = 0; i < res->n; i++)
        ret_free(res->v[i]);
    free(res->v);
    res->v = NULL;
    res->n = 0;
}

bool check_valid(const iafq_return *r)
{
    return r->findings.nerr == 0;
}

static iafq_err _one(check_result *out, iafq_return *r, iafq_error *err)
{
    out->v = calloc(1, sizeof *out->v);
    if (!out->v) {
        ret_free(r);
        return iafq_error_set(err, IAFQ_ERR_NOMEM, "out of memory");
    }
    out->v[0] = r;
    out->n = 1;
    return IAFQ_OK;
}

/* Add the E-FILE finding of input error code with detail msg; a limit
 * names the way to raise it.  The detail is translated when it is a msgid
 * itself (the input errors without values, marked N_() where they are
 * made); one with values stays in English inside the translated words. */
static int _efile_add(finding_list *fl, const char *sheet, iafq_err code,
                      const char *msg)
{
    if (code != IAFQ_ERR_LIMIT || strstr(msg, "--max-"))
        return findings_add_text(fl, F_E_FILE, sheet, 0, -1, NULL, NULL, NULL,
                                 msg);
    char buf[I18N_COUNT][700];
    const char *m[I18N_COUNT];
    for (int k = 0; k < I18N_COUNT; k++) {
        snprintf(buf[k], sizeof buf[k],
                 i18n_tr((i18n_lang)k,
                         "%s (if the file is genuine, raise the limit: see "
                         "'iafq check --help')"),
                 i18n_tr((i18n_lang)k, msg));
        m[k] = buf[k];
    }
    return findings_add_l10n(fl, F_E_FILE, sheet, 0, -1, NULL, NULL, NULL, m);
}

static iafq_err _file_error(check_result *out, const char *path,
                            const check_opts *o, iafq_err code, const char *msg,
                            iafq_error *err)
{
    iafq_return *r =
        ret_new(path, RET_SRC_XLSX, o->lim.max_findings, o->strict);
    if (!r || _efile_add(&r->findings, str_base(path), code, msg)) {
        ret_free(r);
        return iafq_error_set(err, IAFQ_ERR_NOMEM, "out of memory");
    }
    out->readable = 0;
    return _one(out, r, err);
}

iafq_err check_path(const char *path, const check_opts *o, check_result *out,
                    iafq_error *err)
{
    memset(out, 0, sizeof *out);
    iafq_error derr = {0};
    source_kind kind;
    iafq_err e = source_detect(path, &o->lim, &kind, &derr);
    if (e == IAFQ_ERR_IO || e == IAFQ_ERR_NOMEM) {
        if (err)
            *err = derr;
        return e;
    }
    if (e)
        return _file_error(out, path, o, e, derr.msg, err);
    out->kind = kind;
    out->readable = 1;

    if (kind == SOURCE_LONG || kind == SOURCE_LONG_XLSX) {
        e = longret_read(path, kind, &o->lim, o->strict, &out->v, &out->n, err);
        return e;
    }

    iafq_return *r =
        ret_new(path, kind == SOURCE_XLSX ? RET_SRC_XLSX : RET_SRC_CSV,
                o->lim.max_findings, o->strict);
    layout *l = r ? layout_new(r, &o->lim, o->on_seizure, o->ud) : NULL;
    if (!l) {
        ret_free(r);
        return iafq_error_set(err, IAFQ_ERR_NOMEM, "out of memory");
    }
    cell_sink target = layout_sink(l);
    /* the validator runs on a second thread while the reader parses */
    cellq *q = cellq_new(&target);
    cell_sink sink = q ? cellq_sink(q) : target;
    iafq_error rerr = {0};
    e = source_cells(path, kind, &o->lim, &sink, &rerr);
    if (q) {
        iafq_error qerr = {0};
        iafq_err qe = cellq_finish(q, &qerr);
        if (qe && !e) {
            e = qe;
            rerr = qerr;
        }
        cellq_free(q);
    }
    if (layout_error(l, NULL) != IAFQ_OK) {
        /* a callback failed: its own error (a failed COPY, no memory),
         * unchanged, rather than whatever the reader made of the stop */
        e = layout_error(l, err);
        goto fail;
    }
    if (e && !iafq_err_is_input(e)) {
        if (err)
            *err = rerr;
        goto fail;
    }
    if (e) {
        /* unreadable part-way: the return is rejected as E-FILE */
        out->readable = 0;
        if (_efile_add(&r->findings, str_base(path), e, rerr.msg)) {
            e = iafq_error_set(err, IAFQ_ERR_NOMEM, "out of memory");
            goto fail;
        }
    } else if ((e = layout_finish(l, err)) != IAFQ_OK) {
        goto fail;
    }
    layout_free(l);
    findings_sort(&r->findings, layout_sheet_rank);
    return _one(out, r, err);
fail:
    layout_free(l);
    ret_free(r);
    return e;
}
