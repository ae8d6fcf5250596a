/* Routes and their handlers. A handler parses its parameters (a bad one is a
 * 400 naming it), asks lib/ for the data as JSON and wraps it; it never
 * touches SQL or Arabic text itself. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "blob.h"
#include "events.h"
#include "formats.h"
#include "fts.h"
#include "metrics.h"
#include "params.h"
#include "resolve.h"
#include "routes.h"
#include "views.h"
#include "web.h"

/* id is the {id} of the path: a number, or for entities a slug in name (for
 * the page's files, the file's name). */
typedef void (*handler_fn)(struct hd_request *rq, struct hd_reply *rp, long long id,
                           const char *name);

enum { NO_ID, NUMBER_ID, NAME_ID, FILE_ID };

struct route {
    const char *template; /* as in the OpenAPI document, and in the metrics */
    const char *prefix;   /* the path, or for an {id} route the part before the id */
    int id_kind;
    handler_fn get;
};

static void store_failed(struct hd_reply *rp, struct hd_request *rq)
{
    fprintf(stderr, "hadath: store error on %s: %s\n", rq->path,
            sqlite3_errmsg(hd_store_db(rq->st)));
    hd_reply_problem(rp, 500, "Internal Server Error", NULL, "the store failed to answer");
}

/* The page's Content-Security-Policy: its own scripts, styles and API only,
 * so that text from a document can never run as script in it. */
#define PAGE_CSP                                                                                   \
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "              \
    "connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"

/* A file of the page into rp, or a 404. */
static void web_file(struct hd_reply *rp, const char *name)
{
    size_t len;
    const char *type, *data = hd_web_file(name, &len, &type);
    if (!data) {
        hd_reply_problem(rp, 404, "Not Found", NULL, "the page has no file %.100s", name);
        return;
    }
    if (!(rp->text = malloc(len ? len : 1))) {
        hd_reply_problem(rp, 500, "Internal Server Error", NULL, "out of memory");
        return;
    }
    memcpy(rp->text, data, len);
    rp->text_len = len;
    rp->content_type = type;
    /* asked again each time (a 304 mostly), so that a page and its script
     * never come from two versions of the server */
    rp->revalidate = 1;
    if (!strncmp(type, "text/html", 9)) rp->csp = PAGE_CSP;
}

/* / is the web page for a browser (whose Accept names text/html) and the
 * API's index for everyone else (curl sends * / *). */
static void get_index(struct hd_request *rq, struct hd_reply *rp, long long id, const char *name)
{
    (void)id, (void)name;
    rp->vary = "Accept";
    if (rq->html) {
        web_file(rp, "index.html");
        return;
    }
    json_t *eps = json_array();
    for (const char *const *t = hd_route_templates(); *t; t++)
        json_array_append_new(eps, json_string(*t));
    rp->body = json_pack("{s:s, s:s, s:o, s:s}", "name", "hadath", "version", HD_VERSION,
                         "endpoints", eps, "openapi", "/openapi.json");
}

static void get_health(struct hd_request *rq, struct hd_reply *rp, long long id, const char *name)
{
    (void)id, (void)name;
    rp->body = hd_view_health(rq->st);
    if (!rp->body) store_failed(rp, rq);
}

static void get_articles(struct hd_request *rq, struct hd_reply *rp, long long id, const char *name)
{
    (void)id, (void)name;
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
                         next ? json_string(hd_cursor_make(rq, "articles", next)) : json_null());
}

static void get_article(struct hd_request *rq, struct hd_reply *rp, long long id, const char *name)
{
    (void)name;
    json_t *a = NULL, *events = NULL;
    long long next;
    struct hd_event_filter f;
    memset(&f, 0, sizeof f);
    f.article = id;
    int rc = hd_view_article(rq->st, id, &a);
    /* the article's events too, in text order: a reader of one article wants them */
    if (rc == 1 && hd_view_events(rq->st, &f, NULL, 0, 0, HD_LIMIT_MAX, &events, &next, NULL) < 0)
        rc = -1;
    if (rc < 0)
        store_failed(rp, rq);
    else if (rc == 0)
        hd_reply_problem(rp, 404, "Not Found", NULL, "no article has id %lld", id);
    if (rc == 1) {
        json_object_set_new(a, "events", events);
        rp->body = a;
    } else {
        json_decref(a);
    }
}

