/* A bounded cache of finished responses, keyed by the canonical request (path
 * and sorted parameters) and the database generation: a repeated query is
 * answered without touching the store. Safe to use from every server thread. */
#ifndef HD_CACHE_H
#define HD_CACHE_H

#include <microhttpd.h>
#include <stddef.h>

#include "http.h"

struct hd_cache;

/* What the access log and the metrics need of a cached reply. */
struct hd_cache_meta {
    unsigned status;
    size_t bytes;
    const char *route; /* a static route template */
};

/* A cache holding up to max_bytes of heap in all: the replies' bodies, keys
 * and libmicrohttpd responses (both forms, with their headers), its own
 * records, hash buckets and doorkeeper, each allocation as glibc's heap
 * counts it. NULL when out of memory. hd_cache_free releases every response
 * it holds. */
struct hd_cache *hd_cache_new(size_t max_bytes);
void hd_cache_free(struct hd_cache *c);

/* What to allocate for a body of n bytes (its NUL included) that is to be
 * put in the cache: n rounded up to a size class. */
size_t hd_cache_body_size(size_t n);

/* What a cache takes whatever it holds (its doorkeeper, its shards), and
 * what hd_cache_put charges for an entry whose body, of body_bytes and a
 * NUL, was allocated as hd_cache_body_size says; for tests. */
size_t hd_cache_overhead(void);
size_t hd_cache_entry_cost(size_t klen, size_t body_bytes, struct MHD_Response *full,
                           struct MHD_Response *not_modified);

/* The canonical key of rq (its path, whether it asks for HTML, and its
 * parameters sorted by name, the
 * values of a repeated name kept in order) with extra (e.g. the allowed CORS
 * origin) appended, in buf; its length, or 0 when it does not fit. */
size_t hd_cache_key(const struct hd_request *rq, const char *extra, char *buf, size_t cap);

/* Queues the cached reply to key made under generation gen on conn (the 304
 * form when if_none_match names its ETag) and fills *meta; returns the
 * MHD_queue_response result, or -1 on a miss. Entries of an older
 * generation are dropped as the first newer generation is seen. */
int hd_cache_serve(struct hd_cache *c, const char *key, size_t klen, long long gen,
                   struct MHD_Connection *conn, const char *if_none_match,
                   struct hd_cache_meta *meta);

/* Whether a reply to key, just missed, should be stored: only when the key
 * was missed recently before (the doorkeeper remembers it now). */
int hd_cache_admits(struct hd_cache *c, const char *key, size_t klen);

/* Stores full (a 200) and its bodiless 304 form under key and gen; takes one
 * reference of each, whether it keeps them or not. */
void hd_cache_put(struct hd_cache *c, const char *key, size_t klen, long long gen,
                  struct MHD_Response *full, struct MHD_Response *not_modified, const char *etag,
                  const struct hd_cache_meta *meta);

/* Entries, bytes held (as hd_cache_new counts them), hits and misses so
 * far, for /metrics. */
void hd_cache_counts(struct hd_cache *c, size_t *entries, size_t *bytes, unsigned long long *hits,
                     unsigned long long *misses);

/* Does If-None-Match (a list of tags, W/ prefixes, or *) name etag? */
int hd_etag_matches(const char *if_none_match, const char *etag);

#endif
