/* lib/document.c on hostile corpus files: hd_doc_parse (text, then a sidecar
 * after a NUL byte) or hd_doc_parse_record ("{..."), through front matter,
 * furniture and credits; its strings must be UTF-8, its spans in the text. */
#include "document.h"
#include "fuzz.h"

static int str_ok(const char *s)
{
    return s && fuzz_utf8_ok(s, strlen(s));
}

/* A character starts at byte i of s[0..n) (or i is its end). */
static int boundary(const char *s, size_t n, size_t i)
{
    return i == n || ((unsigned char)s[i] & 0xC0) != 0x80;
}

static void check_doc(const struct hd_doc *d)
{
    FUZZ_CHECK(str_ok(d->title), "title");
    FUZZ_CHECK(d->text && strlen(d->text) == d->text_len, "text of %zu bytes has a NUL",
               d->text_len);
    FUZZ_CHECK(fuzz_utf8_ok(d->text, d->text_len), "text is not UTF-8");
    FUZZ_CHECK(!strncmp(d->text, d->title, strlen(d->title)),
               "the text does not start with the title");
    size_t prev = 0;
    for (size_t i = 0; i < d->nsentences; i++) {
        const struct hd_span *s = &d->sentences[i];
        FUZZ_CHECK(s->start < s->end && s->end <= d->text_len && s->start >= prev,
                   "sentence %zu is [%zu, %zu) after %zu, in %zu bytes", i, s->start, s->end, prev,
                   d->text_len);
        FUZZ_CHECK(boundary(d->text, d->text_len, s->start) &&
                       boundary(d->text, d->text_len, s->end),
                   "sentence %zu cuts a character", i);
        prev = s->end;
    }
    FUZZ_CHECK(!d->source || str_ok(d->source), "source");
    FUZZ_CHECK(!d->url || str_ok(d->url), "url");
    const char *ps = d->published_source;
    FUZZ_CHECK(ps && (!strcmp(ps, "metadata") || !strcmp(ps, "dateline") || !strcmp(ps, "unknown")),
               "published_source");
    FUZZ_CHECK(!d->published == !strcmp(ps, "unknown"), "published %s from %s",
               d->published ? d->published : "(null)", ps);
    if (d->published) {
        const char *p = d->published;
        FUZZ_CHECK(str_ok(p) && strlen(p) >= 10 && p[4] == '-' && p[7] == '-' &&
                       strspn(p, "0123456789") == 4,
                   "published \"%s\"", p);
    }
    FUZZ_CHECK(memchr(d->warning, 0, sizeof d->warning) && str_ok(d->warning), "warning");
    for (size_t i = 0; i < d->nremoved; i++)
        FUZZ_CHECK(str_ok(d->removed[i].line) && d->removed[i].why, "removed line %zu", i);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char err[256] = "";
    const char *buf = (const char *)data;
    struct hd_doc *d;
    if (size > 0 && data[0] == '{') {
        d = hd_doc_parse_record(buf, size, err, sizeof err);
    } else {
        const uint8_t *nul = memchr(data, 0, size);
        size_t len = nul ? (size_t)(nul - data) : size;
        d = hd_doc_parse(buf, len, nul ? (const char *)nul + 1 : NULL, nul ? size - len - 1 : 0,
                         err, sizeof err);
    }
    if (d)
        check_doc(d);
    else
        FUZZ_CHECK(err[0] && memchr(err, 0, sizeof err), "refused without a reason");
    hd_doc_free(d);
    return 0;
}
