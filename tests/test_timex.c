/* Time expressions in running text: explicit dates in the press's forms and
 * relative ones read against a publication date. */
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "timex.h"
#include "tokens.h"

static struct hd_segmenter *sg;

/* The first expression of s read against ref, as "START..END/precision",
 * "text-only" when unresolved, "none" when there is none. */
static const char *first(const char *s, struct hd_ymd ref)
{
    static char out[64];
    struct hd_tokens tk;
    struct hd_timex t[4];
    if (hd_tokenize(sg, s, strlen(s), &tk) < 0) return "error";
    size_t n = hd_timex_scan(&tk, 0, tk.n, ref, t, 4);
    hd_tokens_free(&tk);
    if (!n) return "none";
    if (t[0].precision == HD_PREC_UNKNOWN) return "unresolved";
    char a[11], b[11];
    hd_ymd_format(t[0].start, a), hd_ymd_format(t[0].end, b);
    snprintf(out, sizeof out, "%s..%s/%s%s", a, b, hd_precision_name(t[0].precision),
             t[0].future ? "+" : "");
    return out;
}

static const char *inferred(const char *s)
{
    static char out[16];
    struct hd_tokens tk;
    if (hd_tokenize(sg, s, strlen(s), &tk) < 0) return "error";
    size_t sent[2] = {0, tk.n};
    struct hd_ymd d;
    int ok = hd_timex_infer_reference(&tk, sent, 1, &d);
    hd_tokens_free(&tk);
    if (!ok) return "none";
    hd_ymd_format(d, out);
    return out;
}

int main(void)
{
    char err[200];
    sg = hd_segmenter_new(err, sizeof err);
    if (!sg) return fprintf(stderr, "%s\n", err), 1;
    struct hd_ymd tue = {2024, 6, 18}, none = {0, 0, 0};
    (void)none;
    /* explicit */
    CHECK_STR(first("التقى الوزيران في 13 سبتمبر 2024 في أنقرة", tue),
              "2024-09-13..2024-09-13/day");
    CHECK_STR(first("في يوليو/تموز 2023 خلال احتفالات", tue), "2023-07-01..2023-07-31/month");
    CHECK_STR(first("في أيلول/سبتمبر من عام 2023", tue), "2023-09-01..2023-09-30/month");
    CHECK_STR(first("سيزور فيتنام يومي 19 و20 يونيو", tue), "2024-06-19..2024-06-20/day");
    CHECK_STR(first("ألغى في عام 2014 معظم الديون", tue), "2014-01-01..2014-12-31/year");
    CHECK_STR(first("وقعا الاتفاق في ١٥ مارس ٢٠٢٥", tue), "2025-03-15..2025-03-15/day");
    CHECK_STR(first("منذ كانون الثاني 2020", tue), "2020-01-01..2020-01-31/month");
    CHECK_STR(first("الخميس 14 نوفمبر 2019", tue), "2019-11-14..2019-11-14/day");
    /* relative to Tuesday 18 June 2024 */
    CHECK_STR(first("قال أمس الاثنين", tue), "2024-06-17..2024-06-17/day");
    CHECK_STR(first("أعلن اليوم", tue), "2024-06-18..2024-06-18/day");
    CHECK_STR(first("وصل الأربعاء إلى", tue), "2024-06-12..2024-06-12/day");
    CHECK_STR(first("التقى الاثنين الماضي", tue), "2024-06-17..2024-06-17/day");
    CHECK_STR(first("يزور الجمعة المقبلة", tue), "2024-06-21..2024-06-21/day+");
    CHECK_STR(first("يومي الثلاثاء والأربعاء", tue), "2024-06-18..2024-06-19/day");
    CHECK_STR(first("خلال الأسبوع الماضي", tue), "2024-06-10..2024-06-16/day");
    CHECK_STR(first("في مايو الماضي", tue), "2024-05-01..2024-05-31/month");
    CHECK_STR(first("في يونيو الماضي", tue), "2023-06-01..2023-06-30/month");
    CHECK_STR(first("الشهر المقبل", tue), "2024-07-01..2024-07-31/month+");
    CHECK_STR(first("في العام الماضي", tue), "2023-01-01..2023-12-31/year");
    CHECK_STR(first("هذا العام", tue), "2024-01-01..2024-12-31/year");
    CHECK_STR(first("لأول مرة منذ 24 عاما", tue), "2000-01-01..2000-12-31/year");
    /* without a publication date: found, not resolved */
    CHECK_STR(first("قال أمس", none), "unresolved");
    CHECK_STR(first("في يونيو الماضي", none), "unresolved");
    /* not dates */
    CHECK_STR(first("بمناسبة اليوم الوطني", tue), "none");
    CHECK_STR(first("مارس الضغوط على الحكومة", tue), "none");
    CHECK_STR(first("أرسل 10 آلاف جندي", tue), "none");
    CHECK_STR(first("قتل 2000 شخص", tue), "none");
    /* the publication year from "N years since" a dated event */
    CHECK_STR(inferred("أول زيارة منذ 24 عاماً، إذ كانت آخر زيارة له في يوليو 2000"), "2024");
    CHECK_STR(inferred("مقررة يومي 19 و20 يونيو الجاري، وهي الأولى منذ 24 عاما بعد زيارة عام 2000"),
              "2024-06");
    CHECK_STR(inferred("الزيارة الأولى منذ 24 عاما"), "none");

    char out[11];
    struct hd_ymd d;
    CHECK(hd_ymd_parse("2024-06-18T10:00:00Z", &d) && d.d == 18, "parse");
    hd_ymd_format(d, out);
    CHECK_STR(out, "2024-06-18");
    CHECK(hd_ymd_parse("2024-06", &d) && d.m == 6 && d.d == 0, "parse month");
    CHECK(!hd_ymd_parse("June", &d), "parse junk");
    hd_segmenter_free(sg);
    return check_done("timex");
}
