#!/bin/sh
# API tests: starts the real server (BIN) on a free loopback port over a copy
# of corpus/ and checks real responses with curl and jq.
# usage: tests/test_api.sh BUILD/hadath
bin=${1:?usage: test_api.sh BIN}
tmp=$(mktemp -d /tmp/hadath-api-XXXXXX)
pass=0 fail=0
trap 'kill $pid 2>/dev/null; rm -rf "$tmp"' EXIT

ok() { pass=$((pass + 1)); }
no() { fail=$((fail + 1)); echo "FAIL api: $*" >&2; }
# t DESCRIPTION COMMAND...: the command's success is the check
t() { d=$1; shift; if "$@" >/dev/null 2>&1; then ok; else no "$d"; fi; }

start() { # start the server, wait for its "listening" line, set $base
    "$bin" serve --corpus "$tmp/corpus" --db "$tmp/db" --listen 127.0.0.1 --port 0 \
        --threads 2 2>"$tmp/log" &
    pid=$!
    i=0
    while [ $i -lt 100 ] && ! grep -q 'listening on' "$tmp/log"; do sleep 0.05; i=$((i + 1)); done
    port=$(sed -n 's/.*listening on http:\/\/127.0.0.1:\([0-9]*\).*/\1/p' "$tmp/log")
    base="http://127.0.0.1:$port"
}
stop() { # SIGTERM; the server must exit 0 (under ASan a leak makes it fail)
    kill -TERM $pid
    wait $pid
    rc=$?
    pid=
    return $rc
}
get() { curl -sS --max-time 10 "$base$1"; }
code() { curl -s -o /dev/null -w '%{http_code}' --max-time 10 "$@"; }
jqt() { # jqt DESCRIPTION PATH JQ-EXPRESSION: the expression must print true
    if [ "$(get "$2" | jq -r "$3" 2>&1)" = true ]; then ok; else no "$1: $2 | $3"; fi
}

