/* Keysets built once from outlets.tsv and credits.tsv, then read without
 * locks from any ingest thread. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "credits.h"
#include "keyset.h"
#include "normalize.h"

static struct hd_keyset outlets, generic_words, outlet_words, photo_words;
static pthread_once_t once = PTHREAD_ONCE_INIT;

static void load(void)
{
    hd_keyset_add_tsv(&outlets, "outlets.tsv", 0x7, NULL); /* English, Arabic, aliases */
    hd_keyset_add_tsv(&generic_words, "credits.tsv", 0x2, "generic");
    hd_keyset_add_tsv(&outlet_words, "credits.tsv", 0x2, "outlet");
    hd_keyset_add_tsv(&photo_words, "credits.tsv", 0x2, "photo");
    hd_keyset_seal(&outlets);
    hd_keyset_seal(&generic_words);
    hd_keyset_seal(&outlet_words);
    hd_keyset_seal(&photo_words);
}

int hd_credit_outlet(const char *s, size_t n)
{
    pthread_once(&once, load);
    return hd_keyset_has_text(&outlets, s, n);
}

int hd_credit_generic(const char *s, size_t n)
{
    pthread_once(&once, load);
    return hd_keyset_has_text(&generic_words, s, n);
}

int hd_credit_outlet_word(const char *s, size_t n)
{
    pthread_once(&once, load);
    char *key = hd_normalize_key(s, n), *save = NULL;
    int found = 0;
    for (char *w = key ? strtok_r(key, " ", &save) : NULL; w && !found;
         w = strtok_r(NULL, " ", &save))
        found = hd_keyset_has(&outlet_words, w);
    free(key);
    return found;
}

int hd_credit_photo(const char *s, size_t n)
{
    pthread_once(&once, load);
    return hd_keyset_has_text(&photo_words, s, n) || hd_keyset_has_text(&outlets, s, n);
}
