/* JSON views. Column order follows the statements in store.c. */
#include <stdio.h>
#include <string.h>

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

/* Binds the filters of HD_ENTITY_PAGE and HD_ENTITY_COUNT. */
static void bind_entity_filter(sqlite3_stmt *s, const struct hd_entity_filter *f)
{
    if (f->type) sqlite3_bind_text(s, 1, f->type, -1, SQLITE_STATIC);
    if (f->ids) sqlite3_bind_text(s, 2, f->ids, -1, SQLITE_STATIC);
    if (f->article > 0) sqlite3_bind_int64(s, 3, f->article);
}

int hd_view_entities(struct hd_store *st, const struct hd_entity_filter *f, long long offset,
                     int limit, json_t **data, long long *total)
{
    sqlite3_stmt *c = hd_store_stmt(st, HD_ENTITY_COUNT);
    if (!c) return -1;
    bind_entity_filter(c, f);
    if (sqlite3_step(c) != SQLITE_ROW) {
        sqlite3_reset(c);
        return -1;
    }
    *total = sqlite3_column_int64(c, 0);
    sqlite3_reset(c);
    sqlite3_stmt *s = hd_store_stmt(st, HD_ENTITY_PAGE);
    if (!s) return -1;
    bind_entity_filter(s, f);
    sqlite3_bind_int(s, 4, limit);
    sqlite3_bind_int64(s, 5, offset);
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

json_t *hd_view_entity_summary(struct hd_store *st, long long id)
{
    sqlite3_stmt *s = hd_store_stmt(st, HD_ENTITY_SUMMARY);
    if (!s) return NULL;
    sqlite3_bind_int64(s, 1, id);
    json_t *e = sqlite3_step(s) == SQLITE_ROW ? entity_summary(s, 0) : NULL;
    sqlite3_reset(s);
    return e;
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
