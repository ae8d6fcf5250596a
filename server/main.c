/* hadath: the command line. `serve` ingests the corpus and serves the API,
 * `ingest` only ingests, `extract` prints one document's extraction, and
 * `health` probes a running server (for container health checks). */
#include <errno.h>
#include <getopt.h>
#include <malloc.h>
#include <netdb.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "http.h"
#include "ingest.h"
#include "keys.h"
#include "metrics.h"
#include "routes.h"
#include "utf8.h"
#include "views.h"
#include "watch.h"

static struct timespec t_start;

static const char usage[] =
    "usage: hadath COMMAND [OPTIONS]\n"
    "\n"
    "Extracts political events from Arabic news and serves them as a JSON API.\n"
    "\n"
    "commands:\n"
    "  serve    ingest the corpus folder, then serve the HTTP API\n"
    "           --corpus DIR    documents to ingest (HADATH_CORPUS, default ./corpus)\n"
    "           --db FILE       SQLite database (HADATH_DB, default ./hadath.db)\n"
    "           --listen ADDR   address to bind (HADATH_LISTEN, default 127.0.0.1)\n"
    "           --port N        port, 0 for any free one (HADATH_PORT, default 8080)\n"
    "           --threads N     server threads (HADATH_THREADS, default one per core)\n"
    "           --quiet         no access log (HADATH_QUIET=1)\n"
    "           --base-path P   the prefix the API is published under, e.g. /api, with or\n"
    "                           without a proxy stripping it (HADATH_BASE_PATH)\n"
    "           --trust-proxy   log the client address from X-Forwarded-For "
    "(HADATH_TRUST_PROXY=1)\n"
    "           --cors ORIGINS  allowed origins, comma-separated, or * (HADATH_CORS, default *)\n"
    "           --max-age S     Cache-Control max-age of data replies (HADATH_MAX_AGE, default "
    "60)\n"
    "           --max-limit N   ceiling of the limit parameter (HADATH_MAX_LIMIT, default 1000)\n"
    "           --max-url N     longest request target in bytes (HADATH_MAX_URL, default 8192)\n"
    "           --max-connections N  open connections, shared by the threads\n"
    "                           (HADATH_MAX_CONNECTIONS, default 1024)\n"
    "           --max-per-client N   connections per client address, 0 for no limit\n"
    "                           (HADATH_MAX_PER_CLIENT, default 0: behind a proxy every\n"
    "                           connection comes from the proxy)\n"
    "           --idle-timeout S     close connections idle for S seconds (HADATH_IDLE_TIMEOUT,\n"
    "                           default 30)\n"
    "           --cache-mb N    memory for repeated replies, 0 for none (HADATH_CACHE_MB,\n"
    "                           default 64)\n"
    "           --jobs N        documents read in parallel at ingest (HADATH_JOBS,\n"
    "                           default one per core)\n"
    "           --watch         re-ingest when documents in the corpus folder change\n"
    "                           (HADATH_WATCH=1); SIGHUP re-ingests too. A changed corpus\n"
    "                           is built into a new database file beside the served one\n"
    "                           and swapped in whole (FILE becomes a link to FILE.gen-N)\n"
    "  ingest   ingest the corpus folder and exit: one line per document\n"
    "           --corpus DIR --db FILE --jobs N (as for serve)\n"
    "  extract FILE [--furniture]\n"
    "           print one document's extraction as JSON; --furniture adds the\n"
    "           lines removed as page furniture and why\n"
    "  keys     read names, one a line, on standard input; print for each\n"
    "           NAME<TAB>ROMANISATION<TAB>SKELETON (the cross-script name keys)\n"
    "  health [--url URL]\n"
    "           exit 0 when the server at URL answers /health with 200\n"
    "           (default: the server that HADATH_LISTEN, HADATH_PORT and\n"
    "           HADATH_BASE_PATH describe, http://127.0.0.1:8080/health unset)\n"
    "\n"
    "  --help, --version\n";

struct options {
    const char *corpus, *db;
    int furniture;
    int jobs;  /* extraction threads at ingest */
    int watch; /* re-ingest when the corpus changes */
    const char *url;
    struct hd_http_config http;
};

static const char *env_or(const char *name, const char *dflt)
{
    const char *v = getenv(name);
    return v && *v ? v : dflt;
}

