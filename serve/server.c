/* iafq serve: the HTTP server, sessions, uploads and pages (see serve.h,
 * serve/README.md). */
#include "serve.h"

#include "check.h"
#include "feedback.h"
#include "i18n.h"
#include "load.h"
#include "log.h"
#include "report.h"
#include "sha256.h"
#include "str.h"
#include "tmpl.h"
#include "utf8.h"

#include <arpa/inet.h>
#include <cjson/cJSON.h>
#include <errno.h>
#include <fcntl.h>
#include <microhttpd.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define SESSION_MAX 1024
#define RECENT_MAX 3
#define RATE_MAX 1024
#define FORM_FIELD_MAX 128
#define FORM_BODY_MAX 16384 /* a form without a file */
#define MIN_RATE_BYTES 1024 /* per second, averaged over each timeout */
#define COOKIE_SESSION "iafq_session"
#define COOKIE_PRE "iafq_pre"
#define COOKIE_LANG "iafq_lang"

/* ------------------------------------------------------------ state */

typedef struct {
    char key[65];
    char path[256];
    char name[256];
} recent_upload;

typedef struct {
    int used;
    char id[65];
    char csrf[65];
    long long token_id;
    char country[4];
    bool analyst;
    double last_seen;
    recent_upload recent[RECENT_MAX];
    unsigned nrecent;
} session;

typedef struct {
    long long token_id;
    double tokens, at;
} bucket;

/* A TCP connection as the watchdog sees it. */
enum { CS_WAITING, CS_RECEIVING, CS_PROCESSING };
typedef struct conn_rec {
    int fd;
    int state;
    double since;       /* start of the state or of the rate window */
    uint64_t win_bytes; /* bytes received in the window */
    int dropped;
    struct conn_rec *next, *prev;
} conn_rec;

typedef struct {
    const serve_opts *o;
    bool secure;
    char tmpdir[200];
    unsigned long long seq;
    pthread_mutex_t mu; /* sessions, buckets, seq, conns, active */
    session *sessions;
    bucket buckets[RATE_MAX];
    conn_rec *conns;
    unsigned active; /* requests in the handler */
    /* database pool */
    db_conn **pool;
    unsigned npool, nfree;
    db_conn **free_list;
    pthread_mutex_t pmu;
    pthread_cond_t pcv;
    /* upload slots */
    unsigned uploads;
    pthread_cond_t ucv;
    volatile sig_atomic_t stopping;
} server;

static server g;

typedef enum { RK_PLAIN, RK_UPLOAD, RK_FORM } req_kind;

typedef struct {
    req_kind kind;
    int status;
    size_t resp_bytes;
    long long token_id; /* for the log; 0 signed out */
    /* the session, copied at the start */
    bool signed_in;
    session s;
    i18n_lang lang;
    int set_lang; /* the lang cookie to set, -1 none */
    /* a POST body */
    struct MHD_PostProcessor *pp;
    uint64_t body_bytes;
    bool too_large, io_error, bad_form;
    int fd;
    char tmp[256];
    bool got_file;
    uint64_t file_bytes;
    char file_name[256];
    char csrf[FORM_FIELD_MAX], action[FORM_FIELD_MAX], token[FORM_FIELD_MAX];
    conn_rec *cr;
    char method[8];
    char path[64]; /* for the log: printable ASCII, no query */
} req;

static double now_mono(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* ------------------------------------------------------------ pool */

static db_conn *pool_get(void)
{
    pthread_mutex_lock(&g.pmu);
    while (g.nfree == 0)
        pthread_cond_wait(&g.pcv, &g.pmu);
    db_conn *c = g.free_list[--g.nfree];
    pthread_mutex_unlock(&g.pmu);
    if (PQstatus(db_pg(c)) != CONNECTION_OK)
        PQreset(db_pg(c));
    return c;
}

static void pool_put(db_conn *c)
{
    if (!c)
        return;
    if (PQtransactionStatus(db_pg(c)) != PQTRANS_IDLE)
        db_rollback(c);
    pthread_mutex_lock(&g.pmu);
    g.free_list[g.nfree++] = c;
    pthread_cond_signal(&g.pcv);
    pthread_mutex_unlock(&g.pmu);
}

static void upload_slot_take(void)
{
    pthread_mutex_lock(&g.pmu);
    while (g.uploads >= g.o->max_uploads)
        pthread_cond_wait(&g.ucv, &g.pmu);
    g.uploads++;
    pthread_mutex_unlock(&g.pmu);
}

static void upload_slot_give(void)
{
    pthread_mutex_lock(&g.pmu);
    g.uploads--;
    pthread_cond_signal(&g.ucv);
    pthread_mutex_unlock(&g.pmu);
}

/* ------------------------------------------------------------ sessions */

static void recent_drop(recent_upload *u)
{
    if (u->path[0])
        unlink(u->path);
    memset(u, 0, sizeof *u);
}

static void session_end(session *s)
{
    for (unsigned i = 0; i < RECENT_MAX; i++)
        recent_drop(&s->recent[i]);
    memset(s, 0, sizeof *s);
}

/* The live session of id into *out (touched); 0, or -1 when none. */
static int session_find(const char *id, session *out)
{
    if (!id || strlen(id) != 64)
        return -1;
    double now = now_mono();
    int rc = -1;
    pthread_mutex_lock(&g.mu);
    for (unsigned i = 0; i < SESSION_MAX; i++) {
        session *s = &g.sessions[i];
        if (!s->used || strcmp(s->id, id))
            continue;
        if (now - s->last_seen > g.o->session_idle_s) {
            session_end(s);
            break;
        }
        s->last_seen = now;
        *out = *s;
        rc = 0;
        break;
    }
    pthread_mutex_unlock(&g.mu);
    return rc;
}

static void session_remove(const char *id)
{
    pthread_mutex_lock(&g.mu);
    for (unsigned i = 0; i < SESSION_MAX; i++)
        if (g.sessions[i].used && !strcmp(g.sessions[i].id, id))
            session_end(&g.sessions[i]);
    pthread_mutex_unlock(&g.mu);
}

/* A new session for a token into *out; 0 or -1. */
static int session_new(long long token_id, const char *country, bool analyst,
                       session *out)
{
    session s;
    memset(&s, 0, sizeof s);
    iafq_error err = {0};
    if (serve_random_hex(s.id, &err) || serve_random_hex(s.csrf, &err))
        return -1;
    s.used = 1;
    s.token_id = token_id;
    snprintf(s.country, sizeof s.country, "%s", country);
    s.analyst = analyst;
    double now = now_mono();
    s.last_seen = now;
    pthread_mutex_lock(&g.mu);
    unsigned slot = 0;
    double oldest = 1e300;
    for (unsigned i = 0; i < SESSION_MAX; i++) {
        session *x = &g.sessions[i];
        if (x->used && now - x->last_seen > g.o->session_idle_s)
            session_end(x);
        if (!x->used) {
            slot = i;
            oldest = -1;
            break;
        }
        if (x->last_seen < oldest) {
            oldest = x->last_seen;
            slot = i;
        }
    }
    if (g.sessions[slot].used) /* full: the least recently used goes */
        session_end(&g.sessions[slot]);
    g.sessions[slot] = s;
    pthread_mutex_unlock(&g.mu);
    *out = s;
    return 0;
}

/* Keep a checked upload for its feedback download; the oldest goes. */
static void session_keep_upload(const char *sid, const char *path,
                                const char *name, char key_out[65])
{
    iafq_error err = {0};
    key_out[0] = '\0';
    char key[65];
    if (serve_random_hex(key, &err)) {
        unlink(path);
        return;
    }
    int kept = 0;
    pthread_mutex_lock(&g.mu);
    for (unsigned i = 0; i < SESSION_MAX && !kept; i++) {
        session *s = &g.sessions[i];
        if (!s->used || strcmp(s->id, sid))
            continue;
        recent_upload *u = &s->recent[s->nrecent % RECENT_MAX];
        recent_drop(u);
        snprintf(u->key, sizeof u->key, "%s", key);
        snprintf(u->path, sizeof u->path, "%s", path);
        snprintf(u->name, sizeof u->name, "%s", name);
        s->nrecent++;
        kept = 1;
    }
    pthread_mutex_unlock(&g.mu);
    if (kept)
        memcpy(key_out, key, 65);
    else
        unlink(path);
}

/* Rate limit: one upload from token id allowed now?  A bucket of
 * rate_per_min refilled continuously. */
static bool rate_take(long long id)
{
    double now = now_mono(), cap = g.o->rate_per_min;
    bool ok = false;
    pthread_mutex_lock(&g.mu);
    bucket *b = NULL, *oldest = &g.buckets[0];
    for (unsigned i = 0; i < RATE_MAX && !b; i++) {
        if (g.buckets[i].token_id == id)
            b = &g.buckets[i];
        else if (g.buckets[i].at < oldest->at)
            oldest = &g.buckets[i];
    }
    if (!b) {
        b = oldest;
        b->token_id = id;
        b->tokens = cap;
        b->at = now;
    }
    b->tokens += (now - b->at) * cap / 60.0;
    if (b->tokens > cap)
        b->tokens = cap;
    b->at = now;
    if (b->tokens >= 1) {
        b->tokens -= 1;
        ok = true;
    }
    pthread_mutex_unlock(&g.mu);
    return ok;
}

/* ------------------------------------------------------------ watchdog */

static void conn_state(conn_rec *c, int state)
{
    if (!c)
        return;
    pthread_mutex_lock(&g.mu);
    c->state = state;
    c->since = now_mono();
    c->win_bytes = 0;
    pthread_mutex_unlock(&g.mu);
}

static void conn_bytes(conn_rec *c, size_t n)
{
    if (!c)
        return;
    pthread_mutex_lock(&g.mu);
    c->win_bytes += n;
    pthread_mutex_unlock(&g.mu);
}

/* Once a second: drop a connection that has not sent its request headers
 * within the timeout, or whose body comes slower than MIN_RATE_BYTES a
 * second over a timeout's window (shutdown: its thread sees the end). */
static void *watchdog(void *arg)
{
    (void)arg;
    while (!g.stopping) {
        sleep(1);
        double now = now_mono(), t = g.o->timeout_s;
        pthread_mutex_lock(&g.mu);
        for (conn_rec *c = g.conns; c; c = c->next) {
            if (c->dropped || c->state == CS_PROCESSING || now - c->since < t)
                continue;
            if (c->state == CS_WAITING ||
                c->win_bytes < (uint64_t)(MIN_RATE_BYTES * t)) {
                shutdown(c->fd, SHUT_RDWR);
                c->dropped = 1;
            } else {
                c->since = now;
                c->win_bytes = 0;
            }
        }
        pthread_mutex_unlock(&g.mu);
    }
    return NULL;
}

static void on_connection(void *cls, struct MHD_Connection *conn,
                          void **socket_context,
                          enum MHD_ConnectionNotificationCode toe)
{
    (void)cls;
    if (toe == MHD_CONNECTION_NOTIFY_STARTED) {
        conn_rec *c = calloc(1, sizeof *c);
        if (!c)
            return;
        const union MHD_ConnectionInfo *ci =
            MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CONNECTION_FD);
        c->fd = ci ? ci->connect_fd : -1;
        c->state = CS_WAITING;
        c->since = now_mono();
        pthread_mutex_lock(&g.mu);
        c->next = g.conns;
        if (g.conns)
            g.conns->prev = c;
        g.conns = c;
        pthread_mutex_unlock(&g.mu);
        *socket_context = c;
    } else if (*socket_context) {
        conn_rec *c = *socket_context;
        pthread_mutex_lock(&g.mu);
        if (c->prev)
            c->prev->next = c->next;
        else
            g.conns = c->next;
        if (c->next)
            c->next->prev = c->prev;
        pthread_mutex_unlock(&g.mu);
        free(c);
        *socket_context = NULL;
    }
}

