/*
 * sdmx.h - SDG indicator 16.4.2 as SDMX-CSV for the UN Global SDG Database
 * (IAFQ-SPEC 6.5): series VC_ARM_SZTRACE of dataflow
 * IAEG-SDGs:DF_SDG_GLH(1.24), SDMX-CSV 1.0 (RFC 4180, CRLF, UTF-8).
 *
 * One row per area and year of ctx->schema's sdg_16_4_2 (countries,
 * regions, sub-regions, SDG regions, the world), read by
 * q/export_sdmx.sql: REF_AREA the M49 code without leading zeros, a code
 * that is both a sub-region and an SDG region (202, 419, 053) once, so that
 * every REF_AREA and TIME_PERIOD pair is unique; OBS_VALUE with 2 decimals
 * (rounded in SQL, half away from zero); NATURE C for a country, G for an
 * area, with COMMENT_OBS "based on N countries"; DATA_LAST_UPDATE the
 * time the aggregation run finished (ISO 8601 UTC).  Rows by REF_AREA
 * (numerically), then year.
 *
 * Ownership: everything is borrowed.
 */
#ifndef IAFQ_SDMX_H
#define IAFQ_SDMX_H

#include "exp.h"

#include <stddef.h>

/* The M49 code as the SDG database writes it: code without its leading
 * zeros ("076" -> "76", "001" -> "1", "000" -> "0") into out (size cap). */
void sdmx_ref_area(const char *code, char *out, size_t cap);

/* Write the file at path.  IAFQ_ERR_IO, IAFQ_ERR_DB. */
iafq_err sdmx_write(const exp_ctx *ctx, const char *path, iafq_error *err);

#endif
