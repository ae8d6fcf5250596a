/* Political events in an article's text: who visited, met, wrote to,
 * accused or armed whom, when and where, and how sure the text is of it.
 * Triggers (verbs in every tense, their verbal nouns) and cues come from
 * lib/data/triggers.tsv and lib/data/eventcues.tsv; the arguments are read
 * from the sentence around the trigger and the entities recognition found. */
#ifndef HD_EVENTS_H
#define HD_EVENTS_H

#include <stddef.h>

#include "recognize.h"
#include "sentences.h"
#include "timex.h"

#define HD_EVENT_MAX_ROLE 8 /* actors, and targets, kept per event */

struct hd_event {
    const char *type, *cameo, *plover; /* static strings */
    const char *modality;              /* asserted, planned, alleged, conditional, negated */
    size_t actors[HD_EVENT_MAX_ROLE], nactors; /* indexes into hd_recognition.entities */
    size_t targets[HD_EVENT_MAX_ROLE], ntargets;
    long location;                     /* an entity index, or -1 */
    struct hd_ymd start, end;          /* y = 0 when unknown */
    enum hd_precision precision;       /* HD_PREC_UNKNOWN: no date, or unresolved */
    size_t date_start, date_end;       /* bytes of the date's words; equal when none */
    size_t trigger_start, trigger_end; /* bytes of the trigger's words */
    size_t sentence;                   /* index of the sentence */
    double confidence;
};

struct hd_event_list {
    struct hd_event *v;
    size_t n;
    struct hd_ymd reference; /* the date relative dates were read against */
    int reference_inferred;  /* 1 when it came from the text, not the metadata */
};

/* An event extractor; not to be shared between threads. NULL with the
 * reason in err. */
struct hd_eventer;
struct hd_eventer *hd_eventer_new(char *err, size_t errlen);
void hd_eventer_free(struct hd_eventer *ev);

/* The events of text[0..len) whose sentences are sent[0..nsent), read with
 * the entities of rec (made by r from the same text; events may add to its
 * entities the country a capital or a city stands for). published is the
 * publication date (ISO-8601) or NULL: without it, one is inferred from the
 * text where the text allows. Fills *out (free with hd_event_list_free).
 * Returns 0, or -1 when out of memory or ICU fails. */
int hd_events_extract(struct hd_eventer *ev, const struct hd_recognizer *r, const char *text,
                      size_t len, const struct hd_span *sent, size_t nsent,
                      struct hd_recognition *rec, const char *published, struct hd_event_list *out);
void hd_event_list_free(struct hd_event_list *l);

/* 1 when type is one of the event types of the API. */
int hd_event_type_valid(const char *type);

#endif
