/* Sentence splitting of cleaned article text (Arabic and Latin punctuation). */
#ifndef HD_SENTENCES_H
#define HD_SENTENCES_H

#include <stddef.h>

struct hd_span {
    size_t start, end; /* byte offsets, end exclusive */
};

/* Splits text[0..len) (valid UTF-8) into sentences: at . ! ? ؟ … and at line
 * ends, but not at the ".." of headlines, inside numbers, after one-letter
 * Latin abbreviations (U.S.) or before a closing quote. Spans are trimmed and
 * hold at least one letter or digit. Returns 0 and a new array in *out (the
 * caller frees it), or -1 when out of memory. */
int hd_sentences_split(const char *text, size_t len, struct hd_span **out, size_t *n);

#endif
