/* Query parameters: strict parsing, so a malformed value becomes a 400 that
 * names the parameter instead of a silently wrong answer. */
#ifndef HD_PARAMS_H
#define HD_PARAMS_H

#include "http.h"

#define HD_LIMIT_DEFAULT 50
#define HD_LIMIT_MAX     1000

/* The limit parameter in *limit (default 50; above 1000 means 1000).
 * Returns 0, or -1 with a 400 problem in rp. */
int hd_param_limit(struct hd_request *rq, struct hd_reply *rp, int *limit);

/* The cursor parameter for a list (kind names the list, so a cursor of one
 * list is refused by another) in *after: 0 when absent. Returns 0, or -1
 * with a 400 problem in rp. */
int hd_param_cursor(struct hd_request *rq, struct hd_reply *rp, const char *kind, long long *after);

/* A new cursor that continues kind after the row id after (static buffer
 * per thread). */
const char *hd_cursor_make(const char *kind, long long after);

/* A positive id parameter (article=3) in *id: 0 when absent. Returns 0, or
 * -1 with a 400 problem in rp. */
int hd_param_id(struct hd_request *rq, struct hd_reply *rp, const char *name, long long *id);

/* A parameter that must be one of allowed (NULL-terminated), in *out (one
 * of allowed, or NULL when absent). Returns 0, or -1 with a 400 in rp. */
int hd_param_enum(struct hd_request *rq, struct hd_reply *rp, const char *name,
                  const char *const *allowed, const char **out);

/* A free text parameter (q=), UTF-8 and not blank, in *out (NULL when
 * absent). Returns 0, or -1 with a 400 in rp. */
int hd_param_text(struct hd_request *rq, struct hd_reply *rp, const char *name, const char **out);

/* The cursor of a list paged by position rather than by id (a list sorted
 * by counts): the position to go on from, in *offset. */
int hd_param_offset(struct hd_request *rq, struct hd_reply *rp, const char *kind,
                    long long *offset);

/* A comma-separated list (type=visit,meeting): each value checked (and
 * normalised into norm) by valid, the list as a new JSON array text in *out
 * (NULL when absent; the caller frees it). what says what a value must be,
 * for the 400. Returns 0, or -1 with a 400 in rp. */
int hd_param_list(struct hd_request *rq, struct hd_reply *rp, const char *name,
                  int (*valid)(const char *value, char *norm, size_t cap), const char *what,
                  char **out);

/* An ISO date parameter (YYYY-MM-DD, YYYY-MM or YYYY) as a full date in out:
 * a month or year counts from its first day, or to its last when end is 1.
 * "" when absent. Returns 0, or -1 with a 400 in rp. */
int hd_param_date(struct hd_request *rq, struct hd_reply *rp, const char *name, int end,
                  char out[11]);

#endif
