/*
 * gswb_write.c - a test and bench driver for export/gswb.c: write the
 * global study workbook of a database without the `iafq export` command.
 *
 *   gswb_write --db CONNINFO [--public] [--run-id N] [--started T]
 *              [--finished T] [--submissions N] [--release D]
 *              [--rows-per-sheet N] OUT.xlsx
 *
 * The run's fields are given on the command line (the test reads them from
 * iafq.latest_run with psql); the driver opens one transaction (REPEATABLE
 * READ, READ ONLY, as the export does), calls gswb_write() and rolls back.
 * --public reads schema iafq_public (connect as iafq_portal to prove the
 * workbook needs nothing else).  Exit 0 on success, 1 with the error on
 * stderr otherwise.
 */
#include "db.h"
#include "gswb.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv)
{
    const char *conninfo = NULL, *out = NULL;
    exp_ctx ctx = {.schema = "iafq", .internal = true};
    snprintf(ctx.release, sizeof ctx.release, "2000-01-01");
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (!strcmp(a, "--public")) {
            ctx.schema = "iafq_public";
            ctx.internal = false;
        } else if (!strcmp(a, "--db") && v) {
            conninfo = v, i++;
        } else if (!strcmp(a, "--run-id") && v) {
            ctx.run.id = atoll(v), i++;
        } else if (!strcmp(a, "--started") && v) {
            snprintf(ctx.run.started, sizeof ctx.run.started, "%s", v), i++;
        } else if (!strcmp(a, "--finished") && v) {
            snprintf(ctx.run.finished, sizeof ctx.run.finished, "%s", v), i++;
        } else if (!strcmp(a, "--submissions") && v) {
            ctx.run.submissions = atoll(v), i++;
        } else if (!strcmp(a, "--release") && v) {
            snprintf(ctx.release, sizeof ctx.release, "%s", v), i++;
        } else if (!strcmp(a, "--rows-per-sheet") && v) {
            gswb_set_rows_per_sheet(strtoul(v, NULL, 10)), i++;
        } else if (a[0] != '-' && !out) {
            out = a;
        } else {
            fprintf(stderr, "gswb_write: bad argument '%s'\n", a);
            return 2;
        }
    }
    if (!conninfo || !out) {
        fprintf(stderr, "usage: gswb_write --db CONNINFO [--public] ... "
                        "OUT.xlsx\n");
        return 2;
    }
    iafq_error err = {0};
    db_conn *db = NULL;
    int status = 1;
    if (db_open(conninfo, &db, &err) != IAFQ_OK)
        goto done;
    ctx.db = db;
    PGresult *r = PQexec(db_pg(db), "BEGIN ISOLATION LEVEL REPEATABLE READ, "
                                    "READ ONLY");
    if (db_check(db, r, PGRES_COMMAND_OK, "begin", &err) != IAFQ_OK)
        goto done;
    PQclear(r);
    if (exp_use_schema(&ctx, &err) == IAFQ_OK &&
        gswb_write(&ctx, out, &err) == IAFQ_OK)
        status = 0;
    db_rollback(db);
done:
    if (status != 0)
        fprintf(stderr, "gswb_write: %s\n", err.msg);
    db_close(db);
    return status;
}
