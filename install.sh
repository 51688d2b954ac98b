#!/bin/bash
# install.sh - install pushguard's dependencies, build and install it, then wire its hooks into
# bare git repositories with the installed `pushguard install`. Run with --help for usage.
set -eu

PROG=${0##*/}
SRC=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd -P)

# build: libgit2, PCRE2, Hyperscan, librnp, OpenSSL, libcurl, jansson, libdeflate; tests: cmocka,
# git (and git daemon), gpg and ssh-keygen (signed commits), python3 (stand-in servers)
DEPS=(build-essential pkg-config libgit2-dev libpcre2-dev libhyperscan-dev librnp-dev
      libcurl4-openssl-dev libjansson-dev libcmocka-dev libssl-dev zlib1g-dev libdeflate-dev
      git procps python3 gnupg openssh-client)

synopsis() {
    cat <<EOF
Usage: $PROG [--prefix DIR] [--policy NAME] [--hook pre-receive|update] [--server TYPE] [--fsck-objects] [--dry-run] REPO.git...
       $PROG [OPTIONS] --all DIR [REPO.git...]
       $PROG [OPTIONS] --server plain|gitlab --global DIR
       $PROG [OPTIONS] --server gitolite --gitolite-local DIR
       $PROG --uninstall [--hook HOOK] [--server TYPE] [--dry-run] [--all DIR] REPO.git...
       $PROG --uninstall [--server TYPE] (--global DIR | --gitolite-local DIR)
       $PROG --deps [--dry-run]
       $PROG --demo [--prefix DIR] [--policy NAME] [--hook HOOK]
EOF
}

usage() {
    synopsis
    cat <<EOF

Installs the build dependencies (Debian/Ubuntu), builds pushguard as this checkout's owner,
runs 'make install' into --prefix DIR (default /usr/local), then the installed 'pushguard
install' (--uninstall: 'pushguard uninstall', no build) with the other options: see
pushguard-install(1). Runs itself through sudo when this user cannot write where it installs.
  --deps     only install the build/test dependencies (apt-get, as root)
  --demo     contrib/demo.sh: a secret refused (masked, with its fix), a denied file, the fixed
             push accepted, the audit log; in a throwaway install and repository
  --dry-run  print every action that would be taken; change nothing
Environment: PUSHGUARD_SKIP_DEPS=1  don't check for or install Debian packages
EOF
}

say()  { printf '%s\n' "$*"; }
err()  { printf '%s: error: %s\n' "$PROG" "$*" >&2; }
die()  { err "$*"; exit 1; }
usage_error() { err "$*"; { synopsis; echo "Run '$PROG --help' for details."; } >&2; exit 2; }
qcmd() { local out; printf -v out ' %q' "$@"; printf '%s' "${out# }"; }

# Run a command with its output captured; show the tail of it on failure.
run_logged() {
    local desc=$1 log rc=0; shift
    log=$(mktemp "${TMPDIR:-/tmp}/pushguard-install.XXXXXX")
    "$@" >"$log" 2>&1 || rc=$?
    [ "$rc" -eq 0 ] || { tail -n 40 -- "$log" >&2; err "$desc failed (exit $rc): $(qcmd "$@")"; die "full output: $log"; }
    rm -f -- "$log"
}
# WIRE: the options for pushguard install / uninstall; PLACES: the directories among them
PREFIX=/usr/local PREFIX_SET=0 HOOK=pre-receive DRY_RUN=0 UNINSTALL=0 DEPS_ONLY=0 DEMO=0
WIRE=() REPOS=() PLACES=() ORIG_ARGS=("$@")
need_arg() { [ "$2" -ge 2 ] || usage_error "option $1 needs an argument"; }
while [ $# -gt 0 ]; do
    case $1 in --prefix=*|--policy=*|--hook=*|--all=*|--server=*|--global=*|--gitolite-local=*)
        set -- "${1%%=*}" "${1#*=}" "${@:2}" ;; esac
    case $1 in
        -h|--help) usage; exit 0 ;;
        --dry-run) DRY_RUN=1; WIRE+=("$1"); shift ;;
        --fsck-objects) WIRE+=("$1"); shift ;;
        --uninstall) UNINSTALL=1; shift ;;
        --deps) DEPS_ONLY=1; shift ;;
        --demo) DEMO=1; shift ;;
        --prefix) need_arg "$1" $#; PREFIX=$2; PREFIX_SET=1; shift 2 ;;
        --hook) need_arg "$1" $#; HOOK=$2; WIRE+=("$1" "$2"); shift 2 ;;
        --all|--global|--gitolite-local) need_arg "$1" $#; PLACES+=("$2"); WIRE+=("$1" "$2"); shift 2 ;;
        --policy|--server) need_arg "$1" $#; WIRE+=("$1" "$2"); shift 2 ;;
        --) shift; REPOS+=("$@"); break ;;
        -?*) usage_error "unknown option: $1" ;;
        *) REPOS+=("$1"); shift ;;
    esac
