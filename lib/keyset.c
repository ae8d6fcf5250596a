/* Sorted array of owned strings; binary search. Small, and fast enough for
 * the tens of thousands of names a gazetteer holds. */
#include <stdlib.h>
#include <string.h>

#include "blob.h"
#include "keyset.h"
#include "normalize.h"

int hd_keyset_add(struct hd_keyset *ks, const char *s, size_t len)
{
    while (len > 0 && (*s == ' ' || *s == '\t')) s++, len--;
    while (len > 0 && (s[len - 1] == ' ' || s[len - 1] == '\t' || s[len - 1] == '\r')) len--;
    if (len == 0) return 0;
    char *key = hd_normalize_key(s, len);
    if (!key) return -1;
    if (!*key) {
        free(key);
        return 0;
    }
    if (ks->n == ks->cap) {
        size_t ncap = ks->cap ? ks->cap * 2 : 256;
        char **nk = realloc(ks->keys, ncap * sizeof *nk);
        if (!nk) {
            free(key);
            return -1;
        }
        ks->keys = nk, ks->cap = ncap;
    }
    ks->keys[ks->n++] = key;
    return 0;
}

int hd_keyset_add_tsv(struct hd_keyset *ks, const char *blob, unsigned columns, const char *kind)
{
    const struct hd_blob *b = hd_blob_get(blob);
    if (!b) return -1;
    int rows = 0;
    size_t kl = kind ? strlen(kind) : 0;
    const char *p = b->data, *end = b->data + b->len;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        if (!nl) nl = end;
        if (p < nl && *p != '#' &&
            (!kind || ((size_t)(nl - p) > kl && !memcmp(p, kind, kl) && p[kl] == '\t'))) {
            rows++;
            const char *col = p;
            for (unsigned c = 0; c < 32 && col <= nl; c++) {
                const char *tab = memchr(col, '\t', (size_t)(nl - col));
                const char *ce = tab ? tab : nl;
                if (columns & (1u << c)) {
                    for (const char *a = col; a <= ce;) {
                        const char *bar = memchr(a, '|', (size_t)(ce - a));
                        const char *ae = bar ? bar : ce;
                        hd_keyset_add(ks, a, (size_t)(ae - a));
                        a = ae + 1;
                    }
                }
                if (!tab) break;
                col = tab + 1;
            }
        }
        p = nl + 1;
    }
    return rows;
}

static int cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

void hd_keyset_seal(struct hd_keyset *ks)
{
    if (ks->n) qsort(ks->keys, ks->n, sizeof *ks->keys, cmp);
    size_t o = 0;
    for (size_t i = 0; i < ks->n; i++) {
        if (o > 0 && strcmp(ks->keys[o - 1], ks->keys[i]) == 0)
            free(ks->keys[i]);
        else
            ks->keys[o++] = ks->keys[i];
    }
    ks->n = o;
    ks->sealed = 1;
}

int hd_keyset_has(const struct hd_keyset *ks, const char *key)
{
    return ks->n && bsearch(&key, ks->keys, ks->n, sizeof *ks->keys, cmp) != NULL;
}

int hd_keyset_has_text(const struct hd_keyset *ks, const char *s, size_t len)
{
    char *key = hd_normalize_key(s, len);
    int has = key && hd_keyset_has(ks, key);
    free(key);
    return has;
}

void hd_keyset_free(struct hd_keyset *ks)
{
    for (size_t i = 0; i < ks->n; i++) free(ks->keys[i]);
    free(ks->keys);
    memset(ks, 0, sizeof *ks);
}