/* ------------------------------------------------------------ responses */

static void add_common_headers(struct MHD_Response *resp)
{
    MHD_add_response_header(resp, "Content-Security-Policy",
                            "default-src 'self'; frame-ancestors 'none'");
    MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(resp, "X-Frame-Options", "DENY");
    MHD_add_response_header(resp, "Referrer-Policy", "no-referrer");
    MHD_add_response_header(resp, "Cache-Control", "no-store");
}

static void add_cookie(struct MHD_Response *resp, const char *name,
                       const char *value, int max_age)
{
    char c[512];
    snprintf(c, sizeof c, "%s=%s; Path=/; HttpOnly; SameSite=Strict%s%s", name,
             value, g.secure ? "; Secure" : "",
             max_age == 0 ? "; Max-Age=0" : "");
    MHD_add_response_header(resp, "Set-Cookie", c);
}

static enum MHD_Result queue(req *r, struct MHD_Connection *conn, int status,
                             struct MHD_Response *resp)
{
    if (!resp)
        return MHD_NO;
    add_common_headers(resp);
    if (r->set_lang >= 0) {
        char c[128];
        snprintf(c, sizeof c,
                 "%s=%s; Path=/; SameSite=Strict; Max-Age=31536000%s",
                 COOKIE_LANG, i18n_code((i18n_lang)r->set_lang),
                 g.secure ? "; Secure" : "");
        MHD_add_response_header(resp, "Set-Cookie", c);
    }
    r->status = status;
    enum MHD_Result rc = MHD_queue_response(conn, (unsigned)status, resp);
    MHD_destroy_response(resp);
    return rc;
}

/* The context every page gets: language, session, CSRF, the language
 * links of the current page. */
static cJSON *page_ctx(req *r, struct MHD_Connection *conn, const char *url)
{
    cJSON *c = cJSON_CreateObject();
    if (!c)
        return NULL;
    cJSON_AddStringToObject(c, "lang", i18n_code(r->lang));
    if (r->signed_in) {
        cJSON_AddTrueToObject(c, "signed_in");
        cJSON_AddStringToObject(c, "csrf", r->s.csrf);
        cJSON_AddStringToObject(c, "country", r->s.country);
        cJSON_AddBoolToObject(c, "analyst", r->s.analyst);
        cJSON_AddBoolToObject(c, "focal_point", r->s.country[0] != '\0');
        cJSON_AddNumberToObject(c, "token_id", (double)r->s.token_id);
    }
    /* ?lang= links keep the page's own arguments (id, year, region) */
    static const char *const keep[] = {"year", "region"};
    sbuf q = SBUF_INIT;
    for (size_t i = 0; i < sizeof keep / sizeof *keep; i++) {
        const char *v =
            MHD_lookup_connection_value(conn, MHD_GET_ARGUMENT_KIND, keep[i]);
        if (!v)
            continue;
        sbuf_addf(&q, "%s=", keep[i]);
        for (const char *p = v; *p; p++) {
            unsigned char ch = (unsigned char)*p;
            if ((ch >= '0' && ch <= '9') || (ch >= 'A' && ch <= 'Z') ||
                (ch >= 'a' && ch <= 'z'))
                sbuf_addc(&q, (char)ch);
            else
                sbuf_addf(&q, "%%%02X", ch);
        }
        sbuf_addc(&q, '&');
    }
    static const char *const names[I18N_COUNT] = {"lang_en", "lang_fr",
                                                  "lang_es"};
    for (int l = 0; l < I18N_COUNT; l++) {
        char *link = NULL;
        /* url is one of our own routes (known before any page is made) */
        if (asprintf(&link, "%s?%slang=%s", url, q.buf ? q.buf : "",
                     i18n_code((i18n_lang)l)) < 0)
            link = NULL;
        if (link)
            cJSON_AddStringToObject(c, names[l], link);
        free(link);
    }
    sbuf_release(&q);
    return c;
}

static enum MHD_Result send_page(req *r, struct MHD_Connection *conn,
                                 int status, const char *page, cJSON *ctx)
{
    sbuf out = SBUF_INIT;
    iafq_error err = {0};
    iafq_err e = ctx ? tmpl_render(page, ctx, r->lang, &out, &err)
                     : iafq_error_set(&err, IAFQ_ERR_NOMEM, "out of memory");
    cJSON_Delete(ctx);
    if (e) {
        log_error(err.msg, NULL, "serve: cannot make the page %s", page);
        sbuf_release(&out);
        struct MHD_Response *resp = MHD_create_response_from_buffer(
            21, (void *)"internal server error", MHD_RESPMEM_PERSISTENT);
        return queue(r, conn, 500, resp);
    }
    r->resp_bytes = out.len;
    struct MHD_Response *resp = MHD_create_response_from_buffer(
        out.len, out.buf, MHD_RESPMEM_MUST_COPY);
    sbuf_release(&out);
    if (resp)
        MHD_add_response_header(resp, "Content-Type",
                                "text/html; charset=utf-8");
    return queue(r, conn, status, resp);
}

