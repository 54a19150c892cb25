#include "db.h"

#include "cluster.h"
#include "log.h"
#include "sqlfiles.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define _MASKED_MAX 1024

struct db_conn {
    PGconn *pg;
    int embedded;
    char masked[_MASKED_MAX];
    char sqlstate[6];
};

/* ------------------------------------------------------------- masking */

typedef struct {
    char *buf;
    size_t cap, len;
} _out;

static void _put(_out *o, const char *s, size_t n)
{
    for (size_t i = 0; i < n && o->len + 1 < o->cap; i++)
        o->buf[o->len++] = s[i];
    o->buf[o->len] = '\0';
}

static int _is_space(char ch)
{
    return ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r' || ch == '\f' ||
           ch == '\v';
}

/* "key = value key2='quoted \' value'", as libpq parses it. */
static void _mask_keyvalue(const char *s, _out *o)
{
    const char *p = s;
    while (*p) {
        const char *start = p;
        while (_is_space(*p))
            p++;
        const char *key = p;
        while (*p && *p != '=' && !_is_space(*p))
            p++;
        size_t keylen = (size_t)(p - key);
        while (_is_space(*p))
            p++;
        if (*p != '=') { /* not a conninfo: copy the rest as it is */
            _put(o, start, strlen(start));
            return;
        }
        p++;
        while (_is_space(*p))
            p++;
        _put(o, start, (size_t)(p - start));
        const char *val = p;
        if (*p == '\'') {
            for (p++; *p && *p != '\''; p++)
                if (*p == '\\' && p[1])
                    p++;
            if (*p == '\'')
                p++;
        } else {
            for (; *p && !_is_space(*p); p++)
                if (*p == '\\' && p[1])
                    p++;
        }
        if (keylen == 8 && !strncmp(key, "password", 8))
            _put(o, "***", 3);
        else
            _put(o, val, (size_t)(p - val));
    }
}

/* "postgresql://user:secret@host/db?password=secret&x=y" */
static void _mask_uri(const char *s, size_t prefix, _out *o)
{
    _put(o, s, prefix);
    const char *p = s + prefix;
    const char *q = p;
    while (*q && *q != '@' && *q != '/')
        q++;
    if (*q == '@') {
        const char *colon = memchr(p, ':', (size_t)(q - p));
        if (colon) {
            _put(o, p, (size_t)(colon + 1 - p));
            _put(o, "***", 3);
            p = q;
        }
    }
    const char *query = strchr(p, '?');
    if (!query) {
        _put(o, p, strlen(p));
        return;
    }
    _put(o, p, (size_t)(query + 1 - p));
    p = query + 1;
    while (*p) {
        const char *end = strchr(p, '&');
        size_t n = end ? (size_t)(end - p) : strlen(p);
        if (n >= 9 && !strncmp(p, "password=", 9)) {
            _put(o, p, 9);
            _put(o, "***", 3);
        } else {
            _put(o, p, n);
        }
        p += n;
        if (*p == '&')
            _put(o, p++, 1);
    }
}

size_t db_mask_conninfo(const char *conninfo, char *out, size_t cap)
{
    if (!out || cap == 0)
        return 0;
    _out o = {out, cap, 0};
    out[0] = '\0';
    if (!conninfo)
        return 0;
    static const char *const schemes[] = {"postgresql://", "postgres://"};
    for (size_t i = 0; i < 2; i++) {
        size_t n = strlen(schemes[i]);
        if (!strncmp(conninfo, schemes[i], n)) {
            _mask_uri(conninfo, n, &o);
            return o.len;
        }
    }
    _mask_keyvalue(conninfo, &o);
    return o.len;
}

/* ----------------------------------------------------------- connecting */

const char *db_choose_conninfo(const char *opt)
{
    if (opt)
        return opt;
    const char *env = getenv("IAFQ_DB");
    return (env && *env) ? env : NULL;
}

/* libpq's message on one line, without its trailing newline. */
static void _pq_message(const char *msg, char *out, size_t cap)
{
    if (snprintf(out, cap, "%s", msg ? msg : "") >= (int)cap)
        out[cap - 1] = '\0';
    size_t n = strlen(out);
    while (n > 0 && (out[n - 1] == '\n' || out[n - 1] == ' '))
        out[--n] = '\0';
    /* one line: newlines and tabs become one space */
    char *w = out;
    for (const char *r = out; *r; r++) {
        char ch = (*r == '\n' || *r == '\t') ? ' ' : *r;
        if (ch == ' ' && w > out && w[-1] == ' ')
            continue;
        *w++ = ch;
    }
    *w = '\0';
}

