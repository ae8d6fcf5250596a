/* Recognition runs once over the words of a text, left to right; at each
 * word the steps of scan() are tried in turn: a short form of someone named
 * before, the longest knowledge-base name starting there (the first word
 * with and without its proclitics), the unknown name a title introduces, a
 * title, a given name and what follows it, a head word and a quoted name.
 * The words a mention covers are skipped, so a name is never cut by a later,
 * shorter one. Lexicons are read once per process; the knowledge base's
 * first words once per recogniser. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "blob.h"
#include "clitics.h"
#include "keys.h"
#include "keyset.h"
#include "normalize.h"
#include "recognize.h"
#include "tokens.h"
#include "utf8.h"

#define MAX_NAME_WORDS  7 /* the longest knowledge-base name tried */
#define MAX_TITLE_WORDS 4
#define MAX_UNKNOWN     3 /* words of an unknown name, particles aside */
#define MAX_QUOTED      6 /* words of a quoted name */
#define KEY_CAP         512
#define MENTION_WEAK    0x100u /* an ambiguous place name, kept if its country is named */
#define MENTION_CONJ    0x200u /* joined by و to the mention before (مسقط والرياض) */

/* The lexicons: read once per process, then only read. */
static struct hd_keyset titles, heads, kin, modifiers, stopwords, locatives, ambiguous, phrases,
    links, given, given_any, descriptors;
static pthread_once_t lexicons_once = PTHREAD_ONCE_INIT;

/* The first words of a set of names, each with the most words a name
 * starting with it has: most words of a text start no name, and this says
 * so with one hash probe instead of a search per length and reading. */
struct firsts {
    char **words; /* open addressing, NULL = empty slot */
    unsigned char *maxn;
    size_t cap; /* a power of two */
};

static size_t hash_word(const char *s, size_t len)
{
    size_t h = 1469598103934665603u;
    for (size_t i = 0; i < len; i++) h = (h ^ (unsigned char)s[i]) * 1099511628211u;
    return h;
}

/* The slot of the word s[0..len): where it is, or the empty one it would go to. */
static size_t firsts_slot(const struct firsts *f, const char *s, size_t len)
{
    size_t i = hash_word(s, len) & (f->cap - 1);
    while (f->words[i] && (strncmp(f->words[i], s, len) || f->words[i][len]))
        i = (i + 1) & (f->cap - 1);
    return i;
}

/* Builds f from the names keys[0..n) (matching keys); 0 or -1. */
static int firsts_build(struct firsts *f, char *const *keys, size_t n)
{
    f->cap = 64;
    while (f->cap < 2 * n + 2) f->cap *= 2;
    f->words = calloc(f->cap, sizeof *f->words);
    f->maxn = calloc(f->cap, 1);
    if (!f->words || !f->maxn) return -1;
    for (size_t i = 0; i < n; i++) {
        const char *sp = strchr(keys[i], ' ');
        size_t len = sp ? (size_t)(sp - keys[i]) : strlen(keys[i]);
        unsigned words = 1;
        for (const char *c = keys[i]; *c; c++) words += *c == ' ';
        size_t slot = firsts_slot(f, keys[i], len);
        if (!f->words[slot]) {
            f->words[slot] = malloc(len + 1);
            if (!f->words[slot]) return -1;
            memcpy(f->words[slot], keys[i], len), f->words[slot][len] = 0;
        }
        if (words > f->maxn[slot]) f->maxn[slot] = (unsigned char)(words > 255 ? 255 : words);
    }
    return 0;
}

/* The most words a name starting with word has, 0 when none starts so. */
static unsigned firsts_max(const struct firsts *f, const char *word)
{
    if (!f->cap) return 0;
    size_t slot = firsts_slot(f, word, strlen(word));
    return f->words[slot] ? f->maxn[slot] : 0;
}

static void firsts_free(struct firsts *f)
{
    for (size_t i = 0; i < f->cap; i++) free(f->words ? f->words[i] : NULL);
    free(f->words), free(f->maxn);
    memset(f, 0, sizeof *f);
}

static struct firsts titles_f, heads_f, kin_f, phrases_f, descriptors_f;

/* Adds column 0 of the rows of blob whose column 1 is kind. */
static void add_kind(struct hd_keyset *ks, const char *blob, const char *kind)
{
    const struct hd_blob *b = hd_blob_get(blob);
    if (!b) return;
    size_t kl = strlen(kind);
    for (const char *p = b->data; *p;) {
        const char *eol = strchr(p, '\n');
        if (!eol) eol = p + strlen(p);
        const char *tab = memchr(p, '\t', (size_t)(eol - p));
        if (*p != '#' && tab && (size_t)(eol - tab) > kl && !memcmp(tab + 1, kind, kl) &&
            (tab[1 + kl] == '\t' || tab + 1 + kl == eol || tab[1 + kl] == '\r'))
            hd_keyset_add(ks, p, (size_t)(tab - p));
        p = *eol ? eol + 1 : eol;
    }
}

/* Adds the given names of given_names.tsv that are not also common words
 * (column 2 is 0): those alone may start a name with no title before. */
static void add_given(struct hd_keyset *ks, int all)
{
    const struct hd_blob *b = hd_blob_get("given_names.tsv");
    for (const char *p = b ? b->data : ""; *p;) {
        const char *eol = strchr(p, '\n');
        if (!eol) eol = p + strlen(p);
        const char *t1 = memchr(p, '\t', (size_t)(eol - p));
        const char *t2 = t1 ? memchr(t1 + 1, '\t', (size_t)(eol - t1 - 1)) : NULL;
        if (*p != '#' && t2 && t2 + 1 < eol && (all || t2[1] == '0'))
            hd_keyset_add(ks, p, (size_t)(t1 - p));
        p = *eol ? eol + 1 : eol;
    }
}

/* The English spelling of given names (given_names.tsv, column 4), by
 * matching key, sorted for bsearch: an unknown person's English name uses
 * it for the words it knows (فيصل > Faisal) where romanisation would give
 * consonants only (Fisl). */
struct english {
    char *key, *value;
};
static struct english *english;
static size_t nenglish;

static int by_english_key(const void *a, const void *b)
{
    return strcmp(((const struct english *)a)->key, ((const struct english *)b)->key);
}

static void add_english(void)
{
    const struct hd_blob *b = hd_blob_get("given_names.tsv");
    size_t cap = 0;
    for (const char *p = b ? b->data : ""; *p;) {
        const char *eol = strchr(p, '\n');
        if (!eol) eol = p + strlen(p);
        const char *col[5];
        size_t ncol = 0;
        col[ncol++] = p;
        for (const char *c = p; c < eol && ncol < 5; c++)
            if (*c == '\t') col[ncol++] = c + 1;
        if (*p != '#' && ncol == 5 && col[4] - col[3] > 1) {
            if (nenglish == cap) {
                size_t nc = cap ? cap * 2 : 1024;
                struct english *ne = realloc(english, nc * sizeof *ne);
                if (!ne) break;
                english = ne, cap = nc;
            }
            char *key = hd_normalize_key(p, (size_t)(col[1] - 1 - p));
            char *value = strndup(col[3], (size_t)(col[4] - 1 - col[3]));
            if (key && value) {
                english[nenglish].key = key, english[nenglish++].value = value;
            } else {
                free(key), free(value);
            }
        }
        p = *eol ? eol + 1 : eol;
    }
    if (nenglish) qsort(english, nenglish, sizeof *english, by_english_key);
}

