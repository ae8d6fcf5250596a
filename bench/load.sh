#!/bin/sh
# make load: a million requests of the API mix (bench/targets.sh, the same
# generator as the benchmark's, sent in turn by bench/mix.lua and wrapping
# round) with wrk -t2 -c64 against hadath on the seed corpus. Fails when any
# request errs (a socket error, a status >= 500, a status >= 400 the mix did
# not expect), when the resident memory after the million is more than 10 %
# above what it was after a first pass over the mix (caches warm), or when
# the server holds more file descriptors than before.
# usage: sh bench/load.sh BUILD_DIR [REQUESTS]
set -u
build=${1:?usage: sh bench/load.sh BUILD_DIR [REQUESTS]}
want=${2:-1000000}
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
case $build in /*) bin=$build/hadath ;; *) bin=$(pwd)/$build/hadath ;; esac
cd "$root" || exit 1
tmp=$(mktemp -d /tmp/hadath-load-XXXXXX) || exit 1
pid=
trap '[ -n "$pid" ] && kill $pid 2>/dev/null; rm -rf "$tmp"' EXIT
trap 'exit 130' INT TERM
. "$here/targets.sh"

fail=0
no() { fail=$((fail + 1)); echo "FAIL load: $*"; }

"$bin" serve --corpus corpus --db "$tmp/db" --port 0 --quiet 2>"$tmp/log" &
pid=$!
i=0
while [ $i -lt 600 ] && ! grep -q 'listening on' "$tmp/log"; do sleep 0.05; i=$((i + 1)); done
base=$(sed -n 's/.*listening on \(http:[^ ]*\) .*/\1/p' "$tmp/log")
[ -n "$base" ] || { echo "load: hadath did not start"; exit 1; }
gen_targets "$base" "$tmp/targets" 100000 || { echo "load: no targets"; exit 1; }
rss() { awk '/^VmRSS/ {print $2}' "/proc/$pid/status"; }
fds() { ls "/proc/$pid/fd" | wc -l; }

# run SECONDS: one wrk run over the mix; adds to sent, errors
sent=0 errors=0
run() {
    start=$(cat "$tmp/state" 2>/dev/null || echo 0)
    wrk -t2 -c64 -d"$1"s -s "$here/mix.lua" "$base" -- "$tmp/targets" "$start" "$tmp/state" \
        >"$tmp/wrk" 2>&1
    n=$(awk '/requests in/ {print $1}' "$tmp/wrk")
    e=$(awk '/Socket errors/ {s = 0; for (i = 1; i <= NF; i++) if ($i ~ /^[0-9]+,?$/) s += $i; print s}' "$tmp/wrk")
    bad=$(sed -n 's/.*status>=400: \([0-9]*\).*/\1/p' "$tmp/wrk")
    sent=$((sent + ${n:-0}))
    errors=$((errors + ${e:-0} + ${bad:-0}))
    echo "  $sent requests, RSS $(rss) KiB, $(fds) descriptors"
}

run 10 # a first pass: caches warm
rss0=$(rss) fds0=$(fds)
t0=$(date +%s)
while [ $sent -lt "$want" ] && [ $(($(date +%s) - t0)) -lt 600 ]; do run 20; done
secs=$(($(date +%s) - t0))
rss1=$(rss) fds1=$(fds)
echo "load: $sent requests in $secs s after a 10 s warm-up; errors $errors;" \
    "RSS $rss0 -> $rss1 KiB; descriptors $fds0 -> $fds1"
[ $sent -ge "$want" ] || no "only $sent requests in $secs s"
[ $errors -eq 0 ] || no "$errors errors"
[ $((rss1 * 10)) -le $((rss0 * 11)) ] || no "RSS grew from $rss0 to $rss1 KiB"
[ "$fds1" -le "$fds0" ] || no "descriptors grew from $fds0 to $fds1"
c=$(curl -s -o /dev/null -w '%{http_code}' "$base/health")
[ "$c" = 200 ] || no "health after the load: $c"
kill -TERM $pid
wait $pid || no "the server did not exit cleanly"
pid=
[ $fail -eq 0 ]
