/* From a scraped page to an article. Metadata (front matter or a sidecar JSON)
 * always wins; otherwise the title is the first line that is not furniture,
 * the date a dateline, and the publisher a credit found by its shape: a
 * "CITY -AGENCY" line, a "PUBLISHER- " lead, or a closing "(AGENCY، AGENCY)". */
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "credits.h"
#include "dates.h"
#include "document.h"
#include "furniture.h"
#include "normalize.h"
#include "places.h"
#include "utf8.h"

struct meta {
    char *title, *published, *source, *url;
};

static void fail(char *err, size_t errlen, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, errlen, fmt, ap);
    va_end(ap);
}

static char *dup_range(const char *s, size_t n)
{
    char *d = malloc(n + 1);
    if (d) {
        memcpy(d, s, n);
        d[n] = 0;
    }
    return d;
}

static char *dup_trimmed(const char *s, size_t n)
{
    while (n > 0 && (*s == ' ' || *s == '\t')) s++, n--;
    while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r')) n--;
    /* YAML-style quotes around a value */
    if (n >= 2 && ((s[0] == '"' && s[n - 1] == '"') || (s[0] == '\'' && s[n - 1] == '\'')))
        s++, n -= 2;
    return dup_range(s, n);
}

static void set_meta(char **slot, char *value)
{
    if (!value) return;
    if (!*value) {
        free(value);
        return;
    }
    free(*slot);
    *slot = value;
}

/* A front-matter block: "---" on the first line, "key: value" lines, "---".
 * Returns the offset of the body after it, 0 when there is none. */
static size_t front_matter(const char *s, size_t len, struct meta *m)
{
    if (len < 4 || memcmp(s, "---\n", 4) != 0) return 0;
    const char *p = s + 4, *end = s + len;
    struct meta found = {0};
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        if (!nl) break;
        size_t n = (size_t)(nl - p);
        if (n == 3 && memcmp(p, "---", 3) == 0) {
            set_meta(&m->title, found.title);
            set_meta(&m->published, found.published);
            set_meta(&m->source, found.source);
            set_meta(&m->url, found.url);
            return (size_t)(nl + 1 - s);
        }
        const char *colon = memchr(p, ':', n);
        if (colon) {
            size_t kl = (size_t)(colon - p);
            char **slot = NULL;
            if (kl == 5 && !memcmp(p, "title", 5))
                slot = &found.title;
            else if ((kl == 9 && !memcmp(p, "published", 9)) || (kl == 4 && !memcmp(p, "date", 4)))
                slot = &found.published;
            else if (kl == 6 && !memcmp(p, "source", 6))
                slot = &found.source;
            else if (kl == 3 && !memcmp(p, "url", 3))
                slot = &found.url;
            if (slot) set_meta(slot, dup_trimmed(colon + 1, (size_t)(nl - colon - 1)));
        }
        p = nl + 1;
    }
    free(found.title), free(found.published), free(found.source), free(found.url);
    return 0; /* no closing line: not front matter */
}