/* The English of a name word: a given name's spelling, a particle's, or
 * NULL. */
static const char *english_of(const char *key)
{
    static const struct english particles[] = {
        {"\u0628\u0646", "bin"},       {"\u0627\u0628\u0646", "Ibn"},
        {"\u0627\u0628\u0648", "Abu"}, {"\u0639\u0628\u062F", "Abd"},
        {"\u0627\u0644", "Al"},        {"\u0628\u0646\u062A", "bint"}};
    for (size_t i = 0; i < sizeof particles / sizeof *particles; i++)
        if (!strcmp(key, particles[i].key)) return particles[i].value;
    struct english k = {(char *)key, NULL};
    const struct english *hit =
        nenglish ? bsearch(&k, english, nenglish, sizeof *english, by_english_key) : NULL;
    return hit ? hit->value : NULL;
}

static void load_lexicons(void)
{
    add_english();
    add_given(&given, 0);
    add_given(&given_any, 1);
    hd_keyset_seal(&given), hd_keyset_seal(&given_any);
    add_kind(&titles, "roles.tsv", "title");
    add_kind(&heads, "roles.tsv", "org");
    add_kind(&kin, "roles.tsv", "kin");
    add_kind(&modifiers, "cues.tsv", "modifier");
    add_kind(&locatives, "cues.tsv", "locative");
    add_kind(&ambiguous, "cues.tsv", "ambiguous");
    add_kind(&phrases, "cues.tsv", "phrase");
    add_kind(&links, "cues.tsv", "link");
    add_kind(&descriptors, "cues.tsv", "descriptor");
    hd_keyset_seal(&descriptors);
    firsts_build(&descriptors_f, descriptors.keys, descriptors.n);
    hd_keyset_seal(&links);
    hd_keyset_seal(&ambiguous), hd_keyset_seal(&phrases);
    hd_keyset_add_tsv(&stopwords, "stopwords.tsv", 1u, NULL);
    hd_keyset_seal(&titles), hd_keyset_seal(&heads), hd_keyset_seal(&kin);
    hd_keyset_seal(&modifiers), hd_keyset_seal(&stopwords), hd_keyset_seal(&locatives);
    firsts_build(&titles_f, titles.keys, titles.n);
    firsts_build(&heads_f, heads.keys, heads.n);
    firsts_build(&kin_f, kin.keys, kin.n);
    firsts_build(&phrases_f, phrases.keys, phrases.n);
}

struct hd_recognizer {
    const struct hd_kb *kb;
    struct firsts kbf; /* first words of the knowledge base's names */
    struct hd_segmenter *sg;
    struct hd_keys *keys;
};

struct hd_recognizer *hd_recognizer_new(const struct hd_kb *kb, char *err, size_t errlen)
{
    pthread_once(&lexicons_once, load_lexicons);
    struct hd_recognizer *r = calloc(1, sizeof *r);
    if (!r) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    r->kb = kb;
    /* the first words of every name of the knowledge base */
    size_t nk = 0, cap = 0;
    char **keys = NULL;
    for (size_t e = 0; e < hd_kb_size(kb); e++) {
        const char *a;
        for (size_t n = 0; (a = hd_kb_alias(kb, e, n)) != NULL; n++) {
            if (nk == cap) {
                size_t nc = cap ? cap * 2 : 4096;
                char **nkeys = realloc(keys, nc * sizeof *keys);
                if (!nkeys) break;
                keys = nkeys, cap = nc;
            }
            if (nk < cap && (keys[nk] = hd_normalize_key(a, strlen(a))) != NULL) nk++;
        }
    }
    int built = firsts_build(&r->kbf, keys, nk);
    for (size_t i = 0; i < nk; i++) free(keys[i]);
    free(keys);
    if (built < 0) {
        snprintf(err, errlen, "out of memory");
        firsts_free(&r->kbf);
        free(r);
        return NULL;
    }
    r->sg = hd_segmenter_new(err, errlen);
    r->keys = r->sg ? hd_keys_new(err, errlen) : NULL;
    if (!r->keys) {
        hd_recognizer_free(r);
        return NULL;
    }
    return r;
}

void hd_recognizer_free(struct hd_recognizer *r)
{
    if (!r) return;
    hd_segmenter_free(r->sg);
    hd_keys_free(r->keys);
    firsts_free(&r->kbf);
    free(r);
}

const struct hd_kb *hd_recognizer_kb(const struct hd_recognizer *r)
{
    return r->kb;
}

struct hd_keys *hd_recognizer_keys(struct hd_recognizer *r)
{
    return r->keys;
}

/* ---- the state of one run ---- */

/* A way to read the first word of a name: its key from byte pre of the
 * word's key on, with "ال" put back where a proclitic took the article
 * along (بالكرملين > الكرملين). */
struct reading {
    char key[HD_STEM_MAX];
    size_t skip_cp; /* code points of the original word before the name */
};

/* A person named in full in this text, by the words a short form may use. */
struct short_form {
    char key[HD_STEM_MAX];
    char raw[HD_STEM_MAX]; /* as written */
    size_t entity;
    size_t count; /* mentions so far, to choose between two Kims */
    size_t last;  /* the mention index of the latest */
};

/* A title that stood before a person's name, so that it alone refers back
 * to them (الرئيس الروسي ... الرئيس الروسي). */
struct role {
    char key[KEY_CAP]; /* title key, then the country's entity index */
    size_t entity;
};

/* What the last title said, so that the name after it knows its country
 * and the title can refer back to it later. */
struct pending_title {
    int active;
    size_t tok_a, tok_b; /* the title's words */
    size_t start;        /* byte where the title starts */
    long country;        /* kb index of its country adjective, or -1 */
    size_t next;         /* the token a name must start at */
};

struct run {
    struct hd_recognizer *r;
    struct pending_title title;
    const char *text;
    struct hd_tokens tk;
    size_t *sent_of; /* per token */
    struct hd_recognition *out;
    size_t ecap, mcap, ccap;
    struct short_form *shorts;
    size_t nshorts, scap;
    struct role *roles;
    size_t nroles, rcap;
    long *ent_of_kb; /* kb index > document entity index + 1, lazily */
    /* the readings of the last words asked for: each word is read by
     * several matchers in turn */
    struct rd_cache {
        size_t tok; /* token index + 1; 0 when empty */
        int n;
        struct reading rd[24];
    } cache[8];
    size_t *counts; /* mentions per document entity */
    int oom;
};

static int grow(void **v, size_t *cap, size_t n, size_t size)
{
    if (n < *cap) return 0;
    size_t nc = *cap ? *cap * 2 : 16;
    void *nv = realloc(*v, nc * size);
    if (!nv) return -1;
    *v = nv, *cap = nc;
    return 0;
}

static const char *AL = "\u0627\u0644"; /* ال */

static int is_word(const struct run *u, size_t i)
{
    return i < u->tk.n && u->tk.v[i].kind != HD_TOKEN_PUNCT;
}

static int same_sentence(const struct run *u, size_t a, size_t b)
{
    return u->sent_of[a] == u->sent_of[b];
}

