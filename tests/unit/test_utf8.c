/*
 * test_utf8.c - the UTF-8 module (common/utf8.c) and the outputs built on it
 * (findings, the JSON and text reports, the log) fed with hostile strings:
 * invalid bytes, every C0 control, DEL, C1 controls, U+FFFE/U+FFFF, a
 * CESU-encoded surrogate, bidi overrides, Cyrillic, Arabic and emoji.
 */
#include "testutil.h"

#include "finding.h"
#include "log.h"
#include "report.h"
#include "str.h"
#include "utf8.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define EMOJI "\xF0\x9F\x98\x80"                      /* U+1F600 */
#define RU "\xD0\x9C\xD0\xB8\xD1\x80"                 /* Мир */
#define AR "\xD9\x88\xD8\xB2\xD8\xA7\xD8\xB1\xD8\xA9" /* وزارة */
#define CESU "\xED\xA0\x80"                           /* U+D800 as UTF-8 */

/* Every hostile thing in one string (no NUL: C strings cannot hold it). */
static const char *hostile(void)
{
    static char buf[256];
    if (!buf[0]) {
        size_t k = 0;
        k += (size_t)snprintf(buf + k, sizeof buf - k, "c0[");
        for (int c = 1; c < 32; c++)
            buf[k++] = (char)c;
        snprintf(buf + k, sizeof buf - k,
                 "]del[\x7F]c1[\xC2\x85\xC2\x9B]nc[\xEF\xBF\xBE\xEF\xBF\xBF]"
                 "bidi[\xE2\x80\xAE]inv[\xFF\xFE\xC3(]cesu[" CESU "]ru[" RU
                 "]ar[" AR "]e[" EMOJI "]cut[\xF0\x9F\x98");
    }
    return buf;
}

/* Whether s holds a raw control character (C0 but the allowed ones, DEL,
 * C1) or a bidi override; s must be valid UTF-8. */
static int has_raw_control(const char *s, size_t n, const char *allowed)
{
    for (size_t i = 0; i < n;) {
        uint32_t cp;
        size_t k = utf8_decode(s + i, n - i, &cp);
        if (k == 0)
            return 1;
        if ((cp < 0x20 && !strchr(allowed, (int)cp)) || cp == 0x7F ||
            (cp >= 0x80 && cp <= 0x9F) || (cp >= 0x202A && cp <= 0x202E))
            return 1;
        i += k;
    }
    return 0;
}

static void test_decode(void)
{
    uint32_t cp;
    CU_ASSERT_EQUAL(utf8_decode("A", 1, &cp), 1);
    CU_ASSERT_EQUAL(cp, 'A');
    CU_ASSERT_EQUAL(utf8_decode(RU, 2, &cp), 2);
    CU_ASSERT_EQUAL(cp, 0x41C);
    CU_ASSERT_EQUAL(utf8_decode(EMOJI, 4, &cp), 4);
    CU_ASSERT_EQUAL(cp, 0x1F600);
    CU_ASSERT_EQUAL(utf8_decode(EMOJI, 3, &cp), 0); /* cut */
    CU_ASSERT_EQUAL(cp, UTF8_REPLACEMENT);
    CU_ASSERT_EQUAL(utf8_decode(CESU, 3, &cp), 0);               /* surrogate */
    CU_ASSERT_EQUAL(utf8_decode("\xC0\x80", 2, &cp), 0);         /* overlong */
    CU_ASSERT_EQUAL(utf8_decode("\xF4\x90\x80\x80", 4, &cp), 0); /* >10FFFF */
    CU_ASSERT_EQUAL(utf8_decode("\xEF\xBF\xBE", 3, &cp), 3);     /* U+FFFE */
    CU_ASSERT_EQUAL(cp, 0xFFFE);
    char out[4];
    CU_ASSERT_EQUAL(utf8_encode(0x1F600, out), 4);
    CU_ASSERT_EQUAL(memcmp(out, EMOJI, 4), 0);
    CU_ASSERT_EQUAL(utf8_encode(0xD800, out), 3); /* becomes U+FFFD */
    CU_ASSERT_EQUAL(memcmp(out, "\xEF\xBF\xBD", 3), 0);
}

static void test_valid_len(void)
{
    CU_ASSERT_TRUE(utf8_valid(RU AR EMOJI, strlen(RU AR EMOJI)));
    CU_ASSERT_FALSE(utf8_valid(CESU, 3));
    CU_ASSERT_FALSE(utf8_valid("a\xFF", 2));
    CU_ASSERT_FALSE(utf8_valid(EMOJI, 3));
    CU_ASSERT_EQUAL(utf8_len(RU, strlen(RU)), 3);
    CU_ASSERT_EQUAL(utf8_len(AR, strlen(AR)), 5);
    CU_ASSERT_EQUAL(utf8_len(EMOJI EMOJI, 8), 2);
    CU_ASSERT_EQUAL(utf8_len("a\xFF"
                             "b",
                             3),
                    3); /* an invalid byte: one */
    CU_ASSERT_EQUAL(utf8_len(CESU, 3), 3);
}

