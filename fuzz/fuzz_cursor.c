/* Paging cursors (server/params.c): hd_param_cursor/hd_param_offset on fuzzed
 * cursor= values and on signed cursors edited byte by byte, since a client
 * hands cursors back as opaque blobs: no edit may move a page or cross lists. */
#include <jansson.h>

#include "fuzz.h"
#include "params.h"
#include "store.h"

/* A fixed secret, so that the cursors in fuzz/seeds/cursor are real. */
#define SECRET "00112233445566778899aabbccddeeff"

static struct hd_store *st;
static const char *const kinds[] = {"articles",    "entities",     "events",
                                    "events-date", "events-rdate", "search"};
#define NKINDS (sizeof kinds / sizeof *kinds)

static void request(struct hd_request *rq, const char **names, const char **values, size_t n)
{
    memset(rq, 0, sizeof *rq);
    rq->method = "GET", rq->path = "/events", rq->st = st, rq->max_limit = 1000;
    rq->base_path = "";
    for (size_t i = 0; i < n && i < HD_ARGS_MAX; i++)
        rq->args[i].name = names[i], rq->args[i].value = values[i];
    rq->nargs = n < HD_ARGS_MAX ? n : HD_ARGS_MAX;
}

/* Reads the cursor of rq as kind wants: a keyset cursor or a position. */
static int read_as(struct hd_request *rq, size_t kind, int positional, long long *pos)
{
    struct hd_reply rp = HD_REPLY_INIT;
    int rc = positional ? hd_param_offset(rq, &rp, kinds[kind], pos)
                        : hd_param_cursor(rq, &rp, kinds[kind], pos);
    if (rc < 0) {
        const char *named = json_string_value(json_object_get(rp.body, "parameter"));
        FUZZ_CHECK(rp.status == 400 && named && !strcmp(named, "cursor"),
                   "a refused cursor gave %u naming %s", rp.status, named ? named : "nothing");
    } else {
        FUZZ_CHECK(rp.status == 200 && !rp.body && *pos >= 0, "an accepted cursor: %lld", *pos);
    }
    hd_reply_clear(&rp);
    return rc;
}

/* from with its parameter name set to value (replace), or with one more
 * (name, value); from has room for one more. */
static void with_arg(struct hd_request *to, const struct hd_request *from, const char *name,
                     const char *value, int replace)
{
    *to = *from;
    size_t i = 0;
    while (replace && i < to->nargs && strcmp(to->args[i].name, name)) i++;
    if (!replace) i = to->nargs;
    if (i == to->nargs) to->nargs++;
    to->args[i].name = name, to->args[i].value = value;
}

/* The input as query string: whatever it holds for cursor=, read as each
 * kind both ways. */
static void raw(const uint8_t *data, size_t size)
{
    char *q = fuzz_cstr(data, size);
    const char *names[HD_ARGS_MAX], *values[HD_ARGS_MAX];
    size_t n = fuzz_split_query(q, names, values, HD_ARGS_MAX);
    struct hd_request *rq = malloc(sizeof *rq);
    request(rq, names, values, n);
    const char *c = hd_param(rq, "cursor");
    for (size_t k = 0; k < NKINDS; k++) {
        long long pos;
        int a = read_as(rq, k, 0, &pos), b = read_as(rq, k, 1, &pos);
        FUZZ_CHECK(c && *c ? 1 : a == 0 && b == 0 && pos == 0, "no cursor, yet refused");
        /* one kind only takes a given cursor */
        if (c && *c && (a == 0 || b == 0))
            for (size_t j = 0; j < NKINDS; j++)
                if (j != k)
                    FUZZ_CHECK(read_as(rq, j, 0, &pos) < 0, "%s and %s", kinds[k], kinds[j]);
    }
    free(rq);
    free(q);
}

/* A signed cursor for (kind, pos, the query in the rest of the input), and
 * edits of it: data is pos (8 bytes), kind, the number of edits and each
 * (offset, byte), then the query string. */
