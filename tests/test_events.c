/* Runs every case of tests/data/events/: NAME.txt is a short news document
 * (with NAME.json, its publication date, when its relative dates matter)
 * and NAME.expect the events extraction must give, one per line:
 *   TYPE [actor=S,S] [target=S] [pair=S,S] [modality=M] [date=PREFIX]
 *        [precision=P] [location=S]        (TAB-separated; S are entity slugs)
 * an event of TYPE with all the listed actors among its actors (targets among
 * its targets; a pair among either), and the rest as given; a line starting
 * with ! means that no such event may be extracted. */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "document.h"
#include "events.h"
#include "ingest.h"
#include "sentences.h"

#define DIR_CASES "tests/data/events"

static struct hd_extractor *x;

struct got {
    struct hd_recognition rec;
    struct hd_event_list ev;
};

static int has_slug(const struct got *g, const size_t *v, size_t n, const char *slug)
{
    for (size_t i = 0; i < n; i++)
        if (!strcmp(hd_rec_slug(x->r, &g->rec, v[i]), slug)) return 1;
    return 0;
}

/* Every slug of the comma list among v (or, for a pair, among a or b). */
static int all_in(const struct got *g, const char *list, const size_t *v, size_t n, const size_t *w,
                  size_t nw)
{
    char buf[256];
    snprintf(buf, sizeof buf, "%s", list);
    char *save = NULL;
    for (char *s = strtok_r(buf, ",", &save); s; s = strtok_r(NULL, ",", &save))
        if (!has_slug(g, v, n, s) && !(w && has_slug(g, w, nw, s))) return 0;
    return 1;
}

static int event_matches(const struct got *g, const struct hd_event *e, char **f, int nf)
{
    if (strcmp(e->type, f[0])) return 0;
    for (int i = 1; i < nf; i++) {
        char *eq = strchr(f[i], '=');
        if (!eq) return 0;
        const char *k = f[i], *v = eq + 1;
        size_t kl = (size_t)(eq - k);
        char date[11];
        hd_ymd_format(e->start, date);
        if (!strncmp(k, "actor", kl) && !all_in(g, v, e->actors, e->nactors, NULL, 0)) return 0;
        if (!strncmp(k, "target", kl) && !all_in(g, v, e->targets, e->ntargets, NULL, 0)) return 0;
        if (!strncmp(k, "pair", kl) &&
            !all_in(g, v, e->actors, e->nactors, e->targets, e->ntargets))
            return 0;
        if (!strncmp(k, "modality", kl) && strcmp(e->modality, v)) return 0;
        if (!strncmp(k, "date", kl) &&
            (e->precision == HD_PREC_UNKNOWN || strncmp(date, v, strlen(v))))
            return 0;
        if (!strncmp(k, "precision", kl) && strcmp(hd_precision_name(e->precision), v)) return 0;
        if (!strncmp(k, "location", kl) &&
            (e->location < 0 || strcmp(hd_rec_slug(x->r, &g->rec, (size_t)e->location), v)))
            return 0;
    }
    return 1;
}

static void print_events(const struct got *g, const char *text)
{
    for (size_t i = 0; i < g->ev.n; i++) {
        const struct hd_event *e = &g->ev.v[i];
        char date[11];
        hd_ymd_format(e->start, date);
        fprintf(stderr, "    %s [%.*s] %s", e->type, (int)(e->trigger_end - e->trigger_start),
                text + e->trigger_start, e->modality);
        for (size_t k = 0; k < e->nactors; k++)
            fprintf(stderr, " actor=%s", hd_rec_slug(x->r, &g->rec, e->actors[k]));
        for (size_t k = 0; k < e->ntargets; k++)
            fprintf(stderr, " target=%s", hd_rec_slug(x->r, &g->rec, e->targets[k]));
        if (e->location >= 0)
            fprintf(stderr, " location=%s", hd_rec_slug(x->r, &g->rec, (size_t)e->location));
        fprintf(stderr, " date=%s/%s\n", date, hd_precision_name(e->precision));
    }
}

static char *read_case(const char *name, const char *ext, size_t *len)
{
    char path[512];
    snprintf(path, sizeof path, DIR_CASES "/%s%s", name, ext);
    return hd_read_file(path, len);
}

