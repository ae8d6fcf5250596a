/* Publisher credits. The lexicons (outlets.tsv, credits.tsv) are keysets
 * built once and read without locks; the shapes of credits are rules written
 * from the conventions of Arabic wires and papers, not from any one site. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "credits.h"
#include "dates.h"
#include "keyset.h"
#include "normalize.h"
#include "places.h"
#include "utf8.h"

static struct hd_keyset outlets, generic_words, outlet_words, photo_words;
static pthread_once_t once = PTHREAD_ONCE_INIT;

static void load(void)
{
    hd_keyset_add_tsv(&outlets, "outlets.tsv", 0x7, NULL); /* English, Arabic, aliases */
    hd_keyset_add_tsv(&generic_words, "credits.tsv", 0x2, "generic");
    hd_keyset_add_tsv(&outlet_words, "credits.tsv", 0x2, "outlet");
    hd_keyset_add_tsv(&photo_words, "credits.tsv", 0x2, "photo");
    hd_keyset_seal(&outlets);
    hd_keyset_seal(&generic_words);
    hd_keyset_seal(&outlet_words);
    hd_keyset_seal(&photo_words);
}

int hd_credit_outlet(const char *s, size_t n)
{
    pthread_once(&once, load);
    return hd_keyset_has_text(&outlets, s, n);
}

int hd_credit_generic(const char *s, size_t n)
{
    pthread_once(&once, load);
    return hd_keyset_has_text(&generic_words, s, n);
}

int hd_credit_outlet_word(const char *s, size_t n)
{
    pthread_once(&once, load);
    char *key = hd_normalize_key(s, n), *save = NULL;
    int found = 0;
    for (char *w = key ? strtok_r(key, " ", &save) : NULL; w && !found;
         w = strtok_r(NULL, " ", &save))
        found = hd_keyset_has(&outlet_words, w);
    free(key);
    return found;
}

int hd_credit_photo(const char *s, size_t n)
{
    pthread_once(&once, load);
    return hd_keyset_has_text(&photo_words, s, n) || hd_keyset_has_text(&outlets, s, n);
}

static int starts_with(const char *s, const char *prefix)
{
    return strncmp(s, prefix, strlen(prefix)) == 0;
}

static int count_words(const char *s, size_t n)
{
    int w = 0, in = 0;
    for (size_t i = 0; i < n; i++) {
        int sp = s[i] == ' ';
        if (!sp && !in) w++;
        in = !sp;
    }
    return w;
}

/* Copies a normalised credit, trimmed of spaces, quotes and dashes, from the
 * original line. Credits keep their original spelling for display. */
static int credit_edge(uint32_t cp)
{
    return hd_is_space(cp) || hd_fold_cp(cp) == 0 || cp == '-' || cp == 0x2013 || cp == 0x2014 ||
           cp == '"' || cp == '(' || cp == ')' || cp == ':' || cp == 0x00AB || cp == 0x00BB ||
           cp == 0x201C || cp == 0x201D;
}

static char *credit_text(const char *s, size_t n)
{
    size_t i = 0, j;
    while (i < n) { /* leading spaces, dashes, quotes and invisible marks */
        j = i;
        if (!credit_edge(hd_utf8_next(s, &j))) break;
        i = j;
    }
    s += i, n -= i;
    while (n > 0) { /* and trailing ones */
        size_t b = n - 1;
        while (b > 0 && ((unsigned char)s[b] & 0xC0) == 0x80) b--;
        j = b;
        if (!credit_edge(hd_utf8_next(s, &j))) break;
        n = b;
    }
    int letter = 0;
    for (i = 0; i < n && !letter; i++)
        letter = (unsigned char)s[i] >= 0x80 || ((s[i] | 32) >= 'a' && (s[i] | 32) <= 'z');
    if (n == 0 || !letter) return NULL;
    return strndup(s, n);
}

/* Byte offset in s of the first dash that stands between words ("سول -رويترز",
 * "نيوز- أشاد", "القاهرة - قال"), within the first max_words words; -1 if none. */
