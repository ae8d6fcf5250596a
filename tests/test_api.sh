#!/bin/sh
# API tests: starts the real server (BIN) on a free loopback port over a copy
# of corpus/ and checks real responses with curl and jq.
# usage: tests/test_api.sh BUILD/hadath
bin=${1:?usage: test_api.sh BIN}
suite=api
. "$(dirname "$0")/lib.sh"

start() { serve "$tmp/log" --corpus "$tmp/corpus" --db "$tmp/db" --threads 2 "$@"; }
stop() { halt; }
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
jqt "the trigger sits at trigger_span less sentence_span in the sentence" "$ev?limit=1000" '[.data[] | .sentence[(.trigger_span[0] - .sentence_span[0]):(.trigger_span[1] - .sentence_span[0])] == .trigger] | all and length > 20'
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

# ---- /search: FTS5 over sentences with the text layer's stems ----
se() { curl -sS -G --max-time 10 "$base/search" --data-urlencode "q=$1" ${2:+--data-urlencode "$2"}; }
sjq() { # sjq DESCRIPTION QUERY JQ [PARAM]
    if [ "$(se "$2" "$4" | jq -r "$3" 2>&1)" = true ]; then ok; else no "$1: search $2 | $3"; fi
}
sjq "search finds sentences" 'روسيا' '.meta.total > 5 and (.data | length) > 0 and ([.data[] | .snippet | contains("<mark>")] | all)' limit=1000
sjq "روسيا finds بروسيا and لروسيا" 'روسيا' '[.data[].text | test("[بل]روسيا")] | any' limit=1000
sjq "hits have their article" 'روسيا' '[.data[] | (.article.id > 0) and (.article.file | endswith(".txt")) and (.sentence >= 0) and (.rank | type == "number")] | all'
sjq "each hit holds the word" 'بيونغ' '[.data[].text | test("بيونغ|بيونج")] | all' limit=1000
sjq "a phrase" '"كوريا الشمالية"' '.meta.total > 0 and ([.data[].text | contains("كوريا الشمالية")] | all)' limit=1000
n_ru=$(se 'روسيا' | jq .meta.total)
n_pre=$(se 'روس*' | jq .meta.total)
n_or=$(se 'روسيا OR بوتين' | jq .meta.total)
n_and=$(se 'روسيا بوتين' | jq .meta.total)
t "a prefix query finds more ($n_pre >= $n_ru)" test "$n_pre" -ge "$n_ru"
t "OR finds more, AND fewer ($n_or >= $n_ru >= $n_and)" test "$n_or" -ge "$n_ru" -a "$n_ru" -ge "$n_and" -a "$n_and" -gt 0
sjq "diacritics and alef forms fold" 'رُوسْيَا' ".meta.total == $n_ru"
sjq "snippets are HTML-safe" 'روسيا' '[.data[].snippet | gsub("</?mark>"; "") | test("[<>]") | not] | all' limit=1000
sjq "meta.query is the FTS5 query run" 'روسيا' '.meta.query == "\"روسيا\""'
sjq "one article" 'روسيا' '[.data[].article.id == 3] | all' article=3
for q in '(' ')' 'AND' 'NOT' 'NEAR(' '"' '*' ':' '^' 'a:b' 'OR' '"unclosed' 'col:روسيا' '{a b}' '-' '+' "'" ';DROP TABLE x' '%' '«»' 'روسيا AND OR NOT'; do
    c=$(curl -s -o "$tmp/s" -w '%{http_code}' -G "$base/search" --data-urlencode "q=$q")
    if [ "$c" = 200 ] || { [ "$c" = 400 ] && jq -e '.parameter == "q"' "$tmp/s" >/dev/null; }; then ok; else no "FTS syntax in q=$q gave $c"; fi
