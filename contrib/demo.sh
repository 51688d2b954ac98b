#!/bin/bash
# contrib/demo.sh - what pushguard does, in two minutes (install.sh --demo runs it).
# Builds and installs pushguard (install.sh) into a throwaway prefix, or --prefix DIR, and
# guards a scratch bare repository with it; then shows a generated secret refused (masked,
# with where it is and how to fix it), a denied file refused, the fixed push accepted, and
# the audit log they left. Removes everything it made. Options (passed on to install.sh):
#   --prefix DIR  --policy NAME  --hook pre-receive|update  --fsck-objects
set -eu

PROG=${0##*/}
SRC=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")/.." && pwd -P)
HOOK=pre-receive
PREFIX=
ARGS=()
while [ $# -gt 0 ]; do
    case $1 in
        --prefix) PREFIX=${2:?--prefix needs a directory}; shift 2 ;;
        --prefix=*) PREFIX=${1#*=}; shift ;;
        --hook) HOOK=${2:?--hook needs a hook}; ARGS+=("$1" "$2"); shift 2 ;;
        --hook=*) HOOK=${1#*=}; ARGS+=("$1"); shift ;;
        --policy) ARGS+=("$1" "${2:?--policy needs a name}"); shift 2 ;;
        --policy=*|--fsck-objects) ARGS+=("$1"); shift ;;
        *) printf '%s: error: unknown argument: %s\nusage: %s [--prefix DIR] [--policy NAME] [--hook HOOK]\n' \
               "$PROG" "$1" "$PROG" >&2; exit 2 ;;
    esac
done

say() { printf '%s\n' "$*"; }
die() { printf '%s: error: %s\n' "$PROG" "$*" >&2; exit 1; }

command -v git >/dev/null 2>&1 || die "git is not installed (install.sh --deps installs it)"
DEMO_DIR=$(mktemp -d "${TMPDIR:-/tmp}/pushguard-demo.XXXXXX")
trap 'rm -rf -- "$DEMO_DIR"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
tmp=$DEMO_DIR
PREFIX=${PREFIX:-$tmp/prefix}
bare="$tmp/demo.git"
work="$tmp/work"
# A fixed identity and no signing, whatever the user's git config says.
g() {
    git -C "$work" -c user.name="Pushguard Demo" -c user.email=demo@example.com \
        -c commit.gpgsign=false "$@"
}

say "##"
say "## 1. build pushguard, install it into $PREFIX, and install its $HOOK hook into a"
say "##    new bare repository (install.sh creates it), logging every decision"
say "##"
"$SRC/install.sh" --prefix "$PREFIX" ${ARGS[@]+"${ARGS[@]}"} "$bare"
git config -f "$bare/config" pushguard.auditLog "$tmp/audit.log"
say "  hooks/$HOOK now contains:"
sed 's/^/    | /' -- "$bare/hooks/$HOOK"
say "  and $bare/config: pushguard.auditLog = $tmp/audit.log"

# (git warns about cloning an empty repository; only show output on failure)
out=$(git clone -q -- "$bare" "$work" 2>&1) || { printf '%s\n' "$out" >&2; die "git clone failed"; }
printf '%s\n' '# demo' 'A perfectly ordinary file.' >"$work/README.md"
g add README.md
g commit -q -m "Add README"

say ""
say "##"
say "## 2. push a deploy script with a GitHub token in it (made up just now from random"
say "##    characters): refused, with the token masked, where it is, and how to fix it"
say "##"
token="ghp_$(LC_ALL=C tr -dc 'A-Za-z0-9' </dev/urandom | head -c 36)"
mkdir -p -- "$work/scripts"
printf '#!/bin/sh\n# deploy the site\nexport GITHUB_TOKEN=%s\n./publish --all\n' "$token" >"$work/scripts/deploy.sh"
g add scripts/deploy.sh
g commit -q -m "Add deploy script"
say "\$ git push origin HEAD:main"
rc=0
out=$(g push origin HEAD:refs/heads/main 2>&1) || rc=$?
printf '%s\n' "$out"
[ "$rc" -ne 0 ] || die "the push was accepted, but pushguard should have refused the token"
case $out in *"$token"*) die "the raw token reached the pusher's terminal" ;; esac
case $out in *"scripts/deploy.sh:3"*"${token:0:4}…"*) ;; *) die "the refusal does not show the masked token at scripts/deploy.sh:3" ;; esac
say "(push refused, exit status $rc: as expected; the token itself is never shown)"

say ""
say "##"
say "## 3. fix it as the message says (read the token at run time), but also add a"
say "##    private key file: refused again, for the file"
say "##"
printf '#!/bin/sh\n# deploy the site\nexport GITHUB_TOKEN="$(cat /run/secrets/github-token)"\n./publish --all\n' >"$work/scripts/deploy.sh"
mkdir -p -- "$work/keys"
printf '%s\n' 'not a real key: pushguard demo' >"$work/keys/id_rsa"
g add scripts/deploy.sh keys/id_rsa
g commit -q --amend -m "Add deploy script"
say "\$ git commit --amend && git push origin HEAD:main"
rc=0
out=$(g push origin HEAD:refs/heads/main 2>&1) || rc=$?
printf '%s\n' "$out"
[ "$rc" -ne 0 ] || die "the push was accepted, but pushguard should have refused keys/id_rsa"
case $out in *keys/id_rsa*) ;; *) die "the refusal does not name keys/id_rsa" ;; esac
say "(push refused, exit status $rc: as expected)"

say ""
say "##"
say "## 4. drop the key from the commit, push again: accepted"
say "##"
say "\$ git rm --cached keys/id_rsa && git commit --amend && git push origin HEAD:main"
g rm -q --cached keys/id_rsa
rm -f -- "$work/keys/id_rsa"
g commit -q --amend -m "Add deploy script"
rc=0
g push origin HEAD:refs/heads/main 2>&1 || rc=$?
[ "$rc" -eq 0 ] || die "the fixed push was refused (exit $rc), but it should have been accepted"
say "(push accepted: as expected)"

say ""
say "##"
say "## 5. what the audit log kept: one JSON line per decision, and one for what landed"
say "##    ($tmp/audit.log; fingerprints, never the secret)"
say "##"
[ -s "$tmp/audit.log" ] || die "nothing was written to the audit log"
while IFS= read -r line; do
    case $line in *"$token"*) die "the raw token reached the audit log" ;; esac
    say "  $line"
    say ""
done <"$tmp/audit.log"
[ "$(grep -o '"event":"[a-z.]*"' "$tmp/audit.log" | tr '\n' ' ')" = \
  '"event":"push.rejected" "event":"push.rejected" "event":"push.accepted" "event":"push.landed" ' ] ||
    die "expected 4 audit lines (refused, refused, accepted, landed)"
say "\$ pushguard report $tmp/audit.log"
"$PREFIX/bin/pushguard" report "$tmp/audit.log" 2>&1 | sed 's/^/  /' || true

say ""
say "## demo done; removing $tmp"