#define MAX_RESOLVED 512

/* Resolves a comma-separated list of entity names (param=kim,putin): the
 * row ids as a JSON array text in ids (NULL when nothing matched), and what
 * each value was taken to mean in *resolved. Returns 0, or -1 with a 500. */
static int resolve_list(struct hd_request *rq, struct hd_reply *rp, const char *value, char **ids,
                        json_t **resolved)
{
    long long found[MAX_RESOLVED];
    int nfound = 0;
    json_t *res = json_array(), *arr = json_array();
    char one[512];
    for (const char *p = value; *p;) {
        const char *comma = strchr(p, ',');
        size_t n = comma ? (size_t)(comma - p) : strlen(p);
        while (n > 0 && *p == ' ') p++, n--;
        while (n > 0 && p[n - 1] == ' ') n--;
        if (n > 0 && n < sizeof one) {
            memcpy(one, p, n), one[n] = 0;
            long long got[64];
            int k = hd_resolve(rq->st, one, got, 64);
            if (k < 0) {
                json_decref(res), json_decref(arr);
                store_failed(rp, rq);
                return -1;
            }
            json_t *ents = json_array();
            for (int i = 0; i < k && i < 64; i++) {
                json_t *e = hd_view_entity_summary(rq->st, got[i]);
                if (e) json_array_append_new(ents, e);
                int seen = 0;
                for (int j = 0; j < nfound && !seen; j++) seen = found[j] == got[i];
                if (!seen && nfound < MAX_RESOLVED) {
                    found[nfound++] = got[i];
                    json_array_append_new(arr, json_integer(got[i]));
                }
            }
            json_array_append_new(res, json_pack("{s:s, s:o}", "value", one, "entities", ents));
        }
        p += n;
        while (*p == ' ') p++;
        if (*p == ',') p++;
    }
    /* a value that names nothing gives an empty list, not every entity */
    *ids = json_dumps(arr, JSON_COMPACT);
    json_decref(arr);
    *resolved = res;
    return 0;
}

static const char *const entity_types[] = {"person",       "country",  "city",  "region",
                                           "organization", "facility", "group", NULL};

static void get_entities(struct hd_request *rq, struct hd_reply *rp, long long id, const char *name)
{
    (void)id, (void)name;
    int limit;
    long long offset, total;
    struct hd_entity_filter f = {0};
    const char *q;
    if (hd_param_limit(rq, rp, &limit) < 0 || hd_param_offset(rq, rp, "entities", &offset) < 0 ||
        hd_param_enum(rq, rp, "type", entity_types, &f.type) < 0 ||
        hd_param_id(rq, rp, "article", &f.article) < 0 || hd_param_text(rq, rp, "q", &q) < 0)
        return;
    char *ids = NULL;
    json_t *resolved = NULL, *data;
    if (q && resolve_list(rq, rp, q, &ids, &resolved) < 0) return;
    f.ids = ids;
    int rc = hd_view_entities(rq->st, &f, offset, limit, &data, &total);
    free(ids);
    if (rc < 0) {
        json_decref(resolved);
        store_failed(rp, rq);
        return;
    }
    long long next = offset + limit < total ? offset + limit : 0;
    rp->body = json_pack("{s:o, s:{s:I, s:i, s:o}}", "data", data, "meta", "total",
                         (json_int_t)total, "limit", limit, "next",
                         next ? json_string(hd_cursor_make(rq, "entities", next)) : json_null());
    if (resolved)
        json_object_set_new(json_object_get(rp->body, "meta"), "resolved",
                            json_pack("{s:o}", "q", resolved));
}