done
jqt "search needs q" /search '.status == 400 and .parameter == "q"'
jqt "q of punctuation only" '/search?q=%28%29' '.status == 400 and .parameter == "q"'
# walking the pages of a search yields every hit once
swalk() {
    out= cur=
    while :; do
        page=$(curl -sS -G "$base/search" --data-urlencode 'q=روسيا' --data-urlencode limit=7 ${cur:+--data-urlencode "cursor=$cur"})
        out="$out$(echo "$page" | jq -r '.data[] | "\(.article.id):\(.sentence)"') "
        cur=$(echo "$page" | jq -r '.meta.next // empty')
        [ -n "$cur" ] || break
    done
    echo $out | tr ' ' '\n' | sort -u | wc -l
}
t "search pages cover every hit once" test "$(swalk)" -eq "$n_ru"
jqt "q= on /events is the same search" "$ev?q=%D8%A8%D9%8A%D9%88%D9%86%D8%BA%20%D9%8A%D8%A7%D9%86%D8%BA&limit=1000" '.meta.total > 0'

# ---- /stats ----
nev=$(get /health | jq .events)
jqt "stats counts" /stats ".articles == 5 and .sentences > 50 and .events.total == $nev and ([.events.by_type[]] | add) == $nev and ([.events.by_modality[]] | add) == $nev"
jqt "stats: entities by type" /stats '.entities.person > 5 and .entities.country > 3'
jqt "stats: months" /stats '[.events.by_month[] | .month | test("^[0-9]{4}-[0-9]{2}$")] | all'
jqt "stats: top actors" '/stats?top=3' '(.events.top_actors | length) <= 3 and ([.events.top_actors[].events] | . == (sort | reverse)) and (.events.top_actors[0].id | type == "string")'
jqt "putin acts most" /stats '[.events.top_actors[].id] | index("vladimir-putin") != null'
for q in 'top=0' 'top=101' 'top=x' 'top='; do jqt "400 for $q" "/stats?$q" '.status == 400 and .parameter == "top"'; done

# ---- formats of /events ----
hdr() { curl -s -D - -o /dev/null "$base$1" | tr -d '\r'; }
jtotal=$(get "$ev?actor=kim" | jq .meta.total)
t "csv content type" sh -c "curl -s -D - -o /dev/null '$base$ev?actor=kim&format=csv' | grep -qi '^content-type: text/csv; charset=utf-8'"
t "csv is an attachment" sh -c "curl -s -D - -o /dev/null '$base$ev?actor=kim&format=csv' | grep -qi '^content-disposition: attachment; filename=\"events.csv\"'"
t "csv total header" sh -c "curl -s -D - -o /dev/null '$base$ev?actor=kim&format=csv' | grep -qi '^x-total-count: $jtotal'"
get "$ev?actor=kim&format=csv" >"$tmp/e.csv"
t "csv header row" sh -c "head -1 '$tmp/e.csv' | grep -q '^id,type,cameo,plover,modality,actors,actor_ids,targets,target_ids,location'"
t "csv rows: one per event" test "$(tail -n +2 "$tmp/e.csv" | cut -d, -f1 | grep -c '^[0-9]')" -eq "$jtotal"
t "csv names kim as actor" sh -c "tail -n +2 '$tmp/e.csv' | grep -c 'kim-jong-un' | grep -qx '$jtotal'"
t "csv next page in a Link header" sh -c "curl -s -D - -o /dev/null '$base$ev?format=csv&limit=2' | grep -qi '^link: </events?format=csv&limit=2&cursor=[A-Za-z0-9_-]*>; rel=\"next\"'"
link=$(hdr "$ev?format=csv&limit=2" | sed -n 's/^[Ll]ink: <\([^>]*\)>.*/\1/p')
t "the Link URL gives the next rows" sh -c "curl -s '$base$link' | sed -n 2p | cut -d, -f1 | grep -qx '$(get "$ev?limit=3" | jq '.data[2].id')'"
get "$ev?actor=kim&format=ndjson" >"$tmp/e.ndjson"
t "ndjson content type" sh -c "curl -s -D - -o /dev/null '$base$ev?format=ndjson' | grep -qi '^content-type: application/x-ndjson'"
t "ndjson: one event a line" test "$(jq -c .id "$tmp/e.ndjson" | tr '\n' ' ')" = "$(get "$ev?actor=kim" | jq -c '.data[].id' | tr '\n' ' ')"
jqt "geojson" "$ev?format=geojson&limit=1000" '.type == "FeatureCollection" and (.features | length) > 0 and ([.features[] | .type == "Feature" and .geometry.type == "Point" and (.geometry.coordinates | length == 2) and .geometry.coordinates[0] == .properties.location.point.lon and .geometry.coordinates[1] == .properties.location.point.lat] | all)'
jqt "geojson: Pyongyang where it is" "$ev?format=geojson&location=pyongyang" '[.features[].geometry.coordinates | (.[0] > 125 and .[0] < 127 and .[1] > 38 and .[1] < 40)] | all and length > 0'
t "geojson content type" sh -c "curl -s -D - -o /dev/null '$base$ev?format=geojson' | grep -qi '^content-type: application/geo+json'"
jqt "400 for format=xml" "$ev?format=xml" '.status == 400 and .parameter == "format"'

