#!/usr/bin/env bash
# `pushguard report`: the text summary of audit logs, and the HTML dashboard checked in
# headless Chromium (renders, no console errors, the SVG charts, the latest refusals with
# confidence, excerpt and fingerprint, weekly trends, unchecked pushes). Without the
# Debian package chromium the browser case is skipped with a message.
. "$PG_LIB"

CHROMIUM=$(command -v chromium || command -v chromium-browser || true)

# audit_fixture FILE: a log from real pushes (accepted, rejected, bypassed) plus older days
audit_fixture() {
	local log=$1 i
	setup_repo
	set_config "$R" pushguard.auditLog "$log"
	git config -f "$R/config" receive.advertisePushOptions true
	add_config "$R" pushguard.files.deny id_rsa
	add_config "$R" pushguard.bypassUsers alice
	commit a.txt a "Fine"
	push origin main
	assert_push_ok
	commit id_rsa x "Key"
	push origin main
	assert_push_refused
	PUSHGUARD_PUSHER=alice push -o 'pushguard.bypass=<b>hotfix</b> & INC-9' origin main
	assert_push_ok
	for i in 1 2 3 4 5; do
		printf '{"id":"old-%s","event":"push.%s","time":"2024-04-0%sT10:00:00.000Z","repository":"old/repo","pusher":"bob","protocol":"ssh","refs":[],"findings":[{"check":"secrets","rule":"aws-access-key","ref":"refs/heads/main","commit":null,"message":"m","fingerprint":null}],"policy":"default","mode":"enforce","duration_ms":%s,"pushguard_version":"0.1.0"}\n' \
			"$i" "$([ "$i" -le 2 ] && echo rejected || echo warned)" "$i" "$((i * 100))" >>"$log"
	done
	echo 'this is not an event' >>"$log"
}

c_text() {
	local log="$PG_CASE_DIR/audit.jsonl"
	audit_fixture "$log"
	run "$PG_BIN/pushguard" report "$log"
	assert_rc 0
	assert_output_contains "pushguard report: 8 push decisions from 2024-04-01 to "
	assert_output_contains "1 line skipped"
	assert_output_contains "accepted 1, rejected 3, warned 3, bypassed 1"
	assert_output_contains "secrets / aws-access-key  5"
	assert_output_contains "files / deny  2"
	assert_output_contains "old/repo  pushes 5, rejected 2"
	assert_output_contains "alice  "
	assert_output_contains '"<b>hotfix</b> & INC-9"  (1 finding overridden)'
	# the slowest of the five 100-500 ms lines and the three real pushes (slow under valgrind)
	local max
	max=$(python3 -c 'import json, sys; print(max(json.loads(l)["duration_ms"] for l in open(sys.argv[1]) if l.startswith("{")))' "$log")
	assert_output_matches "hook latency \(ms\): p50 [0-9]+  p90 [0-9]+  p95 [0-9]+  p99 [0-9]+  max $max\$"
	run "$PG_BIN/pushguard" report --since 2024-04-04 "$log"
	assert_output_contains "5 push decisions"
	run "$PG_BIN/pushguard" report --since tomorrow "$log"
	assert_rc 2
	assert_output_contains "--since 'tomorrow'"
	run "$PG_BIN/pushguard" report "$PG_CASE_DIR/missing.jsonl"
	assert_rc 2
	assert_output_contains "cannot read"
}

# chrome_check URL OUTDOM ERRLOG: headless render; the DOM to OUTDOM, the browser log to ERRLOG
chrome_check() {
	local ud
	ud=$(mktemp -d)
	timeout 90 "$CHROMIUM" --headless --no-sandbox --disable-gpu --disable-background-networking \
		--disable-component-update --no-first-run --user-data-dir="$ud" --enable-logging=stderr --v=0 \
		--dump-dom "$1" >"$2" 2>"$3" || true
	rm -rf "$ud"
}

