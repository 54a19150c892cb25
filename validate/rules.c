#include "rules.h"

#include "dates.h"
#include "m49.h"
#include "str.h"
#include "utf8.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A finding at the cell: IAFQ_OK, or IAFQ_ERR_NOMEM. */
#define ADD(r, code, loc, row, col, val, ...)                                  \
    (findings_add(&(r)->findings, code, (loc)->sheet, row, col,                \
                  (loc)->rowcode, (loc)->colcode, val, __VA_ARGS__)            \
         ? IAFQ_ERR_NOMEM                                                      \
         : IAFQ_OK)
/* findings_add()'s int as an iafq_err. */
#define NOMEM_IF(x) ((x) ? IAFQ_ERR_NOMEM : IAFQ_OK)

/* --------------------------------------------------------- text classes */

static const struct {
    const char *s;
    size_t n;
} _na_texts[] = {
    {"n/a", 3}, {"na", 2}, {"-", 1},    {"..", 2},  {"\xE2\x80\xA6", 3} /* … */,
    {"...", 3}, {"x", 1},  {"n.a.", 4}, {"n.a", 3}, {"not available", 13}};

int rules_is_na_text(const char *s, size_t n)
{
    if (n == 0 ||
        (n > 13 && (unsigned char)s[0] > ' ' && (unsigned char)s[0] < 0x80 &&
         (unsigned char)s[n - 1] > ' ' && (unsigned char)s[n - 1] < 0x80))
        return 0; /* nothing to trim at either end, and too long */
    const char *t = str_trim(s, &n);
    if (n == 0 || n > 13)
        return 0;
    unsigned char c0 = (unsigned char)t[0];
    if (!(c0 == 'n' || c0 == 'N' || c0 == 'x' || c0 == 'X' || c0 == '-' ||
          c0 == '.' || c0 == 0xE2))
        return 0; /* the first bytes of the spellings below */
    for (size_t i = 0; i < sizeof _na_texts / sizeof *_na_texts; i++)
        if (_na_texts[i].n == n && str_icmp_n(t, _na_texts[i].s, n) == 0)
            return 1;
    return 0;
}

/* Length of a thousands separator at p: , space ' NBSP U+202F U+2009. */
static size_t _sep_len(const unsigned char *p, size_t n)
{
    if (n >= 1 && (p[0] == ',' || p[0] == ' ' || p[0] == '\''))
        return 1;
    if (n >= 2 && p[0] == 0xC2 && p[1] == 0xA0)
        return 2;
    if (n >= 3 && p[0] == 0xE2 && p[1] == 0x80 &&
        (p[2] == 0xAF || p[2] == 0x89 || p[2] == 0x99 /* ’ */))
        return 3;
    return 0;
}

int64_t rules_count_add(int64_t a, int64_t b)
{
    const int64_t over = RULES_COUNT_MAX + 1;
    if (a < 0 || b < 0) /* not a count: keep the arithmetic defined */
        return a < b ? a : b;
    if (a >= over || b >= over || a > over - b)
        return over;
    return a + b;
}

double rules_snap(double d)
{
    if (!isfinite(d))
        return d;
    double w = nearbyint(d);
    return fabs(d - w) <= 1e-9 ? w : d;
}

/* "10.000", "1.234": one to three digits (no leading zero), '.', three. */
static int _ambiguous(const unsigned char *p, size_t n, int64_t *thousands)
{
    if (n < 5 || n > 7 || p[n - 4] != '.' || p[0] == '0')
        return 0;
    int64_t v = 0;
    for (size_t i = 0; i < n; i++) {
        if (i == n - 4)
            continue;
        if (p[i] < '0' || p[i] > '9')
            return 0;
        v = v * 10 + (p[i] - '0');
    }
    *thousands = v;
    return 1;
}

