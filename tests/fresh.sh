#!/bin/sh
# make test-fresh: proves, on minimal Debian roots that have nothing else,
#  a. the README's two commands: a debootstrap --variant=minbase bookworm
#     root (ROOT1) gets the repository's tracked files in /src, then
#     `make test` and `make run` there (make deps installs the packages);
#     /health and /events?actor=kim are checked from outside the chroot;
#  b. the Dockerfile's runtime stage: a second pristine minbase root (ROOT2)
#     replays docker/Dockerfile's last stage as read from the file (its RUN
#     with the runtime apt-get package list and the user, its COPYs -- the
#     binary built in ROOT1 and corpus/ --, ENV, VOLUME, WORKDIR, USER) and
#     runs its ENTRYPOINT+CMD as its USER; the same two requests, its
#     HEALTHCHECK command inside the root, and a stop by its STOPSIGNAL.
# Prints PASS/FAIL per check and each phase's duration; exits non-zero on
# any failure. Everything it mounts is unmounted and everything it started
# is stopped, whatever happens (and the mounts live in a private mount
# namespace when unshare is there).
#
# usage: sh tests/fresh.sh            (as root, on a Debian or Ubuntu host)
# environment:
#   HADATH_FRESH_DIR      work folder (default /var/tmp/hadath-fresh); the
#                         roots are made anew under DIR/run on every run
#   HADATH_FRESH_MIRROR   Debian mirror (default: the first bookworm mirror
#                         of /etc/apt/sources.list* that answers, else
#                         http://deb.debian.org/debian)
#   HADATH_FRESH_NOCACHE=1  no cached debootstrap tarball and no cached .debs
#                         (by default DIR/cache keeps both, so a second run
#                         downloads little; the roots are fresh either way)
#   HADATH_FRESH_SRC=head   copy HEAD's files (git archive) instead of the
#                         work tree's versions of `git ls-files`
#   HADATH_FRESH_OVERLAY="PATH..."  with =head: these tracked paths come
#                         from the work tree all the same
#   HADATH_FRESH_SRC=untracked  the work tree's tracked files and its
#                         untracked ones that .gitignore does not ignore
#                         (what a commit of everything would hold)
#   HADATH_FRESH_KEEP=1   keep the roots after a pass (kept after a failure)
set -u

repo=$(cd "$(dirname "$0")/.." && pwd)
base=${HADATH_FRESH_DIR:-/var/tmp/hadath-fresh}
suite=bookworm

if [ "$(id -u)" != 0 ]; then
    echo "fresh: needs root (debootstrap, chroot, mount)" >&2
    exit 2
