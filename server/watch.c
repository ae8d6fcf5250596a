/* The corpus watcher: inotify on the folder, names filtered to what the
 * ingest reads, and a quiet period so that a copy of a thousand files
 * makes one reload, not a thousand. */
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <unistd.h>

#include "watch.h"

/* how long the folder must be still before the reload is asked for */
#define SETTLE_MS 300

struct hd_watch {
    int fd;      /* inotify */
    int wake[2]; /* a byte here ends the thread */
    pthread_t thread;
};

static int has_suffix(const char *s, const char *suf)
{
    size_t n = strlen(s), m = strlen(suf);
    return n >= m && strcmp(s + n - m, suf) == 0;
}

/* Whether the events in buf name a file the ingest reads (documents,
 * sidecars, record files): a database or its lock kept in the folder must
 * not make reloads of its own. */
static int concerns_corpus(const char *buf, ssize_t len)
{
    for (const char *p = buf; p < buf + len;) {
        const struct inotify_event *e = (const struct inotify_event *)p;
        if (e->mask & IN_Q_OVERFLOW) return 1;
        if (e->len && e->name[0] != '.' &&
            (has_suffix(e->name, ".txt") || has_suffix(e->name, ".json") ||
             has_suffix(e->name, ".jsonl")))
            return 1;
        p += sizeof *e + e->len;
    }
    return 0;
}

static void *watch_loop(void *arg)
{
    struct hd_watch *w = arg;
    char buf[8192] __attribute__((aligned(__alignof__(struct inotify_event))));
    int pending = 0;
    for (;;) {
        struct pollfd p[2] = {{w->fd, POLLIN, 0}, {w->wake[0], POLLIN, 0}};
        int n = poll(p, 2, pending ? SETTLE_MS : -1);
        if (n < 0 && errno != EINTR) break;
        if (p[1].revents) break;
        if (n == 0 && pending) {
            /* still for SETTLE_MS: the serve loop reloads */
            pending = 0;
            kill(getpid(), SIGHUP);
            continue;
        }
        if (p[0].revents & POLLIN) {
            ssize_t len = read(w->fd, buf, sizeof buf);
            if (len > 0 && concerns_corpus(buf, len)) pending = 1;
        }
    }
    return NULL;
}

struct hd_watch *hd_watch_start(const char *dir, char *err, size_t errlen)
{
    struct hd_watch *w = calloc(1, sizeof *w);
    if (!w) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    w->wake[0] = w->wake[1] = -1;
    if ((w->fd = inotify_init1(IN_CLOEXEC | IN_NONBLOCK)) < 0 ||
        inotify_add_watch(w->fd, dir,
                          IN_CLOSE_WRITE | IN_MOVED_TO | IN_MOVED_FROM | IN_DELETE | IN_CREATE |
                              IN_ATTRIB | IN_ONLYDIR) < 0 ||
        pipe(w->wake) < 0) {
        snprintf(err, errlen, "watching %s: %s", dir, strerror(errno));
        goto fail;
    }
    if (pthread_create(&w->thread, NULL, watch_loop, w) != 0) {
        snprintf(err, errlen, "watching %s: cannot start a thread", dir);
        goto fail;
    }
    return w;
fail:
    if (w->fd >= 0) close(w->fd);
    if (w->wake[0] >= 0) close(w->wake[0]), close(w->wake[1]);
    free(w);
    return NULL;
}

void hd_watch_stop(struct hd_watch *w)
{
    if (!w) return;
    if (write(w->wake[1], "x", 1) == 1) pthread_join(w->thread, NULL);
    close(w->fd);
    close(w->wake[0]), close(w->wake[1]);
    free(w);
}
