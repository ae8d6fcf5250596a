/* Totals for tests/check.h, and the walk over a folder of cases. */
#include <dirent.h>

#include "check.h"

int check_passed, check_failed;

int check_done(const char *suite)
{
    printf("%s: %d passed, %d failed\n", suite, check_passed, check_failed);
    return check_failed ? 1 : 0;
}

void check_str(const char *file, int line, const char *expr, const char *got, const char *want)
{
    if (got && want && strcmp(got, want) == 0) {
        check_passed++;
        return;
    }
    check_failed++;
    fprintf(stderr, "FAIL %s:%d: %s: got \"%s\", want \"%s\"\n", file, line, expr,
            got ? got : "(null)", want ? want : "(null)");
}

int check_each_case(const char *dir, void (*run)(const char *name))
{
    DIR *d = opendir(dir);
    CHECK(d != NULL, "cannot open %s (run from the repository root)", dir);
    if (!d) return 0;
    struct dirent *e;
    int cases = 0;
    while ((e = readdir(d)) != NULL) {
        size_t n = strlen(e->d_name);
        if (n < 8 || strcmp(e->d_name + n - 7, ".expect") != 0) continue;
        char name[256];
        snprintf(name, sizeof name, "%.*s", (int)(n - 7), e->d_name);
        run(name);
        cases++;
    }
    closedir(d);
    return cases;
}
