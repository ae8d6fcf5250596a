#!/bin/sh
# make bench, the ingest and footprint half: start-to-ready time and RSS on
# the seeds; ingest of SaudiNewsNet (31,022 real articles, JSON Lines, read
# from ../shared/corpora, never copied into the repository) with one and two
# extraction jobs; a 100 k set made from it; the unchanged restart and
# /events?actor=X latency on that set; what the extractor found. Prints
# numbers, judges nothing.
# usage: sh bench/ingest.sh BUILD_DIR
set -u
bin=$(cd "$(dirname "$1/hadath")" && pwd)/hadath
corpora=${HADATH_CORPORA:-../shared/corpora}
src=$corpora/saudinewsnet.jsonl.gz
work=$(mktemp -d "${TMPDIR:-/tmp}/hadath-bench-XXXXXX")
pid=
trap 'stop_server; rm -rf "$work"' EXIT
trap 'exit 130' INT TERM

now() { date +%s.%N; }
calc() { awk "BEGIN { printf \"$1\", $2 }"; } # calc FORMAT EXPRESSION
secs() { calc %.2f "$2 - $1"; }
mb() { calc %.1f "$(stat -c %s "$1") / 1000000"; }

# serve DIR DB: starts hadath on a free port, waits for its "listening" line
serve() {
    : >"$work/log"
    "$bin" serve --corpus "$1" --db "$2" --port 0 --quiet >"$work/log" 2>&1 &
    pid=$!
    i=0
    until grep -q 'listening on' "$work/log"; do
        i=$((i + 1))
        if [ $i -gt 6000 ] || ! kill -0 $pid 2>/dev/null; then
            echo "hadath did not start:" >&2
            tail -5 "$work/log" >&2
            exit 1
        fi
        sleep 0.05
    done
    base=$(sed -n 's/.*listening on \(http:[^ ]*\) .*/\1/p' "$work/log")
    ready=$(sed -n 's/.*ready in \([0-9.]*\) ms.*/\1/p' "$work/log")
    rss=$(sed -n 's/.*RSS \([0-9]*\) KiB.*/\1/p' "$work/log")
}
stop_server() {
    [ -n "$pid" ] && kill $pid 2>/dev/null && wait $pid 2>/dev/null
    pid=
}
rss_now() { awk '/^VmRSS/ {print $2}' "/proc/$pid/status"; }

echo "footprint, seed corpus (corpus/, 5 articles):"
serve corpus "$work/seeds.db"
printf '  first start (ingest included)   ready in %6s ms   RSS %6s KiB\n' "$ready" "$rss"
stop_server
serve corpus "$work/seeds.db"
printf '  restart, nothing changed         ready in %6s ms   RSS %6s KiB\n' "$ready" "$rss"
for _ in 1 2 3 4 5 6 7 8 9 10; do curl -s -o /dev/null "$base/events?actor=kim"; done
printf '  after serving requests                                RSS %6s KiB\n' "$(rss_now)"
stop_server

if [ ! -r "$src" ]; then
    echo
    echo "ingest: $src not found; the SaudiNewsNet benchmarks need ../shared/corpora"
    echo "(or HADATH_CORPORA set to the folder that holds saudinewsnet.jsonl.gz)"
    exit 0
fi

mkdir -p "$work/snn" "$work/100k"
gzip -dc "$src" >"$work/snn/saudinewsnet.jsonl"
file=$work/snn/saudinewsnet.jsonl
records=$(wc -l <"$file")
text=$(jq -j '.content // ""' "$file" | wc -c)
text_mb=$(calc %.1f "$text / 1000000")
echo
echo "ingest, SaudiNewsNet: $records records, $(mb "$file") MB of JSON Lines, $text_mb MB of article text"
for jobs in 1 2; do
    rm -f "$work/snn.db"*
    t0=$(now)
    "$bin" ingest --corpus "$work/snn" --db "$work/snn.db" --jobs $jobs >"$work/ingest.log" 2>&1
    t1=$(now)
    s=$(secs "$t0" "$t1")
    eval "wall$jobs=$s"
    rate=$(calc %.2f "$text_mb / $s / $jobs")
    printf '  --jobs %d   %7s s   %6s MB/s of text per core   %s\n' $jobs "$s" "$rate" \
        "$(tail -1 "$work/ingest.log" | sed 's/ in [0-9.]* s$//')"
