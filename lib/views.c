/* JSON views. Column order follows the statements in store.c. */
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "normalize.h"
#include "views.h"

static json_t *text_or_null(sqlite3_stmt *s, int col)
{
    const unsigned char *t = sqlite3_column_text(s, col);
    return t ? json_stringn((const char *)t, (size_t)sqlite3_column_bytes(s, col)) : json_null();
}

json_t *hd_view_health(struct hd_store *st)
{
    sqlite3_stmt *s = hd_store_stmt(st, HD_HEALTH_COUNTS);
    if (!s || sqlite3_step(s) != SQLITE_ROW) return NULL;
    json_t *o = json_pack("{s:s, s:I, s:I, s:I}", "status", "ok", "articles",
                          (json_int_t)sqlite3_column_int64(s, 0), "entities",
                          (json_int_t)sqlite3_column_int64(s, 1), "events",
                          (json_int_t)sqlite3_column_int64(s, 2));
    sqlite3_reset(s);
    return o;
}

/* The summary columns shared by HD_ARTICLE_PAGE and HD_ARTICLE_GET. */
static json_t *article_summary(sqlite3_stmt *s)
{
    json_t *o = json_object();
    json_object_set_new(o, "id", json_integer(sqlite3_column_int64(s, 0)));
    json_object_set_new(o, "file", text_or_null(s, 1));
    json_object_set_new(o, "title", text_or_null(s, 2));
    json_object_set_new(o, "source", text_or_null(s, 3));
    json_object_set_new(o, "published", text_or_null(s, 4));
    json_object_set_new(o, "published_source", text_or_null(s, 5));
    json_object_set_new(o, "url", text_or_null(s, 6));
    json_object_set_new(o, "sentences", json_integer(sqlite3_column_int64(s, 7)));
    json_object_set_new(o, "entities", json_integer(sqlite3_column_int64(s, 8)));
    json_object_set_new(o, "events", json_integer(sqlite3_column_int64(s, 9)));
    return o;
}

/* An entity summary from six columns starting at col: slug, type, name,
 * name_ar, wikidata, country. */
static json_t *entity_summary(sqlite3_stmt *s, int col)
{
    static const char *const keys[] = {"id", "type", "name", "name_ar", "wikidata", "country"};
    json_t *e = json_object();
    for (int i = 0; i < 6; i++) json_object_set_new(e, keys[i], text_or_null(s, col + i));
    return e;
}

int hd_view_articles(struct hd_store *st, long long after, int limit, json_t **data,
                     long long *next, long long *total)
{
    sqlite3_stmt *c = hd_store_stmt(st, HD_ARTICLE_COUNT);
    if (!c || sqlite3_step(c) != SQLITE_ROW) return -1;
    *total = sqlite3_column_int64(c, 0);
    sqlite3_reset(c);

    sqlite3_stmt *s = hd_store_stmt(st, HD_ARTICLE_PAGE);
    if (!s) return -1;
    sqlite3_bind_int64(s, 1, after);
    sqlite3_bind_int(s, 2, limit + 1); /* one more row says whether a next page exists */
    json_t *arr = json_array();
    int rc, n = 0;
    long long last = 0;
    *next = 0;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        if (n == limit) {
            *next = last;
            break;
        }
        last = sqlite3_column_int64(s, 0);
        json_array_append_new(arr, article_summary(s));
        n++;
    }
    sqlite3_reset(s);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
        json_decref(arr);
        return -1;
    }
    *data = arr;
    return 0;
}

int hd_view_article(struct hd_store *st, long long id, json_t **out)
{
    sqlite3_stmt *s = hd_store_stmt(st, HD_ARTICLE_GET);
    if (!s) return -1;
    sqlite3_bind_int64(s, 1, id);
    int rc = sqlite3_step(s);
    if (rc != SQLITE_ROW) {
        sqlite3_reset(s);
        return rc == SQLITE_DONE ? 0 : -1;
    }
    json_t *o = article_summary(s);
    json_object_set_new(o, "text", text_or_null(s, 10));
    json_object_set_new(o, "text_length", json_integer(sqlite3_column_int64(s, 11)));
    json_object_set_new(o, "ingested_at", text_or_null(s, 12));
    sqlite3_reset(s);

    json_t *ents = json_array(), *ments = json_array(), *sents = json_array();
    json_t *mods = json_array();
    s = hd_store_stmt(st, HD_ARTICLE_ENTITIES);
    if (!s) goto fail;
    sqlite3_bind_int64(s, 1, id);
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        json_t *e = entity_summary(s, 0);
        json_object_set_new(e, "mentions", json_integer(sqlite3_column_int64(s, 6)));
        if (sqlite3_column_int(s, 7)) json_object_set_new(e, "credited", json_true());
        json_array_append_new(ents, e);
    }
    sqlite3_reset(s);
    if (rc != SQLITE_DONE) goto fail;

    s = hd_store_stmt(st, HD_ARTICLE_MENTIONS);
    if (!s) goto fail;
    sqlite3_bind_int64(s, 1, id);
    /* A country's adjective is no name of it (NER leaves them out too): it
     * goes to "modifiers", where events can still read it. */
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        const char *kind = (const char *)sqlite3_column_text(s, 4);
        int adjective = kind && !strcmp(kind, "adjective");
        json_t *m =
            json_pack("{s:o, s:I, s:I, s:o}", "entity", text_or_null(s, 0), "start",
                      (json_int_t)sqlite3_column_int64(s, 1), "end",
                      (json_int_t)sqlite3_column_int64(s, 2), "surface", text_or_null(s, 3));
        if (!adjective) json_object_set_new(m, "kind", text_or_null(s, 4));
        if (sqlite3_column_int(s, 5)) json_object_set_new(m, "as_country", json_true());
        json_array_append_new(adjective ? mods : ments, m);
    }
    sqlite3_reset(s);
    if (rc != SQLITE_DONE) goto fail;

    s = hd_store_stmt(st, HD_ARTICLE_SENTENCES);
    if (!s) goto fail;
    sqlite3_bind_int64(s, 1, id);
    while ((rc = sqlite3_step(s)) == SQLITE_ROW)
        json_array_append_new(sents, json_pack("{s:I, s:I, s:I}", "seq",
                                               (json_int_t)sqlite3_column_int64(s, 0), "start",
                                               (json_int_t)sqlite3_column_int64(s, 1), "end",
                                               (json_int_t)sqlite3_column_int64(s, 2)));
    sqlite3_reset(s);
    if (rc != SQLITE_DONE) goto fail;

    /* In the detail "entities" is the list, where the summary has a count. */
    json_object_set_new(o, "entities", ents);
    json_object_set_new(o, "mentions", ments);
    json_object_set_new(o, "modifiers", mods);
    json_object_set_new(o, "sentence_spans", sents);
    *out = o;
    return 1;
