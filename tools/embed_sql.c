/* embed_sql - embed SQL files into the binary: embed_sql ROOT RELPATH... >
 * out.c
 *
 * Build-time tool.  Reads ROOT/RELPATH for every RELPATH given, sorts them by
 * RELPATH (byte order) and writes a C file defining
 *   const sqlfile sqlfiles_table[];  const unsigned long sqlfiles_count;
 * (see db/sqlfiles.h).  A file with a NUL byte is refused: SQL text is a C
 * string at run time. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int _cmp(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static int _emit_string(const char *s)
{
    putchar('"');
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\' || c < 0x20 || c >= 0x7f || c == '?')
            printf("\\%03o", c);
        else
            putchar(c);
    }
    putchar('"');
    return 0;
}

static int _emit_file(const char *root, const char *rel, unsigned long idx)
{
    char path[4096];
    if ((size_t)snprintf(path, sizeof path, "%s/%s", root, rel) >=
        sizeof path) {
        fprintf(stderr, "embed_sql: path too long: %s\n", rel);
        return 1;
    }
    FILE *f = fopen(path, "rb");
    if (!f) {
        perror(path);
        return 1;
    }
    printf("static const char _text%lu[] = {", idx);
    unsigned long n = 0;
    int c, rc = 0;
    while ((c = fgetc(f)) != EOF) {
        if (c == 0) {
            fprintf(stderr, "embed_sql: %s: NUL byte at offset %lu\n", path, n);
            rc = 1;
            break;
        }
        printf("%s%d,", (n % 20) ? "" : "\n", c);
        n++;
    }
    printf("0};\n");
    if (ferror(f))
        rc = 1;
    fclose(f);
    return rc;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: embed_sql ROOT RELPATH...\n");
        return 2;
    }
    const char *root = argv[1];
    int n = argc - 2;
    const char **rel = (const char **)argv + 2;
    qsort(rel, (size_t)n, sizeof *rel, _cmp);
    for (int i = 1; i < n; i++)
        if (!strcmp(rel[i - 1], rel[i])) {
            fprintf(stderr, "embed_sql: %s given twice\n", rel[i]);
            return 2;
        }
    printf("/* generated from %s/ by tools/embed_sql; do not edit */\n"
           "#include \"sqlfiles.h\"\n\n",
           root);
    for (int i = 0; i < n; i++)
        if (_emit_file(root, rel[i], (unsigned long)i))
            return 1;
    printf("\nconst sqlfile sqlfiles_table[] = {\n");
    for (int i = 0; i < n; i++) {
        printf("    {");
        _emit_string(rel[i]);
        printf(", _text%d},\n", i);
    }
    printf("    {0, 0}};\nconst unsigned long sqlfiles_count = %d;\n", n);
    if (fflush(stdout) != 0 || ferror(stdout)) {
        fprintf(stderr, "embed_sql: write failed\n");
        return 1;
    }
    return 0;
}
