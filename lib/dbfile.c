/* The database as generations beside one another, a symbolic link naming
 * the current one: see dbfile.h. A published generation is never written
 * again, so it is copied as bytes and read with SQLite's immutable flag
 * (no locks, no journal to look for). */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "dbfile.h"

#define GEN_MARK ".gen-"

struct hd_db {
    char path[PATH_MAX]; /* as given */
    char dir[PATH_MAX];  /* its folder, "." when it has none */
    char base[NAME_MAX + 1];
    int lock_fd;
    int legacy;             /* path is a plain database file */
    long long gen;          /* the current generation's number, 0 if none */
    char current[PATH_MAX]; /* the file to open, "" when none */
    char next[PATH_MAX];    /* the build's file, "" when none */
    long long next_gen;
    int published;
};

static void split_path(const char *path, char *dir, size_t dcap, char *base, size_t bcap)
{
    const char *slash = strrchr(path, '/');
    if (!slash) {
        snprintf(dir, dcap, ".");
        snprintf(base, bcap, "%s", path);
    } else {
        snprintf(dir, dcap, "%.*s", slash == path ? 1 : (int)(slash - path), path);
        snprintf(base, bcap, "%s", slash + 1);
    }
}

/* The number N of a name base.gen-N (nothing after it), or 0. */
static long long gen_number(const char *base, const char *name)
{
    size_t bl = strlen(base), ml = strlen(GEN_MARK);
    if (strncmp(name, base, bl) || strncmp(name + bl, GEN_MARK, ml)) return 0;
    const char *d = name + bl + ml;
    if (*d < '1' || *d > '9') return 0;
    char *end;
    errno = 0;
    long long n = strtoll(d, &end, 10);
    return *end || errno ? 0 : n;
}

/* What path stands for: its link's target in target ("" when path is no
 * link), and whether anything is there. -1 on an error other than none. */
static int read_link(const char *path, char *target, size_t cap)
{
    ssize_t n = readlink(path, target, cap - 1);
    if (n >= 0) {
        target[n] = 0;
        return 1;
    }
    target[0] = 0;
    if (errno == EINVAL) return 1; /* a plain file */
    return errno == ENOENT ? 0 : -1;
}

/* Finds the current file of d; -1 with err set. */
static int find_current(struct hd_db *d, char *err, size_t errlen)
{
    char target[PATH_MAX];
    d->current[0] = 0, d->gen = 0, d->legacy = 0;
    int there = read_link(d->path, target, sizeof target);
    if (there < 0) {
        snprintf(err, errlen, "%s: %s", d->path, strerror(errno));
        return -1;
    }
    if (!there) return 0;
    if (!target[0]) {
        struct stat sb;
        if (stat(d->path, &sb) < 0 || !S_ISREG(sb.st_mode)) {
            snprintf(err, errlen, "%s: not a database file", d->path);
            return -1;
        }
        d->legacy = 1;
        snprintf(d->current, sizeof d->current, "%s", d->path);
        return 0;
    }
    d->gen = strchr(target, '/') ? 0 : gen_number(d->base, target);
    if (!d->gen) {
        /* a link someone else made: the file it names is read, then
         * replaced as a plain file would be */
        d->legacy = 1;
        snprintf(d->current, sizeof d->current, "%s", d->path);
        return 0;
    }
    if (snprintf(d->current, sizeof d->current, "%s/%s", d->dir, target) >=
        (int)sizeof d->current) {
        snprintf(err, errlen, "%s: path too long", d->path);
        return -1;
    }
    /* its file deleted by hand: the next build starts from nothing (and
     * takes the next number all the same) */
    if (access(d->current, F_OK) < 0) d->current[0] = 0;
    return 0;
}

/* Removes the files of generations other than keep (0: all), with their
 * journals: unpublished builds, and generations a newer one replaced. */
static void remove_others(const struct hd_db *d, long long keep)
{
    DIR *dir = opendir(d->dir);
    struct dirent *e;
    char name[NAME_MAX + 1], file[PATH_MAX + NAME_MAX + 2];
    size_t bl = strlen(d->base);
    while (dir && (e = readdir(dir))) {
        if (strncmp(e->d_name, d->base, bl)) continue;
        snprintf(name, sizeof name, "%s", e->d_name);
        /* base.gen-N and its companions base.gen-N-journal, -wal, -shm */
        char *dash = strrchr(name + bl, '-');
        if (dash && (!strcmp(dash, "-journal") || !strcmp(dash, "-wal") || !strcmp(dash, "-shm")))
            *dash = 0;
        long long n = gen_number(d->base, name);
        if (!n || n == keep) continue;
        snprintf(file, sizeof file, "%s/%s", d->dir, e->d_name);
        unlink(file);
    }
    if (dir) closedir(dir);
}