rules_count_class rules_count_text(const char *s, size_t n, int64_t *value)
{
    const unsigned char *p = (const unsigned char *)str_trim(s, &n);
    *value = 0;
    if (n == 0)
        return RC_BLANK;
    if (rules_is_na_text((const char *)p, n))
        return RC_NA;
    if (_ambiguous(p, n, value))
        return RC_AMBIGUOUS;
    size_t i = 0;
    int neg = 0;
    if (p[i] == '+' || p[i] == '-') {
        neg = p[i] == '-';
        i++;
    }
    /* digits, possibly grouped by one kind of separator in threes */
    int64_t v = 0;
    int digits = 0, group = 0, grouped = 0, big = 0;
    size_t sep_kind = 0;
    unsigned char sep_first = 0;
    while (i < n) {
        if (p[i] >= '0' && p[i] <= '9') {
            if (v > RULES_COUNT_MAX)
                big = 1;
            else
                v = v * 10 + (p[i] - '0');
            digits++;
            group++;
            i++;
            continue;
        }
        size_t k = _sep_len(p + i, n - i);
        if (k && digits > 0 && i + k < n) {
            if (grouped && group != 3)
                return RC_NOT_NUMBER;
            if (!grouped && group > 3)
                return RC_NOT_NUMBER;
            if (sep_kind && (k != sep_kind || p[i] != sep_first))
                return RC_NOT_NUMBER;
            sep_kind = k;
            sep_first = p[i];
            grouped = 1;
            group = 0;
            i += k;
            continue;
        }
        break;
    }
    if (grouped && group != 3)
        return (i == n) ? RC_NOT_NUMBER : RC_NOT_NUMBER;
    if (i == n && digits > 0) {
        if (neg && v > 0)
            return RC_NEGATIVE;
        if (big || v > RULES_COUNT_MAX)
            return RC_TOO_LARGE;
        *value = v;
        return grouped ? RC_SEPARATED : RC_PLAIN;
    }
    /* a fraction or an exponent: let strtod decide */
    char buf[64];
    if (n >= sizeof buf)
        return RC_NOT_NUMBER;
    memcpy(buf, p, n);
    buf[n] = '\0';
    char *end;
    double d = strtod(buf, &end);
    if (end != buf + n || !isfinite(d))
        return RC_NOT_NUMBER;
    for (size_t j = 0; j < n; j++) /* no hex, inf, nan spellings */
        if (!strchr("0123456789+-.eE", buf[j]))
            return RC_NOT_NUMBER;
    if (d < 0)
        return RC_NEGATIVE;
    if (d != floor(d))
        return RC_FRACTION;
    if (d > (double)RULES_COUNT_MAX)
        return RC_TOO_LARGE;
    *value = (int64_t)d;
    return RC_PLAIN;
}

/* ------------------------------------------------------------- one cell */

static const char *_cell_value(const cell *c, char *buf, size_t n)
{
    if (c->kind == CELL_NUMBER && c->len == 0) {
        snprintf(buf, n, "%.15g", c->num);
        return buf;
    }
    if (c->kind == CELL_BOOL)
        return c->num != 0 ? "TRUE" : "FALSE";
    return c->text;
}

static iafq_err _set_text(ret_value *out, const char *s, size_t n)
{
    if (ret_value_set_text(out, s, n))
        return IAFQ_ERR_NOMEM;
    out->avail = true;
    return IAFQ_OK;
}

