/* Time expressions over the tokens of a text. Month names come from ICU
 * through lib/dates.c (every Arabic naming school), weekday names from ICU
 * here; the few relative words (أمس، الماضي، المقبل...) are Arabic grammar
 * and live in the table below. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <unicode/udat.h>
#include <unicode/ustring.h>

#include "dates.h"
#include "normalize.h"
#include "timex.h"

enum group {
    G_PAST = 1, /* الماضي */
    G_NEXT,     /* المقبل */
    G_CURRENT,  /* الجاري، هذا */
    G_DAYWORD,  /* يوم، يومي */
    G_TODAY,
    G_YESTERDAY,
    G_TOMORROW,
    G_FIRST, /* أول (أمس) */
    G_WEEK,
    G_MONTHW,
    G_YEARW,    /* العام، عام، سنة */
    G_YEARS,    /* عاما، أعوام، سنوات (after منذ N) */
    G_TWOYEARS, /* عامين */
    G_MONTHS,
    G_TWOMONTHS,
    G_SINCE,
    G_FROM,   /* من: "سبتمبر من عام 2023" */
    G_AND,    /* و */
    G_BEFORE, /* words after which a bare month name is a date: في، خلال، مطلع... */
    G_ERA,    /* م after a year */
};

static const struct {
    enum group g;
    const char *word;
} words[] = {
    {G_PAST, "الماضي"},    {G_PAST, "الماضية"},    {G_PAST, "المنصرم"},
    {G_PAST, "المنصرمة"},  {G_PAST, "الفائت"},     {G_PAST, "الفائتة"},
    {G_NEXT, "المقبل"},    {G_NEXT, "المقبلة"},    {G_NEXT, "القادم"},
    {G_NEXT, "القادمة"},   {G_CURRENT, "الجاري"},  {G_CURRENT, "الجارية"},
    {G_CURRENT, "الحالي"}, {G_CURRENT, "الحالية"}, {G_CURRENT, "هذا"},
    {G_CURRENT, "هذه"},    {G_DAYWORD, "يوم"},     {G_DAYWORD, "يومي"},
    {G_TODAY, "اليوم"},    {G_YESTERDAY, "أمس"},   {G_YESTERDAY, "البارحة"},
    {G_TOMORROW, "غدا"},   {G_TOMORROW, "غداً"},    {G_FIRST, "أول"},
    {G_WEEK, "الأسبوع"},   {G_MONTHW, "الشهر"},    {G_YEARW, "العام"},
    {G_YEARW, "عام"},      {G_YEARW, "السنة"},     {G_YEARW, "سنة"},
    {G_YEARS, "عاما"},     {G_YEARS, "أعوام"},     {G_YEARS, "سنوات"},
    {G_YEARS, "سنين"},     {G_YEARS, "عام"},       {G_YEARS, "سنة"},
    {G_TWOYEARS, "عامين"}, {G_TWOYEARS, "سنتين"},  {G_MONTHS, "شهرا"},
    {G_MONTHS, "أشهر"},    {G_MONTHS, "شهور"},     {G_TWOMONTHS, "شهرين"},
    {G_SINCE, "منذ"},      {G_FROM, "من"},         {G_AND, "و"},
    {G_BEFORE, "في"},      {G_BEFORE, "خلال"},     {G_BEFORE, "منذ"},
    {G_BEFORE, "حتى"},     {G_BEFORE, "بحلول"},    {G_BEFORE, "شهر"},
    {G_BEFORE, "مطلع"},    {G_BEFORE, "أوائل"},    {G_BEFORE, "أواخر"},
    {G_BEFORE, "منتصف"},   {G_BEFORE, "نهاية"},    {G_BEFORE, "بداية"},
    {G_BEFORE, "أواسط"},   {G_BEFORE, "مستهل"},    {G_BEFORE, "قبل"},
    {G_BEFORE, "بعد"},     {G_BEFORE, "من"},       {G_ERA, "م"},
};
#define NWORDS (sizeof words / sizeof *words)

/* the keys of the words, sorted, each with the groups it is in */
static struct wkey {
    char *key;
    unsigned groups;
} wkeys[NWORDS];
static size_t nwkeys;
static char *weekday_keys[2][7]; /* Arabic, English; 0 = Sunday */
static pthread_once_t once = PTHREAD_ONCE_INIT;

