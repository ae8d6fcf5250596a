/* The knowledge base of entities a news text can name: every ISO 3166
 * country with its Arabic and English names from ICU and the adjectives
 * news derives from them (روسيا > الروسي، الروسية، الروس...), the cities of
 * ICU's time zones and of lib/data/cities.tsv, and the people and
 * organisations of lib/data/entities.tsv. Built once at start-up, then read
 * without locks. Recognition in text and the store build on it. */
#ifndef HD_KB_H
#define HD_KB_H

#include <stddef.h>

struct hd_kb_entity {
    const char *slug; /* stable public id: "russia", "pyongyang", "kim-jong-un" */
    const char *type; /* person, country, city, region, organization, facility, group */
    const char *name; /* English */
    const char *name_ar;
    const char *wikidata; /* or NULL */
    const char *country;  /* ISO 3166-1 alpha-2, or NULL */
    double lat, lon;      /* valid when has_point */
    int has_point;
    int capital;    /* a national capital */
    int sport;      /* a sports body or club (its role in entities.tsv says so) */
    int commercial; /* a company, a brand, an exchange (likewise) */
};

struct hd_kb;

/* Builds the knowledge base. Bad data rows are reported through warn (one
 * message each, may be NULL) and skipped. NULL when out of memory. */
struct hd_kb *hd_kb_new(void (*warn)(void *ctx, const char *msg), void *ctx);
void hd_kb_free(struct hd_kb *kb);

/* The process's knowledge base, built on first use (its bad rows reported
 * on stderr) and kept for the life of the process; NULL when out of
 * memory. Safe to call from several threads. */
const struct hd_kb *hd_kb_shared(void);

size_t hd_kb_size(const struct hd_kb *kb);
const struct hd_kb_entity *hd_kb_get(const struct hd_kb *kb, size_t i);

/* The entities one of whose names has the matching key key (a
 * hd_normalize_key() form): their indexes in out (at most max); returns how
 * many there are in all. */
size_t hd_kb_lookup(const struct hd_kb *kb, const char *key, size_t *out, size_t max);

/* What a name is to an entity: a derived adjective (الروسية) rather than a
 * name; a conditional alias ("~لولا" in the data), a name only where the
 * entity was named in full before. */
#define HD_KB_ADJECTIVE   1
#define HD_KB_CONDITIONAL 2

/* hd_kb_lookup(), and for each entity found the HD_KB_ flags of the name in
 * flags[] (may be NULL). */
size_t hd_kb_lookup_names(const struct hd_kb *kb, const char *key, size_t *out, int *flags,
                          size_t max);

/* The entity with this slug, or -1. */
long hd_kb_find_slug(const struct hd_kb *kb, const char *slug);

/* The names of entity i, each as written in the data (call with n = 0,
 * 1, ... until it returns NULL). */
const char *hd_kb_alias(const struct hd_kb *kb, size_t i, size_t n);

/* The adjective forms Arabic news derives from a country's name, by rule:
 * كوريا الشمالية > كوري شمالي، الكوري الشمالي، كورية شمالية، الكورية
 * الشمالية، الكوريون الشماليون... Writes them, NUL-separated, into buf and
 * returns how many; 0 where the rule does not hold (names of several words
 * that are not noun + adjective, such as المملكة المتحدة). */
int hd_kb_country_adjectives(const char *name_ar, char *buf, size_t cap);

/* A slug from an English name into out (cap bytes): "North Korea" >
 * "north-korea"; the form of every entity id. */
void hd_kb_slugify(const char *name, char *out, size_t cap);

#endif
