#!/usr/bin/env bash
# Secret scanning over a real history, against the peers, in the same run.
#
#   bench/secrets-scan.sh REPO [N]
#
# REPO: any git repository (e.g. `git clone --mirror https://github.com/jqlang/jq`).
# Prints wall-clock seconds and ratios for:
#   1. `pushguard scan` of the whole history (all refs) with the built-in rules,
#      against `git log -p -U0 --all` (producing the diff, the floor gitleaks
#      starts from). Target: ratio <= 1.
#   2. `pushguard scan` against `git secrets --scan-history` with its AWS
#      patterns, both on the same clone of the last N commits of the default
#      branch (default N = 300; git-secrets greps every revision's whole tree,
#      so the full history would take very long). Target: >= 5x faster.
# Needs `make` first, and git-secrets (Debian package git-secrets) for part 2.
set -euo pipefail

REPO=${1:?usage: bench/secrets-scan.sh REPO [N]}
N=${2:-300}
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

secs() { # CMD... -> seconds (wall clock), output discarded
	local t0 t1
	t0=$(date +%s%N)
	"$@" >/dev/null 2>&1 || true
	t1=$(date +%s%N)
	awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", (b - a) / 1e9 }'
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
	git clone -q --depth "$N" "file://$WORK/full.git" "$WORK/recent"
	git -C "$WORK/recent" secrets --register-aws >/dev/null
	# the same N commits for pushguard, as a bare repository of its own
	git clone -q --bare "$WORK/recent" "$WORK/recent.git"
	"$PG" scan "$WORK/recent.git" >/dev/null 2>&1 || true
	gs=$(cd "$WORK/recent" && secs git secrets --scan-history)
	pgr=$(secs "$PG" scan "$WORK/recent.git")
	echo "last $N commits:"
	awk -v g="$gs" -v p="$pgr" 'BEGIN {
		printf "  git secrets --scan-history (AWS)  %8.2f s\n", g
		printf "  pushguard scan (all rules)        %8.2f s\n", p
		printf "  pushguard is %.1fx faster          (target >= 5x)\n", g / p
	}'
else
	echo "git-secrets not installed (apt-get install git-secrets): part 2 skipped"
fi
