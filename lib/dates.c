/* Datelines. ICU supplies the month names of each Arabic naming school (the
 * Egyptian/Gulf transliterations, the Levantine and Iraqi Syriac names, the
 * Maghreb's French-derived ones) and the weekdays, so no list of them is kept
 * here; only the few words that label a dateline are data (datelabels.tsv). */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <unicode/ucal.h>
#include <unicode/udat.h>
#include <unicode/ustring.h>

#include "blob.h"
#include "dates.h"
#include "normalize.h"
#include "utf8.h"

#define MAX_NAMES 512
#define HIJRI     100 /* Hijri months are named 101..112 */

struct name {
    char *key;
    int value; /* month 1..12, or 0 for a weekday or a label word */
};

static struct name names[MAX_NAMES];
static int nnames;
static pthread_once_t once = PTHREAD_ONCE_INIT;

static void add_name(const char *utf8, int value)
{
    char *key = hd_normalize_key(utf8, strlen(utf8));
    if (!key || !*key || nnames == MAX_NAMES) {
        free(key);
        return;
    }
    for (int i = 0; i < nnames; i++)
        if (strcmp(names[i].key, key) == 0) {
            free(key);
            return;
        }
    names[nnames].key = key;
    names[nnames].value = value;
    nnames++;
}

/* Adds the symbols of one type: months get base + index (1..12 Gregorian,
 * 101..112 Hijri), weekdays (base 0) the value 0. */
static void add_symbols(UDateFormat *fmt, UDateFormatSymbolType type, int base)
{
    UErrorCode st = U_ZERO_ERROR;
    int n = udat_countSymbols(fmt, type);
    for (int i = 0; i < n; i++) {
        UChar buf[64];
        char utf8[256];
        st = U_ZERO_ERROR;
        int32_t len = udat_getSymbols(fmt, type, i, buf, 64, &st);
        if (U_FAILURE(st) || len <= 0) continue;
        u_strToUTF8(utf8, sizeof utf8, NULL, buf, len, &st);
        if (U_FAILURE(st)) continue;
        if (base && i < 12) add_name(utf8, base + i);
        if (!base) add_name(utf8, 0);
    }
}

static void load(void)
{
    /* The Gregorian calendar is asked for explicitly: ar_SA defaults to Umm al-Qura. */
    static const char *locales[] = {
        "ar@calendar=gregorian",    "ar_SY@calendar=gregorian", "ar_IQ@calendar=gregorian",
        "ar_LB@calendar=gregorian", "ar_MA@calendar=gregorian", "ar_DZ@calendar=gregorian",
        "ar_TN@calendar=gregorian", "ar_MR@calendar=gregorian", "en@calendar=gregorian"};
    for (size_t i = 0; i < sizeof locales / sizeof *locales; i++) {
        UErrorCode st = U_ZERO_ERROR;
        UDateFormat *fmt = udat_open(UDAT_DEFAULT, UDAT_DEFAULT, locales[i], NULL, 0, NULL, 0, &st);
        if (U_FAILURE(st)) continue;
        add_symbols(fmt, UDAT_MONTHS, 1);
        add_symbols(fmt, UDAT_STANDALONE_MONTHS, 1);
        add_symbols(fmt, UDAT_SHORT_MONTHS, 1);
        add_symbols(fmt, UDAT_WEEKDAYS, 0);
        udat_close(fmt);
    }
    /* Hijri month names (رمضان، شوال، ذو القعدة) from ICU's Islamic calendars */
    static const char *hijri[] = {"ar@calendar=islamic-umalqura", "ar@calendar=islamic"};
    for (size_t i = 0; i < 2; i++) {
        UErrorCode st = U_ZERO_ERROR;
        UDateFormat *fmt = udat_open(UDAT_DEFAULT, UDAT_DEFAULT, hijri[i], NULL, 0, NULL, 0, &st);
        if (U_FAILURE(st)) continue;
        add_symbols(fmt, UDAT_MONTHS, HIJRI + 1);
        add_symbols(fmt, UDAT_STANDALONE_MONTHS, HIJRI + 1);
        udat_close(fmt);
    }
    const struct hd_blob *b = hd_blob_get("datelabels.tsv");
    if (!b) return;
    const char *p = b->data, *end = b->data + b->len;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        if (!nl) nl = end;
        const char *tab = memchr(p, '\t', (size_t)(nl - p));
        if (p < nl && *p != '#') {
            char word[128];
            size_t n = (size_t)((tab ? tab : nl) - p);
            if (n < sizeof word) {
                memcpy(word, p, n);
                word[n] = 0;
                add_name(word, 0);
            }
        }
        p = nl + 1;
    }
}

