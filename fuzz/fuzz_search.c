/* hd_fts_query (lib/fts.c) must never give FTS5 a syntax error: its output
 * runs against an FTS5 table with the hadath tokenizer, the input indexed too;
 * any SQLite error aborts, and plain words must find their own text. */
#include <sqlite3.h>

#include "fts.h"
#include "fuzz.h"

static sqlite3 *db;
static sqlite3_stmt *ins, *find, *self;

static void exec(const char *sql)
{
    char *err = NULL;
    FUZZ_CHECK(sqlite3_exec(db, sql, NULL, NULL, &err) == SQLITE_OK, "%s: %s", sql,
               err ? err : "?");
}

static void init(void)
{
    FUZZ_CHECK(sqlite3_open(":memory:", &db) == SQLITE_OK, "open");
    FUZZ_CHECK(hd_fts_register(db) == SQLITE_OK, "hd_fts_register");
    exec("CREATE VIRTUAL TABLE t USING fts5(text, tokenize = 'hadath')");
    exec("INSERT INTO t (text) VALUES ('وصل الرئيس الروسي فلاديمير بوتين إلى بيونغ يانغ'),"
         " ('أشاد كيم جونغ أون بروسيا ووصفها بالحليف'), ('Kim Jong-un met Putin in Vostochny.'),"
         " ('الزيارة الأولى منذ 24 عاما، إذ كانت آخر زيارة في يوليو 2000')");
    FUZZ_CHECK(sqlite3_prepare_v2(db, "INSERT INTO t (text) VALUES (?1)", -1, &ins, NULL) ==
                       SQLITE_OK &&
                   sqlite3_prepare_v2(db,
                                      "SELECT rowid, snippet(t, 0, '[', ']', '...', 8), rank"
                                      " FROM t WHERE t MATCH ?1 ORDER BY rank",
                                      -1, &find, NULL) == SQLITE_OK &&
                   sqlite3_prepare_v2(db, "SELECT count(*) FROM t WHERE t MATCH ?1 AND rowid = ?2",
                                      -1, &self, NULL) == SQLITE_OK,
               "prepare: %s", sqlite3_errmsg(db));
}

/* Plain words only: ASCII letters and digits, Arabic letters, spaces, and
 * the syntax hd_fts_query knows (quotes, a final *, OR), each word short. */
static int plain(const char *q)
{
    size_t word = 0;
    for (size_t i = 0; q[i];) {
        unsigned char c = (unsigned char)q[i];
        if (c == ' ' || c == '"' || c == '*') {
            word = 0, i++;
            continue;
        }
        if (c < 0x80) {
            if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')))
                return 0;
            i++, word++;
        } else {
            /* ء..غ and ف..ي, two bytes each */
            if (c != 0xD8 && c != 0xD9) return 0;
            unsigned cp = ((c & 0x1Fu) << 6) | ((unsigned char)q[i + 1] & 0x3Fu);
            if (!((cp >= 0x0621 && cp <= 0x063A) || (cp >= 0x0641 && cp <= 0x064A))) return 0;
            i += 2, word += 2;
        }
        if (word > 40) return 0;
    }
    return 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!db) init();
    char *q = fuzz_cstr(data, size), out[2048];
    int terms = hd_fts_query(q, out, sizeof out);
    FUZZ_CHECK(memchr(out, 0, sizeof out), "not NUL-terminated");
    FUZZ_CHECK(terms != 0 || !out[0], "no terms, yet \"%s\"", out);
    FUZZ_CHECK(terms <= 0 || (out[0] == '"' && fuzz_utf8_ok(out, strlen(out))), "query \"%s\"",
               out);

    /* into a small buffer of exactly cap bytes: the same, or -1 */
    size_t cap = size % 97;
    char *small = malloc(cap ? cap : 1);
    int t2 = hd_fts_query(q, small, cap);
    if (cap) FUZZ_CHECK(memchr(small, 0, cap), "not NUL-terminated in %zu bytes", cap);
    if (terms >= 0 && t2 >= 0)
        FUZZ_CHECK(t2 == terms && (!cap || !strcmp(small, out)),
                   "%d terms in %zu bytes, %d in 2048", t2, cap, terms);
    if (terms >= 0) FUZZ_CHECK(t2 >= 0 || strlen(out) + 1 > cap, "-1 in %zu bytes", cap);
    free(small);

    if (terms > 0) {
        exec("SAVEPOINT f");
        sqlite3_bind_text(ins, 1, q, -1, SQLITE_STATIC);
        FUZZ_CHECK(sqlite3_step(ins) == SQLITE_DONE, "insert: %s", sqlite3_errmsg(db));
        sqlite3_reset(ins);
        sqlite3_int64 row = sqlite3_last_insert_rowid(db);
        sqlite3_bind_text(find, 1, out, -1, SQLITE_STATIC);
        int rc;
        while ((rc = sqlite3_step(find)) == SQLITE_ROW) {
            const char *snip = (const char *)sqlite3_column_text(find, 1);
            FUZZ_CHECK(snip && fuzz_utf8_ok(snip, strlen(snip)), "snippet");
        }
        FUZZ_CHECK(rc == SQLITE_DONE, "MATCH '%s' (from '%s'): %s", out, q, sqlite3_errmsg(db));
        sqlite3_reset(find);
        if (plain(q)) {
            sqlite3_bind_text(self, 1, out, -1, SQLITE_STATIC);
            sqlite3_bind_int64(self, 2, row);
            FUZZ_CHECK(sqlite3_step(self) == SQLITE_ROW && sqlite3_column_int(self, 0) == 1,
                       "'%s' does not find its own text '%s'", out, q);
            sqlite3_reset(self);
        }
        exec("ROLLBACK TO f");
        exec("RELEASE f");
    }
    free(q);
    return 0;
}
