#!/usr/bin/env bash
# Change tickets (pushguard.tickets.*): extraction, exemptions, live lookups against
# stand-in Jira, ServiceNow, GitHub and GitLab servers (tracker_stub.py on loopback, a
# free port, killed after each case), tokens, an unreachable or hanging tracker, the cache.
. "$PG_LIB"

STUB="$(dirname "$PG_LIB")/tracker_stub.py"
# curl would send loopback requests to a proxy from the environment
unset http_proxy https_proxy HTTP_PROXY HTTPS_PROXY all_proxy ALL_PROXY no_proxy NO_PROXY

# ---------------------------------------------------------------- helpers
# start_tracker [MODE]: starts the stub with $PG_CASE_DIR/tracker.json; sets TRACKER (base URL) and TLOG
start_tracker() {
	local d=$PG_CASE_DIR
	TLOG="$d/tracker.log"
	: >"$TLOG"
	[ -f "$d/tracker.json" ] || echo '{}' >"$d/tracker.json"
	start_stub tracker "$STUB" --data "$d/tracker.json" --log "$TLOG" --mode "${1:-normal}"
	TRACKER_PID=$STUB_PID
	TRACKER="http://127.0.0.1:$STUB_PORT"
}

stop_tracker() {
	stop_stub "${TRACKER_PID:-}"
	TRACKER_PID=
}

requests() { wc -l <"$TLOG" | tr -d ' '; }

assert_requests() { # N
	local n
	n=$(requests)
	[ "$n" -eq "$1" ] || { OUT=$TLOG; fail "$1 requests to the tracker" "$n"; }
}

# a random token, generated now (never stored in the tree)
make_token() { # FILE [PREFIX]
	printf '%s%s\n' "${2:-}" "$(head -c 30 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' | head -c 32)" >"$1"
	chmod 600 "$1" # a token file every user can read is refused
}

# tickets_repo: setup_repo (cwd -> w) with the ticket check on for PROJ and OPS
tickets_repo() {
	setup_repo
	set_config "$R" pushguard.tickets.required true
	add_config "$R" pushguard.tickets.projects PROJ
	add_config "$R" pushguard.tickets.projects OPS
}

jira_repo() { # [TRACKER MODE]
	tickets_repo
	cat >"$PG_CASE_DIR/tracker.json" <<-'EOF'
	{"jira": {"PROJ-1": ["In Progress", "indeterminate"], "PROJ-2": ["To Do", "new"],
	          "PROJ-3": ["Done", "done"], "PROJ-4": ["In Review", "indeterminate"],
	          "OPS-1": ["In Progress", "indeterminate"]}}
	EOF
	start_tracker "${1:-normal}"
	set_config "$R" pushguard.tickets.url "$TRACKER/rest/api/2/issue/{ticket}?fields=status"
	set_config "$R" pushguard.tickets.type jira
	make_token "$PG_CASE_DIR/token"
	set_config "$R" pushguard.tickets.tokenFile "$PG_CASE_DIR/token"
}

# ---------------------------------------------------------------- presence only
c_presence() {
	tickets_repo
	commit a.txt a "Fix the parser"
	push origin main
	assert_push_refused
	assert_output_contains "tickets  no-ticket"
	assert_output_contains "the commit message cites no ticket"
	assert_output_contains "PROJ-123"
	assert_output_contains "git commit --amend"
	assert_output_contains "git rebase -i $(git rev-parse --short=7 HEAD)~"
	git commit -q --amend -m "Fix the parser" -m "Refs: PROJ-77"
	push origin main
	assert_push_ok
	assert_ref "$R" refs/heads/main "$(oid HEAD)"
}

c_projects_restrict() {
	tickets_repo
	commit a.txt a "Decode UTF-8 and check SHA-256 sums (ISO-8601 dates)"
	push origin main
	assert_push_refused
	assert_output_contains "cites no ticket"
	git commit -q --amend -m "OPS-5: decode UTF-8"
	push origin main
	assert_push_ok
}

c_scope_subject() {
	tickets_repo
	set_config "$R" pushguard.tickets.scope subject
	commit a.txt a "Fix the parser" -m "Refs PROJ-5"
	push origin main
	assert_push_refused
	assert_output_contains "the commit subject cites no ticket"
	git commit -q --amend -m "PROJ-5 fix the parser"
	push origin main
	assert_push_ok
}