fi
# The roots are deleted with rm -rf: insist on a recognisable folder.
case $base in
/?*/*hadath-fresh*) ;;
*)
    echo "fresh: HADATH_FRESH_DIR must be an absolute path naming hadath-fresh, not '$base'" >&2
    exit 2
    ;;
esac

# Mounts in a private mount namespace: none can outlive the run.
if [ -z "${HADATH_FRESH_NS:-}" ] && unshare --mount --propagation private true 2>/dev/null; then
    HADATH_FRESH_NS=1 exec unshare --mount --propagation private sh "$0" "$@"
fi

run=$base/run   # this run's roots, made anew
cache=$base/cache
logs=$base/logs # kept: this run's logs
r1=$run/root1
r2=$run/root2
cenv="PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
# node reads its extra certificate authorities from here (see mount_root)
[ -z "${NODE_EXTRA_CA_CERTS:-}" ] || cenv="$cenv NODE_EXTRA_CA_CERTS=$NODE_EXTRA_CA_CERTS"

pass=0 fail=0 bg_pids= fg_pid= phases= done_cleanup= summary_done=
now() { date +%s.%N; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", b - a }'; }
t_start=$(now)
t_phase=$t_start
phase_end() { # NAME: the phase that began at t_phase ends now
    t=$(now)
    d=$(secs "$t_phase" "$t")
    echo "---- phase $1: $d s"
    phases="$phases$1: $d s
"
    t_phase=$t
}
ok() { pass=$((pass + 1)); echo "PASS $*"; }
no() { fail=$((fail + 1)); echo "FAIL $*"; }
check() { # NAME COMMAND...
    n=$1
    shift
    if "$@"; then ok "$n"; else no "$n"; fi
}
say() { echo "fresh: $*"; }
# run_wait COMMAND...: runs it and waits, in a way a signal to this script interrupts
run_wait() {
    "$@" &
    fg_pid=$!
    wait $fg_pid
    r=$?
    fg_pid=
    return $r
}
die() { # a step that later checks cannot do without
    no "$*"
    exit 1
}

# ---- cleanup: stop what we started, unmount what we mounted --------------

# mounts under the run folder, deepest first
our_mounts() { awk -v p="$run/" 'index($2, p) == 1 { print $2 }' /proc/mounts | sort -r; }
umount_all() {
    for m in $(our_mounts); do
        umount "$m" 2>/dev/null || umount -l "$m" 2>/dev/null || echo "fresh: cannot unmount $m" >&2
    done
}
# processes whose root is one of our roots: all of them were started here
rooted_pids() {
    for d in /proc/[0-9]*; do
        rt=$(readlink "$d/root" 2>/dev/null) || continue
        case $rt in "$run"/*) echo "${d#/proc/}" ;; esac
    done
}
kill_rooted() {
    ps_=$(rooted_pids)
    [ -z "$ps_" ] && return 0
    kill -TERM $ps_ 2>/dev/null
    i=0
    while [ $i -lt 20 ] && [ -n "$(rooted_pids)" ]; do sleep 0.25; i=$((i + 1)); done
    ps_=$(rooted_pids)
    [ -n "$ps_" ] && kill -KILL $ps_ 2>/dev/null
    sleep 0.2
}
cleanup() {
    [ -n "$done_cleanup" ] && return 0
    done_cleanup=1
    [ -n "$fg_pid" ] && kill -TERM "$fg_pid" 2>/dev/null
    for p in $bg_pids; do
        kill -TERM "-$p" 2>/dev/null
        kill -TERM "$p" 2>/dev/null
    done
    kill_rooted
    umount_all
}
summary() {
    [ -n "$summary_done" ] && return 0
    summary_done=1
    echo "---- durations"
    printf '%s' "$phases"
    echo "total: $(secs "$t_start" "$(now)") s"
    echo "fresh: $pass passed, $fail failed"
}
on_exit() {
    rc=$?
    cleanup
    left=$(our_mounts)
    if [ -n "$left" ]; then
        echo "FAIL mounts left behind:" $left
        rc=1
    fi
    summary
    exit $rc
}
trap on_exit EXIT
trap 'no "interrupted by SIGINT"; exit 130' INT
trap 'no "interrupted by SIGTERM"; exit 143' TERM
trap 'no "interrupted by SIGHUP"; exit 129' HUP

# ---- helpers ---------------------------------------------------------------

port_free() { ! ss -ltnH 2>/dev/null | awk '{ print $4 }' | grep -q "[:.]$1\$"; }
pick_port() { # PREFERRED: it if free, else a free one from 18080 up
    if port_free "$1"; then echo "$1"; return; fi
    p=18080
    while [ $p -lt 18200 ] && ! port_free $p; do p=$((p + 1)); done
    echo $p
}
# alive PID: running (a zombie is not)
alive() {
    st=$(sed 's/.*) //' "/proc/$1/stat" 2>/dev/null | cut -d' ' -f1)
    [ -n "$st" ] && [ "$st" != Z ]
}
http_status() { curl -s -o "${2:-/dev/null}" -w '%{http_code}' --max-time 10 "$1"; }
# wait_up PORT PID SECONDS: until /health answers 200; fails when PID exits
wait_up() {
    end=$(($(date +%s) + $3))
    while [ "$(date +%s)" -lt $end ]; do
        [ "$(http_status "http://127.0.0.1:$1/health")" = 200 ] && return 0
        alive "$2" || return 1
        sleep 0.5
    done
    return 1
}
# wait_gone PID SECONDS
wait_gone() {
    i=0
    while [ $i -lt $(($2 * 10)) ]; do
        alive "$1" || return 0
        sleep 0.1
        i=$((i + 1))
    done
    return 1
}
health_200() { [ "$(http_status "http://127.0.0.1:$1/health")" = 200 ]; }
# events_kim PORT FILE: 200, a data array, >= 1 event with actor kim-jong-un
events_kim() {
    [ "$(http_status "http://127.0.0.1:$1/events?actor=kim" "$2")" = 200 ] &&
        jq -e '(.data | type == "array") and
               ([.data[] | select(any(.actors[]?; .id == "kim-jong-un"))] | length >= 1)' "$2" >/dev/null
}
kim_count() { jq '[.data[]? | select(any(.actors[]?; .id == "kim-jong-un"))] | length' "$1" 2>/dev/null || echo 0; }

# mount_root ROOT: what a chroot needs, plus the host's DNS and a policy-rc.d
# that keeps package scripts from starting daemons (as Debian's images do)
mount_root() {
    mount -t proc proc "$1/proc" &&
        mount --bind /sys "$1/sys" &&
        mount --bind /dev "$1/dev" &&
        mount --bind /dev/pts "$1/dev/pts" &&
        mount -t tmpfs -o mode=1777 tmpfs "$1/dev/shm" || return 1
    rm -f "$1/etc/resolv.conf"
    cp -L /etc/resolv.conf "$1/etc/resolv.conf" || return 1
    # the host's own certificate authorities (a network whose proxy signs
    # TLS anew, as some sandboxes' does): trusted in the root as on the
    # host once ca-certificates is installed, or npm cannot reach its registry
    if ls /usr/local/share/ca-certificates/*.crt >/dev/null 2>&1; then
        mkdir -p "$1/usr/local/share/ca-certificates" &&
            cp /usr/local/share/ca-certificates/*.crt "$1/usr/local/share/ca-certificates/" || return 1
    fi
    printf '#!/bin/sh\nexit 101\n' >"$1/usr/sbin/policy-rc.d" && chmod 755 "$1/usr/sbin/policy-rc.d" || return 1
    if [ -z "${HADATH_FRESH_NOCACHE:-}" ]; then
        mkdir -p "$cache/debs/partial" && mount --bind "$cache/debs" "$1/var/cache/apt/archives" || return 1
    fi
}
# in_root ROOT COMMAND...: as root, with a bare environment
in_root() {
    r=$1
    shift
    env -i $cenv HOME=/root chroot "$r" "$@"
}

# ---- setup -----------------------------------------------------------------

say "repository $repo, work folder $base"
need=
for tp in debootstrap:debootstrap wget:wget curl:curl jq:jq ss:iproute2 git:git; do
    command -v "${tp%%:*}" >/dev/null 2>&1 || need="$need ${tp#*:}"
done
if [ -n "$need" ]; then
    say "installing on the host:$need"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $need >/dev/null ||
        die "host tools installed:$need"
fi

find_mirrors() {
    [ -n "${HADATH_FRESH_MIRROR:-}" ] && echo "$HADATH_FRESH_MIRROR"
    if [ -f /etc/apt/sources.list ]; then
        sed -e 's/#.*//' -e 's/\[[^]]*\]//' /etc/apt/sources.list | awk -v s=$suite '$1 == "deb" && $3 == s { print $2 }'
    fi
    for f in /etc/apt/sources.list.d/*.list; do
        [ -f "$f" ] && sed -e 's/#.*//' -e 's/\[[^]]*\]//' "$f" | awk -v s=$suite '$1 == "deb" && $3 == s { print $2 }'
    done
    for f in /etc/apt/sources.list.d/*.sources; do
        [ -f "$f" ] && awk -v s=$suite 'BEGIN { RS = ""; FS = "\n" }
            { u = ""; su = ""
              for (i = 1; i <= NF; i++) {
                  if ($i ~ /^URIs:/) { sub(/^URIs:[ \t]*/, "", $i); u = $i }
                  if ($i ~ /^Suites:/) { sub(/^Suites:[ \t]*/, "", $i); su = " " $i " " }
              }
              if (su ~ (" " s " ")) { n = split(u, a, /[ \t]+/); for (j = 1; j <= n; j++) print a[j] } }' "$f"
    done
    echo http://deb.debian.org/debian
}
mirror=
for m in $(find_mirrors); do
    m=${m%/}
    if curl -fsI --max-time 20 "$m/dists/$suite/Release" >/dev/null 2>&1; then
        mirror=$m
        break
    fi
