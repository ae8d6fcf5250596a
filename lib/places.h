/* Place names: the Arabic and English names of every ISO 3166 country and
 * the exemplar cities of the time-zone database, from ICU, and the capitals
 * and news cities of lib/data/cities.tsv. Ingest uses them to tell a city
 * dateline ("القاهرة - ...") from a publisher credit ("صراحة نيوز- ..."). */
#ifndef HD_PLACES_H
#define HD_PLACES_H

/* 1 when key, a hd_normalize_key() form, names a country or such a city. The
 * names are read from ICU on first use; later calls are lock-free. */
int hd_place_known(const char *key);

#endif
