/* The tests' harness: CHECK counts a pass or prints the failure, and
 * check_done() prints "N passed, N failed" for tests/run.sh to add up. */
#ifndef HD_CHECK_H
#define HD_CHECK_H

#include <stdio.h>
#include <string.h>

extern int check_passed, check_failed;

#define CHECK(cond, ...)                                                                           \
    do {                                                                                           \
        if (cond) {                                                                                \
            check_passed++;                                                                        \
        } else {                                                                                   \
            check_failed++;                                                                        \
            fprintf(stderr, "FAIL %s:%d: ", __FILE__, __LINE__);                                   \
            fprintf(stderr, __VA_ARGS__);                                                          \
            fputc('\n', stderr);                                                                   \
        }                                                                                          \
    } while (0)

#define CHECK_STR(got, want) check_str(__FILE__, __LINE__, #got, (got), (want))

/* CHECK_STR's work: both strings set and equal. */
void check_str(const char *file, int line, const char *expr, const char *got, const char *want);

/* Calls run with NAME for every NAME.expect in dir (the data-driven suites
 * of tests/data/); returns how many. A folder that cannot be opened fails. */
int check_each_case(const char *dir, void (*run)(const char *name));

/* Prints the totals and returns the exit status for main(). */
int check_done(const char *suite);

#endif
