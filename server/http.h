/* The HTTP front end on libmicrohttpd: daemon life cycle, one read-only store
 * connection per server thread, replies and the access log. */
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
    int access_log; /* one line per request on stderr */
};

/* What a handler sees of a request. */
struct hd_request {
    struct MHD_Connection *conn;
    const char *method;
    const char *path; /* without the query string */
    struct hd_store *st;
};

/* What a handler fills in: a status and a JSON body (owned: the reply takes
 * it), and for 405 the Allow header. */
struct hd_reply {
    unsigned status;
    json_t *body;
    const char *content_type; /* default application/json; charset=utf-8 */
    const char *allow;
};

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
