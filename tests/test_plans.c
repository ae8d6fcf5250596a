/* The query plans of the API: the seed corpus is ingested into a database
 * file, every route is asked (read-only, as the server does) with each of its
 * filters alone and in pairs, and every statement the connection prepared is
 * run through EXPLAIN QUERY PLAN. A full scan of a table that grows with the
 * corpus (or an automatic index or Bloom filter, which scan it too) fails
 * unless the allow-list below says why the scan is right there; a search
 * index scanned without MATCH fails too. HD_PLANS_VERBOSE=1 prints every plan. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "check.h"
#include "ingest.h"
#include "routes.h"

/* Scans that are right. A statement matches an entry when its text is sql
 * (or, for an entry marked part, contains it: a list query built per shape)
 * and the scanned table is one of tables. Every entry must match some scan. */
static const struct allow {
    const char *sql;
    int part;
    const char *tables, *why;
} allowed[] = {
    /* the totals of the whole store */
    {"SELECT (SELECT count(*) FROM articles), (SELECT count(*) FROM entities), (SELECT count(*)"
     " FROM events)",
     0, "articles entities events", "/health and /metrics count every row: that is what they say"},
    {"SELECT count(*) FROM articles", 0, "articles",
     "/articles' total and /stats count every article"},
    /* /stats: aggregates over everything, by definition */
    {"SELECT count(*) FROM sentences", 0, "sentences", "/stats counts every sentence"},
    {"SELECT count(*) FROM events", 0, "events", "/stats counts every event"},
    {"SELECT count(DISTINCT cluster) FROM events", 0, "events", "/stats counts every cluster"},
    {"SELECT type, count(*) FROM events GROUP BY type ORDER BY type", 0, "events",
     "/stats counts every event by type"},
    {"SELECT modality, count(*) FROM events GROUP BY modality", 0, "events",
     "/stats counts every event by modality"},
    {"SELECT substr(date_start, 1, 7) AS m, count(*) FROM events WHERE date_precision IN ('day',"
     " 'month') GROUP BY m ORDER BY m",
     0, "events", "/stats counts the events of every month (most events are dated)"},
    {"SELECT entity_id, count(DISTINCT event_id) AS n FROM event_participants WHERE role = ?1"
     " GROUP BY entity_id ORDER BY n DESC, entity_id LIMIT ?2",
     0, "event_participants", "/stats ranks every actor (target) by its events"},
    {"SELECT e.type, count(*) FROM entity_stats s JOIN entities e ON e.id = s.entity_id WHERE"
     " s.mentions > 0 GROUP BY e.type",
     0, "entities", "/stats counts every mentioned entity by type"},
    /* the lists with no filter */
    {"SELECT e.slug, e.type, e.name, e.name_ar, e.wikidata, e.country, s.mentions, s.articles,"
     " e.lat, e.lon FROM entity_stats s JOIN entities e ON e.id = s.entity_id ORDER BY s.mentions"
     " DESC, s.entity_id LIMIT :limit OFFSET :offset",
     0, "entity_stats", "/entities with no filter: a page walked in rank order (its index), LIMIT"},
    {"SELECT count(*) FROM entity_stats s JOIN entities e ON e.id = s.entity_id", 0,
     "entities entity_stats", "/entities' total with no filter counts every entity"},
    {"FROM events e WHERE 1)", 1, "events",
     "/events with no filter: its total counts, and its page picks from, every event"},
    {"FROM events e WHERE 1 GROUP BY e.cluster)", 1, "events",
     "/events?group=cluster with no filter: every cluster, walked in order of events_cluster"},
};

#define NALLOWED (sizeof allowed / sizeof *allowed)
static int allowed_used[NALLOWED]; /* scans each entry allowed */

/* Tables that stay small whatever the corpus. */
static const char *const small_tables[] = {
    "meta", /* a few key/value facts about the database */
    NULL,
};

