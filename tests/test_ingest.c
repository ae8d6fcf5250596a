/* Ingest of a folder into a real database file: first run, unchanged skip,
 * a changed document keeping its id, a removed one, a broken one skipped
 * while the rest go in, and a database of another schema version rebuilt;
 * JSON Lines files, read again only when they change; and the same store
 * whether one thread extracts or several. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"
#include "dbfile.h"
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

static int jobs = 1;

static struct hd_ingest_stats run(struct seen *sn)
{
    char err[256];
    struct hd_ingest_stats s = {-1, -1, -1, -1, 0, 0};
    struct hd_store *st = hd_store_open(db, HD_STORE_WRITE, err, sizeof err);
    CHECK(st != NULL, "open: %s", err);
    if (!st) return s;
    sn->log[0] = 0;
    CHECK(hd_ingest_dir(st, dir, jobs, report, sn, &s, err, sizeof err) == 0, "ingest: %s", err);
    hd_store_close(st);
    return s;
}

static long long id_of(const char *file, char *title, size_t tlen)
{
    char err[256], hash[65];
    long long id = -1;
    struct hd_store *st = hd_store_open(db, HD_STORE_READ, err, sizeof err);
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

/* Every event as "article file|type|actors|targets", one a line: what
 * ingest stored, independent of how it was scheduled. */
static char *events_dump(void)
{
    char err[256];
    struct hd_store *st = hd_store_open(db, HD_STORE_READ, err, sizeof err);
    if (!st) return NULL;
    sqlite3_stmt *s = hd_store_stmt_sql(
        st, "SELECT group_concat(line, char(10)) FROM (SELECT a.file || '|' || e.id || '|' ||"
            " e.type || '|' || (SELECT group_concat(n.slug || ':' || p.role) FROM"
            " event_participants p JOIN entities n ON n.id = p.entity_id WHERE p.event_id ="
            " e.id) AS line FROM events e JOIN articles a ON a.id = e.article_id ORDER BY e.id)");
    char *out = s && sqlite3_step(s) == SQLITE_ROW && sqlite3_column_text(s, 0)
                    ? strdup((const char *)sqlite3_column_text(s, 0))
                    : NULL;
    if (s) sqlite3_reset(s);
    hd_store_close(st);
    return out;
}

/* An empty folder and a new database. */
static void start_afresh(void)
{
    char cmd[1500];
    snprintf(cmd, sizeof cmd, "rm -f '%s'/*.txt '%s'/*.json '%s'/*.jsonl '%s'*", dir, dir, dir, db);
    CHECK(system(cmd) == 0, "%s", cmd);
}

static void test_records(void)
{
    start_afresh();
    struct seen sn;
    struct hd_ingest_stats s;
    const char *lines =
        "\xEF\xBB\xBF{\"title\": \"زيارة\", \"content\": \"وصل الرئيس الروسي فلاديمير بوتين إلى "
        "بيونغ يانغ "
        "في زيارة رسمية.\", \"date_extracted\": \"2015-07-21 02:51:32\", \"source\": "
        "\"aawsat\", \"url\": \"http://example.com/1\"}\n"
        "\n"
        "{\"title\": \"no text\", \"content\": 3}\n"
        "{not json at all\n"
        "{\"text\": \"التقى وزير الخارجية المصري نظيره الأردني في عمان لبحث الأزمة.\", "
        "\"date\": \"2024-06-18\"}\n";
    put("news.jsonl", lines);
    s = run(&sn);
    CHECK(s.ingested == 1 + 1 && s.skipped == 2, "records: %s", sn.log);
    CHECK(strstr(sn.log, "ingested news.jsonl#1 (") != NULL, "a record is FILE#LINE: %s", sn.log);
    CHECK(strstr(sn.log, "ingested news.jsonl#5 (") != NULL, "blank lines count: %s", sn.log);
    CHECK(strstr(sn.log, "skipped news.jsonl#3 (no text") != NULL, "no text: %s", sn.log);
    CHECK(strstr(sn.log, "skipped news.jsonl#4 (JSON:") != NULL, "bad JSON: %s", sn.log);
    char err[256];
    long long id = id_of("news.jsonl#1", NULL, 0);
    struct hd_store *st = hd_store_open(db, HD_STORE_READ, err, sizeof err);
    json_t *a = NULL;
    CHECK(st && id > 0 && hd_view_article(st, id, &a) == 1, "the record's article");
    CHECK_STR(json_string_value(json_object_get(a, "title")), "زيارة");
    CHECK_STR(json_string_value(json_object_get(a, "published")), "2015-07-21T02:51:32");
    CHECK_STR(json_string_value(json_object_get(a, "url")), "http://example.com/1");
    json_decref(a);
    hd_store_close(st);

    /* an untouched file is not read again: its records count as unchanged */
    s = run(&sn);
    CHECK(s.ingested == 0 && s.unchanged == 2 && s.skipped == 0 && s.removed == 0,
          "unchanged file: %s", sn.log);
    CHECK(strstr(sn.log, "unchanged news.jsonl (2 records; the file is as it was)") != NULL,
          "one line for the file: %s", sn.log);

    /* a touched file is read; only the changed record goes in again */
    long long first = id_of("news.jsonl#1", NULL, 0);
    char *edited = strdup(lines);
    char *at = edited ? strstr(edited, "الأردني") : NULL;
    if (at) memcpy(at, "العراقي", strlen("العراقي")); /* as many bytes */
    put("news.jsonl", edited ? edited : lines);
    s = run(&sn);
    CHECK(s.ingested == 1 && s.unchanged == 1 && s.skipped == 2, "one record changed: %s", sn.log);
    CHECK(id_of("news.jsonl#1", NULL, 0) == first, "an unchanged record keeps its article");
    free(edited);

    /* a record that is gone is removed; a file that is gone takes all its
     * records along, and coming back it is read again */
    put("news.jsonl", "\n{\"text\": \"التقى وزير الخارجية المصري نظيره الأردني في عمان.\"}\n");
    s = run(&sn);
    CHECK(s.ingested == 1 && s.removed == 2, "records gone: %s", sn.log);
    char path[600];
    snprintf(path, sizeof path, "%s/news.jsonl", dir);
    unlink(path);
    s = run(&sn);
    CHECK(s.removed == 1 && id_of("news.jsonl#2", NULL, 0) == -1, "file gone: %s", sn.log);
    put("news.jsonl", "\n{\"text\": \"التقى وزير الخارجية المصري نظيره الأردني في عمان.\"}\n");
    s = run(&sn);
    CHECK(s.ingested == 1, "file back: %s", sn.log);
}

