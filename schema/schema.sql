-- hadath's store: articles and their sentences, the entities they mention and
-- the events they report. The binary embeds this file; a database whose
-- user_version differs from the one set at the end is rebuilt from scratch.

PRAGMA foreign_keys = ON;

-- Key/value facts about the database itself (extractor version, ingest time).
CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) WITHOUT ROWID;

-- One row per ingested document. `file` is the name inside the corpus folder;
-- `hash` covers the document, its sidecar metadata and the extractor version,
-- so that an unchanged document is skipped on the next start.
CREATE TABLE articles (
    id               INTEGER PRIMARY KEY,
    file             TEXT NOT NULL UNIQUE,
    hash             TEXT NOT NULL,
    title            TEXT NOT NULL,
    source           TEXT,
    published        TEXT,
    published_source TEXT NOT NULL
        CHECK (published_source IN ('metadata', 'dateline', 'inferred', 'unknown')),
    url              TEXT,
    text             TEXT NOT NULL,
    text_length      INTEGER NOT NULL, -- in code points, the unit of every offset
    furniture_lines  INTEGER NOT NULL DEFAULT 0,
    ingested_at      TEXT NOT NULL
);
CREATE INDEX articles_published ON articles (published, id);

-- Sentences as code-point spans of articles.text; seq counts from 0 (the title).
CREATE TABLE sentences (
    id         INTEGER PRIMARY KEY,
    article_id INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    seq        INTEGER NOT NULL,
    start      INTEGER NOT NULL,
    "end"      INTEGER NOT NULL,
    text       TEXT NOT NULL,
    UNIQUE (article_id, seq)
);

-- Full-text index of the sentences (lib/fts.c): the tokenizer "hadath"
-- indexes each word's matching form with its clitic stems; the text itself
-- stays in sentences (external content). New sentences are indexed in one
-- statement at the end of an ingest (hd_store_index_fresh): an insert
-- trigger would flush FTS5's pending terms at every statement's savepoint,
-- a segment a sentence, and double the cost of an ingest. A deleted
-- sentence leaves the index by the trigger.
CREATE VIRTUAL TABLE sentences_fts USING fts5 (
    text, content = 'sentences', content_rowid = 'id', tokenize = 'hadath'
);
CREATE TRIGGER sentences_fts_delete AFTER DELETE ON sentences BEGIN
    INSERT INTO sentences_fts (sentences_fts, rowid, text) VALUES ('delete', old.id, old.text);
END;

-- Entities are shared by all articles: a knowledge-base entry or one found in
-- the text. `slug` is the stable public id.
CREATE TABLE entities (
    id       INTEGER PRIMARY KEY,
    slug     TEXT NOT NULL UNIQUE,
    type     TEXT NOT NULL CHECK (type IN ('person', 'country', 'city', 'region',
                                           'organization', 'facility', 'group')),
    name     TEXT NOT NULL,
    name_ar  TEXT,
    wikidata TEXT,
    country  TEXT,
    lat      REAL,
    lon      REAL,
    origin   TEXT NOT NULL DEFAULT 'kb' CHECK (origin IN ('kb', 'text'))
);
CREATE INDEX entities_type ON entities (type, id);
CREATE INDEX entities_wikidata ON entities (wikidata) WHERE wikidata IS NOT NULL;
CREATE INDEX entities_country ON entities (country); -- /events?country=

-- Every name an entity goes by. `key` is its matching form (hd_normalize_key:
-- hamza, ta marbuta, diacritics, case folded) and `skeleton` the phonetic
-- key that its spellings share across scripts (lib/keys.c), so that a query
-- in any spelling finds the entity.
CREATE TABLE aliases (
    entity_id INTEGER NOT NULL REFERENCES entities (id) ON DELETE CASCADE,
    text      TEXT NOT NULL,
    script    TEXT NOT NULL CHECK (script IN ('ar', 'latn', 'other')),
    key       TEXT NOT NULL,
    skeleton  TEXT NOT NULL,
    PRIMARY KEY (entity_id, text)
) WITHOUT ROWID;
CREATE INDEX aliases_key ON aliases (key);
CREATE INDEX aliases_skeleton ON aliases (skeleton);

