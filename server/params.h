/* Query parameters: strict parsing, so a malformed value becomes a 400 that
 * names the parameter instead of a silently wrong answer. */
#ifndef HD_PARAMS_H
#define HD_PARAMS_H

#include "http.h"

#define HD_LIMIT_DEFAULT 50
#define HD_LIMIT_MAX     100000 /* the highest --max-limit */

/* The value of parameter name as sent (the first, when repeated), or NULL;
 * the lookup is recorded in rq->asked, which the OpenAPI test compares with
 * the document. */
const char *hd_param(struct hd_request *rq, const char *name);

/* The limit parameter in *limit (default 50; above the server's ceiling
 * means the ceiling). Returns 0, or -1 with a 400 problem in rp. */
int hd_param_limit(struct hd_request *rq, struct hd_reply *rp, int *limit);

/* Cursors are opaque and signed with the database's secret; each belongs to
 * one list (kind) and one query (the other parameters but limit and
 * format), so another list's, another query's or an edited cursor is a 400.
 *
 * hd_param_cursor: a keyset cursor (the row id to go on after), which stays
 * right while documents are re-ingested. hd_param_offset: a position in a
 * list ordered by something else, which a re-ingest would shift, so it also
 * carries the database generation and a stale one is a 400. Both put 0 in
 * *pos when there is no cursor. Return 0, or -1 with a 400 in rp. */
int hd_param_cursor(struct hd_request *rq, struct hd_reply *rp, const char *kind, long long *pos);
int hd_param_offset(struct hd_request *rq, struct hd_reply *rp, const char *kind, long long *pos);

/* A new cursor that continues kind at pos, for this request's query (a
 * per-thread buffer, valid until the next call). */
const char *hd_cursor_make(struct hd_request *rq, const char *kind, long long pos);

/* The URL of this request with its cursor replaced by cursor: a new string,
 * for Link headers. */
char *hd_next_url(struct hd_request *rq, const char *cursor);

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

/* A comma-separated list (type=visit,meeting; a repeated parameter adds
 * to it): each value checked (and
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
