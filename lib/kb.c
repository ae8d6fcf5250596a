/* The knowledge base. Countries and time-zone cities come from ICU (their
 * Arabic names are ICU's, as the project's rules ask); the rest from the
 * data files, each row with its provenance there. Names are indexed by their
 * matching key in one sorted array, so a lookup is a binary search. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <unicode/ucal.h>
#include <unicode/udat.h>
#include <unicode/uloc.h>
#include <unicode/ures.h>
#include <unicode/ustring.h>

#include "blob.h"
#include "kb.h"
#include "normalize.h"

struct alias {
    char *key;  /* matching key */
    char *text; /* as written */
    size_t ent; /* entity index */
    int flags;  /* HD_KB_ADJECTIVE, HD_KB_CONDITIONAL */
};

struct hd_kb {
    struct hd_kb_entity *ents;
    size_t nents, cap;
    struct alias *aliases; /* in entity order */
    size_t naliases, acap;
    size_t *by_key;      /* alias indexes sorted by key */
    size_t nindexed;     /* how many aliases by_key covers */
    size_t *first_alias; /* per entity: its first alias */
    void (*warn)(void *, const char *);
    void *ctx;
};

static void warnf(struct hd_kb *kb, const char *fmt, const char *a, const char *b)
{
    char msg[512];
    snprintf(msg, sizeof msg, fmt, a, b);
    if (kb->warn) kb->warn(kb->ctx, msg);
}

static char *dupn(const char *s, size_t n)
{
    char *d = malloc(n + 1);
    if (d) memcpy(d, s, n), d[n] = 0;
    return d;
}

static long add_entity(struct hd_kb *kb, const char *slug, const char *type, const char *name,
                       const char *name_ar, const char *wikidata, const char *country)
{
    if (kb->nents == kb->cap) {
        size_t nc = kb->cap ? kb->cap * 2 : 1024;
        struct hd_kb_entity *ne = realloc(kb->ents, nc * sizeof *ne);
        if (!ne) return -1;
        kb->ents = ne, kb->cap = nc;
    }
    struct hd_kb_entity *e = &kb->ents[kb->nents];
    memset(e, 0, sizeof *e);
    e->slug = strdup(slug);
    e->type = type; /* a static string */
    e->name = strdup(name);
    e->name_ar = name_ar && *name_ar ? strdup(name_ar) : NULL;
    e->wikidata = wikidata && *wikidata ? strdup(wikidata) : NULL;
    e->country = country && *country ? strdup(country) : NULL;
    return (long)kb->nents++;
}

static int adding_adjectives; /* set while the loaders add adjective forms */

static void add_alias(struct hd_kb *kb, size_t ent, const char *text, size_t n)
{
    while (n > 0 && (*text == ' ' || *text == '\t')) text++, n--;
    /* "~لولا": a name only once the entity is named in full in the text */
    int conditional = n > 0 && *text == '~';
    if (conditional) text++, n--;
    while (n > 0 && (text[n - 1] == ' ' || text[n - 1] == '\t' || text[n - 1] == '\r')) n--;
    if (n == 0) return;
    char *key = hd_normalize_key(text, n);
    if (!key || !*key) {
        free(key);
        return;
    }
    /* one alias per key and entity */
    for (size_t i = kb->naliases; i-- > 0 && kb->aliases[i].ent == ent;)
        if (!strcmp(kb->aliases[i].key, key)) {
            free(key);
            return;
        }
    if (kb->naliases == kb->acap) {
        size_t nc = kb->acap ? kb->acap * 2 : 4096;
        struct alias *na = realloc(kb->aliases, nc * sizeof *na);
        if (!na) {
            free(key);
            return;
        }
        kb->aliases = na, kb->acap = nc;
    }
    kb->aliases[kb->naliases].key = key;
    kb->aliases[kb->naliases].text = dupn(text, n);
    kb->aliases[kb->naliases].flags =
        (adding_adjectives ? HD_KB_ADJECTIVE : 0) | (conditional ? HD_KB_CONDITIONAL : 0);
    kb->aliases[kb->naliases++].ent = ent;
}

/* Adds s[0..n) with its first `from` replaced by `to`, if it has one;
 * 1 when it had. */
