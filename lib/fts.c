/* The FTS5 tokenizer "hadath" and the query translator. Documents index a
 * word's matching form and, colocated with it, each of its clitic stems;
 * queries look up the form the user typed. So "روسيا" matches the stem of
 * "بروسيا", while "بروسيا" does not match every "روسيا". */
#include <stdlib.h>
#include <string.h>

#include "clitics.h"
#include "fts.h"
#include "normalize.h"
#include "tokens.h"
#include "utf8.h"

#include <unicode/uchar.h>

struct tokenizer {
    struct hd_segmenter *sg;
};

static int tok_create(void *ctx, const char **argv, int argc, Fts5Tokenizer **out)
{
    (void)ctx, (void)argv, (void)argc;
    char err[128];
    struct tokenizer *t = calloc(1, sizeof *t);
    if (!t) return SQLITE_NOMEM;
    t->sg = hd_segmenter_new(err, sizeof err);
    if (!t->sg) {
        free(t);
        return SQLITE_ERROR;
    }
    *out = (Fts5Tokenizer *)t;
    return SQLITE_OK;
}

static void tok_delete(Fts5Tokenizer *p)
{
    struct tokenizer *t = (struct tokenizer *)p;
    if (!t) return;
    hd_segmenter_free(t->sg);
    free(t);
}

static int tok_tokenize(Fts5Tokenizer *p, void *ctx, int flags, const char *text, int len,
                        int (*emit)(void *, int, const char *, int, int, int))
{
    struct tokenizer *t = (struct tokenizer *)p;
    struct hd_tokens toks = {0};
    if (len <= 0) return SQLITE_OK;
    /* FTS5 hands over whatever the column holds; invalid UTF-8 is skipped
     * rather than failing a whole insert */
    if (hd_utf8_invalid_at(text, (size_t)len) >= 0) return SQLITE_OK;
    if (hd_tokenize(t->sg, text, (size_t)len, &toks) < 0) return SQLITE_NOMEM;
    int rc = SQLITE_OK, document = !(flags & FTS5_TOKENIZE_QUERY);
    char stems[HD_STEMS_MAX][HD_STEM_MAX];
    for (size_t i = 0; i < toks.n && rc == SQLITE_OK; i++) {
        const struct hd_token *k = &toks.v[i];
        if (k->kind == HD_TOKEN_PUNCT || !k->key[0]) continue;
        /* a key may hold a space ("jong un" from "Jong-un"): each part is a token */
        for (const char *w = k->key; *w && rc == SQLITE_OK;) {
            const char *sp = strchr(w, ' ');
            size_t n = sp ? (size_t)(sp - w) : strlen(w);
            if (n > 0) {
                rc = emit(ctx, 0, w, (int)n, (int)k->start, (int)k->end);
                if (document && rc == SQLITE_OK && n < HD_STEM_MAX) {
                    char word[HD_STEM_MAX];
                    memcpy(word, w, n), word[n] = 0;
                    int ns = hd_clitic_stems(word, stems, HD_STEMS_MAX);
                    for (int s = 1; s < ns && rc == SQLITE_OK; s++)
                        rc = emit(ctx, FTS5_TOKEN_COLOCATED, stems[s], (int)strlen(stems[s]),
                                  (int)k->start, (int)k->end);
                }
            }
            w += n;
            while (*w == ' ') w++;
        }
    }
    hd_tokens_free(&toks);
    return rc;
}

int hd_fts_register(sqlite3 *db)
{
    static fts5_tokenizer tok = {tok_create, tok_delete, tok_tokenize};
    fts5_api *api = NULL;
    sqlite3_stmt *s = NULL;
    int rc = sqlite3_prepare_v2(db, "SELECT fts5(?1)", -1, &s, NULL);
    if (rc != SQLITE_OK) return rc;
    sqlite3_bind_pointer(s, 1, (void *)&api, "fts5_api_ptr", NULL);
    sqlite3_step(s);
    rc = sqlite3_finalize(s);
    if (rc != SQLITE_OK) return rc;
    if (!api || api->iVersion < 2) return SQLITE_ERROR;
    return api->xCreateTokenizer(api, "hadath", NULL, &tok, NULL);
}

/* ---- queries ---- */

/* Characters that end a word in a query: everything but letters and digits
 * (FTS5's operators among them). */
static int separates(uint32_t cp)
{
    if (cp < 0x80)
        return !((cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') || (cp >= '0' && cp <= '9') ||
                 cp == '_');
    /* a word is letters (Arabic's vowel marks are Alphabetic too) and digits */
    return !u_isUAlphabetic((UChar32)cp) && !u_isdigit((UChar32)cp);
}

struct qbuf {
    char *out;
    size_t cap, len;
    int overflow;
};

static void put(struct qbuf *b, const char *s, size_t n)
{
    if (b->len + n + 1 > b->cap) {
        b->overflow = 1;
        return;
    }
    memcpy(b->out + b->len, s, n);
    b->len += n;
    b->out[b->len] = 0;
}

/* Appends the matching forms of the words of s[0..n) (valid UTF-8)
 * separated by spaces; returns how many words. */
static int put_words(struct qbuf *b, const char *s, size_t n)
{
    int words = 0;
    size_t i = 0, start = 0;
    while (i <= n) {
        size_t at = i;
        int sep = i == n || separates(hd_utf8_next(s, &i));
        if (!sep) continue;
        if (at > start) {
            char key[256];
            size_t kl = hd_normalize_key_into(s + start, at - start, key, sizeof key);
            if (kl > 0 && kl < sizeof key) {
                if (words) put(b, " ", 1);
                put(b, key, kl);
                words++;
            }
        }
        if (at == n) break;
        start = i;
    }
    return words;
}

int hd_fts_query(const char *q, char *out, size_t cap)
{
    struct qbuf b = {out, cap, 0, 0};
    size_t n = strlen(q), i = 0;
    int terms = 0, pending_or = 0;
    if (cap) out[0] = 0;
    if (hd_utf8_invalid_at(q, n) >= 0) return 0;
    while (i < n && terms < 32) {
        while (i < n && (q[i] == ' ' || q[i] == '\t')) i++;
        if (i >= n) break;
        size_t start, end;
        int phrase = q[i] == '"', prefix = 0;
        if (phrase) {
            start = ++i;
            while (i < n && q[i] != '"') i++;
            end = i;
            if (i < n) i++;
        } else {
            start = i;
            while (i < n && q[i] != ' ' && q[i] != '\t' && q[i] != '"') i++;
            end = i;
            if (end - start == 2 && !memcmp(q + start, "OR", 2)) {
                pending_or = terms > 0;
                continue;
            }
            prefix = end > start && q[end - 1] == '*';
        }
        /* the term goes to a scratch buffer first: it may hold no word */
        char term[1024];
        struct qbuf t = {term, sizeof term, 0, 0};
        term[0] = 0;
        int words = put_words(&t, q + start, end - start);
        if (!words || t.overflow) continue;
        if (terms) put(&b, pending_or ? " OR " : " ", pending_or ? 4 : 1);
        put(&b, "\"", 1);
        put(&b, term, t.len);
        put(&b, "\"", 1);
        if (prefix && !phrase) put(&b, "*", 1);
        pending_or = 0;
        terms++;
    }
    return b.overflow ? -1 : terms;
}
