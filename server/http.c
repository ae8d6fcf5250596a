/* libmicrohttpd glue. The access handler answers on its second call, never
 * the first: queuing on the first call makes libmicrohttpd close every
 * connection after the response (a fourfold throughput loss, see NOTES).
 * Everything a reply carries besides its body is added here, once. */
#include <arpa/inet.h>
#include <netdb.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "cache.h"
#include "dbfile.h"
#include "http.h"
#include "metrics.h"
#include "routes.h"
#include "utf8.h"
#include "views.h"

struct hd_http {
    struct MHD_Daemon *d;
    struct hd_http_config cfg;
    struct hd_cache *cache; /* NULL when cfg.cache_bytes is 0 */
};

/* Per-request state, kept between the calls of the access handler. */
struct req_ctx {
    struct timespec start;
    int called; /* the access handler has been called once */
    int too_long;
    unsigned status;
    size_t bytes;
    const char *route;
    char method[8];
    char client[64];
    char target[256]; /* the request target as sent, query included, for the log */
};

void hd_http_config_defaults(struct hd_http_config *cfg)
{
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    memset(cfg, 0, sizeof *cfg);
    cfg->listen = "127.0.0.1";
    cfg->port = 8080;
    cfg->threads = cores > 0 ? (int)cores : 1;
    cfg->access_log = 1;
    cfg->base_path = "";
    cfg->cors = "*";
    cfg->max_age = 60;
    cfg->max_limit = 1000;
    cfg->max_url = 8192;
    cfg->max_connections = 1024;
    cfg->max_per_client = 0;
    cfg->idle_timeout = 30;
    cfg->cache_bytes = (size_t)64 << 20;
}

/* libmicrohttpd's URI log callback runs first for every request: its result
 * becomes the request's state, and it alone sees the target as sent. */
static void *request_begins(void *cls, const char *uri, struct MHD_Connection *c)
{
    struct hd_http *h = cls;
    (void)c;
    struct req_ctx *rc = calloc(1, sizeof *rc);
    if (!rc) return NULL;
    clock_gettime(CLOCK_MONOTONIC, &rc->start);
    rc->too_long = strlen(uri) > h->cfg.max_url;
    snprintf(rc->target, sizeof rc->target, "%s", uri);
    return rc;
}

/* One store connection per server thread: SQLite connections are not to be
 * shared between threads, and a per-thread one needs no locking. It reads
 * one generation of the database (dbfile.h), which nobody writes; when a
 * newer one is published the thread opens that at its next request, and a
 * request already running finishes on the old one. */
static _Thread_local struct hd_store *tl_store;
static _Thread_local long long tl_gen = -1;   /* tl_store's database generation */
static _Thread_local char tl_file[256];       /* what hd_db_moved compares */
static _Thread_local struct timespec tl_seen; /* when the link was last read */
static pthread_mutex_t stores_lock = PTHREAD_MUTEX_INITIALIZER;
static struct hd_store **stores;
static size_t nstores;
static const char *store_path;

static void forget_store(struct hd_store *st)
{
    pthread_mutex_lock(&stores_lock);
    for (size_t i = 0; i < nstores; i++)
        if (stores[i] == st) {
            stores[i] = stores[--nstores];
            break;
        }
    pthread_mutex_unlock(&stores_lock);
    hd_store_close(st);
}

/* Whether a newer generation may have been published. Reading the link is
 * a system call, so under load it is read at most once a millisecond: a
 * reply may then come from the generation before one published a
 * millisecond earlier, no older. */
static int maybe_moved(void)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    long long ns = (now.tv_sec - tl_seen.tv_sec) * 1000000000LL + (now.tv_nsec - tl_seen.tv_nsec);
    if (ns < 1000000 && ns >= 0) return 0;
    tl_seen = now;
    return hd_db_moved(store_path, tl_file);
}

