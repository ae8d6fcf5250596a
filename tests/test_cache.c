/* The bounds of what the server keeps between requests: the response cache
 * holds to --cache-mb, counted as the heap counts it, and a connection's
 * statement cache to its bytes and its count. */
#include <malloc.h>
#include <microhttpd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cache.h"
#include "check.h"
#include "store.h"

/* The heap in use: chunks and mmapped blocks (a large calloc is one). */
static size_t heap_used(void)
{
    struct mallinfo2 mi = mallinfo2();
    return mi.uordblks + mi.hblkhd;
}

/* What AddressSanitizer's allocator holds does not show in mallinfo2. */
#if defined(__SANITIZE_ADDRESS__)
#define HEAP_MEASURED 0
#else
#define HEAP_MEASURED 1
#endif

/* Puts reply i with a body of n bytes, made as server/http.c makes one: the
 * body allocated as the cache asks, the headers of a list, both forms. */
static void put_reply(struct hd_cache *c, int i, size_t n)
{
    char key[96], etag[24], total[24];
    int klen = snprintf(key, sizeof key, "GET%c/events%c%climit%c%d", 0, 0, 0, 0, i) + 1;
    snprintf(etag, sizeof etag, "\"%016x\"", (unsigned)i * 2654435761u);
    snprintf(total, sizeof total, "%d", i);
    char *body = malloc(hd_cache_body_size(n + 1));
    if (!body) return;
    memset(body, 'x', n);
    body[n] = 0;
    struct MHD_Response *full = MHD_create_response_from_buffer_with_free_callback(n, body, free);
    struct MHD_Response *nm = MHD_create_response_from_buffer_with_free_callback(0, "", NULL);
    MHD_add_response_header(full, MHD_HTTP_HEADER_CONTENT_TYPE, "application/json; charset=utf-8");
    MHD_add_response_header(full, "X-Total-Count", total);
    MHD_add_response_header(full, "Link", "</events?after=12345&limit=20>; rel=\"next\"");
    struct MHD_Response *both[] = {full, nm};
    for (int k = 0; k < 2; k++) {
        MHD_add_response_header(both[k], MHD_HTTP_HEADER_ETAG, etag);
        MHD_add_response_header(both[k], MHD_HTTP_HEADER_CACHE_CONTROL, "public, max-age=60");
        MHD_add_response_header(both[k], "Vary", "Origin");
    }
    struct hd_cache_meta meta = {200, n, "/events"};
    hd_cache_put(c, key, (size_t)klen, 1, full, nm, etag, &meta);
}

/* Many more replies than fit, of sizes from a few bytes to 40 KB: the
 * bytes the cache counts never pass its bound, and the heap it holds once
 * full (measured, not counted) does not either. */
static void test_response_cache(size_t bound, int puts)
{
    size_t before = heap_used(), entries, bytes, most = 0;
    unsigned long long hits, misses;
    struct hd_cache *c = hd_cache_new(bound);
    CHECK(c != NULL, "a cache of %zu bytes", bound);
    if (!c) return;
    for (int i = 0; i < puts; i++) {
        size_t n = i % 10 == 0 ? 20000 + (size_t)i * 7919 % 20000 : 10 + (size_t)i * 7919 % 4000;
        put_reply(c, i, n);
        hd_cache_counts(c, &entries, &bytes, &hits, &misses);
        if (bytes > most) most = bytes;
    }
    size_t held = heap_used() - before;
    CHECK(most <= bound && bytes > bound / 10 * 9 && entries > 100,
          "bound %zu: at most %zu counted, %zu at the end in %zu entries", bound, most, bytes,
          entries);
    if (HEAP_MEASURED)
        CHECK(held <= bound && held > bytes / 10 * 8,
              "bound %zu: the heap holds %zu, the cache counts %zu", bound, held, bytes);
    hd_cache_free(c);
}

/* SQLite's measure of every statement st has prepared. */
static size_t statements_heap(struct hd_store *st)
{
    int cur = 0, hi = 0;
    sqlite3_db_status(hd_store_db(st), SQLITE_DBSTATUS_STMT_USED, &cur, &hi, 0);
    return (size_t)cur;
}

static void test_statement_cache(void)
{
    char err[256], q[512];
    struct hd_store *st = hd_store_open(":memory:", HD_STORE_WRITE, err, sizeof err);
    CHECK(st != NULL, "open: %s", err);
    if (!st) return;
    size_t bound = 256 << 10, count, bytes, most = 0, before = statements_heap(st);
    hd_store_sql_cache_limit(st, bound);
    /* one running while the others come and go: it must stay valid */
    sqlite3_stmt *held = hd_store_stmt_sql(st, "SELECT value FROM json_each('[1, 2, 3]')");
    CHECK(held && sqlite3_step(held) == SQLITE_ROW && sqlite3_column_int(held, 0) == 1,
          "the held statement's first row");
    int failed = 0;
    for (int i = 0; i < 3000; i++) {
        snprintf(q, sizeof q,
                 "SELECT count(*) FROM articles a JOIN events e ON e.article_id = a.id"
                 " WHERE a.id > %d AND (a.title LIKE '%%w%d%%' OR e.type IN ('t%d', 'u%d'))"
                 " ORDER BY 1",
                 i, i, i, i);
        sqlite3_stmt *s = hd_store_stmt_sql(st, q);
        failed += !s || sqlite3_step(s) != SQLITE_ROW;
        if (s) sqlite3_reset(s);
        hd_store_sql_cache_usage(st, &count, &bytes);
        if (bytes > most) most = bytes;
    }
    CHECK(failed == 0, "%d of the statements failed", failed);
    CHECK(most <= bound && bytes > bound / 2 && count > 10,
          "bound %zu: at most %zu counted, %zu in %zu statements at the end", bound, most, bytes,
          count);
    size_t sqlite_says = statements_heap(st) - before;
    CHECK(sqlite_says <= bound + bound / 8, "bound %zu: SQLite counts %zu", bound, sqlite_says);
    CHECK(held && sqlite3_step(held) == SQLITE_ROW && sqlite3_column_int(held, 0) == 2,
          "the held statement goes on");
    if (held) sqlite3_reset(held);
    /* a statement kept is handed out again */
    sqlite3_stmt *a = hd_store_stmt_sql(st, q), *b = hd_store_stmt_sql(st, q);
    CHECK(a && a == b, "the same SQL, the same statement");

    /* without a bound on bytes, on the count: 2048 */
    hd_store_sql_cache_limit(st, (size_t)1 << 30);
    for (int i = 0; i < 5000; i++) {
        snprintf(q, sizeof q, "SELECT %d", i);
        sqlite3_stmt *s = hd_store_stmt_sql(st, q);
        failed += !s || sqlite3_step(s) != SQLITE_ROW || sqlite3_column_int(s, 0) != i;
    }
    hd_store_sql_cache_usage(st, &count, &bytes);
    CHECK(failed == 0, "%d of the statements failed", failed);
    CHECK(count <= 2048 && count > 1000, "%zu statements kept", count);
    hd_store_close(st);
}

int main(void)
{
    hd_store_init();
    test_response_cache((size_t)1 << 20, 5000);
    test_response_cache((size_t)8 << 20, 20000);
    test_statement_cache();
    return check_done("cache");
}
