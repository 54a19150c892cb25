/* Unit tests of db/ that need no server: the embedded SQL table and the
 * password masking of connection strings. */
#include "db.h"
#include "sqlfiles.h"
#include "testutil.h"

#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void test_sqlfiles_sorted_and_found(void)
{
    CU_ASSERT_TRUE(sqlfiles_count > 0);
    for (unsigned long i = 1; i < sqlfiles_count; i++)
        CU_ASSERT_TRUE(
            strcmp(sqlfiles_table[i - 1].path, sqlfiles_table[i].path) < 0);
    CU_ASSERT_PTR_NULL(sqlfiles_table[sqlfiles_count].path);
    for (unsigned long i = 0; i < sqlfiles_count; i++)
        CU_ASSERT_PTR_EQUAL(sqlfiles_get(sqlfiles_table[i].path),
                            sqlfiles_table[i].text);
    const char *boot = sqlfiles_get("meta/bootstrap.sql");
    CU_ASSERT_PTR_NOT_NULL_FATAL(boot);
    CU_ASSERT_PTR_NOT_NULL(strstr(boot, "iafq.schema_migrations"));
    CU_ASSERT_PTR_NULL(sqlfiles_get("meta/nope.sql"));
    CU_ASSERT_PTR_NULL(sqlfiles_get("meta"));
    CU_ASSERT_PTR_NULL(sqlfiles_get(""));
    CU_ASSERT_PTR_NULL(sqlfiles_get(NULL));
}

static void test_sqlfiles_prefix(void)
{
    size_t n = 0;
    const sqlfile *m = sqlfiles_prefix("migrations/", &n);
    CU_ASSERT_TRUE_FATAL(n > 0);
    for (size_t i = 0; i < n; i++) {
        CU_ASSERT_EQUAL(strncmp(m[i].path, "migrations/", 11), 0);
        if (i)
            CU_ASSERT_TRUE(strcmp(m[i - 1].path, m[i].path) < 0);
    }
    /* the entry after the range is outside the prefix */
    if (m + n < sqlfiles_table + sqlfiles_count)
        CU_ASSERT_NOT_EQUAL(strncmp(m[n].path, "migrations/", 11), 0);
    size_t none = 7;
    CU_ASSERT_PTR_NULL(sqlfiles_prefix("no-such-prefix/", &none));
    CU_ASSERT_EQUAL(none, 0);
    size_t all = 0;
    CU_ASSERT_PTR_EQUAL(sqlfiles_prefix("", &all), sqlfiles_table);
    CU_ASSERT_EQUAL(all, sqlfiles_count);
    char v[32];
    CU_ASSERT_STRING_EQUAL(
        sqlfiles_version("migrations/0001_schema.sql", v, sizeof v),
        "0001_schema");
    CU_ASSERT_PTR_NULL(
        sqlfiles_version("migrations/0001_a_very_long_name.sql", v, 8));
}

/* Every sql/ file on disk is embedded with the same bytes. */
static int _on_disk, _matching;
static int _visit(const char *path, const struct stat *sb, int flag,
                  struct FTW *ftw)
{
    (void)ftw;
    size_t len = strlen(path);
    if (flag != FTW_F || len < 4 || strcmp(path + len - 4, ".sql"))
        return 0;
    _on_disk++;
    FILE *f = fopen(path, "rb");
    if (!f)
        return 0;
    char *buf = malloc((size_t)sb->st_size + 1);
    size_t n = buf ? fread(buf, 1, (size_t)sb->st_size, f) : 0;
    fclose(f);
    if (!buf)
        return 0;
    buf[n] = '\0';
    const char *text = sqlfiles_get(path + strlen("sql/"));
    if (text && n == (size_t)sb->st_size && !strcmp(text, buf))
        _matching++;
    free(buf);
    return 0;
}

static void test_sqlfiles_match_disk(void)
{
    _on_disk = _matching = 0;
    CU_ASSERT_EQUAL_FATAL(nftw(tu_src("sql"), _visit, 16, FTW_PHYS), 0);
    CU_ASSERT_EQUAL(_on_disk, (int)sqlfiles_count);
    CU_ASSERT_EQUAL(_matching, _on_disk);
}

static void _mask_is(const char *in, const char *want)
{
    char out[256];
    size_t n = db_mask_conninfo(in, out, sizeof out);
    CU_ASSERT_STRING_EQUAL(out, want);
    CU_ASSERT_EQUAL(n, strlen(want));
    if (strcmp(out, want))
        fprintf(stderr, "mask(%s) = %s, want %s\n", in, out, want);
}