/* The corpus now in the folder, with one thread and with n: the same
 * articles, the same events, the same ids. */
static void same_with_jobs(int n, int want, const char *what)
{
    char cmd[700];
    snprintf(cmd, sizeof cmd, "rm -f '%s'*", db);
    CHECK(system(cmd) == 0, "remove the database");
    struct seen sn;
    jobs = 1;
    struct hd_ingest_stats s = run(&sn);
    char *one = events_dump();
    CHECK(system(cmd) == 0, "remove the database");
    jobs = n;
    struct hd_ingest_stats sn_ = run(&sn);
    char *many = events_dump();
    jobs = 1;
    CHECK(s.ingested == want && sn_.ingested == want, "%s: both ingest %d: %d %d", what, want,
          s.ingested, sn_.ingested);
    CHECK(one && many && strlen(one) > 1000, "%s: events stored", what);
    CHECK(one && many && !strcmp(one, many), "%s: --jobs %d stores what --jobs 1 does", what, n);
    free(one), free(many);
}

static void test_jobs(void)
{
    char cmd[1500];
    start_afresh();
    snprintf(cmd, sizeof cmd, "cp corpus/*.txt '%s'", dir);
    CHECK(system(cmd) == 0, "copy the seeds");
    same_with_jobs(3, 5, "the seeds");

    /* more documents than the pipeline holds, so that it fills and the
     * writer makes room as it goes */
    start_afresh();
    static const char *const lines[] = {
        "زار الرئيس الروسي فلاديمير بوتين الصين يوم %d واجتمع مع نظيره شي جين بينغ.",
        "اتهمت إيران الولايات المتحدة بدعم الإرهاب في بيان رقم %d.",
        "وقعت مصر والأردن اتفاقية تعاون اقتصادي في عمان، وهي الاتفاقية %d.",
        "قال المتحدث إن الاجتماع %d سيعقد في القاهرة الأسبوع المقبل."};
    char path[600];
    snprintf(path, sizeof path, "%s/many.jsonl", dir);
    FILE *f = fopen(path, "w");
    CHECK(f != NULL, "many.jsonl");
    for (int i = 0; f && i < 1500; i++) {
        char text[400];
        snprintf(text, sizeof text, lines[i % 4], i);
        fprintf(f, "{\"title\": \"خبر %d\", \"content\": \"%s\"}\n", i, text);
    }
    if (f) fclose(f);
    same_with_jobs(2, 1500, "1500 records");
}

/* The three short documents the folder tests use. */
static const char *const doc_text[3] = {
    "الخبر الأول\n\nقال المتحدث إن الاجتماع سيعقد في القاهرة الأسبوع المقبل.\n",
    "الخبر الثاني\n\nأعلنت الحكومة عن خطة جديدة للتعاون مع الدول المجاورة.\n",
    "الخبر الثالث\n\nوصل الوفد إلى العاصمة مساء أمس لإجراء محادثات رسمية.\n",
};

