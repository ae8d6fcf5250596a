/* The JSON shapes of the API (see schema/openapi.json), read from the store.
 * Shared by the HTTP handlers and `hadath extract`, so both print the same. */
#ifndef HD_VIEWS_H
#define HD_VIEWS_H

#include <jansson.h>

#include "store.h"

/* v as json_dumps(v, JSON_COMPACT | JSON_REAL_PRECISION(10)) writes it, into
 * a new string of *len bytes (NUL-terminated), or NULL when out of memory.
 * The event objects and entity summaries these views built for st (st may
 * be NULL) are written from the text kept with them. */
char *hd_view_dumps(struct hd_store *st, const json_t *v, size_t *len);

/* The bound on the bytes of each connection's memo of event objects and
 * entity summaries with their texts (8 MB; 0 restores that), and what st's
 * holds now: for tests. */
void hd_view_memo_limit(size_t bytes);
void hd_view_memo_usage(struct hd_store *st, size_t *entries, size_t *bytes);

/* {"status":"ok","articles":N,"entities":N,"events":N}, or NULL on error. */
json_t *hd_view_health(struct hd_store *st);

/* Up to limit article summaries with id > after, in id order, into *data;
 * *next is the id to continue after (0 when this is the last page) and
 * *total the number of articles. Returns 0, or -1 on a store error. */
int hd_view_articles(struct hd_store *st, long long after, int limit, json_t **data,
                     long long *next, long long *total);

/* The article with its text, entities, mentions and sentence spans in *out:
 * 1 found, 0 no such article, -1 store error. */
int hd_view_article(struct hd_store *st, long long id, json_t **out);

/* Which entities a list shows: any field may be NULL (or 0) for all. */
struct hd_entity_filter {
    const char *type;
    const char *ids; /* a JSON array of entity row ids */
    long long article;
};

/* Up to limit entity summaries with their mention and article counts, most
 * mentioned first, from offset on, into *data; *total counts them all.
 * Returns 0, or -1 on a store error. */
int hd_view_entities(struct hd_store *st, const struct hd_entity_filter *f, long long offset,
                     int limit, json_t **data, long long *total);

/* The entity with row id: its summary, counts, aliases and the entities that
 * share sentences with it, in *out: 1 found, 0 not, -1 store error. */
int hd_view_entity(struct hd_store *st, long long id, json_t **out);

/* The bare summary of entity row id, or NULL. */
json_t *hd_view_entity_summary(struct hd_store *st, long long id);

/* Which events a list shows: any field may be NULL (or 0) for all. The
 * entity fields are JSON arrays of entity row ids, the others JSON arrays
 * of the values allowed. */
struct hd_event_filter {
    const char *actor, *target, *participant, *location;
    const char *type, *cameo, *plover, *modality, *country;
    long long article;
    const char *from, *to; /* ISO dates, inclusive */
    const char *q;         /* an FTS5 query the sentence must match (hd_fts_query) */
    int group;             /* one row per cluster (the first report that passes) */
};

/* Up to limit events into *data, in the order sort names ("id", NULL the
 * same, "date", "-date"; undated events last): by id after the id after,
 * by date from position offset. *next is the id (by id) or the position (by
 * date) to go on from, 0 on the last page; *total (may be NULL) counts
 * them all. Returns 0, or -1 on a store error. */
int hd_view_events(struct hd_store *st, const struct hd_event_filter *f, const char *sort,
                   long long after, long long offset, int limit, json_t **data, long long *next,
                   long long *total);

/* The event with id in *out (its cluster with the articles it was reported
 * in): 1 found, 0 not, -1 store error. */
int hd_view_event(struct hd_store *st, long long id, json_t **out);

/* Sentences matching fts (an FTS5 query from hd_fts_query), best first,
 * from position offset: up to limit hits into *data, each with its
 * article, text, an HTML-safe snippet with <mark> around the matches, and
 * its rank; *total counts them all. article, if not 0, keeps one article's.
 * Returns 0, or -1 on a store error (an FTS5 query error among them). */
int hd_view_search(struct hd_store *st, const char *fts, long long article, long long offset,
                   int limit, json_t **data, long long *total);

/* Counts for dashboards: entities by type, events by type, modality and
 * month, and the top most frequent actors and targets. Returns 0, or -1. */
int hd_view_stats(struct hd_store *st, int top, json_t **out);

#endif