struct hd_db *hd_db_lock(const char *path, char *err, size_t errlen)
{
    struct hd_db *d = calloc(1, sizeof *d);
    char lock[PATH_MAX + 8];
    if (!d) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    d->lock_fd = -1;
    if (strlen(path) >= sizeof d->path - 32 || !*path) {
        snprintf(err, errlen, "%s: not a usable database path", path);
        free(d);
        return NULL;
    }
    snprintf(d->path, sizeof d->path, "%s", path);
    split_path(path, d->dir, sizeof d->dir, d->base, sizeof d->base);
    snprintf(lock, sizeof lock, "%s.lock", path);
    if ((d->lock_fd = open(lock, O_RDWR | O_CREAT | O_CLOEXEC, 0644)) < 0 ||
        flock(d->lock_fd, LOCK_EX) < 0) {
        snprintf(err, errlen, "%s: %s", lock, strerror(errno));
        hd_db_unlock(d);
        return NULL;
    }
    if (find_current(d, err, errlen) < 0) {
        hd_db_unlock(d);
        return NULL;
    }
    /* with the lock held, any generation but the current one is a build a
     * crash cut short or one a newer generation replaced */
    remove_others(d, d->gen);
    return d;
}

const char *hd_db_current(const struct hd_db *d)
{
    return d->current[0] ? d->current : NULL;
}

/* A file: URI for path with SQLite's immutable flag: the characters a URI
 * gives a meaning to are escaped. 0, or -1 when it does not fit. */
static int immutable_uri(const char *path, char *out, size_t cap)
{
    size_t n = 0;
    int w = snprintf(out, cap, "file:");
    n = (size_t)w;
    for (const unsigned char *c = (const unsigned char *)path; *c; c++) {
        if (n + 4 >= cap) return -1;
        if (*c == '%' || *c == '?' || *c == '#' || *c <= ' ' || *c >= 0x7f)
            n += (size_t)snprintf(out + n, cap - n, "%%%02X", *c);
        else
            out[n++] = (char)*c;
    }
    out[n] = 0;
    return snprintf(out + n, cap - n, "?immutable=1") < (int)(cap - n) ? 0 : -1;
}

/* Opens file read-only: immutable when it is a published generation. */
static struct hd_store *open_read(const char *file, int generation, char *err, size_t errlen)
{
    char uri[PATH_MAX * 3 + 32];
    if (!generation) return hd_store_open(file, HD_STORE_READ, err, errlen);
    if (immutable_uri(file, uri, sizeof uri) < 0) {
        snprintf(err, errlen, "%s: path too long", file);
        return NULL;
    }
    return hd_store_open(uri, HD_STORE_READ, err, errlen);
}

struct hd_store *hd_db_open_current(struct hd_db *d, char *err, size_t errlen)
{
    if (!d->current[0] || d->legacy) {
        snprintf(err, errlen, "%s: %s", d->path,
                 d->legacy ? "a plain file, to become a generation" : "no database yet");
        return NULL;
    }
    return open_read(d->current, 1, err, errlen);
}

/* Copies the bytes of from into a new file to: in the kernel when it can. */
static int copy_file(const char *from, const char *to, char *err, size_t errlen)
{
    int in = open(from, O_RDONLY | O_CLOEXEC), out = -1, rc = -1;
    if (in < 0 || (out = open(to, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644)) < 0) {
        snprintf(err, errlen, "%s: %s", in < 0 ? from : to, strerror(errno));
        goto done;
    }
    int kernel = 1;
    for (;;) {
        ssize_t n;
        if (kernel) {
            n = copy_file_range(in, NULL, out, NULL, (size_t)1 << 30, 0);
            if (n < 0 &&
                (errno == ENOSYS || errno == EXDEV || errno == EINVAL || errno == EOPNOTSUPP)) {
                kernel = 0;
                continue;
            }
        } else {
            static char buf[1 << 16];
            n = read(in, buf, sizeof buf);
            for (ssize_t w = 0, k; n > 0 && w < n; w += k)
                if ((k = write(out, buf + w, (size_t)(n - w))) < 0) {
                    n = -1;
                    break;
                }
        }
        if (n == 0) break;
        if (n < 0 && errno != EINTR) {
            snprintf(err, errlen, "copying %s: %s", from, strerror(errno));
            goto done;
        }
    }
    rc = 0;
done:
    if (in >= 0) close(in);
    if (out >= 0 && close(out) < 0 && rc == 0) {
        snprintf(err, errlen, "%s: %s", to, strerror(errno));
        rc = -1;
    }
    return rc;
}

/* Copies a plain database file (which another program may be writing,
 * through its write-ahead log) with SQLite's online backup: a consistent
 * snapshot. */
