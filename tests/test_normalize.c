/* Matching keys: the spellings news text mixes must meet on one key. */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "normalize.h"
#include "utf8.h"

static char *key(const char *s)
{
    static char buf[512];
    char *k = hd_normalize_key(s, strlen(s));
    snprintf(buf, sizeof buf, "%s", k ? k : "(null)");
    free(k);
    return buf;
}

int main(void)
{
    char a[512];
    snprintf(a, sizeof a, "%s", key("كيم جونغ أون"));
    CHECK_STR(key("كيم جونغ اون"), a);             /* hamza on alef */
    CHECK_STR(key("كِيمْ  جُونغ\tأُون"), a);           /* harakat, white space */
    CHECK_STR(key("كيــم جونغ أون"), a);           /* tatweel */
    CHECK_STR(key("\u200fكيم جونغ أون\u200f"), a); /* bidi marks */
    CHECK_STR(key("مدرسة"), key("مدرسه"));         /* ta marbuta */
    CHECK_STR(key("مستشفى"), "مستشفي");            /* alef maqsura */
    CHECK_STR(key("إسلام آباد"), "اسلام اباد");
    CHECK_STR(key("٢٠٢٤ ۱۹"), "2024 19"); /* Arabic-Indic and Persian digits */
    CHECK_STR(key("Kim JONG Un"), "kim jong un");
    CHECK_STR(key("  "), "");
    CHECK(hd_fold_cp(0x0651) == 0 && hd_fold_cp(0x0640) == 0, "shadda and tatweel are dropped");
    CHECK(hd_is_space(0xA0) && hd_is_space(0x2009) && !hd_is_space('a'), "spaces");
    /* NFKC: presentation forms, ligatures and full-width letters */
    CHECK_STR(key("\uFEFB"), "\u0644\u0627");             /* ﻻ -> لا */
    CHECK_STR(key("\uFDF2"), "\u0627\u0644\u0644\u0647"); /* the ligature of Allah */
    CHECK_STR(key("ＫＩＭ"), "kim");
    CHECK_STR(key("Café Müller"), "cafe muller");
    CHECK_STR(key("Kim Jong-un"), "kim jong un");
    CHECK_STR(key("2014-2015"), "2014-2015"); /* a hyphen in numbers stays */
    CHECK_STR(key("\u0627\u0654"), "\u0627"); /* alef + hamza above composes, folds */
    /* a key's key is the key (the search tokenizer normalises what
     * hd_fts_query normalised): accents NFKC cannot compose go too, and an
     * absurd run of marks still decomposes (inputs fuzz_normalize found) */
    CHECK_STR(key("a\u0301\u0301"), "a");
    CHECK_STR(key("\u0627\u200d\u0301"), "\u0627");
    char marks[128] = "\u0678"; /* ٸ, then 40 fathas: more than NFKC's 60 bytes */
    for (int i = 0; i < 40; i++) strcat(marks, "\u064e");
    CHECK_STR(key(marks), "\u064a\u0674");
    CHECK_STR(key(key(marks)), "\u064a\u0674");

    /* the map back: each normalised code point to its original one */
    struct hd_norm *n = hd_norm_new("كِتابٌ ﻻ", strlen("كِتابٌ ﻻ"));
    CHECK(n != NULL, "norm");
    if (n) {
        CHECK_STR(n->text, "كتاب لا");
        size_t want[] = {0, 2, 3, 4, 6, 7, 7, 8};
        int ok = n->ncp == 7;
        for (size_t i = 0; ok && i <= n->ncp; i++) ok = n->map[i] == want[i];
        CHECK(ok, "map of \"كِتابٌ ﻻ\" (%zu code points)", n->ncp);
    }
    hd_norm_free(n);

    /* on real text: every normalised code point folds from the original one
     * its map names, and spans map back in order */
    const char *t = "أرسلَ الزعيـمُ الكوريُّ رسالةً إلى \u200fبوتين، الأربعاء ١٣ يونيو.";
    n = hd_norm_new(t, strlen(t));
    if (n) {
        uint32_t orig[256];
        size_t no = 0;
        for (size_t i = 0; i < strlen(t) && no < 256;) orig[no++] = hd_utf8_next(t, &i);
        int ok = n->map[n->ncp] == no;
        size_t i = 0, k = 0;
        while (ok && i < n->len) {
            uint32_t c = hd_utf8_next(n->text, &i);
            ok = n->map[k] < no && hd_fold_cp(orig[n->map[k]]) == c &&
                 (k == 0 || n->map[k] > n->map[k - 1]);
            k++;
        }
        CHECK(ok, "map of real text broken at normalised code point %zu", k);
    }
    hd_norm_free(n);
    CHECK(hd_is_punct(0x060C) && hd_is_punct(0x061B) && hd_is_punct(0x061F) && !hd_is_punct('a'),
          "Arabic punctuation");
    return check_done("normalize");
}
