/* Words, numbers and punctuation of a text, found by ICU's word break
 * iterator, each with its offsets in the original and its matching key. */
#ifndef HD_TOKENS_H
#define HD_TOKENS_H

#include <stddef.h>

enum hd_token_kind { HD_TOKEN_WORD, HD_TOKEN_NUMBER, HD_TOKEN_PUNCT };

struct hd_token {
    size_t start, end;       /* byte offsets in the text, end exclusive */
    size_t cp_start, cp_end; /* the same in code points */
    enum hd_token_kind kind;
    const char *key; /* hd_normalize_key() form, owned by the list */
};

struct hd_tokens {
    struct hd_token *v;
    size_t n;
    char *keys; /* one buffer for every key */
};

/* A word break iterator; not to be shared between threads. */
struct hd_segmenter;

struct hd_segmenter *hd_segmenter_new(char *err, size_t errlen);
void hd_segmenter_free(struct hd_segmenter *sg);

/* Splits text[0..len) (valid UTF-8) into tokens; white space is no token.
 * Returns 0, or -1 when out of memory or ICU fails. */
int hd_tokenize(struct hd_segmenter *sg, const char *text, size_t len, struct hd_tokens *out);
void hd_tokens_free(struct hd_tokens *t);

#endif
