# shellcheck shell=bash
# Shared helpers for the pushguard end-to-end tests.
#
# Sourced by every tests/e2e/tNN-*.sh file, which run.sh starts with:
#   PG_TOP        the (snapshot of the) source tree: install.sh lives here
#   PG_PREFIX     temp prefix pushguard was installed into (one per job of run.sh)
#   PG_RUN_TMP    the job's temp dir: record background pids in PG_RUN_TMP/pids/ (killed after the file)
#   PG_TEST_TMP   fresh temp dir for this test file (removed afterwards)
#   PG_RESULTS    file run.sh counts results from (one "pass|fail|xfail|xpass NAME" line per case)
#   PG_TEST_NAME  e.g. t10-default-policy
#   PG_E2E_VALGRIND  non-empty when the pushguard binaries run under valgrind (run.sh's
#                 PG_E2E_VALGRIND=1): see under_valgrind and skip_case
#
# A test file defines case functions and runs each with
#   run_case "description" func [args...]
# Every case runs in a subshell with `set -eE`, in its own directory under PG_TEST_TMP.
# The first failing assertion (or unexpected failing command) ends the case and its
# diagnostics (command, expected, got) are printed under "not ok - ...".
# `known_bug "BUG-N: text"` inside a case marks it as expected to fail (printed as
# "not ok - ... # TODO BUG-N ..." and not counted as a failure).
# `skip_case "description" REASON` prints "ok - ... # SKIP REASON" instead of running a case
# (not counted either way), e.g. `under_valgrind && skip_case ... || run_case ...`.

if [ -z "${PG_PREFIX:-}" ] || [ -z "${PG_TEST_TMP:-}" ]; then
	echo "lib.sh: run the tests through tests/e2e/run.sh" >&2
	exit 2
fi

# ---------------------------------------------------------------- hermetic env
export HOME="$PG_TEST_TMP/home"
mkdir -p "$HOME"
unset GIT_DIR GIT_WORK_TREE GIT_INDEX_FILE GIT_OBJECT_DIRECTORY GIT_ALTERNATE_OBJECT_DIRECTORIES \
	GIT_CONFIG GIT_CONFIG_PARAMETERS GIT_CONFIG_COUNT GIT_CONFIG_GLOBAL GIT_CONFIG_SYSTEM \
	GIT_NAMESPACE GIT_QUARANTINE_PATH GIT_PUSH_OPTION_COUNT GIT_EXEC_PATH GIT_TRACE GIT_SSH_COMMAND \
	PUSHGUARD_SYSTEM_CONFIG PUSHGUARD_POLICY_DIR GL_ID GL_USERNAME GL_PROTOCOL GL_REPOSITORY \
	XDG_CONFIG_HOME EMAIL
export GIT_CONFIG_NOSYSTEM=1 GIT_TERMINAL_PROMPT=0 GIT_ADVICE=0
export GIT_AUTHOR_NAME="Alice Author" GIT_AUTHOR_EMAIL="alice@example.com"
export GIT_COMMITTER_NAME="Alice Author" GIT_COMMITTER_EMAIL="alice@example.com"
if locale -a 2>/dev/null | grep -qix 'c\.utf-\?8'; then export LC_ALL=C.UTF-8; else export LC_ALL=C; fi
export TZ=UTC
git config --global init.defaultBranch main
git config --global protocol.file.allow always
git config --global user.name "Alice Author"
git config --global user.email alice@example.com
git config --global advice.detachedHead false
git config --global commit.gpgSign false
git config --global tag.gpgSign false
git config --global push.default simple
git config --global core.autocrlf false

PG_BIN="$PG_PREFIX/bin"
PG_POLICY_DIR_INSTALLED="$PG_PREFIX/share/pushguard/policies"
PG_SYSTEM_CONFIG="$PG_PREFIX/etc/pushguard/config"
PG_TRANSPORT=${PG_TRANSPORT:-file}
PG_CASE_NO=0
ZERO_OID=0000000000000000000000000000000000000000