/* The readings of word key: itself, then without each proclitic. */
static int readings(const char *key, struct reading *out, int max)
{
    size_t lens[24];
    int n = 0, np = hd_proclitics(key, lens, 24);
    size_t kl = strlen(key);
    if (kl >= HD_STEM_MAX) return 0;
    memcpy(out[n].key, key, kl + 1), out[n++].skip_cp = 0;
    /* a common word is that word, not a clitic and a name (كواليس, بحجة) */
    if (hd_keyset_has(&stopwords, key)) return n;
    for (int i = 0; i < np && n + 2 <= max; i++) {
        const char *rest = key + lens[i];
        /* ك "like" hardly ever stands before a name, and كواليس is no
         * ك + Wallis */
        int kaf = 0;
        for (size_t b = 0; b + 1 < lens[i]; b += 2) kaf |= !memcmp(key + b, "\u0643", 2);
        if (kaf) continue;
        size_t pcp = hd_utf8_count(key, lens[i]);
        memcpy(out[n].key, rest, kl - lens[i] + 1), out[n++].skip_cp = pcp;
        /* the article inside the proclitic: بال، وال، لل (ل + ال, alef elided) */
        int article = lens[i] >= 4 && !memcmp(key + lens[i] - 4, AL, 4);
        int lil = lens[i] >= 4 && !memcmp(key + lens[i] - 4, "\u0644\u0644", 4);
        if ((article && lens[i] > 4) || lil) {
            if (kl - lens[i] + 5 > HD_STEM_MAX) continue;
            memcpy(out[n].key, AL, 4);
            memcpy(out[n].key + 4, rest, kl - lens[i] + 1);
            out[n++].skip_cp = article ? pcp - 2 : pcp - 1;
        }
    }
    return n;
}

/* The readings of token i, from the cache when it has them. */
static const struct reading *token_readings(struct run *u, size_t i, int *n)
{
    struct rd_cache *c = &u->cache[i % 8];
    if (c->tok != i + 1) {
        c->n = readings(u->tk.v[i].key, c->rd, 24);
        c->tok = i + 1;
    }
    *n = c->n;
    return c->rd;
}

/* The byte offset in the original word [ws, we) of its n-th code point as
 * the matching key counts them (marks the key drops are not counted). */
static size_t original_offset(const char *text, size_t ws, size_t we, size_t n)
{
    size_t i = ws;
    while (i < we && n > 0) {
        size_t at = i;
        uint32_t cp = hd_utf8_next(text, &i);
        if (hd_fold_cp(cp) != 0) n--;
        (void)at;
    }
    /* skip marks that belong to the skipped letters */
    while (i < we) {
        size_t at = i;
        uint32_t cp = hd_utf8_next(text, &at);
        if (hd_fold_cp(cp) != 0) break;
        i = at;
    }
    return i;
}

/* Joins the keys of words i+1 .. i+n-1 after first into buf; -1 when a
 * word is punctuation, past the text or in another sentence. */
static int join(const struct run *u, const char *first, size_t i, size_t n, char *buf, size_t cap)
{
    size_t o = strlen(first);
    if (o + 1 > cap) return -1;
    memcpy(buf, first, o + 1);
    for (size_t k = 1; k < n; k++) {
        size_t j = i + k;
        if (!is_word(u, j) || !same_sentence(u, i, j)) return -1;
        const char *w = u->tk.v[j].key;
        size_t wl = strlen(w);
        if (o + wl + 2 > cap) return -1;
        buf[o++] = ' ';
        memcpy(buf + o, w, wl + 1);
        o += wl;
    }
    return 0;
}

/* ---- document entities and mentions ---- */

static size_t doc_entity_of_kb(struct run *u, size_t kbi)
{
    if (u->ent_of_kb[kbi]) return (size_t)u->ent_of_kb[kbi] - 1;
    struct hd_recognition *o = u->out;
    if (grow((void **)&o->entities, &u->ecap, o->nentities, sizeof *o->entities) < 0 ||
        grow((void **)&u->counts, &u->ccap, o->nentities, sizeof *u->counts) < 0) {
        u->oom = 1;
        return (size_t)-1;
    }
    memset(&o->entities[o->nentities], 0, sizeof *o->entities);
    o->entities[o->nentities].kb = (long)kbi;
    u->counts[o->nentities] = 0;
    u->ent_of_kb[kbi] = (long)++o->nentities;
    return o->nentities - 1;
}

static void add_mention(struct run *u, size_t e, size_t tok_a, size_t start, size_t tok_b,
                        size_t end, enum hd_mention_kind kind, unsigned flags)
{
    struct hd_recognition *o = u->out;
    if (e == (size_t)-1) return;
    if (grow((void **)&o->mentions, &u->mcap, o->nmentions, sizeof *o->mentions) < 0) {
        u->oom = 1;
        return;
    }
    struct hd_mention *m = &o->mentions[o->nmentions++];
    const struct hd_token *a = &u->tk.v[tok_a], *b = &u->tk.v[tok_b];
    m->start = start, m->end = end;
    m->cp_start = a->cp_start + hd_utf8_count(u->text + a->start, start - a->start);
    m->cp_end = b->cp_start + hd_utf8_count(u->text + b->start, end - b->start);
    m->entity = e, m->sentence = u->sent_of[tok_a], m->kind = kind, m->flags = flags;
    if (kind != HD_MENTION_ADJECTIVE) u->counts[e]++;
}

/* The word text[s..e) as written, only its marks (harakat, tatweel) left
 * out: short forms compare it, since matching keys merge على and علي. */
static void raw_word(const char *text, size_t s, size_t e, char *out, size_t cap)
{
    size_t o = 0;
    for (size_t i = s; i < e;) {
        size_t at = i;
        uint32_t cp = hd_utf8_next(text, &i);
        if (hd_fold_cp(cp) == 0) continue;
        if (o + (i - at) + 1 > cap) break;
        memcpy(out + o, text + at, i - at);
        o += i - at;
    }
    out[o] = 0;
}

static int particle(const char *key);
static int starts_al(const char *key);

/* Names whose first word is the family name, which a later short form
 * uses (كيم for Kim Jong Un, شي for Xi Jinping). */
static int family_name_first(const char *country)
{
    static const char *const cc[] = {"KP", "KR", "CN", "TW", "HK", "MO"};
    for (size_t i = 0; country && i < sizeof cc / sizeof *cc; i++)
        if (!strcmp(country, cc[i])) return 1;
    return 0;
}

/* Remembers the words of a person's full name, tokens a..b, for the short
 * forms that follow: the family name, which is the last word (بوتين for
 * Vladimir Putin) or in East Asian names the first (كيم). first_key and
 * first_start are the first word's key and start without its clitics. */
static void remember_name(struct run *u, size_t e, size_t a, size_t b, const char *first_key,
                          size_t first_start)
{
    if (b <= a) return; /* one word: nothing shorter */
    int east = family_name_first(hd_rec_country(u->r, u->out, e));
    for (size_t w = a; w <= b; w++) {
        if (east ? w != a : w != b) continue;
        const char *k = w == a ? first_key : u->tk.v[w].key;
        size_t letters = hd_utf8_count(k, strlen(k));
        if (strlen(k) >= HD_STEM_MAX || letters < 2 || (letters < 3 && !east) || particle(k) ||
            hd_keyset_has(&stopwords, k))
            continue;
        /* a found name's last word with the article may be a common noun
         * (الريف، الأمين): only the knowledge base's are sure */
        if (u->out->entities[e].kb < 0 && starts_al(k)) continue;
        char raw[HD_STEM_MAX];
        raw_word(u->text, w == a ? first_start : u->tk.v[w].start, u->tk.v[w].end, raw, sizeof raw);
        size_t s;
        for (s = 0; s < u->nshorts; s++)
            if (u->shorts[s].entity == e && !strcmp(u->shorts[s].raw, raw)) break;
        if (s == u->nshorts) {
            if (grow((void **)&u->shorts, &u->scap, u->nshorts, sizeof *u->shorts) < 0) {
                u->oom = 1;
                return;
            }
            memset(&u->shorts[s], 0, sizeof u->shorts[s]);
            strcpy(u->shorts[s].key, k);
            strcpy(u->shorts[s].raw, raw);
            u->shorts[s].entity = e;
            u->nshorts++;
        }
        u->shorts[s].last = u->out->nmentions;
    }
}

