/* Unit tests of db/load against a real PostgreSQL (tests/unit/pgtest.h):
 * what a load stores, the same bytes again, superseding, a rejected
 * return, W-REVISION, a connection lost in the middle of the T11 COPY, and
 * hostile strings stored unchanged. */
#include "db.h"
#include "load.h"
#include "pgtest.h"
#include "testutil.h"

#include <CUnit/Basic.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static db_conn *_db;

static int _setup(void)
{
    const char *ci = pt_fresh_db("iafq_t_load");
    iafq_error e = {0};
    if (!ci || db_open(ci, &_db, &e)) {
        fprintf(stderr, "test_load: %s\n", e.msg);
        return -1;
    }
    return 0;
}

static int _teardown(void)
{
    db_close(_db);
    _db = NULL;
    return 0;
}

/* One number from a query with at most one text parameter. */
static long long _num(const char *sql, const char *param)
{
    const char *p[1] = {param};
    PGresult *r =
        PQexecParams(db_pg(_db), sql, param ? 1 : 0, NULL, p, NULL, NULL, 0);
    long long v = -1;
    if (PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 1)
        v = strtoll(PQgetvalue(r, 0, 0), NULL, 10);
    else
        fprintf(stderr, "query failed: %s", PQerrorMessage(db_pg(_db)));
    PQclear(r);
    return v;
}

static char *_text(const char *sql, const char *param)
{
    const char *p[1] = {param};
    PGresult *r =
        PQexecParams(db_pg(_db), sql, param ? 1 : 0, NULL, p, NULL, NULL, 0);
    char *v = NULL;
    if (PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 1)
        v = strdup(PQgetvalue(r, 0, 0));
    PQclear(r);
    return v;
}

static iafq_err _load(const char *path, load_result *res)
{
    load_opts o;
    load_opts_default(&o);
    iafq_error e = {0};
    iafq_err rc = load_path(_db, path, &o, res, &e);
    if (rc)
        fprintf(stderr, "load_path(%s): %s\n", path, e.msg);
    return rc;
}

static void test_same_bytes(void)
{
    load_result r;
    CU_ASSERT_EQUAL_FATAL(_load(tu_src("samples/esp-2021.xlsx"), &r), IAFQ_OK);
    CU_ASSERT_FALSE(r.unchanged);
    CU_ASSERT_EQUAL_FATAL(r.nsubs, 1);
    CU_ASSERT_TRUE(r.subs[0].accepted);
    CU_ASSERT_STRING_EQUAL(r.subs[0].country, "ESP");
    CU_ASSERT_EQUAL(r.subs[0].year, 2021);
    long long id = r.subs[0].id;
    char sid[32];
    snprintf(sid, sizeof sid, "%lld", id);
    /* the values and the three T11 seizures are stored with it */
    long long nval = _num("SELECT count(*) FROM iafq.value WHERE "
                          "submission_id = $1::bigint",
                          sid);
    CU_ASSERT(nval > 100);
    CU_ASSERT_EQUAL(_num("SELECT count(*) FROM iafq.seizure WHERE "
                         "submission_id = $1::bigint",
                         sid),
                    3);
    CU_ASSERT_EQUAL(_num("SELECT quantity FROM iafq.seizure WHERE "
                         "submission_id = $1::bigint AND seizure_id = "
                         "'S-001'",
                         sid),
                    12);
    CU_ASSERT_EQUAL(_num("SELECT count(*) FROM iafq.submission WHERE id = "
                         "$1::bigint AND report->>'valid' = 'true'",
                         sid),
                    1);
    load_result_release(&r);

    long long subs = _num("SELECT count(*) FROM iafq.submission", NULL);
    CU_ASSERT_EQUAL_FATAL(_load(tu_src("samples/esp-2021.xlsx"), &r), IAFQ_OK);
    CU_ASSERT_TRUE(r.unchanged);
    CU_ASSERT_EQUAL_FATAL(r.nsubs, 1);
    CU_ASSERT_EQUAL(r.subs[0].id, id);
    CU_ASSERT_EQUAL(_num("SELECT count(*) FROM iafq.submission", NULL), subs);
    CU_ASSERT_EQUAL(_num("SELECT count(*) FROM iafq.value WHERE "
                         "submission_id = $1::bigint",
                         sid),
                    nval);
    load_result_release(&r);
}

