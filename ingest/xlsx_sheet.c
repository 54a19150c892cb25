/*
 * xlsx_sheet.c - worksheet cells (see xlsx_sheet.h).
 */
#include "xlsx_sheet.h"

#include "str.h"
#include "work.h"
#include "xlsx_split.h"
#include "xlsx_xml.h"

#include "grow.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

typedef enum {
    T_NUM = 0,
    T_SST,
    T_STR,
    T_INLINE,
    T_BOOL,
    T_ERR,
    T_DATE
} _ctype;

typedef struct _rec_s _rec;

typedef struct {
    xlsx_sheet_ctx *ctx;
    const iafq_limits *lim;
    int cap; /* text capture: 0 none, 1 into val, 2 into fml */
    sbuf val, fml;
    int in_sheetdata, in_row, in_c, row_explicit, rph;
    uint32_t row, prev_row, row_cells;
    int64_t last_col;
    uint32_t col;
    _ctype ctype;
    uint32_t style;
    int has_v, has_f, has_is;
    /* events (cells, row ends) handed to the sink, or skipped: a parse
     * done again after a split parse gave up skips those it delivered */
    uint64_t delivered, skip;
    /* a split parse's worker (a lane): its first row must say its number,
     * cells are recorded into rec */
    int lane, rows_seen;
    _rec *rec;
} _ws;

/* ---- a split parse's records (see xlsx_split.h) -------------------------
 *
 * A worker's lane records the cells and row ends of its chunk; the
 * caller's thread replays them into the sink.  A record holds one chunk:
 * its size follows the chunk's (a cell is at least "<c><v>1</v></c>"). */

typedef struct {
    cell c;
    size_t off; /* c.text at txt + off; SIZE_MAX: c.text kept (a shared
                   string's, which lives as long as the table) */
    int row_end;
} _ev;

struct _rec_s {
    _ev *ev;
    size_t n, cap;
    char *txt;
    size_t tn, tcap;
    uint32_t first_row, last_row;
    int rows; /* the chunk had rows (first_row, last_row set) */
    uint64_t ncells;
    int nomem;
};

static void _rec_first_row(_rec *r, uint32_t row)
{
    r->first_row = row;
}

/* Parse a number as Excel writes it; 0 on success. */
static int _parse_num(const char *s, size_t len, double *out)
{
    const char *p = s;
    int neg = 0;
    if (len == 0)
        return -1;
    if (*p == '-') {
        neg = 1;
        p++;
    }
    /* Fast path (Clinger): at most 15 digits, optional fraction, no
     * exponent.  The mantissa and 10^k are exact doubles, so one division
     * is correctly rounded: the same result as strtod. */
    size_t nd = len - (size_t)(p - s);
    if (nd > 0 && nd <= 16) {
        static const double pow10[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,
                                       1e6,  1e7,  1e8,  1e9,  1e10, 1e11,
                                       1e12, 1e13, 1e14, 1e15, 1e16};
        uint64_t v = 0;
        size_t i = 0, digits = 0, frac = 0;
        int dot = 0;
        for (; i < nd; i++) {
            unsigned d = (unsigned char)p[i] - '0';
            if (d <= 9) {
                v = v * 10 + d;
                digits++;
                frac += (size_t)dot;
            } else if (p[i] == '.' && !dot) {
                dot = 1;
            } else {
                break;
            }
        }
        if (i == nd && digits > 0 && digits <= 15) {
            double r = (double)v;
            if (frac)
                r /= pow10[frac];
            *out = neg ? -r : r;
            return 0;
        }
    }
    char *end = NULL;
    double d = strtod(s, &end);
    if (end == s)
        return -1;
    while (*end == ' ' || *end == '\t' || *end == '\r' || *end == '\n')
        end++;
    if (*end != '\0' || !isfinite(d))
        return -1;
    *out = d;
    return 0;
}

static void _emit(xlsx_xml *px, _ws *w, cell_kind kind, double num,
                  const char *text, size_t len, int is_date, uint32_t shared)
{
    xlsx_sheet_ctx *ctx = w->ctx;
    if (ctx->ncells >= w->lim->max_cells) {
        xlsx_xml_stop(px, IAFQ_ERR_LIMIT,
                      "the workbook has more than %llu non-empty cells "
                      "(limit)",
                      (unsigned long long)w->lim->max_cells);
        return;
    }
    ctx->ncells++;
    w->row_cells++;
    if (w->skip) {
        w->skip--;
        return;
    }
    w->delivered++;
    if (!ctx->sink->cell)
        return;
    cell c;
    c.row = w->row;
    c.col = w->col;
    c.kind = kind;
    c.num = num;
    c.text = text ? text : "";
    c.len = text ? len : 0;
    c.date1904 = ctx->date1904;
    c.is_date = is_date;
    c.shared = shared;
    iafq_error cb;
    iafq_error_clear(&cb);
    iafq_err rc = ctx->sink->cell(ctx->sink->ud, &c, &cb);
    if (rc != IAFQ_OK)
        xlsx_xml_stop_cb(px, rc, &cb);
}

