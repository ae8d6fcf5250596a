/* The JSON views: the shapes the API contract names, and paging. */
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "document.h"
#include "ingest.h"
#include "views.h"

/* hd_view_dumps writes what json_dumps does, the first time (when it keeps
 * the texts of the events and summaries) and the next (when it uses them),
 * for lists, events with their clusters, and a body that wraps them. */
static void same_dump(struct hd_store *st, json_t *v, const char *what)
{
    char *want = json_dumps(v, JSON_COMPACT | JSON_REAL_PRECISION(10));
    for (int round = 0; round < 2; round++) {
        size_t len = 0;
        char *got = hd_view_dumps(st, v, &len);
        CHECK(want && got && len == strlen(want) && !strcmp(got, want), "%s, round %d: %.80s", what,
              round, got ? got : "(null)");
        free(got);
    }
    free(want);
}

/* A store in memory holding the seed corpus; NULL (a failed check) if not. */
static struct hd_store *seeded(void)
{
    char err[256];
    struct hd_store *st = hd_store_open(":memory:", HD_STORE_WRITE, err, sizeof err);
    struct hd_ingest_stats stats;
    CHECK(st && hd_ingest_dir(st, "corpus", 1, NULL, NULL, &stats, err, sizeof err) == 0,
          "ingest the seeds: %s", err);
    return st;
}

static void test_dumps(void)
{
    struct hd_store *st = seeded();
    if (!st) return;
    for (int group = 0; group < 2; group++) {
        struct hd_event_filter f = {0};
        f.group = group;
        json_t *data = NULL;
        long long next, total;
        CHECK(hd_view_events(st, &f, NULL, 0, 0, 100, &data, &next, &total) == 0 &&
                  json_array_size(data) > 10,
              "events");
        same_dump(st, data, group ? "grouped events" : "events");
        json_t *body = json_pack("{s:O, s:{s:I, s:[s, f, n, b]}}", "data", data, "meta", "total",
                                 (json_int_t)total, "odd \"key\"\n", "a \"quoted\"\ttext", 0.1, 1);
        same_dump(st, body, "a body around them");
        json_decref(body);
        json_decref(data);
    }
    json_t *e = NULL;
    CHECK(hd_view_event(st, 1, &e) == 1, "event 1");
    same_dump(st, e, "an event with its cluster");
    json_decref(e);
    json_t *stats_view = NULL;
    CHECK(hd_view_stats(st, 10, &stats_view) == 0, "stats");
    same_dump(st, stats_view, "stats");
    json_decref(stats_view);
    json_t *plain = json_pack("[i, s]", 1, "بلا مخزن");
    same_dump(NULL, plain, "no store");
    json_decref(plain);
    hd_store_close(st);
}

/* jansson's heap as glibc counts it (a chunk is its usable size and a size
 * word), for the memo's accounting to be held against */
static size_t json_live;

static void *counting_malloc(size_t n)
{
    void *p = malloc(n);
    if (p) json_live += malloc_usable_size(p) + 8;
    return p;
}

static void counting_free(void *p)
{
    if (p) json_live -= malloc_usable_size(p) + 8;
    free(p);
}

/* Every event of the seeds, as lists (plain and grouped) and one by one
 * (with their clusters); when write, each written out too, so that the
 * memo keeps texts, and the lists compared with json_dumps's (which it
 * frees outside counting_free). Returns what the memo holds. */
static size_t view_all(struct hd_store *st, int write, size_t *max_bytes, int *restarts)
{
    size_t entries, bytes, last = 0;
    for (int group = 0; group < 2; group++) {
        struct hd_event_filter f = {0};
        f.group = group;
        json_t *data = NULL;
        long long next, total;
        CHECK(hd_view_events(st, &f, NULL, 0, 0, 1000, &data, &next, &total) == 0, "events");
        if (write) same_dump(st, data, "events, the memo bounded");
        size_t i;
        json_t *e;
        json_array_foreach(data, i, e)
        {
            json_t *one = NULL;
            CHECK(hd_view_event(st, json_integer_value(json_object_get(e, "id")), &one) == 1,
                  "event");
            size_t len;
            if (write) free(hd_view_dumps(st, one, &len));
            json_decref(one);
            hd_view_memo_usage(st, &entries, &bytes);
            if (bytes > *max_bytes) *max_bytes = bytes;
            if (bytes < last) ++*restarts;
            last = bytes;
        }
        json_decref(data);
    }
    hd_view_memo_usage(st, &entries, &bytes);
    return bytes;
}