/* --strict is part of "the same": the same bytes judged again under the
 * other --strict, unchanged under the same one. */
static void test_strict_same(void)
{
    const char *fra = tu_src("samples/fra-2021-warnings.xlsx");
    load_opts o;
    load_opts_default(&o);
    o.check.strict = true;
    load_result r;
    iafq_error e = {0};
    CU_ASSERT_EQUAL_FATAL(load_path(_db, fra, &o, &r, &e), IAFQ_OK);
    CU_ASSERT_FALSE(r.unchanged);
    CU_ASSERT_EQUAL_FATAL(r.nsubs, 1);
    CU_ASSERT_FALSE(r.subs[0].accepted);
    long long strict_id = r.subs[0].id;
    load_result_release(&r);
    /* without --strict: judged again, accepted with its warnings */
    CU_ASSERT_EQUAL_FATAL(_load(fra, &r), IAFQ_OK);
    CU_ASSERT_FALSE(r.unchanged);
    CU_ASSERT_EQUAL_FATAL(r.nsubs, 1);
    CU_ASSERT_TRUE(r.subs[0].accepted);
    CU_ASSERT(r.subs[0].warnings > 0);
    long long plain_id = r.subs[0].id;
    load_result_release(&r);
    /* each way again: unchanged, naming its own submission */
    CU_ASSERT_EQUAL_FATAL(_load(fra, &r), IAFQ_OK);
    CU_ASSERT_TRUE(r.unchanged);
    CU_ASSERT_EQUAL_FATAL(r.nsubs, 1);
    CU_ASSERT_EQUAL(r.subs[0].id, plain_id);
    load_result_release(&r);
    CU_ASSERT_EQUAL_FATAL(load_path(_db, fra, &o, &r, &e), IAFQ_OK);
    CU_ASSERT_TRUE(r.unchanged);
    CU_ASSERT_EQUAL_FATAL(r.nsubs, 1);
    CU_ASSERT_EQUAL(r.subs[0].id, strict_id);
    CU_ASSERT_FALSE(r.subs[0].accepted);
    load_result_release(&r);
    char sid[32];
    snprintf(sid, sizeof sid, "%lld", strict_id);
    CU_ASSERT_EQUAL(_num("SELECT count(*) FROM iafq.submission WHERE id = "
                         "$1::bigint AND strict",
                         sid),
                    1);
}

/* db_cols: every column by name, once; a missing one is an internal error
 * naming it.  db_exec_one_row: exactly one row. */
static void test_columns_and_one_row(void)
{
    iafq_error e = {0};
    PGresult *res = NULL;
    const char *p[3] = {"ESP", NULL, NULL};
    CU_ASSERT_EQUAL_FATAL(db_exec_file(_db, "q/history.sql", 3, p, &res, &e),
                          IAFQ_OK);
    static const char *const good[] = {"id", "file_name", "current", "strict"};
    int idx[4] = {-1, -1, -1, -1};
    CU_ASSERT_EQUAL(db_cols(res, "q/history.sql", good, idx, 4, &e), IAFQ_OK);
    CU_ASSERT_EQUAL(idx[0], PQfnumber(res, "id"));
    CU_ASSERT(idx[1] >= 0 && idx[2] >= 0 && idx[3] >= 0);
    static const char *const bad[] = {"id", "no_such_column"};
    CU_ASSERT_EQUAL(db_cols(res, "q/history.sql", bad, idx, 2, &e),
                    IAFQ_ERR_INTERNAL);
    CU_ASSERT_PTR_NOT_NULL(strstr(e.msg, "no_such_column"));
    CU_ASSERT_PTR_NOT_NULL(strstr(e.msg, "q/history.sql"));
    PQclear(res);

    res = NULL;
    CU_ASSERT_EQUAL(
        db_exec_one_row(_db, "q/load_reserve.sql", 0, NULL, &res, &e), IAFQ_OK);
    CU_ASSERT_PTR_NOT_NULL(res);
    CU_ASSERT_EQUAL(res ? PQntuples(res) : -1, 1);
    PQclear(res);
    const char *v[1] = {"no-such-version"};
    res = (PGresult *)1;
    CU_ASSERT_EQUAL(
        db_exec_one_row(_db, "q/migrate_is_applied.sql", 1, v, &res, &e),
        IAFQ_ERR_INTERNAL);
    CU_ASSERT_PTR_NULL(res);
    CU_ASSERT_PTR_NOT_NULL(strstr(e.msg, "expected one row, got 0"));
    CU_ASSERT_EQUAL(
        db_exec_one_row(_db, "q/migrate_list.sql", 0, NULL, &res, &e),
        IAFQ_ERR_INTERNAL);
    CU_ASSERT_PTR_NULL(res);
    CU_ASSERT_PTR_NOT_NULL(strstr(e.msg, "expected one row, got"));
}