static void _dimension(xlsx_xml *px, _ws *w, const char *ref)
{
    uint32_t r1, c1, r2, c2;
    int h1, h2;
    const char *end = NULL;
    const iafq_limits *lim = w->lim;
    if (cells_parse_ref_at(ref, &end, &r1, &c1, &h1) != 0)
        return; /* unreadable: ignore, the cells are checked anyway */
    r2 = r1;
    c2 = c1;
    h2 = h1;
    if (*end == ':' && cells_parse_ref_at(end + 1, NULL, &r2, &c2, &h2) != 0)
        return;
    if (r2 < r1) {
        uint32_t t = r1;
        r1 = r2;
        r2 = t;
    }
    if (c2 < c1) {
        uint32_t t = c1;
        c1 = c2;
        c2 = t;
    }
    if (r2 > lim->max_rows) {
        xlsx_xml_stop(
            px, IAFQ_ERR_LIMIT,
            "the sheet declares %u rows (%s), more than the limit of %u",
            (unsigned)r2, ref, (unsigned)lim->max_rows);
        return;
    }
    if ((uint64_t)c2 + 1 > lim->max_cols) {
        xlsx_xml_stop(px, IAFQ_ERR_LIMIT,
                      "the sheet declares %llu columns (%s), more than the "
                      "limit of %u",
                      (unsigned long long)c2 + 1, ref, (unsigned)lim->max_cols);
        return;
    }
    uint64_t rows = (uint64_t)(r2 ? r2 - (r1 ? r1 : 1) + 1 : 1);
    uint64_t cols = (uint64_t)(c2 - c1) + 1;
    if (rows * cols > lim->max_cells)
        xlsx_xml_stop(px, IAFQ_ERR_LIMIT,
                      "the sheet declares %llu cells (%s), more than the "
                      "limit of %llu",
                      (unsigned long long)(rows * cols), ref,
                      (unsigned long long)lim->max_cells);
}

static void _row_start(xlsx_xml *px, _ws *w, const char **atts)
{
    const char *r = NULL;
    const iafq_limits *lim = w->lim;
    for (size_t i = 0; atts[i]; i += 2)
        if (atts[i][0] == 'r' && atts[i][1] == '\0') {
            r = atts[i + 1];
            break;
        }
    w->in_row = 1;
    w->row_cells = 0;
    w->last_col = -1;
    w->row_explicit = r != NULL;
    if (w->lane && !w->rows_seen && !r) {
        /* its number follows the previous chunk's last row */
        xlsx_xml_stop(px, IAFQ_ERR_FORMAT, "a chunk's first row has no r");
        return;
    }
    if (r) {
        uint64_t v = 0;
        const char *p = r;
        for (; *p >= '0' && *p <= '9' && v <= UINT32_MAX; p++)
            v = v * 10 + (uint64_t)(*p - '0');
        if (*p != '\0' || p == r || v == 0) {
            xlsx_xml_stop(px, IAFQ_ERR_FORMAT,
                          "row number '%.40s' is not valid", r);
            return;
        }
        if (v > lim->max_rows) {
            xlsx_xml_stop(px, IAFQ_ERR_LIMIT,
                          "row %llu is beyond the limit of %u rows",
                          (unsigned long long)v, (unsigned)lim->max_rows);
            return;
        }
        if (v <= w->prev_row) {
            xlsx_xml_stop(px, IAFQ_ERR_FORMAT,
                          "row %u comes after row %u (rows must be in "
                          "increasing order, each once)",
                          (unsigned)v, (unsigned)w->prev_row);
            return;
        }
        w->row = (uint32_t)v;
        if (w->lane && !w->rows_seen)
            _rec_first_row(w->rec, w->row);
        w->rows_seen = 1;
    } else {
        if ((uint64_t)w->prev_row + 1 > lim->max_rows) {
            xlsx_xml_stop(
                px, IAFQ_ERR_LIMIT, "row %llu is beyond the limit of %u rows",
                (unsigned long long)w->prev_row + 1, (unsigned)lim->max_rows);
            return;
        }
        w->row = w->prev_row + 1;
    }
}

