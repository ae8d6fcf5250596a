/* Data files compiled into the binary (schema/schema.sql, lib/data/): the
 * build embeds them with tools/embed.c, so edit the files and run make. */
#ifndef HD_BLOB_H
#define HD_BLOB_H

#include <stddef.h>

struct hd_blob {
    const char *name; /* "schema.sql", "furniture.tsv", ... */
    const char *data; /* NUL-terminated */
    size_t len;
};

extern const struct hd_blob hd_blobs[];

/* The embedded file called name, or NULL. */
const struct hd_blob *hd_blob_get(const char *name);

#endif
