/* Runs tests/data/keys.tsv: name pairs that must share a skeleton or must
 * not, and romanisations; also the keys of empty and odd input. */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "ingest.h"
#include "keys.h"

int main(void)
{
    char err[256];
    struct hd_keys *k = hd_keys_new(err, sizeof err);
    CHECK(k != NULL, "keys: %s", err);
    size_t len;
    char *data = hd_read_file("tests/data/keys.tsv", &len);
    CHECK(data != NULL, "cannot read tests/data/keys.tsv (run from the repository root)");
    int same = 0, diff = 0;
    for (char *line = data ? strtok(data, "\n") : NULL; k && line; line = strtok(NULL, "\n")) {
        if (line[0] == '#') continue;
        char *kind = line, *a = strchr(line, '\t'), *b = a ? strchr(a + 1, '\t') : NULL;
        if (!b) continue;
        *a++ = 0, *b++ = 0;
        char *ra = NULL, *sa = NULL, *rb = NULL, *sb = NULL;
        hd_keys_make(k, a, &ra, &sa);
        hd_keys_make(k, b, &rb, &sb);
        if (!strcmp(kind, "same")) {
            CHECK(sa && sb && *sa && !strcmp(sa, sb), "same: %s [%s] / %s [%s]", a, sa, b, sb);
            same++;
        } else if (!strcmp(kind, "diff")) {
            CHECK(sa && sb && strcmp(sa, sb), "diff: %s [%s] / %s [%s]", a, sa, b, sb);
            diff++;
        } else if (!strcmp(kind, "roman")) {
            CHECK(ra && !strcmp(ra, b), "roman: %s gives %s, want %s", a, ra, b);
        }
        free(ra), free(sa), free(rb), free(sb);
    }
    free(data);
    CHECK(same + diff >= 60, "only %d pairs", same + diff);

    char *r = NULL, *s = NULL;
    CHECK(k && hd_keys_make(k, "", &r, &s) == 0 && r && s && !*r && !*s, "empty name");
    free(r), free(s);
    CHECK(k && hd_keys_make(k, "123 - ؟", &r, &s) == 0 && s && !*s, "no letters: [%s]", s);
    free(r), free(s);
    CHECK(k && hd_keys_make(k, "Kim", NULL, &s) == 0 && s && !strcmp(s, "KM"), "roman skipped");
    free(s);
    hd_keys_free(k);
    return check_done("keys");
}
