#!/bin/sh
# The database through crashes and reloads. First kill -9 at random moments
# of ingests that would change it: each time the database is as it was,
# served on the restart, and the half-built generation is cleaned away.
# Then wrk across three reloads of a running server (a document added under
# --watch, one removed with SIGHUP, records added): not one request fails
# and each reload is served.
# usage: tests/test_reload.sh BUILD/hadath   (RELOAD_ROUNDS=N: kill rounds, default 8)
bin=${1:?usage: test_reload.sh BIN}
suite=reload
. "$(dirname "$0")/lib.sh"

c=$tmp/corpus
mkdir -p "$c"
cp corpus/*.txt "$c/"
"$bin" ingest --corpus "$c" --db "$tmp/db" >/dev/null 2>&1
# 2,000 records: an ingest of a few seconds, to cut short
jq -Rsc '{title: "t", content: .}' corpus/004_31d0d33b21a8ff9a.txt |
    awk '{ for (i = 0; i < 2000; i++) { l = $0; sub(/"title":"t"/, "\"title\":\"t" i "\"", l); print l } }' \
        >"$tmp/many.jsonl"
generations() { ls "$tmp" | grep -c '^db\.gen-'; }

rounds=${RELOAD_ROUNDS:-8}
r=0 cut=0
while [ $r -lt $rounds ]; do
    r=$((r + 1))
    delay=$(awk -v s="$$$r" 'BEGIN { srand(s); printf "%.2f", 0.05 + rand() * 2.5 }')
    cp "$tmp/many.jsonl" "$c/many.jsonl"
    before=$(readlink "$tmp/db")
    "$bin" ingest --corpus "$c" --db "$tmp/db" >/dev/null 2>&1 &
    ipid=$!
    sleep "$delay"
    kill -KILL $ipid 2>/dev/null
    wait $ipid 2>/dev/null
    # killed before it published: the five are served, unchanged; after
    # (or it finished first): the 2,005, unchanged
    if [ "$(readlink "$tmp/db")" = "$before" ]; then
        rm "$c/many.jsonl"
        want=5 cut=$((cut + 1))
    else
        want=2005
    fi
    serve "$tmp/log" --corpus "$c" --db "$tmp/db" --threads 1 --quiet
    t "round $r (kill -9 after $delay s): the restart finds the $want unchanged" \
        grep -q "ingest: 0 ingested, $want unchanged, 0 skipped, 0 removed" "$tmp/log"
    t "round $r: and serves them" sh -c "curl -s '$base/health' | jq -e '.articles == $want'"
    t "round $r: and finds them" sh -c "curl -s '$base/search?q=%D8%A8%D9%88%D8%AA%D9%8A%D9%86' | jq -e '(.data | length) > 0'"
    t "round $r: clean exit" halt
    t "round $r: no half-built generation is left" test "$(generations)" -eq 1
    if [ $want = 2005 ]; then
        rm "$c/many.jsonl"
        t "round $r: back to the five" sh -c "'$bin' ingest --corpus '$c' --db '$tmp/db' | tail -1 | grep -q '^ingest: 0 ingested, 5 unchanged, 0 skipped, 2000 removed'"
    fi
done
echo "reload: kill -9 cut $cut of $rounds ingests short before they published"
t "most rounds cut an ingest short ($cut of $rounds)" test $cut -ge $((rounds / 2))

# ---- reloads under load ----
cat >"$tmp/paths.lua" <<'EOF'
local paths = {"/events?actor=kim", "/articles?limit=5", "/search?q=%D8%A8%D9%88%D8%AA%D9%8A%D9%86",
               "/entities?q=kim", "/stats", "/health", "/events?type=visit&sort=date"}
local i = 0
request = function()
    i = i % #paths + 1
    return wrk.format("GET", paths[i])
end
EOF
serve "$tmp/log" --corpus "$c" --db "$tmp/db" --threads 2 --quiet --watch
t "the server starts with --watch" test -n "$base"
wrk -t2 -c16 -d8s -s "$tmp/paths.lua" "$base" >"$tmp/wrk" 2>&1 &
wpid=$!
sleep 1.5
# a new document (a seed under another title): --watch sees it
{ echo "نسخة ثانية من الخبر"; tail -n +2 corpus/002_d83d7f4b06c21963.txt; } >"$c/new.txt"
sleep 2
rm "$c/001_6e0af8c5b51e59dc.txt"
kill -HUP $pid
sleep 2
head -n 200 "$tmp/many.jsonl" >"$c/some.jsonl"
kill -HUP $pid
wait $wpid
n=$(awk '/requests in/ {print $1}' "$tmp/wrk")
t "wrk ran across the reloads ($n requests)" test "${n:-0}" -gt 1000
t "no socket errors" sh -c "! grep -q 'Socket errors' '$tmp/wrk'"
t "no reply but 2xx" sh -c "! grep -q 'Non-2xx' '$tmp/wrk'"
i=0
while [ $i -lt 100 ] && [ "$(curl -s "$base/health" | jq .articles)" != 205 ]; do
    sleep 0.1
    i=$((i + 1))
done
t "the reloads are served: 5 + 1 - 1 + 200 articles" sh -c "curl -s '$base/health' | jq -e '.articles == 205'"
# (a signal during a reload makes one more after it: three changes may
# come in two reloads when a build is slow, as under ASan)
t "the reloads published generations" test "$(grep -c '^reload: .*a new database generation is served' "$tmp/log")" -ge 2
t "the new document is served" sh -c "curl -s '$base/articles?limit=1000' | jq -e '[.data[].file] | index(\"new.txt\") != null'"
t "the removed one is not" sh -c "curl -s '$base/articles?limit=1000' | jq -e '[.data[].file] | index(\"001_6e0af8c5b51e59dc.txt\") == null'"
t "one generation file left" test "$(generations)" -eq 1
t "clean exit after the reloads" halt

finish
