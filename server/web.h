/* The web page (web/): its files are compiled into the binary and found by
 * name in that table, never on disk, so no request can reach a file by its
 * path. */
#ifndef HD_WEB_H
#define HD_WEB_H

#include <stddef.h>

/* The page's file called name ("index.html", "app.js", "vendor/x.js"), with
 * its media type; NULL when there is none of that name. */
const char *hd_web_file(const char *name, size_t *len, const char **content_type);

#endif