fail:
    json_decref(ents);
    json_decref(ments);
    json_decref(mods);
    json_decref(sents);
    json_decref(o);
    return -1;
}

/* The counts and point after the summary columns: mentions, articles at
 * col, lat, lon at col + 2. */
static void entity_counts(json_t *e, sqlite3_stmt *s, int col)
{
    json_object_set_new(e, "mentions", json_integer(sqlite3_column_int64(s, col)));
    json_object_set_new(e, "articles", json_integer(sqlite3_column_int64(s, col + 1)));
    if (sqlite3_column_type(s, col + 2) != SQLITE_NULL)
        json_object_set_new(e, "point",
                            json_pack("{s:f, s:f}", "lat", sqlite3_column_double(s, col + 2), "lon",
                                      sqlite3_column_double(s, col + 3)));
}

static void bind_named(sqlite3_stmt *s, const char *name, const char *v)
{
    int i = sqlite3_bind_parameter_index(s, name);
    if (i > 0 && v) sqlite3_bind_text(s, i, v, -1, SQLITE_STATIC);
}

/* The WHERE terms of f, each a search of an index (so no list of the
 * filters a request lacks is walked); the parameters are named. */
static void entity_where(const struct hd_entity_filter *f, char *w, size_t cap)
{
    snprintf(w, cap, "%s%s%s", f->type ? " AND e.type = :type" : "",
             f->ids ? " AND e.id IN (SELECT value FROM json_each(:ids))" : "",
             f->article > 0 ? " AND e.id IN (SELECT entity_id FROM mentions WHERE article_id ="
                              " :article AND kind <> 'adjective')"
                            : "");
}

static void bind_entity_filter(sqlite3_stmt *s, const struct hd_entity_filter *f)
{
    bind_named(s, ":type", f->type), bind_named(s, ":ids", f->ids);
    int i = sqlite3_bind_parameter_index(s, ":article");
    if (i > 0) sqlite3_bind_int64(s, i, f->article);
}

int hd_view_entities(struct hd_store *st, const struct hd_entity_filter *f, long long offset,
                     int limit, json_t **data, long long *total)
{
    /* the whole list is prepared once (HD_ENTITY_COUNT, HD_ENTITY_PAGE); a
     * filtered one is built per shape, like the events' */
    char where[512], q[1024];
    entity_where(f, where, sizeof where);
    snprintf(q, sizeof q,
             "SELECT count(*) FROM entity_stats s JOIN entities e ON e.id = s.entity_id WHERE 1%s",
             where);
    sqlite3_stmt *c = where[0] ? hd_store_stmt_sql(st, q) : hd_store_stmt(st, HD_ENTITY_COUNT);
    if (!c) return -1;
    bind_entity_filter(c, f);
    if (sqlite3_step(c) != SQLITE_ROW) {
        sqlite3_reset(c);
        return -1;
    }
    *total = sqlite3_column_int64(c, 0);
    sqlite3_reset(c);
    snprintf(q, sizeof q,
             "SELECT e.slug, e.type, e.name, e.name_ar, e.wikidata, e.country, s.mentions,"
             " s.articles, e.lat, e.lon FROM entity_stats s JOIN entities e ON e.id = s.entity_id"
             " WHERE 1%s ORDER BY s.mentions DESC, s.entity_id LIMIT :limit OFFSET :offset",
             where);
    sqlite3_stmt *s = where[0] ? hd_store_stmt_sql(st, q) : hd_store_stmt(st, HD_ENTITY_PAGE);
    if (!s) return -1;
    bind_entity_filter(s, f);
    sqlite3_bind_int(s, sqlite3_bind_parameter_index(s, ":limit"), limit);
    sqlite3_bind_int64(s, sqlite3_bind_parameter_index(s, ":offset"), offset);
    json_t *arr = json_array();
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        json_t *e = entity_summary(s, 0);
        entity_counts(e, s, 6);
        json_array_append_new(arr, e);
    }
    sqlite3_reset(s);
    if (rc != SQLITE_DONE) {
        json_decref(arr);
        return -1;
    }
    *data = arr;
    return 0;
}

/* The summary of entity row id, with its point (lat, lon) when asked and
 * known: a map of events wants it, a list of actors does not. */
static json_t *summary_by_id(struct hd_store *st, long long id, int with_point)
{
    sqlite3_stmt *s = hd_store_stmt(st, HD_ENTITY_SUMMARY);
    if (!s) return NULL;
    sqlite3_bind_int64(s, 1, id);
    json_t *e = NULL;
    if (sqlite3_step(s) == SQLITE_ROW) {
        e = entity_summary(s, 0);
        if (with_point && sqlite3_column_type(s, 6) != SQLITE_NULL)
            json_object_set_new(e, "point",
                                json_pack("{s:f, s:f}", "lat", sqlite3_column_double(s, 6), "lon",
                                          sqlite3_column_double(s, 7)));
    }
    sqlite3_reset(s);
    return e;
}

