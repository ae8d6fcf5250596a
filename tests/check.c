/* Totals for tests/check.h. */
#include "check.h"

int check_passed, check_failed;

int check_done(const char *suite)
{
    printf("%s: %d passed, %d failed\n", suite, check_passed, check_failed);
    return check_failed ? 1 : 0;
}