/* Read statements of lib/store.c that only ingest runs, so no route prepares
 * them; every other read statement there must be run by a request below. */
static const enum hd_stmt ingest_only[] = {
    HD_ARTICLE_BY_FILE, /* is a document unchanged? */
    HD_ARTICLE_FILES,   /* which documents are gone? */
    HD_ENTITY_BY_SLUG,  /* is an entity found in the text stored already? */
    HD_CLUSTER_ROWS,    /* every event, to cluster them after an ingest */
};

static struct hd_store *st;
static char **sqls; /* every distinct statement text seen, in order */
static size_t nsql, capsql;
static int verbose;

static int seen_sql(const char *q)
{
    for (size_t i = 0; i < nsql; i++)
        if (!strcmp(sqls[i], q)) return 1;
    return 0;
}

/* Adds the text of every statement the connection holds now: the store
 * keeps few built statements, so this runs after each request. */
static void collect(void)
{
    sqlite3 *db = hd_store_db(st);
    for (sqlite3_stmt *s = sqlite3_next_stmt(db, NULL); s; s = sqlite3_next_stmt(db, s)) {
        const char *q = sqlite3_sql(s);
        if (!q || seen_sql(q)) continue;
        if (nsql == capsql) {
            capsql = capsql ? capsql * 2 : 64;
            sqls = realloc(sqls, capsql * sizeof *sqls);
            if (!sqls) abort();
        }
        sqls[nsql++] = strdup(q);
    }
}

/* GET path?query ("name=value&..."; values as decoded, no & or = in them).
 * Checks the answer is a 200; copies meta.next, if any, into next. */
static void get_next(const char *path, const char *query, char *next, size_t cap)
{
    struct hd_request *rq = calloc(1, sizeof *rq);
    struct hd_reply rp = HD_REPLY_INIT;
    char buf[1024];
    snprintf(buf, sizeof buf, "%s", query ? query : "");
    rq->method = "GET", rq->path = path, rq->st = st, rq->max_limit = 1000, rq->base_path = "";
    for (char *p = buf, *amp; *p && rq->nargs < HD_ARGS_MAX; p = amp) {
        amp = strchr(p, '&');
        if (amp)
            *amp++ = 0;
        else
            amp = p + strlen(p);
        char *eq = strchr(p, '=');
        if (eq) *eq = 0;
        rq->args[rq->nargs].name = p;
        rq->args[rq->nargs].value = eq ? eq + 1 : "";
        rq->nargs++;
    }
    hd_route(rq, &rp);
    const char *detail = json_string_value(json_object_get(rp.body, "detail"));
    CHECK(rp.status == 200, "GET %s?%s: %u %s", path, query ? query : "", rp.status,
          detail ? detail : "");
    if (next) {
        const char *n =
            json_string_value(json_object_get(json_object_get(rp.body, "meta"), "next"));
        snprintf(next, cap, "%s", n ? n : "");
    }
    hd_reply_clear(&rp);
    free(rq);
    collect();
}

static void get(const char *path, const char *query)
{
    get_next(path, query, NULL, 0);
}

/* GET path?query, then its next page through the cursor it gave. */
static void get_paged(const char *path, const char *query)
{
    char next[512], q2[1024];
    get_next(path, query, next, sizeof next);
    CHECK(next[0], "GET %s?%s gave no next page to follow", path, query);
    if (!next[0]) return;
    snprintf(q2, sizeof q2, "%s%scursor=%s", query, *query ? "&" : "", next);
    get(path, q2);
}

/* The filters of /events, each with a value that finds something. */
static const char *const event_filters[] = {
    "actor=kim",         "target=russia", "participant=putin", "location=pyongyang", "type=visit",
    "modality=asserted", "cameo=042",     "plover=CONSULT",    "country=KP",         "article=1",
    "from=2024-06",      "to=2024-09",    "q=روسيا",
};
#define NEVENT_FILTERS (sizeof event_filters / sizeof *event_filters)