c_refs_scope() {
	tickets_repo
	add_config "$R" pushguard.tickets.refs refs/heads/main
	add_config "$R" pushguard.tickets.refs 'refs/heads/release/*'
	git checkout -q -b topic
	commit a.txt a "Work in progress"
	push origin topic
	assert_push_ok
	push origin topic:release/1.0
	assert_push_refused
	assert_output_contains "refs/heads/release/1.0"
	assert_output_contains "the commit message cites no ticket"
	assert_ref_absent "$R" refs/heads/release/1.0
	# the same commits fast-forwarded into main, with a ticket-less merge on top of them
	git checkout -q main
	git merge -q --no-ff --no-edit topic
	push origin main
	assert_push_refused
	assert_output_contains "$(git rev-parse --short=7 topic) \"Work in progress\""
	# reworded on the topic branch: accepted into main
	git reset -q --hard origin/main
	git checkout -q topic
	git commit -q --amend -m "PROJ-8 work in progress"
	push -f origin topic
	assert_push_ok
	push origin topic:main
	assert_push_ok
	assert_ref "$R" refs/heads/main "$(oid topic)"
}

c_missing_projects_is_config_error() {
	setup_repo
	set_config "$R" pushguard.tickets.required true
	commit a.txt a "PROJ-1 fix"
	push origin main
	assert_push_refused
	assert_output_contains "invalid configuration"
	assert_output_contains "pushguard.tickets.projects is not set"
}

c_merges_and_reverts_exempt() {
	tickets_repo
	set_config "$R" pushguard.tickets.skipMerges true
	set_config "$R" pushguard.tickets.skipPattern '^Revert "'
	git checkout -q -b side
	commit s.txt s "PROJ-1 side work"
	git checkout -q main
	commit m.txt m "PROJ-2 main work"
	git merge -q --no-edit --no-ff side
	git revert --no-edit HEAD~1 >/dev/null
	push origin main
	assert_push_ok
	assert_output_contains "ticket check skipped for $(git rev-parse --short=7 HEAD~1) \"Merge branch 'side'\" (merge commit; pushguard.tickets.skipMerges)"
	assert_output_contains "ticket check skipped for $(git rev-parse --short=7 HEAD) \"Revert \"PROJ-2 main work\"\" (message matches pushguard.tickets.skipPattern)"
	# without the exemptions the same kind of push is refused
	set_config "$R" pushguard.tickets.skipMerges false
	git checkout -q -b side2 main~1
	commit s2.txt s "PROJ-1 more side work"
	git checkout -q main
	git merge -q --no-edit --no-ff side2
	push origin main
	assert_push_refused
	assert_output_contains "Merge branch 'side2'"
}

c_exempt_user() {
	tickets_repo
	add_config "$R" pushguard.tickets.exemptUsers release-bot
	commit a.txt a "Bump version"
	PUSHGUARD_PUSHER=alice push origin main
	assert_push_refused
	PUSHGUARD_PUSHER=release-bot push origin main
	assert_push_ok
	assert_output_contains "ticket check skipped for the push by release-bot (exempt user; pushguard.tickets.exemptUsers)"
}

c_per_push() {
	tickets_repo
	set_config "$R" pushguard.tickets.perPush true
	set_config "$R" receive.advertisePushOptions true
	commit a.txt a "Refactor"
	commit b.txt b "Tests"
	push origin main
	assert_push_refused
	assert_output_contains "no new commit cites a valid ticket"
	assert_output_contains "git push -o ticket="
	push -o ticket=PROJ-9 origin main
	assert_push_ok
	commit c.txt c "More"
	commit d.txt d "PROJ-10 the change"
	commit e.txt e "Polish"
	push origin main
	assert_push_ok
}

# ---------------------------------------------------------------- Jira
c_jira_valid_closed_missing() {
	jira_repo
	commit a.txt a "PROJ-1 start"
	commit b.txt b "PROJ-2 next"
	push origin main
	assert_push_ok
	assert_requests 2
	grep -q '"/rest/api/2/issue/PROJ-1?fields=status"' "$TLOG" || { OUT=$TLOG; fail "request for PROJ-1"; }
	commit c.txt c "PROJ-3 reopen the old thing"
	commit d.txt d "PROJ-404 nonexistent"
	push origin main
	assert_push_refused
	assert_output_contains "ticket-not-allowed"
	assert_output_contains "PROJ-3: Done in Jira; allowed: category:new, category:indeterminate"
	assert_output_contains "ticket-not-found"
	assert_output_contains "PROJ-404: not found in Jira (HTTP 404"
	assert_output_contains "git rebase -i"
	# allowedStatus by name
	add_config "$R" pushguard.tickets.allowedStatus done
	add_config "$R" pushguard.tickets.allowedStatus "category:indeterminate"
	git reset -q --hard HEAD~1
	push origin main
	assert_push_ok
}