# ---------------------------------------------------------------- case runner
# _diag LINE... : add diagnostic lines for the current case
_diag() {
	local l
	for l in "$@"; do printf '%s\n' "$l" >>"$PG_CASE_DIR/.diag"; done
}

# fail EXPECTED [GOT]: assertion failure with the last command's output as context
fail() {
	ASSERT_FAILED=1
	_diag "command:  ${LAST_CMD:-(none)}" "expected: $1" "got:      ${2:-see output}"
	if [ -n "${OUT:-}" ] && [ -s "$OUT" ]; then
		_diag "output (exit ${RC:-?}):"
		sed -n '1,40s/^/  | /p' "$OUT" >>"$PG_CASE_DIR/.diag"
		local n
		n=$(wc -l <"$OUT")
		[ "$n" -le 40 ] || _diag "  | ... ($((n - 40)) more lines)"
	fi
	return 1
}

_pg_err_trap() { # rc cmd line
	[ -n "${ASSERT_FAILED:-}" ] && return 0
	ASSERT_FAILED=1
	_diag "command failed (exit $1) at $3: $2"
	if [ -n "${OUT:-}" ] && [ -s "$OUT" ]; then
		_diag "last captured output (${LAST_CMD:-}):"
		sed -n '1,25s/^/  | /p' "$OUT" >>"$PG_CASE_DIR/.diag"
	fi
}

# known_bug TEXT: this case is expected to fail because of a bug in pushguard
known_bug() { printf '%s\n' "$*" >"$PG_CASE_DIR/.xfail"; }

run_case() { # NAME FUNC [ARGS...]
	local name="$PG_TEST_NAME: $1"
	shift
	PG_CASE_NO=$((PG_CASE_NO + 1))
	local cdir="$PG_TEST_TMP/c$PG_CASE_NO"
	mkdir -p "$cdir"
	# which case ran in cN (run.sh names the case of a valgrind error by its directory)
	printf 'c%s\t%s\n' "$PG_CASE_NO" "$name" >>"$PG_TEST_TMP/.cases"
	(
		cd "$cdir" || exit 99
		PG_CASE_DIR=$cdir
		OUT="$cdir/.out"
		RC=
		LAST_CMD=
		ASSERT_FAILED=
		set -eE
		trap '_pg_err_trap $? "$BASH_COMMAND" "${BASH_SOURCE[0]##*/}:$LINENO"' ERR
		"$@"
	) </dev/null >"$cdir/.log" 2>&1
	local rc=$? xf=
	[ -f "$cdir/.xfail" ] && xf=$(cat "$cdir/.xfail")
	if [ $rc -eq 0 ]; then
		if [ -n "$xf" ]; then
			echo "ok - $name # TODO passed although marked as known bug ($xf): remove known_bug"
			echo "xpass $name" >>"$PG_RESULTS"
		else
			echo "ok - $name"
			echo "pass $name" >>"$PG_RESULTS"
		fi
		return 0
	fi
	if [ -n "$xf" ]; then
		echo "not ok - $name # TODO known bug: $xf"
		echo "xfail $name" >>"$PG_RESULTS"
	else
		echo "not ok - $name"
		echo "fail $name" >>"$PG_RESULTS"
	fi
	if [ -s "$cdir/.diag" ]; then
		sed 's/^/#   /' "$cdir/.diag"
	else
		echo "#   case exited with status $rc without a diagnostic"
	fi
	if [ -s "$cdir/.log" ]; then
		echo "#   stray output of the case:"
		sed -n '1,15s/^/#   | /p' "$cdir/.log"
	fi
	return 0
}

# skip_case DESCRIPTION REASON: the case is not run here; shown as "ok - … # SKIP REASON"
# (counted as skipped, with the reason, in run.sh's closing line and make check's summary)
skip_case() {
	echo "ok - $PG_TEST_NAME: $1 # SKIP $2"
	echo "skip $PG_TEST_NAME: $1 # $2" >>"$PG_RESULTS"
}