/* The person a short form names: of those whose name has the word (as
 * written), the one named most often so far, then the latest. */
static long short_form(const struct run *u, const char *raw)
{
    long best = -1;
    size_t bc = 0, bl = 0;
    for (size_t s = 0; s < u->nshorts; s++) {
        const struct short_form *f = &u->shorts[s];
        if (strcmp(f->raw, raw)) continue;
        size_t c = u->counts[f->entity];
        if (best < 0 || c > bc || (c == bc && f->last > bl))
            best = (long)f->entity, bc = c, bl = f->last;
    }
    return best;
}

/* Types in the order a name shared by several entities is given to. */
static int type_rank(const char *t)
{
    static const char *const order[] = {"country", "organization", "person",  "group",
                                        "region",  "city",         "facility"};
    for (int i = 0; i < 7; i++)
        if (!strcmp(order[i], t)) return i;
    return 7;
}

/* Of the entities a name finds, the one this text is about: one named
 * before in it (the most often), else by type, else the first. */
static size_t choose(const struct run *u, const size_t *hits, size_t n)
{
    size_t best = hits[0];
    long bc = -1;
    int br = 99;
    for (size_t i = 0; i < n; i++) {
        long d = u->ent_of_kb[hits[i]];
        long c = d ? (long)u->counts[d - 1] : -1;
        int rank = type_rank(hd_kb_get(u->r->kb, hits[i])->type);
        if (c > bc || (c == bc && rank < br)) best = hits[i], bc = c, br = rank;
    }
    return best;
}

/* ---- the matchers ---- */

struct match {
    size_t words;   /* tokens covered */
    size_t skip_cp; /* code points of the first word before the name */
    size_t hits[8];
    int adjective[8];
    size_t nhits;
    int weak;                /* an ambiguous one-word place name */
    char first[HD_STEM_MAX]; /* the first word as read, without its clitics */
};

/* 1 when the text has named, so far, the country of knowledge-base entry
 * kbi (the country itself, or something of it). */
static int country_named(const struct run *u, size_t kbi)
{
    const char *c = hd_kb_get(u->r->kb, kbi)->country;
    for (size_t e = 0; c && e < u->out->nentities; e++) {
        const char *x = hd_rec_country(u->r, u->out, e);
        if (u->counts[e] > 0 && x && !strcmp(x, c)) return 1;
    }
    return 0;
}

/* The longest knowledge-base name starting at token i. */
static int match_kb(struct run *u, size_t i, struct match *m)
{
    int nr;
    const struct reading *rd = token_readings(u, i, &nr);
    unsigned maxn[24], any = 0;
    for (int k = 0; k < nr; k++) any |= maxn[k] = firsts_max(&u->r->kbf, rd[k].key);
    if (!any) return 0;
    char buf[KEY_CAP];
    int found = 0; /* an ambiguous one-word match, kept in m while others are tried */
    for (size_t n = MAX_NAME_WORDS; n >= 1; n--) {
        for (int k = 0; k < nr; k++) {
            if (n > maxn[k] || join(u, rd[k].key, i, n, buf, sizeof buf) < 0) continue;
            int flags[8], adjective[8];
            size_t hits[8];
            size_t nh = hd_kb_lookup_names(u->r->kb, buf, hits, flags, 8);
            if (nh > 8) nh = 8;
            /* conditional names count only for entities this text has named */
            size_t kept = 0;
            for (size_t h = 0; h < nh; h++) {
                if ((flags[h] & HD_KB_CONDITIONAL) && !u->ent_of_kb[hits[h]]) continue;
                hits[kept] = hits[h];
                adjective[kept++] = (flags[h] & HD_KB_ADJECTIVE) != 0;
            }
            nh = kept;
            if (nh == 0) continue;
            /* a one-word name that is also a common word is that word */
            if (n == 1 && hd_keyset_has(&stopwords, buf)) continue;
            int weak = n == 1 && hd_keyset_has(&ambiguous, buf);
            /* an ambiguous reading gives way to a sure one of the same word
             * (وجدة: Oujda, or و + جدة), or to one whose country the text
             * has named */
            if (weak && found && (country_named(u, m->hits[0]) || !country_named(u, hits[0])))
                continue;
            memcpy(m->hits, hits, nh * sizeof *hits);
            memcpy(m->adjective, adjective, nh * sizeof *adjective);
            m->words = n, m->skip_cp = rd[k].skip_cp, m->nhits = nh;
            m->weak = weak;
            memcpy(m->first, rd[k].key, sizeof m->first);
            if (!weak) return 1;
            found = 1;
        }
        if (found) return 1;
    }
    return 0;
}

/* The longest phrase of set starting at token i. */
static size_t match_phrase(struct run *u, const struct hd_keyset *set, const struct firsts *f,
                           size_t i, size_t *skip_cp)
{
    int nr;
    const struct reading *rd = token_readings(u, i, &nr);
    unsigned maxn[24], any = 0;
    for (int k = 0; k < nr; k++) any |= maxn[k] = firsts_max(f, rd[k].key);
    if (!any) return 0;
    char buf[KEY_CAP];
    for (size_t n = MAX_TITLE_WORDS; n >= 1; n--)
        for (int k = 0; k < nr; k++) {
            if (n > maxn[k] || join(u, rd[k].key, i, n, buf, sizeof buf) < 0) continue;
            if (hd_keyset_has(set, buf)) {
                if (skip_cp) *skip_cp = rd[k].skip_cp;
                return n;
            }
        }
    return 0;
}

/* A word that is no part of a name: a stop word, with or without its
 * clitics (وقال، لصحيفة) or the future's س (سيقدم), or a title or head
 * word. */
static int is_stop(const char *key)
{
    char stems[HD_STEMS_MAX][HD_STEM_MAX];
    int n = hd_clitic_stems(key, stems, HD_STEMS_MAX);
    for (int i = 0; i < n; i++)
        if (hd_keyset_has(&stopwords, stems[i]) || hd_keyset_has(&titles, stems[i]) ||
            hd_keyset_has(&heads, stems[i]))
            return 1;
    if (n == 0 && hd_keyset_has(&stopwords, key)) return 1;
    /* سيقدم، ستعقد: the future of a verb the list has */
    if (!strncmp(key, "\u0633", 2) && (key[2] == '\xd9' || key[2] == '\xd8')) {
        const char *rest = key + 2;
        if (!strncmp(rest, "\u064a", 2) || !strncmp(rest, "\u062a", 2) ||
            !strncmp(rest, "\u0646", 2))
            return hd_keyset_has(&stopwords, rest);
    }
    return 0;
}

static int starts_al(const char *key)
{
    return !strncmp(key, AL, 4) || !strncmp(key, "\u0644\u0644", 4);
}

/* Name particles after which a word with the article is still the name
 * (عبد الله، أبو الغيط، بن سلمان). */