/* The memo's bytes count what it holds (objects, as jansson's heap is
 * counted, and texts), and never pass its bound. */
static void test_memo_bound(void)
{
    struct hd_store *st = seeded();
    if (!st) return;
    /* the default bound holds all of the seeds': what is alive afterwards
     * is the memo's objects (no texts: nothing was written) */
    size_t before = json_live, max_bytes = 0;
    int restarts = 0;
    size_t bytes = view_all(st, 0, &max_bytes, &restarts);
    size_t held = json_live - before;
    CHECK(restarts == 0 && held > 0 && held <= bytes && bytes < 4 * held,
          "the memo counts %zu bytes, holds %zu of objects", bytes, held);

    hd_store_close(st);

    /* a bound the seeds pass, for a connection opened under it */
    size_t bound = 48 * 1024;
    CHECK(bytes > 2 * bound, "the seeds fill %zu bytes, more than the bound below", bytes);
    hd_view_memo_limit(bound);
    st = seeded();
    max_bytes = 0, restarts = 0;
    for (int round = 0; st && round < 3; round++) view_all(st, 1, &max_bytes, &restarts);
    CHECK(max_bytes <= bound && max_bytes > bound / 2 && restarts > 0,
          "bounded by %zu: at most %zu held, %d restarts", bound, max_bytes, restarts);
    hd_view_memo_limit(0);
    hd_store_close(st);
}

int main(void)
{
    json_set_alloc_funcs(counting_malloc, counting_free);
    char err[256];
    struct hd_store *st = hd_store_open(":memory:", HD_STORE_WRITE, err, sizeof err);
    CHECK(st != NULL, "open: %s", err);
    if (!st) return check_done("views");
    for (int i = 0; i < 5; i++) {
        char text[256], file[32];
        snprintf(text, sizeof text, "الخبر رقم %d\n\nسول -رويترز\nقال المتحدث إن الوفد وصل اليوم.",
                 i);
        snprintf(file, sizeof file, "%d.txt", i);
        struct hd_doc *d = hd_doc_parse(text, strlen(text), NULL, 0, err, sizeof err);
        long long id;
        CHECK(d && hd_store_put_article(st, file, "h", d, &id) == 0, "put %d", i);
        hd_doc_free(d);
    }

    json_t *h = hd_view_health(st);
    CHECK(h && json_integer_value(json_object_get(h, "articles")) == 5 &&
              !strcmp(json_string_value(json_object_get(h, "status")), "ok"),
          "health");
    json_decref(h);

    /* pages of two: 2 + 2 + 1, each id once, the last with no next */
    long long after = 0, next, total, seen = 0;
    int pages = 0;
    do {
        json_t *data;
        CHECK(hd_view_articles(st, after, 2, &data, &next, &total) == 0, "page");
        CHECK(total == 5, "total %lld", total);
        size_t i;
        json_t *a;
        json_array_foreach(data, i, a)
        {
            seen += json_integer_value(json_object_get(a, "id"));
            const char *keys[] = {"id",        "file",      "title",
                                  "source",    "published", "published_source",
                                  "sentences", "entities",  "events"};
            for (size_t k = 0; k < sizeof keys / sizeof *keys; k++)
                CHECK(json_object_get(a, keys[k]) != NULL, "summary lacks %s", keys[k]);
        }
        json_decref(data);
        after = next;
        pages++;
    } while (next && pages < 10);
    CHECK(pages == 3 && seen == 1 + 2 + 3 + 4 + 5, "%d pages, id sum %lld", pages, seen);

    json_t *a = NULL;
    CHECK(hd_view_article(st, 3, &a) == 1, "article 3");
    CHECK(json_is_string(json_object_get(a, "text")) &&
              json_is_array(json_object_get(a, "entities")) &&
              json_is_array(json_object_get(a, "mentions")) &&
              json_array_size(json_object_get(a, "sentence_spans")) == 3 &&
              !strcmp(json_string_value(json_object_get(a, "source")), "رويترز"),
          "detail shape");
    json_decref(a);
    CHECK(hd_view_article(st, 99, &a) == 0, "absent article");
    hd_store_close(st);
    test_dumps();
    test_memo_bound();
    return check_done("views");
}
