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
    UBreakIterator *words;
};

struct hd_segmenter *hd_segmenter_new(char *err, size_t errlen)
{
    struct hd_segmenter *sg = calloc(1, sizeof *sg);
    UErrorCode st = U_ZERO_ERROR;
    if (!sg) return NULL;
    sg->words = ubrk_open(UBRK_WORD, "ar", NULL, 0, &st);
    if (U_FAILURE(st)) {
        strncpy(err, u_errorName(st), errlen - 1);
        err[errlen - 1] = 0;
        free(sg);
        return NULL;
    }
    return sg;
}

void hd_segmenter_free(struct hd_segmenter *sg)
{
    if (!sg) return;
    ubrk_close(sg->words);
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

int hd_tokenize(struct hd_segmenter *sg, const char *text, size_t len, struct hd_tokens *out)
{
    memset(out, 0, sizeof *out);
    UErrorCode st = U_ZERO_ERROR;
    UText *ut = utext_openUTF8(NULL, text, (int64_t)len, &st);
    ubrk_setUText(sg->words, ut, &st);
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
        size_t cps = hd_utf8_count(text + s, e - s);
        int32_t status = ubrk_getRuleStatus(sg->words);
        uint32_t first = hd_utf8_next(text, &i);
        if (status < UBRK_WORD_NONE_LIMIT && (hd_is_space(first) || hd_fold_cp(first) == 0)) {
            cp += cps; /* white space and invisible marks are no tokens */
            continue;
        }
        if (out->n == cap) {
            cap = cap ? cap * 2 : 64;
            struct hd_token *nv = realloc(out->v, cap * sizeof *nv);
            size_t *nk = realloc(key_at, cap * sizeof *nk);
            if (nv) out->v = nv;
            if (nk) key_at = nk;
            if (!nv || !nk) {
                rc = -1;
                break;
            }
        }
        struct hd_token *t = &out->v[out->n];
        t->start = s, t->end = e, t->cp_start = cp, t->cp_end = cp + cps;
        t->kind = status >= UBRK_WORD_NUMBER && status < UBRK_WORD_NUMBER_LIMIT ? HD_TOKEN_NUMBER
                  : status >= UBRK_WORD_NONE_LIMIT                              ? HD_TOKEN_WORD
                                                                                : HD_TOKEN_PUNCT;
        if (add_key(out, &keys_len, &keys_cap, text + s, e - s, &key_at[out->n]) < 0) rc = -1;
        out->n++;
        cp += cps;
    }
    /* the key buffer may have moved while it grew: pointers are set last */
    for (size_t i = 0; rc == 0 && i < out->n; i++) out->v[i].key = out->keys + key_at[i];
    free(key_at);
    utext_close(ut);
    if (rc < 0) hd_tokens_free(out);
    return rc;
}