static int particle(const char *key)
{
    static const char *const p[] = {"\u0639\u0628\u062F", "\u0627\u0628\u0648",
                                    "\u0628\u0646",       "\u0627\u0628\u0646",
                                    "\u0627\u0644",       "\u0648\u0644\u062F"};
    for (size_t i = 0; i < sizeof p / sizeof *p; i++)
        if (!strcmp(key, p[i])) return 1;
    return 0;
}

/* The document entity for an unknown name (its Arabic text ar), found again
 * when the same name came before. */
/* The English name of an unknown person ar[0..len): word by word, a given
 * name's or particle's English spelling, else the word romanised. NULL
 * when out of memory or ICU fails. */
static char *person_english(struct run *u, const char *ar, size_t len)
{
    size_t cap = len * 3 + 16, o = 0;
    char *out = malloc(cap);
    if (!out) return NULL;
    for (size_t i = 0; i < len;) {
        while (i < len && ar[i] == ' ') i++;
        size_t j = i;
        while (j < len && ar[j] != ' ') j++;
        if (j == i) break;
        char word[256], *key = NULL, *roman = NULL;
        size_t wl = j - i < sizeof word ? j - i : sizeof word - 1;
        memcpy(word, ar + i, wl), word[wl] = 0;
        key = hd_normalize_key(word, wl);
        const char *en = key ? english_of(key) : NULL;
        if (!en && hd_keys_make(u->r->keys, word, &roman, NULL) == 0) en = roman;
        size_t el = en ? strlen(en) : 0;
        if (el && o + el + 2 < cap) {
            if (o) out[o++] = ' ';
            memcpy(out + o, en, el), o += el;
        }
        free(key), free(roman);
        i = j;
    }
    out[o] = 0;
    return out;
}

static size_t text_entity(struct run *u, const char *ar, size_t arlen, const char *type,
                          const char *country)
{
    struct hd_recognition *o = u->out;
    char *key = hd_normalize_key(ar, arlen);
    if (!key) {
        u->oom = 1;
        return (size_t)-1;
    }
    for (size_t e = 0; e < o->nentities; e++) {
        struct hd_rec_entity *x = &o->entities[e];
        if (x->kb >= 0 || strcmp(x->type, type)) continue;
        if (!strcmp(x->key, key)) {
            free(key);
            return e;
        }
    }
    char *roman = NULL;
    char *ar_name = malloc(arlen + 1);
    if (ar_name) memcpy(ar_name, ar, arlen), ar_name[arlen] = 0;
    if (ar_name && !strcmp(type, "person"))
        roman = person_english(u, ar_name, arlen);
    else if (ar_name && hd_keys_make(u->r->keys, ar_name, &roman, NULL) < 0)
        roman = NULL;
    if (!ar_name || !roman || !*roman) {
        free(ar_name), free(roman), free(key);
        u->oom = !ar_name;
        return (size_t)-1;
    }
    char slug[256];
    hd_kb_slugify(roman, slug, sizeof slug);
    if (!*slug || grow((void **)&o->entities, &u->ecap, o->nentities, sizeof *o->entities) < 0 ||
        grow((void **)&u->counts, &u->ccap, o->nentities, sizeof *u->counts) < 0) {
        free(ar_name), free(roman), free(key);
        u->oom = *slug != 0;
        return (size_t)-1;
    }
    struct hd_rec_entity *x = &o->entities[o->nentities];
    memset(x, 0, sizeof *x);
    x->kb = -1;
    x->slug = strdup(slug);
    x->name = roman;
    x->name_ar = ar_name;
    x->key = key;
    x->type = type;
    x->country = country ? strdup(country) : NULL;
    u->counts[o->nentities] = 0;
    return o->nentities++;
}

/* A given name, with or without و before it (common words among them too:
 * a name's second word is no sentence's). */
static int given_name(const char *key)
{
    if (hd_keyset_has(&given_any, key)) return 1;
    return !strncmp(key, "\u0648", 2) && hd_keyset_has(&given_any, key + 2);
}

/* A word whose ending, as written, marks a common word: the accusative
 * تنوين (ملازماً) or a pronoun after a ta marbuta (ضالته، مكانتها). */
static int not_a_name_word(const struct run *u, size_t i)
{
    static const char *const endings[] = {"\u064B", "\u0627\u064B", "\u062A\u0647",
                                          "\u062A\u0647\u0627", "\u062A\u0647\u0645"};
    const struct hd_token *t = &u->tk.v[i];
    for (size_t e = 0; e < sizeof endings / sizeof *endings; e++) {
        size_t el = strlen(endings[e]);
        if (t->end - t->start > el + 2 && !memcmp(u->text + t->end - el, endings[e], el)) return 1;
    }
    return 0;
}

/* The name علي as written, which the matching key merges with the
 * preposition على: a name may start with it. */
static int written_ali(const struct run *u, size_t i)
{
    static const char ali[] = "\u0639\u0644\u064A";
    const struct hd_token *t = &u->tk.v[i];
    return t->end - t->start == sizeof ali - 1 && !memcmp(u->text + t->start, ali, sizeof ali - 1);
}

/* The words of an unknown name from token i on: how many (0 when none).
 * A strict name (one no title vouches for) goes past its second word only
 * when that word is a given name or a particle too (محمد حسني مبارك، محمد
 * بن راشد), and takes a word with the article only second (نوري المالكي).
 * Either kind of name needs two words, or one that is a given name. */
static size_t unknown_name(struct run *u, size_t i, int strict)
{
    size_t n = 0, particles = 0;
    struct match m;
    while (n < MAX_UNKNOWN + particles && is_word(u, i + n) && same_sentence(u, i, i + n) &&
           u->tk.v[i + n].kind == HD_TOKEN_WORD) {
        const char *k = u->tk.v[i + n].key;
        if ((is_stop(k) && !(n == 0 && written_ali(u, i))) || hd_keyset_has(&titles, k) ||
            hd_keyset_has(&heads, k) || hd_keyset_has(&modifiers, k))
            break;
        /* an ASCII word is no Arabic name here */
        if ((unsigned char)k[0] < 0x80) break;
        /* و before a word that is no given name (وليد is) joins a new
         * phrase (ورجاله، ويدرسون); a preposition with the article
         * (للموهبة، بالتعاقد) is no part of a name */
        if (!strncmp(k, "\u0648", 2) && hd_utf8_count(k, strlen(k)) > 2 &&
            !hd_keyset_has(&given_any, k))
            break;
        if (n > 0 && (!strncmp(k, "\u0644\u0644", 4) || !strncmp(k, "\u0628\u0627\u0644", 6) ||
                      !strncmp(k, "\u0643\u0627\u0644", 6) || !strncmp(k, "\u0641\u0627\u0644", 6)))
            break;
        /* a first word with ب or ل before it is a phrase (بجروح، لاستعادة)
         * unless it is a given name (باسم، لطيفة) */
        if (n == 0 && (!strncmp(k, "\u0628", 2) || !strncmp(k, "\u0644", 2)) &&
            !hd_keyset_has(&given_any, k))
            break;
        if (not_a_name_word(u, i + n)) break;
        int al = starts_al(k);
        if (al && (n == 0 || !particle(u->tk.v[i + n - 1].key))) {
            /* a family name with the article ends the name (السيسي); a first
             * word with it is a common noun */
            if (n == 0 || n > 2 || (strict && n > 1) || match_kb(u, i + n, &m)) break;
            n++;
            break;
        }
        if (n > 0 && match_kb(u, i + n, &m)) break;
        if (strict && n >= 2 && !particle(u->tk.v[i + n - 1].key) &&
            !given_name(u->tk.v[i + n - 1].key))
            break;
        if (particle(k) && particles < 2) particles++;
        n++;
    }
    /* a name does not end on a particle */
    while (n > 0 && particle(u->tk.v[i + n - 1].key)) n--;
    if (n == 1 && !given_name(u->tk.v[i].key)) return 0;
    return n;
}