mkdir -p "$tmp/corpus"
cp corpus/*.txt "$tmp/corpus/"
start
t "server starts and prints its port" test -n "$port"

jqt "health" /health '.status == "ok" and .articles == 5 and .entities > 20 and .events >= 0'
t "content type" sh -c "curl -sI '$base/health' | grep -qi '^content-type: application/json; charset=utf-8'"

# The five articles, each with file, title, source and published right.
a=/articles
jqt "five articles" $a '(.data | length) == 5 and .meta.total == 5 and .meta.next == null and .meta.limit == 50'
jqt "fields" $a '[.data[] | has("id","file","title","source","published","published_source","sentences","entities","events")] | all'
jqt "000" $a '.data[0] | .file == "000_fe86b9d04abbfb5e.txt" and (.title | startswith("وسط أنباء عن زيارة بوتين.. كوريا الشمالية")) and .source == "رويترز" and .published == "2024-06" and .published_source == "inferred"'
jqt "001" $a '.data[1] | .title == "كواليس زيارة شويغو لكوريا الشمالية.. هذا ما تعهد به كيم لروسيا" and .source == "فرانس برس، العربي الجديد" and .published == "2024-09-14" and .published_source == "dateline"'
jqt "002" $a '.data[2] | (.title | startswith("روسيا تتعهد بتعزيز علاقاتها")) and .source == null and .published == null'
jqt "003" $a '.data[3] | .title == "عاجل.. بوتين يشيد بـ “صداقة لا تُقهر” مع كوريا الشمالية" and .source == "صراحة نيوز"'
jqt "004" $a '.data[4] | .title == "بوتين في كوريا الشمالية.. دلالات زيارة لم تحدث منذ 24 عامًا" and .published == "2024" and .published_source == "inferred"'
jqt "sentence counts" $a '[.data[].sentences > 10] | all'

# Furniture is in no article's text; the article around it is.
for id in 1 2 3 4 5; do get /articles/$id; echo; done >"$tmp/texts"
for s in 'تصنيفات' 'قصص قد تهمك' 'اترك تعليقاً' 'لن يتم نشر عنوان بريدك' 'تهدد جارتها الجنوبية' \
    'لم تتلق ردا' 'مستعدة لتعبئة أسلحة ردعها' 'صدر الصورة' '+ الخط -' '(إكس)' '"close' \
    'قصص مقترحة' '13 سبتمبر 2023 - Reuters'; do
    if jq -r .text "$tmp/texts" | grep -qF -- "$s"; then no "furniture in text: $s"; else ok; fi
done
for s in 'سول -رويترز' 'أول زيارة منذ 24 عاماً' 'صراحة نيوز- أشاد' 'ما مدى التقارب بين روسيا وكوريا الشمالية؟'; do
    if jq -r .text "$tmp/texts" | grep -qF -- "$s"; then ok; else no "article text lost: $s"; fi
done

# The detail: text, code-point offsets, entity and mention lists.
jqt "detail fields" /articles/2 '.id == 2 and (.text | length) == .text_length and (.entities | type) == "array" and (.mentions | type) == "array"'
jqt "title is the first sentence" /articles/4 '.text[.sentence_spans[0].start:.sentence_spans[0].end] == .title'
jqt "spans inside the text" /articles/5 '. as $a | [.sentence_spans[] | .start < .end and .end <= $a.text_length] | all'

# Entities and their mentions: offsets are code points into text, and the
# surface is the text there; an adjective is a modifier, not a mention.
jqt "mentions point into the text" /articles/1 '. as $a | [.mentions[] | $a.text[.start:.end] == .surface] | all'
jqt "modifiers point into the text" /articles/1 '. as $a | (.modifiers | length) > 0 and ([.modifiers[] | $a.text[.start:.end] == .surface] | all)'
jqt "every mention names a listed entity" /articles/3 '([.entities[].id]) as $ids | [.mentions[] | .entity as $e | $ids | index($e) != null] | all'
jqt "article entity count" /articles '[.data[] | .entities > 0] | all'
jqt "Kim Jong Un in article 1" /articles/1 '[.entities[] | select(.id == "kim-jong-un" and .type == "person" and .wikidata == "Q56226")] | length == 1'
jqt "a credited agency" /articles/2 '[.entities[] | select(.credited == true)] | length >= 1'
jqt "entities sorted by mentions" /entities '[.data[].mentions] as $m | $m == ($m | sort | reverse)'
jqt "entity counts" /entities '[.data[] | has("id","type","name","name_ar","wikidata","country","mentions","articles")] | all'
jqt "type filter" "/entities?type=city" '(.data | length) > 0 and ([.data[].type == "city"] | all)'
jqt "article filter" "/entities?article=4&limit=1000" '[.data[].id] | index("yoon-suk-yeol") != null'
jqt "kim finds every Kim" "/entities?q=kim" '[.data[].id] | (index("kim-jong-un") != null and index("kim-jong-il") != null)'
for q in 'Kim%20Jong-un' '%D9%83%D9%8A%D9%85%20%D8%AC%D9%88%D9%86%D8%AC%20%D8%A3%D9%88%D9%86' '%D9%83%D9%8A%D9%85%20%D8%AC%D9%88%D9%86%D8%BA%20%D8%A7%D9%88%D9%86' 'Q56226'; do
    jqt "q=$q is Kim Jong Un alone" "/entities?q=$q" '[.data[].id] == ["kim-jong-un"] and .meta.resolved.q[0].entities[0].id == "kim-jong-un"'
done
jqt "putin is not Biden" "/entities?q=putin" '[.data[].id] == ["vladimir-putin"]'
jqt "Pyongyang in Latin" "/entities?q=Pyongyang" '[.data[].id] == ["pyongyang"]'
jqt "two values" "/entities?q=putin,shoigu" '[.data[].id] | sort == ["sergei-shoigu", "vladimir-putin"]'
jqt "a name that matches nothing" "/entities?q=zzzzqx" '.data == [] and .meta.total == 0 and .meta.resolved.q[0].entities == []'
jqt "entity detail" /entities/kim-jong-un '.id == "kim-jong-un" and .mentions > 0 and .articles == 5 and ([.aliases[].script] | index("ar") != null and index("latn") != null) and ([.related[].id] | index("vladimir-putin") != null)'
jqt "entity by Wikidata id" /entities/Q7747 '.id == "vladimir-putin"'
jqt "a city has a point" /entities/pyongyang '.point.lat > 38 and .point.lat < 40.5'
t "404 entity" test "$(code "$base/entities/nobody-at-all")" = 404
t "404 bad entity id" test "$(code "$base/entities/%D9%83")" = 404
for q in 'type=planet' 'article=0' 'article=x' 'q=' 'q=%20,' 'limit=0'; do
    p=${q%%=*}
    jqt "400 for $q" "/entities?$q" ".status == 400 and .parameter == \"$p\""
done
e1=$(get "/entities?limit=7" | jq -r .meta.next)
n1=$(get "/entities?limit=7" | jq -r '.data[].id')
n2=$(get "/entities?limit=7&cursor=$e1" | jq -r '.data[].id')
t "entity pages do not overlap" test -z "$(printf '%s\n%s\n' "$n1" "$n2" | sort | uniq -d)"
jqt "entity cursor is for entities" "/articles?cursor=$e1" '.status == 400 and .parameter == "cursor"'

# Events: the contract's shape, the filters, clusters, paging.
ev=/events
jqt "events listed" "$ev?limit=1000" '(.data | length) == .meta.total and .meta.total >= 20'
jqt "event fields" "$ev?limit=1000" '[.data[] | has("id","type","cameo","plover","modality","actors","targets","location","date","trigger","sentence","article","confidence")] | all'
jqt "event date fields" "$ev?limit=1000" '[.data[].date | has("start","end","precision","text")] | all'
jqt "types are the contract's" "$ev?limit=1000" '[.data[].type | IN("visit","meeting","message","statement","praise","criticism","pledge","cooperation","agreement","invitation","recognition","aid","military_aid","request","accusation","denial","threat","sanction","sever_relations","attack")] | all'
jqt "modalities are the contract's" "$ev?limit=1000" '[.data[].modality | IN("asserted","planned","alleged","conditional","negated")] | all'
jqt "every event has a participant" "$ev?limit=1000" '[.data[] | (.actors + .targets | length) > 0] | all'
jqt "actor=kim: Kim's letters, meetings, visits" "$ev?actor=kim&limit=1000" '([.data[].type] | (index("message") != null and index("meeting") != null and index("visit") != null)) and ([.data[] | [.actors[].id] | (index("kim-jong-un") != null or index("kim-jong-il") != null)] | all)'
jqt "actor=kim resolved" "$ev?actor=kim" '[.meta.resolved.actor[0].entities[].id] | (index("kim-jong-un") != null and index("kim-jong-il") != null)'
for q in 'Kim%20Jong-un' '%D9%83%D9%8A%D9%85%20%D8%AC%D9%88%D9%86%D8%AC%20%D8%A3%D9%88%D9%86' 'kim-jong-un'; do
    jqt "actor=$q is Kim Jong Un" "$ev?actor=$q" '[.meta.resolved.actor[0].entities[].id] == ["kim-jong-un"] and .meta.total > 0'
done
jqt "putin visits: July 2000 and June 2024" "$ev?actor=putin&type=visit&limit=1000" '[.data[].date.start // "" | .[0:7]] | (index("2000-07") != null and index("2024-06") != null)'
jqt "type filter" "$ev?type=visit,meeting" '.meta.total > 0 and ([.data[].type | IN("visit","meeting")] | all)'
jqt "modality filter" "$ev?modality=planned" '.meta.total > 0 and ([.data[].modality == "planned"] | all)'
jqt "target filter" "$ev?target=north-korea&limit=1000" '.meta.total > 0 and ([.data[] | [.targets[].id] | index("north-korea") != null] | all)'
jqt "participant filter" "$ev?participant=shoigu&limit=1000" '.meta.total > 0 and ([.data[] | [(.actors + .targets)[].id] | index("sergei-shoigu") != null] | all)'
jqt "country filter" "$ev?country=vn&limit=1000" '.meta.total > 0 and ([.data[] | [(.actors + .targets)[].country] | index("VN") != null] | all)'
jqt "location filter" "$ev?location=pyongyang&limit=1000" '.meta.total > 0 and ([.data[].location.id == "pyongyang"] | all)'
jqt "article filter" "$ev?article=2&limit=1000" '.meta.total > 0 and ([.data[].article.id == 2] | all)'
jqt "cameo and plover" "$ev?cameo=042&plover=consult&limit=1000" '.meta.total > 0 and ([.data[] | .cameo == "042" and .plover == "CONSULT"] | all)'
jqt "from/to" "$ev?from=2024-06&to=2024-06&limit=1000" '.meta.total > 0 and ([.data[].date | .start <= "2024-06-30" and .end >= "2024-06-01"] | all)'
jqt "year bounds" "$ev?from=2000&to=2000" '.meta.total > 0 and ([.data[].date.start | startswith("2000")] | all)'
jqt "q: words of the sentence" "$ev?q=%D9%81%D9%8A%D8%AA%D9%86%D8%A7%D9%85&limit=1000" '.meta.total > 0 and ([.data[].sentence | test("فيتنام")] | all)'
jqt "sort=date" "$ev?sort=date&limit=1000" '[.data[].date.start | select(. != null)] as $d | $d == ($d | sort)'
jqt "sort=-date" "$ev?sort=-date&limit=1000" '[.data[].date.start | select(. != null)] as $d | $d == ($d | sort | reverse)'
jqt "a name that matches nothing" "$ev?actor=zzzzqx" '.data == [] and .meta.total == 0 and .meta.resolved.actor[0].entities == []'
jqt "group=cluster: Putin's June 2024 visit in several articles" "$ev?group=cluster&actor=putin&target=north-korea&type=visit&limit=1000" '[.data[] | select(.cluster.reports >= 3 and (.cluster.articles | length) >= 3)] | length >= 1'
jqt "a cluster's date is its most precise report's" "$ev?group=cluster&actor=putin&target=north-korea&type=visit&limit=1000" '[.data[] | select(.cluster.reports >= 3) | .cluster.date.start] | index("2024-06-01") != null'
jqt "group=cluster has fewer rows" "$ev?group=cluster" ".meta.total < $(get "$ev" | jq .meta.total)"
e1=$(get "$ev?limit=1" | jq -r '.data[0].id')
jqt "event detail" "$ev/$e1" ".id == $e1 and (.cluster.articles | length) >= 1 and (.article | has(\"id\") and has(\"file\") and has(\"title\"))"
t "404 event" test "$(code "$base$ev/999999")" = 404
for q in 'type=party' 'modality=maybe' 'cameo=abc' 'country=RUS' 'from=2024-13' 'to=yesterday' 'sort=name' 'group=article' 'article=x' 'actor=' 'limit=0' 'plover=1'; do
    p=${q%%=*}
    jqt "400 for $q" "$ev?$q" ".status == 400 and .parameter == \"$p\""
done
all=$(get "$ev?limit=1000" | jq -r '.data[].id' | sort -n | tr '\n' ' ')
# walk PATH: the ids of every page of PATH, following meta.next, sorted
walk() {
    ids= cur=
    while :; do
        page=$(get "$1${cur:+&cursor=$cur}")
        ids="$ids$(echo "$page" | jq -r '.data[].id' | tr '\n' ' ')"
        cur=$(echo "$page" | jq -r '.meta.next // empty')
        [ -n "$cur" ] || break
    done
    echo $ids | tr ' ' '\n' | sort -n | tr '\n' ' '
}
t "event pages walk every event once" test "$(walk "$ev?limit=7")" = "$all"
t "date-sorted pages walk every event once" test "$(walk "$ev?sort=-date&limit=9")" = "$all"
c1=$(get "$ev?sort=date&limit=2" | jq -r .meta.next)
jqt "a date cursor is not an id cursor" "$ev?cursor=$c1" '.status == 400 and .parameter == "cursor"'
jqt "health counts events" /health '.events > 20'
jqt "an article lists its events" /articles/2 '(.events | length) > 0 and ([.events[].article.id == 2] | all)'
jqt "the article list counts them" /articles '[.data[] | select(.id == 2) | .events] == [('"$(get /articles/2 | jq '.events | length')"')]'

# Paging: walking pages of two yields every article once.
p1=$(get "/articles?limit=2")
c1=$(echo "$p1" | jq -r .meta.next)
p2=$(get "/articles?limit=2&cursor=$c1")
c2=$(echo "$p2" | jq -r .meta.next)
p3=$(get "/articles?limit=2&cursor=$c2")
ids=$(printf '%s\n%s\n%s\n' "$p1" "$p2" "$p3" | jq -r '.data[].id' | sort -u | tr '\n' ' ')
t "pages cover all once ($ids)" test "$ids" = "1 2 3 4 5 "
t "last page has no next" test "$(echo "$p3" | jq -r .meta.next)" = null
jqt "limit above max is clamped" "/articles?limit=5000" '.meta.limit == 1000'

# Bad input: 400 naming the parameter, 404, 405 with Allow, HEAD, OPTIONS.
for q in 'limit=0' 'limit=abc' 'limit=-3' 'limit=1e3' 'limit=' 'limit=99999999999999999999'; do
    jqt "400 for $q" "/articles?$q" '.status == 400 and .parameter == "limit"'
done
forged=$(printf 'articles:2:00000000' | base64 | tr '+/' '-_' | tr -d '=')
jqt "forged cursor" "/articles?cursor=$forged" '.status == 400 and .parameter == "cursor"'
jqt "garbage cursor" "/articles?cursor=%ff%fe" '.status == 400 and .parameter == "cursor"'
jqt "cursor of another list" "/articles?cursor=$(printf 'events:2:00000000' | base64 | tr -d '=')" '.status == 400'
t "404 article" test "$(code "$base/articles/999")" = 404
t "404 non-numeric id" test "$(code "$base/articles/abc")" = 404
t "404 path" test "$(code "$base/nope")" = 404
t "problem type" sh -c "curl -s -D - -o /dev/null '$base/articles/999' | grep -qi 'content-type: application/problem+json'"
t "405" test "$(code -X POST "$base/articles")" = 405
t "405 Allow" sh -c "curl -s -D - -o /dev/null -X DELETE '$base/articles/1' | grep -qi '^allow: GET, HEAD, OPTIONS'"
t "HEAD" test "$(code -I "$base/health")" = 200
t "OPTIONS" test "$(code -X OPTIONS "$base/articles")" = 204
t "trailing slash" test "$(code "$base/articles/")" = 200
t "long path" test "$(code "$base/$(head -c 3000 /dev/zero | tr '\0' a)")" = 404

# Keep-alive: two requests on one connection.
t "keep-alive" sh -c "curl -sv '$base/health' '$base/health' 2>&1 | grep -q 'Re-using existing connection'"

# Access log: method, path, status, bytes, microseconds.
t "access log" grep -qE '^GET /articles 200 [0-9]+ [0-9]+us$' "$tmp/log"
t "clean exit on SIGTERM" stop

# A second start skips all five; a broken document is skipped, the rest served.
printf 'عنوان\n\377\376\n' >"$tmp/corpus/bad.txt"
start
t "second start: unchanged" grep -q 'ingest: 0 ingested, 5 unchanged, 1 skipped' "$tmp/log"
t "bad document reported" grep -q 'skipped bad.txt: not valid UTF-8' "$tmp/log"
jqt "still five" /health '.articles == 5'
t "clean exit again" stop

# The command line: extract, ingest, health, bad flags.
t "version" sh -c "'$bin' --version | grep -q '^hadath [0-9]'"
t "help" sh -c "'$bin' --help | grep -q 'usage: hadath'"
t "unknown command exits 2" sh -c "'$bin' frobnicate 2>/dev/null; test \$? -eq 2"
t "bad port exits 2" sh -c "'$bin' serve --port 70000 2>&1 | grep -q -- '--port must be'"
t "extract" sh -c "'$bin' extract corpus/001_6e0af8c5b51e59dc.txt | jq -e '.published == \"2024-09-14\" and (.events | length) > 0 and (.text | contains(\"+ الخط -\") | not)'"
t "extract: Shoigu's visit" sh -c "'$bin' extract corpus/001_6e0af8c5b51e59dc.txt | jq -e '[.events[] | select(.type == \"visit\" and ([.actors[].id] | index(\"sergei-shoigu\") != null))] | length >= 1'"
t "extract: entities and mentions" sh -c "'$bin' extract corpus/001_6e0af8c5b51e59dc.txt | jq -e '([.entities[].id] | index(\"sergei-shoigu\") != null) and ([.mentions[] | select(.entity == \"sergei-shoigu\")] | length) >= 2'"
t "extract --furniture" sh -c "'$bin' extract --furniture corpus/003_9384911031feb3ac.txt | jq -e '[.furniture[].line] | index(\"close\") != null'"
t "keys: one skeleton for three spellings" sh -c "printf 'Pyongyang\\nبيونغ يانغ\\nبيونج يانج\\n' | '$bin' keys | cut -f3 | sort -u | wc -l | grep -qx 1"
t "keys: a line out for every line in" sh -c "printf 'a\\n\\n\\377\\nكيم\\n' | '$bin' keys | wc -l | grep -qx 4"
t "extract of a missing file" sh -c "! '$bin' extract /nonexistent.txt 2>/dev/null"
t "ingest command" sh -c "'$bin' ingest --corpus '$tmp/corpus' --db '$tmp/db2' 2>'$tmp/ingest.err' | grep -c '^ingested ' | grep -qx 5"
t "ingest reports the skip on stderr" grep -q '^skipped bad.txt: not valid UTF-8' "$tmp/ingest.err"
start
t "health probe" "$bin" health --url "$base/health"
t "stop" stop
t "health probe of a closed port fails" sh -c "! '$bin' health --url '$base/health' 2>/dev/null"

echo "api: $pass passed, $fail failed"
[ $fail -eq 0 ]
