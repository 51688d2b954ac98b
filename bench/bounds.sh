#!/usr/bin/env bash
# Resource bounds of the pre-receive hook on hostile-size pushes (not part of make check).
#
# Each case pushes the same content into two bare repositories in the same run: one
# without a hook (the peer: what git itself costs) and one with pushguard's pre-receive
# hook (default policy, pushguard.timeBudget = 0 so that the whole check is measured,
# secrets.maxBlobSize = 128m so that the 64 MB text file is really scanned). The hook runs
# under /usr/bin/time: its peak RSS (%M, which counts the file pages of objects git and
# libgit2 map from disk) and elapsed time; and its peak anonymous memory (heap and stacks,
# sampled every 10 ms), the part that streaming keeps bounded. Every push is capped at CAP
# seconds (default 120); a capped case prints "capped".
#
# Two cases keep the installed defaults instead (the default time budget and maxBlobSize):
# maxblob pushes text files of 8 to 96 MB (rules database already compiled: the time a
# file just under the default pushguard.secrets.maxBlobSize of 64 MiB costs; the 96 MB one
# is over it, refused as too-large-to-scan from its first 8000 bytes); subject4m is the output attack
# (a 4 MB commit subject, 400 denied files) and also prints the bytes sent to the pusher.
#
#   bench/bounds.sh [CASE...]     cases: text64m bin1g files100k commits50k refs10k maxblob subject4m
#                                 (default all)
#   CAP=60 bench/bounds.sh        (needs `make` first; PUSHGUARD_BIN=DIR: another build)
set -euo pipefail

TOP=$(cd "$(dirname "$0")/.." && pwd)
BIN="${PUSHGUARD_BIN:-$TOP/build/bin}"  # PUSHGUARD_BIN: another build
CAP=${CAP:-120}
[ -x "$BIN/pushguard-pre-receive" ] || { echo "bench: run make first" >&2; exit 1; }
[ -x /usr/bin/time ] || { echo "bench: needs /usr/bin/time (apt-get install time)" >&2; exit 1; }

