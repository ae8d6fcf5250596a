/* The sentence splitter on the cases that break naive splitters. */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "sentences.h"

static int split(const char *t, char out[][256], int max)
{
    struct hd_span *s;
    size_t n;
    if (hd_sentences_split(t, strlen(t), &s, &n) < 0) return -1;
    for (size_t i = 0; i < n && (int)i < max; i++)
        snprintf(out[i], 256, "%.*s", (int)(s[i].end - s[i].start), t + s[i].start);
    free(s);
    return (int)n;
}

int main(void)
{
    char s[8][256];
    int n;

    n = split("زيارة بوتين.. كوريا الشمالية تتباهى بعلاقاتها مع روسيا", s, 8);
    CHECK(n == 1, "headline '..' split into %d", n);

    n = split("قال الرئيس إن النمو بلغ 3.5 في المئة. وأضاف أن الوضع مستقر؟ نعم!", s, 8);
    CHECK(n == 3, "three sentences, got %d", n);
    if (n == 3) {
        CHECK_STR(s[0], "قال الرئيس إن النمو بلغ 3.5 في المئة.");
        CHECK_STR(s[1], "وأضاف أن الوضع مستقر؟");
        CHECK_STR(s[2], "نعم!");
    }

    n = split("The U.S. envoy arrived on Monday. He met officials.", s, 8);
    CHECK(n == 2, "U.S. split: %d", n);
    if (n == 2) CHECK_STR(s[0], "The U.S. envoy arrived on Monday.");

    n = split("وقال: \"لسنا قلقين بشأن الرحلة.\" ثم غادر القاعة.", s, 8);
    CHECK(n == 2, "closing quote: %d", n);
    if (n == 2) CHECK_STR(s[0], "وقال: \"لسنا قلقين بشأن الرحلة.\"");

    n = split("الفقرة الأولى بلا نقطة\nالفقرة الثانية.\n\n  \n", s, 8);
    CHECK(n == 2, "line ends: %d", n);
    if (n == 2) CHECK_STR(s[0], "الفقرة الأولى بلا نقطة");

    n = split("انتظر… ثم تكلم. موقع example.com يعمل", s, 8);
    CHECK(n == 3, "ellipsis and domain: %d", n);

    n = split("* . ! ؟", s, 8);
    CHECK(n == 0, "punctuation alone is no sentence: %d", n);

    n = split("", s, 8);
    CHECK(n == 0, "empty: %d", n);
    return check_done("sentences");
}