/* Server notices (e.g. "schema already exists, skipping") are for the
 * verbose log only. */
static void _notice(void *arg, const char *message)
{
    (void)arg;
    char msg[400];
    _pq_message(message, msg, sizeof msg);
    log_info("server: %s", msg);
}

iafq_err db_open(const char *conninfo, db_conn **out, iafq_error *err)
{
    return db_open_as(conninfo, NULL, out, err);
}

iafq_err db_open_as(const char *conninfo, const char *user, db_conn **out,
                    iafq_error *err)
{
    *out = NULL;
    db_conn *db = calloc(1, sizeof *db);
    if (!db)
        return iafq_error_set(err, IAFQ_ERR_NOMEM, "out of memory");
    char own[3 * CLUSTER_PATH_MAX];
    iafq_err rc = IAFQ_OK;
    if (!conninfo) {
        cluster c;
        if ((rc = cluster_locate(&c, err)) || (rc = cluster_ensure(&c, err)))
            goto cleanup;
        if (cluster_conninfo(&c, CLUSTER_DBNAME, own, sizeof own) != 0) {
            rc = iafq_error_set(err, IAFQ_ERR_IO, "the path '%s' is too long",
                                c.sockdir);
            goto cleanup;
        }
        conninfo = own;
        db->embedded = 1;
    }
    db_mask_conninfo(conninfo, db->masked, sizeof db->masked);
    if (user) {
        size_t len = strlen(db->masked);
        snprintf(db->masked + len, sizeof db->masked - len, " (as %s)", user);
    }
    /* Defaults first: the conninfo (expanded from "dbname") overrides them,
     * and an explicit PGCONNECT_TIMEOUT wins over ours; user, after it,
     * overrides the conninfo's. */
    const char *keys[6], *vals[6];
    int k = 0;
    keys[k] = "fallback_application_name", vals[k++] = "iafq";
    keys[k] = "client_encoding", vals[k++] = "UTF8";
    if (!getenv("PGCONNECT_TIMEOUT"))
        keys[k] = "connect_timeout", vals[k++] = "10";
    keys[k] = "dbname", vals[k++] = conninfo;
    if (user)
        keys[k] = "user", vals[k++] = user;
    keys[k] = NULL, vals[k] = NULL;
    db->pg = PQconnectdbParams(keys, vals, 1);
    if (!db->pg) {
        rc = iafq_error_set(err, IAFQ_ERR_NOMEM, "out of memory");
        goto cleanup;
    }
    if (PQstatus(db->pg) != CONNECTION_OK) {
        char msg[400];
        _pq_message(PQerrorMessage(db->pg), msg, sizeof msg);
        rc = iafq_error_set(err, IAFQ_ERR_DB, "cannot connect to '%.300s': %s",
                            db->masked, msg);
        goto cleanup;
    }
    PQsetNoticeProcessor(db->pg, _notice, NULL);
cleanup:
    if (rc) {
        db_close(db);
        return rc;
    }
    *out = db;
    return IAFQ_OK;
}

void db_close(db_conn *db)
{
    if (!db)
        return;
    if (db->pg)
        PQfinish(db->pg);
    free(db);
}

PGconn *db_pg(db_conn *db)
{
    return db ? db->pg : NULL;
}

const char *db_masked(const db_conn *db)
{
    return db ? db->masked : "";
}

int db_embedded(const db_conn *db)
{
    return db ? db->embedded : 0;
}

const char *db_sqlstate(const db_conn *db)
{
    return db ? db->sqlstate : "";
}

/* ------------------------------------------------------------- results */

static iafq_err _fail(db_conn *db, PGresult *res, const char *what,
                      iafq_error *err)
{
    const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
    char msg[400];
    const char *pqmsg = res ? PQresultErrorMessage(res) : NULL;
    if ((!pqmsg || !*pqmsg) && db && db->pg)
        pqmsg = PQerrorMessage(db->pg);
    _pq_message(pqmsg && *pqmsg ? pqmsg : "unexpected result", msg, sizeof msg);
    if (db)
        snprintf(db->sqlstate, sizeof db->sqlstate, "%s", state ? state : "");
    iafq_error_set(err, IAFQ_ERR_DB, "%s: %s%s%s%s", what, msg,
                   state ? " (SQLSTATE " : "", state ? state : "",
                   state ? ")" : "");
    PQclear(res);
    return IAFQ_ERR_DB;
}

