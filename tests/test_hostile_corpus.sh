#!/bin/sh
# A hostile corpus: invalid UTF-8, NUL bytes, an empty file, random binary,
# a 50 MB single line (as a page and as a JSON Lines record), a byte-order
# mark with CRLF, a symlink loop, a dangling symlink, a folder named like a
# document, a broken sidecar, garbage records; then 10,000 tiny files. Each
# bad document is reported and skipped with its reason, every good one goes
# in, and the run ends well.
# usage: tests/test_hostile_corpus.sh BUILD/hadath
bin=${1:?usage: test_hostile_corpus.sh BIN}
suite=hostile_corpus
. "$(dirname "$0")/lib.sh"

c=$tmp/corpus
mkdir -p "$c"
cp corpus/*.txt "$c/"
printf 'عنوان\n\n\377\376 نص\n' >"$c/invalid.txt"
printf 'عنوان الخبر\n\nقال المتحدث إن الاجتماع سيعقد.\000 ومضى يقول.\n' >"$c/nul.txt"
: >"$c/empty.txt"
head -c 20000 /dev/urandom >"$c/binary.txt"
printf '\357\273\277عنوان بعلامة\r\n\r\nزار الرئيس الروسي فلاديمير بوتين الصين أمس.\r\n' >"$c/bom.txt"
ln -s loop.txt "$c/loop.txt"
ln -s nowhere.txt "$c/dangling.txt"
mkdir "$c/folder.txt"
# named pipes: opening one to read would wait for a writer that never comes
mkfifo "$c/fifo.txt" "$c/fifo.jsonl"
printf 'خبر\n\nنص الخبر هنا وهو طويل بما يكفي ليعد فقرة.\n' >"$c/sidecar.txt"
printf '{"published": ' >"$c/sidecar.json"
# 50 MB on one line, as a page and as a record
head -c 50000000 /dev/zero | tr '\0' 'a' >"$c/huge.txt"
{
    printf '{"title": "t", "content": "'
    head -c 50000000 /dev/zero | tr '\0' 'b'
    printf '"}\n'
    printf '{"title": "خبر", "content": "زار وزير الخارجية المصري عمان والتقى نظيره الأردني."}\n'
    printf 'not json\n'
    printf '[1, 2, 3]\n'
    printf '{"content": null}\n'
} >"$c/records.jsonl"

out=$(timeout 300 "$bin" ingest --corpus "$c" --db "$tmp/db" --jobs 2 2>&1)
rc=$?
t "ingest ends well ($rc)" test $rc = 0
summary=$(printf '%s\n' "$out" | tail -1)
t "seven in, fifteen skipped: $summary" test "$summary" != "${summary#ingest: 7 ingested, 0 unchanged, 15 skipped, 0 removed}"
# memory stays bounded: two 50 MB lines cost a buffer each, not a copy per
# stage (the seeds alone peak near 25 MiB; ASan adds its shadow)
peak=$(printf '%s\n' "$summary" | sed -n 's/.*peak RSS \([0-9]*\) MiB.*/\1/p')
t "peak memory of the hostile ingest: ${peak:-?} MiB, under 400" test "${peak:-9999}" -lt 400
for f in 000_fe86b9d04abbfb5e 001_6e0af8c5b51e59dc 002_d83d7f4b06c21963 003_9384911031feb3ac \
    004_31d0d33b21a8ff9a; do
    t "the good $f goes in" sh -c "printf '%s\n' \"\$0\" | grep -q '^ingested $f.txt: '" "$out"
done
# skipped NAME REASON: the line that reports it says why
skipped() {
    printf '%s\n' "$out" | grep -q "^skipped $1: .*$2" && ok || no "$1 not skipped for \"$2\""
}
skipped invalid.txt 'not valid UTF-8'
skipped nul.txt 'not valid UTF-8'
skipped empty.txt 'no text'
skipped binary.txt 'not valid UTF-8'
skipped loop.txt 'symbolic links'
skipped dangling.txt 'No such file'
skipped folder.txt 'Is a directory'
skipped fifo.txt 'not a regular file'
skipped fifo.jsonl 'not a regular file'
skipped sidecar.txt 'sidecar JSON'
skipped huge.txt 'too large'
skipped 'records.jsonl#1' 'larger than 32 MiB'
skipped 'records.jsonl#3' 'JSON'
skipped 'records.jsonl#4' 'not an object'
skipped 'records.jsonl#5' 'no text'
t "the byte-order mark and CRLF page goes in" sh -c "printf '%s\n' \"\$0\" | grep -q '^ingested bom.txt: '" "$out"
t "the good record goes in" sh -c "printf '%s\n' \"\$0\" | grep -q '^ingested records.jsonl#2: '" "$out"
# the title has no byte-order mark left
title=$("$bin" extract "$c/bom.txt" 2>/dev/null | jq -r .title)
t "no byte-order mark in the title ($title)" test "$title" = "عنوان بعلامة"

