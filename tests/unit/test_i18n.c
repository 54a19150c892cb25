/*
 * test_i18n.c - the languages (common/i18n.c, the finding messages of
 * common/finding.c): lookups in the embedded catalogs, plural forms,
 * language tags, every finding formed in the three languages and kept so
 * through copies, and lookups from many threads at once (no locale, no
 * shared state).
 */
#include "testutil.h"

#include "finding.h"
#include "i18n.h"
#include "report.h"

#include <cjson/cJSON.h>
#include <pthread.h>
#include <string.h>

#define NOT_INT                                                                \
    "%s is not a whole number: counts of arms, parts, rounds, cases and "      \
    "persons are whole numbers"

static void test_lookup(void)
{
    CU_ASSERT_STRING_EQUAL(i18n_tr(I18N_FR, "Findings"), "Constats");
    CU_ASSERT_STRING_EQUAL(i18n_tr(I18N_ES, "Findings"), "Observaciones");
    const char *id = "Findings";
    CU_ASSERT_PTR_EQUAL(i18n_tr(I18N_EN, id), id); /* English: the msgid */
    const char *unknown = "no such message in any catalog";
    CU_ASSERT_PTR_EQUAL(i18n_tr(I18N_FR, unknown), unknown);
    CU_ASSERT_PTR_EQUAL(i18n_tr(I18N_ES, unknown), unknown);
    CU_ASSERT_STRING_EQUAL(i18n_tr(I18N_FR, ""), ""); /* not the header */
    CU_ASSERT_PTR_NULL(i18n_tr(I18N_FR, NULL));
    CU_ASSERT_STRING_EQUAL(i18n_tr(I18N_FR, "the file is empty"),
                           "le fichier est vide");
    /* the first and the last of the sorted table are found too */
    CU_ASSERT_STRING_EQUAL(i18n_tr(I18N_ES, "valid"), "v\xC3\xA1lido");
    CU_ASSERT_STRING_EQUAL(i18n_tr(I18N_FR, "%s %s %s is %lld but its "
                                            "components add up to %lld (less "
                                            "than the total)"),
                           "%s %s %s vaut %lld mais ses composantes "
                           "totalisent %lld (moins que le total)");
    CU_ASSERT_STRING_EQUAL(i18n_tr((i18n_lang)7, "Findings"), "Findings");
}

static void test_plural(void)
{
    const char *s = "%zu error", *p = "%zu errors";
    CU_ASSERT_PTR_EQUAL(i18n_trn(I18N_EN, s, p, 1), s);
    CU_ASSERT_PTR_EQUAL(i18n_trn(I18N_EN, s, p, 0), p);
    CU_ASSERT_PTR_EQUAL(i18n_trn(I18N_EN, s, p, 2), p);
    /* French: 0 and 1 singular */
    CU_ASSERT_STRING_EQUAL(i18n_trn(I18N_FR, s, p, 0), "%zu erreur");
    CU_ASSERT_STRING_EQUAL(i18n_trn(I18N_FR, s, p, 1), "%zu erreur");
    CU_ASSERT_STRING_EQUAL(i18n_trn(I18N_FR, s, p, 2), "%zu erreurs");
    /* Spanish: 1 singular */
    CU_ASSERT_STRING_EQUAL(i18n_trn(I18N_ES, s, p, 0), "%zu errores");
    CU_ASSERT_STRING_EQUAL(i18n_trn(I18N_ES, s, p, 1), "%zu error");
    CU_ASSERT_STRING_EQUAL(i18n_trn(I18N_ES, s, p, 5), "%zu errores");
    /* none in the catalog: the English forms */
    CU_ASSERT_PTR_EQUAL(i18n_trn(I18N_FR, "%zu cat", "%zu cats", 3),
                        "%zu cats");
    /* a message without plural forms asked for its plural: its text */
    CU_ASSERT_STRING_EQUAL(i18n_trn(I18N_FR, "Findings", "x", 3), "Constats");
}

static void test_tags(void)
{
    CU_ASSERT_EQUAL(i18n_parse("fr"), I18N_FR);
    CU_ASSERT_EQUAL(i18n_parse("ES"), I18N_ES);
    CU_ASSERT_EQUAL(i18n_parse("fr-CA"), I18N_FR);
    CU_ASSERT_EQUAL(i18n_parse("en_GB"), I18N_EN);
    CU_ASSERT_EQUAL(i18n_parse("de"), -1);
    CU_ASSERT_EQUAL(i18n_parse("fra"), -1);
    CU_ASSERT_EQUAL(i18n_parse(NULL), -1);
    CU_ASSERT_EQUAL(i18n_from_accept("de-DE, es;q=0.8, fr;q=0.9"), I18N_FR);
    CU_ASSERT_EQUAL(i18n_from_accept("es-MX,es;q=0.9,en;q=0.5"), I18N_ES);
    CU_ASSERT_EQUAL(i18n_from_accept("de, it"), I18N_EN);
    CU_ASSERT_EQUAL(i18n_from_accept(NULL), I18N_EN);
    CU_ASSERT_STRING_EQUAL(i18n_code(I18N_ES), "es");
    CU_ASSERT_STRING_EQUAL(i18n_code((i18n_lang)9), "en");
}

