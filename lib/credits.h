/* The credit lexicons: news outlets (outlets.tsv) and the words of credits
 * (credits.tsv), used to find an article's publisher and to tell a photo
 * caption's credit from an ordinary parenthesis. */
#ifndef HD_CREDITS_H
#define HD_CREDITS_H

#include <stddef.h>

/* s[0..n) is the name or an alias of a news outlet ("رويترز", "أ ف ب", "AFP"). */
int hd_credit_outlet(const char *s, size_t n);

/* s[0..n) only says "follow-ups" or "exclusive" (متابعات، خاص). */
int hd_credit_generic(const char *s, size_t n);

/* s[0..n) has a word that names outlets (نيوز، برس، صحيفة). */
int hd_credit_outlet_word(const char *s, size_t n);

/* s[0..n) credits a photo: an outlet or a photo source (إكس، أرشيفية، Getty). */
int hd_credit_photo(const char *s, size_t n);

#endif