static void test_supersede_and_revision(void)
{
    load_result r;
    /* the same country-year as a folder of CSV files: a newer accepted
     * return supersedes the workbook; its T1 UNKNOWN SEIZED went 0 -> 20 */
    CU_ASSERT_EQUAL_FATAL(_load(tu_src("samples/esp-2021-csv"), &r), IAFQ_OK);
    CU_ASSERT_EQUAL_FATAL(r.nsubs, 1);
    CU_ASSERT_TRUE(r.subs[0].accepted);
    char sid[32];
    snprintf(sid, sizeof sid, "%lld", r.subs[0].id);
    load_result_release(&r);
    CU_ASSERT_EQUAL(_num("SELECT id FROM iafq.current_submissions WHERE "
                         "country = 'ESP' AND year = 2021",
                         NULL),
                    strtoll(sid, NULL, 10));
    CU_ASSERT_EQUAL(
        _num("SELECT count(*) FROM iafq.submission s, "
             "jsonb_array_elements(s.report->'findings') f WHERE s.id = "
             "$1::bigint AND f->>'code' = 'W-REVISION' AND f->>'row' = "
             "'UNKNOWN' AND f->>'column' = 'SEIZED' AND f->>'value' = '20'",
             sid),
        1);
    /* the older one is kept */
    CU_ASSERT_EQUAL(_num("SELECT count(*) FROM iafq.submission WHERE "
                         "country = 'ESP' AND year = 2021",
                         NULL),
                    2);
}

/* A copy of the CSV return in a temp folder, with one file replaced. */
static const char *_csv_variant(const char *name, const char *table,
                                const char *content)
{
    static char dir[1024];
    char cmd[4096];
    snprintf(dir, sizeof dir, "%s/%s", tu_tmpdir(), name);
    snprintf(cmd, sizeof cmd, "rm -rf '%s' && cp -r '%s' '%s'", dir,
             tu_src("samples/esp-2021-csv"), dir);
    if (system(cmd) != 0)
        return NULL;
    char path[1200];
    snprintf(path, sizeof path, "%s/%s", dir, table);
    FILE *f = fopen(path, "wb");
    if (!f)
        return NULL;
    fputs(content, f);
    if (fclose(f) != 0)
        return NULL;
    return dir;
}

static void test_rejected_does_not_replace(void)
{
    long long cur = _num("SELECT id FROM iafq.current_submissions WHERE "
                         "country = 'ESP' AND year = 2021",
                         NULL);
    CU_ASSERT_FATAL(cur > 0);
    const char *dir = _csv_variant(
        "esp-rejected", "T2.csv",
        "CODE;LABEL;VALUE\r\nPARTS;Parts;-5\r\nAMMUNITION;Rounds;100\r\n"
        "CASES;Cases;3\r\n");
    CU_ASSERT_PTR_NOT_NULL_FATAL(dir);
    load_result r;
    CU_ASSERT_EQUAL_FATAL(_load(dir, &r), IAFQ_OK);
    CU_ASSERT_EQUAL_FATAL(r.nsubs, 1);
    CU_ASSERT_FALSE(r.subs[0].accepted);
    CU_ASSERT(r.subs[0].errors >= 1);
    load_result_release(&r);
    CU_ASSERT_EQUAL(_num("SELECT id FROM iafq.current_submissions WHERE "
                         "country = 'ESP' AND year = 2021",
                         NULL),
                    cur);
    CU_ASSERT_EQUAL(_num("SELECT count(*) FROM iafq.submission WHERE "
                         "country = 'ESP' AND year = 2021 AND status = "
                         "'rejected'",
                         NULL),
                    1);
    /* its record is kept, none of its figures */
    CU_ASSERT_EQUAL(_num("SELECT count(*) FROM iafq.value v JOIN "
                         "iafq.submission s ON s.id = v.submission_id "
                         "WHERE s.status = 'rejected'",
                         NULL),
                    0);
    CU_ASSERT_EQUAL(_num("SELECT count(*) FROM iafq.seizure z JOIN "
                         "iafq.submission s ON s.id = z.submission_id "
                         "WHERE s.status = 'rejected'",
                         NULL),
                    0);
}