done
case $HOOK in pre-receive|update) ;; *) usage_error "--hook must be pre-receive or update, not '$HOOK'" ;; esac
[ -n "$PREFIX" ] || usage_error "--prefix needs a non-empty directory"
N=$((${#REPOS[@]} + ${#PLACES[@]}))
[ "$DEPS_ONLY" = 0 ] || [ $((N + DEMO + UNINSTALL)) = 0 ] ||
    usage_error "--deps only installs dependencies; run $PROG again without it for the rest"
[ "$DEMO" = 0 ] || [ $((N + UNINSTALL + DRY_RUN)) = 0 ] ||
    usage_error "--demo works on its own scratch repository; it takes no REPO, --all, --uninstall or --dry-run"
# Absolute, normalised (but symlinks kept) prefix: it is baked into the hooks.
PREFIX=$(realpath -m -s -- "$PREFIX")
BINDIR=${PREFIX%/}/bin

# The packages of DEPS that are not installed, one a line (none off Debian).
missing_deps() {
    local p status
    command -v dpkg-query >/dev/null 2>&1 || return 0
    for p in "${DEPS[@]}"; do
        status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null) || status=
        [ "$status" = "install ok installed" ] || printf '%s\n' "$p"
    done
}
ensure_deps() {
    local missing=() cmd
    [ "${PUSHGUARD_SKIP_DEPS:-}" != 1 ] || { say "==> dependencies: not checked (PUSHGUARD_SKIP_DEPS=1)"; return 0; }
    if ! command -v dpkg-query >/dev/null 2>&1; then
        [ "$DEPS_ONLY" = 0 ] || die "--deps needs a Debian-based system (dpkg-query/apt-get not found); install the equivalents of: ${DEPS[*]}"
        printf '%s: warning: %s\n' "$PROG" "not a Debian-based system: not checking dependencies (${DEPS[*]})" >&2
        return 0
    fi
    mapfile -t missing < <(missing_deps)
    [ ${#missing[@]} -gt 0 ] || { say "==> dependencies: all installed"; return 0; }
    cmd="apt-get update && DEBIAN_FRONTEND=noninteractive $(qcmd apt-get install -y --no-install-recommends "${missing[@]}")"
    [ "$DRY_RUN" = 0 ] || { say "==> dependencies: missing ${missing[*]}"; say "  would run: $cmd"; return 0; }
    if [ "$(id -u)" -ne 0 ]; then
        err "missing packages: ${missing[*]}"; err "install them as root, then run $PROG again:"
        printf '  %s\n' "$cmd" >&2; exit 1
    fi
    command -v apt-get >/dev/null 2>&1 || die "apt-get not found; install: ${missing[*]}"
    say "==> dependencies: installing ${missing[*]}"; export DEBIAN_FRONTEND=noninteractive
    run_logged "apt-get update" apt-get update
    run_logged "apt-get install" apt-get install -y --no-install-recommends "${missing[@]}"
}
# Run as root on a checkout that is not root's (e.g. through sudo): the checkout's owner
# (uid:gid). The build runs as them, so make check works for them afterwards.
src_owner() {
    local o; [ "$(id -u)" -eq 0 ] || return 0
    o=$(stat -c %u:%g -- "$SRC"); [ "${o%%:*}" = 0 ] || printf '%s' "$o"
}
# Anything root left in a checkout owned by another user goes back to that user.
give_back_checkout() {
    local o; o=$(src_owner)
    [ -z "$o" ] || find "$SRC" -xdev -uid 0 -exec chown -h "$o" {} + 2>/dev/null || true
}
# build_install [install]: make as the checkout's owner (setpriv: util-linux), then make install.
build_install() {
    local build=(make -C "$SRC" PREFIX="$PREFIX") inst=(make -C "$SRC" install PREFIX="$PREFIX") owner b
    owner=$(src_owner)
    if [ -n "$owner" ] && command -v setpriv >/dev/null 2>&1; then
        build=(setpriv --reuid="${owner%%:*}" --regid="${owner#*:}" --clear-groups "${build[@]}")
    fi
    [ "$DRY_RUN" = 0 ] || { say "==> build: would run: $(qcmd "${build[@]}")"
        [ "${1:-}" != install ] || say "==> install: would run: $(qcmd "${inst[@]}")"; return 0; }
    give_back_checkout # e.g. a build/ an older sudo run left root's
    [ -f "$SRC/Makefile" ] || die "no Makefile in $SRC"
    say "==> building pushguard ($(qcmd "${build[@]}"))"
    run_logged "build" "${build[@]}"
    if [ "${1:-}" = install ]; then
        say "==> installing into $PREFIX ($(qcmd "${inst[@]}"))"
        run_logged "install" "${inst[@]}"
        for b in pushguard pushguard-"$HOOK" pushguard-post-receive; do [ -x "$BINDIR/$b" ] || die "make install did not produce $BINDIR/$b"; done
    fi
    give_back_checkout
}
# True when $1, or the nearest directory above it that exists, is writable.
writable_path() { local p=$1; while [ ! -e "$p" ] && [ ! -L "$p" ]; do p=$(dirname -- "$p"); done; [ -w "$p" ]; }
# What this run must write that this user cannot, one a line.
root_needs() {
    local r sys=${GIT_CONFIG_SYSTEM:-/etc/gitconfig}
    [ "${PUSHGUARD_SKIP_DEPS:-}" = 1 ] || [ "$UNINSTALL" = 1 ] || [ -z "$(missing_deps)" ] ||
        echo "missing packages: $(missing_deps | paste -s -d ' ')"
    [ "$DEPS_ONLY" = 0 ] || return 0
    [ "$UNINSTALL" = 1 ] || { [ "$DEMO" = 1 ] && [ "$PREFIX_SET" = 0 ]; } || writable_path "$PREFIX" || echo "$PREFIX"
    for r in "${REPOS[@]}" "${PLACES[@]}"; do
        if [ -d "$r/hooks" ]; then writable_path "$r/hooks" || echo "$r"; else writable_path "$r" || echo "$r"; fi
    done
    [[ " ${WIRE[*]} " != *" --server plain "* || " ${WIRE[*]} " != *" --global "* ]] || writable_path "$sys" ||
        echo "git's system config ($sys)"
}
# Not root, and root is needed: run again through sudo when there is sudo (the build then
# runs as this user again: src_owner), else say how.
needs=
[ "$(id -u)" -eq 0 ] || needs=$(root_needs)
needs=${needs//$'\n'/, }
if [ -z "$needs" ]; then :
elif [ "$DRY_RUN" = 1 ]; then say "==> this would need root (for: $needs)"
elif command -v sudo >/dev/null 2>&1; then
    say "==> root is needed (for: $needs): running again through sudo"
    exec sudo -- env ${PUSHGUARD_SKIP_DEPS:+PUSHGUARD_SKIP_DEPS=1} "$SRC/$PROG" "${ORIG_ARGS[@]}"
else
    die "root is needed (for: $needs), and there is no sudo: run it as root (su -c '$(qcmd "$SRC/$PROG" "${ORIG_ARGS[@]}")')"
fi

if [ "$DEPS_ONLY" = 1 ]; then ensure_deps; exit 0; fi
[ "$DEMO" = 0 ] || [ "$PREFIX_SET" = 0 ] || WIRE=(--prefix "$PREFIX" "${WIRE[@]}")
[ "$DEMO" = 0 ] || exec "$SRC/contrib/demo.sh" "${WIRE[@]}"

# The wiring: the installed pushguard (uninstall: else this checkout's, built if need be).
PG=$BINDIR/pushguard
if [ "$UNINSTALL" = 0 ]; then
    ensure_deps
    build_install install
    set -- install --prefix "$PREFIX"
else
    [ -x "$PG" ] || PG=$SRC/build/bin/pushguard
    [ -x "$PG" ] || build_install
    set -- uninstall
fi
[ -x "$PG" ] || [ "$DRY_RUN" = 0 ] || PG=$SRC/build/bin/pushguard # a dry run installed nothing
[ -x "$PG" ] || [ "$DRY_RUN" = 0 ] || { say "==> would run: $(qcmd "$BINDIR/pushguard" "$@" "${WIRE[@]}" -- "${REPOS[@]}")"; exit 0; }
exec "$PG" "$@" "${WIRE[@]}" -- "${REPOS[@]}"
