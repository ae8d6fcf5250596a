/* Every SQL statement of the program is in the table below, so the queries
 * the API can run are all in one place and each is prepared once per
 * connection (SQLITE_PREPARE_PERSISTENT). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "blob.h"
#include "store.h"
#include "utf8.h"

#define SCHEMA_VERSION 1

static const char *const sql[HD_STMT_COUNT] = {
    [HD_ARTICLE_BY_FILE] = "SELECT id, hash FROM articles WHERE file = ?1",
    [HD_ARTICLE_INSERT] =
        "INSERT INTO articles (id, file, hash, title, source, published, published_source, url,"
        " text, text_length, furniture_lines, ingested_at)"
        " VALUES (?11, ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10,"
        " strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))",
    [HD_ARTICLE_DELETE] = "DELETE FROM articles WHERE id = ?1", /* its rows cascade */
    [HD_SENTENCE_INSERT] = "INSERT INTO sentences (article_id, seq, start, \"end\", text)"
                           " VALUES (?1, ?2, ?3, ?4, ?5)",
    [HD_ARTICLE_FILES] = "SELECT id, file FROM articles ORDER BY id",
    [HD_ARTICLE_COUNT] = "SELECT count(*) FROM articles",
    [HD_ARTICLE_PAGE] =
        "SELECT a.id, a.file, a.title, a.source, a.published, a.published_source, a.url,"
        " (SELECT count(*) FROM sentences s WHERE s.article_id = a.id),"
        " (SELECT count(DISTINCT m.entity_id) FROM mentions m WHERE m.article_id = a.id),"
        " (SELECT count(*) FROM events e WHERE e.article_id = a.id)"
        " FROM articles a WHERE a.id > ?1 ORDER BY a.id LIMIT ?2",
    [HD_ARTICLE_GET] =
        "SELECT a.id, a.file, a.title, a.source, a.published, a.published_source, a.url,"
        " (SELECT count(*) FROM sentences s WHERE s.article_id = a.id),"
        " (SELECT count(DISTINCT m.entity_id) FROM mentions m WHERE m.article_id = a.id),"
        " (SELECT count(*) FROM events e WHERE e.article_id = a.id),"
        " a.text, a.text_length, a.ingested_at"
        " FROM articles a WHERE a.id = ?1",
    [HD_ARTICLE_SENTENCES] =
        "SELECT seq, start, \"end\" FROM sentences WHERE article_id = ?1 ORDER BY seq",
    [HD_ARTICLE_ENTITIES] =
        "SELECT e.slug, e.type, e.name, e.name_ar, e.wikidata, e.country, count(*)"
        " FROM mentions m JOIN entities e ON e.id = m.entity_id WHERE m.article_id = ?1"
        " GROUP BY e.id ORDER BY count(*) DESC, e.slug",
    [HD_ARTICLE_MENTIONS] =
        "SELECT e.slug, m.start, m.\"end\", m.surface FROM mentions m"
        " JOIN entities e ON e.id = m.entity_id WHERE m.article_id = ?1 ORDER BY m.start, m.id",
    [HD_HEALTH_COUNTS] = "SELECT (SELECT count(*) FROM articles), (SELECT count(*) FROM entities),"
                         " (SELECT count(*) FROM events)",
};

struct hd_store {
    sqlite3 *db;
    sqlite3_stmt *stmt[HD_STMT_COUNT];
};

/* The one integer a query answers, or -1 when it fails (not a database). */
static int int_query(sqlite3 *db, const char *q)
{
    sqlite3_stmt *s;
    int v = -1;
    if (sqlite3_prepare_v2(db, q, -1, &s, NULL) == SQLITE_OK && sqlite3_step(s) == SQLITE_ROW)
        v = sqlite3_column_int(s, 0);
    sqlite3_finalize(s);
    return v;
}

static int create_schema(sqlite3 *db, char *err, size_t errlen)
{
    const struct hd_blob *schema = hd_blob_get("schema.sql");
    char *msg = NULL;
    if (!schema) {
        snprintf(err, errlen, "schema.sql is not embedded in this binary");
        return -1;
    }
    if (sqlite3_exec(db, "BEGIN", NULL, NULL, &msg) != SQLITE_OK ||
        sqlite3_exec(db, schema->data, NULL, NULL, &msg) != SQLITE_OK ||
        sqlite3_exec(db,
                     "INSERT INTO meta VALUES ('extractor', '" HD_EXTRACTOR_VERSION "');"
                     "COMMIT",
                     NULL, NULL, &msg) != SQLITE_OK) {
        snprintf(err, errlen, "creating the schema: %s", msg ? msg : sqlite3_errmsg(db));
        sqlite3_free(msg);
        sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
        return -1;
    }
    return 0;
}