static int sidecar_meta(const char *js, size_t len, struct meta *m, char *err, size_t errlen)
{
    json_error_t je;
    json_t *root = json_loadb(js, len, 0, &je);
    if (!root || !json_is_object(root)) {
        if (root)
            fail(err, errlen, "sidecar JSON is not an object");
        else
            fail(err, errlen, "sidecar JSON: %s (line %d)", je.text, je.line);
        json_decref(root);
        return -1;
    }
    static const char *keys[][2] = {
        {"title", NULL}, {"published", "date"}, {"source", "publisher"}, {"url", NULL}};
    char **slots[] = {&m->title, &m->published, &m->source, &m->url};
    for (size_t i = 0; i < 4; i++) {
        json_t *v = json_object_get(root, keys[i][0]);
        if (!v && keys[i][1]) v = json_object_get(root, keys[i][1]);
        if (json_is_string(v))
            set_meta(slots[i], dup_trimmed(json_string_value(v), json_string_length(v)));
    }
    json_decref(root);
    return 0;
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
    return dup_range(s, n);
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
static char *dateline_credit(const struct hd_line *l)
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
static char *lead_credit(const struct hd_line *l)
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
static int dual_dateline(const struct hd_line *l, char iso[11], char **agency)
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
static char *closing_credit(const struct hd_line *l)
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
static char *title_site(char *title)
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

struct buf {
    char *p;
    size_t len, cap;
};

static int buf_add(struct buf *b, const char *s, size_t n)
{
    if (b->len + n + 1 > b->cap) {
        size_t nc = (b->len + n + 1) * 2;
        char *np = realloc(b->p, nc);
        if (!np) return -1;
        b->p = np, b->cap = nc;
    }
    memcpy(b->p + b->len, s, n);
    b->len += n;
    b->p[b->len] = 0;
    return 0;
}

void hd_doc_free(struct hd_doc *d)
{
    if (!d) return;
    free(d->title), free(d->source), free(d->published), free(d->url), free(d->text);
    free(d->sentences);
    for (size_t i = 0; i < d->nremoved; i++) free(d->removed[i].line);
    free(d->removed);
    free(d);
}

/* An HTML character reference at s[0..n) ("&quot;", "&#1604;", "&#x644;"):
 * its code point and length, or 0. Scraped text often keeps them. */
static uint32_t html_entity(const char *s, size_t n, size_t *len)
{
    static const struct {
        const char *name;
        uint32_t cp;
    } named[] = {{"&quot;", '"'},   {"&amp;", '&'},    {"&apos;", '\''},
                 {"&lt;", '<'},     {"&gt;", '>'},     {"&nbsp;", 0xA0},
                 {"&laquo;", 0xAB}, {"&raquo;", 0xBB}, {"&hellip;", 0x2026}};
    for (size_t i = 0; i < sizeof named / sizeof *named; i++) {
        size_t l = strlen(named[i].name);
        if (n >= l && memcmp(s, named[i].name, l) == 0) {
            *len = l;
            return named[i].cp;
        }
    }
    if (n < 4 || s[1] != '#') return 0;
    int hex = s[2] == 'x' || s[2] == 'X';
    uint32_t cp = 0;
    size_t i = hex ? 3 : 2, digits = 0;
    for (; i < n && i < 12; i++, digits++) {
        char c = s[i];
        if (c >= '0' && c <= '9')
            cp = cp * (hex ? 16 : 10) + (uint32_t)(c - '0');
        else if (hex && (c | 32) >= 'a' && (c | 32) <= 'f')
            cp = cp * 16 + (uint32_t)((c | 32) - 'a' + 10);
        else
            break;
    }
    if (i >= n || s[i] != ';' || digits == 0 || cp == 0 || cp > 0x10FFFF ||
        (cp >= 0xD800 && cp <= 0xDFFF))
        return 0;
    *len = i + 1;
    return cp;
}

/* The text with "\r\n" and "\r" made "\n", a byte-order mark dropped and
 * HTML character references decoded. Never longer than the input. */
static char *clean_text(const char *buf, size_t len, size_t *out_len)
{
    if (len >= 3 && !memcmp(buf, "\xEF\xBB\xBF", 3)) buf += 3, len -= 3;
    char *t = malloc(len + 1), *o = t;
    if (!t) return NULL;
    for (size_t i = 0; i < len; i++) {
        size_t elen;
        uint32_t cp;
        if (buf[i] == '\r') {
            *o++ = '\n';
            if (i + 1 < len && buf[i + 1] == '\n') i++;
        } else if (buf[i] == '&' && (cp = html_entity(buf + i, len - i, &elen)) != 0) {
            o += hd_utf8_put(o, cp); /* at most 4 bytes for at least 4 read */
            i += elen - 1;
        } else {
            *o++ = buf[i];
        }
    }
    *o = 0;
    *out_len = (size_t)(o - t);
    return t;
}

struct hd_doc *hd_doc_parse(const char *buf, size_t len, const char *sidecar, size_t sidecar_len,
                            char *err, size_t errlen)
{
    struct meta m = {0};
    struct hd_doc *d = NULL;
    struct hd_line *lines = NULL;
    long nlines = 0;
    struct buf text = {0};
    char *t = NULL, *title_key = NULL;

    if (len > HD_DOC_MAX_BYTES) {
        fail(err, errlen, "larger than %u MiB", HD_DOC_MAX_BYTES >> 20);
        return NULL;
    }
    long bad = hd_utf8_invalid_at(buf, len);
    if (bad >= 0) {
        fail(err, errlen, "not valid UTF-8 (byte %ld)", bad);
        return NULL;
    }
    size_t tlen;
    t = clean_text(buf, len, &tlen);
    if (!t) goto oom;
    size_t body = front_matter(t, tlen, &m);
    if (sidecar) {
        if (hd_utf8_invalid_at(sidecar, sidecar_len) >= 0) {
            fail(err, errlen, "sidecar JSON is not valid UTF-8");
            goto fail;
        }
        if (sidecar_meta(sidecar, sidecar_len, &m, err, errlen) < 0) goto fail;
    }
    d = calloc(1, sizeof *d);
    if (!d) goto oom;
    d->published_source = "unknown";
    if (m.published) {
        char iso[32];
        if (hd_date_normalize(m.published, iso, sizeof iso)) {
            d->published = strdup(iso);
            d->published_source = "metadata";
            if (!d->published) goto oom;
        } else {
            snprintf(d->warning, sizeof d->warning,
                     "metadata date \"%.60s\" is not a date; ignored", m.published);
        }
    }

    nlines = hd_lines_new(t + body, tlen - body, &lines);
    if (nlines < 0) goto oom;
    size_t n = (size_t)nlines;

    /* Datelines and dateline credits are marked before the furniture rules
     * run, so that no layout rule removes them. */
    long first_prose = -1;
    for (size_t i = 0; i < n; i++)
        if (lines[i].prose) {
            first_prose = (long)i;
            break;
        }
    char iso[11], first_date[11] = "";
    for (size_t i = 0; i < n; i++) {
        if (lines[i].blank || lines[i].prose) continue;
        if (hd_date_line(lines[i].s, lines[i].len, iso)) {
            lines[i].date = 1;
            if (!first_date[0]) memcpy(first_date, iso, sizeof iso);
        }
    }
    char *credit = NULL;
    for (size_t i = 0; i < n && (long)i < first_prose && !credit; i++) {
        if (lines[i].blank || lines[i].date || i == 0) continue;
        credit = dateline_credit(&lines[i]);
        if (!credit && dual_dateline(&lines[i], iso, &credit)) {
            if (!first_date[0]) memcpy(first_date, iso, sizeof iso);
            lines[i].keep = 1; /* the line also names the place: it stays in the text */
        }
        if (credit) lines[i].keep = 1;
    }

    /* Credit lines after the last paragraph ("المصدر: الجزيرة + وكالات") are
     * short and sit beside furniture: protect them from the layout rules. */
    long last_prose = -1;
    for (size_t i = 0; i < n; i++)
        if (lines[i].prose) last_prose = (long)i;
    for (size_t i = (size_t)(last_prose + 1); i < n; i++) {
        char *c = lines[i].blank ? NULL : closing_credit(&lines[i]);
        if (c) lines[i].keep = 1;
        free(c);
    }

    hd_furniture_mark(lines, n);

    size_t title_at = n;
    for (size_t i = 0; i < n; i++)
        if (lines[i].title) title_at = i;
    if (m.title) {
        d->title = m.title, m.title = NULL;
    } else if (title_at < n) {
        d->title = dup_range(lines[title_at].s, lines[title_at].len);
        if (!d->title) goto oom;
    } else {
        fail(err, errlen, "no text");
        goto fail;
    }
    /* the title line's key before the site name is cut, to find it again */
    title_key = hd_normalize_key(d->title, strlen(d->title));
    if (!title_key) goto oom;
    char *site = title_site(d->title);
    if (!d->published && first_date[0]) {
        d->published = strdup(first_date);
        d->published_source = "dateline";
        if (!d->published) goto oom;
    }

    /* the publisher: metadata, a dateline credit, a lead credit, a closing credit */
    long closing = -1;
    for (long i = (long)n - 1; i >= 0; i--)
        if (!lines[i].blank && !lines[i].furniture && !lines[i].date) {
            if (!lines[i].title) closing = i;
            break;
        }
    char *closing_src = closing >= 0 ? closing_credit(&lines[closing]) : NULL;
    if (!credit) {
        for (size_t i = 0; i < n; i++) {
            if (lines[i].blank || lines[i].furniture || lines[i].date || lines[i].title) continue;
            if (lines[i].prose) credit = lead_credit(&lines[i]);
            if (lines[i].prose) break;
        }
    }
    if (m.source) {
        d->source = m.source, m.source = NULL;
        free(credit), free(closing_src), free(site);
    } else if (credit) {
        d->source = credit;
        free(closing_src), free(site);
    } else if (closing_src) {
        d->source = closing_src;
        free(site);
    } else {
        d->source = site;
    }
    d->url = m.url, m.url = NULL;

    /* The text: the title, then every paragraph that is neither furniture,
     * dateline, the title line again nor the closing credit line. */
    if (buf_add(&text, d->title, strlen(d->title)) < 0) goto oom;
    for (size_t i = 0; i < n; i++) {
        struct hd_line *l = &lines[i];
        if (l->blank) continue;
        int drop = l->furniture || l->date || (l->title && strcmp(l->key, title_key) == 0) ||
                   ((long)i == closing && closing_src && !l->title);
        if (l->furniture || l->date || ((long)i == closing && closing_src)) {
            struct hd_removed *nr = realloc(d->removed, (d->nremoved + 1) * sizeof *nr);
            if (!nr) goto oom;
            d->removed = nr;
            nr[d->nremoved].line = dup_range(l->s, l->len);
            nr[d->nremoved].why = l->furniture ? l->why : l->date ? "dateline" : "credit";
            if (!nr[d->nremoved++].line) goto oom;
        }
        if (drop) continue;
        if (buf_add(&text, "\n\n", 2) < 0 || buf_add(&text, l->s, l->len) < 0) goto oom;
    }
    d->text = text.p, text.p = NULL;
    d->text_len = text.len;
    if (hd_sentences_split(d->text, d->text_len, &d->sentences, &d->nsentences) < 0) goto oom;

    hd_lines_free(lines, n);
    free(t), free(title_key);
    free(m.title), free(m.published), free(m.source), free(m.url);
    return d;

oom:
    fail(err, errlen, "out of memory");
fail:
    hd_lines_free(lines, nlines > 0 ? (size_t)nlines : 0);
    free(text.p);
    free(t), free(title_key);
    free(m.title), free(m.published), free(m.source), free(m.url);
    hd_doc_free(d);
    return NULL;
}