static _ctype _cell_type(const char *t)
{
    if (!t)
        return T_NUM;
    switch (t[0]) {
    case 's':
        return t[1] == '\0' ? T_SST : T_STR;
    case 'i':
        return T_INLINE;
    case 'b':
        return T_BOOL;
    case 'e':
        return T_ERR;
    case 'd':
        return T_DATE;
    default:
        return T_NUM;
    }
}

static void _cell_start(xlsx_xml *px, _ws *w, const char **atts)
{
    const char *r = NULL, *t = NULL, *s = NULL;
    const iafq_limits *lim = w->lim;
    for (size_t i = 0; atts[i]; i += 2) {
        const char *a = atts[i];
        if (a[1] != '\0')
            continue;
        if (a[0] == 'r')
            r = atts[i + 1];
        else if (a[0] == 't')
            t = atts[i + 1];
        else if (a[0] == 's')
            s = atts[i + 1];
    }
    w->in_c = 1;
    w->has_v = w->has_f = w->has_is = 0;
    w->val.len = 0; /* sbuf_reset(), inline: once a cell */
    if (w->val.buf)
        w->val.buf[0] = '\0';
    w->fml.len = 0;
    if (w->fml.buf)
        w->fml.buf[0] = '\0';
    w->ctype = _cell_type(t);
    w->style = 0;
    if (s) {
        uint32_t v = 0;
        for (; *s >= '0' && *s <= '9' && v < 100000000u; s++)
            v = v * 10 + (uint32_t)(*s - '0');
        w->style = v;
    }
    uint64_t col;
    if (r) {
        uint32_t crow, ccol;
        if (cells_parse_ref(r, &crow, &ccol) != 0) {
            xlsx_xml_stop(px, IAFQ_ERR_FORMAT,
                          "cell reference '%.40s' is not valid", r);
            return;
        }
        if ((uint64_t)ccol + 1 > lim->max_cols) {
            char b[32];
            xlsx_xml_stop(px, IAFQ_ERR_LIMIT,
                          "cell %.40s is beyond the limit of %u columns "
                          "(last: %s)",
                          r, (unsigned)lim->max_cols,
                          cells_col_name(lim->max_cols - 1, b));
            return;
        }
        if (crow != 0 && crow != w->row) {
            if (!w->row_explicit && w->row_cells == 0 && w->last_col < 0 &&
                crow > w->prev_row && crow <= lim->max_rows) {
                w->row = crow; /* a <row> without r: take the cells' row */
            } else if (crow > lim->max_rows) {
                xlsx_xml_stop(px, IAFQ_ERR_LIMIT,
                              "cell %.40s is beyond the limit of %u rows", r,
                              (unsigned)lim->max_rows);
                return;
            } else {
                xlsx_xml_stop(px, IAFQ_ERR_FORMAT,
                              "cell %.40s is inside row %u", r,
                              (unsigned)w->row);
                return;
            }
        }
        col = ccol;
        if ((int64_t)col <= w->last_col) {
            char b1[16], b2[16];
            xlsx_xml_stop(px, IAFQ_ERR_FORMAT,
                          "cell %s comes after cell %s (cells must be in "
                          "increasing column order, each once)",
                          cells_ref(w->row, (uint32_t)col, b1),
                          cells_ref(w->row, (uint32_t)w->last_col, b2));
            return;
        }
    } else {
        col = (uint64_t)(w->last_col + 1);
        if (col + 1 > lim->max_cols) {
            xlsx_xml_stop(px, IAFQ_ERR_LIMIT,
                          "row %u has more than %u columns (limit)",
                          (unsigned)w->row, (unsigned)lim->max_cols);
            return;
        }
    }
    w->col = (uint32_t)col;
    w->last_col = (int64_t)col;
}

/* A cell of type "s": its string from the table, as it is kept there. */
static void _cell_shared(xlsx_xml *px, _ws *w, const char *v, size_t n)
{
    uint64_t idx = 0;
    size_t i = 0;
    while (i < n &&
           (v[i] == ' ' || v[i] == '\t' || v[i] == '\n' || v[i] == '\r'))
        i++;
    size_t d0 = i;
    for (; i < n && v[i] >= '0' && v[i] <= '9' && idx <= UINT32_MAX; i++)
        idx = idx * 10 + (uint64_t)(v[i] - '0');
    size_t len = 0;
    const char *s = i == d0 ? NULL : xlsx_sst_get(w->ctx->sst, idx, &len);
    if (!s) {
        char rb[16];
        xlsx_xml_stop(px, IAFQ_ERR_FORMAT,
                      "cell %s refers to shared string '%.20s', but the "
                      "table has %zu strings",
                      cells_ref(w->row, w->col, rb), v, w->ctx->sst->n);
        return;
    }
    _emit(px, w, CELL_TEXT, 0, s, len, 0, (uint32_t)idx + 1);
}

