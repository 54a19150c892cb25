/*
 * tmpl.h - the web page's templates (serve/pages/NAME.html, embedded at build
 * time): a small Mustache-like language whose every output is HTML-escaped.
 *
 *   {{t "English text"}}   the text in the page's language (i18n_tr); the
 *                          msgid is the English text, written once, here
 *   {{name}}               the value of name, HTML-escaped (& < > " ')
 *   {{#name}}...{{/name}}  name an array: the block once per item (the
 *                          item's fields first, then the enclosing ones);
 *                          anything else: the block once when name is
 *                          true, a non-empty string or a non-zero number
 *   {{^name}}...{{/name}}  the block when name is missing, false or empty
 *   {{> page}}             another template, in the same context
 *
 * There is no way to write a value unescaped.  Values come from a cJSON
 * object (strings, numbers, booleans, arrays of objects).
 *
 * Ownership: the context and page names are borrowed; output is appended
 * to the caller's sbuf.
 */
#ifndef IAFQ_TMPL_H
#define IAFQ_TMPL_H

#include "err.h"
#include "i18n.h"
#include "str.h"

#include <cjson/cJSON.h>
#include <stdio.h>

/* The text of the embedded page name ("home.html"), or NULL. */
const char *tmpl_page(const char *name);

/* Render page name with ctx in lang, appending to out.  IAFQ_ERR_INTERNAL
 * for a missing page or a malformed template (named in err), IAFQ_ERR_NOMEM
 * when out of memory. */
iafq_err tmpl_render(const char *name, const cJSON *ctx, i18n_lang lang,
                     sbuf *out, iafq_error *err);

/* Append s HTML-escaped to out; 0, or -1 when out of memory. */
int tmpl_escape(sbuf *out, const char *s);

/* Every msgid ({{t "..."}}) of every page, each once, one per line, in the
 * order first met (pages in name order), to out; 0, or -1 on a write
 * error or a malformed page. */
int tmpl_list_msgids(FILE *out);

#endif
