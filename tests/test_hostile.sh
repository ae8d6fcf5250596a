#!/bin/sh
# Hostile requests against the real server (BIN): SQL in every parameter of
# every route, path traversal, percent-encoding garbage and overlong UTF-8,
# huge and negative numbers, forged cursors, FTS5 operators, an overlong
# target. Every answer must be a 2xx-4xx, never a 5xx, a reset or a hang;
# the server must be alive after them and exit cleanly.
# usage: tests/test_hostile.sh BUILD/hadath
bin=${1:?usage: test_hostile.sh BIN}
suite=hostile
. "$(dirname "$0")/lib.sh"

mkdir -p "$tmp/corpus"
cp corpus/*.txt "$tmp/corpus/"
serve "$tmp/log" --corpus "$tmp/corpus" --db "$tmp/db" --threads 2 --quiet
[ -n "$base" ] && ok || no "the server did not start"

# Values as they go on the wire (already percent-encoded where they must be;
# some encodings are broken on purpose).
cat >"$tmp/values" <<'EOF'
%27%20OR%201%3D1%20--
%22%3B%20DROP%20TABLE%20events%3B%20--
1%3B%20SELECT%20*%20FROM%20meta
%27)%20UNION%20SELECT%20secret%2C1%20FROM%20meta--
..%2F..%2F..%2Fetc%2Fpasswd
%00
%ff%fe%fd
%c0%af%c0%ae
%e0%80%af
%ed%a0%80
%zz%
%
-1
0
99999999999999999999999
1e308
NaN
0x10
NEAR(a%20b)
%22unbalanced
*
a%20OR%20OR%20b
%5E
col%3Ax
((((((((((((((((((((
%F0%9F%98%80
%D9%83%D9%8A%D9%85%20%2A
AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA.BBBB.CCCC
EOF
params="actor target participant location type cameo plover modality country article from to q sort
group limit cursor format top ids entity"
paths="/ /health /articles /articles/1 /entities /entities/kim-jong-un /events /events/1 /search
/stats /openapi.json /metrics"

# one curl for all, over kept-alive connections: a config file of URLs
: >"$tmp/urls"
for p in $paths; do
    for n in $params; do
        while read -r v; do
            printf 'url = "%s%s?%s=%s"\noutput = "/dev/null"\n' "$base" "$p" "$n" "$v" >>"$tmp/urls"
        done <"$tmp/values"
    done
    # the same values as paths under each route
    while read -r v; do
        printf 'url = "%s%s/%s"\noutput = "/dev/null"\n' "$base" "$p" "$v" >>"$tmp/urls"
    done <"$tmp/values"
done
for v in /../../etc/passwd /%2e%2e/%2e%2e/etc/passwd /articles/..%2f..%2fetc%2fpasswd \
    /entities/%00 /events/%ff "/events?%ff=1" "/events?=&=&&&" "/events?actor" \
    "/events?actor=kim&actor=putin&actor=" "/events?limit=1&limit=2" "/events?cursor=Zm9yZ2Vk" \
    "/events?cursor=YWFhOmJiYjpjY2M6ZGRkOmVlZQ" "/search?q=%22a%22%20NEAR%20b%20AND%20NOT%20c"; do
    printf 'url = "%s%s"\noutput = "/dev/null"\n' "$base" "$v" >>"$tmp/urls"
done
nurls=$(grep -c '^url' "$tmp/urls")
curl -s --path-as-is --globoff --max-time 10 -w '%{http_code} %{url_effective}\n' -K "$tmp/urls" \
    >"$tmp/codes" 2>/dev/null
got=$(wc -l <"$tmp/codes")
[ "$got" -eq "$nurls" ] && ok || no "$got answers to $nurls requests"
bad=$(awk '$1 !~ /^[234][0-9][0-9]$/' "$tmp/codes")
[ -z "$bad" ] && ok || no "not a 2xx-4xx answer: $(echo "$bad" | head -5)"
fives=$(awk '$1 ~ /^5/' "$tmp/codes" | wc -l)
[ "$fives" -eq 0 ] && ok || no "$fives answers were 5xx"
fours=$(awk '$1 ~ /^4/' "$tmp/codes" | wc -l)
[ "$fours" -gt 100 ] && ok || no "only $fours of $nurls were refused: were the values sent?"

# nothing leaks from outside the API, nor the database's secret
for v in /../../etc/passwd /%2e%2e/%2e%2e/etc/passwd; do
    curl -s --path-as-is "$base$v" | grep -q 'root:' && no "$v served a file" || ok
done
# no file by its path: not a document of the corpus, not the database
for v in /corpus/000_fe86b9d04abbfb5e.txt /000_fe86b9d04abbfb5e.txt /db /db.gen-1 /hadath.db \
    /%2e%2e/db; do
    curl -s --path-as-is "$base$v" | grep -aq 'SQLite format 3\|كوريا الشمالية تتباهى' && no "$v served a file" || ok
done
# (the cursor secret is 64 hex digits, and no reply carries such a string)
for p in events entities search; do
    curl -s --globoff "$base/$p?q=%27)%20UNION%20SELECT%20value,1%20FROM%20meta--&actor=%27)%20UNION%20SELECT%20value%20FROM%20meta--" |
        grep -Eq '[0-9a-f]{64}' && no "/$p: something like the secret in a reply" || ok
done

# a query string of 100 KB is a 414, not a reset
long=$(head -c 100000 /dev/zero | tr '\0' a)
c=$(curl -s -o /dev/null -w '%{http_code}' --max-time 10 "$base/events?q=$long")
[ "$c" = 414 ] && ok || no "100 KB target: $c"

# alive, and the data intact
c=$(curl -s -o /dev/null -w '%{http_code}' "$base/health")
[ "$c" = 200 ] && ok || no "health after the onslaught: $c"
n=$(curl -s "$base/health" | jq -r .events)
[ "${n:-0}" -gt 0 ] && ok || no "no events after the onslaught: $n"
kill -TERM $pid
wait $pid && ok || no "the server did not exit cleanly (under ASan: a leak or an error)"
pid=
finish
