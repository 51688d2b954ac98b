#!/usr/bin/env bash
# The background check after an accept-and-report timeout (pushguard.onTimeout): a push the
# time budget cut short is accepted and recorded as push.unchecked, then checked in full by a
# detached process once it landed, and the result recorded as push.scanned (audit log, metrics,
# webhook). Secret, clean, "did not land" (a later hook refused), chained-hook refusal, only
# what the push added, the update hook, concurrent checks, a killed check.
# The time budget is spent on purpose: 1 ms against a few hundred new commits.
# Every credential-looking value is generated here from random characters.
. "$PG_LIB"

STUB="$(dirname "$PG_LIB")/webhook_stub.py"
unset http_proxy https_proxy HTTP_PROXY HTTPS_PROXY all_proxy ALL_PROXY no_proxy NO_PROXY

# ---------------------------------------------------------------- helpers
rand() { LC_ALL=C tr -dc "$2" </dev/urandom | head -c "$1"; }
gh_token() { printf '%s%s' "gh""p_" "$(rand 36 'A-Za-z0-9')"; }

# many_commits N [BRANCH]: N new commits on the current branch, each adding a file (git fast-import)
many_commits() {
	local n=$1 parent i b
	b=$(git symbolic-ref --short HEAD)
	parent=$(git rev-parse HEAD)
	for i in $(seq 1 "$n"); do
		printf 'commit refs/heads/%s\ncommitter Alice Author <alice@example.com> %d +0000\ndata <<EOM\nChange %d\nEOM\n' \
			"$b" $((1700000000 + i)) "$i"
		[ "$i" -ne 1 ] || printf 'from %s\n' "$parent"
		printf 'M 100644 inline f/%s-%d.txt\ndata <<EOM\nline %d of the file\nEOM\n\n' "$b" "$i" "$i"
	done | git fast-import --quiet
	git reset -q --hard "$b"
}

# budget_config REPO: 1 ms budget, accept-and-report, audit log and metrics in the case dir
budget_config() {
	set_config "$1" pushguard.timeBudget 1ms
	set_config "$1" pushguard.onTimeout accept-and-report
	set_config "$1" pushguard.auditLog "$PG_CASE_DIR/audit.jsonl"
	set_config "$1" pushguard.metricsFile "$PG_CASE_DIR/metrics.prom"
}

# (push.landed, the post-receive hook's record of what entered the repository, is left out:
# these cases are about the decisions and their background checks)
pyq() {
	python3 -c 'import json,sys; L=[json.loads(l) for l in open(sys.argv[1]) if l.strip()]; L=[e for e in L if e.get("event") != "push.landed"]; print(eval(sys.argv[2]))' "$1" "$2"
}

# wait_events FILE EVENT N [SECONDS]: until FILE has N lines of EVENT
wait_events() {
	local i n=0
	for i in $(seq 1 $((${4:-30} * 10))); do
		n=$(grep -c "\"event\":\"$2\"" "$1" 2>/dev/null || true)
		[ "${n:-0}" -ge "$3" ] && return 0
		sleep 0.1
	done
	OUT=$1 fail "$3 $2 events in $1 within ${4:-30} s" "${n:-0}"
}

# the background checks of repository $1 still running (their pids)
bg_pids() { pgrep -f -- "--background-scan $1/pushguard-background/" || true; }

# kill whatever background check of $R a failed case left behind
reap() {
	local p
	[ -n "${R:-}" ] || return 0
	for p in $(bg_pids "$R"); do kill -KILL "$p" 2>/dev/null || true; done
}
trap reap EXIT