c_html_in_chromium() {
	local log="$PG_CASE_DIR/audit.jsonl" page="$PG_CASE_DIR/report.html" n
	audit_fixture "$log"
	# a refused secret whose finding carries a confidence, and a push accepted unchecked
	printf '%s\n' '{"id":"sec-1","event":"push.rejected","time":"2024-04-06T09:30:00.000Z","repository":"old/repo","pusher":"carol","protocol":"ssh","refs":[{"ref":"refs/heads/main","old":"0","new":"1"}],"findings":[{"check":"secrets","rule":"github-pat","confidence":"high","ref":"refs/heads/main","commit":"c0ffee","path":"deploy/prod.env","line":7,"message":"m","excerpt":"ghp_…","fingerprint":"c0ffee:deploy/prod.env:github-pat:7"}],"policy":"default","mode":"enforce","duration_ms":40,"pushguard_version":"0.1.0"}' \
		'{"id":"unc-1","event":"push.unchecked","time":"2024-04-06T11:00:00.000Z","repository":"old/repo","pusher":"dave","protocol":"ssh","refs":[{"ref":"refs/heads/big","old":"0","new":"1"}],"findings":[],"error":"the time budget (pushguard.timeBudget) ran out","policy":"default","mode":"enforce","duration_ms":4000,"pushguard_version":"0.1.0"}' >>"$log"
	run "$PG_BIN/pushguard" report --html "$page" "$log"
	assert_rc 0
	assert_output_contains "HTML report written to $page"
	assert_file_exists "$page"
	# self-contained: no script, nothing fetched
	! grep -qi '<script\|<link\|src=' "$page" || fail "no scripts, links or external sources" "$(grep -io '<script\|<link\|src=' "$page" | head -1)"
	grep -qF '&lt;b&gt;hotfix&lt;/b&gt; &amp; INC-9' "$page" || fail "bypass reason escaped" "not found"
	# the check itself can fail: a page that logs to the console is caught
	printf '<html><body><script>console.error("planted")</script></body></html>' >"$PG_CASE_DIR/bad.html"
	chrome_check "file://$PG_CASE_DIR/bad.html" "$PG_CASE_DIR/bad.dom" "$PG_CASE_DIR/bad.log"
	grep -q ':CONSOLE.*planted' "$PG_CASE_DIR/bad.log" ||
		{ OUT="$PG_CASE_DIR/bad.log"; fail "chromium reports console messages" "none seen"; }
	chrome_check "file://$page" "$PG_CASE_DIR/dom.html" "$PG_CASE_DIR/chrome.log"
	OUT="$PG_CASE_DIR/chrome.log"
	grep -q '</html>' "$PG_CASE_DIR/dom.html" || fail "chromium rendered the page" "no DOM"
	! grep -E ':CONSOLE|Uncaught|Refused to' "$PG_CASE_DIR/chrome.log" || fail "no console errors" "$(grep -E ':CONSOLE|Uncaught|Refused to' "$PG_CASE_DIR/chrome.log" | head -1)"
	OUT="$PG_CASE_DIR/dom.html"
	n=$(grep -o '<svg' "$PG_CASE_DIR/dom.html" | wc -l)
	[ "$n" -ge 8 ] || fail "8 svg charts (weekly, rules and repositories by refusals, per day, rules, repositories, pushers, latency)" "$n"
	# the latest refusals, newest first: today's real push refused for id_rsa before the
	# 2024 secret (with its confidence, masked excerpt and fingerprint)
	grep -q 'id="refusals"' "$PG_CASE_DIR/dom.html" || fail "latest refusals table" "missing"
	grep -qF 'secrets / github-pat <span class="conf conf-high">high</span>' "$PG_CASE_DIR/dom.html" || fail "confidence shown" "missing"
	grep -qF '<td class="mono">deploy/prod.env:7</td><td class="mono">ghp_…</td><td class="mono fp">c0ffee:deploy/prod.env:github-pat:7</td>' "$PG_CASE_DIR/dom.html" ||
		fail "path:line, masked excerpt, fingerprint of the refused secret" "missing"
	[ "$(grep -o 'files / deny</td><td class="mono">id_rsa' "$PG_CASE_DIR/dom.html" | wc -l)" -eq 1 ] ||
		fail "the real refused push (id_rsa) listed once" "$(grep -o 'files / deny</td><td class="mono">id_rsa' "$PG_CASE_DIR/dom.html" | wc -l)"
	n=$(awk '/id="refusals"/,/<\/table>/' "$PG_CASE_DIR/dom.html" | grep -o 'id_rsa\|deploy/prod.env' | head -n 1)
	[ "$n" = id_rsa ] || fail "newest refusal (today's id_rsa push) first" "$n"
	grep -q 'id="weekly"' "$PG_CASE_DIR/dom.html" || fail "weekly table" "missing"
	grep -q '<td>2024-W14</td>' "$PG_CASE_DIR/dom.html" || fail "ISO week 2024-W14 (April 1-6, 2024)" "missing"
	grep -q 'id="weekly-chart"' "$PG_CASE_DIR/dom.html" || fail "weekly chart" "missing"
	grep -qF '<td>refs/heads/big</td><td>the time budget (pushguard.timeBudget) ran out</td><td>no result yet</td>' "$PG_CASE_DIR/dom.html" ||
		fail "the unchecked push listed with why and its (missing) background check" "missing"
	grep -q 'id="per-day"' "$PG_CASE_DIR/dom.html" || fail "per-day chart" "missing"
	grep -q '<rect' "$PG_CASE_DIR/dom.html" || fail "bars drawn" "no rect"
	grep -q 'id="bypasses"' "$PG_CASE_DIR/dom.html" || fail "bypass table" "missing"
	grep -q 'id="latency"' "$PG_CASE_DIR/dom.html" || fail "latency table" "missing"
}

run_case "report: text summary, --since, errors" c_text
if [ -n "$CHROMIUM" ]; then
	run_case "report --html: renders in headless Chromium, no console errors, SVG charts" c_html_in_chromium
else
	skip_case "report --html in headless Chromium" "chromium not installed (Debian package: chromium)"
fi
