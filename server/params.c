/* Parameter parsing and the paging cursor. A cursor is base64url of
 * "KIND:ID:CHECK": keyset paging on the row id, so pages stay stable while
 * rows are added, and the check makes an edited cursor a 400. */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "params.h"
#include "utf8.h"

static const char *arg(struct hd_request *rq, const char *name)
{
    return MHD_lookup_connection_value(rq->conn, MHD_GET_ARGUMENT_KIND, name);
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
    const char *v = arg(rq, "limit");
    long long n;
    *limit = HD_LIMIT_DEFAULT;
    if (!v) return 0;
    if (parse_id(v, &n) < 0 || n < 1) {
        hd_reply_problem(rp, 400, "Bad Request", "limit",
                         "limit must be a whole number from 1 to %d, not \"%.40s\"", HD_LIMIT_MAX,
                         v);
        return -1;
    }
    *limit = n > HD_LIMIT_MAX ? HD_LIMIT_MAX : (int)n;
    return 0;
}

static uint32_t check_of(const char *s)
{
    /* FNV-1a with a fixed salt: catches edits and truncation, not an attacker
     * with the source, which is fine for a public read-only API. */
    uint32_t h = 2166136261u ^ 0x68616461u;
    for (; *s; s++) h = (h ^ (unsigned char)*s) * 16777619u;
    return h;
}

static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

const char *hd_cursor_make(const char *kind, long long after)
{
    static _Thread_local char out[128];
    char raw[96];
    int n = snprintf(raw, sizeof raw, "%s:%lld", kind, after);
    snprintf(raw + n, sizeof raw - (size_t)n, ":%08x", check_of(raw));
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

int hd_param_cursor(struct hd_request *rq, struct hd_reply *rp, const char *kind, long long *after)
{
    const char *v = arg(rq, "cursor");
    *after = 0;
    if (!v || !*v) return 0;
    char raw[96];
    if (strlen(v) < 100 && b64_decode(v, raw, sizeof raw) > 0) {
        char *c2 = strrchr(raw, ':');
        size_t kl = strlen(kind);
        if (c2 && strncmp(raw, kind, kl) == 0 && raw[kl] == ':') {
            unsigned check;
            char tail[16];
            *c2 = 0;
            long long id;
            if (sscanf(c2 + 1, "%8x%15s", &check, tail) == 1 && strlen(c2 + 1) == 8 &&
                check == check_of(raw) && parse_id(raw + kl + 1, &id) == 0) {
                *after = id;
                return 0;
            }
        }
    }
    hd_reply_problem(rp, 400, "Bad Request", "cursor",
                     "cursor is not one this server gave for this list; start again without it");
    return -1;
}

int hd_param_id(struct hd_request *rq, struct hd_reply *rp, const char *name, long long *id)
{
    const char *v = arg(rq, name);
    *id = 0;
    if (!v) return 0;
    if (parse_id(v, id) < 0 || *id < 1) {
        hd_reply_problem(rp, 400, "Bad Request", name,
                         "%s must be a positive whole number (an id), not \"%.40s\"", name, v);
        return -1;
    }
    return 0;
}

int hd_param_enum(struct hd_request *rq, struct hd_reply *rp, const char *name,
                  const char *const *allowed, const char **out)
{
    const char *v = arg(rq, name);
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
    hd_reply_problem(rp, 400, "Bad Request", name, "%s must be one of %s, not \"%.40s\"", name,
                     list, v);
    return -1;
}

int hd_param_text(struct hd_request *rq, struct hd_reply *rp, const char *name, const char **out)
{
    const char *v = arg(rq, name);
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

int hd_param_offset(struct hd_request *rq, struct hd_reply *rp, const char *kind, long long *offset)
{
    return hd_param_cursor(rq, rp, kind, offset);
}

int hd_param_list(struct hd_request *rq, struct hd_reply *rp, const char *name,
                  int (*valid)(const char *value, char *norm, size_t cap), const char *what,
                  char **out)
{
    const char *v = arg(rq, name);
    *out = NULL;
    if (!v) return 0;
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
            hd_reply_problem(rp, 400, "Bad Request", name, "%s: \"%.40s\" is not %s", name, one,
                             what);
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
    const char *v = arg(rq, name);
    out[0] = 0;
    if (!v) return 0;
    static const int mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int y = 0, m = 0, d = 0, n = 0;
    size_t len = strlen(v);
    int ok = 0;
    if (len == 10 && sscanf(v, "%4d-%2d-%2d%n", &y, &m, &d, &n) == 3 && n == 10)
        ok = m >= 1 && m <= 12 && d >= 1 && d <= mdays[m - 1];
    else if (len == 7 && sscanf(v, "%4d-%2d%n", &y, &m, &n) == 2 && n == 7)
        ok = m >= 1 && m <= 12, d = end ? mdays[m - 1] : 1;
    else if (len == 4 && sscanf(v, "%4d%n", &y, &n) == 1 && n == 4)
        ok = 1, m = end ? 12 : 1, d = end ? 31 : 1;
    if (!ok || y < 1 || v[0] < '0' || v[0] > '9') {
        hd_reply_problem(rp, 400, "Bad Request", name,
                         "%s must be an ISO date (YYYY-MM-DD, YYYY-MM or YYYY), not \"%.40s\"",
                         name, v);
        return -1;
    }
    /* a 29 February of a common year still compares right as a bound */
    snprintf(out, 11, "%04u-%02u-%02u", (unsigned)y % 10000u, (unsigned)m % 100u,
             (unsigned)d % 100u);
    return 0;
}
