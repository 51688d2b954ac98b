#!/usr/bin/env bash
# What verifying signatures adds to a push, against git verify-commit.
#
# Makes N SSH-signed and N OpenPGP-signed commits (real ssh-keygen and gpg through
# git commit -S), then, in the same run and interleaved so machine noise hits all alike:
#   - pushes them into a bare repository with pushguard requiring signatures, and into one
#     with pushguard installed but signatures not required: the difference is what the
#     signature check adds (keys loaded once, every signature verified in-process);
#   - runs `git verify-commit` over the same commits (one gpg / ssh-keygen per commit),
#     which is what a hook built on git's own verification would pay.
# Prints the medians and the ratio.
#
#   bench/signatures.sh [N] [ROUNDS]      (defaults 300 and 5; needs `make` first)
set -euo pipefail

N=${1:-300}
ROUNDS=${2:-5}
TOP=$(cd "$(dirname "$0")/.." && pwd)
BIN=${PUSHGUARD_BIN:-$TOP/build/bin}   # PUSHGUARD_BIN: another build
[ -x "$BIN/pushguard-pre-receive" ] || { echo "bench: run make first" >&2; exit 1; }
command -v gpg >/dev/null && command -v ssh-keygen >/dev/null ||
	{ echo "bench: needs gpg and ssh-keygen" >&2; exit 1; }

WORK=$(mktemp -d)
export HOME="$WORK" GIT_CONFIG_NOSYSTEM=1 GNUPGHOME="$WORK/gnupg"
trap 'gpgconf --kill all 2>/dev/null; rm -rf "$WORK"' EXIT
export PUSHGUARD_POLICY_DIR="$TOP/policies" PUSHGUARD_SYSTEM_CONFIG="$WORK/none"
export PUSHGUARD_RULES_DIR="$TOP/policies/rules"
mkdir -m 700 "$GNUPGHOME"
git config --global user.name "Bench Signer"
git config --global user.email bench@example.com
git config --global init.defaultBranch main

gpg --batch --quiet --passphrase '' --quick-gen-key 'Bench Signer <bench@example.com>' ed25519 sign never 2>/dev/null
FPR=$(gpg --with-colons --list-keys bench@example.com | awk -F: '$1=="fpr"{print $10; exit}')
printf '%s:6:\n' "$FPR" | gpg --batch --quiet --import-ownertrust 2>/dev/null
gpg --armor --export "$FPR" >"$WORK/trusted.asc" 2>/dev/null
ssh-keygen -q -t ed25519 -N '' -C bench -f "$WORK/ssh_key"
echo "bench@example.com namespaces=\"git\" $(cat "$WORK/ssh_key.pub")" >"$WORK/allowed_signers"

# the commits: N signed with SSH, then N with OpenPGP, on top of one unsigned base
git init -q "$WORK/src"
cd "$WORK/src"
echo base >base.txt && git add base.txt && git commit -qm base
BASE=$(git rev-parse HEAD)
t0=$(date +%s%N)
for i in $(seq 1 "$N"); do
	echo "$i" >>ssh.txt && git add ssh.txt
	git -c gpg.format=ssh -c user.signingKey="$WORK/ssh_key.pub" commit -qS -m "ssh $i"
done
for i in $(seq 1 "$N"); do
	echo "$i" >>pgp.txt && git add pgp.txt
	git -c user.signingKey="$FPR" commit -qS -m "openpgp $i"
done
t1=$(date +%s%N)
echo "made $((2 * N)) signed commits in $(( (t1 - t0) / 1000000 )) ms"
git -c gpg.ssh.allowedSignersFile="$WORK/allowed_signers" log --format=%G? "$BASE..HEAD" 2>/dev/null | sort | uniq -c |
	awk '{printf "  git says %s for %s\n", $2, $1}'

hooked_repo() { # DIR REQUIRED
	rm -rf "$1"
	git init -q --bare "$1"
	printf '#!/bin/sh\nexec %q "$@"\n' "$BIN/pushguard-pre-receive" >"$1/hooks/pre-receive"
	chmod +x "$1/hooks/pre-receive"
	git -C "$WORK/src" push -q "$1" "$BASE:refs/heads/main" # the unsigned base, before the rule
	git -C "$1" config pushguard.signatures.required "$2"
	git -C "$1" config pushguard.signatures.keyring "$WORK/trusted.asc"
	git -C "$1" config pushguard.signatures.allowedSignersFile "$WORK/allowed_signers"
}

push_ns() { # DIR -> nanoseconds for pushing the signed commits
	local a b
	a=$(date +%s%N)
	git -C "$WORK/src" push -q "$1" HEAD:refs/heads/main
	b=$(date +%s%N)
	echo $((b - a))
}

verify_ns() {
	local a b
	a=$(date +%s%N)
	git -c gpg.ssh.allowedSignersFile="$WORK/allowed_signers" verify-commit $(git rev-list "$BASE..HEAD") 2>/dev/null
	b=$(date +%s%N)
	echo $((b - a))
}

median() { sort -n | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : int((a[NR/2]+a[NR/2+1])/2)}'; }

: >"$WORK/sig.t"; : >"$WORK/nosig.t"; : >"$WORK/verify.t"; : >"$WORK/cli.t"
for r in $(seq 1 "$ROUNDS"); do
	hooked_repo "$WORK/sig.git" true
	hooked_repo "$WORK/nosig.git" false
	push_ns "$WORK/sig.git" >>"$WORK/sig.t"
	push_ns "$WORK/nosig.git" >>"$WORK/nosig.t"
	verify_ns >>"$WORK/verify.t"
	a=$(date +%s%N)
	"$BIN/pushguard" verify "$WORK/sig.git" "$BASE..main" >"$WORK/verify.out"
	b=$(date +%s%N)
	echo $((b - a)) >>"$WORK/cli.t"
	# the push must really have been checked: every commit good
	[ "$(grep -c '^G ' "$WORK/verify.out")" -eq $((2 * N)) ] || { echo "bench: not all good:" >&2; head "$WORK/verify.out" >&2; exit 1; }
done

sig=$(median <"$WORK/sig.t")
nosig=$(median <"$WORK/nosig.t")
ver=$(median <"$WORK/verify.t")
cli=$(median <"$WORK/cli.t")
added=$((sig - nosig))
[ "$added" -gt 0 ] || added=1
ms() { awk -v n="$1" 'BEGIN{printf "%8.2f ms", n/1e6}'; }
echo
echo "$((2 * N)) signed commits ($N SSH ed25519 + $N OpenPGP ed25519), median of $ROUNDS (same run)"
echo "  push, pushguard without signatures  $(ms "$nosig")"
echo "  push, pushguard requiring them      $(ms "$sig")"
echo "  added by the signature check        $(ms "$added")   ($(awk -v a="$added" -v n="$((2 * N))" 'BEGIN{printf "%.1f", a/n/1000}') µs per commit)"
echo "  pushguard verify (CLI, whole run)   $(ms "$cli")"
echo "  git verify-commit, same commits     $(ms "$ver")   ($(awk -v a="$ver" -v n="$((2 * N))" 'BEGIN{printf "%.2f", a/n/1e6}') ms per commit)"
awk -v v="$ver" -v a="$added" 'BEGIN{printf "  ratio: git verify-commit / pushguard added = %.0fx (target >= 20x)\n", v/a}'