static int add_replaced(struct hd_kb *kb, size_t ent, const char *s, size_t n, const char *from,
                        const char *to)
{
    char buf[512];
    size_t fl = strlen(from), tl = strlen(to);
    const char *p = strstr(s, from);
    if (!p || (size_t)(p - s) + fl > n || n - fl + tl >= sizeof buf) return 0;
    size_t o = (size_t)(p - s), rest = n - o - fl;
    memcpy(buf, s, o);
    memcpy(buf + o, to, tl);
    memcpy(buf + o + tl, p + fl, rest);
    add_alias(kb, ent, buf, o + tl + rest);
    return 1;
}

/* عبد الله and عبدالله are one name written two ways: an alias with the
 * one gets the other too. */
static void add_abd_variant(struct hd_kb *kb, size_t ent, const char *s, size_t n)
{
    static const char spaced[] = "\u0639\u0628\u062F \u0627\u0644"; /* "عبد ال" */
    static const char joined[] = "\u0639\u0628\u062F\u0627\u0644";  /* "عبدال" */
    if (!add_replaced(kb, ent, s, n, spaced, joined)) add_replaced(kb, ent, s, n, joined, spaced);
}

static void add_alias_str(struct hd_kb *kb, size_t ent, const char *s)
{
    if (!s) return;
    add_alias(kb, ent, s, strlen(s));
    add_abd_variant(kb, ent, s, strlen(s));
}

void hd_kb_slugify(const char *name, char *out, size_t cap)
{
    size_t o = 0;
    int dash = 0;
    for (const char *p = name; *p && o + 2 < cap; p++) {
        char c = *p;
        if (c >= 'A' && c <= 'Z') c += 32;
        if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
            if (dash && o) out[o++] = '-';
            out[o++] = c;
            dash = 0;
        } else {
            dash = 1;
        }
    }
    out[o] = 0;
}

static int ends_with(const char *s, const char *suf)
{
    size_t n = strlen(s), m = strlen(suf);
    return n >= m && !memcmp(s + n - m, suf, m);
}

static int starts_with(const char *s, const char *pre)
{
    return !strncmp(s, pre, strlen(pre));
}

#define AL "\u0627\u0644" /* ال */
#define YA "\u064A"       /* ي */
#define TA "\u0629"       /* ة */

/* The masculine nisba stem of a country's word (روسيا > روسي, اليابان >
 * ياباني, الأردن > أردني, أمريكا > أمريكي), into out; 0 when the rule does
 * not hold (a word in ة). */
static int nisba(const char *w, char *out, size_t cap)
{
    if (starts_with(w, AL)) w += 4;
    size_t n = strlen(w);
    /* a word in ة or ي is no country's name noun (الأراضي، المملكة) */
    if (n < 4 || n + 5 > cap || ends_with(w, TA) || ends_with(w, YA)) return 0;
    if (ends_with(w, "\u0627\u0621")) { /* ...اء > ...اوي (صحراء > صحراوي) */
        memcpy(out, w, n - 2);
        memcpy(out + n - 2, "\u0648" YA, 5);
        return 1;
    }
    if (ends_with(w, YA "\u0627"))
        n -= 4; /* ...يا */
    else if (ends_with(w, "\u0627"))
        n -= 2; /* ...ا */
    memcpy(out, w, n);
    memcpy(out + n, YA, 3);
    return 1;
}

/* The masculine stem of an adjective in ية (الشمالية > شمالي); 0 if the word
 * is no such adjective. */
static int adjective(const char *w, char *out, size_t cap)
{
    if (starts_with(w, AL)) w += 4;
    size_t n = strlen(w);
    if (!ends_with(w, YA TA) || n + 1 > cap) return 0;
    memcpy(out, w, n - 2);
    out[n - 2] = 0;
    return 1;
}

/* The seven forms of a masculine adjective of one or more words (كوري
 * شمالي): m, m def, f, f def, pl nom, pl nom def, pl acc def, NUL-separated
 * into buf; returns how many fitted. */
