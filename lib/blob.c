/* Lookup of the data files that tools/embed.c compiled into the binary. */
#include <string.h>

#include "blob.h"

const struct hd_blob *hd_blob_get(const char *name)
{
    for (const struct hd_blob *b = hd_blobs; b->name; b++)
        if (strcmp(b->name, name) == 0) return b;
    return NULL;
}
