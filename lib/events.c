/* Event extraction, one sentence at a time. A trigger (a verb or verbal
 * noun of lib/data/triggers.tsv) is found among the words; its arguments
 * are the noun groups around it that recognition made entities of: the
 * subject after the verb (Arabic's verb-subject-object order) or before it,
 * the genitive after a verbal noun, the target after the prepositions the
 * trigger takes. Modality, date and place are read from the same clause. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "blob.h"
#include "clitics.h"
#include "events.h"
#include "kb.h"
#include "keyset.h"
#include "normalize.h"
#include "tokens.h"

/* ---- the lexicons ---- */

enum tense { T_PAST, T_PRESENT, T_PASSIVE, T_MASDAR, T_PARTICIPLE, T_NOUN };

/* target markers */
#define M_DIRECT (1u << 0)
#define M_ILA    (1u << 1)  /* إلى */
#define M_LI     (1u << 2)  /* ل */
#define M_MAA    (1u << 3)  /* مع */
#define M_BI     (1u << 4)  /* ب */
#define M_ALA    (1u << 5)  /* على */
#define M_DIDD   (1u << 6)  /* ضد */
#define M_MIN    (1u << 7)  /* من */
#define M_AN     (1u << 8)  /* عن */
#define M_FI     (1u << 9)  /* في */
#define M_BAYN   (1u << 10) /* بين: "بين X و Y", both parties */
#define M_OTHER  (1u << 11) /* بعد، قبل، خلال...: a group no trigger takes */

struct trigger {
    char *words[4]; /* matching keys: the first word, then the others */
    int nwords;
    const char *type, *cameo, *plover, *lemma;
    unsigned markers;
    enum tense tense;
    int ends_ha;    /* the form ends in a pronoun's ه (طلبه), not a ة */
    int ends_ya;    /* 1: the form ends in ي, 2: in ى (يدعي "claims", يدعى "is called") */
    char *last_raw; /* for a form whose key is a function word's: its last letter as written */
};

static struct trigger *trigs;
static size_t ntrigs;
static const char *const types[] = {
    "visit",           "meeting",     "message",    "statement",  "praise",      "criticism",
    "pledge",          "cooperation", "agreement",  "invitation", "recognition", "aid",
    "military_aid",    "request",     "accusation", "denial",     "threat",      "sanction",
    "sever_relations", "attack",      "transfer"};
#define NTYPES (sizeof types / sizeof *types)

enum cue {
    C_FUTURE,
    C_MODAL,
    C_CONDITION,
    C_NEGATION,
    C_ALLEGATION,
    C_WEAPON,
    C_LETTER,
    C_AID,
    C_SPEECH,
    C_PAIR,
    C_VISITWORD,
    C_PLACEWORD,
    C_ABOUT,
    C_LIGHT,
    C_NCUES
};
static const char *const cue_names[] = {
    "future", "modal",  "condition", "negation",  "allegation", "weapon", "letter",
    "aid",    "speech", "pair",      "visitword", "placeword",  "about",  "light"};
_Static_assert(sizeof cue_names / sizeof *cue_names == C_NCUES, "a name for every cue kind");
static struct hd_keyset cues[C_NCUES];
/* every word of the titles and organisation head words of roles.tsv: the
 * words between a verb and the name of its subject (الرئيس الروسي) */
static struct hd_keyset title_words, org_words;
static pthread_once_t once = PTHREAD_ONCE_INIT;

static const char *intern_type(const char *s, size_t n)
{
    for (size_t i = 0; i < NTYPES; i++)
        if (strlen(types[i]) == n && !memcmp(types[i], s, n)) return types[i];
    return NULL;
}

static int cmp_trig(const void *a, const void *b)
{
    const struct trigger *x = a, *y = b;
    int c = strcmp(x->words[0], y->words[0]);
    return c ? c : y->nwords - x->nwords; /* longest phrase first */
}

static unsigned parse_markers(const char *s, size_t n)
{
    static const struct {
        const char *w;
        unsigned bit;
    } m[] = {{"direct", M_DIRECT}, {"الى", M_ILA}, {"إلى", M_ILA}, {"ل", M_LI},
             {"مع", M_MAA},        {"ب", M_BI},    {"على", M_ALA}, {"علي", M_ALA},
             {"ضد", M_DIDD},       {"من", M_MIN},  {"عن", M_AN},   {"في", M_FI}};
    unsigned bits = 0;
    for (const char *p = s, *e = s + n; p < e;) {
        const char *c = memchr(p, ',', (size_t)(e - p));
        if (!c) c = e;
        for (size_t i = 0; i < sizeof m / sizeof *m; i++)
            if (strlen(m[i].w) == (size_t)(c - p) && !memcmp(m[i].w, p, (size_t)(c - p)))
                bits |= m[i].bit;
        p = c + 1;
    }
    return bits;
}

static enum tense parse_tense(const char *s, size_t n)
{
    static const char *const names[] = {"past",   "present",    "passive",
                                        "masdar", "participle", "noun"};
    for (size_t i = 0; i < 6; i++)
        if (strlen(names[i]) == n && !memcmp(names[i], s, n)) return (enum tense)i;
    return T_NOUN;
}

static char *dup_n(const char *s, size_t n)
{
    char *d = malloc(n + 1);
    if (d) memcpy(d, s, n), d[n] = 0;
    return d;
}

static void load_triggers(void)
{
    const struct hd_blob *b = hd_blob_get("triggers.tsv");
    if (!b) return;
    /* a form that folds into a function word (هنأ > هنا "here") is no trigger */
    struct hd_keyset stop = {0};
    static const char *const closed[] = {"prep",    "particle",      "conj",
                                         "pronoun", "demonstrative", "relative"};
    const struct hd_blob *sw = hd_blob_get("stopwords.tsv");
    for (const char *p = sw ? sw->data : NULL, *e = sw ? sw->data + sw->len : NULL; p && p < e;) {
        const char *nl = memchr(p, '\n', (size_t)(e - p));
        if (!nl) nl = e;
        const char *tab = memchr(p, '\t', (size_t)(nl - p));
        if (tab && *p != '#')
            for (size_t k = 0; k < sizeof closed / sizeof *closed; k++) {
                size_t n = strlen(closed[k]);
                if ((size_t)(nl - tab - 1) >= n && !memcmp(tab + 1, closed[k], n) &&
                    (tab + 1 + n == nl || tab[1 + n] == '\t'))
                    hd_keyset_add(&stop, p, (size_t)(tab - p));
            }
        p = nl + 1;
    }
    hd_keyset_seal(&stop);
    size_t cap = 0;
    const char *p = b->data, *end = b->data + b->len;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        if (!nl) nl = end;
        const char *col[8];
        size_t cl[8];
        int nc = 0;
        if (p < nl && *p != '#') {
            for (const char *c = p; nc < 8;) {
                const char *tab = memchr(c, '\t', (size_t)(nl - c));
                const char *ce = tab ? tab : nl;
                col[nc] = c, cl[nc] = (size_t)(ce - c), nc++;
                if (!tab) break;
                c = tab + 1;
            }
        }
        p = nl + 1;
        if (nc < 7) continue;
        const char *type = intern_type(col[2], cl[2]);
        char *key = type ? hd_normalize_key(col[0], cl[0]) : NULL;
        int stopword = key && hd_keyset_has(&stop, key);
        if (!key || !*key) {
            free(key);
            continue;
        }
        if (ntrigs == cap) {
            size_t ncap = cap ? cap * 2 : 1024;
            struct trigger *nt = realloc(trigs, ncap * sizeof *nt);
            if (!nt) {
                free(key);
                break;
            }
            trigs = nt, cap = ncap;
        }
        struct trigger *t = &trigs[ntrigs];
        memset(t, 0, sizeof *t);
        char *save = NULL;
        for (char *w = strtok_r(key, " ", &save); w && t->nwords < 4;
             w = strtok_r(NULL, " ", &save))
            t->words[t->nwords++] = strdup(w);
        free(key);
        if (!t->nwords) continue;
        t->type = type;
        /* a form that folds into a function word (هنأ > هنا "here") is read
         * only as written: its last letter, hamza and all */
        if (stopword && cl[0] >= 2) {
            size_t k = cl[0] - 1;
            while (k > 0 && ((unsigned char)col[0][k] & 0xC0) == 0x80) k--;
            t->last_raw = dup_n(col[0] + k, cl[0] - k);
        }
        t->ends_ha = cl[0] >= 2 && !memcmp(col[0] + cl[0] - 2, "\u0647", 2);
        t->ends_ya = cl[0] < 2                                  ? 0
                     : !memcmp(col[0] + cl[0] - 2, "\u064a", 2) ? 1
                     : !memcmp(col[0] + cl[0] - 2, "\u0649", 2) ? 2
                                                                : 0;
        t->lemma = dup_n(col[1], cl[1]);
        t->cameo = dup_n(col[3], cl[3]);
        t->plover = (cl[4] == 1 && col[4][0] == '-') ? NULL : dup_n(col[4], cl[4]);
        t->markers = parse_markers(col[5], cl[5]);
        t->tense = parse_tense(col[6], cl[6]);
        ntrigs++;
    }
    if (ntrigs) qsort(trigs, ntrigs, sizeof *trigs, cmp_trig);
    hd_keyset_free(&stop);
}

static void load_cues(void)
{
    const struct hd_blob *b = hd_blob_get("eventcues.tsv");
    if (!b) return;
    const char *p = b->data, *end = b->data + b->len;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        if (!nl) nl = end;
        const char *tab = memchr(p, '\t', (size_t)(nl - p));
        if (p < nl && *p != '#' && tab) {
            const char *k = tab + 1, *ke = memchr(k, '\t', (size_t)(nl - k));
            if (!ke) ke = nl;
            for (int c = 0; c < C_NCUES; c++)
                if (strlen(cue_names[c]) == (size_t)(ke - k) &&
                    !memcmp(cue_names[c], k, (size_t)(ke - k)))
                    hd_keyset_add(&cues[c], p, (size_t)(tab - p));
        }
        p = nl + 1;
    }
    for (int c = 0; c < C_NCUES; c++) hd_keyset_seal(&cues[c]);
}

static void load_titles(void)
{
    const struct hd_blob *b = hd_blob_get("roles.tsv");
    if (!b) return;
    const char *p = b->data, *end = b->data + b->len;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        if (!nl) nl = end;
        const char *tab = memchr(p, '\t', (size_t)(nl - p));
        /* the words of people's titles; the head words of bodies' names
         * (وزارة، مجلس) apart, as they are no part of a person's title */
        int org = tab && (size_t)(nl - tab) > 4 && !memcmp(tab + 1, "org", 3) &&
                  (tab + 4 == nl || tab[4] == '\t');
        if (p < nl && *p != '#' && tab)
            for (const char *w = p; w < tab;) {
                const char *sp = memchr(w, ' ', (size_t)(tab - w));
                const char *we = sp ? sp : tab;
                hd_keyset_add(org ? &org_words : &title_words, w, (size_t)(we - w));
                w = we + 1;
            }
        p = nl + 1;
    }
    /* the modifiers of an office (السابق، الأسبق، المنتهية ولايته) are part of a title */
    const struct hd_blob *cb = hd_blob_get("cues.tsv");
    for (const char *q = cb ? cb->data : NULL, *e = cb ? cb->data + cb->len : NULL; q && q < e;) {
        const char *nl = memchr(q, '\n', (size_t)(e - q));
        if (!nl) nl = e;
        const char *tab = memchr(q, '\t', (size_t)(nl - q));
        if (tab && *q != '#' && (size_t)(nl - tab) > 9 && !memcmp(tab + 1, "modifier", 8) &&
            (tab[9] == '\t' || tab + 9 == nl))
            for (const char *w = q; w < tab;) {
                const char *sp = memchr(w, ' ', (size_t)(tab - w));
                const char *we = sp ? sp : tab;
                hd_keyset_add(&title_words, w, (size_t)(we - w));
                w = we + 1;
            }
        q = nl + 1;
    }
    hd_keyset_seal(&title_words);
    hd_keyset_seal(&org_words);
}

static void sort_word_lists(void);

static void load(void)
{
    sort_word_lists();
    load_triggers();
    load_cues();
    load_titles();
}

/* A small sorted word list with a value per word, for the closed classes of
 * words the reader asks about at every token. */
struct wm {
    const char *w;
    unsigned v;
};

static int wm_cmp(const void *a, const void *b)
{
    return strcmp(((const struct wm *)a)->w, ((const struct wm *)b)->w);
}

static unsigned wm_get(const struct wm *m, size_t n, const char *k)
{
    struct wm key = {k, 0};
    const struct wm *f = bsearch(&key, m, n, sizeof *m, wm_cmp);
    return f ? f->v : 0;
}

#define WM_SORT(m)   qsort(m, sizeof m / sizeof *m, sizeof *m, wm_cmp)
#define WM_HAS(m, k) (wm_get(m, sizeof m / sizeof *m, k) != 0)

/* ---- the extractor ---- */

struct hd_eventer {
    struct hd_segmenter *sg;
    const struct hd_kb *kb;
    long country_of[26 * 26]; /* ISO code > knowledge-base country entry, or -1 */
};

struct hd_eventer *hd_eventer_new(char *err, size_t errlen)
{
    pthread_once(&once, load);
    struct hd_eventer *ev = calloc(1, sizeof *ev);
    if (!ev) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    if (!(ev->sg = hd_segmenter_new(err, errlen))) {
        free(ev);
        return NULL;
    }
    return ev;
}

void hd_eventer_free(struct hd_eventer *ev)
{
    if (!ev) return;
    hd_segmenter_free(ev->sg);
    free(ev);
}

static void index_countries(struct hd_eventer *ev, const struct hd_kb *kb)
{
    if (ev->kb == kb) return;
    ev->kb = kb;
    for (size_t i = 0; i < 26 * 26; i++) ev->country_of[i] = -1;
    for (size_t i = 0; i < hd_kb_size(kb); i++) {
        const struct hd_kb_entity *e = hd_kb_get(kb, i);
        const char *c = e->country;
        if (strcmp(e->type, "country") || !c || c[0] < 'A' || c[0] > 'Z' || c[1] < 'A' ||
            c[1] > 'Z' || c[2])
            continue;
        long *slot = &ev->country_of[(c[0] - 'A') * 26 + (c[1] - 'A')];
        if (*slot < 0) *slot = (long)i;
    }
}

int hd_event_type_valid(const char *type)
{
    for (size_t i = 0; i + 1 < NTYPES; i++) /* "transfer" is the lexicon's, not the API's */
        if (!strcmp(types[i], type)) return 1;
    return 0;
}

/* ---- one run over a text ---- */

/* A noun group that names a participant: one mention, or a run of adjacent
 * ones whose head is the person among them (زعيم كوريا الشمالية كيم جونغ
 * أون: the leader, not his country). */
struct group {
    size_t first, last; /* tokens */
    size_t mention;     /* the head */
    unsigned prep;      /* the marker before it (M_*), 0 for none */
    int conj;           /* joined to the group before by و */
    int adjective;      /* only a country's adjective */
};

