/* The routes against the OpenAPI document the server serves: every route is
 * a documented path and every documented path a route; the query parameters
 * a handler reads are exactly those the document lists; and each status a
 * route gives (200, 400 naming each parameter, 404, 405) is documented. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "blob.h"
#include "check.h"
#include "ingest.h"
#include "routes.h"

static json_t *doc;

/* A parameter object, following a $ref into components. */
static json_t *deref(json_t *p)
{
    const char *ref = json_string_value(json_object_get(p, "$ref"));
    if (!ref) return p;
    const char *prefix = "#/components/parameters/";
    if (strncmp(ref, prefix, strlen(prefix)) != 0) return NULL;
    return json_object_get(json_object_get(json_object_get(doc, "components"), "parameters"),
                           ref + strlen(prefix));
}

static int documented_status(json_t *op, unsigned status)
{
    char k[8];
    snprintf(k, sizeof k, "%u", status);
    return json_object_get(json_object_get(op, "responses"), k) != NULL;
}

/* Answers GET path?args (args: name, value pairs, NULL-terminated). */
static void request(struct hd_store *st, const char *method, const char *path,
                    const char *const *args, struct hd_request *rq, struct hd_reply *rp)
{
    memset(rq, 0, sizeof *rq);
    struct hd_reply init = HD_REPLY_INIT;
    *rp = init;
    rq->method = method, rq->path = path, rq->st = st, rq->max_limit = 1000, rq->base_path = "";
    for (size_t i = 0; args && args[i]; i += 2) {
        rq->args[rq->nargs].name = args[i];
        rq->args[rq->nargs].value = args[i + 1];
        rq->nargs++;
    }
    hd_route(rq, rp);
}

/* The concrete path of a template: an {id} that exists. */
static void concrete(const char *tmpl, const char *id, char *out, size_t cap)
{
    const char *brace = strchr(tmpl, '{');
    if (!brace)
        snprintf(out, cap, "%s", tmpl);
    else
        snprintf(out, cap, "%.*s%s", (int)(brace - tmpl), tmpl, id);
}

static void check_route(struct hd_store *st, const char *tmpl)
{
    json_t *op = json_object_get(json_object_get(json_object_get(doc, "paths"), tmpl), "get");
    CHECK(op != NULL, "route %s is not in the OpenAPI document", tmpl);
    if (!op) return;
    char path[128];
    const char *real = strstr(tmpl, "entities") ? "kim-jong-un"
                       : strstr(tmpl, "web")    ? "app.js"
                                                : "1";
    concrete(tmpl, real, path, sizeof path);
    struct hd_request *rq = malloc(sizeof *rq);
    struct hd_reply rp;

    /* the parameters it reads, with none given, against the document's */
    request(st, "GET", path, NULL, rq, &rp);
    unsigned plain = rp.status;
    CHECK(documented_status(op, plain), "%s answers %u, undocumented", tmpl, plain);
    hd_reply_clear(&rp);
    json_t *params = json_object_get(op, "parameters");
    size_t i;
    json_t *p;
    int ndoc = 0;
    json_array_foreach(params, i, p)
    {
        json_t *d = deref(p);
        CHECK(d != NULL, "%s: a parameter's $ref leads nowhere", tmpl);
        if (!d || strcmp(json_string_value(json_object_get(d, "in")), "query")) continue;
        const char *name = json_string_value(json_object_get(d, "name"));
        ndoc++;
        int asked = 0;
        for (size_t k = 0; k < rq->nasked; k++) asked |= !strcmp(rq->asked[k], name);
        CHECK(asked, "%s documents ?%s, which its handler never reads", tmpl, name);
        /* a blank value of any parameter is a 400 that names it */
        const char *args[] = {name, " ", NULL};
        struct hd_request *r2 = malloc(sizeof *r2);
        request(st, "GET", path, args, r2, &rp);
        const char *named = json_string_value(json_object_get(rp.body, "parameter"));
        CHECK(rp.status == 400 && named && !strcmp(named, name),
              "%s?%s=%%20 gives %u naming %s, not a 400 naming it", tmpl, name, rp.status,
              named ? named : "nothing");
        CHECK(documented_status(op, rp.status), "%s: status %u undocumented", tmpl, rp.status);
        hd_reply_clear(&rp);
        free(r2);
    }
    CHECK((size_t)ndoc == rq->nasked, "%s reads %zu query parameters, the document lists %d", tmpl,
          rq->nasked, ndoc);
    for (size_t k = 0; k < rq->nasked; k++) {
        int found = 0;
        json_array_foreach(params, i, p)
        {
            json_t *d = deref(p);
            found |= d && !strcmp(json_string_value(json_object_get(d, "name")), rq->asked[k]);
        }
        CHECK(found, "%s reads ?%s, which the document does not list", tmpl, rq->asked[k]);
    }

    /* 405 for another method, with Allow; 404 for an id that names nothing */
    request(st, "POST", path, NULL, rq, &rp);
    CHECK(rp.status == 405 && rp.allow && documented_status(op, 405), "%s: POST gives %u", tmpl,
          rp.status);
    hd_reply_clear(&rp);
    if (strchr(tmpl, '{')) {
        concrete(tmpl, strstr(tmpl, "entities") ? "no-such-entity" : "999999", path, sizeof path);
        request(st, "GET", path, NULL, rq, &rp);
        CHECK(rp.status == 404 && documented_status(op, 404), "%s: a missing id gives %u", tmpl,
              rp.status);
        hd_reply_clear(&rp);
    }
    free(rq);
}