done
[ -n "$mirror" ] || die "a Debian mirror with $suite answers (tried: $(find_mirrors | tr '\n' ' '))"
say "mirror $mirror"

# A fresh start: the last run's roots go (never while anything is mounted there).
kill_rooted
umount_all
[ -z "$(our_mounts)" ] || die "no mounts left under $run from an earlier run"
rm -rf --one-file-system "$run" || die "old roots removed"
mkdir -p "$run" "$cache" "$logs" || die "work folders made"
rm -f "$logs"/*.log

arch=$(dpkg --print-architecture 2>/dev/null || echo amd64)
tarball=$cache/minbase-$suite-$arch.tgz
# ROOT1 by debootstrap; the debs come from a cached tarball (refreshed weekly)
if [ -z "${HADATH_FRESH_NOCACHE:-}" ]; then
    if [ -z "$(find "$tarball" -mtime -7 2>/dev/null)" ]; then
        say "downloading the minbase packages into $tarball"
        rm -rf "$cache/tarball-work" "$cache/tmp.tgz"
        run_wait debootstrap --variant=minbase --arch="$arch" --make-tarball="$cache/tmp.tgz" \
            $suite "$cache/tarball-work" "$mirror" >"$logs/debootstrap-tarball.log" 2>&1 &&
            mv "$cache/tmp.tgz" "$tarball" || {
            tail -20 "$logs/debootstrap-tarball.log"
            die "debootstrap --make-tarball"
        }
        rm -rf --one-file-system "$cache/tarball-work"
    fi
    set -- --unpack-tarball="$tarball"
else
    set --
fi
say "debootstrap --variant=minbase $* $suite $r1 $mirror"
if run_wait debootstrap --variant=minbase --arch="$arch" "$@" $suite "$r1" "$mirror" >"$logs/debootstrap.log" 2>&1; then
    ok "debootstrap --variant=minbase $suite ROOT1"
else
    tail -20 "$logs/debootstrap.log"
    die "debootstrap --variant=minbase $suite ROOT1 (log: $logs/debootstrap.log)"
fi
# ROOT2: a copy of the pristine minbase root, before step a touches ROOT1
cp -a "$r1" "$r2" || die "pristine copy of ROOT1 as ROOT2"
phase_end "setup (host tools, mirror, debootstrap ROOT1, copy ROOT2)"

# ---- a. ROOT1: make test, make run -----------------------------------------

say "a. copying the repository's tracked files into ROOT1/src"
mkdir -p "$r1/src"
if [ "${HADATH_FRESH_SRC:-}" = head ]; then
    git -c safe.directory="$repo" -C "$repo" archive --format=tar HEAD >"$run/src.tar" &&
        if [ -n "${HADATH_FRESH_OVERLAY:-}" ]; then
            say "HEAD's files, with the work tree's $HADATH_FRESH_OVERLAY"
            (cd "$repo" && git -c safe.directory="$repo" ls-files -z -- $HADATH_FRESH_OVERLAY |
                tar --null --no-recursion -T - -rf "$run/src.tar")
        fi
else
    set --
    [ "${HADATH_FRESH_SRC:-}" = untracked ] && set -- --others --exclude-standard
    (cd "$repo" && git -c safe.directory="$repo" ls-files -z --cached "$@" | tar --null --no-recursion -T - -cf "$run/src.tar")
fi || die "the repository's files listed and archived"
tar -C "$r1/src" --no-same-owner -xf "$run/src.tar" || die "the repository unpacked into ROOT1/src"
say "$(tar -tf "$run/src.tar" | grep -vc '/$') files in /src"
mount_root "$r1" || die "ROOT1 mounts (proc, sys, dev, dev/pts)"

# minbase has no make: the README's two commands presuppose it
if ! in_root "$r1" sh -c 'command -v make' >/dev/null 2>&1; then
    say "NOTE: a minbase root has no make, which the README's commands presuppose: apt-get install make"
    run_wait in_root "$r1" sh -c 'apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends make' \
        </dev/null >"$logs/install-make.log" 2>&1 || {
        tail -20 "$logs/install-make.log"
        die "apt-get install make in ROOT1"
    }
fi
say "a. chroot ROOT1 sh -c 'cd /src && make test'   (log: $logs/make-test.log)"
run_wait in_root "$r1" sh -c 'cd /src && make test' </dev/null >"$logs/make-test.log" 2>&1
rc=$?
grep -E '^deps: installing' "$logs/make-test.log" | cut -c1-200
grep -E '^\[build(-asan)?\] |^FAIL' "$logs/make-test.log" | grep -vE ': [0-9]+ passed, 0 failed$'
summary=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$logs/make-test.log" | tail -1)
if [ $rc -eq 0 ]; then
    ok "make test in ROOT1 (${summary:-no summary line})"
else
    tail -40 "$logs/make-test.log"
    no "make test in ROOT1 exits $rc (${summary:-no summary line}; log: $logs/make-test.log)"
fi
phase_end "a1 make test in ROOT1"

port1=$(pick_port 8080)
[ "$port1" = 8080 ] || say "port 8080 is taken on the host: make run gets HADATH_PORT=$port1"
say "a. chroot ROOT1 sh -c 'cd /src && make run' in the background, HADATH_PORT=$port1   (log: $logs/make-run.log)"
# its own session: the process group (make and the server) is stopped as one
setsid env -i $cenv HOME=/root HADATH_PORT="$port1" chroot "$r1" sh -c 'cd /src && exec make run' \
    </dev/null >"$logs/make-run.log" 2>&1 &
run_pid=$!
bg_pids="$bg_pids $run_pid"
up=no
if wait_up "$port1" $run_pid 300; then
    up=yes
    ok "make run in ROOT1 serves on :$port1 ($(grep -m1 'listening on' "$logs/make-run.log" | sed 's/.*listening on //'))"
    check "ROOT1 GET /health is 200: $(curl -s --max-time 5 "http://127.0.0.1:$port1/health")" health_200 "$port1"
    check "ROOT1 GET /events?actor=kim is 200 with events by kim-jong-un" events_kim "$port1" "$run/kim1.json"
    say "   $(kim_count "$run/kim1.json") of its events have kim-jong-un among the actors"
else
    tail -30 "$logs/make-run.log"
    no "make run in ROOT1 serves /health on :$port1 within 300 s (log: $logs/make-run.log)"
fi
kill -TERM "-$run_pid" 2>/dev/null || kill -TERM "$run_pid" 2>/dev/null
if [ $up = yes ]; then
    if wait_gone "$run_pid" 10; then
        check "make run's server stops on SIGTERM (port $port1 closed)" sh -c "! curl -s -o /dev/null --max-time 2 http://127.0.0.1:$port1/health"
    else
        no "make run stops within 10 s of SIGTERM"
    fi
fi
wait "$run_pid" 2>/dev/null
kill_rooted
phase_end "a2 make run in ROOT1 and its checks"

# ---- b. ROOT2: the Dockerfile's last stage ---------------------------------

df=$repo/docker/Dockerfile
say "b. replaying the last stage of $df on ROOT2"
[ -x "$r1/src/build/hadath" ] || die "ROOT1 built /src/build/hadath (needed by the Dockerfile's COPY --from=build)"
# One instruction a line: comments dropped, continuations joined.
awk '/^[ \t]*#/ { next }
     /^[ \t]*$/ { next }
     { l = $0
       if (l ~ /\\[ \t]*$/) { sub(/\\[ \t]*$/, "", l); buf = buf l " "; next }
       print buf l; buf = "" }
     END { if (buf != "") print buf }' "$df" >"$run/Dockerfile.lines"
last=$(grep -n -i '^[[:space:]]*FROM[[:space:]]' "$run/Dockerfile.lines" | tail -1 | cut -d: -f1)
[ -n "$last" ] || die "docker/Dockerfile has a FROM"
tail -n +"$((last + 1))" "$run/Dockerfile.lines" >"$run/stage"
say "last stage: $(sed -n "${last}p" "$run/Dockerfile.lines" | tr -s ' ')"

mount_root "$r2" || die "ROOT2 mounts (proc, sys, dev, dev/pts)"
: >"$run/env"
: >"$run/pkgs"
: >"$run/volumes"
workdir=/ user= expose= stopsignal=SIGTERM hc_timeout=30
rm -f "$run/entrypoint" "$run/cmd" "$run/healthcheck"

trim() { printf '%s' "$1" | sed -e 's/^[[:space:]]*//' -e 's/[[:space:]]*$//'; }
# json_or_shell TEXT FILE: an exec-form array one word a line, or /bin/sh -c TEXT
json_or_shell() {
    case $1 in
    \[*) printf '%s' "$1" | jq -r '.[]' >"$2" ;;
    *) printf '/bin/sh\n-c\n%s\n' "$1" >"$2" ;;
    esac
}
unquote() { v=${1#\"}; v=${v%\"}; printf '%s' "$v"; }
env_set() { # KEY VALUE
    grep -v "^$1=" "$run/env" >"$run/env.tmp"
    printf '%s=%s\n' "$1" "$2" >>"$run/env.tmp"
    mv "$run/env.tmp" "$run/env"
}
# user_ids SPEC: "UID GID HOME" from ROOT2's passwd and group
user_ids() {
    u=${1%%:*} g=
    case $1 in *:*) g=${1#*:} ;; esac
    case $u in
    *[!0-9]*) line=$(awk -F: -v n="$u" '$1 == n' "$r2/etc/passwd") ;;
    *) line=$(awk -F: -v n="$u" '$3 == n' "$r2/etc/passwd") ;;
    esac
    uid=$(echo "$line" | cut -d: -f3) pgid=$(echo "$line" | cut -d: -f4) home=$(echo "$line" | cut -d: -f6)
    case $u in *[!0-9]*) ;; *) uid=$u ;; esac
    case $g in
    "") gid=$pgid ;;
    *[!0-9]*) gid=$(awk -F: -v n="$g" '$1 == n { print $3 }' "$r2/etc/group") ;;
    *) gid=$g ;;
    esac
    echo "${uid:-?} ${gid:-?} ${home:-/}"
}
# as_user COMMAND...: in ROOT2 as the Dockerfile's current USER, its ENV, in WORKDIR
as_user() {
    if [ -n "$user" ]; then
        set -- $(user_ids "$user") "$@"
        uid=$1 gid=$2 home=$3
        shift 3
        set -- --userspec="$uid:$gid" --groups="$gid" "$r2" /usr/bin/env -i -C "$workdir" $cenv HOME="$home" $(cat "$run/env") "$@"
    else
        set -- "$r2" /usr/bin/env -i -C "$workdir" $cenv HOME=/root $(cat "$run/env") "$@"
    fi
    [ -n "$execit" ] && exec chroot "$@"
    $wrap chroot "$@"
}
wrap= execit=
# hc_ok COMMAND...: the HEALTHCHECK command as the Dockerfile runs it, within its timeout
hc_ok() {
    wrap="timeout $hc_timeout"
    as_user "$@" </dev/null >/dev/null 2>&1
    r=$?
    wrap=
    return $r
}
hc_fails() { ! hc_ok "$@"; }

