#!/bin/sh
# bench/page.sh: the web page part of `make bench`: starts hadath and times
# the page in headless Chromium (bench/page.mjs). Prints numbers, judges
# nothing. Over corpus/, or HADATH_BENCH_DB and HADATH_BENCH_CORPUS as
# bench/http.sh takes them (the database is used in place, read-only: serve
# only re-ingests what changed in that corpus, which is nothing).
# usage: sh bench/page.sh BUILD_DIR [LOADS]
# Needs: node, /usr/bin/chromium, tests/e2e/node_modules (make test installs them).
set -u
build=${1:?usage: sh bench/page.sh BUILD_DIR [LOADS]}
loads=${2:-5}
bin=$build/hadath
die() { echo "bench/page: $*" >&2; exit 1; }
[ -x "$bin" ] || die "no $bin: build it first"
command -v node >/dev/null || die "node is not installed (make test installs it)"
[ -d tests/e2e/node_modules/playwright-core ] || die "no tests/e2e/node_modules (make test installs it)"
tmp=$(mktemp -d /tmp/hadath-bench-page-XXXXXX) || die "cannot make a temp dir"
pid=
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null; rm -rf "$tmp"' EXIT
if [ -n "${HADATH_BENCH_DB:-}" ]; then
    corpus=${HADATH_BENCH_CORPUS:?HADATH_BENCH_CORPUS: the folder HADATH_BENCH_DB was ingested from}
    db=$HADATH_BENCH_DB
else
    corpus=corpus db=$tmp/db
fi
"$bin" serve --corpus "$corpus" --db "$db" --listen 127.0.0.1 --port 0 2>"$tmp/log" &
pid=$!
i=0
while [ $i -lt 3000 ] && ! grep -q 'listening on' "$tmp/log"; do
    kill -0 $pid 2>/dev/null || die "hadath did not start: $(tail -1 "$tmp/log")"
    sleep 0.1
    i=$((i + 1))
done
port=$(sed -n 's/.*listening on http:\/\/127.0.0.1:\([0-9]*\).*/\1/p' "$tmp/log")
[ -n "$port" ] || die "hadath did not start in 300 s"
echo; echo "web page over $corpus ($(curl -s "http://127.0.0.1:$port/health" | jq -r '"\(.articles) articles, \(.events) events"'))"
TMPDIR=$tmp node bench/page.mjs "http://127.0.0.1:$port" "$loads"
