/*
 * expat_alone.c - the parser's own share of `iafq check`, for bench/run.sh:
 * each FILE (a worksheet's XML, already inflated) through expat with
 * handlers that do nothing, fed 256 KiB at a time as ingest/xlsx_xml.c
 * feeds it.  Prints the number of elements.  Not part of iafq.
 *
 *   cc -O2 -o expat_alone bench/expat_alone.c -lexpat
 *   expat_alone FILE...
 */
#include <expat.h>
#include <stdio.h>
#include <stdlib.h>

static unsigned long long nelem;

static void XMLCALL on_start(void *ud, const XML_Char *name,
                             const XML_Char **atts)
{
    (void)ud;
    (void)name;
    (void)atts;
    nelem++;
}

static void XMLCALL on_end(void *ud, const XML_Char *name)
{
    (void)ud;
    (void)name;
}

static void XMLCALL on_text(void *ud, const XML_Char *s, int len)
{
    (void)ud;
    (void)s;
    (void)len;
}

int main(int argc, char **argv)
{
    enum { CHUNK = 256 * 1024 };
    static char buf[CHUNK];
    for (int i = 1; i < argc; i++) {
        FILE *f = fopen(argv[i], "rb");
        XML_Parser p = XML_ParserCreate(NULL);
        if (!f || !p) {
            fprintf(stderr, "expat_alone: cannot open %s\n", argv[i]);
            return 2;
        }
        XML_SetElementHandler(p, on_start, on_end);
        XML_SetCharacterDataHandler(p, on_text);
        size_t n;
        do {
            n = fread(buf, 1, CHUNK, f);
            if (XML_Parse(p, buf, (int)n, n == 0) == XML_STATUS_ERROR) {
                fprintf(stderr, "expat_alone: %s: %s\n", argv[i],
                        XML_ErrorString(XML_GetErrorCode(p)));
                return 1;
            }
        } while (n > 0);
        XML_ParserFree(p);
        fclose(f);
    }
    printf("%llu\n", nelem);
    return 0;
}
