#!/usr/bin/env bash
# `pushguard scan` over a history with many blobs (read from the packs directly, in pack
# order, on several threads): the same findings whatever the number of threads and however
# the repository is packed; --jobs; progress on a terminal only.
# Every credential-looking value is generated here from random characters.
. "$PG_LIB"

rand() { LC_ALL=C tr -dc "$2" </dev/urandom | head -c "$1"; }
gh_token() { printf '%s%s' "gh""p_" "$(rand 36 'A-Za-z0-9')"; }

# a history of 81 commits (the seed, then 80), each changing a few files (deltas once packed), one token in
# the middle, in a line later commits keep
many_blobs_history() {
	local i
	setup_repo
	set_config "$R" pushguard.mode off
	mkdir -p src
	for i in $(seq 1 80); do
		seq 1 $((300 + i)) | sed "s/^/int value_$i = /" >"src/a$((i % 7)).c"
		seq 1 $((100 + i * 3)) >"src/b$((i % 5)).txt"
		[ "$i" = 40 ] && printf 'GITHUB_TOKEN=%s\n' "$(gh_token)" >>src/b0.txt
		git add -A
		git commit -q -m "step $i"
	done
	push origin HEAD:refs/heads/main
	assert_push_ok
}

# scan_json FILE ARGS...: the findings of `pushguard scan ARGS` as sorted JSON lines
scan_json() {
	local f=$1
	shift
	run "$PG_PREFIX/bin/pushguard" scan --format json --output "$f.json" "$@"
	assert_rc 1
	python3 -c 'import json,sys; print("\n".join(sorted(json.dumps(x, sort_keys=True) for x in json.load(open(sys.argv[1])))))' \
		"$f.json" >"$f"
}

c_same_findings_any_jobs_any_packing() {
	many_blobs_history
	scan_json "$PG_CASE_DIR/loose" "$R" # the pushed pack as it arrived
	assert_output_contains "findings"
	grep -q '"path": "src/b0.txt"' "$PG_CASE_DIR/loose" || fail "the token found" "$(cat "$PG_CASE_DIR/loose")"
	git --git-dir="$R" repack -q -a -d -f --depth=50 --window=50
	scan_json "$PG_CASE_DIR/deltas" "$R"
	assert_eq "$(cat "$PG_CASE_DIR/deltas")" "$(cat "$PG_CASE_DIR/loose")" "findings with long delta chains"
	scan_json "$PG_CASE_DIR/one" --jobs 1 "$R"
	assert_eq "$(cat "$PG_CASE_DIR/one")" "$(cat "$PG_CASE_DIR/loose")" "findings on one thread"
	git --git-dir="$R" -c repack.useDeltaBaseOffset=false repack -q -a -d -f
	scan_json "$PG_CASE_DIR/refdeltas" --jobs 3 "$R"
	assert_eq "$(cat "$PG_CASE_DIR/refdeltas")" "$(cat "$PG_CASE_DIR/loose")" "findings with ref deltas"
	mkdir "$PG_CASE_DIR/packs"
	mv "$R"/objects/pack/* "$PG_CASE_DIR/packs/"
	git --git-dir="$R" unpack-objects -q <"$(ls "$PG_CASE_DIR"/packs/*.pack)"
	scan_json "$PG_CASE_DIR/unpacked" "$R" # every object loose: all through libgit2
	assert_eq "$(cat "$PG_CASE_DIR/unpacked")" "$(cat "$PG_CASE_DIR/loose")" "findings with loose objects"
}

c_jobs_option() {
	many_blobs_history
	for bad in 0 -1 x 2x ''; do
		run "$PG_PREFIX/bin/pushguard" scan --jobs "$bad" "$R"
		assert_rc 2
		assert_output_contains "--jobs wants a number"
	done
	run "$PG_PREFIX/bin/pushguard" scan --help
	assert_rc 0
	assert_output_contains "--jobs N"
}

c_progress_on_a_terminal_only() {
	many_blobs_history
	# not a terminal: the summary alone, no progress line, no control characters
	"$PG_PREFIX/bin/pushguard" scan "$R" >/dev/null 2>"$PG_CASE_DIR/err" || true
	assert_eq "$(grep -c . "$PG_CASE_DIR/err")" 1 "lines on stderr"
	grep -q '^pushguard scan: 81 commits, .* findings$' "$PG_CASE_DIR/err" || fail "the summary" "$(cat "$PG_CASE_DIR/err")"
	if LC_ALL=C grep -q "$(printf '[\r\033]')" "$PG_CASE_DIR/err"; then
		fail "no control characters" "$(cat -v "$PG_CASE_DIR/err")"
	fi
	# a terminal (script(1) gives one): progress twice a second (this scan is quicker),
	# cleared before the summary
	command -v script >/dev/null || return 0
	script -qec "'$PG_PREFIX/bin/pushguard' scan '$R' >/dev/null" /dev/null >"$PG_CASE_DIR/tty" 2>&1 </dev/null || true
	grep -q 'pushguard scan: 81 commits, .* findings' "$PG_CASE_DIR/tty" || fail "the summary on a terminal" "$(cat -v "$PG_CASE_DIR/tty")"
}

run_case "the same findings with 1 or 3 threads, delta chains, ref deltas, loose objects" c_same_findings_any_jobs_any_packing
run_case "--jobs takes a number of threads" c_jobs_option
run_case "progress is shown on a terminal only" c_progress_on_a_terminal_only
