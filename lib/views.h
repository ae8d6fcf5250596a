/* The JSON shapes of the API (see schema/openapi.json), read from the store.
 * Shared by the HTTP handlers and `hadath extract`, so both print the same. */
#ifndef HD_VIEWS_H
#define HD_VIEWS_H

#include <jansson.h>

#include "store.h"

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

#endif