struct run {
    struct hd_eventer *ev;
    const struct hd_recognizer *r;
    const struct hd_kb *kb;
    const char *text;
    struct hd_tokens tk;
    struct hd_recognition *rec;
    size_t *ment_first, *ment_last; /* per mention: its tokens */
    size_t *pre_len;                /* per mention: bytes of proclitic inside its first token */
    unsigned char *in_ment;         /* per token: inside a mention (a name is no cue: لولا) */
    struct group *groups;
    size_t ngroups, gcap;
    struct hd_ymd ref;
    struct hd_event_list *out;
    size_t ocap;
    /* the actor of the last event, for the verbs and nouns whose subject
     * is a pronoun (زيارته، وأعرب) */
    size_t topic[HD_EVENT_MAX_ROLE], ntopic;
    size_t topic_sentence; /* the sentence that set it, plus one */
    int oom;
};

static const char *tkey(const struct run *u, size_t i)
{
    return i < u->tk.n ? u->tk.v[i].key : "";
}

static int is_punct(const struct run *u, size_t i)
{
    return i < u->tk.n && u->tk.v[i].kind == HD_TOKEN_PUNCT;
}

/* The article at the start of a key (or لل): الاتفاق، للاتفاق. */
static int has_article(const char *key)
{
    const char *k = key;
    if (!strncmp(k, "\u0648", 2) || !strncmp(k, "\u0641", 2)) k += 2; /* و ف */
    if (!strncmp(k, "\u0628", 2) || !strncmp(k, "\u0643", 2)) k += 2; /* ب ك */
    return !strncmp(k, "\u0627\u0644", 4) || !strncmp(k, "\u0644\u0644", 4);
}

static int key_is(const char *key, const char *word)
{
    return strcmp(key, word) == 0;
}

/* The pronoun suffixes (هما هم ها ه نا), longest first. */
static const char *const pronoun_suffixes[] = {"هما", "هم", "ها", "ه", "نا"};
#define NSUFFIXES 5

/* key without the pronoun suffix sfx, into base (HD_STEM_MAX bytes), when
 * key ends in it and two letters at least are left; with marbuta, a ت
 * left before the suffix is put back to the ه of a folded ة (رسالته >
 * رساله). Returns 1, or 0 when key does not end in sfx. */
static int unsuffixed(const char *key, const char *sfx, int marbuta, char base[HD_STEM_MAX])
{
    size_t n = strlen(key), sl = strlen(sfx);
    if (n <= sl + 4 || n - sl >= HD_STEM_MAX || strcmp(key + n - sl, sfx)) return 0;
    memcpy(base, key, n - sl), base[n - sl] = 0;
    if (marbuta && !strcmp(base + n - sl - 2, "\u062a")) memcpy(base + n - sl - 2, "\u0647", 2);
    return 1;
}

/* A cue of kind c at token i (one to three words, و/ف in front stripped):
 * the number of tokens, or 0. */
static size_t cue_at(const struct run *u, size_t i, size_t end, enum cue c)
{
    for (size_t n = 3; n >= 1; n--) {
        if (i + n > end) continue;
        char buf[256];
        size_t o = 0;
        int ok = 1;
        for (size_t k = 0; k < n && ok; k++) {
            const char *w = tkey(u, i + k);
            if (u->tk.v[i + k].kind == HD_TOKEN_PUNCT) ok = 0;
            size_t wl = strlen(w);
            if (o + wl + 2 > sizeof buf) ok = 0;
            if (!ok) break;
            if (k) buf[o++] = ' ';
            memcpy(buf + o, w, wl), o += wl;
        }
        if (!ok) continue;
        buf[o] = 0;
        if (hd_keyset_has(&cues[c], buf)) return n;
        /* the alef of the accusative (جنودا، صواريخا) */
        if (n == 1 && o > 6 && !strcmp(buf + o - 2, "\u0627")) {
            buf[o - 2] = 0;
            if (hd_keyset_has(&cues[c], buf)) return n;
            buf[o - 2] = (char)0xd8;
        }
        /* و or ف stuck to the first word */
        if ((!strncmp(buf, "\u0648", 2) || !strncmp(buf, "\u0641", 2)) && o > 4 &&
            hd_keyset_has(&cues[c], buf + 2))
            return n;
    }
    return 0;
}

/* Particles that start a new clause: the subject and objects of a verb do
 * not cross them. */
static struct wm break_words[] = {
    {"ان", 1},    {"انه", 1},    {"انها", 1},   {"بان", 1},   {"بانه", 1},  {"لان", 1},
    {"الذي", 1},  {"التي", 1},   {"الذين", 1},  {"حيث", 1},   {"بينما", 1}, {"فيما", 1},
    {"لكن", 1},   {"ولكن", 1},   {"اذ", 1},     {"عندما", 1}, {"وحيث", 1},  {"كما", 1},
    {"بعدما", 1}, {"قبل", 1},    {"بعد", 1},    {"رغم", 1},   {"وقد", 1},   {"ثم", 1},
    {"ولم", 1},   {"ولن", 1},    {"لكنه", 1},   {"لكنها", 1}, {"الا", 1},   {"وبعد", 1},
    {"وقبل", 1},  {"فسيكون", 1}, {"فستكون", 1}, {"فان", 1},   {"فانه", 1},  {"فانها", 1},
    {"فلن", 1},   {"فسوف", 1},   {"وذلك", 1},
};

static int clause_break(const struct run *u, size_t i)
{
    const char *k = tkey(u, i);
    if (is_punct(u, i)) {
        /* a comma does not end a clause: "أرسل كيم، الأربعاء، رسالة" */
        return !key_is(k, "\u060c") && !key_is(k, ",") && !key_is(k, "\"") &&
               !key_is(k, "\u201c") && !key_is(k, "\u201d") && !key_is(k, "-") && !key_is(k, "/");
    }
    return WM_HAS(break_words, k);
}

static int is_relative(const struct run *u, size_t i)
{
    const char *k = tkey(u, i);
    return key_is(k, "الذي") || key_is(k, "التي") || key_is(k, "الذين") || key_is(k, "اللذان") ||
           key_is(k, "اللتان") || key_is(k, "اللذين") || key_is(k, "اللتين");
}

/* The marker a separate word is, or 0. */
static struct wm prep_words[] = {
    {"الي", M_ILA},   {"مع", M_MAA},     {"علي", M_ALA},    {"ضد", M_DIDD},    {"من", M_MIN},
    {"عن", M_AN},     {"في", M_FI},      {"لدي", M_LI},     {"بين", M_BAYN},   {"نحو", M_ILA},
    {"والي", M_ILA},  {"ومع", M_MAA},    {"وعلي", M_ALA},   {"وفي", M_FI},     {"لـ", M_LI},
    {"بـ", M_BI},     {"بعد", M_OTHER},  {"قبل", M_OTHER},  {"وبعد", M_OTHER}, {"وقبل", M_OTHER},
    {"عقب", M_OTHER}, {"خلال", M_OTHER}, {"منذ", M_OTHER},  {"حتي", M_OTHER},  {"دون", M_OTHER},
    {"بحق", M_OTHER}, {"بشان", M_OTHER}, {"حول", M_OTHER},  {"عبر", M_OTHER},  {"وفق", M_OTHER},
    {"حسب", M_OTHER}, {"بحسب", M_OTHER}, {"ازاء", M_OTHER}, {"لدي", M_LI},
};

static unsigned prep_word(const char *k)
{
    return wm_get(prep_words, sizeof prep_words / sizeof *prep_words, k);
}

/* The marker a proclitic is (the bytes before a mention inside its token). */
static unsigned prep_prefix(const char *p, size_t n, int *conj)
{
    *conj = 0;
    if (n >= 2 && !memcmp(p, "\u0648", 2)) *conj = 1, p += 2, n -= 2; /* و */
    if (n >= 2 && !memcmp(p, "\u0641", 2)) p += 2, n -= 2;            /* ف */
    if (n == 0) return 0;
    if (!memcmp(p, "\u0644", 2)) return M_LI; /* ل، لل */
    if (!memcmp(p, "\u0628", 2)) return M_BI; /* ب، بال */
    if (!memcmp(p, "\u0643", 2)) return 0;    /* ك */
    return 0;
}

/* "نظيره الكوري الشمالي": his counterpart, a title of whoever is named next. */
static int counterpart(const char *k)
{
    return !strncmp(k, "نظير", strlen("نظير"));
}

/* A title of a head of state or government before a country's adjective
 * (الرئيس الروسي، للزعيم الكوري الشمالي), with or without a proclitic. */
static struct wm leader_words[] = {
    {"الرئيس", 1}, {"الزعيم", 1}, {"الملك", 1}, {"رئيس", 1}, {"زعيم", 1},
};

static int leader_title(const char *k)
{
    if (WM_HAS(leader_words, k)) return 1;
    char buf[HD_STEM_MAX];
    if (!strncmp(k, "\u0644\u0644", 4) && strlen(k) + 1 < sizeof buf) { /* لل = ل + ال */
        snprintf(buf, sizeof buf, "\u0627\u0644%s", k + 4);
        return WM_HAS(leader_words, buf);
    }
    if (!strncmp(k, "\u0648", 2) || !strncmp(k, "\u0644", 2) || !strncmp(k, "\u0628", 2))
        return WM_HAS(leader_words, k + 2 + (!strncmp(k + 2, "\u0628", 2) ? 2 : 0));
    return 0;
}

/* A title behind ل or ب (للرئيس، بالزعيم). */
static int title_stem(const char *k)
{
    char buf[HD_STEM_MAX];
    if (!strncmp(k, "\u0644\u0644", 4) && strlen(k) + 1 < sizeof buf) { /* لل = ل + ال */
        snprintf(buf, sizeof buf, "\u0627\u0644%s", k + 4);
        return hd_keyset_has(&title_words, buf);
    }
    if (!strncmp(k, "\u0644", 2) || !strncmp(k, "\u0628", 2))
        return hd_keyset_has(&title_words, k + 2);
    return 0;
}

/* The participant a mention stands for: a capital used as a government, or
 * a country's adjective, is its country. -1 when out of memory. */
static long participant(struct run *u, size_t m, int place_ok)
{
    const struct hd_mention *mm = &u->rec->mentions[m];
    size_t e = mm->entity;
    /* "الرئيس الروسي" with no name: the last person of that country named */
    if (mm->kind == HD_MENTION_ADJECTIVE && u->ment_first[m] > 0 &&
        leader_title(tkey(u, u->ment_first[m] - 1))) {
        const char *c = hd_rec_country(u->r, u->rec, e);
        for (size_t k = m; c && k-- > 0;) {
            const struct hd_mention *p = &u->rec->mentions[k];
            const char *pc = hd_rec_country(u->r, u->rec, p->entity);
            if (p->kind != HD_MENTION_ADJECTIVE && pc && !strcmp(pc, c) &&
                !strcmp(hd_rec_type(u->r, u->rec, p->entity), "person"))
                return (long)p->entity;
        }
    }
    const char *type = hd_rec_type(u->r, u->rec, e);
    long kb = u->rec->entities[e].kb;
    int capital = kb >= 0 && hd_kb_get(u->kb, (size_t)kb)->capital;
    if (!strcmp(type, "city") && (capital || (mm->flags & HD_MENTION_AS_COUNTRY)) && !place_ok) {
        const char *c = hd_rec_country(u->r, u->rec, e);
        if (c && c[0] >= 'A' && c[0] <= 'Z' && c[1] >= 'A' && c[1] <= 'Z' && !c[2]) {
            long k = u->ev->country_of[(c[0] - 'A') * 26 + (c[1] - 'A')];
            if (k >= 0) return hd_recognition_add_kb(u->rec, k);
        }
    }
    return (long)e;
}

/* The country entity of a place's country code, or -1. */
static long country_entity(struct run *u, size_t e)
{
    const char *c = hd_rec_country(u->r, u->rec, e);
    if (!c || c[0] < 'A' || c[0] > 'Z' || c[1] < 'A' || c[1] > 'Z' || c[2]) return -1;
    long k = u->ev->country_of[(c[0] - 'A') * 26 + (c[1] - 'A')];
    return k >= 0 ? hd_recognition_add_kb(u->rec, k) : -1;
}

static int is_place(const struct run *u, size_t e)
{
    const char *t = hd_rec_type(u->r, u->rec, e);
    return !strcmp(t, "city") || !strcmp(t, "region") || !strcmp(t, "country") ||
           !strcmp(t, "facility");
}

static int is_person(const struct run *u, size_t m)
{
    return !strcmp(hd_rec_type(u->r, u->rec, u->rec->mentions[m].entity), "person");
}

static int grow_groups(struct run *u)
{
    if (u->ngroups < u->gcap) return 0;
    size_t nc = u->gcap ? u->gcap * 2 : 32;
    struct group *g = realloc(u->groups, nc * sizeof *g);
    if (!g) return u->oom = 1, -1;
    u->groups = g, u->gcap = nc;
    return 0;
}

static int about_word(const struct run *u, size_t j);
static void merge_links(struct run *u);

/* A word of a title (الرئيس، الأمين العام، الشيخ), perhaps after و. */
static int title_word(const char *k, int *with_and)
{
    *with_and = 0;
    if (hd_keyset_has(&title_words, k) || counterpart(k)) return 1;
    if (!strncmp(k, "\u0648", 2) && (hd_keyset_has(&title_words, k + 2) || counterpart(k + 2)))
        return *with_and = 1;
    return 0;
}

/* A city, region or site that stands for no government (not a capital). */
static int plain_place(struct run *u, size_t m)
{
    size_t e = u->rec->mentions[m].entity;
    return is_place(u, e) && strcmp(hd_rec_type(u->r, u->rec, e), "country") &&
           u->rec->mentions[m].kind != HD_MENTION_ADJECTIVE && participant(u, m, 0) == (long)e;
}