WORK=$(mktemp -d "${TMPDIR:-/tmp}/pg-bounds.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
export HOME="$WORK" GIT_CONFIG_NOSYSTEM=1
export PUSHGUARD_POLICY_DIR="$TOP/policies" PUSHGUARD_SYSTEM_CONFIG="$WORK/none"
export PUSHGUARD_RULES_DIR="$TOP/policies/rules"
git config --global user.name bench
git config --global user.email bench@example.com
git config --global init.defaultBranch main

now_ns() { date +%s%N; }

# new_bare NAME hook(yes|no|default): a bare repository; with the hook, under /usr/bin/time;
# yes: timeBudget 0 and maxBlobSize 128m, default: the default policy as it is
new_bare() {
	local r="$WORK/$1.git"
	git init -q --bare "$r"
	if [ "$2" != no ]; then
		# the hook under /usr/bin/time (peak RSS, elapsed); its anonymous memory (heap, stacks:
		# what streaming bounds, unlike the file pages of mapped objects) sampled every 10 ms
		cat >"$r/hooks/pre-receive" <<-EOF
		#!/bin/bash
		exec 3<&0
		/usr/bin/time -f "%M %e" -o '$WORK/$1.time' '$BIN/pushguard-pre-receive' --chain "\${0%/*}/pre-receive.d" "\$@" <&3 3<&- &
		t=\$! peak=0 hook=
		while kill -0 \$t 2>/dev/null; do
			[ -n "\$hook" ] || hook=\$(pgrep -P \$t) || hook=
			[ -z "\$hook" ] || while read -r key val _; do
				[ "\$key" = RssAnon: ] && [ "\$val" -gt "\$peak" ] && peak=\$val
			done </proc/\$hook/status 2>/dev/null
			sleep 0.01
		done
		wait \$t; rc=\$?
		echo "\$peak" >'$WORK/$1.anon'
		exit \$rc
		EOF
		chmod +x "$r/hooks/pre-receive"
	fi
	if [ "$2" = yes ]; then
		git config -f "$r/config" pushguard.timeBudget 0
		git config -f "$r/config" pushguard.secrets.maxBlobSize 128m
	fi
	echo "$r"
}

# push_timed DIR URL REFSPEC -> "seconds rc" (capped at CAP)
push_timed() {
	local t0 t1 rc=0
	t0=$(now_ns)
	timeout "$CAP" git -C "$1" push -q "$2" "$3" >"$WORK/push.out" 2>&1 || rc=$?
	t1=$(now_ns)
	awk -v a="$t0" -v b="$t1" -v rc="$rc" 'BEGIN { printf "%.2f %d\n", (b - a) / 1e9, rc }'
}

ROWS=()
# run_case NAME DESCRIPTION: client repo $WORK/NAME (branch main) pushed into NAME-plain and NAME-guard;
# PRE_HOOK (optional) prepares both bare repositories first
run_case() {
	local name=$1 what=$2 plain guard p g rss htime verdict
	plain=$(new_bare "$name-plain" no)
	guard=$(new_bare "$name-guard" "${GUARD:-yes}")
	if [ -n "${PRE_HOOK:-}" ]; then "$PRE_HOOK" "$plain"; "$PRE_HOOK" "$guard"; fi
	read -r p prc < <(push_timed "$WORK/$name" "$plain" "main:refs/heads/main")
	read -r g grc < <(push_timed "$WORK/$name" "$guard" "main:refs/heads/main")
	if [ "$grc" -eq 124 ]; then
		verdict="capped at ${CAP}s"
	elif [ "$grc" -eq 0 ]; then
		verdict=accepted
	elif grep -q "hook declined" "$WORK/push.out"; then
		verdict="refused: $(grep -m1 -o 'push refused: [^(]*' "$WORK/push.out" | head -c 60 || true)"
		[ "$verdict" != "refused: " ] || verdict="refused ($(grep -m1 -o '✗ [a-z]*  [a-z-]*' "$WORK/push.out" || echo '?'))"
	else
		verdict="push failed (exit $grc)"
	fi
	# what the hook wrote: the push's "remote: " lines without git's prefix and padding
	verdict="$verdict; $(sed -n 's/^remote: //p' "$WORK/push.out" | sed 's/ \{8\}$//' | wc -c) bytes to the pusher"
	rss=- htime=- anon=-
	if [ -s "$WORK/$name-guard.time" ]; then
		read -r rss htime < <(tail -n1 "$WORK/$name-guard.time")
		rss=$(awk -v k="$rss" 'BEGIN { printf "%.1f", k / 1024 }')
	fi
	if [ -s "$WORK/$name-guard.anon" ]; then
		anon=$(awk '{ printf "%.1f", $1 / 1024 }' "$WORK/$name-guard.anon")
	fi
	[ "$prc" -eq 0 ] || p="$p (exit $prc)"
	ROWS+=("$(printf '%-34s %12s %12s %9s %10s %10s  %s' "$what" "$p" "$g" "$htime" "$rss" "$anon" "$verdict")")
	printf '%s\n' "${ROWS[-1]}" >&2
	rm -rf "$WORK/$name" "$plain" "$guard"
}

client() { # NAME: an empty client repository with one base commit
	git init -q "$WORK/$1"
	git -C "$WORK/$1" commit -q --allow-empty -m base
}

case_text64m() {
	client text64m
	head -c $((64 << 20)) /dev/urandom | base64 -w0 >"$WORK/text64m/one-line.txt"
	truncate -s $((64 << 20)) "$WORK/text64m/one-line.txt"
	git -C "$WORK/text64m" add one-line.txt
	git -C "$WORK/text64m" commit -q -m "64 MB on one line"
	run_case text64m "64 MB text file, one line"
}

case_bin1g() {
	client bin1g
	truncate -s 1G "$WORK/bin1g/zero.bin"
	git -C "$WORK/bin1g" add zero.bin
	git -C "$WORK/bin1g" commit -q -m "1 GB of zeros"
	rm -f "$WORK/bin1g/zero.bin"
	run_case bin1g "1 GB binary (zeros)"
}

case_files100k() {
	client files100k
	{
		printf 'commit refs/heads/main\ncommitter bench <bench@example.com> 1700000000 +0000\ndata 11\n100k files\nfrom refs/heads/main^0\n'
		awk 'BEGIN { for (i = 0; i < 100000; i++) printf "M 100644 inline d%d/f%d.txt\ndata %d\nfile %06d\n\n", i % 1000, i, 12, i }'
	} | git -C "$WORK/files100k" fast-import --quiet --force
	run_case files100k "100,000 files in one commit"
}

case_commits50k() {
	client commits50k
	awk 'BEGIN {
		for (i = 1; i <= 50000; i++) {
			msg = sprintf("change %d", i)
			printf "commit refs/heads/main\ncommitter bench <bench@example.com> %d +0000\ndata %d\n%s\n", 1700000000 + i, length(msg), msg
			if (i == 1) printf "from refs/heads/main^0\n"
			body = sprintf("line %d\n", i)
			printf "M 100644 inline f%d.txt\ndata %d\n%s\n", i % 500, length(body), body
		}
	}' | git -C "$WORK/commits50k" fast-import --quiet --force
	run_case commits50k "50,000 commits in one push"
}