# ---- headers: ETag and 304, Cache-Control, CORS, HEAD and OPTIONS everywhere ----
for p in / /articles /articles/1 /entities /entities/kim-jong-un /events /events/1 '/search?q=%D9%83%D9%8A%D9%85' /stats /openapi.json; do
    h=$(hdr "$p")
    etag=$(echo "$h" | sed -n 's/^[Ee][Tt]ag: //p')
    t "ETag on $p" test -n "$etag"
    t "Cache-Control on $p" sh -c "echo '$h' | grep -qi '^cache-control: public, max-age=60'"
    t "304 for If-None-Match on $p" test "$(code -H "If-None-Match: $etag" "$base$p")" = 304
    t "304 for W/ in a list on $p" test "$(code -H "If-None-Match: \"x\", W/$etag" "$base$p")" = 304
    t "200 for another tag on $p" test "$(code -H 'If-None-Match: "0000"' "$base$p")" = 200
    t "CORS on $p" sh -c "echo '$h' | grep -qi '^access-control-allow-origin: \*'"
    t "HEAD $p" test "$(curl -sI "$base$p" | tr -d '\r' | sed -n 's/^[Cc]ontent-[Ll]ength: //p')" = "$(get "$p" | wc -c)"
    t "OPTIONS $p" sh -c "curl -s -X OPTIONS -D - -o /dev/null '$base$p' | tr -d '\r' | grep -qi '^allow: GET, HEAD, OPTIONS'"
done
t "the body of a 304 is empty" test "$(curl -s -H "If-None-Match: $etag" "$base/openapi.json" | wc -c)" -eq 0
t "health is not cached" sh -c "curl -sI '$base/health' | grep -qi '^cache-control: no-store'"
t "errors are not cached" sh -c "curl -s -D - -o /dev/null '$base/articles?limit=x' | grep -qi '^cache-control: no-store'"
pre=$(curl -s -X OPTIONS -D - -o /dev/null -H 'Origin: https://news.example' -H 'Access-Control-Request-Method: GET' -H 'Access-Control-Request-Headers: if-none-match' "$base/events" | tr -d '\r')
t "preflight 204" sh -c "echo '$pre' | grep -q '^HTTP/1.1 204'"
t "preflight methods" sh -c "echo '$pre' | grep -qi '^access-control-allow-methods: GET, HEAD, OPTIONS'"
t "preflight headers" sh -c "echo '$pre' | grep -qi '^access-control-allow-headers: if-none-match'"
t "preflight max-age" sh -c "echo '$pre' | grep -qi '^access-control-max-age: [0-9]'"
t "ETag is exposed to scripts" sh -c "curl -sI '$base/events' | grep -qi '^access-control-expose-headers: .*ETag'"
for m in POST PUT DELETE PATCH; do
    t "405 for $m on /events" test "$(code -X $m "$base/events")" = 405
