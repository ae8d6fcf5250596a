/* make bench: throughput of the text layer on real Arabic news, the seed
 * corpus repeated to at least 20 MB and processed a document at a time, as
 * ingest does. Prints numbers; passes no judgement. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ingest.h"
#include "keys.h"
#include "normalize.h"
#include "events.h"
#include "recognize.h"
#include "tokens.h"

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
    const char *dir = argc > 1 ? argv[1] : "corpus";
    size_t want = 20u << 20, len = 0, cap = 0;
    char *text = NULL;
    DIR *d = opendir(dir);
    if (!d) {
        perror(dir);
        return 1;
    }
    /* one buffer of whole documents, repeated until it is large enough */
    char *seed = NULL;
    size_t seed_len = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        size_t n = strlen(e->d_name), fl;
        if (n < 5 || strcmp(e->d_name + n - 4, ".txt")) continue;
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        char *f = hd_read_file(path, &fl);
        if (!f) continue;
        seed = realloc(seed, seed_len + fl + 2);
        memcpy(seed + seed_len, f, fl);
        seed_len += fl;
        seed[seed_len++] = '\n';
        free(f);
    }
    closedir(d);
    if (!seed_len) {
        fprintf(stderr, "bench: no documents in %s\n", dir);
        return 1;
    }
    while (len < want) {
        if (len + seed_len + 1 > cap) {
            cap = (len + seed_len + 1) * 2;
            text = realloc(text, cap);
        }
        memcpy(text + len, seed, seed_len);
        len += seed_len;
    }
    text[len] = 0;
    double mb = (double)len / (1 << 20);

    /* documents: the seed's, over and over */
    size_t ndocs = 0, *doc_at = NULL, *doc_len = NULL;
    for (size_t at = 0; at < len; at += seed_len) {
        doc_at = realloc(doc_at, (ndocs + 1) * sizeof *doc_at);
        doc_len = realloc(doc_len, (ndocs + 1) * sizeof *doc_len);
        doc_at[ndocs] = at;
        doc_len[ndocs++] = at + seed_len <= len ? seed_len : len - at;
    }

    double t0 = now();
    for (size_t i = 0; i < ndocs; i++) hd_norm_free(hd_norm_new(text + doc_at[i], doc_len[i]));
    double t1 = now();
    printf("%-34s %8.1f MB/s  (%.1f MB in %.3f s)\n", "normalise (NFKC, fold, map)", mb / (t1 - t0),
           mb, t1 - t0);

    char err[128];
    struct hd_segmenter *sg = hd_segmenter_new(err, sizeof err);
    struct hd_keys *k = hd_keys_new(err, sizeof err);
    size_t tokens = 0;
    t0 = now();
    for (size_t i = 0; sg && i < ndocs; i++) {
        struct hd_tokens tk;
        if (hd_tokenize(sg, text + doc_at[i], doc_len[i], &tk) < 0) break;
        tokens += tk.n;
        hd_tokens_free(&tk);
    }
    t1 = now();
    printf("%-34s %8.1f MB/s  (%zu tokens in %.3f s)\n", "tokenise + normalise each token",
           mb / (t1 - t0), tokens, t1 - t0);
    /* the keys of words, as entity recognition will ask for them */
    struct hd_tokens tk;
    if (sg && k && hd_tokenize(sg, seed, seed_len, &tk) == 0) {
        size_t words = 0;
        t0 = now();
        for (int rep = 0; rep < 5; rep++)
            for (size_t i = 0; i < tk.n; i++) {
                if (tk.v[i].kind != HD_TOKEN_WORD) continue;
                char *r, *s2;
                if (hd_keys_make(k, tk.v[i].key, &r, &s2) == 0) free(r), free(s2);
                words++;
            }
        t1 = now();
        printf("%-34s %8.0f names/s\n", "keys (romanisation + skeleton)",
               (double)words / (t1 - t0));
        hd_tokens_free(&tk);
    }
    hd_keys_free(k);

    /* entity recognition, document by document as ingest runs it, over the
     * parsed documents of the folder repeated to the same size */
    const struct hd_kb *kb = hd_kb_shared();
    struct hd_recognizer *rz = kb ? hd_recognizer_new(kb, err, sizeof err) : NULL;
    struct hd_doc *docs[256];
    size_t nd = 0, dbytes = 0;
    d = opendir(dir);
    while (rz && d && (e = readdir(d)) != NULL && nd < 256) {
        size_t n = strlen(e->d_name), fl;
        if (n < 5 || strcmp(e->d_name + n - 4, ".txt")) continue;
        char path[4096], why[256];
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        char *f = hd_read_file(path, &fl);
        if (f && (docs[nd] = hd_doc_parse(f, fl, NULL, 0, why, sizeof why)) != NULL)
            dbytes += docs[nd++]->text_len;
        free(f);
    }
    if (d) closedir(d);
    if (nd) {
        size_t done = 0, mentions = 0;
        t0 = now();
        while (done < want)
            for (size_t i = 0; i < nd; i++) {
                struct hd_recognition rec;
                if (hd_recognize(rz, docs[i]->text, docs[i]->text_len, docs[i]->sentences,
                                 docs[i]->nsentences, &rec) < 0)
                    break;
                mentions += rec.nmentions;
                done += docs[i]->text_len;
                hd_recognition_free(&rec);
            }
        t1 = now();
        printf("%-34s %8.1f MB/s  (%.0f mentions/s)\n", "recognise entities",
               (double)done / (1 << 20) / (t1 - t0), (double)mentions / (t1 - t0));
        /* event extraction over each document's recognition, timed alone */
        struct hd_eventer *ev = hd_eventer_new(err, sizeof err);
        struct hd_recognition *recs = calloc(nd, sizeof *recs);
        for (size_t i = 0; ev && recs && i < nd; i++)
            hd_recognize(rz, docs[i]->text, docs[i]->text_len, docs[i]->sentences,
                         docs[i]->nsentences, &recs[i]);
        size_t events = 0;
        done = 0;
        t0 = now();
        while (ev && recs && done < want)
            for (size_t i = 0; i < nd; i++) {
                struct hd_event_list l;
                if (hd_events_extract(ev, rz, docs[i]->text, docs[i]->text_len, docs[i]->sentences,
                                      docs[i]->nsentences, &recs[i], docs[i]->published, &l) < 0)
                    break;
                events += l.n;
                done += docs[i]->text_len;
                hd_event_list_free(&l);
            }
        t1 = now();
        if (ev && recs)
            printf("%-34s %8.1f MB/s  (%.0f events/s)\n", "extract events",
                   (double)done / (1 << 20) / (t1 - t0), (double)events / (t1 - t0));
        for (size_t i = 0; recs && i < nd; i++) hd_recognition_free(&recs[i]);
        free(recs);
        hd_eventer_free(ev);
    }
    for (size_t i = 0; i < nd; i++) hd_doc_free(docs[i]);
    hd_recognizer_free(rz);
    free(doc_at), free(doc_len);
    hd_segmenter_free(sg);
    free(text), free(seed);
    return 0;
}
