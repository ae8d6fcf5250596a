/* Full-text search over sentences with SQLite FTS5: a tokenizer that indexes
 * each word in its matching form with its clitic stems beside it (so روسيا
 * finds بروسيا and لروسيا), and the translation of a user's query into FTS5
 * syntax that can never be a syntax error. */
#ifndef HD_FTS_H
#define HD_FTS_H

#include <sqlite3.h>
#include <stddef.h>

/* Registers the tokenizer "hadath" on db. FTS5 tokenizers are per
 * connection, so every connection that reads or writes sentences_fts needs
 * it. Returns SQLITE_OK or an error code. */
int hd_fts_register(sqlite3 *db);

/* Translates a user's query into an FTS5 query in out[0..cap): each word in
 * its matching form as a quoted string; "a b" stays a phrase, a word ending
 * in * a prefix query, OR between two terms an alternative; every other
 * character of FTS5's syntax is a separator. Returns the number of terms
 * (0: nothing searchable), or -1 when out is too small. */
int hd_fts_query(const char *q, char *out, size_t cap);

#endif