static int cmp_name(const void *a, const void *b)
{
    return strcmp(((const struct name *)a)->key, ((const struct name *)b)->key);
}

/* Loads the names and sorts them: every token of a text is looked up. */
static void load_sorted(void)
{
    load();
    qsort(names, (size_t)nnames, sizeof *names, cmp_name);
}

static const struct name *lookup(const char *key)
{
    pthread_once(&once, load_sorted);
    struct name k = {(char *)key, 0};
    return bsearch(&k, names, (size_t)nnames, sizeof *names, cmp_name);
}

int hd_month_by_name(const char *key)
{
    const struct name *n = lookup(key);
    return n ? n->value : 0;
}

int hd_date_valid(int y, int m, int d)
{
    static const int mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (y < 1000 || y > 2999 || m < 1 || m > 12 || d < 1 || d > mdays[m - 1]) return 0;
    if (m == 2 && d == 29 && !((y % 4 == 0 && y % 100 != 0) || y % 400 == 0)) return 0;
    return 1;
}

static int all_digits(const char *s)
{
    if (!*s) return 0;
    for (; *s; s++)
        if (*s < '0' || *s > '9') return 0;
    return 1;
}

/* hh:mm or hh:mm:ss */
static int is_time(const char *s)
{
    int h, m, n = 0;
    if (sscanf(s, "%2d:%2d%n", &h, &m, &n) != 2 || h > 24 || m > 59) return 0;
    if (s[n] == 0) return 1;
    int sec, n2 = 0;
    return sscanf(s + n, ":%2d%n", &sec, &n2) == 1 && s[n + n2] == 0;
}

/* Words that may stand beside a time: am/pm in Arabic and English, time zones. */
static int is_time_word(const char *s)
{
    static const char *w[] = {"ص",   "م",       "am",     "pm",     "gmt",   "utc",
                              "ت.غ", "تغ",      "مساء",   "صباحا",  "ظهرا",  "بتوقيت",
                              "مكه", "المكرمه", "الساعه", "غرينتش", "جرينتش"};
    for (size_t i = 0; i < sizeof w / sizeof *w; i++)
        if (strcmp(s, w[i]) == 0) return 1;
    return 0;
}

/* Writes a validated date; the modulos only tell the compiler the widths. */
static void format_iso(char iso[11], int y, int m, int d)
{
    snprintf(iso, 11, "%04u-%02u-%02u", (unsigned)y % 10000u, (unsigned)m % 100u,
             (unsigned)d % 100u);
}

/* "هـ" (after folding "ه") and the words for the Hijri era. */
static int is_hijri_mark(const char *s)
{
    return strcmp(s, "ه") == 0 || strcmp(s, "هجري") == 0 || strcmp(s, "هجريه") == 0;
}

/* A date of the Umm al-Qura calendar (the one Saudi Arabia and most Arabic
 * papers print) as a Gregorian ISO date, converted by ICU. */
static int hijri_to_iso(int y, int m, int d, char iso[11])
{
    static const UChar utc[] = {'U', 'T', 'C', 0};
    if (y < 1300 || y > 1600 || m < 1 || m > 12 || d < 1 || d > 30) return 0;
    UErrorCode st = U_ZERO_ERROR;
    UCalendar *h = ucal_open(utc, 3, "ar@calendar=islamic-umalqura", UCAL_DEFAULT, &st);
    UCalendar *g = ucal_open(utc, 3, "en@calendar=gregorian", UCAL_GREGORIAN, &st);
    int ok = 0;
    if (U_SUCCESS(st)) {
        ucal_setAttribute(h, UCAL_LENIENT, 0); /* 30 of a 29-day month is an error */
        ucal_clear(h);
        ucal_setDate(h, y, m - 1, d, &st);
        UDate t = ucal_getMillis(h, &st);
        ucal_setMillis(g, t, &st);
        int gy = ucal_get(g, UCAL_YEAR, &st), gm = ucal_get(g, UCAL_MONTH, &st) + 1,
            gd = ucal_get(g, UCAL_DATE, &st);
        if (U_SUCCESS(st) && hd_date_valid(gy, gm, gd)) {
            format_iso(iso, gy, gm, gd);
            ok = 1;
        }
    }
    if (h) ucal_close(h);
    if (g) ucal_close(g);
    return ok;
}

