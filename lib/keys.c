/* The two keys. Before either transform the name is normalised
 * (hd_normalize_key) and the Arabic article ال is taken off each word that
 * is long enough to carry it (السوفيتي and سوفيتي are one name); the skeleton
 * then collapses repeated classes (Mohammed, محمد). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <unicode/ustring.h>
#include <unicode/utrans.h>

#include "blob.h"
#include "keys.h"
#include "normalize.h"

struct hd_keys {
    UTransliterator *roman, *skeleton;
};

static UTransliterator *open_rules(const char *blob, char *err, size_t errlen)
{
    const struct hd_blob *b = hd_blob_get(blob);
    if (!b) {
        snprintf(err, errlen, "%s is not embedded", blob);
        return NULL;
    }
    UErrorCode st = U_ZERO_ERROR;
    int32_t n = 0;
    u_strFromUTF8(NULL, 0, &n, b->data, (int32_t)b->len, &st);
    UChar *rules = malloc(((size_t)n + 1) * sizeof *rules);
    if (!rules) return NULL;
    st = U_ZERO_ERROR;
    u_strFromUTF8(rules, n + 1, NULL, b->data, (int32_t)b->len, &st);
    UChar id[32];
    u_uastrcpy(id, "hadath-keys");
    UParseError pe;
    UTransliterator *t = utrans_openU(id, -1, UTRANS_FORWARD, rules, n, &pe, &st);
    free(rules);
    if (U_FAILURE(st)) {
        snprintf(err, errlen, "%s: line %d, offset %d: %s", blob, (int)pe.line, (int)pe.offset,
                 u_errorName(st));
        return NULL;
    }
    return t;
}

struct hd_keys *hd_keys_new(char *err, size_t errlen)
{
    struct hd_keys *k = calloc(1, sizeof *k);
    if (!k) return NULL;
    k->roman = open_rules("romanize.txt", err, errlen);
    k->skeleton = k->roman ? open_rules("skeleton.txt", err, errlen) : NULL;
    if (!k->skeleton) {
        hd_keys_free(k);
        return NULL;
    }
    return k;
}

void hd_keys_free(struct hd_keys *k)
{
    if (!k) return;
    if (k->roman) utrans_close(k->roman);
    if (k->skeleton) utrans_close(k->skeleton);
    free(k);
}

/* Removes the article from each Arabic word of key (in place): "ال" and at
 * least three letters after it. */
static void strip_article(char *key)
{
    static const char al[] = "\u0627\u0644"; /* ال */
    char *o = key;
    for (char *p = key; *p;) {
        int word_start = p == key || p[-1] == ' ';
        if (word_start && !strncmp(p, al, 4)) {
            size_t letters = 0;
            for (char *q = p + 4; *q && *q != ' '; q++)
                letters += ((unsigned char)*q & 0xC0) != 0x80;
            if (letters >= 3) {
                p += 4;
                continue;
            }
        }
        *o++ = *p++;
    }
    *o = 0;
}

/* Applies t to the UTF-8 string in and returns the new UTF-8 result. */
static char *apply(UTransliterator *t, const char *in)
{
    UErrorCode st = U_ZERO_ERROR;
    int32_t n = 0;
    u_strFromUTF8(NULL, 0, &n, in, -1, &st);
    /* room for growth: a letter may become up to three ("ش" > "sh") */
    int32_t cap = 3 * n + 16, len = n, limit = n;
    UChar *u = malloc((size_t)cap * sizeof *u);
    if (!u) return NULL;
    st = U_ZERO_ERROR;
    u_strFromUTF8(u, cap, NULL, in, -1, &st);
    utrans_transUChars(t, u, &len, cap, 0, &limit, &st);
    char *out = NULL;
    if (U_SUCCESS(st)) {
        int32_t m = 0;
        UErrorCode s2 = U_ZERO_ERROR;
        u_strToUTF8(NULL, 0, &m, u, len, &s2);
        out = malloc((size_t)m + 1);
        s2 = U_ZERO_ERROR;
        if (out) u_strToUTF8(out, m + 1, NULL, u, len, &s2);
    }
    free(u);
    return out;
}

int hd_keys_make(struct hd_keys *k, const char *name, char **roman, char **skeleton)
{
    if (roman) *roman = NULL;
    if (skeleton) *skeleton = NULL;
    /* The article is taken off before normalising: it is written with a bare
     * alef, and folding would make ألكسندر look like it. */
    char *bare = strdup(name);
    if (!bare) return -1;
    strip_article(bare);
    char *key = hd_normalize_key(bare, strlen(bare));
    free(bare);
    if (!key) return -1;
    /* hyphens and apostrophes join the parts of one name: Jong-un, O'Brien */
    for (char *p = key; *p; p++)
        if (*p == '-' || *p == '\'' || *p == '.') *p = ' ';
    int rc = 0;
    if (roman) {
        /* padded, so that every word's edges have a context in the rules */
        size_t kl = strlen(key);
        char *padded = malloc(kl + 3);
        if (padded) {
            padded[0] = ' ';
            memcpy(padded + 1, key, kl);
            memcpy(padded + 1 + kl, " ", 2);
            *roman = apply(k->roman, padded);
            free(padded);
        }
        if (!*roman)
            rc = -1;
        else { /* drop the padding */
            size_t rl = strlen(*roman);
            while (rl > 0 && (*roman)[rl - 1] == ' ') (*roman)[--rl] = 0;
            if (**roman == ' ') memmove(*roman, *roman + 1, rl);
        }
        for (char *p = *roman; p && *p; p++)
            if ((p == *roman || p[-1] == ' ') && *p >= 'a' && *p <= 'z') *p -= 32;
    }
    if (skeleton && rc == 0) {
        size_t kl = strlen(key);
        char *padded = malloc(kl + 3), *s = NULL;
        if (padded) {
            padded[0] = ' ';
            memcpy(padded + 1, key, kl);
            memcpy(padded + 1 + kl, " ", 2);
            s = apply(k->skeleton, padded);
            free(padded);
        }
        if (!s)
            rc = -1;
        else { /* collapse repeated classes: MMT > MT */
            char *o = s;
            for (char *p = s; *p; p++)
                if (o == s || o[-1] != *p) *o++ = *p;
            *o = 0;
        }
        *skeleton = s;
    }
    free(key);
    return rc;
}