/* Moves dir into a new folder name inside it, until leave(); path is the
 * database dbname beside the other tests' databases. */
static char outer[sizeof dir];

static void enter(const char *name, const char *dbname, char *path, size_t cap)
{
    memcpy(outer, dir, sizeof outer);
    snprintf(path, cap, "%s/db/%s", outer, dbname);
    strncat(dir, "/", sizeof dir - strlen(dir) - 1);
    strncat(dir, name, sizeof dir - strlen(dir) - 1);
    CHECK(mkdir(dir, 0700) == 0, "mkdir %s", dir);
}

static void leave(void)
{
    memcpy(dir, outer, sizeof dir);
}

static int occurrences(const char *log, const char *line)
{
    int n = 0;
    for (const char *p = log; (p = strstr(p, line)); p++) n++;
    return n;
}

static long long articles_in(const char *path)
{
    char err[256], gen[256];
    struct hd_store *st = hd_db_open_reader(path, gen, sizeof gen, err, sizeof err);
    sqlite3_stmt *s = st ? hd_store_stmt_sql(st, "SELECT count(*) FROM articles") : NULL;
    long long n = s && sqlite3_step(s) == SQLITE_ROW ? sqlite3_column_int64(s, 0) : -1;
    if (s) sqlite3_reset(s);
    hd_store_close(st);
    return n;
}

static int generation_exists(const char *path, int n)
{
    char p[600];
    snprintf(p, sizeof p, "%s.gen-%d", path, n);
    return access(p, F_OK) == 0;
}

/* hd_ingest_build: a new generation only when something changes, every
 * document reported once however many walks decide it, and a failed
 * ingest leaving the served generation as it was. */
static void test_build(void)
{
    char path[400], err[256];
    enter("gc", "g.db", path, sizeof path);
    put("a.txt", doc_text[0]);
    put("b.txt", doc_text[1]);
    struct seen sn;
    struct hd_ingest_stats s;
    sn.log[0] = 0;
    int rc = hd_ingest_build(path, dir, 1, report, &sn, &s, err, sizeof err);
    CHECK(rc == 0 && s.ingested == 2 && s.published, "first build: %s %s", err, sn.log);
    CHECK(generation_exists(path, 1) && articles_in(path) == 2, "generation 1 holds both");

    sn.log[0] = 0;
    rc = hd_ingest_build(path, dir, 1, report, &sn, &s, err, sizeof err);
    CHECK(rc == 0 && s.unchanged == 2 && !s.published, "unchanged: no build: %s", sn.log);
    CHECK(!generation_exists(path, 2), "unchanged: nothing copied");
    CHECK(occurrences(sn.log, "unchanged a.txt") == 1, "reported once: %s", sn.log);

    /* a new document that does not parse changes nothing: no build */
    write_file("bad.txt", "عنوان\n\xff\xfe\n", 13);
    sn.log[0] = 0;
    rc = hd_ingest_build(path, dir, 1, report, &sn, &s, err, sizeof err);
    CHECK(rc == 0 && s.skipped == 1 && s.unchanged == 2 && !s.published, "broken: %s", sn.log);
    CHECK(strstr(sn.log, "skipped bad.txt (not valid UTF-8") != NULL, "reason: %s", sn.log);

    /* a change: a build, and each document reported once all the same */
    put("c.txt", doc_text[2]);
    sn.log[0] = 0;
    rc = hd_ingest_build(path, dir, 2, report, &sn, &s, err, sizeof err);
    CHECK(rc == 0 && s.ingested == 1 && s.unchanged == 2 && s.skipped == 1 && s.published,
          "change: %s", sn.log);
    CHECK(occurrences(sn.log, "unchanged a.txt") == 1 && occurrences(sn.log, "bad.txt") == 1,
          "a change reported once: %s", sn.log);
    CHECK(generation_exists(path, 2) && !generation_exists(path, 1) && articles_in(path) == 3,
          "generation 2 replaced 1");

    /* a removal alone is a change */
    char p[600];
    snprintf(p, sizeof p, "%s/c.txt", dir);
    unlink(p);
    rc = hd_ingest_build(path, dir, 1, report, &sn, &s, err, sizeof err);
    CHECK(rc == 0 && s.removed == 1 && s.published && articles_in(path) == 2, "removal");

    /* a JSON Lines file: read, then known by its fingerprint */
    put("r.jsonl", "{\"title\": \"سجل\", \"content\": \"اجتمع الوزراء لمناقشة الأزمة "
                   "الاقتصادية في المنطقة.\"}\n");
    rc = hd_ingest_build(path, dir, 1, report, &sn, &s, err, sizeof err);
    CHECK(rc == 0 && s.ingested == 1 && s.published && articles_in(path) == 3, "a record");
    rc = hd_ingest_build(path, dir, 1, report, &sn, &s, err, sizeof err);
    CHECK(rc == 0 && s.unchanged == 3 && !s.published, "a record unchanged");

    /* an ingest that fails keeps the generation served */
    rc = hd_ingest_build(path, "/nonexistent/corpus", 1, report, &sn, &s, err, sizeof err);
    CHECK(rc < 0 && articles_in(path) == 3 && generation_exists(path, 4) &&
              !generation_exists(path, 5),
          "a failed ingest changed the database");
    leave();
}