# under_valgrind: true when run.sh runs the pushguard binaries under valgrind memcheck
# (PG_E2E_VALGRIND=1): each run is 10-50x slower, and its process is memcheck, not pushguard
under_valgrind() { [ -n "${PG_E2E_VALGRIND:-}" ]; }

# pg_process_is PID BINARY: process PID runs the installed BINARY (e.g. pushguard-pre-receive):
# its executable is $PG_BIN/BINARY, or under valgrind it is memcheck running the real BINARY
pg_process_is() {
	local exe
	exe=$(readlink "/proc/$1/exe" 2>/dev/null) || return 1
	[ "$exe" != "$PG_BIN/$2" ] || return 0
	under_valgrind || return 1
	case $exe in */memcheck-*) ;; *) return 1 ;; esac
	tr '\0' '\n' <"/proc/$1/cmdline" 2>/dev/null | grep -q "/vg/real/$2\$"
}

# ---------------------------------------------------------------- commands
# run CMD...: run a command, capturing stdout+stderr in $OUT and the exit code in $RC
run() {
	LAST_CMD="$*"
	if "$@" >"$OUT" 2>&1; then RC=0; else RC=$?; fi
	return 0
}

# run_in DIR CMD...
run_in() {
	local d=$1
	shift
	LAST_CMD="(cd $d && $*)"
	if (cd "$d" && "$@") >"$OUT" 2>&1; then RC=0; else RC=$?; fi
	return 0
}

# push ARGS...: git push from the current work tree, output in $OUT, exit code in $RC
push() { run git push "$@"; }

out() { cat "$OUT"; }

# ---------------------------------------------------------------- repos
# new_bare_repo NAME: creates ./NAME.git (bare) and prints its absolute path
new_bare_repo() {
	local p="$PWD/$1.git"
	git init -q --bare "$p"
	printf '%s\n' "$p"
}

# install_hook REPO [install.sh options...]: install pushguard into REPO with the real installer
install_hook() {
	local repo=$1
	shift
	run "$PG_TOP/install.sh" --prefix "$PG_PREFIX" "$@" "$repo"
	[ "$RC" -eq 0 ] || fail "install.sh succeeds" "exit $RC"
}