/* GET path with the Accept of a browser (html) or of curl. */
static void fetch(struct hd_store *st, const char *path, int html, struct hd_request *rq,
                  struct hd_reply *rp)
{
    request(st, "GET", path, NULL, rq, rp);
    if (!html) return;
    hd_reply_clear(rp);
    struct hd_reply init = HD_REPLY_INIT;
    *rp = init;
    rq->html = 1, rq->nasked = 0;
    hd_route(rq, rp);
}

/* The page: / is HTML for a browser and the index for curl; every file of
 * web/ is served under /web/ with its type, every file index.html names is
 * one of them, and nothing else is reachable there. */
static void check_web(struct hd_store *st)
{
    struct hd_request *rq = malloc(sizeof *rq);
    struct hd_reply rp;
    fetch(st, "/", 1, rq, &rp);
    const struct hd_blob *page = hd_blob_get("web/index.html");
    CHECK(page && rp.status == 200 && rp.text && rp.text_len == page->len &&
              !memcmp(rp.text, page->data, page->len),
          "/ for a browser is web/index.html (%u)", rp.status);
    CHECK(rp.content_type && !strncmp(rp.content_type, "text/html", 9), "/ is text/html");
    CHECK(rp.csp && strstr(rp.csp, "script-src 'self'") && !strstr(rp.csp, "unsafe"),
          "the page has a strict Content-Security-Policy");
    CHECK(rp.vary && !strcmp(rp.vary, "Accept"), "/ varies with Accept");
    CHECK(rp.revalidate, "the page is revalidated, not kept for max-age");
    /* each web/ file the page loads is served */
    int named = 0;
    for (const char *p = page ? page->data : ""; (p = strstr(p, "\"web/")); p += 5) {
        char path[160];
        size_t n = strcspn(p + 1, "\"");
        snprintf(path, sizeof path, "/%.*s", (int)n, p + 1);
        hd_reply_clear(&rp);
        fetch(st, path, 0, rq, &rp);
        CHECK(rp.status == 200 && rp.text_len > 0 && rp.content_type, "the page's %s: %u", path,
              rp.status);
        named++;
    }
    CHECK(named >= 6, "index.html names %d files of web/", named);
    hd_reply_clear(&rp);
    fetch(st, "/", 0, rq, &rp);
    CHECK(rp.status == 200 && rp.body && json_object_get(rp.body, "endpoints"),
          "/ for curl is the index");
    hd_reply_clear(&rp);
    static const struct {
        const char *path, *type;
    } typed[] = {{"/web/app.js", "text/javascript"},
                 {"/web/style.css", "text/css"},
                 {"/web/icon.svg", "image/svg+xml"},
                 {"/web/vendor/VERSIONS.txt", "text/plain"},
                 {"/web/vendor/d3-force.min.js", "text/javascript"}};
    for (size_t i = 0; i < sizeof typed / sizeof *typed; i++) {
        fetch(st, typed[i].path, 1, rq, &rp);
        CHECK(rp.status == 200 && rp.content_type &&
                  !strncmp(rp.content_type, typed[i].type, strlen(typed[i].type)) && !rp.csp,
              "%s is %s", typed[i].path, typed[i].type);
        hd_reply_clear(&rp);
    }
    /* other embedded files, the folder itself, climbing, dot files */
    static const char *const none[] = {"/web/",
                                       "/web/schema.sql",
                                       "/web/openapi.json",
                                       "/web/../schema.sql",
                                       "/web/vendor/../app.js",
                                       "/web/.hidden.js",
                                       "/web//app.js",
                                       "/web/app.js%00",
                                       "/web/index",
                                       "/web/vendor",
                                       "/web/furniture.tsv"};
    for (size_t i = 0; i < sizeof none / sizeof *none; i++) {
        fetch(st, none[i], 0, rq, &rp);
        CHECK(rp.status == 404, "%s gives %u, not 404", none[i], rp.status);
        hd_reply_clear(&rp);
    }
    free(rq);
}