done
t "405 is a problem" sh -c "curl -s -X PUT '$base/events' | jq -e '.status == 405 and .title == \"Method Not Allowed\"'"

# ---- the OpenAPI document ----
jqt "openapi 3.1" /openapi.json '.openapi == "3.1.0" and (.info.title | length) > 0'
jqt "openapi: every route" /openapi.json "(.paths | keys | sort) == $(get / | jq -c '.endpoints | sort')"
jqt "openapi: served at the root" /openapi.json '.servers[0].url == "/"'

# ---- the response cache: a repeated query, in any parameter order ----
hits() { get /metrics | sed -n 's/^hadath_cache_lookups_total{result="hit"} //p'; }
entries() { get /metrics | sed -n 's/^hadath_cache_entries //p'; }
n0=$(entries)
a=$(get "$ev?actor=putin&type=visit&type=meeting")
t "cache: a query asked once is not kept" test "$(entries)" = "$n0"
h0=$(hits)
b=$(get "$ev?actor=putin&type=visit&type=meeting")
t "cache: asked twice, it is kept" test "$(entries)" = "$((n0 + 1))"
c=$(get "$ev?type=visit&actor=putin&type=meeting")
d=$(get "$ev?actor=putin&type=visit&type=meeting")
t "cache: the same bytes again" test "$a" = "$b" -a "$b" = "$d"
t "cache: the same bytes in another parameter order" test "$a" = "$c"
t "cache: two hits counted ($h0 -> $(hits))" test "$(hits)" -ge $((h0 + 2))
jqt "cache: a 400 is not cached, and still names its parameter" "$ev?limit=0" '.parameter == "limit"'
jqt "cache: ... twice" "$ev?limit=0" '.parameter == "limit"'
t "cache: entries reported" sh -c "curl -s '$base/metrics' | grep -q '^hadath_cache_entries [1-9]'"

# ---- the web page at /: HTML for a browser, the index for curl ----
html='Accept: text/html,application/xhtml+xml,*/*;q=0.8'
for round in 1 2 3; do # twice or more: the response cache keeps the two apart
    t "page: a browser gets HTML ($round)" sh -c "curl -s -H '$html' '$base/' | grep -q '<script src=\"web/app.js\"'"
    jqt "page: curl gets the index ($round)" / '.name == "hadath" and (.endpoints | length) > 5'
done
curl -s -D "$tmp/page.h" -o /dev/null -H "$html" "$base/"
t "page: text/html" grep -qi '^content-type: text/html' "$tmp/page.h"
t "page: varies with Accept" grep -qi '^vary:.*accept' "$tmp/page.h"
t "page: revalidated at each load" grep -qi '^cache-control: no-cache' "$tmp/page.h"
t "page: a Content-Security-Policy, scripts of its own only" grep -qi "^content-security-policy: .*script-src 'self';" "$tmp/page.h"
t "page: ... and nothing unsafe in it" sh -c "! grep -i '^content-security-policy:' '$tmp/page.h' | grep -qi unsafe"
t "page: the index varies with Accept too" sh -c "curl -s -D - -o /dev/null '$base/' | grep -qi '^vary:.*accept'"
t "page: its script" sh -c "curl -s -D - -o /dev/null '$base/web/app.js' | grep -qi '^content-type: text/javascript'"
etag=$(curl -s -D - -o /dev/null "$base/web/style.css" | sed -n 's/^[Ee][Tt]ag: *//p' | tr -d '\r')
t "page: a file's ETag gives a 304" test "$(code -H "If-None-Match: $etag" "$base/web/style.css")" = 304
t "page: no file outside web/" test "$(code "$base/web/schema.sql")" = 404
jqt "suggestions: a prefix finds Putin" '/entities?q=pu*' '.data[0].id == "vladimir-putin"'
jqt "suggestions: in Arabic" '/entities?q=%D8%A8%D9%88%D8%AA*' '.data[0].id == "vladimir-putin"'
jqt "suggestions: the most mentioned first" '/entities?q=kim*' '[.data[].mentions] | . == (sort | reverse) and length >= 2'
jqt "an entity parameter takes a prefix too" "$ev?actor=kim*&limit=1000" '.meta.total > 0 and ([.data[].actors[].id] | index("kim-jong-un"))'

