#!/usr/bin/env bash
# make check-api: the public API is the only way in (issue 16, docs/api.md).
#
#   tests/api/check-api.sh BUILD_DIR    (run by `make check-api` and `make check`, which
#                                        pass CC, API_CFLAGS and API_LIBS)
#
# 1. lib/pushguard.h includes no project header, only system ones.
# 2. tools/*.c include no project header but pushguard.h and cli.h; hooks/*.c none but
#    pushguard.h (tools/build/, the build-time rule compiler, is part of the library's build).
# 3. Every tools/*.c and hooks/*.c compiles with pushguard.h (copied alone to a directory of
#    its own) and tools/cli.h the only project headers in reach.
# 4. tests/api/example.c, a program using pushguard.h alone, compiles the same way, links
#    against BUILD_DIR/libpushguard.a and prints tests/api/example.expected.
# Prints one "ok - ..." or "not ok - ..." line per rule and exits 1 when one fails.
set -u

B=${1:?usage: tests/api/check-api.sh BUILD_DIR}
CC=${CC:-cc}
API_CFLAGS=${API_CFLAGS:-}
API_LIBS=${API_LIBS:-}
TOP=$(cd "$(dirname "$0")/../.." && pwd)
cd "$TOP" || exit 2
WORK=$(mktemp -d "${TMPDIR:-/tmp}/pg-api.XXXXXX") || exit 2
trap 'rm -rf "$WORK"' EXIT
failed=0

ok() { echo "ok - $1"; }
not_ok() {
	echo "not ok - $1"
	[ -s "$WORK/out" ] && sed 's/^/# /' "$WORK/out" | head -n 40
	failed=1
}

# FILE ALLOWED...: the project headers (#include "...") FILE includes that are not ALLOWED
stray_includes() {
	local f=$1 h a ok_h
	shift
	sed -n 's/^[[:space:]]*#[[:space:]]*include[[:space:]]*"\([^"]*\)".*/\1/p' "$f" | while read -r h; do
		ok_h=0
		for a in "$@"; do [ "$h" = "$a" ] && ok_h=1; done
		[ "$ok_h" -eq 1 ] || echo "$f includes \"$h\""
	done
}

: >"$WORK/out"
stray_includes lib/pushguard.h >>"$WORK/out"
if [ -s "$WORK/out" ]; then not_ok "lib/pushguard.h includes no project header"; else ok "lib/pushguard.h includes no project header"; fi

: >"$WORK/out"
for f in tools/*.c; do stray_includes "$f" pushguard.h cli.h >>"$WORK/out"; done
for f in hooks/*.c; do stray_includes "$f" pushguard.h >>"$WORK/out"; done
if [ -s "$WORK/out" ]; then
	echo "(tools/ and hooks/ use the public API only: add what they need to lib/pushguard.h, see docs/api.md)" >>"$WORK/out"
	not_ok "tools/*.c include only pushguard.h and cli.h, hooks/*.c only pushguard.h"
else
	ok "tools/*.c include only pushguard.h and cli.h, hooks/*.c only pushguard.h"
fi

# pushguard.h alone in a directory of its own: no internal header can be found
mkdir -p "$WORK/include" && cp lib/pushguard.h "$WORK/include/"
: >"$WORK/out"
for f in tools/*.c hooks/*.c; do
	# shellcheck disable=SC2086 # flags are lists
	$CC $API_CFLAGS -I"$WORK/include" -Itools -fsyntax-only "$f" >>"$WORK/out" 2>&1 || echo "$f does not compile" >>"$WORK/out"
done
if grep -q 'does not compile' "$WORK/out"; then
	not_ok "tools/*.c and hooks/*.c compile with pushguard.h the only library header in reach"
else
	ok "tools/*.c and hooks/*.c compile with pushguard.h the only library header in reach"
fi

: >"$WORK/out"
# shellcheck disable=SC2086 # flags are lists
if $CC $API_CFLAGS -I"$WORK/include" -c tests/api/example.c -o "$WORK/example.o" >>"$WORK/out" 2>&1 &&
	$CC $API_CFLAGS -o "$WORK/example" "$WORK/example.o" "$B/libpushguard.a" $API_LIBS >>"$WORK/out" 2>&1; then
	ok "a program using pushguard.h alone compiles and links against $B/libpushguard.a"
	: >"$WORK/out"
	if "$WORK/example" "$TOP/policies" >"$WORK/got" 2>>"$WORK/out" &&
		diff -u tests/api/example.expected "$WORK/got" >>"$WORK/out"; then
		ok "it runs and prints tests/api/example.expected"
	else
		not_ok "it runs and prints tests/api/example.expected"
	fi
else
	not_ok "a program using pushguard.h alone compiles and links against $B/libpushguard.a"
fi
exit "$failed"
