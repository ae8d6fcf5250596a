/* Place names from ICU (countries, time-zone cities) and from cities.tsv,
 * and the credit lexicons built on outlets.tsv and credits.tsv. */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "credits.h"
#include "normalize.h"
#include "places.h"

static int place(const char *s)
{
    char *k = hd_normalize_key(s, strlen(s));
    int r = hd_place_known(k);
    free(k);
    return r;
}

#define T(s) (s), strlen(s)

int main(void)
{
    /* ICU: country names in Arabic and English, exemplar cities */
    CHECK(place("كوريا الشمالية") && place("North Korea") && place("روسيا"), "ICU countries");
    CHECK(place("بيونغ يانغ") && place("موسكو") && place("القاهرة"), "ICU time-zone cities");
    /* cities.tsv: capitals and news cities ICU has no time zone for */
    CHECK(place("واشنطن") && place("جدة") && place("خاركيف") && place("Kharkiv"),
          "gazetteer cities");
    CHECK(place("بيونج يانج"), "the Egyptian spelling of Pyongyang");
    CHECK(!place("رويترز") && !place("صراحة نيوز") && !place("الرئيس"), "not places");

    CHECK(hd_credit_outlet(T("رويترز")) && hd_credit_outlet(T("أ ف ب")) &&
              hd_credit_outlet(T("AFP")),
          "outlets");
    CHECK(!hd_credit_outlet(T("سلوى سعد")), "a reporter is no outlet");
    CHECK(hd_credit_generic(T("متابعات")) && !hd_credit_generic(T("سبق")), "generic words");
    CHECK(hd_credit_outlet_word(T("عمون نيوز")) && !hd_credit_outlet_word(T("أحمد علي")),
          "outlet words");
    CHECK(hd_credit_photo(T("إكس")) && hd_credit_photo(T("أرشيفية")) &&
              hd_credit_photo(T("Reuters")),
          "photo credits");
    CHECK(!hd_credit_photo(T("ولاية ماريلاند")), "a place in parentheses is no photo credit");
    return check_done("places");
}
