/* Parameter parsing and the paging cursors. A cursor is base64url of
 * "KIND:GENERATION:QUERY:POS:MAC", MAC a SHA-256 of the rest under the
 * database's secret: opaque to clients, and any edit of it is refused. */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "params.h"
#include "sha256.h"
#include "utf8.h"

const char *hd_param(struct hd_request *rq, const char *name)
{
    size_t k = 0;
    while (k < rq->nasked && strcmp(rq->asked[k], name)) k++;
    if (k == rq->nasked && k < HD_ASKED_MAX) rq->asked[rq->nasked++] = name;
    for (size_t i = 0; i < rq->nargs; i++)
        if (!strcmp(rq->args[i].name, name)) return rq->args[i].value;
    return NULL;
}

/* How many bytes of a client's value a problem quotes, for "%.*s": at most
 * 40, ending at a whole character and before any byte that is not UTF-8,
 * since the problem is JSON, which json_pack() refuses to build otherwise
 * (the reply went out with no body). */
static int quoted(const char *v)
{
    size_t n = strnlen(v, 40);
    long bad = hd_utf8_invalid_at(v, n);
    return bad >= 0 ? (int)bad : (int)n;
}

/* A strict decimal: digits only, no sign, no spaces, fits in long long. */
static int parse_id(const char *s, long long *out)
{
    if (!*s || strlen(s) > 18) return -1;
    for (const char *c = s; *c; c++)
        if (*c < '0' || *c > '9') return -1;
    errno = 0;
    *out = strtoll(s, NULL, 10);
    return errno ? -1 : 0;
}

int hd_param_limit(struct hd_request *rq, struct hd_reply *rp, int *limit)
{
    const char *v = hd_param(rq, "limit");
    long long n;
    int max = rq->max_limit > 0 ? rq->max_limit : 1000;
    *limit = HD_LIMIT_DEFAULT < max ? HD_LIMIT_DEFAULT : max;
    if (!v) return 0;
    if (parse_id(v, &n) < 0 || n < 1) {
        hd_reply_problem(rp, 400, "Bad Request", "limit",
                         "limit must be a whole number from 1 to %d, not \"%.*s\"", max, quoted(v),
                         v);
        return -1;
    }
    *limit = n > max ? max : (int)n;
    return 0;
}

/* The query a cursor belongs to: a hash of the parameters other than those
 * that may change between pages, in a canonical order. */
static uint32_t query_hash(struct hd_request *rq)
{
    const struct hd_arg *v[HD_ARGS_MAX];
    size_t n = 0;
    for (size_t i = 0; i < rq->nargs; i++) {
        const char *k = rq->args[i].name;
        if (strcmp(k, "cursor") && strcmp(k, "limit") && strcmp(k, "format")) v[n++] = &rq->args[i];
    }
    for (size_t i = 1; i < n; i++) /* insertion sort: a few parameters */
        for (size_t j = i; j > 0; j--) {
            int c = strcmp(v[j - 1]->name, v[j]->name);
            if (c < 0 || (c == 0 && strcmp(v[j - 1]->value, v[j]->value) <= 0)) break;
            const struct hd_arg *t = v[j];
            v[j] = v[j - 1], v[j - 1] = t;
        }
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < n; i++) {
        for (const char *c = v[i]->name; *c; c++) h = (h ^ (unsigned char)*c) * 16777619u;
        h = (h ^ '=') * 16777619u;
        for (const char *c = v[i]->value; *c; c++) h = (h ^ (unsigned char)*c) * 16777619u;
        h = (h ^ '&') * 16777619u;
    }
    return h;
}

static void mac_of(struct hd_request *rq, const char *payload, char out[17])
{
    struct hd_sha256 c;
    char hex[65];
    const char *secret = hd_store_secret(rq->st);
    hd_sha256_init(&c);
    hd_sha256_update(&c, secret, strlen(secret));
    hd_sha256_update(&c, ":", 1);
    hd_sha256_update(&c, payload, strlen(payload));
    hd_sha256_hex(&c, hex);
    memcpy(out, hex, 16);
    out[16] = 0;
}

static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

const char *hd_cursor_make(struct hd_request *rq, const char *kind, long long pos)
{
    static _Thread_local char out[192];
    char raw[128], mac[17];
    long long gen = hd_store_generation(rq->st);
    int n = snprintf(raw, sizeof raw, "%s:%lld:%08x:%lld", kind, gen, query_hash(rq), pos);
    mac_of(rq, raw, mac);
    snprintf(raw + n, sizeof raw - (size_t)n, ":%s", mac);
    size_t len = strlen(raw), o = 0;
    for (size_t i = 0; i < len; i += 3) {
        uint32_t v = (uint32_t)(unsigned char)raw[i] << 16;
        if (i + 1 < len) v |= (uint32_t)(unsigned char)raw[i + 1] << 8;
        if (i + 2 < len) v |= (unsigned char)raw[i + 2];
        out[o++] = b64[v >> 18];
        out[o++] = b64[(v >> 12) & 63];
        if (i + 1 < len) out[o++] = b64[(v >> 6) & 63];
        if (i + 2 < len) out[o++] = b64[v & 63];
    }
    out[o] = 0;
    return out;
}

