/* Character folding for matching keys. The rules follow Lucene's
 * ArabicNormalizer (alef forms -> bare alef, alef maqsura -> ya, ta marbuta ->
 * ha, harakat and tatweel removed) and CAMeL Tools' dediac/normalize_unicode;
 * digits of every Arabic script become ASCII; Latin is case-folded. */
#include <stdlib.h>
#include <string.h>

#include "normalize.h"
#include "utf8.h"

int hd_is_space(uint32_t cp)
{
    return cp == ' ' || cp == '\t' || cp == '\n' || cp == '\r' || cp == '\f' || cp == '\v' ||
           cp == 0xA0 || cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200A) || cp == 0x2028 ||
           cp == 0x2029 || cp == 0x202F || cp == 0x205F || cp == 0x3000;
}

uint32_t hd_fold_cp(uint32_t cp)
{
    if (cp >= 'A' && cp <= 'Z') return cp + 32;
    if (cp < 0x80) return hd_is_space(cp) ? ' ' : cp;
    if ((cp >= 0x064B && cp <= 0x065F) || cp == 0x0670 || cp == 0x0640) return 0; /* harakat */
    if (cp == 0x200B || cp == 0x200C || cp == 0x200D || cp == 0x200E || cp == 0x200F ||
        (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069) || cp == 0xFEFF)
        return 0; /* zero-width and bidi controls */
    switch (cp) {
    case 0x0622:
    case 0x0623:
    case 0x0625:
    case 0x0671: return 0x0627; /* آ أ إ ٱ -> ا */
    case 0x0649: return 0x064A; /* ى -> ي */
    case 0x0629: return 0x0647; /* ة -> ه */
    case 0x06CC: return 0x064A; /* Persian yeh */
    case 0x06A9: return 0x0643; /* keheh -> kaf */
    }
    if (cp >= 0x0660 && cp <= 0x0669) return '0' + (cp - 0x0660);
    if (cp >= 0x06F0 && cp <= 0x06F9) return '0' + (cp - 0x06F0);
    if (hd_is_space(cp)) return ' ';
    return cp;
}

char *hd_normalize_key(const char *s, size_t len)
{
    char *out = malloc(len + 1), *o = out;
    if (!out) return NULL;
    size_t i = 0;
    int pending_space = 0;
    while (i < len) {
        uint32_t cp = hd_fold_cp(hd_utf8_next(s, &i));
        if (cp == 0) continue;
        if (cp == ' ') {
            pending_space = o > out;
            continue;
        }
        if (pending_space) *o++ = ' ';
        pending_space = 0;
        o += hd_utf8_put(o, cp);
    }
    *o = 0;
    return out;
}
