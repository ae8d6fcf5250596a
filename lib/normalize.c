/* Normalisation for matching. The character rules follow Lucene's
 * ArabicNormalizer (alef forms أ إ آ ٱ -> ا, alef maqsura ى -> ي, ta marbuta
 * ة -> ه, harakat and tatweel removed) and CAMeL Tools' dediac_ar and
 * normalize_unicode (NFKC first, so presentation forms and ligatures such as
 * ﻻ become plain letters; superscript alef removed); digits of every Arabic
 * script become ASCII, bidi controls and zero-width characters go, Latin is
 * case-folded and stripped of accents (as Lucene's ASCIIFoldingFilter does).
 * Every output code point remembers the original code point it came from. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <unicode/uchar.h>
#include <unicode/unorm2.h>
#include <unicode/ustring.h>

#include "normalize.h"
#include "utf8.h"

static const UNormalizer2 *nfkc, *nfd;
static pthread_once_t once = PTHREAD_ONCE_INIT;

static void init(void)
{
    UErrorCode st = U_ZERO_ERROR;
    nfkc = unorm2_getNFKCInstance(&st);
    st = U_ZERO_ERROR;
    nfd = unorm2_getNFDInstance(&st);
}

int hd_is_space(uint32_t cp)
{
    return cp == ' ' || cp == '\t' || cp == '\n' || cp == '\r' || cp == '\f' || cp == '\v' ||
           cp == 0xA0 || cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200A) || cp == 0x2028 ||
           cp == 0x2029 || cp == 0x202F || cp == 0x205F || cp == 0x3000;
}

int hd_is_punct(uint32_t cp)
{
    return cp == '.' || cp == ',' || cp == ';' || cp == ':' || cp == '!' || cp == '?' ||
           cp == 0x060C || cp == 0x061B || cp == 0x061F || cp == 0x06D4 || cp == 0x2026;
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

/* The base letter of an accented Latin letter (é -> e), by its canonical
 * decomposition; other code points unchanged. */
static uint32_t strip_accent(uint32_t cp)
{
    if (cp < 0xC0 || cp > 0x24F) return cp;
    UChar buf[8];
    UErrorCode st = U_ZERO_ERROR;
    int32_t n = unorm2_getDecomposition(nfd, (UChar32)cp, buf, 8, &st);
    return U_SUCCESS(st) && n > 0 && buf[0] < 0x80 ? buf[0] : cp;
}

static uint32_t fold_full(uint32_t cp)
{
    /* an accent NFKC could not compose onto its letter (a second one, or
     * one after a dropped character) goes too; else the key of a key would
     * differ ("á́" gives "á", whose key is "a"), and a query, normalised
     * again by the search tokenizer, would miss the document */
    if (cp >= 0x0300 && cp <= 0x036F) return 0;
    cp = hd_fold_cp(strip_accent(cp));
    /* only scripts with case need ICU's case folding; Arabic has none */
    if (cp < 0x80 || (cp >= 0x0600 && cp <= 0x06FF)) return cp;
    return (uint32_t)u_foldCase((UChar32)cp, U_FOLD_CASE_DEFAULT);
}

/* Does a normalisation boundary come before cp, that is, is it not a mark
 * that combines with what precedes it? Answered without ICU for ASCII,
 * Latin-1 and the Arabic block, whose combining marks are the harakat and
 * Quranic signs listed here. */
static int boundary_before(uint32_t cp)
{
    if (cp < 0x300) return 1;
    if (cp >= 0x0600 && cp <= 0x06FF)
        return !((cp >= 0x0610 && cp <= 0x061A) || (cp >= 0x064B && cp <= 0x065F) || cp == 0x0670 ||
                 (cp >= 0x06D6 && cp <= 0x06DC) || (cp >= 0x06DF && cp <= 0x06E4) ||
                 (cp >= 0x06E7 && cp <= 0x06E8) || (cp >= 0x06EA && cp <= 0x06ED));
    return unorm2_hasBoundaryBefore(nfkc, (UChar32)cp);
}

struct out {
    char *p;
    size_t len, ncp;
    size_t *map; /* NULL when no map is wanted */
};

/* Appends the folded cp, which came from original code point at. The output
 * buffer has room: see hd_norm_new() for the bound. */
static void emit(struct out *o, uint32_t cp, size_t at)
{
    cp = fold_full(cp);
    if (cp == 0) return;
    if (o->map) o->map[o->ncp] = at;
    o->ncp++;
    o->len += hd_utf8_put(o->p + o->len, cp);
}

/* Does cp need NFKC? ASCII and the letters of the Arabic block are NFKC
 * forms already (أ stays أ: NFKC composes), except the high-hamza letters
 * U+0675..U+0678, which decompose. */
static int plain(uint32_t cp)
{
    return cp < 0x80 || (cp >= 0x0600 && cp <= 0x06FF && !(cp >= 0x0675 && cp <= 0x0678));
}

/* Emits the NFKC form of s[start..end) (at most 60 bytes), each output
 * code point mapped to the original code point at; the text as it is when
 * ICU fails. */
