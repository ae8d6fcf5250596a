#!/bin/sh
# The reverse-proxy path: docker/nginx.conf, with its upstream pointed at a
# real hadath on a free loopback port, served by a real nginx on loopback.
# usage: tests/test_proxy.sh BUILD/hadath
bin=${1:?usage: test_proxy.sh BIN}
tmp=$(mktemp -d /tmp/hadath-proxy-XXXXXX)
pass=0 fail=0 pid= npid=
trap 'kill $pid $npid 2>/dev/null; rm -rf "$tmp"' EXIT
ok() { pass=$((pass + 1)); }
no() { fail=$((fail + 1)); echo "FAIL proxy: $*" >&2; }
t() { d=$1; shift; if "$@" >/dev/null 2>&1; then ok; else no "$d"; fi; }

nginx=$(command -v nginx || echo /usr/sbin/nginx)
if [ ! -x "$nginx" ]; then
    no "nginx is not installed (make deps installs it)"
    echo "proxy: $pass passed, $fail failed"
    exit 1
fi

"$bin" serve --corpus corpus --db "$tmp/db" --listen 127.0.0.1 --port 0 --threads 2 --trust-proxy \
    2>"$tmp/log" &
pid=$!
i=0
while [ $i -lt 600 ] && ! grep -q 'listening on' "$tmp/log"; do sleep 0.05; i=$((i + 1)); done
port=$(sed -n 's/.*listening on http:\/\/127.0.0.1:\([0-9]*\).*/\1/p' "$tmp/log")

# nginx cannot listen on port 0: try a few ports until one binds.
start_nginx() {
    sed -e "s/server hadath:8080;/server 127.0.0.1:$port;/" -e "s/listen 80;/listen 127.0.0.1:$nport;/" \
        docker/nginx.conf >"$tmp/site.conf"
    cat >"$tmp/nginx.conf" <<CONF
daemon off;
pid $tmp/nginx.pid;
error_log $tmp/error.log;
events {}
http {
    access_log off;
    client_body_temp_path $tmp; proxy_temp_path $tmp; fastcgi_temp_path $tmp;
    uwsgi_temp_path $tmp; scgi_temp_path $tmp;
    include $tmp/site.conf;
}
CONF
    "$nginx" -c "$tmp/nginx.conf" -p "$tmp" 2>>"$tmp/error.log" &
    npid=$!
    i=0
    while [ $i -lt 60 ]; do
        curl -s -o /dev/null "http://127.0.0.1:$nport/health" && return 0
        kill -0 $npid 2>/dev/null || return 1 # it exited: the port is taken
        sleep 0.05
        i=$((i + 1))
    done
    return 1
}
started=no
for attempt in 1 2 3 4 5; do
    nport=$((20000 + ($$ * 7 + attempt * 7919) % 40000))
    if start_nginx; then started=yes; break; fi
    kill $npid 2>/dev/null; wait $npid 2>/dev/null; npid=
done
t "nginx accepts docker/nginx.conf and serves" test $started = yes

direct=$(curl -s "http://127.0.0.1:$port/articles")
proxied=$(curl -s "http://127.0.0.1:$nport/articles")
t "the proxy answers" test -n "$proxied"
t "same body through the proxy" test "$direct" = "$proxied"
t "JSON is gzipped" sh -c "curl -s -H 'Accept-Encoding: gzip' -D - -o /dev/null 'http://127.0.0.1:$nport/articles' | grep -qi '^content-encoding: gzip'"
t "gzip body is the JSON" sh -c "curl -s -H 'Accept-Encoding: gzip' 'http://127.0.0.1:$nport/articles' | gunzip | jq -e '.meta.total == 5'"
t "errors pass through" test "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$nport/articles?limit=x")" = 400
t "405 keeps Allow" sh -c "curl -s -X POST -D - -o /dev/null 'http://127.0.0.1:$nport/health' | grep -qi '^allow: GET'"
t "/events?actor=kim through the proxy" sh -c "curl -s 'http://127.0.0.1:$nport/events?actor=kim' | jq -e '.meta.total > 0 and ([.data[] | [.actors[].id] | index(\"kim-jong-un\") != null] | all)'"
t "the events are gzipped" sh -c "curl -s -H 'Accept-Encoding: gzip' -D '$tmp/h' -o '$tmp/kim.gz' 'http://127.0.0.1:$nport/events?actor=kim' && grep -qi '^content-encoding: gzip' '$tmp/h' && gunzip -c '$tmp/kim.gz' | jq -e '.meta.total > 0'"
t "gzip shrinks them" sh -c "test \$(wc -c <'$tmp/kim.gz') -lt \$(curl -s 'http://127.0.0.1:$nport/events?actor=kim' | wc -c)"
t "csv is gzipped too" sh -c "curl -s -H 'Accept-Encoding: gzip' -D - -o /dev/null 'http://127.0.0.1:$nport/events?format=csv' | grep -qi '^content-encoding: gzip'"
t "the page through the proxy" sh -c "curl -s -H 'Accept: text/html' 'http://127.0.0.1:$nport/' | grep -q 'web/app.js'"
t "the index still, for curl" sh -c "curl -s 'http://127.0.0.1:$nport/' | jq -e '.name == \"hadath\"'"
t "the page's script is gzipped" sh -c "curl -s -H 'Accept-Encoding: gzip' -D - -o /dev/null 'http://127.0.0.1:$nport/web/app.js' | grep -qi '^content-encoding: gzip'"
t "ETag and 304 through the proxy" sh -c "e=\$(curl -sI 'http://127.0.0.1:$nport/events?actor=kim' | tr -d '\r' | sed -n 's/^[Ee][Tt]ag: //p'); test -n \"\$e\" && test \$(curl -s -o /dev/null -w '%{http_code}' -H \"If-None-Match: \$e\" 'http://127.0.0.1:$nport/events?actor=kim') = 304"
# the forwarded client: curl from a second loopback address, which nginx puts
# in X-Forwarded-For, while hadath's own peer is nginx on 127.0.0.1
curl -s -o /dev/null --interface 127.0.0.2 "http://127.0.0.1:$nport/health?via=second-address"
sleep 0.2
t "hadath logs the client nginx saw" grep -qE '^127\.0\.0\.2 GET /health\?via=second-address 200 ' "$tmp/log"
curl -s -o /dev/null -H 'X-Forwarded-For: 10.9.9.9' --interface 127.0.0.2 "http://127.0.0.1:$nport/health?via=spoof"
sleep 0.2
t "a client's own X-Forwarded-For does not fool it" grep -qE '^127\.0\.0\.2 GET /health\?via=spoof 200 ' "$tmp/log"
# keep-alive to the upstream: many requests through nginx, few connections to hadath
for i in 1 2 3 4 5 6 7 8 9 10; do curl -s -o /dev/null "http://127.0.0.1:$nport/health"; done
conns=$(ss -tn state established "( dport = :$port )" 2>/dev/null | tail -n +2 | wc -l)
t "nginx keeps upstream connections alive ($conns open)" test "$conns" -ge 1

kill $npid; wait $npid 2>/dev/null; npid=
kill -TERM $pid; wait $pid; rc=$?; pid=
t "hadath exits cleanly" test $rc -eq 0
echo "proxy: $pass passed, $fail failed"
[ $fail -eq 0 ]
