/* TEMPORARY stand-ins for the writers of other branches: see stubs.h. */
#include "stubs.h"

static iafq_err _not_built(const char *what, iafq_error *err)
{
    return iafq_error_set(err, IAFQ_ERR_INTERNAL,
                          "%s: not built in this version", what);
}

#if !EXP_HAVE_GSWB
__attribute__((weak)) iafq_err gswb_write(const exp_ctx *ctx,
                                          const char *path, iafq_error *err)
{
    (void)ctx, (void)path;
    return _not_built("the global study workbook", err);
}
#endif

#if !EXP_HAVE_PORTAL
__attribute__((weak)) iafq_err
portal_write_csv(const exp_ctx *ctx, const char *path, iafq_error *err)
{
    (void)ctx, (void)path;
    return _not_built("the portal long file (CSV)", err);
}

__attribute__((weak)) iafq_err
portal_write_xlsx(const exp_ctx *ctx, const char *path, iafq_error *err)
{
    (void)ctx, (void)path;
    return _not_built("the portal long file (xlsx)", err);
}

__attribute__((weak)) iafq_err
portal_write_json(const exp_ctx *ctx, const char *path, iafq_error *err)
{
    (void)ctx, (void)path;
    return _not_built("the portal JSON", err);
}
#endif