static void test_mask_keyvalue(void)
{
    _mask_is("host=db port=5432 password=s3cret dbname=x",
             "host=db port=5432 password=*** dbname=x");
    _mask_is("password = 's3 cr\\'et' user=u", "password = *** user=u");
    _mask_is("user=u password=a\\ b", "user=u password=***");
    _mask_is("host=h", "host=h");
    _mask_is("passwordx=keep password=s", "passwordx=keep password=***");
    _mask_is("", "");
    _mask_is("mydb", "mydb");
}

static void test_mask_uri(void)
{
    _mask_is("postgresql://u:s3cret@h:5432/db", "postgresql://u:***@h:5432/db");
    _mask_is("postgres://u:p@ss@h/db", "postgres://u:***@ss@h/db");
    _mask_is("postgresql://u@h/db", "postgresql://u@h/db");
    _mask_is("postgresql://h/db?user=u&password=s3cret&sslmode=require",
             "postgresql://h/db?user=u&password=***&sslmode=require");
    _mask_is("postgresql://u:x@h1,h2/db?password=y",
             "postgresql://u:***@h1,h2/db?password=***");
    _mask_is("postgresql:///db?host=/tmp", "postgresql:///db?host=/tmp");
}

static void test_mask_bounded(void)
{
    char out[12];
    memset(out, 'X', sizeof out);
    size_t n =
        db_mask_conninfo("host=a-long-host password=pw", out, sizeof out);
    CU_ASSERT_EQUAL(n, sizeof out - 1);
    CU_ASSERT_EQUAL(out[sizeof out - 1], '\0');
    CU_ASSERT_PTR_NULL(strstr(out, "pw"));
    CU_ASSERT_EQUAL(db_mask_conninfo("x", out, 0), 0);
    CU_ASSERT_EQUAL(db_mask_conninfo(NULL, out, sizeof out), 0);
    CU_ASSERT_STRING_EQUAL(out, "");
}

static void test_choose_conninfo(void)
{
    setenv("IAFQ_DB", "host=from-env", 1);
    CU_ASSERT_STRING_EQUAL(db_choose_conninfo("host=opt"), "host=opt");
    CU_ASSERT_STRING_EQUAL(db_choose_conninfo(NULL), "host=from-env");
    setenv("IAFQ_DB", "", 1);
    CU_ASSERT_PTR_NULL(db_choose_conninfo(NULL));
    unsetenv("IAFQ_DB");
    CU_ASSERT_PTR_NULL(db_choose_conninfo(NULL));
    CU_ASSERT_STRING_EQUAL(db_choose_conninfo(""), "");
    /* the libpq environment, when it names a server, before iafq's own
     * cluster (""), after --db and IAFQ_DB */
    static const char *const vars[] = {"PGHOST", "PGHOSTADDR", "PGDATABASE",
                                       "PGSERVICE"};
    for (size_t i = 0; i < sizeof vars / sizeof *vars; i++) {
        setenv(vars[i], "x", 1);
        CU_ASSERT_STRING_EQUAL(db_choose_conninfo(NULL), "");
        CU_ASSERT_STRING_EQUAL(db_choose_conninfo("host=opt"), "host=opt");
        setenv("IAFQ_DB", "host=from-env", 1);
        CU_ASSERT_STRING_EQUAL(db_choose_conninfo(NULL), "host=from-env");
        unsetenv("IAFQ_DB");
        setenv(vars[i], "", 1); /* empty: not set */
        CU_ASSERT_PTR_NULL(db_choose_conninfo(NULL));
        unsetenv(vars[i]);
    }
    setenv("PGPORT", "5433", 1); /* names no server by itself */
    setenv("PGUSER", "someone", 1);
    CU_ASSERT_PTR_NULL(db_choose_conninfo(NULL));
    unsetenv("PGPORT");
    unsetenv("PGUSER");
}

static const tu_test sql_tests[] = {
    {"table sorted, every path found", test_sqlfiles_sorted_and_found},
    {"iteration by prefix", test_sqlfiles_prefix},
    {"every sql/ file embedded unchanged", test_sqlfiles_match_disk},
    {NULL, NULL}};
static const tu_test conn_tests[] = {
    {"mask key=value passwords", test_mask_keyvalue},
    {"mask URI passwords", test_mask_uri},
    {"masking is bounded", test_mask_bounded},
    {"--db, IAFQ_DB, PGHOST..., then own cluster", test_choose_conninfo},
    {NULL, NULL}};
static const tu_suite suites[] = {
    {"sqlfiles", sql_tests}, {"conninfo", conn_tests}, {NULL, NULL}};

int main(void)
{
    return tu_run("db", suites);
}