static void _cell_end(xlsx_xml *px, _ws *w)
{
    w->in_c = 0;
    w->cap = 0;
    if (w->has_f && !w->has_v && !(w->has_is && w->ctype == T_INLINE)) {
        _emit(px, w, CELL_FORMULA_NOCACHE, 0, w->fml.buf ? w->fml.buf : "",
              w->fml.len, 0, 0);
        return;
    }
    if (w->has_is) {
        xlsx_xml_unescape(&w->val);
        _emit(px, w, CELL_TEXT, 0, w->val.buf, w->val.len, 0, 0);
        return;
    }
    if (!w->has_v)
        return; /* an empty (styled) cell */
    const char *v = w->val.buf ? w->val.buf : "";
    size_t n = w->val.len;
    switch (w->ctype) {
    case T_SST:
        _cell_shared(px, w, v, n);
        return;
    case T_STR:
    case T_DATE:
        xlsx_xml_unescape(&w->val);
        _emit(px, w, CELL_TEXT, 0, w->val.buf, w->val.len, 0, 0);
        return;
    case T_INLINE:
        if (n == 0)
            return;
        xlsx_xml_unescape(&w->val);
        _emit(px, w, CELL_TEXT, 0, w->val.buf, w->val.len, 0, 0);
        return;
    case T_BOOL:
        _emit(px, w, CELL_BOOL,
              (n >= 1 && (v[0] == '1' || v[0] == 't' || v[0] == 'T')) ? 1 : 0,
              v, n, 0, 0);
        return;
    case T_ERR:
        _emit(px, w, CELL_ERROR, 0, v, n, 0, 0);
        return;
    case T_NUM: {
        double d;
        if (n == 0) {
            if (w->has_f)
                _emit(px, w, CELL_FORMULA_NOCACHE, 0,
                      w->fml.buf ? w->fml.buf : "", w->fml.len, 0, 0);
            return;
        }
        if (_parse_num(v, n, &d) != 0) {
            char rb[16];
            xlsx_xml_stop(px, IAFQ_ERR_FORMAT,
                          "cell %s holds '%.40s', not a number",
                          cells_ref(w->row, w->col, rb), v);
            return;
        }
        _emit(px, w, CELL_NUMBER, d, v, n,
              xlsx_styles_is_date(w->ctx->styles, w->style), 0);
        return;
    }
    }
}

static void on_start(xlsx_xml *px, void *ud, const char *ln, const char **atts)
{
    _ws *w = ud;
    switch (ln[0]) {
    case 'c':
        if (ln[1] == '\0') {
            if (w->in_row)
                _cell_start(px, w, atts);
            return;
        }
        break;
    case 'v':
        if (ln[1] == '\0' && w->in_c) {
            w->has_v = 1;
            sbuf_reset(&w->val);
            w->cap = 1;
            return;
        }
        break;
    case 'f':
        if (ln[1] == '\0' && w->in_c) {
            w->has_f = 1;
            w->cap = 2;
            return;
        }
        break;
    case 't':
        if (ln[1] == '\0' && w->in_c && w->has_is && w->rph == 0)
            w->cap = 1;
        return;
    case 'i':
        if (ln[1] == 's' && ln[2] == '\0' && w->in_c) {
            w->has_is = 1;
            w->rph = 0;
            sbuf_reset(&w->val);
            return;
        }
        break;
    case 'r':
        if (strcmp(ln, "row") == 0) {
            if (w->in_sheetdata)
                _row_start(px, w, atts);
            return;
        }
        if (strcmp(ln, "rPh") == 0 && w->in_c)
            w->rph++;
        return;
    case 's':
        if (strcmp(ln, "sheetData") == 0) {
            w->in_sheetdata = 1;
            return;
        }
        break;
    case 'd':
        if (strcmp(ln, "dimension") == 0) {
            const char *ref = xlsx_xml_attr(atts, "ref");
            if (ref)
                _dimension(px, w, ref);
            return;
        }
        break;
    default:
        break;
    }
}

