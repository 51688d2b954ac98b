#!/usr/bin/env bash
# A precompiled rules database that does not fit (damaged, or compiled from another version
# of the pack) is passed over for the cache, and the push is still checked (t112: the one
# that fits). Each case compiles the pack once (seconds; more under the sanitizers).
# Every credential-looking value is generated here from random characters.
. "$PG_LIB"

rand() { LC_ALL=C tr -dc "$2" </dev/urandom | head -c "$1"; }
gh_token() { printf '%s%s' "gh""p_" "$(rand 36 'A-Za-z0-9')"; }

INSTALLED_RULES="$PG_PREFIX/share/pushguard/rules"

# big_commit LINE: about 600 KiB of ordinary text (past the size where the database is
# used) with LINE as line 3 of the last file
big_commit() {
	local i
	mkdir -p data
	for i in 1 2 3 4; do
		seq 1 4000 | sed "s/^/ordinary line of part $i, number /" >"data/part$i.txt"
	done
	{ printf 'line one\nline two\n%s\n' "$1"; cat data/part4.txt; } >data/p4
	mv data/p4 data/part4.txt
	git add data
	git commit -q -m "Add data"
}

# cache_files: the database files in this case's cache dir
cache_files() { find "$XDG_CACHE_HOME" -name '*.hsdb' 2>/dev/null | wc -l; }

# the hook reads the pack from a copy (PUSHGUARD_RULES_DIR) whose database is damaged or
# was compiled from another version of the pack: passed over, the cache used, the push checked
c_unfit_shipped_database_passed_over() { # damaged|edited
	export XDG_CACHE_HOME="$PG_CASE_DIR/cache"
	local rules="$PG_CASE_DIR/rules" tok
	mkdir -p "$rules"
	cp "$INSTALLED_RULES/default.toml" "$INSTALLED_RULES/default.hsdb" "$rules/"
	case $1 in
		damaged) printf 'XXXX' | dd of="$rules/default.hsdb" bs=1 seek=100000 conv=notrunc 2>/dev/null ;;
		edited) printf '\n# edited by the admin\n' >>"$rules/default.toml" ;;
	esac
	export PUSHGUARD_RULES_DIR="$rules"
	setup_repo
	set_config "$R" pushguard.timeBudget 120s # the compile (3-4 s) is what this case is about
	tok=$(gh_token)
	big_commit "export GITHUB_TOKEN=$tok"
	push origin HEAD:refs/heads/main
	assert_push_refused
	assert_output_contains "data/part4.txt:3"
	assert_eq "$(cache_files)" 1 "database files compiled into the cache"
}

run_case "a damaged precompiled database is passed over for the cache" c_unfit_shipped_database_passed_over damaged
run_case "a database compiled from another version of the pack is passed over" c_unfit_shipped_database_passed_over edited
