#!/bin/sh
# Runs fuzz targets one after another, each for SECONDS from its working
# corpus, and prints one line per target: seconds, executions, executions a
# second, corpus size, and FAIL with the crash file when libFuzzer stopped on
# a crash, a leak, undefined behaviour, a timeout or a broken property.
# The corpus is BUILD/corpus/NAME, kept from run to run, the seeds of
# fuzz/seeds/NAME copied in; with -s (smoke) it is BUILD/smoke/NAME, the
# seeds alone, so that a short run replays every seed. Exits 1 when one failed.
# usage: fuzz/run.sh [-s] BUILD_DIR SECONDS TARGET...
smoke=
[ "$1" = -s ] && smoke=1 && shift
build=$1 seconds=$2
shift 2
failed=0

# the longest input each target is given: what its code sees in practice
max_len() {
    case $1 in
    query) echo 4096 ;;   # a request target is at most 8 KB (--max-url)
    cursor) echo 512 ;;   # a cursor is under 200 bytes
    document) echo 32768 ;;
    normalize) echo 2048 ;;
    extract) echo 8192 ;; # a few paragraphs: extraction is the slow part
    search) echo 1024 ;;  # q is at most 500 bytes
    *) echo 4096 ;;
    esac
}

# a stat of libFuzzer's final report (-print_final_stats=1)
stat() {
    sed -n "s/^stat::$1: *\([0-9]*\).*/\1/p" "$2" | tail -1
}

for t in "$@"; do
    bin=$build/fuzz/fuzz_$t corpus=$build/corpus/$t
    crashes=$build/crashes/$t/ log=$build/logs/$t.log
    if [ -n "$smoke" ]; then
        corpus=$build/smoke/$t log=$build/logs/$t-smoke.log
        rm -rf "$corpus"
    fi
    mkdir -p "$corpus" "$crashes" "$build/logs"
    cp fuzz/seeds/"$t"/* "$corpus"/ 2>/dev/null
    start=$(date +%s)
    UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1} "$bin" -max_total_time="$seconds" \
        -print_final_stats=1 -max_len="$(max_len "$t")" -timeout=25 -rss_limit_mb=2048 \
        -artifact_prefix="$crashes" "$corpus" >"$log" 2>&1
    rc=$?
    took=$(($(date +%s) - start))
    runs=$(stat number_of_executed_units "$log")
    rate=$(stat average_exec_per_sec "$log")
    files=$(find "$corpus" -type f | wc -l)
    kb=$(du -sk "$corpus" | cut -f1)
    verdict=ok
    if [ $rc -ne 0 ]; then
        failed=1
        crash=$(sed -n 's/.*Test unit written to \(.*\)$/\1/p' "$log" | tail -1)
        verdict="FAIL (exit $rc${crash:+, $crash}; see $log)"
    fi
    printf 'fuzz %-9s %4s s, %9s runs, %6s/s, corpus %5s files (%s KB): %s\n' "$t" "$took" \
        "${runs:-?}" "${rate:-?}" "$files" "$kb" "$verdict"
done
exit $failed
