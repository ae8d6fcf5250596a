/* One news document turned into an article: metadata, title, cleaned text,
 * publisher, publication date and sentences. Knows nothing of the store. */
#ifndef HD_DOCUMENT_H
#define HD_DOCUMENT_H

#include <stddef.h>

#include "sentences.h"

#define HD_DOC_MAX_BYTES (32u << 20)

struct hd_removed {
    char *line;      /* a furniture line, as it was */
    const char *why; /* the rule that removed it */
};

struct hd_doc {
    char *title;
    char *source;                 /* publisher, or NULL */
    char *published;              /* ISO-8601, or NULL */
    const char *published_source; /* "metadata", "dateline" or "unknown" */
    char *url;                    /* from metadata, or NULL */
    char *text;                   /* the title, a blank line, the paragraphs */
    size_t text_len;              /* bytes */
    struct hd_span *sentences;    /* byte spans of text; the first is the title */
    size_t nsentences;
    struct hd_removed *removed; /* the furniture lines dropped, in order */
    size_t nremoved;
    char warning[200]; /* a problem that did not stop the parse, or "" */
};

/* Parses a document: buf[0..len) is its UTF-8 text, sidecar[0..sidecar_len)
 * the JSON of its NAME.json or NULL. Returns a new hd_doc, or NULL with a
 * reason in err (invalid UTF-8, too large, no text, bad sidecar). */
struct hd_doc *hd_doc_parse(const char *buf, size_t len, const char *sidecar, size_t sidecar_len,
                            char *err, size_t errlen);
void hd_doc_free(struct hd_doc *doc);

/* Parses one JSON Lines record: an object whose text is its "content",
 * "text" or "body", with "title", "published" (or "date" or
 * "date_extracted"), "source" (or "publisher") and "url" as metadata. NULL
 * with a reason in err when it is not such an object or the text fails as
 * in hd_doc_parse. */
struct hd_doc *hd_doc_parse_record(const char *line, size_t len, char *err, size_t errlen);

#endif
