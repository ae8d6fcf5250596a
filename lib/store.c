/* Every SQL statement of the program is in the table below, so the queries
 * the API can run are all in one place and each is prepared once per
 * connection (SQLITE_PREPARE_PERSISTENT). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "blob.h"
#include "fts.h"
#include "keys.h"
#include "normalize.h"
#include "store.h"
#include "utf8.h"

#define SCHEMA_VERSION 6

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
        " (SELECT count(*) FROM (SELECT m.entity_id FROM mentions m WHERE m.article_id = a.id AND "
        "m.kind <> 'adjective' UNION SELECT c.entity_id FROM article_credits c WHERE c.article_id "
        "= a.id)),"
        " (SELECT count(*) FROM events e WHERE e.article_id = a.id)"
        " FROM articles a WHERE a.id > ?1 ORDER BY a.id LIMIT ?2",
    [HD_ARTICLE_GET] =
        "SELECT a.id, a.file, a.title, a.source, a.published, a.published_source, a.url,"
        " (SELECT count(*) FROM sentences s WHERE s.article_id = a.id),"
        " (SELECT count(*) FROM (SELECT m.entity_id FROM mentions m WHERE m.article_id = a.id AND "
        "m.kind <> 'adjective' UNION SELECT c.entity_id FROM article_credits c WHERE c.article_id "
        "= a.id)),"
        " (SELECT count(*) FROM events e WHERE e.article_id = a.id),"
        " a.text, a.text_length, a.ingested_at"
        " FROM articles a WHERE a.id = ?1",
    [HD_ARTICLE_SENTENCES] =
        "SELECT seq, start, \"end\" FROM sentences WHERE article_id = ?1 ORDER BY seq",
    [HD_ARTICLE_ENTITIES] =
        "SELECT e.slug, e.type, e.name, e.name_ar, e.wikidata, e.country,"
        " (SELECT count(*) FROM mentions m WHERE m.article_id = ?1 AND m.entity_id = e.id"
        " AND m.kind <> 'adjective') AS n,"
        " EXISTS (SELECT 1 FROM article_credits c WHERE c.article_id = ?1 AND c.entity_id = e.id)"
        " FROM entities e WHERE e.id IN (SELECT entity_id FROM mentions WHERE article_id = ?1"
        " AND kind <> 'adjective' UNION SELECT entity_id FROM article_credits WHERE"
        " article_id = ?1) ORDER BY n DESC, e.slug",
    [HD_CREDIT_INSERT] =
        "INSERT OR IGNORE INTO article_credits (article_id, entity_id) VALUES (?1, ?2)",
    [HD_ARTICLE_MENTIONS] =
        "SELECT e.slug, m.start, m.\"end\", m.surface, m.kind, m.as_country FROM mentions m"
        " JOIN entities e ON e.id = m.entity_id WHERE m.article_id = ?1 ORDER BY m.start, m.id",
    [HD_ENTITY_UPSERT] =
        "INSERT INTO entities (slug, type, name, name_ar, wikidata, country, lat, lon, origin)"
        " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, 'kb') ON CONFLICT (slug) DO UPDATE SET"
        " type = excluded.type, name = excluded.name, name_ar = excluded.name_ar,"
        " wikidata = excluded.wikidata, country = excluded.country, lat = excluded.lat,"
        " lon = excluded.lon, origin = 'kb' RETURNING id",
    [HD_ENTITY_BY_SLUG] = "SELECT id, origin FROM entities WHERE slug = ?1",
    [HD_ENTITY_INSERT_TEXT] = "INSERT INTO entities (slug, type, name, name_ar, country, origin)"
                              " VALUES (?1, ?2, ?3, ?4, ?5, 'text') RETURNING id",
    [HD_ALIASES_CLEAR] = "DELETE FROM aliases WHERE entity_id = ?1",
    [HD_ALIAS_WORDS_CLEAR] = "DELETE FROM alias_words WHERE entity_id = ?1",
    [HD_ALIAS_INSERT] = "INSERT OR IGNORE INTO aliases (entity_id, text, script, key, skeleton)"
                        " VALUES (?1, ?2, ?3, ?4, ?5)",
    [HD_ALIAS_WORD_INSERT] = "INSERT OR IGNORE INTO alias_words (word, skeleton, entity_id)"
                             " VALUES (?1, ?2, ?3)",
    [HD_MENTION_INSERT] =
        "INSERT INTO mentions (article_id, sentence_id, entity_id, start, \"end\", surface, kind,"
        " as_country) VALUES (?1, (SELECT id FROM sentences WHERE article_id = ?1 AND seq = ?2),"
        " ?3, ?4, ?5, ?6, ?7, ?8)",
    [HD_META_GET] = "SELECT value FROM meta WHERE key = ?1",
    [HD_META_BUMP] = "INSERT INTO meta VALUES ('generation', 1)"
                     " ON CONFLICT (key) DO UPDATE SET value = value + 1",
    [HD_STATS_CLEAR] = "DELETE FROM entity_stats",
    [HD_STATS_FILL] = "INSERT INTO entity_stats (entity_id, mentions, articles)"
                      " SELECT entity_id, count(*), count(DISTINCT article_id) FROM mentions"
                      " WHERE kind <> 'adjective' GROUP BY entity_id",
    /* the whole list; a filtered one is built in views.c */
    [HD_ENTITY_PAGE] =
        "SELECT e.slug, e.type, e.name, e.name_ar, e.wikidata, e.country, s.mentions, s.articles,"
        " e.lat, e.lon FROM entity_stats s JOIN entities e ON e.id = s.entity_id"
        " ORDER BY s.mentions DESC, s.entity_id LIMIT :limit OFFSET :offset",
    [HD_ENTITY_COUNT] = "SELECT count(*) FROM entity_stats s JOIN entities e ON e.id = s.entity_id",
    [HD_ENTITY_GET] =
        "SELECT e.slug, e.type, e.name, e.name_ar, e.wikidata, e.country,"
        " coalesce(s.mentions, 0), coalesce(s.articles, 0), e.lat, e.lon, e.id, e.origin"
        " FROM entities e LEFT JOIN entity_stats s ON s.entity_id = e.id WHERE e.id = ?1",
    [HD_ENTITY_ALIASES] =
        "SELECT text, script FROM aliases WHERE entity_id = ?1 ORDER BY script, text",
    [HD_ENTITY_RELATED] =
        "SELECT e.slug, e.type, e.name, e.name_ar, e.wikidata, e.country, count(DISTINCT"
        " m1.sentence_id) AS n FROM mentions m1 JOIN mentions m2 ON m2.sentence_id ="
        " m1.sentence_id AND m2.entity_id <> m1.entity_id AND m2.kind <> 'adjective'"
        " JOIN entities e ON e.id = m2.entity_id WHERE m1.entity_id = ?1 AND m1.kind <>"
        " 'adjective' GROUP BY e.id ORDER BY n DESC, e.slug LIMIT 20",
    [HD_RESOLVE_SLUG] = "SELECT id FROM entities WHERE slug = ?1 OR wikidata = ?2",
    [HD_RESOLVE_KEY] = "SELECT DISTINCT entity_id FROM aliases WHERE key = ?1",
    [HD_RESOLVE_WORD] = "SELECT entity_id FROM alias_words WHERE word = ?1",
    [HD_RESOLVE_SKELETON] = "SELECT DISTINCT entity_id FROM aliases WHERE skeleton = ?1",
    [HD_RESOLVE_WORD_SKELETON] = "SELECT DISTINCT entity_id FROM alias_words WHERE skeleton = ?1",
    /* names or words of names that begin with ?1, the most mentioned first:
     * char(0x10FFFF) sorts after every character that may follow */
    [HD_RESOLVE_PREFIX] =
        "SELECT m.entity_id FROM (SELECT entity_id FROM aliases WHERE key >= ?1 AND"
        " key < ?1 || char(1114111) UNION SELECT entity_id FROM alias_words WHERE word >= ?1"
        " AND word < ?1 || char(1114111)) m LEFT JOIN entity_stats st ON st.entity_id ="
        " m.entity_id ORDER BY coalesce(st.mentions, 0) DESC, m.entity_id LIMIT ?2",
    [HD_ENTITY_SUMMARY] =
        "SELECT slug, type, name, name_ar, wikidata, country, lat, lon FROM entities WHERE id = ?1",
    [HD_ENTITIES_PRUNE] =
        "DELETE FROM entities WHERE NOT EXISTS (SELECT 1 FROM mentions m WHERE m.entity_id ="
        " entities.id) AND NOT EXISTS (SELECT 1 FROM event_participants p WHERE p.entity_id ="
        " entities.id) AND NOT EXISTS (SELECT 1 FROM events v WHERE v.location_id = entities.id)"
        " AND NOT EXISTS (SELECT 1 FROM article_credits c WHERE c.entity_id = entities.id)",
    [HD_EVENT_INSERT] =
        "INSERT INTO events (article_id, sentence_id, type, cameo, plover, modality, date_start,"
        " date_end, date_precision, date_text, trigger, trigger_start, trigger_end, location_id,"
        " confidence) VALUES (?1, (SELECT id FROM sentences WHERE article_id = ?1 AND seq = ?2),"
        " ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15) RETURNING id",
    [HD_PARTICIPANT_INSERT] = "INSERT OR IGNORE INTO event_participants (event_id, role, entity_id)"
                              " VALUES (?1, ?2, ?3)",
    [HD_ARTICLE_INFERRED] = "UPDATE articles SET published = ?2, published_source = 'inferred'"
                            " WHERE id = ?1 AND published IS NULL",
    [HD_CLUSTER_ROWS] =
        "SELECT e.id, e.type, e.date_start, e.date_precision, a.published,"
        " (SELECT group_concat(entity_id, ',') FROM (SELECT entity_id FROM event_participants"
        " WHERE event_id = e.id AND role = 'actor' ORDER BY entity_id)),"
        " (SELECT group_concat(entity_id, ',') FROM (SELECT entity_id FROM event_participants"
        " WHERE event_id = e.id AND role = 'target' ORDER BY entity_id)), e.modality"
        " FROM events e JOIN articles a ON a.id = e.article_id ORDER BY e.id",
    [HD_CLUSTER_SET] = "UPDATE events SET cluster = ?2 WHERE id = ?1 AND cluster IS NOT ?2",
    [HD_EVENT_GET] =
        "SELECT e.id, e.type, e.cameo, e.plover, e.modality, e.date_start, e.date_end,"
        " e.date_precision, e.date_text, e.trigger, e.confidence, e.cluster, s.text, a.id, a.file,"
        " a.title, e.location_id, e.trigger_start, e.trigger_end,"
        " (SELECT count(*) FROM events c WHERE c.cluster = e.cluster), s.start, s.\"end\""
        " FROM events e JOIN articles a ON a.id = e.article_id"
        " LEFT JOIN sentences s ON s.id = e.sentence_id WHERE e.id = ?1",
    [HD_EVENT_PARTICIPANTS] = "SELECT role, entity_id FROM event_participants WHERE event_id = ?1"
                              " ORDER BY role, entity_id",
    [HD_CLUSTER_DATE] =
        "SELECT date_start, date_end, date_precision FROM events WHERE cluster = ?1 AND"
        " date_start IS NOT NULL ORDER BY CASE date_precision WHEN 'day' THEN 0 WHEN 'month'"
        " THEN 1 ELSE 2 END, id LIMIT 1",
    [HD_CLUSTER_ARTICLES] =
        "SELECT DISTINCT article_id FROM events WHERE cluster = ?1 ORDER BY article_id",
    [HD_HEALTH_COUNTS] = "SELECT (SELECT count(*) FROM articles), (SELECT count(*) FROM entities),"
                         " (SELECT count(*) FROM events)",
};