c_jira_token_sent_never_echoed() {
	jira_repo
	local tok
	tok=$(cat "$PG_CASE_DIR/token")
	commit a.txt a "PROJ-1 with a token"
	commit b.txt b "PROJ-3 closed"
	push origin main
	assert_push_refused
	grep -qF "\"authorization\": \"Bearer $tok\"" "$TLOG" || { OUT=$TLOG; fail "Authorization: Bearer <token> sent"; }
	assert_output_not_contains "$tok"
	# basic auth with user:token
	make_token "$PG_CASE_DIR/token" "svc-pushguard:"
	set_config "$R" pushguard.tickets.auth basic
	git reset -q --hard HEAD~1
	push origin main
	assert_push_ok
	local want
	want=$(tr -d '\n' <"$PG_CASE_DIR/token" | base64 -w0)
	grep -qF "\"authorization\": \"Basic $want\"" "$TLOG" || { OUT=$TLOG; fail "Authorization: Basic base64(user:token) sent"; }
}

c_jira_401_is_config_error() {
	jira_repo unauthorized
	local tok
	tok=$(cat "$PG_CASE_DIR/token")
	commit a.txt a "PROJ-1 change"
	push origin main
	assert_push_refused
	assert_output_contains "invalid configuration"
	assert_output_contains "HTTP 401"
	assert_output_contains "pushguard.tickets.tokenFile"
	assert_output_not_contains "$tok"
	grep -qF "$tok" "$TLOG" || { OUT=$TLOG; fail "the stub received the token (the test is meaningful)"; }
}

c_one_request_per_ticket() {
	jira_repo
	local i
	for i in $(seq 1 40); do
		commit "f$i.txt" "$i" "PROJ-$(( (i % 2) + 1 )) part $i" -m "Also relates to OPS-1 and PROJ-4."
	done
	push origin main
	assert_push_ok
	assert_requests 4
	# the same tickets again, with the cache on: the second push needs no lookup
	set_config "$R" pushguard.tickets.cacheTtl 60s
	commit g.txt g "PROJ-1 PROJ-2 one more"
	push origin main
	assert_push_ok
	assert_requests 6
	[ -f "$R/pushguard-tickets.cache" ] || fail "cache file $R/pushguard-tickets.cache written"
	assert_output_not_contains "$(cat "$PG_CASE_DIR/token")"
	commit h.txt h "PROJ-1 PROJ-2 and again"
	push origin main
	assert_push_ok
	assert_requests 6
	! grep -qF "$(cat "$PG_CASE_DIR/token")" "$R/pushguard-tickets.cache" || fail "token not in the cache file" "found"
}

c_tracker_down() {
	tickets_repo
	local port
	port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
	set_config "$R" pushguard.tickets.url "http://127.0.0.1:$port/rest/api/2/issue/{ticket}"
	commit a.txt a "PROJ-1 while the tracker is down"
	push origin main
	assert_push_refused
	assert_output_contains "tracker-unreachable"
	assert_output_contains "could not check 1 ticket (PROJ-1): Jira unreachable"
	assert_output_contains "pushguard.tickets.onUnreachable = reject"
	set_config "$R" pushguard.tickets.onUnreachable accept
	push origin main
	assert_push_ok
	assert_output_contains "ticket tracker unreachable"
	assert_output_contains "accepted because pushguard.tickets.onUnreachable = accept"
}

c_tracker_503_and_malformed() {
	jira_repo down
	commit a.txt a "PROJ-1 change"
	push origin main
	assert_push_refused
	assert_output_contains "Jira answered HTTP 503"
	stop_tracker
	start_tracker malformed
	set_config "$R" pushguard.tickets.url "$TRACKER/rest/api/2/issue/{ticket}?fields=status"
	push origin main
	assert_push_refused
	assert_output_contains "malformed answer from Jira"
	set_config "$R" pushguard.tickets.onUnreachable accept
	push origin main
	assert_push_ok
}