/* The message page: msg is the name of the flag the template shows. */
static enum MHD_Result send_message(req *r, struct MHD_Connection *conn,
                                    const char *url, int status,
                                    const char *msg, const char *detail)
{
    cJSON *c = page_ctx(r, conn, url);
    if (c) {
        cJSON_AddTrueToObject(c, msg);
        if (detail)
            cJSON_AddStringToObject(c, "detail", detail);
    }
    return send_page(r, conn, status, "message.html", c);
}

/* ------------------------------------------------------------ the check */

/* The check needs no language: every finding's message is formed in each
 * language (finding.h); the page picks its own when it shows them
 * (returns_json, localize_findings) and the feedback workbook is written in
 * it (make_feedback). */
static void check_opts_for(check_opts *co, i18n_lang lang)
{
    (void)lang;
    check_opts_default(co);
    co->lim = g.o->lim;
}

/* The findings of returns v[0..n) as the pages show them, in lang. */
static cJSON *returns_json(iafq_return *const *v, size_t n, i18n_lang lang)
{
    return report_json_value_lang(v, n, 1, lang, 0);
}

/* A stored report's findings in lang: each "message" from its
 * "messages" (every language, db/load.c), when the report has them. */
static void localize_findings(cJSON *reports, i18n_lang lang)
{
    cJSON *rep;
    cJSON_ArrayForEach(rep, reports)
    {
        cJSON *f, *fs = cJSON_GetObjectItemCaseSensitive(rep, "findings");
        cJSON_ArrayForEach(f, fs)
        {
            cJSON *ms = cJSON_GetObjectItemCaseSensitive(f, "messages");
            cJSON *m = cJSON_GetObjectItemCaseSensitive(ms, i18n_code(lang));
            cJSON *dup = cJSON_IsString(m) ? cJSON_Duplicate(m, 0) : NULL;
            if (dup &&
                !cJSON_ReplaceItemInObjectCaseSensitive(f, "message", dup))
                cJSON_Delete(dup);
        }
    }
}

/* Mark every finding of each report of arr with is_error (the template
 * colours them) and count them into *errors, *warnings. */
static void mark_findings(cJSON *reports, long long *errors,
                          long long *warnings)
{
    cJSON *rep;
    cJSON_ArrayForEach(rep, reports)
    {
        cJSON *f, *fs = cJSON_GetObjectItemCaseSensitive(rep, "findings");
        cJSON_AddBoolToObject(rep, "has_findings", cJSON_GetArraySize(fs) > 0);
        cJSON_ArrayForEach(f, fs)
        {
            const cJSON *sev = cJSON_GetObjectItemCaseSensitive(f, "severity");
            bool is_err =
                cJSON_IsString(sev) && !strcmp(sev->valuestring, "error");
            cJSON_AddBoolToObject(f, "is_error", is_err);
        }
        cJSON *counts = cJSON_GetObjectItemCaseSensitive(rep, "counts");
        const cJSON *ne = cJSON_GetObjectItemCaseSensitive(counts, "errors");
        const cJSON *nw = cJSON_GetObjectItemCaseSensitive(counts, "warnings");
        if (cJSON_IsNumber(ne))
            *errors += (long long)ne->valuedouble;
        if (cJSON_IsNumber(nw))
            *warnings += (long long)nw->valuedouble;
    }
}

static void add_verdict(cJSON *c, long long errors, long long warnings)
{
    if (errors > 0)
        cJSON_AddTrueToObject(c, "verdict_rejected");
    else if (warnings > 0)
        cJSON_AddTrueToObject(c, "verdict_warnings");
    else
        cJSON_AddTrueToObject(c, "verdict_accepted");
    cJSON_AddNumberToObject(c, "errors", (double)errors);
    cJSON_AddNumberToObject(c, "warnings", (double)warnings);
}

/* Whether a checked file is one the session may send: its own country
 * (or none named), never a long-format file.  The flag of the refusal
 * message, or NULL. */
static const char *refusal(const req *r, source_kind kind,
                           iafq_return *const *v, size_t n)
{
    if (kind == SOURCE_LONG || kind == SOURCE_LONG_XLSX)
        return "m_long";
    for (size_t i = 0; i < n; i++)
        if (v[i]->country[0] && strcmp(v[i]->country, r->s.country))
            return "m_other_country";
    return NULL;
}

typedef struct {
    req *r;
    const char *refused;
} load_ud;

/* Before COMMIT of a web submission: refuse what is not the session's,
 * keep the bytes, record the token. */
static iafq_err before_commit(void *ud, db_conn *db, const load_result *res,
                              iafq_error *err)
{
    load_ud *u = ud;
    req *r = u->r;
    u->refused = refusal(r, res->check.kind, res->check.v, res->check.n);
    if (u->refused)
        return iafq_error_set(err, IAFQ_ERR_ABORTED, "refused");
    Oid oid = lo_import(db_pg(db), r->tmp);
    if (oid == InvalidOid)
        return iafq_error_set(err, IAFQ_ERR_DB, "cannot store the upload: %s",
                              PQerrorMessage(db_pg(db)));
    char soid[32], sbytes[32], sid[32], stok[32];
    snprintf(soid, sizeof soid, "%u", (unsigned)oid);
    snprintf(sbytes, sizeof sbytes, "%llu", (unsigned long long)r->file_bytes);
    const char *p[3] = {res->sha256, soid, sbytes};
    PGresult *pr = NULL;
    iafq_err e = db_exec_file(db, "q/serve_upload_store.sql", 3, p, &pr, err);
    if (e)
        return e;
    int stored = PQntuples(pr) > 0;
    PQclear(pr);
    if (!stored)
        lo_unlink(db_pg(db), oid);
    snprintf(stok, sizeof stok, "%lld", r->s.token_id);
    for (size_t i = 0; i < res->nsubs; i++) {
        snprintf(sid, sizeof sid, "%lld", res->subs[i].id);
        const char *lp[2] = {sid, stok};
        if ((e = db_exec_file(db, "q/serve_link.sql", 2, lp, NULL, err)))
            return e;
    }
    return IAFQ_OK;
}

static enum MHD_Result do_check(req *r, struct MHD_Connection *conn)
{
    check_opts co;
    check_opts_for(&co, r->lang);
    check_result res;
    memset(&res, 0, sizeof res);
    iafq_error err = {0};
    upload_slot_take();
    iafq_err e = check_path(r->tmp, &co, &res, &err);
    upload_slot_give();
    if (e) {
        check_result_release(&res);
        log_error(err.msg, NULL, "serve: check failed");
        return send_message(r, conn, "/upload", 500, "m_internal", NULL);
    }
    const char *no = refusal(r, res.kind, res.v, res.n);
    if (no) {
        check_result_release(&res);
        return send_message(r, conn, "/upload", 403, no, NULL);
    }
    cJSON *c = page_ctx(r, conn, "/upload");
    cJSON *reps = returns_json(res.v, res.n, r->lang);
    check_result_release(&res);
    if (!c || !reps) {
        cJSON_Delete(c);
        cJSON_Delete(reps);
        return send_message(r, conn, "/upload", 500, "m_internal", NULL);
    }
    long long ne = 0, nw = 0;
    mark_findings(reps, &ne, &nw);
    add_verdict(c, ne, nw);
    cJSON_AddItemToObject(c, "returns", reps);
    cJSON_AddTrueToObject(c, "mode_check");
    cJSON_AddStringToObject(c, "file_name", r->file_name);
    char hex[SHA256_HEX_LEN + 1];
    if (!sha256_path(r->tmp, 1, hex, &err))
        cJSON_AddStringToObject(c, "sha256", hex);
    char key[65];
    session_keep_upload(r->s.id, r->tmp, r->file_name, key);
    r->tmp[0] = '\0'; /* kept (or already removed) */
    if (key[0]) {
        char url[128];
        snprintf(url, sizeof url, "/feedback?u=%s", key);
        cJSON_AddStringToObject(c, "feedback_url", url);
    }
    return send_page(r, conn, 200, "result.html", c);
}

