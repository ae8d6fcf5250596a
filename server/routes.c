/* Routes and their handlers. A handler parses its parameters (a bad one is a
 * 400 naming it), asks lib/ for the data as JSON and wraps it; it never
 * touches SQL or Arabic text itself. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "params.h"
#include "routes.h"
#include "views.h"

typedef void (*handler_fn)(struct hd_request *rq, struct hd_reply *rp, long long id);

struct route {
    const char *prefix; /* the path, or for an {id} route the part before the id */
    int has_id;
    handler_fn get;
};

static void store_failed(struct hd_reply *rp, struct hd_request *rq)
{
    fprintf(stderr, "hadath: store error on %s: %s\n", rq->path,
            sqlite3_errmsg(hd_store_db(rq->st)));
    hd_reply_problem(rp, 500, "Internal Server Error", NULL, "the store failed to answer");
}

static void get_index(struct hd_request *rq, struct hd_reply *rp, long long id)
{
    (void)rq, (void)id;
    rp->body = json_pack("{s:s, s:s, s:[s,s,s]}", "name", "hadath", "version", HD_VERSION,
                         "endpoints", "/health", "/articles", "/articles/{id}");
}

static void get_health(struct hd_request *rq, struct hd_reply *rp, long long id)
{
    (void)id;
    rp->body = hd_view_health(rq->st);
    if (!rp->body) store_failed(rp, rq);
}

static void get_articles(struct hd_request *rq, struct hd_reply *rp, long long id)
{
    (void)id;
    int limit;
    long long after, next, total;
    json_t *data;
    if (hd_param_limit(rq, rp, &limit) < 0 || hd_param_cursor(rq, rp, "articles", &after) < 0)
        return;
    if (hd_view_articles(rq->st, after, limit, &data, &next, &total) < 0) {
        store_failed(rp, rq);
        return;
    }
    rp->body = json_pack("{s:o, s:{s:I, s:i, s:o}}", "data", data, "meta", "total",
                         (json_int_t)total, "limit", limit, "next",
                         next ? json_string(hd_cursor_make("articles", next)) : json_null());
}

static void get_article(struct hd_request *rq, struct hd_reply *rp, long long id)
{
    json_t *a = NULL;
    int rc = hd_view_article(rq->st, id, &a);
    if (rc < 0)
        store_failed(rp, rq);
    else if (rc == 0)
        hd_reply_problem(rp, 404, "Not Found", NULL, "no article has id %lld", id);
    else
        rp->body = a;
}

static const struct route routes[] = {
    {"/", 0, get_index},
    {"/health", 0, get_health},
    {"/articles", 0, get_articles},
    {"/articles/", 1, get_article},
};

/* Matches path against r; for an {id} route the id must be a positive
 * decimal that fits, else the path names nothing (404). */
static int match(const struct route *r, const char *path, size_t len, long long *id)
{
    size_t pl = strlen(r->prefix);
    if (!r->has_id) return len == pl && strncmp(path, r->prefix, len) == 0;
    if (len <= pl || strncmp(path, r->prefix, pl) != 0 || len - pl > 18) return 0;
    long long v = 0;
    for (size_t i = pl; i < len; i++) {
        if (path[i] < '0' || path[i] > '9') return 0;
        v = v * 10 + (path[i] - '0');
    }
    *id = v;
    return v > 0;
}

void hd_route(struct hd_request *rq, struct hd_reply *rp)
{
    const char *path = rq->path;
    size_t len = strlen(path);
    if (len > 1 && path[len - 1] == '/') len--; /* /articles/ is /articles */
    long long id = 0;
    const struct route *r = NULL;
    for (size_t i = 0; i < sizeof routes / sizeof *routes && !r; i++)
        if (match(&routes[i], path, len, &id)) r = &routes[i];
    if (!r) {
        hd_reply_problem(rp, 404, "Not Found", NULL, "no resource at %.200s", path);
        return;
    }
    if (strcmp(rq->method, "GET") == 0 || strcmp(rq->method, "HEAD") == 0) {
        r->get(rq, rp, id);
    } else if (strcmp(rq->method, "OPTIONS") == 0) {
        rp->status = 204;
        rp->allow = "GET, HEAD, OPTIONS";
    } else {
        hd_reply_problem(rp, 405, "Method Not Allowed", NULL,
                         "%.20s is not allowed on %.200s; use GET", rq->method, path);
        rp->allow = "GET, HEAD, OPTIONS";
    }
}
