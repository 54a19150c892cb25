/* embed - turn a file into a C array: embed FILE SYMBOL > out.c
 * Build-time tool; the generated file defines
 *   const char SYMBOL[];  (NUL-terminated)  const unsigned long SYMBOL_len; */
#include <stdio.h>

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: embed FILE SYMBOL\n");
        return 2;
    }
    FILE *f = fopen(argv[1], "rb");
    if (!f) {
        perror(argv[1]);
        return 1;
    }
    printf("/* generated from %s by tools/embed; do not edit */\n", argv[1]);
    printf("const char %s[] = {", argv[2]);
    unsigned long n = 0;
    int c;
    while ((c = fgetc(f)) != EOF) {
        printf("%s%d,", (n % 20) ? "" : "\n", c);
        n++;
    }
    printf("0};\nconst unsigned long %s_len = %lu;\n", argv[2], n);
    int bad = ferror(f);
    fclose(f);
    if (bad || fflush(stdout) != 0 || ferror(stdout)) {
        fprintf(stderr, "embed: write failed\n");
        return 1;
    }
    return 0;
}