/* A document deleted after the folder was listed and before it was read
 * (deleted by the report of the one before it, so at a known moment): it
 * is reported unreadable, the others go in. */
static char doomed[600];

static void report_and_delete(void *ctx, enum hd_ingest_status s, const char *file,
                              const char *detail)
{
    if (doomed[0]) unlink(doomed);
    doomed[0] = 0;
    report(ctx, s, file, detail);
}

static void test_deleted_midway(void)
{
    char path[400], err[256];
    enter("mid", "mid.db", path, sizeof path);
    put("x1.txt", doc_text[0]);
    put("x2.txt", doc_text[1]);
    put("x3.txt", doc_text[2]);
    snprintf(doomed, sizeof doomed, "%s/x3.txt", dir);
    struct seen sn;
    struct hd_ingest_stats s;
    sn.log[0] = 0;
    struct hd_store *st = hd_store_open(path, HD_STORE_WRITE, err, sizeof err);
    CHECK(st && hd_ingest_dir(st, dir, 1, report_and_delete, &sn, &s, err, sizeof err) == 0,
          "ingest: %s", err);
    hd_store_close(st);
    CHECK(s.ingested == 2 && s.skipped == 1, "deleted midway: %s", sn.log);
    CHECK(strstr(sn.log, "skipped x3.txt (cannot read: No such file") != NULL, "reason: %s",
          sn.log);
    leave();
}

/* Many unchanged documents behind changed ones, with threads: the threads
 * finish the changed ones and sleep, while the unchanged (finished from
 * the start, so no thread is woken for them) pile up and are written and
 * freed; woken at the end, a thread must not claim one of them (it read
 * freed memory: found under ASan by test_hostile_corpus.sh). */
static void test_unchanged_behind_changed(void)
{
    char path[400], err[256], name[32], text[256];
    enter("ub", "ub.db", path, sizeof path);
    for (int round = 0; round < 2; round++) {
        for (int i = 0; i < 1500; i++) {
            /* the second time, the first four change */
            snprintf(name, sizeof name, "u%04d.txt", i);
            snprintf(text, sizeof text,
                     "خبر %d%s\n\nقال المتحدث إن الاجتماع رقم %d سيعقد في القاهرة.\n", i,
                     round && i < 4 ? " معدل" : "", i);
            if (round == 0 || i < 4) put(name, text);
        }
        struct seen sn;
        struct hd_ingest_stats s;
        struct hd_store *st = hd_store_open(path, HD_STORE_WRITE, err, sizeof err);
        CHECK(st && hd_ingest_dir(st, dir, 3, NULL, &sn, &s, err, sizeof err) == 0, "ingest: %s",
              err);
        hd_store_close(st);
        CHECK(round ? s.ingested == 4 && s.unchanged == 1496 : s.ingested == 1500,
              "round %d: %d ingested, %d unchanged", round, s.ingested, s.unchanged);
    }
    leave();
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
    struct hd_store *st = hd_store_open(db, HD_STORE_WRITE, err, sizeof err);
    CHECK(st && hd_store_exec(st, "PRAGMA user_version = 0") == SQLITE_OK, "set version");
    hd_store_close(st);
    st = hd_store_open(db, HD_STORE_READ, err, sizeof err);
    CHECK(st == NULL && strstr(err, "schema version 0"), "read-only open of an old schema: %s",
          err);
    hd_store_close(st);
    s = run(&sn);
    CHECK(s.ingested == 2 && s.skipped == 3, "rebuild: %s", sn.log);

    /* A missing folder is an error, not an empty corpus that deletes everything. */
    st = hd_store_open(db, HD_STORE_WRITE, err, sizeof err);
    struct hd_ingest_stats s2;
    CHECK(st && hd_ingest_dir(st, "/nonexistent/corpus", 1, NULL, NULL, &s2, err, sizeof err) < 0,
          "missing folder accepted");
    hd_store_close(st);
    CHECK(id_of("a.txt", NULL, 0) > 0, "a missing folder emptied the store");

    test_records();
    test_jobs();
    test_build();
    test_deleted_midway();
    test_unchanged_behind_changed();

    char cmd[400];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0) fprintf(stderr, "could not remove %s\n", dir);
    return check_done("ingest");
}
