/* Normalisation of Arabic and Latin text for matching (never for display):
 * the one place that decides when two spellings are the same. */
#ifndef HD_NORMALIZE_H
#define HD_NORMALIZE_H

#include <stddef.h>
#include <stdint.h>

/* Text in its matching form, with the way back: map[i] is the code-point
 * offset in the original of the normalised code point i, and map[ncp] the
 * original's length in code points, so a normalised span [a, b) came from
 * the original span [map[a], map[b]). */
struct hd_norm {
    char *text;  /* NUL-terminated UTF-8 */
    size_t len;  /* bytes */
    size_t ncp;  /* code points */
    size_t *map; /* ncp + 1 entries */
};

/* Normalises s[0..len) (valid UTF-8): NFKC (so presentation forms and
 * compatibility characters become plain letters), then every code point
 * folded by hd_fold_cp(), Latin accents stripped and a hyphen between Latin
 * letters made a space ("Jong-un" matches "Jong Un"). White space is kept
 * as it is, one code point for one. Returns a new hd_norm, or NULL when out
 * of memory. */
struct hd_norm *hd_norm_new(const char *s, size_t len);
void hd_norm_free(struct hd_norm *n);

/* The matching form of one code point: 0 to drop it, else its replacement. */
uint32_t hd_fold_cp(uint32_t cp);

/* A new NUL-terminated matching key for s[0..len) (valid UTF-8): the
 * hd_norm_new() form with white-space runs collapsed to one space and the
 * ends trimmed. NULL when out of memory. */
char *hd_normalize_key(const char *s, size_t len);

/* hd_normalize_key() into buf: returns the key's length when it fitted in
 * cap bytes (NUL included), else a size that will fit (greater than or equal
 * to cap) and buf holds nothing useful. For hot loops that reuse a buffer. */
size_t hd_normalize_key_into(const char *s, size_t len, char *buf, size_t cap);

/* Nonzero for the code points that separate words (Unicode white space and
 * the invisible format characters that editors leave between words). */
int hd_is_space(uint32_t cp);

/* Nonzero for sentence and clause punctuation of either script, the Arabic
 * comma ، semicolon ؛ and question mark ؟ among them. */
int hd_is_punct(uint32_t cp);

#endif
