/* Tokens: words of both scripts, numbers, punctuation, quotes, the ".." of
 * headlines, and offsets that give back the token's text. */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "tokens.h"
#include "utf8.h"

static struct hd_segmenter *sg;

/* The tokens of text as "key|kind key|kind ...", kinds w n p. */
static const char *toks(const char *text)
{
    static char out[1024];
    struct hd_tokens t;
    out[0] = 0;
    if (hd_tokenize(sg, text, strlen(text), &t) < 0) return "(failed)";
    size_t o = 0;
    for (size_t i = 0; i < t.n && o < sizeof out - 80; i++)
        o += (size_t)snprintf(out + o, sizeof out - o, "%s%s|%c", i ? " " : "", t.v[i].key,
                              "wnp"[t.v[i].kind]);
    hd_tokens_free(&t);
    return out;
}

int main(void)
{
    char err[128];
    sg = hd_segmenter_new(err, sizeof err);
    CHECK(sg != NULL, "segmenter: %s", err);
    if (!sg) return check_done("tokens");

    CHECK_STR(toks("قال كيم: نعم"), "قال|w كيم|w :|p نعم|w");
    CHECK_STR(toks("بلغ 3.5 مليار، أي ٢٠٢٤"), "بلغ|w 3.5|n مليار|w ،|p اي|w 2024|n");
    CHECK_STR(toks("زيارة بوتين.. كوريا"), "زياره|w بوتين|w .|p .|p كوريا|w");
    CHECK_STR(toks("«علاقات» و\"قوة\" “صداقة”"),
              "«|p علاقات|w »|p و|w \"|p قوه|w \"|p “|p صداقه|w ”|p");
    CHECK_STR(toks("Kim Jong-un met NK News؟"), "kim|w jong|w -|p un|w met|w nk|w news|w ؟|p");
    CHECK_STR(toks("وبالصواريخ للرئيس"), "وبالصواريخ|w للرئيس|w");
    /* a full stop that lost its space ends a word where it ends the
     * sentence; ICU keeps U.S and e.g whole (fuzz/fuzz_extract.c found
     * names across two sentences) */
    CHECK_STR(toks("بزشكيان.وأضاف أون.Reuters CNN.وقال نتن@@.ءa بزشكيا@@.R"),
              "بزشكيان|w .|p واضاف|w اون|w .|p reuters|w cnn|w .|p وقال|w نتن@@|w .|p ءa|w "
              "بزشكيا@@|w .|p r|w");
    CHECK_STR(toks("U.S e.g 3.5 Reuters.The aljazeera.net"),
              "u.s|w e.g|w 3.5|n reuters.the|w aljazeera.net|w");
    CHECK_STR(toks("  \u200f "), "");

    /* offsets give back each token's text, in bytes and in code points */
    const char *t = "أرسلَ كيم، الأربعاء، رسالةً إلى Vladimir Putin عن 70 عاما.";
    struct hd_tokens tk;
    CHECK(hd_tokenize(sg, t, strlen(t), &tk) == 0, "tokenize");
    int ok = tk.n == 13;
    size_t byte = 0, cp = 0;
    for (size_t i = 0; ok && i < tk.n; i++) {
        cp += hd_utf8_count(t + byte, tk.v[i].start - byte);
        ok = tk.v[i].cp_start == cp &&
             tk.v[i].cp_end == cp + hd_utf8_count(t + tk.v[i].start, tk.v[i].end - tk.v[i].start);
        cp = tk.v[i].cp_end;
        byte = tk.v[i].end;
    }
    CHECK(ok, "offsets of %zu tokens", tk.n);
    CHECK(tk.n > 1 && !memcmp(t + tk.v[0].start, "أرسلَ", tk.v[0].end - tk.v[0].start),
          "the first token's bytes");
    hd_tokens_free(&tk);
    hd_segmenter_free(sg);
    return check_done("tokens");
}