static void get_entity(struct hd_request *rq, struct hd_reply *rp, long long id, const char *name)
{
    (void)id;
    long long got[2];
    /* the id is a slug; a Wikidata id works too */
    int k = hd_resolve_id(rq->st, name, got, 2);
    json_t *e = NULL;
    int rc = k < 0 ? -1 : k == 0 ? 0 : hd_view_entity(rq->st, got[0], &e);
    if (rc < 0)
        store_failed(rp, rq);
    else if (rc == 0)
        hd_reply_problem(rp, 404, "Not Found", NULL, "no entity has id %.100s", name);
    else
        rp->body = e;
}

/* ---- events ---- */

static int valid_type(const char *v, char *norm, size_t cap)
{
    snprintf(norm, cap, "%s", v);
    return hd_event_type_valid(v);
}

static int valid_modality(const char *v, char *norm, size_t cap)
{
    static const char *const m[] = {"asserted", "planned", "alleged", "conditional", "negated"};
    snprintf(norm, cap, "%s", v);
    for (size_t i = 0; i < 5; i++)
        if (!strcmp(v, m[i])) return 1;
    return 0;
}

static int valid_cameo(const char *v, char *norm, size_t cap)
{
    size_t n = strlen(v);
    snprintf(norm, cap, "%s", v);
    for (size_t i = 0; i < n; i++)
        if (v[i] < '0' || v[i] > '9') return 0;
    return n >= 2 && n <= 4;
}

/* PLOVER types and country codes are upper case; either case is taken. */
static int upper_letters(const char *v, char *norm, size_t cap, size_t min, size_t max)
{
    size_t n = strlen(v);
    if (n < min || n > max || n >= cap) return 0;
    for (size_t i = 0; i < n; i++) {
        char c = v[i];
        if (c >= 'a' && c <= 'z') c = (char)(c - 'a' + 'A');
        if (c < 'A' || c > 'Z') return 0;
        norm[i] = c;
    }
    norm[n] = 0;
    return 1;
}

static int valid_plover(const char *v, char *norm, size_t cap)
{
    return upper_letters(v, norm, cap, 3, 20);
}

static int valid_country(const char *v, char *norm, size_t cap)
{
    return upper_letters(v, norm, cap, 2, 2);
}

static const char *const event_sorts[] = {"id", "date", "-date", NULL};
static const char *const event_groups[] = {"cluster", NULL};
static const char *const event_formats[] = {"json", "csv", "ndjson", "geojson", NULL};

/* The q parameter as an FTS5 query in fts ("" when absent): a q with no
 * word to search for is a 400, FTS5's syntax never reaches SQLite. */
static int param_fts(struct hd_request *rq, struct hd_reply *rp, char *fts, size_t cap)
{
    const char *q;
    fts[0] = 0;
    if (hd_param_text(rq, rp, "q", &q) < 0) return -1;
    if (!q) return 0;
    int n = hd_fts_query(q, fts, cap);
    if (n <= 0) {
        hd_reply_problem(rp, 400, "Bad Request", "q",
                         n < 0 ? "q has too many words" : "q has no word to search for");
        return -1;
    }
    return 0;
}

/* Wraps an event list as format asks: the JSON list, or a download in
 * another format with the paging in headers. Takes data and meta. */
static void format_events(struct hd_request *rq, struct hd_reply *rp, const char *format,
                          json_t *data, json_t *meta)
{
    if (!format || !strcmp(format, "json")) {
        rp->body = json_pack("{s:o, s:o}", "data", data, "meta", meta);
        return;
    }
    const char *next = json_string_value(json_object_get(meta, "next"));
    rp->total = json_integer_value(json_object_get(meta, "total"));
    rp->link_next = next ? hd_next_url(rq, next) : NULL;
    if (!strcmp(format, "geojson")) {
        rp->body = hd_format_geojson(data, meta);
        rp->content_type = "application/geo+json";
        rp->filename = "events.geojson";
    } else if (!strcmp(format, "csv")) {
        rp->text = hd_format_csv(data, &rp->text_len);
        rp->content_type = "text/csv; charset=utf-8; header=present";
        rp->filename = "events.csv";
    } else {
        rp->text = hd_format_ndjson(data, &rp->text_len);
        rp->content_type = "application/x-ndjson";
        rp->filename = "events.ndjson";
    }
    json_decref(data);
    json_decref(meta);
    if (!rp->body && !rp->text)
        hd_reply_problem(rp, 500, "Internal Server Error", NULL, "out of memory");
}