static struct hd_store *thread_store(void)
{
    if (tl_store && !maybe_moved()) return tl_store;
    if (tl_store) forget_store(tl_store);
    tl_store = NULL;
    char err[512];
    struct hd_store *st = hd_db_open_reader(store_path, tl_file, sizeof tl_file, err, sizeof err);
    if (!st) {
        fprintf(stderr, "hadath: opening the store: %s\n", err);
        return NULL;
    }
    pthread_mutex_lock(&stores_lock);
    struct hd_store **ns = realloc(stores, (nstores + 1) * sizeof *ns);
    if (ns) stores = ns, stores[nstores++] = st;
    pthread_mutex_unlock(&stores_lock);
    if (!ns) {
        hd_store_close(st);
        return NULL;
    }
    tl_gen = hd_store_generation(st);
    clock_gettime(CLOCK_MONOTONIC, &tl_seen);
    return tl_store = st;
}

void hd_reply_clear(struct hd_reply *rp)
{
    json_decref(rp->body);
    free(rp->text);
    free(rp->link_next);
    rp->body = NULL, rp->text = NULL, rp->link_next = NULL;
}

void hd_reply_problem(struct hd_reply *rp, unsigned status, const char *title, const char *param,
                      const char *fmt, ...)
{
    char detail[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(detail, sizeof detail, fmt, ap);
    va_end(ap);
    /* the detail may quote what a client sent (a path, a value), which
     * need not be UTF-8: json_pack() refuses such a string, and the reply
     * went out with no body; its bad bytes become '?' */
    size_t n = strlen(detail);
    for (long at = 0, bad; (bad = hd_utf8_invalid_at(detail + at, n - (size_t)at)) >= 0;
         at += bad + 1)
        detail[at + bad] = '?';
    hd_reply_clear(rp);
    rp->status = status;
    rp->content_type = "application/problem+json; charset=utf-8";
    rp->filename = NULL, rp->total = -1;
    rp->body = json_pack("{s:s, s:s, s:i, s:s}", "type", "about:blank", "title", title, "status",
                         (int)status, "detail", detail);
    if (param) json_object_set_new(rp->body, "parameter", json_string(param));
}

static void log_line(struct req_ctx *rc)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    long long us =
        (now.tv_sec - rc->start.tv_sec) * 1000000LL + (now.tv_nsec - rc->start.tv_nsec) / 1000;
    char line[512];
    int n = snprintf(line, sizeof line, "%s %s %s %u %zu %lldus\n", rc->client, rc->method,
                     rc->target, rc->status, rc->bytes, us);
    if (n > 0) {
        /* one write, so that lines from several threads never interleave */
        ssize_t w = write(2, line, (size_t)n < sizeof line ? (size_t)n : sizeof line - 1);
        (void)w;
    }
}

static void completed(void *cls, struct MHD_Connection *c, void **req_cls,
                      enum MHD_RequestTerminationCode toe)
{
    struct hd_http *h = cls;
    struct req_ctx *rc = *req_cls;
    (void)c, (void)toe;
    if (!rc) return;
    if (rc->status) {
        struct timespec now;
        clock_gettime(CLOCK_MONOTONIC, &now);
        double s = (double)(now.tv_sec - rc->start.tv_sec) +
                   (double)(now.tv_nsec - rc->start.tv_nsec) / 1e9;
        hd_metrics_request(rc->route, rc->status, s);
        if (h->cfg.access_log) log_line(rc);
    }
    free(rc);
    *req_cls = NULL;
}

/* The client's address: the socket's peer, or behind a trusted proxy the
 * last address of X-Forwarded-For (the one the proxy itself appended). */
static void client_address(struct hd_http *h, struct MHD_Connection *conn, char *out, size_t cap)
{
    snprintf(out, cap, "-");
    if (h->cfg.trust_proxy) {
        const char *xff = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "X-Forwarded-For");
        if (xff && *xff) {
            const char *last = strrchr(xff, ',');
            last = last ? last + 1 : xff;
            while (*last == ' ') last++;
            size_t n = strcspn(last, " ");
            char addr[64];
            unsigned char bin[16];
            /* only a well-formed address reaches the log */
            if (n > 0 && n < sizeof addr && n < cap) {
                memcpy(addr, last, n), addr[n] = 0;
                if (inet_pton(AF_INET, addr, bin) == 1 || inet_pton(AF_INET6, addr, bin) == 1) {
                    memcpy(out, addr, n + 1);
                    return;
                }
            }
        }
    }
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    if (!ci || !ci->client_addr) return;
    const struct sockaddr *sa = ci->client_addr;
    if (sa->sa_family == AF_INET)
        inet_ntop(AF_INET, &((const struct sockaddr_in *)(const void *)sa)->sin_addr, out,
                  (socklen_t)cap);
    else if (sa->sa_family == AF_INET6)
        inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr, out,
                  (socklen_t)cap);
}