static int adjective_forms(char stems[][128], int nw, char *buf, size_t cap)
{
    /* singular, feminine, and the sound plural in both cases (روسيون،
     * روسيين "Russians"), each with and without the article */
    static const char *const suffix[] = {
        "", "", TA, TA, "\u0648\u0646", "\u0648\u0646", "\u064A\u0646", "\u064A\u0646"};
    static const int definite[] = {0, 1, 0, 1, 0, 1, 1, 0};
    size_t o = 0;
    int count = 0;
    for (int f = 0; f < 8; f++) {
        char form[600] = "";
        for (int i = 0; i < nw; i++) {
            if (i) strcat(form, " ");
            if (definite[f]) strcat(form, AL);
            strcat(form, stems[i]);
            strcat(form, suffix[f]);
        }
        size_t fl = strlen(form);
        if (o + fl + 1 > cap) break;
        memcpy(buf + o, form, fl + 1);
        o += fl + 1;
        count++;
    }
    return count;
}

/* Splits a name into at most four words; 0 if it has more or none. */
static int split_words(const char *name, char words[][128])
{
    int nw = 0;
    const char *p = name;
    while (*p && nw < 4) {
        size_t n = strcspn(p, " ");
        if (n == 0 || n >= 128) return 0;
        memcpy(words[nw], p, n);
        words[nw++][n] = 0;
        p += n;
        while (*p == ' ') p++;
    }
    return *p ? 0 : nw;
}

int hd_kb_country_adjectives(const char *name_ar, char *buf, size_t cap)
{
    char words[4][128], stems[4][128];
    int nw = split_words(name_ar, words);
    if (nw == 0 || !nisba(words[0], stems[0], sizeof stems[0])) return 0;
    for (int i = 1; i < nw; i++)
        if (!adjective(words[i], stems[i], sizeof stems[i])) return 0;
    return adjective_forms(stems, nw, buf, cap);
}

static int uchars_to_utf8(const UChar *u, int32_t n, char *out, size_t cap)
{
    UErrorCode st = U_ZERO_ERROR;
    int32_t len = 0;
    u_strToUTF8(out, (int32_t)cap, &len, u, n, &st);
    return U_SUCCESS(st) && len > 0 && (size_t)len < cap;
}

static void load_countries(struct hd_kb *kb)
{
    for (const char *const *c = uloc_getISOCountries(); *c; c++) {
        char loc[16] = "und_", ar[256], en[256], slug[256], adj[4096];
        UChar buf[128];
        UErrorCode st = U_ZERO_ERROR;
        strncat(loc, *c, sizeof loc - 5);
        int32_t n = uloc_getDisplayCountry(loc, "ar", buf, 128, &st);
        if (U_FAILURE(st) || !uchars_to_utf8(buf, n, ar, sizeof ar)) continue;
        st = U_ZERO_ERROR;
        n = uloc_getDisplayCountry(loc, "en", buf, 128, &st);
        if (U_FAILURE(st) || !uchars_to_utf8(buf, n, en, sizeof en)) continue;
        hd_kb_slugify(en, slug, sizeof slug);
        long e = add_entity(kb, slug, "country", en, ar, NULL, *c);
        if (e < 0) return;
        add_alias_str(kb, (size_t)e, ar);
        add_alias_str(kb, (size_t)e, en);
        char *paren = strstr(ar, " (");
        if (paren) { /* "ميانمار (بورما)": both names */
            add_alias(kb, (size_t)e, ar, (size_t)(paren - ar));
            char *close = strchr(paren, ')');
            if (close) add_alias(kb, (size_t)e, paren + 2, (size_t)(close - paren - 2));
        }
        int na = hd_kb_country_adjectives(ar, adj, sizeof adj);
        adding_adjectives = 1;
        for (int i = 0, at = 0; i < na; i++) {
            add_alias_str(kb, (size_t)e, adj + at);
            at += (int)strlen(adj + at) + 1;
        }
        adding_adjectives = 0;
    }
}

/* A TSV row's columns, in place: at most max, returns how many. */
static int columns(char *line, char **col, int max)
{
    int n = 0;
    for (char *p = line; n < max;) {
        col[n++] = p;
        char *tab = strchr(p, '\t');
        if (!tab) break;
        *tab = 0;
        p = tab + 1;
    }
    return n;
}

