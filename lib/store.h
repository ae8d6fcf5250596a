/* The SQLite store: opening (and rebuilding a database of another schema
 * version), the statements every other module runs, and writing articles. */
#ifndef HD_STORE_H
#define HD_STORE_H

#include <sqlite3.h>

#include "document.h"
#include "events.h"
#include "recognize.h"

/* Bump when the extraction changes what it stores, so that every document is
 * ingested again on the next start. */
#define HD_EXTRACTOR_VERSION "hadath-extract-3"

struct hd_store;

enum hd_stmt {
    HD_ARTICLE_BY_FILE, /* file -> id, hash */
    HD_ARTICLE_INSERT,
    HD_ARTICLE_DELETE,
    HD_SENTENCE_INSERT,
    HD_ARTICLE_FILES, /* id, file of every article */
    HD_ARTICLE_COUNT,
    HD_ARTICLE_PAGE, /* articles after an id, with counts */
    HD_ARTICLE_GET,
    HD_ARTICLE_SENTENCES,
    HD_ARTICLE_ENTITIES,
    HD_ARTICLE_MENTIONS,
    HD_CREDIT_INSERT,
    HD_HEALTH_COUNTS,
    HD_ENTITY_UPSERT,
    HD_ENTITY_BY_SLUG,
    HD_ENTITY_INSERT_TEXT,
    HD_ALIASES_CLEAR,
    HD_ALIAS_WORDS_CLEAR,
    HD_ALIAS_INSERT,
    HD_ALIAS_WORD_INSERT,
    HD_MENTION_INSERT,
    HD_ENTITIES_PRUNE,
    HD_STATS_CLEAR,
    HD_STATS_FILL,
    HD_ENTITY_PAGE,
    HD_ENTITY_COUNT,
    HD_ENTITY_GET,
    HD_ENTITY_ALIASES,
    HD_ENTITY_RELATED,
    HD_ENTITY_SUMMARY,
    HD_RESOLVE_SLUG,
    HD_RESOLVE_KEY,
    HD_RESOLVE_WORD,
    HD_RESOLVE_SKELETON,
    HD_RESOLVE_WORD_SKELETON,
    HD_RESOLVE_PREFIX,
    HD_EVENT_INSERT,
    HD_PARTICIPANT_INSERT,
    HD_ARTICLE_INFERRED,
    HD_CLUSTER_ROWS,
    HD_CLUSTER_SET,
    HD_EVENT_GET,
    HD_EVENT_PARTICIPANTS,
    HD_CLUSTER_ARTICLES,
    HD_CLUSTER_DATE,
    HD_META_GET,
    HD_META_BUMP,
    HD_STMT_COUNT
};

/* The database's generation: a number that grows with every ingest that
 * changed something (0 before the first), or -1 on a store error. */
long long hd_store_generation(struct hd_store *st);
/* Counts one more generation; within the ingest's transaction. */
int hd_store_bump_generation(struct hd_store *st);
/* A random secret made with the database (hex), for signing cursors; ""
 * when it cannot be read. Owned by the store. */
const char *hd_store_secret(struct hd_store *st);

/* Process-wide SQLite settings: call once, before any other function of
 * the store (and before any other thread uses SQLite). */
void hd_store_init(void);

/* A slot for another module's state tied to this connection (the views'
 * memo of built objects): aux_free, when not NULL, frees it with the store
 * or when the slot is set again. */
void *hd_store_aux(struct hd_store *st);
void hd_store_set_aux(struct hd_store *st, void *aux, void (*aux_free)(void *));

/* SQLite's data version of this connection: it changes when another
 * connection commits; -1 on error. */
long long hd_store_data_version(struct hd_store *st);

enum hd_store_mode {
    HD_STORE_WRITE, /* read-write, with a write-ahead log: others read meanwhile */
    HD_STORE_READ,  /* read-only, and refuses to run SQL that would write */
    /* read-write on a file nobody else opens until it is finished (see
     * dbfile.h): a rollback journal, as readers of the finished file need
     * none, and no syncs, as a crashed build is thrown away */
    HD_STORE_BUILD
};