json_t *hd_view_entity_summary(struct hd_store *st, long long id)
{
    return summary_by_id(st, id, 0);
}

int hd_view_entity(struct hd_store *st, long long id, json_t **out)
{
    sqlite3_stmt *s = hd_store_stmt(st, HD_ENTITY_GET);
    if (!s) return -1;
    sqlite3_bind_int64(s, 1, id);
    int rc = sqlite3_step(s);
    if (rc != SQLITE_ROW) {
        sqlite3_reset(s);
        return rc == SQLITE_DONE ? 0 : -1;
    }
    json_t *e = entity_summary(s, 0);
    entity_counts(e, s, 6);
    json_object_set_new(e, "origin", text_or_null(s, 11));
    sqlite3_reset(s);

    json_t *aliases = json_array(), *related = json_array();
    s = hd_store_stmt(st, HD_ENTITY_ALIASES);
    if (!s) goto fail;
    sqlite3_bind_int64(s, 1, id);
    while ((rc = sqlite3_step(s)) == SQLITE_ROW)
        json_array_append_new(aliases, json_pack("{s:o, s:o}", "text", text_or_null(s, 0), "script",
                                                 text_or_null(s, 1)));
    sqlite3_reset(s);
    if (rc != SQLITE_DONE) goto fail;
    s = hd_store_stmt(st, HD_ENTITY_RELATED);
    if (!s) goto fail;
    sqlite3_bind_int64(s, 1, id);
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        json_t *r = entity_summary(s, 0);
        json_object_set_new(r, "sentences", json_integer(sqlite3_column_int64(s, 6)));
        json_array_append_new(related, r);
    }
    sqlite3_reset(s);
    if (rc != SQLITE_DONE) goto fail;
    json_object_set_new(e, "aliases", aliases);
    json_object_set_new(e, "related", related);
    *out = e;
    return 1;
fail:
    json_decref(aliases), json_decref(related), json_decref(e);
    return -1;
}

/* ---- events ---- */

/* A memo of built event objects and entity summaries for one connection,
 * valid while the database does not change (its data version): a list of
 * events is mostly events other lists showed before. Bounded by entries
 * (MEMO_SLOTS / 2) and by bytes (MEMO_BYTES of objects and texts, as the
 * heap counts them; the table itself is a fixed 320 KB): when either is
 * reached it starts again. The objects are shared, never to be changed by
 * a caller. It also keeps hd_view_dumps's scratch buffer, up to
 * SCRATCH_KEEP. */
#define MEMO_SLOTS   8192 /* a power of two; at most half of them used */
#define MEMO_BYTES   ((size_t)8 << 20)
#define SCRATCH_KEEP ((size_t)1 << 20)

static size_t memo_limit = MEMO_BYTES;

struct memo {
    long long version, changes; /* others' commits; this connection's own writes */
    size_t used, bytes;
    long long keys[MEMO_SLOTS]; /* 0: empty */
    json_t *values[MEMO_SLOTS];
    char *texts[MEMO_SLOTS]; /* the value serialised, once it has been */
    size_t lens[MEMO_SLOTS];
    size_t by_value[MEMO_SLOTS]; /* value pointer -> slot + 1, for hd_view_dumps */
    char *scratch;               /* hd_view_dumps's buffer, between calls */
    size_t scratch_cap;
};

static void memo_clear(struct memo *m)
{
    for (size_t i = 0; i < MEMO_SLOTS; i++) {
        if (m->keys[i]) json_decref(m->values[i]), m->keys[i] = 0;
        free(m->texts[i]);
        m->texts[i] = NULL, m->by_value[i] = 0;
    }
    m->used = 0, m->bytes = 0;
}

static size_t ptr_slot(const struct memo *m, const json_t *v)
{
    size_t i = (size_t)(((uintptr_t)v >> 4) * 0x9E3779B97F4A7C15ULL >> 51) & (MEMO_SLOTS - 1);
    while (m->by_value[i] && m->values[m->by_value[i] - 1] != v) i = (i + 1) & (MEMO_SLOTS - 1);
    return i;
}

static void memo_free(void *p)
{
    if (p) memo_clear(p), free(((struct memo *)p)->scratch);
    free(p);
}

/* The connection's memo, emptied when the database changed; NULL when it
 * cannot be had (then nothing is memoised). */
static struct memo *memo_of(struct hd_store *st)
{
    struct memo *m = hd_store_aux(st);
    long long v = hd_store_data_version(st);
    long long c = sqlite3_total_changes64(hd_store_db(st));
    if (v < 0) return NULL;
    if (!m) {
        if (!(m = calloc(1, sizeof *m))) return NULL;
        hd_store_set_aux(st, m, memo_free);
        m->version = v, m->changes = c;
    }
    if (m->version != v || m->changes != c) {
        memo_clear(m);
        m->version = v, m->changes = c;
    }
    return m;
}

/* What an allocation of n bytes takes from glibc's heap: its size word,
 * rounded up to 16, at least 32. */
static size_t heap_cost(size_t n)
{
    size_t c = (n + 8 + 15) & ~(size_t)15;
    return c < 32 ? 32 : c;
}

/* The heap v takes, from jansson 2.14's records: an object's struct, hash
 * buckets and one pair (with its key) per member; an array's struct and
 * table; a string's struct and copy; a number's struct. Members the memo
 * holds already are its own entries, counted there. */