static void add_aliases_list(struct hd_kb *kb, size_t e, const char *list)
{
    for (const char *a = list; *a;) {
        size_t n = strcspn(a, "|");
        add_alias(kb, e, a, n);
        add_abd_variant(kb, e, a, n);
        a += n + (a[n] == '|');
    }
}

/* Runs row() over each data row of an embedded TSV file. */
static void each_row(struct hd_kb *kb, const char *blob, int ncols,
                     void (*row)(struct hd_kb *, char **, int))
{
    const struct hd_blob *b = hd_blob_get(blob);
    if (!b) return;
    char *copy = dupn(b->data, b->len);
    int lineno = 0;
    for (char *save = NULL, *line = copy ? strtok_r(copy, "\n", &save) : NULL; line;
         line = strtok_r(NULL, "\n", &save)) {
        lineno++;
        if (*line == '#' || !*line) continue;
        char *col[16];
        int n = columns(line, col, 16);
        if (n < ncols) {
            char where[64];
            snprintf(where, sizeof where, "%s:%d", blob, lineno);
            warnf(kb, "%s: %s columns missing; row skipped", where, "");
            continue;
        }
        row(kb, col, n);
    }
    free(copy);
}

/* countries.tsv: code, other names, masculine adjectives, provenance */
static void country_row(struct hd_kb *kb, char **col, int n)
{
    (void)n;
    long e = -1;
    for (size_t i = 0; i < kb->nents && e < 0; i++)
        if (!strcmp(kb->ents[i].type, "country") && kb->ents[i].country &&
            !strcmp(kb->ents[i].country, col[0]))
            e = (long)i;
    if (e < 0) {
        warnf(kb, "countries.tsv: %s: no such ISO country%s", col[0], "");
        return;
    }
    add_aliases_list(kb, (size_t)e, col[1]);
    for (const char *a = col[2]; *a;) {
        size_t len = strcspn(a, "|");
        char one[256], words[4][128], buf[4096];
        if (len > 0 && len < sizeof one) {
            memcpy(one, a, len);
            one[len] = 0;
            int nw = split_words(one, words);
            int nf = nw ? adjective_forms(words, nw, buf, sizeof buf) : 0;
            adding_adjectives = 1;
            for (int i = 0, at = 0; i < nf; i++) {
                add_alias_str(kb, (size_t)e, buf + at);
                at += (int)strlen(buf + at) + 1;
            }
            adding_adjectives = 0;
        }
        a += len + (a[len] == '|');
    }
}

/* cities.tsv: slug, name_en, name_ar, aliases, country, lat, lon, capital */
static void city_row(struct hd_kb *kb, char **col, int n)
{
    (void)n;
    char *end1, *end2;
    double lat = strtod(col[5], &end1), lon = strtod(col[6], &end2);
    long e = add_entity(kb, col[0], "city", col[1], col[2], NULL, col[4]);
    if (e < 0) return;
    struct hd_kb_entity *ent = &kb->ents[e];
    ent->has_point =
        *end1 == 0 && *end2 == 0 && lat >= -90 && lat <= 90 && lon >= -180 && lon <= 180;
    ent->lat = lat, ent->lon = lon;
    ent->capital = col[7][0] == '1';
    add_alias_str(kb, (size_t)e, col[1]);
    add_alias_str(kb, (size_t)e, col[2]);
    add_aliases_list(kb, (size_t)e, col[3]);
}

/* Words of an entity's role (entities.tsv, English) that put it in sport
 * or business, whose news are no political events. */
static const char *const sport_words[] = {"football", "sports",      "olympic",     "basketball",
                                          "tennis",   "athletics",   "cricket",     "volleyball",
                                          "handball", "motor sport", "formula one", NULL};
static const char *const business_words[] = {
    "company",        "maker",          "airline",        "conglomerate", "retailer", "platform",
    "telecoms group", "social network", "stock exchange", "sportswear",   "carmaker", NULL};