static int cmp_wkey(const void *a, const void *b)
{
    return strcmp(((const struct wkey *)a)->key, ((const struct wkey *)b)->key);
}

static void load(void)
{
    for (size_t i = 0; i < NWORDS; i++) {
        char *k = hd_normalize_key(words[i].word, strlen(words[i].word));
        if (!k) continue;
        size_t j = 0;
        while (j < nwkeys && strcmp(wkeys[j].key, k)) j++;
        if (j == nwkeys)
            wkeys[nwkeys++].key = k;
        else
            free(k);
        wkeys[j].groups |= 1u << words[i].g;
    }
    qsort(wkeys, nwkeys, sizeof *wkeys, cmp_wkey);
    static const char *locales[2] = {"ar@calendar=gregorian", "en@calendar=gregorian"};
    for (int l = 0; l < 2; l++) {
        UErrorCode st = U_ZERO_ERROR;
        UDateFormat *fmt = udat_open(UDAT_DEFAULT, UDAT_DEFAULT, locales[l], NULL, 0, NULL, 0, &st);
        if (U_FAILURE(st)) continue;
        for (int d = 0; d < 7; d++) { /* ICU's weekday symbols start at index 1, Sunday */
            UChar buf[64];
            char utf8[256];
            st = U_ZERO_ERROR;
            int32_t n = udat_getSymbols(fmt, UDAT_WEEKDAYS, d + 1, buf, 64, &st);
            if (U_FAILURE(st) || n <= 0) continue;
            u_strToUTF8(utf8, sizeof utf8, NULL, buf, n, &st);
            if (U_SUCCESS(st)) weekday_keys[l][d] = hd_normalize_key(utf8, strlen(utf8));
        }
        udat_close(fmt);
    }
}

/* ---- calendar arithmetic (days since 1970-01-01, proleptic Gregorian) ---- */

static long days_from_civil(int y, int m, int d)
{
    y -= m <= 2;
    long era = (y >= 0 ? y : y - 399) / 400;
    long yoe = y - era * 400;
    long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static struct hd_ymd civil_from_days(long z)
{
    z += 719468;
    long era = (z >= 0 ? z : z - 146096) / 146097;
    long doe = z - era * 146097;
    long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    long mp = (5 * doy + 2) / 153;
    struct hd_ymd r;
    r.d = (int)(doy - (153 * mp + 2) / 5 + 1);
    r.m = (int)(mp < 10 ? mp + 3 : mp - 9);
    r.y = (int)(yoe + era * 400 + (r.m <= 2));
    return r;
}

static int weekday_of(long days) /* 0 = Sunday */
{
    return (int)(((days % 7) + 11) % 7);
}

static int month_days(int y, int m)
{
    static const int md[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0)) return 29;
    return md[m - 1];
}

static struct hd_ymd ymd(int y, int m, int d)
{
    struct hd_ymd r = {y, m, d};
    return r;
}

/* ---- token reading ---- */

struct scan {
    const struct hd_tokens *tk;
    size_t to;
    struct hd_ymd ref;
};

static const char *key_at(const struct scan *s, size_t i)
{
    return i < s->to ? s->tk->v[i].key : "";
}

static int in_group(const char *key, enum group g)
{
    struct wkey k = {(char *)key, 0};
    const struct wkey *w = bsearch(&k, wkeys, nwkeys, sizeof *wkeys, cmp_wkey);
    return w && (w->groups & (1u << g));
}

static int has_article(const char *key)
{
    return strncmp(key, "\u0627\u0644", 4) == 0; /* ال */
}

static int is(const struct scan *s, size_t i, enum group g)
{
    return i < s->to && in_group(key_at(s, i), g);
}

/* A number at token i: "19", or "و20" when the conjunction stuck to it. */
static int number_at(const struct scan *s, size_t i, int *val)
{
    if (i >= s->to) return 0;
    const char *k = key_at(s, i);
    if (strncmp(k, "\u0648", 2) == 0 && k[2] >= '0' && k[2] <= '9') k += 2;
    if (*k < '0' || *k > '9') return 0;
    char *end;
    long v = strtol(k, &end, 10);
    if (*end && strcmp(end, "\u0645") != 0) return 0; /* 2024م */
    if (v < 0 || v > 99999) return 0;
    *val = (int)v;
    return 1;
}

static int is_year(int v)
{
    return v >= 1900 && v <= 2100;
}