# ---- /metrics ----
get /metrics >"$tmp/metrics"
t "metrics content type" sh -c "curl -sI '$base/metrics' | grep -qi '^content-type: text/plain; version=0.0.4'"
t "metrics: requests by route and status" grep -qE '^hadath_http_requests_total\{route="/events",status="200"\} [1-9][0-9]*$' "$tmp/metrics"
t "metrics: 400s counted" grep -qE '^hadath_http_requests_total\{route="/events",status="400"\} [1-9]' "$tmp/metrics"
t "metrics: 404s as other" grep -qE '^hadath_http_requests_total\{route="other",status="404"\} [1-9]' "$tmp/metrics"
t "metrics: latency histogram" grep -qE '^hadath_http_request_duration_seconds_bucket\{route="/events",le="\+Inf"\} [1-9]' "$tmp/metrics"
t "metrics: ingest" grep -qx 'hadath_ingest_documents_total{status="ingested"} 5' "$tmp/metrics"
t "metrics: store" grep -qx "hadath_store_events $nev" "$tmp/metrics"
t "metrics: types declared" sh -c "grep -c '^# TYPE' '$tmp/metrics' | grep -qv '^0$'"

# ---- cursors: signed, per query, stale after a re-ingest when positional ----
c=$(get "$ev?actor=kim&limit=2" | jq -r .meta.next)
jqt "a cursor works for its query" "$ev?actor=kim&limit=2&cursor=$c" '(.data | length) > 0'
jqt "a cursor with another limit still works" "$ev?actor=kim&limit=5&cursor=$c" '(.data | length) > 0'
jqt "a cursor of another query is refused" "$ev?actor=putin&limit=2&cursor=$c" '.status == 400 and .parameter == "cursor"'
edited=$(echo "$c" | sed 's/^\(.\{10\}\)./\1A/;s/^\(.\{10\}\)AA/\1AB/')
[ "$edited" = "$c" ] && edited=$(echo "$c" | sed 's/.$/A/')
jqt "an edited cursor is refused" "$ev?actor=kim&limit=2&cursor=$edited" '.status == 400 and .parameter == "cursor"'
jqt "too long a cursor" "$ev?cursor=$(head -c 600 /dev/zero | tr '\0' A)" '.status == 400 and .parameter == "cursor"'
cid=$(get "$ev?limit=3" | jq -r .meta.next)
cdate=$(get "$ev?sort=date&limit=3" | jq -r .meta.next)
csearch=$(se 'روسيا' limit=3 | jq -r .meta.next)
before=$(get "$ev?limit=1000&cursor=$cid" | jq -c '[.data[].id]')
# a re-ingest beside the running server: one more document
cp corpus/002_d83d7f4b06c21963.txt "$tmp/corpus/zz_copy.txt"
"$bin" ingest --corpus "$tmp/corpus" --db "$tmp/db" >/dev/null 2>&1
jqt "after a re-ingest an id cursor still pages" "$ev?limit=1000&cursor=$cid" "[.data[].id] as \$now | $before - \$now == [] and (\$now | length) > ($before | length)"
jqt "after a re-ingest a date cursor is stale" "$ev?sort=date&limit=3&cursor=$cdate" '.status == 400 and .parameter == "cursor" and (.detail | contains("stale"))'
c=$(curl -s -o /dev/null -w '%{http_code}' -G "$base/search" --data-urlencode 'q=روسيا' --data-urlencode limit=3 --data-urlencode "cursor=$csearch")
t "after a re-ingest a search cursor is stale" test "$c" = 400
rm "$tmp/corpus/zz_copy.txt"
"$bin" ingest --corpus "$tmp/corpus" --db "$tmp/db" >/dev/null 2>&1
jqt "back to five" /health '.articles == 5'