static void signed_cursor(const uint8_t *data, size_t size)
{
    if (size < 10) return;
    uint64_t u = 0;
    for (int i = 0; i < 8; i++) u = (u << 8) | data[i];
    long long pos = (long long)(u >> 1); /* hd_cursor_make() is given no negative position */
    size_t kind = data[8] % NKINDS, nedits = (size_t)(data[9] % 8), at = 10;
    const uint8_t *edits = data + at;
    if (size < at + 2 * nedits) return;
    at += 2 * nedits;
    char *q = fuzz_cstr(data + at, size - at);
    const char *names[HD_ARGS_MAX], *values[HD_ARGS_MAX];
    /* room for a cursor and one more parameter */
    size_t n = fuzz_split_query(q, names, values, HD_ARGS_MAX - 2);
    struct hd_request *rq = malloc(sizeof *rq), *r2 = malloc(sizeof *r2);
    request(rq, names, values, n);

    char c[256];
    snprintf(c, sizeof c, "%s", hd_cursor_make(rq, kinds[kind], pos));
    size_t cl = strlen(c);
    FUZZ_CHECK(cl > 0 && cl < 200, "a cursor of %zu bytes", cl);
    FUZZ_CHECK(strspn(c, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_") == cl,
               "cursor %s is not base64url", c);

    /* it continues its list at pos, both ways of reading, and no other list */
    long long got = -1;
    with_arg(r2, rq, "cursor", c, 1);
    FUZZ_CHECK(read_as(r2, kind, 0, &got) == 0 && got == pos, "cursor gave %lld, not %lld", got,
               pos);
    FUZZ_CHECK(read_as(r2, kind, 1, &got) == 0 && got == pos, "offset gave %lld", got);
    for (size_t j = 0; j < NKINDS; j++)
        if (j != kind) FUZZ_CHECK(read_as(r2, j, 0, &got) < 0, "taken as %s", kinds[j]);

    /* limit and format may change between pages, nothing else may */
    struct hd_request *r3 = malloc(sizeof *r3);
    with_arg(r3, r2, "limit", "7", 1);
    FUZZ_CHECK(read_as(r3, kind, 0, &got) == 0 && got == pos, "another limit");
    with_arg(r3, r2, "zz", "1", 0);
    FUZZ_CHECK(read_as(r3, kind, 0, &got) < 0, "a cursor taken for another query");

    /* a re-ingest makes positions stale, not keyset cursors */
    if (data[9] & 0x80) {
        FUZZ_CHECK(hd_store_bump_generation(st) == 0, "bump");
        FUZZ_CHECK(read_as(r2, kind, 1, &got) < 0, "a stale position taken");
        FUZZ_CHECK(read_as(r2, kind, 0, &got) == 0 && got == pos, "a keyset cursor went stale");
        hd_store_exec(st, "UPDATE meta SET value = value - 1 WHERE key = 'generation'");
    }

    /* edited: refused, or (a base64 digit's unused low bits) the same page;
     * emptied, the first page */
    for (size_t e = 0; e < nedits; e++) {
        size_t off = edits[2 * e] % (cl + 1);
        c[off] = (char)edits[2 * e + 1];
        if (off == cl) c[off + 1] = 0;
    }
    with_arg(r2, rq, "cursor", c, 1);
    for (int positional = 0; positional < 2; positional++)
        if (read_as(r2, kind, positional, &got) == 0)
            FUZZ_CHECK(got == (c[0] ? pos : 0), "an edited cursor gave %lld, not %lld", got, pos);
    free(r3);
    free(r2);
    free(rq);
    free(q);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!st) {
        char err[256];
        hd_store_init();
        st = hd_store_open(":memory:", HD_STORE_WRITE, err, sizeof err);
        FUZZ_CHECK(st != NULL, "store: %s", err);
        FUZZ_CHECK(hd_store_exec(st, "UPDATE meta SET value = '" SECRET "' WHERE key = 'secret'") ==
                           SQLITE_OK &&
                       !strcmp(hd_store_secret(st), SECRET),
                   "secret");
    }
    /* a query string (the seeds), or a signed cursor to edit */
    if (size > 0 && data[0] == 0xFF)
        signed_cursor(data + 1, size - 1);
    else
        raw(data, size);
    return 0;
}
