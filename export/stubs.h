/*
 * stubs.h - TEMPORARY (branch x-core, until gswb and portal are merged):
 * the writers of the global study workbook (export/gswb.h) and of the
 * portal files (export/portal.h) are written on other branches.  Until a
 * header of theirs is present, this declares their functions with the
 * agreed signature and stubs.c defines weak stand-ins that fail with
 * IAFQ_ERR_INTERNAL "not built"; EXP_HAVE_GSWB / EXP_HAVE_PORTAL say
 * whether the real ones are there (cli/cmd_export.c skips a missing format
 * unless it was asked for by name).  Remove stubs.{c,h} at the merge.
 */
#ifndef IAFQ_EXP_STUBS_H
#define IAFQ_EXP_STUBS_H

#include "exp.h"

/* 1 once the real writer's header is in export/ (then stubs.c defines
 * nothing: the real function is linked). */
#if __has_include("gswb.h")
#define EXP_HAVE_GSWB 1
#else
#define EXP_HAVE_GSWB 0
#endif
#if __has_include("portal.h")
#define EXP_HAVE_PORTAL 1
#else
#define EXP_HAVE_PORTAL 0
#endif

/* The agreed signatures (the same as gswb.h and portal.h give). */
iafq_err gswb_write(const exp_ctx *ctx, const char *path, iafq_error *err);
iafq_err portal_write_csv(const exp_ctx *ctx, const char *path,
                          iafq_error *err);
iafq_err portal_write_xlsx(const exp_ctx *ctx, const char *path,
                           iafq_error *err);
iafq_err portal_write_json(const exp_ctx *ctx, const char *path,
                           iafq_error *err);

#endif