static enum MHD_Result collect_arg(void *cls, enum MHD_ValueKind kind, const char *key,
                                   const char *value)
{
    struct hd_request *rq = cls;
    (void)kind;
    if (rq->nargs < HD_ARGS_MAX) {
        rq->args[rq->nargs].name = key;
        rq->args[rq->nargs].value = value ? value : "";
        rq->nargs++;
    }
    return MHD_YES;
}

/* FNV-1a over the body: a strong ETag that costs a few microseconds. */
static void etag_of(const char *body, size_t len, char out[20])
{
    uint64_t h = 1469598103934665603ULL;
    for (size_t i = 0; i < len; i++) h = (h ^ (unsigned char)body[i]) * 1099511628211ULL;
    snprintf(out, 20, "\"%016llx\"", (unsigned long long)h);
}

/* The origin to allow for this request, or NULL for none. */
static const char *cors_origin(struct hd_http *h, struct MHD_Connection *conn)
{
    if (!strcmp(h->cfg.cors, "*")) return "*";
    const char *origin = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Origin");
    if (!origin || !*origin) return NULL;
    size_t ol = strlen(origin);
    for (const char *p = h->cfg.cors; *p;) {
        while (*p == ' ' || *p == ',') p++;
        size_t n = strcspn(p, ",");
        size_t m = n;
        while (m > 0 && p[m - 1] == ' ') m--;
        if (m == ol && !strncmp(p, origin, m)) return origin;
        p += n;
    }
    return NULL;
}

/* A response with body (taken: freed with the response) and every header
 * the reply rp sent with status carries; NULL when out of memory. */
static struct MHD_Response *make_response(struct hd_http *h, struct MHD_Connection *conn,
                                          const struct req_ctx *rc, const struct hd_reply *rp,
                                          unsigned status, char *body, size_t len, const char *etag)
{
    struct MHD_Response *r = MHD_create_response_from_buffer_with_free_callback(
        len, body ? body : "", body ? free : NULL);
    if (!r) {
        free(body);
        return NULL;
    }
    if (status != 304 && status != 204)
        MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE,
                                rp->content_type ? rp->content_type
                                                 : "application/json; charset=utf-8");
    if (rp->allow) MHD_add_response_header(r, MHD_HTTP_HEADER_ALLOW, rp->allow);
    if (etag) {
        char cc[64];
        if (rp->revalidate)
            snprintf(cc, sizeof cc, "no-cache");
        else
            snprintf(cc, sizeof cc, "public, max-age=%d", h->cfg.max_age);
        MHD_add_response_header(r, MHD_HTTP_HEADER_ETAG, etag);
        MHD_add_response_header(r, MHD_HTTP_HEADER_CACHE_CONTROL, cc);
    } else {
        MHD_add_response_header(r, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
    }
    if (rp->filename && status == 200) {
        char cd[160];
        snprintf(cd, sizeof cd, "attachment; filename=\"%s\"", rp->filename);
        MHD_add_response_header(r, "Content-Disposition", cd);
    }
    if (rp->link_next && status == 200) {
        char *link = malloc(strlen(rp->link_next) + 32);
        if (link) {
            sprintf(link, "<%s>; rel=\"next\"", rp->link_next);
            MHD_add_response_header(r, "Link", link);
            free(link);
        }
    }
    if (rp->total >= 0 && status == 200) {
        char n[24];
        snprintf(n, sizeof n, "%lld", rp->total);
        MHD_add_response_header(r, "X-Total-Count", n);
    }
    if (rp->csp) MHD_add_response_header(r, "Content-Security-Policy", rp->csp);
    MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
    const char *origin = cors_origin(h, conn);
    int vary_origin = strcmp(h->cfg.cors, "*") != 0;
    if (rp->vary || vary_origin)
        MHD_add_response_header(r, "Vary",
                                !rp->vary     ? "Origin"
                                : vary_origin ? "Accept, Origin"
                                              : rp->vary);
    if (origin) {
        MHD_add_response_header(r, "Access-Control-Allow-Origin", origin);
        MHD_add_response_header(r, "Access-Control-Expose-Headers",
                                "ETag, Link, X-Total-Count, Content-Disposition");
        const char *preflight =
            MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Access-Control-Request-Method");
        if (preflight && !strcmp(rc->method, "OPTIONS")) {
            const char *hdrs = MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
                                                           "Access-Control-Request-Headers");
            MHD_add_response_header(r, "Access-Control-Allow-Methods", "GET, HEAD, OPTIONS");
            MHD_add_response_header(r, "Access-Control-Allow-Headers",
                                    hdrs && *hdrs ? hdrs : "If-None-Match");
            MHD_add_response_header(r, "Access-Control-Max-Age", "86400");
        }
    }
    return r;
}

