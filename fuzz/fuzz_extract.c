/* The whole extractor on one document, as lib/ingest.c runs it (parse,
 * recognition of text and credit, events) with one extractor built once:
 * every mention and event must point inside the text and at real entities. */
#include "document.h"
#include "events.h"
#include "fuzz.h"
#include "ingest.h"
#include "utf8.h"

static struct hd_extractor *x;

static int starts_char(const char *s, size_t n, size_t i)
{
    return i == n || ((unsigned char)s[i] & 0xC0) != 0x80;
}

static void check_recognition(const char *stage, const struct hd_recognition *rec, const char *text,
                              size_t len, const struct hd_span *sent, size_t nsent)
{
    for (size_t i = 0; i < rec->nentities; i++) {
        const char *slug = hd_rec_slug(x->r, rec, i), *name = hd_rec_name_ar(x->r, rec, i);
        const char *type = hd_rec_type(x->r, rec, i);
        FUZZ_CHECK(slug && *slug && fuzz_utf8_ok(slug, strlen(slug)), "entity %zu's slug", i);
        FUZZ_CHECK(!name || fuzz_utf8_ok(name, strlen(name)), "entity %s's name", slug);
        FUZZ_CHECK(type && *type, "entity %s's type", slug);
    }
    size_t prev = 0, cp = 0, at = 0; /* code points of text[0..at) */
    for (size_t i = 0; i < rec->nmentions; i++) {
        const struct hd_mention *m = &rec->mentions[i];
        FUZZ_CHECK(m->start < m->end && m->end <= len && m->start >= prev,
                   "%s: mention %zu is [%zu, %zu) after %zu, in %zu bytes", stage, i, m->start,
                   m->end, prev, len);
        FUZZ_CHECK(starts_char(text, len, m->start) && starts_char(text, len, m->end),
                   "mention %zu cuts a character", i);
        FUZZ_CHECK(m->entity < rec->nentities, "mention %zu of entity %zu of %zu", i, m->entity,
                   rec->nentities);
        FUZZ_CHECK(m->sentence < nsent && sent[m->sentence].start <= m->start &&
                       m->end <= sent[m->sentence].end,
                   "mention %zu is not inside its sentence %zu", i, m->sentence);
        cp += hd_utf8_count(text + at, m->start - at), at = m->start;
        FUZZ_CHECK(m->cp_start == cp &&
                       m->cp_end == cp + hd_utf8_count(text + m->start, m->end - m->start),
                   "mention %zu: code points [%zu, %zu) for bytes [%zu, %zu)", i, m->cp_start,
                   m->cp_end, m->start, m->end);
        prev = m->start;
    }
}

static int ymd_ok(struct hd_ymd d)
{
    return d.y > 0 && d.y < 10000 && d.m >= 1 && d.m <= 12 && d.d >= 1 && d.d <= 31;
}

