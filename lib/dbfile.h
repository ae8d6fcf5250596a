/* The database file as generations. PATH is a symbolic link to
 * PATH.gen-N, a file nobody writes once it is published. An ingest that
 * changes something builds PATH.gen-N+1 beside it (a copy of N, then the
 * changes) and publishes it by renaming a new link over PATH: a reader
 * opens the old file or the new one, never a mix, and a crash at any
 * moment leaves N as it was. A PATH that is a plain database file (made
 * before generations) is read as it is and replaced by the first build. */
#ifndef HD_DBFILE_H
#define HD_DBFILE_H

#include <stddef.h>

#include "store.h"

/* Builders of one PATH take turns: the lock is PATH.lock. */
struct hd_db;

/* Waits for the lock on path and takes it, then removes the files of
 * generations other than the current one (builds a crash cut short, or
 * replaced ones whose removal was missed); NULL with err set. */
struct hd_db *hd_db_lock(const char *path, char *err, size_t errlen);

/* The file path stands for now, as a path to open; NULL when there is
 * none yet. Owned by d. */
const char *hd_db_current(const struct hd_db *d);

/* Opens the current generation read-only, for deciding what an ingest
 * would change; NULL with err set when there is none (no file, or a plain
 * file: the first build makes it a generation). */
struct hd_store *hd_db_open_current(struct hd_db *d, char *err, size_t errlen);

/* Makes the next generation, a copy of the current file (or nothing, when
 * there is none), and opens it for the ingest to write: the caller owns
 * the store and closes it before publishing. NULL with err set. */
struct hd_store *hd_db_build(struct hd_db *d, char *err, size_t errlen);

/* Makes the built generation durable and the one path stands for, then
 * removes the generations before it (their readers keep the files they
 * have open). Returns 0, or -1 with err set and the current file kept. */
int hd_db_publish(struct hd_db *d, char *err, size_t errlen);

/* Removes a build that was not published, releases the lock, frees d. */
void hd_db_unlock(struct hd_db *d);

/* For readers. Opens, read-only and immutable, the file path stands for;
 * gen (of gencap bytes) receives what hd_db_moved compares. NULL with err
 * set. */
struct hd_store *hd_db_open_reader(const char *path, char *gen, size_t gencap, char *err,
                                   size_t errlen);

/* Whether path stands for another file than gen now (one readlink()). */
int hd_db_moved(const char *path, const char *gen);

#endif
