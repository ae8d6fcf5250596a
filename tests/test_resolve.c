/* The resolver of entity parameters: one article is ingested into a store in
 * memory, then names in either script and several spellings must find its
 * entities, and only them. */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "ingest.h"
#include "resolve.h"

static struct hd_store *st;

/* The slugs value resolves to, sorted and joined with spaces. */
static const char *resolve(const char *value)
{
    static char out[1024];
    long long ids[16];
    int n = hd_resolve(st, value, ids, 16);
    char slugs[16][128];
    int k = 0;
    for (int i = 0; i < n && i < 16; i++) {
        sqlite3_stmt *s = hd_store_stmt(st, HD_ENTITY_SUMMARY);
        sqlite3_bind_int64(s, 1, ids[i]);
        if (sqlite3_step(s) == SQLITE_ROW)
            snprintf(slugs[k++], sizeof slugs[0], "%s", sqlite3_column_text(s, 0));
        sqlite3_reset(s);
    }
    qsort(slugs, (size_t)k, sizeof slugs[0], (int (*)(const void *, const void *))strcmp);
    out[0] = 0;
    for (int i = 0; i < k; i++) {
        if (i) strcat(out, " ");
        strcat(out, slugs[i]);
    }
    return n < 0 ? "(error)" : out;
}

int main(void)
{
    char err[256];
    st = hd_store_open(":memory:", HD_STORE_WRITE, err, sizeof err);
    CHECK(st != NULL, "store: %s", err);
    struct hd_extractor *x = hd_extractor_new(err, sizeof err);
    CHECK(x != NULL, "extractor: %s", err);
    if (!st || !x) return check_done("resolve");

    const char *text =
        "قمة في بيونغ يانغ\n\nاستقبل الزعيم الكوري الشمالي كيم جونغ أون الرئيس الروسي فلاديمير "
        "بوتين في بيونغ يانغ، بحضور شقيقته كيم يو جونغ ووزير الخارجية الروسي سيرغي لافروف. "
        "وقال الرئيس الأمريكي جو بايدن إن واشنطن تتابع الزيارة.\n";
    struct hd_doc *doc = hd_doc_parse(text, strlen(text), NULL, 0, err, sizeof err);
    long long id;
    CHECK(doc && hd_ingest_doc(st, x, "a.txt", "h", doc, &id, NULL, NULL) == 0, "ingest: %s", err);
    hd_doc_free(doc);

    CHECK_STR(resolve("kim-jong-un"), "kim-jong-un");     /* the id */
    CHECK_STR(resolve("Q56226"), "kim-jong-un");          /* Wikidata */
    CHECK_STR(resolve("q56226"), "kim-jong-un");          /* in lower case */
    CHECK_STR(resolve("Kim Jong-un"), "kim-jong-un");     /* hyphen, case */
    CHECK_STR(resolve("كيم جونج أون"), "kim-jong-un");    /* ج for غ */
    CHECK_STR(resolve("كيم جونغ اون"), "kim-jong-un");    /* no hamza */
    CHECK_STR(resolve("kim"), "kim-jong-un kim-yo-jong"); /* every Kim named */
    CHECK_STR(resolve("كيم"), "kim-jong-un kim-yo-jong");
    CHECK_STR(resolve("putin"), "vladimir-putin"); /* not Biden, whose skeleton is the same */
    CHECK_STR(resolve("بوتين"), "vladimir-putin");
    CHECK_STR(resolve("Biden"), "joe-biden");
    CHECK_STR(resolve("Pyongyang"), "pyongyang");
    CHECK_STR(resolve("Lavrov"), "sergey-lavrov");
    CHECK_STR(resolve("روسيا"), "russia"); /* a country named only by its adjective */
    CHECK_STR(resolve("الروسية"), "russia");
    CHECK_STR(resolve("nobody-we-know"), "");
    CHECK_STR(resolve(""), "");
    /* a prefix, as a search box suggests: of a whole name or of one word */
    CHECK_STR(resolve("put*"), "vladimir-putin");
    CHECK_STR(resolve("Vlad*"), "vladimir-putin");
    CHECK_STR(resolve("بوت*"), "vladimir-putin");
    CHECK_STR(resolve("kim*"), "kim-jong-un kim-yo-jong");
    CHECK_STR(resolve("كيم جو*"), "kim-jong-un");
    CHECK_STR(resolve("jong*"), "kim-jong-un kim-yo-jong");
    CHECK_STR(resolve("p*"), ""); /* one letter says too little */
    CHECK_STR(resolve("*"), "");
    CHECK_STR(resolve("zzz*"), "");
    CHECK_STR(resolve("putin"), "vladimir-putin"); /* a whole word is no prefix */

    hd_extractor_free(x);
    hd_store_close(st);
    return check_done("resolve");
}
