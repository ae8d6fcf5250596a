/* Sorted array of owned strings, with a hash table over it: the extractor
 * asks these sets about every word of every document, and a binary search
 * of strcmp calls was a tenth of an ingest. */
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

static size_t hash_of(const char *s)
{
    size_t h = 14695981039346656037ULL;
    for (; *s; s++) h = (h ^ (unsigned char)*s) * 1099511628211ULL;
    return h ^ (h >> 29);
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
    free(ks->slots);
    size_t n = 16;
    while (n < 2 * ks->n) n *= 2;
    /* without the table (out of memory) lookups fall back to the search */
    if ((ks->slots = calloc(n, sizeof *ks->slots)) != NULL) {
        ks->nslots = n;
        for (size_t i = 0; i < ks->n; i++) {
            size_t j = hash_of(ks->keys[i]) & (n - 1);
            while (ks->slots[j]) j = (j + 1) & (n - 1);
            ks->slots[j] = (unsigned)i + 1;
        }
    }
}

int hd_keyset_has(const struct hd_keyset *ks, const char *key)
{
    if (!ks->n) return 0;
    if (!ks->slots) return bsearch(&key, ks->keys, ks->n, sizeof *ks->keys, cmp) != NULL;
    for (size_t j = hash_of(key) & (ks->nslots - 1); ks->slots[j]; j = (j + 1) & (ks->nslots - 1))
        if (!strcmp(ks->keys[ks->slots[j] - 1], key)) return 1;
    return 0;
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
    free(ks->slots);
    memset(ks, 0, sizeof *ks);
}