-- The single words of the aliases, so that `kim` finds every Kim.
CREATE TABLE alias_words (
    word      TEXT NOT NULL, -- matching form
    skeleton  TEXT NOT NULL,
    entity_id INTEGER NOT NULL REFERENCES entities (id) ON DELETE CASCADE,
    PRIMARY KEY (word, entity_id)
) WITHOUT ROWID;
CREATE INDEX alias_words_skeleton ON alias_words (skeleton);
CREATE INDEX alias_words_entity ON alias_words (entity_id);

CREATE TABLE mentions (
    id          INTEGER PRIMARY KEY,
    article_id  INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    sentence_id INTEGER REFERENCES sentences (id) ON DELETE CASCADE,
    entity_id   INTEGER NOT NULL REFERENCES entities (id),
    start       INTEGER NOT NULL,
    "end"       INTEGER NOT NULL,
    surface     TEXT NOT NULL,
    -- name: a name or alias; short: part of a name given in full before;
    -- role: a title standing for the person it introduced before;
    -- adjective: a country's adjective (الروسية), a modifier, not a name
    kind        TEXT NOT NULL DEFAULT 'name'
        CHECK (kind IN ('name', 'short', 'role', 'adjective')),
    -- a capital standing for its country's government (بيونغ يانغ ترحب)
    as_country  INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX mentions_article ON mentions (article_id, start);
CREATE INDEX mentions_entity ON mentions (entity_id, article_id);
CREATE INDEX mentions_sentence ON mentions (sentence_id, entity_id);

-- Per entity, its name mentions and the articles they are in (adjectives
-- left out): recomputed after each ingest that changed something, so that
-- /entities sorts by them without counting on every request.
CREATE TABLE entity_stats (
    entity_id INTEGER PRIMARY KEY REFERENCES entities (id) ON DELETE CASCADE,
    mentions  INTEGER NOT NULL,
    articles  INTEGER NOT NULL
);
CREATE INDEX entity_stats_rank ON entity_stats (mentions DESC, entity_id);

-- The organisations an article credits (its closing "(فرانس برس، رويترز)"
-- line, which is not part of its text, so has no mention offsets).
CREATE TABLE article_credits (
    article_id INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    entity_id  INTEGER NOT NULL REFERENCES entities (id),
    PRIMARY KEY (article_id, entity_id)
) WITHOUT ROWID;
CREATE INDEX article_credits_entity ON article_credits (entity_id);

CREATE TABLE events (
    id             INTEGER PRIMARY KEY,
    article_id     INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    sentence_id    INTEGER REFERENCES sentences (id) ON DELETE CASCADE,
    type           TEXT NOT NULL,
    cameo          TEXT,
    plover         TEXT,
    modality       TEXT NOT NULL CHECK (modality IN ('asserted', 'planned', 'alleged',
                                                     'conditional', 'negated')),
    date_start     TEXT,
    date_end       TEXT,
    date_precision TEXT NOT NULL DEFAULT 'unknown'
        CHECK (date_precision IN ('day', 'month', 'year', 'unknown')),
    date_text      TEXT,
    trigger        TEXT NOT NULL,
    trigger_start  INTEGER NOT NULL, -- code points into articles.text
    trigger_end    INTEGER NOT NULL,
    location_id    INTEGER REFERENCES entities (id),
    confidence     REAL NOT NULL DEFAULT 0.5,
    -- the reports of one real-world event (in several sentences or
    -- articles) share a cluster: the id of the first of them; recomputed
    -- after each ingest that changed something
    cluster        INTEGER
);
CREATE INDEX events_article ON events (article_id, id);
CREATE INDEX events_type ON events (type, id);
CREATE INDEX events_cameo ON events (cameo, id);
CREATE INDEX events_plover ON events (plover, id);
CREATE INDEX events_modality ON events (modality, id);
CREATE INDEX events_date ON events (date_start, id);
CREATE INDEX events_date_end ON events (date_end, id); -- /events?from=
CREATE INDEX events_sentence ON events (sentence_id); -- /events?q=, a sentence's deletion
CREATE INDEX events_location ON events (location_id, id);
CREATE INDEX events_cluster ON events (cluster, id);

CREATE TABLE event_participants (
    event_id  INTEGER NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    role      TEXT NOT NULL CHECK (role IN ('actor', 'target')),
    entity_id INTEGER NOT NULL REFERENCES entities (id),
    PRIMARY KEY (event_id, role, entity_id)
) WITHOUT ROWID;
CREATE INDEX event_participants_entity ON event_participants (entity_id, role, event_id);

PRAGMA user_version = 6;
