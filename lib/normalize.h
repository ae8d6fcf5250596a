/* Normalisation of Arabic and Latin text for matching (never for display):
 * the one place that decides when two spellings are the same. */
#ifndef HD_NORMALIZE_H
#define HD_NORMALIZE_H

#include <stddef.h>
#include <stdint.h>

/* The matching form of one code point: 0 to drop it, else its replacement. */
uint32_t hd_fold_cp(uint32_t cp);

/* A new NUL-terminated matching key for s[0..len) (valid UTF-8): every code
 * point folded, whitespace runs collapsed to one space, ends trimmed. NULL
 * when out of memory. */
char *hd_normalize_key(const char *s, size_t len);

/* Nonzero for the code points that separate words (Unicode white space and
 * the invisible format characters that editors leave between words). */
int hd_is_space(uint32_t cp);

#endif
