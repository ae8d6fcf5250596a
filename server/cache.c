/* The response cache. Sixteen shards, each a chained hash table with its own
 * lock and least-recently-used list, so two threads rarely wait for each
 * other. An entry holds libmicrohttpd responses, which are reference counted:
 * queuing one for a connection takes a reference, so an entry evicted while
 * its response is still being sent frees nothing under the sender. */
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cache.h"

#define SHARDS 16
/* a shard is chosen by a key hash's low bits, a bucket by higher ones */
#define BUCKET(h, n) (((h) >> 8) & ((n)-1))
#define DOOR         (1u << 16) /* keys remembered by the doorkeeper */

/* What an allocation of n bytes takes from glibc's heap: its size word,
 * rounded up to 16, at least 32. The cache charges what it holds as the heap
 * sees it, so that --cache-mb bounds memory, not merely the bodies. */
static size_t heap_cost(size_t n)
{
    size_t c = (n + 8 + 15) & ~(size_t)15;
    return c < 32 ? 32 : c;
}

/* libmicrohttpd 0.9.x: a response's struct (measured at 192 bytes), and per
 * header a record and copies of its name and value */
#define RESPONSE_COST 256
#define HEADER_COST   64

struct entry {
    struct entry *chain;       /* next in the bucket */
    struct entry *prev, *next; /* the shard's LRU list, most recent first */
    uint64_t hash;
    long long gen;
    size_t klen, cost;
    struct MHD_Response *full, *not_modified;
    char etag[24];
    struct hd_cache_meta meta;
    char key[]; /* in the same allocation: one hole fewer when it goes */
};

struct shard {
    pthread_mutex_t lock;
    struct entry **buckets; /* a power of two of them, at least count */
    size_t nbuckets;
    struct entry *head, *tail;
    size_t bytes, count;
};

struct hd_cache {
    size_t max_per_shard;  /* entries and bucket arrays together */
    _Atomic long long gen; /* the newest generation seen */
    atomic_ullong hits, misses;
    struct shard shards[SHARDS];
    /* A hash of the keys of recent misses: a reply is kept only when its key
     * is asked for a second time, so that a stream of queries made once
     * each (a crawler, a mix of filters) neither pays for storing replies
     * nor pushes out the ones asked for again and again. */
    _Atomic uint32_t door[DOOR];
};

static uint64_t hash_of(const char *s, size_t n)
{
    uint64_t h = 1469598103934665603ULL;
    for (size_t i = 0; i < n; i++) h = (h ^ (unsigned char)s[i]) * 1099511628211ULL;
    return h;
}

struct hd_cache *hd_cache_new(size_t max_bytes)
{
    struct hd_cache *c = calloc(1, sizeof *c);
    if (!c) return NULL;
    /* the doorkeeper and the shards' first buckets come out of the budget */
    size_t fixed = heap_cost(sizeof *c);
    c->max_per_shard = max_bytes > fixed ? (max_bytes - fixed) / SHARDS : 0;
    for (int i = 0; i < SHARDS; i++) {
        pthread_mutex_init(&c->shards[i].lock, NULL);
        c->shards[i].nbuckets = 256;
        if (!(c->shards[i].buckets = calloc(256, sizeof *c->shards[i].buckets))) {
            hd_cache_free(c);
            return NULL;
        }
        c->shards[i].bytes = heap_cost(256 * sizeof *c->shards[i].buckets);
    }
    return c;
}

size_t hd_cache_overhead(void)
{
    return heap_cost(sizeof(struct hd_cache));
}

static void entry_free(struct entry *e)
{
    MHD_destroy_response(e->full);
    MHD_destroy_response(e->not_modified);
    free(e);
}

static void unlink_entry(struct shard *s, struct entry *e)
{
    struct entry **pp = &s->buckets[BUCKET(e->hash, s->nbuckets)];
    while (*pp != e) pp = &(*pp)->chain;
    *pp = e->chain;
    if (e->prev)
        e->prev->next = e->next;
    else
        s->head = e->next;
    if (e->next)
        e->next->prev = e->prev;
    else
        s->tail = e->prev;
    s->bytes -= e->cost;
    s->count--;
}

static void clear_shard(struct shard *s)
{
    while (s->head) {
        struct entry *e = s->head;
        unlink_entry(s, e);
        entry_free(e);
    }
}

void hd_cache_free(struct hd_cache *c)
{
    if (!c) return;
    for (int i = 0; i < SHARDS; i++) {
        if (c->shards[i].buckets) clear_shard(&c->shards[i]);
        free(c->shards[i].buckets);
        pthread_mutex_destroy(&c->shards[i].lock);
    }
    free(c);
}

/* Makes gen the cache's generation when it is newer, dropping everything;
 * returns 0 when gen is older than what the cache holds (a thread that has
 * not yet seen a re-ingest must neither read nor fill the cache). */