# repo_url REPO: URL of a bare repo for the current transport (file, or daemon once start_daemon ran)
repo_url() {
	if [ "$PG_TRANSPORT" = daemon ]; then
		local rel=${1#"$PG_DAEMON_BASE"/}
		printf 'git://127.0.0.1:%s/%s\n' "$PG_DAEMON_PORT" "$rel"
	else
		printf 'file://%s\n' "$1"
	fi
}

# clone REPO DIR
clone() {
	git clone -q "$(repo_url "$1")" "$2" 2>"$PG_CASE_DIR/.clone.err" ||
		{ OUT="$PG_CASE_DIR/.clone.err" LAST_CMD="git clone $1 $2" RC=1 fail "clone succeeds"; }
}

# commit FILE CONTENT MSG [git commit args...]: write FILE (dirs created), add it and commit
commit() {
	local f=$1 c=$2 m=$3
	shift 3
	mkdir -p "$(dirname "$f")"
	printf '%s\n' "$c" >"$f"
	git add -- "$f"
	git commit -q -m "$m" "$@"
}

# commit_size FILE BYTES MSG [git commit args...]: commit a file of exactly BYTES bytes
commit_size() {
	local f=$1 n=$2 m=$3
	shift 3
	mkdir -p "$(dirname "$f")"
	head -c "$n" /dev/zero | tr '\0' 'x' >"$f"
	git add -- "$f"
	git commit -q -m "$m" "$@"
}

# fake_private_key: text that looks like a private key (generated, never stored in the tree)
fake_private_key() {
	printf -- '-----BEGIN %s PRIVATE KEY-----\n' OPENSSH
	head -c 96 /dev/urandom | base64
	printf -- '-----END %s PRIVATE KEY-----\n' OPENSSH
}

# commit_key FILE MSG: commit a fake private key at FILE
commit_key() {
	mkdir -p "$(dirname "$1")"
	fake_private_key >"$1"
	git add -- "$1"
	git commit -q -m "$2"
}

oid() { git rev-parse --verify "$1"; }
server_oid() { git --git-dir="$1" rev-parse --verify -q "$2"; }

# seed: in a fresh clone (cwd), make the first commit on main and push it (hooks active)
seed() {
	commit README.md "hello" "Initial commit"
	push origin HEAD:refs/heads/main
	assert_push_ok
}

# setup_repo [install.sh options...]: ./srv.git with pushguard, clone ./w with main pushed; cwd -> w
# Sets R (server repo path).
setup_repo() {
	R=$(new_bare_repo srv)
	install_hook "$R" "$@"
	clone "$R" w
	cd w || return
	seed
}

set_config() { git config -f "$1/config" "$2" "$3"; }
add_config() { git config -f "$1/config" --add "$2" "$3"; }
unset_config() { git config -f "$1/config" --unset-all "$2" || true; }

# count_objects REPO: loose + packed objects
count_objects() {
	git --git-dir="$1" count-objects -v | awk '$1=="count:"||$1=="in-pack:"{n+=$2} END{print n+0}'
}

# ---------------------------------------------------------------- assertions
assert_push_ok() {
	[ "$RC" -eq 0 ] || fail "push accepted (exit 0)" "exit $RC"
}

# refused by a server-side hook (pre-receive or update), not by the client or by git itself
assert_push_refused() {
	[ "$RC" -ne 0 ] || fail "push refused by the hook" "exit 0 (accepted)"
	grep -q 'hook declined' "$OUT" || fail "push refused by the hook (\"hook declined\" in output)" "exit $RC, no \"hook declined\""
}

assert_rc() {
	[ "$RC" -eq "$1" ] || fail "exit $1" "exit $RC"
}

assert_rc_nonzero() {
	[ "$RC" -ne 0 ] || fail "non-zero exit" "exit 0"
}

assert_output_contains() {
	grep -qF -- "$1" "$OUT" || fail "output contains: $1" "not found"
}

# case-insensitive (git lower-cases config variable names)
assert_output_contains_i() {
	grep -qiF -- "$1" "$OUT" || fail "output contains (ignoring case): $1" "not found"
}

assert_output_not_contains() {
	! grep -qF -- "$1" "$OUT" || fail "output does not contain: $1" "found: $(grep -F -m1 -- "$1" "$OUT")"
}

assert_output_matches() { # extended regex
	grep -qE -- "$1" "$OUT" || fail "output matches /$1/" "no match"
}

assert_ref() { # REPO REF OID
	local got
	got=$(server_oid "$1" "$2") || got="(absent)"
	[ "$got" = "$3" ] || fail "$2 in $(basename "$1") is $3" "$got"
}

assert_ref_absent() { # REPO REF
	local got
	if got=$(server_oid "$1" "$2"); then fail "$2 absent from $(basename "$1")" "$got"; fi
}

assert_object_absent() { # REPO OID
	if git --git-dir="$1" cat-file -e "$2" 2>/dev/null; then
		fail "object $2 absent from $(basename "$1")" "present"
	fi
}

assert_object_present() { # REPO OID
	git --git-dir="$1" cat-file -e "$2" 2>/dev/null || fail "object $2 present in $(basename "$1")" "absent"
}

assert_file_exists() { [ -e "$1" ] || fail "file exists: $1" "missing"; }
assert_file_absent() { [ ! -e "$1" ] || fail "file absent: $1" "exists"; }
assert_eq() { [ "$1" = "$2" ] || fail "${3:-value} = $2" "$1"; }

# ---------------------------------------------------------------- stand-in servers
# start_stub NAME SCRIPT [ARGS...]: starts a stand-in HTTP server on loopback (tracker_stub.py,
# webhook_stub.py: `python3 SCRIPT ARGS... --port-file $PG_CASE_DIR/NAME.port`) in a process
# group of its own, its output in $PG_CASE_DIR/NAME.err, and waits until it has written its
# port. Sets STUB_PID and STUB_PORT. stop_stub PID stops it; so does the end of the case, and
# run.sh kills it after the file whatever happens (its pid is in $PG_RUN_TMP/pids/NAME.PID).
start_stub() {
	local name=$1 script=$2 d=$PG_CASE_DIR pid i
	shift 2
	rm -f "$d/$name.port"
	setsid python3 "$script" "$@" --port-file "$d/$name.port" </dev/null >>"$d/$name.err" 2>&1 &
	pid=$!
	mkdir -p "$PG_RUN_TMP/pids"
	echo "$pid" >"$PG_RUN_TMP/pids/$name.$pid"
	_PG_STUBS="${_PG_STUBS:-} $pid"
	trap '_stop_stubs' EXIT
	for i in $(seq 1 100); do
		[ -s "$d/$name.port" ] && break
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.05
	done
	[ -s "$d/$name.port" ] ||
		{ OUT="$d/$name.err" LAST_CMD="python3 $script $* --port-file $d/$name.port" RC=1 fail "$name ($(basename "$script")) listening"; }
	STUB_PID=$pid
	STUB_PORT=$(cat "$d/$name.port")
}

# stop_stub PID: stops a server start_stub started (its process group); nothing for an empty PID
stop_stub() {
	local pid=${1:-} p rest=
	[ -n "$pid" ] || return 0
	kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
	rm -f "$PG_RUN_TMP/pids/"*".$pid"
	for p in ${_PG_STUBS:-}; do [ "$p" = "$pid" ] || rest="$rest $p"; done
	_PG_STUBS=$rest
}

_stop_stubs() {
	local p
	for p in ${_PG_STUBS:-}; do stop_stub "$p"; done
}

# ---------------------------------------------------------------- git daemon
_free_port() {
	python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])' 2>/dev/null ||
		echo $((20000 + RANDOM % 40000))
}