static long lead_dash(const char *s, size_t n, int max_words)
{
    int words = 0, in = 0;
    for (size_t i = 0; i < n;) {
        size_t at = i;
        uint32_t cp = hd_utf8_next(s, &i);
        if (cp == '-' || cp == 0x2013 || cp == 0x2014) {
            /* not a hyphen inside a word or a number range */
            int before_ok = at == 0 || s[at - 1] == ' ' || ((unsigned char)s[at - 1] >= 0x80);
            int after_ok = i >= n || s[i] == ' ' || ((unsigned char)s[i] >= 0x80);
            if (before_ok && after_ok && words > 0) return (long)at;
            continue;
        }
        if (hd_is_space(cp)) {
            in = 0;
            continue;
        }
        if (cp == 0x060C || cp == ',' || cp == '.' || cp == ':' || cp == '"') return -1;
        if (!in && ++words > max_words) return -1;
        in = 1;
    }
    return -1;
}

static int known_place(const char *s, size_t n)
{
    char *key = hd_normalize_key(s, n);
    int known = key && hd_place_known(key);
    free(key);
    return known;
}

/* "A (B)" → B, "A/B" → B with A a place: the agency of a dateline. */
static char *agency_after_place(const char *s, size_t n)
{
    const char *open = memchr(s, '(', n),
               *close = open ? memchr(open, ')', n - (size_t)(open - s)) : NULL;
    if (open && close && close > open + 1) return credit_text(open + 1, (size_t)(close - open - 1));
    const char *slash = memchr(s, '/', n);
    if (slash && known_place(s, (size_t)(slash - s)))
        return credit_text(slash + 1, n - (size_t)(slash + 1 - s));
    return NULL;
}

static int is_dash_at(const char *s, size_t n, size_t at, size_t *next)
{
    size_t i = at;
    uint32_t cp = hd_utf8_next(s, &i);
    if (cp != '-' && cp != 0x2013 && cp != 0x2014) return 0;
    /* not a hyphen inside a word or a number range */
    int before_ok = at == 0 || s[at - 1] == ' ' || ((unsigned char)s[at - 1] >= 0x80);
    int after_ok = i >= n || s[i] == ' ' || ((unsigned char)s[i] >= 0x80);
    *next = i;
    return before_ok && after_ok;
}

/* Splits s[0..n) at its dashes and slashes into trimmed segments, dropping the places
 * and generic words; returns how many are kept (-1 when a segment is longer
 * than three words, so no credit), and whether a place was dropped. */
static int credit_segments(const char *s, size_t n, const char **seg, size_t *segn, int max,
                           int *had_place)
{
    int nseg = 0;
    size_t start = 0;
    *had_place = 0;
    for (size_t i = 0; i <= n;) {
        size_t next = i + 1;
        if (i == n || s[i] == '/' || is_dash_at(s, n, i, &next)) {
            const char *a = s + start;
            size_t an = i - start;
            while (an && *a == ' ') a++, an--;
            while (an && a[an - 1] == ' ') an--;
            if (an && count_words(a, an) > 3) return -1;
            if (an && known_place(a, an)) {
                *had_place = 1;
            } else if (an && !hd_credit_generic(a, an)) {
                if (nseg == max) return -1;
                seg[nseg] = a;
                segn[nseg++] = an;
            }
            if (i == n) break;
            start = next;
            i = next;
            continue;
        }
        hd_utf8_next(s, &i);
    }
    return nseg;
}

/* A line that is only a dateline credit: "سول -رويترز", "عين اليوم – متابعات",
 * "موسكو (رويترز)". Places and generic words drop out; a known outlet among
 * the rest is the publisher, else a lone one-word segment is. Several words
 * may as well be a reporter's name ("سلوى سعد – متابعات"), so they are not
 * taken for a publisher unless outlets.tsv knows them. */
char *hd_credit_dateline(const struct hd_line *l)
{
    if (l->words < 2 || l->words > 6 || l->ends_stop) return NULL;
    const char *open = memchr(l->s, '(', l->len);
    if (open && l->s[l->len - 1] == ')' && count_words(l->s, (size_t)(open - l->s)) <= 2) {
        char *agency = credit_text(open + 1, l->len - (size_t)(open - l->s) - 2);
        if (agency && known_place(agency, strlen(agency))) free(agency), agency = NULL;
        return agency;
    }
    if (lead_dash(l->s, l->len, 3) < 0 && !memchr(l->s, '/', l->len)) return NULL;
    const char *seg[4];
    size_t segn[4];
    int had_place, n = credit_segments(l->s, l->len, seg, segn, 4, &had_place);
    for (int i = 0; i < n; i++)
        if (hd_credit_outlet(seg[i], segn[i])) return credit_text(seg[i], segn[i]);
    if (n != 1 || count_words(seg[0], segn[0]) > 1) return NULL;
    return credit_text(seg[0], segn[0]);
}