/* 1 when the role (English, any case) has one of words. */
static int role_says(const char *role, const char *const *words)
{
    char low[256];
    size_t n = 0;
    for (; role[n] && n + 1 < sizeof low; n++)
        low[n] = (char)(role[n] >= 'A' && role[n] <= 'Z' ? role[n] - 'A' + 'a' : role[n]);
    low[n] = 0;
    for (size_t i = 0; words[i]; i++)
        if (strstr(low, words[i])) return 1;
    return 0;
}

/* entities.tsv: slug, type, name_en, name_ar, aliases, country, wikidata, role, provenance */
static void entity_row(struct hd_kb *kb, char **col, int n)
{
    (void)n;
    static const char *const types[] = {"person",   "organization", "group",
                                        "facility", "region",       "country"};
    const char *type = NULL;
    for (size_t i = 0; i < sizeof types / sizeof *types; i++)
        if (!strcmp(col[1], types[i])) type = types[i];
    if (!type) {
        warnf(kb, "entities.tsv: %s: unknown type %s; row skipped", col[0], col[1]);
        return;
    }
    long e = add_entity(kb, col[0], type, col[2], col[3], col[6], col[5]);
    if (e < 0) return;
    kb->ents[e].sport = role_says(col[7], sport_words);
    kb->ents[e].commercial = role_says(col[7], business_words);
    add_alias_str(kb, (size_t)e, col[2]);
    add_alias_str(kb, (size_t)e, col[3]);
    add_aliases_list(kb, (size_t)e, col[4]);
}

/* One canonical time zone of ICU's and the region it is in. */
struct zone {
    UChar id[64];
    int32_t len;
    char region[4];
};

/* ICU's canonical location zones, each with its region read from the
 * zoneinfo64 table (Names and Regions, index for index, Names sorted): one
 * walk of the zones, where asking for the zones of each region in turn walks
 * them all once per region (a hundred milliseconds of every first start).
 * Returns how many, or -1; *out is the caller's to free. */
static int icu_zones(struct zone **out)
{
    UErrorCode st = U_ZERO_ERROR;
    UResourceBundle *top = ures_openDirect(NULL, "zoneinfo64", &st);
    UResourceBundle *names = ures_getByKey(top, "Names", NULL, &st);
    UResourceBundle *regions = ures_getByKey(top, "Regions", NULL, &st);
    UEnumeration *all =
        ucal_openTimeZoneIDEnumeration(UCAL_ZONE_TYPE_CANONICAL_LOCATION, NULL, NULL, &st);
    int n = 0, cap = 0;
    struct zone *z = NULL;
    int32_t nnames = U_SUCCESS(st) ? ures_getSize(names) : 0;
    const UChar *id;
    int32_t len;
    while (U_SUCCESS(st) && (id = uenum_unext(all, &len, &st)) != NULL) {
        if (len <= 0 || len >= 64) continue;
        int32_t lo = 0, hi = nnames - 1, at = -1;
        while (lo <= hi) {
            int32_t mid = (lo + hi) / 2, nl = 0;
            UErrorCode s2 = U_ZERO_ERROR;
            const UChar *name = ures_getStringByIndex(names, mid, &nl, &s2);
            int c = U_SUCCESS(s2) ? u_strCompare(id, len, name, nl, 0) : 0;
            if (U_FAILURE(s2)) break;
            if (c == 0) {
                at = mid;
                break;
            }
            if (c < 0)
                hi = mid - 1;
            else
                lo = mid + 1;
        }
        int32_t rl = 0;
        UErrorCode s3 = U_ZERO_ERROR;
        const UChar *r = at >= 0 ? ures_getStringByIndex(regions, at, &rl, &s3) : NULL;
        if (!r || U_FAILURE(s3) || rl <= 0 || rl > 3) continue;
        if (n == cap) {
            struct zone *nz = realloc(z, (size_t)(cap = cap ? 2 * cap : 512) * sizeof *z);
            if (!nz) break;
            z = nz;
        }
        memcpy(z[n].id, id, (size_t)len * sizeof *id);
        z[n].len = len;
        u_UCharsToChars(r, z[n].region, rl);
        z[n].region[rl] = 0;
        n++;
    }
    uenum_close(all);
    ures_close(regions);
    ures_close(names);
    ures_close(top);
    *out = z;
    return U_SUCCESS(st) ? n : -1;
}

