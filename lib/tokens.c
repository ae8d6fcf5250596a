/* Tokens over the UTF-8 text itself (a UText), so ICU's boundaries are byte
 * offsets and no UTF-16 copy is made. ICU's rules keep Arabic words with
 * their clitics, numbers with their decimal points and Latin words whole;
 * the rule status tells words from numbers and from punctuation. */
#include <stdlib.h>
#include <string.h>

#include <unicode/ubrk.h>
#include <unicode/utext.h>

#include "normalize.h"
#include "tokens.h"
#include "utf8.h"

struct hd_segmenter {
    UBreakIterator *words, *sentences;
};

struct hd_segmenter *hd_segmenter_new(char *err, size_t errlen)
{
    struct hd_segmenter *sg = calloc(1, sizeof *sg);
    UErrorCode st = U_ZERO_ERROR;
    if (!sg) return NULL;
    sg->words = ubrk_open(UBRK_WORD, "ar", NULL, 0, &st);
    sg->sentences = U_SUCCESS(st) ? ubrk_open(UBRK_SENTENCE, "ar", NULL, 0, &st) : NULL;
    if (U_FAILURE(st)) {
        strncpy(err, u_errorName(st), errlen - 1);
        err[errlen - 1] = 0;
        hd_segmenter_free(sg);
        return NULL;
    }
    return sg;
}

void hd_segmenter_free(struct hd_segmenter *sg)
{
    if (!sg) return;
    if (sg->words) ubrk_close(sg->words);
    if (sg->sentences) ubrk_close(sg->sentences);
    free(sg);
}

void hd_tokens_free(struct hd_tokens *t)
{
    free(t->v), free(t->keys);
    memset(t, 0, sizeof *t);
}

/* Normalises a token's text straight into the list's key buffer, growing
 * it as needed (NFKC may make a key longer than its token: ﷺ). */
static int add_key(struct hd_tokens *out, size_t *len, size_t *cap, const char *s, size_t n,
                   size_t *at)
{
    for (;;) {
        size_t room = *cap - *len;
        size_t r = out->keys ? hd_normalize_key_into(s, n, out->keys + *len, room) : room + 1;
        if (out->keys && r < room) {
            *at = *len;
            *len += r + 1;
            return 0;
        }
        size_t nc = (*cap + (r > room ? r : n + 1)) * 2 + 64;
        char *nb = realloc(out->keys, nc);
        if (!nb) return -1;
        out->keys = nb, *cap = nc;
    }
}

/* A full stop that ICU's word rules may keep inside a word (U.S, e.g). */
static int full_stop(uint32_t cp)
{
    return cp == '.' || cp == 0x2024 || cp == 0xFE52 || cp == 0xFF0E;
}

/* Where a word runs on across a full stop that ends a sentence, the stop's
 * offset in text[s..e) and its length in *n, else e. ICU's word rules keep
 * the letters around a stop in one word (for U.S and e.g), while its
 * sentence rules, which hd_sentences_split() follows, end a sentence at a
 * stop that lost its space ("بزشكيان.وأضاف", "CNN.وقال"): one word across
 * it hid the name before it and put a mention in two sentences. */
static size_t sentence_stop(struct hd_segmenter *sg, const char *text, size_t s, size_t e,
                            size_t *n)
{
    for (size_t i = s; i < e;) {
        size_t at = i;
        if (full_stop(hd_utf8_next(text, &i)) && i < e &&
            ubrk_isBoundary(sg->sentences, (int32_t)i)) {
            *n = i - at;
            return at;
        }
    }
    return e;
}

/* Appends the token text[s..e) of kind; *cp counts the code points before
 * it. Returns 0, or -1 when out of memory. */
static int push(struct hd_tokens *out, size_t *cap, size_t **key_at, size_t *keys_len,
                size_t *keys_cap, const char *text, size_t s, size_t e, enum hd_token_kind kind,
                size_t *cp)
{
    if (out->n == *cap) {
        *cap = *cap ? *cap * 2 : 64;
        struct hd_token *nv = realloc(out->v, *cap * sizeof *nv);
        size_t *nk = realloc(*key_at, *cap * sizeof *nk);
        if (nv) out->v = nv;
        if (nk) *key_at = nk;
        if (!nv || !nk) return -1;
    }
    size_t cps = hd_utf8_count(text + s, e - s);
    struct hd_token *t = &out->v[out->n];
    t->start = s, t->end = e, t->cp_start = *cp, t->cp_end = *cp + cps;
    t->kind = kind;
    if (add_key(out, keys_len, keys_cap, text + s, e - s, &(*key_at)[out->n]) < 0) return -1;
    out->n++;
    *cp += cps;
    return 0;
}

int hd_tokenize(struct hd_segmenter *sg, const char *text, size_t len, struct hd_tokens *out)
{
    memset(out, 0, sizeof *out);
    UErrorCode st = U_ZERO_ERROR;
    UText *ut = utext_openUTF8(NULL, text, (int64_t)len, &st);
    ubrk_setUText(sg->words, ut, &st);
    ubrk_setUText(sg->sentences, ut, &st);
    if (U_FAILURE(st)) {
        utext_close(ut);
        return -1;
    }
    size_t cap = 0, keys_len = 0, keys_cap = 0, cp = 0;
    size_t *key_at = NULL;
    int rc = 0;
    int32_t start = ubrk_first(sg->words);
    for (int32_t end = ubrk_next(sg->words); rc == 0 && end != UBRK_DONE;
         start = end, end = ubrk_next(sg->words)) {
        size_t s = (size_t)start, e = (size_t)end, i = s;
        int32_t status = ubrk_getRuleStatus(sg->words);
        uint32_t first = hd_utf8_next(text, &i);
        if (status < UBRK_WORD_NONE_LIMIT && (hd_is_space(first) || hd_fold_cp(first) == 0)) {
            /* white space and invisible marks are no tokens */
            cp += hd_utf8_count(text + s, e - s);
            continue;
        }
        enum hd_token_kind kind = status >= UBRK_WORD_NUMBER && status < UBRK_WORD_NUMBER_LIMIT
                                      ? HD_TOKEN_NUMBER
                                  : status >= UBRK_WORD_NONE_LIMIT ? HD_TOKEN_WORD
                                                                   : HD_TOKEN_PUNCT;
        /* a word, its full stops after Arabic letters, the words after them */
        size_t stop, n;
        while (rc == 0 && kind == HD_TOKEN_WORD && (stop = sentence_stop(sg, text, s, e, &n)) < e) {
            if ((stop > s &&
                 push(out, &cap, &key_at, &keys_len, &keys_cap, text, s, stop, kind, &cp) < 0) ||
                push(out, &cap, &key_at, &keys_len, &keys_cap, text, stop, stop + n, HD_TOKEN_PUNCT,
                     &cp) < 0)
                rc = -1;
            s = stop + n;
        }
        if (rc == 0 && s < e &&
            push(out, &cap, &key_at, &keys_len, &keys_cap, text, s, e, kind, &cp) < 0)
            rc = -1;
    }
    /* the key buffer may have moved while it grew: pointers are set last */
    for (size_t i = 0; rc == 0 && i < out->n; i++) out->v[i].key = out->keys + key_at[i];
    free(key_at);
    utext_close(ut);
    if (rc < 0) hd_tokens_free(out);
    return rc;
}