static int settle_generation(struct hd_cache *c, long long gen)
{
    long long cur = atomic_load(&c->gen);
    if (gen == cur) return 1;
    if (gen < cur) return 0;
    if (atomic_compare_exchange_strong(&c->gen, &cur, gen)) {
        for (int i = 0; i < SHARDS; i++) {
            pthread_mutex_lock(&c->shards[i].lock);
            clear_shard(&c->shards[i]);
            pthread_mutex_unlock(&c->shards[i].lock);
        }
    }
    return atomic_load(&c->gen) == gen;
}

/* Doubles the buckets, so chains stay short however many small replies
 * the shard holds; stays as it is when out of memory, or when the larger
 * array would not fit in the shard's share (chains then grow instead). */
static void grow(struct shard *s, size_t max)
{
    size_t n = s->nbuckets * 2;
    size_t more =
        heap_cost(n * sizeof(struct entry *)) - heap_cost(s->nbuckets * sizeof(struct entry *));
    if (s->bytes + more > max) return;
    struct entry **b = calloc(n, sizeof *b);
    if (!b) return;
    s->bytes += more;
    for (size_t i = 0; i < s->nbuckets; i++)
        for (struct entry *e = s->buckets[i], *next; e; e = next) {
            next = e->chain;
            e->chain = b[BUCKET(e->hash, n)];
            b[BUCKET(e->hash, n)] = e;
        }
    free(s->buckets);
    s->buckets = b, s->nbuckets = n;
}

static struct entry *find(struct shard *s, uint64_t h, const char *key, size_t klen)
{
    for (struct entry *e = s->buckets[BUCKET(h, s->nbuckets)]; e; e = e->chain)
        if (e->hash == h && e->klen == klen && !memcmp(e->key, key, klen)) return e;
    return NULL;
}

int hd_cache_serve(struct hd_cache *c, const char *key, size_t klen, long long gen,
                   struct MHD_Connection *conn, const char *if_none_match,
                   struct hd_cache_meta *meta)
{
    if (!settle_generation(c, gen)) return -1;
    uint64_t h = hash_of(key, klen);
    struct shard *s = &c->shards[h % SHARDS];
    pthread_mutex_lock(&s->lock);
    struct entry *e = find(s, h, key, klen);
    if (!e || e->gen != gen) {
        pthread_mutex_unlock(&s->lock);
        atomic_fetch_add(&c->misses, 1);
        return -1;
    }
    if (e != s->head) { /* to the front of the LRU list */
        e->prev->next = e->next;
        if (e->next)
            e->next->prev = e->prev;
        else
            s->tail = e->prev;
        e->prev = NULL, e->next = s->head;
        s->head->prev = e, s->head = e;
    }
    *meta = e->meta;
    int ret;
    /* queued under the lock: queuing takes the connection's reference
     * before an eviction could drop ours */
    if (hd_etag_matches(if_none_match, e->etag)) {
        meta->status = MHD_HTTP_NOT_MODIFIED, meta->bytes = 0;
        ret = MHD_queue_response(conn, MHD_HTTP_NOT_MODIFIED, e->not_modified);
    } else {
        ret = MHD_queue_response(conn, e->meta.status, e->full);
    }
    pthread_mutex_unlock(&s->lock);
    atomic_fetch_add(&c->hits, 1);
    return ret;
}

int hd_cache_admits(struct hd_cache *c, const char *key, size_t klen)
{
    uint64_t h = hash_of(key, klen);
    uint32_t tag = (uint32_t)(h >> 32) | 1;
    _Atomic uint32_t *slot = &c->door[(h >> 8) & (DOOR - 1)];
    if (atomic_load_explicit(slot, memory_order_relaxed) == tag) return 1;
    atomic_store_explicit(slot, tag, memory_order_relaxed);
    return 0;
}

static enum MHD_Result header_cost(void *cls, enum MHD_ValueKind kind, const char *name,
                                   const char *value)
{
    (void)kind;
    *(size_t *)cls += HEADER_COST + heap_cost(strlen(name) + 1) + heap_cost(strlen(value) + 1);
    return MHD_YES;
}

static size_t response_cost(struct MHD_Response *r)
{
    size_t n = RESPONSE_COST;
    MHD_get_response_headers(r, header_cost, &n);
    return n;
}

size_t hd_cache_body_size(size_t n)
{
    /* eight sizes per doubling, at most 1/8 more than asked for: a body let
     * go of leaves a hole that the next body of its size class fills whole,
     * where bodies of every length left holes a few bytes too small for the
     * next, and the heap grew by them */
    size_t c = n + 8;
    if (c <= 256) {
        c = (c + 31) & ~(size_t)31;
    } else {
        size_t step = (size_t)1 << (63 - __builtin_clzll(c) - 3);
        c = (c + step - 1) & ~(step - 1);
    }
    return c - 8;
}