/* Removes the database file and its WAL companions; used when it holds an
 * older schema, since half-reading one would serve wrong answers. */
static void remove_db_files(const char *path)
{
    char p[4096];
    unlink(path);
    snprintf(p, sizeof p, "%s-wal", path);
    unlink(p);
    snprintf(p, sizeof p, "%s-shm", path);
    unlink(p);
    snprintf(p, sizeof p, "%s-journal", path);
    unlink(p);
}

struct hd_store *hd_store_open(const char *path, int readonly, char *err, size_t errlen)
{
    int flags = SQLITE_OPEN_URI | SQLITE_OPEN_NOMUTEX |
                (readonly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
    int memory = strcmp(path, ":memory:") == 0;
    for (int attempt = 0; attempt < 2; attempt++) {
        sqlite3 *db = NULL;
        if (sqlite3_open_v2(path, &db, flags, NULL) != SQLITE_OK) {
            snprintf(err, errlen, "%s: %s", path, db ? sqlite3_errmsg(db) : "out of memory");
            sqlite3_close(db);
            return NULL;
        }
        sqlite3_busy_timeout(db, 5000);
        sqlite3_extended_result_codes(db, 1);
        int v = int_query(db, "PRAGMA user_version"),
            tables = int_query(db, "SELECT count(*) FROM sqlite_schema");
        if (v < 0 || tables < 0) {
            snprintf(err, errlen, "%s: not a database (%s)", path, sqlite3_errmsg(db));
            sqlite3_close(db);
            if (readonly || memory || attempt) return NULL;
            remove_db_files(path);
            continue;
        }
        if (v != SCHEMA_VERSION && tables > 0) {
            sqlite3_close(db);
            if (readonly || attempt) {
                snprintf(err, errlen, "%s: schema version %d, this build needs %d", path, v,
                         SCHEMA_VERSION);
                return NULL;
            }
            fprintf(stderr, "%s: schema version %d, rebuilding as version %d\n", path, v,
                    SCHEMA_VERSION);
            remove_db_files(path);
            continue;
        }
        if (!readonly) {
            if (!memory) sqlite3_exec(db, "PRAGMA journal_mode = WAL", NULL, NULL, NULL);
            sqlite3_exec(db, "PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON", NULL, NULL,
                         NULL);
            if (tables == 0 && create_schema(db, err, errlen) < 0) {
                sqlite3_close(db);
                return NULL;
            }
        }
        struct hd_store *st = calloc(1, sizeof *st);
        if (!st) {
            sqlite3_close(db);
            snprintf(err, errlen, "out of memory");
            return NULL;
        }
        st->db = db;
        return st;
    }
    return NULL;
}

void hd_store_close(struct hd_store *st)
{
    if (!st) return;
    for (int i = 0; i < HD_STMT_COUNT; i++) sqlite3_finalize(st->stmt[i]);
    sqlite3_close(st->db);
    free(st);
}

sqlite3 *hd_store_db(struct hd_store *st)
{
    return st->db;
}

sqlite3_stmt *hd_store_stmt(struct hd_store *st, enum hd_stmt id)
{
    sqlite3_stmt *s = st->stmt[id];
    if (s) {
        sqlite3_reset(s);
        sqlite3_clear_bindings(s);
        return s;
    }
    if (sqlite3_prepare_v3(st->db, sql[id], -1, SQLITE_PREPARE_PERSISTENT, &s, NULL) != SQLITE_OK) {
        fprintf(stderr, "store: preparing statement %d: %s\n", (int)id, sqlite3_errmsg(st->db));
        return NULL;
    }
    st->stmt[id] = s;
    return s;
}

int hd_store_exec(struct hd_store *st, const char *q)
{
    char *msg = NULL;
    int rc = sqlite3_exec(st->db, q, NULL, NULL, &msg);
    if (rc != SQLITE_OK) fprintf(stderr, "store: %s: %s\n", q, msg ? msg : sqlite3_errstr(rc));
    sqlite3_free(msg);
    return rc;
}

int hd_store_article_hash(struct hd_store *st, const char *file, char hash[65], long long *id)
{
    sqlite3_stmt *s = hd_store_stmt(st, HD_ARTICLE_BY_FILE);
    if (!s) return -1;
    sqlite3_bind_text(s, 1, file, -1, SQLITE_STATIC);
    int rc = sqlite3_step(s), found = 0;
    if (rc == SQLITE_ROW) {
        *id = sqlite3_column_int64(s, 0);
        snprintf(hash, 65, "%s", (const char *)sqlite3_column_text(s, 1));
        found = 1;
    }
    sqlite3_reset(s);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? found : -1;
}

static void bind_text_or_null(sqlite3_stmt *s, int i, const char *v)
{
    if (v)
        sqlite3_bind_text(s, i, v, -1, SQLITE_STATIC);
    else
        sqlite3_bind_null(s, i);
}

static int step_done(struct hd_store *st, sqlite3_stmt *s)
{
    int rc = sqlite3_step(s);
    if (rc != SQLITE_DONE && rc != SQLITE_ROW)
        fprintf(stderr, "store: %s\n", sqlite3_errmsg(st->db));
    sqlite3_reset(s);
    return rc == SQLITE_DONE || rc == SQLITE_ROW ? 0 : -1;
}

int hd_store_put_article(struct hd_store *st, const char *file, const char *hash,
                         const struct hd_doc *doc, long long *id)
{
    long long aid = -1;
    char old[65];
    int found = hd_store_article_hash(st, file, old, &aid);
    if (found < 0) return -1;
    /* A changed document keeps its id, so links to it stay valid; its old
     * sentences, mentions and events go with the old row. */
    if (found && hd_store_delete_article(st, aid) < 0) return -1;
    sqlite3_stmt *s = hd_store_stmt(st, HD_ARTICLE_INSERT);
    if (!s) return -1;
    if (found) sqlite3_bind_int64(s, 11, aid);
    sqlite3_bind_text(s, 1, file, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 2, hash, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 3, doc->title, -1, SQLITE_STATIC);
    bind_text_or_null(s, 4, doc->source);
    bind_text_or_null(s, 5, doc->published);
    sqlite3_bind_text(s, 6, doc->published_source, -1, SQLITE_STATIC);
    bind_text_or_null(s, 7, doc->url);
    sqlite3_bind_text(s, 8, doc->text, (int)doc->text_len, SQLITE_STATIC);
    sqlite3_bind_int64(s, 9, (long long)hd_utf8_count(doc->text, doc->text_len));
    sqlite3_bind_int64(s, 10, (long long)doc->nremoved);
    if (step_done(st, s) < 0) return -1;
    aid = sqlite3_last_insert_rowid(st->db);

    /* Offsets go to the store in code points, counted incrementally. */
    sqlite3_stmt *ins = hd_store_stmt(st, HD_SENTENCE_INSERT);
    if (!ins) return -1;
    size_t byte = 0, cp = 0;
    for (size_t i = 0; i < doc->nsentences; i++) {
        const struct hd_span *sp = &doc->sentences[i];
        cp += hd_utf8_count(doc->text + byte, sp->start - byte);
        size_t cstart = cp;
        cp += hd_utf8_count(doc->text + sp->start, sp->end - sp->start);
        byte = sp->end;
        sqlite3_reset(ins);
        sqlite3_bind_int64(ins, 1, aid);
        sqlite3_bind_int64(ins, 2, (long long)i);
        sqlite3_bind_int64(ins, 3, (long long)cstart);
        sqlite3_bind_int64(ins, 4, (long long)cp);
        sqlite3_bind_text(ins, 5, doc->text + sp->start, (int)(sp->end - sp->start), SQLITE_STATIC);
        if (step_done(st, ins) < 0) return -1;
    }
    *id = aid;
    return 0;
}

int hd_store_delete_article(struct hd_store *st, long long id)
{
    sqlite3_stmt *s = hd_store_stmt(st, HD_ARTICLE_DELETE);
    if (!s) return -1;
    sqlite3_bind_int64(s, 1, id);
    return step_done(st, s);
}
