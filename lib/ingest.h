/* Ingest of a corpus folder into the store: every document (a *.txt file,
 * or a record of a *.jsonl file) is parsed and written unless it is
 * unchanged since the last run; documents that are gone are removed. */
#ifndef HD_INGEST_H
#define HD_INGEST_H

#include "store.h"

enum hd_ingest_status { HD_INGESTED, HD_UNCHANGED, HD_SKIPPED, HD_REMOVED };

struct hd_ingest_stats {
    int ingested, unchanged, skipped, removed;
    int published; /* hd_ingest_build made a new generation of the database */
    double seconds;
};

/* Called once per document; detail says why for HD_SKIPPED. */
typedef void (*hd_ingest_report)(void *ctx, enum hd_ingest_status status, const char *file,
                                 const char *detail);

/* Ingests dir into st: its *.txt documents (each with an optional NAME.json
 * sidecar) and the records of its *.jsonl files (one JSON object a line,
 * see hd_doc_parse_record; stored as FILE.jsonl#LINE). A JSON Lines file
 * whose size, modification time and inode are as at its last ingest is not
 * read again. jobs threads extract (1: all on the calling thread, which
 * always reads and writes). A document that cannot be read or parsed is
 * reported and skipped (its earlier version, if any, is kept); the others
 * go on. The knowledge base (hd_kb_shared) is built only when a document
 * needs it. Returns 0, or -1 with err set when the folder or the store
 * fails. */
int hd_ingest_dir(struct hd_store *st, const char *dir, int jobs, hd_ingest_report report,
                  void *ctx, struct hd_ingest_stats *stats, char *err, size_t errlen);

/* Ingests dir into the database at path, as generations (dbfile.h): when
 * anything would change, the next generation is built beside the current
 * one and published when complete; a failure or a crash leaves the
 * current one as it was, and readers never see half an ingest. Waits
 * while another process builds the same database. Returns 0, or -1 with
 * err set. */
int hd_ingest_build(const char *path, const char *dir, int jobs, hd_ingest_report report, void *ctx,
                    struct hd_ingest_stats *stats, char *err, size_t errlen);

/* What reads a document: entity recognition and event extraction, for one
 * thread. */
struct hd_extractor {
    struct hd_recognizer *r;
    struct hd_eventer *ev;
};

/* A new extractor over the process's knowledge base (hd_kb_shared); NULL
 * with the reason in err. */
struct hd_extractor *hd_extractor_new(char *err, size_t errlen);
void hd_extractor_free(struct hd_extractor *x);

/* Writes doc as the article for file (with its hash): its text and
 * sentences, the mentions x recognises in it, the events it reports and
 * the organisations its credit names; *id is its id, *nmentions and
 * *nevents (may be NULL) how many mentions and events. Returns 0, or -1 on
 * a store error or when out of memory. */
int hd_ingest_doc(struct hd_store *st, struct hd_extractor *x, const char *file, const char *hash,
                  const struct hd_doc *doc, long long *id, size_t *nmentions, size_t *nevents);

/* Reads a whole file into a new NUL-terminated buffer; NULL with errno set. */
char *hd_read_file(const char *path, size_t *len);

/* The document hash: SHA-256 over the extractor version, the embedded data
 * files, the text and the sidecar, as 64 hex digits. */
void hd_document_hash(const char *text, size_t len, const char *sidecar, size_t sidecar_len,
                      char hex[65]);

#endif