start_receiver() {
	local d=$PG_CASE_DIR pid i
	WLOG="$d/webhook.log"
	: >"$WLOG"
	rm -f "$d/webhook.port"
	head -c 32 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' | head -c 40 >"$d/secret"
	echo >>"$d/secret"
	chmod 600 "$d/secret"
	setsid python3 "$STUB" --log "$WLOG" --port-file "$d/webhook.port" --port 0 \
		--secret-file "$d/secret" </dev/null >>"$d/webhook.err" 2>&1 &
	pid=$!
	mkdir -p "$PG_RUN_TMP/pids"
	echo "$pid" >"$PG_RUN_TMP/pids/webhook.$pid"
	trap 'reap; kill -TERM -- "-'"$pid"'" 2>/dev/null; rm -f "$PG_RUN_TMP/pids/webhook.'"$pid"'"' EXIT
	for i in $(seq 1 100); do
		[ -s "$d/webhook.port" ] && break
		sleep 0.05
	done
	[ -s "$d/webhook.port" ] || { OUT="$d/webhook.err" LAST_CMD="start webhook_stub.py" RC=1 fail "stub receiver listening"; }
	HOOK_URL="http://127.0.0.1:$(cat "$d/webhook.port")/hook"
}

# ---------------------------------------------------------------- cases
c_secret_found() {
	setup_repo
	start_receiver
	budget_config "$R"
	set_config "$R" pushguard.webhook.url "$HOOK_URL"
	set_config "$R" pushguard.webhook.secretFile "$PG_CASE_DIR/secret"
	local token audit="$PG_CASE_DIR/audit.jsonl" c
	token=$(gh_token)
	many_commits 300
	printf 'TOKEN=%s\n' "$token" >deploy.sh
	git add deploy.sh
	git commit -q -m "Add deploy script"
	c=$(oid HEAD)
	many_commits 5
	push origin main
	assert_push_ok
	assert_output_contains "push NOT fully checked"
	assert_output_contains "checked in full in the background"
	assert_ref "$R" refs/heads/main "$(oid HEAD)"
	wait_events "$audit" push.scanned 1 30
	pyq "$audit" '[e["event"] for e in L]' >"$PG_CASE_DIR/events"
	assert_eq "$(cat "$PG_CASE_DIR/events")" "['push.unchecked', 'push.scanned']" "events in order"
	assert_eq "$(pyq "$audit" 'L[1]["unchecked_id"] == L[0]["id"] and L[1]["id"] != L[0]["id"]')" True "push.scanned follows its push.unchecked by id"
	assert_eq "$(pyq "$audit" 'L[1]["result"]')" findings "result"
	assert_eq "$(pyq "$audit" '[(f["check"], f["rule"], f["path"], f["fingerprint"]) for f in L[1]["findings"]]')" \
		"[('secrets', 'github-pat', 'deploy.sh', '$c:deploy.sh:github-pat:1')]" "the secret's rule and fingerprint"
	assert_eq "$(pyq "$audit" 'L[1]["refs"] == L[0]["refs"] and L[1]["hook"] == "pre-receive" and "not_landed" not in L[1]')" True "same push"
	if grep -q "$token" "$audit"; then OUT=$audit fail "raw secret not in the audit log" "found"; fi
	# the webhook gets it too, signed, never the raw secret
	local i
	for i in $(seq 1 100); do grep -q 'push.scanned' "$WLOG" && break; sleep 0.1; done
	assert_eq "$(pyq "$WLOG" 'sorted((r["headers"]["x-pushguard-event"], r["github_sig_ok"]) for r in L)')" \
		"[('push.scanned', True), ('push.unchecked', True)]" "webhook deliveries"
	assert_eq "$(pyq "$WLOG" '[json.loads(r["body"])["findings"][0]["fingerprint"] for r in L if r["headers"]["x-pushguard-event"] == "push.scanned"]')" \
		"['$c:deploy.sh:github-pat:1']" "webhook finding"
	if grep -q "$token" "$WLOG"; then OUT=$WLOG fail "raw secret not in the webhook" "found"; fi
	# metrics count it as a background check, not as a second push
	grep -q '^pushguard_background_scans_total{repository="[^"]*",result="findings"} 1$' "$PG_CASE_DIR/metrics.prom" ||
		{ OUT="$PG_CASE_DIR/metrics.prom"; fail "background_scans_total findings 1" "see file"; }
	grep -q 'event="scanned"' "$PG_CASE_DIR/metrics.prom" && { OUT="$PG_CASE_DIR/metrics.prom"; fail "no pushes_total for scans" "found"; }
	# the hand-over file is gone, no check is left running
	assert_eq "$(ls -A "$R/pushguard-background")" "" "hand-over directory empty"
	assert_eq "$(bg_pids "$R")" "" "no background check running"
	# the dashboard puts it first
	run "$PG_BIN/pushguard" report "$audit"
	assert_rc 0
	assert_output_contains "background checks of unchecked pushes: 0 clean, 1 WITH FINDINGS, 0 did not land, 0 failed, 0 without a result yet"
	assert_output_contains "UNCHECKED PUSHES WITH FINDINGS"
	assert_output_contains "refs/heads/main  secrets / github-pat  (1 finding)"
}
run_case "a secret past the budget: accepted, push.unchecked, then push.scanned with its rule and fingerprint (audit, webhook, metrics, report)" c_secret_found