static const char *const event_orders[] = {"", "sort=id", "sort=date", "sort=-date"};

static void ask_everything(void)
{
    char q[1024];
    get("/", NULL);
    get("/health", NULL);
    get("/metrics", NULL);
    get("/openapi.json", NULL);
    get("/stats", NULL);
    get("/stats", "top=3");

    get_paged("/articles", "limit=2");
    get("/articles", "limit=1000");
    for (int id = 1; id <= 5; id++) {
        snprintf(q, sizeof q, "/articles/%d", id);
        get(q, NULL);
    }

    /* /entities: each filter, each pair, all three; names resolved every way */
    static const char *const ent_filters[] = {"type=person", "article=2", "q=kim"};
    get_paged("/entities", "limit=3");
    for (size_t i = 0; i < 3; i++) {
        get("/entities", ent_filters[i]);
        for (size_t j = i + 1; j < 3; j++) {
            snprintf(q, sizeof q, "%s&%s", ent_filters[i], ent_filters[j]);
            get("/entities", q);
        }
    }
    get_paged("/entities", "type=country&article=1&q=russia,north korea,كوريا&limit=1");
    static const char *const names[] = {
        "kim-jong-un",  /* the id */
        "Q56226",       /* a Wikidata id */
        "Kim Jong Un",  /* a name as spelled */
        "كيم جونغ اون", /* without its hamza */
        "kim",          /* one word of names */
        "Kim Jong Oon", /* the phonetic skeleton of a name */
        "Vladimeer",    /* that of one word */
        "vla*",         /* a prefix, as the page's search box suggests */
        "nobody-we-know",
    };
    for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
        snprintf(q, sizeof q, "q=%s", names[i]);
        get("/entities", q);
        snprintf(q, sizeof q, "participant=%s", names[i]);
        get("/events", q);
    }
    static const char *const slugs[] = {"kim-jong-un", "russia", "pyongyang", "Q56226",
                                        "sergei-shoigu"};
    for (size_t i = 0; i < sizeof slugs / sizeof *slugs; i++) {
        snprintf(q, sizeof q, "/entities/%s", slugs[i]);
        get(q, NULL);
    }

    /* /events: no filter, each filter and each pair of them, in every order
     * and grouped by cluster; then all of them at once */
    for (size_t o = 0; o < sizeof event_orders / sizeof *event_orders; o++) {
        get("/events", event_orders[o]);
        snprintf(q, sizeof q, "group=cluster%s%s", *event_orders[o] ? "&" : "", event_orders[o]);
        get("/events", q);
        for (size_t i = 0; i < NEVENT_FILTERS; i++) {
            snprintf(q, sizeof q, "%s%s%s", event_filters[i], *event_orders[o] ? "&" : "",
                     event_orders[o]);
            get("/events", q);
            snprintf(q, sizeof q, "group=cluster&%s%s%s", event_filters[i],
                     *event_orders[o] ? "&" : "", event_orders[o]);
            get("/events", q);
        }
    }
    for (size_t i = 0; i < NEVENT_FILTERS; i++)
        for (size_t j = i + 1; j < NEVENT_FILTERS; j++) {
            snprintf(q, sizeof q, "%s&%s", event_filters[i], event_filters[j]);
            get("/events", q);
            snprintf(q, sizeof q, "%s&%s&group=cluster&sort=-date", event_filters[i],
                     event_filters[j]);
            get("/events", q);
        }
    size_t o = 0;
    q[0] = 0;
    for (size_t i = 0; i < NEVENT_FILTERS; i++)
        o += (size_t)snprintf(q + o, sizeof q - o, "%s%s", i ? "&" : "", event_filters[i]);
    get("/events", q);
    get_paged("/events", "limit=2");
    get_paged("/events", "actor=putin&limit=2");
    get_paged("/events", "sort=date&type=visit,meeting&limit=2");
    get_paged("/events", "group=cluster&sort=-date&limit=2");
    static const char *const formats[] = {"csv", "ndjson", "geojson"};
    for (size_t i = 0; i < sizeof formats / sizeof *formats; i++) {
        snprintf(q, sizeof q, "format=%s&actor=kim&type=visit", formats[i]);
        get("/events", q);
    }
    for (int id = 1; id <= 20; id++) {
        snprintf(q, sizeof q, "/events/%d", id);
        get(q, NULL);
    }

    /* /search: a word, a phrase and a prefix, alone and in one article */
    get_paged("/search", "q=روسيا&limit=2");
    get("/search", "q=روسيا&article=3");
    get("/search", "q=\"كوريا الشمالية\" بوت*");
}