static enum MHD_Result do_submit(req *r, struct MHD_Connection *conn)
{
    load_opts lo;
    load_opts_default(&lo);
    check_opts_for(&lo.check, r->lang);
    load_ud u = {r, NULL};
    lo.file_name = r->file_name;
    lo.before_commit = before_commit;
    lo.ud = &u;
    load_result res;
    memset(&res, 0, sizeof res);
    iafq_error err = {0};
    upload_slot_take();
    db_conn *db = pool_get();
    iafq_err e = load_path(db, r->tmp, &lo, &res, &err);
    /* receipts, while the connection is ours */
    cJSON *rcpt = cJSON_CreateArray();
    const char *no = u.refused;
    if (!e && res.unchanged)
        for (size_t i = 0; i < res.nsubs && !no; i++)
            if (res.subs[i].country[0] &&
                strcmp(res.subs[i].country, r->s.country))
                no = "m_other_country";
    for (size_t i = 0; !e && !no && rcpt && i < res.nsubs; i++) {
        char sid[32];
        snprintf(sid, sizeof sid, "%lld", res.subs[i].id);
        const char *p[1] = {sid};
        PGresult *pr = NULL;
        cJSON *o = cJSON_CreateObject();
        if (!o)
            break;
        cJSON_AddNumberToObject(o, "id", (double)res.subs[i].id);
        cJSON_AddStringToObject(o, "country", res.subs[i].country);
        if (res.subs[i].year)
            cJSON_AddNumberToObject(o, "year", res.subs[i].year);
        cJSON_AddBoolToObject(o, "accepted", res.subs[i].accepted);
        cJSON_AddStringToObject(o, "sha256", res.sha256);
        char fb[64];
        snprintf(fb, sizeof fb, "/feedback?s=%lld", res.subs[i].id);
        cJSON_AddStringToObject(o, "feedback_url", fb);
        iafq_error e2 = {0};
        if (!db_exec_one_row(db, "q/serve_receipt.sql", 1, p, &pr, &e2)) {
            cJSON_AddStringToObject(o, "received", PQgetvalue(pr, 0, 0));
            PQclear(pr);
        }
        cJSON_AddItemToArray(rcpt, o);
    }
    pool_put(db);
    upload_slot_give();
    if (no || (e == IAFQ_ERR_ABORTED && u.refused)) {
        cJSON_Delete(rcpt);
        load_result_release(&res);
        return send_message(r, conn, "/upload", 403,
                            no ? no : "m_other_country", NULL);
    }
    if (e) {
        cJSON_Delete(rcpt);
        load_result_release(&res);
        log_error(err.msg, NULL, "serve: a submission could not be stored");
        return send_message(r, conn, "/upload", 500, "m_not_stored", NULL);
    }
    cJSON *c = page_ctx(r, conn, "/upload");
    cJSON *reps = res.unchanged
                      ? cJSON_CreateArray()
                      : returns_json(res.check.v, res.check.n, r->lang);
    long long ne = 0, nw = 0;
    if (reps)
        mark_findings(reps, &ne, &nw);
    if (res.unchanged)
        for (size_t i = 0; i < res.nsubs; i++) {
            ne += res.subs[i].errors;
            nw += res.subs[i].warnings;
        }
    load_result_release(&res);
    if (!c || !reps || !rcpt) {
        cJSON_Delete(c);
        cJSON_Delete(reps);
        cJSON_Delete(rcpt);
        return send_message(r, conn, "/upload", 500, "m_internal", NULL);
    }
    add_verdict(c, ne, nw);
    cJSON_AddItemToObject(c, "returns", reps);
    cJSON_AddItemToObject(c, "receipts", rcpt);
    cJSON_AddTrueToObject(c, "mode_submit");
    cJSON_AddBoolToObject(c, "unchanged", res.unchanged);
    cJSON_AddStringToObject(c, "file_name", r->file_name);
    cJSON_AddStringToObject(c, "sha256", res.sha256);
    return send_page(r, conn, 200, "result.html", c);
}

/* ------------------------------------------------------------ feedback */

static enum MHD_Result send_file(req *r, struct MHD_Connection *conn,
                                 const char *path, const char *download)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    unlink(path);
    struct stat st;
    if (fd < 0 || fstat(fd, &st)) {
        if (fd >= 0)
            close(fd);
        return send_message(r, conn, "/", 500, "m_internal", NULL);
    }
    struct MHD_Response *resp =
        MHD_create_response_from_fd((size_t)st.st_size, fd);
    if (!resp) {
        close(fd);
        return MHD_NO;
    }
    MHD_add_response_header(resp, "Content-Type",
                            "application/vnd.openxmlformats-officedocument."
                            "spreadsheetml.sheet");
    char cd[128];
    snprintf(cd, sizeof cd, "attachment; filename=\"%s\"", download);
    MHD_add_response_header(resp, "Content-Disposition", cd);
    r->resp_bytes = (size_t)st.st_size;
    return queue(r, conn, 200, resp);
}

static void tmp_name(char *out, size_t cap, const char *what)
{
    pthread_mutex_lock(&g.mu);
    unsigned long long n = ++g.seq;
    pthread_mutex_unlock(&g.mu);
    snprintf(out, cap, "%s/%s-%llu", g.tmpdir, what, n);
}

/* The feedback workbook of the file at in into out (check + feedback). */
static iafq_err make_feedback(const char *in, const char *out, i18n_lang lang,
                              iafq_error *err)
{
    check_opts co;
    check_opts_for(&co, lang);
    check_result res;
    memset(&res, 0, sizeof res);
    upload_slot_take();
    iafq_err e = check_path(in, &co, &res, err);
    if (!e) {
        finding_list all;
        findings_init(&all, 0, false);
        int oom = 0;
        for (size_t j = 0; j < res.n && !oom; j++)
            oom = findings_merge(&all, &res.v[j]->findings);
        e = oom ? iafq_error_set(err, IAFQ_ERR_NOMEM, "out of memory")
                : feedback_write_lang(out, in, res.kind, res.readable, &co.lim,
                                      &all, lang, err);
        findings_free(&all);
    }
    upload_slot_give();
    check_result_release(&res);
    return e;
}

static enum MHD_Result page_feedback(req *r, struct MHD_Connection *conn)
{
    const char *u =
        MHD_lookup_connection_value(conn, MHD_GET_ARGUMENT_KIND, "u");
    const char *s =
        MHD_lookup_connection_value(conn, MHD_GET_ARGUMENT_KIND, "s");
    char in[256] = "", out[256];
    bool in_is_ours = false;
    iafq_error err = {0};
    char download[64];
    if (u) {
        pthread_mutex_lock(&g.mu);
        for (unsigned i = 0; i < SESSION_MAX && !in[0]; i++) {
            session *x = &g.sessions[i];
            if (!x->used || strcmp(x->id, r->s.id))
                continue;
            for (unsigned k = 0; k < RECENT_MAX; k++)
                if (x->recent[k].key[0] && !strcmp(x->recent[k].key, u))
                    snprintf(in, sizeof in, "%s", x->recent[k].path);
        }
        pthread_mutex_unlock(&g.mu);
        if (!in[0])
            return send_message(r, conn, "/feedback", 404, "m_gone", NULL);
        snprintf(download, sizeof download, "feedback.xlsx");
    } else if (s) {
        char *end;
        long long id = strtoll(s, &end, 10);
        if (*end || id <= 0)
            return send_message(r, conn, "/feedback", 404, "m_gone", NULL);
        char sid[32];
        snprintf(sid, sizeof sid, "%lld", id);
        const char *p[2] = {sid, r->s.analyst ? "" : r->s.country};
        if (!r->s.analyst && !r->s.country[0])
            return send_message(r, conn, "/feedback", 403, "m_forbidden", NULL);
        db_conn *db = pool_get();
        PGresult *pr = NULL;
        iafq_err e =
            db_exec_file(db, "q/serve_upload_get.sql", 2, p, &pr, &err);
        int found = !e && PQntuples(pr) == 1;
        if (found && strcmp(PQgetvalue(pr, 0, 1), "t")) {
            PQclear(pr);
            pool_put(db);
            return send_message(r, conn, "/feedback", 403, "m_forbidden", NULL);
        }
        if (found && PQgetisnull(pr, 0, 0)) {
            PQclear(pr);
            pool_put(db);
            return send_message(r, conn, "/feedback", 404, "m_no_copy", NULL);
        }
        if (found) {
            Oid oid = (Oid)strtoul(PQgetvalue(pr, 0, 0), NULL, 10);
            tmp_name(in, sizeof in, "stored");
            if (db_begin(db, &err) || lo_export(db_pg(db), oid, in) != 1 ||
                db_commit(db, &err)) {
                db_rollback(db);
                unlink(in);
                e = IAFQ_ERR_DB;
            }
            in_is_ours = true;
        }
        PQclear(pr);
        pool_put(db);
        if (e)
            return send_message(r, conn, "/feedback", 500, "m_internal", NULL);
        if (!found)
            return send_message(r, conn, "/feedback", 404, "m_gone", NULL);
        snprintf(download, sizeof download, "feedback-%lld.xlsx", id);
    } else {
        return send_message(r, conn, "/feedback", 404, "m_gone", NULL);
    }
    tmp_name(out, sizeof out, "feedback");
    iafq_err e = make_feedback(in, out, r->lang, &err);
    if (in_is_ours)
        unlink(in);
    if (e) {
        unlink(out);
        log_error(err.msg, NULL, "serve: cannot make a feedback workbook");
        return send_message(r, conn, "/feedback", 500, "m_internal", NULL);
    }
    return send_file(r, conn, out, download);
}