static size_t json_cost(const struct memo *m, const json_t *v, int top)
{
    if (!top && m->by_value[ptr_slot(m, v)]) return 0;
    size_t c = 0, n, cap = 8;
    switch (json_typeof(v)) {
    case JSON_OBJECT: {
        const char *k;
        json_t *x;
        n = json_object_size(v);
        while (cap < n) cap *= 2;
        c = heap_cost(64) + heap_cost(cap * 16);
        json_object_foreach((json_t *)v, k, x) c +=
            heap_cost(56 + strlen(k) + 1) + json_cost(m, x, 0);
        return c;
    }
    case JSON_ARRAY: {
        size_t i;
        json_t *x;
        n = json_array_size(v);
        while (cap < n) cap *= 2;
        c = heap_cost(40) + heap_cost(cap * sizeof(json_t *));
        json_array_foreach(v, i, x) c += json_cost(m, x, 0);
        return c;
    }
    case JSON_STRING: return heap_cost(32) + heap_cost(json_string_length(v) + 1);
    case JSON_INTEGER:
    case JSON_REAL: return heap_cost(24);
    default: return 0; /* true, false and null are shared constants */
    }
}

void hd_view_memo_limit(size_t bytes)
{
    memo_limit = bytes ? bytes : MEMO_BYTES;
}

void hd_view_memo_usage(struct hd_store *st, size_t *entries, size_t *bytes)
{
    struct memo *m = hd_store_aux(st);
    *entries = m ? m->used : 0;
    *bytes = m ? m->bytes : 0;
}

/* Keys: an entity id times 4 (plus 1 with its point), an event id times 4
 * plus 2 (plus 3 with its cluster's articles). Ids start at 1: never 0. */
static size_t memo_slot(const struct memo *m, long long key)
{
    size_t i = (size_t)((unsigned long long)key * 0x9E3779B97F4A7C15ULL >> 51) & (MEMO_SLOTS - 1);
    while (m->keys[i] && m->keys[i] != key) i = (i + 1) & (MEMO_SLOTS - 1);
    return i;
}

static json_t *memo_get(struct memo *m, long long key)
{
    if (!m) return NULL;
    size_t i = memo_slot(m, key);
    return m->keys[i] ? json_incref(m->values[i]) : NULL;
}

/* Keeps v (a reference of its own) under key; returns v. */
static json_t *memo_put(struct memo *m, long long key, json_t *v)
{
    if (!m || !v) return v;
    /* glibc may hand out a chunk 16 bytes larger than asked for, when the
     * rest would be too small to keep: 0.2 % more over the seeds' objects */
    size_t cost = json_cost(m, v, 1);
    cost += cost / 32;
    if (cost > memo_limit / 4) return v; /* would push out many for one */
    if (m->used >= MEMO_SLOTS / 2 || m->bytes + cost > memo_limit) memo_clear(m);
    size_t i = memo_slot(m, key);
    if (m->keys[i]) return v; /* memo_get missed it: not reached */
    m->used++;
    m->bytes += cost;
    m->keys[i] = key;
    m->values[i] = json_incref(v);
    m->by_value[ptr_slot(m, v)] = i + 1;
    return v;
}

/* ---- serialising, with the memo's texts ---- */

struct out {
    char *s;
    size_t len, cap;
    int failed;
};

static void out_add(struct out *o, const char *s, size_t n)
{
    if (o->failed) return;
    if (o->len + n + 2 > o->cap) {
        size_t cap = o->cap ? o->cap : 4096;
        while (o->len + n + 2 > cap) cap *= 2;
        char *ns = realloc(o->s, cap);
        if (!ns) {
            o->failed = 1;
            return;
        }
        o->s = ns, o->cap = cap;
    }
    memcpy(o->s + o->len, s, n);
    o->len += n;
}

#define DUMP_FLAGS (JSON_COMPACT | JSON_REAL_PRECISION(10))

/* A scalar as json_dumps writes it. */
static void dump_plain(struct out *o, const json_t *v)
{
    char buf[2048];
    size_t n = json_dumpb(v, buf, sizeof buf, DUMP_FLAGS | JSON_ENCODE_ANY);
    if (n == 0) {
        o->failed = 1;
    } else if (n <= sizeof buf) {
        out_add(o, buf, n);
    } else {
        char *big = malloc(n);
        if (big && json_dumpb(v, big, n, DUMP_FLAGS | JSON_ENCODE_ANY) == n)
            out_add(o, big, n);
        else
            o->failed = 1;
        free(big);
    }
}

/* A key: the identifiers of this API as they are, anything else escaped. */
static void dump_key(struct out *o, const char *k)
{
    size_t n = strlen(k), plain = strspn(k, "abcdefghijklmnopqrstuvwxyz_0123456789");
    if (plain == n) {
        out_add(o, "\"", 1);
        out_add(o, k, n);
        out_add(o, "\"", 1);
        return;
    }
    json_t *key = json_stringn(k, n);
    if (key)
        dump_plain(o, key);
    else
        o->failed = 1;
    json_decref(key);
}

static void dump(struct out *o, struct memo *m, const json_t *v);

/* A memoised object: its text, made the first time; 0 when v is not one. */
static int dump_memo(struct out *o, struct memo *m, const json_t *v)
{
    if (!m || !m->used) return 0;
    size_t slot = ptr_slot(m, v), at = m->by_value[slot];
    if (!at) return 0;
    size_t i = at - 1;
    if (!m->texts[i]) {
        struct out t = {0};
        m->by_value[slot] = 0; /* this once, the object itself */
        dump(&t, m, v);
        m->by_value[ptr_slot(m, v)] = at;
        /* kept only within the bound, and without the slack of a growing
         * buffer (at least 4 KB, for texts of a few hundred bytes) */
        char *text = t.failed ? NULL : realloc(t.s, t.len ? t.len : 1);
        if (!text || m->bytes + heap_cost(t.len) > memo_limit) {
            if (!t.failed) out_add(o, text ? text : t.s, t.len);
            free(text ? text : t.s);
            return !t.failed;
        }
        m->texts[i] = text, m->lens[i] = t.len;
        m->bytes += heap_cost(t.len);
    }
    out_add(o, m->texts[i], m->lens[i]);
    return 1;
}

