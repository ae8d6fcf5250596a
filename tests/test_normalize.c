/* Matching keys: the spellings news text mixes must meet on one key. */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "normalize.h"

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
    return check_done("normalize");
}
