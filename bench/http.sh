#!/bin/sh
# bench/http.sh: the HTTP part of `make bench`. It prints numbers and judges
# nothing (exit 0 unless something could not start).
#
# usage: sh bench/http.sh BUILD_DIR [SECONDS]      (SECONDS per run, default 5)
#
# What it measures, with wrk (-t2 -c64, keep-alive) on loopback:
#   1. nginx serving one static file: the very bytes hadath answers for
#      GET /events?actor=kim, at the same path, application/json, sendfile on,
#      connections kept open (keepalive_requests 100000) as hadath keeps
#      them. It is the ceiling this machine and wrk can reach.
#   2. hadath (BUILD_DIR/hadath serve --corpus corpus --quiet, its own
#      database in a temp dir) answering GET /events?actor=kim again and again
#      (one query: what a response cache can make cheap).
#   3. hadath answering a mix of thousands of distinct queries
#      (bench/mix.lua sends each target of a generated file once, in order,
#      the two wrk threads interleaved, and successive runs go on where the
#      last stopped): /events with actor, target, participant, location (ids,
#      Wikidata ids, Arabic and English names), type, modality, from/to,
#      country, sort, group, q and limit 1..100; /search with words of the
#      article titles; /entities?q=, /entities/{id}, /events/{id}, /articles.
#      The values come from the running server (/entities, /stats,
#      /articles, /events, /openapi.json), so they name real things.
#   4. optionally the same mix over a larger database: HADATH_BENCH_DB (an
#      existing hadath database) and HADATH_BENCH_CORPUS (the folder it was
#      ingested from; serve re-ingests its --corpus at start-up and would drop
#      articles missing from it, so it must be that folder). The database is
#      copied to the temp dir first when there is room, so it is not touched.
#
# The mix's first HADATH_BENCH_TARGETS (default 5000) targets are each
# fetched once with one curl (sequential, one kept-alive connection): the
# count of 200s and 4xx, a few that failed, and the slowest five. The runs
# never send those (a response cache now holds them): there is a 1 s warm-up
# of each of the three, the mix's on the next 20000 targets; then the mix
# file is grown (same seed: a longer file has the same first lines) to
# about twice what the warm-up's rate needs for two runs, so that no
# measured request repeats an earlier one (mix.lua's summary line says
# "wrapped: yes" if one did). Then the trio runs twice, alternating (nginx,
# hadath kim, hadath mix, nginx, ...); the table shows the better run by
# req/s (its p50 and p99), its non-2xx count, and both runs' req/s; below
# it, each mix run's lines and statuses >= 400, and for each hadath run the
# hits and misses of its response cache (/metrics), when it has one: the
# mix should see none, the repeated kim query nothing else.
#
# Environment: HADATH_BENCH_TARGETS, HADATH_BENCH_MAX_TARGETS (cap of the
# grown mix, default 500000), HADATH_BENCH_DB, HADATH_BENCH_CORPUS,
# HADATH_BENCH_START_TIMEOUT (seconds the larger database's server may take
# to ingest and answer, default 300), HADATH_BENCH_THREADS (hadath
# --threads; default hadath's own: one per core).
# About 40 s at SECONDS=5 (about 60 s with the larger database).
# Needs: curl, jq, wrk, nginx (/usr/sbin/nginx), ss (optional).
set -u

build=${1:?usage: sh bench/http.sh BUILD_DIR [SECONDS]}
secs=${2:-5}
ntargets=${HADATH_BENCH_TARGETS:-5000}
wrk_threads=2
wrk_conns=64

