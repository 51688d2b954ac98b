#!/bin/bash
# install.sh - build and install pushguard, and wire its hook into bare git
# repositories. Run with --help for usage.
set -eu

PROG=${0##*/}
SRC=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd -P)

# build: libgit2, PCRE2, Hyperscan, librnp, OpenSSL, libcurl, jansson; tests: cmocka,
# git (and git daemon), gpg and ssh-keygen (signed commits), python3 (stand-in servers)
DEPS=(build-essential pkg-config libgit2-dev libpcre2-dev libhyperscan-dev librnp-dev
      libcurl4-openssl-dev libjansson-dev libcmocka-dev libssl-dev zlib1g-dev git procps python3
      gnupg openssh-client)
MARKER='# pushguard: managed hook'

# Don't let a caller's git environment (e.g. when run from inside a hook)
# redirect any of the git commands below.
unset GIT_DIR GIT_WORK_TREE GIT_INDEX_FILE GIT_OBJECT_DIRECTORY GIT_COMMON_DIR \
      GIT_ALTERNATE_OBJECT_DIRECTORIES GIT_NAMESPACE

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

Build and install pushguard, then install its server-side hook into each bare
repository REPO.git (and into every bare repository under --all DIR), with the
post-receive hook that records what landed. A REPO.git that does not exist is
created as a bare repository. Run as a user who cannot write where it installs,
it runs itself again through sudo; the build itself always runs as the owner of
this checkout.

Options:
  --prefix DIR     install prefix (default /usr/local); the hook runs DIR/bin/pushguard-HOOK
  --policy NAME    set pushguard.policy (a policy name or a path) in each REPO/config
  --fsck-objects   also set receive.fsckObjects = true in each REPO/config: git itself then
                   refuses malformed objects (pushguard reports them anyway, as "objects")
  --hook HOOK      hook to install: pre-receive (default) or update
  --all DIR        also every bare repository found under DIR (may be repeated)
  --server TYPE    plain, gitea (also forgejo), gitlab or gitolite; default: detected
                   per repository (gitea: hooks/pre-receive.d/gitea; gitlab: custom_hooks/
                   or an @hashed path; gitolite: gl-conf), else plain.
                     plain:  REPO/hooks/HOOK, a wrapper chaining the hook it displaced
                     gitea:  REPO/hooks/HOOK.d/pushguard (Gitea's own HOOK runs HOOK.d/*)
                     gitlab: REPO/custom_hooks/HOOK.d/pushguard
                     gitolite: LOCAL_CODE/hooks/common/pre-receive (needs --gitolite-local)
  --global DIR     server-wide, no REPO: plain writes DIR/HOOK and sets core.hooksPath=DIR
                   in git's system config (git config --system); gitlab writes
                   DIR/HOOK.d/pushguard, DIR being Gitaly's custom_hooks_dir
  --gitolite-local DIR  gitolite's LOCAL_CODE directory (for --server gitolite)
  --uninstall      remove pushguard's hook and put back the hook it displaced; no build.
                   Without --hook, removes both pre-receive and update; post-receive
                   goes with the last of them.
                   pushguard.* settings in REPO/config are left alone.
  --dry-run        print every action that would be taken; change nothing
  --deps           only install the build/test dependencies (Debian/Ubuntu, apt-get, root)
  --demo           build into a throwaway directory; against a scratch repository,
                   show a generated secret refused (masked, with its fix), a denied
                   file refused, the fixed push accepted, and the audit log they left;
                   then clean up
  -h, --help       show this help

A hook already present that is not pushguard's is moved to hooks/HOOK.d/00-original
and still runs (through pushguard's --chain) after pushguard's own checks pass.
Running $PROG again is safe: it only rewrites what is out of date.

Environment:
  PUSHGUARD_SKIP_DEPS=1   don't check for or install Debian packages
EOF
}

say()  { printf '%s\n' "$*"; }
warn() { printf '%s: warning: %s\n' "$PROG" "$*" >&2; }
err()  { printf '%s: error: %s\n' "$PROG" "$*" >&2; }
die()  { err "$*"; exit 1; }
usage_error() { err "$*"; { synopsis; echo "Run '$PROG --help' for details."; } >&2; exit 2; }

# Print a command line, shell-quoted, for messages.
qcmd() {
    local out
    printf -v out ' %q' "$@"
    printf '%s' "${out# }"
}

# Single-quote a string for /bin/sh: ' becomes '\''.
shquote() {
    local s=${1//\'/\'\\\'\'}
    printf "'%s'" "$s"
}

# Run a command with its output captured; show the tail of it on failure.
run_logged() {
    local desc=$1 log rc=0
    shift
    log=$(mktemp "${TMPDIR:-/tmp}/pushguard-install.XXXXXX")
    "$@" >"$log" 2>&1 || rc=$?
    if [ "$rc" -ne 0 ]; then
        tail -n 40 -- "$log" >&2
        err "$desc failed (exit $rc): $(qcmd "$@")"
        err "full output: $log"
        exit 1
    fi
    rm -f -- "$log"
}

# ---------------------------------------------------------------- options

PREFIX=/usr/local
PREFIX_SET=0
POLICY=
POLICY_SET=0
FSCK=0
HOOK=pre-receive
HOOK_SET=0
DRY_RUN=0
UNINSTALL=0
DEPS_ONLY=0
DEMO=0
ALL_DIRS=()
REPOS=()
SERVER=
GLOBAL_DIR=
GITOLITE_LOCAL=

ORIG_ARGS=("$@")

need_arg() {
    [ "$2" -ge 2 ] || usage_error "option $1 needs an argument"
}

while [ $# -gt 0 ]; do
    case $1 in
        -h|--help) usage; exit 0 ;;
        --prefix)  need_arg "$1" $#; PREFIX=$2; PREFIX_SET=1; shift 2 ;;
        --prefix=*) PREFIX=${1#*=}; PREFIX_SET=1; shift ;;
        --policy)  need_arg "$1" $#; POLICY=$2; POLICY_SET=1; shift 2 ;;
        --policy=*) POLICY=${1#*=}; POLICY_SET=1; shift ;;
        --fsck-objects) FSCK=1; shift ;;
        --hook)    need_arg "$1" $#; HOOK=$2; HOOK_SET=1; shift 2 ;;
        --hook=*)  HOOK=${1#*=}; HOOK_SET=1; shift ;;
        --all)     need_arg "$1" $#; ALL_DIRS+=("$2"); shift 2 ;;
        --all=*)   ALL_DIRS+=("${1#*=}"); shift ;;
        --server)  need_arg "$1" $#; SERVER=$2; shift 2 ;;
        --server=*) SERVER=${1#*=}; shift ;;
        --global)  need_arg "$1" $#; GLOBAL_DIR=$2; shift 2 ;;
        --global=*) GLOBAL_DIR=${1#*=}; shift ;;
        --gitolite-local) need_arg "$1" $#; GITOLITE_LOCAL=$2; shift 2 ;;
        --gitolite-local=*) GITOLITE_LOCAL=${1#*=}; shift ;;
        --dry-run) DRY_RUN=1; shift ;;
        --uninstall) UNINSTALL=1; shift ;;
        --deps)    DEPS_ONLY=1; shift ;;
        --demo)    DEMO=1; shift ;;
        --)        shift; REPOS+=("$@"); break ;;
        -?*)       usage_error "unknown option: $1" ;;
        *)         REPOS+=("$1"); shift ;;
    esac