static int backup_file(const char *from, const char *to, char *err, size_t errlen)
{
    sqlite3 *src = NULL, *dst = NULL;
    int rc = sqlite3_open_v2(from, &src, SQLITE_OPEN_READONLY, NULL);
    if (rc == SQLITE_OK)
        rc = sqlite3_open_v2(to, &dst, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL);
    sqlite3_backup *b = rc == SQLITE_OK ? sqlite3_backup_init(dst, "main", src, "main") : NULL;
    if (b) {
        sqlite3_backup_step(b, -1);
        rc = sqlite3_backup_finish(b);
    } else if (rc == SQLITE_OK) {
        rc = sqlite3_errcode(dst);
    }
    if (rc != SQLITE_OK)
        snprintf(err, errlen, "copying %s: %s", from,
                 dst   ? sqlite3_errmsg(dst)
                 : src ? sqlite3_errmsg(src)
                       : "out of memory");
    sqlite3_close(src);
    sqlite3_close(dst);
    return rc == SQLITE_OK ? 0 : -1;
}

struct hd_store *hd_db_build(struct hd_db *d, char *err, size_t errlen)
{
    d->next_gen = d->gen + 1;
    if (snprintf(d->next, sizeof d->next, "%s/%s" GEN_MARK "%lld", d->dir, d->base, d->next_gen) >=
        (int)sizeof d->next) {
        snprintf(err, errlen, "%s: path too long", d->path);
        d->next[0] = 0;
        return NULL;
    }
    int rc = 0;
    if (d->legacy)
        rc = backup_file(d->current, d->next, err, errlen);
    else if (d->current[0])
        rc = copy_file(d->current, d->next, err, errlen);
    struct hd_store *st = rc < 0 ? NULL : hd_store_open(d->next, HD_STORE_BUILD, err, errlen);
    if (!st) {
        remove_others(d, d->gen);
        d->next[0] = 0;
    }
    return st;
}

/* fsync() of a file or folder by name. */
static int sync_path(const char *path, int dir)
{
    int fd = open(path, (dir ? O_RDONLY | O_DIRECTORY : O_RDWR) | O_CLOEXEC);
    if (fd < 0) return -1;
    int rc = fsync(fd);
    close(fd);
    return rc;
}

int hd_db_publish(struct hd_db *d, char *err, size_t errlen)
{
    char link[PATH_MAX + 16], target[NAME_MAX + 32];
    if (!d->next[0]) {
        snprintf(err, errlen, "%s: nothing built to publish", d->path);
        return -1;
    }
    snprintf(target, sizeof target, "%s" GEN_MARK "%lld", d->base, d->next_gen);
    snprintf(link, sizeof link, "%s.link", d->path);
    /* the file and its name reach the disk before the link names it: a
     * power cut must not leave a link to nothing */
    unlink(link);
    if (sync_path(d->next, 0) < 0 || sync_path(d->dir, 1) < 0 || symlink(target, link) < 0 ||
        rename(link, d->path) < 0) {
        snprintf(err, errlen, "publishing %s: %s", d->next, strerror(errno));
        unlink(link);
        return -1;
    }
    sync_path(d->dir, 1);
    d->published = 1;
    if (d->legacy) {
        /* the plain file's companions; its readers keep what they opened */
        char p[PATH_MAX + 16];
        const char *ext[] = {"-wal", "-shm", "-journal"};
        for (int i = 0; i < 3; i++) {
            snprintf(p, sizeof p, "%s%s", d->path, ext[i]);
            unlink(p);
        }
    }
    remove_others(d, d->next_gen);
    d->gen = d->next_gen, d->legacy = 0;
    snprintf(d->current, sizeof d->current, "%s", d->next);
    d->next[0] = 0;
    return 0;
}

void hd_db_unlock(struct hd_db *d)
{
    if (!d) return;
    if (d->next[0]) remove_others(d, d->gen);
    if (d->lock_fd >= 0) close(d->lock_fd); /* releases the lock */
    free(d);
}

struct hd_store *hd_db_open_reader(const char *path, char *gen, size_t gencap, char *err,
                                   size_t errlen)
{
    char dir[PATH_MAX], base[NAME_MAX + 1], file[PATH_MAX * 2];
    split_path(path, dir, sizeof dir, base, sizeof base);
    /* a newer generation may replace the one read between readlink() and
     * open(): then the link is read again */
    for (int attempt = 0; attempt < 8; attempt++) {
        int there = read_link(path, gen, gencap);
        if (there <= 0) {
            snprintf(err, errlen, "%s: %s", path, there < 0 ? strerror(errno) : "no database");
            return NULL;
        }
        int generation = gen[0] && !strchr(gen, '/') && gen_number(base, gen);
        if (generation)
            snprintf(file, sizeof file, "%s/%s", dir, gen);
        else
            snprintf(file, sizeof file, "%s", path);
        if (access(file, F_OK) < 0) continue;
        struct hd_store *st = open_read(file, generation, err, errlen);
        if (st || !generation || access(file, F_OK) == 0) return st;
    }
    snprintf(err, errlen, "%s: its generations change faster than they can be opened", path);
    return NULL;
}

int hd_db_moved(const char *path, const char *gen)
{
    char now[PATH_MAX];
    if (read_link(path, now, sizeof now) <= 0) return 0; /* gone: keep what is open */
    return strcmp(now, gen) != 0;
}