/* A month name at token i, perhaps with its twin after a slash (يوليو/تموز)
 * or in two words (كانون الثاني); *last is its last token. */
static int month_at(const struct scan *s, size_t i, size_t *last)
{
    if (i >= s->to || s->tk->v[i].kind != HD_TOKEN_WORD) return 0;
    int m = 0;
    size_t l = i;
    if (i + 1 < s->to) {
        char two[160];
        snprintf(two, sizeof two, "%s %s", key_at(s, i), key_at(s, i + 1));
        if ((m = hd_month_by_name(two)) > 0 && m <= 12) l = i + 1;
    }
    if (!m || m > 12) {
        m = hd_month_by_name(key_at(s, i));
        if (m <= 0 || m > 12) return 0;
        l = i;
    }
    /* the twin: "/" then a name of the same month */
    if (l + 2 < s->to && strcmp(key_at(s, l + 1), "/") == 0) {
        char two[160];
        snprintf(two, sizeof two, "%s %s", key_at(s, l + 2), key_at(s, l + 3));
        if (l + 3 < s->to && hd_month_by_name(two) == m)
            l += 3;
        else if (hd_month_by_name(key_at(s, l + 2)) == m)
            l += 2;
    }
    *last = l;
    return m;
}

/* The weekday (0 = Sunday) named at token i, or -1; with_and also takes
 * one that the conjunction و sticks to (والأربعاء). */
static int weekday_and(const struct scan *s, size_t i, int with_and)
{
    if (i >= s->to) return -1;
    const char *k = key_at(s, i);
    if (with_and && strncmp(k, "\u0648", 2) == 0) k += 2;
    for (int l = 0; l < 2; l++)
        for (int d = 0; d < 7; d++)
            if (weekday_keys[l][d] && strcmp(weekday_keys[l][d], k) == 0) return d;
    return -1;
}

static int weekday_at(const struct scan *s, size_t i)
{
    return weekday_and(s, i, 0);
}

/* ---- results ---- */

static void set_day(struct hd_timex *t, struct hd_ymd a, struct hd_ymd b)
{
    t->start = a, t->end = b, t->precision = HD_PREC_DAY;
}

static void set_month(struct hd_timex *t, int y, int m)
{
    t->start = ymd(y, m, 1), t->end = ymd(y, m, month_days(y, m));
    t->precision = HD_PREC_MONTH;
}

static void set_year(struct hd_timex *t, int y)
{
    t->start = ymd(y, 1, 1), t->end = ymd(y, 12, 31), t->precision = HD_PREC_YEAR;
}

static int ref_day(const struct scan *s, long *days)
{
    if (!s->ref.y || !s->ref.m || !s->ref.d) return 0;
    *days = days_from_civil(s->ref.y, s->ref.m, s->ref.d);
    return 1;
}

/* A month named with no year: the reference year, moved by الماضي/المقبل
 * to the last or next such month. */
static void month_relative(const struct scan *s, struct hd_timex *t, int m, int dir)
{
    t->relative = 1;
    if (!s->ref.y) return;
    int y = s->ref.y;
    if (dir && !s->ref.m) return;
    if (dir < 0 && m >= s->ref.m) y--;
    if (dir > 0 && m <= s->ref.m) y++;
    set_month(t, y, m);
}

/* An explicit date at i: [weekday] D [و D] month [من] [عام] [YYYY], or
 * month [من] [عام] YYYY, or عام YYYY. Returns the tokens it took, 0 if none. */
