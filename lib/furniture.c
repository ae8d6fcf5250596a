/* Furniture rules, applied in order:
 *  1. markers from furniture.tsv: a `line` is furniture, a `block` opens a run
 *     of non-prose lines that are furniture too (related stories), an `end`
 *     closes it, a `prefix` starts a furniture line, a `footer` ends the text;
 *  2. the title is the first line left, skipping short labels that follow
 *     furniture (breadcrumbs);
 *  3. a line of four or more words repeated verbatim is furniture (captions
 *     and alt texts appear twice on scraped pages); the first copy of the
 *     title or of a paragraph stays;
 *  4. a line that is not prose and ends with a photo credit (an outlet or a
 *     photo source from the credit lexicons), "(إكس)" or a dated " - Reuters",
 *     is a caption;
 *  5. a short line without sentence punctuation next to furniture is
 *     furniture (widget labels, lone buttons). */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "blob.h"
#include "credits.h"
#include "furniture.h"
#include "normalize.h"
#include "utf8.h"

enum kind { K_NONE, K_LINE, K_BLOCK, K_END, K_PREFIX, K_FOOTER };

struct marker {
    char *key;
    enum kind kind;
};

static struct marker *markers;
static size_t nmarkers;
static pthread_once_t once = PTHREAD_ONCE_INIT;

/* The key a marker is compared by, made in place: the punctuation that
 * widgets put around a label ("+ الخط -", "تعليقات:", "* القائمة") dropped
 * from both ends. Applied to lexicon entries and page lines alike. */
static char *marker_key(char *key)
{
    size_t n = strlen(key);
    while (n > 0 && strchr(" -+*|:.", key[n - 1])) key[--n] = 0;
    while (*key && strchr(" -+*|:.", *key)) key++;
    return key;
}

static void load(void)
{
    const struct hd_blob *b = hd_blob_get("furniture.tsv");
    if (!b) return;
    size_t cap = 0, lineno = 0;
    const char *p = b->data, *end = b->data + b->len;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        if (!nl) nl = end;
        lineno++;
        const char *t1 = memchr(p, '\t', (size_t)(nl - p));
        const char *t2 = t1 ? memchr(t1 + 1, '\t', (size_t)(nl - t1 - 1)) : NULL;
        if (p == nl || *p == '#') {
            p = nl + 1;
            continue;
        }
        enum kind k = K_NONE;
        size_t kl = t1 ? (size_t)(t1 - p) : 0;
        if (kl == 4 && !memcmp(p, "line", 4))
            k = K_LINE;
        else if (kl == 5 && !memcmp(p, "block", 5))
            k = K_BLOCK;
        else if (kl == 3 && !memcmp(p, "end", 3))
            k = K_END;
        else if (kl == 6 && !memcmp(p, "prefix", 6))
            k = K_PREFIX;
        else if (kl == 6 && !memcmp(p, "footer", 6))
            k = K_FOOTER;
        const char *text = t1 ? t1 + 1 : NULL, *text_end = t2 ? t2 : nl;
        char *key =
            k && text && text_end > text ? hd_normalize_key(text, (size_t)(text_end - text)) : NULL;
        if (key) memmove(key, marker_key(key), strlen(marker_key(key)) + 1);
        if (!key || !*key) {
            fprintf(stderr, "furniture.tsv:%zu: bad row (want kind TAB text TAB provenance)\n",
                    lineno);
            free(key);
            p = nl + 1;
            continue;
        }
        if (nmarkers == cap) {
            cap = cap ? cap * 2 : 128;
            struct marker *nm = realloc(markers, cap * sizeof *nm);
            if (!nm) {
                free(key);
                return;
            }
            markers = nm;
        }
        markers[nmarkers].key = key;
        markers[nmarkers++].kind = k;
        p = nl + 1;
    }
}

/* Does key start with the marker m, followed by the end, a space, a colon,
 * a dash or an Arabic comma? */
static int starts_with_marker(const char *key, const char *m)
{
    size_t ml = strlen(m);
    if (strncmp(key, m, ml) != 0) return 0;
    const char *r = key + ml;
    return !*r || *r == ' ' || *r == ':' || *r == '-' || strncmp(r, "\u060c", 2) == 0;
}

/* The marker kind of a line; *inline_label is set when a line or block
 * marker starts the line as a label ("اقرأ أيضا: عنوان آخر"). */
static enum kind marker_of(const char *line_key, int *inline_label)
{
    char buf[512];
    size_t n = strlen(line_key);
    if (n >= sizeof buf) n = sizeof buf - 1;
    memcpy(buf, line_key, n);
    buf[n] = 0;
    const char *k = marker_key(buf);
    *inline_label = 0;
    for (size_t i = 0; i < nmarkers; i++) {
        const struct marker *m = &markers[i];
        if (m->kind == K_PREFIX) {
            if (starts_with_marker(k, m->key)) return K_PREFIX;
        } else if (strcmp(k, m->key) == 0) {
            return m->kind;
        } else if ((m->kind == K_BLOCK || m->kind == K_LINE) && starts_with_marker(k, m->key)) {
            size_t ml = strlen(m->key);
            const char *r = k + ml;
            while (*r == ' ') r++;
            if (*r == ':') *inline_label = 1;
        }
    }
    return K_NONE;
}

