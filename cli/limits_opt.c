/* The input-limit options every reading command takes. */
#include "cli.h"
#include "log.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

enum {
    OPT_MAX_FILE = CLI_LIMIT_OPT_BASE,
    OPT_MAX_ENTRY,
    OPT_MAX_RATIO,
    OPT_MAX_CELLS,
    OPT_MAX_ROWS,
    OPT_MAX_COLS,
    OPT_MAX_FINDINGS,
};

const struct option cli_limit_options[] = {
    {"max-file-size", required_argument, NULL, OPT_MAX_FILE},
    {"max-entry-size", required_argument, NULL, OPT_MAX_ENTRY},
    {"max-ratio", required_argument, NULL, OPT_MAX_RATIO},
    {"max-cells", required_argument, NULL, OPT_MAX_CELLS},
    {"max-rows", required_argument, NULL, OPT_MAX_ROWS},
    {"max-cols", required_argument, NULL, OPT_MAX_COLS},
    {"max-findings", required_argument, NULL, OPT_MAX_FINDINGS},
    {NULL, 0, NULL, 0},
};

const char cli_limit_help[] =
    "limits on untrusted input (sizes take K, M, G suffixes):\n"
    "  --max-file-size N   size of an input file (default 512M)\n"
    "  --max-entry-size N  inflated size of one zip entry (default 2G)\n"
    "  --max-ratio N       inflated:compressed ratio of a zip entry (100)\n"
    "  --max-cells N       cells in one return (50000000)\n"
    "  --max-rows N        rows in one sheet (1048576)\n"
    "  --max-cols N        columns in one sheet (1024)\n"
    "  --max-findings N    findings listed per return (10000; counts stay "
    "exact)\n";

static int _parse(const char *arg, uint64_t *out)
{
    errno = 0;
    char *end;
    unsigned long long v = strtoull(arg, &end, 10);
    if (errno || end == arg || arg[0] == '-')
        return -1;
    unsigned shift = 0;
    switch (*end) {
    case 'k':
    case 'K':
        shift = 10;
        end++;
        break;
    case 'm':
    case 'M':
        shift = 20;
        end++;
        break;
    case 'g':
    case 'G':
        shift = 30;
        end++;
        break;
    default:
        break;
    }
    if (*end || v > (UINT64_MAX >> shift) || v == 0)
        return -1;
    *out = (uint64_t)v << shift;
    return 0;
}

int cli_limit_option(int opt, const char *arg, iafq_limits *lim)
{
    uint64_t v;
    if (_parse(arg, &v)) {
        log_error(NULL, "give a positive whole number, e.g. 100 or 64M",
                  "bad limit value '%s'", arg);
        return -1;
    }
    uint32_t v32 = v > UINT32_MAX ? UINT32_MAX : (uint32_t)v;
    switch (opt) {
    case OPT_MAX_FILE:
        lim->max_file_bytes = v;
        break;
    case OPT_MAX_ENTRY:
        lim->max_entry_bytes = v;
        break;
    case OPT_MAX_RATIO:
        lim->max_ratio = v32;
        break;
    case OPT_MAX_CELLS:
        lim->max_cells = v;
        break;
    case OPT_MAX_ROWS:
        lim->max_rows = v32;
        break;
    case OPT_MAX_COLS:
        lim->max_cols = v32 > 16384 ? 16384 : v32;
        break;
    case OPT_MAX_FINDINGS:
        lim->max_findings = v32;
        break;
    default:
        return -1;
    }
    return 0;
}

int cli_options_with_limits(const struct option *own, size_t n,
                            struct option *out, size_t cap)
{
    size_t nlim = 0;
    while (cli_limit_options[nlim].name)
        nlim++;
    if (n + nlim + 1 > cap)
        return -1;
    memcpy(out, own, n * sizeof *own);
    memcpy(out + n, cli_limit_options, (nlim + 1) * sizeof *out);
    return 0;
}

int cli_other_option(int opt, const char *arg, iafq_limits *lim,
                     const char *command)
{
    if (opt >= CLI_LIMIT_OPT_BASE)
        return cli_limit_option(opt, arg, lim) ? EXIT_USAGE : EXIT_OK;
    if (opt == CLI_OPT_BAD)
        return EXIT_USAGE; /* logged by cli_getopt */
    const char *tok = cli_current_arg();
    if (opt == ':')
        return cli_usage(command, "option '%s' needs a value", tok);
    return cli_usage(command, "unknown option '%s', or it needs a value", tok);
}

int cli_format_option(const char *arg)
{
    if (!strcmp(arg, "json"))
        return 1;
    if (!strcmp(arg, "text"))
        return 0;
    log_error(NULL, "use --format text or --format json", "unknown format '%s'",
              arg);
    return -1;
}