static void run_case(const char *name)
{
    size_t tl = 0, el = 0, sl = 0;
    char *text = read_case(name, ".txt", &tl), *expect = read_case(name, ".expect", &el);
    char *side = read_case(name, ".json", &sl);
    char err[256];
    struct hd_doc *doc = text ? hd_doc_parse(text, tl, side, sl, err, sizeof err) : NULL;
    CHECK(doc && expect, "%s: cannot read or parse the case", name);
    if (!doc || !expect) {
        hd_doc_free(doc), free(text), free(expect), free(side);
        return;
    }
    struct got g;
    memset(&g, 0, sizeof g);
    int rc = hd_recognize(x->r, doc->text, doc->text_len, doc->sentences, doc->nsentences, &g.rec);
    if (rc == 0)
        rc = hd_events_extract(x->ev, x->r, doc->text, doc->text_len, doc->sentences,
                               doc->nsentences, &g.rec, doc->published, &g.ev);
    CHECK(rc == 0, "%s: extraction failed", name);
    int failed = check_failed;
    char *save = NULL;
    for (char *line = strtok_r(expect, "\n", &save); rc == 0 && line;
         line = strtok_r(NULL, "\n", &save)) {
        if (!*line || *line == '#') continue;
        int neg = *line == '!';
        char copy[512], *f[12];
        int nf = 0;
        snprintf(copy, sizeof copy, "%s", line + neg);
        char *s2 = NULL;
        for (char *t = strtok_r(copy, "\t", &s2); t && nf < 12; t = strtok_r(NULL, "\t", &s2))
            f[nf++] = t;
        if (!nf) continue;
        int found = 0;
        for (size_t i = 0; i < g.ev.n && !found; i++) found = event_matches(&g, &g.ev.v[i], f, nf);
        CHECK(found != neg, "%s: %s: %s", name, neg ? "unwanted event" : "missing event", line);
    }
    if (check_failed > failed) print_events(&g, doc->text);
    hd_event_list_free(&g.ev);
    hd_recognition_free(&g.rec);
    hd_doc_free(doc);
    free(text), free(expect), free(side);
}

int main(void)
{
    char err[256];
    x = hd_extractor_new(err, sizeof err);
    CHECK(x != NULL, "extractor: %s", err);
    if (!x) return check_done("events");
    int cases = check_each_case(DIR_CASES, run_case);
    CHECK(cases >= 25, "only %d cases in " DIR_CASES, cases);
    /* Nothing in, nothing out; no text or only punctuation, no crash. */
    static const char *const odd[] = {"",      "...",       "\n\n\n", "زار",
                                      "، ، ،", "يومي 19 و", "منذ 24", "في يونيو/"};
    for (size_t i = 0; i < sizeof odd / sizeof *odd; i++) {
        struct got g;
        memset(&g, 0, sizeof g);
        struct hd_span *sp = NULL;
        size_t ns = 0, len = strlen(odd[i]);
        int rc = hd_sentences_split(odd[i], len, &sp, &ns);
        if (rc == 0) rc = hd_recognize(x->r, odd[i], len, sp, ns, &g.rec);
        if (rc == 0) rc = hd_events_extract(x->ev, x->r, odd[i], len, sp, ns, &g.rec, NULL, &g.ev);
        CHECK(rc == 0 && g.ev.n == 0, "odd text %zu: rc %d, %zu events", i, rc, g.ev.n);
        hd_event_list_free(&g.ev);
        hd_recognition_free(&g.rec);
        free(sp);
    }
    /* A publication year from "N years since" a dated event, month from
     * "الجاري", when the document has none. */
    {
        const char *t =
            "عنوان\n\nوقال إن الزيارة مقررة يومي 19 و20 يونيو الجاري، وهي الأولى منذ 24 "
            "عاما، إذ كانت آخر زيارة في يوليو 2000.\n";
        char err2[256];
        struct hd_doc *doc = hd_doc_parse(t, strlen(t), NULL, 0, err2, sizeof err2);
        struct got g;
        memset(&g, 0, sizeof g);
        int rc = doc ? hd_recognize(x->r, doc->text, doc->text_len, doc->sentences, doc->nsentences,
                                    &g.rec)
                     : -1;
        if (rc == 0)
            rc = hd_events_extract(x->ev, x->r, doc->text, doc->text_len, doc->sentences,
                                   doc->nsentences, &g.rec, NULL, &g.ev);
        CHECK(rc == 0 && g.ev.reference_inferred && g.ev.reference.y == 2024 &&
                  g.ev.reference.m == 6,
              "inferred reference %d-%d", g.ev.reference.y, g.ev.reference.m);
        hd_event_list_free(&g.ev);
        hd_recognition_free(&g.rec);
        hd_doc_free(doc);
    }
    CHECK(hd_event_type_valid("visit") && hd_event_type_valid("sever_relations"), "types");
    CHECK(!hd_event_type_valid("transfer") && !hd_event_type_valid("party"), "not types");
    hd_extractor_free(x);
    return check_done("events");
}