/* The request's place in the response cache: its key, and the generation
 * of the database it was answered from; klen 0 when it is not cached. */
struct cache_slot {
    char key[2048];
    size_t klen;
    long long gen;
};

static enum MHD_Result queue_reply(struct hd_http *h, struct MHD_Connection *conn,
                                   struct req_ctx *rc, struct hd_reply *rp, struct hd_store *st,
                                   const struct cache_slot *slot)
{
    char *body = NULL;
    size_t len = 0;
    if (rp->text) {
        body = rp->text, len = rp->text_len;
        rp->text = NULL;
    } else if (rp->body) {
        body = hd_view_dumps(st, rp->body, &len);
        if (!body) return MHD_NO;
        /* a trailing newline is friendly to curl users and costs nothing */
        char *nb = realloc(body, len + 2);
        if (nb) body = nb, body[len++] = '\n', body[len] = 0;
    }
    int cacheable = rp->status == 200 && !rp->no_store;
    char etag[20] = "";
    unsigned status = rp->status;
    if (cacheable) {
        etag_of(body ? body : "", len, etag);
        const char *inm = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "If-None-Match");
        if (hd_etag_matches(inm, etag)) status = 304;
    }
    rc->status = status;
    rc->bytes = status == 304 ? 0 : len;
    rc->route = rp->route;
    struct MHD_Response *full = NULL, *not_modified = NULL;
    if (cacheable && slot && slot->klen) {
        /* both forms, for the cache; the one this request needs is sent.
         * The body is kept for long: in the size that hd_cache_put charges
         * for, no more (a formatter's growing buffer), no less. */
        char *sized = body ? realloc(body, hd_cache_body_size(len + 1)) : NULL;
        if (sized) body = sized;
        full = make_response(h, conn, rc, rp, 200, body, len, etag);
        not_modified = make_response(h, conn, rc, rp, 304, NULL, 0, etag);
        if (!full || !not_modified) {
            MHD_destroy_response(full);
            MHD_destroy_response(not_modified);
            return MHD_NO;
        }
        enum MHD_Result ret = MHD_queue_response(conn, status, status == 304 ? not_modified : full);
        struct hd_cache_meta meta = {200, len, rp->route};
        hd_cache_put(h->cache, slot->key, slot->klen, slot->gen, full, not_modified, etag, &meta);
        return ret;
    }
    if (status == 304) {
        free(body);
        body = NULL, len = 0;
    }
    full = make_response(h, conn, rc, rp, status, body, len, cacheable ? etag : NULL);
    if (!full) return MHD_NO;
    enum MHD_Result ret = MHD_queue_response(conn, status, full);
    MHD_destroy_response(full);
    return ret;
}

/* Answers rq in one read transaction: the reply reads one snapshot of the
 * database, and its many statements take the WAL read lock once, not once
 * each (a system call or two every time). */
static void route_in_snapshot(struct hd_request *rq, struct hd_reply *rp)
{
    sqlite3_stmt *begin = hd_store_stmt_sql(rq->st, "BEGIN");
    int open = begin && sqlite3_step(begin) == SQLITE_DONE;
    if (begin) sqlite3_reset(begin);
    hd_route(rq, rp);
    if (open) {
        sqlite3_stmt *end = hd_store_stmt_sql(rq->st, "COMMIT");
        if (!end || sqlite3_step(end) != SQLITE_DONE)
            hd_store_exec(rq->st, "ROLLBACK"); /* never left open for the next request */
        if (end) sqlite3_reset(end);
    }
}