n=0
while IFS= read -r line <&3; do
    n=$((n + 1))
    kw=$(printf '%s' "$line" | awk '{ print toupper($1) }')
    rest=$(trim "${line#*[[:space:]]}")
    case $kw in
    RUN)
        case $rest in \[*) json_or_shell "$rest" "$run/runcmd" ;; *) printf '/bin/sh\n-c\n%s\n' "$rest" >"$run/runcmd" ;; esac
        # the runtime package list, as the RUN names it
        printf '%s\n' "$rest" | sed -n 's/.*apt-get[[:space:]]\{1,\}install\(.*\)/\1/p' | sed 's/&&.*//; s/;.*//' |
            tr ' \t' '\n\n' | grep -v '^-' | grep -v '^$' >>"$run/pkgs"
        say "RUN $(printf '%s' "$rest" | tr -s ' ' | cut -c1-160)..."
        # each word of the exec form is one argument (newline-separated)
        old_ifs=$IFS
        IFS='
'
        set -f
        set -- $(cat "$run/runcmd")
        set +f
        IFS=$old_ifs
        run_wait as_user "$@" </dev/null >>"$logs/root2-run.log" 2>&1 || {
            tail -30 "$logs/root2-run.log"
            die "Dockerfile RUN #$n in ROOT2 (log: $logs/root2-run.log)"
        }
        ;;
    COPY | ADD)
        set -f
        set -- $rest
        set +f
        from= chown=
        while [ $# -gt 0 ]; do
            case $1 in
            --from=*) from=${1#--from=} ;;
            --chown=*) chown=${1#--chown=} ;;
            --*) ;;
            *) break ;;
            esac
            shift
        done
        # the build stage is ROOT1 (its /src is the Dockerfile's WORKDIR /src,
        # built by the same Makefile); the build context is the repository
        # copy in ROOT1/src
        if [ -n "$from" ]; then srcroot=$r1; else srcroot=$r1/src; fi
        eval "dst=\${$#}"
        case $dst in /*) ;; *) dst=${workdir%/}/$dst ;; esac
        while [ $# -gt 1 ]; do
            s=$srcroot/${1#/}
            if [ -d "$s" ]; then
                mkdir -p "$r2$dst" && cp -a "$s/." "$r2$dst/"
            elif [ -e "$s" ]; then
                case $dst in
                */) mkdir -p "$r2$dst" && cp -a "$s" "$r2$dst" ;;
                *) if [ -d "$r2$dst" ]; then cp -a "$s" "$r2$dst/"; else mkdir -p "$(dirname "$r2$dst")" && cp -a "$s" "$r2$dst"; fi ;;
                esac
            else
                false
            fi || die "Dockerfile $kw ${from:+--from=$from }$1 $dst: $s is there and copies"
            if [ -n "$chown" ]; then
                ids=$(user_ids "$chown")
                chown -R "$(echo "$ids" | cut -d' ' -f1):$(echo "$ids" | cut -d' ' -f2)" "$r2$dst"
            else
                chown -R 0:0 "$r2$dst"
            fi
            say "$kw ${from:+--from=$from }$1 -> $dst"
            shift
        done
        ;;
    ENV)
        set -f
        set -- $rest
        set +f
        case $1 in
        *=*) for kv in "$@"; do env_set "${kv%%=*}" "$(unquote "${kv#*=}")"; done ;;
        *) k=$1 && shift && env_set "$k" "$(unquote "$*")" ;;
        esac
        ;;
    VOLUME)
        case $rest in \[*) printf '%s' "$rest" | jq -r '.[]' ;; *) printf '%s\n' $rest ;; esac >>"$run/volumes"
        while IFS= read -r v; do mkdir -p "$r2$v"; done <"$run/volumes"
        ;;
    WORKDIR)
        case $rest in /*) workdir=$rest ;; *) workdir=${workdir%/}/$rest ;; esac
        mkdir -p "$r2$workdir"
        ;;
    USER) user=$rest ;;
    EXPOSE)
        expose=${rest%% *}
        expose=${expose%/*}
        ;;
    STOPSIGNAL) stopsignal=$rest ;;
    HEALTHCHECK)
        t=$(printf '%s' "$rest" | sed -n 's/.*--timeout=\([0-9]*\)s.*/\1/p')
        [ -n "$t" ] && hc_timeout=$t
        json_or_shell "$(trim "${rest#*CMD}")" "$run/healthcheck"
        ;;
    ENTRYPOINT) json_or_shell "$rest" "$run/entrypoint" ;;
    CMD) json_or_shell "$rest" "$run/cmd" ;;
    *) say "($kw not replayed)" ;;
    esac
