/* Runs every case of tests/data/docs/: NAME.txt (with NAME.json if any) must
 * parse to what NAME.expect says: title, source, published, furniture lines
 * absent from the text, article lines present, and exact sentences. */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "document.h"
#include "ingest.h"
#include "utf8.h"

#define DIR_DOCS "tests/data/docs"

static int has_sentence(const struct hd_doc *d, const char *want)
{
    for (size_t i = 0; i < d->nsentences; i++) {
        size_t n = d->sentences[i].end - d->sentences[i].start;
        if (n == strlen(want) && memcmp(d->text + d->sentences[i].start, want, n) == 0) return 1;
    }
    return 0;
}

static void print_sentences(const struct hd_doc *d)
{
    for (size_t i = 0; i < d->nsentences; i++)
        fprintf(stderr, "    [%zu] %.*s\n", i, (int)(d->sentences[i].end - d->sentences[i].start),
                d->text + d->sentences[i].start);
}

static void run_case(const char *name)
{
    char path[1024];
    size_t len, slen = 0, elen;
    snprintf(path, sizeof path, DIR_DOCS "/%s.txt", name);
    char *text = hd_read_file(path, &len);
    snprintf(path, sizeof path, DIR_DOCS "/%s.json", name);
    char *side = hd_read_file(path, &slen);
    snprintf(path, sizeof path, DIR_DOCS "/%s.expect", name);
    char *expect = hd_read_file(path, &elen);
    CHECK(text && expect, "%s: cannot read the case", name);
    if (!text || !expect) goto out;
    char err[256];
    struct hd_doc *d = hd_doc_parse(text, len, side, slen, err, sizeof err);
    CHECK(d != NULL, "%s: parse failed: %s", name, err);
    if (!d) goto out;
    int sentence_failed = 0;
    for (char *line = strtok(expect, "\n"); line; line = strtok(NULL, "\n")) {
        if (line[0] == '#') continue;
        char *colon = strstr(line, ": ");
        if (!colon) continue;
        *colon = 0;
        const char *key = line, *val = colon + 2;
        const char *none = strcmp(val, "(none)") == 0 ? NULL : val;
        if (!strcmp(key, "title")) {
            CHECK(d->title && !strcmp(d->title, val), "%s: title \"%s\", want \"%s\"", name,
                  d->title, val);
        } else if (!strcmp(key, "source")) {
            CHECK(none ? d->source && !strcmp(d->source, val) : !d->source,
                  "%s: source \"%s\", want \"%s\"", name, d->source ? d->source : "(none)", val);
        } else if (!strcmp(key, "published")) {
            CHECK(none ? d->published && !strncmp(d->published, val, strlen(val)) : !d->published,
                  "%s: published \"%s\", want \"%s\"", name, d->published ? d->published : "(none)",
                  val);
        } else if (!strcmp(key, "published_source")) {
            CHECK(!strcmp(d->published_source, val), "%s: published_source %s, want %s", name,
                  d->published_source, val);
        } else if (!strcmp(key, "absent")) {
            CHECK(!strstr(d->text, val), "%s: furniture left in the text: %s", name, val);
        } else if (!strcmp(key, "present")) {
            CHECK(strstr(d->text, val) != NULL, "%s: article text lost: %s", name, val);
        } else if (!strcmp(key, "sentence")) {
            int ok = has_sentence(d, val);
            CHECK(ok, "%s: no sentence \"%s\"", name, val);
            sentence_failed |= !ok;
        }
    }
    if (sentence_failed) print_sentences(d);
    hd_doc_free(d);
out:
    free(text), free(side), free(expect);
}

