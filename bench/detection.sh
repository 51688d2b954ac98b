#!/usr/bin/env bash
# Detection quality of the default policy, measured through real pushes in one run:
#
#   bench/detection.sh [--leaky LEAKY_REPO] [NAME=REPO ...]
#
# 1. The project's labelled corpus (tests/corpus/): every file, written with fresh random
#    values, pushed alone in its own commit. Prints recall (refuse/ files refused) and
#    precision on look-alikes (accept/ files accepted), and each file decided wrong.
# 2. --leaky: the Leaky Repo benchmark (github.com/Plazmaz/leaky-repo; its .leaky-meta/
#    secrets.csv lists the risky files): each risky file pushed alone, as it is at HEAD.
# 3. NAME=REPO: a real history (its branches and tags) pushed whole into a fresh server,
#    with the time budget off, so only precision counts: accepted or refused (and by what),
#    then `pushguard scan` of the same history: its findings by confidence and rule.
#
# Needs only a build (make is run first). Exit status 0; the numbers are the result.
set -euo pipefail

TOP=$(cd "$(dirname "$0")/.." && pwd)
LEAKY=
HISTORIES=()
while [ $# -gt 0 ]; do
	case $1 in
	--leaky) LEAKY=$(cd "${2:?--leaky needs a repository}" && pwd); shift 2 ;;
	-h | --help) sed -n '2,15p' "$0"; exit 0 ;;
	*=*) HISTORIES+=("$1"); shift ;;
	*) echo "bench/detection.sh: unknown argument '$1' (see --help)" >&2; exit 2 ;;
	esac
done

make -C "$TOP" -s all build/bench/corpus-gen >/dev/null
PG="$TOP/build/bin/pushguard"
HOOK="$TOP/build/bin/pushguard-pre-receive"

WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
export HOME="$WORK/home" GIT_CONFIG_NOSYSTEM=1 GIT_TERMINAL_PROMPT=0
mkdir -p "$HOME"
export PUSHGUARD_POLICY_DIR="$TOP/policies" PUSHGUARD_RULES_DIR="$TOP/policies/rules"
# the default policy as shipped, without a time budget: only precision counts here
printf '[pushguard]\n\ttimeBudget = 0\n' >"$WORK/system.conf"
export PUSHGUARD_SYSTEM_CONFIG="$WORK/system.conf"
git config --global user.email bench@example.com
git config --global user.name bench
git config --global init.defaultBranch main

# server NAME: a fresh bare repository guarded by the pre-receive hook
server() {
	git init -q --bare "$WORK/$1.git"
	ln -s "$HOOK" "$WORK/$1.git/hooks/pre-receive"
	printf '%s\n' "$WORK/$1.git"
}

# one_file_pushes NAME LIST: LIST has "LABEL PATH SOURCE" lines (SOURCE: a file to copy);
# each file is committed alone on its own branch from a common base and pushed.
# Prints "LABEL refused|accepted PATH" lines.
one_file_pushes() {
	local srv clone label path src i=0
	srv=$(server "$1")
	clone="$WORK/$1-clone"
	git init -q "$clone"
	git -C "$clone" commit -q --allow-empty -m base
	git -C "$clone" push -q "$srv" HEAD:refs/heads/main 2>/dev/null
	while read -r label path src; do
		i=$((i + 1))
		git -C "$clone" checkout -q -B "case$i" main
		mkdir -p "$clone/$(dirname "$path")"
		cp "$src" "$clone/$path"
		git -C "$clone" add -f -- "$path"
		git -C "$clone" commit -q -m "add $path"
		if git -C "$clone" push "$srv" "HEAD:refs/heads/case$i" >"$WORK/out" 2>&1; then
			echo "$label accepted $path"
		else
			echo "$label refused $path"
		fi
	done <"$2"
}

pct() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f%%", b ? 100 * a / b : 0 }'; }

echo "== 1. labelled corpus (tests/corpus, fresh random values, one push per file)"
"$TOP/build/bench/corpus-gen" "$TOP/tests/corpus" "$WORK/corpus" >"$WORK/corpus.list"
while read -r kind name path; do
	echo "$kind/$name $path $WORK/corpus/$kind/$name/$path"