done 3<"$run/stage"

pkgs=$(tr '\n' ' ' <"$run/pkgs" | sed 's/ *$//')
say "runtime packages of the Dockerfile's last stage: $pkgs"
pkgs_installed() {
    [ -n "$pkgs" ] || return 1
    for p in $pkgs; do
        in_root "$r2" dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q '^install ok installed' ||
            { echo "   not installed: $p"; return 1; }
    done
}
check "ROOT2 has the Dockerfile's runtime packages installed: $pkgs" pkgs_installed
set -- $(user_ids "${user:-root}")
uid=$1 gid=$2 home=$3
uid_ok() { [ "$uid" = 10001 ] && [ "$gid" != 0 ]; }
check "the Dockerfile's USER ($user) is uid $uid, gid $gid (10001 wanted, not root)" uid_ok
check "every shared library of /usr/local/bin/hadath resolves in ROOT2 (ldd)" sh -c \
    "env -i $cenv chroot '$r2' ldd /usr/local/bin/hadath >'$run/ldd' 2>&1 && ! grep -q 'not found' '$run/ldd'"
grep 'not found' "$run/ldd"
phase_end "b1 ROOT2 from docker/Dockerfile (apt-get, user, COPY, ENV)"

port2=$(pick_port "${expose:-8080}")
if [ "$port2" != "${expose:-8080}" ]; then
    say "port ${expose:-8080} is taken on the host: HADATH_PORT=$port2"
    env_set HADATH_PORT "$port2"
    sed "s/:${expose:-8080}\//:$port2\//" "$run/healthcheck" >"$run/hc.tmp" && mv "$run/hc.tmp" "$run/healthcheck"