/* A count written as text (c->kind == CELL_TEXT). */
static iafq_err count_text_value(iafq_return *r, const rules_loc *loc,
                                 const cell *c, ret_value *out, const char *val)
{
    uint32_t row = c->row;
    int32_t col = (int32_t)c->col;
    int64_t v;
    switch (rules_count_text(c->text, c->len, &v)) {
    case RC_BLANK:
        return IAFQ_OK;
    case RC_NA:
        return ADD(r, F_W_NA_TEXT, loc, row, col, val,
                   "'%s' is read as 'not available'; a blank cell means "
                   "the same",
                   val);
    case RC_PLAIN:
    case RC_SEPARATED:
        out->n = v;
        out->avail = true;
        return ADD(r, F_W_NUMBER_TEXT, loc, row, col, val,
                   "'%s' is written as text; it is read as the number "
                   "%lld",
                   val, (long long)v);
    case RC_NEGATIVE:
        out->bad = true;
        return ADD(r, F_E_NEGATIVE, loc, row, col, val,
                   "'%s' is negative: a count cannot be below zero", val);
    case RC_FRACTION:
        out->bad = true;
        return ADD(r, F_E_NOT_INTEGER, loc, row, col, val,
                   "'%s' is not a whole number: counts of arms, parts, "
                   "rounds, cases and persons are whole numbers",
                   val);
    case RC_TOO_LARGE:
        out->bad = true;
        return ADD(r, F_E_NOT_NUMBER, loc, row, col, val,
                   "'%s' is too large to be a count", val);
    case RC_AMBIGUOUS: {
        out->bad = true;
        size_t tn = c->len;
        const char *t = str_trim(c->text, &tn);
        char dec[16]; /* the decimal reading */
        int whole = tn >= 3 && memcmp(t + tn - 3, "000", 3) == 0;
        snprintf(dec, sizeof dec, "%.*s", (int)(whole ? tn - 4 : tn), t);
        if (whole)
            return ADD(r, F_E_NUMBER_AMBIGUOUS, loc, row, col, val,
                       "'%s' can be read as %lld (with '.' as the "
                       "thousands separator) or as %s (with '.' as the "
                       "decimal point): write the count without any "
                       "separator",
                       val, (long long)v, dec);
        return ADD(r, F_E_NUMBER_AMBIGUOUS, loc, row, col, val,
                   "'%s' can be read as %lld (with '.' as the thousands "
                   "separator) or as %s, not a whole number (with '.' as "
                   "the decimal point): write the count without any "
                   "separator",
                   val, (long long)v, dec);
    }
    case RC_NOT_NUMBER:
        break;
    }
    out->bad = true;
    return ADD(r, F_E_NOT_NUMBER, loc, row, col, val,
               "'%s' is not a number: enter a whole number, or leave the "
               "cell blank when the figure is not available",
               val);
}

static iafq_err _count(iafq_return *r, const rules_loc *loc, const cell *c,
                       ret_value *out, const char *val)
{
    uint32_t row = c->row;
    int32_t col = (int32_t)c->col;
    if (c->kind == CELL_NUMBER && c->is_date) {
        int y, m, dd;
        out->bad = true;
        if (dates_from_serial(c->num, c->date1904, &y, &m, &dd) == 0)
            return ADD(r, F_E_NOT_NUMBER, loc, row, col, val,
                       "the cell is formatted as a date (it shows "
                       "%04d-%02d-%02d), not as a count: format it as a "
                       "number and enter the count",
                       y, m, dd);
        return ADD(r, F_E_NOT_NUMBER, loc, row, col, val,
                   "the cell is formatted as a date, not as a count: "
                   "format it as a number and enter the count");
    }
    if (c->kind == CELL_NUMBER) {
        double d = rules_snap(c->num);
        if (!isfinite(d) || d > (double)RULES_COUNT_MAX) {
            out->bad = true;
            return ADD(r, F_E_NOT_NUMBER, loc, row, col, val,
                       "%s is too large to be a count", val);
        }
        if (d < 0) {
            out->bad = true;
            return ADD(r, F_E_NEGATIVE, loc, row, col, val,
                       "%s is negative: a count cannot be below zero", val);
        }
        if (d != floor(d)) {
            out->bad = true;
            return ADD(r, F_E_NOT_INTEGER, loc, row, col, val,
                       "%s is not a whole number: counts of arms, parts, "
                       "rounds, cases and persons are whole numbers",
                       val);
        }
        out->n = (int64_t)d;
        out->avail = true;
        return IAFQ_OK;
    }
    if (c->kind == CELL_TEXT)
        return count_text_value(r, loc, c, out, val);
    out->bad = true;
    if (c->kind == CELL_ERROR)
        return ADD(r, F_E_NOT_NUMBER, loc, row, col, val,
                   "the cell shows the spreadsheet error %s, not a number",
                   val);
    return ADD(r, F_E_NOT_NUMBER, loc, row, col, val,
               "%s is not a number: enter a whole number, or leave the cell "
               "blank when the figure is not available",
               val);
}