c_clean() {
	setup_repo
	budget_config "$R"
	local audit="$PG_CASE_DIR/audit.jsonl"
	many_commits 300
	push origin main
	assert_push_ok
	assert_output_contains "push NOT fully checked"
	wait_events "$audit" push.scanned 1 30
	assert_eq "$(pyq "$audit" '(L[-1]["result"], L[-1]["findings"], L[-1]["unchecked_id"] == L[-2]["id"])')" \
		"('clean', [], True)" "clean result"
	grep -q '^pushguard_background_scans_total{repository="[^"]*",result="clean"} 1$' "$PG_CASE_DIR/metrics.prom" ||
		{ OUT="$PG_CASE_DIR/metrics.prom"; fail "background_scans_total clean 1" "see file"; }
	# the budget did not change: a second push is cut short again, and checked again
	many_commits 300
	push origin main
	assert_push_ok
	wait_events "$audit" push.scanned 2 30
	assert_eq "$(pyq "$audit" '[e["event"] for e in L]')" \
		"['push.unchecked', 'push.scanned', 'push.unchecked', 'push.scanned']" "events"
}
run_case "a clean push past the budget gets a clean result" c_clean

c_not_landed() {
	setup_repo
	budget_config "$R"
	local audit="$PG_CASE_DIR/audit.jsonl" before t0 t1
	before=$(server_oid "$R" refs/heads/main)
	# git runs the update hook after pre-receive: it refuses what pushguard accepted
	printf '#!/bin/sh\necho "update hook: no" >&2\nexit 1\n' >"$R/hooks/update"
	chmod +x "$R/hooks/update"
	many_commits 300
	printf 'TOKEN=%s\n' "$(gh_token)" >deploy.sh
	git add deploy.sh
	git commit -q -m "Add deploy script"
	t0=$(date +%s)
	push origin main
	assert_push_refused
	assert_output_contains "push NOT fully checked"
	assert_ref "$R" refs/heads/main "$before"
	wait_events "$audit" push.scanned 1 30
	t1=$(date +%s)
	# known as soon as receive-pack is gone, not after the 10-minute bound
	[ $((t1 - t0)) -le 15 ] || fail "result within 15 s" "$((t1 - t0)) s"
	assert_eq "$(pyq "$audit" '(L[-1]["result"], L[-1]["not_landed"], L[-1]["findings"], L[-1]["unchecked_id"] == L[-2]["id"])')" \
		"('not-landed', ['refs/heads/main'], [], True)" "did not land"
}
run_case "a push refused by a later hook after the timeout: push.scanned says it did not land" c_not_landed