here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
case $build in /*) bin=$build/hadath ;; *) bin=$(pwd)/$build/hadath ;; esac
cd "$root" || exit 1
lua=$here/mix.lua

die() { echo "bench/http: $*" >&2; exit 1; }
[ -x "$bin" ] || die "no $bin: build it first (make BUILD=$build)"
for c in curl jq wrk; do command -v $c >/dev/null 2>&1 || die "$c is not installed"; done
nginx=$(command -v nginx 2>/dev/null || echo /usr/sbin/nginx)
[ -x "$nginx" ] || die "nginx is not installed (/usr/sbin/nginx)"

tmp=$(mktemp -d /tmp/hadath-bench-http-XXXXXX) || die "cannot make a temp dir"
pids=     # the servers running
starting= # a server being started, not yet in $pids
# shellcheck disable=SC2317 # called by the trap
cleanup() {
    for p in $pids $starting; do kill "$p" 2>/dev/null; done
    [ -n "$starting" ] && echo "bench/http: waiting for the server being started to stop" \
        "(hadath finishes its start-up ingest before it acts on SIGTERM)" >&2
    for p in $pids $starting; do wait "$p" 2>/dev/null; done
    rm -rf "$tmp"
}
trap cleanup EXIT
trap 'echo "bench/http: interrupted" >&2; exit 130' INT
trap 'exit 143' TERM
threads_opt=
[ -n "${HADATH_BENCH_THREADS:-}" ] && threads_opt="--threads $HADATH_BENCH_THREADS"

# A random loopback port that nothing listens on now (the start-up checks
# still retry: another process may take it in between).
free_port() {
    while :; do
        p=$(( $(od -An -N2 -tu2 /dev/urandom | tr -d ' ') % 40000 + 20000 ))
        if command -v ss >/dev/null 2>&1; then
            ss -Htln 2>/dev/null | awk -v p=":$p" '$4 ~ p"$" {f = 1} END {exit !f}' && continue
        fi
        echo $p
        return
    done
}

status() { curl -s -o /dev/null -w '%{http_code}' --max-time 5 "$1" 2>/dev/null; }

# start_hadath NAME CORPUS DB TIMEOUT_S: sets $base (http://127.0.0.1:PORT)
# and adds the pid to $pids; the log is $tmp/NAME.log.
start_hadath() {
    name=$1 corpus=$2 db=$3 timeout=$4
    for _ in 1 2 3 4 5; do
        port=$(free_port)
        # shellcheck disable=SC2086
        "$bin" serve --corpus "$corpus" --db "$db" --listen 127.0.0.1 --port "$port" --quiet $threads_opt \
            >"$tmp/$name.log" 2>&1 &
        hpid=$!
        starting=$hpid
        base=http://127.0.0.1:$port
        i=0
        while [ $i -lt $((timeout * 10)) ]; do
            kill -0 $hpid 2>/dev/null || break
            if [ "$(status "$base/health")" = 200 ]; then
                pids="$pids $hpid" starting=
                return 0
            fi
            sleep 0.1
            i=$((i + 1))
        done
        if kill -0 $hpid 2>/dev/null; then
            kill $hpid; wait $hpid 2>/dev/null; starting=
            echo "bench/http: $name did not answer /health within ${timeout}s; its log:" >&2
            tail -5 "$tmp/$name.log" >&2
            return 1
        fi
        wait $hpid 2>/dev/null; starting=
        grep -qi 'in use\|bind' "$tmp/$name.log" || break # not a port clash
    done
    echo "bench/http: $name could not start; its log:" >&2
    tail -5 "$tmp/$name.log" >&2
    return 1
}

# ---------------------------------------------------------------- hadath
start_hadath hadath corpus "$tmp/seeds.db" 60 || exit 1
hbase=$base
kim='/events?actor=kim'

# ---------------------------------------------------------------- nginx
mkdir -p "$tmp/www" "$tmp/nginx"
[ "$(curl -s -o "$tmp/www/events" -w '%{http_code}' "$hbase$kim")" = 200 ] ||
    die "hadath does not answer GET $kim with 200"
user_line=
[ "$(id -u)" = 0 ] && user_line="user root;" # else workers run as nobody: cannot read $tmp (0700)
start_nginx() {
    cat >"$tmp/nginx/nginx.conf" <<CONF
daemon off;
$user_line
worker_processes auto;
pid $tmp/nginx/nginx.pid;
error_log $tmp/nginx/error.log;
events { worker_connections 1024; }
http {
    access_log off;
    sendfile on;
    tcp_nopush on;
    keepalive_requests 100000;
    keepalive_timeout 65;
    default_type application/json;
    client_body_temp_path $tmp/nginx; proxy_temp_path $tmp/nginx; fastcgi_temp_path $tmp/nginx;
    uwsgi_temp_path $tmp/nginx; scgi_temp_path $tmp/nginx;
    server {
        listen 127.0.0.1:$nport;
        root $tmp/www;
        location = /events { }
    }
}
CONF
    "$nginx" -e "$tmp/nginx/error.log" -p "$tmp/nginx" -c "$tmp/nginx/nginx.conf" 2>>"$tmp/nginx/error.log" &
    npid=$!
    starting=$npid
    i=0
    while [ $i -lt 100 ]; do
        kill -0 $npid 2>/dev/null || return 1 # exited: most likely the port was taken
        [ "$(status "http://127.0.0.1:$nport$kim")" != 000 ] && return 0
        sleep 0.05
        i=$((i + 1))
    done
    return 1
}
nstarted=no
for _ in 1 2 3 4 5; do
    nport=$(free_port)
    if start_nginx; then nstarted=yes; pids="$pids $npid" starting=; break; fi
    kill $npid 2>/dev/null; wait $npid 2>/dev/null; starting=
done
[ $nstarted = yes ] || { tail -5 "$tmp/nginx/error.log" >&2; die "nginx could not start"; }
nbase=http://127.0.0.1:$nport
code=$(curl -s -o "$tmp/nginx.body" -D "$tmp/nginx.head" -w '%{http_code}' "$nbase$kim")
[ "$code" = 200 ] || { tail -3 "$tmp/nginx/error.log" >&2; die "nginx answers $kim with $code, not 200"; }
cmp -s "$tmp/nginx.body" "$tmp/www/events" || die "nginx does not serve hadath's bytes for $kim"
grep -qi '^content-type: application/json' "$tmp/nginx.head" || die "nginx does not say application/json"
echo "hadath $(sed -n 's/^hadath \([^:]*\): listening on \([^ ]*\) \(([^)]*)\).*/\1 on \2 \3/p' "$tmp/hadath.log");" \
    "nginx $("$nginx" -v 2>&1 | sed 's/.*nginx\///') on $nbase, worker_processes auto ($(nproc 2>/dev/null || echo ?) cores)"