static int _codes_list(codelist_id cl, char *buf, size_t n)
{
    const schema_codelist *l = &schema_codelists[cl];
    size_t k = 0;
    buf[0] = '\0';
    for (int i = 0; i < l->n && k < n; i++)
        k += (size_t)snprintf(buf + k, n - k, "%s%s", i ? ", " : "",
                              l->codes[i]);
    return 0;
}

/* VT_TEXT: at most SCHEMA_TEXT_MAX characters of valid UTF-8. */
static iafq_err text_value(iafq_return *r, const rules_loc *loc, const cell *c,
                           const char *t, size_t n, ret_value *out)
{
    uint32_t row = c->row;
    int32_t col = (int32_t)c->col;
    if (loc->discard_text && n <= SCHEMA_TEXT_MAX && utf8_valid(t, n)) {
        out->avail = true; /* valid: fewer bytes than the limit */
        return IAFQ_OK;
    }
    int valid = utf8_valid(t, n);
    if (valid && utf8_len(t, n) <= SCHEMA_TEXT_MAX)
        return _set_text(out, t, n);
    out->bad = true;
    char shown[60 * 4 + 1]; /* the first 60 characters */
    size_t sn = utf8_prefix(t, n, 60, sizeof shown - 1);
    memcpy(shown, t, sn);
    shown[sn] = '\0';
    if (!valid)
        return ADD(r, F_E_TEXT_LONG, loc, row, col, shown,
                   "the text is not valid UTF-8 text");
    return ADD(r, F_E_TEXT_LONG, loc, row, col, shown,
               "the text has %zu characters; at most %d are allowed",
               utf8_len(t, n), SCHEMA_TEXT_MAX);
}

/* The first 70 characters of t[0..n), for a finding: made only when a
 * finding is, not for every cell. */
#define SHOWN_BUF (70 * 4 + 1)
static const char *show(const char *t, size_t n, char shown[SHOWN_BUF])
{
    size_t sn = utf8_prefix(t, n, 70, SHOWN_BUF - 1);
    memcpy(shown, t, sn);
    shown[sn] = '\0';
    return shown;
}

/* VT_CODE: one of code list cl, kept as its index (and text). */
static iafq_err code_value(iafq_return *r, const rules_loc *loc, codelist_id cl,
                           const cell *c, const char *t, size_t n,
                           ret_value *out)
{
    int i = c->kind == CELL_TEXT ? schema_code_index_n(cl, t, n) : -1;
    if (i < 0 || n > 70) {
        char list[400], shown[SHOWN_BUF];
        show(t, n, shown);
        _codes_list(cl, list, sizeof list);
        out->bad = true;
        return ADD(r, F_E_CODE, loc, c->row, (int32_t)c->col, shown,
                   "'%s' is not one of the allowed codes: %s", shown, list);
    }
    const char *code = schema_codelists[cl].codes[i];
    out->n = i; /* the code's index: no text needed to use it */
    if (loc->discard_text) {
        out->avail = true;
        return IAFQ_OK;
    }
    return _set_text(out, code, strlen(code));
}

/* VT_COUNTRY: an ISO3 code of the M49 list. */
static iafq_err country_value(iafq_return *r, const rules_loc *loc,
                              const cell *c, const char *t, size_t n,
                              ret_value *out)
{
    char shown[SHOWN_BUF];
    const m49_entry *e = NULL;
    if (c->kind == CELL_TEXT && n == 3) {
        char iso[4] = {t[0], t[1], t[2], '\0'};
        e = m49_by_iso3(iso);
    }
    if (!e) {
        show(t, n, shown);
        out->bad = true;
        return ADD(r, F_E_COUNTRY, loc, c->row, (int32_t)c->col, shown,
                   "'%s' is not an ISO 3166 alpha-3 country code of the "
                   "UN M49 list (for example ESP for Spain)",
                   shown);
    }
    if (loc->discard_text) {
        out->avail = true;
        return IAFQ_OK;
    }
    return _set_text(out, e->iso3, 3);
}