/* A capital is its country's government unless a preposition of place, or
 * the word capital, stands before it (في موسكو، إلى موسكو، العاصمة موسكو)
 * or it carries ب (بموسكو). */
static unsigned city_flags(struct run *u, size_t i, size_t skip_cp, size_t kbi)
{
    const struct hd_kb_entity *e = hd_kb_get(u->r->kb, kbi);
    if (strcmp(e->type, "city") || !e->capital) return 0;
    const char *k = u->tk.v[i].key;
    if (skip_cp > 0 && (!strncmp(k, "\u0628", 2) || !strncmp(k, "\u0648\u0628", 4) ||
                        !strncmp(k, "\u0641\u0628", 4)))
        return 0;
    for (size_t back = 1; back <= 3 && back <= i; back++) {
        size_t j = i - back;
        if (!is_word(u, j) || !same_sentence(u, i, j)) break;
        if (hd_keyset_has(&locatives, u->tk.v[j].key)) return 0;
        /* a country adjective between (العاصمة الروسية موسكو) */
        struct match m;
        if (back == 1 && match_kb(u, j, &m) && m.adjective[0]) continue;
        break;
    }
    return HD_MENTION_AS_COUNTRY;
}

/* The words of an office between a title and the name, from token j on:
 * its qualifiers (السابق), the body it serves (الخارجية الهندية, وزارة
 * الخارجية) and the links to it (لدى، باسم); returns the token after them.
 * It stops before a name the knowledge base knows, which the main pass
 * reads (and then calls this again). */
static size_t office_words(struct run *u, size_t j)
{
    size_t start = j;
    while (j < start + 6 && is_word(u, j) && same_sentence(u, start, j)) {
        const char *k = u->tk.v[j].key;
        struct match mm;
        if (match_kb(u, j, &mm)) break;
        if (hd_keyset_has(&modifiers, k) || (starts_al(k) && !is_stop(k)) ||
            match_phrase(u, &heads, &heads_f, j, NULL)) {
            j++;
            continue;
        }
        /* لدى الأمم المتحدة، باسم الجيش: a link, if a body follows */
        int nr, link = 0;
        const struct reading *rd = token_readings(u, j, &nr);
        for (int r = 0; r < nr && !link; r++) link = hd_keyset_has(&links, rd[r].key);
        if (link && is_word(u, j + 1) && same_sentence(u, j, j + 1)) {
            const char *k1 = u->tk.v[j + 1].key;
            if (match_kb(u, j + 1, &mm) || starts_al(k1) ||
                match_phrase(u, &heads, &heads_f, j + 1, NULL)) {
                j++;
                continue;
            }
        }
        break;
    }
    return j;
}

/* ---- the pass ---- */

static void role_remember(struct run *u, const struct pending_title *t, size_t e)
{
    char key[KEY_CAP];
    if (join(u, u->tk.v[t->tok_a].key, t->tok_a, t->tok_b - t->tok_a + 1, key, KEY_CAP - 24) < 0)
        return;
    snprintf(key + strlen(key), 24, "|%ld", t->country);
    for (size_t k = 0; k < u->nroles; k++)
        if (!strcmp(u->roles[k].key, key)) {
            u->roles[k].entity = e;
            return;
        }
    if (grow((void **)&u->roles, &u->rcap, u->nroles, sizeof *u->roles) < 0) {
        u->oom = 1;
        return;
    }
    strcpy(u->roles[u->nroles].key, key);
    u->roles[u->nroles++].entity = e;
}

static long role_lookup(struct run *u, const struct pending_title *t)
{
    char key[KEY_CAP];
    /* a bare one-word title (الملك، الفريق) is too vague to stand for one */
    if (t->country < 0 && t->tok_b == t->tok_a) return -1;
    if (join(u, u->tk.v[t->tok_a].key, t->tok_a, t->tok_b - t->tok_a + 1, key, KEY_CAP - 24) < 0)
        return -1;
    snprintf(key + strlen(key), 24, "|%ld", t->country);
    for (size_t k = 0; k < u->nroles; k++)
        if (!strcmp(u->roles[k].key, key)) return (long)u->roles[k].entity;
    return -1;
}

/* A quoted name after a head word: صحيفة «كوميرسانت», موقع "أكسيوس". */
static size_t quoted_name(struct run *u, size_t i, size_t *a, size_t *b)
{
    if (i >= u->tk.n || u->tk.v[i].kind != HD_TOKEN_PUNCT) return 0;
    size_t q = u->tk.v[i].start;
    uint32_t cp = hd_utf8_next(u->text, &q);
    if (cp != 0xAB && cp != '"' && cp != 0x201C) return 0;
    size_t j = i + 1;
    while (j < u->tk.n && j < i + 1 + MAX_QUOTED && u->tk.v[j].kind != HD_TOKEN_PUNCT) j++;
    /* an unclosed quote takes no words of the next sentence as a name */
    if (j == i + 1 || j >= u->tk.n || !same_sentence(u, i, j)) return 0;
    size_t c = u->tk.v[j].start;
    uint32_t close = hd_utf8_next(u->text, &c);
    if (close != 0xBB && close != '"' && close != 0x201D) return 0;
    *a = i + 1, *b = j - 1;
    return j - i + 1;
}

/* ---- the steps of the pass: each reads what starts at token i and
 * returns how many tokens it took, 0 when it does not apply ---- */

/* A title that no name followed: it alone may stand for the one it named
 * before (الرئيس الروسي). */
static void title_ends(struct run *u)
{
    struct pending_title *t = &u->title;
    long e = role_lookup(u, t);
    if (e >= 0)
        add_mention(u, (size_t)e, t->tok_a, t->start, t->next - 1, u->tk.v[t->next - 1].end,
                    HD_MENTION_ROLE, 0);
    t->active = 0;
}

static int title_waits_at(const struct run *u, size_t i)
{
    return u->title.active && i == u->title.next;
}

/* A short form of someone named before; it beats a one-word name the
 * knowledge base gives to somebody else (m: the knowledge base's match at
 * i, if kbm). */
static size_t step_short(struct run *u, size_t i, const struct match *m, int kbm)
{
    const struct hd_token *t = &u->tk.v[i];
    if (kbm && m->words > 1) return 0;
    int nr;
    const struct reading *rd = token_readings(u, i, &nr);
    for (int k = 0; k < nr; k++) {
        char raw[HD_STEM_MAX];
        size_t s = original_offset(u->text, t->start, t->end, rd[k].skip_cp);
        raw_word(u->text, s, t->end, raw, sizeof raw);
        long e = short_form(u, raw);
        if (e < 0) continue;
        if (kbm && u->out->entities[e].kb >= 0)
            for (size_t c = 0; c < m->nhits; c++)
                if ((long)m->hits[c] == u->out->entities[e].kb) return 0; /* a name mention */
        add_mention(u, (size_t)e, i, s, i, t->end, HD_MENTION_SHORT, 0);
        if (title_waits_at(u, i)) role_remember(u, &u->title, (size_t)e);
        u->title.active = 0;
        return 1;
    }
    return 0;
}

