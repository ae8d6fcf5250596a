/* The resolver tries its readings from the strictest to the loosest, so
 * that "putin" is Vladimir Putin by his name before the skeleton BTN could
 * also make it Biden. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "keys.h"
#include "normalize.h"
#include "resolve.h"

/* Runs statement id with text bound to ?1 (and ?2), adding the ids it gives
 * to ids; returns the new count, or -1. */
static int collect(struct hd_store *st, enum hd_stmt id, const char *a, const char *b,
                   long long *ids, int max, int n)
{
    sqlite3_stmt *s = hd_store_stmt(st, id);
    if (!s) return -1;
    sqlite3_bind_text(s, 1, a, -1, SQLITE_STATIC);
    if (b) sqlite3_bind_text(s, 2, b, -1, SQLITE_STATIC);
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        long long v = sqlite3_column_int64(s, 0);
        int seen = 0;
        for (int i = 0; i < n && i < max && !seen; i++) seen = ids[i] == v;
        if (seen) continue;
        if (n < max) ids[n] = v;
        n++;
    }
    sqlite3_reset(s);
    return rc == SQLITE_DONE ? n : -1;
}

int hd_resolve_id(struct hd_store *st, const char *value, long long *ids, int max)
{
    char slug[256], qid[64];
    size_t len = strlen(value);
    if (len == 0 || len > 200) return 0;
    /* ids are lower case, Wikidata ids upper case: accept either */
    for (size_t i = 0; i <= len; i++) {
        char c = value[i];
        slug[i] = c >= 'A' && c <= 'Z' ? (char)(c + 32) : c;
    }
    snprintf(qid, sizeof qid, "%.60s", value);
    if (qid[0] == 'q') qid[0] = 'Q';
    return collect(st, HD_RESOLVE_SLUG, slug, qid, ids, max, 0);
}

/* value less its '*': names and their words that begin with it. */
static int resolve_prefix(struct hd_store *st, const char *value, size_t len, long long *ids,
                          int max)
{
    char *key = hd_normalize_key(value, len - 1);
    if (!key) return -1;
    /* a single letter would list half the store */
    size_t letters = 0;
    for (const char *p = key; *p; p++) letters += ((unsigned char)*p & 0xC0) != 0x80;
    int n = 0;
    if (letters >= 2) {
        sqlite3_stmt *s = hd_store_stmt(st, HD_RESOLVE_PREFIX);
        if (!s) {
            free(key);
            return -1;
        }
        sqlite3_bind_text(s, 1, key, -1, SQLITE_STATIC);
        sqlite3_bind_int(s, 2, max);
        int rc;
        while ((rc = sqlite3_step(s)) == SQLITE_ROW) ids[n++] = sqlite3_column_int64(s, 0);
        sqlite3_reset(s);
        if (rc != SQLITE_DONE) n = -1;
    }
    free(key);
    return n;
}

int hd_resolve(struct hd_store *st, const char *value, long long *ids, int max)
{
    size_t len = strlen(value);
    if (len == 0 || len > 200) return 0;
    if (value[len - 1] == '*') return resolve_prefix(st, value, len, ids, max);
    int n = hd_resolve_id(st, value, ids, max);
    if (n != 0) return n;

    char *key = hd_normalize_key(value, len);
    if (!key) return -1;
    n = *key ? collect(st, HD_RESOLVE_KEY, key, NULL, ids, max, 0) : 0;
    int one_word = *key && !strchr(key, ' ');
    if (n == 0 && one_word) n = collect(st, HD_RESOLVE_WORD, key, NULL, ids, max, 0);
    if (n == 0 && *key) {
        /* as the store made them: a name's skeleton from its text, a word's
         * from its matching form */
        struct hd_keys *k = hd_store_keys(st);
        char *skel = NULL, *wskel = NULL;
        if (!k || hd_keys_make(k, value, NULL, &skel) < 0 ||
            (one_word && hd_keys_make(k, key, NULL, &wskel) < 0)) {
            free(skel), free(key);
            return -1;
        }
        /* a skeleton of one consonant says too little to go on */
        if (skel && strlen(skel) >= 2)
            n = collect(st, HD_RESOLVE_SKELETON, skel, NULL, ids, max, 0);
        if (n == 0 && wskel && strlen(wskel) >= 2)
            n = collect(st, HD_RESOLVE_WORD_SKELETON, wskel, NULL, ids, max, 0);
        free(skel), free(wskel);
    }
    free(key);
    return n;
}
