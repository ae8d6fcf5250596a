/* The splitter is hand-written rather than ICU's sentence iterator because
 * Arabic headlines join clauses with ".." and ICU breaks there. */
#include <stdlib.h>

#include "normalize.h"
#include "sentences.h"
#include "utf8.h"

static int is_stop(uint32_t cp)
{
    return cp == '.' || cp == '!' || cp == '?' || cp == 0x061F || cp == 0x2026 || cp == 0x06D4;
}

static int is_closer(uint32_t cp)
{
    return cp == '"' || cp == '\'' || cp == 0x201D || cp == 0x2019 || cp == 0x00BB || cp == ')' ||
           cp == ']' || cp == 0x201C; /* “ is used as a closer in some Arabic text */
}

static int is_word_cp(uint32_t cp)
{
    return (cp >= '0' && cp <= '9') || (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') ||
           (cp >= 0x0620 && cp <= 0x064A) || (cp >= 0x0660 && cp <= 0x0669) ||
           (cp >= 0x066E && cp <= 0x06D3) || (cp >= 0x06F0 && cp <= 0x06FF) ||
           (cp >= 0x00C0 && cp <= 0x024F) || (cp >= 0x0400 && cp <= 0x04FF);
}

static int push(struct hd_span **arr, size_t *n, size_t *cap, const char *t, size_t s, size_t e)
{
    /* trim, then keep only spans with a letter or digit */
    while (s < e) {
        size_t i = s;
        if (!hd_is_space(hd_utf8_next(t, &i))) break;
        s = i;
    }
    while (e > s) {
        size_t b = e - 1;
        while (b > s && ((unsigned char)t[b] & 0xC0) == 0x80) b--;
        size_t i = b;
        if (!hd_is_space(hd_utf8_next(t, &i))) break;
        e = b;
    }
    int has_word = 0;
    for (size_t i = s; i < e && !has_word;) has_word = is_word_cp(hd_utf8_next(t, &i));
    if (!has_word) return 0;
    if (*n == *cap) {
        size_t nc = *cap ? *cap * 2 : 32;
        struct hd_span *na = realloc(*arr, nc * sizeof *na);
        if (!na) return -1;
        *arr = na, *cap = nc;
    }
    (*arr)[*n].start = s;
    (*arr)[(*n)++].end = e;
    return 0;
}

int hd_sentences_split(const char *t, size_t len, struct hd_span **out, size_t *n)
{
    size_t cap = 0, start = 0, i = 0;
    uint32_t prev = ' ', prev2 = ' ';
    *out = NULL;
    *n = 0;
    while (i < len) {
        size_t at = i;
        uint32_t cp = hd_utf8_next(t, &i);
        if (cp == '\n') {
            if (push(out, n, &cap, t, start, at) < 0) goto oom;
            start = i;
        } else if (is_stop(cp)) {
            /* the whole run of stops: "..", "...", "?!" */
            size_t run_end = i, dots = cp == '.', others = cp != '.';
            uint32_t next = 0;
            while (run_end < len) {
                size_t j = run_end;
                next = hd_utf8_next(t, &j);
                if (!is_stop(next)) break;
                dots += next == '.', others += next != '.';
                run_end = j;
            }
            int brk = 1;
            if (others == 0 && dots == 2) brk = 0; /* headline ".." */
            if (others == 0 && dots == 1) {
                /* 3.5 and U.S. are not sentence ends */
                int digit_before = prev >= '0' && prev <= '9';
                size_t j = run_end;
                uint32_t after = j < len ? hd_utf8_next(t, &j) : ' ';
                if (digit_before && after >= '0' && after <= '9') brk = 0;
                if (((prev >= 'A' && prev <= 'Z') || (prev >= 'a' && prev <= 'z')) &&
                    (prev2 == '.' || prev2 == ' ' || prev2 == '('))
                    brk = !(prev >= 'A' && prev <= 'Z') ? 1 : 0;
            }
            /* closing quotes and brackets belong to the sentence they close */
            size_t e = run_end;
            while (e < len) {
                size_t j = e;
                uint32_t c = hd_utf8_next(t, &j);
                if (!is_closer(c)) break;
                e = j;
            }
            /* only a stop followed by space or the end of the line ends a sentence */
            if (e < len) {
                size_t j = e;
                uint32_t c = hd_utf8_next(t, &j);
                if (!hd_is_space(c)) brk = 0;
            }
            if (brk) {
                if (push(out, n, &cap, t, start, e) < 0) goto oom;
                start = e;
            }
            i = run_end;
            prev2 = prev;
            prev = '.';
            continue;
        }
        prev2 = prev;
        prev = cp;
    }
    if (push(out, n, &cap, t, start, len) < 0) goto oom;
    return 0;
oom:
    free(*out);
    *out = NULL;
    *n = 0;
    return -1;
}
