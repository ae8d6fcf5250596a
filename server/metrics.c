/* Prometheus metrics. Routes get their slots on first use under a lock;
 * after that every update is one atomic add, so the hot path never waits. */
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cache.h"
#include "metrics.h"

#define MAX_ROUTES 24
static const unsigned statuses[] = {200, 204, 304, 400, 404, 405, 414, 500, 503};
#define NSTATUS (sizeof statuses / sizeof *statuses)
/* upper bounds in seconds; one more bucket for +Inf */
static const double bounds[] = {0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005,
                                0.01,   0.025,   0.05,   0.1,   0.25,   1};
#define NBOUNDS (sizeof bounds / sizeof *bounds)

struct route_counts {
    const char *name;                       /* NULL: free slot */
    unsigned long long status[NSTATUS + 1]; /* the last: any other status */
    unsigned long long bucket[NBOUNDS + 1];
    unsigned long long micros; /* sum of durations */
};

static struct route_counts routes[MAX_ROUTES];
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

static struct {
    long long ingested, unchanged, skipped, removed, runs;
    double seconds, last;
} ingest;

static struct route_counts *slot(const char *route)
{
    if (!route) route = "other";
    for (int i = 0; i < MAX_ROUTES; i++) {
        const char *n = __atomic_load_n(&routes[i].name, __ATOMIC_ACQUIRE);
        if (n && (n == route || !strcmp(n, route))) return &routes[i];
        if (!n) break;
    }
    struct route_counts *r = NULL;
    pthread_mutex_lock(&lock);
    for (int i = 0; i < MAX_ROUTES && !r; i++) {
        if (!routes[i].name) {
            __atomic_store_n(&routes[i].name, route, __ATOMIC_RELEASE);
            r = &routes[i];
        } else if (!strcmp(routes[i].name, route)) {
            r = &routes[i];
        }
    }
    pthread_mutex_unlock(&lock);
    return r;
}

void hd_metrics_request(const char *route, unsigned status, double seconds)
{
    struct route_counts *r = slot(route);
    if (!r) return;
    size_t s = 0;
    while (s < NSTATUS && statuses[s] != status) s++;
    size_t b = 0;
    while (b < NBOUNDS && seconds > bounds[b]) b++;
    __atomic_fetch_add(&r->status[s], 1, __ATOMIC_RELAXED);
    __atomic_fetch_add(&r->bucket[b], 1, __ATOMIC_RELAXED);
    __atomic_fetch_add(&r->micros, (unsigned long long)(seconds * 1e6 + 0.5), __ATOMIC_RELAXED);
}

void hd_metrics_ingest(int ingested, int unchanged, int skipped, int removed, double seconds)
{
    pthread_mutex_lock(&lock);
    ingest.ingested += ingested, ingest.unchanged += unchanged;
    ingest.skipped += skipped, ingest.removed += removed;
    ingest.runs++, ingest.seconds += seconds, ingest.last = seconds;
    pthread_mutex_unlock(&lock);
}

struct out {
    char *s;
    size_t len, cap;
    int failed;
};

