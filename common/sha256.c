#include "sha256.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const uint32_t _k[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1,
    0x923f82a4, 0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3,
    0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786,
    0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147,
    0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
    0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b,
    0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a,
    0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208,
    0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2};

static uint32_t _rotr(uint32_t x, unsigned n)
{
    return (x >> n) | (x << (32 - n));
}

static void _compress(sha256_ctx *c, const unsigned char *p)
{
    uint32_t w[64];
    for (int i = 0; i < 16; i++)
        w[i] = (uint32_t)p[4 * i] << 24 | (uint32_t)p[4 * i + 1] << 16 |
               (uint32_t)p[4 * i + 2] << 8 | (uint32_t)p[4 * i + 3];
    for (int i = 16; i < 64; i++) {
        uint32_t s0 =
            _rotr(w[i - 15], 7) ^ _rotr(w[i - 15], 18) ^ (w[i - 15] >> 3);
        uint32_t s1 =
            _rotr(w[i - 2], 17) ^ _rotr(w[i - 2], 19) ^ (w[i - 2] >> 10);
        w[i] = w[i - 16] + s0 + w[i - 7] + s1;
    }
    uint32_t a = c->h[0], b = c->h[1], cc = c->h[2], d = c->h[3], e = c->h[4],
             f = c->h[5], g = c->h[6], h = c->h[7];
    for (int i = 0; i < 64; i++) {
        uint32_t s1 = _rotr(e, 6) ^ _rotr(e, 11) ^ _rotr(e, 25);
        uint32_t ch = (e & f) ^ (~e & g);
        uint32_t t1 = h + s1 + ch + _k[i] + w[i];
        uint32_t s0 = _rotr(a, 2) ^ _rotr(a, 13) ^ _rotr(a, 22);
        uint32_t maj = (a & b) ^ (a & cc) ^ (b & cc);
        uint32_t t2 = s0 + maj;
        h = g;
        g = f;
        f = e;
        e = d + t1;
        d = cc;
        cc = b;
        b = a;
        a = t1 + t2;
    }
    c->h[0] += a;
    c->h[1] += b;
    c->h[2] += cc;
    c->h[3] += d;
    c->h[4] += e;
    c->h[5] += f;
    c->h[6] += g;
    c->h[7] += h;
}

void sha256_init(sha256_ctx *c)
{
    static const uint32_t h0[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372,
                                   0xa54ff53a, 0x510e527f, 0x9b05688c,
                                   0x1f83d9ab, 0x5be0cd19};
    memcpy(c->h, h0, sizeof h0);
    c->nbytes = 0;
    c->nblock = 0;
}

void sha256_update(sha256_ctx *c, const void *data, size_t n)
{
    const unsigned char *p = data;
    c->nbytes += n;
    if (c->nblock) {
        size_t take = 64 - c->nblock < n ? 64 - c->nblock : n;
        memcpy(c->block + c->nblock, p, take);
        c->nblock += take;
        p += take;
        n -= take;
        if (c->nblock < 64)
            return;
        _compress(c, c->block);
        c->nblock = 0;
    }
    for (; n >= 64; p += 64, n -= 64)
        _compress(c, p);
    memcpy(c->block, p, n);
    c->nblock = n;
}

void sha256_final_hex(sha256_ctx *c, char hex[SHA256_HEX_LEN + 1])
{
    uint64_t bits = c->nbytes * 8;
    unsigned char pad[72] = {0x80};
    size_t padlen = (c->nblock < 56) ? 56 - c->nblock : 120 - c->nblock;
    unsigned char len[8];
    for (int i = 0; i < 8; i++)
        len[i] = (unsigned char)(bits >> (56 - 8 * i));
    sha256_update(c, pad, padlen);
    sha256_update(c, len, 8);
    static const char digits[] = "0123456789abcdef";
    for (int i = 0; i < 8; i++)
        for (int j = 0; j < 4; j++) {
            unsigned v = (c->h[i] >> (24 - 8 * j)) & 0xff;
            hex[8 * i + 2 * j] = digits[v >> 4];
            hex[8 * i + 2 * j + 1] = digits[v & 15];
        }
    hex[SHA256_HEX_LEN] = '\0';
}

