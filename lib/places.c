/* The place-name set: ICU's countries and time-zone cities plus the cities
 * of lib/data/cities.tsv, read once into a keyset. */
#include <pthread.h>
#include <string.h>

#include <unicode/ucal.h>
#include <unicode/udat.h>
#include <unicode/uloc.h>
#include <unicode/ustring.h>

#include "keyset.h"
#include "places.h"

static struct hd_keyset places;
static pthread_once_t once = PTHREAD_ONCE_INIT;

static void add_uchars(const UChar *u, int32_t len)
{
    char utf8[256];
    UErrorCode st = U_ZERO_ERROR;
    int32_t n = 0;
    u_strToUTF8(utf8, sizeof utf8, &n, u, len, &st);
    if (U_SUCCESS(st) && n > 0 && n < (int32_t)sizeof utf8) hd_keyset_add(&places, utf8, (size_t)n);
}

static void load(void)
{
    static const char *langs[] = {"ar", "en"};
    for (const char *const *c = uloc_getISOCountries(); *c; c++) {
        char loc[16] = "und_";
        strncat(loc, *c, sizeof loc - 5);
        for (size_t l = 0; l < 2; l++) {
            UChar buf[128];
            UErrorCode st = U_ZERO_ERROR;
            int32_t n = uloc_getDisplayCountry(loc, langs[l], buf, 128, &st);
            if (U_SUCCESS(st) && n > 0) add_uchars(buf, n);
        }
    }
    /* One formatter per language, its calendar moved from zone to zone: the
     * "VVV" pattern prints a zone's exemplar city. */
    UErrorCode st = U_ZERO_ERROR;
    UEnumeration *zones =
        ucal_openTimeZoneIDEnumeration(UCAL_ZONE_TYPE_CANONICAL_LOCATION, NULL, NULL, &st);
    if (U_SUCCESS(st)) {
        static const UChar pattern[] = {'V', 'V', 'V', 0};
        UDateFormat *fmt[2] = {0};
        for (size_t l = 0; l < 2; l++) {
            st = U_ZERO_ERROR;
            fmt[l] = udat_open(UDAT_PATTERN, UDAT_PATTERN, langs[l], NULL, 0, pattern, 3, &st);
            if (U_FAILURE(st)) fmt[l] = NULL;
        }
        const UChar *zone;
        int32_t zlen;
        st = U_ZERO_ERROR;
        while ((zone = uenum_unext(zones, &zlen, &st)) != NULL && U_SUCCESS(st)) {
            for (size_t l = 0; l < 2; l++) {
                if (!fmt[l]) continue;
                UErrorCode s2 = U_ZERO_ERROR;
                UCalendar *cal = ucal_open(zone, zlen, langs[l], UCAL_GREGORIAN, &s2);
                if (U_FAILURE(s2)) continue;
                udat_setCalendar(fmt[l], cal);
                ucal_close(cal);
                UChar buf[128];
                int32_t n = udat_format(fmt[l], 0.0, buf, 128, NULL, &s2);
                if (U_SUCCESS(s2) && n > 0) add_uchars(buf, n);
            }
        }
        for (size_t l = 0; l < 2; l++)
            if (fmt[l]) udat_close(fmt[l]);
        uenum_close(zones);
    }
    /* cities.tsv: slug, name_en, name_ar, aliases, ...: columns 2 to 4 */
    hd_keyset_add_tsv(&places, "cities.tsv", 0xE, NULL);
    hd_keyset_seal(&places);
}

int hd_place_known(const char *key)
{
    pthread_once(&once, load);
    return hd_keyset_has(&places, key);
}