c_chain_refused() {
	setup_repo
	budget_config "$R"
	local audit="$PG_CASE_DIR/audit.jsonl" before
	before=$(server_oid "$R" refs/heads/main)
	mkdir -p "$R/hooks/pre-receive.d"
	printf '#!/bin/sh\necho "site hook: no" >&2\nexit 1\n' >"$R/hooks/pre-receive.d/10-refuse"
	chmod +x "$R/hooks/pre-receive.d/10-refuse"
	many_commits 300
	push origin main
	assert_push_refused
	assert_output_contains "push NOT fully checked"
	assert_output_contains "refused by the chained hook"
	assert_ref "$R" refs/heads/main "$before"
	# pushguard knows the push is refused: recorded as such, nothing checked afterwards
	assert_eq "$(pyq "$audit" '[e["event"] for e in L]')" "['push.rejected']" "events"
	sleep 2
	assert_eq "$(pyq "$audit" '[e["event"] for e in L]')" "['push.rejected']" "events 2 s later"
	assert_eq "$(ls -A "$R/pushguard-background" 2>/dev/null)" "" "no hand-over file"
	assert_eq "$(bg_pids "$R")" "" "no background check"
}
run_case "a push refused by pushguard's chained hook after the timeout: push.rejected, no background check" c_chain_refused

c_only_what_the_push_added() {
	setup_repo
	budget_config "$R"
	local audit="$PG_CASE_DIR/audit.jsonl" old new
	# history already on the server with a secret in it (pushed while secrets were off)
	set_config "$R" pushguard.secrets.enabled false
	set_config "$R" pushguard.timeBudget 0
	git checkout -q -b old
	printf 'TOKEN=%s\n' "$(gh_token)" >old.sh
	git add old.sh
	git commit -q -m "Old secret"
	old=$(oid HEAD)
	push origin old
	assert_push_ok
	unset_config "$R" pushguard.secrets.enabled
	set_config "$R" pushguard.timeBudget 1ms
	# a new branch on top of it: 300 commits and a new secret
	git checkout -q -b feature
	many_commits 300
	printf 'TOKEN=%s\n' "$(gh_token)" >new.sh
	git add new.sh
	git commit -q -m "New secret"
	new=$(oid HEAD)
	push origin feature
	assert_push_ok
	assert_output_contains "push NOT fully checked"
	wait_events "$audit" push.scanned 1 30
	assert_eq "$(pyq "$audit" '[f["fingerprint"] for f in L[-1]["findings"]]')" "['$new:new.sh:github-pat:1']" \
		"only the new secret"
	if pyq "$audit" 'L[-1]' | grep -q "$old"; then OUT=$audit fail "the old commit is not reported" "it is"; fi
}
run_case "only what the push added is reported, not history already on the server" c_only_what_the_push_added

c_update_hook() {
	setup_repo --hook update
	budget_config "$R"
	local audit="$PG_CASE_DIR/audit.jsonl" c
	git checkout -q -b a
	many_commits 300
	printf 'TOKEN=%s\n' "$(gh_token)" >deploy.sh
	git add deploy.sh
	git commit -q -m "Add deploy script"
	c=$(oid HEAD)
	git checkout -q -b b main
	many_commits 300
	push origin a b
	assert_push_ok
	assert_output_contains "push NOT fully checked"
	wait_events "$audit" push.scanned 2 30
	# one unchecked event and one background check per ref
	assert_eq "$(pyq "$audit" 'sorted((e["refs"][0]["ref"], e["result"], [f["fingerprint"] for f in e["findings"]], e["hook"]) for e in L if e["event"] == "push.scanned")')" \
		"[('refs/heads/a', 'findings', ['$c:deploy.sh:github-pat:1'], 'update'), ('refs/heads/b', 'clean', [], 'update')]" "per-ref results"
	assert_eq "$(pyq "$audit" 'sorted(e["unchecked_id"] for e in L if e["event"] == "push.scanned") == sorted(e["id"] for e in L if e["event"] == "push.unchecked")')" \
		True "each follows its ref's push.unchecked"
}
run_case "the update hook: past the budget, each ref checked in the background" c_update_hook

