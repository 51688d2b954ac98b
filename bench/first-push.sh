#!/usr/bin/env bash
# A fresh server's first large push: what the secret-scanning database costs it.
#
# The same push (a tree of C headers from /usr/include, SIZE MB of text, default 20, one
# commit) goes into fresh bare repositories, each with an empty cache directory, under the
# default policy and the default 4 s budget:
#   plain                 no hook: what git itself costs (the peer)
#   compiled on the push  the pack's precompiled database absent: the hook compiles it (and
#                         fills the cache): how a fresh server behaved before
#   precompiled           the database compiled at build time (build/rules/default.hsdb),
#                         as `make install` and the Debian package install it
#   cache warm            the database read from the account's cache (a later push)
# Each row: push wall time, the hook's own time, its verdict. Not part of make check.
#
#   bench/first-push.sh [SIZE_MB]        (needs `make` first)
set -euo pipefail

TOP=$(cd "$(dirname "$0")/.." && pwd)
BIN="$TOP/build/bin"
SIZE=${1:-20}
[ -x "$BIN/pushguard-pre-receive" ] && [ -f "$TOP/build/rules/default.hsdb" ] ||
	{ echo "bench: run make first" >&2; exit 1; }

WORK=$(mktemp -d "${TMPDIR:-/tmp}/pg-first-push.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
export HOME="$WORK" GIT_CONFIG_NOSYSTEM=1
export PUSHGUARD_POLICY_DIR="$TOP/policies" PUSHGUARD_SYSTEM_CONFIG="$WORK/none"
git config --global user.name bench
git config --global user.email bench@example.com
git config --global init.defaultBranch main

# two copies of the pack: with its precompiled database, and without (before this change)
mkdir -p "$WORK/rules-shipped" "$WORK/rules-none"
cp "$TOP/policies/rules/default.toml" "$WORK/rules-shipped/"
cp "$TOP/build/rules/default.hsdb" "$WORK/rules-shipped/"
cp "$TOP/policies/rules/default.toml" "$WORK/rules-none/"

# the client: headers until SIZE MB
git init -q "$WORK/client"
(cd /usr/include && find . -type f -name '*.h' -size -256k | sort) | while read -r f; do
	mkdir -p "$WORK/client/${f%/*}"
	cp "/usr/include/$f" "$WORK/client/$f"
	[ "$(du -sm "$WORK/client" | cut -f1)" -lt "$SIZE" ] || break
done 2>/dev/null || true
git -C "$WORK/client" add -A
git -C "$WORK/client" commit -q -m "Import headers"
files=$(git -C "$WORK/client" ls-files | wc -l)
mb=$(git -C "$WORK/client" ls-files -z | (cd "$WORK/client" && xargs -0 cat) | wc -c | awk '{ printf "%.1f", $1 / 1048576 }')

# new_bare NAME RULES_DIR CACHE_DIR: a bare repository whose hook is timed
new_bare() {
	local r="$WORK/$1.git"
	git init -q --bare "$r"
	if [ -n "$2" ]; then
		cat >"$r/hooks/pre-receive" <<-EOF
		#!/bin/sh
		export PUSHGUARD_RULES_DIR='$2' XDG_CACHE_HOME='$3'
		s=\$(date +%s%N)
		'$BIN/pushguard-pre-receive' "\$@"; rc=\$?
		echo "\$s \$(date +%s%N)" >'$WORK/$1.time'
		exit \$rc
		EOF
		chmod +x "$r/hooks/pre-receive"
	fi
	echo "$r"
}

row() { # NAME DESCRIPTION RULES_DIR CACHE_DIR
	local r t0 t1 rc=0 hook=- verdict
	r=$(new_bare "$1" "$3" "$4")
	t0=$(date +%s%N)
	git -C "$WORK/client" push -q "$r" main:refs/heads/main >"$WORK/push.out" 2>&1 || rc=$?
	t1=$(date +%s%N)
	if [ -s "$WORK/$1.time" ]; then
		hook=$(awk '{ printf "%.2f", ($2 - $1) / 1e9 }' "$WORK/$1.time")
	fi
	if [ "$rc" -eq 0 ]; then
		verdict=accepted
	else
		verdict="refused: $(grep -m1 -o 'push refused[^(]*\|too large[^.]*\|✗ [a-z]*  [a-z-]*' "$WORK/push.out" | head -n 1)"
	fi
	printf '  %-22s %8.2f s %8s s   %s\n' "$2" "$(awk -v a="$t0" -v b="$t1" 'BEGIN { print (b - a) / 1e9 }')" "$hook" "$verdict"
}

echo "bench/first-push.sh: one push of $files files, $mb MB of text, default policy and budget"
printf '  %-22s %10s %10s   %s\n' "" "push" "hook" "verdict"
row plain "plain (no hook)" "" ""
row before "compiled on the push" "$WORK/rules-none" "$WORK/cache-before"
row after "precompiled" "$WORK/rules-shipped" "$WORK/cache-after"
row warm "cache warm" "$WORK/rules-none" "$WORK/cache-before"
echo "  cache files written: compiled on the push $(find "$WORK/cache-before" -name '*.hsdb' 2>/dev/null | wc -l), precompiled $(find "$WORK/cache-after" -name '*.hsdb' 2>/dev/null | wc -l)"
