/* The corpus walk. Documents are *.txt files (each with an optional
 * NAME.json sidecar) and the records of *.jsonl files (one article a line,
 * named FILE.jsonl#LINE); they go in sorted by name, then line, so ids are
 * reproducible. Extraction runs on --jobs threads while the calling thread
 * alone reads, hashes and writes, in document order. The whole run is one
 * transaction with a savepoint per document, so a failing document rolls
 * back alone and a crash leaves the previous state. */
#include <dirent.h>
#include <pthread.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "blob.h"
#include "dbfile.h"
#include "ingest.h"
#include "sha256.h"

char *hd_read_file(const char *path, size_t *len)
{
    /* non-blocking: opening a FIFO named like a document would otherwise
     * wait for a writer, and the ingest with it (regular files ignore it) */
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) return NULL;
    struct stat sb;
    if (fstat(fd, &sb) < 0 || !S_ISREG(sb.st_mode)) {
        close(fd);
        errno = S_ISDIR(sb.st_mode) ? EISDIR : EINVAL;
        return NULL;
    }
    FILE *f = fdopen(fd, "rb");
    if (!f) {
        close(fd);
        return NULL;
    }
    if ((unsigned long long)sb.st_size > HD_DOC_MAX_BYTES) {
        fclose(f);
        errno = EFBIG;
        return NULL;
    }
    char *buf = malloc((size_t)sb.st_size + 1);
    if (!buf) {
        fclose(f);
        errno = ENOMEM;
        return NULL;
    }
    size_t n = fread(buf, 1, (size_t)sb.st_size, f);
    int bad = ferror(f);
    fclose(f);
    if (bad) {
        free(buf);
        errno = EIO;
        return NULL;
    }
    buf[n] = 0;
    *len = n;
    return buf;
}

/* A digest of every embedded data file the extraction reads (lexicons,
 * schema), taken once, so that editing a lexicon re-processes every document
 * on the next start; the web page and the OpenAPI document are left out, as
 * editing them changes nothing extracted. */
static char data_digest[65];
static pthread_once_t digest_once = PTHREAD_ONCE_INIT;

static void digest_data(void)
{
    struct hd_sha256 c;
    hd_sha256_init(&c);
    for (const struct hd_blob *b = hd_blobs; b->name; b++) {
        if (!strncmp(b->name, "web/", 4) || !strcmp(b->name, "openapi.json")) continue;
        hd_sha256_update(&c, b->name, strlen(b->name) + 1);
        hd_sha256_update(&c, b->data, b->len);
    }
    hd_sha256_hex(&c, data_digest);
}

void hd_document_hash(const char *text, size_t len, const char *sidecar, size_t sidecar_len,
                      char hex[65])
{
    struct hd_sha256 c;
    hd_sha256_init(&c);
    pthread_once(&digest_once, digest_data);
    hd_sha256_update(&c, HD_EXTRACTOR_VERSION, sizeof HD_EXTRACTOR_VERSION);
    hd_sha256_update(&c, data_digest, sizeof data_digest);
    hd_sha256_update(&c, text, len);
    hd_sha256_update(&c, "\0sidecar\0", 9);
    if (sidecar) hd_sha256_update(&c, sidecar, sidecar_len);
    hd_sha256_hex(&c, hex);
}

static int cmp_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int has_suffix(const char *s, const char *suf)
{
    size_t n = strlen(s), m = strlen(suf);
    return n > m && strcmp(s + n - m, suf) == 0;
}

/* A growing array of owned strings. */
struct names {
    char **v;
    size_t n, cap;
};

static int names_add(struct names *ns, const char *s)
{
    if (ns->n == ns->cap) {
        size_t cap = ns->cap ? 2 * ns->cap : 64;
        char **v = realloc(ns->v, cap * sizeof *v);
        if (!v) return -1;
        ns->v = v, ns->cap = cap;
    }
    if (!(ns->v[ns->n] = strdup(s))) return -1;
    ns->n++;
    return 0;
}

static void names_free(struct names *ns)
{
    for (size_t i = 0; i < ns->n; i++) free(ns->v[i]);
    free(ns->v);
    memset(ns, 0, sizeof *ns);
}

static int names_has(const struct names *ns, const char *s)
{
    return ns->n && bsearch(&s, ns->v, ns->n, sizeof *ns->v, cmp_names) != NULL;
}