/* VT_YEAR: a whole number from 2000 to rules_current_year(). */
static iafq_err year_value(iafq_return *r, const rules_loc *loc, const cell *c,
                           const char *t, size_t n, ret_value *out)
{
    char shown[SHOWN_BUF];
    uint32_t row = c->row;
    int32_t col = (int32_t)c->col;
    int64_t v = 0;
    int ok = 0;
    double num = rules_snap(c->num);
    if (c->kind == CELL_NUMBER && num == floor(num) && fabs(num) < 1e6) {
        v = (int64_t)num;
        ok = 1;
    } else if (c->kind == CELL_TEXT) {
        rules_count_class k = rules_count_text(t, n, &v);
        ok = k == RC_PLAIN;
        if (ok && ADD(r, F_W_NUMBER_TEXT, loc, row, col, show(t, n, shown),
                      "'%s' is written as text; it is read as the year "
                      "%lld",
                      shown, (long long)v))
            return IAFQ_ERR_NOMEM;
    }
    int cy = rules_current_year();
    if (!ok || v < 2000 || v > cy) {
        out->bad = true;
        show(t, n, shown);
        return ADD(r, F_E_YEAR, loc, row, col, shown,
                   "'%s' is not a reporting year from 2000 to %d", shown, cy);
    }
    out->n = v;
    out->avail = true;
    return IAFQ_OK;
}

/* VT_DATE: a date cell or an ISO date, kept as YYYYMMDD (and text). */
static iafq_err date_value(iafq_return *r, const rules_loc *loc, const cell *c,
                           const char *t, size_t n, ret_value *out)
{
    char shown[SHOWN_BUF];
    int y, m, d;
    int ok;
    if (c->kind == CELL_NUMBER)
        ok = dates_from_serial(c->num, c->date1904, &y, &m, &d) == 0;
    else
        ok = c->kind == CELL_TEXT && rules_parse_date(t, n, &y, &m, &d) == 0;
    if (!ok) {
        out->bad = true;
        show(t, n, shown);
        return ADD(r, F_E_DATE, loc, c->row, (int32_t)c->col, shown,
                   "'%s' is not a date: write it as YYYY-MM-DD (for "
                   "example 2021-03-15) or enter it as a date",
                   shown);
    }
    out->n = (int64_t)y * 10000 + m * 100 + d; /* YYYYMMDD */
    if (loc->discard_text) {
        out->avail = true;
        return IAFQ_OK;
    }
    char iso[16];
    snprintf(iso, sizeof iso, "%04d-%02d-%02d", y, m, d);
    return _set_text(out, iso, 10);
}

iafq_err rules_cell(iafq_return *r, const rules_loc *loc, value_type vt,
                    codelist_id cl, const cell *c, ret_value *out)
{
    char nbuf[40];
    const char *val = _cell_value(c, nbuf, sizeof nbuf);
    ret_value_clear(out);
    out->row = c->row;
    out->col = (int32_t)c->col;

    if (c->kind == CELL_BLANK)
        return IAFQ_OK;
    if (c->kind == CELL_FORMULA_NOCACHE) {
        out->bad = true;
        return ADD(r, F_E_FORMULA, loc, c->row, (int32_t)c->col, val,
                   "the formula has no saved result: recalculate and save "
                   "the workbook in Excel or LibreOffice, or type the value");
    }
    if (vt == VT_COUNT)
        return _count(r, loc, c, out, val);

    /* text-like types: the text as given, trimmed */
    size_t n = c->len;
    const char *t = (c->kind == CELL_TEXT || c->kind == CELL_ERROR)
                        ? str_trim(c->text, &n)
                        : val;
    if (c->kind != CELL_TEXT && c->kind != CELL_ERROR)
        n = strlen(t);
    if (n == 0)
        return IAFQ_OK;
    if (vt == VT_TEXT)
        return text_value(r, loc, c, t, n, out);
    if (c->kind == CELL_TEXT && rules_is_na_text(t, n))
        return ADD(r, F_W_NA_TEXT, loc, c->row, (int32_t)c->col, val,
                   "'%s' is read as 'not available'; a blank cell means the "
                   "same",
                   val);
    switch (vt) {
    case VT_CODE:
        return code_value(r, loc, cl, c, t, n, out);
    case VT_COUNTRY:
        return country_value(r, loc, c, t, n, out);
    case VT_YEAR:
        return year_value(r, loc, c, t, n, out);
    case VT_DATE:
        return date_value(r, loc, c, t, n, out);
    default:
        return _set_text(out, t, n);
    }
}

