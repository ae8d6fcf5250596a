/* The database as generations: a build published under the link, readers
 * of the old generation unaffected by the new, a build never published
 * leaving nothing, leftovers of a crash removed, a plain database file
 * taken over, builders taking turns, and paths a URI would misread. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "check.h"
#include "dbfile.h"

static char dir[256], path[400];

static int exists(const char *suffix)
{
    char p[600];
    snprintf(p, sizeof p, "%s%s", path, suffix);
    return access(p, F_OK) == 0;
}

/* The value of meta key t in st, or "" */
static const char *meta_t(struct hd_store *st, char *out, size_t cap)
{
    out[0] = 0;
    sqlite3_stmt *s = hd_store_stmt_sql(st, "SELECT value FROM meta WHERE key = 't'");
    if (s && sqlite3_step(s) == SQLITE_ROW)
        snprintf(out, cap, "%s", (const char *)sqlite3_column_text(s, 0));
    if (s) sqlite3_reset(s);
    return out;
}

static int set_t(struct hd_store *st, const char *v)
{
    char sql[128];
    snprintf(sql, sizeof sql, "INSERT OR REPLACE INTO meta VALUES ('t', '%s')", v);
    return hd_store_exec(st, sql);
}

/* Builds the next generation with t = v; publishes it when publish is set. */
static int build(const char *v, int publish)
{
    char err[512];
    struct hd_db *d = hd_db_lock(path, err, sizeof err);
    CHECK(d != NULL, "lock: %s", err);
    if (!d) return -1;
    struct hd_store *st = hd_db_build(d, err, sizeof err);
    CHECK(st != NULL, "build: %s", err);
    int rc = st && set_t(st, v) == SQLITE_OK ? 0 : -1;
    hd_store_close(st);
    if (rc == 0 && publish) {
        rc = hd_db_publish(d, err, sizeof err);
        CHECK(rc == 0, "publish: %s", err);
    }
    hd_db_unlock(d);
    return rc;
}

static void generations(void)
{
    char err[512], gen[256], t[64], link[256];
    struct hd_db *d = hd_db_lock(path, err, sizeof err);
    CHECK(d && !hd_db_current(d), "a new path has no current file");
    CHECK(d && !hd_db_open_current(d, err, sizeof err), "nothing to open yet");
    hd_db_unlock(d);
    CHECK(!hd_db_open_reader(path, gen, sizeof gen, err, sizeof err), "no reader before a build");

    CHECK(build("one", 1) == 0, "first build");
    ssize_t n = readlink(path, link, sizeof link - 1);
    link[n > 0 ? n : 0] = 0;
    CHECK_STR(link, "x.db.gen-1");
    CHECK(exists(".gen-1") && !exists(".gen-1-journal") && !exists(".gen-1-wal"),
          "the published file alone, no journal beside it");

    struct hd_store *r1 = hd_db_open_reader(path, gen, sizeof gen, err, sizeof err);
    CHECK(r1 != NULL, "reader: %s", err);
    CHECK_STR(gen, "x.db.gen-1");
    CHECK(!hd_db_moved(path, gen), "not moved");
    if (r1) CHECK_STR(meta_t(r1, t, sizeof t), "one");

    /* the next generation starts as a copy of the current one */
    d = hd_db_lock(path, err, sizeof err);
    struct hd_store *b = d ? hd_db_build(d, err, sizeof err) : NULL;
    CHECK(b != NULL, "second build: %s", err);
    if (b) CHECK_STR(meta_t(b, t, sizeof t), "one");
    CHECK(b && set_t(b, "two") == SQLITE_OK, "write the build");
    /* until published, readers see the old one */
    struct hd_store *r = hd_db_open_reader(path, gen, sizeof gen, err, sizeof err);
    if (r) CHECK_STR(meta_t(r, t, sizeof t), "one");
    hd_store_close(r);
    hd_store_close(b);
    CHECK(d && hd_db_publish(d, err, sizeof err) == 0, "second publish: %s", err);
    hd_db_unlock(d);

    CHECK(hd_db_moved(path, "x.db.gen-1"), "moved to the second");
    CHECK(!exists(".gen-1") && exists(".gen-2"), "the first generation is removed");
    /* a reader of the removed generation reads on, from the file it has open */
    if (r1) CHECK_STR(meta_t(r1, t, sizeof t), "one");
    hd_store_close(r1);
    r = hd_db_open_reader(path, gen, sizeof gen, err, sizeof err);
    CHECK_STR(gen, "x.db.gen-2");
    if (r) CHECK_STR(meta_t(r, t, sizeof t), "two");
    /* an immutable reader cannot write */
    CHECK(r && hd_store_exec(r, "INSERT INTO meta VALUES ('w', 'x')") != SQLITE_OK,
          "a reader does not write");
    hd_store_close(r);

    /* a build never published leaves nothing behind */
    CHECK(build("three", 0) == 0, "unpublished build");
    CHECK(!exists(".gen-3") && !exists(".gen-3-journal"), "the unpublished build is removed");
    r = hd_db_open_reader(path, gen, sizeof gen, err, sizeof err);
    if (r) CHECK_STR(meta_t(r, t, sizeof t), "two");
    hd_store_close(r);

    /* what a crash leaves (a half-built generation and its journal) goes
     * with the next lock */
    char junk[600];
    snprintf(junk, sizeof junk, "%s.gen-7", path);
    FILE *f = fopen(junk, "w");
    if (f) fputs("half a database", f), fclose(f);
    snprintf(junk, sizeof junk, "%s.gen-7-journal", path);
    if ((f = fopen(junk, "w"))) fclose(f);
    d = hd_db_lock(path, err, sizeof err);
    CHECK(!exists(".gen-7") && !exists(".gen-7-journal") && exists(".gen-2"),
          "a crash's leftovers removed, the current kept");
    hd_db_unlock(d);

    /* the current file deleted by hand: the next build starts afresh */
    snprintf(junk, sizeof junk, "%s.gen-2", path);
    unlink(junk);
    CHECK(build("four", 1) == 0, "a build over a link to nothing");
    r = hd_db_open_reader(path, gen, sizeof gen, err, sizeof err);
    CHECK_STR(gen, "x.db.gen-3");
    if (r) CHECK_STR(meta_t(r, t, sizeof t), "four");
    hd_store_close(r);
}

