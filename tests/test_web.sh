#!/bin/sh
# The web page end to end: the real server on a copy of corpus/, the page at /
# driven in headless Chromium by tests/e2e/page.mjs, its screenshots checked.
# usage: tests/test_web.sh BUILD/hadath   (SHOTS_DIR=DIR: keep the screenshots there)
bin=${1:?usage: test_web.sh BIN}
suite=web
. "$(dirname "$0")/lib.sh"
e2e=$(dirname "$0")/e2e

# What the browser side needs is installed by `make test`: missing, it is a
# failure, never a skip, or a machine without it would pass unseen.
need() { no "$1: run \`make test\` (its deps step installs chromium, nodejs and tests/e2e/node_modules)"; }
if command -v node >/dev/null; then
    # tests/e2e pins the last playwright-core that runs on Debian 12's own
    # nodejs (18); later ones want node 20
    major=$(node -p 'process.versions.node.split(".")[0]')
    [ "$major" -ge 18 ] || no "node $major is too old for tests/e2e's playwright-core: it needs node 18 or later"
else
    need "node is not installed"
fi
[ -x /usr/bin/chromium ] || need "/usr/bin/chromium is not installed"
[ -d "$e2e/node_modules/playwright-core" ] || need "$e2e/node_modules/playwright-core is missing"
[ $fail -eq 0 ] || { finish; exit 1; }

mkdir -p "$tmp/corpus"
cp corpus/*.txt "$tmp/corpus/"
# and a document whose words are markup: the page must show it as text
cp tests/data/web/markup.txt "$tmp/corpus/zz_markup.txt"
serve "$tmp/log" --corpus "$tmp/corpus" --db "$tmp/x.db" --threads 2
t "server starts and prints its port" test -n "$base"
[ -n "$base" ] || { finish; exit 1; }
t "/ is HTML for a browser" sh -c "curl -s -H 'Accept: text/html' -D - -o /dev/null '$base/' | grep -qi '^content-type: text/html'"

# Chromium's profile goes under $tmp (TMPDIR), so the trap removes it even
# when node is killed; timeout is the backstop behind page.mjs's own watchdog
TMPDIR=$tmp timeout --foreground -k 5 150 node "$e2e/page.mjs" "$base" "$tmp/shots" >"$tmp/page.out" 2>&1
rc=$?
sed -n 's/^FAIL - /FAIL web: /p' "$tmp/page.out" >&2
line=$(grep -E '^web: [0-9]+ passed, [0-9]+ failed$' "$tmp/page.out" | tail -1)
if [ -n "$line" ]; then
    p=$(echo "$line" | sed 's/web: \([0-9]*\) passed.*/\1/')
    f=$(echo "$line" | sed 's/.* \([0-9]*\) failed/\1/')
    pass=$((pass + p)) fail=$((fail + f))
    [ $rc -eq 0 ] || [ "$f" -gt 0 ] || no "page.mjs exited $rc with no failure counted"
else
    no "page.mjs printed no summary (exit $rc); its last lines:"
    tail -5 "$tmp/page.out" >&2
fi

# Each screenshot: a real PNG, of the 1400 px wide viewport, with something
# drawn on it (a blank page compresses to a few hundred bytes)
for s in search-kim article; do
    f=$tmp/shots/$s.png
    if [ ! -f "$f" ]; then
        no "$s.png was not made"
        continue
    fi
    t "$s.png is a PNG" test "$(od -An -tx1 -N8 "$f" | tr -d ' \n')" = 89504e470d0a1a0a
    t "$s.png is 1400 px wide" test "$(od -An -tu1 -j16 -N4 "$f" | awk '{ print $1 * 16777216 + $2 * 65536 + $3 * 256 + $4 }')" = 1400
    t "$s.png is over 10 KB" test "$(wc -c <"$f")" -gt 10240
done
if [ -n "$SHOTS_DIR" ]; then
    t "screenshots copied to SHOTS_DIR" sh -c "mkdir -p '$SHOTS_DIR' && cp '$tmp'/shots/*.png '$SHOTS_DIR/'"
fi

t "clean exit" halt
finish
