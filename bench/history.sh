#!/usr/bin/env bash
# History-scale speed and memory (issue 14), in one run, on any repository:
#
#   bench/history.sh [--runs N] [--no-push] [--budget T] REPO
#
#   1. `pushguard scan` of every ref, against two floors measured in the same run:
#        `git log -p -U0 --all`                                  (the diff gitleaks starts from)
#        `git cat-file --batch-all-objects --batch --unordered`  (every object read and inflated once)
#      and `git secrets --scan-history` (AWS patterns) when git-secrets is installed.
#      Wall time best of N (default 3), CPU seconds (user+sys) of that run, peak RSS
#      (/usr/bin/time -v, the largest of the runs).
#   2. the initial push of REPO's default branch into a fresh bare repository, without a
#      hook and with pushguard's pre-receive hook (default policy, default 4 s budget;
#      --budget T sets the server's pushguard.timeBudget, 0 = no limit):
#      push wall time (best of N), the hook's verdict.
#
# REPO: a complete repository (`git clone --mirror`). A partial clone's missing blobs
# make git log -p and pushguard fail; copy it first with every blob present.
# Needs `make` first. Runs on a 2-core box (pushguard uses every core; so does git log).
# Not part of make check.
set -euo pipefail

RUNS=3 PUSH=1 BUDGET=
while [ $# -gt 1 ]; do
	case $1 in
	--runs) RUNS=$2; shift 2 ;;
	--no-push) PUSH=0; shift ;;
	--budget) BUDGET=$2; shift 2 ;;
	*) break ;;
	esac
done
REPO=${1:?usage: bench/history.sh [--runs N] [--no-push] [--budget T] REPO}
TOP=$(cd "$(dirname "$0")/.." && pwd)
BIN="$TOP/build/bin"
PG="$BIN/pushguard"
[ -x "$PG" ] && [ -x "$BIN/pushguard-pre-receive" ] || { echo "bench: run make first" >&2; exit 1; }
[ -x /usr/bin/time ] || { echo "bench: needs /usr/bin/time (Debian package time)" >&2; exit 1; }
REPO=$(cd "$REPO" && pwd)