c_tracker_hangs() {
	jira_repo hang
	set_config "$R" pushguard.tickets.timeout 1s
	commit a.txt a "PROJ-1 change"
	commit b.txt b "PROJ-2 change"
	local t0 t1 limit=4000
	# under valgrind a hook takes seconds to start: still far below the stub's 120 s hang
	! under_valgrind || limit=30000
	t0=$(date +%s%N)
	push origin main
	t1=$(date +%s%N)
	assert_push_refused
	assert_output_contains "did not answer within 1000 ms"
	assert_output_contains "could not check 2 tickets"
	[ $(( (t1 - t0) / 1000000 )) -lt $limit ] || fail "push done within $limit ms (timeout 1 s)" "$(( (t1 - t0) / 1000000 )) ms"
	assert_requests 2
}

# ---------------------------------------------------------------- ServiceNow
c_servicenow() {
	tickets_repo
	local now_s start end past_start past_end
	start=$(date -u -d '-1 hour' '+%Y-%m-%d %H:%M:%S')
	end=$(date -u -d '+1 hour' '+%Y-%m-%d %H:%M:%S')
	past_start=$(date -u -d '-3 hour' '+%Y-%m-%d %H:%M:%S')
	past_end=$(date -u -d '-2 hour' '+%Y-%m-%d %H:%M:%S')
	cat >"$PG_CASE_DIR/tracker.json" <<-EOF
	{"servicenow": {
	  "CHG0000001": {"state": "-2", "approval": "approved", "start_date": "$start", "end_date": "$end"},
	  "CHG0000002": {"state": "-1", "approval": "requested", "start_date": "$start", "end_date": "$end"},
	  "CHG0000003": {"state": "3", "approval": "approved", "start_date": "$start", "end_date": "$end"},
	  "CHG0000004": {"state": "-1", "approval": "approved", "start_date": "$past_start", "end_date": "$past_end"}}}
	EOF
	start_tracker
	set_config "$R" pushguard.tickets.type servicenow
	set_config "$R" pushguard.tickets.url "$TRACKER/api/now/table/change_request"
	make_token "$PG_CASE_DIR/token"
	set_config "$R" pushguard.tickets.tokenFile "$PG_CASE_DIR/token"
	commit a.txt a "CHG0000001: deploy"
	push origin main
	assert_push_ok
	grep -q 'sysparm_query=number%3DCHG0000001' "$TLOG" || { OUT=$TLOG; fail "ServiceNow query by number"; }
	commit b.txt b "CHG0000002: unapproved"
	commit c.txt c "CHG0000003: closed"
	commit d.txt d "CHG0000009: unknown"
	push origin main
	assert_push_refused
	assert_output_contains "CHG0000002: the change is not approved in ServiceNow (approval is 'requested')"
	assert_output_contains "CHG0000003: Closed (3), approval approved in ServiceNow; allowed: -2, -1"
	assert_output_contains "CHG0000009: no such change request in ServiceNow"
	# the planned window
	git reset -q --hard HEAD~3
	commit e.txt e "CHG0000004: window is over"
	push origin main
	assert_push_ok
	set_config "$R" pushguard.tickets.checkWindow true
	commit f.txt f "CHG0000004: still over"
	push origin main
	assert_push_refused
	assert_output_contains "planned window is over"
}

# ---------------------------------------------------------------- GitHub / GitLab / http
c_github() {
	setup_repo
	set_config "$R" pushguard.tickets.required true
	echo '{"github": {"1": "open", "2": "closed"}, "gitlab": {"5": "opened", "6": "closed"}}' >"$PG_CASE_DIR/tracker.json"
	start_tracker
	set_config "$R" pushguard.tickets.type github
	set_config "$R" pushguard.tickets.url "$TRACKER/repos/acme/app/issues/{ticket}"
	make_token "$PG_CASE_DIR/token"
	set_config "$R" pushguard.tickets.tokenFile "$PG_CASE_DIR/token"
	commit a.txt a "Fix login (#1)"
	push origin main
	assert_push_ok
	grep -qF '"/repos/acme/app/issues/1"' "$TLOG" || { OUT=$TLOG; fail "GitHub issue lookup"; }
	grep -qF "Bearer $(cat "$PG_CASE_DIR/token")" "$TLOG" || { OUT=$TLOG; fail "token sent to GitHub"; }
	commit b.txt b "Fix #2 again"
	commit c.txt c "See #99"
	commit d.txt d "No issue at all"
	push origin main
	assert_push_refused
	assert_output_contains "#2: closed in GitHub; allowed: open"
	assert_output_contains "#99: not found in GitHub"
	assert_output_contains "an issue reference such as #123"
	# GitLab
	git reset -q --hard HEAD~3
	set_config "$R" pushguard.tickets.type gitlab
	set_config "$R" pushguard.tickets.url "$TRACKER/api/v4/projects/42/issues/{ticket}"
	commit e.txt e "Closes #5"
	push origin main
	assert_push_ok
	commit f.txt f "Closes #6"
	push origin main
	assert_push_refused
	assert_output_contains "#6: closed in GitLab; allowed: opened"
}

