/* What the fuzz targets share: a property check that aborts (libFuzzer then
 * keeps the input that broke it), a UTF-8 validator written apart from
 * lib/utf8.c to judge it and the outputs by, and the query-string splitting
 * libmicrohttpd does before server/http.c sees the arguments. */
#ifndef HD_FUZZ_H
#define HD_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FUZZ_CHECK(cond, ...)                                                                      \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            fprintf(stderr, "property failed at %s:%d: ", __FILE__, __LINE__);                     \
            fprintf(stderr, __VA_ARGS__);                                                          \
            fputc('\n', stderr);                                                                   \
            abort();                                                                               \
        }                                                                                          \
    } while (0)

/* Well-formed UTF-8 by the table of the Unicode standard (3-7), without NUL:
 * the contract of hd_utf8_invalid_at, from another reading of it. */
static inline int fuzz_utf8_ok(const char *str, size_t n)
{
    const unsigned char *s = (const unsigned char *)str;
    for (size_t i = 0; i < n;) {
        unsigned c = s[i];
        size_t k;
        unsigned lo = 0x80, hi = 0xBF;
        if (c == 0) return 0;
        if (c < 0x80) {
            i++;
            continue;
        }
        if (c >= 0xC2 && c <= 0xDF)
            k = 1;
        else if (c >= 0xE0 && c <= 0xEF)
            k = 2, lo = c == 0xE0 ? 0xA0 : 0x80, hi = c == 0xED ? 0x9F : 0xBF;
        else if (c >= 0xF0 && c <= 0xF4)
            k = 3, lo = c == 0xF0 ? 0x90 : 0x80, hi = c == 0xF4 ? 0x8F : 0xBF;
        else
            return 0;
        if (i + k >= n) return 0;
        if (s[i + 1] < lo || s[i + 1] > hi) return 0;
        for (size_t j = 2; j <= k; j++)
            if (s[i + j] < 0x80 || s[i + j] > 0xBF) return 0;
        i += k + 1;
    }
    return 1;
}

/* The input as a NUL-terminated string (a NUL in it ends it, as in C). */
static inline char *fuzz_cstr(const uint8_t *data, size_t size)
{
    char *s = malloc(size + 1);
    if (!s) abort();
    memcpy(s, data, size);
    s[size] = 0;
    return s;
}

static inline int fuzz_hex(int c)
{
    return c >= '0' && c <= '9'   ? c - '0'
           : c >= 'a' && c <= 'f' ? c - 'a' + 10
           : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                  : -1;
}

/* Percent-decodes s in place as libmicrohttpd does ("%zz" stays as it is,
 * "+" stays a plus); a %00 ends the string, as it does for a handler. */
static inline void fuzz_unescape(char *s)
{
    char *o = s;
    for (char *p = s; *p; p++) {
        int h, l;
        if (*p == '%' && (h = fuzz_hex(p[1])) >= 0 && (l = fuzz_hex(p[2])) >= 0) {
            *o++ = (char)(h * 16 + l);
            p += 2;
        } else {
            *o++ = *p;
        }
    }
    *o = 0;
}

/* Splits the query string q (modified) into at most max name, value pairs,
 * percent-decoded, value "" for "?flag"; returns how many. */
static inline size_t fuzz_split_query(char *q, const char **names, const char **values, size_t max)
{
    size_t n = 0;
    for (char *p = q; p && *p && n < max;) {
        char *amp = strchr(p, '&');
        if (amp) *amp = 0;
        if (*p) { /* "&&" gives nothing */
            char *eq = strchr(p, '=');
            if (eq) *eq = 0;
            fuzz_unescape(p);
            if (eq) fuzz_unescape(eq + 1);
            names[n] = p, values[n] = eq ? eq + 1 : "";
            n++;
        }
        p = amp ? amp + 1 : NULL;
    }
    return n;
}

#endif