static void get_events(struct hd_request *rq, struct hd_reply *rp, long long id, const char *name)
{
    (void)id, (void)name;
    int limit;
    long long after = 0, offset = 0, total, next;
    struct hd_event_filter f;
    memset(&f, 0, sizeof f);
    const char *sort, *group, *format;
    char from[11], to[11], fts[2048];
    char *lists[5] = {NULL};
    if (hd_param_limit(rq, rp, &limit) < 0 ||
        hd_param_enum(rq, rp, "sort", event_sorts, &sort) < 0 ||
        hd_param_enum(rq, rp, "group", event_groups, &group) < 0 ||
        hd_param_enum(rq, rp, "format", event_formats, &format) < 0 ||
        hd_param_id(rq, rp, "article", &f.article) < 0 || param_fts(rq, rp, fts, sizeof fts) < 0 ||
        hd_param_date(rq, rp, "from", 0, from) < 0 || hd_param_date(rq, rp, "to", 1, to) < 0)
        return;
    /* a cursor belongs to one order: an id for the default, a position for dates */
    const char *kind = !sort || !strcmp(sort, "id") ? "events"
                       : !strcmp(sort, "date")      ? "events-date"
                                                    : "events-rdate";
    if (!strcmp(kind, "events") ? hd_param_cursor(rq, rp, kind, &after) < 0
                                : hd_param_offset(rq, rp, kind, &offset) < 0)
        return;
    if (hd_param_list(rq, rp, "type", valid_type, "an event type", &lists[0]) < 0 ||
        hd_param_list(rq, rp, "modality", valid_modality,
                      "asserted, planned, alleged, conditional or negated", &lists[1]) < 0 ||
        hd_param_list(rq, rp, "cameo", valid_cameo, "a CAMEO code (2 to 4 digits)", &lists[2]) <
            0 ||
        hd_param_list(rq, rp, "plover", valid_plover, "a PLOVER type", &lists[3]) < 0 ||
        hd_param_list(rq, rp, "country", valid_country, "an ISO 3166 alpha-2 code", &lists[4]) < 0)
        goto out;
    f.type = lists[0], f.modality = lists[1], f.cameo = lists[2], f.plover = lists[3];
    f.country = lists[4];
    f.from = from[0] ? from : NULL, f.to = to[0] ? to : NULL, f.group = group != NULL;
    f.q = fts[0] ? fts : NULL;
    /* the entity parameters, each resolved to ids, and what they were taken to mean */
    static const char *const ent_params[] = {"actor", "target", "participant", "location"};
    char *ids[4] = {NULL};
    json_t *resolved = NULL;
    for (int i = 0; i < 4; i++) {
        const char *v;
        if (hd_param_text(rq, rp, ent_params[i], &v) < 0) goto out_ids;
        if (!v) continue;
        json_t *r;
        if (resolve_list(rq, rp, v, &ids[i], &r) < 0) goto out_ids;
        if (!resolved) resolved = json_object();
        json_object_set_new(resolved, ent_params[i], r);
    }
    f.actor = ids[0], f.target = ids[1], f.participant = ids[2], f.location = ids[3];
    json_t *data;
    if (hd_view_events(rq->st, &f, sort, after, offset, limit, &data, &next, &total) < 0) {
        store_failed(rp, rq);
        goto out_ids;
    }
    json_t *meta = json_pack("{s:I, s:i, s:o}", "total", (json_int_t)total, "limit", limit, "next",
                             next ? json_string(hd_cursor_make(rq, kind, next)) : json_null());
    if (resolved) json_object_set(meta, "resolved", resolved);
    format_events(rq, rp, format, data, meta);
out_ids:
    json_decref(resolved);
    for (int i = 0; i < 4; i++) free(ids[i]);
out:
    for (int i = 0; i < 5; i++) free(lists[i]);
}