static void test_prefix(void)
{
    /* 1,000 characters of 4 bytes each: 4,000 bytes */
    char big[4 * 1001 + 1];
    for (int i = 0; i < 1001; i++)
        memcpy(big + 4 * i, EMOJI, 4);
    big[4 * 1001] = '\0';
    CU_ASSERT_EQUAL(utf8_prefix(big, 4 * 1001, 1000, (size_t)-1), 4000);
    CU_ASSERT_EQUAL(utf8_prefix(big, 4 * 1001, 1000, 1003), 1000);
    CU_ASSERT_EQUAL(utf8_prefix(big, 4 * 1001, 2, 9), 8);
    CU_ASSERT_EQUAL(utf8_prefix("a" RU, 7, 3, 4), 3); /* not inside М */
    /* what snprintf leaves when it cuts an emoji */
    CU_ASSERT_EQUAL(utf8_partial_tail("ab\xF0\x9F\x98", 5), 3);
    CU_ASSERT_EQUAL(utf8_partial_tail("ab\xF0", 3), 1);
    CU_ASSERT_EQUAL(utf8_partial_tail("ab" EMOJI, 6), 0);
    CU_ASSERT_EQUAL(utf8_partial_tail("ab", 2), 0);
    CU_ASSERT_EQUAL(utf8_partial_tail("\x98\x98\x98\x98", 4), 0);
}

static void test_make_valid(void)
{
    /* one U+FFFD per invalid byte: the cut emoji at the end is three */
    char *v = utf8_make_valid("a\xFF"
                              "b" CESU "c" EMOJI,
                              10);
    CU_ASSERT_PTR_NOT_NULL_FATAL(v);
#define FFFD "\xEF\xBF\xBD"
    CU_ASSERT_STRING_EQUAL(v, "a" FFFD "b" FFFD FFFD FFFD "c" FFFD FFFD FFFD);
    free(v);
    const char *h = hostile();
    v = utf8_make_valid(h, strlen(h));
    CU_ASSERT_TRUE(utf8_valid(v, strlen(v)));
    free(v);
    v = utf8_valid_prefix("x" EMOJI EMOJI, 9, 2);
    CU_ASSERT_STRING_EQUAL(v, "x" EMOJI);
    free(v);
}

static void test_escape_text(void)
{
    const char *h = hostile();
    sbuf b = SBUF_INIT;
    CU_ASSERT_EQUAL(utf8_escape_text(&b, h, strlen(h)), 0);
    CU_ASSERT_TRUE(utf8_valid(b.buf, b.len));
    CU_ASSERT_FALSE(has_raw_control(b.buf, b.len, ""));
    CU_ASSERT_PTR_NOT_NULL(strstr(b.buf, "c0[\\x01\\x02"));
    CU_ASSERT_PTR_NOT_NULL(strstr(b.buf, "\\x08\\t\\n\\x0B\\x0C\\r\\x0E"));
    CU_ASSERT_PTR_NOT_NULL(strstr(b.buf, "del[\\x7F]c1[\\u0085\\u009B]"));
    CU_ASSERT_PTR_NOT_NULL(strstr(b.buf, "bidi[\\u202E]"));
    CU_ASSERT_PTR_NOT_NULL(strstr(b.buf, "inv[\\xFF\\xFE\\xC3(]"));
    CU_ASSERT_PTR_NOT_NULL(strstr(b.buf, "cesu[\\xED\\xA0\\x80]"));
    CU_ASSERT_PTR_NOT_NULL(strstr(b.buf, "ru[" RU "]ar[" AR "]e[" EMOJI "]"));
    CU_ASSERT_PTR_NOT_NULL(strstr(b.buf, "cut[\\xF0\\x9F\\x98"));
    /* the FILE form writes the same bytes */
    char *mem = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&mem, &len);
    CU_ASSERT_EQUAL(utf8_fput_text(f, h, strlen(h)), 0);
    fclose(f);
    CU_ASSERT_EQUAL(len, b.len);
    CU_ASSERT_EQUAL(memcmp(mem, b.buf, len), 0);
    free(mem);
    sbuf_release(&b);
}

static void test_escape_json(void)
{
    /* as a filter over serialised JSON, structure stays */
    const char *doc = "{\n\t\"a\":\t\"x\x7F\xC2\x85\xE2\x80\xA8\xFF\"\n}";
    sbuf b = SBUF_INIT;
    CU_ASSERT_EQUAL(utf8_escape_json(&b, doc, strlen(doc)), 0);
    CU_ASSERT_STRING_EQUAL(b.buf,
                           "{\n\t\"a\":\t\"x\\u007f\\u0085\\u2028\\ufffd\"\n}");
    cJSON *j = cJSON_Parse(b.buf);
    CU_ASSERT_PTR_NOT_NULL(j);
    cJSON_Delete(j);
    sbuf_release(&b);
}

