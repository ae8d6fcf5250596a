# What the scripts that drive the real server share: a temporary folder,
# the counts, the checks, and a server started on a free loopback port.
# A script sets bin and suite, then sources this: . "$(dirname "$0")/lib.sh"
tmp=$(mktemp -d "/tmp/hadath-$suite-XXXXXX")
pass=0 fail=0 pid=
# KEEP_TMP=1 keeps the folder (logs, databases) for a look after a failure
trap 'kill $pid 2>/dev/null; [ -n "$KEEP_TMP" ] || rm -rf "$tmp"' EXIT

ok() { pass=$((pass + 1)); }
no() { fail=$((fail + 1)); echo "FAIL $suite: $*" >&2; }
# t DESCRIPTION COMMAND...: the command's success is the check
t() { d=$1; shift; if "$@" >/dev/null 2>&1; then ok; else no "$d"; fi; }

# serve LOG ARGS...: starts hadath serve with ARGS, its log in LOG; waits
# for its "listening" line (30 s at most); sets pid, and base ("" when it
# did not start)
serve() {
    log=$1
    shift
    "$bin" serve --listen 127.0.0.1 --port 0 "$@" 2>"$log" &
    pid=$!
    i=0
    while [ $i -lt 600 ] && ! grep -q 'listening on' "$log"; do sleep 0.05; i=$((i + 1)); done
    port=$(sed -n 's/.*listening on http:\/\/127.0.0.1:\([0-9]*\).*/\1/p' "$log")
    base=${port:+http://127.0.0.1:$port}
}

# halt: SIGTERM to the server; succeeds when it exits 0 (under ASan a leak
# makes it fail)
halt() {
    kill -TERM $pid
    wait $pid
    rc=$?
    pid=
    return $rc
}

# finish: the summary line tests/run.sh adds up, and the exit status
finish() {
    echo "$suite: $pass passed, $fail failed"
    [ $fail -eq 0 ]
}
