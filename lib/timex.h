/* Time expressions in running news text: explicit dates (13 سبتمبر 2024،
 * يوليو/تموز 2023، يومي 19 و20 يونيو، عام 2014) and relative ones (أمس،
 * الأربعاء، الأسبوع الماضي، يونيو الجاري، العام الماضي، منذ 24 عاما),
 * resolved against a reference date (the article's publication) when it is
 * known, never to a precision the words do not give. */
#ifndef HD_TIMEX_H
#define HD_TIMEX_H

#include <stddef.h>

#include "tokens.h"

enum hd_precision { HD_PREC_UNKNOWN, HD_PREC_YEAR, HD_PREC_MONTH, HD_PREC_DAY };

/* A calendar date; 0 in the parts that are unknown (y = 0: no date). */
struct hd_ymd {
    int y, m, d;
};

struct hd_timex {
    size_t first, last; /* token indexes, inclusive */
    struct hd_ymd start, end;
    enum hd_precision precision; /* HD_PREC_UNKNOWN: not resolved, start/end unset */
    int relative;                /* read against the reference date */
    int future;                  /* the words point ahead (المقبل، غدا) */
};

/* The time expressions of tokens [from, to) of tk, in order, into out (at
 * most max); returns how many. ref is the reference date, its unknown parts
 * 0: a relative expression it cannot resolve is still returned, with
 * precision HD_PREC_UNKNOWN. */
size_t hd_timex_scan(const struct hd_tokens *tk, size_t from, size_t to, struct hd_ymd ref,
                     struct hd_timex *out, size_t max);

/* A publication date inferred from the text alone, when it says how long
 * ago a dated thing was ("منذ 24 عاما" beside "يوليو 2000" gives 2024) and
 * maybe which month is the current one ("يونيو الجاري"). 1 and *out (y, and
 * m when known) when it can, else 0. sent are the token ranges
 * [sent[2i], sent[2i+1]) of the sentences. */
int hd_timex_infer_reference(const struct hd_tokens *tk, const size_t *sent, size_t nsent,
                             struct hd_ymd *out);

/* "YYYY-MM-DD" of a full date into out; the parts that are 0 make it shorter
 * ("2024-06", "2024"); "" when y is 0. */
void hd_ymd_format(struct hd_ymd d, char out[11]);

/* Parses "YYYY", "YYYY-MM" or "YYYY-MM-DD..." (the rest ignored); 1 or 0. */
int hd_ymd_parse(const char *s, struct hd_ymd *out);

/* "day", "month", "year" or "unknown". */
const char *hd_precision_name(enum hd_precision p);

#endif