/* ------------------------------------------------------------ pages */

static enum MHD_Result page_home(req *r, struct MHD_Connection *conn)
{
    cJSON *c = page_ctx(r, conn, "/");
    if (!r->signed_in) {
        /* sign-in form: a pre-session CSRF value, in a cookie and the form */
        char pre[65];
        iafq_error err = {0};
        if (serve_random_hex(pre, &err)) {
            cJSON_Delete(c);
            return send_message(r, conn, "/", 500, "m_internal", NULL);
        }
        if (c)
            cJSON_AddStringToObject(c, "csrf", pre);
        sbuf out = SBUF_INIT;
        iafq_err e = c ? tmpl_render("signin.html", c, r->lang, &out, &err)
                       : IAFQ_ERR_NOMEM;
        cJSON_Delete(c);
        if (e) {
            sbuf_release(&out);
            return send_message(r, conn, "/", 500, "m_internal", NULL);
        }
        struct MHD_Response *resp = MHD_create_response_from_buffer(
            out.len, out.buf, MHD_RESPMEM_MUST_COPY);
        r->resp_bytes = out.len;
        sbuf_release(&out);
        if (!resp)
            return MHD_NO;
        MHD_add_response_header(resp, "Content-Type",
                                "text/html; charset=utf-8");
        add_cookie(resp, COOKIE_PRE, pre, -1);
        return queue(r, conn, 200, resp);
    }
    return send_page(r, conn, 200, "home.html", c);
}

/* Sign in with a secret: a session and its cookie. */
static enum MHD_Result sign_in(req *r, struct MHD_Connection *conn,
                               const char *secret)
{
    if (!secret || strlen(secret) != 64)
        return send_message(r, conn, "/signin", 403, "m_bad_token", NULL);
    sha256_ctx h;
    char hash[SHA256_HEX_LEN + 1];
    sha256_init(&h);
    sha256_update(&h, secret, 64);
    sha256_final_hex(&h, hash);
    const char *p[1] = {hash};
    db_conn *db = pool_get();
    PGresult *pr = NULL;
    iafq_error err = {0};
    iafq_err e =
        db_exec_file(db, "q/serve_token_by_secret.sql", 1, p, &pr, &err);
    pool_put(db);
    if (e)
        return send_message(r, conn, "/signin", 500, "m_internal", NULL);
    if (PQntuples(pr) != 1) {
        PQclear(pr);
        return send_message(r, conn, "/signin", 403, "m_bad_token", NULL);
    }
    session s;
    int rc = session_new(strtoll(PQgetvalue(pr, 0, 0), NULL, 10),
                         PQgetvalue(pr, 0, 1),
                         !strcmp(PQgetvalue(pr, 0, 2), "t"), &s);
    PQclear(pr);
    if (rc)
        return send_message(r, conn, "/signin", 500, "m_internal", NULL);
    r->signed_in = true;
    r->s = s;
    r->token_id = s.token_id;
    /* a page, not a redirect: a SameSite=Strict cookie set by a link from
     * a mail would not be sent on the redirect's request */
    cJSON *c = page_ctx(r, conn, "/");
    sbuf out = SBUF_INIT;
    e = c ? tmpl_render("signedin.html", c, r->lang, &out, &err)
          : IAFQ_ERR_NOMEM;
    cJSON_Delete(c);
    if (e) {
        sbuf_release(&out);
        return send_message(r, conn, "/", 500, "m_internal", NULL);
    }
    struct MHD_Response *resp = MHD_create_response_from_buffer(
        out.len, out.buf, MHD_RESPMEM_MUST_COPY);
    r->resp_bytes = out.len;
    sbuf_release(&out);
    if (!resp)
        return MHD_NO;
    MHD_add_response_header(resp, "Content-Type", "text/html; charset=utf-8");
    add_cookie(resp, COOKIE_SESSION, s.id, -1);
    add_cookie(resp, COOKIE_PRE, "", 0);
    return queue(r, conn, 200, resp);
}

static cJSON *history_item(const PGresult *pr, int i, const int *col,
                           i18n_lang lang)
{
    cJSON *o = cJSON_CreateObject();
    if (!o)
        return NULL;
    cJSON_AddNumberToObject(o, "id", strtod(PQgetvalue(pr, i, col[0]), NULL));
    cJSON_AddStringToObject(o, "year", PQgetvalue(pr, i, col[1]));
    const char *st = PQgetvalue(pr, i, col[2]);
    long long ne = strtoll(PQgetvalue(pr, i, col[6]), NULL, 10);
    long long nw = strtoll(PQgetvalue(pr, i, col[7]), NULL, 10);
    if (strcmp(st, "accepted"))
        cJSON_AddTrueToObject(o, "st_rejected");
    else if (nw > 0)
        cJSON_AddTrueToObject(o, "st_warnings");
    else
        cJSON_AddTrueToObject(o, "st_accepted");
    cJSON_AddStringToObject(o, "received", PQgetvalue(pr, i, col[3]));
    cJSON_AddStringToObject(o, "file_name", PQgetvalue(pr, i, col[4]));
    cJSON_AddStringToObject(o, "sha256", PQgetvalue(pr, i, col[5]));
    cJSON_AddNumberToObject(o, "errors", (double)ne);
    cJSON_AddNumberToObject(o, "warnings", (double)nw);
    cJSON_AddBoolToObject(o, "current",
                          !strcmp(PQgetvalue(pr, i, col[8]), "t"));
    cJSON_AddBoolToObject(o, "superseded",
                          !strcmp(st, "accepted") &&
                              strcmp(PQgetvalue(pr, i, col[8]), "t"));
    bool bytes = !strcmp(PQgetvalue(pr, i, col[9]), "t");
    if (bytes) {
        char fb[64];
        snprintf(fb, sizeof fb, "/feedback?s=%s", PQgetvalue(pr, i, col[0]));
        cJSON_AddStringToObject(o, "feedback_url", fb);
    }
    cJSON *rep = cJSON_Parse(PQgetvalue(pr, i, col[10]));
    if (rep) {
        cJSON *arr = cJSON_CreateArray();
        if (cJSON_IsArray(rep)) {
            cJSON_Delete(arr);
            arr = rep;
        } else if (arr) {
            cJSON_AddItemToArray(arr, rep);
        } else {
            cJSON_Delete(rep);
        }
        if (arr) {
            long long a = 0, b = 0;
            mark_findings(arr, &a, &b);
            localize_findings(arr, lang);
            cJSON_AddItemToObject(o, "returns", arr);
        }
    }
    return o;
}