/* The sorted names of the *.txt and *.jsonl files in dir; -1 with errno. */
static int list_sources(const char *dir, struct names *out)
{
    DIR *d = opendir(dir);
    if (!d) return -1;
    struct dirent *e;
    int rc = 0;
    while (rc == 0 && (e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.') continue;
        if (has_suffix(e->d_name, ".txt") || has_suffix(e->d_name, ".jsonl"))
            rc = names_add(out, e->d_name);
    }
    closedir(d);
    if (rc < 0) {
        errno = ENOMEM;
        return -1;
    }
    if (out->n) qsort(out->v, out->n, sizeof *out->v, cmp_names);
    return 0;
}

static void noop_report(void *ctx, enum hd_ingest_status s, const char *f, const char *d)
{
    (void)ctx, (void)s, (void)f, (void)d;
}

struct hd_extractor *hd_extractor_new(char *err, size_t errlen)
{
    const struct hd_kb *kb = hd_kb_shared();
    if (!kb) {
        snprintf(err, errlen, "cannot build the knowledge base");
        return NULL;
    }
    struct hd_extractor *x = calloc(1, sizeof *x);
    if (!x) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    x->r = hd_recognizer_new(kb, err, errlen);
    x->ev = x->r ? hd_eventer_new(err, errlen) : NULL;
    if (!x->ev) {
        hd_extractor_free(x);
        return NULL;
    }
    return x;
}

void hd_extractor_free(struct hd_extractor *x)
{
    if (!x) return;
    hd_recognizer_free(x->r);
    hd_eventer_free(x->ev);
    free(x);
}

/* What extraction finds in a document: its mentions, those of its credit
 * line, its events. Owns what it holds; the store needs no more. */
struct extraction {
    struct hd_recognition rec, cred;
    struct hd_event_list ev;
};

static void extraction_free(struct extraction *e)
{
    hd_event_list_free(&e->ev);
    hd_recognition_free(&e->rec);
    hd_recognition_free(&e->cred);
    memset(e, 0, sizeof *e);
}

static int extract_doc(struct hd_extractor *x, const struct hd_doc *doc, struct extraction *e)
{
    memset(e, 0, sizeof *e);
    if (hd_recognize(x->r, doc->text, doc->text_len, doc->sentences, doc->nsentences, &e->rec) < 0)
        return -1;
    /* the credit is one short line: one sentence */
    struct hd_span whole = {0, doc->source ? strlen(doc->source) : 0};
    if (doc->source && hd_recognize(x->r, doc->source, whole.end, &whole, 1, &e->cred) < 0)
        return -1;
    /* events last: they may add to rec the country a capital stands for */
    return hd_events_extract(x->ev, x->r, doc->text, doc->text_len, doc->sentences, doc->nsentences,
                             &e->rec, doc->published, &e->ev);
}

/* Writes it with x's recogniser, which need not be the one that found it:
 * an extraction refers to nothing of its recogniser but the shared
 * knowledge base. */
static int store_doc(struct hd_store *st, struct hd_extractor *x, const char *file,
                     const char *hash, const struct hd_doc *doc, struct extraction *e,
                     long long *id)
{
    if (hd_store_put_article(st, file, hash, doc, id) == 0 &&
        hd_store_put_mentions(st, *id, doc, x->r, &e->rec) == 0 &&
        hd_store_put_events(st, *id, doc, x->r, &e->rec, &e->ev) == 0 &&
        hd_store_put_credits(st, *id, x->r, &e->cred) == 0)
        return 0;
    return -1;
}

int hd_ingest_doc(struct hd_store *st, struct hd_extractor *x, const char *file, const char *hash,
                  const struct hd_doc *doc, long long *id, size_t *nmentions, size_t *nevents)
{
    struct extraction e;
    int rc = extract_doc(x, doc, &e) == 0 && store_doc(st, x, file, hash, doc, &e, id) == 0 &&
                     hd_store_index_fresh(st) == 0
                 ? 0
                 : -1;
    if (nmentions) *nmentions = e.rec.nmentions;
    if (nevents) *nevents = e.ev.n;
    extraction_free(&e);
    return rc;
}

/* One document on its way through the walk. */
struct job {
    char *key;            /* the article's file: NAME.txt or NAME.jsonl#LINE */
    size_t source;        /* index of its corpus file */
    char *text, *sidecar; /* as read; freed once parsed */
    size_t len, slen;
    int record; /* text is a JSON Lines record */
    char hash[65];
    enum hd_ingest_status status; /* HD_INGESTED while there is work to do */
    int done;                     /* extraction finished (or there was none to do) */
    int extracted;                /* doc and e are complete */
    struct hd_doc *doc;
    struct extraction e;
    char why[512];
};

static void job_free(struct job *j)
{
    free(j->key);
    free(j->text);
    free(j->sidecar);
    hd_doc_free(j->doc);
    if (j->extracted) extraction_free(&j->e);
    free(j);
}

/* Parses what was read; a document that does not parse is skipped. */
static void job_parse(struct job *j)
{
    j->doc = j->record ? hd_doc_parse_record(j->text, j->len, j->why, sizeof j->why)
                       : hd_doc_parse(j->text, j->len, j->sidecar, j->slen, j->why, sizeof j->why);
    free(j->text), free(j->sidecar);
    j->text = j->sidecar = NULL;
    if (!j->doc) j->status = HD_SKIPPED;
}

/* Parses and extracts; any thread, with its own extractor. */
static void job_extract(struct job *j, struct hd_extractor *x)
{
    job_parse(j);
    if (!j->doc) {
        return;
    } else if (extract_doc(x, j->doc, &j->e) < 0) {
        extraction_free(&j->e);
        snprintf(j->why, sizeof j->why, "extraction failed (out of memory?)");
        j->status = HD_SKIPPED;
    } else {
        j->extracted = 1;
    }
}

/* The extraction threads and the documents in flight, oldest first:
 * ring[head..claim) are taken by the threads, ring[claim..tail) wait. */
struct pipeline {
    pthread_mutex_t lock;
    pthread_cond_t work, done;
    struct job **ring;
    size_t cap, head, claim, tail;
    int stop;
    pthread_t *threads;
    size_t nthreads;
};

struct worker_arg {
    struct pipeline *p;
    struct hd_extractor *x; /* the thread's own, made by it; NULL if it could not */
};

/* Whether a job waits for a thread; with the lock held. The writer writes
 * and frees the finished jobs at the head, and jobs that needed no thread
 * (unchanged, unreadable) are finished from the start, so the head can pass
 * jobs no thread has claimed: claiming never looks behind it (the slot of a
 * freed job may hold a new one by then). */
static int claimable(struct pipeline *p)
{
    if (p->claim < p->head) p->claim = p->head;
    return p->claim < p->tail;
}

static void *worker(void *arg)
{
    struct worker_arg *wa = arg;
    struct pipeline *p = wa->p;
    /* The reading and writing thread is the pipeline's narrow part: with
     * more threads than cores, the scheduler is to let it run first (shared
     * fairly, it got two thirds of a core and the threads idled a third of
     * the time waiting for it). Lowering a thread's priority needs no
     * privilege. */
    setpriority(PRIO_PROCESS, (id_t)syscall(SYS_gettid), 10);
    /* each thread makes its own extractor, all at once (the knowledge base
     * they share is built already) */
    char err[256];
    wa->x = hd_extractor_new(err, sizeof err);
    pthread_mutex_lock(&p->lock);
    for (;;) {
        while (!p->stop && !claimable(p)) pthread_cond_wait(&p->work, &p->lock);
        if (!claimable(p)) break;
        struct job *j = p->ring[p->claim++ % p->cap];
        if (j->done) continue;
        pthread_mutex_unlock(&p->lock);
        if (wa->x) {
            job_extract(j, wa->x);
        } else {
            snprintf(j->why, sizeof j->why, "%s", err);
            j->status = HD_SKIPPED;
        }
        pthread_mutex_lock(&p->lock);
        j->done = 1;
        pthread_cond_broadcast(&p->done);
    }
    pthread_mutex_unlock(&p->lock);
    return NULL;
}

#define INDEX_EVERY (4u << 20)
/* documents in flight per thread: enough that a long one, which the writer
 * must wait for to keep the order, does not leave the other threads idle */
#define RING_PER_JOB 256

/* The state of one walk. */
struct walk {
    struct hd_store *st;
    hd_ingest_report report;
    void *ctx;
    struct hd_ingest_stats *stats;
    int jobs;
    struct hd_extractor *x;  /* the writer's, and the only one when jobs is 1 */
    struct pipeline *p;      /* NULL when jobs is 1 or before a document needs it */
    struct worker_arg *args; /* one per thread */
    size_t unindexed;        /* bytes of text written and not yet in the search index */
    char err[512];           /* why extractors could not be made, or "" */
    struct names seen;       /* the documents met */
    struct names kept;       /* the JSON Lines files not read: all their documents kept */
    int *store_failed;       /* per corpus file: a document hit a store error */
    /* A dry walk writes nothing: it stops at the first thing the store
     * would change (a document to write or remove, a JSON Lines file to
     * read), and says so in changed. */
    int dry, changed;
};

static void pipeline_stop(struct walk *w)
{
    struct pipeline *p = w->p;
    if (!p) return;
    pthread_mutex_lock(&p->lock);
    p->stop = 1;
    pthread_cond_broadcast(&p->work);
    pthread_mutex_unlock(&p->lock);
    for (size_t i = 0; i < p->nthreads; i++) pthread_join(p->threads[i], NULL);
    for (size_t i = p->head; i < p->tail; i++) job_free(p->ring[i % p->cap]);
    for (size_t i = 0; i < p->nthreads; i++) hd_extractor_free(w->args[i].x);
    pthread_mutex_destroy(&p->lock);
    pthread_cond_destroy(&p->work);
    pthread_cond_destroy(&p->done);
    free(p->ring), free(p->threads), free(w->args);
    free(p);
    w->p = NULL, w->args = NULL;
}

/* Makes the writer's extractor and, for jobs > 1, the threads, the first
 * time a document needs them; -1 with w->err set. */
static int start_extraction(struct walk *w)
{
    if (w->err[0]) return -1;
    if (!w->x && !(w->x = hd_extractor_new(w->err, sizeof w->err))) return -1;
    if (w->jobs < 2 || w->p) return 0;
    struct pipeline *p = calloc(1, sizeof *p);
    size_t n = (size_t)w->jobs;
    if (!p || !(p->ring = calloc(RING_PER_JOB * n, sizeof *p->ring)) ||
        !(p->threads = calloc(n, sizeof *p->threads)) || !(w->args = calloc(n, sizeof *w->args))) {
        if (p) free(p->ring), free(p->threads);
        free(p);
        snprintf(w->err, sizeof w->err, "out of memory");
        return -1;
    }
    p->cap = RING_PER_JOB * n;
    pthread_mutex_init(&p->lock, NULL);
    pthread_cond_init(&p->work, NULL);
    pthread_cond_init(&p->done, NULL);
    w->p = p;
    for (size_t i = 0; i < n; i++) {
        w->args[i].p = p;
        if (pthread_create(&p->threads[i], NULL, worker, &w->args[i]) != 0) {
            snprintf(w->err, sizeof w->err, "cannot start a thread: %s", strerror(errno));
            p->nthreads = i;
            pipeline_stop(w);
            return -1;
        }
        p->nthreads = i + 1;
    }
    return 0;
}

/* Runs one of the savepoint statements, prepared once: parsing them for
 * every document cost a twentieth of an ingest. */
static void savepoint(struct hd_store *st, const char *sql)
{
    sqlite3_stmt *s = hd_store_stmt_sql(st, sql);
    if (s && sqlite3_step(s) != SQLITE_DONE)
        fprintf(stderr, "store: %s: %s\n", sql, sqlite3_errmsg(hd_store_db(st)));
    if (s) sqlite3_reset(s);
}

/* Writes one finished document (or reports why it is not written). */
static void write_job(struct walk *w, struct job *j)
{
    if (j->extracted) {
        long long id = 0;
        savepoint(w->st, "SAVEPOINT doc");
        if (store_doc(w->st, w->x, j->key, j->hash, j->doc, &j->e, &id) == 0) {
            snprintf(j->why, sizeof j->why,
                     "id %lld, %zu sentences, %zu mentions, %zu events, %zu furniture lines "
                     "removed%s%s",
                     id, j->doc->nsentences, j->e.rec.nmentions, j->e.ev.n, j->doc->nremoved,
                     j->doc->warning[0] ? "; warning: " : "", j->doc->warning);
            j->status = HD_INGESTED;
            w->unindexed += j->doc->text_len;
        } else {
            snprintf(j->why, sizeof j->why, "store: %s", sqlite3_errmsg(hd_store_db(w->st)));
            j->status = HD_SKIPPED;
            w->store_failed[j->source] = 1;
            savepoint(w->st, "ROLLBACK TO doc");
            hd_store_forget_entities(w->st); /* the rollback may have undone some */
        }
        savepoint(w->st, "RELEASE doc");
        /* Indexed every few megabytes, not all at the end: then the threads
         * go on extracting while the writer indexes. (A failure here is
         * the final indexing's to report.) */
        if (w->unindexed >= INDEX_EVERY && hd_store_index_fresh(w->st) == 0) w->unindexed = 0;
    }
    w->report(w->ctx, j->status, j->key, j->why);
    if (j->status == HD_INGESTED)
        w->stats->ingested++;
    else if (j->status == HD_UNCHANGED)
        w->stats->unchanged++;
    else
        w->stats->skipped++;
}

/* Writes the finished documents at the head of the pipeline, up to most of
 * them (0: no limit); when wait is set, waits for the head to finish rather
 * than stop there. Only this thread moves head and tail. */
static void drain(struct walk *w, int wait, size_t most)
{
    struct pipeline *p = w->p;
    if (!p) return;
    pthread_mutex_lock(&p->lock);
    for (size_t n = 0; p->head < p->tail && (!most || n < most);) {
        struct job *j = p->ring[p->head % p->cap];
        if (!j->done) {
            if (!wait) break;
            pthread_cond_wait(&p->done, &p->lock);
            continue;
        }
        p->head++, n++;
        pthread_mutex_unlock(&p->lock);
        write_job(w, j);
        job_free(j);
        pthread_mutex_lock(&p->lock);
    }
    pthread_mutex_unlock(&p->lock);
}

/* Takes j: decides whether it has changed, then extracts and writes it
 * here (one job) or hands it to the threads. */
static void submit(struct walk *w, struct job *j)
{
    if (j->status == HD_INGESTED) {
        char old[65];
        long long id;
        int found = hd_store_article_hash(w->st, j->key, old, &id);
        if (found < 0) {
            snprintf(j->why, sizeof j->why, "store: %s", sqlite3_errmsg(hd_store_db(w->st)));
            j->status = HD_SKIPPED;
            w->store_failed[j->source] = 1;
        } else if (found && strcmp(old, j->hash) == 0) {
            j->status = HD_UNCHANGED;
        } else if (w->dry) {
            /* one that would not parse would change nothing */
            job_parse(j);
            if (j->doc) {
                w->changed = 1;
                job_free(j);
                return;
            }
        } else if (start_extraction(w) < 0) {
            snprintf(j->why, sizeof j->why, "%s", w->err);
            j->status = HD_SKIPPED;
        }
    }
    if (j->status != HD_INGESTED) j->done = 1;
    struct pipeline *p = w->p;
    if (!p) {
        if (!j->done) job_extract(j, w->x);
        write_job(w, j);
        job_free(j);
        return;
    }
    if (p->tail - p->head == p->cap) drain(w, 1, 1); /* full: make room */
    pthread_mutex_lock(&p->lock);
    p->ring[p->tail++ % p->cap] = j;
    if (!j->done) pthread_cond_signal(&p->work);
    /* This thread both reads and writes. It writes a document for each it
     * reads once half the ring is queued, so that the threads always have
     * work queued while it writes (writing all that were done each time
     * left them idle a third of an ingest) */
    int half = p->tail - p->head >= p->cap / 2;
    pthread_mutex_unlock(&p->lock);
    if (half) drain(w, 0, 1);
}

static struct job *job_new(struct walk *w, size_t source, const char *key)
{
    struct job *j = calloc(1, sizeof *j);
    if (j && !(j->key = strdup(key))) {
        free(j);
        j = NULL;
    }
    if (!j || names_add(&w->seen, key) < 0) {
        if (j) job_free(j);
        return NULL;
    }
    j->source = source;
    j->status = HD_INGESTED;
    return j;
}

/* A *.txt document and its sidecar. */
static int walk_text(struct walk *w, const char *dir, size_t source, const char *name)
{
    struct job *j = job_new(w, source, name);
    if (!j) return -1;
    char path[4096], side[4096];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    snprintf(side, sizeof side, "%s/%.*s.json", dir, (int)(strlen(name) - 4), name);
    if (!(j->text = hd_read_file(path, &j->len))) {
        snprintf(j->why, sizeof j->why, "cannot read: %s",
                 errno == EINVAL ? "not a regular file" : strerror(errno));
        j->status = HD_SKIPPED;
    } else if (!(j->sidecar = hd_read_file(side, &j->slen)) && errno != ENOENT) {
        snprintf(j->why, sizeof j->why, "cannot read %.*s.json: %s", (int)(strlen(name) - 4), name,
                 strerror(errno));
        j->status = HD_SKIPPED;
    } else {
        hd_document_hash(j->text, j->len, j->sidecar, j->slen, j->hash);
    }
    submit(w, j);
    return 0;
}

/* What identifies a version of a JSON Lines file without reading it: its
 * size, modification time and inode, and the extractor that read it. */
static void fingerprint(const struct stat *sb, char *out, size_t cap)
{
    pthread_once(&digest_once, digest_data);
    snprintf(out, cap, "%lld %lld.%09ld %llu %s %.16s", (long long)sb->st_size,
             (long long)sb->st_mtim.tv_sec, sb->st_mtim.tv_nsec, (unsigned long long)sb->st_ino,
             HD_EXTRACTOR_VERSION, data_digest);
}

static int meta_get(struct hd_store *st, const char *key, char *out, size_t cap)
{
    sqlite3_stmt *s = hd_store_stmt_sql(st, "SELECT value FROM meta WHERE key = ?1");
    if (!s) return -1;
    sqlite3_bind_text(s, 1, key, -1, SQLITE_STATIC);
    int rc = sqlite3_step(s);
    if (rc == SQLITE_ROW) snprintf(out, cap, "%s", (const char *)sqlite3_column_text(s, 0));
    sqlite3_reset(s);
    return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
}

/* The articles stored from the JSON Lines file name: NAME#1, NAME#2... */
static long long count_records(struct hd_store *st, const char *name)
{
    sqlite3_stmt *s = hd_store_stmt_sql(
        st, "SELECT count(*) FROM articles WHERE file > ?1 || '#' AND file < ?1 || '$'");
    if (!s) return -1;
    sqlite3_bind_text(s, 1, name, -1, SQLITE_STATIC);
    long long n = sqlite3_step(s) == SQLITE_ROW ? sqlite3_column_int64(s, 0) : -1;
    sqlite3_reset(s);
    return n;
}

/* A *.jsonl file, a document a line, unless it is as it was last time. */
static int walk_records(struct walk *w, const char *dir, size_t source, const char *name,
                        struct names *read)
{
    char path[4096], key[4200], fp[256], old[256], meta[4200];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    snprintf(meta, sizeof meta, "source:%s", name);
    /* the fingerprint is taken before the file is opened: an unchanged
     * file costs one stat() */
    struct stat sb;
    FILE *f = NULL;
    int unreadable = stat(path, &sb) < 0 ? errno : !S_ISREG(sb.st_mode) ? EINVAL : 0;
    if (!unreadable) {
        fingerprint(&sb, fp, sizeof fp);
        int same = meta_get(w->st, meta, old, sizeof old) == 1 && !strcmp(old, fp);
        if (!same && w->dry) {
            w->changed = 1; /* its new fingerprint at least is to be recorded */
            return 0;
        }
        if (same) {
            long long n = count_records(w->st, name);
            char why[128];
            snprintf(why, sizeof why, "%lld records; the file is as it was", n);
            w->report(w->ctx, HD_UNCHANGED, name, why);
            if (n > 0) w->stats->unchanged += (int)n;
            return names_add(&w->kept, name);
        }
        if (!(f = fopen(path, "rb"))) unreadable = errno;
    }
    if (unreadable) {
        /* its documents are kept, as those of a .txt that cannot be read are */
        char why[300];
        snprintf(why, sizeof why, "cannot read: %s",
                 unreadable == EINVAL ? "not a regular file" : strerror(unreadable));
        w->report(w->ctx, HD_SKIPPED, name, why);
        w->stats->skipped++;
        return names_add(&w->kept, name);
    }
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;
    long lineno = 0;
    int rc = 0;
    while (rc == 0 && !w->changed && (n = getline(&line, &cap, f)) >= 0) {
        lineno++;
        size_t len = (size_t)n;
        while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r')) len--;
        /* a byte-order mark some editors put at the start of a file */
        if (lineno == 1 && len >= 3 && !memcmp(line, "\xEF\xBB\xBF", 3)) {
            len -= 3;
            memmove(line, line + 3, len);
        }
        size_t sp = strspn(line, " \t");
        if (sp >= len) continue; /* a blank line is no document */
        snprintf(key, sizeof key, "%s#%ld", name, lineno);
        struct job *j = job_new(w, source, key);
        if (!j) {
            rc = -1;
            break;
        }
        j->record = 1;
        if (len > HD_DOC_MAX_BYTES) {
            snprintf(j->why, sizeof j->why, "larger than %u MiB", HD_DOC_MAX_BYTES >> 20);
            j->status = HD_SKIPPED;
        } else if (!(j->text = malloc(len + 1))) {
            job_free(j);
            rc = -1;
            break;
        } else {
            memcpy(j->text, line, len);
            j->text[len] = 0, j->len = len;
            hd_document_hash(j->text, len, NULL, 0, j->hash);
        }
        submit(w, j);
    }
    int bad = ferror(f);
    free(line);
    fclose(f);
    if (rc < 0) return -1;
    if (bad) {
        /* a file that could not be read to its end keeps what was not met */
        w->report(w->ctx, HD_SKIPPED, name, "read error before the end of the file");
        w->stats->skipped++;
        return names_add(&w->kept, name);
    }
    /* name, then its fingerprint: recorded once its documents are written */
    return names_add(read, name) < 0 || names_add(read, fp) < 0 ? -1 : 0;
}

/* Records the fingerprints of the JSON Lines files read to the end (read
 * holds name, fingerprint pairs) whose documents met no store error, and
 * forgets those of files that are gone. */
static int record_fingerprints(struct walk *w, const struct names *sources,
                               const struct names *read)
{
    char key[4200];
    for (size_t i = 0; i + 1 < read->n; i += 2) {
        char **at = bsearch(&read->v[i], sources->v, sources->n, sizeof *sources->v, cmp_names);
        if (!at || w->store_failed[at - sources->v]) continue;
        snprintf(key, sizeof key, "source:%s", read->v[i]);
        sqlite3_stmt *s = hd_store_stmt_sql(w->st, "INSERT OR REPLACE INTO meta VALUES (?1, ?2)");
        if (!s) return -1;
        sqlite3_bind_text(s, 1, key, -1, SQLITE_STATIC);
        sqlite3_bind_text(s, 2, read->v[i + 1], -1, SQLITE_STATIC);
        int rc = sqlite3_step(s);
        sqlite3_reset(s);
        if (rc != SQLITE_DONE) return -1;
    }
    struct names gone = {0};
    sqlite3_stmt *s = hd_store_stmt_sql(w->st, "SELECT substr(key, 8) FROM meta WHERE key "
                                               "LIKE 'source:%'");
    int rc = s ? 0 : -1;
    while (s && rc == 0 && sqlite3_step(s) == SQLITE_ROW) {
        const char *f = (const char *)sqlite3_column_text(s, 0);
        if (!names_has(sources, f)) rc = names_add(&gone, f);
    }
    if (s) sqlite3_reset(s);
    for (size_t i = 0; rc == 0 && i < gone.n; i++) {
        snprintf(key, sizeof key, "source:%s", gone.v[i]);
        sqlite3_stmt *d = hd_store_stmt_sql(w->st, "DELETE FROM meta WHERE key = ?1");
        if (!d) rc = -1;
        if (d) {
            sqlite3_bind_text(d, 1, key, -1, SQLITE_STATIC);
            if (sqlite3_step(d) != SQLITE_DONE) rc = -1;
            sqlite3_reset(d);
        }
    }
    names_free(&gone);
    return rc;
}

/* Was the article stored as file met in this walk, or kept with its file? */
static int still_there(const struct walk *w, const char *file)
{
    if (names_has(&w->seen, file)) return 1;
    const char *hash = strrchr(file, '#');
    if (!hash) return 0;
    char base[4096];
    snprintf(base, sizeof base, "%.*s", (int)(hash - file), file);
    return names_has(&w->kept, base);
}

/* Removes the articles whose document is gone (a dry walk notes that
 * there is one). */
static void remove_gone(struct walk *w)
{
    sqlite3_stmt *files = hd_store_stmt(w->st, HD_ARTICLE_FILES);
    long long *gone = NULL;
    size_t ngone = 0;
    struct names gone_names = {0};
    while (files && !w->changed && sqlite3_step(files) == SQLITE_ROW) {
        const char *f = (const char *)sqlite3_column_text(files, 1);
        if (still_there(w, f)) continue;
        if (w->dry) {
            w->changed = 1;
            break;
        }
        long long *ng = realloc(gone, (ngone + 1) * sizeof *ng);
        if (!ng) break;
        gone = ng;
        if (names_add(&gone_names, f) < 0) break;
        gone[ngone++] = sqlite3_column_int64(files, 0);
    }
    if (files) sqlite3_reset(files);
    for (size_t i = 0; i < ngone; i++) {
        if (hd_store_delete_article(w->st, gone[i]) == 0) {
            w->report(w->ctx, HD_REMOVED, gone_names.v[i], "no longer in the corpus");
            w->stats->removed++;
        }
    }
    free(gone);
    names_free(&gone_names);
}

/* The walk of dir into st, or a dry one (*changed then says whether a
 * real one would change st). */
static int walk_dir(struct hd_store *st, const char *dir, int jobs, int *changed,
                    hd_ingest_report report, void *ctx, struct hd_ingest_stats *stats, char *err,
                    size_t errlen)
{
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    memset(stats, 0, sizeof *stats);
    struct walk w = {.st = st,
                     .report = report ? report : noop_report,
                     .ctx = ctx,
                     .stats = stats,
                     .jobs = jobs > 0 ? jobs : 1,
                     .dry = changed != NULL};
    struct names sources = {0}, read = {0};
    int rc = -1;
    if (list_sources(dir, &sources) < 0) {
        snprintf(err, errlen, "%s: %s", dir, strerror(errno ? errno : ENOMEM));
        goto out;
    }
    if (!(w.store_failed = calloc(sources.n + 1, sizeof *w.store_failed))) {
        snprintf(err, errlen, "out of memory");
        goto out;
    }
    if (hd_store_exec(st, w.dry ? "BEGIN" : "BEGIN IMMEDIATE") != SQLITE_OK) {
        snprintf(err, errlen, "store: %s", sqlite3_errmsg(hd_store_db(st)));
        goto out;
    }
    int walked = 0;
    for (size_t i = 0; walked == 0 && !w.changed && i < sources.n; i++)
        walked = has_suffix(sources.v[i], ".txt") ? walk_text(&w, dir, i, sources.v[i])
                                                  : walk_records(&w, dir, i, sources.v[i], &read);
    drain(&w, 1, 0);
    pipeline_stop(&w);
    if (walked < 0) {
        snprintf(err, errlen, "out of memory");
        hd_store_exec(st, "ROLLBACK");
        goto out;
    }
    if (w.seen.n) qsort(w.seen.v, w.seen.n, sizeof *w.seen.v, cmp_names);
    if (w.kept.n) qsort(w.kept.v, w.kept.n, sizeof *w.kept.v, cmp_names);
    remove_gone(&w);
    if (w.dry) {
        *changed = w.changed;
        hd_store_exec(st, "COMMIT");
        rc = 0;
        goto out;
    }
    if (record_fingerprints(&w, &sources, &read) < 0 ||
        ((stats->ingested || stats->removed) &&
         (hd_store_index_fresh(st) < 0 || hd_store_prune_entities(st) < 0 ||
          hd_store_refresh_stats(st) < 0 || hd_store_refresh_clusters(st) < 0 ||
          hd_store_bump_generation(st) < 0))) {
        snprintf(err, errlen, "store: %s", sqlite3_errmsg(hd_store_db(st)));
        hd_store_exec(st, "ROLLBACK");
        goto out;
    }
    if (hd_store_exec(st, "COMMIT") != SQLITE_OK) {
        snprintf(err, errlen, "store: commit: %s", sqlite3_errmsg(hd_store_db(st)));
        hd_store_exec(st, "ROLLBACK");
        goto out;
    }
    rc = 0;
out:
    pipeline_stop(&w);
    hd_extractor_free(w.x);
    names_free(&w.seen);
    names_free(&w.kept);
    names_free(&sources);
    names_free(&read);
    free(w.store_failed);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    stats->seconds = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    return rc;
}

int hd_ingest_dir(struct hd_store *st, const char *dir, int jobs, hd_ingest_report report,
                  void *ctx, struct hd_ingest_stats *stats, char *err, size_t errlen)
{
    return walk_dir(st, dir, jobs, NULL, report, ctx, stats, err, errlen);
}

/* The reports of a dry walk, held until it is known whether a real one
 * follows (which reports everything again). */
struct held {
    struct held_line {
        enum hd_ingest_status status;
        char *file, *detail;
    } * v;
    size_t n, cap;
    int failed; /* out of memory: some were lost */
};

static void hold(void *ctx, enum hd_ingest_status s, const char *file, const char *detail)
{
    struct held *h = ctx;
    if (h->n == h->cap) {
        size_t cap = h->cap ? 2 * h->cap : 64;
        struct held_line *v = realloc(h->v, cap * sizeof *v);
        if (!v) {
            h->failed = 1;
            return;
        }
        h->v = v, h->cap = cap;
    }
    struct held_line *l = &h->v[h->n];
    l->status = s;
    l->file = strdup(file);
    l->detail = detail ? strdup(detail) : NULL;
    if (!l->file || (detail && !l->detail)) {
        free(l->file), free(l->detail);
        h->failed = 1;
        return;
    }
    h->n++;
}

static void held_free(struct held *h, hd_ingest_report report, void *ctx)
{
    for (size_t i = 0; i < h->n; i++) {
        if (report) report(ctx, h->v[i].status, h->v[i].file, h->v[i].detail);
        free(h->v[i].file), free(h->v[i].detail);
    }
    free(h->v);
    memset(h, 0, sizeof *h);
}

int hd_ingest_build(const char *db, const char *dir, int jobs, hd_ingest_report report, void *ctx,
                    struct hd_ingest_stats *stats, char *err, size_t errlen)
{
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    memset(stats, 0, sizeof *stats);
    struct hd_db *d = hd_db_lock(db, err, errlen);
    if (!d) return -1;
    struct held held = {0};
    int rc = -1, changed = 1;
    char why[512];
    /* Nothing is copied unless something changed: a dry walk over the
     * current generation decides (an unchanged corpus of 100 000 records
     * restarts in half a second; copying its database alone takes more) */
    struct hd_store *cur = hd_db_current(d) ? hd_db_open_current(d, why, sizeof why) : NULL;
    if (cur) {
        rc = walk_dir(cur, dir, 1, &changed, hold, &held, stats, err, errlen);
        hd_store_close(cur);
        if (rc < 0) goto out;
        if (!changed) {
            held_free(&held, report ? report : noop_report, ctx);
            goto out;
        }
    }
    held_free(&held, NULL, NULL);
    struct hd_store *st = hd_db_build(d, err, errlen);
    rc = st ? walk_dir(st, dir, jobs, NULL, report, ctx, stats, err, errlen) : -1;
    hd_store_close(st);
    if (rc == 0 && (rc = hd_db_publish(d, err, errlen)) == 0) stats->published = 1;
out:
    held_free(&held, NULL, NULL);
    hd_db_unlock(d);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    stats->seconds = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    return rc;
}