/* The path under the base path. A proxy may pass the prefix on or strip it
 * (nginx's proxy_pass with a trailing slash): both reach the same route,
 * and the links the server writes carry the prefix either way. */
static const char *under_base(const char *base, const char *url)
{
    size_t n = strlen(base);
    if (n == 0 || strncmp(url, base, n) != 0) return url;
    if (url[n] == 0) return "/";
    return url[n] == '/' ? url + n : url;
}

/* The page asked for at the base path without its slash (/api): sent on to
 * /api/, or its relative URLs (web/app.js, events?...) would miss the prefix. */
static enum MHD_Result redirect_to_folder(struct MHD_Connection *conn, struct req_ctx *rc,
                                          const char *url)
{
    char where[256];
    snprintf(where, sizeof where, "%s/", url);
    struct MHD_Response *r = MHD_create_response_from_buffer(0, "", MHD_RESPMEM_PERSISTENT);
    if (!r) return MHD_NO;
    MHD_add_response_header(r, MHD_HTTP_HEADER_LOCATION, where);
    MHD_add_response_header(r, MHD_HTTP_HEADER_CACHE_CONTROL, "no-cache");
    rc->status = 301, rc->bytes = 0, rc->route = "/";
    enum MHD_Result ret = MHD_queue_response(conn, 301, r);
    MHD_destroy_response(r);
    return ret;
}

static enum MHD_Result access_handler(void *cls, struct MHD_Connection *conn, const char *url,
                                      const char *method, const char *version,
                                      const char *upload_data, size_t *upload_size, void **req_cls)
{
    struct hd_http *h = cls;
    (void)version, (void)upload_data;
    struct req_ctx *rc = *req_cls;
    if (!rc) return MHD_NO; /* out of memory in request_begins */
    if (!rc->called) {
        rc->called = 1;
        snprintf(rc->method, sizeof rc->method, "%s", method);
        return MHD_YES;
    }
    if (*upload_size) {
        *upload_size = 0; /* bodies are not read: no route takes one */
        return MHD_YES;
    }
    if (h->cfg.access_log) client_address(h, conn, rc->client, sizeof rc->client);
    struct hd_request req, *rq = &req; /* on the stack: no allocation per request */
    struct hd_reply rp = HD_REPLY_INIT;
    struct cache_slot slot;
    slot.klen = 0;
    memset(rq, 0, sizeof *rq);
    rq->method = method;
    rq->max_limit = h->cfg.max_limit;
    rq->base_path = h->cfg.base_path;
    rq->path = under_base(h->cfg.base_path, url);
    const char *accept = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Accept");
    rq->html = accept && strstr(accept, "text/html") != NULL;
    MHD_get_connection_values(conn, MHD_GET_ARGUMENT_KIND, collect_arg, rq);
    if (rq->html && *h->cfg.base_path && !strcmp(url, h->cfg.base_path))
        return redirect_to_folder(conn, rc, url);
    if (rc->too_long) {
        hd_reply_problem(&rp, 414, "URI Too Long", NULL,
                         "the request target is longer than %u bytes", h->cfg.max_url);
    } else if (!(rq->st = thread_store())) {
        hd_reply_problem(&rp, 503, "Service Unavailable", NULL, "the store cannot be opened");
    } else if (h->cache && (!strcmp(method, "GET") || !strcmp(method, "HEAD")) &&
               (slot.gen = tl_gen) >= 0 &&
               (slot.klen = hd_cache_key(rq, cors_origin(h, conn), slot.key, sizeof slot.key))) {
        struct hd_cache_meta meta;
        const char *inm = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "If-None-Match");
        int ret = hd_cache_serve(h->cache, slot.key, slot.klen, slot.gen, conn, inm, &meta);
        if (ret >= 0) {
            rc->status = meta.status, rc->bytes = meta.bytes, rc->route = meta.route;
            return (enum MHD_Result)ret;
        }
        if (!hd_cache_admits(h->cache, slot.key, slot.klen)) slot.klen = 0;
        route_in_snapshot(rq, &rp);
    } else {
        slot.klen = 0;
        route_in_snapshot(rq, &rp);
    }
    enum MHD_Result ret = queue_reply(h, conn, rc, &rp, rq->st, &slot);
    hd_reply_clear(&rp);
    return ret;
}