done

case $HOOK in
    pre-receive|update) ;;
    *) usage_error "--hook must be pre-receive or update, not '$HOOK'" ;;
esac
[ -n "$PREFIX" ] || usage_error "--prefix needs a non-empty directory"
if [ "$POLICY_SET" = 1 ] && [ -z "$POLICY" ]; then
    usage_error "--policy needs a non-empty name or path"
fi
if [ "$DEPS_ONLY" = 1 ]; then
    if [ ${#REPOS[@]} -gt 0 ] || [ ${#ALL_DIRS[@]} -gt 0 ] || [ "$DEMO" = 1 ] || [ "$UNINSTALL" = 1 ]; then
        usage_error "--deps only installs dependencies; run $PROG again without it for the rest"
    fi
elif [ "$DEMO" = 1 ]; then
    if [ ${#REPOS[@]} -gt 0 ] || [ ${#ALL_DIRS[@]} -gt 0 ] || [ "$UNINSTALL" = 1 ] || [ "$DRY_RUN" = 1 ]; then
        usage_error "--demo works on its own scratch repository; it takes no REPO, --all, --uninstall or --dry-run"
    fi
fi
case $SERVER in
    ''|plain|gitea|gitlab|gitolite) ;;
    forgejo) SERVER=gitea ;;
    *) usage_error "--server must be plain, gitea, forgejo, gitlab or gitolite, not '$SERVER'" ;;
esac
SERVER_WIDE=0
if [ -n "$GLOBAL_DIR" ]; then
    case $SERVER in
        plain|gitlab) ;;
        '') usage_error "--global needs --server plain or --server gitlab" ;;
        *) usage_error "--global works with --server plain or gitlab, not $SERVER" ;;
    esac
    SERVER_WIDE=1
fi
if [ "$SERVER" = gitolite ]; then
    [ -n "$GITOLITE_LOCAL" ] || usage_error "--server gitolite needs --gitolite-local DIR (gitolite's LOCAL_CODE)"
    if [ "$HOOK_SET" = 1 ] && [ "$HOOK" != pre-receive ]; then
        usage_error "gitolite reserves the update hook for itself; pushguard installs as pre-receive"
    fi
    SERVER_WIDE=1
elif [ -n "$GITOLITE_LOCAL" ]; then
    usage_error "--gitolite-local goes with --server gitolite"
