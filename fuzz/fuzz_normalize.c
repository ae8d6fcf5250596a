/* lib/utf8.c and lib/normalize.c, through which every name, word and query
 * is matched: keys, the map back to the original, the key of a key. Byte 0 is
 * hd_normalize_key_into()'s buffer size, the rest the text. */
#include <unicode/unorm2.h>

#include "fuzz.h"
#include "normalize.h"
#include "utf8.h"

static void check_utf8(const char *s, size_t n)
{
    long bad = hd_utf8_invalid_at(s, n);
    FUZZ_CHECK((bad < 0) == fuzz_utf8_ok(s, n), "hd_utf8_invalid_at says %ld", bad);
    if (bad >= 0) {
        FUZZ_CHECK((size_t)bad < n && fuzz_utf8_ok(s, (size_t)bad), "invalid at %ld", bad);
        return;
    }
    /* decoding and encoding again gives the same bytes */
    char out[4];
    size_t i = 0, cps = 0;
    while (i < n) {
        size_t at = i;
        uint32_t cp = hd_utf8_next(s, &i);
        size_t k = hd_utf8_put(out, cp);
        FUZZ_CHECK(k == i - at && !memcmp(out, s + at, k), "U+%04X at %zu", (unsigned)cp, at);
        uint32_t f = hd_fold_cp(cp);
        FUZZ_CHECK(f <= 0x10FFFF && (f < 0xD800 || f > 0xDFFF), "U+%04X folds to U+%04X",
                   (unsigned)cp, (unsigned)f);
        cps++;
    }
    FUZZ_CHECK(cps == hd_utf8_count(s, n), "count");
}

/* Does s[0..n) hold a code point with more than 60 bytes of combining
 * marks after it? normalize.c then normalises them one at a time, without
 * NFKC's reordering (a guard against absurd runs), so a second pass may
 * order them otherwise. */
static int absurd_marks(const char *s, size_t n)
{
    UErrorCode st = U_ZERO_ERROR;
    const UNormalizer2 *nfkc = unorm2_getNFKCInstance(&st);
    size_t chunk = 0;
    for (size_t i = 0; i < n;) {
        size_t at = i;
        uint32_t cp = hd_utf8_next(s, &i);
        chunk = unorm2_hasBoundaryBefore(nfkc, (UChar32)cp) ? i - at : chunk + (i - at);
        if (chunk > 60) return 1;
    }
    return 0;
}

/* A key: UTF-8, one space between words, none at the ends. */
static void check_key(const char *k, size_t len)
{
    FUZZ_CHECK(strlen(k) == len && fuzz_utf8_ok(k, len), "key of %zu bytes", len);
    FUZZ_CHECK(!strstr(k, "  ") && (len == 0 || (k[0] != ' ' && k[len - 1] != ' ')),
               "key \"%s\" has stray spaces", k);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1) return 0;
    size_t cap = data[0], n = size - 1;
    char *s = fuzz_cstr(data + 1, n); /* exactly n bytes and a NUL, for ASan */
    check_utf8(s, n);
    long bad = hd_utf8_invalid_at(s, n);
    if (bad >= 0) n = (size_t)bad;

    struct hd_norm *norm = hd_norm_new(s, n);
    FUZZ_CHECK(norm != NULL, "hd_norm_new");
    FUZZ_CHECK(strlen(norm->text) == norm->len && fuzz_utf8_ok(norm->text, norm->len),
               "normalised text");
    FUZZ_CHECK(norm->ncp == hd_utf8_count(norm->text, norm->len), "ncp");
    size_t ocp = hd_utf8_count(s, n);
    FUZZ_CHECK(norm->map[norm->ncp] == ocp, "map[ncp] %zu, not %zu", norm->map[norm->ncp], ocp);
    for (size_t i = 0; i < norm->ncp; i++)
        FUZZ_CHECK(norm->map[i] < ocp && (i == 0 || norm->map[i] >= norm->map[i - 1]),
                   "map[%zu] = %zu", i, norm->map[i]);

    char *key = hd_normalize_key(s, n);
    FUZZ_CHECK(key != NULL, "hd_normalize_key");
    size_t kl = strlen(key);
    check_key(key, kl);

    /* into a buffer of exactly cap bytes: the key, or a size that fits */
    char *buf = malloc(cap ? cap : 1);
    size_t r = hd_normalize_key_into(s, n, buf, cap);
    if (r < cap) {
        FUZZ_CHECK(r == kl && !strcmp(buf, key), "hd_normalize_key_into gave %zu bytes", r);
    } else {
        char *big = malloc(r);
        size_t r2 = hd_normalize_key_into(s, n, big, r);
        FUZZ_CHECK(r2 < r && r2 == kl && !strcmp(big, key), "the size it asked for (%zu)", r);
        free(big);
    }
    free(buf);

    /* a key is its own key: the search tokenizer normalises a query's
     * words, which hd_fts_query() normalised already */
    if (!absurd_marks(s, n)) {
        char *again = hd_normalize_key(key, kl);
        FUZZ_CHECK(again && !strcmp(again, key), "\"%s\" normalises to \"%s\"", key,
                   again ? again : "(null)");
        free(again);
    }
    free(key);
    hd_norm_free(norm);
    free(s);
    return 0;
}