/* A credit chain ending in ':' or '/': "سبق- الدمام:", "عوض الفهمي- سبق- أضم:",
 * "فايز الحسيكي – عين اليوم /". Places and generic words drop out; of what
 * is left, a first segment of two or more words is the reporter's name and
 * the publisher follows it, else the first segment is the publisher. */
static char *chain_credit(const char *s, size_t n)
{
    size_t term = 0;
    int words = 0, in = 0, dashes = 0;
    for (size_t i = 0; i < n && !term;) {
        size_t at = i, next;
        if (is_dash_at(s, n, at, &next)) {
            dashes++;
            in = 0;
            i = next;
            continue;
        }
        uint32_t cp = hd_utf8_next(s, &i);
        if (cp == ':' || cp == '/')
            term = at;
        else if (cp == ',' || cp == 0x060C || cp == '.' || cp == '"' || cp == '(')
            return NULL;
        else if (hd_is_space(cp))
            in = 0;
        else if (!in && ++words > 9)
            return NULL;
        else
            in = 1;
    }
    if (!term || !dashes) return NULL;
    const char *seg[8];
    size_t segn[8];
    int had_place, nseg = credit_segments(s, term, seg, segn, 8, &had_place);
    if (nseg <= 0) return NULL;
    for (int i = 0; i < nseg; i++)
        if (hd_credit_outlet(seg[i], segn[i])) return credit_text(seg[i], segn[i]);
    int pick = nseg >= 2 && count_words(seg[0], segn[0]) >= 2 ? 1 : 0;
    return credit_text(seg[pick], segn[pick]);
}

/* The lead of the first paragraph: "صراحة نيوز- أشاد ...", "القاهرة (رويترز) - قال",
 * or a credit chain. */
char *hd_credit_lead(const struct hd_line *l)
{
    char *chain = chain_credit(l->s, l->len);
    if (chain) return chain;
    long d = lead_dash(l->s, l->len, 3);
    if (d <= 0) {
        /* "موسكو (رويترز) -" has a parenthesis, which lead_dash does not pass */
        const char *close = memchr(l->s, ')', l->len > 80 ? 80 : l->len);
        if (!close || l->s[0] == '(') return NULL;
        const char *p = close + 1;
        while (p < l->s + l->len && *p == ' ') p++;
        if (p >= l->s + l->len ||
            (*p != '-' && !starts_with(p, "\u2013") && !starts_with(p, "\u2014")))
            return NULL;
        return agency_after_place(l->s, (size_t)(close + 1 - l->s));
    }
    const char *a = l->s;
    size_t an = (size_t)d;
    char *agency = agency_after_place(a, an);
    if (agency) return agency;
    /* a city dateline, or "متابعات-", names no publisher */
    if (known_place(a, an) || hd_credit_generic(a, an)) return NULL;
    if (hd_credit_outlet(a, an)) return credit_text(a, an);
    /* "وصل - بحفظ الله ورعايته - خادم ...": a dash that opens an aside */
    if (lead_dash(l->s + d + 1, l->len - (size_t)d - 1, 6) >= 0) return NULL;
    /* Several words may be a reporter's name ("عبدالرحمن الشهري – نجران صرح"):
     * they are a publisher only with an outlet word (نيوز، برس، صحيفة). */
    if (count_words(a, an) > 1 && !hd_credit_outlet_word(a, an)) return NULL;
    return credit_text(a, an);
}

/* The dateline of Saudi Press Agency copy and the papers that carry it, with
 * both calendars and the agency: "واشنطن 15 شوال 1436 هـ الموافق 31 يوليو
 * 2015 م واس". Sets iso to the Gregorian date and *agency to the agency when
 * outlets.tsv knows it; returns 1 when the line is such a dateline. */