static void dump(struct out *o, struct memo *m, const json_t *v)
{
    if (json_is_object(v)) {
        if (dump_memo(o, m, v)) return;
        const char *k;
        json_t *x;
        int first = 1;
        out_add(o, "{", 1);
        json_object_foreach((json_t *)v, k, x)
        {
            if (!first) out_add(o, ",", 1);
            first = 0;
            dump_key(o, k);
            out_add(o, ":", 1);
            dump(o, m, x);
        }
        out_add(o, "}", 1);
    } else if (json_is_array(v)) {
        size_t i;
        json_t *x;
        out_add(o, "[", 1);
        json_array_foreach(v, i, x)
        {
            if (i) out_add(o, ",", 1);
            dump(o, m, x);
        }
        out_add(o, "]", 1);
    } else {
        dump_plain(o, v);
    }
}

char *hd_view_dumps(struct hd_store *st, const json_t *v, size_t *len)
{
    /* the memo as it is: a changed database has emptied it already, and an
     * object it no longer holds is written out in full */
    struct memo *m = st ? hd_store_aux(st) : NULL;
    /* Written in a buffer kept from one call to the next and copied out at
     * its size. A buffer of its own grown from 4 KB, then shrunk, made each
     * reply a fresh chunk of 4 KB or more: the holes of a few KB that
     * replies left (the response cache lets go of thousands) could not hold
     * the next, and under load the heap grew to half again what was in use. */
    struct out o = {0};
    if (m) o.s = m->scratch, o.cap = m->scratch_cap, m->scratch = NULL;
    dump(&o, m, v);
    /* a byte to spare: the server ends a reply with a newline */
    char *s = o.failed || !o.s ? NULL : malloc(o.len + 2);
    if (s) {
        memcpy(s, o.s, o.len);
        s[o.len] = 0;
        *len = o.len;
    }
    if (m && o.cap <= SCRATCH_KEEP)
        m->scratch = o.s, m->scratch_cap = o.cap;
    else
        free(o.s);
    return s;
}

/* One event from HD_EVENT_GET's row s, with its participants. */
static json_t *event_json(struct hd_store *st, struct memo *m, sqlite3_stmt *s, int with_articles)
{
    long long id = sqlite3_column_int64(s, 0);
    json_t *o = json_object();
    json_object_set_new(o, "id", json_integer(id));
    json_object_set_new(o, "type", text_or_null(s, 1));
    json_object_set_new(o, "cameo", text_or_null(s, 2));
    json_object_set_new(o, "plover", text_or_null(s, 3));
    json_object_set_new(o, "modality", text_or_null(s, 4));
    json_t *actors = json_array(), *targets = json_array();
    json_object_set_new(o, "actors", actors);
    json_object_set_new(o, "targets", targets);
    json_t *loc = NULL;
    if (sqlite3_column_type(s, 16) != SQLITE_NULL) {
        long long lid = sqlite3_column_int64(s, 16), key = lid * 4 + 1;
        if (!(loc = memo_get(m, key))) loc = memo_put(m, key, summary_by_id(st, lid, 1));
    }
    json_object_set_new(o, "location", loc ? loc : json_null());
    json_object_set_new(o, "date",
                        json_pack("{s:o, s:o, s:o, s:o}", "start", text_or_null(s, 5), "end",
                                  text_or_null(s, 6), "precision", text_or_null(s, 7), "text",
                                  text_or_null(s, 8)));
    json_object_set_new(o, "trigger", text_or_null(s, 9));
    json_object_set_new(o, "trigger_span",
                        json_pack("[I, I]", (json_int_t)sqlite3_column_int64(s, 17),
                                  (json_int_t)sqlite3_column_int64(s, 18)));
    json_object_set_new(o, "sentence", text_or_null(s, 12));
    /* where the sentence is in the article: the trigger inside the sentence
     * is trigger_span less its start, with no search for the word */
    json_object_set_new(o, "sentence_span",
                        sqlite3_column_type(s, 20) == SQLITE_NULL
                            ? json_null()
                            : json_pack("[I, I]", (json_int_t)sqlite3_column_int64(s, 20),
                                        (json_int_t)sqlite3_column_int64(s, 21)));
    json_object_set_new(o, "article",
                        json_pack("{s:I, s:o, s:o}", "id", (json_int_t)sqlite3_column_int64(s, 13),
                                  "file", text_or_null(s, 14), "title", text_or_null(s, 15)));
    json_object_set_new(o, "confidence", json_real(sqlite3_column_double(s, 10)));
    long long cluster = sqlite3_column_int64(s, 11);
    json_t *c = json_pack("{s:I, s:I}", "id", (json_int_t)cluster, "reports",
                          (json_int_t)sqlite3_column_int64(s, 19));
    json_object_set_new(o, "cluster", c);
    /* participants: the statement is another one, so s's row stays valid */
    sqlite3_stmt *p = hd_store_stmt(st, HD_EVENT_PARTICIPANTS);
    if (p) {
        sqlite3_bind_int64(p, 1, id);
        while (sqlite3_step(p) == SQLITE_ROW) {
            long long eid = sqlite3_column_int64(p, 1), key = eid * 4;
            json_t *e = memo_get(m, key);
            if (!e) e = memo_put(m, key, summary_by_id(st, eid, 0));
            if (!e) continue;
            const char *role = (const char *)sqlite3_column_text(p, 0);
            json_array_append_new(role && !strcmp(role, "actor") ? actors : targets, e);
        }
        sqlite3_reset(p);
    }
    if (with_articles) {
        sqlite3_stmt *a = hd_store_stmt(st, HD_CLUSTER_ARTICLES);
        json_t *arts = json_array();
        if (a) {
            sqlite3_bind_int64(a, 1, cluster);
            while (sqlite3_step(a) == SQLITE_ROW)
                json_array_append_new(arts, json_integer(sqlite3_column_int64(a, 0)));
            sqlite3_reset(a);
        }
        json_object_set_new(c, "articles", arts);
        /* the cluster's date: its most precise report's */
        sqlite3_stmt *d = hd_store_stmt(st, HD_CLUSTER_DATE);
        json_t *date = json_null();
        if (d) {
            sqlite3_bind_int64(d, 1, cluster);
            if (sqlite3_step(d) == SQLITE_ROW)
                date = json_pack("{s:o, s:o, s:o}", "start", text_or_null(d, 0), "end",
                                 text_or_null(d, 1), "precision", text_or_null(d, 2));
            sqlite3_reset(d);
        }
        json_object_set_new(c, "date", date);
    }
    return o;
}

