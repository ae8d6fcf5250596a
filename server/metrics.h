/* Counters for /metrics in the Prometheus text format: requests by route and
 * status, a latency histogram per route, and what the last ingest did. Safe
 * to update from every server thread at once (atomic counters). */
#ifndef HD_METRICS_H
#define HD_METRICS_H

#include <stddef.h>

/* Counts one request answered by route (a template such as "/events/{id}";
 * NULL for a path that names nothing) with status in seconds. */
void hd_metrics_request(const char *route, unsigned status, double seconds);

/* Records the counts and duration of an ingest. */
void hd_metrics_ingest(int ingested, int unchanged, int skipped, int removed, double seconds);

struct hd_cache;
/* Reports c's counts with the rest; NULL to stop (before c is freed). */
void hd_metrics_watch_cache(struct hd_cache *c);

/* The exposition text, with the store's gauges given by the caller; a new
 * string (the caller frees it), or NULL when out of memory. */
char *hd_metrics_render(long long articles, long long entities, long long events, size_t *len);

#endif