static iafq_err _hash_file(sha256_ctx *c, const char *path, iafq_error *err)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return iafq_error_set(err, IAFQ_ERR_IO, "cannot open '%s': %s", path,
                              strerror(errno));
    iafq_err rc = IAFQ_OK;
    unsigned char buf[1 << 16];
    for (;;) {
        ssize_t n = read(fd, buf, sizeof buf);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            rc = iafq_error_set(err, IAFQ_ERR_IO, "cannot read '%s': %s", path,
                                strerror(errno));
            break;
        }
        if (n == 0)
            break;
        sha256_update(c, buf, (size_t)n);
    }
    close(fd);
    return rc;
}

static int _cmp_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static iafq_err _hash_dir(sha256_ctx *c, const char *path, size_t max_entries,
                          iafq_error *err)
{
    iafq_err rc = IAFQ_OK;
    char **names = NULL;
    size_t n = 0, cap = 0;
    char *full = NULL;
    DIR *d = opendir(path);
    if (!d)
        return iafq_error_set(err, IAFQ_ERR_IO, "cannot open folder '%s': %s",
                              path, strerror(errno));
    struct dirent *de;
    while ((de = readdir(d)) != NULL) {
        if (de->d_name[0] == '.')
            continue;
        if (n == max_entries) {
            rc = iafq_error_set(err, IAFQ_ERR_LIMIT,
                                "folder '%s' holds more than %zu files", path,
                                max_entries);
            goto cleanup;
        }
        if (n == cap) {
            size_t nc = cap ? 2 * cap : 16;
            char **nn = realloc(names, nc * sizeof *nn);
            if (!nn) {
                rc = iafq_error_set(err, IAFQ_ERR_NOMEM, "out of memory");
                goto cleanup;
            }
            names = nn;
            cap = nc;
        }
        if (!(names[n] = strdup(de->d_name))) {
            rc = iafq_error_set(err, IAFQ_ERR_NOMEM, "out of memory");
            goto cleanup;
        }
        n++;
    }
    qsort(names, n, sizeof *names, _cmp_names);
    for (size_t i = 0; i < n && rc == IAFQ_OK; i++) {
        free(full);
        if (asprintf(&full, "%s/%s", path, names[i]) < 0) {
            full = NULL;
            rc = iafq_error_set(err, IAFQ_ERR_NOMEM, "out of memory");
            break;
        }
        struct stat st;
        if (stat(full, &st) != 0 || !S_ISREG(st.st_mode))
            continue; /* sub-folders and the like are no part of a return */
        char head[64];
        int hn =
            snprintf(head, sizeof head, "%llu", (unsigned long long)st.st_size);
        sha256_update(c, names[i], strlen(names[i]) + 1);
        sha256_update(c, head, (size_t)hn + 1);
        rc = _hash_file(c, full, err);
    }
cleanup:
    free(full);
    for (size_t i = 0; i < n; i++)
        free(names[i]);
    free(names);
    closedir(d);
    return rc;
}

iafq_err sha256_path(const char *path, size_t max_entries,
                     char hex[SHA256_HEX_LEN + 1], iafq_error *err)
{
    struct stat st;
    if (stat(path, &st) != 0)
        return iafq_error_set(err, IAFQ_ERR_IO, "cannot open '%s': %s", path,
                              strerror(errno));
    sha256_ctx c;
    sha256_init(&c);
    iafq_err rc = S_ISDIR(st.st_mode) ? _hash_dir(&c, path, max_entries, err)
                                      : _hash_file(&c, path, err);
    if (rc == IAFQ_OK)
        sha256_final_hex(&c, hex);
    return rc;
}
