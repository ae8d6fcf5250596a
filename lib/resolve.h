/* What an entity parameter of the API names (actor=kim, q=كيم جونغ اون,
 * participant=Q56226): the stored entities a value in either script and any
 * spelling stands for. The server splits lists at commas; this module reads
 * one value. */
#ifndef HD_RESOLVE_H
#define HD_RESOLVE_H

#include "store.h"

/* The ids of the entities value names into ids (at most max); returns how
 * many there are in all (more than max when ids was too small), or -1 on a
 * store or ICU error. Tries, and stops at the first that finds something:
 * the id (slug) or Wikidata id; a name or alias as spelled (hamza, case and
 * diacritics aside); one word of a name (kim finds every Kim); the phonetic
 * skeleton of a whole name (كيم جونج أون is Kim Jong Un); that of one word.
 * A value ending in '*' is a prefix instead ("put*", "بوت*": what a search
 * box suggests as one types): the entities with a name or a word of a name
 * that begins so, at least two letters, the most mentioned first. */
int hd_resolve(struct hd_store *st, const char *value, long long *ids, int max);

/* Only the first step: the entity whose id (slug) or Wikidata id is value
 * (for /entities/{id}). Same returns. */
int hd_resolve_id(struct hd_store *st, const char *value, long long *ids, int max);

#endif
