/* Sentences from ICU's sentence break iterator (over the UTF-8 text, so its
 * boundaries are byte offsets), with three repairs for what ICU's rules,
 * written for cased scripts, cannot know: Arabic headlines join clauses with
 * ".." ("زيارة بوتين.. كوريا"), which ICU takes for a sentence end before a
 * letter that is not lower case; a one-letter abbreviation ("U.S. CENTCOM")
 * is not an end either; and an ellipsis "…" before a new clause is one.
 * ICU already keeps numbers (3.5), closing quotes and ؟ right. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <unicode/ubrk.h>
#include <unicode/utext.h>

#include "normalize.h"
#include "sentences.h"
#include "utf8.h"

/* One iterator opened at first use; each call works on a clone of it. */
static UBreakIterator *proto;
static pthread_once_t once = PTHREAD_ONCE_INIT;

static void init(void)
{
    UErrorCode st = U_ZERO_ERROR;
    proto = ubrk_open(UBRK_SENTENCE, "ar", NULL, 0, &st);
    if (U_FAILURE(st)) proto = NULL;
}

static int is_word_cp(uint32_t cp)
{
    return (cp >= '0' && cp <= '9') || (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') ||
           (cp >= 0x0620 && cp <= 0x064A) || (cp >= 0x0660 && cp <= 0x0669) ||
           (cp >= 0x066E && cp <= 0x06D3) || (cp >= 0x06F0 && cp <= 0x06FF) ||
           (cp >= 0x00C0 && cp <= 0x024F) || (cp >= 0x0400 && cp <= 0x04FF);
}

/* Appends [s, e) trimmed of white space, if it holds a letter or digit. */
static int push(struct hd_span **arr, size_t *n, size_t *cap, const char *t, size_t s, size_t e)
{
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

/* Does t[s..e) end, before trailing white space, with exactly two dots? */
static int ends_with_two_dots(const char *t, size_t s, size_t e)
{
    while (e > s && (t[e - 1] == ' ' || t[e - 1] == '\t')) e--;
    return e - s >= 3 && t[e - 1] == '.' && t[e - 2] == '.' && t[e - 3] != '.';
}

/* Does t[s..e) end with a one-letter Latin abbreviation, "U." or "U.S."? */
static int ends_with_initial(const char *t, size_t s, size_t e)
{
    while (e > s && (t[e - 1] == ' ' || t[e - 1] == '\t')) e--;
    if (e - s < 2 || t[e - 1] != '.' || t[e - 2] < 'A' || t[e - 2] > 'Z') return 0;
    return e - s == 2 || t[e - 3] == '.' || t[e - 3] == ' ' || t[e - 3] == '(';
}

/* Pushes [s, e), split after each "…" that white space follows. */
static int push_split(struct hd_span **arr, size_t *n, size_t *cap, const char *t, size_t s,
                      size_t e)
{
    static const char ellipsis[] = "\u2026";
    for (size_t i = s; i + 3 < e; i++)
        if (!memcmp(t + i, ellipsis, 3) && (t[i + 3] == ' ' || t[i + 3] == '\n')) {
            if (push(arr, n, cap, t, s, i + 3) < 0) return -1;
            s = i + 3;
        }
    return push(arr, n, cap, t, s, e);
}

int hd_sentences_split(const char *t, size_t len, struct hd_span **out, size_t *n)
{
    size_t cap = 0;
    *out = NULL;
    *n = 0;
    pthread_once(&once, init);
    UErrorCode st = U_ZERO_ERROR;
    UBreakIterator *bi = proto ? ubrk_clone(proto, &st) : NULL;
    UText *ut = utext_openUTF8(NULL, t, (int64_t)len, &st);
    if (bi) ubrk_setUText(bi, ut, &st);
    if (!bi || U_FAILURE(st)) {
        if (bi) ubrk_close(bi);
        utext_close(ut);
        return -1;
    }
    size_t start = 0; /* the start of the sentence being built */
    int rc = 0;
    for (int32_t b = ubrk_next(bi); b != UBRK_DONE && rc == 0; b = ubrk_next(bi)) {
        size_t e = (size_t)b;
        /* a headline's ".." joins, unless a line ends there */
        if (e < len && t[e - 1] != '\n' &&
            (ends_with_two_dots(t, start, e) || ends_with_initial(t, start, e)))
            continue;
        rc = push_split(out, n, &cap, t, start, e);
        start = e;
    }
    if (rc == 0 && start < len) rc = push_split(out, n, &cap, t, start, len);
    ubrk_close(bi);
    utext_close(ut);
    if (rc < 0) {
        free(*out);
        *out = NULL;
        *n = 0;
    }
    return rc;
}
