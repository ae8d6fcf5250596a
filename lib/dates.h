/* Calendar dates written in news text: datelines such as "الخميس 14 سبتمبر 2024",
 * "14 أيلول/سبتمبر 2024" or "2024-09-14", and ISO dates from metadata. Month
 * and weekday names come from ICU's Arabic and English locales. */
#ifndef HD_DATES_H
#define HD_DATES_H

#include <stddef.h>

/* 1 and the date as "YYYY-MM-DD" in iso when the line (UTF-8) says nothing but
 * a Gregorian date, optionally with a weekday, a time and a label such as
 * "نشر في"; else 0. */
int hd_date_line(const char *line, size_t len, char iso[11]);

/* 1 and an ISO-8601 form of s in out (at least 26 bytes) when s is a date or
 * a date and time in ISO-8601, "YYYY-MM-DD hh:mm:ss" or a dateline form; 0
 * when it is none of these or not a real calendar date. */
int hd_date_normalize(const char *s, char *out, size_t outlen);

/* 1 when y-m-d is a real Gregorian date in years 1000..2999. */
int hd_date_valid(int y, int m, int d);

/* The month (1..12) a name means in any Arabic naming school or English, or
 * 0; key is a hd_normalize_key() form. */
int hd_month_by_name(const char *key);

#endif