static int is_small(const char *table)
{
    for (size_t i = 0; small_tables[i]; i++)
        if (!strcmp(small_tables[i], table)) return 1;
    return 0;
}

static int is_word(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

static int keyword(const char *w, size_t n)
{
    static const char *const kw[] = {"WHERE", "JOIN",   "ON",     "LEFT",      "INNER", "CROSS",
                                     "ORDER", "GROUP",  "LIMIT",  "UNION",     "USING", "NATURAL",
                                     "AS",    "HAVING", "EXCEPT", "INTERSECT", NULL};
    for (size_t i = 0; kw[i]; i++)
        if (strlen(kw[i]) == n && !strncasecmp(kw[i], w, n)) return 1;
    return 0;
}

/* The table that name (a table, or an alias given in the FROM or JOIN of q)
 * stands for, into out; "" when it is neither. An alias used for two tables
 * in one statement gives the first. */
static void table_of(const char *q, const char *name, char *out, size_t cap)
{
    out[0] = 0;
    size_t nl = strlen(name);
    for (const char *p = q; *p; p++) {
        if ((p > q && is_word(p[-1])) ||
            (strncasecmp(p, "FROM ", 5) != 0 && strncasecmp(p, "JOIN ", 5) != 0))
            continue;
        const char *t = p + 5, *te = t;
        while (is_word(*te)) te++;
        if (te == t) continue; /* a subquery */
        const char *a = te;
        if (*a == '(') /* a table-valued function's arguments */
            for (int depth = 0; *a; a++) {
                depth += *a == '(' ? 1 : *a == ')' ? -1 : 0;
                if (!depth) {
                    a++;
                    break;
                }
            }
        while (*a == ' ') a++;
        if (!strncasecmp(a, "AS ", 3)) a += 3;
        const char *ae = a;
        while (is_word(*ae)) ae++;
        int has_alias = ae > a && !keyword(a, (size_t)(ae - a));
        if (((size_t)(te - t) == nl && !strncmp(t, name, nl)) ||
            (has_alias && (size_t)(ae - a) == nl && !strncmp(a, name, nl))) {
            snprintf(out, cap, "%.*s", (int)(te - t), t);
            return;
        }
    }
}

/* Whether word is one of the space-separated words of list. */
static int listed(const char *list, const char *word)
{
    size_t n = strlen(word);
    for (const char *p = list; (p = strstr(p, word)) != NULL; p += n)
        if ((p == list || p[-1] == ' ') && (p[n] == ' ' || !p[n])) return 1;
    return 0;
}

/* Whether the allow-list says the scan of table by statement q is right. */
static int allowed_scan(const char *q, const char *table)
{
    for (size_t i = 0; i < NALLOWED; i++) {
        const struct allow *a = &allowed[i];
        if (listed(a->tables, table) &&
            (a->part ? strstr(q, a->sql) != NULL : !strcmp(q, a->sql))) {
            allowed_used[i]++;
            return 1;
        }
    }
    return 0;
}

/* Runs EXPLAIN QUERY PLAN on q; returns how many of its steps scan where
 * they should not. With report, each is a failure that prints the
 * statement and its plan. */
static int check_plan(const char *q, int report)
{
    sqlite3 *db = hd_store_db(st);
    char *eqp = sqlite3_mprintf("EXPLAIN QUERY PLAN %s", q);
    sqlite3_stmt *s = NULL;
    int rc = sqlite3_prepare_v2(db, eqp, -1, &s, NULL);
    sqlite3_free(eqp);
    CHECK(rc == SQLITE_OK, "EXPLAIN QUERY PLAN %s: %s", q, sqlite3_errmsg(db));
    if (rc != SQLITE_OK) return -1;
    char plan[8192] = "", why[2048] = "";
    size_t pl = 0, wl = 0;
    int bad = 0, steps = 0;
    int ids[256], depths[256];  /* each row's id and depth, for the indentation */
    char subqueries[512] = " "; /* " m n ": the names of CO-ROUTINEs and MATERIALIZEs */
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        int id = sqlite3_column_int(s, 0), parent = sqlite3_column_int(s, 1), depth = 0;
        const char *d = (const char *)sqlite3_column_text(s, 3);
        for (int i = 0; i < steps && i < 256; i++)
            if (ids[i] == parent) depth = depths[i] + 1;
        if (steps < 256) ids[steps] = id, depths[steps] = depth;
        pl += (size_t)snprintf(plan + pl, pl < sizeof plan ? sizeof plan - pl : 0, "    %*s%s\n",
                               2 * depth, "", d);
        steps++;
        const char *problem = NULL;
        char name[128] = "", table[128] = "";
        int scan = !strncmp(d, "SCAN ", 5);
        /* a subquery's rows: its own reads are steps of their own, checked */
        const char *sub = !strncmp(d, "CO-ROUTINE ", 11)    ? d + 11
                          : !strncmp(d, "MATERIALIZE ", 12) ? d + 12
                                                            : NULL;
        if (sub && strlen(subqueries) + strlen(sub) + 2 < sizeof subqueries)
            strcat(strcat(subqueries, sub), " ");
        if (scan || !strncmp(d, "SEARCH ", 7)) { /* the table (or alias) it reads */
            snprintf(name, sizeof name, "%s", d + (scan ? 5 : 7));
            name[strcspn(name, " ")] = 0;
            table_of(q, name, table, sizeof table);
        }
        if (scan && strncmp(d, "SCAN CONSTANT ROW", 17) && d[5] != '(') {
            char padded[132];
            snprintf(padded, sizeof padded, " %s ", name);
            if (!table[0] && strstr(subqueries, padded)) {
                problem = NULL; /* the rows of a subquery above */
            } else if (!table[0]) {
                problem = "a scan of something this test cannot name";
            } else if (!strcmp(table, "json_each")) {
                problem = NULL; /* the values of one parameter */
            } else if (strstr(d, " VIRTUAL TABLE INDEX ")) {
                /* an FTS5 table: searched when its plan has a MATCH (M) */
                const char *idx = strchr(strstr(d, " VIRTUAL TABLE INDEX ") + 21, ':');
                if (!idx || !strchr(idx, 'M')) problem = "a search index read whole, no MATCH";
            } else if (!is_small(table) && !allowed_scan(q, table)) {
                problem = "a full scan";
            }
        } else if (strstr(d, "AUTOMATIC")) {
            problem = "an automatic index (a full scan on every run)";
        } else if (strstr(d, "BLOOM FILTER")) {
            problem = "a Bloom filter (a full scan on every run)";
        }
        if (problem) {
            bad++;
            wl += (size_t)snprintf(why + wl, wl < sizeof why ? sizeof why - wl : 0,
                                   "    %s: %s of %s\n", d, problem, table[0] ? table : name);
        }
    }
    /* a pragma (FTS5 asks for data_version) reads no table and has no plan */
    CHECK(rc == SQLITE_DONE && (steps > 0 || !strncmp(q, "PRAGMA", 6)), "EXPLAIN QUERY PLAN %s: %s",
          q, sqlite3_errmsg(db));
    sqlite3_finalize(s);
    if (!report) return bad;
    CHECK(!bad, "a query scans where an index should serve:\n  %s\n  plan:\n%s  wrong:\n%s", q,
          plan, why);
    if (verbose) fprintf(stderr, "%s\n%s\n", q, plan);
    return bad;
}

