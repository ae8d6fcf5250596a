/* Proclitics and enclitics by rule, on normalised words (ة is ه, أ is ا).
 * The lists follow the light stemmers of Larkey et al. ("Light Stemming
 * for Arabic Information Retrieval", Light10: prefixes وال بال كال فال لل و,
 * suffixes ها ان ات ون ين يه يه ه ي) reduced to what names and their
 * adjectives need: conjunction, preposition and article in front; the
 * possessive pronouns behind, with the ta marbuta they uncover restored
 * (رسالته > رساله). */
#include <string.h>

#include "clitics.h"
#include "utf8.h"

/* Longest first, so that "وال" is tried before "و". */
static const char *const proclitics[] = {
    "\u0648\u0628\u0627\u0644", /* وبال */
    "\u0648\u0643\u0627\u0644", /* وكال */
    "\u0641\u0628\u0627\u0644", /* فبال */
    "\u0648\u0644\u0644",       /* ولل */
    "\u0641\u0644\u0644",       /* فلل */
    "\u0648\u0627\u0644",       /* وال */
    "\u0641\u0627\u0644",       /* فال */
    "\u0628\u0627\u0644",       /* بال */
    "\u0643\u0627\u0644",       /* كال */
    "\u0644\u0644",             /* لل: ل + ال, the alef elided */
    "\u0627\u0644",             /* ال */
    "\u0648\u0628",             /* وب */
    "\u0648\u0644",             /* ول */
    "\u0648\u0643",             /* وك */
    "\u0641\u0628",             /* فب */
    "\u0641\u0644",             /* فل */
    "\u0648",
    "\u0641",
    "\u0628",
    "\u0644",
    "\u0643", /* و ف ب ل ك */
};

/* Possessive and object pronouns, longest first. */
static const char *const enclitics[] = {
    "\u0647\u0645\u0627", /* هما */
    "\u0643\u0645\u0627", /* كما */
    "\u0647\u0627",       /* ها */
    "\u0647\u0645",       /* هم */
    "\u0647\u0646",       /* هن */
    "\u0643\u0645",       /* كم */
    "\u0646\u0627",       /* نا */
    "\u0647",             /* ه */
};

static size_t letters(const char *s, size_t n)
{
    return hd_utf8_count(s, n);
}

static int add(char stems[][HD_STEM_MAX], int *n, int max, const char *s, size_t len)
{
    if (*n >= max || len == 0 || len >= HD_STEM_MAX || letters(s, len) < 2) return 0;
    for (int i = 0; i < *n; i++)
        if (strlen(stems[i]) == len && !memcmp(stems[i], s, len)) return 0;
    memcpy(stems[*n], s, len);
    stems[(*n)++][len] = 0;
    return 1;
}

/* The stem without a pronoun suffix, if it leaves a word; "...ت" before a
 * pronoun is a ta marbuta, given back as ه. */
static void add_without_suffix(char stems[][HD_STEM_MAX], int *n, int max, const char *s,
                               size_t len)
{
    for (size_t i = 0; i < sizeof enclitics / sizeof *enclitics; i++) {
        size_t el = strlen(enclitics[i]);
        if (len <= el || memcmp(s + len - el, enclitics[i], el) != 0) continue;
        size_t rest = len - el;
        if (letters(s, rest) < 3) continue; /* short words are not word + pronoun */
        static const char ta[] = "\u062A", ha[] = "\u0647";
        if (rest >= 2 && !memcmp(s + rest - 2, ta, 2) && rest < HD_STEM_MAX - 1) {
            char buf[HD_STEM_MAX];
            memcpy(buf, s, rest - 2);
            memcpy(buf + rest - 2, ha, 2);
            add(stems, n, max, buf, rest);
        }
        add(stems, n, max, s, rest);
        break; /* one pronoun at most */
    }
}

static int by_length(const char *a, const char *b)
{
    return (int)strlen(b) - (int)strlen(a);
}

int hd_clitic_stems(const char *word, char stems[][HD_STEM_MAX], int max)
{
    int n = 0;
    size_t len = strlen(word);
    if (max <= 0) return 0;
    add(stems, &n, max, word, len);
    if (n == 0) return 0; /* too short or too long to have clitics */
    for (size_t i = 0; i < sizeof proclitics / sizeof *proclitics; i++) {
        size_t pl = strlen(proclitics[i]);
        if (len <= pl || memcmp(word, proclitics[i], pl) != 0) continue;
        add(stems, &n, max, word + pl, len - pl);
        add_without_suffix(stems, &n, max, word + pl, len - pl);
    }
    add_without_suffix(stems, &n, max, word, len);
    /* longest first, the word itself staying first (insertion sort: few) */
    for (int i = 2; i < n; i++)
        for (int j = i; j > 1 && by_length(stems[j - 1], stems[j]) > 0; j--) {
            char tmp[HD_STEM_MAX];
            memcpy(tmp, stems[j], HD_STEM_MAX);
            memcpy(stems[j], stems[j - 1], HD_STEM_MAX);
            memcpy(stems[j - 1], tmp, HD_STEM_MAX);
        }
    return n;
}

int hd_proclitics(const char *word, size_t *lens, int max)
{
    int n = 0;
    size_t len = strlen(word);
    for (size_t i = 0; i < sizeof proclitics / sizeof *proclitics && n < max; i++) {
        size_t pl = strlen(proclitics[i]);
        if (len > pl && !memcmp(word, proclitics[i], pl) && letters(word + pl, len - pl) >= 2)
            lens[n++] = pl;
    }
    return n;
}