/* ------------------------------------------------------- table-level rules */

void rules_cell_pos(const iafq_return *r, table_id t, int row, int col,
                    uint32_t *sheet_row, int32_t *sheet_col)
{
    const ret_table *rt = &r->t[t];
    const ret_value *v = &rt->rows[row].v[col];
    if (v->row) { /* the cell itself was read (long format, or given) */
        *sheet_row = v->row;
        *sheet_col = v->col;
        return;
    }
    if (rt->rows[row].present && rt->colpos[col] >= 0) {
        *sheet_row = rt->rows[row].sheet_row;
        *sheet_col = rt->colpos[col];
    } else {
        *sheet_row = 0;
        *sheet_col = -1;
    }
}

static const char *_sheet_of(const iafq_return *r, table_id t)
{
    return r->t[t].sheet ? r->t[t].sheet : schema_tables[t].code;
}

/* The E-REQUIRED message of a required COVER row, its label written out so
 * that it is translated with the rest (the schema's labels are English);
 * NULL for a row without one (the generic message). */
static const char *_required_fmt(const char *code)
{
    static const struct {
        const char *code, *fmt;
    } msgs[] = {
        {"COUNTRY",
         N_("%s must be filled in: Country (ISO 3166 alpha-3 code)")},
        {"YEAR", N_("%s must be filled in: Reporting year")},
        {"CONSENT", N_("%s must be filled in: May the country's own figures "
                       "be published? (YES/NO)")},
    };
    for (size_t i = 0; i < sizeof msgs / sizeof *msgs; i++)
        if (strcmp(msgs[i].code, code) == 0)
            return msgs[i].fmt;
    return NULL;
}

static iafq_err _cover(iafq_return *r)
{
    const schema_table *st = &schema_tables[TBL_COVER];
    ret_table *rt = &r->t[TBL_COVER];
    ret_value *country = ret_cell(r, TBL_COVER, "COUNTRY", "VALUE");
    ret_value *year = ret_cell(r, TBL_COVER, "YEAR", "VALUE");
    ret_value *consent = ret_cell(r, TBL_COVER, "CONSENT", "VALUE");
    if (country->avail && country->text)
        snprintf(r->country, sizeof r->country, "%s", country->text);
    if (year->avail)
        r->year = (int)year->n;
    if (consent->avail && consent->text)
        r->consent = strcmp(consent->text, "YES") == 0;
    if (!rt->present || !rt->header)
        return IAFQ_OK; /* E-SHEET-MISSING / E-HEADER-MISSING said it already */
    for (int i = 0; i < st->nrows; i++) {
        const ret_value *v = &rt->rows[i].v[0];
        if (!st->rows[i].required || v->avail || v->bad)
            continue;
        uint32_t row;
        int32_t col;
        rules_cell_pos(r, TBL_COVER, i, 0, &row, &col);
        const char *code = st->rows[i].code;
        const char *fmt = _required_fmt(code);
        if (fmt ? findings_add(&r->findings, F_E_REQUIRED,
                               _sheet_of(r, TBL_COVER), row, col, code, "VALUE",
                               NULL, fmt, code)
                : findings_add(&r->findings, F_E_REQUIRED,
                               _sheet_of(r, TBL_COVER), row, col, code, "VALUE",
                               NULL, "%s must be filled in: %s", code,
                               st->rows[i].label))
            return IAFQ_ERR_NOMEM;
    }
    return IAFQ_OK;
}

