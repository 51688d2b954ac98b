#!/usr/bin/env bash
# Reporting (issue 6): the audit log, signed webhook events delivered by a detached sender
# from a durable spool, `pushguard flush`, the bypass push option, the metrics file.
# A stand-in receiver (webhook_stub.py, loopback, free port, killed after each case) logs
# every POST and checks both signatures with Python's hmac.
. "$PG_LIB"

STUB="$(dirname "$PG_LIB")/webhook_stub.py"
# curl would send loopback requests to a proxy from the environment
unset http_proxy https_proxy HTTP_PROXY HTTPS_PROXY all_proxy ALL_PROXY no_proxy NO_PROXY

# ---------------------------------------------------------------- helpers
# start_receiver [PORT]: starts the stub; sets HOOK_URL, WLOG (request log), WMODE (mode file)
start_receiver() {
	local d=$PG_CASE_DIR
	WLOG="$d/webhook.log"
	WMODE="$d/webhook.mode"
	: >"$WLOG"
	[ -f "$WMODE" ] || echo normal >"$WMODE"
	[ -f "$d/secret" ] || make_secret "$d/secret"
	start_stub webhook "$STUB" --log "$WLOG" --port "${1:-0}" --secret-file "$d/secret" --mode-file "$WMODE"
	HOOK_URL="http://127.0.0.1:$STUB_PORT/hook"
}

