/* A set of normalised names (hd_normalize_key forms), built once from data
 * files or ICU and then read without locks: the lookup structure behind the
 * place, outlet and credit-word lexicons. */
#ifndef HD_KEYSET_H
#define HD_KEYSET_H

#include <stddef.h>

struct hd_keyset {
    char **keys; /* sorted once sealed */
    size_t n, cap;
    int sealed;
    unsigned *slots; /* sealed: an open-addressing table of key index + 1 */
    size_t nslots;   /* a power of two, at least twice n */
};

/* Adds the key of s[0..len) (UTF-8); returns 0, or -1 when out of memory. */
int hd_keyset_add(struct hd_keyset *ks, const char *s, size_t len);

/* Adds names from the embedded TSV file blob: from every row (a row whose
 * first column is not kind is skipped when kind is not NULL), the columns
 * whose bit is set in columns (bit 0 = first column), each split at '|'.
 * Returns the number of rows read, or -1 when the file is not embedded. */
int hd_keyset_add_tsv(struct hd_keyset *ks, const char *blob, unsigned columns, const char *kind);

/* Sorts and removes duplicates; call once, before any lookup. */
void hd_keyset_seal(struct hd_keyset *ks);

/* 1 when key (already normalised) is in the sealed set. */
int hd_keyset_has(const struct hd_keyset *ks, const char *key);

/* Frees the keys and empties the set (the lexicons live for the process and
 * never call it; tests and short-lived sets do). */
void hd_keyset_free(struct hd_keyset *ks);

/* 1 when the key of s[0..len) is in the sealed set. */
int hd_keyset_has_text(const struct hd_keyset *ks, const char *s, size_t len);

#endif
