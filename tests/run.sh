#!/bin/sh
# Runs, for each build directory given (build, build-asan), the unit tests
# (BUILD/tests/test_*) and the scripts that drive the real server
# (tests/test_*.sh BUILD/hadath); ends with one "N passed, N failed" line.
# usage: tests/run.sh BUILD_DIR...
total_pass=0 total_fail=0

# run NAME COMMAND...: runs one suite and adds up its "NAME: N passed, N failed"
run() {
    dir=$1 name=$2
    shift 2
    out=$("$@" 2>&1)
    rc=$?
    printf '%s\n' "$out" | grep -vE '^[a-z_0-9]+: [0-9]+ passed, [0-9]+ failed$' >&2
    line=$(printf '%s\n' "$out" | grep -E '^[a-z_0-9]+: [0-9]+ passed, [0-9]+ failed$' | tail -1)
    p=$(echo "$line" | sed -n 's/.*: \([0-9]*\) passed.*/\1/p')
    f=$(echo "$line" | sed -n 's/.* \([0-9]*\) failed.*/\1/p')
    if [ -z "$p" ]; then
        p=0 f=1
        echo "FAIL $name: crashed or printed no summary (exit $rc)" >&2
    elif [ $rc -ne 0 ] && [ "$f" -eq 0 ]; then
        f=1
        echo "FAIL $name: exit $rc" >&2
    fi
    echo "[$dir] $line"
    total_pass=$((total_pass + p))
    total_fail=$((total_fail + f))
}

for dir in "$@"; do
    for t in "$dir"/tests/test_*; do
        case $t in *.o) continue ;; esac
        [ -x "$t" ] && run "$dir" "$t" "$t"
    done
    for s in tests/test_*.sh; do
        run "$dir" "$s" sh "$s" "$dir/hadath"
    done
done
echo "$total_pass passed, $total_fail failed"
[ $total_fail -eq 0 ]
