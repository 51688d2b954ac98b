#!/bin/bash
# The valgrind harness self-test's stand-in for pushguard's install.sh:
#   install.sh --prefix DIR REPO.git...   build, make install, write REPO/hooks/pre-receive
set -eu
SRC=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd -P)
if [ "${1:-}" != --prefix ] || [ $# -lt 2 ]; then
	echo "usage: install.sh --prefix DIR REPO.git..." >&2
	exit 2
fi
PREFIX=$2
shift 2
make -C "$SRC" >/dev/null
make -C "$SRC" install PREFIX="$PREFIX" >/dev/null
for repo in "$@"; do
	printf '#!/bin/sh\nexec %q "$@"\n' "$PREFIX/bin/pushguard-pre-receive" >"$repo/hooks/pre-receive"
	chmod 0755 "$repo/hooks/pre-receive"
done