static json_t *event_by_id(struct hd_store *st, struct memo *m, long long id, int with_articles,
                           int *rc)
{
    long long key = id * 4 + (with_articles ? 3 : 2);
    json_t *o = memo_get(m, key);
    if (o) return *rc = 1, o;
    sqlite3_stmt *s = hd_store_stmt(st, HD_EVENT_GET);
    if (!s) return *rc = -1, NULL;
    sqlite3_bind_int64(s, 1, id);
    int r = sqlite3_step(s);
    o = r == SQLITE_ROW ? event_json(st, m, s, with_articles) : NULL;
    *rc = r == SQLITE_ROW ? 1 : r == SQLITE_DONE ? 0 : -1;
    sqlite3_reset(s);
    return memo_put(m, key, o);
}

int hd_view_event(struct hd_store *st, long long id, json_t **out)
{
    int rc;
    *out = event_by_id(st, memo_of(st), id, 1, &rc);
    return rc;
}

/* The WHERE terms of f; the parameters are named, so each is bound by name. */
static void event_where(const struct hd_event_filter *f, char *w, size_t cap)
{
    static const char *const lists[][2] = {{"type", "e.type"},
                                           {"cameo", "e.cameo"},
                                           {"plover", "e.plover"},
                                           {"modality", "e.modality"}};
    const char *vals[4] = {f->type, f->cameo, f->plover, f->modality};
    size_t o = 0;
#define ADD(...) o += (size_t)snprintf(w + o, o < cap ? cap - o : 0, __VA_ARGS__)
    w[0] = 0;
    if (f->article) ADD(" AND e.article_id = :article");
    for (int i = 0; i < 4; i++)
        if (vals[i]) ADD(" AND %s IN (SELECT value FROM json_each(:%s))", lists[i][1], lists[i][0]);
    if (f->actor)
        ADD(" AND e.id IN (SELECT event_id FROM event_participants WHERE role = 'actor' AND"
            " entity_id IN (SELECT value FROM json_each(:actor)))");
    if (f->target)
        ADD(" AND e.id IN (SELECT event_id FROM event_participants WHERE role = 'target' AND"
            " entity_id IN (SELECT value FROM json_each(:target)))");
    if (f->participant)
        ADD(" AND e.id IN (SELECT event_id FROM event_participants WHERE"
            " entity_id IN (SELECT value FROM json_each(:participant)))");
    if (f->location) ADD(" AND e.location_id IN (SELECT value FROM json_each(:location))");
    if (f->country)
        ADD(" AND e.id IN (SELECT event_id FROM event_participants WHERE entity_id IN"
            " (SELECT id FROM entities WHERE country IN (SELECT value FROM json_each(:country))))");
    if (f->from) ADD(" AND e.date_end >= :from");
    if (f->to) ADD(" AND e.date_start <= :to");
    if (f->q) ADD(" AND e.sentence_id IN (SELECT rowid FROM sentences_fts(:q))");
#undef ADD
}

static void bind_event_filter(sqlite3_stmt *s, const struct hd_event_filter *f)
{
    int i = sqlite3_bind_parameter_index(s, ":article");
    if (i > 0) sqlite3_bind_int64(s, i, f->article);
    bind_named(s, ":type", f->type), bind_named(s, ":cameo", f->cameo);
    bind_named(s, ":plover", f->plover), bind_named(s, ":modality", f->modality);
    bind_named(s, ":actor", f->actor), bind_named(s, ":target", f->target);
    bind_named(s, ":participant", f->participant), bind_named(s, ":location", f->location);
    bind_named(s, ":country", f->country), bind_named(s, ":from", f->from);
    bind_named(s, ":to", f->to), bind_named(s, ":q", f->q);
}

