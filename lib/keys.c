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

/* Applies t to key with a space on either side, so that every word's edges
 * have a context in the rules, and trims the result. */
static char *apply_padded(UTransliterator *t, const char *key)
{
    size_t kl = strlen(key);
    char *padded = malloc(kl + 3);
    if (!padded) return NULL;
    padded[0] = ' ';
    memcpy(padded + 1, key, kl);
    memcpy(padded + 1 + kl, " ", 2);
    char *r = apply(t, padded);
    free(padded);
    if (!r) return NULL;
    size_t rl = strlen(r);
    while (rl > 0 && r[rl - 1] == ' ') r[--rl] = 0;
    if (*r == ' ') memmove(r, r + 1, rl);
    return r;
}

/* The name's matching key with its parts apart: Jong-un, O'Brien, A.B. */
static char *name_key(const char *name)
{
    char *key = hd_normalize_key(name, strlen(name));
    for (char *p = key; p && *p; p++)
        if (*p == '-' || *p == '\'' || *p == '.') *p = ' ';
    return key;
}

/* What the skeleton is made from: the name without the article, in either
 * script. The Arabic article is taken off before normalising: it is written
 * with a bare alef, and folding would make ألكسندر look like it. */
static char *skeleton_source(const char *name)
{
    char *bare = strdup(name);
    if (!bare) return NULL;
    strip_article(bare);
    char *key = name_key(bare);
    free(bare);
    if (!key) return NULL;
    /* Abdel, Abdul, Abdal: عبد and the article of the name after it */
    for (char *p = key; (p = strstr(p, "abd")) != NULL; p += 3)
        if ((p == key || p[-1] == ' ') && (p[3] == 'e' || p[3] == 'u' || p[3] == 'a') &&
            p[4] == 'l' && p[5])
            memmove(p + 3, p + 5, strlen(p + 5) + 1);
    /* a word's initial x is pinyin's sh: Xi, Xinhua, Xinjiang */
    for (char *p = key; *p; p++)
        if (*p == 'x' && (p == key || p[-1] == ' ')) *p = 's';
    /* the Latin spelling of the article, al- or el-, goes as the Arabic one */
    for (char *p = key; *p;) {
        int word_start = p == key || p[-1] == ' ';
        if (word_start && (p[0] == 'a' || p[0] == 'e') && p[1] == 'l' && p[2] == ' ' && p[3])
            memmove(p, p + 3, strlen(p + 3) + 1);
        else
            p++;
    }
    return key;
}

int hd_keys_make(struct hd_keys *k, const char *name, char **roman, char **skeleton)
{
    if (roman) *roman = NULL;
    if (skeleton) *skeleton = NULL;
    if (roman) {
        /* The article is read off the name as written (a bare alef) and
         * romanised as "al-": بشار الأسد is Bashar al-Asd, ألكسندر no article. */
        char *bare = strdup(name), *marked = bare ? malloc(strlen(name) * 2 + 8) : NULL;
        if (marked) {
            /* each article becomes a Latin marker word "al" glued by a hyphen
             * to its noun: the rules pass Latin through */
            static const char al[] = "\u0627\u0644";
            char *o = marked;
            for (const char *p = bare; *p;) {
                int word_start = p == bare || p[-1] == ' ';
                size_t letters = 0;
                if (word_start && !strncmp(p, al, 4))
                    for (const char *q = p + 4; *q && *q != ' '; q++)
                        letters += ((unsigned char)*q & 0xC0) != 0x80;
                if (letters >= 3) {
                    memcpy(o, "al ", 3);
                    o += 3, p += 4;
                } else {
                    *o++ = *p++;
                }
            }
            *o = 0;
        }
        char *key = marked ? name_key(marked) : NULL;
        free(bare), free(marked);
        *roman = key ? apply_padded(k->roman, key) : NULL;
        free(key);
        if (!*roman) return -1;
        /* "al Asd" back to "al-Asd" */
        for (char *p = *roman; (p = strstr(p, "al ")) != NULL; p += 3)
            if (p == *roman || p[-1] == ' ') p[2] = '-';
        for (char *p = *roman; *p; p++)
            if ((p == *roman || p[-1] == ' ' || p[-1] == '-') && *p >= 'a' && *p <= 'z' &&
                !(p[0] == 'a' && p[1] == 'l' && p[2] == '-'))
                *p -= 32;
    }
    if (skeleton) {
        char *key = skeleton_source(name);
        char *s = key ? apply_padded(k->skeleton, key) : NULL;
        free(key);
        if (!s) {
            if (roman) free(*roman), *roman = NULL;
            return -1;
        }
        char *o = s; /* collapse repeated classes: MMT > MT */
        for (char *p = s; *p; p++)
            if (o == s || o[-1] != *p) *o++ = *p;
        *o = 0;
        *skeleton = s;
    }
    return 0;
}