fi
say "environment: $(tr '\n' ' ' <"$run/env" | sed 's/ *$//')"
[ -s "$run/entrypoint" ] || [ -s "$run/cmd" ] || die "the Dockerfile has an ENTRYPOINT or CMD"
old_ifs=$IFS
IFS='
'
set -f
set -- $(cat "$run/entrypoint" "$run/cmd" 2>/dev/null)
set +f
IFS=$old_ifs
say "chroot --userspec=$uid:$gid ROOT2 $* (WORKDIR $workdir)   (log: $logs/root2-serve.log)"
# the subshell execs chroot, which execs env, which execs the ENTRYPOINT:
# $! is tini's pid, as the container's PID 1 would be
(
    execit=1
    as_user "$@"
) </dev/null >"$logs/root2-serve.log" 2>&1 &
srv_pid=$!
bg_pids="$bg_pids $srv_pid"
if wait_up "$port2" $srv_pid 120; then
    ok "ROOT2 serves as uid $uid on :$port2 ($(grep -m1 'listening on' "$logs/root2-serve.log" | sed 's/.*listening on //'))"
    check "ROOT2 GET /health is 200: $(curl -s --max-time 5 "http://127.0.0.1:$port2/health")" health_200 "$port2"
    check "ROOT2 GET /events?actor=kim is 200 with events by kim-jong-un" events_kim "$port2" "$run/kim2.json"
    say "   $(kim_count "$run/kim2.json") of its events have kim-jong-un among the actors"
    old_ifs=$IFS
    IFS='
