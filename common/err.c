#include "err.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>

static const char *const _err_strings[IAFQ_ERR_COUNT] = {
    [IAFQ_OK] = "success",
    [IAFQ_ERR_NOMEM] = "out of memory",
    [IAFQ_ERR_USAGE] = "usage error",
    [IAFQ_ERR_IO] = "input/output error",
    [IAFQ_ERR_FORMAT] = "not a readable return",
    [IAFQ_ERR_LIMIT] = "input exceeds a safety limit",
    [IAFQ_ERR_ZIP] = "zip archive error",
    [IAFQ_ERR_XML] = "XML error",
    [IAFQ_ERR_CSV] = "CSV error",
    [IAFQ_ERR_ENCODING] = "text encoding error",
    [IAFQ_ERR_XLSXW] = "workbook writer error",
    [IAFQ_ERR_JSON] = "JSON error",
    [IAFQ_ERR_DB] = "database error",
    [IAFQ_ERR_ABORTED] = "aborted",
    [IAFQ_ERR_INTERNAL] = "internal error",
};

const char *iafq_strerror(iafq_err code)
{
    if ((int)code < 0 || code >= IAFQ_ERR_COUNT)
        return "unknown error";
    return _err_strings[code];
}

iafq_err iafq_error_set(iafq_error *e, iafq_err code, const char *fmt, ...)
{
    if (e) {
        e->code = code;
        e->msg[0] = '\0';
        if (fmt) {
            va_list ap;
            va_start(ap, fmt);
            vsnprintf(e->msg, sizeof e->msg, fmt, ap);
            va_end(ap);
        }
    }
    return code;
}

void iafq_error_clear(iafq_error *e)
{
    if (e) {
        e->code = IAFQ_OK;
        e->msg[0] = '\0';
    }
}

int iafq_err_is_input(iafq_err code)
{
    switch (code) {
    case IAFQ_ERR_FORMAT:
    case IAFQ_ERR_LIMIT:
    case IAFQ_ERR_ZIP:
    case IAFQ_ERR_XML:
    case IAFQ_ERR_CSV:
    case IAFQ_ERR_ENCODING:
        return 1;
    default:
        return 0;
    }
}

iafq_err iafq_err_open(int errnum)
{
    return errnum == ENOMEM ? IAFQ_ERR_NOMEM : IAFQ_ERR_IO;
}
