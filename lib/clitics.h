/* Candidate stems of an Arabic word: the word, then the word without its
 * proclitics (و ف ب ل ك, the article ال and their combinations: وال بال لل
 * فال كال وب ول فب ...) and without the suffix pronouns, longest first. A
 * caller that tries them in order and stops at the first it knows never
 * breaks a name that starts with clitic-like letters (بوتين, لافروف). */
#ifndef HD_CLITICS_H
#define HD_CLITICS_H

#include <stddef.h>

#define HD_STEM_MAX  64 /* bytes of a stem, NUL included */
#define HD_STEMS_MAX 16

/* Writes the candidate stems of word (a hd_normalize_key() form of one
 * word) into stems, the word itself first, longest first, without
 * duplicates; returns how many. Stems keep at least two letters. */
int hd_clitic_stems(const char *word, char stems[][HD_STEM_MAX], int max);

/* The proclitics (و ف ب ل ك ال and their combinations) that word, a
 * hd_normalize_key() form, may start with, as byte lengths into lens,
 * longest first; a proclitic counts only when two letters stay after it.
 * Returns how many. */
int hd_proclitics(const char *word, size_t *lens, int max);

#endif
