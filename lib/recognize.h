/* Entity recognition in an article's text: the names of knowledge-base
 * entities (longest match over the words, clitics stripped), people and
 * organisations the knowledge base does not know, found by the title or head
 * word that introduces them, and the short later forms (a surname, a title)
 * that refer back to someone named before in the same text. */
#ifndef HD_RECOGNIZE_H
#define HD_RECOGNIZE_H

#include <stddef.h>

#include "kb.h"
#include "sentences.h"

/* An entity of one document: a knowledge-base entry, or one found in the
 * text (kb < 0), whose strings the recognition owns. */
struct hd_rec_entity {
    long kb;
    char *slug, *name, *name_ar, *country; /* for kb < 0 only; country may be NULL */
    char *key;                             /* for kb < 0 only: name_ar's matching key */
    const char *type;                      /* for kb < 0 only: person or organization */
};

enum hd_mention_kind {
    HD_MENTION_NAME,      /* the entity's name or an alias of it */
    HD_MENTION_SHORT,     /* part of a name given in full before (بوتين, كيم) */
    HD_MENTION_ROLE,      /* a title that stood before the name (الرئيس الروسي) */
    HD_MENTION_ADJECTIVE, /* a country's adjective (الروسية): no name, a modifier */
};

/* A city mention that stands for its country's government (بيونغ يانغ
 * ترحب، اتهامات لموسكو) rather than for the place. */
#define HD_MENTION_AS_COUNTRY 1u

struct hd_mention {
    size_t start, end;       /* bytes of the text, end exclusive */
    size_t cp_start, cp_end; /* the same in code points */
    size_t entity;           /* index into hd_recognition.entities */
    size_t sentence;         /* index of the sentence it is in */
    enum hd_mention_kind kind;
    unsigned flags;
};

struct hd_recognition {
    struct hd_rec_entity *entities;
    size_t nentities;
    struct hd_mention *mentions; /* in text order */
    size_t nmentions;
};

/* A recogniser over kb (which must outlive it). Not to be shared between
 * threads. NULL with the reason in err. */
struct hd_recognizer;
struct hd_recognizer *hd_recognizer_new(const struct hd_kb *kb, char *err, size_t errlen);
void hd_recognizer_free(struct hd_recognizer *r);

/* Its knowledge base, and its cross-script keys (lib/keys.h), which its
 * thread may use too. */
const struct hd_kb *hd_recognizer_kb(const struct hd_recognizer *r);
struct hd_keys *hd_recognizer_keys(struct hd_recognizer *r);

/* Recognises the entities of text[0..len) (valid UTF-8) whose sentences are
 * the byte spans sent[0..nsent); fills *out (free it with
 * hd_recognition_free). Returns 0, or -1 when out of memory or ICU fails. */
int hd_recognize(struct hd_recognizer *r, const char *text, size_t len, const struct hd_span *sent,
                 size_t nsent, struct hd_recognition *out);
void hd_recognition_free(struct hd_recognition *rec);

/* The public fields of entity i of rec: slug, type, name, name_ar, country. */
const char *hd_rec_slug(const struct hd_recognizer *r, const struct hd_recognition *rec, size_t i);
const char *hd_rec_type(const struct hd_recognizer *r, const struct hd_recognition *rec, size_t i);
const char *hd_rec_name(const struct hd_recognizer *r, const struct hd_recognition *rec, size_t i);
const char *hd_rec_name_ar(const struct hd_recognizer *r, const struct hd_recognition *rec,
                           size_t i);
const char *hd_rec_country(const struct hd_recognizer *r, const struct hd_recognition *rec,
                           size_t i);

/* The index in rec of knowledge-base entry kb, added (with no mention)
 * when rec has none; -1 when out of memory. */
long hd_recognition_add_kb(struct hd_recognition *rec, long kb);

/* "mention kind" as the API spells it: name, short, role, adjective. */
const char *hd_mention_kind_name(enum hd_mention_kind k);

#endif