fi
if [ "$SERVER_WIDE" = 1 ]; then
    if [ ${#REPOS[@]} -gt 0 ] || [ ${#ALL_DIRS[@]} -gt 0 ] || [ "$POLICY_SET" = 1 ]; then
        usage_error "--global and --server gitolite install once for the whole server: no REPO, --all or --policy (set the policy in the system file)"
    fi
elif [ "$DEPS_ONLY" = 0 ] && [ "$DEMO" = 0 ] && [ ${#REPOS[@]} -eq 0 ] && [ ${#ALL_DIRS[@]} -eq 0 ]; then
    usage_error "no repository given"
fi
if [ "$UNINSTALL" = 1 ] && [ "$POLICY_SET" = 1 ]; then
    usage_error "--policy makes no sense with --uninstall"
fi
if [ "$FSCK" = 1 ] && { [ "$UNINSTALL" = 1 ] || [ "$SERVER_WIDE" = 1 ]; }; then
    usage_error "--fsck-objects sets receive.fsckObjects in each REPO/config; server-wide: git config --system receive.fsckObjects true"
fi

# Absolute, normalised (but symlinks kept) prefix: it is baked into the hooks.
PREFIX=$(realpath -m -s -- "$PREFIX")
BINDIR=${PREFIX%/}/bin

# ------------------------------------------------------------ dependencies

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
    if [ "${PUSHGUARD_SKIP_DEPS:-}" = 1 ]; then
        say "==> dependencies: not checked (PUSHGUARD_SKIP_DEPS=1)"
        return 0
    fi
    if ! command -v dpkg-query >/dev/null 2>&1; then
        if [ "$DEPS_ONLY" = 1 ]; then
            die "--deps needs a Debian-based system (dpkg-query/apt-get not found); install the equivalents of: ${DEPS[*]}"
        fi
        warn "not a Debian-based system: not checking dependencies (${DEPS[*]})"
        return 0
    fi
    local missing=()
    mapfile -t missing < <(missing_deps)
    if [ ${#missing[@]} -eq 0 ]; then
        say "==> dependencies: all installed"
        return 0
    fi
    local install_cmd=(apt-get install -y --no-install-recommends "${missing[@]}")
    if [ "$DRY_RUN" = 1 ]; then
        say "==> dependencies: missing ${missing[*]}"
        say "  would run: apt-get update && DEBIAN_FRONTEND=noninteractive $(qcmd "${install_cmd[@]}")"
        return 0
    fi
    if [ "$(id -u)" -ne 0 ]; then
        err "missing packages: ${missing[*]}"
        err "install them as root, then run $PROG again:"
        printf '  apt-get update && DEBIAN_FRONTEND=noninteractive %s\n' "$(qcmd "${install_cmd[@]}")" >&2
        exit 1
    fi
    command -v apt-get >/dev/null 2>&1 || die "apt-get not found; install: ${missing[*]}"
    say "==> dependencies: installing ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    run_logged "apt-get update" apt-get update
    run_logged "apt-get install" "${install_cmd[@]}"
}

# ------------------------------------------------------------ build/install

# The checkout's owner (uid:gid), when this runs as root on a checkout that is not
# root's (e.g. through sudo): the build runs as that user, so make check works for
# them afterwards.
src_owner() {
    local o
    [ "$(id -u)" -eq 0 ] || return 0
    o=$(stat -c %u:%g -- "$SRC")
    [ "${o%%:*}" = 0 ] || printf '%s' "$o"
}

# Anything root left in a checkout owned by another user goes back to that user.
give_back_checkout() {
    local owner
    owner=$(src_owner)
    [ -n "$owner" ] || return 0
    find "$SRC" -xdev -uid 0 -exec chown -h "$owner" {} + 2>/dev/null || true
}

build_install() {
    local build=(make -C "$SRC" PREFIX="$PREFIX")
    local inst=(make -C "$SRC" install PREFIX="$PREFIX")
    local owner
    owner=$(src_owner)
    if [ -n "$owner" ] && command -v setpriv >/dev/null 2>&1; then
        # drop to the owner for the build (setpriv: util-linux, in every Debian)
        build=(setpriv --reuid="${owner%%:*}" --regid="${owner#*:}" --clear-groups "${build[@]}")
    fi
    [ "$DRY_RUN" = 1 ] || give_back_checkout # e.g. a build/ an older sudo run left root's
    if [ "$DRY_RUN" = 1 ]; then
        say "==> build: would run: $(qcmd "${build[@]}")"
        say "==> install: would run: $(qcmd "${inst[@]}")"
        return 0
    fi
    [ -f "$SRC/Makefile" ] || die "no Makefile in $SRC"
    say "==> building pushguard ($(qcmd "${build[@]}"))"
    run_logged "build" "${build[@]}"
    say "==> installing into $PREFIX ($(qcmd "${inst[@]}"))"
    run_logged "install" "${inst[@]}"
    give_back_checkout
    [ -x "$BINDIR/pushguard-$HOOK" ] ||
        die "make install did not produce $BINDIR/pushguard-$HOOK"
    [ -x "$BINDIR/pushguard-post-receive" ] ||
        die "make install did not produce $BINDIR/pushguard-post-receive"
}

# ------------------------------------------------------------ repositories

is_bare_repo() {
    [ -d "$1" ] || return 1
    [ "$(git --git-dir="$1" rev-parse --is-bare-repository 2>/dev/null)" = true ]
}

# Print (NUL-terminated) every bare repository at or below $1, without
# descending into any repository found and without following symlinks.
find_bare_repos() (
    shopt -s nullglob dotglob
    walk() {
        local d=$1 sub
        if [ -f "$d/HEAD" ] && [ -d "$d/objects" ] && [ -d "$d/refs" ]; then
            if is_bare_repo "$d"; then
                printf '%s\0' "$d"
            fi
            return 0
        fi
        for sub in "$d"/*/; do
            sub=${sub%/}
            if [ ! -L "$sub" ]; then
                walk "$sub"
            fi
        done
        return 0
    }
    walk "$1"
)

strip_slashes() {
    local p=$1
    while [ "${#p}" -gt 1 ] && [ "${p%/}" != "$p" ]; do p=${p%/}; done
    printf '%s' "$p"
}

# The exact wrapper the documentation shows (Installing: the hook wrapper).
wrapper_text() {
    printf '%s\n' \
        '#!/bin/sh' \
        '# pushguard: managed hook. Remove with: install.sh --uninstall REPO' \
        "exec $(shquote "$BINDIR/pushguard-$1") --chain \"\${0%/*}/$1.d\" \"\$@\""
}

# The same without --chain, for a HOOK.d entry the server's own HOOK runs
# (Gitea/Forgejo, GitLab): $2 is how to remove it.
entry_text() {
    printf '%s\n' \
        '#!/bin/sh' \
        "# pushguard: managed hook. Remove with: install.sh --uninstall $2" \
        "exec $(shquote "$BINDIR/pushguard-$1") \"\$@\""
}

is_ours() {
    [ -f "$1" ] && grep -q -e "^$MARKER" -- "$1" 2>/dev/null
}

is_empty_dir() (
    shopt -s nullglob dotglob
    set -- "$1"/*
    [ $# -eq 0 ]
)

# Number of entries in directory $1, not counting $2.
count_entries_except() (
    shopt -s nullglob dotglob
    n=0
    for e in "$1"/*; do
        [ "$e" = "$2" ] || n=$((n + 1))
    done
    printf '%s' "$n"
)

# Give a file we create the owner of the directory it lives in (matters when
# root installs into repositories owned by a git user). Best effort.
match_owner() {
    if [ "$(id -u)" -eq 0 ]; then
        chown -h --reference="$2" -- "$1" 2>/dev/null || true
    fi
}

# Print what is being done (or would be done, with --dry-run).
act() {
    if [ "$DRY_RUN" = 1 ]; then say "  would $*"; else say "  $*"; fi
}

# Atomically write our wrapper to $2 (the hook path) for hook $1.
write_wrapper() {
    local hook=$1 path=$2 dir tmp
    dir=${path%/*}
    tmp="$dir/.$hook.pushguard-new.$$"
    wrapper_text "$hook" >"$tmp"
    chmod 0755 -- "$tmp"
    match_owner "$tmp" "$dir"
    mv -f -- "$tmp" "$path"
}

# Retarget a relative symlink for a move one directory down (into HOOK.d).
symlink_target_down() {
    local t=$1
    case $t in /*) printf '%s' "$t" ;; *) printf '../%s' "$t" ;; esac
}
# ... and back up (HOOK.d -> hooks); $2 is the name of HOOK.d.
symlink_target_up() {
    local t=$1 d=$2
    case $t in
        /*) printf '%s' "$t" ;;
        ../*) printf '%s' "${t#../}" ;;
        *) printf '%s/%s' "$d" "$t" ;;
    esac
}

# ------------------------------------------------------------ server types

# Which server runs repository $1: gitea, gitlab, gitolite or plain.
detect_server() {
    local repo=$1 abs
    if [ -e "$repo/hooks/pre-receive.d/gitea" ] || [ -e "$repo/hooks/update.d/gitea" ] ||
       { [ -f "$repo/hooks/pre-receive" ] && ! is_ours "$repo/hooks/pre-receive" &&
         grep -qiE 'gitea|forgejo' -- "$repo/hooks/pre-receive" 2>/dev/null; }; then
        echo gitea
        return
    fi
    abs=$(realpath -m -s -- "$repo")
    if [ -d "$repo/custom_hooks" ] || [[ $abs == */@hashed/* ]]; then
        echo gitlab
        return
    fi
    if [ -f "$repo/gl-conf" ]; then
        echo gitolite
        return
    fi
    echo plain
}

# mkdir -p $1, each new directory owned like its parent.
make_dirs() {
    local d=$1
    [ -d "$d" ] && return 0
    make_dirs "$(dirname -- "$d")"
    mkdir -- "$d"
    match_owner "$d" "$(dirname -- "$d")"
}

# place_text PATH CMD...: make PATH hold CMD's output, mode 0755, atomically.
# Prints what it does; sets CHANGED=1 when PATH was (or would be) changed.
place_text() {
    local path=$1 dir tmp
    shift
    dir=${path%/*}
    if [ -f "$path" ] && [ ! -L "$path" ] && [ "$(stat -c %a -- "$path")" = 755 ] &&
       cmp -s -- "$path" <("$@"); then
        return 0
    fi
    if { [ -e "$path" ] || [ -L "$path" ]; } && ! is_ours "$path"; then
        err "$path exists and is not pushguard's; leaving it alone"
        N_FAILED=$((N_FAILED + 1))
        return 0
    fi
    act "write $path -> $BINDIR/pushguard-$2"
    CHANGED=1
    [ "$DRY_RUN" = 1 ] && return 0
    make_dirs "$dir"
    tmp="$dir/.pushguard-new.$$"
    "$@" >"$tmp"
    chmod 0755 -- "$tmp"
    match_owner "$tmp" "$dir"
    mv -f -- "$tmp" "$path"
}

# remove_ours PATH [UP]: remove PATH if it is pushguard's, then its directory and
# up to UP more parents while empty (UP -1: none). Sets FOUND=1 if there was one.
remove_ours() {
    local path=$1 up=${2:-0} d
    is_ours "$path" || return 0
    FOUND=1
    act "remove $path"
    [ "$DRY_RUN" = 1 ] && return 0
    rm -f -- "$path"
    d=${path%/*}
    while [ "$up" -ge 0 ] && [ -d "$d" ] && [ ! -L "$d" ] && is_empty_dir "$d"; do
        act "remove empty $d"
        rmdir -- "$d"
        d=${d%/*}
        up=$((up - 1))
    done
}

# Where the HOOK.d entry goes for server $1 in repository $2, hook $3.
entry_path() {
    case $1 in
        gitea)  printf '%s/hooks/%s.d/pushguard' "$2" "$3" ;;
        gitlab) printf '%s/custom_hooks/%s.d/pushguard' "$2" "$3" ;;
    esac
}

# Sets pushguard.policy in REPO/config when --policy was given; CHANGED=1 if it did.
set_repo_policy() {
    local repo=$1 cur
    [ "$POLICY_SET" = 1 ] || return 0
    cur=$(git config -f "$repo/config" --get pushguard.policy 2>/dev/null) || cur=
    if [ "$cur" != "$POLICY" ]; then
        act "set pushguard.policy = $POLICY in $repo/config"
        [ "$DRY_RUN" = 1 ] || git config -f "$repo/config" pushguard.policy "$POLICY"
        CHANGED=1
    fi
}

# The hooks an install writes: HOOK, and post-receive, which records what landed.
installed_hooks() { printf '%s\n' "$HOOK" post-receive; }

# The hooks an uninstall removes, one a line: HOOK (without --hook: pre-receive and
# update), and post-receive once neither pre-receive nor update stays. $1 is a function
# telling whether a hook (its argument) is installed in the layout at hand.
uninstall_list() {
    local ours=$1 h keep=0
    set -- "$HOOK"
    [ "$HOOK_SET" = 1 ] || set -- pre-receive update
    printf '%s\n' "$@"
    for h in pre-receive update; do
        case " $* " in *" $h "*) ;; *) "$ours" "$h" && keep=1 ;; esac
    done
    [ "$keep" = 1 ] || echo post-receive
}

# Sets receive.fsckObjects = true in REPO/config when --fsck-objects was given; CHANGED=1 if it did.
set_repo_fsck() {
    local repo=$1 cur
    [ "$FSCK" = 1 ] || return 0
    cur=$(git config -f "$repo/config" --bool --get receive.fsckObjects 2>/dev/null) || cur=
    if [ "$cur" != true ]; then
        act "set receive.fsckObjects = true in $repo/config"
        [ "$DRY_RUN" = 1 ] || git config -f "$repo/config" receive.fsckObjects true
        CHANGED=1
    fi
}

# Gitea/Forgejo and GitLab: the server's own hook runs HOOK.d/*; ours is one of them.
install_entry() {
    local server=$1 repo=$2 h
    CHANGED=0
    say "==> $repo ($server)"
    while IFS= read -r h; do
        if [ "$server" = gitea ] && [ ! -f "$repo/hooks/$h" ]; then
            warn "$repo: no hooks/$h: Gitea writes it (Site Administration: resynchronize git hooks); until then $h.d is not run"
        fi
        place_text "$(entry_path "$server" "$repo" "$h")" entry_text "$h" "--server $server REPO"
    done < <(installed_hooks)
    set_repo_policy "$repo"
    set_repo_fsck "$repo"
    if [ "$CHANGED" = 0 ]; then
        say "  already up to date"
        N_UPTODATE=$((N_UPTODATE + 1))
    fi
    N_REPOS=$((N_REPOS + 1))
}

uninstall_entry() {
    local server=$1 repo=$2 h up=0
    [ "$server" = gitlab ] && up=1   # custom_hooks/HOOK.d, then custom_hooks
    FOUND=0
    say "==> $repo ($server)"
    entry_ours() { is_ours "$(entry_path "$server" "$repo" "$1")"; }
    while IFS= read -r h; do
        remove_ours "$(entry_path "$server" "$repo" "$h")" "$up"
    done < <(uninstall_list entry_ours)
    if [ "$FOUND" = 0 ]; then
        say "  not installed"
        N_NOT_INSTALLED=$((N_NOT_INSTALLED + 1))
    fi
    N_REPOS=$((N_REPOS + 1))
}

# core.hooksPath in git's system config (GIT_CONFIG_SYSTEM, else /etc/gitconfig).
system_hooks_path() { git config --system --get core.hooksPath 2>/dev/null || true; }

# plain --global DIR: DIR/HOOK, and core.hooksPath = DIR for every repository.
install_global_plain() {
    local dir cur h
    dir=$(realpath -m -s -- "$GLOBAL_DIR")
    CHANGED=0
    say "==> server-wide hooks in $dir (core.hooksPath)"
    while IFS= read -r h; do place_text "$dir/$h" wrapper_text "$h"; done < <(installed_hooks)
    cur=$(system_hooks_path)
    if [ "$cur" != "$dir" ]; then
        [ -z "$cur" ] || warn "core.hooksPath was $cur in git's system config; the hooks there no longer run"
        act "set core.hooksPath = $dir (git config --system)"
        [ "$DRY_RUN" = 1 ] || git config --system core.hooksPath "$dir"
        CHANGED=1
    fi
    say "  every repository runs the hooks in $dir instead of its own hooks/"
    say "  (other server-wide hooks go in $dir/$HOOK.d/: pushguard runs them after its checks)"
    [ "$CHANGED" = 1 ] || say "  already up to date"
}

uninstall_global_plain() {
    local dir h
    dir=$(realpath -m -s -- "$GLOBAL_DIR")
    FOUND=0
    say "==> server-wide hooks in $dir (core.hooksPath)"
    global_ours() { is_ours "$dir/$1"; }
    while IFS= read -r h; do remove_ours "$dir/$h" -1; done < <(uninstall_list global_ours)
    if [ "$(system_hooks_path)" = "$dir" ]; then
        if [ -d "$dir" ] && ! is_empty_dir "$dir"; then
            say "  left core.hooksPath = $dir: other hooks are still there"
        else
            FOUND=1
            act "unset core.hooksPath (git config --system)"
            [ "$DRY_RUN" = 1 ] || git config --system --unset core.hooksPath
            if [ "$DRY_RUN" = 0 ] && [ -d "$dir" ]; then rmdir -- "$dir"; fi
        fi
    fi
    [ "$FOUND" = 1 ] || say "  not installed"
}

# gitlab --global DIR: Gitaly's custom_hooks_dir, DIR/HOOK.d/pushguard.
install_global_gitlab() {
    local dir h
    dir=$(realpath -m -s -- "$GLOBAL_DIR")
    CHANGED=0
    say "==> GitLab server hooks in $dir"
    while IFS= read -r h; do
        place_text "$dir/$h.d/pushguard" entry_text "$h" "--server gitlab --global DIR"
    done < <(installed_hooks)
    [ "$CHANGED" = 1 ] || say "  already up to date"
    say "  Gitaly runs it for every repository when its config.toml has:"
    say "    [hooks]"
    say "    custom_hooks_dir = \"$dir\""
}

uninstall_global_gitlab() {
    local dir h
    dir=$(realpath -m -s -- "$GLOBAL_DIR")
    FOUND=0
    say "==> GitLab server hooks in $dir"
    gitlab_ours() { is_ours "$dir/$1.d/pushguard"; }
    while IFS= read -r h; do remove_ours "$dir/$h.d/pushguard" 0; done < <(uninstall_list gitlab_ours)
    [ "$FOUND" = 1 ] || say "  not installed"
}

# gitolite: LOCAL_CODE/hooks/common/pre-receive; gitolite links it into every repository.
install_gitolite() {
    local dir
    dir=$(realpath -m -s -- "$GITOLITE_LOCAL")
    CHANGED=0
    say "==> gitolite LOCAL_CODE $dir"
    place_text "$dir/hooks/common/pre-receive" wrapper_text pre-receive
    place_text "$dir/hooks/common/post-receive" wrapper_text post-receive
    [ "$CHANGED" = 1 ] || say "  already up to date"
    say "  gitolite runs it in every repository once ~/.gitolite.rc has (in %RC):"
    say "      LOCAL_CODE => \"$dir\","
    say "  and, as the gitolite user, you have run: gitolite setup --hooks-only"
    say "  (gitolite keeps the update hook for its access rules: pushguard is pre-receive)."
    say "  Only for some repositories: add 'repo-specific-hooks' to the rc's ENABLE list, move"
    say "  the files to $dir/hooks/repo-specific/pushguard and .../pushguard-landed (post-receive)"
    say "  and in gitolite.conf write"
    say "      repo project"
    say "          option hook.pre-receive = pushguard"
    say "          option hook.post-receive = pushguard-landed"
}

uninstall_gitolite() {
    local dir
    dir=$(realpath -m -s -- "$GITOLITE_LOCAL")
    FOUND=0
    say "==> gitolite LOCAL_CODE $dir"
    remove_ours "$dir/hooks/common/pre-receive" 1
    remove_ours "$dir/hooks/common/post-receive" 1
    if [ "$FOUND" = 1 ]; then
        say "  then, as the gitolite user, remove each repository's now dangling"
        say "  hooks/pre-receive and hooks/post-receive symlinks (gitolite setup --hooks-only does not)"
    else
        say "  not installed"
    fi
}

N_REPOS=0
N_UPTODATE=0
N_NOT_INSTALLED=0
N_FAILED=0

# install_plain_hook REPO H: pushguard's wrapper as REPO/hooks/H; a hook already there
# that is not pushguard's moves to hooks/H.d/00-original (it runs through --chain).
# Sets the caller's changed=1 when it changes (or would change) something.
install_plain_hook() {
    local repo=$1 h=$2 hooks="$1/hooks" hook chain dest n
    hook="$hooks/$h"
    chain="$hook.d"
    if is_ours "$hook"; then
        if [ ! -L "$hook" ] && [ "$(stat -c %a -- "$hook")" = 755 ] &&
           cmp -s -- "$hook" <(wrapper_text "$h"); then
            :
        else
            act "rewrite $hook"
            [ "$DRY_RUN" = 1 ] || write_wrapper "$h" "$hook"
            changed=1
        fi
        return 0
    fi
    if [ -e "$hook" ] || [ -L "$hook" ]; then
        dest="$chain/00-original"
        n=2
        while [ -e "$dest" ] || [ -L "$dest" ]; do
            dest="$chain/00-original-$n"
            n=$((n + 1))
        done
        act "move existing hook $hook to $dest"
        if [ "$DRY_RUN" = 0 ]; then
            if [ ! -d "$chain" ]; then
                mkdir -p -- "$chain"
                match_owner "$chain" "$hooks"
            fi
            # Copy first, then atomically replace: the repository is never
            # without a hook.
            if [ -L "$hook" ]; then
                ln -s -- "$(symlink_target_down "$(readlink -- "$hook")")" "$dest"
                match_owner "$dest" "$chain"
            else
                cp -p -- "$hook" "$dest"
            fi
        fi
        if [ ! -x "$hook" ]; then
            warn "$repo: $hook was not executable, so git was not running it; $dest is left that way (chmod +x it to run it)"
        fi
    fi
    act "write hook $hook -> $BINDIR/pushguard-$h"
    if [ "$DRY_RUN" = 0 ]; then
        if [ ! -d "$hooks" ]; then
            mkdir -p -- "$hooks"
            match_owner "$hooks" "$repo"
        fi
        write_wrapper "$h" "$hook"
    fi
    changed=1
}

install_repo() {
    local repo=$1 hooks="$1/hooks" h hp cur changed=0
    say "==> $repo"
    if hp=$(git --git-dir="$repo" config --get core.hooksPath 2>/dev/null) && [ -n "$hp" ]; then
        warn "$repo: core.hooksPath is set ($hp); git will not run hooks from $hooks"
    fi

    while IFS= read -r h; do
        if [ -d "$hooks/$h" ] && [ ! -L "$hooks/$h" ]; then
            err "$repo: $hooks/$h is a directory; leaving this repository alone"
            N_FAILED=$((N_FAILED + 1))
            return 0
        fi
    done < <(installed_hooks)
    while IFS= read -r h; do
        install_plain_hook "$repo" "$h"
    done < <(installed_hooks)

    if [ "$POLICY_SET" = 1 ]; then
        cur=$(git config -f "$repo/config" --get pushguard.policy 2>/dev/null) || cur=
        if [ "$cur" != "$POLICY" ]; then
            act "set pushguard.policy = $POLICY in $repo/config"
            [ "$DRY_RUN" = 1 ] || git config -f "$repo/config" pushguard.policy "$POLICY"
            changed=1
        fi
    fi
    CHANGED=0
    set_repo_fsck "$repo"
    [ "$CHANGED" = 0 ] || changed=1

    if [ "$changed" = 0 ]; then
        say "  already up to date"
        N_UPTODATE=$((N_UPTODATE + 1))
    fi
    N_REPOS=$((N_REPOS + 1))
}

uninstall_repo() {
    local repo=$1 hooks="$1/hooks" h hook chain orig t found=0 kv
    local list=()
    say "==> $repo"
    plain_ours() { is_ours "$hooks/$1"; }
    mapfile -t list < <(uninstall_list plain_ours)
    for h in "${list[@]}"; do
        hook="$hooks/$h"
        chain="$hook.d"
        orig="$chain/00-original"
        is_ours "$hook" || continue
        found=1
        if [ -e "$orig" ] || [ -L "$orig" ]; then
            act "move $orig back to $hook"
            if [ "$DRY_RUN" = 0 ]; then
                if [ -L "$orig" ]; then
                    t=$(symlink_target_up "$(readlink -- "$orig")" "$h.d")
                    ln -s -- "$t" "$hooks/.$h.pushguard-old.$$"
                    mv -f -- "$hooks/.$h.pushguard-old.$$" "$hook"
                    rm -f -- "$orig"
                else
                    mv -f -- "$orig" "$hook"
                fi
            fi
        else
            act "remove $hook"
            [ "$DRY_RUN" = 1 ] || rm -f -- "$hook"
        fi
        if [ -d "$chain" ] && [ ! -L "$chain" ]; then
            if [ "$DRY_RUN" = 1 ]; then
                # In a dry run 00-original is still there; judge without it.
                if [ "$(count_entries_except "$chain" "$orig")" -eq 0 ]; then
                    act "remove empty $chain"
                else
                    say "  would leave $chain (not empty)"
                fi
            elif is_empty_dir "$chain"; then
                act "remove empty $chain"
                rmdir -- "$chain"
            else
                say "  left $chain (not empty)"
            fi
        fi
    done
    if [ "$found" = 0 ]; then
        say "  not installed"
        N_NOT_INSTALLED=$((N_NOT_INSTALLED + 1))
    fi
    if kv=$(git config -f "$repo/config" --get-regexp '^pushguard\.' 2>/dev/null) && [ -n "$kv" ]; then
        say "  left pushguard settings in $repo/config alone:"
        printf '    %s\n' "${kv//$'\n'/$'\n'    }"
        say "  (remove them with: $(qcmd git config -f "$repo/config" --remove-section pushguard))"
    fi
    N_REPOS=$((N_REPOS + 1))
}

# ------------------------------------------------------------ demo

run_demo() {
    local tmp work bare rc out token line
    command -v git >/dev/null 2>&1 || ensure_deps
    DEMO_DIR=$(mktemp -d "${TMPDIR:-/tmp}/pushguard-demo.XXXXXX")
    trap 'rm -rf -- "$DEMO_DIR"' EXIT
    trap 'exit 130' INT
    trap 'exit 143' TERM
    tmp=$DEMO_DIR
    [ "$PREFIX_SET" = 1 ] || { PREFIX="$tmp/prefix"; BINDIR="$PREFIX/bin"; }
    bare="$tmp/demo.git"
    work="$tmp/work"
    # A fixed identity and no signing, whatever the user's git config says.
    g() {
        git -C "$work" -c user.name="Pushguard Demo" -c user.email=demo@example.com \
            -c commit.gpgsign=false "$@"
    }

    say "##"
    say "## 1. build pushguard and install it into $PREFIX"
    say "##"
    ensure_deps
    build_install

    say ""
    say "##"
    say "## 2. create a bare repository, install the $HOOK hook, log every decision"
    say "##"
    git -c init.defaultBranch=main init -q --bare "$bare"
    install_repo "$bare"
    git config -f "$bare/config" pushguard.auditLog "$tmp/audit.log"
    say "  hooks/$HOOK now contains:"
    sed 's/^/    | /' -- "$bare/hooks/$HOOK"
    say "  and $bare/config: pushguard.auditLog = $tmp/audit.log"

    # (git warns about cloning an empty repository; only show output on failure)
    out=$(git clone -q -- "$bare" "$work" 2>&1) || { printf '%s\n' "$out" >&2; die "demo: git clone failed"; }
    printf '%s\n' '# demo' 'A perfectly ordinary file.' >"$work/README.md"
    g add README.md
    g commit -q -m "Add README"

    say ""
    say "##"
    say "## 3. push a deploy script with a GitHub token in it (made up just now from random"
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
    [ "$rc" -ne 0 ] || die "demo: the push was accepted, but pushguard should have refused the token"
    case $out in *"$token"*) die "demo: the raw token reached the pusher's terminal" ;; esac
    case $out in *"scripts/deploy.sh:3"*"${token:0:4}…"*) ;; *) die "demo: the refusal does not show the masked token at scripts/deploy.sh:3" ;; esac
    say "(push refused, exit status $rc: as expected; the token itself is never shown)"

    say ""
    say "##"
    say "## 4. fix it as the message says (read the token at run time), but also add a"
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
    [ "$rc" -ne 0 ] || die "demo: the push was accepted, but pushguard should have refused keys/id_rsa"
    case $out in *keys/id_rsa*) ;; *) die "demo: the refusal does not name keys/id_rsa" ;; esac
    say "(push refused, exit status $rc: as expected)"

    say ""
    say "##"
    say "## 5. drop the key from the commit, push again: accepted"
    say "##"
    say "\$ git rm --cached keys/id_rsa && git commit --amend && git push origin HEAD:main"
    g rm -q --cached keys/id_rsa
    rm -f -- "$work/keys/id_rsa"
    g commit -q --amend -m "Add deploy script"
    rc=0
    g push origin HEAD:refs/heads/main 2>&1 || rc=$?
    if [ "$rc" -ne 0 ]; then
        die "demo: the fixed push was refused (exit $rc), but it should have been accepted"
    fi
    say "(push accepted: as expected)"

    say ""
    say "##"
    say "## 6. what the audit log kept: one JSON line per decision, and one for what landed"
    say "##    ($tmp/audit.log; fingerprints, never the secret)"
    say "##"
    [ -s "$tmp/audit.log" ] || die "demo: nothing was written to the audit log"
    while IFS= read -r line; do
        case $line in *"$token"*) die "demo: the raw token reached the audit log" ;; esac
        say "  $line"
        say ""
    done <"$tmp/audit.log"
    [ "$(grep -o '"event":"[a-z.]*"' "$tmp/audit.log" | tr '\n' ' ')" = \
      '"event":"push.rejected" "event":"push.rejected" "event":"push.accepted" "event":"push.landed" ' ] ||
        die "demo: expected 4 audit lines (refused, refused, accepted, landed)"
    say "\$ pushguard report $tmp/audit.log"
    "$BINDIR/pushguard" report "$tmp/audit.log" 2>&1 | sed 's/^/  /' || true

    say ""
    say "## demo done; removing $tmp"
}

# ------------------------------------------------------------ root, through sudo

# True when $1, or the nearest directory above it that exists, is writable.
writable_path() {
    local p=$1
    while [ ! -e "$p" ] && [ ! -L "$p" ]; do p=$(dirname -- "$p"); done
    [ -w "$p" ]
}

# What this run must write that this user cannot, one a line.
root_needs() {
    local r
    if [ "${PUSHGUARD_SKIP_DEPS:-}" != 1 ] && [ "$UNINSTALL" = 0 ] && [ -n "$(missing_deps)" ]; then
        echo "missing packages: $(missing_deps | paste -s -d ' ')"
    fi
    [ "$DEPS_ONLY" = 1 ] && return 0
    if [ "$UNINSTALL" = 0 ] && { [ "$DEMO" = 0 ] || [ "$PREFIX_SET" = 1 ]; } && ! writable_path "$PREFIX"; then
        echo "$PREFIX"
    fi
    for r in "${REPOS[@]}" "${ALL_DIRS[@]}" "$GLOBAL_DIR" "$GITOLITE_LOCAL"; do
        [ -n "$r" ] || continue
        if [ -d "$r/hooks" ]; then writable_path "$r/hooks" || echo "$r"
        else writable_path "$r" || echo "$r"; fi
    done
    if [ "$SERVER" = plain ] && [ -n "$GLOBAL_DIR" ] && ! writable_path "${GIT_CONFIG_SYSTEM:-/etc/gitconfig}"; then
        echo "git's system config (${GIT_CONFIG_SYSTEM:-/etc/gitconfig})"
    fi
}

# Not root, and root is needed: run again through sudo when there is sudo (the
# build then runs as this user again: src_owner), else say how.
maybe_sudo() {
    local needs
    [ "$(id -u)" -ne 0 ] || return 0
    needs=$(root_needs)
    [ -n "$needs" ] || return 0
    needs=${needs//$'\n'/, }
    if [ "$DRY_RUN" = 1 ]; then
        say "==> this would need root (for: $needs)"
        return 0
    fi
    if command -v sudo >/dev/null 2>&1; then
        say "==> root is needed (for: $needs): running again through sudo"
        exec sudo -- env ${PUSHGUARD_SKIP_DEPS:+PUSHGUARD_SKIP_DEPS=1} "$SRC/$PROG" "${ORIG_ARGS[@]}"
    fi
    die "root is needed (for: $needs), and there is no sudo: run it as root (su -c '$(qcmd "$SRC/$PROG" "${ORIG_ARGS[@]}")')"
}

# Who owns a repository this run creates: the nearest existing directory's owner,
# or, when that is root and this runs through sudo, the user who ran sudo (so
# they can push to it at once).
new_repo_owner() {
    local p=$1 o
    while [ ! -e "$p" ]; do p=$(dirname -- "$p"); done
    o=$(stat -c %u:%g -- "$p")
    if [ "${o%%:*}" = 0 ] && [ -n "${SUDO_UID:-}" ] && [ "${SUDO_UID}" != 0 ]; then
        o="$SUDO_UID:${SUDO_GID:-$SUDO_UID}"
    fi
    printf '%s' "$o"
}

# create_bare REPO: a new bare repository (parents too), owned by new_repo_owner.
create_bare() {
    local r=$1 owner top
    owner=$(new_repo_owner "$r")
    if [ "$DRY_RUN" = 1 ]; then
        say "==> $r does not exist: would create it as a bare repository"
        return 0
    fi
    top=$r
    while [ ! -e "$(dirname -- "$top")" ]; do top=$(dirname -- "$top"); done
    git -c init.defaultBranch=main init -q --bare -- "$r" >/dev/null ||
        die "$r: cannot create a bare repository there"
    if [ "$(id -u)" -eq 0 ]; then chown -R -h "$owner" -- "$top"; fi
    say "==> $r did not exist: created it as a bare repository (owner $(id -nu "${owner%%:*}" 2>/dev/null || echo "${owner%%:*}"))"
}

# ------------------------------------------------------------ main

maybe_sudo

if [ "$DEPS_ONLY" = 1 ]; then
    ensure_deps
    exit 0
fi

if [ "$DEMO" = 1 ]; then
    run_demo
    exit 0
fi

command -v git >/dev/null 2>&1 || ensure_deps
command -v git >/dev/null 2>&1 || die "git is not installed"

# Server-wide installs (--global, gitolite): one place, no repository.
if [ "$SERVER_WIDE" = 1 ]; then
    N_FAILED=0
    if [ "$UNINSTALL" = 1 ]; then
        case $SERVER in
            plain) uninstall_global_plain ;;
            gitlab) uninstall_global_gitlab ;;
            gitolite) uninstall_gitolite ;;
        esac
    else
        ensure_deps
        build_install
        case $SERVER in
            plain) install_global_plain ;;
            gitlab) install_global_gitlab ;;
            gitolite) install_gitolite ;;
        esac
    fi
    [ "$N_FAILED" = 0 ] || die "nothing installed"
    exit 0
fi

# Collect and check every repository before changing anything.
declare -A SEEN=()
TARGETS=()
bad=0
add_target() {
    local key
    key=$(cd -- "$1" && pwd -P)
    if [ -z "${SEEN[$key]+x}" ]; then
        SEEN[$key]=1
        TARGETS+=("$1")
    fi
}
CREATE=()
for r in "${REPOS[@]}"; do
    r=$(strip_slashes "$r")
    if [ ! -e "$r" ] && [ ! -L "$r" ] && [ "$UNINSTALL" = 0 ]; then
        CREATE+=("$r")
    elif [ ! -d "$r" ]; then
        err "$r: no such directory"
        bad=1
    elif ! is_bare_repo "$r"; then
        err "$r: not a bare git repository (git --git-dir=$r rev-parse --is-bare-repository did not say true)"
        bad=1
    else
        add_target "$r"
    fi
done
for d in "${ALL_DIRS[@]}"; do
    d=$(strip_slashes "$d")
    if [ ! -d "$d" ]; then
        err "--all $d: no such directory"
        bad=1
        continue
    fi
    found=0
    while IFS= read -r -d '' r; do
        add_target "$r"
        found=$((found + 1))
    done < <(find_bare_repos "$d")
    say "==> --all $d: found $found bare repositories"
done
# A repository path that does not exist yet becomes a new bare repository (once
# pushguard is built and installed, below).
declare -A NEW_REPO=()
for r in "${CREATE[@]}"; do
    key=$(realpath -m -- "$r")
    if [ -z "${SEEN[$key]+x}" ]; then
        SEEN[$key]=1
        TARGETS+=("$r")
        NEW_REPO[$r]=1
    fi
done
# The server type of each repository: --server, else detected.
declare -A KIND=()
for r in "${TARGETS[@]}"; do
    KIND[$r]=${SERVER:-$(detect_server "$r")}
    # an install made as plain (before --server existed, or with --server plain) is
    # removed as plain, whatever the layout says now
    if [ -z "$SERVER" ] && [ "$UNINSTALL" = 1 ] &&
       { is_ours "$r/hooks/pre-receive" || is_ours "$r/hooks/update"; }; then
        KIND[$r]=plain
    fi
    if [ "${KIND[$r]}" = gitolite ]; then
        err "$r: a gitolite repository (gl-conf): install once with --server gitolite --gitolite-local DIR"
        bad=1
    fi
done
[ "$bad" = 0 ] || die "nothing done"

if [ "$UNINSTALL" = 0 ]; then
    ensure_deps
    build_install
    if [ "$POLICY_SET" = 1 ] && [ "$DRY_RUN" = 0 ]; then
        case $POLICY in
            */*) [ -f "$POLICY" ] || warn "policy file $POLICY does not exist (here, at least)" ;;
            *) [ -f "$PREFIX/share/pushguard/policies/$POLICY.conf" ] ||
                   warn "no policy named '$POLICY' in $PREFIX/share/pushguard/policies" ;;
        esac
    fi
fi

for r in "${TARGETS[@]}"; do
    [ -z "${NEW_REPO[$r]+x}" ] || create_bare "$r"
    case ${KIND[$r]}:$UNINSTALL in
        plain:1) uninstall_repo "$r" ;;
        plain:0) install_repo "$r" ;;
        *:1) uninstall_entry "${KIND[$r]}" "$r" ;;
        *:0) install_entry "${KIND[$r]}" "$r" ;;
    esac
done

if [ "$UNINSTALL" = 1 ]; then
    verb=removed
    [ "$DRY_RUN" = 0 ] || verb="would remove"
    say "$verb from $((N_REPOS - N_NOT_INSTALLED)) repositories ($N_NOT_INSTALLED not installed)"
else
    verb=installed
    [ "$DRY_RUN" = 0 ] || verb="would install"
    say "$verb in $N_REPOS repositories ($N_UPTODATE already up to date)"
fi
if [ "$N_FAILED" -gt 0 ]; then
    die "$N_FAILED repositories failed"
fi
