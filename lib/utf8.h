/* UTF-8 decoding and validation: every offset the API gives is in Unicode code
 * points, while the text is stored as UTF-8 bytes. */
#ifndef HD_UTF8_H
#define HD_UTF8_H

#include <stddef.h>
#include <stdint.h>

/* Offset of the first invalid byte of s[0..len), or -1 when s is valid UTF-8
 * (shortest forms only, no surrogates, no NUL bytes). */
long hd_utf8_invalid_at(const char *s, size_t len);

/* Decodes the code point at s[*i] (valid UTF-8 assumed) and advances *i. */
uint32_t hd_utf8_next(const char *s, size_t *i);

/* Writes cp as UTF-8 into out (at least 4 bytes); returns the byte count. */
size_t hd_utf8_put(char *out, uint32_t cp);

/* Number of code points in s[0..len). */
size_t hd_utf8_count(const char *s, size_t len);

#endif