static iafq_err _sums(iafq_return *r)
{
    for (int k = 0; k < schema_nsums; k++) {
        const schema_sum *s = &schema_sums[k];
        const schema_table *st = &schema_tables[s->table];
        ret_table *rt = &r->t[s->table];
        if (!rt->present)
            continue;
        int ti = schema_row_index(st, s->total);
        for (int c = 0; c < st->ncols; c++) {
            int64_t sum = 0;
            int all = 1, any = 0;
            for (int p = 0; p < s->nparts; p++) {
                const ret_value *v =
                    &rt->rows[schema_row_index(st, s->parts[p])].v[c];
                if (v->avail) {
                    sum = rules_count_add(sum, v->n);
                    any = 1;
                } else
                    all = 0;
            }
            ret_value *tv = &rt->rows[ti].v[c];
            uint32_t row;
            int32_t col;
            rules_cell_pos(r, s->table, ti, c, &row, &col);
            const char *sheet = _sheet_of(r, s->table);
            const char *cc = st->cols[c].code;
            if (sum > RULES_COUNT_MAX) { /* never derived, never compared */
                if (!tv->avail)
                    tv->bad = true; /* so that no later rule uses it */
                if (all ? findings_add(&r->findings, F_E_NOT_NUMBER, sheet, row,
                                       col, s->total, cc, NULL,
                                       "the components of %s %s %s add up to "
                                       "more than 10^15 "
                                       "(1,000,000,000,000,000): too large "
                                       "to be a count",
                                       st->code, s->total, cc)
                        : findings_add(&r->findings, F_E_NOT_NUMBER, sheet, row,
                                       col, s->total, cc, NULL,
                                       "the given components of %s %s %s "
                                       "add up to more than 10^15 "
                                       "(1,000,000,000,000,000): too large "
                                       "to be a count",
                                       st->code, s->total, cc))
                    return IAFQ_ERR_NOMEM;
                continue;
            }
            if (tv->avail) {
                if (sum > tv->n || (all && sum < tv->n)) {
                    char val[32];
                    snprintf(val, sizeof val, "%lld", (long long)tv->n);
                    /* a whole message for each case: translated whole */
                    const char *fmt =
                        sum > tv->n
                            ? (all ? N_("%s %s %s is %lld but its components "
                                        "add up to %lld (more than the "
                                        "total)")
                                   : N_("%s %s %s is %lld but its given "
                                        "components add up to %lld (more "
                                        "than the total)"))
                            : N_("%s %s %s is %lld but its components add "
                                 "up to %lld (less than the total)");
                    if (findings_add(&r->findings, F_W_SUM, sheet, row, col,
                                     s->total, cc, val, fmt, st->code, s->total,
                                     cc, (long long)tv->n, (long long)sum))
                        return IAFQ_ERR_NOMEM;
                }
            } else if (all && any && !tv->bad) {
                tv->n = sum;
                tv->avail = true;
                tv->derived = true;
                char val[32];
                snprintf(val, sizeof val, "%lld", (long long)sum);
                if (findings_add(&r->findings, F_W_TOTAL_DERIVED, sheet, row,
                                 col, s->total, cc, NULL,
                                 "%s %s %s is blank but every component "
                                 "is given: their sum %lld is used",
                                 st->code, s->total, cc, (long long)sum))
                    return IAFQ_ERR_NOMEM;
            }
        }
    }
    return IAFQ_OK;
}

static const ret_value *_term(const iafq_return *r, const schema_term *t,
                              const char *col)
{
    return ret_cell_c(r, t->table, t->row, t->col ? t->col : col);
}

static void _term_name(const schema_term *t, const char *col, char *buf,
                       size_t n)
{
    snprintf(buf, n, "%s %s %s", schema_tables[t->table].code, t->row,
             t->col ? t->col : col);
}

