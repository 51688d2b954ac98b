#!/bin/bash
# bench/complete-copy.sh SRC DST: a self-contained copy of a partial clone (a promisor pack missing
# some blobs, as the fetched mirrors of redis, curl and flask are) for bench/history.sh: history
# re-imported with fast-export --no-data, each missing blob replaced by the empty blob (so commit
# ids change from the first affected commit; contents are otherwise identical), then repacked.
set -euo pipefail
SRC=$1 DST=$2
rm -rf "$DST"; git init -q --bare "$DST"
echo "$(cd "$SRC" && pwd)/objects" > "$DST/objects/info/alternates"
empty=e69de29bb2d1d6434b8b29ae775ad8c2e48c5391
miss=$(git --git-dir="$SRC" rev-list --all --objects --missing=print | sed -n 's/^?//p')


git --git-dir="$DST" hash-object -w --stdin </dev/null >/dev/null
expr=""
for m in $miss; do expr="$expr;s/ $m / $empty /"; done
git --git-dir="$SRC" fast-export --all --no-data --signed-tags=strip --tag-of-filtered-object=drop --reencode=no 2>/dev/null |
	sed -e "${expr#;}" | git --git-dir="$DST" fast-import --quiet
git --git-dir="$DST" repack -a -d -q -f --window=10
# the default branch as in the source (history.sh pushes it)
head=$(git --git-dir="$SRC" symbolic-ref -q HEAD || true)
[ -z "$head" ] || git --git-dir="$DST" symbolic-ref HEAD "$head"
rm -f "$DST/objects/info/alternates"
git --git-dir="$DST" rev-list --all --objects --missing=print | grep -c '^?' || true
git --git-dir="$DST" count-objects -vH