static void plain_file(void)
{
    char err[512], gen[256], t[64], p[600];
    struct hd_store *st = hd_store_open(path, HD_STORE_WRITE, err, sizeof err);
    CHECK(st && set_t(st, "plain") == SQLITE_OK, "a plain database: %s", err);
    /* a reader of the plain file, opened before it is taken over */
    struct hd_store *r0 = hd_db_open_reader(path, gen, sizeof gen, err, sizeof err);
    CHECK(r0 != NULL, "a plain file is read as it is: %s", err);
    CHECK_STR(gen, "");
    struct hd_db *d = hd_db_lock(path, err, sizeof err);
    CHECK(d && hd_db_current(d) && !strcmp(hd_db_current(d), path), "current: the plain file");
    CHECK(d && !hd_db_open_current(d, err, sizeof err), "a plain file is no generation");
    struct hd_store *b = d ? hd_db_build(d, err, sizeof err) : NULL;
    CHECK(b != NULL, "build from a plain file: %s", err);
    if (b) CHECK_STR(meta_t(b, t, sizeof t), "plain");
    hd_store_close(b);
    CHECK(d && hd_db_publish(d, err, sizeof err) == 0, "publish over a plain file: %s", err);
    hd_db_unlock(d);
    hd_store_close(st);
    struct stat sb;
    CHECK(lstat(path, &sb) == 0 && S_ISLNK(sb.st_mode), "the plain file became a link");
    snprintf(p, sizeof p, "%s-wal", path);
    CHECK(access(p, F_OK) < 0, "its write-ahead log is gone");
    CHECK(hd_db_moved(path, ""), "its readers see it moved");
    if (r0) CHECK_STR(meta_t(r0, t, sizeof t), "plain");
    hd_store_close(r0);
    struct hd_store *r = hd_db_open_reader(path, gen, sizeof gen, err, sizeof err);
    CHECK_STR(gen, "p.db.gen-1");
    if (r) CHECK_STR(meta_t(r, t, sizeof t), "plain");
    hd_store_close(r);
}

/* A second builder waits for the first. */
static void turns(void)
{
    char err[512];
    int ready[2];
    if (pipe(ready) < 0) return;
    pid_t child = fork();
    if (child == 0) {
        struct hd_db *d = hd_db_lock(path, err, sizeof err);
        if (write(ready[1], "x", 1) != 1) _exit(1);
        usleep(400000);
        hd_db_unlock(d);
        _exit(d ? 0 : 1);
    }
    char c;
    CHECK(read(ready[0], &c, 1) == 1, "the child holds the lock");
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    struct hd_db *d = hd_db_lock(path, err, sizeof err);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double waited = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    CHECK(d && waited > 0.3, "the second builder waited (%.3f s)", waited);
    hd_db_unlock(d);
    int status;
    waitpid(child, &status, 0);
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0, "the child took the lock");
    close(ready[0]), close(ready[1]);
}

int main(void)
{
    char tmpl[] = "/tmp/hadath-dbfile-XXXXXX";
    if (!mkdtemp(tmpl)) return 1;
    /* characters a file: URI gives a meaning to */
    snprintf(dir, sizeof dir, "%s/a b?#%%20", tmpl);
    mkdir(dir, 0755);
    hd_store_init();
    snprintf(path, sizeof path, "%s/x.db", dir);
    generations();
    snprintf(path, sizeof path, "%s/p.db", dir);
    plain_file();
    snprintf(path, sizeof path, "%s/t.db", dir);
    turns();
    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpl);
    if (system(cmd) != 0) fprintf(stderr, "cannot remove %s\n", tmpl);
    return check_done("dbfile");
}
