#!/usr/bin/env bash
# The documentation an admin navigates (issue 17): docs/config.md is what
# `pushguard help config --format markdown` prints today (`make docs` writes it), with each
# key's built-in default and its value under the shipped default policy; every relative
# link and anchor of README.md and docs/*.md resolves; contrib/config.example is a system
# file whose every key, set or commented out, is valid; the Quick start is two commands.
. "$PG_LIB"

# the reference as make docs generates it, into $OUT
reference() {
	run env PUSHGUARD_POLICY_DIR="$PG_TOP/policies" "$PG_BIN/pushguard" help config --format markdown
	assert_rc 0
}

c_reference_fresh() {
	reference
	cp "$OUT" "$PG_CASE_DIR/generated.md"
	if ! diff -u "$PG_TOP/docs/config.md" "$PG_CASE_DIR/generated.md" >"$PG_CASE_DIR/diff"; then
		fail "docs/config.md is what 'pushguard help config --format markdown' prints (run: make docs)" \
			"stale: $(head -n 12 "$PG_CASE_DIR/diff" | tr '\n' ' ')"
	fi
}

c_reference_every_key_and_defaults() {
	local k n=0
	run "$PG_BIN/pushguard" help config
	assert_rc 0
	cp "$OUT" "$PG_CASE_DIR/keys"
	reference
	while read -r k _; do
		grep -qxF "### \`$k\`" "$OUT" || fail "a section for $k in the reference" "missing"
		n=$((n + 1))
	done <"$PG_CASE_DIR/keys"
	[ "$n" -ge 60 ] || fail "at least 60 keys" "$n"
	# the effective default under the shipped policy, next to the built-in one
	assert_output_contains '| [`pushguard.files.maxSize`](#pushguardfilesmaxsize) | no limit | `100m` |'
	assert_output_contains '| [`pushguard.refs.denyDelete`](#pushguardrefsdenydelete) | (unset) | `refs/heads/main`, `refs/heads/master` |'
	assert_output_contains '| [`pushguard.timeBudget`](#pushguardtimebudget) | `4s` | same |'
	assert_output_contains '- under the default policy: `id_rsa`, `id_dsa`'
	# it is the installed default policy that is read: another one, other values
	mkdir pol
	printf '[pushguard "files"]\n\tmaxSize = 7m\n' >pol/default.conf
	run env PUSHGUARD_POLICY_DIR="$PWD/pol" "$PG_BIN/pushguard" help config --format markdown
	assert_rc 0
	assert_output_contains '| [`pushguard.files.maxSize`](#pushguardfilesmaxsize) | no limit | `7m` |'
	assert_output_contains '| [`pushguard.refs.denyDelete`](#pushguardrefsdenydelete) | (unset) | same |'
	# a default policy that does not load: no reference, an error naming it
	printf '[pushguard "files"]\n\tmaxSize = huge\n' >pol/default.conf
	run env PUSHGUARD_POLICY_DIR="$PWD/pol" "$PG_BIN/pushguard" help config --format markdown
	assert_rc 2
	assert_output_contains "pushguard.files.maxSize = 'huge'"
	run "$PG_BIN/pushguard" help config --format html
	assert_rc 2
	assert_output_contains "usage: pushguard help config [--format text|markdown]"
}

c_links_resolve() {
	run python3 "$PG_TOP/tests/e2e/doclinks.py" "$PG_TOP/README.md" "$PG_TOP"/docs/*.md
	assert_rc 0
	assert_output_matches '^[0-9]+ links checked, 0 broken$'
	# the checker sees a broken anchor and a missing file (and no link inside code)
	mkdir -p d
	printf '# Title\n\n## A `b.c` section\n\n[ok](#a-bc-section) [self](#title) [up](../d/x.md#title)\n' >d/x.md
	printf '[bad](x.md#nope) [gone](y.md) `[code](z.md)`\n\n```\n[fenced](w.md)\n```\n' >d/y2.md
	run python3 "$PG_TOP/tests/e2e/doclinks.py" d/x.md d/y2.md
	assert_rc 1
	assert_output_contains "d/y2.md:1: x.md#nope: no heading #nope in d/x.md"
	assert_output_contains "d/y2.md:1: y.md: no such file d/y.md"
	assert_output_not_contains "z.md"
	assert_output_not_contains "w.md"
	assert_output_contains "5 links checked, 2 broken"
}

c_config_example_valid() {
	local ex="$PG_TOP/contrib/config.example" k n=0
	git init -q --bare srv.git
	# as the system file: loads, no problem, and its values are the effective ones
	run env PUSHGUARD_SYSTEM_CONFIG="$ex" "$PG_BIN/pushguard" check srv.git
	assert_rc 0
	assert_output_contains "pushguard.mode = enforce	($ex)"
	assert_output_contains "pushguard.secrets.block = medium	($ex)"
	assert_output_contains "# policy OK"
	# every commented-out example too: a known key with a valid value (files it names
	# need not exist here)
	sed 's/^\t#\([A-Za-z]\+ = \)/\t\1/' "$ex" >all.conf
	run git config -f all.conf --list
	assert_rc 0
	cp "$OUT" all.list
	run "$PG_BIN/pushguard" help config
	cp "$OUT" keys
	while IFS='=' read -r k _; do
		grep -qi "^$k " keys || fail "$k (contrib/config.example) is a key of pushguard help config" "unknown"
		n=$((n + 1))
	done <all.list
	[ "$n" -ge 25 ] || fail "contrib/config.example shows at least 25 settings" "$n"
	run env PUSHGUARD_SYSTEM_CONFIG="$PWD/all.conf" "$PG_BIN/pushguard" check srv.git
	assert_output_not_contains "unknown key"
	assert_output_not_contains ": expected"
	assert_output_not_contains "invalid glob"
	assert_output_not_contains "not a full ref name"
	assert_output_contains "pushguard.signatures.required = true	($PWD/all.conf)"
}

c_quick_start_two_commands() {
	# what tests/debian/run.sh runs verbatim
	sed -n '/^## Quick start/,/^## /p' "$PG_TOP/README.md" | sed -n '/^```sh$/,/^```$/p' |
		grep -v '^```' | sed 's/[[:space:]]*#.*//' >qs
	assert_eq "$(cat qs)" "./install.sh /srv/git/project.git
make check" "the Quick start's commands"
}

run_case "docs/config.md is what pushguard help config --format markdown prints (make docs)" c_reference_fresh
run_case "the reference has every key, its built-in default and the default policy's value" c_reference_every_key_and_defaults
if command -v python3 >/dev/null; then
	run_case "every relative link and anchor in README.md and docs/*.md resolves" c_links_resolve
else
	skip_case "every relative link and anchor in README.md and docs/*.md resolves" "python3 not installed"
fi
run_case "contrib/config.example: loads as the system file; every key in it, commented or not, is valid" c_config_example_valid
run_case "the README's Quick start is the two commands tests/debian runs" c_quick_start_two_commands