done
printf '  speed-up with two jobs: %sx; database %s MB\n' \
    "$(calc %.2f "$wall1 / $wall2")" "$(mb "$work/snn.db")"

serve "$work/snn" "$work/snn.db"
echo
echo "what the extractor found there (/stats):"
curl -s "$base/stats?top=10" >"$work/stats.json"
jq -r '"  \(.events.total) events in \(.articles) articles; entities mentioned: \(.entities | to_entries | map("\(.value) \(.key)") | join(", "))"' \
    "$work/stats.json"
echo "  events by type:"
jq -r '.events.by_type | to_entries | sort_by(-.value)[] | "    \(.value)\t\(.key)"' "$work/stats.json"
echo "  ten commonest actors:"
jq -r '.events.top_actors[] | "    \(.events)\t\(.name) (\(.name_ar // "-"))"' "$work/stats.json"
stop_server

# The 100 k set: the records again with a field that makes each copy a
# distinct line, so that none is skipped as unchanged; four files.
for k in 0 1 2 3; do
    sed "s/^{/{\"copy\": $k, /" "$file" >"$work/100k/part$k.jsonl"
done
total=$(cat "$work/100k"/*.jsonl | wc -l)
keep=$((100000 - total + $(wc -l <"$work/100k/part3.jsonl")))
head -n "$keep" "$work/100k/part3.jsonl" >"$work/100k/p3" && mv "$work/100k/p3" "$work/100k/part3.jsonl"
rm -f "$file"
set -- "$work/100k"/*.jsonl
bytes=$(cat "$@" | wc -c)
echo
echo "ingest, 100 k set: $(cat "$@" | wc -l) records in $# files, $(calc %.0f "$bytes / 1000000") MB"
t0=$(now)
"$bin" ingest --corpus "$work/100k" --db "$work/100k.db" --jobs 2 >"$work/ingest.log" 2>&1
t1=$(now)
printf '  --jobs 2   %s s   %s\n' "$(secs "$t0" "$t1")" "$(tail -1 "$work/ingest.log")"
printf '  database %s MB\n' "$(mb "$work/100k.db")"
t0=$(now)
"$bin" ingest --corpus "$work/100k" --db "$work/100k.db" >"$work/ingest.log" 2>&1
t1=$(now)
printf '  ingest again, nothing changed: %s s\n' "$(secs "$t0" "$t1")"
serve "$work/100k" "$work/100k.db"
printf '  restart, nothing changed: ready in %s ms, RSS %s KiB\n' "$ready" "$rss"

# /events?actor=X for 200 different actors: each a first request, so the
# response cache answers none of them
curl -s "$base/entities?limit=200" | jq -r '.data[].id' >"$work/actors"
: >"$work/times"
while read -r a; do
    curl -s -o /dev/null -w '%{time_total}\n' "$base/events?actor=$a" >>"$work/times"
done <"$work/actors"
n=$(wc -l <"$work/times")
sort -n "$work/times" >"$work/sorted"
med=$(sed -n "$(((n + 1) / 2))p" "$work/sorted")
p90=$(sed -n "$(((n * 9 + 9) / 10))p" "$work/sorted")
printf '  /events?actor=X, %d distinct actors: median %s ms, p90 %s ms\n' "$n" \
    "$(calc %.1f "$med * 1000")" "$(calc %.1f "$p90 * 1000")"
printf '  RSS after them: %s KiB\n' "$(rss_now)"
stop_server