static enum MHD_Result page_history(req *r, struct MHD_Connection *conn)
{
    const char *want =
        MHD_lookup_connection_value(conn, MHD_GET_ARGUMENT_KIND, "country");
    if (!r->s.country[0] || (want && str_icmp(want, r->s.country)))
        return send_message(r, conn, "/history", 403, "m_forbidden", NULL);
    const char *p[1] = {r->s.country};
    db_conn *db = pool_get();
    PGresult *pr = NULL;
    iafq_error err = {0};
    static const char *const names[] = {
        "id",     "year",     "status",  "received",  "file_name", "sha256",
        "errors", "warnings", "current", "has_bytes", "report"};
    int col[11];
    iafq_err e = db_exec_file(db, "q/serve_history.sql", 1, p, &pr, &err);
    if (!e)
        e = db_cols(pr, "q/serve_history.sql", names, col, 11, &err);
    pool_put(db);
    if (e) {
        PQclear(pr);
        log_error(err.msg, NULL, "serve: cannot read the history");
        return send_message(r, conn, "/history", 500, "m_internal", NULL);
    }
    cJSON *c = page_ctx(r, conn, "/history");
    cJSON *items = cJSON_CreateArray();
    for (int i = 0; items && i < PQntuples(pr); i++)
        cJSON_AddItemToArray(items, history_item(pr, i, col, r->lang));
    PQclear(pr);
    if (c && items) {
        cJSON_AddBoolToObject(c, "has_submissions",
                              cJSON_GetArraySize(items) > 0);
        cJSON_AddItemToObject(c, "submissions", items);
    } else
        cJSON_Delete(items);
    return send_page(r, conn, 200, "history.html", c);
}

static enum MHD_Result page_tracker(req *r, struct MHD_Connection *conn)
{
    if (!r->s.analyst)
        return send_message(r, conn, "/tracker", 403, "m_forbidden", NULL);
    const char *year =
        MHD_lookup_connection_value(conn, MHD_GET_ARGUMENT_KIND, "year");
    const char *region =
        MHD_lookup_connection_value(conn, MHD_GET_ARGUMENT_KIND, "region");
    if (year && !*year)
        year = NULL;
    if (region && !*region)
        region = NULL;
    if (year) {
        char *end;
        long y = strtol(year, &end, 10);
        if (*end || y < 1900 || y > 9999)
            year = NULL;
    }
    if (region && (strlen(region) != 3 || strspn(region, "0123456789") != 3))
        region = NULL;
    const char *p[2] = {year, region};
    db_conn *db = pool_get();
    PGresult *pr = NULL, *regs = NULL;
    iafq_error err = {0};
    static const char *const names[] = {"country",  "name",   "region",
                                        "year",     "status", "submission",
                                        "received", "token",  "token_note"};
    int col[9];
    iafq_err e = db_exec_file(db, "q/status.sql", 2, p, &pr, &err);
    if (!e)
        e = db_cols(pr, "q/status.sql", names, col, 9, &err);
    if (!e)
        e = db_exec_file(db, "q/status_regions.sql", 0, NULL, &regs, &err);
    pool_put(db);
    if (e) {
        PQclear(pr);
        PQclear(regs);
        log_error(err.msg, NULL, "serve: cannot read the tracker");
        return send_message(r, conn, "/tracker", 500, "m_internal", NULL);
    }
    cJSON *c = page_ctx(r, conn, "/tracker");
    cJSON *rows = cJSON_CreateArray(), *ra = cJSON_CreateArray();
    for (int i = 0; rows && i < PQntuples(pr); i++) {
        cJSON *o = cJSON_CreateObject();
        if (!o)
            break;
        for (int k = 0; k < 9; k++)
            if (k != 4)
                cJSON_AddStringToObject(o, names[k], PQgetvalue(pr, i, col[k]));
        const char *st = PQgetvalue(pr, i, col[4]);
        cJSON_AddTrueToObject(o, !strcmp(st, "accepted")   ? "st_accepted"
                                 : !strcmp(st, "rejected") ? "st_rejected"
                                 : !strcmp(st, "not submitted")
                                     ? "st_none"
                                     : "st_warnings");
        cJSON_AddItemToArray(rows, o);
    }
    for (int i = 0; ra && i < PQntuples(regs); i++) {
        cJSON *o = cJSON_CreateObject();
        if (!o)
            break;
        cJSON_AddStringToObject(o, "code", PQgetvalue(regs, i, 0));
        cJSON_AddStringToObject(o, "name", PQgetvalue(regs, i, 1));
        cJSON_AddBoolToObject(
            o, "selected", region && !strcmp(region, PQgetvalue(regs, i, 0)));
        cJSON_AddItemToArray(ra, o);
    }
    PQclear(pr);
    PQclear(regs);
    if (c) {
        cJSON_AddItemToObject(c, "rows", rows);
        cJSON_AddItemToObject(c, "regions", ra);
        cJSON_AddStringToObject(c, "year", year ? year : "");
    } else {
        cJSON_Delete(rows);
        cJSON_Delete(ra);
    }
    return send_page(r, conn, 200, "tracker.html", c);
}

static enum MHD_Result send_static(req *r, struct MHD_Connection *conn,
                                   const char *name, const char *type)
{
    const char *text = tmpl_page(name);
    if (!text)
        return send_message(r, conn, "/", 404, "m_gone", NULL);
    struct MHD_Response *resp = MHD_create_response_from_buffer(
        strlen(text), (void *)text, MHD_RESPMEM_PERSISTENT);
    if (resp)
        MHD_add_response_header(resp, "Content-Type", type);
    r->resp_bytes = strlen(text);
    return queue(r, conn, 200, resp);
}

/* ------------------------------------------------------------ POST bodies */

static void field_add(char *dst, const char *data, uint64_t off, size_t size,
                      bool *bad)
{
    size_t have = strlen(dst);
    if (off != have || have + size >= FORM_FIELD_MAX) {
        *bad = true;
        return;
    }
    memcpy(dst + have, data, size);
    dst[have + size] = '\0';
}

/* A display name: valid UTF-8, no control characters, at most 200 bytes,
 * only ever shown (escaped) and stored, never used as a path. */
static void display_name(char *out, size_t cap, const char *name)
{
    const char *base = name;
    for (const char *p = name; *p; p++)
        if (*p == '/' || *p == '\\')
            base = p + 1;
    size_t n = strlen(base);
    char *v = utf8_make_valid(base, n > 200 ? 200 : n);
    size_t k = 0;
    for (const char *p = v ? v : ""; *p && k + 1 < cap; p++)
        out[k++] = (unsigned char)*p < 0x20 || *p == 0x7f ? '?' : *p;
    out[k] = '\0';
    free(v);
    if (!out[0])
        snprintf(out, cap, "upload");
}