int hd_credit_dual_dateline(const struct hd_line *l, char iso[11], char **agency)
{
    static const char marker[] = "الموافق";
    if (l->prose || l->words > 16) return 0;
    const char *m = memmem(l->s, l->len, marker, sizeof marker - 1);
    if (!m) return 0;
    const char *date = m + sizeof marker - 1, *end = l->s + l->len;
    /* the Gregorian date ends at the era mark "م" */
    const char *era = NULL;
    for (const char *p = date; p + 3 <= end; p++)
        if (p[0] == ' ' && !memcmp(p + 1, "\u0645", 2) && (p + 3 == end || p[3] == ' ')) {
            era = p;
            break;
        }
    if (!hd_date_line(date, (size_t)((era ? era : end) - date), iso)) return 0;
    *agency = NULL;
    if (era && era + 3 < end && hd_credit_outlet(era + 3, (size_t)(end - era - 3)))
        *agency = credit_text(era + 3, (size_t)(end - era - 3));
    return 1;
}

/* A closing credit line: "(فرانس برس، العربي الجديد)" or "المصدر: الجزيرة". */
char *hd_credit_closing(const struct hd_line *l)
{
    /* a list of short names: "(فرانس برس، العربي الجديد)", "(رويترز/ أ ف ب)" */
    if (l->len > 2 && l->s[0] == '(' && l->s[l->len - 1] == ')' && l->words <= 8 &&
        !memchr(l->s + 1, '(', l->len - 2) && !memchr(l->s + 1, ':', l->len - 2)) {
        const char *p = l->s + 1, *end = l->s + l->len - 1;
        int item_words = 0, in = 0, ok = 1;
        for (size_t i = 0; p + i < end && ok;) {
            uint32_t cp = hd_utf8_next(p, &i);
            if (cp == 0x060C || cp == ',' || cp == '/' || cp == '+' || cp == '-')
                item_words = 0, in = 0;
            else if (hd_is_space(cp))
                in = 0;
            else if (!in)
                in = 1, ok = ++item_words <= 3;
        }
        return ok ? credit_text(l->s + 1, l->len - 2) : NULL;
    }
    /* "- Reuters", "— رويترز" alone on the last line */
    if (l->len > 2 && l->words <= 3 && !l->ends_stop) {
        size_t next;
        if (is_dash_at(l->s, l->len, 0, &next) && !known_place(l->s + next, l->len - next))
            return credit_text(l->s + next, l->len - next);
    }
    static const char *labels[] = {"المصدر", "source", "المصادر"};
    for (size_t i = 0; i < 3; i++) {
        size_t ll = strlen(labels[i]);
        if (starts_with(l->key, labels[i]) && (l->key[ll] == ':' || l->key[ll] == ' ')) {
            const char *colon = memchr(l->s, ':', l->len);
            if (!colon || l->words > 8) return NULL;
            return credit_text(colon + 1, l->len - (size_t)(colon + 1 - l->s));
        }
    }
    return NULL;
}

/* Cuts a site name off a scraped headline, "عنوان الخبر | الجزيرة نت" or
 * "عنوان الخبر - سكاي نيوز عربية", and returns it (or NULL). After a bar any
 * short name is a site's; after a dash only an outlet's, since headlines use
 * dashes themselves. */
char *hd_credit_title_site(char *title)
{
    size_t n = strlen(title);
    for (size_t i = n; i-- > 1;) {
        size_t next = i + 1;
        int bar = title[i] == '|';
        if (!bar && (title[i - 1] != ' ' || !is_dash_at(title, n, i, &next))) continue;
        const char *site = title + next;
        size_t sn = n - next;
        while (sn && *site == ' ') site++, sn--;
        if (!sn || count_words(site, sn) > 4) return NULL;
        if (!bar && !hd_credit_outlet(site, sn) && !hd_credit_outlet_word(site, sn)) return NULL;
        char *name = credit_text(site, sn);
        size_t cut = i;
        while (cut > 0 && title[cut - 1] == ' ') cut--;
        if (!name || cut == 0) {
            free(name);
            return NULL;
        }
        title[cut] = 0;
        return name;
    }
    return NULL;
}