static char dir[64], db[128];

/* Closes the store and removes the database and its folder. */
static int finish(void)
{
    hd_routes_free();
    hd_store_close(st);
    char p[200];
    static const char *const suffix[] = {"", "-wal", "-shm"};
    for (size_t i = 0; i < 3; i++) {
        snprintf(p, sizeof p, "%s%s", db, suffix[i]);
        unlink(p);
    }
    rmdir(dir);
    return check_done("plans");
}

int main(void)
{
    char err[256];
    verbose = getenv("HD_PLANS_VERBOSE") != NULL;
    snprintf(dir, sizeof dir, "/tmp/hadath-test-plans-XXXXXX");
    CHECK(mkdtemp(dir) != NULL, "mkdtemp");
    snprintf(db, sizeof db, "%s/plans.db", dir);

    /* ingest as `hadath serve` does, then read as a server thread does */
    st = hd_store_open(db, HD_STORE_WRITE, err, sizeof err);
    CHECK(st != NULL, "open %s: %s", db, err);
    struct hd_ingest_stats stats;
    CHECK(st && hd_ingest_dir(st, "corpus", 1, NULL, NULL, &stats, err, sizeof err) == 0 &&
              stats.ingested == 5,
          "ingest corpus/: %s", err);
    hd_store_close(st);
    st = hd_store_open(db, HD_STORE_READ, err, sizeof err);
    CHECK(st != NULL, "read-only open: %s", err);
    CHECK(hd_routes_init("") == 0, "routes init");
    if (!st) return finish();

    ask_everything();

    /* every read statement of lib/store.c was run by some request above */
    size_t nrun = nsql;
    for (int id = 0; id < HD_STMT_COUNT; id++) {
        sqlite3_stmt *s = hd_store_stmt(st, (enum hd_stmt)id);
        CHECK(s != NULL, "statement %d does not prepare", id);
        if (!s || !sqlite3_stmt_readonly(s)) continue;
        int ingest = 0;
        for (size_t i = 0; i < sizeof ingest_only / sizeof *ingest_only; i++)
            ingest |= ingest_only[i] == (enum hd_stmt)id;
        int run = 0;
        for (size_t i = 0; i < nrun && !run; i++) run = !strcmp(sqls[i], sqlite3_sql(s));
        CHECK(run || ingest, "no request ran statement %d of lib/store.c: %s", id, sqlite3_sql(s));
    }

    /* the judge itself: it sees a scan, a search index read whole and an
     * automatic index, and passes a search of an index */
    CHECK(check_plan("SELECT e.id FROM events e WHERE e.trigger = ?1", 0) == 1,
          "a scan of events passes");
    CHECK(check_plan("SELECT rowid FROM sentences_fts", 0) == 1, "a read of all the index passes");
    CHECK(check_plan("SELECT m.id FROM mentions m JOIN events e ON e.trigger = m.surface", 0) == 2,
          "an automatic index passes");
    CHECK(check_plan("SELECT e.id FROM events e WHERE e.type = ?1", 0) == 0,
          "a search of events_type fails");

    CHECK(nsql >= 300, "only %zu distinct statements were prepared", nsql);
    int scans = 0;
    for (size_t i = 0; i < nsql; i++) scans += check_plan(sqls[i], 1) != 0;
    for (size_t i = 0; i < NALLOWED; i++)
        CHECK(allowed_used[i], "the allowed scan of %s by \"%s\" happens no more: drop it",
              allowed[i].tables, allowed[i].sql);
    if (verbose || scans)
        fprintf(stderr, "plans: %zu statements examined, %d scan where an index should serve\n",
                nsql, scans);

    for (size_t i = 0; i < nsql; i++) free(sqls[i]);
    free(sqls);
    return finish();
}