# once more: nothing changed, nothing lost (the records file is not read
# again, so its bad lines are not reported again)
out=$("$bin" ingest --corpus "$c" --db "$tmp/db" --jobs 2 2>&1)
t "again: the same seven, unchanged" sh -c "printf '%s\n' \"\$0\" | tail -1 | grep -q '^ingest: 0 ingested, 7 unchanged, 11 skipped, 0 removed'" "$out"

# An unreadable page and an unreadable records file: reported; the page's
# and the records' earlier versions stay. Root reads anything, so as root
# the ingest runs as nobody (the folders opened to it).
u=$tmp/unreadable
mkdir -p "$u/c" "$u/db"
cp corpus/000_fe86b9d04abbfb5e.txt corpus/001_6e0af8c5b51e59dc.txt "$u/c/"
printf '{"title": "خبر", "content": "زار وزير الخارجية المصري عمان والتقى نظيره الأردني."}\n' >"$u/c/r.jsonl"
as= ubin=$bin
if [ "$(id -u)" = 0 ]; then
    # (a copy of the binary: nobody may not reach the build folder)
    cp "$bin" "$u/hadath"
    chmod 755 "$tmp" && chmod -R a+rwX "$u"
    as="setpriv --reuid=65534 --regid=65534 --clear-groups" ubin=$u/hadath
fi
out=$($as "$ubin" ingest --corpus "$u/c" --db "$u/db/db" 2>&1 | tail -1)
t "unreadable: first all three ($out)" sh -c "printf '%s\n' \"\$0\" | grep -q '^ingest: 3 ingested'" "$out"
# (a records file is opened only when it changed: one more record)
printf '{"title": "خبر آخر", "content": "التقى الرئيس المصري نظيره الفرنسي في باريس."}\n' >>"$u/c/r.jsonl"
chmod 000 "$u/c/001_6e0af8c5b51e59dc.txt" "$u/c/r.jsonl"
out=$($as "$ubin" ingest --corpus "$u/c" --db "$u/db/db" 2>&1)
t "an unreadable page is reported" sh -c "printf '%s\n' \"\$0\" | grep -q '^skipped 001_6e0af8c5b51e59dc.txt: cannot read: Permission denied'" "$out"
t "an unreadable records file is reported" sh -c "printf '%s\n' \"\$0\" | grep -q '^skipped r.jsonl: cannot read: Permission denied'" "$out"
t "... and what they held before stays" sh -c "printf '%s\n' \"\$0\" | tail -1 | grep -q '^ingest: 0 ingested, 1 unchanged, 2 skipped, 0 removed'" "$out"
chmod 644 "$u/c/001_6e0af8c5b51e59dc.txt" "$u/c/r.jsonl"
out=$($as "$ubin" ingest --corpus "$u/c" --db "$u/db/db" 2>&1 | tail -1)
t "readable again: the new record goes in ($out)" sh -c "printf '%s\n' \"\$0\" | grep -q '^ingest: 1 ingested, 3 unchanged, 0 skipped, 0 removed'" "$out"

# 10,000 tiny files
m=$tmp/many
mkdir -p "$m"
awk -v dir="$m" 'BEGIN {
    for (i = 1; i <= 10000; i++) {
        f = sprintf("%s/n%05d.txt", dir, i)
        printf "خبر %d\n\nقال المتحدث إن الاجتماع رقم %d سيعقد في القاهرة.\n", i, i > f
        close(f)
    }
}'
out=$("$bin" ingest --corpus "$m" --db "$tmp/many.db" 2>&1 | tail -1)
t "10,000 tiny files: $out" sh -c "printf '%s\n' \"\$0\" | grep -q '^ingest: 10000 ingested, 0 unchanged, 0 skipped'" "$out"
out=$("$bin" ingest --corpus "$m" --db "$tmp/many.db" 2>&1 | tail -1)
t "10,000 tiny files again: $out" sh -c "printf '%s\n' \"\$0\" | grep -q '^ingest: 0 ingested, 10000 unchanged'" "$out"

# Half of them deleted during an ingest (tests/test_ingest.c deletes one at
# a known moment): each is in (read before it went), reported unreadable,
# or not met at all; the ones left all go in, and the next ingest removes
# those that went in and then went.
"$bin" ingest --corpus "$m" --db "$tmp/gone.db" >"$tmp/gone.out" 2>"$tmp/gone.err" &
gpid=$!
sleep 0.3
rm "$m"/n0[5-9]*.txt "$m"/n10000.txt
wait $gpid
t "files deleted during an ingest: it ends well" test $? = 0
ing=$(sed -n 's/^ingest: \([0-9]*\) ingested.*/\1/p' "$tmp/gone.out")
gone=$(grep -c '^skipped n.*: cannot read: No such file' "$tmp/gone.err")
t "... each in ($ing) or reported gone ($gone), no other complaint" \
    test $((${ing:-0} + gone)) -le 10000 -a "$(grep -vc 'No such file' "$tmp/gone.err")" = 0
out=$("$bin" ingest --corpus "$m" --db "$tmp/gone.db" 2>&1 | tail -1)
t "... and the next ingest removes the rest: $out" sh -c "printf '%s\n' \"\$0\" | grep -q '^ingest: 0 ingested, 4999 unchanged, 0 skipped, $((${ing:-0} - 4999)) removed'" "$out"

finish