int main(void)
{
    int cases = check_each_case(DIR_DOCS, run_case);
    CHECK(cases >= 5, "only %d cases in " DIR_DOCS, cases);

    /* A document that is not UTF-8 is refused with the byte offset. */
    char err[256] = "";
    struct hd_doc *d = hd_doc_parse("title\n\xff\xfe oops", 13, NULL, 0, err, sizeof err);
    CHECK(d == NULL && strstr(err, "UTF-8") && strstr(err, "byte 6"), "bad UTF-8: %s", err);
    hd_doc_free(d);
    /* Nothing but white space is no article. */
    d = hd_doc_parse(" \n\n \t\n", 6, NULL, 0, err, sizeof err);
    CHECK(d == NULL, "blank document parsed");
    hd_doc_free(d);
    /* A broken sidecar is an error, not silently ignored metadata. */
    const char *plain = "عنوان\n\nنص المقال هنا طويل بما يكفي ليكون فقرة حقيقية.";
    d = hd_doc_parse(plain, strlen(plain), "{oops", 5, err, sizeof err);
    CHECK(d == NULL && strstr(err, "sidecar"), "broken sidecar: %s", err);
    hd_doc_free(d);
    /* Metadata that is not usable is reported, and the article still loads. */
    d = hd_doc_parse(plain, strlen(plain), "{\"published\": \"tomorrow\"}", 25, err, sizeof err);
    CHECK(d && strstr(d->warning, "tomorrow") && !strcmp(d->published_source, "unknown"),
          "bad metadata date: %s", d ? d->warning : err);
    hd_doc_free(d);
    /* its quote is cut at a character (byte 60 was inside a letter; input
     * from fuzz/fuzz_document.c) */
    const char *side = "{\"published\": \"aغدا غدا غدا غدا غدا غدا غدا غدا غدا غدا غدا\"}";
    d = hd_doc_parse(plain, strlen(plain), side, strlen(side), err, sizeof err);
    CHECK(d && strstr(d->warning, "\"aغدا غدا غدا غدا غدا غدا غدا غدا غ\"") &&
              hd_utf8_invalid_at(d->warning, strlen(d->warning)) < 0,
          "a long bad date's warning: %s", d ? d->warning : err);
    hd_doc_free(d);
    /* a dateline credit ("e -واس") of a document with no text is freed
     * (fuzz/fuzz_document.c found it leaked; the ASan build's LeakSanitizer
     * tells) */
    const char *no_text = "انتهي\ne -واس\nى J p E ي ز.";
    d = hd_doc_parse(no_text, strlen(no_text), NULL, 0, err, sizeof err);
    CHECK(!d && strstr(err, "no text"), "a credit and no text: %s", err);
    d = hd_doc_parse(plain, strlen(plain), "[1, 2]", 6, err, sizeof err);
    CHECK(!d && strstr(err, "not an object"), "array sidecar: %s", err);
    hd_doc_free(d);

    /* Metadata wins over inference. */
    const char *fm = "---\ntitle: \"العنوان من البيانات\"\npublished: 2024-06-18T09:30:00Z\n"
                     "source: وكالة الأنباء\nurl: https://example.com/a\n---\n"
                     "عنوان آخر في النص\n\n15 مايو 2023\n\nالقاهرة - قال مسؤول إن المحادثات انتهت "
                     "اليوم دون اتفاق بين الطرفين.\n";
    d = hd_doc_parse(fm, strlen(fm), NULL, 0, err, sizeof err);
    CHECK(d != NULL, "front matter: %s", err);
    if (d) {
        CHECK_STR(d->title, "العنوان من البيانات");
        CHECK_STR(d->published, "2024-06-18T09:30:00Z");
        CHECK_STR(d->published_source, "metadata");
        CHECK_STR(d->source, "وكالة الأنباء");
        CHECK_STR(d->url, "https://example.com/a");
        CHECK(strstr(d->text, "عنوان آخر في النص") != NULL,
              "first line lost under a metadata title");
        CHECK(!strstr(d->text, "---"), "front matter left in the text");
    }
    hd_doc_free(d);
    /* HTML character references in scraped text are decoded. */
    const char *ent = "مسجد &quot;الإحسان&quot; &amp; &#1604;&#x644; &bogus; &#0;\n\nنص.";
    d = hd_doc_parse(ent, strlen(ent), NULL, 0, err, sizeof err);
    CHECK(d && !strcmp(d->title, "مسجد \"الإحسان\" & لل &bogus; &#0;"), "entities: %s",
          d ? d->title : err);
    hd_doc_free(d);

    /* A site's name after the headline is cut off and credits the publisher. */
    static const char *const titles[][3] = {
        {"بلينكن يصل إلى القاهرة في جولة جديدة | الجزيرة نت",
         "بلينكن يصل إلى القاهرة في جولة جديدة", "الجزيرة نت"},
        {"بوتين يزور بيونغ يانغ – سكاي نيوز عربية", "بوتين يزور بيونغ يانغ", "سكاي نيوز عربية"},
        {"وزير الخارجية - قراءة في نتائج الزيارة", "وزير الخارجية - قراءة في نتائج الزيارة", NULL},
    };
    for (size_t i = 0; i < sizeof titles / sizeof *titles; i++) {
        char doc[512];
        snprintf(doc, sizeof doc,
                 "%s\n\nقال المتحدث إن الاجتماع سيعقد الأسبوع المقبل في العاصمة.\n", titles[i][0]);
        d = hd_doc_parse(doc, strlen(doc), NULL, 0, err, sizeof err);
        CHECK(d != NULL, "%s", err);
        if (!d) continue;
        CHECK_STR(d->title, titles[i][1]);
        CHECK(titles[i][2] ? d->source && !strcmp(d->source, titles[i][2]) : !d->source,
              "site of \"%s\": %s", titles[i][0], d->source ? d->source : "(none)");
        CHECK(strncmp(d->text, titles[i][1], strlen(titles[i][1])) == 0 &&
                  !strstr(d->text + strlen(titles[i][1]), titles[i][1]),
              "the title once at the start of the text: %s", d->text);
        hd_doc_free(d);
    }

    /* Saudi Press Agency's dateline: both calendars and the agency. */
    const char *spa = "خادم الحرمين يتلقى اتصالا هاتفيا من الرئيس الأمريكي\n\n"
                      "واشنطن 15 شوال 1436 هـ الموافق 31 يوليو 2015 م واس\n"
                      "تلقى خادم الحرمين الشريفين اتصالا هاتفيا اليوم من الرئيس الأمريكي.\n";
    d = hd_doc_parse(spa, strlen(spa), NULL, 0, err, sizeof err);
    CHECK(d != NULL, "SPA dateline: %s", err);
    if (d) {
        CHECK_STR(d->published, "2015-07-31");
        CHECK_STR(d->published_source, "dateline");
        CHECK_STR(d->source, "واس");
        CHECK(strstr(d->text, "واشنطن 15 شوال") != NULL, "the SPA dateline left the text");
    }
    hd_doc_free(d);

    /* Publisher credits by their shape, in the forms real Arabic papers use;
     * reporters' names and cities are not publishers. */
    static const char *const credits[][2] = {
        {"سول -رويترز", "رويترز"},
        {"موسكو (رويترز)", "رويترز"},
        {"باريس - فرانس برس", "فرانس برس"},
        {"عين اليوم – متابعات", "عين اليوم"},
        {"سلوى سعد – متابعات", NULL},
        {"القاهرة - متابعات", NULL},
        {"سبق- الدمام: قالت مؤسسة جسر الملك فهد في بيان إنها ستعيد فتح الطريق اليوم.", "سبق"},
        {"عوض الفهمي- سبق- أضم: أعلنت جمعية البر الخيرية عن برنامج جديد لدعم الأسر.", "سبق"},
        {"فايز الحسيكي – عين اليوم / يبدو أن قضية المعلمة ما زالت تثير الجدل في المدينة.",
         "عين اليوم"},
        {"صراحة نيوز- أشاد الرئيس بالعلاقات التي تجمع البلدين في رسالة إلى نظيره أمس.",
         "صراحة نيوز"},
        {"القاهرة (رويترز) - قال مسؤولون إن المحادثات ستستأنف الأسبوع المقبل في العاصمة.",
         "رويترز"},
        {"القاهرة - قال مسؤولون إن المحادثات ستستأنف الأسبوع المقبل في العاصمة المصرية.", NULL},
        {"عبدالرحمن الشهري – نجران صرح المتحدث الإعلامي للدفاع المدني بأن الحريق أخمد.", NULL},
        {"وصل - بحفظ الله ورعايته - الملك إلى المغرب في إجازة خاصة يقضيها هناك هذا الشهر.", NULL},
        {"1 - الوثيقة المرجعية هي ممارسة تقوم بها الشركات الكبيرة ذات التاريخ الطويل.", NULL},
        {"وردا على ذلك، قامت أوكرانيا -التي تتعرض لاجتياح- بقطع العلاقات مع الدولة الأخرى.", NULL},
    };
    for (size_t i = 0; i < sizeof credits / sizeof *credits; i++) {
        char doc[1024];
        snprintf(doc, sizeof doc,
                 "عنوان الخبر\n\n%s\n\nوأضاف المسؤول أن الاجتماع المقبل سيعقد "
                 "في موعد لم يحدد بعد بين الطرفين.\n",
                 credits[i][0]);
        d = hd_doc_parse(doc, strlen(doc), NULL, 0, err, sizeof err);
        const char *want = credits[i][1], *got = d ? d->source : NULL;
        CHECK(d && ((!want && !got) || (want && got && !strcmp(want, got))),
              "credit \"%s\": got \"%s\", want \"%s\"", credits[i][0], got ? got : "(none)",
              want ? want : "(none)");
        hd_doc_free(d);
    }
    return check_done("document");
}
