/*
 * plan.h - what an export consists of and how it reaches its folder
 * (issue 11 item 3, issue 10 item 6).
 *
 * The formats (name, files, writer) are one table in plan.c:
 *   xlsx    global-study.xlsx
 *   csv     gs1.csv ... gs9.csv, sdg_16_4_2*.csv (views.h)
 *   portal  iafq-portal.csv, iafq-portal.xlsx
 *   json    iafq-portal.json
 *   sdmx    sdmx_16_4_2.csv
 *   (all)   changes.csv, whatever the formats (changes.h)
 *
 * One run per folder.  `-o DIR` is a symbolic link, switched atomically
 * (rename(2) of a new link over the old one), to a release folder: a
 * sibling of DIR named ".BASE.iafq-XXXXXX" (BASE = DIR's last component),
 * made by mkdtemp (an unpredictable name, created by us alone) and given
 * the mode a new folder gets (0777 less the umask).  Every file is written
 * into the release under its real name, fsync'd with the release folder,
 * then the link is switched and the parent folder fsync'd.  A reader of
 * DIR/... sees either the whole previous export or the whole new one.
 * After the switch, releases of DIR other than the current one and the one
 * it replaced (kept for readers that resolved DIR before the switch) are
 * removed: those of exports killed mid-way and older ones; only folders
 * owned by this user are touched and symbolic links are never followed.
 * DIR as a plain folder (written by an older iafq) owned by this user is
 * moved aside once (it becomes a release to remove); any other DIR that is
 * not such a link (a file, a link elsewhere, a folder of another user) is
 * refused.
 *
 * DIR's missing parent folders are made (as mkdir -p); a failed export
 * removes them again (innermost first, each only when empty; the eight
 * outermost are remembered).  An interrupt (common/interrupt.h: SIGINT,
 * SIGTERM, SIGHUP when not ignored) removes the release not yet switched
 * and those folders: DIR is left as it was, with no temporary file.  The
 * switch itself is not cut by one (signals held).  A progress line on a
 * terminal names each file as it is written (common/progress.h).
 *
 * For tests, IAFQ_TEST_KILL_AT=N makes the process raise SIGKILL at its
 * Nth step (each file written, each fsync, the link made, the switch, each
 * release removed), so that a test can kill an export at every step.
 *
 * Ownership: an export_release is the caller's (export_release_free).
 */
#ifndef IAFQ_PLAN_H
#define IAFQ_PLAN_H

#include "exp.h"

#include <stdbool.h>

#define EXPORT_XLSX 1u
#define EXPORT_CSV 2u
#define EXPORT_PORTAL 4u
#define EXPORT_JSON 8u
#define EXPORT_SDMX 16u
#define EXPORT_ALL 0x1fu

typedef enum { EXPORT_INTERNAL, EXPORT_PUBLIC } export_scope;

/* The bit of format name[0..len) ("csv"), or 0 when there is none. */
unsigned export_format_bit(const char *name, size_t len);
/* "xlsx, csv, portal, json, sdmx", for messages. */
const char *export_format_list(void);

/* Called for each file of an export: its name in DIR, its format's name,
 * what it is for (all borrowed, for the call only). */
typedef void (*export_file_fn)(void *arg, const char *file, const char *format,
                               const char *what);

typedef struct export_release export_release;

/* A new, empty release for DIR (see above); DIR is checked first.
 * IAFQ_ERR_IO (what is wrong with DIR or its folder), IAFQ_ERR_NOMEM. */
iafq_err export_release_open(const char *dir, export_release **out,
                             iafq_error *err);
/* The release's folder (where files go until the switch).  Borrowed. */
const char *export_release_path(const export_release *r);
/* Write text and a final newline to the release's file name.  IAFQ_ERR_IO. */
iafq_err export_release_write_text(export_release *r, const char *name,
                                   const char *text, iafq_error *err);
/* fsync, switch DIR to the release, remove the leftovers.  IAFQ_ERR_IO
 * (DIR is then as it was). */
iafq_err export_release_commit(export_release *r, iafq_error *err);
/* Free r; a release never committed is removed.  Accepts NULL. */
void export_release_free(export_release *r);

/* Write the files of formats into release r from the latest aggregation
 * run of db (one snapshot; iafq_public when scope is EXPORT_PUBLIC),
 * calling on_file (may be NULL) after each; *run (may be NULL) receives
 * the run.  No run yet: IAFQ_ERR_USAGE "there is no aggregation run to
 * export".  IAFQ_ERR_DB, IAFQ_ERR_IO, IAFQ_ERR_XLSXW... from the writers
 * (err names the file). */
iafq_err export_write_files(db_conn *db, export_release *r, export_scope scope,
                            unsigned formats, export_file_fn on_file, void *arg,
                            exp_run *run, iafq_error *err);

/* Record in iafq.export_log that an export of scope to dir used run
 * (migration 0014; `iafq runs prune` keeps that run).  Outside the
 * export's snapshot, after its release is in place.  IAFQ_ERR_DB. */
iafq_err export_record(db_conn *db, long long run, export_scope scope,
                       const char *dir, iafq_error *err);

/* The whole export: open a release for dir, export_write_files, commit,
 * export_record (a failure to record is a warning: the export stays).
 * on_file is called for each file once DIR shows it (after the switch).
 * On failure DIR is as it was. */
iafq_err export_write_all(db_conn *db, const char *dir, export_scope scope,
                          unsigned formats, export_file_fn on_file, void *arg,
                          exp_run *run, iafq_error *err);

#endif