static size_t explicit_at(const struct scan *s, size_t i, struct hd_timex *t)
{
    size_t j = i, last;
    int d1 = 0, d2 = 0, m, y = 0;
    if (is(s, j, G_DAYWORD) && number_at(s, j + 1, &d1)) j++; /* يومي 19 و20 */
    if (weekday_at(s, j) >= 0 && number_at(s, j + 1, &d1)) j++;
    if (number_at(s, j, &d1) && d1 >= 1 && d1 <= 31) {
        size_t k = j + 1;
        if (is(s, k, G_AND) && number_at(s, k + 1, &d2))
            k += 2;
        else if (number_at(s, k, &d2) && strncmp(key_at(s, k), "\u0648", 2) == 0)
            k += 1;
        else
            d2 = 0;
        if ((m = month_at(s, k, &last)) > 0) {
            size_t e = last;
            if (is(s, e + 1, G_FROM) && is(s, e + 2, G_YEARW))
                e += 2;
            else if (is(s, e + 1, G_YEARW))
                e += 1;
            if (number_at(s, e + 1, &y) && is_year(y))
                e++;
            else
                y = 0, e = last;
            if (is(s, e + 1, G_ERA)) e++;
            t->first = i, t->last = e;
            if (!y) {
                int dir = is(s, e + 1, G_PAST) ? -1 : is(s, e + 1, G_NEXT) ? 1 : 0;
                if (dir || is(s, e + 1, G_CURRENT)) t->last = ++e;
                t->future = dir > 0;
                struct hd_timex mt = *t;
                month_relative(s, &mt, m, dir);
                if (mt.precision == HD_PREC_UNKNOWN) {
                    t->relative = 1;
                    return e - i + 1;
                }
                y = mt.start.y;
                t->relative = 1;
            }
            if (d2 < d1) d2 = d1;
            if (!hd_date_valid(y, m, d1) || !hd_date_valid(y, m, d2)) return 0;
            set_day(t, ymd(y, m, d1), ymd(y, m, d2));
            return e - i + 1;
        }
    }
    /* month [/month] [من] [عام] YYYY */
    j = i;
    if ((m = month_at(s, j, &last)) > 0) {
        size_t e = last;
        if (is(s, e + 1, G_FROM) && is(s, e + 2, G_YEARW))
            e += 2;
        else if (is(s, e + 1, G_YEARW))
            e += 1;
        if (number_at(s, e + 1, &y) && is_year(y)) {
            e++;
            if (is(s, e + 1, G_ERA)) e++;
            t->first = i, t->last = e;
            set_month(t, y, m);
            return e - i + 1;
        }
        /* a month alone: only after a word that makes it a date (في مارس), or
         * with الماضي/المقبل/الجاري, since some names are also words (مارس، آب) */
        e = last;
        int dir = is(s, e + 1, G_PAST) ? -1 : is(s, e + 1, G_NEXT) ? 1 : 0;
        int cur = is(s, e + 1, G_CURRENT);
        int cued = i > 0 && in_group(key_at(s, i - 1), G_BEFORE);
        if (!dir && !cur && !cued) return 0;
        if (dir || cur) e++;
        t->first = i, t->last = e, t->future = dir > 0;
        month_relative(s, t, m, dir);
        return e - i + 1;
    }
    /* عام 2014 / في 2014 */
    if (is(s, i, G_YEARW) && number_at(s, i + 1, &y) && is_year(y)) {
        size_t e = i + 1;
        if (is(s, e + 1, G_ERA)) e++;
        t->first = i, t->last = e;
        set_year(t, y);
        return e - i + 1;
    }
    if (number_at(s, i, &y) && is_year(y) && i > 0 && in_group(key_at(s, i - 1), G_BEFORE) &&
        s->tk->v[i].kind == HD_TOKEN_NUMBER) {
        t->first = t->last = i;
        set_year(t, y);
        return 1;
    }
    return 0;
}

