/* The web page's files, served from the table tools/embed.c makes of web/:
 * a name is looked up as "web/NAME" and typed by its extension. */
#include <stdio.h>
#include <string.h>

#include "blob.h"
#include "web.h"

static const struct {
    const char *ext, *type;
} types[] = {
    {".html", "text/html; charset=utf-8"}, {".js", "text/javascript; charset=utf-8"},
    {".css", "text/css; charset=utf-8"},   {".svg", "image/svg+xml"},
    {".txt", "text/plain; charset=utf-8"},
};

const char *hd_web_file(const char *name, size_t *len, const char **content_type)
{
    char key[128];
    size_t n = strlen(name);
    /* names are what web/ holds: no dot files, no climbing (not that the
     * table has any), and short */
    if (n == 0 || n > 100 || name[0] == '.' || name[0] == '/' || strstr(name, "/.") ||
        strstr(name, "//"))
        return NULL;
    for (size_t i = 0; i < n; i++) {
        char c = name[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '.' || c == '-' || c == '_' || c == '/'))
            return NULL;
    }
    const char *type = NULL;
    for (size_t i = 0; i < sizeof types / sizeof *types && !type; i++) {
        size_t el = strlen(types[i].ext);
        if (n > el && !strcmp(name + n - el, types[i].ext)) type = types[i].type;
    }
    if (!type) return NULL;
    snprintf(key, sizeof key, "web/%s", name);
    const struct hd_blob *b = hd_blob_get(key);
    if (!b) return NULL;
    *len = b->len;
    *content_type = type;
    return b->data;
}