/* The time-zone cities ICU knows, country by country, unless cities.tsv
 * already has the city under one of its names. */
static void load_icu_cities(struct hd_kb *kb)
{
    static const UChar pattern[] = {'V', 'V', 'V', 0};
    UErrorCode st = U_ZERO_ERROR;
    struct zone *zones = NULL;
    int nzones = icu_zones(&zones);
    UDateFormat *fmt_ar = udat_open(UDAT_PATTERN, UDAT_PATTERN, "ar", NULL, 0, pattern, 3, &st);
    UDateFormat *fmt_en = udat_open(UDAT_PATTERN, UDAT_PATTERN, "en", NULL, 0, pattern, 3, &st);
    if (U_FAILURE(st) || nzones < 0) goto out;
    for (const char *const *c = uloc_getISOCountries(); *c; c++) {
        for (int zi = 0; zi < nzones; zi++) {
            if (strcmp(zones[zi].region, *c)) continue;
            const UChar *zone = zones[zi].id;
            int32_t zlen = zones[zi].len;
            char ar[256], en[256], slug[256];
            UChar buf[128];
            UDateFormat *fmts[2] = {fmt_ar, fmt_en};
            char *outs[2] = {ar, en};
            int ok = 1;
            for (int l = 0; l < 2 && ok; l++) {
                UErrorCode s3 = U_ZERO_ERROR;
                UCalendar *cal = ucal_open(zone, zlen, "en", UCAL_GREGORIAN, &s3);
                if (U_FAILURE(s3)) {
                    ok = 0;
                    break;
                }
                udat_setCalendar(fmts[l], cal);
                ucal_close(cal);
                int32_t n = udat_format(fmts[l], 0.0, buf, 128, NULL, &s3);
                ok = U_SUCCESS(s3) && uchars_to_utf8(buf, n, outs[l], 256);
            }
            if (!ok) continue;
            char *key = hd_normalize_key(ar, strlen(ar));
            size_t hit;
            int known = key && hd_kb_lookup(kb, key, &hit, 1) > 0;
            free(key);
            if (known) continue;
            hd_kb_slugify(en, slug, sizeof slug);
            if (hd_kb_find_slug(kb, slug) >= 0) continue;
            long e = add_entity(kb, slug, "city", en, ar, NULL, *c);
            if (e < 0) goto out;
            add_alias_str(kb, (size_t)e, ar);
            add_alias_str(kb, (size_t)e, en);
        }
    }
out:
    free(zones);
    if (fmt_ar) udat_close(fmt_ar);
    if (fmt_en) udat_close(fmt_en);
}

static const struct hd_kb *sort_kb; /* qsort has no context argument */

static int by_alias_key(const void *a, const void *b)
{
    const struct alias *x = &sort_kb->aliases[*(const size_t *)a];
    const struct alias *y = &sort_kb->aliases[*(const size_t *)b];
    int c = strcmp(x->key, y->key);
    return c ? c : (x->ent > y->ent) - (x->ent < y->ent);
}

/* Rebuilds the sorted key index and the per-entity alias starts. Runs at
 * start-up only, single-threaded. */
static int reindex(struct hd_kb *kb)
{
    size_t *by_key = realloc(kb->by_key, (kb->naliases + 1) * sizeof *by_key);
    size_t *first = realloc(kb->first_alias, (kb->nents + 1) * sizeof *first);
    if (by_key) kb->by_key = by_key;
    if (first) kb->first_alias = first;
    if (!by_key || !first) return -1;
    for (size_t i = 0; i < kb->naliases; i++) by_key[i] = i;
    sort_kb = kb;
    qsort(by_key, kb->naliases, sizeof *by_key, by_alias_key);
    kb->nindexed = kb->naliases;
    /* aliases were added entity by entity, so each entity's are contiguous */
    size_t a = 0;
    for (size_t e = 0; e <= kb->nents; e++) {
        while (a < kb->naliases && kb->aliases[a].ent < e) a++;
        first[e] = a;
    }
    return 0;
}

