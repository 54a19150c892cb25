/* Command lines: the global options and one message per mistake. */
#include "cli.h"
#include "log.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static const cli_global *cli_globals;
static size_t cli_nglobals;

/* The global option arg names (its "--name" or "-x"; "--name=VALUE"), or
 * NULL. */
static const cli_global *cli_global_named(const char *arg)
{
    for (size_t i = 0; i < cli_nglobals; i++) {
        const cli_global *g = &cli_globals[i];
        size_t n = strlen(g->long_name);
        if (!strncmp(arg, g->long_name, n) &&
            (arg[n] == '\0' || (arg[n] == '=' && g->value)))
            return g;
        if (g->short_name && !strcmp(arg, g->short_name))
            return g;
    }
    return NULL;
}

int cli_parse_globals(const cli_global *globals, size_t n, int argc,
                      char **argv, int *next)
{
    *next = argc;
    cli_globals = globals;
    cli_nglobals = n;
    int i = 1;
    for (; i < argc && argv[i][0] == '-' && strcmp(argv[i], "-"); i++) {
        const cli_global *g = cli_global_named(argv[i]);
        if (!g) {
            log_error(NULL, "see 'iafq --help'", "unknown option '%s'",
                      argv[i]);
            return EXIT_USAGE;
        }
        const char *value = NULL;
        if (g->value) {
            const char *eq = strchr(argv[i], '=');
            if (eq && !strncmp(argv[i], g->long_name, strlen(g->long_name)))
                value = eq + 1;
            else if (i + 1 < argc)
                value = argv[++i];
            else {
                log_error(NULL, "see 'iafq --help'",
                          "option '%s' needs a value (%s)", g->long_name,
                          g->value);
                return EXIT_USAGE;
            }
        }
        int rc = g->set(value);
        if (rc != CLI_GLOBAL_GO_ON)
            return rc;
    }
    *next = i;
    return CLI_GLOBAL_GO_ON;
}

int cli_misplaced_global(const char *command, int argc, char **argv)
{
    for (int i = 1; i < argc && strcmp(argv[i], "--"); i++) {
        const cli_global *g = cli_global_named(argv[i]);
        if (g && g->value) {
            cli_global_misplaced(command, g->long_name);
            return EXIT_USAGE;
        }
    }
    return EXIT_OK;
}

void cli_global_misplaced(const char *command, const char *name)
{
    const cli_global *g = cli_global_named(name);
    if (g && g->value)
        log_error(NULL, NULL,
                  "%s is a global option: put it before the command (iafq "
                  "%s %s %s ...)",
                  g->long_name, g->long_name, g->value, command);
    else
        log_error(NULL, NULL,
                  "%s is a global option: put it before the command (iafq "
                  "%s %s ...)",
                  g ? g->long_name : name, g ? g->long_name : name, command);
}

/* The long options of longopts that start with name[0..n). */
static int cli_long_matches(const struct option *longopts, const char *name,
                            size_t n, const struct option **first)
{
    int count = 0;
    *first = NULL;
    for (const struct option *o = longopts; o && o->name; o++) {
        if (strncmp(o->name, name, n))
            continue;
        if (strlen(o->name) == n) { /* exact: the one */
            *first = o;
            return 1;
        }
        if (!count++)
            *first = o;
    }
    return count;
}

/* The mistake getopt_long reported ('?' or ':') for argv[optind - 1], in
 * one line. */
static void cli_getopt_mistake(int c, int argc, char **argv,
                               const struct option *longopts,
                               const char *command)
{
    char hint[96];
    snprintf(hint, sizeof hint, "see 'iafq %s --help'", command);
    const char *tok = optind - 1 < argc && optind > 0 ? argv[optind - 1] : "";
    if (!strncmp(tok, "--", 2)) {
        const char *name = tok + 2;
        size_t n = strcspn(name, "=");
        const struct option *o;
        int m = cli_long_matches(longopts, name, n, &o);
        if (c == ':')
            log_error(NULL, hint, "option '--%.*s' needs a value",
                      o ? (int)strlen(o->name) : (int)n, o ? o->name : name);
        else if (m == 1 && name[n] == '=' && o->has_arg == no_argument)
            log_error(NULL, hint, "option '--%s' takes no value", o->name);
        else if (m > 1)
            log_error(NULL, hint, "option '--%.*s' is ambiguous", (int)n, name);
        else if (!m && cli_global_named(tok))
            cli_global_misplaced(command, tok);
        else
            log_error(NULL, hint, "unknown option '--%.*s'", (int)n, name);
        return;
    }
    char opt[3] = {'-', (char)optopt, '\0'};
    if (c == ':')
        log_error(NULL, hint, "option '%s' needs a value", opt);
    else if (cli_global_named(opt))
        cli_global_misplaced(command, opt);
    else
        log_error(NULL, hint, "unknown option '%s'", opt);
}

int cli_getopt(int argc, char **argv, const char *shortopts,
               const struct option *longopts, const char *command)
{
    char so[64] = ":";
    if (snprintf(so + 1, sizeof so - 1, "%s",
                 shortopts[0] == ':' ? shortopts + 1 : shortopts) >=
        (int)sizeof so - 1)
        return CLI_OPT_BAD;
    opterr = 0;
    int c = getopt_long(argc, argv, so, longopts, NULL);
    if (c == '?' || c == ':') {
        cli_getopt_mistake(c, argc, argv, longopts, command);
        return CLI_OPT_BAD;
    }
    return c;
}

int cli_usage(const char *command, const char *fmt, ...)
{
    char hint[96], msg[512];
    snprintf(hint, sizeof hint, "see 'iafq %s --help'", command);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    log_error(NULL, hint, "%s", msg);
    return EXIT_USAGE;
}