static void on_end(xlsx_xml *px, void *ud, const char *ln)
{
    _ws *w = ud;
    switch (ln[0]) {
    case 'c':
        if (ln[1] == '\0' && w->in_c)
            _cell_end(px, w);
        return;
    case 'v':
    case 'f':
    case 't':
        if (ln[1] == '\0')
            w->cap = 0;
        return;
    case 'r':
        if (strcmp(ln, "row") == 0 && w->in_row) {
            const cell_sink *sink = w->ctx->sink;
            w->in_row = 0;
            w->prev_row = w->row;
            if (w->row_cells == 0)
                return;
            if (w->skip) {
                w->skip--;
                return;
            }
            w->delivered++;
            if (sink->row_end) {
                iafq_error cb;
                iafq_error_clear(&cb);
                iafq_err rc = sink->row_end(sink->ud, w->row, &cb);
                if (rc != IAFQ_OK)
                    xlsx_xml_stop_cb(px, rc, &cb);
            }
            return;
        }
        if (strcmp(ln, "rPh") == 0 && w->rph > 0)
            w->rph--;
        return;
    case 's':
        if (strcmp(ln, "sheetData") == 0)
            w->in_sheetdata = 0;
        return;
    default:
        return;
    }
}

/* Captured character data, within the cell-text limit. */
static void _text(xlsx_xml *px, void *ud, const char *s, size_t len)
{
    _ws *w = ud;
    if (!w->cap)
        return;
    sbuf *b = w->cap == 1 ? &w->val : &w->fml;
    if (b->len + len > w->lim->max_cell_bytes) {
        xlsx_xml_stop(px, IAFQ_ERR_LIMIT,
                      "a cell or string is longer than %u bytes (limit)",
                      (unsigned)w->lim->max_cell_bytes);
        return;
    }
    if (sbuf_add(b, s, len) != 0)
        xlsx_xml_stop(px, IAFQ_ERR_NOMEM, "out of memory");
}

/* ---- a split parse's lanes and merge ------------------------------------ */

typedef struct {
    _ws w;
    xlsx_sheet_ctx ctx; /* the reader's, with the recording sink */
    cell_sink sink;
    iafq_limits lim; /* the reader's, without the cell count (merge's) */
} _lane;

static iafq_err _rec_cell(void *ud, const cell *c, iafq_error *err)
{
    _rec *r = ((_lane *)ud)->w.rec;
    (void)err;
    if (grow((void **)&r->ev, &r->cap, r->n + 1, sizeof *r->ev, 1024) != 0)
        goto nomem;
    _ev *e = &r->ev[r->n];
    e->c = *c;
    e->row_end = 0;
    e->off = SIZE_MAX;
    if (!c->shared) {
        if (grow((void **)&r->txt, &r->tcap, r->tn + c->len + 1, 1, 65536) != 0)
            goto nomem;
        memcpy(r->txt + r->tn, c->text, c->len);
        r->txt[r->tn + c->len] = '\0';
        e->off = r->tn;
        r->tn += c->len + 1;
    }
    r->n++;
    r->ncells++;
    return IAFQ_OK;
nomem:
    r->nomem = 1;
    return iafq_error_set(err, IAFQ_ERR_NOMEM, "out of memory");
}

static iafq_err _rec_row_end(void *ud, uint32_t row, iafq_error *err)
{
    _rec *r = ((_lane *)ud)->w.rec;
    if (grow((void **)&r->ev, &r->cap, r->n + 1, sizeof *r->ev, 1024) != 0) {
        r->nomem = 1;
        return iafq_error_set(err, IAFQ_ERR_NOMEM, "out of memory");
    }
    memset(&r->ev[r->n], 0, sizeof r->ev[r->n]);
    r->ev[r->n].c.row = row;
    r->ev[r->n].row_end = 1;
    r->n++;
    return IAFQ_OK;
}

static void _ws_init(_ws *w, xlsx_sheet_ctx *ctx)
{
    memset(w, 0, sizeof *w);
    w->ctx = ctx;
    w->lim = ctx->lim;
    w->last_col = -1;
}

static void *_lane_new(void *ud)
{
    _ws *main = ud;
    _lane *l = calloc(1, sizeof *l);
    if (!l)
        return NULL;
    l->ctx = *main->ctx;
    l->lim = *main->lim;
    l->lim.max_cells = UINT64_MAX; /* counted by the merge */
    l->ctx.lim = &l->lim;
    l->sink.cell = _rec_cell;
    l->sink.row_end = _rec_row_end;
    l->sink.ud = l;
    l->ctx.sink = &l->sink;
    _ws_init(&l->w, &l->ctx);
    return l;
}

