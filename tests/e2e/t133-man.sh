#!/usr/bin/env bash
# Man pages: pushguard(1) and pushguard-config(5) installed by `make install` (through install.sh),
# valid roff, and pushguard-config(5) lists every key of `pushguard help config`.
. "$PG_LIB"

MAN1="$PG_PREFIX/share/man/man1/pushguard.1"
MAN5="$PG_PREFIX/share/man/man5/pushguard-config.5"

c_installed() {
	assert_file_exists "$MAN1"
	assert_file_exists "$MAN5"
}

c_valid_roff() {
	local m
	for m in "$MAN1" "$MAN5"; do
		run groff -man -ww -z "$m"
		assert_rc 0
		[ ! -s "$OUT" ] || fail "no groff warnings for $m" "$(head -n 3 "$OUT")"
	done
	run groff -man -Tutf8 "$MAN1"
	assert_output_contains "check --all"
}

c_every_key_documented() {
	local k missing=
	run "$PG_BIN/pushguard" help config
	assert_rc 0
	[ "$(grep -c '^pushguard\.' "$OUT")" -ge 50 ] || fail "pushguard help config lists the keys" "$(head -n 3 "$OUT")"
	while read -r k _; do
		grep -qxF ".B $k" "$MAN5" || missing="$missing $k"
	done <"$OUT"
	[ -z "$missing" ] || fail "every key of 'pushguard help config' in man/pushguard-config.5 (add it there)" "missing:$missing"
	# and no key there that pushguard does not know
	local documented
	for documented in $(sed -n 's/^\.B \(pushguard\.[A-Za-z.]*\)$/\1/p' "$MAN5"); do
		grep -q "^$documented " "$OUT" || fail "$documented is a key of pushguard help config" "unknown"
	done
}

c_every_command_documented() {
	local c n=0
	run "$PG_BIN/pushguard" help
	assert_rc 0
	for c in $(sed -n 's/^  \([a-z]\+\) .*/\1/p' "$OUT"); do
		n=$((n + 1))
		grep -qE "^\\.(B|TP|BR|BI) .*\\b$c\\b|^\\.B pushguard $c" "$MAN1" || fail "command '$c' in man/pushguard.1" "missing"
	done
	[ "$n" -ge 8 ] || fail "pushguard help lists the commands (at least 8)" "$n found"
}

run_case "make install puts pushguard.1 and pushguard-config.5 under PREFIX/share/man" c_installed
if command -v groff >/dev/null; then
	run_case "both pages are valid roff (groff -ww)" c_valid_roff
else
	skip_case "both pages are valid roff" "groff not installed (Debian package: groff-base)"
fi
run_case "pushguard-config(5) lists exactly the keys of pushguard help config" c_every_key_documented
run_case "pushguard(1) documents every command of pushguard help" c_every_command_documented