refs10k_prepare() { # BARE: 10,000 refs pointing at 10,000 commits already on the server
	git -C "$WORK/refs10k" push -q "$1" refs/heads/seed:refs/heads/seed >/dev/null 2>&1 || true
	git -C "$WORK/refs10k" push -q "$1" 'refs/heads/b*:refs/heads/b*' >/dev/null 2>&1 || true
	local n
	n=$(git --git-dir="$1" for-each-ref | wc -l)
	[ "$n" -gt 10000 ] || echo "bench: refs10k: only $n refs in $1" >&2
}

case_refs10k() {
	client refs10k
	awk 'BEGIN {
		for (i = 1; i <= 10000; i++) {
			printf "commit refs/heads/b%05d\ncommitter bench <bench@example.com> %d +0000\ndata 6\nref %d\nfrom refs/heads/main^0\n", i, 1700000000 + i, i % 10
			printf "M 100644 inline r.txt\ndata %d\n%05d\n\n", 6, i
		}
	}' | git -C "$WORK/refs10k" fast-import --quiet --force
	git -C "$WORK/refs10k" branch -q seed main
	git -C "$WORK/refs10k" commit -q --allow-empty -m "one new commit"
	PRE_HOOK=refs10k_prepare run_case refs10k "1 commit into 10,000 refs"
}

# the rules database compiled once (in $HOME/.cache), as on a server after its first push
warm_cache() {
	[ -d "$WORK/.cache/pushguard" ] && return 0
	local r
	client warm
	head -c 400000 /dev/urandom | base64 >"$WORK/warm/w.txt"
	git -C "$WORK/warm" add w.txt
	git -C "$WORK/warm" commit -q -m warm
	r=$(new_bare warm-guard yes)
	git -C "$WORK/warm" push -q "$r" main >/dev/null 2>&1 || true
	rm -rf "$WORK/warm" "$r"
}

case_maxblob() {
	local mb
	warm_cache
	for mb in 8 32 60 96; do
		client "maxblob$mb"
		head -c $((mb * 3 / 4 << 20)) /dev/urandom | base64 -w 76 >"$WORK/maxblob$mb/data.txt"
		git -C "$WORK/maxblob$mb" add data.txt
		git -C "$WORK/maxblob$mb" commit -q -m "$mb MB of text"
		GUARD=default run_case "maxblob$mb" "$mb MB text file (default policy)"
	done
}

case_subject4m() {
	local i
	client subject4m
	for i in $(seq 400); do echo "key $i" >"$WORK/subject4m/k$i.pem"; done
	git -C "$WORK/subject4m" add .
	head -c 3000000 /dev/urandom | base64 -w0 >"$WORK/subject4m.msg"
	git -C "$WORK/subject4m" commit -q -F "$WORK/subject4m.msg"
	warm_cache
	GUARD=default run_case subject4m "4 MB subject, 400 denied files"
}

CASES=("$@")
[ ${#CASES[@]} -gt 0 ] || CASES=(text64m bin1g files100k commits50k refs10k maxblob subject4m)
for c in "${CASES[@]}"; do
	"case_$c"
done

echo
echo "pushguard bounds (file:// pushes, same run; hook: pushguard-pre-receive under /usr/bin/time)"
printf '%-34s %12s %12s %9s %10s %10s  %s\n' "case" "no hook (s)" "pushguard(s)" "hook (s)" "RSS (MB)" "anon (MB)" "verdict"
printf '%s\n' "${ROWS[@]}"