static enum MHD_Result post_field(void *cls, enum MHD_ValueKind kind,
                                  const char *key, const char *filename,
                                  const char *content_type,
                                  const char *transfer_encoding,
                                  const char *data, uint64_t off, size_t size)
{
    (void)kind;
    (void)content_type;
    (void)transfer_encoding;
    req *r = cls;
    if (!strcmp(key, "file") && filename && r->kind == RK_UPLOAD) {
        if (r->got_file && off == 0)
            r->got_file = r->got_file; /* a second file: ignored below */
        if (off == 0 && r->fd < 0 && !r->file_name[0]) {
            display_name(r->file_name, sizeof r->file_name, filename);
            tmp_name(r->tmp, sizeof r->tmp, "upload");
            r->fd = open(r->tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
            if (r->fd < 0)
                r->io_error = true;
            r->got_file = true;
        }
        if (r->fd < 0 || r->too_large)
            return MHD_YES;
        if (r->file_bytes + size > g.o->lim.max_file_bytes) {
            r->too_large = true;
            close(r->fd);
            r->fd = -1;
            unlink(r->tmp);
            r->tmp[0] = '\0';
            return MHD_YES;
        }
        for (size_t done = 0; done < size;) {
            ssize_t w = write(r->fd, data + done, size - done);
            if (w < 0 && errno == EINTR)
                continue;
            if (w <= 0) {
                r->io_error = true;
                return MHD_YES;
            }
            done += (size_t)w;
        }
        r->file_bytes += size;
        return MHD_YES;
    }
    if (!strcmp(key, "csrf"))
        field_add(r->csrf, data, off, size, &r->bad_form);
    else if (!strcmp(key, "action"))
        field_add(r->action, data, off, size, &r->bad_form);
    else if (!strcmp(key, "token"))
        field_add(r->token, data, off, size, &r->bad_form);
    return MHD_YES;
}

/* ------------------------------------------------------------ dispatch */

static bool token_still_valid(long long id)
{
    char sid[32];
    snprintf(sid, sizeof sid, "%lld", id);
    const char *p[1] = {sid};
    db_conn *db = pool_get();
    PGresult *pr = NULL;
    iafq_error err = {0};
    iafq_err e = db_exec_file(db, "q/serve_token_valid.sql", 1, p, &pr, &err);
    pool_put(db);
    bool ok = !e && PQntuples(pr) == 1;
    PQclear(pr);
    return ok;
}

static void req_free(req *r)
{
    if (!r)
        return;
    if (r->pp)
        MHD_destroy_post_processor(r->pp);
    if (r->fd >= 0)
        close(r->fd);
    if (r->tmp[0])
        unlink(r->tmp);
    free(r);
}

static enum MHD_Result finish_post(req *r, struct MHD_Connection *conn,
                                   const char *url)
{
    if (!strcmp(url, "/signin")) {
        const char *pre =
            MHD_lookup_connection_value(conn, MHD_COOKIE_KIND, COOKIE_PRE);
        if (!pre || strlen(pre) != 64 || strcmp(pre, r->csrf))
            return send_message(r, conn, url, 403, "m_csrf", NULL);
        return sign_in(r, conn, r->token);
    }
    if (!r->signed_in)
        return send_message(r, conn, url, 403, "m_signed_out", NULL);
    if (r->bad_form || strcmp(r->csrf, r->s.csrf))
        return send_message(r, conn, url, 403, "m_csrf", NULL);
    if (!strcmp(url, "/signout")) {
        session_remove(r->s.id);
        r->signed_in = false;
        struct MHD_Response *resp = MHD_create_response_from_buffer(
            0, (void *)"", MHD_RESPMEM_PERSISTENT);
        if (resp) {
            MHD_add_response_header(resp, "Location", "/");
            add_cookie(resp, COOKIE_SESSION, "", 0);
        }
        return queue(r, conn, 303, resp);
    }
    /* /upload */
    if (r->too_large) {
        char d[64];
        snprintf(d, sizeof d, "%llu",
                 (unsigned long long)(g.o->lim.max_file_bytes >> 20));
        return send_message(r, conn, url, 413, "m_too_large", d);
    }
    if (r->io_error)
        return send_message(r, conn, url, 500, "m_internal", NULL);
    if (!r->got_file || r->fd < 0)
        return send_message(r, conn, url, 400, "m_no_file", NULL);
    if (!r->s.country[0])
        return send_message(r, conn, url, 403, "m_forbidden", NULL);
    close(r->fd);
    r->fd = -1;
    if (!strcmp(r->action, "submit"))
        return do_submit(r, conn);
    return do_check(r, conn);
}

static enum MHD_Result handler(void *cls, struct MHD_Connection *conn,
                               const char *url, const char *method,
                               const char *version, const char *upload_data,
                               size_t *upload_data_size, void **con_cls)
{
    (void)cls;
    (void)version;
    req *r = *con_cls;
    if (!r) {
        r = calloc(1, sizeof *r);
        if (!r)
            return MHD_NO;
        r->fd = -1;
        r->set_lang = -1;
        *con_cls = r;
        snprintf(r->method, sizeof r->method, "%s", method);
        size_t k = 0;
        for (const char *p = url; *p && k + 1 < sizeof r->path; p++)
            r->path[k++] = *p > 0x20 && *p < 0x7f ? *p : '?';
        r->path[k] = '\0';
        pthread_mutex_lock(&g.mu);
        g.active++;
        pthread_mutex_unlock(&g.mu);
        const union MHD_ConnectionInfo *ci =
            MHD_get_connection_info(conn, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
        r->cr = ci ? ci->socket_context : NULL;
        conn_state(r->cr, CS_RECEIVING);
        /* language: ?lang=, else the cookie, else Accept-Language */
        const char *ql =
            MHD_lookup_connection_value(conn, MHD_GET_ARGUMENT_KIND, "lang");
        const char *cl =
            MHD_lookup_connection_value(conn, MHD_COOKIE_KIND, COOKIE_LANG);
        int l = i18n_parse(ql);
        if (l >= 0) {
            r->lang = (i18n_lang)l;
            r->set_lang = l;
        } else if ((l = i18n_parse(cl)) >= 0) {
            r->lang = (i18n_lang)l;
        } else {
            r->lang = i18n_from_accept(MHD_lookup_connection_value(
                conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_ACCEPT_LANGUAGE));
        }
        const char *sid =
            MHD_lookup_connection_value(conn, MHD_COOKIE_KIND, COOKIE_SESSION);
        if (sid && !session_find(sid, &r->s)) {
            if (token_still_valid(r->s.token_id)) {
                r->signed_in = true;
                r->token_id = r->s.token_id;
            } else {
                session_remove(r->s.id);
                memset(&r->s, 0, sizeof r->s);
            }
        }
        if (!strcmp(method, MHD_HTTP_METHOD_POST)) {
            bool up = !strcmp(url, "/upload");
            if (strcmp(url, "/signin") && strcmp(url, "/signout") && !up)
                return send_message(r, conn, url, 404, "m_gone", NULL);
            if (up && !r->signed_in) /* refused before any byte is read */
                return send_message(r, conn, url, 403, "m_signed_out", NULL);
            if (up && !rate_take(r->s.token_id))
                return send_message(r, conn, url, 429, "m_rate", NULL);
            r->kind = up ? RK_UPLOAD : RK_FORM;
            r->pp = MHD_create_post_processor(conn, 32 * 1024, post_field, r);
            if (!r->pp)
                return send_message(r, conn, url, 400, "m_no_file", NULL);
        }
        return MHD_YES;
    }
    if (r->kind != RK_PLAIN && *upload_data_size) {
        size_t n = *upload_data_size;
        r->body_bytes += n;
        conn_bytes(r->cr, n);
        if (r->kind == RK_FORM && r->body_bytes > FORM_BODY_MAX)
            r->bad_form = true;
        else if (r->too_large) /* drained, never stored */
            ;
        else if (MHD_post_process(r->pp, upload_data, n) != MHD_YES)
            r->bad_form = true;
        *upload_data_size = 0;
        return MHD_YES;
    }
    conn_state(r->cr, CS_PROCESSING);
    if (r->kind != RK_PLAIN)
        return finish_post(r, conn, url);
    if (strcmp(method, MHD_HTTP_METHOD_GET) &&
        strcmp(method, MHD_HTTP_METHOD_HEAD))
        return send_message(r, conn, url, 405, "m_gone", NULL);
    if (!strcmp(url, "/static/style.css"))
        return send_static(r, conn, "style.css", "text/css; charset=utf-8");
    if (!strcmp(url, "/static/app.js"))
        return send_static(r, conn, "app.js", "text/javascript; charset=utf-8");
    if (!strcmp(url, "/"))
        return page_home(r, conn);
    if (!strcmp(url, "/signin"))
        return sign_in(
            r, conn,
            MHD_lookup_connection_value(conn, MHD_GET_ARGUMENT_KIND, "token"));
    if (!r->signed_in)
        return send_message(r, conn, url, 403, "m_signed_out", NULL);
    if (!strcmp(url, "/history"))
        return page_history(r, conn);
    if (!strcmp(url, "/tracker"))
        return page_tracker(r, conn);
    if (!strcmp(url, "/feedback"))
        return page_feedback(r, conn);
    return send_message(r, conn, url, 404, "m_gone", NULL);
}

/* One line per request on stderr; the path only (a query, where the
 * sign-in secret travels, is never written). */
static void on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
                         enum MHD_RequestTerminationCode toe)
{
    (void)cls;
    req *r = *con_cls;
    if (!r)
        return;
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    char addr[INET6_ADDRSTRLEN] = "?";
    if (ci && ci->client_addr) {
        if (ci->client_addr->sa_family == AF_INET)
            inet_ntop(AF_INET,
                      &((struct sockaddr_in *)ci->client_addr)->sin_addr, addr,
                      sizeof addr);
        else if (ci->client_addr->sa_family == AF_INET6)
            inet_ntop(AF_INET6,
                      &((struct sockaddr_in6 *)ci->client_addr)->sin6_addr,
                      addr, sizeof addr);
    }
    fprintf(stderr,
            "iafq: serve: %s %s %s %d %zu bytes out, %llu in, token %lld%s\n",
            addr, r->method, r->path, r->status, r->resp_bytes,
            (unsigned long long)r->body_bytes, r->token_id,
            toe == MHD_REQUEST_TERMINATED_COMPLETED_OK ? ""
            : toe == MHD_REQUEST_TERMINATED_TIMEOUT_REACHED
                ? " (timed out)"
                : " (connection ended)");
    conn_state(r->cr, CS_WAITING);
    req_free(r);
    *con_cls = NULL;
    pthread_mutex_lock(&g.mu);
    g.active--;
    pthread_mutex_unlock(&g.mu);
}

/* ------------------------------------------------------------ running */

void serve_opts_default(serve_opts *o)
{
    memset(o, 0, sizeof *o);
    o->listen = "127.0.0.1:8080";
    o->max_connections = 64;
    o->max_uploads = 4;
    o->timeout_s = 30;
    o->session_idle_s = 1800;
    o->rate_per_min = 20;
    limits_default(&o->lim);
}

int serve_list_msgids(FILE *out)
{
    return tmpl_list_msgids(out);
}

/* "ADDR:PORT", "[ADDR6]:PORT" or ":PORT" into *ss. */
static int parse_listen(const char *s, struct sockaddr_storage *ss,
                        socklen_t *len)
{
    char host[128];
    const char *colon = strrchr(s, ':');
    if (!colon || (size_t)(colon - s) >= sizeof host)
        return -1;
    char *end;
    long port = strtol(colon + 1, &end, 10);
    if (*end || port < 0 || port > 65535 || colon[1] == '\0')
        return -1;
    memcpy(host, s, (size_t)(colon - s));
    host[colon - s] = '\0';
    memset(ss, 0, sizeof *ss);
    if (host[0] == '[') {
        size_t n = strlen(host);
        if (n < 2 || host[n - 1] != ']')
            return -1;
        host[n - 1] = '\0';
        struct sockaddr_in6 *a = (struct sockaddr_in6 *)ss;
        a->sin6_family = AF_INET6;
        a->sin6_port = htons((uint16_t)port);
        if (inet_pton(AF_INET6, host + 1, &a->sin6_addr) != 1)
            return -1;
        *len = sizeof *a;
        return 0;
    }
    struct sockaddr_in *a = (struct sockaddr_in *)ss;
    a->sin_family = AF_INET;
    a->sin_port = htons((uint16_t)port);
    if (!host[0])
        a->sin_addr.s_addr = htonl(INADDR_ANY);
    else if (inet_pton(AF_INET, host, &a->sin_addr) != 1)
        return -1;
    *len = sizeof *a;
    return 0;
}

static void remove_tmpdir(void)
{
    for (unsigned i = 0; g.sessions && i < SESSION_MAX; i++)
        if (g.sessions[i].used)
            session_end(&g.sessions[i]);
    if (g.tmpdir[0])
        rmdir(g.tmpdir);
}

iafq_err serve_run(const serve_opts *o, iafq_error *err)
{
    memset(&g, 0, sizeof g);
    g.o = o;
    g.secure = o->base_url && !strncmp(o->base_url, "https://", 8);
    struct sockaddr_storage ss;
    socklen_t sslen = 0;
    if (parse_listen(o->listen, &ss, &sslen))
        return iafq_error_set(err, IAFQ_ERR_USAGE,
                              "'%s' is not ADDR:PORT (e.g. 127.0.0.1:8080)",
                              o->listen);
    if (o->max_uploads < 1 || o->max_connections < 1 || o->timeout_s < 1)
        return iafq_error_set(err, IAFQ_ERR_USAGE,
                              "--max-uploads, --max-connections and "
                              "--timeout must be at least 1");
    iafq_err e = IAFQ_OK;
    pthread_mutex_init(&g.mu, NULL);
    pthread_mutex_init(&g.pmu, NULL);
    pthread_cond_init(&g.pcv, NULL);
    pthread_cond_init(&g.ucv, NULL);
    struct MHD_Daemon *d = NULL;
    pthread_t wd;
    int wd_started = 0;
    g.sessions = calloc(SESSION_MAX, sizeof *g.sessions);
    g.npool = o->max_uploads + 2;
    g.pool = calloc(g.npool, sizeof *g.pool);
    g.free_list = calloc(g.npool, sizeof *g.free_list);
    if (!g.sessions || !g.pool || !g.free_list) {
        e = iafq_error_set(err, IAFQ_ERR_NOMEM, "out of memory");
        goto done;
    }
    for (unsigned i = 0; i < g.npool; i++) {
        if ((e = db_open_as(o->conninfo, o->db_role, &g.pool[i], err)))
            goto done;
        g.free_list[g.nfree++] = g.pool[i];
    }
    const char *td = getenv("TMPDIR");
    snprintf(g.tmpdir, sizeof g.tmpdir, "%s/iafq-serve-XXXXXX",
             td && *td ? td : "/tmp");
    if (!mkdtemp(g.tmpdir)) {
        g.tmpdir[0] = '\0';
        e = iafq_error_set(err, IAFQ_ERR_IO,
                           "cannot make a temporary folder: %s",
                           strerror(errno));
        goto done;
    }
    /* SIGTERM/SIGINT are taken by sigwait below: every thread blocks them */
    sigset_t sigs, old;
    sigemptyset(&sigs);
    sigaddset(&sigs, SIGTERM);
    sigaddset(&sigs, SIGINT);
    pthread_sigmask(SIG_BLOCK, &sigs, &old);
    signal(SIGPIPE, SIG_IGN);
    unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD |
                     MHD_USE_THREAD_PER_CONNECTION | MHD_USE_ITC;
    if (ss.ss_family == AF_INET6)
        flags |= MHD_USE_IPv6;
    d = MHD_start_daemon(
        flags, 0, NULL, NULL, handler, NULL, MHD_OPTION_SOCK_ADDR,
        (struct sockaddr *)&ss, MHD_OPTION_CONNECTION_LIMIT,
        (unsigned)o->max_connections, MHD_OPTION_CONNECTION_TIMEOUT,
        (unsigned)o->timeout_s, MHD_OPTION_NOTIFY_COMPLETED, on_completed, NULL,
        MHD_OPTION_NOTIFY_CONNECTION, on_connection, NULL,
        MHD_OPTION_LISTEN_BACKLOG_SIZE, (unsigned)128, MHD_OPTION_END);
    if (!d) {
        pthread_sigmask(SIG_SETMASK, &old, NULL);
        e = iafq_error_set(err, IAFQ_ERR_USAGE,
                           "cannot listen on %s (in use, or not an address "
                           "of this machine)",
                           o->listen);
        goto done;
    }
    if (pthread_create(&wd, NULL, watchdog, NULL) == 0)
        wd_started = 1;
    fprintf(stderr, "iafq: serve: listening on %s%s%s\n", o->listen,
            o->base_url ? " for " : "", o->base_url ? o->base_url : "");
    int sig = 0;
    sigwait(&sigs, &sig);
    /* stop accepting; let every request in progress finish */
    fprintf(stderr, "iafq: serve: %s: finishing the requests in progress\n",
            sig == SIGTERM ? "SIGTERM" : "SIGINT");
    MHD_socket ls = MHD_quiesce_daemon(d);
    if (ls != MHD_INVALID_SOCKET)
        close(ls);
    for (;;) {
        pthread_mutex_lock(&g.mu);
        unsigned a = g.active;
        pthread_mutex_unlock(&g.mu);
        if (a == 0)
            break;
        struct timespec ts = {0, 50 * 1000 * 1000};
        nanosleep(&ts, NULL);
    }
    MHD_stop_daemon(d);
    g.stopping = 1;
    if (wd_started)
        pthread_join(wd, NULL);
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    fprintf(stderr, "iafq: serve: stopped\n");
done:
    remove_tmpdir();
    for (unsigned i = 0; g.pool && i < g.npool; i++)
        db_close(g.pool[i]);
    free(g.pool);
    free(g.free_list);
    free(g.sessions);
    g.sessions = NULL;
    return e;
}
