/* Publisher credits: the lexicons of news outlets (outlets.tsv) and credit
 * words (credits.tsv), and the shapes in which Arabic articles credit their
 * publisher, each read off one line of the page. */
#ifndef HD_CREDITS_H
#define HD_CREDITS_H

#include <stddef.h>

#include "furniture.h"

/* s[0..n) is the name or an alias of a news outlet ("رويترز", "أ ف ب", "AFP"). */
int hd_credit_outlet(const char *s, size_t n);

/* s[0..n) only says "follow-ups" or "exclusive" (متابعات، خاص). */
int hd_credit_generic(const char *s, size_t n);

/* s[0..n) has a word that names outlets (نيوز، برس، صحيفة). */
int hd_credit_outlet_word(const char *s, size_t n);

/* s[0..n) credits a photo: an outlet or a photo source (إكس، أرشيفية، Getty). */
int hd_credit_photo(const char *s, size_t n);

/* The functions below return a new string (the caller frees it), or NULL
 * when the line is not such a credit. */

/* A line that is only a dateline credit: "سول -رويترز", "موسكو (رويترز)",
 * "أنقرة/ الأناضول", "عين اليوم – متابعات". */
char *hd_credit_dateline(const struct hd_line *l);

/* The credit that opens a first paragraph: "صراحة نيوز- أشاد ...",
 * "القاهرة (رويترز) - قال ...", "عوض الفهمي- سبق- أضم: ...". */
char *hd_credit_lead(const struct hd_line *l);

/* A closing credit line: "(فرانس برس، العربي الجديد)", "المصدر: الجزيرة",
 * "- رويترز". */
char *hd_credit_closing(const struct hd_line *l);

/* Saudi Press Agency's dateline with both calendars: "واشنطن 15 شوال 1436 هـ
 * الموافق 31 يوليو 2015 م واس". Returns 1 and the Gregorian date in iso, and
 * the agency in *agency (or NULL), when the line is one. */
int hd_credit_dual_dateline(const struct hd_line *l, char iso[11], char **agency);

/* Cuts a site's name off a headline ("... | الجزيرة نت") in place and
 * returns it. */
char *hd_credit_title_site(char *title);

#endif