echo "GET $kim: $(wc -c <"$tmp/www/events" | tr -d ' ') bytes, the same from both"

# ---------------------------------------------------------------- the mix
# gen_targets BASE OUT COUNT (bench/targets.sh)
. "$here/targets.sh"

# mixsummary FILE: how many targets, by route
mixsummary() {
    echo "  $(wc -l <"$1" | tr -d ' ') distinct targets:" \
        "$(awk -F'?' '{ sub(/^\/entities\/.*/, "/entities/{id}", $1); sub(/\/[0-9]+$/, "/{id}", $1); c[$1]++ }
            END { for (k in c) printf "%s %d, ", k, c[k] }' "$1" | sed 's/, $//')"
}

urldecode() { LC_ALL=C awk '
    BEGIN { for (i = 0; i < 256; i++) hex[sprintf("%02X", i)] = i }
    { s = $0; o = ""
      while ((j = index(s, "%")) > 0) {
          h = toupper(substr(s, j + 1, 2))
          if (h in hex) { o = o substr(s, 1, j - 1) sprintf("%c", hex[h]); s = substr(s, j + 3) }
          else { o = o substr(s, 1, j); s = substr(s, j + 1) }
      }
      print o s }'; }

# check_targets BASE FILE: fetch every target once (one curl, one kept-alive
# connection), print the statuses and the five slowest.
check_targets() {
    cbase=$1 cfile=$2
    awk -v b="$cbase" '{ printf "url = \"%s%s\"\noutput = \"/dev/null\"\n", b, $0 }' "$cfile" >"$tmp/curl.cfg"
    t0=$(date +%s.%N)
    curl -s -g -K "$tmp/curl.cfg" -w '%{http_code} %{time_total} %{url_effective}\n' >"$tmp/check.out" 2>/dev/null
    t1=$(date +%s.%N)
    awk -v t0="$t0" -v t1="$t1" -v n="$(wc -l <"$cfile")" '
        { c[$1]++; k = substr($1, 1, 1) "xx"; cls[k]++; tot += $2 }
        END {
            s = ""; for (x in c) s = s sprintf(" %s:%d", x, c[x])
            printf "  all %d targets fetched once in %.1f s (%.2f ms each on average): 200 %d, 4xx %d, 5xx %d, other %d  [%s ]\n",
                NR, t1 - t0, NR ? 1000 * tot / NR : 0, c["200"], cls["4xx"], cls["5xx"], NR - c["200"] - cls["4xx"] - cls["5xx"], s
            if (NR != n) printf "  (curl answered %d of %d targets)\n", NR, n
        }' "$tmp/check.out"
    n200=$(awk '$1 == 200' "$tmp/check.out" | wc -l)
    nall=$(wc -l <"$tmp/check.out")
    [ "$nall" -gt 0 ] && [ $((n200 * 100 / nall)) -lt 95 ] &&
        echo "  WARNING: fewer than 95% of the mix answers 200; the mix measures errors"
    if [ "$n200" != "$nall" ]; then
        echo "  some that did not answer 200:"
        awk '$1 != 200 { print $1, $3 }' "$tmp/check.out" | head -5 | sed "s|$cbase||" | urldecode | sed 's/^/    /'
    fi
    echo "  slowest five by one curl:"
    sort -k2,2 -gr "$tmp/check.out" | head -5 | awk '{ printf "    %7.2f ms  %s  %s\n", 1000 * $2, $1, $3 }' |
        sed "s|$cbase||" | urldecode
}

# ---------------------------------------------------------------- wrk
# cache_counts BASE: "HITS MISSES" of hadath's response cache from /metrics
# (hadath_cache_lookups_total), nothing when it has none
cache_counts() {
    curl -s --max-time 5 "$1/metrics" 2>/dev/null | awk '
        /^hadath_cache_lookups_total\{result="hit"\}/ { h = $2; f = 1 }
        /^hadath_cache_lookups_total\{result="miss"\}/ { m = $2; f = 1 }
        END { if (f) printf "%d %d\n", h, m }'
}

# run_wrk NAME HADATH_BASE|- URL DURATION [FILE STATE]: one wrk run (with
# mix.lua over FILE when given); its output is $tmp/wrk/NAME, and for hadath
# the response cache's hits and misses during the run $tmp/wrk/NAME.cache.
mkdir -p "$tmp/wrk"
run_wrk() {
    rname=$1 mbase=$2 url=$3 d=$4
    c0=; [ "$mbase" != - ] && c0=$(cache_counts "$mbase")
    if [ $# -gt 4 ]; then
        start=$(cat "$6" 2>/dev/null || echo 0)
        wrk -t$wrk_threads -c$wrk_conns -d"$d" --latency -s "$lua" "$url" -- "$5" "$start" "$6" >"$tmp/wrk/$rname" 2>&1
    else
        wrk -t$wrk_threads -c$wrk_conns -d"$d" --latency "$url" >"$tmp/wrk/$rname" 2>&1
    fi
    if [ -n "$c0" ]; then
        echo "$c0 $(cache_counts "$mbase")" | awk 'NF == 4 { print $3 - $1, $4 - $2 }' >"$tmp/wrk/$rname.cache"
    fi
}

# cacheline NAME: the response cache's share of hits in a run, if known
cacheline() {
    [ -s "$tmp/wrk/$1.cache" ] && awk '{ n = $1 + $2; printf "; response cache: %d hits of %d lookups (%.1f%%)", $1, n, n ? 100 * $1 / n : 0 }' "$tmp/wrk/$1.cache"
}

# parse NAME: "rps p50_ms p99_ms non2xx socket_errors" of one run
parse() {
    awk '
        function ms(v) { if (v ~ /us$/) return v / 1000; if (v ~ /ms$/) return v + 0
                         if (v ~ /m$/) return v * 60000; if (v ~ /s$/) return v * 1000; return v }
        /^Requests\/sec:/ { rps = $2 }
        /^ +50%/ { p50 = ms($2) }
        /^ +99%/ { p99 = ms($2) }
        /Non-2xx or 3xx responses:/ { bad = $NF }
        /Socket errors:/ { gsub(",", ""); serr = $4 + $6 + $8 + $10 }
        END { printf "%s %s %s %d %d\n", rps == "" ? 0 : rps, p50 == "" ? 0 : p50, p99 == "" ? 0 : p99, bad, serr }
    ' "$tmp/wrk/$1"
}

# the better of NAME.1 and NAME.2 by req/s: "rps p50 p99 non2xx serr rps1 rps2"
best() {
    a=$(parse "$1.1"); b=$(parse "$1.2")
    echo "$a $b" | awk '{ if ($6 > $1) print $6, $7, $8, $9, $10, $1, $6; else print $1, $2, $3, $4, $5, $1, $6 }'
}

# prepare_mix BASE FILE: the first $ntargets targets, checked with curl, and
# $warmn more, fresh, for the warm-up (the check has put the first ones in
# any response cache); FILE.state says the runs begin after the checked ones.
warmn=20000
prepare_mix() {
    gen_targets "$1" "$2" $((ntargets + warmn)) || return 1
    head -n "$ntargets" "$2" >"$2.checked"
    mixsummary "$2.checked"
    check_targets "$1" "$2.checked"
    wc -l <"$2.checked" | tr -d ' ' >"$2.state"
}

# grow_mix BASE FILE WARMUP: so that no run sends a target twice, make the
# mix as long as twice the warm-up's rate for both runs (the same seed: the
# targets checked above stay the file's first lines). At most
# HADATH_BENCH_MAX_TARGETS (default 500000); past that a run wraps round.
grow_mix() {
    rate=$(parse "$3" | awk '{ printf "%d", $1 }')
    have=$(wc -l <"$2" | tr -d ' ')
    used=$(cat "$2.state" 2>/dev/null || echo 0)
    want=$(awk -v r="$rate" -v s="$secs" -v u="$used" -v m="${HADATH_BENCH_MAX_TARGETS:-500000}" \
        'BEGIN { w = int(u + 2 * r * 2 * s + 1000); print (w > m ? m : w) }')
    if [ "$want" -gt "$have" ]; then
        gen_targets "$1" "$2.new" "$want" && mv "$2.new" "$2"
        echo "  mix grown to $(wc -l <"$2" | tr -d ' ') distinct targets for a warm-up rate of $rate req/s"
    fi
}

mixline() { sed -n 's/^mix: //p' "$tmp/wrk/$1"; }

echo
echo "mix over the seed corpus:"
prepare_mix "$hbase" "$tmp/mix.seeds" || die "could not build the mix"

# optional: the bigger database
big=
if [ -n "${HADATH_BENCH_DB:-}" ]; then
    if [ ! -f "$HADATH_BENCH_DB" ]; then
        echo "HADATH_BENCH_DB=$HADATH_BENCH_DB is not a file: no row for a larger database"
    elif [ -z "${HADATH_BENCH_CORPUS:-}" ] || [ ! -d "$HADATH_BENCH_CORPUS" ]; then
        echo "HADATH_BENCH_DB is set but HADATH_BENCH_CORPUS (the folder it was ingested from) is not a folder:" \
            "no row for a larger database (serve would re-ingest another folder into it)"
    else
        need=$(du -k "$HADATH_BENCH_DB" | awk '{ print $1 }')
        room=$(df -Pk "$tmp" | awk 'NR == 2 { print $4 }')
        bigdb=$HADATH_BENCH_DB
        if [ $((need * 2)) -lt "$room" ]; then
            cp "$HADATH_BENCH_DB" "$tmp/big.db" && bigdb=$tmp/big.db
            [ -f "$HADATH_BENCH_DB-wal" ] && cp "$HADATH_BENCH_DB-wal" "$tmp/big.db-wal"
        else
            echo "(no room in $tmp for a copy: serving $HADATH_BENCH_DB itself)"
        fi
        echo
        echo "larger database ($HADATH_BENCH_DB, corpus $HADATH_BENCH_CORPUS):"
        if start_hadath big "$HADATH_BENCH_CORPUS" "$bigdb" "${HADATH_BENCH_START_TIMEOUT:-300}"; then
            bbase=$base
            sed -n 's/^/  /; /ingest:/p; /listening/p' "$tmp/big.log"
            echo "  $(curl -s "$bbase/health")"
            if prepare_mix "$bbase" "$tmp/mix.big"; then
                big=yes
            else
                echo "  could not build a mix from it: no row"
            fi
        else
            echo "  it did not start: no row"
        fi
    fi
else
    echo "(HADATH_BENCH_DB unset: no row for a larger database; set it and HADATH_BENCH_CORPUS to add one)"
fi

echo
echo "wrk: warm-up 1 s each, then nginx, hadath kim, hadath mix$([ -n "$big" ] && echo ", hadath mix on the larger database"), twice, ${secs} s each ..."
run_wrk warm.nginx - "$nbase$kim" 1s
run_wrk warm.kim "$hbase" "$hbase$kim" 1s
run_wrk warm.mix "$hbase" "$hbase" 1s "$tmp/mix.seeds" "$tmp/mix.seeds.state"
[ -n "$big" ] && run_wrk warm.big "$bbase" "$bbase" 1s "$tmp/mix.big" "$tmp/mix.big.state"
grow_mix "$hbase" "$tmp/mix.seeds" warm.mix
[ -n "$big" ] && grow_mix "$bbase" "$tmp/mix.big" warm.big
for r in 1 2; do
    run_wrk nginx.$r - "$nbase$kim" "${secs}s"
    run_wrk kim.$r "$hbase" "$hbase$kim" "${secs}s"
    run_wrk mix.$r "$hbase" "$hbase" "${secs}s" "$tmp/mix.seeds" "$tmp/mix.seeds.state"
    [ -n "$big" ] && run_wrk big.$r "$bbase" "$bbase" "${secs}s" "$tmp/mix.big" "$tmp/mix.big.state"
done
for p in $pids; do
    kill -0 "$p" 2>/dev/null || echo "WARNING: process $p (a server under test) is gone: see the numbers with care"
done

nmix=$(wc -l <"$tmp/mix.seeds" | tr -d ' ')
ng=$(best nginx | awk '{ print $1 }')
echo
printf '%-44s %8s %9s %9s %8s %9s   %s\n' \
    "HTTP (wrk -t$wrk_threads -c$wrk_conns, $secs s, best of 2)" "req/s" "p50" "p99" "vs nginx" "non-2xx" "req/s of both runs"
row() {
    # shellcheck disable=SC2046 # the fields of best, split on purpose
    set -- "$1" $(best "$2")
    printf '%-44s %8.0f %7.2fms %7.2fms %8.2f %9s   %.0f, %.0f%s\n' "$1" "$2" "$3" "$4" \
        "$(awk -v a="$2" -v b="$ng" 'BEGIN { print (b > 0 ? a / b : 0) }')" "$5" "$7" "$8" \
        "$([ "$6" -gt 0 ] && echo "  (socket errors: $6)")"
}
row "nginx static $kim" nginx
row "hadath $kim" kim
row "hadath mix ($nmix distinct queries)" mix
[ -n "$big" ] && row "hadath mix, larger db ($(wc -l <"$tmp/mix.big" | tr -d ' ') queries)" big
echo
for r in 1 2; do [ -s "$tmp/wrk/kim.$r.cache" ] && echo "kim run $r: $(cacheline kim.$r | sed 's/^; //')"; done
for r in 1 2; do echo "mix run $r: $(mixline mix.$r)$(cacheline mix.$r)"; done
if [ -n "$big" ]; then for r in 1 2; do echo "larger-db mix run $r: $(mixline big.$r)$(cacheline big.$r)"; done; fi
exit 0