_port_answers() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# start_daemon BASEDIR: git daemon with receive-pack on a free port on 127.0.0.1; switches the
# transport of repo_url/clone to git://. The pid is recorded so run.sh kills it whatever happens.
start_daemon() {
	local base=$1 try port pid i daemon
	daemon="$(git --exec-path)/git-daemon"
	[ -x "$daemon" ] || { echo "git-daemon not found at $daemon" >&2; return 1; }
	mkdir -p "$PG_RUN_TMP/pids"
	for try in 1 2 3 4 5; do
		port=$(_free_port)
		setsid "$daemon" --reuseaddr --informative-errors --enable=receive-pack --export-all \
			--base-path="$base" --port="$port" --listen=127.0.0.1 \
			</dev/null >>"$PG_TEST_TMP/daemon.log" 2>&1 &
		pid=$!
		echo "$pid" >"$PG_RUN_TMP/pids/daemon.$pid"
		for i in $(seq 1 100); do
			if _port_answers "$port"; then
				PG_DAEMON_PID=$pid PG_DAEMON_PORT=$port PG_DAEMON_BASE=$base PG_TRANSPORT=daemon
				export PG_DAEMON_PID PG_DAEMON_PORT PG_DAEMON_BASE PG_TRANSPORT
				return 0
			fi
			kill -0 "$pid" 2>/dev/null || break
			sleep 0.1
		done
		_kill_daemon "$pid"
	done
	echo "could not start git daemon; log:" >&2
	cat "$PG_TEST_TMP/daemon.log" >&2
	return 1
}

_kill_daemon() {
	kill -TERM -- "-$1" 2>/dev/null
	kill -TERM "$1" 2>/dev/null
	rm -f "$PG_RUN_TMP/pids/daemon.$1"
}

stop_daemon() {
	[ -n "${PG_DAEMON_PID:-}" ] || return 0
	_kill_daemon "$PG_DAEMON_PID"
	PG_DAEMON_PID='' PG_TRANSPORT=file
}

trap 'stop_daemon' EXIT
trap 'exit 143' TERM INT