static void _lane_free(void *lane)
{
    _lane *l = lane;
    if (!l)
        return;
    sbuf_release(&l->w.val);
    sbuf_release(&l->w.fml);
    free(l);
}

static void *_rec_new(void *ud)
{
    (void)ud;
    return calloc(1, sizeof(_rec));
}

static void _rec_free(void *rec)
{
    _rec *r = rec;
    if (!r)
        return;
    free(r->ev);
    free(r->txt);
    free(r);
}

static void _lane_begin(void *lane, void *rec)
{
    _lane *l = lane;
    _rec *r = rec;
    _ws *w = &l->w;
    r->n = r->tn = 0;
    r->first_row = r->last_row = 0;
    r->rows = r->nomem = 0;
    r->ncells = 0;
    /* the state between two elements of sheetData, buffers kept */
    w->cap = 0;
    w->in_sheetdata = 1;
    w->in_row = w->in_c = w->row_explicit = w->rph = 0;
    w->row = w->prev_row = w->row_cells = 0;
    w->last_col = -1;
    w->lane = 1;
    w->rows_seen = 0;
    w->rec = r;
    l->ctx.ncells = 0;
}

static int _lane_end(void *lane, void *rec)
{
    _lane *l = lane;
    _rec *r = rec;
    const _ws *w = &l->w;
    if (!w->in_sheetdata || w->in_row || w->in_c || w->cap || r->nomem)
        return -1;
    r->rows = w->rows_seen;
    r->last_row = w->prev_row;
    return 0;
}

static int _can_split(void *ud)
{
    const _ws *w = ud;
    return w->in_sheetdata && !w->in_row && !w->in_c && !w->cap ? 0 : -1;
}

static iafq_err _merge(void *ud, void *rec, iafq_error *err)
{
    _ws *w = ud;
    const _rec *r = rec;
    xlsx_sheet_ctx *ctx = w->ctx;
    const cell_sink *sink = ctx->sink;
    if (sink->direct) { /* this thread has nothing else to do meanwhile */
        const cell_sink *d = sink->direct(sink->ud);
        if (d)
            sink = d;
    }
    if (r->rows && r->first_row <= w->prev_row)
        return XLSX_SPLIT_REDO; /* rows out of order: one parser says */
    if (r->ncells > w->lim->max_cells - ctx->ncells)
        return XLSX_SPLIT_REDO; /* past the limit: at which cell */
    for (size_t i = 0; i < r->n; i++) {
        const _ev *e = &r->ev[i];
        iafq_error cb;
        iafq_err rc = IAFQ_OK;
        iafq_error_clear(&cb);
        w->delivered++;
        if (e->row_end) {
            if (sink->row_end)
                rc = sink->row_end(sink->ud, e->c.row, &cb);
        } else {
            ctx->ncells++;
            if (sink->cell) {
                cell c = e->c;
                if (e->off != SIZE_MAX)
                    c.text = r->txt + e->off;
                rc = sink->cell(sink->ud, &c, &cb);
            }
        }
        if (rc != IAFQ_OK)
            return cells_callback_error(err, rc, &cb);
    }
    if (r->rows)
        w->prev_row = r->last_row;
    return IAFQ_OK;
}

iafq_err xlsx_sheet_read(xlsx_sheet_ctx *ctx, zipg *z, size_t idx,
                         const char *what, iafq_error *err)
{
    static const xlsx_xml_handlers h = {on_start, on_end, _text};
    static const xlsx_split_ops ops = {&h,        _lane_new,  _lane_free,
                                       _rec_new,  _rec_free,  _lane_begin,
                                       _lane_end, _can_split, _merge};
    uint64_t ncells = ctx->ncells;
    int redo = 0;
    _ws w;
    _ws_init(&w, ctx);
    iafq_err rc = xlsx_xml_parse_split(z, idx, what, &ops, &w, &redo, err);
    if (redo) { /* one parser, skipping what was delivered */
        uint64_t skip = w.delivered;
        sbuf_release(&w.val);
        sbuf_release(&w.fml);
        _ws_init(&w, ctx);
        w.skip = skip;
        ctx->ncells = ncells;
        rc = xlsx_xml_parse(z, idx, what, &h, &w, err);
    }
    sbuf_release(&w.val);
    sbuf_release(&w.fml);
    return rc;
}
