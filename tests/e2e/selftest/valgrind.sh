#!/usr/bin/env bash
# Self-test of the valgrind mode of tests/e2e/run.sh (PG_E2E_VALGRIND=1): runs t1-valgrind.sh
# against a stand-in source tree (tree/: install.sh, Makefile, hook.c) whose hook makes memcheck
# errors on purpose, and checks that the harness fails the run, names every error with its
# case and stack, and lets the clean pushes pass. Prints ok/not ok lines; exit 1 on a failure.
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
out=$(mktemp "${TMPDIR:-/tmp}/pg-vg-selftest.XXXXXX") || exit 2
trap 'rm -f "$out"' EXIT
PG_E2E_VALGRIND=1 PG_E2E_JOBS=1 PG_E2E_TOP="$HERE/tree" PG_E2E_DIR="$HERE" "$HERE/../run.sh" t1 >"$out" 2>&1
rc=$?
bad=0

check() { # DESCRIPTION COMMAND...
	local d=$1
	shift
	if "$@"; then
		echo "ok - valgrind self-test: $d"
	else
		echo "not ok - valgrind self-test: $d"
		bad=1
	fi
}
has() { grep -qE -- "$1" "$out"; }
has_not() { ! grep -qE -- "$1" "$out"; }
# the excerpt printed under the "not ok" line of CASE contains PATTERN
excerpt_has() { # CASE PATTERN
	awk -v c="in case \"t1-valgrind: $1\"" '/^not ok - /{on = index($0, c) > 0; next} on && /^#/' "$out" |
		grep -qE -- "$2"
}

check "run.sh exits 1 (exit $rc)" [ "$rc" -eq 1 ]
check "a definite leak fails, named with its case" \
	has '^not ok - t1-valgrind: valgrind: pushguard-pre-receive\.[0-9]+: 1 memcheck error\(s\) \(in case "t1-valgrind: push to leak"'
check "... with its record and stack" excerpt_has "push to leak" 'leak_here'
check "... and the record says definitely lost" excerpt_has "push to leak" 'definitely lost'
check "an uninitialised value fails, named with its case" \
	has '^not ok - t1-valgrind: valgrind: pushguard-pre-receive\.[0-9]+: 1 memcheck error\(s\) \(in case "t1-valgrind: push to uninit"'
check "... with its record and stack" excerpt_has "push to uninit" 'uninitialised value'
check "... in uninit_here" excerpt_has "push to uninit" 'uninit_here'
check "a leak in a forked child fails, named with the case of the process it forked from" \
	has '^not ok - t1-valgrind: valgrind: pushguard-pre-receive\.[0-9]+: 1 memcheck error\(s\) \(in case "t1-valgrind: push to forkleak"'
check "... in fork_leak_here" excerpt_has "push to forkleak" 'fork_leak_here'
check "the clean case is not reported" has_not 'clean push"'
check "every push itself passed; the three errors failed" has '^4 passed, 3 failed$'
check "9 processes counted: 6 clean, 3 with errors" \
	has '^# valgrind: t1-valgrind: 9 processes under memcheck: 6 clean, 3 with errors'
if [ "$bad" -ne 0 ]; then
	echo "# run.sh output:"
	sed 's/^/#   | /' "$out"
fi
exit "$bad"
