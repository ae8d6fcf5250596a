/* The corpus walk. Documents go in sorted by name so ids are reproducible;
 * the whole run is one transaction with a savepoint per document, so a
 * failing document rolls back alone and a crash leaves the previous state. */
#include <dirent.h>
#include <pthread.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "blob.h"
#include "ingest.h"
#include "sha256.h"

char *hd_read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    struct stat sb;
    if (fstat(fileno(f), &sb) < 0 || !S_ISREG(sb.st_mode)) {
        fclose(f);
        errno = S_ISDIR(sb.st_mode) ? EISDIR : EINVAL;
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

/* A digest of every embedded data file (lexicons, schema), taken once, so
 * that editing a lexicon re-processes every document on the next start. */
static char data_digest[65];
static pthread_once_t digest_once = PTHREAD_ONCE_INIT;

static void digest_data(void)
{
    struct hd_sha256 c;
    hd_sha256_init(&c);
    for (const struct hd_blob *b = hd_blobs; b->name; b++) {
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

/* The sorted names of the *.txt files in dir, or NULL. */
static char **list_documents(const char *dir, size_t *count)
{
    DIR *d = opendir(dir);
    if (!d) return NULL;
    size_t n = 0, cap = 64;
    char **names = malloc(cap * sizeof *names);
    struct dirent *e;
    while (names && (e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.' || !has_suffix(e->d_name, ".txt")) continue;
        if (n == cap) {
            char **nn = realloc(names, 2 * cap * sizeof *names);
            if (!nn) break;
            names = nn, cap *= 2;
        }
        if (!(names[n] = strdup(e->d_name))) break;
        n++;
    }
    closedir(d);
    if (!names) return NULL;
    qsort(names, n, sizeof *names, cmp_names);
    *count = n;
    return names;
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

int hd_ingest_doc(struct hd_store *st, struct hd_extractor *x, const char *file, const char *hash,
                  const struct hd_doc *doc, long long *id, size_t *nmentions, size_t *nevents)
{
    struct hd_recognition rec, cred = {0};
    struct hd_event_list ev = {0};
    if (hd_recognize(x->r, doc->text, doc->text_len, doc->sentences, doc->nsentences, &rec) < 0)
        return -1;
    /* the credit is one short line: one sentence */
    struct hd_span whole = {0, doc->source ? strlen(doc->source) : 0};
    int rc = -1;
    if (doc->source && hd_recognize(x->r, doc->source, whole.end, &whole, 1, &cred) < 0) goto out;
    /* events first: they may add to rec the country a capital stands for */
    if (hd_events_extract(x->ev, x->r, doc->text, doc->text_len, doc->sentences, doc->nsentences,
                          &rec, doc->published, &ev) < 0)
        goto out;
    if (hd_store_put_article(st, file, hash, doc, id) == 0 &&
        hd_store_put_mentions(st, *id, doc, x->r, &rec) == 0 &&
        hd_store_put_events(st, *id, doc, x->r, &rec, &ev) == 0 &&
        hd_store_put_credits(st, *id, x->r, &cred) == 0)
        rc = 0;
    if (nmentions) *nmentions = rec.nmentions;
    if (nevents) *nevents = ev.n;
out:
    hd_event_list_free(&ev);
    hd_recognition_free(&rec);
    hd_recognition_free(&cred);
    return rc;
}

/* Ingests one document; returns the status, with the reason in why. */
static enum hd_ingest_status ingest_one(struct hd_store *st, const char *dir, const char *name,
                                        struct hd_extractor **xp, char *why, size_t whylen)
{
    char path[4096], side[4096];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    snprintf(side, sizeof side, "%s/%.*s.json", dir, (int)(strlen(name) - 4), name);
    size_t len = 0, slen = 0;
    char *text = hd_read_file(path, &len);
    if (!text) {
        snprintf(why, whylen, "cannot read: %s", strerror(errno));
        return HD_SKIPPED;
    }
    char *sidecar = hd_read_file(side, &slen);
    if (!sidecar && errno != ENOENT) {
        snprintf(why, whylen, "cannot read %.*s.json: %s", (int)(strlen(name) - 4), name,
                 strerror(errno));
        free(text);
        return HD_SKIPPED;
    }
    char hash[65], old[65];
    long long id;
    enum hd_ingest_status status = HD_SKIPPED;
    hd_document_hash(text, len, sidecar, slen, hash);
    int found = hd_store_article_hash(st, name, old, &id);
    if (found < 0) {
        snprintf(why, whylen, "store: %s", sqlite3_errmsg(hd_store_db(st)));
    } else if (found && strcmp(old, hash) == 0) {
        status = HD_UNCHANGED;
    } else {
        struct hd_doc *doc = hd_doc_parse(text, len, sidecar, slen, why, whylen);
        if (doc && !*xp) *xp = hd_extractor_new(why, whylen);
        size_t nm = 0, ne = 0;
        if (doc && *xp) {
            if (hd_ingest_doc(st, *xp, name, hash, doc, &id, &nm, &ne) == 0) {
                status = HD_INGESTED;
                snprintf(why, whylen,
                         "id %lld, %zu sentences, %zu mentions, %zu events, %zu furniture lines "
                         "removed%s%s",
                         id, doc->nsentences, nm, ne, doc->nremoved,
                         doc->warning[0] ? "; warning: " : "", doc->warning);
            } else {
                snprintf(why, whylen, "store: %s", sqlite3_errmsg(hd_store_db(st)));
            }
        }
        hd_doc_free(doc);
    }
    free(text);
    free(sidecar);
    return status;
}

int hd_ingest_dir(struct hd_store *st, const char *dir, hd_ingest_report report, void *ctx,
                  struct hd_ingest_stats *stats, char *err, size_t errlen)
{
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    memset(stats, 0, sizeof *stats);
    if (!report) report = noop_report;
    size_t n = 0;
    char **names = list_documents(dir, &n);
    if (!names) {
        snprintf(err, errlen, "%s: %s", dir, strerror(errno ? errno : ENOMEM));
        return -1;
    }
    int rc = -1;
    struct hd_extractor *x = NULL; /* made when a document needs it */
    if (hd_store_exec(st, "BEGIN IMMEDIATE") != SQLITE_OK) {
        snprintf(err, errlen, "store: %s", sqlite3_errmsg(hd_store_db(st)));
        goto out;
    }
    for (size_t i = 0; i < n; i++) {
        char why[512] = "";
        hd_store_exec(st, "SAVEPOINT doc");
        enum hd_ingest_status s = ingest_one(st, dir, names[i], &x, why, sizeof why);
        if (s == HD_SKIPPED) {
            hd_store_exec(st, "ROLLBACK TO doc");
            hd_store_forget_entities(st); /* the rollback may have undone some */
        }
        hd_store_exec(st, "RELEASE doc");
        report(ctx, s, names[i], why);
        if (s == HD_INGESTED)
            stats->ingested++;
        else if (s == HD_UNCHANGED)
            stats->unchanged++;
        else
            stats->skipped++;
    }
    /* Articles whose file is gone; a skipped file keeps its earlier version. */
    sqlite3_stmt *files = hd_store_stmt(st, HD_ARTICLE_FILES);
    long long *gone = NULL;
    size_t ngone = 0;
    char **gone_names = NULL;
    while (files && sqlite3_step(files) == SQLITE_ROW) {
        const char *f = (const char *)sqlite3_column_text(files, 1);
        if (bsearch(&f, names, n, sizeof *names, cmp_names)) continue;
        long long *ng = realloc(gone, (ngone + 1) * sizeof *ng);
        char **nn = realloc(gone_names, (ngone + 1) * sizeof *nn);
        if (ng) gone = ng;
        if (nn) gone_names = nn;
        if (!ng || !nn) break;
        gone[ngone] = sqlite3_column_int64(files, 0);
        gone_names[ngone] = strdup(f);
        ngone++;
    }
    if (files) sqlite3_reset(files);
    for (size_t i = 0; i < ngone; i++) {
        if (hd_store_delete_article(st, gone[i]) == 0) {
            report(ctx, HD_REMOVED, gone_names[i] ? gone_names[i] : "?", "no longer in the corpus");
            stats->removed++;
        }
        free(gone_names[i]);
    }
    free(gone);
    free(gone_names);
    if ((stats->ingested || stats->removed) &&
        (hd_store_prune_entities(st) < 0 || hd_store_refresh_stats(st) < 0 ||
         hd_store_refresh_clusters(st) < 0 || hd_store_bump_generation(st) < 0)) {
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
    hd_extractor_free(x);
    for (size_t i = 0; i < n; i++) free(names[i]);
    free(names);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    stats->seconds = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    return rc;
}
