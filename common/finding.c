#include "finding.h"

#include "str.h"
#include "utf8.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const _codes[F_COUNT] = {
    [F_E_FILE] = "E-FILE",
    [F_E_SHEET_MISSING] = "E-SHEET-MISSING",
    [F_E_HEADER_MISSING] = "E-HEADER-MISSING",
    [F_E_COLUMN_MISSING] = "E-COLUMN-MISSING",
    [F_E_ROW_UNKNOWN] = "E-ROW-UNKNOWN",
    [F_E_ROW_DUPLICATE] = "E-ROW-DUPLICATE",
    [F_E_NOT_NUMBER] = "E-NOT-NUMBER",
    [F_E_NOT_INTEGER] = "E-NOT-INTEGER",
    [F_E_NEGATIVE] = "E-NEGATIVE",
    [F_E_FORMULA] = "E-FORMULA",
    [F_E_CODE] = "E-CODE",
    [F_E_COUNTRY] = "E-COUNTRY",
    [F_E_YEAR] = "E-YEAR",
    [F_E_DATE] = "E-DATE",
    [F_E_REQUIRED] = "E-REQUIRED",
    [F_E_ID_DUPLICATE] = "E-ID-DUPLICATE",
    [F_E_TEXT_LONG] = "E-TEXT-LONG",
    [F_E_SHEET_DUPLICATE] = "E-SHEET-DUPLICATE",
    [F_E_NUMBER_AMBIGUOUS] = "E-NUMBER-AMBIGUOUS",
    [F_W_NA_TEXT] = "W-NA-TEXT",
    [F_W_NUMBER_TEXT] = "W-NUMBER-TEXT",
    [F_W_COLUMN_UNKNOWN] = "W-COLUMN-UNKNOWN",
    [F_W_ROW_MISSING] = "W-ROW-MISSING",
    [F_W_SUM] = "W-SUM",
    [F_W_TOTAL_DERIVED] = "W-TOTAL-DERIVED",
    [F_W_CROSS] = "W-CROSS",
    [F_W_REVISION] = "W-REVISION",
    [F_W_ROW_REPEAT] = "W-ROW-REPEAT",
    [F_W_NAME] = "W-NAME",
};

const char *finding_code_str(finding_code c)
{
    if ((int)c < 0 || c >= F_COUNT)
        return "E-UNKNOWN";
    return _codes[c];
}

static severity _code_severity(finding_code c)
{
    return finding_code_str(c)[0] == 'W' ? SEV_WARNING : SEV_ERROR;
}

const char *severity_str(severity s)
{
    return s == SEV_WARNING ? "warning" : "error";
}

int finding_code_from_str(const char *s)
{
    for (int i = 0; i < F_COUNT; i++)
        if (strcmp(_codes[i], s) == 0)
            return i;
    return -1;
}

/* A valid UTF-8 copy of s (invalid bytes become U+FFFD); NULL for NULL. */
static char *_dup_valid(const char *s)
{
    return s ? utf8_make_valid(s, strlen(s)) : NULL;
}

void findings_init(finding_list *l, size_t max, bool strict)
{
    memset(l, 0, sizeof *l);
    l->max = max;
    l->strict = strict;
}

static void _finding_release(finding *f)
{
    free(f->sheet);
    free(f->rowcode);
    free(f->colcode);
    free(f->value);
    free(f->message);
}

void findings_free(finding_list *l)
{
    if (!l)
        return;
    for (size_t i = 0; i < l->n; i++)
        _finding_release(&l->v[i]);
    free(l->v);
    l->v = NULL;
    l->n = l->cap = 0;
}

int findings_add(finding_list *l, finding_code code, const char *sheet,
                 uint32_t row, int32_t col, const char *rowcode,
                 const char *colcode, const char *value, const char *fmt, ...)
{
    severity sev = _code_severity(code);
    if (l->strict)
        sev = SEV_ERROR;
    if (sev == SEV_ERROR)
        l->nerr++;
    else
        l->nwarn++;
    if ((int)code >= 0 && code < F_COUNT)
        l->per_code[code]++;
    if (l->max && l->n >= l->max) {
        l->dropped++;
        return 0;
    }
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 32;
        finding *nv = realloc(l->v, cap * sizeof *nv);
        if (!nv)
            return -1;
        l->v = nv;
        l->cap = cap;
    }
    finding *f = &l->v[l->n];
    memset(f, 0, sizeof *f);
    f->code = code;
    f->sev = sev;
    f->row = row;
    f->col = col;
    char msg[1200];
    va_list ap;
    va_start(ap, fmt);
    int len = vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    size_t mlen = strlen(msg);
    if (len >= (int)sizeof msg) /* cut: not inside a character */
        mlen -= utf8_partial_tail(msg, mlen);
    f->sheet = _dup_valid(sheet);
    f->rowcode = _dup_valid(rowcode);
    f->colcode = _dup_valid(colcode);
    f->value = _dup_valid(value);
    f->message = utf8_make_valid(msg, mlen);
    if ((sheet && !f->sheet) || (rowcode && !f->rowcode) ||
        (colcode && !f->colcode) || (value && !f->value) || !f->message) {
        _finding_release(f);
        return -1;
    }
    l->n++;
    return 0;
}

int findings_merge(finding_list *dst, const finding_list *src)
{
    size_t nerr = dst->nerr, nwarn = dst->nwarn;
    for (size_t k = 0; k < src->n; k++) {
        const finding *f = &src->v[k];
        size_t before = dst->n;
        if (findings_add(dst, f->code, f->sheet, f->row, f->col, f->rowcode,
                         f->colcode, f->value, "%s", f->message))
            return -1;
        if (dst->n > before)
            dst->v[dst->n - 1].sev = f->sev; /* as judged for src */
    }
    dst->nerr = nerr + src->nerr; /* exact, including unstored ones */
    dst->nwarn = nwarn + src->nwarn;
    dst->dropped += src->dropped;
    return 0;
}

typedef struct {
    finding f;
    size_t i;
    int rank;
} _sortitem;

static int _cmp(const void *pa, const void *pb)
{
    const _sortitem *a = pa, *b = pb;
    if (a->rank != b->rank)
        return a->rank < b->rank ? -1 : 1;
    int c = strcmp(a->f.sheet ? a->f.sheet : "", b->f.sheet ? b->f.sheet : "");
    if (c)
        return c;
    if (a->f.row != b->f.row)
        return a->f.row < b->f.row ? -1 : 1;
    if (a->f.col != b->f.col)
        return a->f.col < b->f.col ? -1 : 1;
    return a->i < b->i ? -1 : (a->i > b->i);
}

void findings_sort(finding_list *l, int (*sheet_rank)(const char *sheet))
{
    size_t n = l->n;
    if (n < 2)
        return;
    _sortitem *tmp = malloc(n * sizeof *tmp);
    if (!tmp)
        return; /* unsorted is still correct, only less tidy */
    for (size_t i = 0; i < n; i++) {
        tmp[i].f = l->v[i];
        tmp[i].i = i;
        tmp[i].rank =
            (sheet_rank && l->v[i].sheet) ? sheet_rank(l->v[i].sheet) : -1;
    }
    qsort(tmp, n, sizeof *tmp, _cmp);
    for (size_t i = 0; i < n; i++)
        l->v[i] = tmp[i].f;
    free(tmp);
}
