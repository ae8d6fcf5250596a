/* server/params.c on a fuzzed query string, split and percent-decoded as
 * libmicrohttpd does: every byte after "?" reaches these parsers first. Each
 * refusal must be a 400 naming its parameter, each Link URL parse back. */
#include <jansson.h>

#include "events.h"
#include "fuzz.h"
#include "params.h"
#include "store.h"

static struct hd_store *st;

/* The validators of the list parameters, as server/routes.c has them. */
static int valid_type(const char *v, char *norm, size_t cap)
{
    snprintf(norm, cap, "%s", v);
    return hd_event_type_valid(v);
}

static int valid_cameo(const char *v, char *norm, size_t cap)
{
    size_t n = strlen(v);
    snprintf(norm, cap, "%s", v);
    for (size_t i = 0; i < n; i++)
        if (v[i] < '0' || v[i] > '9') return 0;
    return n >= 2 && n <= 4;
}

static int valid_country(const char *v, char *norm, size_t cap)
{
    size_t n = strlen(v);
    if (n != 2 || n >= cap) return 0;
    for (size_t i = 0; i < n; i++) {
        char c = v[i];
        if (c >= 'a' && c <= 'z') c = (char)(c - 'a' + 'A');
        if (c < 'A' || c > 'Z') return 0;
        norm[i] = c;
    }
    norm[n] = 0;
    return 1;
}

static void request(struct hd_request *rq, const char **names, const char **values, size_t n)
{
    memset(rq, 0, sizeof *rq);
    rq->method = "GET", rq->path = "/events", rq->st = st, rq->max_limit = 1000;
    rq->base_path = "/api";
    for (size_t i = 0; i < n; i++) rq->args[i].name = names[i], rq->args[i].value = values[i];
    rq->nargs = n;
}

/* A refusal: a 400 problem whose body names the parameter. */
static void refused(struct hd_reply *rp, const char *name)
{
    FUZZ_CHECK(rp->status == 400, "%s: refused with status %u", name, rp->status);
    FUZZ_CHECK(rp->body != NULL, "%s: a 400 without a body", name);
    const char *named = json_string_value(json_object_get(rp->body, "parameter"));
    FUZZ_CHECK(named && !strcmp(named, name), "%s: the 400 names %s", name,
               named ? named : "nothing");
    const char *detail = json_string_value(json_object_get(rp->body, "detail"));
    FUZZ_CHECK(detail && fuzz_utf8_ok(detail, strlen(detail)), "%s: no detail", name);
}

static void reply_done(struct hd_reply *rp, int rc, const char *name)
{
    if (rc < 0)
        refused(rp, name);
    else
        FUZZ_CHECK(rp->status == 200 && !rp->body, "%s: accepted with a reply", name);
    hd_reply_clear(rp);
    struct hd_reply init = HD_REPLY_INIT;
    *rp = init;
}

static int is_date(const char *d)
{
    for (int i = 0; i < 10; i++)
        if (i == 4 || i == 7 ? d[i] != '-' : d[i] < '0' || d[i] > '9') return 0;
    int m = (d[5] - '0') * 10 + d[6] - '0', day = (d[8] - '0') * 10 + d[9] - '0';
    return d[10] == 0 && m >= 1 && m <= 12 && day >= 1 && day <= 31;
}