# ---- limits ----
t "414 for a target over 8 KB" test "$(code "$base/events?q=$(head -c 9000 /dev/zero | tr '\0' a)")" = 414
t "a long target under the limit is fine" test "$(code "$base/events?actor=kim&x=$(head -c 7000 /dev/zero | tr '\0' a)")" = 200
jqt "unknown parameters are ignored" "$ev?actor=kim&frobnicate=1" ".meta.total == $jtotal"
jqt "a repeated list parameter adds up" "$ev?type=visit&type=meeting&limit=1000" "[.data[].type] | unique == [\"meeting\", \"visit\"]"

# Keep-alive: two requests on one connection.
t "keep-alive" sh -c "curl -sv '$base/health' '$base/health' 2>&1 | grep -q 'Re-using existing connection'"

# Access log: client, method, target, status, bytes, microseconds.
t "access log" grep -qE '^127\.0\.0\.1 GET /articles 200 [0-9]+ [0-9]+us$' "$tmp/log"
t "clean exit on SIGTERM" stop

# A second start skips all five; a broken document is skipped, the rest served.
printf 'عنوان\n\377\376\n' >"$tmp/corpus/bad.txt"
start
t "second start: unchanged" grep -q 'ingest: 0 ingested, 5 unchanged, 1 skipped' "$tmp/log"
t "bad document reported" grep -q 'skipped bad.txt: not valid UTF-8' "$tmp/log"
jqt "still five" /health '.articles == 5'
t "clean exit again" stop

# ---- behind a proxy: a base path, the forwarded client, CORS by list, limits ----
start --base-path /api/ --trust-proxy --cors 'https://news.example, https://b.example' \
    --max-limit 10 --idle-timeout 1 --max-per-client 3
t "base path: served under it" test "$(code "$base/api/health")" = 200
t "base path: the page under it" sh -c "curl -s -H 'Accept: text/html' '$base/api/' | grep -q 'web/app.js'"
t "base path: the page's files under it" test "$(code "$base/api/web/app.js")" = 200
t "base path: the page without its slash goes to /api/" test "$(curl -s -o /dev/null -w '%{http_code} %{redirect_url}' -H 'Accept: text/html' "$base/api")" = "301 $base/api/"
t "base path: curl there still gets the index" test "$(code "$base/api")" = 200
t "base path: the root of it" test "$(code "$base/api")" = 200
t "base path: or stripped by the proxy" test "$(code "$base/health")" = 200
t "base path: not a prefix of a word" test "$(code "$base/apiary/health")" = 404
jqt "base path: the document says where" /api/openapi.json '.servers[0].url == "/api"'
t "base path: Link headers under it" sh -c "curl -s -D - -o /dev/null '$base/api/events?format=csv&limit=1' | grep -qi '^link: </api/events?'"
jqt "the limit ceiling" '/api/events?limit=500' '.meta.limit == 10 and (.data | length) <= 10'
curl -s -o /dev/null -H 'X-Forwarded-For: 198.51.100.4, 203.0.113.7' "$base/api/health?from=proxy"
t "the forwarded client is logged" grep -qE '^203\.0\.113\.7 GET /api/health\?from=proxy 200 ' "$tmp/log"
curl -s -o /dev/null -H 'X-Forwarded-For: <script>' "$base/api/health?from=junk"
t "a junk X-Forwarded-For logs the peer" grep -qE '^127\.0\.0\.1 GET /api/health\?from=junk 200 ' "$tmp/log"
t "an allowed origin is echoed" sh -c "curl -sI -H 'Origin: https://b.example' '$base/api/events' | grep -qi '^access-control-allow-origin: https://b.example'"
t "another origin is not" sh -c "! curl -sI -H 'Origin: https://evil.example' '$base/api/events' | grep -qi '^access-control-allow-origin'"
t "Vary: Origin" sh -c "curl -sI '$base/api/events' | grep -qi '^vary: origin'"
# the same cached query for two allowed origins and none: each gets its own
for o in https://news.example https://b.example; do
    t "cache: the origin $o is echoed on a repeat" sh -c "curl -s -D - -o /dev/null -H 'Origin: $o' '$base/api/events?actor=kim' | grep -qi '^access-control-allow-origin: $o'"