/* Groups of the mentions m0..m1 (those of one sentence). */
static void make_groups(struct run *u, size_t m0, size_t m1)
{
    u->ngroups = 0;
    for (size_t m = m0; m < m1; m++) {
        const struct hd_mention *mm = &u->rec->mentions[m];
        size_t f = u->ment_first[m], l = u->ment_last[m];
        int conj = 0, w;
        unsigned prep = 0;
        if (u->pre_len[m]) prep = prep_prefix(u->text + u->tk.v[f].start, u->pre_len[m], &conj);
        /* the title words right before the name, and what stands before them:
         * "مع الأمين العام لمجلس الأمن"، "ورئيس الوزراء الإثيوبي آبي أحمد" */
        size_t tf = f; /* the first token of the title before the name */
        int title_and = 0;
        /* people, bodies and adjectives have titles; a place behind its own
         * preposition has none ("والأمن لكوريا الشمالية") */
        int titled = mm->kind == HD_MENTION_ADJECTIVE || !is_place(u, mm->entity) || !u->pre_len[m];
        while (titled && tf > 0 && !is_punct(u, tf - 1) && title_word(tkey(u, tf - 1), &w) &&
               !prep_word(tkey(u, tf - 1)) && f - tf < 4) {
            int busy = 0;
            for (size_t x = m0; x < m; x++)
                if (u->ment_last[x] == tf - 1) busy = 1;
            if (busy) break;
            tf--;
            title_and = w;
            if (w) break; /* و starts the title */
        }
        struct group *g = u->ngroups ? &u->groups[u->ngroups - 1] : NULL;
        /* a qualifier and the name it qualifies, nothing but title words
         * between: one group whose head is the person (زعيم كوريا الشمالية
         * كيم جونغ أون، رئيس دولة الإمارات الشيخ محمد بن زايد) */
        if (g && !conj && !prep && !title_and && tf <= g->last + 1 &&
            ((is_person(u, m) && !is_person(u, g->mention)) || g->adjective)) {
            g->last = l;
            if (is_person(u, m) || g->adjective) g->mention = m;
            g->adjective = g->adjective && mm->kind == HD_MENTION_ADJECTIVE;
            continue;
        }
        if (title_and) conj = 1;
        if (!prep && tf > 0) {
            size_t p = tf - 1;
            if (key_is(tkey(u, p), "\u0648")) conj = 1; /* a lone و */
            prep = prep_word(tkey(u, p));
            if (prep == M_BAYN) conj = 0;
            if (!strncmp(tkey(u, p), "\u0648", 2) && prep) conj = 0;
        }
        /* "لمجلس" after a title: the ل is the title's idafa, the preposition
         * before the title governs */
        if (u->pre_len[m] && tf < f) prep = tf > 0 ? prep_word(tkey(u, tf - 1)) : 0;
        /* "اتصالا هاتفيا بالرئيس الفرنسي ماكرون": the title's own ب or ل */
        if (!prep && tf == f && f > 0 && title_stem(tkey(u, f - 1))) {
            const char *k = tkey(u, f - 1);
            prep = !strncmp(k, "\u0628", 2) ? M_BI : M_LI;
        }
        /* a place's head word between: "إلى أقصى شرق روسيا" */
        if (!prep && tf > 1 && hd_keyset_has(&cues[C_PLACEWORD], tkey(u, tf - 1))) {
            size_t p = tf - 1;
            while (p > 0 && hd_keyset_has(&cues[C_PLACEWORD], tkey(u, p - 1)) && tf - p < 3) p--;
            if (p > 0) prep = prep_word(tkey(u, p - 1));
        }
        /* "بجهود قطر"، "لدعم متمردي حركة إم 23": the preposition of the
         * nouns whose genitive it is */
        for (size_t p = tf; !prep && p > 0 && tf - p < 5;) {
            p--;
            const char *k = tkey(u, p);
            if (about_word(u, p)) {
                prep = !strncmp(k, "\u0628", 2) ? M_BI : !strncmp(k, "\u0644", 2) ? M_LI : 0;
                if (prep) break;
            } else if (!hd_keyset_has(&org_words, k) && !key_is(k, "\"") && !key_is(k, "\u201c") &&
                       !key_is(k, "\u00ab")) {
                break;
            }
        }
        if (grow_groups(u) < 0) return;
        g = &u->groups[u->ngroups++];
        g->first = f, g->last = l, g->mention = m;
        g->prep = prep, g->conj = conj;
        g->adjective = mm->kind == HD_MENTION_ADJECTIVE;
    }
    merge_links(u);
}

/* "المندوب الفلسطيني الدائم لدى الأمم المتحدة رياض منصور": a qualifier, a
 * link to a body and the name are one group, the person's. */
static void merge_links(struct run *u)
{
    size_t w = 0;
    for (size_t i = 0; i < u->ngroups; i++) {
        struct group *g = &u->groups[i];
        if (w > 0) {
            struct group *p = &u->groups[w - 1];
            int ok = is_person(u, g->mention) && !is_person(u, p->mention) && !g->conj &&
                     (g->prep == 0 || g->prep == M_LI) && g->first > p->last;
            for (size_t j = p->last + 1; j < g->first && ok; j++) {
                const char *k = tkey(u, j);
                int tw;
                ok = title_word(k, &tw) || key_is(k, "لدي") || key_is(k, "باسم") ||
                     key_is(k, "الدائم") || key_is(k, "الدائمه");
                if (tw) ok = 0;
            }
            if (ok && g->first - p->last <= 4) {
                p->last = g->last, p->mention = g->mention, p->adjective = 0;
                continue;
            }
        }
        u->groups[w++] = *g;
    }
    u->ngroups = w;
}

/* ---- triggers ---- */

struct tmatch {
    const struct trigger *t;
    size_t first, last;           /* tokens */
    int future;                   /* the prefix س */
    unsigned prefix;              /* M_LI or M_BI of a proclitic on the first word */
    int suffixed;                 /* a noun with a pronoun suffix: its genitive is the pronoun */
    int objsuffix;                /* a verb with an object pronoun (وقعها) */
    int passive;                  /* a past verb written with its passive damma (اتُّهم) */
    size_t subj_first, subj_last; /* the subject inside a verb's phrase, when set */
};