static void say(struct out *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void say(struct out *o, const char *fmt, ...)
{
    for (;;) {
        va_list ap;
        va_start(ap, fmt);
        int n = vsnprintf(o->s + o->len, o->cap - o->len, fmt, ap);
        va_end(ap);
        if (n < 0) {
            o->failed = 1;
            return;
        }
        if ((size_t)n < o->cap - o->len) {
            o->len += (size_t)n;
            return;
        }
        size_t cap = (o->cap + (size_t)n) * 2;
        char *s = realloc(o->s, cap);
        if (!s) {
            o->failed = 1;
            return;
        }
        o->s = s, o->cap = cap;
    }
}

static struct hd_cache *cache; /* the server's response cache, when it has one */

void hd_metrics_watch_cache(struct hd_cache *c)
{
    __atomic_store_n(&cache, c, __ATOMIC_RELEASE);
}

char *hd_metrics_render(long long articles, long long entities, long long events, size_t *len)
{
    struct out o = {malloc(8192), 0, 8192, 0};
    if (!o.s) return NULL;
    o.s[0] = 0;
    say(&o, "# HELP hadath_http_requests_total HTTP requests answered, by route and status.\n"
            "# TYPE hadath_http_requests_total counter\n");
    for (int i = 0; i < MAX_ROUTES && routes[i].name; i++) {
        struct route_counts *r = &routes[i];
        for (size_t s = 0; s <= NSTATUS; s++) {
            unsigned long long n = __atomic_load_n(&r->status[s], __ATOMIC_RELAXED);
            if (!n) continue;
            if (s < NSTATUS)
                say(&o, "hadath_http_requests_total{route=\"%s\",status=\"%u\"} %llu\n", r->name,
                    statuses[s], n);
            else
                say(&o, "hadath_http_requests_total{route=\"%s\",status=\"other\"} %llu\n", r->name,
                    n);
        }
    }
    say(&o, "# HELP hadath_http_request_duration_seconds Time from a request's first line to its "
            "reply, by route.\n"
            "# TYPE hadath_http_request_duration_seconds histogram\n");
    for (int i = 0; i < MAX_ROUTES && routes[i].name; i++) {
        struct route_counts *r = &routes[i];
        unsigned long long cum = 0;
        for (size_t b = 0; b <= NBOUNDS; b++) {
            cum += __atomic_load_n(&r->bucket[b], __ATOMIC_RELAXED);
            if (b < NBOUNDS)
                say(&o,
                    "hadath_http_request_duration_seconds_bucket{route=\"%s\",le=\"%g\"} %llu\n",
                    r->name, bounds[b], cum);
            else
                say(&o,
                    "hadath_http_request_duration_seconds_bucket{route=\"%s\",le=\"+Inf\"} %llu\n",
                    r->name, cum);
        }
        say(&o, "hadath_http_request_duration_seconds_sum{route=\"%s\"} %.6f\n", r->name,
            (double)__atomic_load_n(&r->micros, __ATOMIC_RELAXED) / 1e6);
        say(&o, "hadath_http_request_duration_seconds_count{route=\"%s\"} %llu\n", r->name, cum);
    }
    struct hd_cache *c = __atomic_load_n(&cache, __ATOMIC_ACQUIRE);
    if (c) {
        size_t entries, bytes;
        unsigned long long hits, misses;
        hd_cache_counts(c, &entries, &bytes, &hits, &misses);
        say(&o,
            "# HELP hadath_cache_lookups_total Response cache lookups, by result.\n"
            "# TYPE hadath_cache_lookups_total counter\n"
            "hadath_cache_lookups_total{result=\"hit\"} %llu\n"
            "hadath_cache_lookups_total{result=\"miss\"} %llu\n"
            "# HELP hadath_cache_entries Replies held by the response cache.\n"
            "# TYPE hadath_cache_entries gauge\n"
            "hadath_cache_entries %zu\n"
            "# HELP hadath_cache_bytes Bytes held by the response cache.\n"
            "# TYPE hadath_cache_bytes gauge\n"
            "hadath_cache_bytes %zu\n",
            hits, misses, entries, bytes);
    }
    pthread_mutex_lock(&lock);
    say(&o,
        "# HELP hadath_ingest_documents_total Documents seen by ingests since start, by outcome.\n"
        "# TYPE hadath_ingest_documents_total counter\n"
        "hadath_ingest_documents_total{status=\"ingested\"} %lld\n"
        "hadath_ingest_documents_total{status=\"unchanged\"} %lld\n"
        "hadath_ingest_documents_total{status=\"skipped\"} %lld\n"
        "hadath_ingest_documents_total{status=\"removed\"} %lld\n"
        "# HELP hadath_ingest_runs_total Ingests since start.\n"
        "# TYPE hadath_ingest_runs_total counter\n"
        "hadath_ingest_runs_total %lld\n"
        "# HELP hadath_ingest_duration_seconds Time spent ingesting since start.\n"
        "# TYPE hadath_ingest_duration_seconds counter\n"
        "hadath_ingest_duration_seconds %.6f\n"
        "# HELP hadath_ingest_last_duration_seconds Duration of the last ingest.\n"
        "# TYPE hadath_ingest_last_duration_seconds gauge\n"
        "hadath_ingest_last_duration_seconds %.6f\n",
        ingest.ingested, ingest.unchanged, ingest.skipped, ingest.removed, ingest.runs,
        ingest.seconds, ingest.last);
    pthread_mutex_unlock(&lock);
    say(&o,
        "# HELP hadath_store_articles Articles in the store.\n# TYPE hadath_store_articles gauge\n"
        "hadath_store_articles %lld\n"
        "# HELP hadath_store_entities Entities in the store.\n# TYPE hadath_store_entities gauge\n"
        "hadath_store_entities %lld\n"
        "# HELP hadath_store_events Events in the store.\n# TYPE hadath_store_events gauge\n"
        "hadath_store_events %lld\n",
        articles, entities, events);
    if (o.failed) {
        free(o.s);
        return NULL;
    }
    *len = o.len;
    return o.s;
}