/* A name of the knowledge base, m its match at i. */
static size_t step_kb(struct run *u, size_t i, const struct match *m)
{
    const struct hd_token *t = &u->tk.v[i];
    size_t kbi = choose(u, m->hits, m->nhits);
    int adj = 0;
    for (size_t c = 0; c < m->nhits; c++)
        if (m->hits[c] == kbi) adj = m->adjective[c];
    size_t last = i + m->words - 1, end = u->tk.v[last].end;
    size_t s = original_offset(u->text, t->start, t->end, m->skip_cp);
    size_t e = doc_entity_of_kb(u, kbi);
    const char *type = hd_kb_get(u->r->kb, kbi)->type;
    int waits = title_waits_at(u, i);
    if (adj) {
        add_mention(u, e, i, s, last, end, HD_MENTION_ADJECTIVE, 0);
        if (waits) { /* الرئيس الروسي: the title's country */
            u->title.country = (long)kbi;
            u->title.tok_b = last;
            u->title.next = office_words(u, last + 1);
        }
        return m->words;
    }
    size_t a = i;
    if (m->words > 1) {
        /* a name given with its title or its kind (الملك عبد الله الثاني،
         * حركة حماس، وكالة فرانس برس): the mention is the name, as in NER,
         * when the rest is a name of the same entity */
        int person = !strcmp(type, "person");
        size_t tn = match_phrase(u, person ? &titles : &descriptors,
                                 person ? &titles_f : &descriptors_f, i, NULL);
        struct match rest;
        if (tn > 0 && tn < m->words &&
            (person || (match_kb(u, i + tn, &rest) && rest.words == m->words - tn &&
                        choose(u, rest.hits, rest.nhits) == kbi)))
            a = i + tn, s = u->tk.v[a].start;
    }
    unsigned fl = city_flags(u, i, m->skip_cp, kbi);
    /* not even في makes it sure (في مشهد is "in a scene"); إلى does: one goes
     * to Riyadh, not to gardens */
    int to = i > 0 && m->skip_cp == 0 &&
             (!strcmp(u->tk.v[i - 1].key, "\u0627\u0644\u064a") || /* الي */
              !strcmp(u->tk.v[i - 1].key, "\u0648\u0627\u0644\u064a"));
    if (m->weak && !to) fl |= MENTION_WEAK;
    const struct hd_recognition *o = u->out;
    if (m->skip_cp > 0 && !strncmp(t->key, "\u0648", 2) && i > 0 && o->nmentions &&
        o->mentions[o->nmentions - 1].end == u->tk.v[i - 1].end)
        fl |= MENTION_CONJ;
    add_mention(u, e, a, s, last, end, HD_MENTION_NAME, fl);
    if (!strcmp(type, "person")) {
        remember_name(u, e, a, last, a == i ? m->first : u->tk.v[a].key, s);
        if (waits) role_remember(u, &u->title, e);
        u->title.active = 0;
    } else if (waits) {
        /* وزير خارجية الولايات المتحدة: the country belongs to the title */
        if (!strcmp(type, "country")) u->title.country = (long)kbi;
        u->title.next = office_words(u, last + 1);
    }
    return m->words;
}

/* The unknown name a title introduces, with the title's country. */
static size_t step_title_name(struct run *u, size_t i)
{
    if (!title_waits_at(u, i)) return 0;
    const struct hd_token *t = &u->tk.v[i];
    size_t n = unknown_name(u, i, 0);
    if (n == 0) {
        title_ends(u);
        return 0;
    }
    size_t s = t->start, last = i + n - 1, end = u->tk.v[last].end;
    long c = u->title.country;
    const char *country = c >= 0 ? hd_kb_get(u->r->kb, (size_t)c)->country : NULL;
    size_t e = text_entity(u, u->text + s, end - s, "person", country);
    if (e != (size_t)-1) {
        add_mention(u, e, i, s, last, end, HD_MENTION_NAME, 0);
        remember_name(u, e, i, last, t->key, s);
        role_remember(u, &u->title, e);
    }
    u->title.active = 0;
    return n;
}

/* A title (or a kinship word), and the words of its office after it
 * (الخارجية، السابق): the name, or the country, comes next. */
static size_t step_title(struct run *u, size_t i)
{
    const struct hd_token *t = &u->tk.v[i];
    size_t skip = 0, tn = match_phrase(u, &titles, &titles_f, i, &skip);
    if (!tn) tn = match_phrase(u, &kin, &kin_f, i, &skip);
    if (!tn) return 0;
    size_t j = office_words(u, i + tn);
    struct pending_title *p = &u->title;
    p->active = 1, p->tok_a = i, p->tok_b = j - 1, p->country = -1, p->next = j;
    p->start = original_offset(u->text, t->start, t->end, skip);
    return j - i;
}

/* A person by a given name and the words after it (جورج بوش، نوري
 * المالكي): the given name not also a common word, written alone or after
 * a lone و. */
static size_t step_given(struct run *u, size_t i)
{
    const struct hd_token *t = &u->tk.v[i];
    int nr;
    const struct reading *rd = token_readings(u, i, &nr);
    for (int k = 0; k < nr; k++) {
        if (k > 0 && (rd[k].skip_cp != 1 || strncmp(t->key, "\u0648", 2))) continue;
        if (!hd_keyset_has(&given, rd[k].key)) continue;
        size_t n = unknown_name(u, i, 1);
        if (n < 2) return 0;
        size_t s = original_offset(u->text, t->start, t->end, rd[k].skip_cp);
        size_t last = i + n - 1, end = u->tk.v[last].end;
        size_t e = text_entity(u, u->text + s, end - s, "person", NULL);
        if (e == (size_t)-1) return 0;
        add_mention(u, e, i, s, last, end, HD_MENTION_NAME, 0);
        remember_name(u, e, i, last, rd[k].key, s);
        return n;
    }
    return 0;
}

/* An organisation by an indefinite head word and a quoted name the
 * knowledge base does not know: صحيفة «كوميرسانت» (الجماعة "..." is a
 * quote). */
static size_t step_quoted_org(struct run *u, size_t i)
{
    size_t skip = 0, hn = match_phrase(u, &heads, &heads_f, i, &skip);
    if (!hn || starts_al(u->tk.v[i].key + 2 * skip)) return 0;
    size_t a, b, qn = quoted_name(u, i + hn, &a, &b);
    struct match qm;
    if (!qn || match_kb(u, a, &qm)) return 0;
    size_t s = u->tk.v[a].start, end = u->tk.v[b].end;
    size_t e = text_entity(u, u->text + s, end - s, "organization", NULL);
    add_mention(u, e, a, s, b, end, HD_MENTION_NAME, 0);
    return hn + qn;
}

static int scan(struct run *u, size_t from, size_t to)
{
    size_t i = from;
    while (i < to) {
        struct pending_title *t = &u->title;
        if (t->active && (i > t->next || !same_sentence(u, t->tok_a, i))) t->active = 0;
        if (u->tk.v[i].kind != HD_TOKEN_WORD) {
            if (title_waits_at(u, i)) title_ends(u);
            i++;
            continue;
        }
        size_t n = match_phrase(u, &phrases, &phrases_f, i, NULL); /* القوة القاهرة */
        struct match m;
        int kbm = n ? 0 : match_kb(u, i, &m);
        if (!n) n = step_short(u, i, &m, kbm);
        if (!n && kbm) n = step_kb(u, i, &m);
        if (!n) n = step_title_name(u, i);
        if (!n) n = step_title(u, i);
        if (!n && !u->title.active) n = step_given(u, i);
        if (!n) n = step_quoted_org(u, i);
        i += n ? n : 1;
    }
    return u->oom ? -1 : 0;
}