/* The hook breaks the connection from another session once the second
 * seizure has been queued: the COPY fails part-way. */
static iafq_err _kill_at_2(void *ud, uint64_t n, iafq_error *err)
{
    (void)err;
    if (n != 2)
        return IAFQ_OK;
    PGconn *admin = PQconnectdb(pt_conninfo_as("iafq_t_load", "postgres"));
    char pid[32];
    snprintf(pid, sizeof pid, "%d", PQbackendPID(ud));
    const char *p[1] = {pid};
    PGresult *r = PQexecParams(admin, "SELECT pg_terminate_backend($1::int)", 1,
                               NULL, p, NULL, NULL, 0);
    PQclear(r);
    PQfinish(admin);
    return IAFQ_OK;
}

static void test_connection_lost_mid_copy(void)
{
    const char *dir = _csv_variant(
        "esp-2020", "COVER.csv",
        "CODE;LABEL;VALUE\r\nCOUNTRY;Country;ESP\r\nYEAR;Year;2020\r\n"
        "CONSENT;Consent;YES\r\nVERSION;Version;IAFQ-1\r\n");
    CU_ASSERT_PTR_NOT_NULL_FATAL(dir);
    long long before = _num("SELECT count(*) FROM iafq.submission", NULL);
    long long seiz = _num("SELECT count(*) FROM iafq.seizure", NULL);
    load_opts o;
    load_opts_default(&o);
    o.on_seizure_queued = _kill_at_2;
    o.ud = db_pg(_db);
    load_result r;
    iafq_error e = {0};
    CU_ASSERT_EQUAL(load_path(_db, dir, &o, &r, &e), IAFQ_ERR_DB);
    CU_ASSERT_PTR_NOT_NULL(strstr(e.msg, "terminat"));
    CU_ASSERT_EQUAL(r.nsubs, 0);
    /* a new connection sees nothing of it, and the file then loads */
    db_close(_db);
    _db = NULL;
    iafq_error oe = {0};
    CU_ASSERT_EQUAL_FATAL(
        db_open(pt_conninfo_as("iafq_t_load", "postgres"), &_db, &oe), IAFQ_OK);
    CU_ASSERT_EQUAL(_num("SELECT count(*) FROM iafq.submission", NULL), before);
    CU_ASSERT_EQUAL(_num("SELECT count(*) FROM iafq.seizure", NULL), seiz);
    CU_ASSERT_EQUAL_FATAL(_load(dir, &r), IAFQ_OK);
    CU_ASSERT_FALSE(r.unchanged);
    CU_ASSERT_EQUAL(r.nsubs, 1);
    load_result_release(&r);
    CU_ASSERT_EQUAL(_num("SELECT count(*) FROM iafq.submission", NULL),
                    before + 1);
}