static void get_event(struct hd_request *rq, struct hd_reply *rp, long long id, const char *name)
{
    (void)name;
    json_t *e = NULL;
    int rc = hd_view_event(rq->st, id, &e);
    if (rc < 0)
        store_failed(rp, rq);
    else if (rc == 0)
        hd_reply_problem(rp, 404, "Not Found", NULL, "no event has id %lld", id);
    else
        rp->body = e;
}

/* ---- search, stats and the service routes ---- */

static void get_search(struct hd_request *rq, struct hd_reply *rp, long long id, const char *name)
{
    (void)id, (void)name;
    int limit;
    long long offset, total, article;
    char fts[2048];
    if (hd_param_limit(rq, rp, &limit) < 0 || hd_param_id(rq, rp, "article", &article) < 0 ||
        param_fts(rq, rp, fts, sizeof fts) < 0 || hd_param_offset(rq, rp, "search", &offset) < 0)
        return;
    if (!fts[0]) {
        hd_reply_problem(rp, 400, "Bad Request", "q", "q is required: the words to search for");
        return;
    }
    json_t *data;
    if (hd_view_search(rq->st, fts, article, offset, limit, &data, &total) < 0) {
        store_failed(rp, rq);
        return;
    }
    long long next = offset + limit < total ? offset + limit : 0;
    rp->body = json_pack("{s:o, s:{s:I, s:i, s:o, s:s}}", "data", data, "meta", "total",
                         (json_int_t)total, "limit", limit, "next",
                         next ? json_string(hd_cursor_make(rq, "search", next)) : json_null(),
                         "query", fts);
}

static void get_stats(struct hd_request *rq, struct hd_reply *rp, long long id, const char *name)
{
    (void)id, (void)name;
    const char *v = hd_param(rq, "top");
    int top = 10;
    if (v) {
        char *end;
        long n = strtol(v, &end, 10);
        if (!*v || *end || n < 1 || n > 100 || *v == '+' || *v == ' ') {
            hd_reply_problem(rp, 400, "Bad Request", "top",
                             "top must be a whole number from 1 to 100, not \"%.40s\"", v);
            return;
        }
        top = (int)n;
    }
    if (hd_view_stats(rq->st, top, &rp->body) < 0) store_failed(rp, rq);
}

static char *openapi_text;
static size_t openapi_len;

static void get_openapi(struct hd_request *rq, struct hd_reply *rp, long long id, const char *name)
{
    (void)rq, (void)id, (void)name;
    if (!openapi_text) {
        hd_reply_problem(rp, 500, "Internal Server Error", NULL, "no OpenAPI document is built in");
        return;
    }
    rp->text = malloc(openapi_len);
    if (!rp->text) {
        hd_reply_problem(rp, 500, "Internal Server Error", NULL, "out of memory");
        return;
    }
    memcpy(rp->text, openapi_text, openapi_len);
    rp->text_len = openapi_len;
}

static void get_web(struct hd_request *rq, struct hd_reply *rp, long long id, const char *name)
{
    (void)rq, (void)id;
    web_file(rp, name);
}

static void get_metrics(struct hd_request *rq, struct hd_reply *rp, long long id, const char *name)
{
    (void)id, (void)name;
    json_t *h = hd_view_health(rq->st);
    if (!h) {
        store_failed(rp, rq);
        return;
    }
    rp->text = hd_metrics_render(json_integer_value(json_object_get(h, "articles")),
                                 json_integer_value(json_object_get(h, "entities")),
                                 json_integer_value(json_object_get(h, "events")), &rp->text_len);
    json_decref(h);
    if (!rp->text) {
        hd_reply_problem(rp, 500, "Internal Server Error", NULL, "out of memory");
        return;
    }
    rp->content_type = "text/plain; version=0.0.4; charset=utf-8";
    rp->no_store = 1;
}

