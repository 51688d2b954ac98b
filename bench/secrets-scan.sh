#!/usr/bin/env bash
# Secret scanning over a real history, against the peers, in the same run.
#
#   bench/secrets-scan.sh REPO
#
# REPO: any git repository (e.g. `git clone --mirror https://github.com/jqlang/jq`).
# Prints wall-clock seconds (best of 3) and ratios, all on the same mirror clone:
#   1. `pushguard scan` of the whole history (all refs) with the 209 built-in
#      rules, against `git log -p -U0 --all` (producing the diff, the floor
#      gitleaks starts from). Target: ratio <= 1.
#   2. the same scan against `git secrets --scan-history` with its AWS patterns
#      (`git log --all -G` over every diff, then `git grep` of the revisions that
#      matched). Target: >= 5x faster.
# Needs `make` first, and git-secrets (Debian package git-secrets) for part 2.
set -euo pipefail

REPO=${1:?usage: bench/secrets-scan.sh REPO}
TOP=$(cd "$(dirname "$0")/.." && pwd)
PG="$TOP/build/bin/pushguard"
[ -x "$PG" ] || { echo "bench: run make first" >&2; exit 1; }
REPO=$(cd "$REPO" && pwd)

WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
export HOME="$WORK/home" GIT_CONFIG_NOSYSTEM=1
mkdir -p "$HOME"
export PUSHGUARD_POLICY_DIR="$TOP/policies" PUSHGUARD_RULES_DIR="$TOP/policies/rules"
export PUSHGUARD_SYSTEM_CONFIG="$WORK/none"
git config --global user.email bench@example.com
git config --global user.name bench

secs() { # CMD... -> best of 3 wall-clock seconds, output discarded
	local t0 t1 best=
	for _ in 1 2 3; do
		t0=$(date +%s%N)
		"$@" >/dev/null 2>&1 || true
		t1=$(date +%s%N)
		if [ -z "$best" ] || [ $((t1 - t0)) -lt "$best" ]; then best=$((t1 - t0)); fi
	done
	awk -v b="$best" 'BEGIN { printf "%.3f", b / 1e9 }'
}

# pushguard reads the repository's policy; give the bench its own config copy
git clone -q --mirror "$REPO" "$WORK/full.git"
commits=$(git --git-dir="$WORK/full.git" rev-list --all | wc -l)
"$PG" scan "$WORK/full.git" >/dev/null 2>&1 || true   # warm the rules cache and page cache
git --git-dir="$WORK/full.git" log -p -U0 --all >/dev/null

logp=$(secs git --git-dir="$WORK/full.git" log -p -U0 --all)
pgs=$(secs "$PG" scan "$WORK/full.git")
"$PG" scan "$WORK/full.git" 2>&1 >/dev/null | tail -n1

echo "full history of $(basename "$REPO"): $commits commits"
awk -v l="$logp" -v p="$pgs" 'BEGIN {
	printf "  git log -p -U0 --all     %8.2f s\n", l
	printf "  pushguard scan           %8.2f s\n", p
	printf "  ratio pushguard/log -p   %8.2f   (target <= 1)\n", p / l
}'

if command -v git-secrets >/dev/null; then
	git --git-dir="$WORK/full.git" secrets --register-aws >/dev/null
	gs=$(secs git --git-dir="$WORK/full.git" secrets --scan-history)
	awk -v g="$gs" -v p="$pgs" 'BEGIN {
		printf "  git secrets --scan-history (AWS patterns only) %8.2f s\n", g
		printf "  pushguard scan (209 rules)                     %8.2f s\n", p
		printf "  pushguard is %.1fx faster than git-secrets       (target >= 5x)\n", g / p
	}'
else
	echo "git-secrets not installed (apt-get install git-secrets): part 2 skipped"
fi