size_t hd_cache_entry_cost(size_t klen, size_t body_bytes, struct MHD_Response *full,
                           struct MHD_Response *not_modified)
{
    return heap_cost(sizeof(struct entry) + klen) + heap_cost(hd_cache_body_size(body_bytes + 1)) +
           response_cost(full) + response_cost(not_modified);
}

void hd_cache_put(struct hd_cache *c, const char *key, size_t klen, long long gen,
                  struct MHD_Response *full, struct MHD_Response *not_modified, const char *etag,
                  const struct hd_cache_meta *meta)
{
    size_t cost = hd_cache_entry_cost(klen, meta->bytes, full, not_modified);
    struct entry *e = NULL;
    if (cost > c->max_per_shard / 4 || !settle_generation(c, gen) ||
        !(e = calloc(1, sizeof *e + klen))) {
        MHD_destroy_response(full);
        MHD_destroy_response(not_modified);
        return;
    }
    memcpy(e->key, key, klen);
    e->klen = klen, e->cost = cost, e->gen = gen, e->meta = *meta;
    e->hash = hash_of(key, klen);
    e->full = full, e->not_modified = not_modified;
    strncpy(e->etag, etag, sizeof e->etag - 1);
    struct shard *s = &c->shards[e->hash % SHARDS];
    pthread_mutex_lock(&s->lock);
    struct entry *old = find(s, e->hash, key, klen);
    if (old) unlink_entry(s, old); /* another thread made it too, or an older generation's */
    if (s->count >= s->nbuckets) grow(s, c->max_per_shard - cost);
    while (s->tail && s->bytes + cost > c->max_per_shard) {
        struct entry *victim = s->tail;
        unlink_entry(s, victim);
        entry_free(victim);
    }
    struct entry **b = &s->buckets[BUCKET(e->hash, s->nbuckets)];
    e->chain = *b, *b = e;
    e->next = s->head;
    if (s->head) s->head->prev = e;
    s->head = e;
    if (!s->tail) s->tail = e;
    s->bytes += cost;
    s->count++;
    pthread_mutex_unlock(&s->lock);
    if (old) entry_free(old);
}

void hd_cache_counts(struct hd_cache *c, size_t *entries, size_t *bytes, unsigned long long *hits,
                     unsigned long long *misses)
{
    *entries = 0, *bytes = hd_cache_overhead();
    for (int i = 0; i < SHARDS; i++) {
        pthread_mutex_lock(&c->shards[i].lock);
        *entries += c->shards[i].count;
        *bytes += c->shards[i].bytes;
        pthread_mutex_unlock(&c->shards[i].lock);
    }
    *hits = atomic_load(&c->hits);
    *misses = atomic_load(&c->misses);
}

/* Appends n bytes and a NUL separator; names and values hold no NUL, so
 * the key of one request can never equal another's. */
static int put(char *buf, size_t cap, size_t *len, const char *s)
{
    size_t n = strlen(s) + 1;
    if (*len + n > cap) return -1;
    memcpy(buf + *len, s, n);
    *len += n;
    return 0;
}

size_t hd_cache_key(const struct hd_request *rq, const char *extra, char *buf, size_t cap)
{
    size_t order[HD_ARGS_MAX], n = rq->nargs, len = 0;
    /* an insertion sort by name, stable, so a repeated name keeps its order */
    for (size_t i = 0; i < n; i++) {
        size_t j = i;
        while (j > 0 && strcmp(rq->args[order[j - 1]].name, rq->args[i].name) > 0) {
            order[j] = order[j - 1];
            j--;
        }
        order[j] = i;
    }
    if (put(buf, cap, &len, rq->method[0] == 'H' ? "GET" : rq->method) < 0 ||
        put(buf, cap, &len, rq->path) < 0 || put(buf, cap, &len, extra ? extra : "") < 0 ||
        put(buf, cap, &len, rq->html ? "html" : "") < 0)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (put(buf, cap, &len, rq->args[order[i]].name) < 0 ||
            put(buf, cap, &len, rq->args[order[i]].value) < 0)
            return 0;
    return len;
}

int hd_etag_matches(const char *inm, const char *etag)
{
    if (!inm) return 0;
    size_t el = strlen(etag);
    for (const char *p = inm; *p;) {
        while (*p == ' ' || *p == ',') p++;
        if (!*p) break;
        if (*p == '*') return 1;
        if (!strncmp(p, "W/", 2)) p += 2;
        size_t n = strcspn(p, ",");
        while (n > 0 && p[n - 1] == ' ') n--;
        if (n == el && !strncmp(p, etag, n)) return 1;
        p += n;
        while (*p && *p != ',') p++;
    }
    return 0;
}