'
    set -f
    set -- $(cat "$run/healthcheck")
    set +f
    IFS=$old_ifs
    say "HEALTHCHECK: $* (as uid $uid, timeout ${hc_timeout}s)"
    check "ROOT2 HEALTHCHECK command exits 0 inside the root" hc_ok "$@"
    hcargs="$*"
    dbfile=$(sed -n 's/^HADATH_DB=//p' "$run/env")
    check "the database $dbfile is on a VOLUME ($(tr '\n' ' ' <"$run/volumes" | sed 's/ *$//')) and owned by uid $uid" sh -c '
        f=$1 r=$2 uid=$3 vols=$4
        [ -f "$r$f" ] && [ "$(stat -c %u "$r$f")" = "$uid" ] || exit 1
        while IFS= read -r v; do case $f in "$v"/*) exit 0 ;; esac; done <"$vols"
        exit 1' sh "$dbfile" "$r2" "$uid" "$run/volumes"
else
    tail -30 "$logs/root2-serve.log"
    no "ROOT2 serves /health on :$port2 within 120 s (log: $logs/root2-serve.log)"
    hcargs=
fi
# docker stop: STOPSIGNAL, then 10 s of grace
sig=${stopsignal#SIG}
t0=$(now)
kill -s "$sig" "$srv_pid" 2>/dev/null
if wait_gone "$srv_pid" 10; then
    wait "$srv_pid"
    rc=$?
    check "ROOT2 stops on $stopsignal in $(secs "$t0" "$(now)") s with exit status $rc" test "$rc" -eq 0
    if [ -n "$hcargs" ]; then
        set -f
        set -- $hcargs
        set +f
        check "ROOT2 HEALTHCHECK fails once the server is down" hc_fails "$@"
    fi
else
    no "ROOT2 stops within 10 s of $stopsignal"
fi
phase_end "b2 ROOT2 server, HEALTHCHECK, stop"

# ---- the end ---------------------------------------------------------------

cleanup
left=$(our_mounts)
check "no mounts left under $run" test -z "$left"
check "no process left in the roots" test -z "$(rooted_pids)"
if [ $fail -eq 0 ] && [ -z "${HADATH_FRESH_KEEP:-}" ] && [ -z "$left" ]; then
    rm -rf --one-file-system "$run"
else
    say "roots kept in $run"
fi
summary
[ $fail -eq 0 ]
