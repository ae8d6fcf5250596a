/* The route table: which handler answers which path and method. */
#ifndef HD_ROUTES_H
#define HD_ROUTES_H

#include "http.h"

#define HD_VERSION "0.1.0"

/* Answers rq into rp: the handler's reply, or a 404, 405 or OPTIONS reply. */
void hd_route(struct hd_request *rq, struct hd_reply *rp);

#endif
