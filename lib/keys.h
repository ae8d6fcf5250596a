/* Cross-script keys of a name: a readable romanisation and a phonetic
 * skeleton that the spellings of one name share in Arabic and Latin script
 * (Pyongyang, بيونغ يانغ, بيونج يانج). Both are ICU transforms whose rules are
 * data (lib/data/romanize.txt, lib/data/skeleton.txt). */
#ifndef HD_KEYS_H
#define HD_KEYS_H

#include <stddef.h>

/* The compiled transforms. Not to be shared between threads: make one per
 * thread (the rules are parsed once per process). */
struct hd_keys;

struct hd_keys *hd_keys_new(char *err, size_t errlen);
void hd_keys_free(struct hd_keys *k);

/* The romanisation (capitalised words) and the skeleton of name (UTF-8),
 * each a new string in *roman and *skeleton (either pointer may be NULL to
 * skip it). Returns 0, or -1 when out of memory or ICU fails. */
int hd_keys_make(struct hd_keys *k, const char *name, char **roman, char **skeleton);

#endif