static void test_hostile_strings(void)
{
    static const char notes[] =
        "it's \"quoted\"; \\N back\\slash\ttab'); DROP TABLE iafq.value; --";
    char t11[2048];
    snprintf(t11, sizeof t11,
             "CODE;DATE;ARM_TYPE;QUANTITY;NOTES\r\n"
             "S-1;2021-02-14;PISTOL;2;\"%s\"\r\n",
             "it's \"\"quoted\"\"; \\N back\\slash\ttab'); DROP TABLE "
             "iafq.value; --");
    const char *dir = _csv_variant("esp-hostile", "T11.csv", t11);
    CU_ASSERT_PTR_NOT_NULL_FATAL(dir);
    /* a file name with quotes, a backslash and SQL in it */
    char odd[1200];
    snprintf(odd, sizeof odd, "%s/it's \"x\" \\ '; drop table iafq.seizure; --",
             tu_tmpdir());
    char cmd[3000];
    snprintf(cmd, sizeof cmd, "rm -rf \"$D\" && mv '%s' \"$D\"", dir);
    setenv("D", odd, 1);
    CU_ASSERT_EQUAL_FATAL(system(cmd), 0);
    load_result r;
    CU_ASSERT_EQUAL_FATAL(_load(odd, &r), IAFQ_OK);
    CU_ASSERT_EQUAL_FATAL(r.nsubs, 1);
    char sid[32];
    snprintf(sid, sizeof sid, "%lld", r.subs[0].id);
    load_result_release(&r);
    char *name = _text(
        "SELECT file_name FROM iafq.submission WHERE id = $1::bigint", sid);
    char *got = _text(
        "SELECT notes FROM iafq.seizure WHERE submission_id = $1::bigint", sid);
    CU_ASSERT_PTR_NOT_NULL_FATAL(name);
    CU_ASSERT_PTR_NOT_NULL_FATAL(got);
    CU_ASSERT_STRING_EQUAL(name, odd);
    CU_ASSERT_STRING_EQUAL(got, notes);
    free(name);
    free(got);
    CU_ASSERT(_num("SELECT count(*) FROM iafq.value", NULL) > 0);
}

static void test_revision_rule(void)
{
    CU_ASSERT_FALSE(load_revision_jump(100, 1000)); /* exactly 10 times */
    CU_ASSERT_TRUE(load_revision_jump(100, 1001));
    CU_ASSERT_TRUE(load_revision_jump(1001, 100));
    CU_ASSERT_FALSE(load_revision_jump(0, 10)); /* 0 counts as 1 */
    CU_ASSERT_TRUE(load_revision_jump(0, 11));
    CU_ASSERT_FALSE(load_revision_jump(5, 5));
    CU_ASSERT_TRUE(load_revision_jump(1, 1000000000000000LL));
}

static const tu_test tests[] = {
    {"stored with values and seizures; same bytes change nothing",
     test_same_bytes},
    {"a newer accepted return supersedes; W-REVISION against it",
     test_supersede_and_revision},
    {"a rejected return never replaces the accepted one",
     test_rejected_does_not_replace},
    {"a connection lost mid-COPY leaves no trace",
     test_connection_lost_mid_copy},
    {"hostile file names and cells are stored unchanged", test_hostile_strings},
    {"--strict is part of the same bytes", test_strict_same},
    {"columns by name, exactly one row", test_columns_and_one_row},
    {NULL, NULL}};
static const tu_test rule_tests[] = {
    {"more than a factor of ten", test_revision_rule}, {NULL, NULL}};

int main(void)
{
    if (CU_initialize_registry() != CUE_SUCCESS)
        return 2;
    CU_pSuite db = CU_add_suite("load", _setup, _teardown);
    CU_pSuite rules = CU_add_suite("revision rule", NULL, NULL);
    int ok = db && rules;
    for (const tu_test *t = tests; ok && t->name; t++)
        ok = CU_add_test(db, t->name, t->fn) != NULL;
    for (const tu_test *t = rule_tests; ok && t->name; t++)
        ok = CU_add_test(rules, t->name, t->fn) != NULL;
    if (!ok) {
        CU_cleanup_registry();
        return 2;
    }
    CU_basic_set_mode(CU_BRM_NORMAL);
    CU_basic_run_tests();
    unsigned failed = CU_get_number_of_failures();
    unsigned suite_fail = CU_get_number_of_suites_failed();
    unsigned ran = CU_get_number_of_tests_run();
    CU_cleanup_registry();
    printf("load: %u tests, %u failed\n", ran, failed);
    return (failed || suite_fail || CU_get_error() != CUE_SUCCESS) ? 1 : 0;
}
