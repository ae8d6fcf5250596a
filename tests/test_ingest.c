/* Ingest of a folder into a real database file: first run, unchanged skip,
 * a changed document keeping its id, a removed one, a broken one skipped
 * while the rest go in, and a database of another schema version rebuilt. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"
#include "ingest.h"
#include "views.h"

static char dir[256], db[300];

static void write_file(const char *name, const char *text, size_t len)
{
    char path[600];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    if (f) fwrite(text, 1, len, f), fclose(f);
}

static void put(const char *name, const char *text)
{
    write_file(name, text, strlen(text));
}

struct seen {
    char log[4096];
};

static void report(void *ctx, enum hd_ingest_status s, const char *file, const char *detail)
{
    struct seen *sn = ctx;
    static const char *w[] = {"ingested", "unchanged", "skipped", "removed"};
    size_t n = strlen(sn->log);
    snprintf(sn->log + n, sizeof sn->log - n, "%s %s (%s)\n", w[s], file, detail);
}

static struct hd_ingest_stats run(struct seen *sn)
{
    char err[256];
    struct hd_ingest_stats s = {-1, -1, -1, -1, 0};
    struct hd_store *st = hd_store_open(db, 0, err, sizeof err);
    CHECK(st != NULL, "open: %s", err);
    if (!st) return s;
    sn->log[0] = 0;
    CHECK(hd_ingest_dir(st, dir, report, sn, &s, err, sizeof err) == 0, "ingest: %s", err);
    hd_store_close(st);
    return s;
}

static long long id_of(const char *file, char *title, size_t tlen)
{
    char err[256], hash[65];
    long long id = -1;
    struct hd_store *st = hd_store_open(db, 1, err, sizeof err);
    if (!st) return -1;
    if (hd_store_article_hash(st, file, hash, &id) == 1 && title) {
        json_t *a = NULL;
        if (hd_view_article(st, id, &a) == 1)
            snprintf(title, tlen, "%s", json_string_value(json_object_get(a, "title")));
        json_decref(a);
    }
    hd_store_close(st);
    return id;
}

int main(void)
{
    snprintf(dir, sizeof dir, "/tmp/hadath-test-ingest-XXXXXX");
    CHECK(mkdtemp(dir) != NULL, "mkdtemp");
    snprintf(db, sizeof db, "%s/db/t.db", dir);
    char dbdir[300];
    snprintf(dbdir, sizeof dbdir, "%s/db", dir);
    CHECK(mkdir(dbdir, 0700) == 0, "mkdir %s", dbdir);

    put("a.txt", "الخبر الأول\n\nقال المتحدث إن الاجتماع سيعقد في القاهرة الأسبوع المقبل.\n");
    put("b.txt", "الخبر الثاني\n\nأعلنت الحكومة عن خطة جديدة للتعاون مع الدول المجاورة.\n");
    put("c.txt", "الخبر الثالث\n\nوصل الوفد إلى العاصمة مساء أمس لإجراء محادثات رسمية.\n");
    put("notes.md", "not a document");
    struct seen sn;
    struct hd_ingest_stats s = run(&sn);
    CHECK(s.ingested == 3 && s.unchanged == 0 && s.skipped == 0, "first run: %s", sn.log);

    s = run(&sn);
    CHECK(s.ingested == 0 && s.unchanged == 3 && s.removed == 0, "second run: %s", sn.log);

    long long bid = id_of("b.txt", NULL, 0);
    put("b.txt", "الخبر الثاني معدلا\n\nأعلنت الحكومة عن خطة جديدة للتعاون مع الدول المجاورة.\n");
    char c_path[600];
    snprintf(c_path, sizeof c_path, "%s/c.txt", dir);
    unlink(c_path);
    s = run(&sn);
    CHECK(s.ingested == 1 && s.unchanged == 1 && s.removed == 1, "change and removal: %s", sn.log);
    char title[256] = "";
    CHECK(id_of("b.txt", title, sizeof title) == bid, "a changed document keeps its id");
    CHECK_STR(title, "الخبر الثاني معدلا");
    CHECK(id_of("c.txt", NULL, 0) == -1, "a removed document is still there");

    /* A sidecar change is a change. */
    put("a.json", "{\"published\": \"2024-06-18\"}");
    s = run(&sn);
    CHECK(s.ingested == 1 && s.unchanged == 1, "sidecar change: %s", sn.log);

    /* Broken documents are reported and skipped; the rest still ingest; a
     * document that broke keeps its earlier version. */
    write_file("bad.txt", "عنوان\n\xff\xfe\n", 13);
    write_file("b.txt", "\xc3\x28 broken now", 14);
    put("d.txt", "الخبر الرابع\n\nاجتمع الوزراء لمناقشة الأزمة الاقتصادية في المنطقة.\n");
    put("e.json", "{not json");
    put("e.txt", "الخبر الخامس\n\nنص الخبر الخامس هنا وهو طويل بما يكفي ليعد فقرة.\n");
    s = run(&sn);
    CHECK(s.ingested == 1 && s.skipped == 3 && s.unchanged == 1 && s.removed == 0,
          "broken documents: %s", sn.log);
    CHECK(strstr(sn.log, "skipped bad.txt (not valid UTF-8 (byte 11))") != NULL, "reason: %s",
          sn.log);
    CHECK(strstr(sn.log, "skipped e.txt (sidecar JSON") != NULL, "sidecar reason: %s", sn.log);
    CHECK(id_of("b.txt", NULL, 0) == bid, "a document that broke lost its earlier version");
    CHECK(id_of("d.txt", NULL, 0) > 0, "d.txt missing");

    /* A database of another schema version is rebuilt, never half-read. */
    char err[256];
    struct hd_store *st = hd_store_open(db, 0, err, sizeof err);
    CHECK(st && hd_store_exec(st, "PRAGMA user_version = 0") == SQLITE_OK, "set version");
    hd_store_close(st);
    st = hd_store_open(db, 1, err, sizeof err);
    CHECK(st == NULL && strstr(err, "schema version 0"), "read-only open of an old schema: %s",
          err);
    hd_store_close(st);
    s = run(&sn);
    CHECK(s.ingested == 2 && s.skipped == 3, "rebuild: %s", sn.log);

    /* A missing folder is an error, not an empty corpus that deletes everything. */
    st = hd_store_open(db, 0, err, sizeof err);
    struct hd_ingest_stats s2;
    CHECK(st && hd_ingest_dir(st, "/nonexistent/corpus", NULL, NULL, &s2, err, sizeof err) < 0,
          "missing folder accepted");
    hd_store_close(st);
    CHECK(id_of("a.txt", NULL, 0) > 0, "a missing folder emptied the store");

    char cmd[400];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0) fprintf(stderr, "could not remove %s\n", dir);
    return check_done("ingest");
}
