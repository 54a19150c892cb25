/*
 * i18n.h - the questionnaire's three languages (English, French, Spanish)
 * for every text a focal point reads: pages of `iafq serve`, finding
 * messages, the feedback workbook, `iafq check --lang`.
 *
 * Contract: English msgids are the source text; i18n_tr() returns the
 * translation of msgid in lang, or msgid itself when there is none (and
 * always for I18N_EN).  Thread-safe: the language is an argument, never a
 * process-wide locale, so that a server thread per request may use its own.
 * Returned strings are static (owned by the catalog, never freed).
 *
 * The catalogs are po/fr.po and po/es.po, compiled by msgfmt at build time
 * and embedded in the binary: no file under /usr/share/locale, no system
 * locale, no setlocale() (docs/decisions.md, "Languages").
 */
#ifndef IAFQ_I18N_H
#define IAFQ_I18N_H

typedef enum { I18N_EN = 0, I18N_FR, I18N_ES, I18N_COUNT } i18n_lang;

/* "en", "fr", "es" (a region suffix such as "fr-CA" is accepted, case
 * ignored); -1 for anything else. */
int i18n_parse(const char *s);
/* The best of the three for an HTTP Accept-Language header (q-values
 * honoured); I18N_EN when none fits or s is NULL. */
i18n_lang i18n_from_accept(const char *accept_language);
/* "en", "fr", "es"; clamps. */
const char *i18n_code(i18n_lang l);
/* The translation of msgid in l (see above). */
const char *i18n_tr(i18n_lang l, const char *msgid);
/* The form for n of a message with a plural (English: singular when n is
 * 1, else plural; French: singular for 0 and 1; Spanish: singular for 1). */
const char *i18n_trn(i18n_lang l, const char *singular, const char *plural,
                     unsigned long long n);

/* Marks a msgid translated later (a table of texts, a format kept for each
 * language): the text itself.  tests/i18n extracts N_(), i18n_tr(),
 * i18n_trn() and the finding functions' formats into po/iafq.pot. */
#define N_(s) (s)

#endif
