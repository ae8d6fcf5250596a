/* Totals for tests/check.h. */
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
