/* Datelines in the spellings of several Arabic naming schools and formats. */
#include <string.h>

#include "check.h"
#include "dates.h"

static const char *line(const char *s)
{
    static char iso[11];
    return hd_date_line(s, strlen(s), iso) ? iso : "none";
}

int main(void)
{
    CHECK_STR(line("14 سبتمبر 2024"), "2024-09-14");
    CHECK_STR(line("الخميس 14 سبتمبر 2024"), "2024-09-14");
    CHECK_STR(line("14 أيلول/سبتمبر 2024"), "2024-09-14"); /* Levantine and Egyptian names */
    CHECK_STR(line("٣ كانون الثاني ٢٠٢٤"), "2024-01-03");  /* Arabic-Indic digits */
    CHECK_STR(line("3 جانفي 2024"), "2024-01-03");         /* Maghreb */
    CHECK_STR(line("2024-09-14"), "2024-09-14");
    CHECK_STR(line("14/09/2024 - 10:35 ص"), "2024-09-14");
    CHECK_STR(line("نشر في: الإثنين 17 يونيو 2024م"), "2024-06-17");
    CHECK_STR(line("September 14, 2024"), "2024-09-14");
    CHECK_STR(line("آخر تحديث: 1 مايو/أيار 2023 - 13:05 بتوقيت مكة المكرمة"), "2023-05-01");
    /* Hijri datelines, converted through ICU's Umm al-Qura calendar */
    CHECK_STR(line("15 شوال 1436 هـ"), "2015-07-31");
    CHECK_STR(line("الخميس 13 رمضان 1445هـ"), "2024-03-23");
    CHECK_STR(line("1 ذو الحجة 1444 هـ"), "2023-06-19");
    CHECK_STR(line("14/10/1436 هـ"), "2015-07-30");
    CHECK_STR(line("30 شعبان 1445 هـ"), "none"); /* Sha'ban 1445 had 29 days */
    /* not datelines */
    CHECK_STR(line("14 سبتمبر"), "none");
    CHECK_STR(line("31 فبراير 2024"), "none");
    CHECK_STR(line("14 سبتمبر/أكتوبر 2024"), "none");
    CHECK_STR(line("زار بوتين بيونغ يانغ في 19 يونيو 2024"), "none");
    CHECK_STR(line("العام 2024"), "none");
    CHECK_STR(line("2024"), "none");

    char out[32];
    CHECK(hd_date_normalize("2024-06-18", out, sizeof out) && !strcmp(out, "2024-06-18"), "%s",
          out);
    CHECK(hd_date_normalize("2015-08-01 12:30:00", out, sizeof out) &&
              !strcmp(out, "2015-08-01T12:30:00"),
          "%s", out);
    CHECK(hd_date_normalize("2024-06-18T09:30:00+03:00", out, sizeof out) &&
              !strcmp(out, "2024-06-18T09:30:00+03:00"),
          "%s", out);
    CHECK(!hd_date_normalize("2024-13-01", out, sizeof out), "month 13 accepted");
    CHECK(!hd_date_normalize("yesterday", out, sizeof out), "a word accepted");
    CHECK(hd_date_valid(2024, 2, 29) && !hd_date_valid(2023, 2, 29), "leap years");
    return check_done("dates");
}
