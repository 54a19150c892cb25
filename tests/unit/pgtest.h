/*
 * pgtest.h - a real PostgreSQL for the CUnit runners that need one.
 *
 * The cluster is a throwaway one made by the test run: tests/run-unit.sh
 * starts it with tests/pgtmp.sh and passes its admin conninfo in
 * $IAFQ_TEST_PG; a runner started by hand without it starts its own (and
 * stops it at exit).  Each suite works in a fresh database of that cluster
 * with iafq's migrations applied, so suites never see each other's rows.
 *
 * Ownership: strings returned are static buffers, valid until the next
 * call.
 */
#ifndef IAFQ_PGTEST_H
#define IAFQ_PGTEST_H

/* Admin conninfo (superuser, database postgres), or NULL when no cluster
 * can be had (the reason is printed). */
const char *pt_admin(void);

/* Drop and create database `name` and apply iafq's embedded migrations;
 * its conninfo, or NULL on failure (printed). */
const char *pt_fresh_db(const char *name);

/* The conninfo of database `name` as `user` (trust authentication). */
const char *pt_conninfo_as(const char *name, const char *user);

#endif
