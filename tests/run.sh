#!/bin/sh
# Runs the unit tests and the API tests of each build directory given
# (build, build-asan) and ends with one "N passed, N failed" line.
# usage: tests/run.sh BUILD_DIR...
total_pass=0 total_fail=0
for dir in "$@"; do
    for t in "$dir"/tests/test_*; do
        case $t in *.o) continue ;; esac
        [ -x "$t" ] || continue
        out=$("$t" 2>&1); rc=$?
        printf '%s\n' "$out" | grep -v '^[a-z_0-9]*: [0-9]* passed, [0-9]* failed$' >&2
        line=$(printf '%s\n' "$out" | grep -E '^[a-z_0-9]+: [0-9]+ passed, [0-9]+ failed$' | tail -1)
        p=$(echo "$line" | sed -n 's/.*: \([0-9]*\) passed.*/\1/p')
        f=$(echo "$line" | sed -n 's/.* \([0-9]*\) failed.*/\1/p')
        [ -n "$p" ] || { p=0; f=1; echo "FAIL $t: crashed or printed no summary (exit $rc)" >&2; }
        [ $rc -eq 0 ] || [ "$f" -gt 0 ] || { f=1; echo "FAIL $t: exit $rc" >&2; }
        echo "[$dir] $line"
        total_pass=$((total_pass + p)); total_fail=$((total_fail + f))
    done
    out=$(sh tests/test_api.sh "$dir/hadath" 2>&1); rc=$?
    printf '%s\n' "$out" | grep -v '^api: ' >&2
    line=$(printf '%s\n' "$out" | grep -E '^api: [0-9]+ passed' | tail -1)
    p=$(echo "$line" | sed -n 's/.*: \([0-9]*\) passed.*/\1/p')
    f=$(echo "$line" | sed -n 's/.* \([0-9]*\) failed.*/\1/p')
    [ -n "$p" ] || { p=0; f=1; echo "FAIL api tests printed no summary (exit $rc)" >&2; }
    echo "[$dir] $line"
    total_pass=$((total_pass + p)); total_fail=$((total_fail + f))
done
echo "$total_pass passed, $total_fail failed"
[ $total_fail -eq 0 ]
