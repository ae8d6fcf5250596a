#!/bin/sh
# make load: a million requests of the API mix (bench/targets.sh, the same
# generator as the benchmark's, sent in turn by bench/mix.lua and wrapping
# round) with wrk -t2 -c64 against hadath on the seed corpus. Fails when any
# request errs (a socket error, a status >= 500, a status >= 400 the mix did
# not expect), when the resident memory after the million is more than 10 %
# above what it was after the warm-up, or when the server holds more file
# descriptors than before.
#
# The warm-up is three laps of the 100,000 targets, as that is what brings
# every cache to the state it then keeps: the first lap fills each thread's
# statement cache and memo, and shows the response cache's doorkeeper every
# key once; in the second, keys come again and the response cache fills to
# its bound (--cache-mb, 64 MB, counted as the heap counts it); in the third,
# the full cache turns over for the first time (the targets wrap round, so
# each lap replaces what the last one left), and the holes that replies of
# one size leave for replies of other sizes bring glibc's heap to the size
# it then keeps (about 10 % above where the second lap left it, nearly all
# of it in the third lap). From there on, memory must stay flat.
#
# usage: sh bench/load.sh BUILD_DIR [REQUESTS]
# The server takes its settings from the environment as well, e.g.
# HADATH_CACHE_MB=0 sh bench/load.sh build to run without the response cache.
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
ntargets=100000
gen_targets "$base" "$tmp/targets" $ntargets || { echo "load: no targets"; exit 1; }
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
    cached=$(curl -s "$base/metrics" | awk '/^hadath_cache_bytes/ {print $2}')
    echo "  $sent requests, RSS $(rss) KiB, $(fds) descriptors, response cache ${cached:-0} bytes"
}

t0=$(date +%s)
while [ $sent -lt $((3 * ntargets)) ] && [ $(($(date +%s) - t0)) -lt 300 ]; do run 5; done
warm=$sent
rss0=$(rss) fds0=$(fds)
t0=$(date +%s)
while [ $((sent - warm)) -lt "$want" ] && [ $(($(date +%s) - t0)) -lt 600 ]; do run 20; done
secs=$(($(date +%s) - t0))
rss1=$(rss) fds1=$(fds)
echo "load: $((sent - warm)) requests in $secs s after a warm-up of $warm; errors $errors;" \
    "RSS $rss0 -> $rss1 KiB; descriptors $fds0 -> $fds1"
[ $((sent - warm)) -ge "$want" ] || no "only $((sent - warm)) requests in $secs s"
[ $errors -eq 0 ] || no "$errors errors"
[ $((rss1 * 10)) -le $((rss0 * 11)) ] || no "RSS grew from $rss0 to $rss1 KiB"
[ "$fds1" -le "$fds0" ] || no "descriptors grew from $fds0 to $fds1"
c=$(curl -s -o /dev/null -w '%{http_code}' "$base/health")
[ "$c" = 200 ] || no "health after the load: $c"
kill -TERM $pid
wait $pid || no "the server did not exit cleanly"
pid=
[ $fail -eq 0 ]