/* An ambiguous place name stays only where the text names its country
 * otherwise: by the country, or another place or person of it. */
static void drop_weak(struct run *u)
{
    struct hd_recognition *o = u->out;
    char *keep = malloc(o->nmentions + 1);
    if (!keep) {
        u->oom = 1;
        return;
    }
    for (size_t i = 0; i < o->nmentions; i++) keep[i] = !(o->mentions[i].flags & MENTION_WEAK);
    /* a weak mention is kept by its country, by a sure mention of the same
     * place, or by one it is joined to with و; twice, so that a kept one
     * keeps its neighbour */
    for (int round = 0; round < 2; round++)
        for (size_t i = 0; i < o->nmentions; i++) {
            if (keep[i]) continue;
            const struct hd_mention *m = &o->mentions[i];
            const char *c = hd_rec_country(u->r, o, m->entity);
            for (size_t j = 0; j < o->nmentions && !keep[i]; j++) {
                const struct hd_mention *x = &o->mentions[j];
                if (!keep[j] || j == i) continue;
                const char *xc = hd_rec_country(u->r, o, x->entity);
                keep[i] =
                    x->entity == m->entity ||
                    (c && xc && !strcmp(xc, c) && strcmp(hd_rec_type(u->r, o, x->entity), "city"));
            }
            if ((m->flags & MENTION_CONJ) && i > 0 && keep[i - 1]) keep[i] = 1;
            if (i + 1 < o->nmentions && (o->mentions[i + 1].flags & MENTION_CONJ) && keep[i + 1])
                keep[i] = 1;
        }
    size_t w = 0;
    for (size_t i = 0; i < o->nmentions; i++) {
        struct hd_mention *m = &o->mentions[i];
        m->flags &= ~(MENTION_WEAK | MENTION_CONJ);
        if (keep[i])
            o->mentions[w++] = *m;
        else if (m->kind != HD_MENTION_ADJECTIVE)
            u->counts[m->entity]--;
    }
    o->nmentions = w;
    free(keep);
}

/* The headline again, with what the body taught: a headline names people
 * the way the body does after it has named them in full ("هذا ما تعهد به كيم
 * لروسيا"), so its short forms are read once the body's full names are
 * known. Its mentions of the first pass are replaced. */
static int rescan_title(struct run *u)
{
    struct hd_recognition *o = u->out;
    size_t t1 = 0;
    while (t1 < u->tk.n && u->sent_of[t1] == 0) t1++;
    size_t old = 0;
    while (old < o->nmentions && o->mentions[old].sentence == 0) old++;
    for (size_t i = 0; i < old; i++)
        if (o->mentions[i].kind != HD_MENTION_ADJECTIVE) u->counts[o->mentions[i].entity]--;
    if (old) memmove(o->mentions, o->mentions + old, (o->nmentions - old) * sizeof *o->mentions);
    o->nmentions -= old;
    size_t body = o->nmentions;
    memset(&u->title, 0, sizeof u->title);
    if (scan(u, 0, t1) < 0) return -1;
    /* the headline's mentions, appended, go back in front */
    size_t n = o->nmentions - body;
    if (!n || !body) return 0; /* nothing to move */
    struct hd_mention *tmp = malloc(n * sizeof *tmp);
    if (!tmp) return -1;
    memcpy(tmp, o->mentions + body, n * sizeof *tmp);
    memmove(o->mentions + n, o->mentions, body * sizeof *o->mentions);
    memcpy(o->mentions, tmp, n * sizeof *tmp);
    free(tmp);
    return 0;
}

/* The mentions in text order, as the header promises: a title that stood
 * for someone without a name after it (الرئيس الإيراني) is added when it
 * ends, after the mentions inside it (its adjective, الإيراني). Stable and
 * linear on what is nearly sorted. */
static void text_order(struct hd_recognition *o)
{
    for (size_t i = 1; i < o->nmentions; i++) {
        struct hd_mention m = o->mentions[i];
        size_t j = i;
        for (; j > 0 && o->mentions[j - 1].start > m.start; j--)
            o->mentions[j] = o->mentions[j - 1];
        o->mentions[j] = m;
    }
}

int hd_recognize(struct hd_recognizer *r, const char *text, size_t len, const struct hd_span *sent,
                 size_t nsent, struct hd_recognition *out)
{
    memset(out, 0, sizeof *out);
    struct run u = {0};
    u.r = r, u.text = text, u.out = out;
    if (hd_tokenize(r->sg, text, len, &u.tk) < 0) return -1;
    u.sent_of = calloc(u.tk.n + 1, sizeof *u.sent_of);
    u.ent_of_kb = calloc(hd_kb_size(r->kb) + 1, sizeof *u.ent_of_kb);
    int rc = -1;
    if (!u.sent_of || !u.ent_of_kb) goto out;
    for (size_t i = 0, s = 0; i < u.tk.n; i++) {
        while (s + 1 < nsent && u.tk.v[i].start >= sent[s].end) s++;
        u.sent_of[i] = s;
    }
    rc = scan(&u, 0, u.tk.n);
    if (rc == 0 && nsent > 1) rc = rescan_title(&u);
    if (rc == 0) drop_weak(&u);
    if (rc == 0) text_order(out);
out:
    hd_tokens_free(&u.tk);
    free(u.sent_of), free(u.ent_of_kb), free(u.shorts), free(u.roles), free(u.counts);
    if (rc < 0) hd_recognition_free(out);
    return rc;
}

void hd_recognition_free(struct hd_recognition *rec)
{
    for (size_t i = 0; i < rec->nentities; i++) {
        struct hd_rec_entity *e = &rec->entities[i];
        free(e->slug), free(e->name), free(e->name_ar), free(e->country), free(e->key);
    }
    free(rec->entities), free(rec->mentions);
    memset(rec, 0, sizeof *rec);
}

#define FIELD(fn, kbfield, own)                                                                    \
    const char *fn(const struct hd_recognizer *r, const struct hd_recognition *rec, size_t i)      \
    {                                                                                              \
        const struct hd_rec_entity *e = &rec->entities[i];                                         \
        return e->kb >= 0 ? hd_kb_get(r->kb, (size_t)e->kb)->kbfield : (own);                      \
    }
FIELD(hd_rec_slug, slug, e->slug)
FIELD(hd_rec_type, type, e->type)
FIELD(hd_rec_name, name, e->name)
FIELD(hd_rec_name_ar, name_ar, e->name_ar)
FIELD(hd_rec_country, country, e->country)

const char *hd_mention_kind_name(enum hd_mention_kind k)
{
    static const char *const names[] = {"name", "short", "role", "adjective"};
    return (unsigned)k < 4 ? names[k] : "name";
}

long hd_recognition_add_kb(struct hd_recognition *rec, long kb)
{
    for (size_t i = 0; i < rec->nentities; i++)
        if (rec->entities[i].kb == kb) return (long)i;
    struct hd_rec_entity *v = realloc(rec->entities, (rec->nentities + 1) * sizeof *v);
    if (!v) return -1;
    rec->entities = v;
    memset(&v[rec->nentities], 0, sizeof *v);
    v[rec->nentities].kb = kb;
    return (long)rec->nentities++;
}
