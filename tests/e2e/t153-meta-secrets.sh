#!/usr/bin/env bash
# Issue 15, item 5 (part): secrets in UTF-16/UTF-32 files, with or without a byte order
# mark, are decoded and found (git calls such files binary); clean UTF-16 text passes.
# Every credential-looking value is generated here from random characters.
. "$PG_LIB"

rand() { LC_ALL=C tr -dc "$2" </dev/urandom | head -c "$1"; }
gh_token() { printf '%s%s' "gh""p_" "$(rand 36 'A-Za-z0-9')"; }

# write_enc FILE ENCODING BOM TEXT: TEXT in ENCODING (iconv), with a byte order mark when BOM=1
write_enc() {
	local f=$1 enc=$2 bom=$3 text=$4
	{
		if [ "$bom" = 1 ]; then printf '\xef\xbb\xbf'; fi
		printf '%s\n' "$text"
	} | iconv -f UTF-8 -t "$enc" >"$f"
}

c_encoded() { # ENCODING BOM
	setup_repo
	local tok
	tok=$(gh_token)
	write_enc config.txt "$1" "$2" "token = $tok"
	git add config.txt
	git commit -q -m "Add config ($1)"
	push origin HEAD:refs/heads/main
	assert_push_refused
	assert_output_contains "github-pat"
	assert_output_contains "config.txt:1"
	assert_output_not_contains "$tok"
	# clean text in the same encoding passes
	git reset -q --hard HEAD~1
	write_enc notes.txt "$1" "$2" "just notes, nothing secret"
	git add notes.txt
	git commit -q -m "Add notes ($1)"
	push origin HEAD:refs/heads/main
	assert_push_ok
}
run_case "a token in a UTF-16LE file with a byte order mark is refused; clean UTF-16LE passes" c_encoded UTF-16LE 1
run_case "a token in a UTF-16BE file without a byte order mark is refused; clean UTF-16BE passes" c_encoded UTF-16BE 0
run_case "a token in a UTF-32LE file is refused; clean UTF-32LE passes" c_encoded UTF-32LE 0
run_case "a token in a UTF-32BE file with a byte order mark is refused" c_encoded UTF-32BE 1