static size_t lower_bound(const char *key)
{
    size_t lo = 0, hi = ntrigs;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (strcmp(trigs[mid].words[0], key) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

static int known_form(const char *key, const char *type)
{
    for (size_t i = lower_bound(key); i < ntrigs && !strcmp(trigs[i].words[0], key); i++)
        if (trigs[i].type == type && trigs[i].nwords == 1) return 1;
    return 0;
}

/* Words a phrase may have between its words: "قطع كل العلاقات". */
static int skippable(const char *k)
{
    return key_is(k, "كل") || key_is(k, "جميع") || key_is(k, "كافه") || key_is(k, "رسميا") ||
           key_is(k, "ايضا");
}

/* A later word of a phrase: as listed, or with a possessive instead of the
 * article (العلاقات > علاقاتها، علاقاته). */
static int phrase_word(const char *key, const char *w)
{
    if (key_is(key, w)) return 1;
    if (strncmp(w, "\u0627\u0644", 4)) return 0;
    const char *const *sfx = pronoun_suffixes;
    size_t kl = strlen(key), bl = strlen(w + 4);
    for (size_t i = 0; i < NSUFFIXES; i++) {
        size_t sl = strlen(sfx[i]);
        if (kl == bl + sl && !strncmp(key, w + 4, bl) && !strcmp(key + bl, sfx[i])) return 1;
        /* ة before a suffix is written ت: رسالة > رسالته */
        if (kl == bl + sl && bl >= 2 && !strcmp(w + 4 + bl - 2, "\u0647") &&
            !strncmp(key, w + 4, bl - 2) && !strncmp(key + bl - 2, "\u062a", 2) &&
            !strcmp(key + bl, sfx[i]))
            return 1;
    }
    return 0;
}

/* The rest of trigger t after its first word, from token i: the last token,
 * or (size_t)-1; the subject it had to step over, and whether every word
 * was as written. */
static size_t match_rest(const struct run *u, const struct trigger *t, size_t i, size_t end,
                         size_t *subj_first, size_t *subj_last, int *exact)
{
    size_t j = i;
    *subj_first = *subj_last = 0;
    *exact = 1;
    for (int w = 1; w < t->nwords; w++) {
        j++;
        if (j < end && !phrase_word(tkey(u, j), t->words[w]) && skippable(tkey(u, j))) j++;
        /* "قطعت الجزائر العلاقات"، "استدعت الجزائر سفيرها": the subject
         * between a verb and the rest of its phrase */
        if (w == 1 && j < end && (t->tense == T_PAST || t->tense == T_PRESENT) && u->in_ment[j]) {
            size_t k = j;
            while (k < end && k < j + 6 && u->in_ment[k]) k++;
            if (k < end && phrase_word(tkey(u, k), t->words[w]))
                *subj_first = j, *subj_last = k - 1, j = k;
        }
        if (j >= end || !phrase_word(tkey(u, j), t->words[w])) return (size_t)-1;
        if (!key_is(tkey(u, j), t->words[w])) *exact = 0;
    }
    return j;
}

/* A pronoun suffix on a noun: the key without it (ت restored to ة) is a
 * form of the same type. */
static int has_suffix(const char *key, const char *type)
{
    char base[HD_STEM_MAX];
    for (size_t i = 0; i < NSUFFIXES - 1; i++)
        for (int mb = 0; mb < 2; mb++)
            if (unsuffixed(key, pronoun_suffixes[i], mb, base) && known_form(base, type)) return 1;
    return 0;
}

static int match_form(const struct run *u, size_t i, size_t end, const char *key, int objsuffix,
                      struct tmatch *m);

/* Token i ends in a ta marbuta as written (ة folds to ه in keys). */
static int marbuta_at(const struct run *u, size_t i)
{
    const struct hd_token *tk = &u->tk.v[i];
    return tk->end - tk->start >= 2 && !memcmp(u->text + tk->end - 2, "\u0629", 2);
}

/* Token i ends, as written, in the letter l (UTF-8). */
static int last_letter_is(const struct run *u, size_t i, const char *l)
{
    const struct hd_token *tk = &u->tk.v[i];
    size_t n = strlen(l);
    return tk->end - tk->start >= n && !memcmp(u->text + tk->end - n, l, n);
}

/* 1 when token i ends in ي as written, 2 in ى, else 0. */
static int ya_at(const struct run *u, size_t i)
{
    const struct hd_token *tk = &u->tk.v[i];
    if (tk->end - tk->start < 2) return 0;
    const char *e = u->text + tk->end - 2;
    return !memcmp(e, "\u064a", 2) ? 1 : !memcmp(e, "\u0649", 2) ? 2 : 0;
}

/* A title or a body's head word, perhaps with a possessive (وزارتها). */
static int head_word(const char *key)
{
    if (hd_keyset_has(&title_words, key) || hd_keyset_has(&org_words, key)) return 1;
    char base[HD_STEM_MAX];
    for (size_t k = 0; k < NSUFFIXES; k++)
        if (unsuffixed(key, pronoun_suffixes[k], 1, base) &&
            (hd_keyset_has(&title_words, base) || hd_keyset_has(&org_words, base)))
            return 1;
    return 0;
}

/* The trigger at token i: the word as it is, else a verb with an object
 * pronoun (وقعها، استقبله). */
static int match_trigger(const struct run *u, size_t i, size_t end, struct tmatch *m)
{
    if (u->tk.v[i].kind != HD_TOKEN_WORD) return 0;
    const char *key = tkey(u, i);
    /* "وزارة" is no و + "زار" + ه: a title or a body's head word is none,
     * nor is it with a possessive (وزارتها) */
    if (head_word(key)) return 0;
    if (match_form(u, i, end, key, 0, m)) {
        /* the damma of the passive, where the writer put it: "واتُّهم نظيف" */
        const struct hd_token *tk = &u->tk.v[i];
        m->passive = m->t->tense == T_PAST &&
                     memmem(u->text + tk->start, tk->end - tk->start, "\u064f", 2) != NULL;
        return 1;
    }
    /* a ta marbuta folds to ه, but "طالبة" is no "طالب" + ه */
    int marbuta = marbuta_at(u, i);
    char base[HD_STEM_MAX];
    for (size_t k = 0; k < NSUFFIXES - 1; k++) {
        if (!strcmp(pronoun_suffixes[k], "\u0647") && marbuta) continue;
        if (unsuffixed(key, pronoun_suffixes[k], 0, base) && match_form(u, i, end, base, 1, m))
            return 1;
    }
    return 0;
}

static int match_form(const struct run *u, size_t i, size_t end, const char *key, int objsuffix,
                      struct tmatch *m)
{
    size_t lens[HD_STEMS_MAX + 1];
    int n = hd_proclitics(key, lens + 1, HD_STEMS_MAX);
    lens[0] = 0;
    int best = 0;
    for (int c = 0; c <= n; c++) {
        const char *stem = key + lens[c];
        int article = lens[c] >= 4 && (strstr(key, "\u0627\u0644") == key + lens[c] - 4 ||
                                       !memcmp(key + lens[c] - 4, "\u0644\u0644", 4));
        for (int fut = 0; fut < 2; fut++) {
            const char *k = stem;
            if (fut) { /* سيزور، سنعمل: the future prefix on a present verb */
                if (strncmp(k, "\u0633", 2) || strlen(k) < 8) break;
                k += 2;
                if (strncmp(k, "\u064a", 2) && strncmp(k, "\u062a", 2) && strncmp(k, "\u0646", 2) &&
                    strncmp(k, "\u0627", 2))
                    break;
            }
            for (size_t x = lower_bound(k); x < ntrigs && !strcmp(trigs[x].words[0], k); x++) {
                const struct trigger *t = &trigs[x];
                if (fut && t->tense != T_PRESENT) continue;
                if (objsuffix && t->tense != T_PAST && t->tense != T_PRESENT) continue;
                if (t->last_raw && !last_letter_is(u, i, t->last_raw)) continue;
                /* "الطلبة" (students) is no "طلبه" (his request) */
                if (t->ends_ha && marbuta_at(u, i) && t->nwords == 1) continue;
                /* ى and ي fold together, yet "يدعى" (is called) is no "يدعي" */
                if (t->nwords == 1 && t->ends_ya && !objsuffix && ya_at(u, i) &&
                    ya_at(u, i) != t->ends_ya)
                    continue;
                /* "كطالب": ك is no verb's proclitic */
                if (lens[c] && strstr(key, "\u0643") && strstr(key, "\u0643") < key + lens[c] &&
                    (t->tense == T_PAST || t->tense == T_PRESENT))
                    continue;
                /* a verb never takes the article: "الطلب" is no "طلب" */
                if (article &&
                    (t->tense == T_PAST || t->tense == T_PRESENT || t->tense == T_PASSIVE))
                    continue;
                size_t sf, sl;
                int exact;
                size_t last = match_rest(u, t, i, end, &sf, &sl, &exact);
                if (last == (size_t)-1) continue;
                /* the longest phrase; of two as long, the one as written
                 * (سفيرها over السفير with a possessive) */
                int score = (int)(last - i + 1) * 2 + exact;
                if (best && score <= best) continue;
                best = score;
                m->t = t, m->first = i, m->last = last, m->future = fut;
                m->subj_first = sf, m->subj_last = sl;
                int conj;
                m->prefix = lens[c] ? prep_prefix(key, lens[c], &conj) : 0;
                m->suffixed = (t->tense == T_MASDAR || t->tense == T_NOUN) && t->nwords == 1 &&
                              has_suffix(k, t->type);
                m->objsuffix = objsuffix;
            }
        }
    }
    return best > 0;
}

/* A verb, not a verbal noun: a past form behind ب or ل (بقطع، لزيارة) is
 * the noun of the same spelling. */
static int is_verb(const struct tmatch *m)
{
    enum tense t = m->t->tense;
    return (t == T_PAST || t == T_PRESENT || t == T_PASSIVE) && !(m->prefix & (M_BI | M_LI));
}

/* ---- arguments ---- */

/* Words between a verb and its subject that do not stop the search. */
static struct wm filler_words[] = {
    {"ايضا", 1},  {"رسميا", 1},   {"مجددا", 1},    {"كذلك", 1},     {"فيه", 1},    {"فيها", 1},
    {"بدوره", 1}, {"بدورها", 1},  {"اليوم", 1},    {"امس", 1},      {"قد", 1},     {"بها", 1},
    {"به", 1},    {"له", 1},      {"لها", 1},      {"يوم", 1},      {"صباح", 1},   {"مساء", 1},
    {"الاحد", 1}, {"الاثنين", 1}, {"الثلاثاء", 1}, {"الاربعاء", 1}, {"الخميس", 1}, {"الجمعه", 1},
    {"السبت", 1}, {"بشده", 1},    {"بقوه", 1},     {"مرارا", 1},    {"رسمي", 1},   {"خلالها", 1},
    {"خلاله", 1},
};

static int filler(const struct run *u, size_t i)
{
    if (is_punct(u, i)) return !clause_break(u, i);
    const char *k = tkey(u, i);
    if (WM_HAS(filler_words, k)) return 1;
    return u->tk.v[i].kind == HD_TOKEN_NUMBER;
}

/* A word with the article: ال and three letters at least after it (آلاف
 * folds to الاف, which is no article). */
/* Words between a subject and its verb: كان، قد، لم، لن، سوف. */
static struct wm aux_words[] = {
    {"قد", 1},  {"كان", 1}, {"كانت", 1}, {"وكان", 1},  {"وكانت", 1},
    {"لم", 1},  {"لن", 1},  {"لا", 1},   {"سوف", 1},   {"ولم", 1},
    {"ولن", 1}, {"فقد", 1}, {"وقد", 1},  {"كانوا", 1}, {"كانا", 1},
};

static int auxiliary(const char *k)
{
    return WM_HAS(aux_words, k);
}

static int definite_word(const struct run *u, size_t i)
{
    const char *k = tkey(u, i);
    return u->tk.v[i].kind == HD_TOKEN_WORD && !strncmp(k, "\u0627\u0644", 4) && strlen(k) >= 10;
}

struct args {
    long actors[HD_EVENT_MAX_ROLE], targets[HD_EVENT_MAX_ROLE];
    size_t nactors, ntargets;
    size_t actor_group_end; /* last token of the actor groups found in the text */
    int inherited;
    int backward;      /* a noun's actor found before it, not in its genitive */
    int unknown;       /* the subject is there but names no entity */
    int subject_after; /* the actor is the group after the verb */
    long location;
};

static void add_role(long *v, size_t *n, long e)
{
    if (e < 0) return;
    for (size_t i = 0; i < *n; i++)
        if (v[i] == e) return;
    if (*n < HD_EVENT_MAX_ROLE) v[(*n)++] = e;
}

/* The group index whose first token is at or after tok, or ngroups. */
static size_t group_from(const struct run *u, size_t tok)
{
    size_t g = 0;
    while (g < u->ngroups && u->groups[g].first < tok) g++;
    return g;
}

/* Adds group g and the groups joined to it by و after it as actors (or
 * targets); returns the last token taken. */
/* The words between two groups joined by و leave them one list: titles
 * (ورئيس الوزراء الإثيوبي) and at most two others (آل نهيان والرئيس). */
static int joinable(const struct run *u, size_t last, size_t first)
{
    size_t others = 0;
    for (size_t j = last + 1; j < first; j++) {
        int w;
        if (is_punct(u, j) && !key_is(tkey(u, j), "\u060c") && !key_is(tkey(u, j), ",")) return 0;
        if (!is_punct(u, j) && !title_word(tkey(u, j), &w) && !key_is(tkey(u, j), "\u0648"))
            others++;
    }
    return others <= 2;
}

static size_t take_joined(struct run *u, size_t g, long *v, size_t *n, int place_ok)
{
    size_t last = u->groups[g].last;
    add_role(v, n, participant(u, u->groups[g].mention, place_ok));
    for (size_t h = g + 1; h < u->ngroups; h++) {
        const struct group *x = &u->groups[h];
        if (!x->conj || x->prep || !joinable(u, last, x->first)) break;
        add_role(v, n, participant(u, x->mention, place_ok));
        last = x->last;
    }
    return last;
}

/* The two parties "البلدان، الزعيمان" stand for: the last two different
 * people (want_person) or countries named before token tok. */
static int pair_before(struct run *u, size_t tok, int want_person, long *v, size_t *n)
{
    long found[2];
    int nf = 0;
    for (size_t m = u->rec->nmentions; m-- > 0 && nf < 2;) {
        if (u->ment_first[m] >= tok) continue;
        const struct hd_mention *mm = &u->rec->mentions[m];
        const char *t = hd_rec_type(u->r, u->rec, mm->entity);
        if (want_person ? strcmp(t, "person") : strcmp(t, "country")) continue;
        long e = (long)mm->entity;
        if (nf == 1 && found[0] == e) continue;
        found[nf++] = e;
    }
    if (nf < 2) return 0;
    add_role(v, n, found[1]), add_role(v, n, found[0]);
    return 1;
}

static int pair_at(struct run *u, size_t i, size_t end, long *v, size_t *n)
{
    if (i >= end || !cue_at(u, i, i + 1, C_PAIR)) return 0;
    const char *k = tkey(u, i);
    int person = strstr(k, "زعيم") || strstr(k, "رئيس") || strstr(k, "وزير");
    return pair_before(u, i, person, v, n);
}

static void inherit(struct run *u, struct args *a)
{
    for (size_t i = 0; i < u->ntopic; i++) add_role(a->actors, &a->nactors, (long)u->topic[i]);
    a->inherited = a->nactors > 0;
}

/* The subject before a verb or a noun: the nearest group before tok that no
 * preposition governs, with the ones joined to it; back to lo. */
static int subject_before(struct run *u, size_t tok, size_t lo, struct args *a)
{
    size_t g = group_from(u, tok);
    while (g-- > 0) {
        const struct group *x = &u->groups[g];
        if (x->first < lo) return 0;
        /* an adjective after a title is someone of that country ("ولي العهد
         * السعودي"); alone it only qualifies */
        if (x->adjective && !(x->first > 0 && hd_keyset_has(&title_words, tkey(u, x->first - 1))))
            continue;
        /* a city, region or site is where things happen, not who does them,
         * unless it stands for a government */
        size_t xe = u->rec->mentions[x->mention].entity;
        if (is_place(u, xe) && strcmp(hd_rec_type(u->r, u->rec, xe), "country")) {
            if (participant(u, x->mention, 0) == (long)xe) continue;
            /* a capital acts only as a subject: right before the word
             * (بيونغ يانغ أرسلت) or first in its clause (تسعى موسكو), not
             * as some verb's object (زار أردوغان القاهرة) */
            int first_in_clause = g == 0 || u->groups[g - 1].last < lo;
            for (size_t j = g ? u->groups[g - 1].last + 1 : 0; j < x->first && !first_in_clause;
                 j++)
                if (clause_break(u, j)) first_in_clause = 1;
            if (x->last + 1 < tok && !first_in_clause) continue;
        }
        int affiliation = x->prep == M_FI && x->first >= 2 && !definite_word(u, x->first - 2) &&
                          u->tk.v[x->first - 2].kind == HD_TOKEN_WORD &&
                          prep_word(tkey(u, x->first - 1)) == M_FI;
        if (x->prep && !affiliation) continue;
        /* walk back over the groups joined by و to find the first */
        size_t first = g;
        while (first > 0 && u->groups[first].conj && !u->groups[first - 1].prep &&
               u->groups[first].first <= u->groups[first - 1].last + 2)
            first--;
        while (first > 0 && u->groups[first].conj && u->groups[first - 1].prep == M_FI &&
               u->groups[first].first <= u->groups[first - 1].last + 2)
            first--;
        a->actor_group_end = take_joined(u, first, a->actors, &a->nactors, 0);
        return 1;
    }
    return 0;
}

/* ---- one sentence ---- */

struct sentence {
    size_t t0, t1; /* tokens */
    size_t m0, m1; /* mentions */
    size_t index;
    struct hd_timex tx[16];
    size_t ntx;
};

/* A noun whose genitive the event is about, with ب/ل or not (بجهود). */
static int about_word(const struct run *u, size_t j)
{
    const char *k = tkey(u, j);
    if (cue_at(u, j, j + 1, C_ABOUT)) return 1;
    return (!strncmp(k, "\u0628", 2) || !strncmp(k, "\u0644", 2)) && strlen(k) > 6 &&
           hd_keyset_has(&cues[C_ABOUT], k + 2);
}

/* Token j is inside a group that a preposition governs (في القاهرة). */
static int in_pp(const struct run *u, size_t j)
{
    for (size_t g = 0; g < u->ngroups; g++)
        if (u->groups[g].prep && u->groups[g].first <= j && j <= u->groups[g].last) return 1;
    return 0;
}

/* When token j opens an aside set off by commas that closes before limit,
 * the closing comma; else j. */
static size_t aside_end(const struct run *u, size_t j, size_t limit)
{
    if (!is_punct(u, j) || !key_is(tkey(u, j), "\u060c")) return j;
    for (size_t k = j + 1; k < limit && k < j + 16; k++) {
        if (is_punct(u, k) && key_is(tkey(u, k), "\u060c")) return k;
        if (clause_break(u, k)) return j;
    }
    return j;
}

/* A light verb at token j, with an object pronoun or not (أجراها). */
static int light_at(const struct run *u, size_t j)
{
    if (cue_at(u, j, j + 1, C_LIGHT)) return 1;
    const char *k = tkey(u, j);
    char base[HD_STEM_MAX];
    for (size_t i = 0; i < NSUFFIXES - 1; i++) {
        if (!unsuffixed(k, pronoun_suffixes[i], 0, base)) continue;
        if (hd_keyset_has(&cues[C_LIGHT], base)) return 1;
        /* أجراها: the alef maqsura of أجرى is written ا before a pronoun */
        size_t bl = strlen(base);
        if (!strcmp(base + bl - 2, "\u0627")) {
            memcpy(base + bl - 2, "\u064a", 2);
            if (hd_keyset_has(&cues[C_LIGHT], base)) return 1;
        }
        const char *b = base;
        if (!strncmp(b, "\u0648", 2) || !strncmp(b, "\u0641", 2)) b += 2;
        if (hd_keyset_has(&cues[C_LIGHT], b)) return 1;
    }
    return 0;
}

static int in_timex(const struct sentence *s, size_t j)
{
    for (size_t i = 0; i < s->ntx; i++)
        if (s->tx[i].first <= j && j <= s->tx[i].last) return 1;
    return 0;
}

static size_t clause_end_of(const struct run *u, size_t from, const struct sentence *s)
{
    for (size_t j = from; j < s->t1; j++)
        if (clause_break(u, j)) return j;
    return s->t1;
}

/* Where the objects of a trigger may be: its clause, and on over a relative
 * clause set off by commas ("علاقاتها الثنائية، التي وصفتها بالبناءة،
 * مع كوريا الشمالية"). */
static size_t target_end_of(const struct run *u, size_t from, const struct sentence *s)
{
    size_t e = clause_end_of(u, from, s);
    if (e < s->t1 && is_relative(u, e) && e > from && is_punct(u, e - 1)) {
        for (size_t j = e + 1; j < s->t1 && j < e + 12; j++) {
            if (is_punct(u, j) && (key_is(tkey(u, j), "\u060c") || key_is(tkey(u, j), ",")))
                return clause_end_of(u, j + 1, s);
            if (clause_break(u, j)) break;
        }
    }
    return e;
}

static size_t clause_start_of(const struct run *u, size_t from, const struct sentence *s)
{
    for (size_t j = from; j-- > s->t0;)
        if (clause_break(u, j)) return j + 1;
    return s->t0;
}

/* A light verb (أجرى، وجه، قام) in [lo, m) or just after m (محادثات
 * أجراها): the noun is its object, and its subject the noun's doer. */
static int light_verb_near(const struct run *u, const struct sentence *s, const struct tmatch *m,
                           size_t lo)
{
    /* "خلال زيارة إلى كييف"، "في أول زيارة": a time phrase of the sentence's
     * subject */
    for (size_t j = m->first; j-- > lo && j + 3 >= m->first;) {
        const char *k = tkey(u, j);
        if (key_is(k, "خلال") || key_is(k, "اثناء") || key_is(k, "في") || key_is(k, "لدي") ||
            key_is(k, "عقب") || key_is(k, "ابان"))
            return 1;
        if (!key_is(k, "اول") && !key_is(k, "اخر")) break;
    }
    for (size_t j = lo; j < m->first; j++)
        if (!u->in_ment[j] && light_at(u, j)) return 1;
    for (size_t j = m->last + 1; j < s->t1 && j <= m->last + 2; j++)
        if (light_at(u, j)) return 1;
    return 0;
}

static void find_args(struct run *u, const struct sentence *s, const struct tmatch *m,
                      const char *type, struct args *a)
{
    memset(a, 0, sizeof *a);
    a->location = -1;
    const struct trigger *t = m->t;
    int verb = is_verb(m);
    size_t cend = target_end_of(u, m->last + 1, s);
    size_t cstart = clause_start_of(u, m->first, s);
    size_t after = m->last + 1; /* where the target search starts */
    int visit = !strcmp(type, "visit");
    int host = visit && t->cameo && !strcmp(t->cameo, "043"); /* استقبل: the guest is the target */
    if (host) visit = 0;
    size_t g = group_from(u, m->last + 1);
    int relative = m->first > s->t0 && is_relative(u, m->first - 1);
    if (t->tense == T_PARTICIPLE) {
        /* "مضيفا، معربا": the subject of the main verb */
        inherit(u, a);
        if (!a->nactors) subject_before(u, m->first, cstart, a);
    } else if (verb && t->tense != T_PASSIVE && !m->passive) {
        /* subject after the verb, over adverbs and time words */
        size_t j = m->last + 1, words = 0;
        int definite = 0;
        if (pair_at(u, j, cend, a->actors, &a->nactors)) after = j + 1;
        /* the subject found inside the phrase (قطعت الجزائر العلاقات) */
        if (m->subj_last) {
            size_t h = group_from(u, m->subj_first);
            if (h < u->ngroups && u->groups[h].first <= m->subj_last) {
                take_joined(u, h, a->actors, &a->nactors, 0);
                a->subject_after = 1;
                j = cend;
            }
        }
        /* "استدعت سفير اليابان": a phrase that ends in a noun has its
         * genitive right after it, and its subject elsewhere */
        if (t->nwords > 1 && g < u->ngroups && u->groups[g].first == m->last + 1 &&
            !u->groups[g].prep)
            j = cend;
        /* "وتوعد شريف بالرد، واتهم نيودلهي": a verb joined to the one before
         * shares its subject, and what follows is the object */
        if (!a->nactors && m->first > s->t0 + 2 && !strncmp(tkey(u, m->first), "\u0648", 2) &&
            u->topic_sentence == s->index + 1 && is_punct(u, m->first - 1)) {
            inherit(u, a);
            a->inherited = 0; /* named in this sentence */
            j = cend;
        }
        /* "وكان مودي قد التقى الرئيس الصيني": the subject came first, and
         * what follows is the object */
        size_t g0 = group_from(u, m->first);
        /* ...unless a title right after the verb introduces its subject
         * ("بيد داعش طالب رئيس الجمهورية فؤاد معصوم") */
        size_t f1 = m->last + 1;
        while (f1 < cend && filler(u, f1)) f1++;
        int titled_after = f1 < cend && hd_keyset_has(&title_words, tkey(u, f1));
        if (!a->nactors && !relative && g0 > 0) {
            const struct group *p = &u->groups[g0 - 1];
            int near = p->last < m->first && p->first >= cstart && !p->prep, aux = 0;
            for (size_t k = p->last + 1; k < m->first && near; k++) {
                if (auxiliary(tkey(u, k)))
                    aux = 1;
                else if (!filler(u, k))
                    near = 0;
            }
            /* "كان X قد التقى" and "أن X سيستقبل" are the subject first,
             * whatever follows */
            int first_in_clause = p->first >= cstart;
            for (size_t k = cstart; k < p->first && first_in_clause; k++) {
                int w;
                first_in_clause = title_word(tkey(u, k), &w) || filler(u, k);
            }
            if (near && (aux || !titled_after || first_in_clause))
                subject_before(u, m->first, cstart, a);
        }
        /* a title first ("رئيس حكومة الوحدة الوطنية الليبية عبد الحميد
         * الدبيبة") leads to the name however long it is */
        int titled = 0, seen = 0;
        while (!a->nactors && j < cend && (g >= u->ngroups || j < u->groups[g].first)) {
            if (!filler(u, j)) {
                int tw = hd_keyset_has(&title_words, tkey(u, j));
                if (!seen) titled = tw;
                seen = 1;
                /* the subject's place is the first word: "الدول الغربية" */
                if (!tw && !words && !titled && definite_word(u, j)) definite = 1;
                if (!tw && !titled) words++;
                if (titled && (prep_word(tkey(u, j)) || is_punct(u, j))) titled = 0, words += 3;
            }
            j++;
        }
        if (!a->nactors && g < u->ngroups && u->groups[g].first < cend && !definite && words <= 2) {
            const struct group *x = &u->groups[g];
            /* "مسؤولون في كوريا الجنوبية": the officials of a country */
            int ok = (!x->prep && !x->conj && words == 0) ||
                     (words > 0 && (x->prep == M_FI || x->prep == M_MIN) && !x->conj);
            if (ok && visit && is_place(u, u->rec->mentions[x->mention].entity) && !x->prep)
                ok = 0; /* "وزار بيونغ يانغ": the place is the object */
            if (ok) {
                after = a->actor_group_end = take_joined(u, g, a->actors, &a->nactors, 0), after++;
                a->subject_after = 1;
            }
        }
        /* "وتتهم الدول الغربية كوريا الشمالية": a subject that names no
         * entity; what follows is the object, and nobody is the actor */
        if (definite && !a->nactors) a->unknown = 1;
        if (!a->nactors && !a->unknown) {
            /* "الدول التي اعترفت": the subject is before the relative */
            size_t lo = cstart;
            if (relative) lo = m->first > s->t0 + 16 ? m->first - 16 : s->t0;
            if (!pair_at(u, m->first - (m->first > 0), m->first, a->actors, &a->nactors))
                subject_before(u, m->first, lo, a);
        }
    } else if (!verb) {
        /* the genitive after a verbal noun: زيارة بوتين، زيارة مرتقبة للرئيس */
        /* the genitive is right after the noun, over an adjective or a verb
         * at most (زيارة مرتقبة للرئيس، زيارة أجراها بوتين), never past a new
         * phrase (الاتهامات بخرق اتفاق واشنطن) */
        size_t j = m->last + 1, words = 0;
        while (j < cend && (g >= u->ngroups || j < u->groups[g].first) && words <= 3) {
            if (!filler(u, j) && !hd_keyset_has(&title_words, tkey(u, j))) {
                const char *k = tkey(u, j);
                words += (!strncmp(k, "\u0628", 2) || !strncmp(k, "\u0644", 2)) && strlen(k) > 6 &&
                                 !about_word(u, j) && !leader_title(k) && !title_stem(k)
                             ? 4
                             : 1;
            }
            j++;
        }
        int genitive = 0;
        /* "توقيع اتفاقية للتعاون بين مصر والأردن": بين names the parties of
         * the noun before it */
        for (size_t h = g; h < u->ngroups && u->groups[h].first < cend &&
                           u->groups[h].first <= m->last + 8 && !a->nactors;
             h++)
            if (u->groups[h].prep == M_BAYN) {
                int between = 1;
                for (size_t q = g; q < h; q++) between &= u->groups[q].adjective;
                if (between) genitive = 1, after = take_joined(u, h, a->actors, &a->nactors, 0) + 1;
            }
        /* "العلاقات بين البلدين": the two named before */
        for (size_t k = m->last + 1; k < cend && k <= m->last + 4 && !a->nactors; k++)
            if (prep_word(tkey(u, k)) == M_BAYN) {
                size_t p = k + 1;
                if (p < cend && (key_is(tkey(u, p), "هذين") || key_is(tkey(u, p), "هاتين"))) p++;
                if (pair_at(u, p, cend, a->actors, &a->nactors)) genitive = 1, after = p + 1;
            }
        if (!genitive && !m->suffixed && g < u->ngroups && u->groups[g].first < cend &&
            words <= 3 && !u->groups[g].conj) {
            const struct group *x = &u->groups[g];
            int later_target = 0;
            /* "زيارة لبوتين لبيونغ يانغ": a second marked group is the object */
            for (size_t h = g + 1; h < u->ngroups && u->groups[h].first < cend; h++)
                if (u->groups[h].prep & t->markers & (x->prep == M_LI ? ~0u : ~(unsigned)M_LI))
                    later_target = 1;
            if (x->prep == M_BAYN) { /* "محادثات بين X و Y" */
                genitive = 1;
                after = take_joined(u, g, a->actors, &a->nactors, 0) + 1;
            } else if (!x->prep && plain_place(u, x->mention)) {
                /* "زيارة عدن": a place after the noun is where, not who; for a
                 * visit it is the destination, which the target search takes */
                genitive = 0;
                if (visit) after = x->first;
            } else if (!x->prep || (x->prep == M_LI && later_target)) {
                genitive = 1;
                if (m->prefix == M_LI && !later_target && !(x->prep)) {
                    /* "للقاء بوتين": the purpose, whose genitive is the object */
                    genitive = 0;
                } else {
                    after = take_joined(u, g, a->actors, &a->nactors, 0) + 1;
                }
            }
        }
        if (!genitive && !a->nactors) {
            /* "زيارته": his; the light verb's subject (أجرى كيم زيارة); else
             * the last actor */
            /* the light verb's subject is near (أجرى كيم زيارة، وجه مسؤولون
             * اتهامات): ten words back, dates and punctuation not counted */
            size_t lo = m->first, words = 0;
            while (lo > s->t0 && words < 10) {
                lo--;
                if (!is_punct(u, lo) && !in_timex(s, lo)) words++;
            }
            /* "زيارته"، "زيارة له": his, the one the sentence is about */
            int his = m->suffixed || (m->last + 1 < s->t1 && (key_is(tkey(u, m->last + 1), "له") ||
                                                              key_is(tkey(u, m->last + 1), "لها")));
            if (his && u->topic_sentence == s->index + 1) inherit(u, a);
            /* "وقبل زيارته المقررة لكوريا الشمالية، تعهد بوتين": his, named next */
            if (his && !a->nactors && m->first <= s->t0 + 3)
                for (size_t h = group_from(u, cend); h < u->ngroups && h < group_from(u, cend) + 3;
                     h++)
                    if (!u->groups[h].prep && !u->groups[h].conj &&
                        is_person(u, u->groups[h].mention)) {
                        add_role(a->actors, &a->nactors, participant(u, u->groups[h].mention, 0));
                        break;
                    }
            if (!a->nactors && m->prefix != M_LI && subject_before(u, m->first, lo, a) && !his &&
                !light_verb_near(u, s, m, lo)) {
                /* no verb makes it the noun's doer: "رفض الكونغرس الاتفاق مع
                 * إيران" is no agreement of Congress's */
                a->nactors = 0;
                a->unknown = 1;
            }
            /* the sentence's subject, for "his", a purpose (للقاء) or a noun
             * a light verb takes (في رسالة وجهها) */
            if (!a->nactors && !a->unknown &&
                (his || m->prefix == M_LI || light_verb_near(u, s, m, lo)))
                inherit(u, a);
            a->backward = !his;
        }
    }
    if (!a->nactors && verb && !a->unknown && !m->passive && t->tense != T_PASSIVE) inherit(u, a);

    /* the target */
    unsigned markers = t->markers;
    if (!markers) markers = M_DIRECT;
    /* "سلمت ألمانيا أوكرانيا منظومة": a transfer's first object receives */
    if (!strcmp(t->type, "transfer")) markers |= M_DIRECT;
    for (size_t h = group_from(u, after); h < u->ngroups && u->groups[h].first < cend; h++) {
        const struct group *x = &u->groups[h];
        unsigned p = x->prep == M_BAYN ? M_MAA : x->prep;
        int direct = !p && !x->conj;
        /* an object is near: two words for a direct one, eight behind a preposition */
        size_t gap = 0, about = 0;
        int titled = 0, seen = 0;
        for (size_t j = after; j < x->first; j++) {
            size_t k = aside_end(u, j, x->first);
            if (k > j) { /* "وانتقد لولا، في مقابلة نشرت في 29 مايو، حكومة" */
                j = k;
                continue;
            }
            /* "رئيس حكومة الوحدة الوطنية الليبية عبد الحميد الدبيبة": a
             * title leads to the name however long the office */
            if (!seen && !filler(u, j) && !in_timex(s, j)) {
                seen = 1;
                titled = hd_keyset_has(&title_words, tkey(u, j));
            }
            if (titled && (is_punct(u, j) || prep_word(tkey(u, j)))) titled = 0, gap += 3;
            if (titled) continue;
            if (in_pp(u, j)) continue; /* "استقبل السيسي في القاهرة وزير الخارجية" */
            if (!filler(u, j) && !in_timex(s, j) && !hd_keyset_has(&title_words, tkey(u, j)) &&
                !hd_keyset_has(&cues[C_PLACEWORD], tkey(u, j)) && !prep_word(tkey(u, j)) &&
                !counterpart(tkey(u, j)) && !(about_word(u, j) && !about++))
                gap++;
        }
        /* "هدد صلاح مرمى مانشستر سيتي": a noun between, and the name is its
         * genitive, not the object (an unknown subject's words excepted) */
        if (gap > (direct ? (a->unknown ? 2u : 0u) : 8u)) break;
        /* an adjective alone qualifies; after a title or "نظيره" it is
         * someone, behind ل or إلى its people (للفلسطينيين), right after the
         * trigger's noun its country (طردت دبلوماسيين روسيين) */
        if (x->adjective &&
            !(x->first > 0 && (hd_keyset_has(&title_words, tkey(u, x->first - 1)) ||
                               counterpart(tkey(u, x->first - 1)))) &&
            !(p & (M_LI | M_ILA)) && x->first != m->last + 1)
            continue;
        if ((direct && (markers & M_DIRECT)) || (p && (p & markers))) {
            size_t e = u->rec->mentions[x->mention].entity;
            if (visit && !host && is_person(u, x->mention)) continue; /* one visits a place */
            /* one meets, accuses, praises someone, not a city: that is where */
            if (!visit && (p == M_BI || p == M_FI) && is_place(u, e) &&
                strcmp(hd_rec_type(u->r, u->rec, e), "country") &&
                participant(u, x->mention, 0) == (long)e)
                continue;
            if (visit && is_place(u, e)) {
                const char *ty = hd_rec_type(u->r, u->rec, e);
                long c = strcmp(ty, "country") ? country_entity(u, e) : (long)e;
                if (strcmp(ty, "country")) a->location = (long)e;
                add_role(a->targets, &a->ntargets, c >= 0 ? c : (long)e);
                for (size_t k = h + 1; k < u->ngroups; k++) { /* "كوريا الشمالية وفيتنام" */
                    const struct group *y = &u->groups[k];
                    if (!y->conj || y->prep || y->first > u->groups[k - 1].last + 2) break;
                    size_t ye = u->rec->mentions[y->mention].entity;
                    if (!is_place(u, ye)) break;
                    long yc = strcmp(hd_rec_type(u->r, u->rec, ye), "country")
                                  ? country_entity(u, ye)
                                  : (long)ye;
                    add_role(a->targets, &a->ntargets, yc >= 0 ? yc : (long)ye);
                }
            } else {
                take_joined(u, h, a->targets, &a->ntargets, 0);
            }
            break;
        }
        if (direct && !(markers & M_DIRECT) && !a->nactors && !verb) continue;
    }
    /* a place after في, in the clause */
    if (a->location < 0)
        for (size_t h = group_from(u, cstart); h < u->ngroups && u->groups[h].first < cend; h++) {
            const struct group *x = &u->groups[h];
            size_t e = u->rec->mentions[x->mention].entity;
            if ((x->prep == M_FI || x->prep == M_BI) && is_place(u, e)) {
                a->location = (long)e;
                break;
            }
        }
    /* "ضربات على مواقع في باكستان": what is struck is where */
    if (!strcmp(type, "attack") && !a->ntargets && a->location >= 0)
        add_role(a->targets, &a->ntargets, a->location);
    /* "آبي أحمد في بورتسودان في زيارة": a visit's place is its destination */
    if (visit && !a->ntargets && a->location >= 0 &&
        (!strcmp(t->lemma, "زار") || !strcmp(t->lemma, "جال"))) {
        size_t e = (size_t)a->location;
        long c = strcmp(hd_rec_type(u->r, u->rec, e), "country") ? country_entity(u, e) : (long)e;
        add_role(a->targets, &a->ntargets, c);
    }
    /* an actor is not its own target */
    for (size_t i = 0; i < a->ntargets; i++)
        for (size_t k = 0; k < a->nactors; k++)
            if (a->targets[i] == a->actors[k]) {
                memmove(&a->targets[i], &a->targets[i + 1],
                        (a->ntargets - i - 1) * sizeof *a->targets);
                a->ntargets--, i--;
                break;
            }
}

/* The type of a transfer (أرسل، قدم، زود) from what is handed over. */
static const char *transfer_type(const struct run *u, const struct tmatch *m, size_t cend)
{
    /* "رسالة خطية إلى نظيره ...، سلمها": what "ها" stands for is further back */
    size_t back = m->objsuffix ? 12 : 2;
    size_t lo = m->first >= back ? m->first - back : 0;
    for (size_t j = lo; j < cend && j < m->last + 20; j++) {
        if (j >= m->first && j <= m->last) continue;
        if (cue_at(u, j, cend, C_WEAPON)) return "military_aid";
        if (cue_at(u, j, cend, C_LETTER)) return "message";
        if (cue_at(u, j, cend, C_AID)) return "aid";
    }
    return NULL;
}

static const struct trigger *first_of_type(const char *type)
{
    for (size_t i = 0; i < ntrigs; i++)
        if (trigs[i].type == type) return &trigs[i];
    return NULL;
}

static int cue_in(const struct run *u, size_t lo, size_t hi, enum cue c)
{
    for (size_t j = lo; j < hi; j++)
        if (!u->in_ment[j] && cue_at(u, j, hi, c)) return 1;
    return 0;
}

static const char *modality(const struct run *u, const struct sentence *s, const struct tmatch *m,
                            const char *type, const struct hd_timex *date, int nested_alleged)
{
    int verb = is_verb(m);
    size_t lo2 = m->first >= s->t0 + 2 ? m->first - 2 : s->t0;
    if (verb && cue_in(u, lo2, m->first, C_NEGATION)) return "negated";
    /* "عدم زيارة"، "من دون الاتفاق"، "بدون تنسيق" */
    if (!verb && m->first > s->t0) {
        const char *k = tkey(u, m->first - 1);
        if (key_is(k, "عدم") || key_is(k, "دون") || key_is(k, "بدون") || key_is(k, "وعدم"))
            return "negated";
    }
    size_t lo8 = m->first >= s->t0 + 8 ? m->first - 8 : s->t0;
    size_t cend = clause_end_of(u, m->last + 1, s);
    /* "إذا زار"، "بفرض عقوبات ... في حال أصدرت" */
    size_t hi8 = m->last + 9 < s->t1 ? m->last + 9 : s->t1;
    if (cue_in(u, lo8, m->first, C_CONDITION) || cue_in(u, m->last + 1, hi8, C_CONDITION))
        return "conditional";
    size_t hi3 = m->last + 7 < cend ? m->last + 7 : cend;
    size_t lo6 = m->first >= s->t0 + 6 ? m->first - 6 : s->t0;
    /* قد before a present verb is "may"; before a past one "already" */
    if (m->future || cue_in(u, lo6, m->first, C_FUTURE) || cue_in(u, m->last + 1, hi3, C_FUTURE) ||
        (m->t->tense != T_PAST && cue_in(u, lo2 > s->t0 ? lo2 - 1 : s->t0, m->first, C_MODAL)))
        return "planned";
    if (date && date->future) return "planned";
    /* "في زيارة رسمية يلتقي خلالها": the programme of a visit is to come */
    if (m->t->tense == T_PRESENT && m->last + 1 < s->t1 &&
        (key_is(tkey(u, m->last + 1), "خلالها") || key_is(tkey(u, m->last + 1), "خلاله")))
        return "planned";
    if (date && date->precision != HD_PREC_UNKNOWN && u->ref.y) {
        struct hd_ymd d = date->start, r = u->ref;
        if (d.y > r.y || (r.m && d.y == r.y && d.m > r.m) ||
            (r.d && d.y == r.y && d.m == r.m && d.d > r.d))
            return "planned";
    }
    if (nested_alleged) return "alleged";
    /* a claim covers its clause and the clause it introduces ("يعتقد خبراء
     * أن روسيا تنشر"), not a relative clause after it ("الذي وقعه البلدان") */
    if (strcmp(type, "accusation") && strcmp(type, "denial")) {
        size_t lo = m->first;
        while (lo > s->t0) {
            const char *k = tkey(u, lo - 1);
            if (clause_break(u, lo - 1) && !key_is(k, "ان") && !key_is(k, "بان") &&
                !key_is(k, "انه") && !key_is(k, "بانه") && !key_is(k, "انها"))
                break;
            lo--;
        }
        if (cue_in(u, lo, m->first, C_ALLEGATION)) return "alleged";
    }
    return "asserted";
}

/* A "that" of reported speech between tokens [from, to). */
static int reported_between(const struct run *u, size_t from, size_t to)
{
    for (size_t j = from; j < to; j++) {
        const char *k = tkey(u, j);
        if (key_is(k, "ان") || key_is(k, "بان") || key_is(k, "انه") || key_is(k, "انها") ||
            key_is(k, "بانه"))
            return 1;
        /* "وذلك وسط أنباء عن زيارة" tells of something else, at another time;
         * "وذلك خلال زيارة"، "وذلك بموجب اتفاق" of the same one */
        if (key_is(k, "وذلك") && j + 1 < to &&
            (key_is(tkey(u, j + 1), "وسط") || key_is(tkey(u, j + 1), "بعد") ||
             key_is(tkey(u, j + 1), "قبل") || key_is(tkey(u, j + 1), "رغم")))
            return 1;
    }
    return 0;
}

/* Token tok is in a relative clause that starts within eight words after
 * trigger m ("بيانا ختاميا في ختام قمته التي استضافتها الكويت في 1 ديسمبر"). */
static int relative_after(const struct run *u, const struct sentence *s, const struct tmatch *m,
                          size_t tok)
{
    for (size_t j = m->last + 1; j < tok && j < s->t1; j++) {
        if (is_relative(u, j)) {
            if (j > m->last + 8) return 0;
            for (size_t k = j + 1; k < tok; k++)
                if (clause_break(u, k)) return 0;
            return 1;
        }
        if (clause_break(u, j)) return 0;
    }
    return 0;
}

/* The time expression nearest the trigger, in its clause if one is there;
 * "منذ ..." (since) never dates the event. */
static const struct hd_timex *date_of(const struct run *u, const struct sentence *s,
                                      const struct tmatch *m)
{
    const struct hd_timex *best = NULL;
    size_t bestd = (size_t)-1;
    size_t cs = clause_start_of(u, m->first, s), ce = clause_end_of(u, m->last + 1, s);
    /* in the clause; else the nearest before it in the sentence ("زار
     * القاهرة أمس، حيث عقد محادثات"), never one of a later clause */
    for (int pass = 0; pass < 2 && !best; pass++)
        for (size_t i = 0; i < s->ntx; i++) {
            const struct hd_timex *t = &s->tx[i];
            /* a participle (متهما، مشيدا) is timed by its main verb: the
             * sentence's first date before it */
            if (m->t->tense == T_PARTICIPLE && pass == 0 && t->last < m->first &&
                !key_is(tkey(u, t->first), "منذ")) {
                if (!best || t->first < best->first) best = t;
                continue;
            }
            /* "منذ" is "since" (أول زيارة منذ 24 عاما، منذ عام 2012), except
             * "منذ 3 أعوام" after a past verb with no "first": three years ago */
            int since = key_is(tkey(u, t->first), "منذ") ||
                        (t->first > s->t0 && key_is(tkey(u, t->first - 1), "منذ"));
            if (since && t->relative && is_verb(m) && m->t->tense == T_PAST && t->first > m->last) {
                since = 0;
                for (size_t j = m->first > s->t0 + 3 ? m->first - 3 : s->t0; j < t->first; j++)
                    if (strstr(tkey(u, j), "اول") || strstr(tkey(u, j), "الاولي")) since = 1;
            }
            if (since) continue;
            /* "توعد خامنئي إسرائيل ...، وذلك في كلمة ألقاها الأحد": the
             * elaboration after وذلك tells when */
            int elab = ce < s->t1 && key_is(tkey(u, ce), "وذلك") && t->first > ce &&
                       t->last < clause_end_of(u, ce + 1, s);
            if (pass == 0 && (t->first < cs || t->last >= ce) && !elab) continue;
            /* "أعلن ترامب، الجمعة، ...، متهما": a participle's time is its
             * main verb's */
            if (m->t->tense == T_PARTICIPLE && t->last >= m->first) continue;
            if (pass == 1 && t->last >= m->first && !relative_after(u, s, m, t->first)) continue;
            /* a report's date is not the reported event's: "ذكرت الصحيفة
             * الاثنين أن بوتين سيزور" */
            if (pass == 1 && t->last < m->first && reported_between(u, t->last + 1, m->first))
                continue;
            size_t d = t->first > m->last ? t->first - m->last : m->first - t->last;
            if (d < bestd) best = t, bestd = d;
        }
    return best;
}

static int same_set(const size_t *a, size_t na, const size_t *b, size_t nb)
{
    if (na != nb) return 0;
    for (size_t i = 0; i < na; i++) {
        int f = 0;
        for (size_t k = 0; k < nb; k++) f |= a[i] == b[k];
        if (!f) return 0;
    }
    return 1;
}

/* A noun trigger of type (اتفاقية، معاهدة) near m: ten words before (the
 * antecedent of "التي وقعها"), twelve after. */
static int noun_of_type_near(const struct run *u, const struct sentence *s, const struct tmatch *m,
                             const char *type)
{
    size_t lo = m->first >= s->t0 + 10 ? m->first - 10 : s->t0;
    size_t hi = m->last + 13 < s->t1 ? m->last + 13 : s->t1;
    for (size_t j = lo; j < hi; j++) {
        if (j >= m->first && j <= m->last) continue;
        struct tmatch n;
        if (match_trigger(u, j, hi, &n) && n.t->type == type &&
            (n.t->tense == T_NOUN || n.t->tense == T_MASDAR))
            return 1;
    }
    return 0;
}

static int symmetric(const char *type)
{
    return !strcmp(type, "meeting") || !strcmp(type, "agreement") || !strcmp(type, "cooperation");
}

/* The word after a recognition verb is a verbal noun behind ب: an admission. */
static int admits_deed(const struct run *u, const struct sentence *s, const struct tmatch *m)
{
    for (size_t j = m->last + 1; j < s->t1 && j < m->last + 8; j++) {
        int in_group = 0;
        for (size_t g = 0; g < u->ngroups; g++)
            if (u->groups[g].first <= j && j <= u->groups[g].last) in_group = 1;
        if (in_group || filler(u, j)) continue;
        struct tmatch n;
        return !strncmp(tkey(u, j), "\u0628", 2) && match_trigger(u, j, s->t1, &n);
    }
    return 0;
}

/* The object of a recognition is a state: "بدولة"، "بدولتين"، "باستقلال"،
 * "بسيادة" within a few words. */
static int state_object(const struct run *u, const struct sentence *s, const struct tmatch *m)
{
    static const char *const w[] = {"بدوله",  "بدولتين", "بدول",    "باستقلال",
                                    "بسياده", "بحكومه",  "بالدوله", "بدولتي"};
    for (size_t j = m->last + 1; j < s->t1 && j <= m->last + 6; j++)
        for (size_t i = 0; i < sizeof w / sizeof *w; i++)
            if (key_is(tkey(u, j), w[i])) return 1;
    return 0;
}

static int needs_target(const char *type)
{
    static const char *const w[] = {"visit",        "message",  "invitation",      "aid",
                                    "military_aid", "sanction", "sever_relations", "praise",
                                    "attack",       "pledge",   "threat"};
    for (size_t i = 0; i < sizeof w / sizeof *w; i++)
        if (!strcmp(w[i], type)) return 1;
    return 0;
}

static int push_event(struct run *u, const struct hd_event *e)
{
    struct hd_event_list *o = u->out;
    for (size_t i = 0; i < o->n; i++) {
        struct hd_event *x = &o->v[i];
        if (x->sentence == e->sentence && x->type == e->type &&
            same_set(x->actors, x->nactors, e->actors, e->nactors) &&
            same_set(x->targets, x->ntargets, e->targets, e->ntargets) &&
            !strcmp(x->modality, e->modality) &&
            (x->precision == HD_PREC_UNKNOWN || e->precision == HD_PREC_UNKNOWN ||
             (x->start.y == e->start.y && x->start.m == e->start.m))) {
            if (x->precision == HD_PREC_UNKNOWN && e->precision != HD_PREC_UNKNOWN) {
                x->start = e->start, x->end = e->end, x->precision = e->precision;
                x->date_start = e->date_start, x->date_end = e->date_end;
            }
            if (x->location < 0) x->location = e->location;
            return 0;
        }
    }
    if (o->n == u->ocap) {
        size_t nc = u->ocap ? u->ocap * 2 : 16;
        struct hd_event *nv = realloc(o->v, nc * sizeof *nv);
        if (!nv) return u->oom = 1, -1;
        o->v = nv, u->ocap = nc;
    }
    o->v[o->n++] = *e;
    return 0;
}

/* The event of trigger m with arguments a. */
static struct hd_event build_event(struct run *u, struct sentence *s, const struct tmatch *m,
                                   const char *type, const char *cameo, const char *plover,
                                   const struct args *a, int nested)
{
    const struct hd_timex *found = date_of(u, s, m);
    struct hd_timex d, *dt = NULL;
    if (found) {
        d = *found, dt = &d;
        /* "وقع الاتفاق في 10 سبتمبر" told in August: a past verb's month
         * with no year is the last one, not the coming one */
        if (is_verb(m) && m->t->tense == T_PAST && d.relative && !d.future &&
            d.precision != HD_PREC_UNKNOWN && u->ref.y && u->ref.m &&
            (d.start.y > u->ref.y || (d.start.y == u->ref.y && d.start.m > u->ref.m))) {
            d.start.y--, d.end.y--;
            if (d.end.m == 2 && d.end.d == 29) d.end.d = 28;
            if (d.start.m == 2 && d.start.d == 29) d.start.d = 28;
        }
    }
    struct hd_event e;
    memset(&e, 0, sizeof e);
    e.type = type, e.cameo = cameo, e.plover = plover;
    e.modality = modality(u, s, m, type, dt, nested);
    for (size_t k = 0; k < a->nactors; k++) e.actors[e.nactors++] = (size_t)a->actors[k];
    for (size_t k = 0; k < a->ntargets; k++) e.targets[e.ntargets++] = (size_t)a->targets[k];
    e.location = a->location;
    if (dt) {
        e.date_start = u->tk.v[dt->first].start, e.date_end = u->tk.v[dt->last].end;
        e.precision = dt->precision;
        if (dt->precision != HD_PREC_UNKNOWN) e.start = dt->start, e.end = dt->end;
    }
    e.trigger_start = u->tk.v[m->first].start, e.trigger_end = u->tk.v[m->last].end;
    e.sentence = s->index;
    double c = 0.35 + (a->nactors && !a->inherited ? 0.25 : 0.05) + (a->ntargets ? 0.15 : 0) +
               (is_verb(m) ? 0.1 : 0) + (dt && dt->precision != HD_PREC_UNKNOWN ? 0.05 : 0);
    e.confidence = c > 0.95 ? 0.95 : c;
    return e;
}

/* A personal pronoun (هو، فهو، وهي...). */
static int pronoun(const char *k)
{
    if (!strncmp(k, "\u0648", 2) || !strncmp(k, "\u0641", 2)) k += 2;
    return key_is(k, "هو") || key_is(k, "هي") || key_is(k, "هم") || key_is(k, "انا") ||
           key_is(k, "نحن") || key_is(k, "انت");
}

/* Words of quantity after which a noun, not a verb, comes. */
static struct wm quantity_words[] = {
    {"الف", 1}, {"الاف", 1}, {"مئات", 1}, {"عشرات", 1}, {"مليون", 1}, {"ملايين", 1},
    {"مئه", 1}, {"مائه", 1}, {"عده", 1},  {"بضعه", 1},  {"الفا", 1},
};

static int quantity(const char *k)
{
    return WM_HAS(quantity_words, k);
}

/* The verbs of going somewhere, which things do as well as people. */
static int is_travel(const char *lemma)
{
    return !strcmp(lemma, "وصل") || !strcmp(lemma, "توجه") || !strcmp(lemma, "سافر");
}

/* Every actor is of the one country the visit is to. */
static int domestic(const struct run *u, const struct args *a)
{
    if (!a->nactors || a->ntargets != 1) return 0;
    const char *t = hd_rec_country(u->r, u->rec, (size_t)a->targets[0]);
    if (!t || strcmp(hd_rec_type(u->r, u->rec, (size_t)a->targets[0]), "country")) return 0;
    for (size_t k = 0; k < a->nactors; k++) {
        const char *c = hd_rec_country(u->r, u->rec, (size_t)a->actors[k]);
        if (!c || strcmp(c, t)) return 0;
    }
    return 1;
}

/* A sports body or club, or a company, among the parties. */
static int sport_party(const struct run *u, const struct args *a)
{
    for (size_t k = 0; k < a->nactors + a->ntargets; k++) {
        long e = k < a->nactors ? a->actors[k] : a->targets[k - a->nactors];
        long kb = e >= 0 ? u->rec->entities[e].kb : -1;
        const struct hd_kb_entity *x = kb >= 0 ? hd_kb_get(u->kb, (size_t)kb) : NULL;
        if (x && (x->sport || x->commercial)) return 1;
    }
    return 0;
}

/* A host's reception (استقبل، استضاف) as the two events it reports: a
 * meeting of host and guest, and the guest's visit to the host's country. */
static int host_visit(struct run *u, const struct hd_event *e)
{
    if (!e->nactors || !e->ntargets) return push_event(u, e);
    struct hd_event meet = *e, visit = *e;
    const struct trigger *d = first_of_type(intern_type("meeting", 7));
    meet.type = intern_type("meeting", 7);
    if (d) meet.cameo = d->cameo, meet.plover = d->plover;
    if (push_event(u, &meet) < 0) return -1;
    size_t host = e->actors[0];
    long c =
        strcmp(hd_rec_type(u->r, u->rec, host), "country") ? country_entity(u, host) : (long)host;
    if (c < 0) return 0;
    d = first_of_type(intern_type("visit", 5));
    if (d) visit.cameo = d->cameo, visit.plover = d->plover;
    visit.nactors = 0;
    for (size_t k = 0; k < e->ntargets; k++) visit.actors[visit.nactors++] = e->targets[k];
    visit.ntargets = 1, visit.targets[0] = (size_t)c;
    for (size_t k = 0; k < visit.nactors; k++)
        if (visit.actors[k] == (size_t)c) return 0; /* a guest at home visits nobody */
    return push_event(u, &visit);
}

/* Tokens [from, to) are an aside set off by commas: "تعهد بوتين، في رسالة
 * نشرتها وسائل الإعلام، ببناء". */
static int aside(const struct run *u, size_t from, size_t to)
{
    while (from < to && !is_punct(u, from)) from++; /* the subject's words */
    if (from >= to || to - from > 20 || !key_is(tkey(u, from), "\u060c")) return 0;
    if (!key_is(tkey(u, to - 1), "\u060c")) return 0;
    for (size_t j = from + 1; j + 1 < to; j++)
        if (clause_break(u, j)) return 0;
    return 1;
}

/* The first country named in the clause after m (its adjective too) that
 * is not the actors' own, as a target. */
static void complement_country(struct run *u, const struct sentence *s, const struct tmatch *m,
                               struct args *a)
{
    size_t cend = clause_end_of(u, m->last + 1, s);
    for (size_t h = group_from(u, m->last + 1); h < u->ngroups && u->groups[h].first < cend; h++) {
        size_t e = u->rec->mentions[u->groups[h].mention].entity;
        if (strcmp(hd_rec_type(u->r, u->rec, e), "country")) continue;
        int own = 0;
        for (size_t k = 0; k < a->nactors; k++) {
            const char *c = hd_rec_country(u->r, u->rec, (size_t)a->actors[k]);
            const char *ec = hd_rec_country(u->r, u->rec, e);
            if ((c && ec && !strcmp(c, ec)) || a->actors[k] == (long)e) own = 1;
        }
        if (!own) {
            add_role(a->targets, &a->ntargets, (long)e);
            return;
        }
    }
}

/* Triggers whose complement is a deed behind ب or ل (تعهد ببناء، هدد بفرض
 * عقوبات، طالب بإرسال): the deed is theirs, and not done. */
static int takes_deed(const char *type)
{
    return !strcmp(type, "pledge") || !strcmp(type, "threat") || !strcmp(type, "request");
}

static void do_sentence(struct run *u, struct sentence *s)
{
    make_groups(u, s->m0, s->m1);
    s->ntx = hd_timex_scan(&u->tk, s->t0, s->t1, u->ref, s->tx, 16);
    size_t first_event = u->out->n;
    /* the accusation whose object a following ب + verbal noun spells out */
    long accused[HD_EVENT_MAX_ROLE];
    size_t naccused = 0, accusation_end = 0, prev_end = 0, invited_end = 0, verb_end = 0;
    const char *verb_type = NULL; /* the last verb's type, whose noun is no second event */
    /* the last pledge, threat or request, and whether it waits for the
     * target of its deed (تعهد ببناء أنظمة مع البلاد: to the country) */
    struct hd_event pledger;
    size_t pledger_last = 0;
    int pledger_waits = 0;
    memset(&pledger, 0, sizeof pledger);
    for (size_t i = s->t0; i < s->t1; i++) {
        struct tmatch m = {0};
        int in_mention = 0;
        for (size_t k = s->m0; k < s->m1; k++)
            if (u->ment_first[k] <= i && i <= u->ment_last[k]) in_mention = 1;
        if (in_mention || !match_trigger(u, i, s->t1, &m)) continue;
        /* "دعاه لزيارة بيونغ يانغ": the visit invited to is not made */
        if (invited_end && m.first > invited_end && m.first <= invited_end + 12 &&
            !strcmp(m.t->type, "visit") && (m.prefix & M_LI))
            continue;
        /* "فهو طالب في جامعة": after a pronoun a past form is a noun */
        if (is_verb(&m) && m.t->tense == T_PAST && m.first > s->t0 && pronoun(tkey(u, m.first - 1)))
            continue;
        /* "220 ألف طالب": after a number a verb's spelling is a noun's */
        if (is_verb(&m) && m.first > s->t0 &&
            (u->tk.v[m.first - 1].kind == HD_TOKEN_NUMBER || quantity(tkey(u, m.first - 1))))
            continue;
        /* "ورقة ناقشها الرائد": discussing a thing is no meeting */
        if (m.objsuffix && !strcmp(m.t->type, "meeting") &&
            (!strcmp(m.t->lemma, "ناقش") || !strcmp(m.t->lemma, "بحث")))
            continue;
        /* "اتفاقية شراكة": a noun that names the one before it is no event */
        if (prev_end && m.first == prev_end + 1 && !is_verb(&m)) continue;
        prev_end = m.last;
        /* "وقعتا في 10 سبتمبر اتفاقا": the verb's own noun is its object */
        if (!is_verb(&m) && verb_type && m.t->type == verb_type && m.first <= verb_end + 8 &&
            clause_end_of(u, verb_end + 1, s) > m.first)
            continue;
        if (is_verb(&m)) verb_type = m.t->type, verb_end = m.last;
        i = m.last;
        const char *type = m.t->type;
        const char *cameo = m.t->cameo, *plover = m.t->plover;
        size_t cend = clause_end_of(u, m.last + 1, s);
        if (!strcmp(type, "transfer")) {
            type = transfer_type(u, &m, cend);
            if (!type) continue;
            const struct trigger *d = first_of_type(intern_type(type, strlen(type)));
            type = intern_type(type, strlen(type));
            if (d) cameo = d->cameo, plover = d->plover;
        }
        /* دعا alone is mostly "called for": an invitation only with a visit after it */
        int answered = !strcmp(type, "invitation") && m.first > s->t0 &&
                       cue_at(u, m.first - 1, m.first, C_VISITWORD);
        /* دعا with no visit after it is "called on": a request (CAMEO 02) */
        if (!strcmp(type, "invitation") && !strcmp(m.t->lemma, "دعا") && !answered &&
            !cue_in(u, m.last + 1, cend, C_VISITWORD)) {
            if (m.t->tense != T_PAST && m.t->tense != T_PRESENT) continue;
            const struct trigger *d = first_of_type(intern_type("request", 7));
            type = intern_type("request", 7);
            if (d) cameo = d->cameo, plover = d->plover;
        }
        if (!strcmp(type, "invitation")) invited_end = m.last;
        struct args a;
        find_args(u, s, &m, type, &a);
        if (answered) { /* "سيزور المغرب تلبية لدعوة من الملك": the host invited the visitor */
            memset(&a, 0, sizeof a);
            a.location = -1;
            for (size_t h = group_from(u, m.last + 1); h < u->ngroups && u->groups[h].first < cend;
                 h++)
                if (u->groups[h].prep == M_MIN) {
                    take_joined(u, h, a.actors, &a.nactors, 0);
                    break;
                }
            if (u->out->n > first_event) {
                const struct hd_event *v = &u->out->v[u->out->n - 1];
                for (size_t k = 0; k < v->nactors; k++)
                    add_role(a.targets, &a.ntargets, (long)v->actors[k]);
            }
        }
        if (!strncmp(m.t->lemma, "تلقى", strlen("تلقى"))) { /* the subject received it */
            struct args b = a;
            memcpy(a.actors, b.targets, sizeof a.actors), a.nactors = b.ntargets;
            memcpy(a.targets, b.actors, sizeof a.targets), a.ntargets = b.nactors;
        }
        /* a speaker is whom the next pronoun means (أعلن ترامب أنه لن يزور) */
        if (a.nactors && !a.inherited && !a.backward && !strcmp(type, "statement")) {
            u->ntopic = 0, u->topic_sentence = s->index + 1;
            for (size_t k = 0; k < a.nactors; k++) u->topic[u->ntopic++] = (size_t)a.actors[k];
        }
        /* "حيث التقى ولي العهد": one party named, the other the sentence's */
        if (symmetric(type) && a.nactors + a.ntargets == 1 && u->topic_sentence == s->index + 1 &&
            u->ntopic &&
            (a.nactors ? (long)u->topic[0] != a.actors[0] : (long)u->topic[0] != a.targets[0])) {
            if (a.nactors) a.targets[a.ntargets++] = a.actors[0];
            a.nactors = 0;
            for (size_t k = 0; k < u->ntopic; k++)
                add_role(a.actors, &a.nactors, (long)u->topic[k]);
        }
        /* the last named subject is whom the next "his" means ("سلمها وزير
         * الخارجية أحمد عطاف خلال زيارته") */
        if (a.nactors && a.subject_after && is_verb(&m)) {
            u->ntopic = 0, u->topic_sentence = s->index + 1;
            for (size_t k = 0; k < a.nactors; k++) u->topic[u->ntopic++] = (size_t)a.actors[k];
        }
        int nested = 0, deed = 0;
        /* "بتزويد روسيا"، "بمواصلة إرسال أسلحة" */
        int behind_bi =
            m.prefix == M_BI || (m.first > 0 && !strncmp(tkey(u, m.first - 1), "\u0628", 2) &&
                                 m.first - 1 > accusation_end);
        if (naccused && behind_bi && m.first > accusation_end && m.first <= accusation_end + 4) {
            /* the deed's own genitive is its object: "بتزويد روسيا" */
            if (!a.backward && !a.inherited)
                for (size_t k = 0; k < a.nactors; k++)
                    add_role(a.targets, &a.ntargets, a.actors[k]);
            a.nactors = 0;
            for (size_t k = 0; k < naccused; k++) add_role(a.actors, &a.nactors, accused[k]);
            for (size_t k = 0; k < a.ntargets; k++)
                for (size_t q = 0; q < a.nactors; q++)
                    if (a.targets[k] == a.actors[q]) a.targets[k] = -1;
            size_t w = 0;
            for (size_t k = 0; k < a.ntargets; k++)
                if (a.targets[k] >= 0) a.targets[w++] = a.targets[k];
            a.ntargets = w;
            nested = 1, a.inherited = 0;
        } else if (pledger_last && m.first > pledger_last &&
                   ((m.prefix & (M_BI | M_LI)) ||
                    (m.first > 0 && (prep_word(tkey(u, m.first - 1)) & (M_ALA | M_ILA)))) &&
                   (m.first <= pledger_last + 3 || aside(u, pledger_last + 1, m.first) ||
                    (pledger.ntargets && m.first <= pledger_last + 24 &&
                     !strcmp(pledger.type, "request")))) {
            /* the pledged or threatened deed: its doer is the one who pledged */
            deed = 1;
            if (!a.backward && !a.inherited && pledger.nactors)
                for (size_t k = 0; k < a.nactors; k++)
                    add_role(a.targets, &a.ntargets, a.actors[k]);
            /* a pledge's or threat's deed is its sayer's; a request's (حث X
             * على الاتفاق) is the ones urged */
            const size_t *doers = pledger.actors;
            size_t ndoers = pledger.nactors;
            if (!strcmp(pledger.type, "request") && pledger.ntargets)
                doers = pledger.targets, ndoers = pledger.ntargets;
            if (ndoers) {
                a.nactors = 0;
                for (size_t k = 0; k < ndoers; k++) add_role(a.actors, &a.nactors, (long)doers[k]);
                a.inherited = 0, a.backward = 0;
            }
            for (size_t k = 0; k < a.ntargets; k++)
                for (size_t q = 0; q < a.nactors; q++)
                    if (a.targets[k] == a.actors[q]) a.targets[k] = -1;
            size_t w = 0;
            for (size_t k = 0; k < a.ntargets; k++)
                if (a.targets[k] >= 0) a.targets[w++] = a.targets[k];
            a.ntargets = w;
            if (pledger_waits && a.ntargets) { /* the pledge is to the deed's party */
                for (size_t k = 0; k < a.ntargets && pledger.ntargets < HD_EVENT_MAX_ROLE; k++)
                    pledger.targets[pledger.ntargets++] = (size_t)a.targets[k];
                if (push_event(u, &pledger) < 0) return;
                pledger_waits = 0;
            }
        }
        if (!a.nactors && !a.ntargets) continue;
        /* with nobody named as its actor, only a charge or a blow is an
         * event ("تتهم الدول الغربية كوريا الشمالية"); a typhoon threatens
         * no one politically */
        if (!a.nactors && strcmp(type, "accusation") && strcmp(type, "criticism") &&
            strcmp(type, "sanction") && strcmp(type, "attack"))
            continue;
        if (takes_deed(type) && a.nactors && !deed) {
            pledger = build_event(u, s, &m, type, cameo, plover, &a, nested);
            pledger_last = m.last;
            pledger_waits = !a.ntargets;
        }
        /* "رسالة إلى مجلس الأمن، طالب فيها": what the letter asked, of
         * whom it was sent to */
        if (!strcmp(type, "request") && !a.ntargets && m.last + 1 < s->t1 &&
            key_is(tkey(u, m.last + 1), "فيها") && u->out->n > first_event) {
            const struct hd_event *p = &u->out->v[u->out->n - 1];
            if (!strcmp(p->type, "message"))
                for (size_t k = 0; k < p->ntargets; k++)
                    add_role(a.targets, &a.ntargets, (long)p->targets[k]);
        }
        /* "تعهد ...، خلال زيارة إلى كييف": a pledge on a visit is to the host */
        if (!strcmp(type, "pledge") && !a.ntargets)
            for (size_t k = first_event; k < u->out->n && !a.ntargets; k++)
                if (!strcmp(u->out->v[k].type, "visit") && a.nactors &&
                    (long)u->out->v[k].actors[0] == a.actors[0])
                    for (size_t q = 0; q < u->out->v[k].ntargets; q++)
                        add_role(a.targets, &a.ntargets, (long)u->out->v[k].targets[q]);
        /* "دعوة إلى رئيس المرحلة الانتقالية في سوريا أحمد الشرع": one
         * invites a person */
        if (!strcmp(type, "invitation") && !answered &&
            (!a.ntargets || !strcmp(hd_rec_type(u->r, u->rec, (size_t)a.targets[0]), "country") ||
             !strcmp(hd_rec_type(u->r, u->rec, (size_t)a.targets[0]), "city")))
            for (size_t h = group_from(u, m.last + 1); h < u->ngroups && u->groups[h].first < cend;
                 h++)
                if (is_person(u, u->groups[h].mention)) {
                    a.ntargets = 0;
                    add_role(a.targets, &a.ntargets, participant(u, u->groups[h].mention, 0));
                    break;
                }
        /* "رحب بايدن بالاتفاق بين إسرائيل ولبنان": praise or blame of a thing
         * between two parties is of them */
        if ((!strcmp(type, "praise") || !strcmp(type, "criticism")) && !a.ntargets)
            for (size_t h = group_from(u, m.last + 1);
                 h < u->ngroups && u->groups[h].first < cend && u->groups[h].first <= m.last + 10;
                 h++)
                if (u->groups[h].prep == M_BAYN) {
                    take_joined(u, h, a.targets, &a.ntargets, 0);
                    break;
                }
        /* "تعهد شي بتسريع مشاريع الممر الصيني الباكستاني": a pledge about
         * another country's affairs is to that country */
        if (!strcmp(type, "pledge") && !a.ntargets && a.nactors) complement_country(u, s, &m, &a);
        /* a named actor's threat stands without a named target ("هددت
         * كوريا الشمالية بالرد"); a threat noun or a warning (حذر) does not */
        if (needs_target(type) && !a.ntargets &&
            !(!strcmp(type, "threat") && is_verb(&m) && a.nactors && !a.inherited && !a.backward &&
              (!strcmp(m.t->lemma, "هدد") || !strcmp(m.t->lemma, "توعد"))))
            continue;
        /* a noun with no genitive and no object is mostly a topic, not an
         * event ("التعاون الاقتصادي"، "التهديد العسكري") */
        if (!is_verb(&m) && a.backward && !a.ntargets && !nested && !deed &&
            !(symmetric(type) && a.nactors >= 2) && strcmp(type, "statement"))
            continue;
        /* هاجم is an attack on a place and criticism of a person or a body */
        if (!strcmp(m.t->lemma, "هاجم") && a.ntargets) {
            const char *tt = hd_rec_type(u->r, u->rec, (size_t)a.targets[0]);
            int place = is_place(u, (size_t)a.targets[0]) && strcmp(tt, "country");
            int person = !strcmp(tt, "person");
            const char *want = place    ? intern_type("attack", 6)
                               : person ? intern_type("criticism", 9)
                                        : type; /* a country: as matched */
            if (want != type) {
                const struct trigger *d = first_of_type(want);
                type = want;
                if (d) cameo = d->cameo, plover = d->plover;
            }
        }
        /* a club's transfer, a federation's fixture, a company's results are
         * no political events */
        if (sport_party(u, &a)) continue;
        /* arriving and travelling are a visit only of someone named: a
         * shipment or a letter arrives too (وصلت الرسالة، تصل الشحنة) */
        if (!strcmp(type, "visit") && is_travel(m.t->lemma) &&
            (!a.nactors || a.inherited ||
             strcmp(hd_rec_type(u->r, u->rec, (size_t)a.actors[0]), "person")))
            continue;
        /* a visit at home is no visit between states (زار الأمير مستشفى في
         * الطائف) */
        if (!strcmp(type, "visit") && domestic(u, &a)) continue;
        /* nobody named in the sentence and nothing acted on: too little */
        if (a.inherited && !a.ntargets && !nested && !deed) continue;
        /* a meeting, or working together, takes two */
        if ((!strcmp(type, "meeting") || !strcmp(type, "cooperation")) &&
            a.nactors + a.ntargets < 2)
            continue;
        /* "اعترف بإرسال قواته"، "اعترف بصحة": admitted, recognised no one;
         * one recognises a party or a state (بدولتين، باستقلال) */
        if (!strcmp(type, "recognition") &&
            (admits_deed(u, s, &m) || (!a.ntargets && !state_object(u, s, &m))))
            continue;
        /* "الاتفاق النووي" is mostly a reference to an agreement, not news
         * of one: a definite agreement noun is an event with "بين X و Y" or
         * two parties */
        if (!strcmp(type, "agreement") && !is_verb(&m) && has_article(tkey(u, m.first)) &&
            a.nactors + a.ntargets < 2)
            continue;
        /* وقع is also "occurred" (الهجمات التي وقعت): signing has a thing signed */
        if (!strcmp(type, "agreement") && !strcmp(m.t->lemma, "وقع") &&
            !noun_of_type_near(u, s, &m, type))
            continue;
        /* signing needs a thing signed, or two parties */
        if (!strcmp(type, "agreement") && a.nactors + a.ntargets < 2 &&
            !noun_of_type_near(u, s, &m, type))
            continue;
        /* statements: what a body (an agency, a ministry, a council) said; a
         * leader's words are the frame of the events they report, and a
         * sentence with none gives no event of its own */
        if (!strcmp(type, "statement") &&
            (!a.nactors || m.t->tense == T_PARTICIPLE || a.inherited ||
             (!is_verb(&m) && m.first > s->t0 && key_is(tkey(u, m.first - 1), "في")) ||
             (!is_verb(&m) && !strstr(m.t->words[0], "بيان") &&
              !strstr(m.t->words[m.t->nwords - 1], "بيان")) ||
             strcmp(hd_rec_type(u->r, u->rec, (size_t)a.actors[0]), "organization")))
            continue;
        if (!strcmp(type, "accusation") && a.ntargets) {
            naccused = 0;
            for (size_t k = 0; k < a.ntargets; k++) accused[naccused++] = a.targets[k];
            accusation_end = m.last;
            /* the accused's group ends after the trigger: "اتهامات لكوريا الشمالية بتزويد" */
            for (size_t h = group_from(u, m.last + 1); h < u->ngroups && u->groups[h].first < cend;
                 h++) {
                long pe = participant(u, u->groups[h].mention, 0);
                for (size_t k = 0; k < naccused; k++)
                    if (pe == accused[k] && u->groups[h].last > accusation_end)
                        accusation_end = u->groups[h].last;
            }
        }
        struct hd_event e = build_event(u, s, &m, type, cameo, plover, &a, nested);
        if (deed && !strcmp(e.modality, "asserted")) e.modality = "planned";
        if (answered) { /* made before, whenever the visit it brings is */
            e.modality = "asserted", e.precision = HD_PREC_UNKNOWN;
            memset(&e.start, 0, sizeof e.start), memset(&e.end, 0, sizeof e.end);
            e.date_start = e.date_end = 0;
        }
        if (!strcmp(type, "visit") && cameo && !strcmp(cameo, "043")) {
            /* "استقبل X Y": X and Y met, and Y visited X's country; "كان في
             * استقباله X": X received him */
            if (m.suffixed) {
                struct hd_event sw = e;
                memcpy(sw.actors, e.targets, sizeof sw.actors), sw.nactors = e.ntargets;
                memcpy(sw.targets, e.actors, sizeof sw.targets), sw.ntargets = e.nactors;
                e = sw;
            }
            if (host_visit(u, &e) < 0) return;
        } else if (push_event(u, &e) < 0) {
            return;
        }
        if (a.nactors && !a.inherited && strcmp(type, "statement")) {
            u->ntopic = 0, u->topic_sentence = s->index + 1;
            for (size_t k = 0; k < a.nactors; k++) u->topic[u->ntopic++] = (size_t)a.actors[k];
        }
    }
    /* "وتعهد بيستوريوس، خلال زيارة إلى كييف، بإرسال": a pledge made on a
     * visit is to the host */
    if (pledger_waits)
        for (size_t k = first_event; k < u->out->n; k++) {
            const struct hd_event *v = &u->out->v[k];
            if (strcmp(v->type, "visit") || !v->ntargets ||
                !same_set(v->actors, v->nactors, pledger.actors, pledger.nactors))
                continue;
            for (size_t q = 0; q < v->ntargets; q++)
                pledger.targets[pledger.ntargets++] = v->targets[q];
            push_event(u, &pledger);
            break;
        }
    /* "أدان الاتحاد الأوروبي الهجوم الروسي على كييف": condemning an attack
     * is blaming its attacker */
    for (size_t k = first_event; k + 1 < u->out->n; k++) {
        struct hd_event *c = &u->out->v[k], *x = &u->out->v[k + 1];
        if (strcmp(c->type, "criticism") || c->ntargets || strcmp(x->type, "attack") ||
            x->trigger_start > c->trigger_end + 80)
            continue;
        for (size_t q = 0; q < x->nactors && c->ntargets < HD_EVENT_MAX_ROLE; q++)
            c->targets[c->ntargets++] = x->actors[q];
    }
    /* a speech verb's statement only where the sentence reports nothing
     * else (an issued statement, أصدر بيانا، stands on its own) */
    int other = 0;
    for (size_t k = first_event; k < u->out->n; k++)
        other |= strcmp(u->out->v[k].type, "statement") != 0;
    if (other) {
        size_t w = first_event;
        for (size_t k = first_event; k < u->out->n; k++) {
            const struct hd_event *e = &u->out->v[k];
            if (strcmp(e->type, "statement") ||
                memmem(u->text + e->trigger_start, e->trigger_end - e->trigger_start,
                       "\u0628\u064a\u0627\u0646", 8))
                u->out->v[w++] = *e;
        }
        u->out->n = w;
    }
}

/* An undated report of an event the article dates elsewhere (the same type,
 * parties and modality) takes that date: the nearest such report before
 * it, else after. */
static void share_dates(struct hd_event_list *l)
{
    for (size_t i = 0; i < l->n; i++) {
        struct hd_event *e = &l->v[i];
        if (e->precision != HD_PREC_UNKNOWN || e->date_end > e->date_start) continue;
        const struct hd_event *best = NULL;
        for (size_t k = 0; k < l->n; k++) {
            const struct hd_event *d = &l->v[k];
            if (k == i || d->precision == HD_PREC_UNKNOWN || d->type != e->type ||
                strcmp(d->modality, e->modality))
                continue;
            size_t pa[2 * HD_EVENT_MAX_ROLE], pb[2 * HD_EVENT_MAX_ROLE], na = 0, nb = 0;
            int symmetric_type = !strcmp(e->type, "meeting") || !strcmp(e->type, "agreement") ||
                                 !strcmp(e->type, "cooperation");
            if (symmetric_type) { /* either role */
                for (size_t q = 0; q < e->nactors; q++) pa[na++] = e->actors[q];
                for (size_t q = 0; q < e->ntargets; q++) pa[na++] = e->targets[q];
                for (size_t q = 0; q < d->nactors; q++) pb[nb++] = d->actors[q];
                for (size_t q = 0; q < d->ntargets; q++) pb[nb++] = d->targets[q];
                if (!same_set(pa, na, pb, nb)) continue;
            } else if (!same_set(e->actors, e->nactors, d->actors, d->nactors) ||
                       !same_set(e->targets, e->ntargets, d->targets, d->ntargets)) {
                continue;
            }
            if (!best || (k < i && (best > e || best < d)) || (k > i && best > d && best > e))
                best = d;
        }
        if (best) {
            e->start = best->start, e->end = best->end, e->precision = best->precision;
            e->date_start = best->date_start, e->date_end = best->date_end;
            e->confidence -= 0.05;
        }
    }
}

int hd_events_extract(struct hd_eventer *ev, const struct hd_recognizer *r, const char *text,
                      size_t len, const struct hd_span *sent, size_t nsent,
                      struct hd_recognition *rec, const char *published, struct hd_event_list *out)
{
    memset(out, 0, sizeof *out);
    struct run u;
    memset(&u, 0, sizeof u);
    u.ev = ev, u.r = r, u.kb = hd_recognizer_kb(r), u.text = text, u.rec = rec, u.out = out;
    index_countries(ev, u.kb);
    if (hd_tokenize(ev->sg, text, len, &u.tk) < 0) return -1;
    size_t nm = rec->nmentions;
    u.ment_first = calloc(nm + 1, sizeof *u.ment_first);
    u.ment_last = calloc(nm + 1, sizeof *u.ment_last);
    u.pre_len = calloc(nm + 1, sizeof *u.pre_len);
    size_t *stok = calloc(2 * nsent + 2, sizeof *stok);
    u.in_ment = calloc(u.tk.n + 1, 1);
    int rc = -1;
    if (!u.ment_first || !u.ment_last || !u.pre_len || !stok || !u.in_ment) goto done;
    /* tokens of each mention */
    for (size_t m = 0, t = 0; m < nm; m++) {
        const struct hd_mention *mm = &rec->mentions[m];
        while (t > 0 && u.tk.v[t - 1].end > mm->start) t--;
        while (t < u.tk.n && u.tk.v[t].end <= mm->start) t++;
        size_t l = t;
        while (l + 1 < u.tk.n && u.tk.v[l + 1].start < mm->end) l++;
        u.ment_first[m] = t, u.ment_last[m] = l;
        u.pre_len[m] = t < u.tk.n && mm->start > u.tk.v[t].start ? mm->start - u.tk.v[t].start : 0;
        for (size_t k = t; k <= l && k < u.tk.n; k++) u.in_ment[k] = 1;
    }
    /* tokens of each sentence */
    for (size_t k = 0, t = 0; k < nsent; k++) {
        while (t < u.tk.n && u.tk.v[t].start < sent[k].start) t++;
        stok[2 * k] = t;
        while (t < u.tk.n && u.tk.v[t].start < sent[k].end) t++;
        stok[2 * k + 1] = t;
    }
    /* the reference date */
    if (published && hd_ymd_parse(published, &u.ref)) {
    } else if (hd_timex_infer_reference(&u.tk, stok, nsent, &u.ref)) {
        out->reference_inferred = 1;
    }
    out->reference = u.ref;
    for (size_t k = 0, m = 0; k < nsent && !u.oom; k++) {
        struct sentence s;
        memset(&s, 0, sizeof s);
        s.t0 = stok[2 * k], s.t1 = stok[2 * k + 1], s.index = k;
        while (m < nm && rec->mentions[m].sentence < k) m++;
        s.m0 = m;
        while (m < nm && rec->mentions[m].sentence == k) m++;
        s.m1 = m;
        do_sentence(&u, &s);
    }
    share_dates(out);
    rc = u.oom ? -1 : 0;
done:
    hd_tokens_free(&u.tk);
    free(u.ment_first), free(u.ment_last), free(u.pre_len), free(u.groups), free(stok);
    free(u.in_ment);
    if (rc < 0) hd_event_list_free(out);
    return rc;
}

void hd_event_list_free(struct hd_event_list *l)
{
    free(l->v);
    memset(l, 0, sizeof *l);
}

/* The word lists above, sorted once for wm_get(). */
static void sort_word_lists(void)
{
    WM_SORT(break_words), WM_SORT(prep_words), WM_SORT(leader_words);
    WM_SORT(filler_words), WM_SORT(aux_words), WM_SORT(quantity_words);
}