int hd_date_line(const char *line, size_t len, char iso[11])
{
    if (len == 0 || len > 200) return 0;
    char *key = hd_normalize_key(line, len);
    if (!key) return 0;
    int nums[4], nlen[4], nn = 0, month = 0, month_at = -1, ok = 1, ntok = 0, hijri = 0;
    char *tok[32], *save = NULL;
    /* The Arabic comma is a separator too; strtok_r works on bytes, so blank it first. */
    for (char *c = key; (c = strstr(c, "\u060c")) != NULL;) c[0] = c[1] = ' ';
    for (char *t = strtok_r(key, " ,/-|()[]\"", &save); t;
         t = strtok_r(NULL, " ,/-|()[]\"", &save)) {
        if (ntok == 32) {
            free(key);
            return 0;
        }
        size_t tl = strlen(t);
        if (tl > 1 && t[tl - 1] == ':') t[--tl] = 0; /* "نشر في:" */
        /* A year written 2024م or 1436ه (the era marks) keeps its digits. */
        if (tl > 2 && t[0] >= '0' && t[0] <= '9') {
            if (strcmp(t + tl - 2, "م") == 0)
                t[tl - 2] = 0;
            else if (strcmp(t + tl - 2, "ه") == 0)
                t[tl - 2] = 0, hijri = 1;
        }
        tok[ntok++] = t;
    }
    for (int i = 0; i < ntok && ok; i++) {
        const char *t = tok[i];
        const struct name *nm = NULL;
        if (i + 1 < ntok) { /* two-word names: "كانون الثاني" */
            char two[128];
            snprintf(two, sizeof two, "%s %s", t, tok[i + 1]);
            if ((nm = lookup(two)) != NULL) i++;
        }
        if (!nm && all_digits(t)) {
            if (nn == 4) {
                ok = 0;
                break;
            }
            nlen[nn] = (int)strlen(t);
            nums[nn] = nlen[nn] <= 4 ? atoi(t) : -1;
            nn++;
            continue;
        }
        if (!nm && (is_time(t) || is_time_word(t))) continue;
        if (!nm && is_hijri_mark(t)) {
            hijri = 1;
            continue;
        }
        if (!nm) nm = lookup(t);
        if (!nm)
            ok = 0;
        else if (nm->value) {
            if (month && month != nm->value) ok = 0; /* "أيلول/سبتمبر" names one month twice */
            month = nm->value;
            month_at = nn;
        }
    }
    free(key);
    if (!ok) return 0;
    int y = 0, m = 0, d = 0;
    if (month) {
        /* "14 سبتمبر 2024" or "September 14, 2024": the day, then the year */
        if (nn != 2 || month_at > 1 || nlen[0] > 2 || nlen[1] != 4) return 0;
        d = nums[0], m = month, y = nums[1];
    } else if (nn == 3 && nlen[0] == 4) {
        y = nums[0], m = nums[1], d = nums[2];
    } else if (nn == 3 && nlen[2] == 4) {
        d = nums[0], m = nums[1], y = nums[2];
    } else {
        return 0;
    }
    if (m > HIJRI) m -= HIJRI, hijri = 1;
    if (hijri) return hijri_to_iso(y, m, d, iso);
    if (!hd_date_valid(y, m, d)) return 0;
    format_iso(iso, y, m, d);
    return 1;
}

int hd_date_normalize(const char *s, char *out, size_t outlen)
{
    int y, mo, d, h = 0, mi = 0, sec = 0, n = 0;
    if (outlen < 26) return 0;
    while (*s == ' ') s++;
    if (sscanf(s, "%4d-%2d-%2d%n", &y, &mo, &d, &n) == 3 && n == 10) {
        if (!hd_date_valid(y, mo, d)) return 0;
        const char *r = s + n;
        if (*r == 0 || (*r == ' ' && r[1] == 0)) {
            snprintf(out, outlen, "%04d-%02d-%02d", y, mo, d);
            return 1;
        }
        int n2 = 0;
        if ((*r == 'T' || *r == ' ') && sscanf(r + 1, "%2d:%2d%n", &h, &mi, &n2) == 2) {
            r += 1 + n2;
            int n3 = 0;
            if (*r == ':' && sscanf(r + 1, "%2d%n", &sec, &n3) == 1) r += 1 + n3;
            if (*r == '.') /* fractions of a second are dropped */
                for (r++; *r >= '0' && *r <= '9'; r++) {
                }
            if (h > 23 || mi > 59 || sec > 60) return 0;
            char zone[8] = "";
            if (*r == 'Z' && r[1] == 0)
                strcpy(zone, "Z");
            else if ((*r == '+' || *r == '-') && strlen(r) == 6 && r[3] == ':')
                snprintf(zone, sizeof zone, "%.6s", r);
            else if (*r != 0)
                return 0;
            snprintf(out, outlen, "%04d-%02d-%02dT%02d:%02d:%02d%s", y, mo, d, h, mi, sec, zone);
            return 1;
        }
        return 0;
    }
    char iso[11];
    if (hd_date_line(s, strlen(s), iso)) {
        snprintf(out, outlen, "%s", iso);
        return 1;
    }
    return 0;
}