done
t "cache: no origin, no allowance" sh -c "! curl -s -D - -o /dev/null '$base/api/events?actor=kim' | grep -qi '^access-control-allow-origin'"
# idle connections are closed after --idle-timeout (bash for its /dev/tcp)
rc=$(bash -c "exec 3<>/dev/tcp/127.0.0.1/$port; sleep 2.5; timeout 3 cat <&3 >/dev/null; echo \$?")
t "an idle connection is closed ($rc)" test "$rc" != 124
# the per-client limit: with three connections held, a fourth is refused
bash -c "exec 3<>/dev/tcp/127.0.0.1/$port 4<>/dev/tcp/127.0.0.1/$port 5<>/dev/tcp/127.0.0.1/$port; sleep 0.8" &
hold=$!
sleep 0.3
t "the per-client limit holds" test "$(code "$base/api/health")" = 000
wait $hold
t "and frees with the connections" test "$(code "$base/api/health")" = 200
t "stop (proxy options)" stop
start --max-connections 2 --threads 1 --quiet --cache-mb 0
t "without a cache, the same bytes" test "$(get "$ev?actor=putin&type=visit&type=meeting")" = "$a"
t "without a cache, no cache metrics" sh -c "! curl -s '$base/metrics' | grep -q '^hadath_cache'"
bash -c "exec 3<>/dev/tcp/127.0.0.1/$port 4<>/dev/tcp/127.0.0.1/$port; sleep 1.5" &
hold=$!
sleep 0.3
# over the limit a connection waits in the listen queue until one closes
t "the connection limit holds" test "$(code --max-time 0.6 "$base/health")" = 000
wait $hold
t "and frees" test "$(code "$base/health")" = 200
t "--quiet logs nothing" sh -c "! grep -q ' GET /health ' '$tmp/log'"
t "stop (limits)" stop
t "a bad base path is refused" sh -c "'$bin' serve --base-path api 2>&1 | grep -q -- '--base-path must'"

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
t "health probe from the settings" env HADATH_PORT="$port" "$bin" health
t "stop" stop
t "health probe of a closed port fails" sh -c "! '$bin' health --url '$base/health' 2>/dev/null"

# SIGTERM during the start-up ingest ends it at once and loses nothing: the
# database is as it was before (one transaction)
mkdir -p "$tmp/big"
cp "$tmp/corpus"/0*.txt "$tmp/big/"
"$bin" ingest --corpus "$tmp/big" --db "$tmp/big.db" >/dev/null 2>&1
jq -Rsc '{title: "t", content: .}' corpus/004_31d0d33b21a8ff9a.txt |
    awk '{ for (i = 0; i < 4000; i++) { line = $0; sub(/"title":"t"/, "\"title\":\"t" i "\"", line); print line } }' \
        >"$tmp/big/many.jsonl"
"$bin" serve --corpus "$tmp/big" --db "$tmp/big.db" --port 0 --quiet 2>"$tmp/big.log" &
bigpid=$!
sleep 1
kill -TERM $bigpid
t0=$(date +%s)
wait $bigpid 2>/dev/null
t "SIGTERM during the start-up ingest ends it within 3 s" test $(($(date +%s) - t0)) -le 3
t "... before it served" sh -c "! grep -q 'listening on' '$tmp/big.log'"
mv "$tmp/big/many.jsonl" "$tmp/many.jsonl"
t "... and the database is as it was" sh -c "'$bin' ingest --corpus '$tmp/big' --db '$tmp/big.db' | tail -1 | grep -q '^ingest: 0 ingested, 5 unchanged, 0 skipped, 0 removed'"
# (kill -9 at random moments of an ingest: tests/test_reload.sh)

finish