# (mode 600: a secret file every user can read is refused)
make_secret() { head -c 32 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' | head -c 40 >"$1"; echo >>"$1"; chmod 600 "$1"; }

# a random GitHub-style token, generated now (never stored in the tree)
make_token() { printf 'ghp_%s' "$(head -c 60 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' | head -c 36)"; }

requests() { wc -l <"$WLOG" | tr -d ' '; }

# wait_requests N [SECONDS]: until the receiver has logged at least N requests
wait_requests() {
	local i
	for i in $(seq 1 $((${2:-10} * 10))); do
		[ "$(requests)" -ge "$1" ] && return 0
		sleep 0.1
	done
	OUT=$WLOG fail "$1 webhook requests" "$(requests)"
}

# wait_spool_empty DIR
wait_spool_empty() {
	local i
	for i in $(seq 1 100); do
		[ -z "$(ls "$1" 2>/dev/null)" ] && return 0
		sleep 0.1
	done
	fail "spool $1 empty" "$(ls "$1" | tr '\n' ' ')"
}

# jq-like checks in Python: pyq FILE EXPR -> prints the result of EXPR over `L` (list of parsed lines)
pyq() {
	python3 -c 'import json,sys; L=[json.loads(l) for l in open(sys.argv[1]) if l.strip()]; print(eval(sys.argv[2]))' "$1" "$2"
}

assert_pyq() { # FILE EXPR EXPECTED
	local got
	got=$(pyq "$1" "$2") || { OUT=$1 fail "$2 evaluates" "python error"; }
	[ "$got" = "$3" ] || { OUT=$1; fail "$2 = $3" "$got"; }
}

# reporting_repo: setup_repo with an audit log, files.deny id_rsa and a webhook to the receiver
reporting_repo() {
	setup_repo
	AUDIT="$PG_CASE_DIR/audit.jsonl"
	SPOOL="$PG_CASE_DIR/spool"
	set_config "$R" pushguard.auditLog "$AUDIT"
	add_config "$R" pushguard.files.deny id_rsa
	start_receiver
	set_config "$R" pushguard.webhook.url "$HOOK_URL"
	set_config "$R" pushguard.webhook.secretFile "$PG_CASE_DIR/secret"
	set_config "$R" pushguard.webhook.spoolDir "$SPOOL"
	set_config "$R" pushguard.webhook.retries 0
	set_config "$R" pushguard.webhook.timeout 3s
}

# ---------------------------------------------------------------- cases
c_rejected() {
	reporting_repo
	commit a.txt a "Fine"
	push origin main
	assert_push_ok
	commit keys/id_rsa "not really a key" "Add key"
	push origin main
	assert_push_refused
	wait_requests 1
	assert_pyq "$WLOG" 'L[0]["headers"]["x-pushguard-event"]' push.rejected
	assert_pyq "$WLOG" 'L[0]["github_sig_ok"] and L[0]["std_sig_ok"]' True
	assert_pyq "$WLOG" 'L[0]["headers"]["content-type"]' application/json
	local id
	id=$(pyq "$WLOG" 'json.loads(L[0]["body"])["id"]')
	assert_pyq "$WLOG" 'L[0]["headers"]["x-pushguard-delivery"] == L[0]["headers"]["webhook-id"] == json.loads(L[0]["body"])["id"]' True
	assert_pyq "$WLOG" 'L[0]["headers"]["x-pushguard-signature-256"].startswith("sha256=") and L[0]["headers"]["webhook-signature"].startswith("v1,") and L[0]["headers"]["webhook-timestamp"].isdigit()' True
	# the audit log has the same event, with the exact field names: the accepted push, what
	# landed of it (post-receive), this one
	assert_pyq "$AUDIT" '[e["event"] for e in L]' "['push.accepted', 'push.landed', 'push.rejected']"
	assert_pyq "$AUDIT" 'L[2]["id"]' "$id"
	assert_pyq "$AUDIT" 'sorted(k for k in L[2] if k in "id event time repository pusher protocol refs findings policy mode duration_ms pushguard_version".split())' \
		"['duration_ms', 'event', 'findings', 'id', 'mode', 'policy', 'protocol', 'pusher', 'pushguard_version', 'refs', 'repository', 'time']"
	assert_pyq "$AUDIT" 'L[2]["event"], L[2]["pusher"] != "", L[2]["protocol"], L[2]["repository"]' "('push.rejected', True, 'local', '$R')"
	assert_pyq "$AUDIT" '[(r["ref"], len(r["old"]), len(r["new"])) for r in L[2]["refs"]]' "[('refs/heads/main', 40, 40)]"
	assert_pyq "$AUDIT" '[(f["check"], f["rule"], f["path"], f["ref"], len(f["commit"])) for f in L[2]["findings"]]' "[('files', 'deny', 'keys/id_rsa', 'refs/heads/main', 40)]"
	assert_pyq "$AUDIT" 'L[2]["time"].endswith("Z") and L[2]["time"][10] == "T" and isinstance(L[2]["duration_ms"], int)' True
	# the first push was accepted: recorded, but not sent (default events: rejected, warned, bypassed)
	assert_pyq "$AUDIT" 'L[0]["event"], L[1]["refs"] == L[0]["refs"], L[1]["hook"]' "('push.accepted', True, 'post-receive')"
	sleep 0.5
	assert_eq "$(requests)" 1 "webhook requests"
	wait_spool_empty "$SPOOL"
}

c_accepted_all() {
	reporting_repo
	set_config "$R" pushguard.webhook.events all
	commit a.txt a "Fine"
	push origin main
	assert_push_ok
	wait_requests 1
	assert_pyq "$WLOG" 'json.loads(L[0]["body"])["event"], L[0]["github_sig_ok"]' "('push.accepted', True)"
	assert_pyq "$WLOG" 'json.loads(L[0]["body"])["findings"]' "[]"
}

c_warned() {
	reporting_repo
	set_config "$R" pushguard.mode warn
	commit id_rsa x "Key, warn mode"
	push origin main
	assert_push_ok
	assert_output_contains "warn mode"
	wait_requests 1
	assert_pyq "$WLOG" 'json.loads(L[0]["body"])["event"], json.loads(L[0]["body"])["mode"]' "('push.warned', 'warn')"
	assert_pyq "$AUDIT" '[e["event"] for e in L[-2:]]' "['push.warned', 'push.landed']"
}

c_bypass() {
	reporting_repo
	git config -f "$R/config" receive.advertisePushOptions true
	add_config "$R" pushguard.bypassUsers alice
	commit keys/id_rsa x "Key"
	# not listed
	PUSHGUARD_PUSHER=mallory push -o 'pushguard.bypass=trust me' origin main
	assert_push_refused
	assert_output_contains "bypass not honoured: you are not listed in pushguard.bypassUsers"
	assert_output_contains "keys/id_rsa"
	# listed, no reason
	PUSHGUARD_PUSHER=alice push -o pushguard.bypass origin main
	assert_push_refused
	assert_output_contains "bypass not honoured: a bypass needs a reason"
	# listed, with a reason
	PUSHGUARD_PUSHER=alice push -o 'pushguard.bypass=prod is down, INC-4711' origin main
	assert_push_ok
	assert_output_contains "bypass honoured: prod is down, INC-4711"
	assert_ref "$R" refs/heads/main "$(oid HEAD)"
	wait_requests 3
	assert_pyq "$WLOG" '[json.loads(r["body"])["event"] for r in L]' "['push.rejected', 'push.rejected', 'push.bypassed']"
	assert_pyq "$WLOG" 'json.loads(L[0]["body"])["bypass_refused"]' "you are not listed in pushguard.bypassUsers"
	assert_pyq "$WLOG" 'json.loads(L[2]["body"])["bypass_reason"], json.loads(L[2]["body"])["pusher"]' "('prod is down, INC-4711', 'alice')"
	assert_pyq "$WLOG" '[f["path"] for f in json.loads(L[2]["body"])["findings"]]' "['keys/id_rsa']"
	assert_pyq "$WLOG" 'L[2]["headers"]["x-pushguard-event"]' push.bypassed
}

c_no_raw_secret() {
	reporting_repo
	set_config "$R" pushguard.webhook.events all
	set_config "$R" pushguard.metricsFile "$PG_CASE_DIR/metrics.prom"
	local tok
	tok=$(make_token)
	# a denied file name (files.deny) and, if the secret scanner is on, a secret finding too
	commit id_rsa "token=$tok" "Add credentials"
	printf 'GITHUB_TOKEN=%s\n' "$tok" >deploy.sh
	git add deploy.sh
	git commit -q -m "Deploy script"
	push origin main
	assert_push_refused
	assert_output_not_contains "$tok"
	wait_requests 1
	wait_spool_empty "$SPOOL"
	local f
	for f in "$AUDIT" "$WLOG" "$PG_CASE_DIR/metrics.prom"; do
		if grep -qF -- "$tok" "$f"; then OUT=$f fail "no raw token in $(basename "$f")" "found"; fi
	done
	if grep -rqF -- "$tok" "$SPOOL" 2>/dev/null; then fail "no raw token in the spool" "found"; fi
	assert_pyq "$AUDIT" 'len(L[-1]["findings"]) >= 1' True
}

c_hanging_endpoint() {
	reporting_repo
	echo hang >"$WMODE"
	set_config "$R" pushguard.webhook.timeout 30s
	commit keys/id_rsa x "Key"
	local t0 t1 limit=2000
	# under valgrind a hook takes seconds to start: still well below the 30 s webhook timeout
	! under_valgrind || limit=20000
	t0=$(date +%s%N)
	push origin main
	t1=$(date +%s%N)
	assert_push_refused
	[ $(((t1 - t0) / 1000000)) -lt $limit ] || fail "push returns within $limit ms" "$(((t1 - t0) / 1000000)) ms"
	wait_requests 1 # the detached sender is trying, the push did not wait for it
	# the event stays in the spool while the endpoint hangs
	[ "$(ls "$SPOOL" | wc -l)" -eq 1 ] || fail "1 event in the spool" "$(ls "$SPOOL")"
}

c_down_then_up() {
	reporting_repo
	echo down >"$WMODE"
	commit keys/id_rsa x "Key"
	push origin main
	assert_push_refused
	wait_requests 1
	sleep 0.3
	[ "$(ls "$SPOOL" | wc -l)" -eq 1 ] || fail "1 event in the spool" "$(ls "$SPOOL")"
	run "$PG_BIN/pushguard" flush "$R"
	assert_rc 1
	assert_output_contains "HTTP 503"
	assert_output_contains "delivered 0, still pending 1"
	echo normal >"$WMODE"
	run "$PG_BIN/pushguard" flush "$R"
	assert_rc 0
	assert_output_contains "delivered 1, still pending 0"
	run "$PG_BIN/pushguard" flush "$R"
	assert_rc 0
	assert_output_contains "delivered 0, still pending 0"
	assert_pyq "$WLOG" '[r["status"] for r in L]' "[503, 503, 200]"
	assert_pyq "$WLOG" 'len(set(json.loads(r["body"])["id"] for r in L))' 1
	assert_file_absent "$SPOOL/$(ls "$SPOOL" 2>/dev/null | head -1)x"
	[ -z "$(ls "$SPOOL")" ] || fail "spool empty" "$(ls "$SPOOL")"
}

c_refused_then_listening() {
	setup_repo
	SPOOL="$PG_CASE_DIR/spool"
	local port
	port=$(_free_port)
	make_secret "$PG_CASE_DIR/secret"
	# nothing listens on the port yet
	set_config "$R" pushguard.webhook.url "http://127.0.0.1:$port/hook"
	set_config "$R" pushguard.webhook.secretFile "$PG_CASE_DIR/secret"
	set_config "$R" pushguard.webhook.spoolDir "$SPOOL"
	set_config "$R" pushguard.webhook.retries 0
	add_config "$R" pushguard.files.deny id_rsa
	commit id_rsa x "Key"
	push origin main
	assert_push_refused
	sleep 0.5
	[ "$(ls "$SPOOL" | wc -l)" -eq 1 ] || fail "1 event in the spool" "$(ls "$SPOOL" 2>&1)"
	start_receiver "$port"
	run "$PG_BIN/pushguard" flush "$R"
	assert_rc 0
	assert_output_contains "delivered 1"
	wait_requests 1
	assert_pyq "$WLOG" 'L[0]["github_sig_ok"], json.loads(L[0]["body"])["event"]' "(True, 'push.rejected')"
	# later pushes retry what is due as well: nothing left here
	run "$PG_BIN/pushguard" flush "$R"
	assert_output_contains "delivered 0, still pending 0"
}

c_later_push_retries() {
	reporting_repo
	echo down >"$WMODE"
	commit keys/id_rsa x "Key"
	push origin main
	assert_push_refused
	wait_requests 1
	sleep 0.3
	# make the undelivered event due now, as if its retry time had come
	touch -d '1 hour ago' "$SPOOL"/*.event
	echo normal >"$WMODE"
	git reset -q --hard HEAD~1
	commit keys2/id_rsa y "Another key"
	push origin main
	assert_push_refused
	wait_requests 3
	wait_spool_empty "$SPOOL"
	assert_pyq "$WLOG" 'sorted(r["status"] for r in L)' "[200, 200, 503]"
}

c_concurrent() {
	reporting_repo
	set_config "$R" pushguard.webhook.events all
	set_config "$R" pushguard.metricsFile "$PG_CASE_DIR/metrics.prom"
	local i pids=()
	for i in 1 2 3 4 5 6 7 8; do
		git clone -q "$(repo_url "$R")" "../c$i"
		(cd "../c$i" && commit "f$i.txt" "$i" "Change $i" && if [ $((i % 2)) = 0 ]; then commit "k$i/id_rsa" x "Key $i"; fi)
	done
	for i in 1 2 3 4 5 6 7 8; do
		(cd "../c$i" && git push -q origin "HEAD:refs/heads/b$i" >"../c$i.out" 2>&1 || true) &
		pids+=($!)
	done
	for i in "${pids[@]}"; do wait "$i" || true; done
	assert_pyq "$AUDIT" 'len(L)' 12 # 8 decisions, 4 landed
	assert_pyq "$AUDIT" 'len(set(e["id"] for e in L))' 12
	assert_pyq "$AUDIT" 'sorted(e["event"] for e in L)' "['push.accepted', 'push.accepted', 'push.accepted', 'push.accepted', 'push.landed', 'push.landed', 'push.landed', 'push.landed', 'push.rejected', 'push.rejected', 'push.rejected', 'push.rejected']"
	# events = all: the 8 decisions and the 4 push.landed of the accepted pushes
	wait_requests 12
	wait_spool_empty "$SPOOL"
	sleep 0.5
	assert_pyq "$WLOG" 'len(L), len(set(json.loads(r["body"])["id"] for r in L)), all(r["github_sig_ok"] for r in L)' "(12, 12, True)"
	grep -q 'pushguard_pushes_total{repository="'"$R"'",event="rejected"} 4$' "$PG_CASE_DIR/metrics.prom" ||
		{ OUT="$PG_CASE_DIR/metrics.prom"; fail "4 rejected pushes counted" "see metrics"; }
	grep -q '^pushguard_hook_duration_seconds_count 8$' "$PG_CASE_DIR/metrics.prom" ||
		{ OUT="$PG_CASE_DIR/metrics.prom"; fail "8 durations counted" "see metrics"; }
}

c_slack() {
	reporting_repo
	set_config "$R" pushguard.webhook.format slack
	commit keys/id_rsa x "Key"
	push origin main
	assert_push_refused
	wait_requests 1
	assert_pyq "$WLOG" 'list(json.loads(L[0]["body"]).keys())' "['text']"
	assert_pyq "$WLOG" '"push.rejected" in json.loads(L[0]["body"])["text"] and "keys/id_rsa" in json.loads(L[0]["body"])["text"]' True
	assert_pyq "$WLOG" 'L[0]["github_sig_ok"], L[0]["headers"]["x-pushguard-event"]' "(True, 'push.rejected')"
}

c_splunk() {
	reporting_repo
	set_config "$R" pushguard.webhook.format splunk-hec
	# without the HEC token: a configuration problem, reported, the verdict unchanged
	commit keys/id_rsa x "Key"
	push origin main
	assert_push_refused
	assert_output_contains "pushguard.webhook.tokenFile"
	assert_output_contains "the push decision stands"
	local hec
	hec=$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')
	echo "$hec" >"$PG_CASE_DIR/hec"
	chmod 600 "$PG_CASE_DIR/hec"
	set_config "$R" pushguard.webhook.tokenFile "$PG_CASE_DIR/hec"
	push origin main
	assert_push_refused
	wait_requests 1
	assert_pyq "$WLOG" 'L[0]["headers"]["authorization"]' "Splunk $hec"
	assert_pyq "$WLOG" 'sorted(json.loads(L[0]["body"]).keys())' "['event', 'host', 'source', 'sourcetype', 'time']"
	assert_pyq "$WLOG" '(json.loads(L[0]["body"])["source"], json.loads(L[0]["body"])["sourcetype"], json.loads(L[0]["body"])["event"]["event"], isinstance(json.loads(L[0]["body"])["time"], float))' \
		"('pushguard', 'pushguard:push', 'push.rejected', True)"
}

c_metrics_format() {
	setup_repo
	local M="$PG_CASE_DIR/metrics.prom"
	set_config "$R" pushguard.metricsFile "$M"
	add_config "$R" pushguard.files.deny id_rsa
	commit a.txt a "Fine"
	push origin main
	assert_push_ok
	commit id_rsa x "Key"
	push origin main
	assert_push_refused
	# Prometheus text exposition format: HELP/TYPE lines, then samples name{labels} value
	python3 - "$M" <<-'PY' >"$PG_CASE_DIR/check.out" 2>&1 || { OUT="$PG_CASE_DIR/check.out"; fail "valid Prometheus text format" "see output"; }
	import re, sys
	text = open(sys.argv[1]).read()
	assert text.endswith("\n")
	sample = re.compile(r'^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{([a-zA-Z_][a-zA-Z0-9_]*="([^"\\]|\\.)*",?)*\})? (-?[0-9.eE+-]+|\+Inf|NaN)$')
	types = {}
	vals = {}
	for line in text.splitlines():
	    if line.startswith("# TYPE "):
	        _, _, name, t = line.split(" ")
	        types[name] = t
	        continue
	    if line.startswith("# HELP "):
	        continue
	    m = sample.match(line)
	    assert m, "bad line: %r" % line
	    vals[line.rsplit(" ", 1)[0]] = float(line.rsplit(" ", 1)[1])
	assert types == {"pushguard_pushes_total": "counter", "pushguard_findings_total": "counter",
	                 "pushguard_ref_updates_landed_total": "counter",
	                 "pushguard_hook_duration_seconds": "histogram"}, types
	assert [v for k, v in vals.items() if k.startswith("pushguard_ref_updates_landed_total")] == [1.0], vals
	keys = [k for k in vals if k.startswith("pushguard_pushes_total")]
	assert sum(vals[k] for k in keys) == 2, vals   # accepted, rejected
	assert any('event="rejected"' in k and vals[k] == 1 for k in keys), keys
	assert any('check="files",rule="deny"' in k and vals[k] == 1 for k in vals), vals
	b = [(k, v) for k, v in vals.items() if k.startswith("pushguard_hook_duration_seconds_bucket")]
	assert b[-1][0].endswith('le="+Inf"}') and b[-1][1] == 2, b
	assert all(b[i][1] <= b[i + 1][1] for i in range(len(b) - 1)), b
	assert vals["pushguard_hook_duration_seconds_count"] == 2
	PY
	[ ! -e "$M.tmp.$$" ] || fail "no temp file left" "found"
}

c_unwritable() {
	setup_repo
	: >"$PG_CASE_DIR/plain"
	# audit log and spool under a regular file: cannot be created
	set_config "$R" pushguard.auditLog "$PG_CASE_DIR/plain/audit.jsonl"
	set_config "$R" pushguard.metricsFile "$PG_CASE_DIR/plain/m.prom"
	set_config "$R" pushguard.webhook.url "http://127.0.0.1:9/hook"
	set_config "$R" pushguard.webhook.spoolDir "$PG_CASE_DIR/plain/spool"
	commit a.txt a "Fine"
	push origin main
	assert_push_ok
	assert_output_contains "cannot open the audit log"
	assert_output_contains "pushguard.metricsFile"
	assert_output_contains "the push decision stands"
	add_config "$R" pushguard.files.deny id_rsa
	commit id_rsa x "Key"
	push origin main
	assert_push_refused # a refused push is spooled for the webhook: that fails too
	assert_output_contains "the webhook spool"
	assert_output_contains "the webhook event for this push is lost"
	assert_output_contains "the push decision stands"
}

c_config_check() {
	setup_repo
	# reporting never changes the verdict: a bad URL is said, the push goes through
	set_config "$R" pushguard.webhook.url "ftp://example.com/x"
	commit a.txt a "x"
	push origin main
	assert_push_ok
	assert_output_contains "pushguard.webhook.url = 'ftp://example.com/…'"
	assert_output_contains "the push decision stands"
	set_config "$R" pushguard.webhook.url "https://example.invalid/x"
	set_config "$R" pushguard.webhook.events "rejected,sometimes"
	set_config "$R" pushguard.auditLog "$PG_CASE_DIR/audit.jsonl"
	commit b.txt b "y"
	push origin main
	assert_push_ok # reporting problems never change the verdict
	assert_output_contains "pushguard.webhook.events"
	assert_output_contains "sometimes"
	run "$PG_BIN/pushguard" help config
	assert_output_contains "pushguard.webhook.secretFile"
	assert_output_contains "pushguard.bypassUsers"
}

run_case "rejected push: audit line and signed webhook (GitHub and Standard Webhooks headers)" c_rejected
run_case "events=all: accepted pushes are sent too" c_accepted_all
run_case "warn mode: push.warned" c_warned
run_case "bypass: unlisted and reasonless refused, listed honoured and recorded" c_bypass
run_case "no raw token in the audit log, webhook bodies, spool or metrics" c_no_raw_secret
run_case "a hanging endpoint never holds the push (under 2 s)" c_hanging_endpoint
run_case "endpoint down then up: flush delivers once, a second flush nothing" c_down_then_up
run_case "connection refused, then a receiver: flush delivers" c_refused_then_listening
run_case "a later push retries what is due in the spool" c_later_push_retries
run_case "8 concurrent pushes: whole audit lines, every event delivered once, metrics" c_concurrent
run_case "format=slack payload" c_slack
run_case "format=splunk-hec payload and token" c_splunk
run_case "metrics file: Prometheus text format" c_metrics_format
run_case "unwritable audit log, metrics and spool: reported, verdict unchanged" c_unwritable
run_case "bad webhook settings" c_config_check