static const struct route routes[] = {
    {"/", "/", NO_ID, get_index},
    {"/health", "/health", NO_ID, get_health},
    {"/articles", "/articles", NO_ID, get_articles},
    {"/articles/{id}", "/articles/", NUMBER_ID, get_article},
    {"/entities", "/entities", NO_ID, get_entities},
    {"/entities/{id}", "/entities/", NAME_ID, get_entity},
    {"/events", "/events", NO_ID, get_events},
    {"/events/{id}", "/events/", NUMBER_ID, get_event},
    {"/search", "/search", NO_ID, get_search},
    {"/stats", "/stats", NO_ID, get_stats},
    {"/openapi.json", "/openapi.json", NO_ID, get_openapi},
    {"/metrics", "/metrics", NO_ID, get_metrics},
    {"/web/{file}", "/web/", FILE_ID, get_web},
};
#define NROUTES (sizeof routes / sizeof *routes)

const char *const *hd_route_templates(void)
{
    static const char *t[NROUTES + 1];
    for (size_t i = 0; i < NROUTES; i++) t[i] = routes[i].template;
    return t;
}

int hd_routes_init(const char *base_path)
{
    const struct hd_blob *b = hd_blob_get("openapi.json");
    if (!b) return -1;
    json_error_t jerr;
    json_t *doc = json_loadb(b->data, b->len, 0, &jerr);
    if (!doc) {
        fprintf(stderr, "hadath: openapi.json: %s (line %d)\n", jerr.text, jerr.line);
        return -1;
    }
    /* the document says where the API is: under the base path, if any */
    json_object_set_new(doc, "servers",
                        json_pack("[{s:s}]", "url", base_path && *base_path ? base_path : "/"));
    free(openapi_text);
    openapi_text = json_dumps(doc, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    json_decref(doc);
    if (!openapi_text) return -1;
    openapi_len = strlen(openapi_text);
    return 0;
}

void hd_routes_free(void)
{
    free(openapi_text);
    openapi_text = NULL;
}

/* Matches path against r; for an {id} route the id must be a positive
 * decimal that fits, else the path names nothing (404). */
static int match(const struct route *r, const char *path, size_t len, long long *id, char *name,
                 size_t cap)
{
    size_t pl = strlen(r->prefix);
    if (r->id_kind == NO_ID) return len == pl && strncmp(path, r->prefix, len) == 0;
    if (r->id_kind == NAME_ID || r->id_kind == FILE_ID) {
        if (len <= pl || strncmp(path, r->prefix, pl) != 0 || len - pl >= cap) return 0;
        /* a slug: lower-case letters, digits and hyphens (or a Wikidata Q-id);
         * a file's name is judged by hd_web_file */
        for (size_t i = pl; i < len && r->id_kind == NAME_ID; i++) {
            char c = path[i];
            if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == 'Q'))
                return 0;
        }
        memcpy(name, path + pl, len - pl);
        name[len - pl] = 0;
        return 1;
    }
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
    char name[128] = "";
    const struct route *r = NULL;
    for (size_t i = 0; i < NROUTES && !r; i++)
        if (match(&routes[i], path, len, &id, name, sizeof name)) r = &routes[i];
    if (!r) {
        hd_reply_problem(rp, 404, "Not Found", NULL, "no resource at %.200s", path);
        return;
    }
    rp->route = r->template;
    /* the health of a service and its counters are never to be cached */
    rp->no_store = r->get == get_health || r->get == get_metrics;
    if (strcmp(rq->method, "GET") == 0 || strcmp(rq->method, "HEAD") == 0) {
        r->get(rq, rp, id, name);
    } else if (strcmp(rq->method, "OPTIONS") == 0) {
        rp->status = 204;
        rp->allow = "GET, HEAD, OPTIONS";
    } else {
        hd_reply_problem(rp, 405, "Method Not Allowed", NULL,
                         "%.20s is not allowed on %.200s; use GET", rq->method, path);
        rp->allow = "GET, HEAD, OPTIONS";
    }
}