static iafq_err _cross_one(iafq_return *r, const schema_cross *x,
                           const char *col)
{
    int64_t l = 0, rr = 0;
    char lname[200] = "", rname[200] = "";
    for (int i = 0; i < x->nlhs; i++) {
        const ret_value *v = _term(r, &x->lhs[i], col);
        if (!v || !v->avail)
            return IAFQ_OK;
        l = rules_count_add(l, v->n);
    }
    size_t k = 0;
    for (int i = 0; i < x->nrhs; i++) {
        const ret_value *v = _term(r, &x->rhs[i], col);
        if (!v || !v->avail)
            return IAFQ_OK;
        rr = rules_count_add(rr, v->n);
        char nm[80];
        _term_name(&x->rhs[i], col, nm, sizeof nm);
        k += (size_t)snprintf(rname + k, sizeof rname - k, "%s%s",
                              i ? " + " : "", nm);
        if (k >= sizeof rname)
            k = sizeof rname - 1;
    }
    int over = l > RULES_COUNT_MAX || rr > RULES_COUNT_MAX;
    int bad = x->op == CROSS_EQ ? l != rr : l > rr;
    if (!bad && !over)
        return IAFQ_OK;
    const schema_term *t0 = &x->lhs[0];
    const schema_table *st = &schema_tables[t0->table];
    int ri = schema_row_index(st, t0->row);
    int ci = schema_col_index(st, t0->col ? t0->col : col);
    uint32_t row;
    int32_t scol;
    rules_cell_pos(r, t0->table, ri, ci, &row, &scol);
    _term_name(t0, col, lname, sizeof lname);
    if (over)
        return NOMEM_IF(
            findings_add(&r->findings, F_E_NOT_NUMBER, _sheet_of(r, t0->table),
                         row, scol, t0->row, st->cols[ci].code, NULL,
                         "%s add up to more than 10^15 "
                         "(1,000,000,000,000,000) when compared with %s: "
                         "too large to be counts",
                         l > RULES_COUNT_MAX ? lname : rname,
                         l > RULES_COUNT_MAX ? rname : lname));
    char val[32];
    snprintf(val, sizeof val, "%lld", (long long)l);
    const char *fmt =
        x->op == CROSS_EQ
            ? N_("%s is %lld but %s is %lld: the tables should agree")
            : N_("%s is %lld but %s is %lld: the tables should not exceed "
                 "it");
    return NOMEM_IF(findings_add(&r->findings, F_W_CROSS,
                                 _sheet_of(r, t0->table), row, scol, t0->row,
                                 st->cols[ci].code, val, fmt, lname,
                                 (long long)l, rname, (long long)rr));
}

static iafq_err _cross(iafq_return *r)
{
    for (int k = 0; k < schema_ncrosses; k++) {
        const schema_cross *x = &schema_crosses[k];
        if (x->per_column) {
            for (int c = 0; c < 3; c++)
                if (_cross_one(r, x, schema_arm_columns[c]))
                    return IAFQ_ERR_NOMEM;
        } else if (_cross_one(r, x, NULL))
            return IAFQ_ERR_NOMEM;
    }
    /* T11 quantities by arm type against T1 SEIZED of that type */
    const schema_codelist *arms = &schema_codelists[CL_ARM_TYPE];
    for (int a = 0; a < arms->n && a < 8; a++) {
        if (!r->t11.qty_any[a])
            continue;
        if (r->t11.qty[a] > RULES_COUNT_MAX) {
            if (findings_add(&r->findings, F_E_NOT_NUMBER,
                             _sheet_of(r, TBL_T11), r->t11.last_row[a],
                             r->t11.qty_col, r->t11.last_id[a], "QUANTITY",
                             NULL,
                             "the T11 seizures of %s add up to more than "
                             "10^15 (1,000,000,000,000,000) arms: too large "
                             "to be a count",
                             arms->codes[a]))
                return IAFQ_ERR_NOMEM;
            continue;
        }
        const ret_value *t1 = ret_cell_c(r, TBL_T1, arms->codes[a], "SEIZED");
        if (!t1 || !t1->avail || r->t11.qty[a] <= t1->n)
            continue;
        char val[32];
        snprintf(val, sizeof val, "%lld", (long long)r->t11.qty[a]);
        if (findings_add(&r->findings, F_W_CROSS, _sheet_of(r, TBL_T11),
                         r->t11.last_row[a], r->t11.qty_col, r->t11.last_id[a],
                         "QUANTITY", val,
                         "the T11 seizures of %s add up to %lld arms, more "
                         "than T1 %s SEIZED (%lld)",
                         arms->codes[a], (long long)r->t11.qty[a],
                         arms->codes[a], (long long)t1->n))
            return IAFQ_ERR_NOMEM;
    }
    return IAFQ_OK;
}

iafq_err rules_finish(iafq_return *r)
{
    if (r->source != RET_SRC_LONG && _cover(r))
        return IAFQ_ERR_NOMEM;
    if (_sums(r) || _cross(r))
        return IAFQ_ERR_NOMEM;
    return IAFQ_OK;
}