static void test_xml_text(void)
{
    sbuf b = SBUF_INIT;
    const char *in = "a\x01\tb\r\nc\x7F\xEF\xBF\xBE\xFF_x0041_ " EMOJI;
    CU_ASSERT_EQUAL(utf8_xml_text(&b, in, strlen(in), 1, (size_t)-1), 0);
    CU_ASSERT_STRING_EQUAL(b.buf, "a_x0001_\tb_x000D_\nc\x7F_xFFFE_"
                                  "\xEF\xBF\xBD_x005F_x0041_ " EMOJI);
    sbuf_reset(&b);
    CU_ASSERT_EQUAL(utf8_xml_text(&b, in, strlen(in), 0, (size_t)-1), 0);
    CU_ASSERT_STRING_EQUAL(b.buf, "a\xEF\xBF\xBD\tb\r\nc\x7F\xEF\xBF\xBD"
                                  "\xEF\xBF\xBD_x0041_ " EMOJI);
    /* the limit counts the characters written, escapes included */
    sbuf_reset(&b);
    CU_ASSERT_EQUAL(utf8_xml_text(&b, "\x01\x01\x01", 3, 1, 15), 0);
    CU_ASSERT_STRING_EQUAL(b.buf, "_x0001__x0001_");
    sbuf_reset(&b);
    CU_ASSERT_EQUAL(utf8_xml_text(&b, EMOJI EMOJI, 8, 1, 1), 0);
    CU_ASSERT_STRING_EQUAL(b.buf, EMOJI);
    CU_ASSERT_TRUE(utf8_xml_char('\t'));
    CU_ASSERT_FALSE(utf8_xml_char(0x1B));
    CU_ASSERT_FALSE(utf8_xml_char(0xFFFE));
    CU_ASSERT_FALSE(utf8_xml_char(0xD800));
    CU_ASSERT_TRUE(utf8_xml_char(0x1F600));
    sbuf_release(&b);
}

/* ------------------------------------------- outputs built on the module */

static iafq_return *hostile_return(void)
{
    const char *h = hostile();
    iafq_return *r = ret_new(h, RET_SRC_XLSX, 0, false); /* as a file name */
    CU_ASSERT_PTR_NOT_NULL_FATAL(r);
    findings_add(&r->findings, F_E_NOT_NUMBER, h, 4, 2, h, h, h, "'%s' x", h);
    findings_add(&r->findings, F_E_SHEET_MISSING, "T8", 0, -1, NULL, NULL, NULL,
                 "missing %s", h);
    /* a message cut at its limit inside an emoji */
    char big[1300];
    memset(big, 'a', sizeof big);
    for (size_t i = 1; i + 4 < sizeof big; i += 4)
        memcpy(big + i, EMOJI, 4);
    big[sizeof big - 1] = '\0';
    findings_add(&r->findings, F_E_TEXT_LONG, "T11", 5, 3, NULL, NULL, NULL,
                 "%s", big);
    return r;
}

static void test_findings_valid(void)
{
    iafq_return *r = hostile_return();
    for (size_t i = 0; i < r->findings.n; i++) {
        const finding *f = &r->findings.v[i];
        const char *s[] = {f->sheet, f->rowcode, f->colcode, f->value,
                           f->message};
        for (int k = 0; k < 5; k++)
            CU_ASSERT_TRUE(!s[k] || utf8_valid(s[k], strlen(s[k])));
    }
    /* the cut message ends on a whole emoji, not a U+FFFD */
    const char *m = r->findings.v[2].message;
    size_t n = strlen(m);
    CU_ASSERT_TRUE(n > 1000);
    CU_ASSERT_EQUAL(memcmp(m + n - 4, EMOJI, 4), 0);
    /* control characters are kept: each output escapes them */
    CU_ASSERT_PTR_NOT_NULL(strchr(r->findings.v[0].value, '\x07'));
    ret_free(r);
}

