/* libmicrohttpd glue. The access handler answers on its second call, never
 * the first: queuing on the first call makes libmicrohttpd close every
 * connection after the response (a fourfold throughput loss, see NOTES). */
#include <arpa/inet.h>
#include <netdb.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "http.h"
#include "routes.h"

struct hd_http {
    struct MHD_Daemon *d;
    struct hd_http_config cfg;
};

/* Per-request state, kept between the calls of the access handler. */
struct req_ctx {
    struct timespec start;
    int called; /* the access handler has been called once */
    unsigned status;
    size_t bytes;
    char method[8];
    char target[256]; /* the request target as sent, query included */
};

/* libmicrohttpd's URI log callback runs first for every request: its result
 * becomes the request's state, and it alone sees the query string as sent. */
static void *request_begins(void *cls, const char *uri, struct MHD_Connection *c)
{
    (void)cls, (void)c;
    struct req_ctx *rc = calloc(1, sizeof *rc);
    if (!rc) return NULL;
    clock_gettime(CLOCK_MONOTONIC, &rc->start);
    snprintf(rc->target, sizeof rc->target, "%s", uri);
    return rc;
}

/* One store connection per server thread: SQLite connections are not to be
 * shared between threads, and a per-thread one needs no locking. */
static _Thread_local struct hd_store *tl_store;
static pthread_mutex_t stores_lock = PTHREAD_MUTEX_INITIALIZER;
static struct hd_store **stores;
static size_t nstores;
static const char *store_path;

static struct hd_store *thread_store(void)
{
    if (tl_store) return tl_store;
    char err[512];
    struct hd_store *st = hd_store_open(store_path, 1, err, sizeof err);
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
    return tl_store = st;
}

void hd_reply_problem(struct hd_reply *rp, unsigned status, const char *title, const char *param,
                      const char *fmt, ...)
{
    char detail[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(detail, sizeof detail, fmt, ap);
    va_end(ap);
    json_decref(rp->body);
    rp->status = status;
    rp->content_type = "application/problem+json; charset=utf-8";
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
    int n = snprintf(line, sizeof line, "%s %s %u %zu %lldus\n", rc->method, rc->target, rc->status,
                     rc->bytes, us);
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
    if (h->cfg.access_log && rc->status) log_line(rc);
    free(rc);
    *req_cls = NULL;
}

static enum MHD_Result queue_reply(struct MHD_Connection *conn, struct req_ctx *rc,
                                   struct hd_reply *rp)
{
    char *body = NULL;
    size_t len = 0;
    if (rp->body) {
        body = json_dumps(rp->body, JSON_COMPACT | JSON_REAL_PRECISION(10));
        if (!body) {
            rp->status = 500;
        } else {
            len = strlen(body);
            /* a trailing newline is friendly to curl users and costs nothing */
            char *nb = realloc(body, len + 2);
            if (nb) body = nb, body[len++] = '\n', body[len] = 0;
        }
    }
    struct MHD_Response *r = MHD_create_response_from_buffer_with_free_callback(
        len, body ? body : "", body ? free : NULL);
    if (!r) {
        free(body);
        return MHD_NO;
    }
    MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE,
                            rp->content_type ? rp->content_type
                                             : "application/json; charset=utf-8");
    if (rp->allow) MHD_add_response_header(r, MHD_HTTP_HEADER_ALLOW, rp->allow);
    rc->status = rp->status;
    rc->bytes = len;
    enum MHD_Result ret = MHD_queue_response(conn, rp->status, r);
    MHD_destroy_response(r);
    return ret;
}

static enum MHD_Result access_handler(void *cls, struct MHD_Connection *conn, const char *url,
                                      const char *method, const char *version,
                                      const char *upload_data, size_t *upload_size, void **req_cls)
{
    (void)cls, (void)version, (void)upload_data;
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
    struct hd_request rq = {conn, method, url, NULL};
    struct hd_reply rp = {200, NULL, NULL, NULL};
    rq.st = thread_store();
    if (!rq.st)
        hd_reply_problem(&rp, 503, "Service Unavailable", NULL, "the store cannot be opened");
    else
        hd_route(&rq, &rp);
    enum MHD_Result ret = queue_reply(conn, rc, &rp);
    json_decref(rp.body);
    return ret;
}

struct hd_http *hd_http_start(const struct hd_http_config *cfg)
{
    struct hd_http *h = calloc(1, sizeof *h);
    if (!h) return NULL;
    h->cfg = *cfg;
    store_path = cfg->db;

    struct addrinfo hints = {0}, *ai = NULL;
    char port[16];
    snprintf(port, sizeof port, "%d", cfg->port);
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
    int gai = getaddrinfo(cfg->listen, port, &hints, &ai);
    if (gai != 0) {
        fprintf(stderr, "hadath: --listen %s: %s\n", cfg->listen, gai_strerror(gai));
        free(h);
        return NULL;
    }
    unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_TURBO | MHD_USE_ITC;
    if (ai->ai_family == AF_INET6) flags |= MHD_USE_IPv6;
    h->d = MHD_start_daemon(
        flags, 0, NULL, NULL, access_handler, h, MHD_OPTION_SOCK_ADDR, ai->ai_addr,
        MHD_OPTION_THREAD_POOL_SIZE, (unsigned)(cfg->threads > 1 ? cfg->threads : 1),
        MHD_OPTION_CONNECTION_TIMEOUT, 30u, MHD_OPTION_CONNECTION_LIMIT, 1024u,
        MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)64 * 1024, MHD_OPTION_LISTEN_BACKLOG_SIZE, 511u,
        MHD_OPTION_NOTIFY_COMPLETED, completed, h, MHD_OPTION_URI_LOG_CALLBACK, request_begins, h,
        MHD_OPTION_END);
    freeaddrinfo(ai);
    if (!h->d) {
        fprintf(stderr, "hadath: cannot listen on %s port %d (in use, or not an address here)\n",
                cfg->listen, cfg->port);
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
    free(h);
}
