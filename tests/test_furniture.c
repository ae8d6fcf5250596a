/* The furniture rules one at a time, on small made-up pages. */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "furniture.h"

/* Marks the page and returns, per line, 'F' furniture, 'T' title, '.' kept,
 * ' ' blank. */
static const char *verdicts(const char *page)
{
    static char out[64];
    struct hd_line *l;
    long n = hd_lines_new(page, strlen(page), &l);
    if (n < 0 || n >= (long)sizeof out) return "?";
    hd_furniture_mark(l, (size_t)n);
    for (long i = 0; i < n; i++)
        out[i] = l[i].blank ? ' ' : l[i].furniture ? 'F' : l[i].title ? 'T' : '.';
    out[n] = 0;
    hd_lines_free(l, (size_t)n);
    return out;
}

#define P "قال المتحدث باسم الوزارة إن الاجتماع سيعقد في العاصمة الأسبوع المقبل."
#define Q "وأضاف أن الوفد سيبحث ملفات التعاون الاقتصادي والأمني مع الجانب الآخر."

int main(void)
{
    /* a lone UI word, then the headline */
    CHECK_STR(verdicts("close\nعنوان الخبر الرئيسي هنا\n" Q), "FT.");
    /* a related-stories block runs to the next paragraph; its end marker too */
    CHECK_STR(verdicts("العنوان\n" P "\nاقرأ أيضا\nخبر آخر\n• خبر ثالث طويل بعض الشيء\n" Q),
              "T.FFF.");
    CHECK_STR(verdicts("العنوان\n" P
                       "\nقصص مقترحة\n• خبر\nقصص مقترحة نهاية\nعنوان فرعي في المقال هنا\n" Q),
              "T.FFF..");
    /* a footer ends the article */
    CHECK_STR(verdicts("العنوان\n" P "\n// انتهى //\n" Q), "T.FF");
    /* an inline label: "اقرأ أيضا: headline" */
    CHECK_STR(verdicts("العنوان\n" P "\nاقرأ أيضا: السيسي يستقبل وزير الخارجية\n" Q), "T.F.");
    /* a caption repeated verbatim goes, both copies; a repeated title once */
    CHECK_STR(verdicts("عنوان الخبر الرئيسي هنا\nالرئيس خلال زيارته إلى العاصمة أمس\n"
                       "الرئيس خلال زيارته إلى العاصمة أمس\n" P),
              "TFF.");
    CHECK_STR(verdicts("عنوان الخبر الرئيسي هنا\n" P "\nعنوان الخبر الرئيسي هنا"), "T.F");
    /* a repeated paragraph keeps its first copy */
    CHECK_STR(verdicts("العنوان\n" P "\n" Q "\n" P), "T..F");
    /* short repeated labels are content ("المقادير:" of each recipe) */
    CHECK_STR(verdicts("العنوان\nالمقادير:\n" P "\nالمقادير:\n" Q), "T....");
    /* captions need a photo credit; a numbered item is not a caption */
    CHECK_STR(verdicts("العنوان\nالوزير خلال المؤتمر الصحفي (رويترز)\n" Q), "TF.");
    CHECK_STR(verdicts("العنوان\nالوزير خلال المؤتمر الصحفي (ولاية ماريلاند)\n" Q), "T..");
    CHECK_STR(verdicts("العنوان\n1 - صورة الوزير خلال المؤتمر (رويترز)\n" Q), "T..");
    CHECK_STR(verdicts("العنوان\nالوزير في المؤتمر، 13 سبتمبر 2024 - Reuters\n" Q), "TF.");
    /* a short label beside furniture goes; a breadcrumb is not the title */
    CHECK_STR(verdicts("العنوان\n" P "\nشارك\nفيسبوك\n" Q), "T.FF.");
    CHECK_STR(verdicts("الرئيسية\nأخبار مصر\n\nالرئيس يستقبل رئيس الوزراء اليوناني\n" Q), "FF T.");
    /* a run of short lines is taken from whichever end touches furniture */
    CHECK_STR(verdicts("العنوان\n" P "\nأ ب\nج د\nهـ و\nclose"), "T.FFFF");
    CHECK_STR(verdicts("العنوان\n" P "\nclose\nأ ب\nج د\nهـ و\n" Q), "T.FFFF.");
    /* a short title stays the title */
    CHECK_STR(verdicts("أوباما وأحلام اليقظة\n" Q), "T.");
    /* lines the caller protects are spared by the layout rules */
    struct hd_line *l;
    const char *page = "العنوان\n" P "\nشارك\nسول -رويترز";
    long n = hd_lines_new(page, strlen(page), &l);
    CHECK(n == 4, "four lines, got %ld", n);
    if (n == 4) {
        l[3].keep = 1;
        hd_furniture_mark(l, 4);
        CHECK(l[2].furniture && !l[3].furniture, "keep spares a line beside furniture");
    }
    hd_lines_free(l, n > 0 ? (size_t)n : 0);
    return check_done("furniture");
}