static int b64_decode(const char *in, char *out, size_t outcap)
{
    size_t n = strlen(in), o = 0;
    uint32_t acc = 0;
    int bits = 0;
    for (size_t i = 0; i < n; i++) {
        const char *p = strchr(b64, in[i]);
        if (!p || !in[i]) return -1;
        acc = (acc << 6) | (uint32_t)(p - b64);
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            if (o + 1 >= outcap) return -1;
            out[o++] = (char)((acc >> bits) & 0xFF);
        }
    }
    out[o] = 0;
    return (int)o;
}

static int read_cursor(struct hd_request *rq, struct hd_reply *rp, const char *kind, int positional,
                       long long *pos)
{
    const char *v = hd_param(rq, "cursor");
    *pos = 0;
    if (!v || !*v) return 0;
    char raw[160], k[32], mac[17], want[17];
    long long gen, p;
    unsigned qh;
    int end = 0;
    if (strlen(v) < 200 && b64_decode(v, raw, sizeof raw) > 0 &&
        sscanf(raw, "%31[a-z-]:%lld:%8x:%lld:%16[0-9a-f]%n", k, &gen, &qh, &p, mac, &end) == 5 &&
        raw[end] == 0 && p >= 0) {
        char *colon = strrchr(raw, ':');
        *colon = 0;
        mac_of(rq, raw, want);
        if (!strcmp(mac, want) && !strcmp(k, kind) && qh == query_hash(rq)) {
            if (positional && gen != hd_store_generation(rq->st)) {
                hd_reply_problem(rp, 400, "Bad Request", "cursor",
                                 "cursor is stale: the data changed since it was given (a "
                                 "re-ingest); start again without it");
                return -1;
            }
            *pos = p;
            return 0;
        }
    }
    hd_reply_problem(rp, 400, "Bad Request", "cursor",
                     "cursor is not one this server gave for this list and query; start again "
                     "without it");
    return -1;
}

int hd_param_cursor(struct hd_request *rq, struct hd_reply *rp, const char *kind, long long *pos)
{
    return read_cursor(rq, rp, kind, 0, pos);
}

int hd_param_offset(struct hd_request *rq, struct hd_reply *rp, const char *kind, long long *pos)
{
    return read_cursor(rq, rp, kind, 1, pos);
}

static void put_escaped(char **o, const char *s)
{
    static const char hex[] = "0123456789ABCDEF";
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
            c == '-' || c == '_' || c == '.' || c == '~' || c == ',') {
            *(*o)++ = (char)c;
        } else {
            *(*o)++ = '%', *(*o)++ = hex[c >> 4], *(*o)++ = hex[c & 15];
        }
    }
}

char *hd_next_url(struct hd_request *rq, const char *cursor)
{
    size_t need =
        strlen(rq->base_path ? rq->base_path : "") + strlen(rq->path) + strlen(cursor) + 16;
    for (size_t i = 0; i < rq->nargs; i++)
        need += 3 * (strlen(rq->args[i].name) + strlen(rq->args[i].value)) + 2;
    char *url = malloc(need), *o = url;
    if (!url) return NULL;
    o += sprintf(o, "%s%s", rq->base_path ? rq->base_path : "", rq->path);
    char sep = '?';
    for (size_t i = 0; i < rq->nargs; i++) {
        if (!strcmp(rq->args[i].name, "cursor")) continue;
        *o++ = sep, sep = '&';
        put_escaped(&o, rq->args[i].name);
        *o++ = '=';
        put_escaped(&o, rq->args[i].value);
    }
    *o++ = sep;
    o += sprintf(o, "cursor=%s", cursor);
    *o = 0;
    return url;
}

int hd_param_id(struct hd_request *rq, struct hd_reply *rp, const char *name, long long *id)
{
    const char *v = hd_param(rq, name);
    *id = 0;
    if (!v) return 0;
    if (parse_id(v, id) < 0 || *id < 1) {
        hd_reply_problem(rp, 400, "Bad Request", name,
                         "%s must be a positive whole number (an id), not \"%.*s\"", name,
                         quoted(v), v);
        return -1;
    }
    return 0;
}

int hd_param_enum(struct hd_request *rq, struct hd_reply *rp, const char *name,
                  const char *const *allowed, const char **out)
{
    const char *v = hd_param(rq, name);
    *out = NULL;
    if (!v) return 0;
    char list[512] = "";
    for (int i = 0; allowed[i]; i++) {
        if (!strcmp(v, allowed[i])) {
            *out = allowed[i];
            return 0;
        }
        snprintf(list + strlen(list), sizeof list - strlen(list), "%s%s", i ? ", " : "",
                 allowed[i]);
    }
    hd_reply_problem(rp, 400, "Bad Request", name, "%s must be one of %s, not \"%.*s\"", name, list,
                     quoted(v), v);
    return -1;
}

