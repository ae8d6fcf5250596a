/* The FTS5 tokenizer "hadath" and the query translator. Documents index a
 * word's matching form and, colocated with it, each of its clitic stems;
 * queries look up the form the user typed. So "روسيا" matches the stem of
 * "بروسيا", while "بروسيا" does not match every "روسيا". */
#include <stdlib.h>
#include <string.h>

#include "clitics.h"
#include "fts.h"
#include "normalize.h"
#include "utf8.h"

#include <unicode/uchar.h>

/* A word is a run of letters (Arabic's vowel marks are Alphabetic too) and
 * digits; everything else separates words, FTS5's operators among them.
 * The same rule for documents and queries, and no break iterator: Arabic
 * and Latin words are delimited by what is between them. */
static int in_word(uint32_t cp)
{
    if (cp < 0x80)
        return (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') || (cp >= '0' && cp <= '9');
    return u_isUAlphabetic((UChar32)cp) || u_isdigit((UChar32)cp);
}

/* What a word of a document gives, memoised per tokenizer instance (one
 * per connection, so one thread): the words of news repeat, and their
 * matching forms and clitic stems were a tenth of an ingest. */
#define MEMO_SLOTS 16384
#define MEMO_WORD  48  /* longer words are not memoised */
#define MEMO_OUT   200 /* the forms, each NUL-terminated, then an empty one */

struct memo_entry {
    unsigned len; /* of word; 0: empty */
    char word[MEMO_WORD];
    char out[MEMO_OUT];
};

struct tokenizer {
    struct memo_entry *memo; /* made on the first document */
};

static int tok_create(void *ctx, const char **argv, int argc, Fts5Tokenizer **out)
{
    (void)ctx, (void)argv, (void)argc;
    struct tokenizer *t = calloc(1, sizeof *t);
    if (!t) return SQLITE_NOMEM;
    *out = (Fts5Tokenizer *)(void *)t;
    return SQLITE_OK;
}

static void tok_delete(Fts5Tokenizer *p)
{
    struct tokenizer *t = (struct tokenizer *)(void *)p;
    if (t) free(t->memo);
    free(t);
}

/* The forms of word w[0..n) into out: its matching form, then (for a
 * document) its other clitic stems; each NUL-terminated, an empty one
 * last. 0 when the word gives no token (an overlong "word": a URL, a
 * hash), else the bytes used; -1 when they do not fit. */
static int forms(const char *w, size_t n, int document, char *out, size_t cap)
{
    char key[HD_STEM_MAX], stems[HD_STEMS_MAX][HD_STEM_MAX];
    size_t kl = hd_normalize_key_into(w, n, key, sizeof key), o = 0;
    if (kl == 0 || kl >= sizeof key || strchr(key, ' ')) return 0;
    int ns = document ? hd_clitic_stems(key, stems, HD_STEMS_MAX) : 0;
    for (int k = 0; k < (ns > 1 ? ns : 1); k++) {
        const char *f = k == 0 ? key : stems[k];
        size_t fl = strlen(f) + 1;
        if (o + fl + 1 > cap) return -1;
        memcpy(out + o, f, fl);
        o += fl;
    }
    out[o++] = 0;
    return (int)o;
}

static int tok_tokenize(Fts5Tokenizer *p, void *ctx, int flags, const char *text, int len,
                        int (*emit)(void *, int, const char *, int, int, int))
{
    struct tokenizer *t = (struct tokenizer *)(void *)p;
    if (len <= 0) return SQLITE_OK;
    /* FTS5 hands over whatever the column holds; invalid UTF-8 is skipped
     * rather than failing a whole insert */
    if (hd_utf8_invalid_at(text, (size_t)len) >= 0) return SQLITE_OK;
    int rc = SQLITE_OK, document = !(flags & FTS5_TOKENIZE_QUERY);
    if (document && !t->memo) t->memo = calloc(MEMO_SLOTS, sizeof *t->memo);
    char buf[HD_STEMS_MAX * HD_STEM_MAX + 1];
    size_t n = (size_t)len, i = 0, start = 0;
    while (i <= n && rc == SQLITE_OK) {
        size_t at = i;
        if (i < n && in_word(hd_utf8_next(text, &i))) continue;
        size_t wl = at - start;
        if (wl > 0) {
            const char *out = buf;
            int used = -1;
            struct memo_entry *m = NULL;
            if (document && t->memo && wl < MEMO_WORD) {
                unsigned h = 2166136261u;
                for (size_t k = 0; k < wl; k++)
                    h = (h ^ (unsigned char)text[start + k]) * 16777619u;
                m = &t->memo[h & (MEMO_SLOTS - 1)];
                if (m->len == wl && !memcmp(m->word, text + start, wl)) out = m->out, used = 1;
            }
            if (used < 0) {
                used = forms(text + start, wl, document, buf, sizeof buf);
                if (m && used > 0 && used <= MEMO_OUT) {
                    m->len = (unsigned)wl;
                    memcpy(m->word, text + start, wl);
                    memcpy(m->out, buf, (size_t)used);
                }
            }
            for (int k = 0; used > 0 && *out && rc == SQLITE_OK; k++) {
                size_t fl = strlen(out);
                rc = emit(ctx, k ? FTS5_TOKEN_COLOCATED : 0, out, (int)fl, (int)start, (int)at);
                out += fl + 1;
            }
        }
        if (at == n) break;
        start = i;
    }
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
        int sep = i == n || !in_word(hd_utf8_next(s, &i));
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