static int is_bullet(uint32_t cp)
{
    return cp == 0x2022 || cp == 0x00B7 || cp == 0x25AA || cp == 0x25BA || cp == 0x25C4 ||
           cp == 0x25A0 || cp == 0x25A1 || cp == 0x25CB || cp == 0x25CF || cp == '-' || cp == '*' ||
           cp == 0x2013 || cp == 0x2014 || cp == 0x2043 || cp == 0x25E6 || cp == 0x2713 ||
           cp == 0x27A2 || cp == 0x2B9E;
}

static int is_stop(uint32_t cp)
{
    return cp == '.' || cp == '!' || cp == '?' || cp == 0x061F || cp == 0x2026 || cp == ':' ||
           cp == 0x061B || cp == 0x06D4;
}

static int is_closer(uint32_t cp)
{
    return cp == '"' || cp == '\'' || cp == 0x201D || cp == 0x201C || cp == 0x2019 ||
           cp == 0x00BB || cp == ')' || cp == ']' || cp == 0x00AB;
}

static int is_wordish(uint32_t cp)
{
    return (cp >= '0' && cp <= '9') || (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') ||
           (cp >= 0x0620 && cp <= 0x064A) || (cp >= 0x0660 && cp <= 0x06FF) || cp >= 0x00C0;
}

static void classify(struct hd_line *l)
{
    size_t i = 0;
    int in_word = 0, has_wordish = 0;
    uint32_t first = 0, last = 0, last_real = 0;
    l->blank = 1;
    while (i < l->len) {
        uint32_t cp = hd_utf8_next(l->s, &i);
        if (!first) first = cp;
        if (hd_is_space(cp)) {
            if (in_word && has_wordish) l->words++;
            in_word = has_wordish = 0;
            continue;
        }
        in_word = 1;
        if (is_wordish(cp)) has_wordish = 1, l->blank = 0;
        last = cp;
        if (!is_closer(cp)) last_real = cp;
    }
    if (in_word && has_wordish) l->words++;
    (void)last;
    if (l->blank) return;
    size_t j = 0;
    if (is_bullet(first) && l->len > 1) {
        hd_utf8_next(l->s, &j);
        uint32_t second = j < l->len ? hd_utf8_next(l->s, &j) : 0;
        l->bullet = hd_is_space(second);
    }
    l->ends_stop = is_stop(last_real);
    l->prose = !l->bullet && ((l->words >= 6 && l->ends_stop) || l->words >= 20);
}

long hd_lines_new(const char *text, size_t len, struct hd_line **out)
{
    size_t n = 0, cap = 64;
    struct hd_line *lines = calloc(cap, sizeof *lines);
    if (!lines) return -1;
    const char *p = text, *end = text + len;
    while (p <= end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        if (!nl) nl = end;
        const char *s = p, *e = nl;
        /* trim white space, including the no-break and ideographic spaces */
        for (;;) {
            size_t i = (size_t)(s - text);
            if (s >= e || !hd_is_space(hd_utf8_next(text, &i))) break;
            s = text + i;
        }
        while (e > s) {
            const char *b = e - 1;
            while (b > s && ((unsigned char)*b & 0xC0) == 0x80) b--;
            size_t i = (size_t)(b - text);
            if (!hd_is_space(hd_utf8_next(text, &i))) break;
            e = b;
        }
        if (n == cap) {
            struct hd_line *nl2 = realloc(lines, 2 * cap * sizeof *lines);
            if (!nl2) goto oom;
            memset(nl2 + cap, 0, cap * sizeof *lines);
            lines = nl2, cap *= 2;
        }
        struct hd_line *l = &lines[n++];
        l->s = s;
        l->len = (size_t)(e - s);
        l->key = hd_normalize_key(s, l->len);
        if (!l->key) goto oom;
        classify(l);
        if (nl == end) break;
        p = nl + 1;
    }
    *out = lines;
    return (long)n;
oom:
    hd_lines_free(lines, n);
    return -1;
}

void hd_lines_free(struct hd_line *lines, size_t n)
{
    if (!lines) return;
    for (size_t i = 0; i < n; i++) free(lines[i].key);
    free(lines);
}

static void set(struct hd_line *l, const char *why)
{
    if (!l->furniture) l->furniture = 1, l->why = why;
}

/* Does the key end with a photo credit: "(إكس)", "(رويترز)", or " - Reuters"
 * after a year? Either way the credit is at most three words. */
static int ends_with_credit(const char *key)
{
    size_t n = strlen(key);
    if (n > 2 && key[n - 1] == ')') {
        const char *open = strrchr(key, '(');
        if (!open || open == key) return 0;
        return hd_credit_photo(open + 1, (size_t)(key + n - 1 - open - 1));
    }
    const char *dash = strrchr(key, '-');
    if (!dash || dash == key || !hd_credit_photo(dash + 1, strlen(dash + 1))) return 0;
    /* a year (19xx or 20xx) before the dash makes it a dated caption */
    for (const char *c = key; c + 4 <= dash; c++)
        if ((c[0] == '1' && c[1] == '9') || (c[0] == '2' && c[1] == '0'))
            if (c[2] >= '0' && c[2] <= '9' && c[3] >= '0' && c[3] <= '9' &&
                (c == key || c[-1] < '0' || c[-1] > '9') && (c[4] < '0' || c[4] > '9'))
                return 1;
    return 0;
}

/* "1 - ...", "3. ...": an item of a numbered list, which is article content. */
static int numbered(const char *key)
{
    const char *k = key;
    while (*k >= '0' && *k <= '9') k++;
    if (k == key) return 0;
    while (*k == ' ') k++;
    return *k == '-' || *k == '.' || *k == ')';
}

/* qsort has no context argument: the lines being sorted, set just before. */
static _Thread_local const struct hd_line *sort_lines;

/* Orders line indexes by key, then by position, so each group of equal lines
 * starts with its earliest copy. */
static int by_key(const void *a, const void *b)
{
    size_t x = *(const size_t *)a, y = *(const size_t *)b;
    int c = strcmp(sort_lines[x].key, sort_lines[y].key);
    return c ? c : (x > y) - (x < y);
}

static int layout_protected(const struct hd_line *l)
{
    return l->title || l->keep || l->date;
}

void hd_furniture_mark(struct hd_line *lines, size_t n)
{
    pthread_once(&once, load);

    /* 1. markers */
    for (size_t i = 0; i < n; i++) {
        struct hd_line *l = &lines[i];
        if (l->blank) continue;
        int label;
        enum kind k = marker_of(l->key, &label);
        if (k == K_NONE && label && !l->prose) set(l, "marker label");
        if (k == K_NONE) continue;
        set(l, "marker");
        if (k == K_FOOTER) {
            for (size_t j = i + 1; j < n; j++) set(&lines[j], "after footer");
            break;
        }
        if (k == K_BLOCK) {
            int items = 0;
            for (size_t j = i + 1; j < n && items < 12; j++) {
                struct hd_line *m = &lines[j];
                if (m->blank) continue;
                int label;
                if (marker_of(m->key, &label) == K_END) {
                    set(m, "marker");
                    break;
                }
                if (m->prose || m->keep || m->date) break;
                set(m, "block");
                items++;
            }
        }
    }

    /* 2. the title: the first line left, unless it is a short label right
     * after furniture (a breadcrumb: "الرئيسية" then "أخبار مصر"). */
    size_t title = n;
    const struct hd_line *prev = NULL;
    for (size_t i = 0; i < n && title == n; i++) {
        struct hd_line *l = &lines[i];
        if (l->blank) continue;
        if (!l->furniture && !l->date && !l->keep) {
            if (prev && prev->furniture && l->words <= 3 && !l->prose)
                set(l, "beside furniture");
            else
                title = i;
        }
        prev = l;
    }
    if (title < n) lines[title].title = 1;

    /* 3. verbatim repeats, found by sorting the lines on their keys: a
     * hostile page of many lines must not cost quadratic time */
    size_t *order = malloc(n * sizeof *order), m = 0;
    for (size_t i = 0; order && i < n; i++)
        if (!lines[i].blank && lines[i].words >= 4) order[m++] = i; /* short repeats are labels */
    if (order) {
        sort_lines = lines;
        qsort(order, m, sizeof *order, by_key);
        for (size_t g = 0; g < m;) {
            size_t e = g + 1;
            while (e < m && strcmp(lines[order[e]].key, lines[order[g]].key) == 0) e++;
            if (e - g > 1) {
                struct hd_line *first = &lines[order[g]]; /* the earliest copy */
                for (size_t k = g + 1; k < e; k++) set(&lines[order[k]], "repeated");
                /* a caption goes in all its copies; a paragraph keeps its first */
                if (order[g] != title && !first->keep && !first->date && !first->prose)
                    set(first, "repeated");
            }
            g = e;
        }
        free(order);
    }

    /* 4. captions */
    for (size_t i = 0; i < n; i++) {
        struct hd_line *l = &lines[i];
        if (l->blank || l->furniture || l->prose || l->ends_stop || layout_protected(l)) continue;
        if (l->words >= 3 && !l->bullet && !numbered(l->key) && ends_with_credit(l->key))
            set(l, "caption");
    }

    /* 5. short lines beside furniture: a sweep forward, then one back, so a
     * run of them is taken whichever end touches the furniture */
    for (int dir = 0; dir < 2; dir++) {
        for (size_t k = 0; k < n; k++) {
            size_t i = dir ? n - 1 - k : k;
            struct hd_line *l = &lines[i];
            if (l->blank || l->furniture || l->prose || layout_protected(l)) continue;
            if (l->words > 3 || l->ends_stop) continue;
            long p = (long)i - 1, q = (long)i + 1;
            while (p >= 0 && lines[p].blank) p--;
            while ((size_t)q < n && lines[q].blank) q++;
            if ((p >= 0 && lines[p].furniture) || ((size_t)q < n && lines[q].furniture))
                set(l, "beside furniture");
        }
    }
}
