/* Page furniture: the lines of a scraped news page that are not the article
 * (related-story lists, comment forms, share widgets, captions, credits).
 * The decision is made per line by general rules and a marker lexicon
 * (lib/data/furniture.tsv), never by the strings of particular articles. */
#ifndef HD_FURNITURE_H
#define HD_FURNITURE_H

#include <stddef.h>

struct hd_line {
    const char *s; /* the line, trimmed; points into the document */
    size_t len;
    char *key; /* hd_normalize_key() form, owned */
    int words; /* tokens holding a letter or digit */
    unsigned blank : 1, bullet : 1, ends_stop : 1, prose : 1;
    unsigned date : 1;      /* set by the caller: a dateline */
    unsigned keep : 1;      /* set by the caller: never furniture by the layout rules */
    unsigned title : 1;     /* chosen by hd_furniture_mark() */
    unsigned furniture : 1; /* the verdict */
    const char *why;        /* which rule made it furniture (static string) */
};

/* Splits text[0..len) (valid UTF-8, "\n" line ends) into a new array of
 * classified lines in *out; returns the count, or -1 when out of memory. */
long hd_lines_new(const char *text, size_t len, struct hd_line **out);
void hd_lines_free(struct hd_line *lines, size_t n);

/* Sets furniture, why and title on lines[0..n). Markers apply to every line;
 * the layout rules (blocks, repeats, captions, neighbours) spare the title's
 * first occurrence and lines marked keep or date. */
void hd_furniture_mark(struct hd_line *lines, size_t n);

#endif