struct hd_kb *hd_kb_new(void (*warn)(void *ctx, const char *msg), void *ctx)
{
    struct hd_kb *kb = calloc(1, sizeof *kb);
    if (!kb) return NULL;
    kb->warn = warn, kb->ctx = ctx;
    load_countries(kb);
    each_row(kb, "countries.tsv", 4, country_row);
    each_row(kb, "cities.tsv", 8, city_row);
    if (reindex(kb) < 0) goto oom;
    load_icu_cities(kb);
    each_row(kb, "entities.tsv", 9, entity_row);
    each_row(kb, "regions.tsv", 9, entity_row);
    /* a country's point is its capital's */
    for (size_t i = 0; i < kb->nents; i++) {
        struct hd_kb_entity *c = &kb->ents[i];
        if (!c->capital || !c->has_point || !c->country) continue;
        for (size_t j = 0; j < kb->nents; j++) {
            struct hd_kb_entity *k = &kb->ents[j];
            if (!strcmp(k->type, "country") && !k->has_point && !strcmp(k->country, c->country)) {
                k->lat = c->lat, k->lon = c->lon, k->has_point = 1;
                break;
            }
        }
    }
    if (reindex(kb) < 0) goto oom;
    return kb;
oom:
    hd_kb_free(kb);
    return NULL;
}

void hd_kb_free(struct hd_kb *kb)
{
    if (!kb) return;
    for (size_t i = 0; i < kb->nents; i++) {
        struct hd_kb_entity *e = &kb->ents[i];
        free((char *)e->slug), free((char *)e->name), free((char *)e->name_ar);
        free((char *)e->wikidata), free((char *)e->country);
    }
    for (size_t i = 0; i < kb->naliases; i++) free(kb->aliases[i].key), free(kb->aliases[i].text);
    free(kb->ents), free(kb->aliases), free(kb->by_key), free(kb->first_alias);
    free(kb);
}

static struct hd_kb *shared;
static pthread_once_t shared_once = PTHREAD_ONCE_INIT;

static void warn_stderr(void *ctx, const char *msg)
{
    (void)ctx;
    fprintf(stderr, "hadath: knowledge base: %s\n", msg);
}

static void build_shared(void)
{
    shared = hd_kb_new(warn_stderr, NULL);
}

const struct hd_kb *hd_kb_shared(void)
{
    pthread_once(&shared_once, build_shared);
    return shared;
}

size_t hd_kb_size(const struct hd_kb *kb)
{
    return kb->nents;
}

const struct hd_kb_entity *hd_kb_get(const struct hd_kb *kb, size_t i)
{
    return i < kb->nents ? &kb->ents[i] : NULL;
}

size_t hd_kb_lookup(const struct hd_kb *kb, const char *key, size_t *out, size_t max)
{
    return hd_kb_lookup_names(kb, key, out, NULL, max);
}

size_t hd_kb_lookup_names(const struct hd_kb *kb, const char *key, size_t *out, int *flags,
                          size_t max)
{
    if (!kb->by_key) return 0;
    /* the first alias whose key is not below key */
    size_t lo = 0, hi = kb->nindexed;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (strcmp(kb->aliases[kb->by_key[mid]].key, key) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    size_t n = 0;
    long last = -1;
    for (size_t i = lo; i < kb->nindexed && !strcmp(kb->aliases[kb->by_key[i]].key, key); i++) {
        size_t e = kb->aliases[kb->by_key[i]].ent;
        if ((long)e == last) continue; /* sorted by entity within a key */
        last = (long)e;
        if (n < max) out[n] = e;
        if (n < max && flags) flags[n] = kb->aliases[kb->by_key[i]].flags;
        n++;
    }
    return n;
}

long hd_kb_find_slug(const struct hd_kb *kb, const char *slug)
{
    for (size_t i = 0; i < kb->nents; i++)
        if (!strcmp(kb->ents[i].slug, slug)) return (long)i;
    return -1;
}

const char *hd_kb_alias(const struct hd_kb *kb, size_t i, size_t n)
{
    if (i >= kb->nents || !kb->first_alias) return NULL;
    size_t a = kb->first_alias[i] + n;
    return a < kb->first_alias[i + 1] ? kb->aliases[a].text : NULL;
}
