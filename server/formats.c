/* CSV, NDJSON and GeoJSON from the JSON events the views build, so every
 * format shows the same events with the same fields. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "formats.h"

struct buf {
    char *s;
    size_t len, cap;
    int failed;
};

static void add(struct buf *b, const char *s, size_t n)
{
    if (b->failed) return;
    if (b->len + n + 1 > b->cap) {
        size_t cap = (b->cap + n + 1) * 2;
        char *ns = realloc(b->s, cap);
        if (!ns) {
            b->failed = 1;
            return;
        }
        b->s = ns, b->cap = cap;
    }
    memcpy(b->s + b->len, s, n);
    b->len += n;
    b->s[b->len] = 0;
}

static void adds(struct buf *b, const char *s)
{
    add(b, s, strlen(s));
}

static char *done(struct buf *b, size_t *len)
{
    if (b->failed) {
        free(b->s);
        return NULL;
    }
    if (!b->s) add(b, "", 0);
    *len = b->len;
    return b->s;
}

/* One CSV field: quoted when it holds a comma, quote or line break. */
static void field(struct buf *b, const char *s, int first)
{
    if (!first) add(b, ",", 1);
    if (!s) return;
    if (!strpbrk(s, ",\"\r\n")) {
        adds(b, s);
        return;
    }
    add(b, "\"", 1);
    for (const char *p = s; *p; p++) {
        if (*p == '"') add(b, "\"", 1);
        add(b, p, 1);
    }
    add(b, "\"", 1);
}

static void field_json(struct buf *b, json_t *v)
{
    char num[64];
    if (json_is_string(v))
        field(b, json_string_value(v), 0);
    else if (json_is_integer(v))
        snprintf(num, sizeof num, "%lld", (long long)json_integer_value(v)), field(b, num, 0);
    else if (json_is_real(v))
        snprintf(num, sizeof num, "%.10g", json_real_value(v)), field(b, num, 0);
    else
        field(b, NULL, 0);
}

/* The key of each entity of an array, joined with "; ". */
static void field_entities(struct buf *b, json_t *arr, const char *key)
{
    struct buf j = {0};
    size_t i;
    json_t *e;
    json_array_foreach(arr, i, e)
    {
        const char *v = json_string_value(json_object_get(e, key));
        if (!v) continue;
        if (j.len) add(&j, "; ", 2);
        adds(&j, v);
    }
    field(b, j.failed ? NULL : j.s, 0);
    free(j.s);
}

char *hd_format_csv(json_t *data, size_t *len)
{
    struct buf b = {0};
    adds(&b, "id,type,cameo,plover,modality,actors,actor_ids,targets,target_ids,location,"
             "location_id,lat,lon,date_start,date_end,date_precision,date_text,trigger,sentence,"
             "article_id,article_file,article_title,confidence,cluster\r\n");
    size_t i;
    json_t *e;
    json_array_foreach(data, i, e)
    {
        char id[32];
        snprintf(id, sizeof id, "%lld", (long long)json_integer_value(json_object_get(e, "id")));
        field(&b, id, 1);
        field_json(&b, json_object_get(e, "type"));
        field_json(&b, json_object_get(e, "cameo"));
        field_json(&b, json_object_get(e, "plover"));
        field_json(&b, json_object_get(e, "modality"));
        field_entities(&b, json_object_get(e, "actors"), "name");
        field_entities(&b, json_object_get(e, "actors"), "id");
        field_entities(&b, json_object_get(e, "targets"), "name");
        field_entities(&b, json_object_get(e, "targets"), "id");
        json_t *loc = json_object_get(e, "location"), *pt = json_object_get(loc, "point");
        field_json(&b, json_object_get(loc, "name"));
        field_json(&b, json_object_get(loc, "id"));
        field_json(&b, json_object_get(pt, "lat"));
        field_json(&b, json_object_get(pt, "lon"));
        json_t *d = json_object_get(e, "date");
        field_json(&b, json_object_get(d, "start"));
        field_json(&b, json_object_get(d, "end"));
        field_json(&b, json_object_get(d, "precision"));
        field_json(&b, json_object_get(d, "text"));
        field_json(&b, json_object_get(e, "trigger"));
        field_json(&b, json_object_get(e, "sentence"));
        json_t *a = json_object_get(e, "article");
        field_json(&b, json_object_get(a, "id"));
        field_json(&b, json_object_get(a, "file"));
        field_json(&b, json_object_get(a, "title"));
        field_json(&b, json_object_get(e, "confidence"));
        field_json(&b, json_object_get(json_object_get(e, "cluster"), "id"));
        adds(&b, "\r\n");
    }
    return done(&b, len);
}

char *hd_format_ndjson(json_t *data, size_t *len)
{
    struct buf b = {0};
    size_t i;
    json_t *e;
    json_array_foreach(data, i, e)
    {
        char *line = json_dumps(e, JSON_COMPACT | JSON_REAL_PRECISION(10));
        if (!line) {
            b.failed = 1;
            break;
        }
        adds(&b, line);
        add(&b, "\n", 1);
        free(line);
    }
    return done(&b, len);
}

json_t *hd_format_geojson(json_t *data, json_t *meta)
{
    json_t *features = json_array();
    size_t i;
    json_t *e;
    json_array_foreach(data, i, e)
    {
        json_t *pt = json_object_get(json_object_get(e, "location"), "point");
        if (!json_is_number(json_object_get(pt, "lat"))) continue;
        json_array_append_new(
            features,
            json_pack("{s:s, s:I, s:{s:s, s:[f, f]}, s:O}", "type", "Feature", "id",
                      json_integer_value(json_object_get(e, "id")), "geometry", "type", "Point",
                      "coordinates", json_number_value(json_object_get(pt, "lon")),
                      json_number_value(json_object_get(pt, "lat")), "properties", e));
    }
    return json_pack("{s:s, s:o, s:O}", "type", "FeatureCollection", "features", features, "meta",
                     meta);
}