/* Opens the database at path ("file:...?..." URIs and ":memory:" work).
 * Writing opens create the schema, and rebuild the file when it holds
 * another schema version; read-only opens refuse such a file. Returns NULL
 * with the reason in err. */
struct hd_store *hd_store_open(const char *path, enum hd_store_mode mode, char *err, size_t errlen);
void hd_store_close(struct hd_store *st);
sqlite3 *hd_store_db(struct hd_store *st);

/* The prepared statement id, reset and with its bindings cleared: ready to
 * bind. Prepared once per connection. NULL (and a log line) on failure. */
sqlite3_stmt *hd_store_stmt(struct hd_store *st, enum hd_stmt id);

/* A statement for SQL built at run time (a list query with the filters a
 * request has), reset and cleared; kept in a small cache per connection, so
 * a query of the same shape is prepared once. NULL (and a log line) on
 * failure. */
sqlite3_stmt *hd_store_stmt_sql(struct hd_store *st, const char *sql);

/* The bound on the heap that cache's statements take (as SQLite measures
 * them), 16 MB unless set (0 restores that); and what it holds now. */
void hd_store_sql_cache_limit(struct hd_store *st, size_t bytes);
void hd_store_sql_cache_usage(struct hd_store *st, size_t *count, size_t *bytes);

int hd_store_exec(struct hd_store *st, const char *sql); /* SQLITE_OK or an error code */

/* The stored hash of file in hash[65] and its id; 1 if found, 0 if not, -1 on error. */
int hd_store_article_hash(struct hd_store *st, const char *file, char hash[65], long long *id);

/* Writes (or replaces, keeping its id) the article for file. */
int hd_store_put_article(struct hd_store *st, const char *file, const char *hash,
                         const struct hd_doc *doc, long long *id);

/* Adds the sentences of the articles written since the last call to the
 * full-text index: in one statement, as FTS5 indexes fastest. Until then
 * /search does not find them. Returns 0 or -1. */
int hd_store_index_fresh(struct hd_store *st);

int hd_store_delete_article(struct hd_store *st, long long id);

/* Writes the mentions rec found in article id, and the entities they name:
 * a knowledge-base entry is written (or refreshed) with its aliases the
 * first time this store meets it, an entity found in the text is matched
 * by its slug. r is the recogniser that made rec. Returns 0 or -1. */
int hd_store_put_mentions(struct hd_store *st, long long id, const struct hd_doc *doc,
                          struct hd_recognizer *r, const struct hd_recognition *rec);

/* Writes the organisations of rec, recognised in the article's credit
 * (hd_doc.source), as the ones article id credits. Returns 0 or -1. */
int hd_store_put_credits(struct hd_store *st, long long id, struct hd_recognizer *r,
                         const struct hd_recognition *rec);

/* Writes the events ev of article id (made from rec by r), and the
 * publication date they were read against when it was inferred from the
 * text. Call after hd_store_put_mentions. Returns 0 or -1. */
int hd_store_put_events(struct hd_store *st, long long id, const struct hd_doc *doc,
                        struct hd_recognizer *r, const struct hd_recognition *rec,
                        const struct hd_event_list *ev);

/* Groups the reports of one real-world event into clusters (events.cluster):
 * same type, same actors and targets, and dates that agree. Returns 0 or -1. */
int hd_store_refresh_clusters(struct hd_store *st);

/* Forgets which entities were written: after a rollback, which may have
 * undone some. */
void hd_store_forget_entities(struct hd_store *st);

/* Deletes the entities nothing refers to any more; returns how many, or -1. */
int hd_store_prune_entities(struct hd_store *st);

/* Recounts the mentions and articles of every entity (entity_stats). */
int hd_store_refresh_stats(struct hd_store *st);

/* This connection's cross-script keys (lib/keys.h), made on first use; NULL
 * when ICU fails. Like the connection, for one thread. */
struct hd_keys *hd_store_keys(struct hd_store *st);

#endif