static void parsers(struct hd_request *rq)
{
    struct hd_reply rp = HD_REPLY_INIT;
    int limit, rc;
    long long id, pos;
    const char *v, *out;
    char date[11], *list;

    rc = hd_param_limit(rq, &rp, &limit);
    FUZZ_CHECK(rc < 0 || (limit >= 1 && limit <= rq->max_limit), "limit %d", limit);
    reply_done(&rp, rc, "limit");

    rc = hd_param_id(rq, &rp, "article", &id);
    v = hd_param(rq, "article");
    FUZZ_CHECK(rc < 0 || (v ? id >= 1 : id == 0), "article %lld", id);
    reply_done(&rp, rc, "article");

    static const char *const sorts[] = {"id", "date", "-date", NULL};
    rc = hd_param_enum(rq, &rp, "sort", sorts, &out);
    FUZZ_CHECK(rc < 0 || !out || out == sorts[0] || out == sorts[1] || out == sorts[2], "sort");
    reply_done(&rp, rc, "sort");

    static const char *const text[] = {"q", "actor", "target"};
    for (int i = 0; i < 3; i++) {
        rc = hd_param_text(rq, &rp, text[i], &out);
        if (rc == 0 && out) {
            size_t n = strlen(out);
            FUZZ_CHECK(n > 0 && n <= 500 && fuzz_utf8_ok(out, n), "%s accepted", text[i]);
            FUZZ_CHECK(strspn(out, " ,") < n, "%s: a blank value accepted", text[i]);
        }
        reply_done(&rp, rc, text[i]);
    }

    static const char *const dates[] = {"from", "to"};
    for (int end = 0; end < 2; end++) {
        rc = hd_param_date(rq, &rp, dates[end], end, date);
        v = hd_param(rq, dates[end]);
        if (rc == 0) {
            FUZZ_CHECK(v ? is_date(date) : !date[0], "%s: \"%s\"", dates[end], date);
            /* what was sent is how the date begins: all of it for a day */
            size_t n = v ? strlen(v) : 0;
            if (v)
                FUZZ_CHECK((n == 4 || n == 7 || n == 10) && !strncmp(v, date, n),
                           "%s: %s became %s", dates[end], v, date);
        }
        reply_done(&rp, rc, dates[end]);
    }

    static const char *const lists[] = {"type", "cameo", "country"};
    static int (*const valid[])(const char *, char *, size_t) = {valid_type, valid_cameo,
                                                                 valid_country};
    for (int i = 0; i < 3; i++) {
        rc = hd_param_list(rq, &rp, lists[i], valid[i], "a value", &list);
        if (rc == 0 && list) {
            json_t *a = json_loads(list, 0, NULL);
            FUZZ_CHECK(json_is_array(a) && json_array_size(a) > 0, "%s: %s", lists[i], list);
            for (size_t k = 0; k < json_array_size(a); k++) {
                const char *s = json_string_value(json_array_get(a, k));
                FUZZ_CHECK(s && *s && strlen(s) < 64, "%s: item %zu", lists[i], k);
            }
            json_decref(a);
        }
        FUZZ_CHECK(rc == 0 || !list, "%s: a list with a refusal", lists[i]);
        free(list);
        reply_done(&rp, rc, lists[i]);
    }

    rc = hd_param_cursor(rq, &rp, "events", &pos);
    FUZZ_CHECK(rc < 0 || pos >= 0, "cursor %lld", pos);
    reply_done(&rp, rc, "cursor");
    rc = hd_param_offset(rq, &rp, "events-date", &pos);
    FUZZ_CHECK(rc < 0 || pos >= 0, "offset %lld", pos);
    reply_done(&rp, rc, "cursor");
}

/* hd_next_url() of rq parses back to rq's parameters but cursor, then the
 * new cursor, which continues at pos. */
static void next_url(struct hd_request *rq, long long pos)
{
    char cursor[256];
    snprintf(cursor, sizeof cursor, "%s", hd_cursor_make(rq, "events", pos));
    char *url = hd_next_url(rq, cursor);
    FUZZ_CHECK(url != NULL, "hd_next_url");
    FUZZ_CHECK(!strncmp(url, "/api/events?", 12), "url %s", url);
    size_t kept = 0;
    for (size_t i = 0; i < rq->nargs; i++) kept += strcmp(rq->args[i].name, "cursor") != 0;
    const char *names[HD_ARGS_MAX + 1], *values[HD_ARGS_MAX + 1];
    size_t n = fuzz_split_query(url + 12, names, values, HD_ARGS_MAX + 1);
    FUZZ_CHECK(n == kept + 1, "%zu parameters back from the URL, not %zu", n, kept + 1);
    for (size_t i = 0, k = 0; i < rq->nargs; i++) {
        if (!strcmp(rq->args[i].name, "cursor")) continue;
        FUZZ_CHECK(!strcmp(names[k], rq->args[i].name) && !strcmp(values[k], rq->args[i].value),
                   "parameter %zu changed in the URL", i);
        k++;
    }
    FUZZ_CHECK(!strcmp(names[n - 1], "cursor") && !strcmp(values[n - 1], cursor), "cursor");
    if (n <= HD_ARGS_MAX) {
        struct hd_request *back = malloc(sizeof *back);
        struct hd_reply rp = HD_REPLY_INIT;
        long long got;
        request(back, names, values, n);
        /* the first cursor parameter is read: the new one when the
         * request had none */
        if (kept == rq->nargs) {
            FUZZ_CHECK(hd_param_cursor(back, &rp, "events", &got) == 0 && got == pos,
                       "the next page's cursor gave %lld, not %lld", got, pos);
            FUZZ_CHECK(hd_param_offset(back, &rp, "events", &got) == 0 && got == pos, "offset");
        }
        hd_reply_clear(&rp);
        free(back);
    }
    free(url);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!st) {
        char err[256];
        hd_store_init();
        st = hd_store_open(":memory:", 0, err, sizeof err);
        FUZZ_CHECK(st != NULL, "store: %s", err);
    }
    char *q = fuzz_cstr(data, size);
    const char *names[HD_ARGS_MAX], *values[HD_ARGS_MAX];
    size_t n = fuzz_split_query(q, names, values, HD_ARGS_MAX);
    struct hd_request *rq = malloc(sizeof *rq);
    request(rq, names, values, n);
    parsers(rq);
    FUZZ_CHECK(rq->nasked <= HD_ASKED_MAX, "asked");
    next_url(rq, (long long)(size * 7919));
    free(rq);
    free(q);
    return 0;
}