static void test_report_json_hostile(void)
{
    iafq_return *r = hostile_return();
    cJSON *doc = report_json_value(&r, 1, 0);
    CU_ASSERT_PTR_NOT_NULL_FATAL(doc);
    /* a value: its strings are valid UTF-8 (ready for a JSONB column) */
    const char *file = cJSON_GetStringValue(cJSON_GetObjectItem(doc, "file"));
    CU_ASSERT_PTR_NOT_NULL_FATAL(file);
    CU_ASSERT_TRUE(utf8_valid(file, strlen(file)));
    CU_ASSERT_PTR_NOT_NULL(strstr(file, "inv[\xEF\xBF\xBD\xEF\xBF\xBD"));
    char *mem = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&mem, &len);
    iafq_error err;
    CU_ASSERT_EQUAL(report_json_write(f, doc, &err), IAFQ_OK);
    fclose(f);
    CU_ASSERT_TRUE(utf8_valid(mem, len));
    CU_ASSERT_FALSE(has_raw_control(mem, len, "\t\n"));
    cJSON *back = cJSON_Parse(mem);
    CU_ASSERT_PTR_NOT_NULL_FATAL(back);
    cJSON *f0 = cJSON_GetArrayItem(cJSON_GetObjectItem(back, "findings"), 0);
    const char *value = cJSON_GetStringValue(cJSON_GetObjectItem(f0, "value"));
    CU_ASSERT_PTR_NOT_NULL_FATAL(value);
    CU_ASSERT_PTR_NOT_NULL(strchr(value, '\x07')); /* parsed back: the BEL */
    CU_ASSERT_PTR_NOT_NULL(strstr(value, "ru[" RU "]ar[" AR "]e[" EMOJI "]"));
    /* the layout is cJSON_Print's: where nothing needs escaping, the same */
    iafq_return *plain = ret_new("in.xlsx", RET_SRC_XLSX, 0, false);
    findings_add(&plain->findings, F_W_SUM, "T1", 12, 2, "TOTAL", "SEIZED",
                 "40", "sum");
    cJSON *pd = report_json_value(&plain, 1, 1);
    char *want = cJSON_Print(pd);
    char *got = NULL;
    size_t glen = 0;
    f = open_memstream(&got, &glen);
    CU_ASSERT_EQUAL(report_json_write(f, pd, &err), IAFQ_OK);
    fclose(f);
    CU_ASSERT_EQUAL(glen, strlen(want) + 1);
    CU_ASSERT_EQUAL(strncmp(got, want, strlen(want)), 0);
    free(got);
    free(want);
    cJSON_Delete(pd);
    ret_free(plain);
    cJSON_Delete(back);
    cJSON_Delete(doc);
    free(mem);
    ret_free(r);
}

static void test_report_text_hostile(void)
{
    iafq_return *r = hostile_return();
    char *mem = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&mem, &len);
    iafq_error err;
    CU_ASSERT_EQUAL(report_text(f, r, &err), IAFQ_OK);
    fclose(f);
    CU_ASSERT_TRUE(utf8_valid(mem, len));
    CU_ASSERT_FALSE(has_raw_control(mem, len, "\n"));
    size_t lines = 0;
    for (size_t i = 0; i < len; i++)
        lines += mem[i] == '\n';
    CU_ASSERT_EQUAL(lines, 1 + r->findings.n);
    CU_ASSERT_PTR_NOT_NULL(strstr(mem, "inv[\\xFF\\xFE\\xC3(]")); /* file */
    free(mem);
    ret_free(r);
}

static void test_log_hostile(void)
{
    /* the log goes to stderr: point it at a file for the test */
    char path[512];
    snprintf(path, sizeof path, "%s/log.txt", tu_tmpdir());
    fflush(stderr);
    FILE *saved = stderr;
    FILE *f = fopen(path, "w+");
    CU_ASSERT_PTR_NOT_NULL_FATAL(f);
    stderr = f;
    const char *h = hostile();
    log_error(h, "hint " EMOJI, "cannot read '%s'", h);
    stderr = saved;
    fflush(f);
    rewind(f);
    char buf[4096];
    size_t n = fread(buf, 1, sizeof buf, f);
    fclose(f);
    remove(path);
    CU_ASSERT_TRUE(n > 0);
    CU_ASSERT_TRUE(utf8_valid(buf, n));
    CU_ASSERT_FALSE(has_raw_control(buf, n, "\n"));
    size_t lines = 0;
    for (size_t i = 0; i < n; i++)
        lines += buf[i] == '\n';
    CU_ASSERT_EQUAL(lines, 3);
}

static const tu_test module_tests[] = {
    {"decode and encode", test_decode},
    {"validity and length in characters", test_valid_len},
    {"prefixes end on character boundaries", test_prefix},
    {"make valid", test_make_valid},
    {"escape for a terminal", test_escape_text},
    {"escape serialised JSON", test_escape_json},
    {"text an XML part can hold", test_xml_text},
    {NULL, NULL}};
static const tu_test output_tests[] = {
    {"findings hold valid UTF-8", test_findings_valid},
    {"JSON report of hostile strings", test_report_json_hostile},
    {"text report of hostile strings", test_report_text_hostile},
    {"log lines of hostile strings", test_log_hostile},
    {NULL, NULL}};
static const tu_suite suites[] = {
    {"utf8", module_tests}, {"outputs", output_tests}, {NULL, NULL}};

int main(void)
{
    return tu_run("utf8", suites);
}
