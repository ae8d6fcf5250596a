/* From a scraped page to an article. Metadata (front matter or a sidecar JSON)
 * always wins; otherwise the title is the first line that is not furniture
 * (furniture.c), the date a dateline (dates.c), and the publisher a credit
 * found by its shape (credits.c): a "CITY -AGENCY" line, a "PUBLISHER- "
 * lead, a closing "(AGENCY، AGENCY)", or the site's name after the title. */
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

static char *dup_trimmed(const char *s, size_t n)
{
    while (n > 0 && (*s == ' ' || *s == '\t')) s++, n--;
    while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r')) n--;
    /* YAML-style quotes around a value */
    if (n >= 2 && ((s[0] == '"' && s[n - 1] == '"') || (s[0] == '\'' && s[n - 1] == '\'')))
        s++, n -= 2;
    return strndup(s, n);
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

/* The metadata of a JSON object: a sidecar, or a JSON Lines record. The
 * names are the ones news datasets use; the first present wins. */
static void json_meta(json_t *root, struct meta *m)
{
    static const char *keys[][3] = {{"title", NULL, NULL},
                                    {"published", "date", "date_extracted"},
                                    {"source", "publisher", NULL},
                                    {"url", NULL, NULL}};
    char **slots[] = {&m->title, &m->published, &m->source, &m->url};
    for (size_t i = 0; i < 4; i++) {
        json_t *v = NULL;
        for (size_t k = 0; k < 3 && keys[i][k] && !json_is_string(v); k++)
            v = json_object_get(root, keys[i][k]);
        if (json_is_string(v))
            set_meta(slots[i], dup_trimmed(json_string_value(v), json_string_length(v)));
    }
}

/* The object in js[0..len), or NULL with the reason (what names the input). */
static json_t *load_object(const char *js, size_t len, const char *what, char *err, size_t errlen)
{
    json_error_t je;
    json_t *root = json_loadb(js, len, 0, &je);
    if (!root || !json_is_object(root)) {
        if (root)
            fail(err, errlen, "%s is not an object", what);
        else
            fail(err, errlen, "%s: %s (line %d, column %d)", what, je.text, je.line, je.column);
        json_decref(root);
        return NULL;
    }
    return root;
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

/* hd_doc_parse, with the metadata from record (a JSON Lines object) when
 * it is not NULL, else from the sidecar's bytes. */
static struct hd_doc *parse(const char *buf, size_t len, const char *sidecar, size_t sidecar_len,
                            json_t *record, char *err, size_t errlen)
{
    struct meta m = {0};
    struct hd_doc *d = NULL;
    struct hd_line *lines = NULL;
    long nlines = 0;
    struct buf text = {0};
    /* the publisher's candidates, freed on every way out until one is taken */
    char *t = NULL, *title_key = NULL, *credit = NULL, *site = NULL, *closing_src = NULL;

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
    if (record) {
        json_meta(record, &m);
    } else if (sidecar) {
        if (hd_utf8_invalid_at(sidecar, sidecar_len) >= 0) {
            fail(err, errlen, "sidecar JSON is not valid UTF-8");
            goto fail;
        }
        json_t *root = load_object(sidecar, sidecar_len, "sidecar JSON", err, errlen);
        if (!root) goto fail;
        json_meta(root, &m);
        json_decref(root);
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
            /* at most 60 bytes of it, cut at a character: the warning is UTF-8 */
            size_t n = strnlen(m.published, 60);
            long cut = hd_utf8_invalid_at(m.published, n);
            snprintf(d->warning, sizeof d->warning, "metadata date \"%.*s\" is not a date; ignored",
                     cut >= 0 ? (int)cut : (int)n, m.published);
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
    for (size_t i = 0; i < n && (long)i < first_prose && !credit; i++) {
        if (lines[i].blank || lines[i].date || i == 0) continue;
        credit = hd_credit_dateline(&lines[i]);
        if (!credit && hd_credit_dual_dateline(&lines[i], iso, &credit)) {
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
        char *c = lines[i].blank ? NULL : hd_credit_closing(&lines[i]);
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
        d->title = strndup(lines[title_at].s, lines[title_at].len);
        if (!d->title) goto oom;
    } else {
        fail(err, errlen, "no text");
        goto fail;
    }
    /* the title line's key before the site name is cut, to find it again */
    title_key = hd_normalize_key(d->title, strlen(d->title));
    if (!title_key) goto oom;
    site = hd_credit_title_site(d->title);
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
    closing_src = closing >= 0 ? hd_credit_closing(&lines[closing]) : NULL;
    int closing_credit = closing_src != NULL;
    if (!credit) {
        for (size_t i = 0; i < n; i++) {
            if (lines[i].blank || lines[i].furniture || lines[i].date || lines[i].title) continue;
            if (lines[i].prose) credit = hd_credit_lead(&lines[i]);
            if (lines[i].prose) break;
        }
    }
    if (m.source)
        d->source = m.source, m.source = NULL;
    else if (credit)
        d->source = credit, credit = NULL;
    else if (closing_src)
        d->source = closing_src, closing_src = NULL;
    else
        d->source = site, site = NULL;
    free(credit), free(closing_src), free(site);
    credit = closing_src = site = NULL;
    d->url = m.url, m.url = NULL;

    /* The text: the title, then every paragraph that is neither furniture,
     * dateline, the title line again nor the closing credit line. */
    if (buf_add(&text, d->title, strlen(d->title)) < 0) goto oom;
    for (size_t i = 0; i < n; i++) {
        struct hd_line *l = &lines[i];
        if (l->blank) continue;
        int drop = l->furniture || l->date || (l->title && strcmp(l->key, title_key) == 0) ||
                   ((long)i == closing && closing_credit && !l->title);
        if (l->furniture || l->date || ((long)i == closing && closing_credit)) {
            struct hd_removed *nr = realloc(d->removed, (d->nremoved + 1) * sizeof *nr);
            if (!nr) goto oom;
            d->removed = nr;
            nr[d->nremoved].line = strndup(l->s, l->len);
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
    free(credit), free(site), free(closing_src); /* a document with no text had a credit */
    free(m.title), free(m.published), free(m.source), free(m.url);
    hd_doc_free(d);
    return NULL;
}

struct hd_doc *hd_doc_parse_record(const char *line, size_t len, char *err, size_t errlen)
{
    if (len > HD_DOC_MAX_BYTES) {
        fail(err, errlen, "larger than %u MiB", HD_DOC_MAX_BYTES >> 20);
        return NULL;
    }
    json_t *root = load_object(line, len, "JSON", err, errlen);
    if (!root) return NULL;
    json_t *body = NULL;
    static const char *const text_keys[] = {"content", "text", "body"};
    for (size_t i = 0; i < 3 && !json_is_string(body); i++)
        body = json_object_get(root, text_keys[i]);
    struct hd_doc *d = NULL;
    if (!json_is_string(body))
        fail(err, errlen, "no text: none of content, text, body is a string");
    else
        d = parse(json_string_value(body), json_string_length(body), NULL, 0, root, err, errlen);
    json_decref(root);
    return d;
}

struct hd_doc *hd_doc_parse(const char *buf, size_t len, const char *sidecar, size_t sidecar_len,
                            char *err, size_t errlen)
{
    return parse(buf, len, sidecar, sidecar_len, NULL, err, errlen);
}
