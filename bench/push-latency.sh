#!/usr/bin/env bash
# What pushguard adds to a one-commit push.
#
# Pushes N one-commit changes into four bare repositories in the same run:
# one without a hook, one whose pre-receive hook only reads its input (what
# git itself pays for running any hook: quarantine, fork, exec), one whose
# hook is the libgit2 floor (a program linked as pushguard's hooks are, with
# libgit2 linked in or shared as `make` chose and the same start-up skips,
# that starts libgit2, reads its input and exits: what any hook built on
# libgit2 pays before its first line of work), and one with pushguard's pre-receive hook (default policy),
# interleaved so that machine noise hits all alike. Prints the median push
# time of each, what the hook adds over no hook, over an empty hook and over
# the floor (pushguard's own work), and the ratio.
#
#   bench/push-latency.sh [N]        (default N = 40; needs `make` first)
set -euo pipefail

N=${1:-40}
TOP=$(cd "$(dirname "$0")/.." && pwd)
BIN="$TOP/build/bin"
[ -x "$BIN/pushguard-pre-receive" ] || { echo "bench: run make first" >&2; exit 1; }

WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
# the floor hook, built and linked as the hooks are (Makefile: lib/libgit2_no_net.o and
# build/exe-libs, libgit2 linked in or shared as `make` chose)
cat > "$WORK/floor.c" <<'EOF_C'
#include <git2.h>
#include <stdio.h>
int main(void)
{
	char line[4096];

	if (git_libgit2_init() < 0)
		return 1;
	while (fgets(line, sizeof(line), stdin))
		;
	git_libgit2_shutdown();
	return 0;
}
EOF_C
# shellcheck disable=SC2046 # word splitting of the link flags is intended
${CC:-cc} -O2 -o "$WORK/floor-hook" "$WORK/floor.c" "$TOP/build/lib/libgit2_no_net.o" \
	$(pkg-config --cflags libgit2) $(cat "$TOP/build/exe-libs")
export HOME="$WORK" GIT_CONFIG_NOSYSTEM=1
export PUSHGUARD_POLICY_DIR="$TOP/policies" PUSHGUARD_SYSTEM_CONFIG="$WORK/none"
# the rule pack as `make install` lays it out: the TOML, its compiled database and its snapshot
mkdir -p "$WORK/rules"
cp "$TOP/policies/rules/default.toml" "$TOP/build/rules/default.hsdb" "$TOP/build/rules/default.snap" "$WORK/rules/"
export PUSHGUARD_RULES_DIR="$WORK/rules"
git config --global user.name bench
git config --global user.email bench@example.com
git config --global init.defaultBranch main

setup() { # name, hook: no | empty | yes
	git init -q --bare "$WORK/$1.git"
	if [ "$2" = empty ]; then
		printf '#!/bin/sh\ncat >/dev/null\n' > "$WORK/$1.git/hooks/pre-receive"
		chmod +x "$WORK/$1.git/hooks/pre-receive"
	elif [ "$2" = floor ]; then
		printf '#!/bin/sh\nexec %q "$@"\n' "$WORK/floor-hook" > "$WORK/$1.git/hooks/pre-receive"
		chmod +x "$WORK/$1.git/hooks/pre-receive"
	elif [ "$2" = yes ]; then
		printf '#!/bin/sh\nexec %q --chain "${0%%/*}/pre-receive.d" "$@"\n' \
			"$BIN/pushguard-pre-receive" > "$WORK/$1.git/hooks/pre-receive"
		chmod +x "$WORK/$1.git/hooks/pre-receive"
	fi
	git clone -q "$WORK/$1.git" "$WORK/$1" 2>/dev/null
	# a small project to push on top of
	for i in $(seq 1 50); do printf 'line %s\n' $(seq 1 40) > "$WORK/$1/file$i.c"; done
	git -C "$WORK/$1" add -A && git -C "$WORK/$1" commit -qm "initial"
	git -C "$WORK/$1" push -q origin main
}

push_once() { # name, round -> prints nanoseconds
	local d="$WORK/$1" t0 t1
	printf 'change %s\n' "$2" >> "$d/file$(( $2 % 50 + 1 )).c"
	git -C "$d" commit -qam "change $2"
	t0=$(date +%s%N)
	git -C "$d" push -q origin main
	t1=$(date +%s%N)
	echo $(( t1 - t0 ))
}

median() { sort -n | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : int((a[NR/2]+a[NR/2+1])/2)}'; }

setup plain no
setup empty empty
setup floor floor
setup guarded yes
: > "$WORK/plain.t"; : > "$WORK/empty.t"; : > "$WORK/floor.t"; : > "$WORK/guarded.t"
for r in $(seq 1 "$N"); do
	push_once plain "$r" >> "$WORK/plain.t"
	push_once empty "$r" >> "$WORK/empty.t"
	push_once floor "$r" >> "$WORK/floor.t"
	push_once guarded "$r" >> "$WORK/guarded.t"
done
# the hook really ran: a denied file name must be refused
echo k > "$WORK/guarded/id_rsa"; git -C "$WORK/guarded" add id_rsa
git -C "$WORK/guarded" commit -qm key
if git -C "$WORK/guarded" push -q origin main 2>/dev/null; then
	echo "bench: the hook did not run" >&2; exit 1
fi

p=$(median < "$WORK/plain.t"); e=$(median < "$WORK/empty.t"); f=$(median < "$WORK/floor.t")
g=$(median < "$WORK/guarded.t")
awk -v p="$p" -v e="$e" -v f="$f" -v g="$g" -v n="$N" 'BEGIN {
	printf "one-commit push, median of %d (file://, same run)\n", n
	printf "  without hook              %7.2f ms\n", p / 1e6
	printf "  empty hook (cat)          %7.2f ms\n", e / 1e6
	printf "  libgit2 floor hook        %7.2f ms\n", f / 1e6
	printf "  with pushguard            %7.2f ms\n", g / 1e6
	printf "  added over no hook        %7.2f ms\n", (g - p) / 1e6
	printf "  added over an empty hook  %7.2f ms\n", (g - e) / 1e6
	printf "  floor over an empty hook  %7.2f ms  (starting libgit2 as the hooks link it)\n", (f - e) / 1e6
	printf "  added over the floor      %7.2f ms  (pushguard'"'"'s own work)\n", (g - f) / 1e6
	printf "  ratio pushguard/no hook   %7.2fx\n", g / p
}'