static void test_findings(void)
{
    finding_list l, m;
    findings_init(&l, 0, false);
    findings_init(&m, 0, false);
    CU_ASSERT_EQUAL(findings_add(&l, F_E_NOT_INTEGER, "T1", 5, 2, "PISTOL",
                                 "SEIZED", "2.5", NOT_INT, "2.5"),
                    0);
    CU_ASSERT_EQUAL(findings_add(&l, F_E_FILE, "x", 0, -1, NULL, NULL, NULL,
                                 "a text in no catalog %d", 7),
                    0);
    CU_ASSERT_EQUAL(findings_add_text(&l, F_E_FILE, "x", 0, -1, NULL, NULL,
                                      NULL, "the file is empty"),
                    0);
    const finding *f = &l.v[0];
    CU_ASSERT_STRING_EQUAL(finding_message(f, I18N_EN),
                           "2.5 is not a whole number: counts of arms, parts, "
                           "rounds, cases and persons are whole numbers");
    CU_ASSERT_PTR_EQUAL(finding_message(f, I18N_EN), f->message);
    CU_ASSERT_STRING_EQUAL(finding_message(f, I18N_FR),
                           "2.5 n'est pas un nombre entier : les nombres "
                           "d'armes, de pi\xC3\xA8"
                           "ces, de cartouches, de cas et de personnes sont "
                           "des nombres entiers");
    CU_ASSERT_PTR_NOT_NULL(strstr(finding_message(f, I18N_ES),
                                  "2.5 no es un n\xC3\xBAmero entero"));
    /* no translation: the English message, nothing stored twice */
    CU_ASSERT_PTR_NULL(l.v[1].message_l10n[I18N_FR]);
    CU_ASSERT_STRING_EQUAL(finding_message(&l.v[1], I18N_FR),
                           "a text in no catalog 7");
    CU_ASSERT_STRING_EQUAL(finding_message(&l.v[2], I18N_ES),
                           "el archivo est\xC3\xA1 vac\xC3\xADo");
    /* a copy keeps every language */
    CU_ASSERT_EQUAL(findings_merge(&m, &l), 0);
    CU_ASSERT_EQUAL(m.n, 3);
    for (int k = 0; k < I18N_COUNT; k++)
        CU_ASSERT_STRING_EQUAL(finding_message(&m.v[0], (i18n_lang)k),
                               finding_message(f, (i18n_lang)k));
    CU_ASSERT_STRING_EQUAL(finding_code_str(m.v[0].code), "E-NOT-INTEGER");

    /* the stored report: "message" in English and every language below */
    iafq_return r;
    memset(&r, 0, sizeof r);
    r.findings = l;
    iafq_return *one[1] = {&r};
    cJSON *doc = report_json_value_lang(one, 1, 0, I18N_EN, 1);
    CU_ASSERT_PTR_NOT_NULL_FATAL(doc);
    cJSON *j = cJSON_GetArrayItem(cJSON_GetObjectItem(doc, "findings"), 0);
    cJSON *ms = cJSON_GetObjectItem(j, "messages");
    CU_ASSERT_STRING_EQUAL(cJSON_GetObjectItem(j, "message")->valuestring,
                           f->message);
    CU_ASSERT_STRING_EQUAL(cJSON_GetObjectItem(ms, "fr")->valuestring,
                           finding_message(f, I18N_FR));
    CU_ASSERT_STRING_EQUAL(cJSON_GetObjectItem(ms, "es")->valuestring,
                           finding_message(f, I18N_ES));
    cJSON_Delete(doc);
    /* the report of `check --lang es`: "message" in Spanish, nothing else */
    doc = report_json_value_lang(one, 1, 0, I18N_ES, 0);
    CU_ASSERT_PTR_NOT_NULL_FATAL(doc);
    j = cJSON_GetArrayItem(cJSON_GetObjectItem(doc, "findings"), 0);
    CU_ASSERT_STRING_EQUAL(cJSON_GetObjectItem(j, "message")->valuestring,
                           finding_message(f, I18N_ES));
    CU_ASSERT_PTR_NULL(cJSON_GetObjectItem(j, "messages"));
    cJSON_Delete(doc);
    findings_free(&l);
    findings_free(&m);
}

/* Lookups from several threads, each in its own language, at once. */
static void *lookups(void *arg)
{
    i18n_lang lang = (i18n_lang)(size_t)arg;
    const char *want = lang == I18N_FR   ? "Constats"
                       : lang == I18N_ES ? "Observaciones"
                                         : "Findings";
    size_t bad = 0;
    for (int i = 0; i < 20000; i++)
        bad += strcmp(i18n_tr(lang, "Findings"), want) != 0;
    return (void *)bad;
}

static void test_threads(void)
{
    pthread_t t[6];
    for (size_t i = 0; i < 6; i++)
        CU_ASSERT_EQUAL_FATAL(
            pthread_create(&t[i], NULL, lookups, (void *)(i % I18N_COUNT)), 0);
    for (size_t i = 0; i < 6; i++) {
        void *bad = NULL;
        pthread_join(t[i], &bad);
        CU_ASSERT_PTR_NULL(bad);
    }
}

static const tu_test tests[] = {
    {"lookups in the embedded catalogs", test_lookup},
    {"plural forms", test_plural},
    {"language tags and Accept-Language", test_tags},
    {"findings in every language", test_findings},
    {"lookups from many threads at once", test_threads},
    {NULL, NULL}};
static const tu_suite suites[] = {{"i18n", tests}, {NULL, NULL}};

int main(void)
{
    return tu_run("i18n", suites);
}