c_http_endpoint() {
	tickets_repo
	echo '{"http": ["PROJ-1"]}' >"$PG_CASE_DIR/tracker.json"
	start_tracker
	set_config "$R" pushguard.tickets.type http
	set_config "$R" pushguard.tickets.url "$TRACKER/check/{ticket}"
	commit a.txt a "PROJ-1 ok"
	push origin main
	assert_push_ok
	commit b.txt b "PROJ-2 unknown"
	push origin main
	assert_push_refused
	assert_output_contains "PROJ-2: not found in the ticket endpoint"
}

c_url_without_placeholder() {
	tickets_repo
	set_config "$R" pushguard.tickets.url "https://jira.example.com/rest/api/2/issue/"
	commit a.txt a "PROJ-1 x"
	push origin main
	assert_push_refused
	assert_output_contains "invalid configuration"
	assert_output_contains "has no {ticket} placeholder"
	assert_output_contains "$R/config"
}

c_check_cli() {
	tickets_repo
	set_config "$R" pushguard.tickets.url "https://jira.example.com/rest/api/2/issue/{ticket}"
	set_config "$R" pushguard.tickets.tokenFile "$PG_CASE_DIR/no-such-token"
	run "$PG_BIN/pushguard" check "$R"
	assert_rc 1
	assert_output_contains "pushguard.tickets.tokenFile = '$PG_CASE_DIR/no-such-token' in $R/config: cannot read the file"
	make_token "$PG_CASE_DIR/token"
	set_config "$R" pushguard.tickets.tokenFile "$PG_CASE_DIR/token"
	run "$PG_BIN/pushguard" check "$R"
	assert_rc 0
	assert_output_not_contains "$(cat "$PG_CASE_DIR/token")"
}

c_too_many_tickets() {
	tickets_repo
	local c i msg
	for c in 0 1 2; do
		msg="Bulk $c:"
		for i in $(seq 1 100); do msg="$msg PROJ-$((c * 100 + i))"; done
		commit "b$c.txt" "$c" "$msg"
	done
	push origin main
	assert_push_refused
	assert_output_contains "tickets  too-many-tickets"
	assert_output_contains "more than 256 distinct tickets"
}

run_case "presence only: commit without a ticket refused, with the fix" c_presence
run_case "projects: UTF-8, SHA-256, ISO-8601 are not tickets" c_projects_restrict
run_case "scope=subject: a ticket in the body does not count" c_scope_subject
run_case "tickets.refs limits the check to main and release/*" c_refs_scope
run_case "jira-style default pattern without projects is a configuration error" c_missing_projects_is_config_error
run_case "skipMerges and skipPattern exempt merges and reverts, with notes" c_merges_and_reverts_exempt
run_case "exemptUsers: the release bot pushes without tickets, with a note" c_exempt_user
run_case "perPush: one ticket per push, or -o ticket=KEY" c_per_push
run_case "jira: valid accepted, closed and missing refused, allowedStatus" c_jira_valid_closed_missing
run_case "jira: Bearer and Basic tokens sent, never echoed" c_jira_token_sent_never_echoed
run_case "jira: 401 is a configuration error, token not echoed" c_jira_401_is_config_error
run_case "40 commits, 4 distinct tickets: 4 requests; cache: none" c_one_request_per_ticket
run_case "tracker down: reject, then accept with a note" c_tracker_down
run_case "tracker 503 and malformed JSON count as unreachable" c_tracker_503_and_malformed
run_case "hanging tracker: push bounded by pushguard.tickets.timeout" c_tracker_hangs
run_case "servicenow: approved, unapproved, closed, unknown, planned window" c_servicenow
run_case "github and gitlab issues: open, closed, missing" c_github
run_case "http endpoint: 2xx valid, 404 missing" c_http_endpoint
run_case "url without {ticket} is a configuration error naming the file" c_url_without_placeholder
run_case "pushguard check reports an unreadable token file" c_check_cli
run_case "more than 256 distinct tickets in one push are refused, none looked up" c_too_many_tickets
