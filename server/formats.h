/* The other shapes of an event list: CSV (RFC 4180, one row per event),
 * NDJSON (one event object a line) and GeoJSON (a point per located event). */
#ifndef HD_FORMATS_H
#define HD_FORMATS_H

#include <jansson.h>
#include <stddef.h>

/* The events of the JSON array data as a new CSV text (header row first),
 * its length in *len; NULL when out of memory. */
char *hd_format_csv(json_t *data, size_t *len);

/* The events as a new NDJSON text; NULL when out of memory. */
char *hd_format_ndjson(json_t *data, size_t *len);

/* A new GeoJSON FeatureCollection of the events whose location has a point,
 * the event as each feature's properties, meta as a foreign member (the
 * collection takes a reference). NULL when out of memory. */
json_t *hd_format_geojson(json_t *data, json_t *meta);

#endif
