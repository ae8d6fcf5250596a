/* The store: schema creation, article writes that keep ids, and sentence
 * offsets in code points (what the API promises), checked with SQLite's own
 * substr(), which counts characters. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "document.h"
#include "ingest.h"
#include "store.h"

/* An entity found in the text, written and rolled back with its document,
 * is written again for the next one: the writer's memory of text entities'
 * rows goes with the rollback (hd_store_forget_entities). */
static void text_entity_after_rollback(void)
{
    char err[256];
    struct hd_store *st = hd_store_open(":memory:", HD_STORE_WRITE, err, sizeof err);
    struct hd_extractor *x = st ? hd_extractor_new(err, sizeof err) : NULL;
    CHECK(st && x, "store and extractor: %s", err);
    if (!st || !x) return;
    const char *text = "خبر\n\nقال زيد عبيد إن الوفد وصل.";
    struct hd_doc *d = hd_doc_parse(text, strlen(text), NULL, 0, err, sizeof err);
    struct hd_rec_entity ent = {-1,   "zayd-ubayd", "Zayd Ubayd", "زيد عبيد",
                                NULL, "زيد عبيد",   "person"};
    size_t at = (size_t)(strstr(d->text, "زيد") - d->text);
    struct hd_mention m = {at, at + strlen("زيد عبيد"), 0, 0, 0, 1, HD_MENTION_NAME, 0};
    struct hd_recognition rec = {&ent, 1, &m, 1};
    long long id = 0;
    hd_store_exec(st, "SAVEPOINT doc");
    CHECK(hd_store_put_article(st, "a.txt", "h", d, &id) == 0 &&
              hd_store_put_mentions(st, id, d, x->r, &rec) == 0,
          "first write");
    hd_store_exec(st, "ROLLBACK TO doc");
    hd_store_exec(st, "RELEASE doc");
    hd_store_forget_entities(st);
    CHECK(hd_store_put_article(st, "a.txt", "h", d, &id) == 0 &&
              hd_store_put_mentions(st, id, d, x->r, &rec) == 0,
          "written again after the rollback");
    sqlite3_stmt *s;
    sqlite3_prepare_v2(hd_store_db(st),
                       "SELECT count(*) FROM mentions m JOIN entities e ON e.id = m.entity_id"
                       " WHERE e.slug = 'zayd-ubayd'",
                       -1, &s, NULL);
    CHECK(sqlite3_step(s) == SQLITE_ROW && sqlite3_column_int(s, 0) == 1,
          "the mention names a row that exists");
    sqlite3_finalize(s);
    hd_doc_free(d);
    hd_extractor_free(x);
    hd_store_close(st);
}

int main(void)
{
    char err[256];
    struct hd_store *st = hd_store_open(":memory:", HD_STORE_WRITE, err, sizeof err);
    CHECK(st != NULL, "open: %s", err);
    if (!st) return check_done("store");

    const char *text = "عنوانٌ مُشكَّل\n\nالجملة الأولى. The second one؟ والثالثة…";
    struct hd_doc *d = hd_doc_parse(text, strlen(text), NULL, 0, err, sizeof err);
    long long id = 0, id2 = 0;
    CHECK(d && hd_store_put_article(st, "a.txt", "h1", d, &id) == 0 && id == 1, "put");

    /* every stored sentence is the substring its code-point span names */
    sqlite3_stmt *s;
    sqlite3_prepare_v2(
        hd_store_db(st),
        "SELECT count(*), sum(substr(a.text, s.start + 1, s.\"end\" - s.start) = s.text)"
        " FROM sentences s JOIN articles a ON a.id = s.article_id",
        -1, &s, NULL);
    CHECK(sqlite3_step(s) == SQLITE_ROW && sqlite3_column_int(s, 0) == 4 &&
              sqlite3_column_int(s, 1) == 4,
          "spans: %d sentences, %d matching", sqlite3_column_int(s, 0), sqlite3_column_int(s, 1));
    sqlite3_finalize(s);
    sqlite3_prepare_v2(hd_store_db(st), "SELECT text_length = length(text) FROM articles", -1, &s,
                       NULL);
    CHECK(sqlite3_step(s) == SQLITE_ROW && sqlite3_column_int(s, 0) == 1,
          "text_length in code points");
    sqlite3_finalize(s);

    /* writing the same file again replaces it and keeps its id */
    CHECK(hd_store_put_article(st, "a.txt", "h2", d, &id2) == 0 && id2 == id, "replace keeps id");
    char hash[65];
    long long found = 0;
    CHECK(hd_store_article_hash(st, "a.txt", hash, &found) == 1 && !strcmp(hash, "h2") &&
              found == id,
          "hash after replace: %s", hash);
    CHECK(hd_store_article_hash(st, "none.txt", hash, &found) == 0, "absent file found");
    CHECK(hd_store_delete_article(st, id) == 0 &&
              hd_store_article_hash(st, "a.txt", hash, &found) == 0,
          "delete");
    sqlite3_prepare_v2(hd_store_db(st), "SELECT count(*) FROM sentences", -1, &s, NULL);
    CHECK(sqlite3_step(s) == SQLITE_ROW && sqlite3_column_int(s, 0) == 0, "sentences cascade");
    sqlite3_finalize(s);
    hd_doc_free(d);
    hd_store_close(st);

    text_entity_after_rollback();

    /* a read-only connection writes nothing, not even a temporary table */
    char path[] = "/tmp/hadath-test-store-XXXXXX";
    int fd = mkstemp(path);
    if (fd >= 0) close(fd), unlink(path);
    st = hd_store_open(path, HD_STORE_WRITE, err, sizeof err);
    hd_store_close(st);
    st = hd_store_open(path, HD_STORE_READ, err, sizeof err);
    CHECK(st != NULL, "read-only open: %s", err);
    if (st) {
        CHECK(sqlite3_exec(hd_store_db(st), "DELETE FROM meta", NULL, NULL, NULL) != SQLITE_OK,
              "a read-only connection deleted");
        CHECK(sqlite3_exec(hd_store_db(st), "CREATE TEMP TABLE t (x)", NULL, NULL, NULL) !=
                  SQLITE_OK,
              "a read-only connection made a temporary table");
    }
    hd_store_close(st);
    char side[64];
    unlink(path);
    snprintf(side, sizeof side, "%s-wal", path), unlink(side);
    snprintf(side, sizeof side, "%s-shm", path), unlink(side);

    /* a file that is not a database is refused read-only */
    st = hd_store_open("/etc/hostname", HD_STORE_READ, err, sizeof err);
    CHECK(st == NULL && strstr(err, "not a database"), "garbage file: %s", err);
    hd_store_close(st);
    return check_done("store");
}
