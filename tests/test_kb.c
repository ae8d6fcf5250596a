/* The knowledge base: countries and adjectives from ICU, cities, and the
 * lookups by any name in either script. */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "kb.h"
#include "normalize.h"

static struct hd_kb *kb;
static int warnings;

static void warn(void *ctx, const char *msg)
{
    (void)ctx;
    fprintf(stderr, "kb: %s\n", msg);
    warnings++;
}

/* The slug of the first entity a name finds, or "(none)". */
static const char *find(const char *name)
{
    size_t out[8];
    char *key = hd_normalize_key(name, strlen(name));
    size_t n = key ? hd_kb_lookup(kb, key, out, 8) : 0;
    free(key);
    return n ? hd_kb_get(kb, out[0])->slug : "(none)";
}

static int adjectives(const char *name, const char *want)
{
    char buf[4096];
    int n = hd_kb_country_adjectives(name, buf, sizeof buf);
    for (int i = 0, at = 0; i < n; i++) {
        if (!strcmp(buf + at, want)) return 1;
        at += (int)strlen(buf + at) + 1;
    }
    return 0;
}

int main(void)
{
    /* adjectives by rule */
    CHECK(adjectives("روسيا", "الروسي") && adjectives("روسيا", "الروسية") &&
              adjectives("روسيا", "روسية"),
          "Russia's adjectives");
    CHECK(adjectives("كوريا الشمالية", "الكوري الشمالي") &&
              adjectives("كوريا الشمالية", "الكورية الشمالية") &&
              adjectives("كوريا الشمالية", "الكوريون الشماليون"),
          "North Korea's adjectives");
    CHECK(adjectives("اليابان", "الياباني") && adjectives("مصر", "المصرية") &&
              adjectives("أمريكا", "الأمريكي"),
          "more adjectives");
    char buf[256];
    CHECK(hd_kb_country_adjectives("المملكة المتحدة", buf, sizeof buf) == 0,
          "no rule for the United Kingdom");

    kb = hd_kb_new(warn, NULL);
    CHECK(kb != NULL, "kb");
    if (!kb) return check_done("kb");
    CHECK(hd_kb_size(kb) > 600, "only %zu entities", hd_kb_size(kb));
    CHECK_STR(find("كوريا الشمالية"), "north-korea");
    CHECK_STR(find("North Korea"), "north-korea");
    CHECK_STR(find("الكوري الشمالي"), "north-korea");
    CHECK_STR(find("الكورية الجنوبية"), "south-korea");
    CHECK_STR(find("الروسية"), "russia");
    CHECK_STR(find("بيونغ يانغ"), "pyongyang");
    CHECK_STR(find("بيونج يانج"), "pyongyang");
    CHECK_STR(find("سول"), "seoul");
    CHECK_STR(find("واشنطن"), "washington-dc");
    CHECK_STR(find("خاركيف"), "kharkiv");
    CHECK_STR(find("no such place"), "(none)");
    /* adjectives the rule cannot derive come from countries.tsv */
    CHECK_STR(find("الأمريكي"), "united-states");
    CHECK_STR(find("الأميركية"), "united-states");
    CHECK_STR(find("أمريكا"), "united-states");
    CHECK_STR(find("بريطانيا"), "united-kingdom");
    CHECK_STR(find("الإماراتية"), "united-arab-emirates");
    CHECK_STR(find("فلسطين"), "palestinian-territories");
    CHECK_STR(find("بورما"), find("ميانمار"));
    CHECK(adjectives("الصحراء الغربية", "الصحراوي الغربي"), "صحراء > صحراوي");
    CHECK(hd_kb_country_adjectives("الأراضي الفلسطينية", buf, sizeof buf) == 0,
          "no adjective from الأراضي");
    long ru = hd_kb_find_slug(kb, "russia"), py = hd_kb_find_slug(kb, "pyongyang");
    CHECK(ru >= 0 && !strcmp(hd_kb_get(kb, (size_t)ru)->country, "RU") &&
              hd_kb_get(kb, (size_t)ru)->has_point,
          "Russia has a country code and a point");
    CHECK(py >= 0 && hd_kb_get(kb, (size_t)py)->has_point &&
              !strcmp(hd_kb_get(kb, (size_t)py)->country, "KP"),
          "Pyongyang is in North Korea, with coordinates");
    int aliases = 0;
    while (ru >= 0 && hd_kb_alias(kb, (size_t)ru, (size_t)aliases)) aliases++;
    CHECK(aliases >= 8, "Russia has %d names", aliases);
    /* people, regions, former states; both spellings of عبد الله */
    CHECK_STR(find("فلاديمير بوتين"), "vladimir-putin");
    CHECK_STR(find("بوتين"), "vladimir-putin");
    CHECK_STR(find("عبدالله الثاني"), "king-abdullah-ii");
    CHECK_STR(find("عبد الله الثاني"), "king-abdullah-ii");
    CHECK_STR(find("الاتحاد السوفييتي"), "soviet-union");
    CHECK_STR(find("شبه جزيرة القرم"), "crimea");
    /* what a name is to an entity: an adjective, a conditional alias */
    size_t hits[8];
    int flags[8];
    char *key = hd_normalize_key("الروسية", strlen("الروسية"));
    size_t n = hd_kb_lookup_names(kb, key, hits, flags, 8);
    CHECK(n == 1 && (long)hits[0] == ru && (flags[0] & HD_KB_ADJECTIVE),
          "الروسية is Russia's adjective");
    free(key);
    key = hd_normalize_key("روسيا", strlen("روسيا"));
    n = hd_kb_lookup_names(kb, key, hits, flags, 8);
    CHECK(n == 1 && flags[0] == 0, "روسيا is a name");
    free(key);
    key = hd_normalize_key("لولا", strlen("لولا"));
    n = hd_kb_lookup_names(kb, key, hits, flags, 8);
    CHECK(n == 1 && !strcmp(hd_kb_get(kb, hits[0])->slug, "lula-da-silva") &&
              (flags[0] & HD_KB_CONDITIONAL),
          "لولا is Lula only where he was named");
    free(key);
    CHECK(hd_kb_shared() != NULL && hd_kb_shared() == hd_kb_shared(), "one shared knowledge base");
    CHECK(warnings == 0, "%d bad data rows", warnings);
    /* sport and business from the role: their news are no political events */
    long barca = hd_kb_find_slug(kb, "fc-barcelona"), goog = hd_kb_find_slug(kb, "google");
    long gheit = hd_kb_find_slug(kb, "ahmed-aboul-gheit"),
         regev = hd_kb_find_slug(kb, "miri-regev");
    CHECK(barca >= 0 && hd_kb_get(kb, (size_t)barca)->sport, "a football club is sport");
    CHECK(goog >= 0 && hd_kb_get(kb, (size_t)goog)->commercial, "a company is business");
    CHECK(gheit >= 0 && !hd_kb_get(kb, (size_t)gheit)->sport,
          "the Arab League is no league of sport");
    CHECK(regev >= 0 && !hd_kb_get(kb, (size_t)regev)->sport, "a Transport minister is no sport");
    CHECK(ru >= 0 && !hd_kb_get(kb, (size_t)ru)->sport && !hd_kb_get(kb, (size_t)ru)->commercial,
          "a country is neither");
    hd_kb_free(kb);
    return check_done("kb");
}