int hd_param_text(struct hd_request *rq, struct hd_reply *rp, const char *name, const char **out)
{
    const char *v = hd_param(rq, name);
    *out = NULL;
    if (!v) return 0;
    size_t n = strlen(v);
    int blank = 1;
    for (size_t i = 0; i < n && blank; i++) blank = v[i] == ' ' || v[i] == ',';
    if (blank || n > 500 || hd_utf8_invalid_at(v, n) >= 0) {
        hd_reply_problem(
            rp, 400, "Bad Request", name,
            blank ? "%s must not be empty" : "%s must be UTF-8 text of at most 500 bytes", name);
        return -1;
    }
    *out = v;
    return 0;
}

int hd_param_list(struct hd_request *rq, struct hd_reply *rp, const char *name,
                  int (*valid)(const char *value, char *norm, size_t cap), const char *what,
                  char **out)
{
    *out = NULL;
    if (!hd_param(rq, name)) return 0;
    /* every occurrence of the parameter, as one list */
    char v[2048];
    size_t vl = 0;
    v[0] = 0;
    for (size_t i = 0; i < rq->nargs; i++) {
        if (strcmp(rq->args[i].name, name)) continue;
        int n = snprintf(v + vl, sizeof v - vl, "%s%s", vl ? "," : "", rq->args[i].value);
        if (n < 0 || (size_t)n >= sizeof v - vl) {
            hd_reply_problem(rp, 400, "Bad Request", name, "%s is longer than %zu bytes", name,
                             sizeof v);
            return -1;
        }
        vl += (size_t)n;
    }
    json_t *arr = json_array();
    char one[64], norm[64];
    for (const char *p = v;;) {
        const char *comma = strchr(p, ',');
        size_t n = comma ? (size_t)(comma - p) : strlen(p);
        while (n > 0 && *p == ' ') p++, n--;
        while (n > 0 && p[n - 1] == ' ') n--;
        if (n == 0 || n >= sizeof one) {
            json_decref(arr);
            hd_reply_problem(rp, 400, "Bad Request", name,
                             "%s must be a comma-separated list of %s", name, what);
            return -1;
        }
        memcpy(one, p, n), one[n] = 0;
        if (!valid(one, norm, sizeof norm)) {
            json_decref(arr);
            hd_reply_problem(rp, 400, "Bad Request", name, "%s: \"%.*s\" is not %s", name,
                             quoted(one), one, what);
            return -1;
        }
        json_array_append_new(arr, json_string(norm));
        if (!comma) break;
        p = comma + 1;
    }
    *out = json_dumps(arr, JSON_COMPACT);
    json_decref(arr);
    return 0;
}

int hd_param_date(struct hd_request *rq, struct hd_reply *rp, const char *name, int end,
                  char out[11])
{
    const char *v = hd_param(rq, name);
    out[0] = 0;
    if (!v) return 0;
    static const int mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int y = 0, m = 0, d = 0, n = 0;
    size_t len = strlen(v);
    /* digits and the two hyphens only: sscanf's %d also takes spaces and
     * signs, and a short year ("204-02- 24" was 0204-02-24) */
    int ok = 0, shape = len == 10 || len == 7 || len == 4;
    for (size_t i = 0; i < len && shape; i++)
        shape = i == 4 || i == 7 ? v[i] == '-' : v[i] >= '0' && v[i] <= '9';
    if (shape && len == 10 && sscanf(v, "%4d-%2d-%2d%n", &y, &m, &d, &n) == 3 && n == 10)
        ok = m >= 1 && m <= 12 && d >= 1 && d <= mdays[m - 1];
    else if (shape && len == 7 && sscanf(v, "%4d-%2d%n", &y, &m, &n) == 2 && n == 7)
        ok = m >= 1 && m <= 12, d = ok && end ? mdays[m - 1] : 1; /* mdays only for a real month */
    else if (shape && len == 4 && sscanf(v, "%4d%n", &y, &n) == 1 && n == 4)
        ok = 1, m = end ? 12 : 1, d = end ? 31 : 1;
    if (!ok || y < 1) {
        hd_reply_problem(rp, 400, "Bad Request", name,
                         "%s must be an ISO date (YYYY-MM-DD, YYYY-MM or YYYY), not \"%.*s\"", name,
                         quoted(v), v);
        return -1;
    }
    /* a 29 February of a common year still compares right as a bound */
    snprintf(out, 11, "%04u-%02u-%02u", (unsigned)y % 10000u, (unsigned)m % 100u,
             (unsigned)d % 100u);
    return 0;
}