c_concurrent() {
	setup_repo
	budget_config "$R"
	local audit="$PG_CASE_DIR/audit.jsonl" i d
	for i in 1 2 3 4; do
		git clone -q "$(repo_url "$R")" "../w$i"
		(
			cd "../w$i"
			git checkout -q -b "b$i"
			many_commits 300
			if [ $((i % 2)) -eq 0 ]; then
				printf 'TOKEN=%s\n' "$(gh_token)" >"s$i.sh"
				git add "s$i.sh"
				git commit -q -m "Secret $i"
			fi
		)
	done
	for i in 1 2 3 4; do
		(cd "../w$i" && git push -q origin "b$i" >"../push$i.log" 2>&1; echo $? >"../push$i.rc") &
	done
	wait
	for i in 1 2 3 4; do
		assert_eq "$(cat "../push$i.rc")" 0 "push $i accepted"
	done
	wait_events "$audit" push.scanned 4 60
	# every line whole JSON; each result matches its push
	assert_eq "$(pyq "$audit" 'len(L)')" 8 "audit lines (4 unchecked + 4 scanned)"
	assert_eq "$(pyq "$audit" 'sorted((e["refs"][0]["ref"], e["result"], len(e["findings"])) for e in L if e["event"] == "push.scanned")')" \
		"[('refs/heads/b1', 'clean', 0), ('refs/heads/b2', 'findings', 1), ('refs/heads/b3', 'clean', 0), ('refs/heads/b4', 'findings', 1)]" "results"
	assert_eq "$(pyq "$audit" 'sorted(e["unchecked_id"] for e in L if e["event"] == "push.scanned") == sorted(e["id"] for e in L if e["event"] == "push.unchecked")')" \
		True "each result follows its push"
	grep -q '^pushguard_background_scans_total{repository="[^"]*",result="findings"} 2$' "$PG_CASE_DIR/metrics.prom" ||
		{ OUT="$PG_CASE_DIR/metrics.prom"; fail "background_scans_total findings 2" "see file"; }
	assert_eq "$(ls -A "$R/pushguard-background")" "" "hand-over directory empty"
}
run_case "four unchecked pushes at once: four background checks, each result right, audit lines whole" c_concurrent

c_killed() {
	setup_repo
	budget_config "$R"
	local audit="$PG_CASE_DIR/audit.jsonl" pid f i
	# a slow update hook holds the push, so the check is still waiting when it is killed
	printf '#!/bin/sh\nsleep 3\nexit 0\n' >"$R/hooks/update"
	chmod +x "$R/hooks/update"
	many_commits 300
	git push -q origin main >"$PG_CASE_DIR/push.log" 2>&1 &
	for i in $(seq 1 100); do
		pid=$(bg_pids "$R")
		[ -n "$pid" ] && break
		sleep 0.05
	done
	[ -n "$pid" ] || fail "a background check runs" "none"
	kill -KILL $pid
	wait
	assert_ref "$R" refs/heads/main "$(oid HEAD)"
	# nothing half-written: the hand-over file stays whole (until a day old), the audit log has whole lines
	f=$(ls "$R/pushguard-background")
	assert_eq "$(printf '%s\n' "$f" | wc -l | tr -d ' ')" 1 "one hand-over file left"
	assert_eq "$(stat -c %a "$R/pushguard-background/$f")" 600 "hand-over mode"
	assert_eq "$(stat -c %a "$R/pushguard-background")" 700 "hand-over directory mode"
	assert_eq "$(tail -n1 "$R/pushguard-background/$f")" end "hand-over file whole"
	assert_eq "$(pyq "$audit" '[e["event"] for e in L]')" "['push.unchecked']" "no result from the killed check"
	# the next unchecked push is checked normally; a day-old leftover is removed then
	rm "$R/hooks/update"
	touch -d '2 days ago' "$R/pushguard-background/$f"
	many_commits 300
	push origin main
	assert_push_ok
	wait_events "$audit" push.scanned 1 30
	assert_eq "$(pyq "$audit" '[e["event"] for e in L]')" "['push.unchecked', 'push.unchecked', 'push.scanned']" "events"
	assert_eq "$(ls -A "$R/pushguard-background")" "" "leftover removed"
}
run_case "a background check killed while it waits leaves nothing corrupt; a day-old leftover is removed" c_killed
