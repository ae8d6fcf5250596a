/* The search layer: the query translator never lets FTS5 syntax through,
 * and the tokenizer makes a word's clitic forms findable by the bare word. */
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "document.h"
#include "fts.h"
#include "store.h"

static void query_is(const char *q, const char *want, int terms)
{
    char out[512];
    int n = hd_fts_query(q, out, sizeof out);
    CHECK(n == terms, "hd_fts_query(%s) gave %d terms, not %d", q, n, terms);
    if (n > 0) CHECK_STR(out, want);
}

/* How many sentences match the user query q. */
static int hits(struct hd_store *st, const char *q)
{
    char fts[512];
    if (hd_fts_query(q, fts, sizeof fts) <= 0) return -1;
    sqlite3_stmt *s;
    sqlite3 *db = hd_store_db(st);
    if (sqlite3_prepare_v2(db, "SELECT count(*) FROM sentences_fts(?1)", -1, &s, NULL) != SQLITE_OK)
        return -2;
    sqlite3_bind_text(s, 1, fts, -1, SQLITE_STATIC);
    int n = sqlite3_step(s) == SQLITE_ROW ? sqlite3_column_int(s, 0) : -3;
    sqlite3_finalize(s);
    return n;
}

int main(void)
{
    query_is("روسيا", "\"روسيا\"", 1);
    query_is("  رُوسْيَا ", "\"روسيا\"", 1); /* diacritics go, as in documents */
    query_is("روس*", "\"روس\"*", 1);
    query_is("\"كوريا الشمالية\"", "\"كوريا الشماليه\"", 1);
    query_is("بوتين OR كيم", "\"بوتين\" OR \"كيم\"", 2);
    query_is("OR كيم", "\"كيم\"", 1); /* a leading OR is a no-op */
    query_is("Kim Jong-un", "\"kim\" \"jong un\"", 2);
    query_is("NEAR(a b)", "\"near a\" \"b\"", 2);
    query_is("col:روسيا", "\"col روسيا\"", 1); /* no column filters */
    query_is("\"unclosed", "\"unclosed\"", 1);
    for (const char *bad = "( ) * : ^ - + \" «» ، ؟"; *bad;) {
        char one[16];
        size_t n = strcspn(bad, " ");
        snprintf(one, sizeof one, "%.*s", (int)n, bad);
        query_is(one, "", 0);
        bad += n;
        while (*bad == ' ') bad++;
    }
    char small[8];
    CHECK(hd_fts_query("كوريا الشمالية", small, sizeof small) == -1, "overflow is -1");
    CHECK(hd_fts_query("\xff\xfe", small, sizeof small) == 0, "invalid UTF-8 has no terms");

    char err[256];
    struct hd_store *st = hd_store_open(":memory:", HD_STORE_WRITE, err, sizeof err);
    CHECK(st != NULL, "open: %s", err);
    if (!st) return check_done("fts");
    const char *text = "بوتين يصل إلى بيونغ يانغ\n\n"
                       "وصل الرئيس الروسي إلى كوريا الشمالية في زيارة لروسيا والصين.\n\n"
                       "وقال إن العلاقات بين بروسيا وبيونغ يانغ قوية.\n\n"
                       "Kim Jong-un met Putin; 2024.";
    struct hd_doc *d = hd_doc_parse(text, strlen(text), NULL, 0, err, sizeof err);
    long long id;
    CHECK(d && hd_store_put_article(st, "a.txt", "h", d, &id) == 0, "put: %s", err);
    CHECK(hits(st, "روسيا") == 0, "not searchable before hd_store_index_fresh");
    CHECK(hd_store_index_fresh(st) == 0, "index");
    CHECK(hits(st, "روسيا") == 2, "روسيا finds لروسيا and بروسيا: %d", hits(st, "روسيا"));
    CHECK(hits(st, "بروسيا") == 1, "بروسيا finds itself only: %d", hits(st, "بروسيا"));
    CHECK(hits(st, "بيونغ") == 2, "بيونغ finds وبيونغ: %d", hits(st, "بيونغ"));
    CHECK(hits(st, "الرئيس الروسي") == 1, "two words: %d", hits(st, "الرئيس الروسي"));
    CHECK(hits(st, "\"يانغ قوية\"") == 1, "a phrase: %d", hits(st, "\"يانغ قوية\""));
    CHECK(hits(st, "\"قوية يانغ\"") == 0, "a phrase in order: %d", hits(st, "\"قوية يانغ\""));
    CHECK(hits(st, "بيون*") == 2, "a prefix: %d", hits(st, "بيون*"));
    CHECK(hits(st, "kim") == 1 && hits(st, "JONG-UN") == 1, "Latin, any case");
    CHECK(hits(st, "2024") == 1, "numbers");
    CHECK(hits(st, "الصين OR Putin") == 2, "OR: %d", hits(st, "الصين OR Putin"));
    CHECK(hits(st, "موسكو") == 0, "no false hit");
    /* deleting the article takes its sentences out of the index */
    CHECK(hd_store_delete_article(st, id) == 0 && hits(st, "روسيا") == 0, "delete unindexes");
    /* an article deleted before it was indexed leaves the index sound */
    CHECK(hd_store_put_article(st, "b.txt", "h", d, &id) == 0 &&
              hd_store_delete_article(st, id) == 0 && hd_store_index_fresh(st) == 0,
          "put, delete, index");
    CHECK(
        hd_store_exec(st, "INSERT INTO sentences_fts (sentences_fts) VALUES ('integrity-check')") ==
            SQLITE_OK,
        "the index is sound");
    CHECK(hits(st, "روسيا") == 0, "and finds nothing");
    hd_doc_free(d);
    hd_store_close(st);
    return check_done("fts");
}
