/* The keyset: normalised, sorted, deduplicated, and filled from TSV data. */
#include <string.h>

#include "check.h"
#include "keyset.h"

int main(void)
{
    struct hd_keyset ks = {0};
    hd_keyset_add(&ks, "بيونغ يانغ", strlen("بيونغ يانغ"));
    hd_keyset_add(&ks, "  Pyongyang ", 12);
    hd_keyset_add(&ks, "بيونغ يانغ", strlen("بيونغ يانغ"));
    hd_keyset_add(&ks, "", 0);
    hd_keyset_seal(&ks);
    CHECK(ks.n == 2, "two distinct keys, got %zu", ks.n);
    CHECK(hd_keyset_has(&ks, "pyongyang"), "Latin key");
    CHECK(hd_keyset_has_text(&ks, "بيونغ يانغ", strlen("بيونغ يانغ")), "Arabic key");
    CHECK(!hd_keyset_has(&ks, "seoul"), "absent key found");

    /* rows of one kind from an embedded file */
    struct hd_keyset gen = {0};
    int rows = hd_keyset_add_tsv(&gen, "credits.tsv", 0x2, "generic");
    hd_keyset_seal(&gen);
    CHECK(rows > 0 && hd_keyset_has_text(&gen, "متابعات", strlen("متابعات")), "generic words");
    CHECK(!hd_keyset_has_text(&gen, "نيوز", strlen("نيوز")), "an outlet word is not generic");
    CHECK(hd_keyset_add_tsv(&gen, "no-such-file.tsv", 1, NULL) == -1, "missing file");
    hd_keyset_free(&ks);
    hd_keyset_free(&gen);
    CHECK(ks.n == 0 && ks.keys == NULL, "freed");
    return check_done("keyset");
}