done <"$WORK/corpus.list" >"$WORK/corpus.cases"
one_file_pushes corpus "$WORK/corpus.cases" >"$WORK/corpus.result"
tp=$(grep -c '^refuse/[^ ]* refused' "$WORK/corpus.result" || true)
np=$(grep -c '^refuse/' "$WORK/corpus.result" || true)
tn=$(grep -c '^accept/[^ ]* accepted' "$WORK/corpus.result" || true)
nn=$(grep -c '^accept/' "$WORK/corpus.result" || true)
printf '  credentials refused (recall):      %3d / %-3d %s\n' "$tp" "$np" "$(pct "$tp" "$np")"
printf '  look-alikes accepted (precision):  %3d / %-3d %s\n' "$tn" "$nn" "$(pct "$tn" "$nn")"
grep -E '^refuse/[^ ]* accepted|^accept/[^ ]* refused' "$WORK/corpus.result" | sed 's/^/  wrong: /' || true

if [ -n "$LEAKY" ]; then
	echo "== 2. Leaky Repo: each risky file of .leaky-meta/secrets.csv pushed alone"
	git -C "$LEAKY" show HEAD:.leaky-meta/secrets.csv >"$WORK/leaky.csv"
	: >"$WORK/leaky.cases"
	awk -F, '!/^#/ && NF >= 3 && $2 + 0 > 0 { print $1 }' "$WORK/leaky.csv" | while read -r f; do
		f=${f#/}
		mkdir -p "$WORK/leaky-src/$(dirname "$f")"
		if git -C "$LEAKY" show "HEAD:$f" >"$WORK/leaky-src/$f" 2>/dev/null; then
			echo "risky $f $WORK/leaky-src/$f" >>"$WORK/leaky.cases"
		else
			echo "  (listed, not in the repository at HEAD: $f)"
		fi
	done
	one_file_pushes leaky "$WORK/leaky.cases" >"$WORK/leaky.result"
	r=$(grep -c ' refused ' "$WORK/leaky.result" || true)
	t=$(wc -l <"$WORK/leaky.result")
	printf '  risky files refused:  %d / %d %s\n' "$r" "$t" "$(pct "$r" "$t")"
	grep ' accepted ' "$WORK/leaky.result" | sed 's/^risky accepted /  accepted: /' || true
fi

[ ${#HISTORIES[@]} -eq 0 ] || echo "== 3. real histories pushed whole (branches and tags, no time budget)"
for h in ${HISTORIES[@]+"${HISTORIES[@]}"}; do
	name=${h%%=*}
	repo=$(cd "${h#*=}" && pwd)
	srv=$(server "hist-$name")
	commits=$(git --git-dir="$repo" rev-list --branches --tags | wc -l)
	t0=$(date +%s%N)
	if git --git-dir="$repo" push -q "$srv" 'refs/heads/*:refs/heads/*' 'refs/tags/*:refs/tags/*' \
		>"$WORK/push.out" 2>&1; then
		verdict=accepted
	else
		verdict=refused
	fi
	ms=$((($(date +%s%N) - t0) / 1000000))
	printf '  %-10s %6d commits  %-8s (%d ms)\n' "$name" "$commits" "$verdict" "$ms"
	if [ "$verdict" = refused ]; then
		grep -E '^remote: ✗ ' "$WORK/push.out" | sed 's/^remote: ✗ //' | sort | uniq -c | sort -rn |
			sed 's/^/      refused by: /' | head -n 10
		grep -E '^remote: pushguard: push refused' "$WORK/push.out" | head -n 1 | sed 's/^/      /'
	fi
	"$PG" scan --format json "$repo" >"$WORK/scan.json" 2>/dev/null || true
	python3 - "$WORK/scan.json" <<'PY'
import collections, json, sys
f = json.load(open(sys.argv[1]))
by = collections.Counter((x["confidence"], x["rule"]) for x in f if not x["allowed"])
conf = collections.Counter(x["confidence"] for x in f if not x["allowed"])
print("      scan findings: " + ", ".join(f"{conf[c]} {c}" for c in ("high", "medium", "low")) +
      f", {sum(1 for x in f if x['allowed'])} allowed")
for (c, r), n in sorted(by.items(), key=lambda kv: (-kv[1], kv[0])):
    print(f"        {n:5d}  {c:6s}  {r}")
PY
done
