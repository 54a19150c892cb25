#include "finding.h"

#include "str.h"
#include "utf8.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const code_names[F_COUNT] = {
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
    return code_names[c];
}

static severity code_severity(finding_code c)
{
    return finding_code_str(c)[0] == 'W' ? SEV_WARNING : SEV_ERROR;
}

const char *severity_str(severity s)
{
    return s == SEV_WARNING ? N_("warning") : N_("error");
}

int finding_code_from_str(const char *s)
{
    for (int i = 0; i < F_COUNT; i++)
        if (strcmp(code_names[i], s) == 0)
            return i;
    return -1;
}

/* A valid UTF-8 copy of s (invalid bytes become U+FFFD); NULL for NULL. */
static char *dup_valid(const char *s)
{
    return s ? utf8_make_valid(s, strlen(s)) : NULL;
}

void findings_init(finding_list *l, size_t max, bool strict)
{
    memset(l, 0, sizeof *l);
    l->max = max;
    l->strict = strict;
}

static void finding_release(finding *f)
{
    free(f->sheet);
    free(f->rowcode);
    free(f->colcode);
    free(f->value);
    free(f->message);
    for (int k = 0; k < I18N_COUNT; k++)
        free(f->message_l10n[k]);
}

const char *finding_message(const finding *f, i18n_lang l)
{
    if ((unsigned)l < I18N_COUNT && f->message_l10n[l])
        return f->message_l10n[l];
    return f->message ? f->message : "";
}

void findings_free(finding_list *l)
{
    if (!l)
        return;
    for (size_t i = 0; i < l->n; i++)
        finding_release(&l->v[i]);
    free(l->v);
    l->v = NULL;
    l->n = l->cap = 0;
}

/* Count a finding of code in l; the slot to fill, or NULL when it is not
 * stored (the list is full: *rc 0) or out of memory (*rc -1). */
static finding *finding_slot(finding_list *l, finding_code code, int *rc)
{
    severity sev = code_severity(code);
    if (l->strict)
        sev = SEV_ERROR;
    if (sev == SEV_ERROR)
        l->nerr++;
    else
        l->nwarn++;
    if ((int)code >= 0 && code < F_COUNT)
        l->per_code[code]++;
    *rc = 0;
    if (l->max && l->n >= l->max) {
        l->dropped++;
        return NULL;
    }
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 32;
        finding *nv = realloc(l->v, cap * sizeof *nv);
        if (!nv) {
            *rc = -1;
            return NULL;
        }
        l->v = nv;
        l->cap = cap;
    }
    finding *f = &l->v[l->n];
    memset(f, 0, sizeof *f);
    f->code = code;
    f->sev = sev;
    return f;
}

/* Fill f's location strings (valid UTF-8 copies); -1 when out of memory. */
static int finding_where(finding *f, const char *sheet, uint32_t row,
                         int32_t col, const char *rowcode, const char *colcode,
                         const char *value)
{
    f->row = row;
    f->col = col;
    f->sheet = dup_valid(sheet);
    f->rowcode = dup_valid(rowcode);
    f->colcode = dup_valid(colcode);
    f->value = dup_valid(value);
    return (sheet && !f->sheet) || (rowcode && !f->rowcode) ||
                   (colcode && !f->colcode) || (value && !f->value)
               ? -1
               : 0;
}

/* fmt formed with ap, cut at a character boundary, made valid UTF-8. */
static char *format_message(const char *fmt, va_list ap)
{
    char msg[1200];
    int len = vsnprintf(msg, sizeof msg, fmt, ap);
    if (len < 0)
        msg[0] = '\0';
    size_t mlen = strlen(msg);
    if (len >= (int)sizeof msg) /* cut: not inside a character */
        mlen -= utf8_partial_tail(msg, mlen);
    return utf8_make_valid(msg, mlen);
}

int findings_add(finding_list *l, finding_code code, const char *sheet,
                 uint32_t row, int32_t col, const char *rowcode,
                 const char *colcode, const char *value, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int rc = findings_addv(l, code, sheet, row, col, rowcode, colcode, value,
                           fmt, ap);
    va_end(ap);
    return rc;
}

int findings_addv(finding_list *l, finding_code code, const char *sheet,
                  uint32_t row, int32_t col, const char *rowcode,
                  const char *colcode, const char *value, const char *fmt,
                  va_list ap)
{
    int rc;
    finding *f = finding_slot(l, code, &rc);
    if (!f)
        return rc;
    int bad = finding_where(f, sheet, row, col, rowcode, colcode, value);
    for (int k = 0; k < I18N_COUNT && !bad; k++) {
        const char *tf = i18n_tr((i18n_lang)k, fmt);
        if (k != I18N_EN && tf == fmt)
            continue; /* no translation: the English message */
        va_list aq;
        va_copy(aq, ap);
        char *m = format_message(tf, aq);
        va_end(aq);
        if (k == I18N_EN)
            f->message = m;
        else
            f->message_l10n[k] = m;
        bad = !m;
    }
    if (bad) {
        finding_release(f);
        return -1;
    }
    l->n++;
    return 0;
}

int findings_add_text(finding_list *l, finding_code code, const char *sheet,
                      uint32_t row, int32_t col, const char *rowcode,
                      const char *colcode, const char *value, const char *text)
{
    const char *msg[I18N_COUNT];
    for (int k = 0; k < I18N_COUNT; k++) {
        msg[k] = i18n_tr((i18n_lang)k, text);
        if (k != I18N_EN && msg[k] == text)
            msg[k] = NULL;
    }
    return findings_add_l10n(l, code, sheet, row, col, rowcode, colcode, value,
                             msg);
}

int findings_add_l10n(finding_list *l, finding_code code, const char *sheet,
                      uint32_t row, int32_t col, const char *rowcode,
                      const char *colcode, const char *value,
                      const char *const msg[I18N_COUNT])
{
    int rc;
    finding *f = finding_slot(l, code, &rc);
    if (!f)
        return rc;
    int bad = finding_where(f, sheet, row, col, rowcode, colcode, value);
    for (int k = 0; k < I18N_COUNT && !bad; k++) {
        const char *m = msg[k] ? msg[k] : k == I18N_EN ? "" : NULL;
        if (!m)
            continue;
        char *c = dup_valid(m);
        if (k == I18N_EN)
            f->message = c;
        else
            f->message_l10n[k] = c;
        bad = !c;
    }
    if (bad) {
        finding_release(f);
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
        const char *msg[I18N_COUNT];
        for (int k = 0; k < I18N_COUNT; k++)
            msg[k] = k == I18N_EN ? f->message : f->message_l10n[k];
        if (findings_add_l10n(dst, f->code, f->sheet, f->row, f->col,
                              f->rowcode, f->colcode, f->value, msg))
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
} sort_item;

static int sort_cmp(const void *pa, const void *pb)
{
    const sort_item *a = pa, *b = pb;
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
    sort_item *tmp = malloc(n * sizeof *tmp);
    if (!tmp)
        return; /* unsorted is still correct, only less tidy */
    for (size_t i = 0; i < n; i++) {
        tmp[i].f = l->v[i];
        tmp[i].i = i;
        tmp[i].rank =
            (sheet_rank && l->v[i].sheet) ? sheet_rank(l->v[i].sheet) : -1;
    }
    qsort(tmp, n, sizeof *tmp, sort_cmp);
    for (size_t i = 0; i < n; i++)
        l->v[i] = tmp[i].f;
    free(tmp);
}