struct hd_http *hd_http_start(const struct hd_http_config *cfg)
{
    struct hd_http *h = calloc(1, sizeof *h);
    if (!h) return NULL;
    h->cfg = *cfg;
    store_path = cfg->db;
    if (cfg->cache_bytes && !(h->cache = hd_cache_new(cfg->cache_bytes))) {
        free(h);
        return NULL;
    }
    hd_metrics_watch_cache(h->cache);

    struct addrinfo hints = {0}, *ai = NULL;
    char port[16];
    snprintf(port, sizeof port, "%d", cfg->port);
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
    int gai = getaddrinfo(cfg->listen, port, &hints, &ai);
    if (gai != 0) {
        fprintf(stderr, "hadath: --listen %s: %s\n", cfg->listen, gai_strerror(gai));
        hd_metrics_watch_cache(NULL);
        hd_cache_free(h->cache);
        free(h);
        return NULL;
    }
    unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_TURBO | MHD_USE_ITC;
    if (ai->ai_family == AF_INET6) flags |= MHD_USE_IPv6;
    /* the connection memory holds the request line and headers: room for the
     * longest target allowed, so that a long one gets our 414, not a reset,
     * and 8 KB of headers (nginx's default buffer); no more, as libmicrohttpd
     * clears it for every request */
    size_t mem = cfg->max_url + 8192;
    h->d = MHD_start_daemon(
        flags, 0, NULL, NULL, access_handler, h, MHD_OPTION_SOCK_ADDR, ai->ai_addr,
        MHD_OPTION_THREAD_POOL_SIZE, (unsigned)(cfg->threads > 1 ? cfg->threads : 1),
        MHD_OPTION_CONNECTION_TIMEOUT, cfg->idle_timeout, MHD_OPTION_CONNECTION_LIMIT,
        cfg->max_connections, MHD_OPTION_PER_IP_CONNECTION_LIMIT, cfg->max_per_client,
        MHD_OPTION_CONNECTION_MEMORY_LIMIT, mem, MHD_OPTION_LISTEN_BACKLOG_SIZE, 511u,
        MHD_OPTION_NOTIFY_COMPLETED, completed, h, MHD_OPTION_URI_LOG_CALLBACK, request_begins, h,
        MHD_OPTION_END);
    freeaddrinfo(ai);
    if (!h->d) {
        fprintf(stderr, "hadath: cannot listen on %s port %d (in use, or not an address here)\n",
                cfg->listen, cfg->port);
        hd_metrics_watch_cache(NULL);
        hd_cache_free(h->cache);
        free(h);
        return NULL;
    }
    return h;
}

int hd_http_port(struct hd_http *h)
{
    const union MHD_DaemonInfo *i = MHD_get_daemon_info(h->d, MHD_DAEMON_INFO_BIND_PORT);
    return i ? i->port : -1;
}

void hd_http_stop(struct hd_http *h)
{
    if (!h) return;
    /* Stop accepting, give requests in flight up to a second (idle keep-alive
     * connections would hold us forever), then stop. The listening socket is
     * closed only after the threads that may still poll it are gone. */
    MHD_socket s = MHD_quiesce_daemon(h->d);
    for (int i = 0; i < 100; i++) {
        const union MHD_DaemonInfo *di =
            MHD_get_daemon_info(h->d, MHD_DAEMON_INFO_CURRENT_CONNECTIONS);
        if (!di || di->num_connections == 0) break;
        usleep(10000);
    }
    MHD_stop_daemon(h->d);
    if (s != MHD_INVALID_SOCKET) close(s);
    pthread_mutex_lock(&stores_lock);
    for (size_t i = 0; i < nstores; i++) hd_store_close(stores[i]);
    free(stores);
    stores = NULL;
    nstores = 0;
    pthread_mutex_unlock(&stores_lock);
    hd_metrics_watch_cache(NULL);
    hd_cache_free(h->cache);
    free(h);
}
