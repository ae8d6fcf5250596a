/* The route table: which handler answers which path and method. */
#ifndef HD_ROUTES_H
#define HD_ROUTES_H

#include "http.h"

#define HD_VERSION "0.1.0"

/* Answers rq into rp: the handler's reply, or a 404, 405 or OPTIONS reply. */
void hd_route(struct hd_request *rq, struct hd_reply *rp);

/* The route templates ("/events/{id}"), in table order, NULL-terminated. */
const char *const *hd_route_templates(void);

/* Builds the /openapi.json answer from the embedded document, its servers
 * set to base_path. Returns 0, or -1 when the document is missing or bad. */
int hd_routes_init(const char *base_path);
void hd_routes_free(void);

#endif