static int parse_int(const char *flag, const char *s, int lo, int hi, int *out)
{
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (errno || end == s || *end || v < lo || v > hi) {
        fprintf(stderr, "hadath: %s must be a number from %d to %d, not \"%s\"\n", flag, lo, hi, s);
        return -1;
    }
    *out = (int)v;
    return 0;
}

/* An integer option from its environment variable (already defaulted) or
 * its flag; lo and hi bound it. */
static int int_env(const char *env, int lo, int hi, int *out)
{
    const char *v = getenv(env);
    return v && *v ? parse_int(env, v, lo, hi, out) : 0;
}

static int parse_options(int argc, char **argv, struct options *o)
{
    enum {
        BASE = 256,
        TRUST,
        CORS,
        MAXAGE,
        MAXLIMIT,
        MAXURL,
        MAXCONN,
        MAXPER,
        IDLE,
        CACHE,
        JOBS,
        WATCH
    };
    static const struct option longopts[] = {{"corpus", required_argument, 0, 'c'},
                                             {"db", required_argument, 0, 'd'},
                                             {"listen", required_argument, 0, 'l'},
                                             {"port", required_argument, 0, 'p'},
                                             {"threads", required_argument, 0, 't'},
                                             {"quiet", no_argument, 0, 'q'},
                                             {"furniture", no_argument, 0, 'f'},
                                             {"url", required_argument, 0, 'u'},
                                             {"help", no_argument, 0, 'h'},
                                             {"base-path", required_argument, 0, BASE},
                                             {"trust-proxy", no_argument, 0, TRUST},
                                             {"cors", required_argument, 0, CORS},
                                             {"max-age", required_argument, 0, MAXAGE},
                                             {"max-limit", required_argument, 0, MAXLIMIT},
                                             {"max-url", required_argument, 0, MAXURL},
                                             {"max-connections", required_argument, 0, MAXCONN},
                                             {"max-per-client", required_argument, 0, MAXPER},
                                             {"idle-timeout", required_argument, 0, IDLE},
                                             {"cache-mb", required_argument, 0, CACHE},
                                             {"jobs", required_argument, 0, JOBS},
                                             {"watch", no_argument, 0, WATCH},
                                             {0, 0, 0, 0}};
    struct hd_http_config *h = &o->http;
    hd_http_config_defaults(h);
    o->corpus = env_or("HADATH_CORPUS", "./corpus");
    o->db = env_or("HADATH_DB", "./hadath.db");
    o->url = NULL;
    o->furniture = 0;
    o->watch = strcmp(env_or("HADATH_WATCH", "0"), "0") != 0;
    h->listen = env_or("HADATH_LISTEN", h->listen);
    h->access_log = strcmp(env_or("HADATH_QUIET", "0"), "0") == 0;
    h->base_path = env_or("HADATH_BASE_PATH", "");
    h->trust_proxy = strcmp(env_or("HADATH_TRUST_PROXY", "0"), "0") != 0;
    h->cors = env_or("HADATH_CORS", "*");
    int maxurl = (int)h->max_url, maxconn = (int)h->max_connections,
        maxper = (int)h->max_per_client, idle = (int)h->idle_timeout,
        cache = (int)(h->cache_bytes >> 20);
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    o->jobs = cores > 0 ? (int)cores : 1;
    if (int_env("HADATH_PORT", 0, 65535, &h->port) < 0 ||
        int_env("HADATH_THREADS", 1, 256, &h->threads) < 0 ||
        int_env("HADATH_MAX_AGE", 0, 31536000, &h->max_age) < 0 ||
        int_env("HADATH_MAX_LIMIT", 1, 100000, &h->max_limit) < 0 ||
        int_env("HADATH_MAX_URL", 256, 1 << 20, &maxurl) < 0 ||
        int_env("HADATH_MAX_CONNECTIONS", 1, 1000000, &maxconn) < 0 ||
        int_env("HADATH_MAX_PER_CLIENT", 0, 1000000, &maxper) < 0 ||
        int_env("HADATH_IDLE_TIMEOUT", 1, 86400, &idle) < 0 ||
        int_env("HADATH_CACHE_MB", 0, 1 << 20, &cache) < 0 ||
        int_env("HADATH_JOBS", 1, 256, &o->jobs) < 0)
        return -1;
    int c, rc = 0;
    optind = 1;
    while (rc == 0 && (c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
        switch (c) {
        case 'c': o->corpus = optarg; break;
        case 'd': o->db = optarg; break;
        case 'l': h->listen = optarg; break;
        case 'p': rc = parse_int("--port", optarg, 0, 65535, &h->port); break;
        case 't': rc = parse_int("--threads", optarg, 1, 256, &h->threads); break;
        case 'q': h->access_log = 0; break;
        case 'f': o->furniture = 1; break;
        case 'u': o->url = optarg; break;
        case 'h': fputs(usage, stdout); exit(0);
        case BASE: h->base_path = optarg; break;
        case TRUST: h->trust_proxy = 1; break;
        case CORS: h->cors = optarg; break;
        case MAXAGE: rc = parse_int("--max-age", optarg, 0, 31536000, &h->max_age); break;
        case MAXLIMIT: rc = parse_int("--max-limit", optarg, 1, 100000, &h->max_limit); break;
        case MAXURL: rc = parse_int("--max-url", optarg, 256, 1 << 20, &maxurl); break;
        case MAXCONN: rc = parse_int("--max-connections", optarg, 1, 1000000, &maxconn); break;
        case MAXPER: rc = parse_int("--max-per-client", optarg, 0, 1000000, &maxper); break;
        case IDLE: rc = parse_int("--idle-timeout", optarg, 1, 86400, &idle); break;
        case CACHE: rc = parse_int("--cache-mb", optarg, 0, 1 << 20, &cache); break;
        case JOBS: rc = parse_int("--jobs", optarg, 1, 256, &o->jobs); break;
        case WATCH: o->watch = 1; break;
        default: fputs(usage, stderr); return -1;
        }
    }
    if (rc < 0) return -1;
    h->max_url = (unsigned)maxurl, h->max_connections = (unsigned)maxconn;
    h->max_per_client = (unsigned)maxper, h->idle_timeout = (unsigned)idle;
    h->cache_bytes = (size_t)cache << 20;
    /* a base path is "/x" or "/x/y": no trailing slash, nothing odd */
    size_t bl = strlen(h->base_path);
    if (bl && h->base_path[bl - 1] == '/') {
        static char trimmed[256];
        snprintf(trimmed, sizeof trimmed, "%.*s", (int)(bl - 1), h->base_path);
        h->base_path = trimmed, bl--;
    }
    if (bl && (h->base_path[0] != '/' || bl > 200 || strpbrk(h->base_path, "?#% "))) {
        fprintf(stderr, "hadath: --base-path must look like /api, not \"%s\"\n", h->base_path);
        return -1;
    }
    h->db = o->db;
    if (!o->url) {
        /* the health probe finds the server the same settings describe */
        static char url[512];
        const char *host = h->listen;
        int v6 = strchr(host, ':') != NULL;
        if (!strcmp(host, "0.0.0.0")) host = "127.0.0.1";
        if (!strcmp(host, "::")) host = "::1";
        snprintf(url, sizeof url, "http://%s%s%s:%d%s/health", v6 ? "[" : "", host, v6 ? "]" : "",
                 h->port, h->base_path);
        o->url = url;
    }
    return 0;
}

static const char *status_word(enum hd_ingest_status s)
{
    switch (s) {
    case HD_INGESTED: return "ingested";
    case HD_UNCHANGED: return "unchanged";
    case HD_SKIPPED: return "skipped";
    case HD_REMOVED: return "removed";
    }
    return "?";
}

/* ctx is the stream for lines other than skips, which always go to stderr. */
static void report(void *ctx, enum hd_ingest_status s, const char *file, const char *detail)
{
    FILE *out = s == HD_SKIPPED ? stderr : ctx;
    if (detail && *detail)
        fprintf(out, "%s %s: %s\n", status_word(s), file, detail);
    else
        fprintf(out, "%s %s\n", status_word(s), file);
}

/* One ingest of the corpus into the database (what says "ingest" or
 * "reload" in the summary line). */
static int run_ingest(const struct options *o, FILE *out, const char *what)
{
    char err[1024];
    struct hd_ingest_stats s;
    if (hd_ingest_build(o->db, o->corpus, o->jobs, report, out, &s, err, sizeof err) < 0) {
        fprintf(stderr, "hadath: %s: %s\n", what, err);
        return -1;
    }
    /* the process's peak so far: the ingest's own, for `hadath ingest` */
    struct rusage ru;
    long peak = getrusage(RUSAGE_SELF, &ru) == 0 ? ru.ru_maxrss / 1024 : -1;
    fprintf(out,
            "%s: %d ingested, %d unchanged, %d skipped, %d removed in %.3f s, peak RSS %ld MiB%s\n",
            what, s.ingested, s.unchanged, s.skipped, s.removed, s.seconds, peak,
            s.published ? "; a new database generation is served" : "");
    hd_metrics_ingest(s.ingested, s.unchanged, s.skipped, s.removed, s.seconds);
    fflush(out);
    return 0;
}

static long rss_kib(void)
{
    FILE *f = fopen("/proc/self/status", "r");
    char line[256];
    long kib = -1;
    while (f && fgets(line, sizeof line, f))
        if (sscanf(line, "VmRSS: %ld kB", &kib) == 1) break;
    if (f) fclose(f);
    return kib;
}

/* The reloads: a thread of their own, so that the signal loop stays free to
 * end the process while one runs. */
static struct {
    pthread_mutex_t lock;
    pthread_cond_t cond;
    int wanted, running, quit;
    const struct options *o;
} reloads = {PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, 0, 0, 0, NULL};

static void *reloader(void *arg)
{
    (void)arg;
    pthread_mutex_lock(&reloads.lock);
    for (;;) {
        while (!reloads.wanted && !reloads.quit) pthread_cond_wait(&reloads.cond, &reloads.lock);
        if (reloads.quit) break;
        reloads.wanted = 0, reloads.running = 1;
        pthread_mutex_unlock(&reloads.lock);
        run_ingest(reloads.o, stderr, "reload");
        pthread_mutex_lock(&reloads.lock);
        reloads.running = 0;
    }
    pthread_mutex_unlock(&reloads.lock);
    return NULL;
}

static int cmd_serve(const struct options *o)
{
    signal(SIGPIPE, SIG_IGN);
    /* A SIGHUP during the first ingest waits, then reloads. SIGINT and
     * SIGTERM still end the process at once then (a container's stop must
     * not wait for a whole corpus): an ingest builds beside the database,
     * which stays as it was. */
    sigset_t sigs;
    sigemptyset(&sigs);
    sigaddset(&sigs, SIGHUP);
    pthread_sigmask(SIG_BLOCK, &sigs, NULL);
    if (run_ingest(o, stderr, "ingest") < 0) return 1;
    /* From here they are all taken by sigwait() below; the server threads
     * inherit the blocked mask, so no thread is interrupted mid-request. */
    sigaddset(&sigs, SIGINT);
    sigaddset(&sigs, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &sigs, NULL);
    if (hd_routes_init(o->http.base_path) < 0) {
        fprintf(stderr, "hadath: the OpenAPI document is missing or broken in this build\n");
        return 1;
    }
    struct hd_http *h = hd_http_start(&o->http);
    if (!h) {
        hd_routes_free();
        return 1;
    }
    char err[512];
    struct hd_watch *watch = NULL;
    pthread_t rt;
    reloads.o = o;
    if ((o->watch && !(watch = hd_watch_start(o->corpus, err, sizeof err))) ||
        pthread_create(&rt, NULL, reloader, NULL) != 0) {
        fprintf(stderr, "hadath: %s\n", o->watch && !watch ? err : "cannot start a thread");
        hd_watch_stop(watch);
        hd_http_stop(h);
        hd_routes_free();
        return 1;
    }
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    double ms =
        (double)(now.tv_sec - t_start.tv_sec) * 1e3 + (double)(now.tv_nsec - t_start.tv_nsec) / 1e6;
    int port = hd_http_port(h);
    fprintf(
        stderr,
        "hadath %s: listening on http://%s%s%s:%d%s (%d threads), ready in %.1f ms, RSS %ld KiB\n",
        HD_VERSION, strchr(o->http.listen, ':') ? "[" : "", o->http.listen,
        strchr(o->http.listen, ':') ? "]" : "", port, o->http.base_path, o->http.threads, ms,
        rss_kib());
    int sig = 0;
    while (sigwait(&sigs, &sig) == 0 && sig == SIGHUP) {
        pthread_mutex_lock(&reloads.lock);
        reloads.wanted = 1; /* HUPs during a reload make one more after it */
        pthread_cond_signal(&reloads.cond);
        pthread_mutex_unlock(&reloads.lock);
    }
    fprintf(stderr, "hadath: %s, shutting down\n", sig == SIGINT ? "SIGINT" : "SIGTERM");
    hd_watch_stop(watch);
    pthread_mutex_lock(&reloads.lock);
    int running = reloads.running;
    reloads.quit = 1;
    pthread_cond_signal(&reloads.cond);
    pthread_mutex_unlock(&reloads.lock);
    hd_http_stop(h); /* the requests in flight are answered */
    if (running) {
        /* a half-built generation is never served, and the next ingest
         * removes it: not waiting for a whole corpus is safe */
        fprintf(stderr, "hadath: a reload was running; its unfinished build is left\n");
        fflush(stderr);
        _exit(0);
    }
    pthread_join(rt, NULL);
    hd_routes_free();
    return 0;
}

static int cmd_extract(const struct options *o, const char *file)
{
    size_t len = 0, slen = 0;
    char *text = hd_read_file(file, &len);
    if (!text) {
        fprintf(stderr, "hadath: %s: %s\n", file, strerror(errno));
        return 1;
    }
    /* the sidecar of a.txt is a.json */
    char side[4096];
    size_t fl = strlen(file);
    snprintf(side, sizeof side, "%.*s.json",
             (int)(fl > 4 && strcmp(file + fl - 4, ".txt") == 0 ? fl - 4 : fl), file);
    char *sidecar = hd_read_file(side, &slen);
    char err[512], hash[65];
    struct hd_doc *doc = hd_doc_parse(text, len, sidecar, slen, err, sizeof err);
    if (!doc) {
        fprintf(stderr, "hadath: %s: %s\n", file, err);
        free(text), free(sidecar);
        return 1;
    }
    if (doc->warning[0]) fprintf(stderr, "hadath: %s: warning: %s\n", file, doc->warning);
    hd_document_hash(text, len, sidecar, slen, hash);
    free(text), free(sidecar);
    /* The same store and views as the server, in memory: one JSON shape. */
    struct hd_store *st = hd_store_open(":memory:", HD_STORE_WRITE, err, sizeof err);
    const char *base = strrchr(file, '/') ? strrchr(file, '/') + 1 : file;
    long long id;
    json_t *a = NULL;
    int rc = 1;
    struct hd_extractor *x = st ? hd_extractor_new(err, sizeof err) : NULL;
    json_t *events = NULL;
    long long next = 0;
    enum { HD_LIMIT = 100000 }; /* every event of the one document */
    struct hd_event_filter ef;
    memset(&ef, 0, sizeof ef);
    if (st && x && hd_ingest_doc(st, x, base, hash, doc, &id, NULL, NULL) == 0 &&
        hd_store_refresh_clusters(st) == 0 && hd_view_article(st, id, &a) == 1 &&
        (ef.article = id, hd_view_events(st, &ef, NULL, 0, 0, HD_LIMIT, &events, &next, NULL)) ==
            0) {
        json_object_set_new(a, "events", events);
        if (o->furniture) {
            json_t *f = json_array();
            for (size_t i = 0; i < doc->nremoved; i++)
                json_array_append_new(f, json_pack("{s:s, s:s}", "line", doc->removed[i].line,
                                                   "why", doc->removed[i].why));
            json_object_set_new(a, "furniture", f);
        }
        json_dumpf(a, stdout, JSON_INDENT(2) | JSON_REAL_PRECISION(10));
        fputc('\n', stdout);
        json_decref(a);
        rc = 0;
    } else {
        json_decref(a);
        fprintf(stderr, "hadath: %s: %s\n", file, st && x ? sqlite3_errmsg(hd_store_db(st)) : err);
    }
    hd_extractor_free(x);
    hd_store_close(st);
    hd_doc_free(doc);
    return rc;
}

static int cmd_keys(void)
{
    char err[256], *line = NULL;
    size_t cap = 0;
    ssize_t n;
    struct hd_keys *k = hd_keys_new(err, sizeof err);
    if (!k) {
        fprintf(stderr, "hadath: keys: %s\n", err);
        return 1;
    }
    while ((n = getline(&line, &cap, stdin)) >= 0) {
        while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r')) line[--n] = 0;
        char *roman = NULL, *skel = NULL;
        if (hd_utf8_invalid_at(line, (size_t)n) >= 0 || hd_keys_make(k, line, &roman, &skel) < 0)
            printf("%s\t\t\n", hd_utf8_invalid_at(line, (size_t)n) >= 0 ? "" : line);
        else
            printf("%s\t%s\t%s\n", line, roman, skel);
        free(roman), free(skel);
    }
    free(line);
    hd_keys_free(k);
    return 0;
}

/* GET url over plain HTTP/1.0; exit status 0 when the answer is 200. */
static int cmd_health(const struct options *o)
{
    char host[256], path[1024] = "/health";
    int port = 80;
    if (sscanf(o->url, "http://[%255[^]]]:%d%1023s", host, &port, path) < 2 &&
        sscanf(o->url, "http://%255[^:/[]:%d%1023s", host, &port, path) < 2 &&
        sscanf(o->url, "http://%255[^:/[]%1023s", host, path) < 1) {
        fprintf(stderr, "hadath: --url must look like http://HOST:PORT/health\n");
        return 2;
    }
    char ports[16];
    snprintf(ports, sizeof ports, "%d", port);
    struct addrinfo hints = {0}, *ai;
    hints.ai_socktype = SOCK_STREAM;
    if (getaddrinfo(host, ports, &hints, &ai) != 0) {
        fprintf(stderr, "hadath: cannot resolve %s\n", host);
        return 1;
    }
    int fd = socket(ai->ai_family, SOCK_STREAM, 0);
    struct timeval tv = {5, 0};
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
    int ok = fd >= 0 && connect(fd, ai->ai_addr, ai->ai_addrlen) == 0;
    freeaddrinfo(ai);
    char req[1400], resp[64] = "";
    int n = snprintf(req, sizeof req, "GET %s HTTP/1.0\r\nHost: %s\r\n\r\n", path, host);
    if (ok) ok = write(fd, req, (size_t)n) == n && read(fd, resp, sizeof resp - 1) > 12;
    if (fd >= 0) close(fd);
    int status = 0;
    if (ok) sscanf(resp, "HTTP/%*s %d", &status);
    if (status != 200) {
        fprintf(stderr, "hadath: %s: %s\n", o->url, ok ? "not healthy" : "no answer");
        return 1;
    }
    return 0;
}

int main(int argc, char **argv)
{
    clock_gettime(CLOCK_MONOTONIC, &t_start);
    /* Memory freed at the top of a thread's heap is kept, not handed back to
     * the kernel: a server that frees and allocates the same few megabytes
     * for every request would otherwise page-fault them in again each time. */
    mallopt(M_TRIM_THRESHOLD, 128 << 20);
    mallopt(M_MMAP_THRESHOLD, 16 << 20);
    hd_store_init();
    if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
        fputs(usage, argc < 2 ? stderr : stdout);
        return argc < 2 ? 2 : 0;
    }
    if (!strcmp(argv[1], "--version")) {
        printf("hadath %s (SQLite %s, jansson %s, libmicrohttpd %s)\n", HD_VERSION,
               sqlite3_libversion(), JANSSON_VERSION, MHD_get_version());
        return 0;
    }
    struct options o;
    const char *cmd = argv[1];
    if (parse_options(argc - 1, argv + 1, &o) < 0) return 2;
    if (!strcmp(cmd, "serve")) return cmd_serve(&o);
    if (!strcmp(cmd, "ingest")) return run_ingest(&o, stdout, "ingest") < 0 ? 1 : 0;
    if (!strcmp(cmd, "health")) return cmd_health(&o);
    if (!strcmp(cmd, "keys")) return cmd_keys();
    if (!strcmp(cmd, "extract")) {
        if (optind + 1 >= argc) {
            fprintf(stderr, "hadath: extract needs a FILE\n");
            return 2;
        }
        return cmd_extract(&o, argv[optind + 1]);
    }
    fprintf(stderr, "hadath: unknown command \"%s\"\n\n%s", cmd, usage);
    return 2;
}
