#!/usr/bin/env bash
# Run by tests/e2e/selftest/valgrind.sh (PG_E2E_TOP=selftest/tree): real pushes into a hook
# (tree/hook.c) that makes one memcheck error per case on purpose; the harness must name
# each in a "not ok" line, and pass the clean ones.
. "$PG_LIB"

c_push_ref() { # REF
	setup_repo
	commit a.txt a "Change"
	push origin "HEAD:refs/heads/$1"
	assert_push_ok
}

run_case "clean push" c_push_ref clean
run_case "push to leak" c_push_ref leak
run_case "push to uninit" c_push_ref uninit
run_case "push to forkleak" c_push_ref forkleak