int main(void)
{
    char err[256];
    const struct hd_blob *b = hd_blob_get("openapi.json");
    CHECK(b != NULL, "openapi.json is not embedded");
    if (!b) return check_done("routes");
    json_error_t jerr;
    doc = json_loadb(b->data, b->len, 0, &jerr);
    CHECK(doc != NULL, "openapi.json: %s at line %d", jerr.text, jerr.line);
    CHECK(hd_routes_init("") == 0, "routes init");
    struct hd_store *st = hd_store_open(":memory:", HD_STORE_WRITE, err, sizeof err);
    struct hd_ingest_stats s;
    CHECK(st && hd_ingest_dir(st, "corpus", 1, NULL, NULL, &s, err, sizeof err) == 0, "ingest: %s",
          err);
    if (!doc || !st) return check_done("routes");

    const char *const *t = hd_route_templates();
    size_t nroutes = 0;
    for (; t[nroutes]; nroutes++) check_route(st, t[nroutes]);
    /* and the other way: every documented path is a route */
    const char *key;
    json_t *v;
    json_object_foreach(json_object_get(doc, "paths"), key, v)
    {
        int found = 0;
        for (size_t i = 0; i < nroutes; i++) found |= !strcmp(t[i], key);
        CHECK(found, "the document has %s, the server does not", key);
    }
    CHECK(json_object_size(json_object_get(doc, "paths")) == nroutes, "%zu routes, %zu paths",
          nroutes, json_object_size(json_object_get(doc, "paths")));

    check_web(st);

    /* the served document is this one, with the base path as its server */
    struct hd_request *rq = malloc(sizeof *rq);
    struct hd_reply rp;
    CHECK(hd_routes_init("/api") == 0, "routes init with a base path");
    request(st, "GET", "/openapi.json", NULL, rq, &rp);
    json_t *served = rp.text ? json_loadb(rp.text, rp.text_len, 0, &jerr) : NULL;
    CHECK(served && !strcmp(json_string_value(json_object_get(
                                json_array_get(json_object_get(served, "servers"), 0), "url")),
                            "/api"),
          "served document's server");
    CHECK(served && json_equal(json_object_get(served, "paths"), json_object_get(doc, "paths")),
          "served paths are the document's");
    json_decref(served);
    hd_reply_clear(&rp);
    free(rq);
    hd_routes_free();
    hd_store_close(st);
    json_decref(doc);
    return check_done("routes");
}