int hd_view_events(struct hd_store *st, const struct hd_event_filter *f, const char *sort,
                   long long after, long long offset, int limit, json_t **data, long long *next,
                   long long *total)
{
    char where[3072], q[4096];
    event_where(f, where, sizeof where);
    /* grouped, a filtered list sorts what its filters' indexes find (the +
     * keeps the planner from walking all of events_cluster to skip that
     * sort); only the whole list walks the cluster index */
    const char *inner = !f->group  ? "SELECT e.id FROM events e WHERE 1%s"
                        : where[0] ? "SELECT min(e.id) FROM events e WHERE 1%s GROUP BY +e.cluster"
                                   : "SELECT min(e.id) FROM events e WHERE 1%s GROUP BY e.cluster";
    char in[3400];
    snprintf(in, sizeof in, inner, where);
    if (total) {
        snprintf(q, sizeof q, "SELECT count(*) FROM (%s)", in);
        sqlite3_stmt *c = hd_store_stmt_sql(st, q);
        if (!c) return -1;
        bind_event_filter(c, f);
        if (sqlite3_step(c) != SQLITE_ROW) {
            sqlite3_reset(c);
            return -1;
        }
        *total = sqlite3_column_int64(c, 0);
        sqlite3_reset(c);
    }
    int by_id = !sort || !strcmp(sort, "id");
    const char *order = by_id                   ? "e.id"
                        : !strcmp(sort, "date") ? "e.date_start IS NULL, e.date_start, e.id"
                                                : "e.date_start IS NULL, e.date_start DESC, e.id";
    snprintf(q, sizeof q,
             "SELECT e.id FROM events e WHERE e.id IN (%s) AND e.id > :after ORDER BY %s"
             " LIMIT :limit OFFSET :offset",
             in, order);
    sqlite3_stmt *s = hd_store_stmt_sql(st, q);
    if (!s) return -1;
    bind_event_filter(s, f);
    sqlite3_bind_int64(s, sqlite3_bind_parameter_index(s, ":after"), by_id ? after : 0);
    sqlite3_bind_int(s, sqlite3_bind_parameter_index(s, ":limit"), limit + 1);
    sqlite3_bind_int64(s, sqlite3_bind_parameter_index(s, ":offset"), by_id ? 0 : offset);
    /* the ids first: building each event runs other statements. Grown as
     * rows come: an article's page asks for up to 100,000, and 800 KB
     * taken and let go of for a page of a dozen left a hole in the heap
     * that long-kept replies then split, so the next one grew the heap */
    size_t cap = 0;
    long long *ids = NULL;
    int n = 0, rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        if ((size_t)n == cap) {
            long long *more = realloc(ids, (cap = cap ? 2 * cap : 128) * sizeof *ids);
            if (!more) {
                rc = SQLITE_NOMEM;
                break;
            }
            ids = more;
        }
        ids[n++] = sqlite3_column_int64(s, 0);
    }
    sqlite3_reset(s);
    if (rc != SQLITE_DONE) {
        free(ids);
        return -1;
    }
    *data = json_array();
    int shown = n > limit ? limit : n;
    struct memo *m = memo_of(st);
    for (int i = 0; i < shown; i++) {
        int r;
        json_t *e = event_by_id(st, m, ids[i], f->group, &r);
        if (r < 0) {
            free(ids);
            json_decref(*data);
            return -1;
        }
        if (e) json_array_append_new(*data, e);
    }
    *next = n > limit ? (by_id ? ids[limit - 1] : offset + limit) : 0;
    free(ids);
    return 0;
}

/* ---- search ---- */

/* The snippet FTS5 gives, marked with U+E000 and U+E001, made HTML-safe
 * with <mark> elements for the marks. */
static json_t *html_snippet(const char *s)
{
    size_t n = strlen(s), o = 0;
    char *out = malloc(n * 6 + 1);
    if (!out) return json_null();
    for (size_t i = 0; i < n; i++) {
        const char *rep = NULL;
        size_t skip = 0;
        unsigned char c = (unsigned char)s[i];
        if (c == '&')
            rep = "&amp;";
        else if (c == '<')
            rep = "&lt;";
        else if (c == '>')
            rep = "&gt;";
        else if (c == '"')
            rep = "&quot;";
        else if (c == 0xEE && i + 2 < n && (unsigned char)s[i + 1] == 0x80 &&
                 ((unsigned char)s[i + 2] == 0x80 || (unsigned char)s[i + 2] == 0x81))
            rep = (unsigned char)s[i + 2] == 0x80 ? "<mark>" : "</mark>", skip = 2;
        if (rep) {
            size_t rl = strlen(rep);
            memcpy(out + o, rep, rl);
            o += rl, i += skip;
        } else {
            out[o++] = (char)c;
        }
    }
    json_t *j = json_stringn(out, o);
    free(out);
    return j ? j : json_null();
}

int hd_view_search(struct hd_store *st, const char *fts, long long article, long long offset,
                   int limit, json_t **data, long long *total)
{
    sqlite3_stmt *c = hd_store_stmt_sql(
        st, "SELECT count(*) FROM sentences_fts f JOIN sentences s ON s.id = f.rowid"
            " WHERE sentences_fts MATCH ?1 AND (?2 = 0 OR s.article_id = ?2)");
    if (!c) return -1;
    sqlite3_bind_text(c, 1, fts, -1, SQLITE_STATIC);
    sqlite3_bind_int64(c, 2, article);
    int rc = sqlite3_step(c);
    *total = rc == SQLITE_ROW ? sqlite3_column_int64(c, 0) : 0;
    sqlite3_reset(c);
    if (rc != SQLITE_ROW) return -1;
    sqlite3_stmt *s = hd_store_stmt_sql(
        st, "SELECT s.seq, s.text, a.id, a.file, a.title, a.published,"
            " snippet(sentences_fts, 0, char(57344), char(57345), 'â¦', 24), f.rank"
            " FROM sentences_fts f JOIN sentences s ON s.id = f.rowid"
            " JOIN articles a ON a.id = s.article_id"
            " WHERE sentences_fts MATCH ?1 AND (?2 = 0 OR s.article_id = ?2)"
            " ORDER BY f.rank, s.id LIMIT ?3 OFFSET ?4");
    if (!s) return -1;
    sqlite3_bind_text(s, 1, fts, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 2, article);
    sqlite3_bind_int(s, 3, limit);
    sqlite3_bind_int64(s, 4, offset);
    *data = json_array();
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        const char *snip = (const char *)sqlite3_column_text(s, 6);
        json_array_append_new(
            *data, json_pack("{s:{s:I, s:o, s:o, s:o}, s:I, s:o, s:o, s:f}", "article", "id",
                             (json_int_t)sqlite3_column_int64(s, 2), "file", text_or_null(s, 3),
                             "title", text_or_null(s, 4), "published", text_or_null(s, 5),
                             "sentence", (json_int_t)sqlite3_column_int64(s, 0), "text",
                             text_or_null(s, 1), "snippet", snip ? html_snippet(snip) : json_null(),
                             "rank", sqlite3_column_double(s, 7)));
    }
    sqlite3_reset(s);
    if (rc != SQLITE_DONE) {
        json_decref(*data);
        *data = NULL;
        return -1;
    }
    return 0;
}

