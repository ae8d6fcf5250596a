/* The SQLite store: opening (and rebuilding a database of another schema
 * version), the statements every other module runs, and writing articles. */
#ifndef HD_STORE_H
#define HD_STORE_H

#include <sqlite3.h>

#include "document.h"

/* Bump when the extraction changes what it stores, so that every document is
 * ingested again on the next start. */
#define HD_EXTRACTOR_VERSION "hadath-extract-1"

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
    HD_HEALTH_COUNTS,
    HD_STMT_COUNT
};

/* Opens the database at path ("file:...?..." URIs and ":memory:" work).
 * Read-write opens create the schema, and rebuild the file when it holds
 * another schema version; read-only opens refuse such a file. Returns NULL
 * with the reason in err. */
struct hd_store *hd_store_open(const char *path, int readonly, char *err, size_t errlen);
void hd_store_close(struct hd_store *st);
sqlite3 *hd_store_db(struct hd_store *st);

/* The prepared statement id, reset and with its bindings cleared: ready to
 * bind. Prepared once per connection. NULL (and a log line) on failure. */
sqlite3_stmt *hd_store_stmt(struct hd_store *st, enum hd_stmt id);

int hd_store_exec(struct hd_store *st, const char *sql); /* SQLITE_OK or an error code */

/* The stored hash of file in hash[65] and its id; 1 if found, 0 if not, -1 on error. */
int hd_store_article_hash(struct hd_store *st, const char *file, char hash[65], long long *id);

/* Writes (or replaces, keeping its id) the article for file. */
int hd_store_put_article(struct hd_store *st, const char *file, const char *hash,
                         const struct hd_doc *doc, long long *id);

int hd_store_delete_article(struct hd_store *st, long long id);

#endif
