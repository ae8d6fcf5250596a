/* The query-parameter parsers on their own: strict dates, refusals that are
 * always a JSON problem naming the parameter, and cursors that come back as
 * they were made. Several cases are inputs fuzz/fuzz_query.c found. */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "params.h"
#include "utf8.h"

static struct hd_store *st;

/* A request with one parameter (name, value). */
static void request(struct hd_request *rq, const char *name, const char *value)
{
    memset(rq, 0, sizeof *rq);
    rq->method = "GET", rq->path = "/events", rq->st = st, rq->max_limit = 1000;
    rq->base_path = "";
    if (name) {
        rq->args[0].name = name, rq->args[0].value = value;
        rq->nargs = 1;
    }
}

/* hd_param_date on name=value as a from (end 0) or to (end 1) bound: the
 * date it gives, or "400" when it refuses with a problem naming name. */
static const char *date(const char *name, const char *value, int end)
{
    static char out[16];
    struct hd_request rq;
    struct hd_reply rp = HD_REPLY_INIT;
    char d[11];
    request(&rq, name, value);
    if (hd_param_date(&rq, &rp, name, end, d) == 0) {
        snprintf(out, sizeof out, "%s", d);
    } else {
        const char *named = json_string_value(json_object_get(rp.body, "parameter"));
        snprintf(out, sizeof out, "%s",
                 rp.status == 400 && named && !strcmp(named, name) ? "400" : "?");
    }
    hd_reply_clear(&rp);
    return out;
}

/* The refusal of rp is a problem document with a UTF-8 detail; returns the
 * detail ("" when there is none). */
static const char *problem(struct hd_reply *rp, const char *name)
{
    const char *named = json_string_value(json_object_get(rp->body, "parameter"));
    const char *detail = json_string_value(json_object_get(rp->body, "detail"));
    CHECK(rp->status == 400 && rp->body && named && !strcmp(named, name) && detail &&
              hd_utf8_invalid_at(detail, strlen(detail)) < 0,
          "%s: a 400 without its problem document", name);
    return detail ? detail : "";
}

static int two_letters(const char *v, char *norm, size_t cap)
{
    snprintf(norm, cap, "%s", v);
    return strlen(v) == 2 && strspn(v, "abcdefghijklmnopqrstuvwxyz") == 2;
}

int main(void)
{
    char err[256];
    hd_store_init();
    st = hd_store_open(":memory:", HD_STORE_WRITE, err, sizeof err);
    CHECK(st != NULL, "open: %s", err);
    if (!st) return check_done("params");

    /* dates: a month or a year as its first or last day */
    CHECK_STR(date("from", "2024-06-19", 0), "2024-06-19");
    CHECK_STR(date("from", "2024-06", 0), "2024-06-01");
    CHECK_STR(date("to", "2024-02", 1), "2024-02-29");
    CHECK_STR(date("to", "2024", 1), "2024-12-31");
    CHECK_STR(date("from", "2024", 0), "2024-01-01");
    /* no month 13 or 0, whose last day was read past the table's end */
    CHECK_STR(date("to", "2024-13", 1), "400");
    CHECK_STR(date("to", "2024-00", 1), "400");
    CHECK_STR(date("from", "2024-13", 0), "400");
    /* digits and hyphens only: sscanf took spaces, signs and short years */
    CHECK_STR(date("from", "204-02- 24", 0), "400");
    CHECK_STR(date("from", "2024- 1- 1", 0), "400");
    CHECK_STR(date("from", "2024-+1-01", 0), "400");
    CHECK_STR(date("from", " 2024", 0), "400");
    CHECK_STR(date("to", "+202", 1), "400");
    CHECK_STR(date("to", "2024-1", 1), "400");
    CHECK_STR(date("to", "0000", 1), "400");

    /* a refusal quotes the value cut at a character, and only its UTF-8:
     * json_pack() refused a detail that was not, and the 400 had no body */
    struct hd_request rq;
    struct hd_reply rp = HD_REPLY_INIT;
    int limit;
    long long id;
    const char *out;
    char *list;
    request(&rq, "limit", "aعشرونعشرونعشرونعشرونعشرونعشرون"); /* byte 40 is inside a letter */
    CHECK(hd_param_limit(&rq, &rp, &limit) < 0, "limit refused");
    CHECK(strstr(problem(&rp, "limit"), "\"aعشرونعشرونعشرونعشرو\"") != NULL,
          "the limit quoted up to the last whole letter");
    hd_reply_clear(&rp);
    request(&rq, "limit", "\xff\xfe");
    CHECK(hd_param_limit(&rq, &rp, &limit) < 0, "limit refused");
    problem(&rp, "limit");
    hd_reply_clear(&rp);
    request(&rq, "article", "12\xd9");
    CHECK(hd_param_id(&rq, &rp, "article", &id) < 0, "id refused");
    CHECK(strstr(problem(&rp, "article"), "\"12\"") != NULL, "the id quoted before its bad byte");
    hd_reply_clear(&rp);
    static const char *const sorts[] = {"id", "date", NULL};
    request(&rq, "sort", "\xc0\xaf");
    CHECK(hd_param_enum(&rq, &rp, "sort", sorts, &out) < 0, "enum refused");
    problem(&rp, "sort");
    hd_reply_clear(&rp);
    request(&rq, "to", "2024-02\xac\xac-2");
    CHECK(hd_param_date(&rq, &rp, "to", 1, err) < 0, "date refused");
    problem(&rp, "to");
    hd_reply_clear(&rp);
    request(&rq, "country", "ru,\xe2\x82");
    CHECK(hd_param_list(&rq, &rp, "country", two_letters, "a code", &list) < 0 && !list,
          "list refused");
    problem(&rp, "country");
    hd_reply_clear(&rp);

    /* a cursor continues where it was made, and an edited one is refused */
    request(&rq, "actor", "kim");
    char c[256];
    snprintf(c, sizeof c, "%s", hd_cursor_make(&rq, "events", 1234));
    rq.args[1].name = "cursor", rq.args[1].value = c, rq.nargs = 2;
    long long pos = -1;
    CHECK(hd_param_cursor(&rq, &rp, "events", &pos) == 0 && pos == 1234, "cursor gave %lld", pos);
    CHECK(hd_param_cursor(&rq, &rp, "articles", &pos) < 0, "another list's cursor taken");
    hd_reply_clear(&rp);
    c[3] = c[3] == 'A' ? 'B' : 'A';
    CHECK(hd_param_cursor(&rq, &rp, "events", &pos) < 0, "an edited cursor taken");
    hd_reply_clear(&rp);

    hd_store_close(st);
    return check_done("params");
}