static void emit_nfkc(struct out *o, const char *s, size_t start, size_t end, size_t at)
{
    UChar in[64], outbuf[256];
    UErrorCode st = U_ZERO_ERROR;
    int32_t n16 = 0;
    u_strFromUTF8(in, 64, &n16, s + start, (int32_t)(end - start), &st);
    int32_t m = U_SUCCESS(st) ? unorm2_normalize(nfkc, in, n16, outbuf, 256, &st) : -1;
    if (U_FAILURE(st) || m < 0) {
        for (size_t k = start; k < end;) emit(o, hd_utf8_next(s, &k), at);
        return;
    }
    for (int32_t k = 0; k < m;) {
        UChar32 c;
        U16_NEXT(outbuf, k, m, c);
        emit(o, (uint32_t)c, at);
    }
}

static int normalize(const char *s, size_t len, struct out *o)
{
    size_t i = 0, cpi = 0;
    while (i < len) {
        size_t start_cp = cpi, start = i;
        uint32_t cp = hd_utf8_next(s, &i);
        cpi++;
        /* a chunk: this code point and the combining marks after it */
        size_t end = i;
        while (end < len) {
            size_t j = end;
            uint32_t next = hd_utf8_next(s, &j);
            if (boundary_before(next)) break;
            end = j;
            cpi++;
        }
        if (end == i && plain(cp)) {
            emit(o, cp, start_cp);
            continue;
        }
        /* NFKC of the chunk; each output code point maps to its start. An
         * absurd run of marks is normalised a code point at a time: not
         * composed, but decomposed as NFKC would (kept as it was, ٸ stayed
         * ٸ, and the key of the key was يٴ) */
        if (end - start > 60) {
            for (size_t k = start; k < end;) {
                size_t from = k;
                uint32_t c = hd_utf8_next(s, &k);
                if (plain(c))
                    emit(o, c, start_cp);
                else
                    emit_nfkc(o, s, from, k, start_cp);
            }
        } else {
            emit_nfkc(o, s, start, end, start_cp);
        }
        i = end;
    }
    /* "Jong-un" is "Jong Un": a hyphen between Latin letters is a space */
    for (size_t k = 1; k + 1 < o->len; k++)
        if (o->p[k] == '-' && ((o->p[k - 1] | 32) >= 'a' && (o->p[k - 1] | 32) <= 'z') &&
            ((o->p[k + 1] | 32) >= 'a' && (o->p[k + 1] | 32) <= 'z'))
            o->p[k] = ' ';
    if (o->map) o->map[o->ncp] = cpi;
    o->p[o->len] = 0;
    return 0;
}

/* Sizes the output before filling it. Folding never lengthens a code point
 * that needs no NFKC; one that does may expand (ﷺ is 18 letters), and 18
 * code points of 4 bytes bound it. The usual text is all plain, so the bound
 * is its own length. */
static int run(const char *s, size_t len, struct out *o, int want_map)
{
    pthread_once(&once, init);
    size_t bytes = 0, cps = 0;
    for (size_t i = 0; i < len;) {
        size_t at = i;
        uint32_t cp = hd_utf8_next(s, &i);
        int p = plain(cp);
        bytes += p ? i - at : 72;
        cps += p ? 1 : 18;
    }
    o->p = malloc(bytes + 1);
    o->map = want_map ? malloc((cps + 1) * sizeof *o->map) : NULL;
    o->len = o->ncp = 0;
    if (!o->p || (want_map && !o->map)) {
        free(o->p), free(o->map);
        return -1;
    }
    return normalize(s, len, o);
}

struct hd_norm *hd_norm_new(const char *s, size_t len)
{
    struct hd_norm *n = malloc(sizeof *n);
    struct out o;
    if (!n || run(s, len, &o, 1) < 0) {
        free(n);
        return NULL;
    }
    n->text = o.p, n->len = o.len, n->ncp = o.ncp, n->map = o.map;
    return n;
}

void hd_norm_free(struct hd_norm *n)
{
    if (!n) return;
    free(n->text), free(n->map);
    free(n);
}

/* White-space runs to one space, ends trimmed, in place; the new length. */
static size_t collapse(char *p)
{
    char *w = p;
    int pending = 0;
    for (const char *r = p; *r; r++) {
        if (*r == ' ') {
            pending = w > p;
            continue;
        }
        if (pending) *w++ = ' ';
        pending = 0;
        *w++ = *r;
    }
    *w = 0;
    return (size_t)(w - p);
}

char *hd_normalize_key(const char *s, size_t len)
{
    struct out o;
    if (run(s, len, &o, 0) < 0) return NULL;
    collapse(o.p);
    return o.p;
}

size_t hd_normalize_key_into(const char *s, size_t len, char *buf, size_t cap)
{
    pthread_once(&once, init);
    size_t bytes = 0;
    for (size_t i = 0; i < len;) {
        size_t at = i;
        bytes += plain(hd_utf8_next(s, &i)) ? i - at : 72;
    }
    if (bytes + 1 > cap) return bytes + 1;
    struct out o = {buf, 0, 0, NULL};
    normalize(s, len, &o);
    return collapse(buf);
}
