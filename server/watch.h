/* --watch: a thread that waits for documents to be written, moved or
 * removed in the corpus folder and, once a burst of changes has settled,
 * raises SIGHUP: the serve loop takes that as a reload. */
#ifndef HD_WATCH_H
#define HD_WATCH_H

#include <stddef.h>

struct hd_watch;

/* Starts watching dir; NULL with err set (no inotify, no folder). */
struct hd_watch *hd_watch_start(const char *dir, char *err, size_t errlen);
void hd_watch_stop(struct hd_watch *w);

#endif