/* Statements built at run time, kept per connection (so per server thread):
 * at most SQL_CACHE of them, in two-way sets by hash, and at most
 * SQL_CACHE_BYTES of SQLite's heap as sqlite3_stmt_status measures each when
 * made, the least recently used going first. bench/http.sh's mix meets
 * ~2,600 shapes of ~8.5 KB each; its sets keep ~1,650 of them, 14 MB. */
#define SQL_CACHE       2048
#define SQL_CACHE_BYTES ((size_t)16 << 20)
/* A request holds a few statements at once: the ones handed out last are
 * never evicted to make room by bytes. */
#define SQL_CACHE_HELD 8

struct hd_store {
    sqlite3 *db;
    sqlite3_stmt *stmt[HD_STMT_COUNT];
    sqlite3_stmt *cache[SQL_CACHE]; /* statements made from SQL built at run time */
    unsigned long long cache_used[SQL_CACHE], cache_clock; /* when each was last used */
    size_t cache_cost[SQL_CACHE], cache_bytes;             /* each one's heap, and their sum */
    size_t cache_limit;                                    /* 0: SQL_CACHE_BYTES */
    long long *kb_ids; /* per knowledge-base entry: its row id once written, else 0 */
    size_t nkb;
    /* The row of each entity found in the text, by its slug as recognised,
     * once met: the writer looked it up for every document that named it,
     * and twice per document (its mentions, then its events). A power of two
     * of slots, at most half used; emptied with kb_ids. */
    struct text_id {
        char *slug;
        long long id;
    } * text_ids;
    size_t ntext_slots, ntext;
    struct hd_keys *keys; /* for the resolver, made on first use */
    char secret[72];      /* meta 'secret', read on first use */
    void *aux;            /* another module's state for this connection */
    void (*aux_free)(void *);
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
                     "INSERT INTO meta VALUES ('secret', lower(hex(randomblob(16))));"
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

void hd_store_init(void)
{
    /* SQLite's memory statistics take a process-wide mutex at every
     * allocation: the server threads would queue on it */
    sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
    sqlite3_initialize();
}

struct hd_store *hd_store_open(const char *path, enum hd_store_mode mode, char *err, size_t errlen)
{
    int readonly = mode == HD_STORE_READ;
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
        /* before the schema is read or made: sentences_fts names it */
        if (hd_fts_register(db) != SQLITE_OK) {
            snprintf(err, errlen, "%s: registering the search tokenizer failed", path);
            sqlite3_close(db);
            return NULL;
        }
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
            if (mode == HD_STORE_BUILD)
                sqlite3_exec(db, "PRAGMA journal_mode = DELETE; PRAGMA synchronous = OFF", NULL,
                             NULL, NULL);
            else if (!memory)
                sqlite3_exec(db, "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL", NULL,
                             NULL, NULL);
            sqlite3_exec(db,
                         "PRAGMA foreign_keys = ON;"
                         " PRAGMA cache_size = -65536; PRAGMA temp_store = MEMORY",
                         NULL, NULL, NULL);
            if (tables == 0 && create_schema(db, err, errlen) < 0) {
                sqlite3_close(db);
                return NULL;
            }
            /* the articles written and not yet in the full-text index */
            if (sqlite3_exec(db, "CREATE TEMP TABLE fresh (id INTEGER PRIMARY KEY)", NULL, NULL,
                             NULL) != SQLITE_OK) {
                snprintf(err, errlen, "%s: %s", path, sqlite3_errmsg(db));
                sqlite3_close(db);
                return NULL;
            }
        }
        /* a reading connection cannot write even through a file opened
         * read-write by another (a temporary table, an ATTACH), and runs
         * no function the schema names */
        if (readonly)
            sqlite3_exec(db, "PRAGMA query_only = 1; PRAGMA trusted_schema = 0", NULL, NULL, NULL);
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

static void forget_text_ids(struct hd_store *st)
{
    for (size_t i = 0; i < st->ntext_slots; i++) {
        free(st->text_ids[i].slug);
        st->text_ids[i].slug = NULL;
    }
    st->ntext = 0;
}

/* The slot of slug in the table (its own, or the empty one it would take). */
static struct text_id *text_id_slot(struct hd_store *st, const char *slug)
{
    size_t h = 14695981039346656037ULL;
    for (const char *c = slug; *c; c++) h = (h ^ (unsigned char)*c) * 1099511628211ULL;
    size_t i = h & (st->ntext_slots - 1);
    while (st->text_ids[i].slug && strcmp(st->text_ids[i].slug, slug))
        i = (i + 1) & (st->ntext_slots - 1);
    return &st->text_ids[i];
}

/* Remembers slug's row; nothing when out of memory (it is looked up again). */
static void remember_text_id(struct hd_store *st, const char *slug, long long id)
{
    if (2 * (st->ntext + 1) > st->ntext_slots) {
        size_t n = st->ntext_slots ? 2 * st->ntext_slots : 1024;
        struct text_id *old = st->text_ids, *t = calloc(n, sizeof *t);
        if (!t) return;
        size_t oldn = st->ntext_slots;
        st->text_ids = t, st->ntext_slots = n;
        for (size_t i = 0; i < oldn; i++)
            if (old[i].slug) *text_id_slot(st, old[i].slug) = old[i];
        free(old);
    }
    struct text_id *e = text_id_slot(st, slug);
    if (e->slug || !(e->slug = strdup(slug))) return;
    e->id = id;
    st->ntext++;
}

void hd_store_close(struct hd_store *st)
{
    if (!st) return;
    for (int i = 0; i < HD_STMT_COUNT; i++) sqlite3_finalize(st->stmt[i]);
    for (int i = 0; i < SQL_CACHE; i++) sqlite3_finalize(st->cache[i]);
    sqlite3_close(st->db);
    free(st->kb_ids);
    forget_text_ids(st);
    free(st->text_ids);
    hd_keys_free(st->keys);
    if (st->aux_free) st->aux_free(st->aux);
    free(st);
}

void *hd_store_aux(struct hd_store *st)
{
    return st->aux;
}

void hd_store_set_aux(struct hd_store *st, void *aux, void (*aux_free)(void *))
{
    if (st->aux_free) st->aux_free(st->aux);
    st->aux = aux, st->aux_free = aux_free;
}

long long hd_store_data_version(struct hd_store *st)
{
    sqlite3_stmt *s = hd_store_stmt_sql(st, "PRAGMA data_version");
    if (!s) return -1;
    long long v = sqlite3_step(s) == SQLITE_ROW ? sqlite3_column_int64(s, 0) : -1;
    sqlite3_reset(s);
    return v;
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

static void drop_cached(struct hd_store *st, unsigned i)
{
    sqlite3_finalize(st->cache[i]);
    st->cache[i] = NULL;
    st->cache_bytes -= st->cache_cost[i];
    st->cache_cost[i] = 0;
}

sqlite3_stmt *hd_store_stmt_sql(struct hd_store *st, const char *q)
{
    /* A list query's shape depends on the filters a request has: a server
     * meets hundreds of shapes, and preparing one costs more than running it */
    unsigned h = 2166136261u;
    for (const char *c = q; *c; c++) h = (h ^ (unsigned char)*c) * 16777619u;
    unsigned set = (h % (SQL_CACHE / 2)) * 2;
    for (unsigned i = set; i < set + 2; i++) {
        sqlite3_stmt *s = st->cache[i];
        if (s && !strcmp(sqlite3_sql(s), q)) {
            sqlite3_reset(s);
            sqlite3_clear_bindings(s);
            st->cache_used[i] = ++st->cache_clock;
            return s;
        }
    }
    sqlite3_stmt *s;
    if (sqlite3_prepare_v3(st->db, q, -1, SQLITE_PREPARE_PERSISTENT, &s, NULL) != SQLITE_OK) {
        fprintf(stderr, "store: preparing %s: %s\n", q, sqlite3_errmsg(st->db));
        return NULL;
    }
    size_t cost = (size_t)sqlite3_stmt_status(s, SQLITE_STMTSTATUS_MEMUSED, 0);
    unsigned slot = st->cache_used[set] <= st->cache_used[set + 1] ? set : set + 1;
    if (sqlite3_stmt_busy(st->cache[slot])) slot ^= 1; /* a caller's, still running */
    drop_cached(st, slot);
    size_t limit = st->cache_limit ? st->cache_limit : SQL_CACHE_BYTES;
    while (st->cache_bytes + cost > limit) {
        /* a scan of the slots, only when a miss finds the cache full: a
         * prepare costs far more */
        unsigned victim = SQL_CACHE;
        for (unsigned i = 0; i < SQL_CACHE; i++)
            if (st->cache[i] && st->cache_used[i] + SQL_CACHE_HELD <= st->cache_clock &&
                !sqlite3_stmt_busy(st->cache[i]) &&
                (victim == SQL_CACHE || st->cache_used[i] < st->cache_used[victim]))
                victim = i;
        if (victim == SQL_CACHE) break;
        drop_cached(st, victim);
    }
    st->cache[slot] = s;
    st->cache_used[slot] = ++st->cache_clock;
    st->cache_cost[slot] = cost;
    st->cache_bytes += cost;
    return s;
}

void hd_store_sql_cache_limit(struct hd_store *st, size_t bytes)
{
    st->cache_limit = bytes;
}

void hd_store_sql_cache_usage(struct hd_store *st, size_t *count, size_t *bytes)
{
    *count = 0;
    for (unsigned i = 0; i < SQL_CACHE; i++) *count += st->cache[i] != NULL;
    *bytes = st->cache_bytes;
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
    sqlite3_stmt *fresh = hd_store_stmt_sql(st, "INSERT OR IGNORE INTO temp.fresh VALUES (?1)");
    if (!fresh) return -1;
    sqlite3_bind_int64(fresh, 1, aid);
    if (step_done(st, fresh) < 0) return -1;

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

int hd_store_index_fresh(struct hd_store *st)
{
    sqlite3_stmt *s = hd_store_stmt_sql(st, "INSERT INTO sentences_fts (rowid, text)"
                                            " SELECT s.id, s.text FROM temp.fresh f"
                                            " JOIN sentences s ON s.article_id = f.id");
    if (!s || step_done(st, s) < 0) return -1;
    s = hd_store_stmt_sql(st, "DELETE FROM temp.fresh");
    return s ? step_done(st, s) : -1;
}

int hd_store_delete_article(struct hd_store *st, long long id)
{
    /* the delete trigger takes its sentences out of the index: they must be
     * in it (FTS5 unindexes by the words of the text, taken on trust) */
    sqlite3_stmt *s = hd_store_stmt_sql(st, "SELECT 1 FROM temp.fresh WHERE id = ?1");
    if (!s) return -1;
    sqlite3_bind_int64(s, 1, id);
    int fresh = sqlite3_step(s) == SQLITE_ROW;
    sqlite3_reset(s);
    if (fresh && hd_store_index_fresh(st) < 0) return -1;
    s = hd_store_stmt(st, HD_ARTICLE_DELETE);
    if (!s) return -1;
    sqlite3_bind_int64(s, 1, id);
    return step_done(st, s);
}

/* "ar" when s has an Arabic letter, "latn" when it has a Latin one. */
static const char *script_of(const char *s)
{
    int latin = 0;
    for (size_t i = 0; s[i];) {
        uint32_t cp = hd_utf8_next(s, &i);
        if (cp >= 0x0600 && cp <= 0x06FF) return "ar";
        if ((cp | 32) >= 'a' && (cp | 32) <= 'z') latin = 1;
    }
    return latin ? "latn" : "other";
}

/* Writes one alias of entity id, and its words, with their keys. */
static int put_alias(struct hd_store *st, struct hd_keys *keys, long long id, const char *text)
{
    char *key = hd_normalize_key(text, strlen(text)), *skel = NULL;
    if (!key || hd_keys_make(keys, text, NULL, &skel) < 0 || !skel) {
        free(key), free(skel);
        return -1;
    }
    int rc = 0;
    sqlite3_stmt *s = hd_store_stmt(st, HD_ALIAS_INSERT);
    if (!s) rc = -1;
    if (s && *key) {
        sqlite3_bind_int64(s, 1, id);
        sqlite3_bind_text(s, 2, text, -1, SQLITE_STATIC);
        sqlite3_bind_text(s, 3, script_of(text), -1, SQLITE_STATIC);
        sqlite3_bind_text(s, 4, key, -1, SQLITE_STATIC);
        sqlite3_bind_text(s, 5, skel, -1, SQLITE_STATIC);
        rc = step_done(st, s);
    }
    /* each word of the key, so that one word of a name finds it */
    for (char *w = key; rc == 0 && *w;) {
        char *sp = strchr(w, ' ');
        size_t wl = sp ? (size_t)(sp - w) : strlen(w);
        char word[256], *wskel = NULL;
        if (wl > 0 && wl < sizeof word) {
            memcpy(word, w, wl), word[wl] = 0;
            if (hd_keys_make(keys, word, NULL, &wskel) == 0 && wskel) {
                sqlite3_stmt *t = hd_store_stmt(st, HD_ALIAS_WORD_INSERT);
                if (!t) rc = -1;
                if (t) {
                    sqlite3_bind_text(t, 1, word, -1, SQLITE_STATIC);
                    sqlite3_bind_text(t, 2, wskel, -1, SQLITE_STATIC);
                    sqlite3_bind_int64(t, 3, id);
                    rc = step_done(st, t);
                }
            }
            free(wskel);
        }
        w += wl;
        while (*w == ' ') w++;
    }
    free(key), free(skel);
    return rc;
}

static int clear_aliases(struct hd_store *st, long long id)
{
    sqlite3_stmt *s = hd_store_stmt(st, HD_ALIASES_CLEAR);
    if (!s) return -1;
    sqlite3_bind_int64(s, 1, id);
    if (step_done(st, s) < 0) return -1;
    s = hd_store_stmt(st, HD_ALIAS_WORDS_CLEAR);
    if (!s) return -1;
    sqlite3_bind_int64(s, 1, id);
    return step_done(st, s);
}

static long long returned_id(struct hd_store *st, sqlite3_stmt *s)
{
    long long id = -1;
    int rc = sqlite3_step(s);
    if (rc == SQLITE_ROW) id = sqlite3_column_int64(s, 0);
    if (rc != SQLITE_ROW) fprintf(stderr, "store: %s\n", sqlite3_errmsg(st->db));
    sqlite3_reset(s);
    return id;
}

/* The row of knowledge-base entry kbi, written with its aliases the first
 * time this store meets it (so a changed knowledge base refreshes it). */
static long long kb_entity(struct hd_store *st, struct hd_recognizer *r, size_t kbi)
{
    const struct hd_kb *kb = hd_recognizer_kb(r);
    if (!st->kb_ids) {
        st->nkb = hd_kb_size(kb);
        st->kb_ids = calloc(st->nkb + 1, sizeof *st->kb_ids);
        if (!st->kb_ids) return -1;
    }
    if (kbi >= st->nkb) return -1;
    if (st->kb_ids[kbi]) return st->kb_ids[kbi];
    const struct hd_kb_entity *e = hd_kb_get(kb, kbi);
    sqlite3_stmt *s = hd_store_stmt(st, HD_ENTITY_UPSERT);
    if (!s) return -1;
    sqlite3_bind_text(s, 1, e->slug, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 2, e->type, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 3, e->name, -1, SQLITE_STATIC);
    bind_text_or_null(s, 4, e->name_ar);
    bind_text_or_null(s, 5, e->wikidata);
    bind_text_or_null(s, 6, e->country);
    if (e->has_point) {
        sqlite3_bind_double(s, 7, e->lat);
        sqlite3_bind_double(s, 8, e->lon);
    }
    long long id = returned_id(st, s);
    if (id < 0 || clear_aliases(st, id) < 0) return -1;
    const char *a;
    for (size_t n = 0; (a = hd_kb_alias(kb, kbi, n)) != NULL; n++)
        if (put_alias(st, hd_recognizer_keys(r), id, a) < 0) return -1;
    st->kb_ids[kbi] = id;
    return id;
}

/* The row of an entity found in the text: the one of its slug, else new. A
 * knowledge-base entry that has the slug already keeps it; the new one
 * takes the slug with a number. */
static long long found_or_new_text_entity(struct hd_store *st, struct hd_recognizer *r,
                                          const struct hd_recognition *rec, size_t i,
                                          const char *slug);

static long long text_entity(struct hd_store *st, struct hd_recognizer *r,
                             const struct hd_recognition *rec, size_t i)
{
    const char *slug = hd_rec_slug(r, rec, i);
    if (st->ntext) {
        struct text_id *e = text_id_slot(st, slug);
        if (e->slug) return e->id;
    }
    long long id = found_or_new_text_entity(st, r, rec, i, slug);
    if (id > 0) remember_text_id(st, slug, id);
    return id;
}

/* text_entity's lookup in the store, and the insert of a new one. */
static long long found_or_new_text_entity(struct hd_store *st, struct hd_recognizer *r,
                                          const struct hd_recognition *rec, size_t i,
                                          const char *slug)
{
    char buf[300];
    for (int n = 1; n < 100; n++) {
        if (n > 1) snprintf(buf, sizeof buf, "%s-%d", slug, n);
        const char *try = n > 1 ? buf : slug;
        sqlite3_stmt *s = hd_store_stmt(st, HD_ENTITY_BY_SLUG);
        if (!s) return -1;
        sqlite3_bind_text(s, 1, try, -1, SQLITE_STATIC);
        int rc = sqlite3_step(s);
        long long id = rc == SQLITE_ROW ? sqlite3_column_int64(s, 0) : 0;
        int text = rc == SQLITE_ROW && !strcmp((const char *)sqlite3_column_text(s, 1), "text");
        sqlite3_reset(s);
        if (rc != SQLITE_ROW && rc != SQLITE_DONE) return -1;
        if (id && text) return id;
        if (id) continue;
        s = hd_store_stmt(st, HD_ENTITY_INSERT_TEXT);
        if (!s) return -1;
        sqlite3_bind_text(s, 1, try, -1, SQLITE_STATIC);
        sqlite3_bind_text(s, 2, hd_rec_type(r, rec, i), -1, SQLITE_STATIC);
        sqlite3_bind_text(s, 3, hd_rec_name(r, rec, i), -1, SQLITE_STATIC);
        sqlite3_bind_text(s, 4, hd_rec_name_ar(r, rec, i), -1, SQLITE_STATIC);
        bind_text_or_null(s, 5, hd_rec_country(r, rec, i));
        id = returned_id(st, s);
        if (id < 0) return -1;
        if (put_alias(st, hd_recognizer_keys(r), id, hd_rec_name_ar(r, rec, i)) < 0 ||
            put_alias(st, hd_recognizer_keys(r), id, hd_rec_name(r, rec, i)) < 0)
            return -1;
        return id;
    }
    return -1;
}

int hd_store_put_credits(struct hd_store *st, long long id, struct hd_recognizer *r,
                         const struct hd_recognition *rec)
{
    for (size_t i = 0; i < rec->nentities; i++) {
        const char *type = hd_rec_type(r, rec, i);
        if (strcmp(type, "organization") && strcmp(type, "group")) continue;
        long kbi = rec->entities[i].kb;
        long long e = kbi >= 0 ? kb_entity(st, r, (size_t)kbi) : text_entity(st, r, rec, i);
        sqlite3_stmt *s = e < 0 ? NULL : hd_store_stmt(st, HD_CREDIT_INSERT);
        if (!s) return -1;
        sqlite3_bind_int64(s, 1, id);
        sqlite3_bind_int64(s, 2, e);
        if (step_done(st, s) < 0) return -1;
    }
    return 0;
}

int hd_store_put_mentions(struct hd_store *st, long long id, const struct hd_doc *doc,
                          struct hd_recognizer *r, const struct hd_recognition *rec)
{
    long long *ids = calloc(rec->nentities + 1, sizeof *ids);
    if (!ids) return -1;
    int rc = 0;
    for (size_t i = 0; i < rec->nentities && rc == 0; i++) {
        long kbi = rec->entities[i].kb;
        ids[i] = kbi >= 0 ? kb_entity(st, r, (size_t)kbi) : text_entity(st, r, rec, i);
        if (ids[i] < 0) rc = -1;
    }
    for (size_t i = 0; i < rec->nmentions && rc == 0; i++) {
        const struct hd_mention *m = &rec->mentions[i];
        sqlite3_stmt *s = hd_store_stmt(st, HD_MENTION_INSERT);
        if (!s) {
            rc = -1;
            break;
        }
        sqlite3_bind_int64(s, 1, id);
        sqlite3_bind_int64(s, 2, (long long)m->sentence);
        sqlite3_bind_int64(s, 3, ids[m->entity]);
        sqlite3_bind_int64(s, 4, (long long)m->cp_start);
        sqlite3_bind_int64(s, 5, (long long)m->cp_end);
        sqlite3_bind_text(s, 6, doc->text + m->start, (int)(m->end - m->start), SQLITE_STATIC);
        sqlite3_bind_text(s, 7, hd_mention_kind_name(m->kind), -1, SQLITE_STATIC);
        sqlite3_bind_int(s, 8, (m->flags & HD_MENTION_AS_COUNTRY) != 0);
        rc = step_done(st, s);
    }
    free(ids);
    return rc;
}

void hd_store_forget_entities(struct hd_store *st)
{
    if (st->kb_ids) memset(st->kb_ids, 0, (st->nkb + 1) * sizeof *st->kb_ids);
    forget_text_ids(st);
}

int hd_store_prune_entities(struct hd_store *st)
{
    sqlite3_stmt *s = hd_store_stmt(st, HD_ENTITIES_PRUNE);
    if (!s) return -1;
    if (step_done(st, s) < 0) return -1;
    hd_store_forget_entities(st);
    return sqlite3_changes(st->db);
}

int hd_store_refresh_stats(struct hd_store *st)
{
    sqlite3_stmt *s = hd_store_stmt(st, HD_STATS_CLEAR);
    if (!s || step_done(st, s) < 0) return -1;
    s = hd_store_stmt(st, HD_STATS_FILL);
    return s ? step_done(st, s) : -1;
}

long long hd_store_generation(struct hd_store *st)
{
    sqlite3_stmt *s = hd_store_stmt(st, HD_META_GET);
    if (!s) return -1;
    sqlite3_bind_text(s, 1, "generation", -1, SQLITE_STATIC);
    int rc = sqlite3_step(s);
    long long g = rc == SQLITE_ROW ? sqlite3_column_int64(s, 0) : rc == SQLITE_DONE ? 0 : -1;
    sqlite3_reset(s);
    return g;
}

int hd_store_bump_generation(struct hd_store *st)
{
    sqlite3_stmt *s = hd_store_stmt(st, HD_META_BUMP);
    return s ? step_done(st, s) : -1;
}

const char *hd_store_secret(struct hd_store *st)
{
    if (st->secret[0]) return st->secret;
    sqlite3_stmt *s = hd_store_stmt(st, HD_META_GET);
    if (!s) return "";
    sqlite3_bind_text(s, 1, "secret", -1, SQLITE_STATIC);
    if (sqlite3_step(s) == SQLITE_ROW)
        snprintf(st->secret, sizeof st->secret, "%s", (const char *)sqlite3_column_text(s, 0));
    sqlite3_reset(s);
    return st->secret;
}

struct hd_keys *hd_store_keys(struct hd_store *st)
{
    if (!st->keys) {
        char err[256];
        st->keys = hd_keys_new(err, sizeof err);
        if (!st->keys) fprintf(stderr, "store: keys: %s\n", err);
    }
    return st->keys;
}

/* The row ids of rec's entities (written when new), in a new array. */
static long long *entity_ids(struct hd_store *st, struct hd_recognizer *r,
                             const struct hd_recognition *rec)
{
    long long *ids = calloc(rec->nentities + 1, sizeof *ids);
    if (!ids) return NULL;
    for (size_t i = 0; i < rec->nentities; i++) {
        long kbi = rec->entities[i].kb;
        ids[i] = kbi >= 0 ? kb_entity(st, r, (size_t)kbi) : text_entity(st, r, rec, i);
        if (ids[i] < 0) {
            free(ids);
            return NULL;
        }
    }
    return ids;
}

static int put_participant(struct hd_store *st, long long ev, const char *role, long long entity)
{
    sqlite3_stmt *s = hd_store_stmt(st, HD_PARTICIPANT_INSERT);
    if (!s) return -1;
    sqlite3_bind_int64(s, 1, ev);
    sqlite3_bind_text(s, 2, role, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 3, entity);
    return step_done(st, s);
}

int hd_store_put_events(struct hd_store *st, long long id, const struct hd_doc *doc,
                        struct hd_recognizer *r, const struct hd_recognition *rec,
                        const struct hd_event_list *ev)
{
    if (ev->reference_inferred && !doc->published) {
        char iso[11];
        hd_ymd_format(ev->reference, iso);
        sqlite3_stmt *s = hd_store_stmt(st, HD_ARTICLE_INFERRED);
        if (!s) return -1;
        sqlite3_bind_int64(s, 1, id);
        sqlite3_bind_text(s, 2, iso, -1, SQLITE_TRANSIENT);
        if (step_done(st, s) < 0) return -1;
    }
    if (!ev->n) return 0;
    long long *ids = entity_ids(st, r, rec);
    if (!ids) return -1;
    int rc = 0;
    for (size_t i = 0; i < ev->n && rc == 0; i++) {
        const struct hd_event *e = &ev->v[i];
        sqlite3_stmt *s = hd_store_stmt(st, HD_EVENT_INSERT);
        if (!s) {
            rc = -1;
            break;
        }
        char a[11], b[11];
        hd_ymd_format(e->start, a), hd_ymd_format(e->end, b);
        sqlite3_bind_int64(s, 1, id);
        sqlite3_bind_int64(s, 2, (long long)e->sentence);
        sqlite3_bind_text(s, 3, e->type, -1, SQLITE_STATIC);
        bind_text_or_null(s, 4, e->cameo);
        bind_text_or_null(s, 5, e->plover);
        sqlite3_bind_text(s, 6, e->modality, -1, SQLITE_STATIC);
        if (e->precision != HD_PREC_UNKNOWN) {
            sqlite3_bind_text(s, 7, a, -1, SQLITE_TRANSIENT);
            sqlite3_bind_text(s, 8, b, -1, SQLITE_TRANSIENT);
        }
        sqlite3_bind_text(s, 9, hd_precision_name(e->precision), -1, SQLITE_STATIC);
        if (e->date_end > e->date_start)
            sqlite3_bind_text(s, 10, doc->text + e->date_start, (int)(e->date_end - e->date_start),
                              SQLITE_STATIC);
        sqlite3_bind_text(s, 11, doc->text + e->trigger_start,
                          (int)(e->trigger_end - e->trigger_start), SQLITE_STATIC);
        size_t cs = hd_utf8_count(doc->text, e->trigger_start);
        sqlite3_bind_int64(s, 12, (long long)cs);
        sqlite3_bind_int64(s, 13,
                           (long long)(cs + hd_utf8_count(doc->text + e->trigger_start,
                                                          e->trigger_end - e->trigger_start)));
        if (e->location >= 0 && (size_t)e->location < rec->nentities)
            sqlite3_bind_int64(s, 14, ids[e->location]);
        sqlite3_bind_double(s, 15, e->confidence);
        long long evid = returned_id(st, s);
        if (evid < 0) {
            rc = -1;
            break;
        }
        for (size_t k = 0; k < e->nactors && rc == 0; k++)
            rc = put_participant(st, evid, "actor", ids[e->actors[k]]);
        for (size_t k = 0; k < e->ntargets && rc == 0; k++)
            rc = put_participant(st, evid, "target", ids[e->targets[k]]);
    }
    free(ids);
    return rc;
}

/* ---- clusters ---- */

struct crow {
    long long id;
    char *key;          /* type|actors|targets */
    struct hd_ymd date; /* y = 0 when undated */
    enum hd_precision prec;
    struct hd_ymd ref; /* the article's publication, y = 0 when unknown */
    int alone;         /* negated or conditional: reports no event to share */
    long long cluster, min;
};

static int crow_cmp(const void *a, const void *b)
{
    const struct crow *x = a, *y = b;
    int c = strcmp(x->key, y->key);
    if (c) return c;
    /* dated first, by date, then the undated */
    if (!x->date.y != !y->date.y) return x->date.y ? -1 : 1;
    long dx = x->date.y * 372L + x->date.m * 31L + x->date.d,
         dy = y->date.y * 372L + y->date.m * 31L + y->date.d;
    if (dx != dy) return dx < dy ? -1 : 1;
    return x->id < y->id ? -1 : x->id > y->id;
}

/* Two dates name the same time at the coarser precision of the two. */
static int dates_agree(const struct crow *a, const struct crow *b)
{
    if (a->date.y != b->date.y) return 0;
    if (a->prec == HD_PREC_YEAR || b->prec == HD_PREC_YEAR) return 1;
    return a->date.m == b->date.m;
}

static long months_apart(struct hd_ymd a, struct hd_ymd b)
{
    long d = (a.y * 12L + a.m) - (b.y * 12L + b.m);
    return d < 0 ? -d : d;
}

static const char *col_text(sqlite3_stmt *s, int i)
{
    const char *t = (const char *)sqlite3_column_text(s, i);
    return t ? t : "";
}

static int symmetric_type(const char *t)
{
    return !strcmp(t, "meeting") || !strcmp(t, "agreement") || !strcmp(t, "cooperation");
}

int hd_store_refresh_clusters(struct hd_store *st)
{
    sqlite3_stmt *s = hd_store_stmt(st, HD_CLUSTER_ROWS);
    if (!s) return -1;
    struct crow *v = NULL;
    size_t n = 0, cap = 0;
    int rc = SQLITE_ROW;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        if (n == cap) {
            size_t nc = cap ? cap * 2 : 1024;
            struct crow *nv = realloc(v, nc * sizeof *nv);
            if (!nv) break;
            v = nv, cap = nc;
        }
        struct crow *c = &v[n];
        memset(c, 0, sizeof *c);
        c->id = sqlite3_column_int64(s, 0);
        const char *type = col_text(s, 1), *acts = col_text(s, 5), *tars = col_text(s, 6);
        const char *mod = col_text(s, 7);
        size_t kl = strlen(type) + strlen(acts) + strlen(tars) + 4;
        if (!(c->key = malloc(kl))) break;
        if (symmetric_type(type)) /* the parties, in either role */
            snprintf(c->key, kl, "%s|%s%s%s|", type, acts, *acts && *tars ? "," : "", tars);
        else
            snprintf(c->key, kl, "%s|%s|%s", type, acts, tars);
        if (symmetric_type(type)) { /* sort the ids so that roles do not matter */
            char *ids = strchr(c->key, '|') + 1;
            char *end = strchr(ids, '|');
            long long num[2 * HD_EVENT_MAX_ROLE];
            int nn = 0;
            for (char *p = ids; p < end && nn < 2 * HD_EVENT_MAX_ROLE;) {
                num[nn++] = strtoll(p, &p, 10);
                if (*p == ',')
                    p++;
                else
                    break;
            }
            for (int i = 1; i < nn; i++)
                for (int j = i; j > 0 && num[j - 1] > num[j]; j--) {
                    long long t = num[j];
                    num[j] = num[j - 1], num[j - 1] = t;
                }
            char *w = ids;
            for (int i = 0; i < nn; i++)
                w += snprintf(w, (size_t)(kl - (size_t)(w - c->key)), i ? ",%lld" : "%lld", num[i]);
            snprintf(w, (size_t)(kl - (size_t)(w - c->key)), "|");
        }
        if (sqlite3_column_type(s, 2) != SQLITE_NULL) {
            hd_ymd_parse(col_text(s, 2), &c->date);
            const char *p = col_text(s, 3);
            c->prec = !strcmp(p, "day")     ? HD_PREC_DAY
                      : !strcmp(p, "month") ? HD_PREC_MONTH
                                            : HD_PREC_YEAR;
        }
        hd_ymd_parse(col_text(s, 4), &c->ref);
        c->alone = !strcmp(mod, "negated") || !strcmp(mod, "conditional");
        n++;
    }
    sqlite3_reset(s);
    int ok = rc == SQLITE_DONE;
    if (ok && n) qsort(v, n, sizeof *v, crow_cmp);
    for (size_t i = 0; ok && i < n;) {
        size_t j = i;
        while (j < n && !strcmp(v[j].key, v[i].key)) j++;
        /* dated reports: a new cluster where the date moves on */
        size_t head = (size_t)-1, undated_head = (size_t)-1;
        for (size_t k = i; k < j; k++) {
            struct crow *c = &v[k];
            if (c->alone) {
                c->cluster = c->id;
                continue;
            }
            if (c->date.y) {
                if (head == (size_t)-1 || !dates_agree(&v[head], c)) head = k;
                c->cluster = v[head].id;
                continue;
            }
            /* undated: the dated cluster nearest its article's date */
            long best = -1, bestd = 0;
            if (c->ref.y)
                for (size_t q = i; q < k; q++) {
                    const struct crow *d = &v[q];
                    if (!d->date.y || d->alone) continue;
                    long md =
                        c->ref.m ? months_apart(d->date, c->ref) : (d->date.y == c->ref.y ? 0 : 99);
                    if (md <= 2 && (best < 0 || md < bestd)) best = (long)q, bestd = md;
                }
            if (best >= 0) {
                c->cluster = v[best].cluster;
            } else {
                if (undated_head == (size_t)-1) undated_head = k;
                c->cluster = v[undated_head].id;
            }
        }
        /* a cluster's id is its earliest report's */
        for (size_t k = i; k < j; k++) {
            v[k].min = v[k].id;
            for (size_t q = i; q < j; q++)
                if (v[q].cluster == v[k].cluster && v[q].id < v[k].min) v[k].min = v[q].id;
        }
        for (size_t k = i; k < j; k++) v[k].cluster = v[k].min;
        i = j;
    }
    for (size_t i = 0; i < n && ok; i++) {
        sqlite3_stmt *u = hd_store_stmt(st, HD_CLUSTER_SET);
        if (!u) {
            ok = 0;
            break;
        }
        sqlite3_bind_int64(u, 1, v[i].id);
        sqlite3_bind_int64(u, 2, v[i].cluster);
        if (step_done(st, u) < 0) ok = 0;
    }
    for (size_t i = 0; i < n; i++) free(v[i].key);
    free(v);
    return ok ? 0 : -1;
}
