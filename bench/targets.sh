# bench/targets.sh: gen_targets, sourced by bench/http.sh and bench/load.sh.
# It needs $tmp (a scratch folder) set by the script that sources it.

# gen_targets BASE OUT COUNT: COUNT distinct request targets built from what
# the server at BASE holds; a fixed seed, so a database gives the same mix
# every time.
gen_targets() {
    gbase=$1 gout=$2 gcount=$3 g=$tmp/gen
    rm -rf "$g"; mkdir -p "$g"
    curl -sf "$gbase/entities?limit=1000" >"$g/entities.json" &&
        curl -sf "$gbase/stats?top=100" >"$g/stats.json" &&
        curl -sf "$gbase/openapi.json" >"$g/openapi.json" &&
        curl -sf "$gbase/articles?limit=1000" >"$g/articles.json" &&
        curl -sf "$gbase/events?limit=1000" >"$g/events.json" || return 1
    # id, English name, Arabic name, Wikidata id, last word of the English
    # name (kim, putin), country: all URL-encoded
    jq -r '.data[] | [.id, (.name // "" | @uri), (.name_ar // "" | @uri), (.wikidata // ""),
        (.name // "" | split(" ") | (last // "") | ascii_downcase | @uri), (.country // "")] | @tsv' \
        "$g/entities.json" >"$g/entities.tsv"
    # event types with events, else every type the OpenAPI document names
    jq -r '.events.by_type // {} | keys[]' "$g/stats.json" >"$g/types"
    [ -s "$g/types" ] || jq -r '.paths["/events"].get.parameters[] | select(.name == "type") | .schema.pattern
        | capture("\\((?<l>[a-z_|]+)\\)").l | split("|")[]' "$g/openapi.json" >"$g/types"
    jq -r '.paths["/events"].get.parameters[] | select(.name == "modality") | .schema.pattern
        | capture("\\((?<l>[a-z_|]+)\\)").l | split("|")[]' "$g/openapi.json" >"$g/modalities"
    jq -r '.events.by_month // [] | .[].month' "$g/stats.json" >"$g/months"
    jq -r '.data[].id' "$g/events.json" >"$g/eventids"
    jq -r '.data[].id' "$g/articles.json" >"$g/articleids"
    # words of the titles (Arabic letters only, two or more)
    jq -r '.data[].title // "" | [scan("\\p{Arabic}{2,}")] | .[] | @uri' "$g/articles.json" |
        awk '!seen[$0]++' >"$g/words"
    for f in entities.tsv types modalities eventids articleids words; do
        [ -s "$g/$f" ] || { echo "bench/http: the server gave no $f to build a mix from" >&2; return 1; }
    done
    [ -s "$g/months" ] || printf '2015-07\n2024-06\n' >"$g/months"

    awk -v want="$gcount" -F '\t' '
    FILENAME ~ /entities.tsv$/ { ne++; eid[ne] = $1; ename[ne] = $2; ear[ne] = $3; ewd[ne] = $4; elast[ne] = $5
                                 if ($6 != "" && !(tolower($6) in cseen)) { cseen[tolower($6)]; nc++; cc[nc] = tolower($6) }
                                 next }
    FILENAME ~ /types$/       { nt++; ty[nt] = $1; next }
    FILENAME ~ /modalities$/  { nm++; mo[nm] = $1; next }
    FILENAME ~ /months$/      { nmo++; mon[nmo] = $1; next }
    FILENAME ~ /eventids$/    { nev++; evid[nev] = $1; next }
    FILENAME ~ /articleids$/  { nar++; arid[nar] = $1; next }
    FILENAME ~ /words$/       { nw++; wd[nw] = $1; next }
    function pick(n) { return 1 + int(rand() * n) }
    function lim() { return "limit=" pick(100) }
    function entity(   i, r) {          # one entity, in one of its spellings
        i = pick(ne); r = rand()
        if (r < 0.45 || ename[i] == "") return eid[i]
        if (r < 0.70 && ear[i] != "") return ear[i]
        if (r < 0.82) return ename[i]
        if (r < 0.94 && elast[i] != "") return elast[i]
        if (ewd[i] != "") return ewd[i]
        return eid[i]
    }
    function date(   m, y, r) {          # a year, a month or a day near the data
        m = mon[pick(nmo)]; y = substr(m, 1, 4) + int(rand() * 3) - 1; r = rand()
        if (r < 0.25) return y
        if (r < 0.6) return substr(m, 1, 4) "-" substr(m, 6, 2)
        return substr(m, 1, 4) "-" substr(m, 6, 2) "-" sprintf("%02d", pick(28))
    }
    function events(   p, r, roles, t, d1, d2) {
        p = ""; r = rand()
        if (r < 0.85) {
            r = rand()
            roles = r < 0.35 ? "actor" : r < 0.6 ? "target" : r < 0.9 ? "participant" : "location"
            p = p "&" roles "=" entity()
            if (rand() < 0.15) p = p "&" (roles == "target" ? "actor" : "target") "=" entity()
        }
        if (rand() < 0.4) { t = ty[pick(nt)]; if (rand() < 0.3) t = t "," ty[pick(nt)]; p = p "&type=" t }
        if (rand() < 0.25) p = p "&modality=" mo[pick(nm)]
        if (rand() < 0.35) {
            d1 = date(); d2 = date(); if (d2 < d1) { t = d1; d1 = d2; d2 = t }
            r = rand()
            if (r < 0.4) p = p "&from=" d1 "&to=" d2; else if (r < 0.7) p = p "&from=" d1; else p = p "&to=" d2
        }
        if (nc && rand() < 0.05) p = p "&country=" cc[pick(nc)]
        if (rand() < 0.05) p = p "&q=" wd[pick(nw)]
        r = rand(); if (r < 0.1) p = p "&sort=date"; else if (r < 0.2) p = p "&sort=-date"
        if (rand() < 0.1) p = p "&group=cluster"
        return "/events?" substr(p "&" lim(), 2)
    }
    function search(   q, r) {
        q = wd[pick(nw)]; r = rand()
        if (r < 0.3) q = q "%20" wd[pick(nw)]; else if (r < 0.45) q = q "*"
        return "/search?q=" q "&" lim()
    }
    function entities(   q, i, r) {
        i = pick(ne); r = rand()
        q = (r < 0.4 && elast[i] != "") ? elast[i] : (r < 0.8 && ear[i] != "") ? ear[i] : eid[i]
        return "/entities?q=" q "&" lim()
    }
    BEGIN { srand(20241129) }
    END {
        tries = 0
        while (n < want && tries < 50 * want) {
            tries++; r = rand()
            if (r < 0.78) t = events()
            else if (r < 0.86) t = search()
            else if (r < 0.90) t = entities()
            else if (r < 0.93) { i = pick(ne); t = "/entities/" ((ewd[i] != "" && rand() < 0.3) ? ewd[i] : eid[i]) }
            else if (r < 0.96) t = "/events/" evid[pick(nev)]
            else if (r < 0.98) t = "/articles?" lim()
            else t = "/articles/" arid[pick(nar)]
            if (!(t in seen)) { seen[t]; n++; print t }
        }
    }' "$g/entities.tsv" "$g/types" "$g/modalities" "$g/months" "$g/eventids" "$g/articleids" "$g/words" >"$gout"
}