iafq_err db_check(db_conn *db, PGresult *res, ExecStatusType want,
                  const char *what, iafq_error *err)
{
    if (res && PQresultStatus(res) == want)
        return IAFQ_OK;
    return _fail(db, res, what, err);
}

iafq_err db_exec_file(db_conn *db, const char *relpath, int nparams,
                      const char *const *params, PGresult **out,
                      iafq_error *err)
{
    if (out)
        *out = NULL;
    sqlfile f = {relpath, sqlfiles_get(relpath)};
    if (!f.text)
        return iafq_error_set(err, IAFQ_ERR_INTERNAL,
                              "sql/%s is not embedded in this binary", relpath);
    return db_exec_sql(db, &f, nparams, params, out, err);
}

iafq_err db_cols(const PGresult *res, const char *what,
                 const char *const *names, int *idx, size_t n, iafq_error *err)
{
    for (size_t i = 0; i < n; i++) {
        idx[i] = res ? PQfnumber(res, names[i]) : -1;
        if (idx[i] < 0)
            return iafq_error_set(err, IAFQ_ERR_INTERNAL,
                                  "%s: the result has no column '%s'",
                                  what ? what : "query", names[i]);
    }
    return IAFQ_OK;
}

iafq_err db_exec_one_row(db_conn *db, const char *relpath, int nparams,
                         const char *const *params, PGresult **out,
                         iafq_error *err)
{
    PGresult *res = NULL;
    *out = NULL;
    iafq_err rc = db_exec_file(db, relpath, nparams, params, &res, err);
    if (rc != IAFQ_OK)
        return rc;
    int rows = PQntuples(res);
    if (rows != 1) {
        PQclear(res);
        return iafq_error_set(err, IAFQ_ERR_INTERNAL,
                              "sql/%s: expected one row, got %d", relpath,
                              rows);
    }
    *out = res;
    return IAFQ_OK;
}

iafq_err db_exec_sql(db_conn *db, const sqlfile *file, int nparams,
                     const char *const *params, PGresult **out, iafq_error *err)
{
    if (out)
        *out = NULL;
    const char *relpath = file->path, *sql = file->text;
    PGresult *res = nparams > 0 ? PQexecParams(db->pg, sql, nparams, NULL,
                                               params, NULL, NULL, 0)
                                : PQexec(db->pg, sql);
    ExecStatusType st = res ? PQresultStatus(res) : PGRES_FATAL_ERROR;
    if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) {
        char what[300];
        snprintf(what, sizeof what, "sql/%.200s", relpath);
        return _fail(db, res, what, err);
    }
    db->sqlstate[0] = '\0';
    if (out)
        *out = res;
    else
        PQclear(res);
    return IAFQ_OK;
}

static iafq_err _command(db_conn *db, const char *cmd, iafq_error *err)
{
    PGresult *res = PQexec(db->pg, cmd);
    iafq_err rc = db_check(db, res, PGRES_COMMAND_OK, cmd, err);
    if (!rc)
        PQclear(res);
    return rc;
}

iafq_err db_begin(db_conn *db, iafq_error *err)
{
    return _command(db, "BEGIN", err);
}

iafq_err db_commit(db_conn *db, iafq_error *err)
{
    PGresult *res = PQexec(db->pg, "COMMIT");
    iafq_err rc = db_check(db, res, PGRES_COMMAND_OK, "COMMIT", err);
    if (rc)
        return rc;
    /* COMMIT of a failed transaction succeeds as "ROLLBACK". */
    if (strcmp(PQcmdStatus(res), "COMMIT") != 0)
        rc = iafq_error_set(err, IAFQ_ERR_DB,
                            "COMMIT: the transaction was rolled back");
    PQclear(res);
    return rc;
}

void db_rollback(db_conn *db)
{
    if (db && db->pg && PQtransactionStatus(db->pg) != PQTRANS_IDLE &&
        PQstatus(db->pg) == CONNECTION_OK)
        PQclear(PQexec(db->pg, "ROLLBACK"));
}
