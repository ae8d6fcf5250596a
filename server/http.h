/* The HTTP front end on libmicrohttpd: daemon life cycle, one read-only store
 * connection per server thread, the headers every reply carries (ETag and
 * 304, Cache-Control, CORS), limits, the access log and the metrics. */
#ifndef HD_HTTP_H
#define HD_HTTP_H

#include <jansson.h>
#include <microhttpd.h>

#include "store.h"

struct hd_http_config {
    const char *db;     /* database path, opened read-only by each thread */
    const char *listen; /* address to bind */
    int port;           /* 0: any free port */
    int threads;
    int access_log;        /* one line per request on stderr */
    const char *base_path; /* "" or the prefix the API is published under, e.g. "/api" */
    int trust_proxy;       /* the client is the last address of X-Forwarded-For */
    const char *cors;      /* "*" or a comma-separated list of allowed origins */
    int max_age;           /* Cache-Control max-age of data replies, seconds */
    int max_limit;         /* ceiling of the limit parameter */
    unsigned max_url;      /* bytes of a request target; longer is a 414 */
    unsigned max_connections, max_per_client, idle_timeout;
    size_t cache_bytes; /* the response cache's size; 0 for none */
};

/* Defaults for every field but db. */
void hd_http_config_defaults(struct hd_http_config *cfg);

/* One query parameter as sent (percent-decoded); value is "" for ?flag. */
struct hd_arg {
    const char *name, *value;
};

#define HD_ARGS_MAX  64
#define HD_ASKED_MAX 32

/* What a handler sees of a request. The arguments are copied out of the
 * connection once, so handlers (and tests) need no libmicrohttpd. */
struct hd_request {
    const char *method;
    const char *path; /* without the query string and the base path */
    struct hd_store *st;
    struct hd_arg args[HD_ARGS_MAX];
    size_t nargs;
    const char *asked[HD_ASKED_MAX]; /* the parameters the handler looked up */
    size_t nasked;
    int max_limit;
    const char *base_path;
    int html; /* the Accept header names text/html: a browser asking for a page */
};

/* What a handler fills in. Start from HD_REPLY_INIT. body (JSON) or text
 * (any other body, with its content_type) is owned by the reply. */
struct hd_reply {
    unsigned status;
    json_t *body;
    char *text;
    size_t text_len;
    const char *content_type; /* default application/json; charset=utf-8 */
    const char *allow;        /* the Allow header of a 405 or OPTIONS */
    const char *filename;     /* Content-Disposition: attachment; filename=... */
    char *link_next;          /* the next page's URL (owned): a Link header */
    long long total;          /* X-Total-Count when >= 0 */
    int no_store;             /* Cache-Control: no-store (health, metrics) */
    const char *route;        /* the route's template, for the metrics */
    const char *vary;         /* a request header the reply depends on (Accept) */
    const char *csp;          /* a page's Content-Security-Policy */
    int revalidate;           /* Cache-Control: no-cache (the page's files) */
};
#define HD_REPLY_INIT                                                                              \
    {                                                                                              \
        200, NULL, NULL, 0, NULL, NULL, NULL, NULL, -1, 0, NULL, NULL, NULL, 0                     \
    }

/* Frees what rp owns. */
void hd_reply_clear(struct hd_reply *rp);

/* Fills rp with an RFC 9457 problem; param, if not NULL, names the offending
 * query parameter. */
void hd_reply_problem(struct hd_reply *rp, unsigned status, const char *title, const char *param,
                      const char *detail_fmt, ...) __attribute__((format(printf, 5, 6)));

struct hd_http;

/* Starts the daemon; NULL with a message on stderr on failure. */
struct hd_http *hd_http_start(const struct hd_http_config *cfg);
/* The port the daemon listens on (useful with port 0). */
int hd_http_port(struct hd_http *h);
/* Stops accepting, lets requests finish, stops, closes the store connections. */
void hd_http_stop(struct hd_http *h);

#endif