/* ---- stats ---- */

/* {key: count} from a statement giving (key, count) rows. */
static int counts_object(struct hd_store *st, const char *sql, json_t *into)
{
    sqlite3_stmt *s = hd_store_stmt_sql(st, sql);
    if (!s) return -1;
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW)
        if (sqlite3_column_text(s, 0))
            json_object_set_new(into, (const char *)sqlite3_column_text(s, 0),
                                json_integer(sqlite3_column_int64(s, 1)));
    sqlite3_reset(s);
    return rc == SQLITE_DONE ? 0 : -1;
}

static int top_participants(struct hd_store *st, const char *role, int top, json_t *into)
{
    sqlite3_stmt *s = hd_store_stmt_sql(
        st, "SELECT entity_id, count(DISTINCT event_id) AS n FROM event_participants"
            " WHERE role = ?1 GROUP BY entity_id ORDER BY n DESC, entity_id LIMIT ?2");
    if (!s) return -1;
    sqlite3_bind_text(s, 1, role, -1, SQLITE_STATIC);
    sqlite3_bind_int(s, 2, top);
    long long ids[100], counts[100];
    int n = 0, rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW && n < 100) {
        ids[n] = sqlite3_column_int64(s, 0);
        counts[n++] = sqlite3_column_int64(s, 1);
    }
    sqlite3_reset(s);
    if (rc != SQLITE_DONE && rc != SQLITE_ROW) return -1;
    for (int i = 0; i < n; i++) {
        json_t *e = hd_view_entity_summary(st, ids[i]);
        if (!e) continue;
        json_object_set_new(e, "events", json_integer(counts[i]));
        json_array_append_new(into, e);
    }
    return 0;
}

static long long one_count(struct hd_store *st, const char *sql)
{
    sqlite3_stmt *s = hd_store_stmt_sql(st, sql);
    if (!s) return -1;
    long long n = sqlite3_step(s) == SQLITE_ROW ? sqlite3_column_int64(s, 0) : -1;
    sqlite3_reset(s);
    return n;
}

int hd_view_stats(struct hd_store *st, int top, json_t **out)
{
    json_t *ents = json_object(), *by_type = json_object(), *by_mod = json_object();
    json_t *months = json_array(), *actors = json_array(), *targets = json_array();
    long long articles = one_count(st, "SELECT count(*) FROM articles");
    long long sentences = one_count(st, "SELECT count(*) FROM sentences");
    long long events = one_count(st, "SELECT count(*) FROM events");
    long long clusters = one_count(st, "SELECT count(DISTINCT cluster) FROM events");
    int rc = articles < 0 || sentences < 0 || events < 0 || clusters < 0 ? -1 : 0;
    if (rc == 0)
        rc = counts_object(st,
                           "SELECT e.type, count(*) FROM entity_stats s JOIN entities e"
                           " ON e.id = s.entity_id WHERE s.mentions > 0 GROUP BY e.type",
                           ents);
    if (rc == 0)
        rc = counts_object(st, "SELECT type, count(*) FROM events GROUP BY type ORDER BY type",
                           by_type);
    if (rc == 0)
        rc = counts_object(st, "SELECT modality, count(*) FROM events GROUP BY modality", by_mod);
    if (rc == 0) {
        /* only dates known to the month: a year-precise one has no month */
        sqlite3_stmt *s = hd_store_stmt_sql(
            st, "SELECT substr(date_start, 1, 7) AS m, count(*) FROM events"
                " WHERE date_precision IN ('day', 'month') GROUP BY m ORDER BY m");
        int r = SQLITE_ERROR;
        while (s && (r = sqlite3_step(s)) == SQLITE_ROW)
            json_array_append_new(months,
                                  json_pack("{s:o, s:I}", "month", text_or_null(s, 0), "events",
                                            (json_int_t)sqlite3_column_int64(s, 1)));
        if (s) sqlite3_reset(s);
        rc = r == SQLITE_DONE ? 0 : -1;
    }
    if (rc == 0) rc = top_participants(st, "actor", top, actors);
    if (rc == 0) rc = top_participants(st, "target", top, targets);
    if (rc < 0) {
        json_decref(ents), json_decref(by_type), json_decref(by_mod);
        json_decref(months), json_decref(actors), json_decref(targets);
        return -1;
    }
    *out = json_pack("{s:I, s:I, s:o, s:{s:I, s:I, s:o, s:o, s:o, s:o, s:o}}", "articles",
                     (json_int_t)articles, "sentences", (json_int_t)sentences, "entities", ents,
                     "events", "total", (json_int_t)events, "clusters", (json_int_t)clusters,
                     "by_type", by_type, "by_modality", by_mod, "by_month", months, "top_actors",
                     actors, "top_targets", targets);
    return *out ? 0 : -1;
}