WORK=$(mktemp -d "${TMPDIR:-/tmp}/pg-history.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
export HOME="$WORK/home" GIT_CONFIG_NOSYSTEM=1
mkdir -p "$HOME"
export PUSHGUARD_POLICY_DIR="$TOP/policies"
# the rule pack as `make install` lays it out: the TOML, its compiled database and its snapshot
mkdir -p "$WORK/rules"
cp "$TOP/policies/rules/default.toml" "$TOP/build/rules/default.hsdb" "$TOP/build/rules/default.snap" "$WORK/rules/"
export PUSHGUARD_RULES_DIR="$WORK/rules"
export PUSHGUARD_SYSTEM_CONFIG="$WORK/none"
git config --global user.email bench@example.com
git config --global user.name bench
git config --global init.defaultBranch main

# the bench's own copy (pushguard reads the repository's config), hard-linked
git clone -q --mirror "$REPO" "$WORK/full.git"
G=(git --git-dir="$WORK/full.git")
commits=$("${G[@]}" rev-list --all | wc -l)
blobs=$("${G[@]}" cat-file --batch-all-objects --batch-check='%(objecttype) %(objectsize)' |
	awk '$1 == "blob" { n++; s += $2 } END { printf "%d blob versions, %.1f MiB", n, s / 1048576 }')

# measure NAME CMD...: best wall time of RUNS, that run's CPU time, the largest peak RSS
measure() {
	local name=$1 best= cpu= rss=0 out
	shift
	for _ in $(seq 1 "$RUNS"); do
		/usr/bin/time -f '%e %U %S %M' -o "$WORK/time" "$@" >/dev/null 2>"$WORK/$name.err" || true
		read -r e u s m < <(tail -n1 "$WORK/time") # after "Command exited with non-zero status"
		if [ -z "$best" ] || awk -v a="$e" -v b="$best" 'BEGIN { exit !(a < b) }'; then
			best=$e; cpu=$(awk -v u="$u" -v s="$s" 'BEGIN { printf "%.2f", u + s }')
		fi
		[ "$m" -gt "$rss" ] && rss=$m
	done
	echo "$best $cpu $rss" >"$WORK/$name.res"
}
row() { # LABEL NAME [FLOOR_NAME...]
	local label=$1 name=$2 e c m
	shift 2
	read -r e c m <"$WORK/$name.res"
	printf '  %-44s %7.2f s  %6.2f s cpu  %5d MB' "$label" "$e" "$c" $((m / 1024))
	for f in "$@"; do
		printf '  %5.2fx %s' "$(awk -v a="$e" -v b="$(cut -d' ' -f1 "$WORK/$f.res")" 'BEGIN { print a / b }')" "$f"
	done
	echo
}

# warm the page cache and the rules cache
"$PG" scan "$WORK/full.git" >/dev/null 2>&1 || true
"${G[@]}" cat-file --batch-all-objects --batch --unordered >/dev/null

# interleaved, so machine noise hits all alike
for run in $(seq 1 "$RUNS"); do
	RUNS=1 measure "catfile.$run" "${G[@]}" cat-file --batch-all-objects --batch --unordered
	RUNS=1 measure "logp.$run" "${G[@]}" log -p -U0 --all
	RUNS=1 measure "scan.$run" "$PG" scan "$WORK/full.git"
done
for n in catfile logp scan; do
	sort -n -k1,1 "$WORK/$n".*.res | head -n1 | awk -v m="$(cat "$WORK/$n".*.res | sort -n -k3,3 | tail -n1 | cut -d' ' -f3)" \
		'{ print $1, $2, m }' >"$WORK/$n.res"
done
summary=$(grep '^pushguard scan:' "$WORK/scan.$RUNS.err" | tail -n1 || true)

echo "$(basename "$REPO" .git): $commits commits on all refs, $blobs; $(nproc) cores; best of $RUNS"
echo "  (wall time; CPU time of that run; peak RSS; ratio to each floor)"
row 'git cat-file --batch-all-objects --unordered' catfile
row 'git log -p -U0 --all' logp
row 'pushguard scan (every ref)' scan logp catfile
echo "    $summary"
if command -v git-secrets >/dev/null; then
	"${G[@]}" secrets --register-aws >/dev/null
	measure gitsecrets "${G[@]}" secrets --scan-history
	row 'git secrets --scan-history (AWS patterns)' gitsecrets
	awk -v g="$(cut -d' ' -f1 "$WORK/gitsecrets.res")" -v p="$(cut -d' ' -f1 "$WORK/scan.res")" \
		'BEGIN { printf "  pushguard scan is %.1fx faster than git-secrets\n", g / p }'
else
	echo "  git secrets --scan-history: not installed (apt-get install git-secrets), not measured"
fi

[ "$PUSH" = 1 ] || exit 0
# the initial push of the default branch into a fresh server
head=$("${G[@]}" symbolic-ref -q HEAD || echo refs/heads/main)
# HEAD naming a branch the repository lacks (a copy made without it): its first branch
"${G[@]}" rev-parse -q --verify "$head^{commit}" >/dev/null ||
	head=$("${G[@]}" for-each-ref --count=1 --format='%(refname)' refs/heads)
git clone -q --bare --single-branch --branch "${head#refs/heads/}" "$REPO" "$WORK/client.git" 2>/dev/null ||
	git clone -q --bare "$REPO" "$WORK/client.git"
pcommits=$(git --git-dir="$WORK/client.git" rev-list HEAD | wc -l)
push_row() { # LABEL HOOK(no|yes)
	local best= t0 t1 rc verdict=accepted hookt=
	for i in $(seq 1 "$RUNS"); do
		rm -rf "$WORK/server.git"
		git init -q --bare "$WORK/server.git"
		if [ "$2" = yes ]; then
			[ -z "$BUDGET" ] || git --git-dir="$WORK/server.git" config pushguard.timeBudget "$BUDGET"
			cat >"$WORK/server.git/hooks/pre-receive" <<-EOF
			#!/bin/sh
			s=\$(date +%s%N)
			'$BIN/pushguard-pre-receive' "\$@"; rc=\$?
			echo "\$s \$(date +%s%N)" >'$WORK/hook.time'
			exit \$rc
			EOF
			chmod +x "$WORK/server.git/hooks/pre-receive"
		fi
		rc=0
		t0=$(date +%s%N)
		git --git-dir="$WORK/client.git" push -q "$WORK/server.git" HEAD:refs/heads/main >"$WORK/push.out" 2>&1 || rc=$?
		t1=$(date +%s%N)
		if [ "$rc" -ne 0 ]; then
			verdict="refused: $(grep -m1 -o 'too large[^.]*\|push refused[^(]*\|✗ [a-z]*  [a-z-]*' "$WORK/push.out" | head -n1)"
		fi
		if [ -z "$best" ] || [ $((t1 - t0)) -lt "$best" ]; then
			best=$((t1 - t0))
			[ "$2" = yes ] && hookt=$(awk '{ printf "%.2f", ($2 - $1) / 1e9 }' "$WORK/hook.time")
		fi
	done
	echo "$best" >"$WORK/push-$2.ns"
	printf '  %-44s %7.2f s  %s%s\n' "$1" "$(awk -v b="$best" 'BEGIN { print b / 1e9 }')" \
		"${hookt:+hook $hookt s, }" "$verdict"
}
echo "initial push of ${head#refs/heads/} ($pcommits commits) into a fresh server, file://, best of $RUNS"
push_row 'without hook' no
push_row "pushguard pre-receive (default policy, ${BUDGET:-4s} budget)" yes
awk -v p="$(cat "$WORK/push-no.ns")" -v g="$(cat "$WORK/push-yes.ns")" \
	'BEGIN { printf "  the hook adds %.2f s, %.0f%% of the plain push\n", (g - p) / 1e9, 100 * (g - p) / p }'