static void check_events(const struct hd_event_list *ev, const struct hd_recognition *rec,
                         size_t len, const struct hd_span *sent, size_t nsent)
{
    static const char *const modalities[] = {"asserted", "planned", "alleged", "conditional",
                                             "negated"};
    for (size_t i = 0; i < ev->n; i++) {
        const struct hd_event *e = &ev->v[i];
        FUZZ_CHECK(e->type && hd_event_type_valid(e->type) && e->cameo &&
                       (e->plover || !strcmp(e->type, "statement")), /* PLOVER has none */
                   "event %zu: type %s, CAMEO %s, PLOVER %s", i, e->type ? e->type : "(null)",
                   e->cameo ? e->cameo : "(null)", e->plover ? e->plover : "(null)");
        int mod = 0;
        for (size_t k = 0; k < 5; k++) mod |= e->modality && !strcmp(e->modality, modalities[k]);
        FUZZ_CHECK(mod, "event %zu's modality %s", i, e->modality ? e->modality : "(null)");
        FUZZ_CHECK(e->nactors <= HD_EVENT_MAX_ROLE && e->ntargets <= HD_EVENT_MAX_ROLE,
                   "event %zu's roles", i);
        for (size_t k = 0; k < e->nactors; k++)
            FUZZ_CHECK(e->actors[k] < rec->nentities, "event %zu's actor %zu", i, k);
        for (size_t k = 0; k < e->ntargets; k++)
            FUZZ_CHECK(e->targets[k] < rec->nentities, "event %zu's target %zu", i, k);
        FUZZ_CHECK(e->location == -1 || (e->location >= 0 && (size_t)e->location < rec->nentities),
                   "event %zu's location %ld", i, e->location);
        FUZZ_CHECK(e->trigger_start < e->trigger_end && e->trigger_end <= len,
                   "event %zu's trigger [%zu, %zu)", i, e->trigger_start, e->trigger_end);
        FUZZ_CHECK(e->date_start <= e->date_end && e->date_end <= len, "event %zu's date words", i);
        FUZZ_CHECK(e->sentence < nsent && sent[e->sentence].start <= e->trigger_start &&
                       e->trigger_end <= sent[e->sentence].end,
                   "event %zu's trigger is not in its sentence %zu", i, e->sentence);
        FUZZ_CHECK(e->confidence >= 0 && e->confidence <= 1, "event %zu's confidence %g", i,
                   e->confidence);
        if (e->precision != HD_PREC_UNKNOWN)
            FUZZ_CHECK(ymd_ok(e->start) && ymd_ok(e->end) &&
                           (e->start.y < e->end.y ||
                            (e->start.y == e->end.y &&
                             (e->start.m < e->end.m ||
                              (e->start.m == e->end.m && e->start.d <= e->end.d)))),
                       "event %zu's dates %d-%d-%d to %d-%d-%d", i, e->start.y, e->start.m,
                       e->start.d, e->end.y, e->end.m, e->end.d);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char err[256];
    if (!x) {
        x = hd_extractor_new(err, sizeof err);
        FUZZ_CHECK(x != NULL, "extractor: %s", err);
    }
    const uint8_t *nul = memchr(data, 0, size);
    size_t len = nul ? (size_t)(nul - data) : size;
    struct hd_doc *d = hd_doc_parse((const char *)data, len, nul ? (const char *)nul + 1 : NULL,
                                    nul ? size - len - 1 : 0, err, sizeof err);
    if (!d) return 0;
    struct hd_recognition rec, cred;
    struct hd_event_list ev;
    memset(&rec, 0, sizeof rec), memset(&cred, 0, sizeof cred), memset(&ev, 0, sizeof ev);
    FUZZ_CHECK(hd_recognize(x->r, d->text, d->text_len, d->sentences, d->nsentences, &rec) == 0,
               "recognition failed");
    check_recognition("recognition", &rec, d->text, d->text_len, d->sentences, d->nsentences);
    if (d->source) {
        struct hd_span whole = {0, strlen(d->source)};
        FUZZ_CHECK(hd_recognize(x->r, d->source, whole.end, &whole, 1, &cred) == 0,
                   "credit recognition failed");
        check_recognition("credit", &cred, d->source, whole.end, &whole, 1);
    }
    size_t before = rec.nentities;
    FUZZ_CHECK(hd_events_extract(x->ev, x->r, d->text, d->text_len, d->sentences, d->nsentences,
                                 &rec, d->published, &ev) == 0,
               "event extraction failed");
    FUZZ_CHECK(rec.nentities >= before, "events removed entities");
    check_recognition("events", &rec, d->text, d->text_len, d->sentences, d->nsentences);
    check_events(&ev, &rec, d->text_len, d->sentences, d->nsentences);
    hd_event_list_free(&ev);
    hd_recognition_free(&cred);
    hd_recognition_free(&rec);
    hd_doc_free(d);
    return 0;
}
