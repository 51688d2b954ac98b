#!/usr/bin/env bash
# install.sh --all over a fleet of repositories, against the plainest peer.
#
#   bench/install-all.sh [N]        (default N = 1000)
#
# Makes N throwaway bare repositories under one root, then times, in the same run:
#   - a shell loop copying a hook file into each repository's hooks/ (the peer:
#     the least any installer must do);
#   - `install.sh --all ROOT` (discovery, wrappers, summary), first run;
#   - the same again (idempotent: every repository already up to date);
#   - `pushguard check --all ROOT` (every repository's effective policy, linted).
set -euo pipefail

N=${1:-1000}
TOP=$(cd "$(dirname "$0")/.." && pwd)
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
export HOME="$WORK/home" GIT_CONFIG_NOSYSTEM=1 PUSHGUARD_SKIP_DEPS=1
mkdir -p "$HOME" "$WORK/fleet" "$WORK/peer"

secs() { # CMD... -> wall-clock seconds, output discarded
	local t0 t1
	t0=$(date +%s%N)
	"$@" >/dev/null 2>&1
	t1=$(date +%s%N)
	awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", (b - a) / 1e9 }'
}

echo "making $N bare repositories..."
git init -q --bare "$WORK/template.git"
for i in $(seq 1 "$N"); do
	d="$WORK/fleet/team$((i % 20))/repo$i.git"
	mkdir -p "$(dirname "$d")"
	cp -r "$WORK/template.git" "$d"
	cp -r "$WORK/template.git" "$WORK/peer/repo$i.git"
done
# build and install once, so that the timings below are about the fleet
"$TOP/install.sh" --prefix "$WORK/prefix" "$WORK/template.git" >/dev/null

printf '#!/bin/sh\nexec true\n' > "$WORK/hook"
chmod +x "$WORK/hook"
peer() { for r in "$WORK"/peer/*.git; do cp "$WORK/hook" "$r/hooks/pre-receive"; done; }

p=$(secs peer)
first=$(secs "$TOP/install.sh" --prefix "$WORK/prefix" --all "$WORK/fleet")
again=$(secs "$TOP/install.sh" --prefix "$WORK/prefix" --all "$WORK/fleet")
check=$(secs "$WORK/prefix/bin/pushguard" check --all "$WORK/fleet")
installed=$(find "$WORK/fleet" -path '*/hooks/pre-receive' -newer "$WORK/hook" | wc -l)
[ "$installed" -eq "$N" ] || { echo "bench: only $installed of $N repositories hooked" >&2; exit 1; }

awk -v n="$N" -v p="$p" -v f="$first" -v a="$again" -v c="$check" 'BEGIN {
	printf "%d bare repositories (same run)\n", n
	printf "  peer: cp a hook into each           %7.2f s\n", p
	printf "  install.sh --all, first run         %7.2f s   %5.1fx the peer, %.1f ms a repository\n", f, f / p, f * 1000 / n
	printf "  install.sh --all, again (no change) %7.2f s\n", a
	printf "  pushguard check --all               %7.2f s   %.1f ms a repository\n", c, c * 1000 / n
}'