/* A relative expression at i. */
static size_t relative_at(const struct scan *s, size_t i, struct hd_timex *t)
{
    long today = 0;
    int have = ref_day(s, &today);
    int wd, n = 0;
    size_t j = i;
    t->relative = 1;
    if (is(s, j, G_DAYWORD) && weekday_at(s, j + 1) >= 0) j++;
    /* اليوم/أمس before a weekday: the weekday decides */
    if ((is(s, j, G_TODAY) || is(s, j, G_YESTERDAY)) && weekday_at(s, j + 1) >= 0) j++;
    if ((wd = weekday_at(s, j)) >= 0) {
        int dir = is(s, j + 1, G_PAST) ? -1 : is(s, j + 1, G_NEXT) ? 1 : 0;
        size_t e = j + (dir != 0);
        t->first = i, t->last = e, t->future = dir > 0;
        /* "يومي الثلاثاء والأربعاء": a second weekday makes a range */
        int wd2 = -1;
        if (i + 1 == j && is(s, i, G_DAYWORD)) {
            if (is(s, e + 1, G_AND) && (wd2 = weekday_at(s, e + 2)) >= 0)
                t->last = e + 2;
            else if ((wd2 = weekday_and(s, e + 1, 1)) >= 0)
                t->last = e + 1;
        }
        if (have) {
            long d;
            int back = (weekday_of(today) - wd + 7) % 7;
            int fwd = (wd - weekday_of(today) + 7) % 7;
            if (dir > 0)
                d = today + (fwd ? fwd : 7);
            else if (dir < 0)
                d = today - (back ? back : 7);
            else
                d = today - back;
            long d2 = d;
            if (wd2 >= 0) d2 = d + (wd2 - wd + 7) % 7;
            set_day(t, civil_from_days(d), civil_from_days(d2));
        }
        return t->last - i + 1;
    }
    if (is(s, i, G_FIRST) && is(s, i + 1, G_YESTERDAY)) {
        t->first = i, t->last = i + 1;
        if (have) set_day(t, civil_from_days(today - 2), civil_from_days(today - 2));
        return 2;
    }
    if (is(s, i, G_YESTERDAY) || is(s, i, G_TOMORROW) ||
        (is(s, i, G_TODAY) && !is(s, i - 1, G_FIRST))) {
        /* "اليوم" heads a noun phrase sometimes (اليوم الوطني): not a date then */
        const char *next = key_at(s, i + 1);
        if (is(s, i, G_TODAY) && has_article(next)) return 0;
        int off = is(s, i, G_YESTERDAY) ? -1 : is(s, i, G_TOMORROW) ? 1 : 0;
        t->first = t->last = i, t->future = off > 0;
        if (have) set_day(t, civil_from_days(today + off), civil_from_days(today + off));
        return 1;
    }
    /* الأسبوع/الشهر/العام + الماضي/المقبل/الجاري, or هذا + الأسبوع/الشهر/العام */
    int unit = is(s, i, G_WEEK) ? 1 : is(s, i, G_MONTHW) ? 2 : (is(s, i, G_YEARW) ? 3 : 0);
    int dir = 0;
    if (!unit && is(s, i, G_CURRENT) &&
        (is(s, i + 1, G_WEEK) || is(s, i + 1, G_MONTHW) ||
         (is(s, i + 1, G_YEARW) && has_article(key_at(s, i + 1))))) {
        unit = is(s, i + 1, G_WEEK) ? 1 : is(s, i + 1, G_MONTHW) ? 2 : 3;
    } else if (unit) {
        if (!has_article(key_at(s, i)))
            unit = 0; /* العام, not عام */
        else if (is(s, i + 1, G_PAST))
            dir = -1;
        else if (is(s, i + 1, G_NEXT))
            dir = 1;
        else if (!is(s, i + 1, G_CURRENT))
            unit = 0;
    }
    if (unit) {
        t->first = i, t->last = i + 1, t->future = dir > 0;
        if (unit == 1 && have) { /* weeks run Monday to Sunday */
            long monday = today - (weekday_of(today) + 6) % 7 + 7 * dir;
            set_day(t, civil_from_days(monday), civil_from_days(monday + 6));
        } else if (unit == 2 && s->ref.y && s->ref.m) {
            int y = s->ref.y, m = s->ref.m + dir;
            if (m < 1) m += 12, y--;
            if (m > 12) m -= 12, y++;
            set_month(t, y, m);
        } else if (unit == 3 && s->ref.y) {
            set_year(t, s->ref.y + dir);
        }
        return 2;
    }
    /* منذ N عاما */
    if (is(s, i, G_SINCE)) {
        size_t e = i + 1;
        int months = 0;
        if (is(s, e, G_TWOYEARS))
            n = 2;
        else if (is(s, e, G_TWOMONTHS))
            n = 2, months = 1;
        else if (number_at(s, e, &n) && n > 0 && n < 200 &&
                 (is(s, e + 1, G_YEARS) || is(s, e + 1, G_MONTHS)))
            months = is(s, e + 1, G_MONTHS), e++;
        else
            return 0;
        t->first = i, t->last = e;
        if (!months && s->ref.y)
            set_year(t, s->ref.y - n);
        else if (months && s->ref.y && s->ref.m) {
            int total = s->ref.y * 12 + (s->ref.m - 1) - n;
            set_month(t, total / 12, total % 12 + 1);
        }
        return e - i + 1;
    }
    return 0;
}

/* A token that may start a time expression; most tokens of a text are not,
 * and this is asked of every one. */
static int maybe_time(const struct scan *s, size_t i)
{
    static const char *const first_of_two[] = {"كانون", "تشرين", "ربيع", "جمادي", "ذو"};
    const char *k = key_at(s, i);
    if (s->tk->v[i].kind == HD_TOKEN_NUMBER || (*k >= '0' && *k <= '9')) return 1;
    if (s->tk->v[i].kind != HD_TOKEN_WORD) return 0;
    struct wkey w = {(char *)k, 0};
    if (bsearch(&w, wkeys, nwkeys, sizeof *wkeys, cmp_wkey)) return 1;
    if (hd_month_by_name(k) > 0 || weekday_at(s, i) >= 0) return 1;
    for (size_t j = 0; j < sizeof first_of_two / sizeof *first_of_two; j++)
        if (!strcmp(k, first_of_two[j])) return 1;
    return 0;
}

size_t hd_timex_scan(const struct hd_tokens *tk, size_t from, size_t to, struct hd_ymd ref,
                     struct hd_timex *out, size_t max)
{
    pthread_once(&once, load);
    struct scan s = {tk, to < tk->n ? to : tk->n, ref};
    size_t n = 0;
    for (size_t i = from; i < s.to && n < max;) {
        struct hd_timex t;
        if (!maybe_time(&s, i)) {
            i++;
            continue;
        }
        memset(&t, 0, sizeof t);
        size_t took = explicit_at(&s, i, &t);
        if (!took) {
            memset(&t, 0, sizeof t);
            took = relative_at(&s, i, &t);
        }
        if (took) {
            out[n++] = t;
            i = t.last + 1;
        } else {
            i++;
        }
    }
    return n;
}

int hd_timex_infer_reference(const struct hd_tokens *tk, const size_t *sent, size_t nsent,
                             struct hd_ymd *out)
{
    pthread_once(&once, load);
    struct hd_ymd none = {0, 0, 0};
    int year = 0, month = 0;
    for (size_t k = 0; k < nsent; k++) {
        struct scan s = {tk, sent[2 * k + 1], none};
        int explicit_year = 0, ago = 0;
        for (size_t i = sent[2 * k]; i < s.to && !month; i++) {
            size_t last;
            if (!maybe_time(&s, i)) continue;
            int m = month_at(&s, i, &last);
            if (m && is(&s, last + 1, G_CURRENT)) month = m;
        }
        for (size_t i = sent[2 * k]; i < s.to; i++) {
            struct hd_timex t;
            if (!maybe_time(&s, i)) continue;
            memset(&t, 0, sizeof t);
            size_t took = explicit_at(&s, i, &t);
            if (took && !t.relative && t.precision != HD_PREC_UNKNOWN && !explicit_year)
                explicit_year = t.start.y;
            if (took) {
                i = t.last;
                continue;
            }
            int n;
            if (is(&s, i, G_SINCE) && number_at(&s, i + 1, &n) && is(&s, i + 2, G_YEARS) && !ago)
                ago = n;
        }
        if (explicit_year && ago && !year) year = explicit_year + ago;
    }
    if (!year) return 0;
    out->y = year, out->m = month, out->d = 0;
    return 1;
}

void hd_ymd_format(struct hd_ymd d, char out[11])
{
    unsigned y = (unsigned)d.y % 10000u, m = (unsigned)d.m % 100u, dd = (unsigned)d.d % 100u;
    if (!d.y)
        out[0] = 0;
    else if (!d.m)
        snprintf(out, 11, "%04u", y);
    else if (!d.d)
        snprintf(out, 11, "%04u-%02u", y, m);
    else
        snprintf(out, 11, "%04u-%02u-%02u", y, m, dd);
}

int hd_ymd_parse(const char *s, struct hd_ymd *out)
{
    int y = 0, m = 0, d = 0, n = 0;
    if (!s) return 0;
    if (sscanf(s, "%4d-%2d-%2d%n", &y, &m, &d, &n) == 3 && n == 10 && hd_date_valid(y, m, d)) {
        *out = ymd(y, m, d);
        return 1;
    }
    if (sscanf(s, "%4d-%2d%n", &y, &m, &n) == 2 && n == 7 && m >= 1 && m <= 12) {
        *out = ymd(y, m, 0);
        return 1;
    }
    if (sscanf(s, "%4d%n", &y, &n) == 1 && n == 4 && y >= 1000) {
        *out = ymd(y, 0, 0);
        return 1;
    }
    return 0;
}

const char *hd_precision_name(enum hd_precision p)
{
    static const char *const names[] = {"unknown", "year", "month", "day"};
    return (unsigned)p < 4 ? names[p] : "unknown";
}
