#!/usr/bin/env bash
# Hardening: token and secret files readable by every user are refused; the time budget
# (pushguard.timeBudget, pushguard.onTimeout); 12 concurrent pushes with whole audit lines; a
# hook killed mid-push; ref names and paths with shell metacharacters, newlines, escapes.
# Every credential-looking value is generated here from random characters.
. "$PG_LIB"

# ---------------------------------------------------------------- secret file permissions
c_world_readable_token() {
	setup_repo
	set_config "$R" pushguard.tickets.required true
	add_config "$R" pushguard.tickets.projects PROJ
	set_config "$R" pushguard.tickets.url 'http://127.0.0.1:9/rest/api/2/issue/{ticket}?fields=status'
	head -c 30 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' >"$PG_CASE_DIR/token"
	echo >>"$PG_CASE_DIR/token"
	chmod 644 "$PG_CASE_DIR/token"
	set_config "$R" pushguard.tickets.tokenFile "$PG_CASE_DIR/token"
	commit a.txt a "PROJ-1 change"
	local before
	before=$(server_oid "$R" refs/heads/main)
	push origin main
	assert_push_refused
	assert_output_contains "pushguard.tickets.tokenFile = '$PG_CASE_DIR/token' in $R/config"
	assert_output_contains "readable by every user"
	assert_output_contains "chmod 600 $PG_CASE_DIR/token"
	assert_output_not_contains "$(head -n1 "$PG_CASE_DIR/token")"
	assert_ref "$R" refs/heads/main "$before"
	# group-readable is allowed: the push then gets as far as the (unreachable) tracker
	chmod 640 "$PG_CASE_DIR/token"
	push origin main
	assert_output_not_contains "readable by every user"
	assert_output_contains "could not check"
}
run_case "a world-readable token file is refused, group-readable is not" c_world_readable_token

# ---------------------------------------------------------------- time budget
# many_commits N: N new commits on main in the work tree, each adding a file (git fast-import)
many_commits() {
	local n=$1 parent i
	parent=$(git rev-parse HEAD)
	for i in $(seq 1 "$n"); do
		printf 'commit refs/heads/main\ncommitter Alice Author <alice@example.com> %d +0000\ndata <<EOM\nChange %d\nEOM\n' \
			$((1700000000 + i)) "$i"
		[ "$i" -ne 1 ] || printf 'from %s\n' "$parent"
		printf 'M 100644 inline f/%d.txt\ndata <<EOM\nline %d of the file\nEOM\n\n' "$i" "$i"
	done | git fast-import --quiet
	git reset -q --hard main
}

c_budget_reject() {
	setup_repo
	local before
	before=$(server_oid "$R" refs/heads/main)
	many_commits 300
	set_config "$R" pushguard.timeBudget 1ms
	set_config "$R" pushguard.auditLog "$PG_CASE_DIR/audit.jsonl"
	push origin main
	assert_push_refused
	assert_output_contains "push refused: the push is too large to check in time"
	assert_output_contains "pushguard.timeBudget"
	assert_output_contains "git push origin HASH:refs/heads/main"
	assert_ref "$R" refs/heads/main "$before"
	grep -q '"event":"push.rejected"' "$PG_CASE_DIR/audit.jsonl" || fail "audit log records push.rejected" "$(cat "$PG_CASE_DIR/audit.jsonl")"
	# split as told: an older commit first, then the rest, each within the default budget
	unset_config "$R" pushguard.timeBudget
	push origin "$(oid HEAD~150):refs/heads/main"
	assert_push_ok
	push origin main
	assert_push_ok
	assert_ref "$R" refs/heads/main "$(oid HEAD)"
}
run_case "timeBudget spent, onTimeout=reject: refused with how to split the push" c_budget_reject

c_budget_accept() {
	setup_repo
	many_commits 300
	set_config "$R" pushguard.timeBudget 1ms
	set_config "$R" pushguard.onTimeout accept-and-report
	set_config "$R" pushguard.auditLog "$PG_CASE_DIR/audit.jsonl"
	push origin main
	assert_push_ok
	assert_output_contains "push NOT fully checked"
	assert_output_contains "pushguard.onTimeout = accept-and-report"
	assert_ref "$R" refs/heads/main "$(oid HEAD)"
	# the first line: the background check (t145) appends push.scanned afterwards
	head -n1 "$PG_CASE_DIR/audit.jsonl" >"$PG_CASE_DIR/last.json"
	grep -q '"event":"push.unchecked"' "$PG_CASE_DIR/last.json" || fail "audit log records push.unchecked" "$(cat "$PG_CASE_DIR/last.json")"
	grep -q '"unchecked":true' "$PG_CASE_DIR/last.json" || fail "event marked unchecked" "$(cat "$PG_CASE_DIR/last.json")"
}
run_case "timeBudget spent, onTimeout=accept-and-report: accepted, recorded as push.unchecked" c_budget_accept

c_budget_invalid() {
	setup_repo
	set_config "$R" pushguard.onTimeout sometimes
	commit a.txt a "A"
	push origin main
	assert_push_refused
	assert_output_contains_i "pushguard.onTimeout"
	assert_output_contains "sometimes"
}
run_case "an invalid onTimeout refuses the push (fail closed)" c_budget_invalid

c_budget_after_a_problem() {
	setup_repo
	# a denied name, found at once, and 90 MB of text whose scan outlasts the budget
	commit_key deploy/id_rsa "Add a key and a large data file"
	head -c 67500000 /dev/urandom | base64 -w 76 >data.txt
	git add data.txt && git commit -q --amend --no-edit
	set_config "$R" pushguard.secrets.maxBlobSize 128m
	set_config "$R" pushguard.timeBudget 300ms
	set_config "$R" pushguard.onTimeout accept-and-report
	push origin main
	assert_push_refused
	assert_output_contains "deploy/id_rsa"
	assert_output_contains "ran out before every check had run"
	assert_output_not_contains "too large to check"
}
if under_valgrind; then # the walk alone outlasts a 300 ms budget under memcheck
	skip_case "the budget runs out after a problem was found: refused with that problem, even under accept-and-report" "timing under valgrind"
else
	run_case "the budget runs out after a problem was found: refused with that problem, even under accept-and-report" c_budget_after_a_problem
fi

# ---------------------------------------------------------------- concurrency, crashes, hostile names
# rand N CHARSET: N random characters; gh_token: a GitHub token shape, generated now (the prefix
# is split so that no literal token is in this file)
rand() { LC_ALL=C tr -dc "$2" </dev/urandom | head -c "$1"; }
gh_token() { printf '%s%s' "gh""p_" "$(rand 36 'A-Za-z0-9')"; }

c_concurrent_pushes() {
	setup_repo
	local audit="$PG_CASE_DIR/audit.jsonl" i d tokens="$PG_CASE_DIR/tokens"
	set_config "$R" pushguard.auditLog "$audit"
	: >"$audit"
	: >"$tokens"
	cd "$PG_CASE_DIR"
	for i in $(seq 1 12); do
		d="$PG_CASE_DIR/c$i"
		clone "$R" "$d"
		if [ $((i % 2)) -eq 0 ]; then
			gh_token >>"$tokens"
			printf 'export GITHUB_TOKEN=%s\n' "$(tail -n1 "$tokens")" >"$d/deploy-$i.sh"
			echo >>"$tokens"
		else
			printf 'echo clean %d\n' "$i" >"$d/deploy-$i.sh"
		fi
		git -C "$d" add "deploy-$i.sh"
		git -C "$d" commit -q -m "Change $i"
	done
	for i in $(seq 1 12); do
		(
			cd "$PG_CASE_DIR/c$i" || exit 1
			if git push origin "HEAD:refs/heads/topic-$i" >"$PG_CASE_DIR/out$i" 2>&1; then
				echo 0 >"$PG_CASE_DIR/rc$i"
			else
				echo $? >"$PG_CASE_DIR/rc$i"
			fi
		) &
	done
	wait
	for i in $(seq 1 12); do
		OUT="$PG_CASE_DIR/out$i" RC=$(cat "$PG_CASE_DIR/rc$i") LAST_CMD="git push (pusher $i)"
		if [ $((i % 2)) -eq 0 ]; then
			assert_push_refused
			assert_output_contains "deploy-$i.sh:1"
			assert_ref_absent "$R" "refs/heads/topic-$i"
		else
			assert_push_ok
			assert_ref "$R" "refs/heads/topic-$i" "$(git -C "$PG_CASE_DIR/c$i" rev-parse HEAD)"
		fi
		while read -r tok; do
			[ -z "$tok" ] || assert_output_not_contains "$tok"
		done <"$tokens"
	done
	# one whole JSON line per decision: 6 accepted (and landed), 6 rejected, no token anywhere
	OUT=$audit LAST_CMD="audit log"
	python3 - "$audit" <<-'PY' >"$PG_CASE_DIR/kinds" || fail "18 whole JSON lines in the audit log" "$(cat "$PG_CASE_DIR/kinds")"
	import json, sys
	kinds = {}
	with open(sys.argv[1], "rb") as f:
	    lines = f.read().split(b"\n")
	assert lines[-1] == b"", "last line not terminated"
	for l in lines[:-1]:
	    ev = json.loads(l)
	    kinds[ev["event"]] = kinds.get(ev["event"], 0) + 1
	print(kinds)
	assert kinds == {"push.accepted": 6, "push.landed": 6, "push.rejected": 6}, kinds
	PY
	while read -r tok; do
		[ -z "$tok" ] || assert_output_not_contains "$tok"
	done <"$tokens"
	git --git-dir="$R" fsck --no-progress >"$PG_CASE_DIR/fsck" 2>&1 || { OUT="$PG_CASE_DIR/fsck"; fail "git fsck passes"; }
}
run_case "12 concurrent pushes, half with a token: each decided right, audit lines whole" c_concurrent_pushes

# ---------------------------------------------------------------- files larger than the scan window
# big_text FILE LINES TOKEN_AT TOKEN: LINES ordinary lines with TOKEN on line TOKEN_AT (6 MB for 100k)
big_text() {
	awk -v n="$2" -v at="$3" -v tok="$4" 'BEGIN {
		for (i = 1; i <= n; i++)
			if (i == at) printf "deploy_token = \"%s\"\n", tok
			else printf "an ordinary line of a large generated file, number %d\n", i
	}' >"$1"
}

c_large_file_streamed() {
	setup_repo
	set_config "$R" pushguard.secrets.maxBlobSize 64m
	set_config "$R" pushguard.timeBudget 0 # measured in bench/bounds.sh; here: what is found
	local tok tok2 tok3
	tok=$(gh_token) tok2=$(gh_token) tok3=$(gh_token)
	# a pack is kept (not unpacked into loose objects): the blob is read through git cat-file
	set_config "$R" receive.unpackLimit 1
	big_text big.txt 120000 100001 "$tok"
	git add big.txt && git commit -q -m "Add a 7 MB generated file"
	push origin main
	assert_push_refused
	assert_output_contains "big.txt:100001"
	assert_output_contains "${tok:0:4}…"
	assert_output_not_contains "$tok"
	# accepted with checks off; then a change elsewhere in the file is judged by its added lines only
	set_config "$R" pushguard.mode off
	push origin main
	assert_push_ok
	set_config "$R" pushguard.mode enforce
	unset_config "$R" receive.unpackLimit
	sed -i '5s/.*/a changed line/' big.txt
	git commit -q -am "Change line 5"
	push origin main
	assert_push_ok
	# one 6 MB line (minified style), loose objects: a token deep inside it, and one after it
	{
		awk 'BEGIN { for (i = 0; i < 200000; i++) printf "var a%d=%d;", i, i }'
		printf 'k="%s";\n' "$tok2"
		printf 'second = "%s"\n' "$tok3"
	} >min.js
	git add min.js && git commit -q -m "Add minified bundle"
	push origin main
	assert_push_refused
	assert_output_contains "min.js:1"
	assert_output_contains "min.js:2"
	assert_output_not_contains "$tok2"
}
if under_valgrind; then # 13 MB through the rules without PCRE2's JIT: tens of minutes under memcheck
	skip_case "a file larger than the scan window is streamed: secrets found at their lines, old lines not" "13 MB scanned under valgrind"
else
	run_case "a file larger than the scan window is streamed: secrets found at their lines, old lines not" c_large_file_streamed
fi

# ---------------------------------------------------------------- runaway regular expressions
c_catastrophic_rule_bounded() {
	setup_repo
	# a rule that backtracks exponentially on a run of "a" that does not end the text
	cat >"$PG_CASE_DIR/runaway.toml" <<-'EOF'
	[[rules]]
	id = "runaway-rule"
	description = "A rule written badly"
	regex = '''(a+)+$'''
	EOF
	add_config "$R" pushguard.secrets.rules "$PG_CASE_DIR/runaway.toml"
	set_config "$R" pushguard.timeBudget 0
	local before t0 t1 limit=30
	! under_valgrind || limit=600 # memcheck without JIT: still far from years
	before=$(server_oid "$R" refs/heads/main)
	{ head -c 204800 /dev/zero | tr '\0' a; echo '!'; } >long-line.txt
	git add long-line.txt && git commit -q -m "Add a 200 KB line"
	t0=$(date +%s)
	push origin main
	t1=$(date +%s)
	# bounded: PCRE2's match limit stops the rule within seconds, not years
	[ $((t1 - t0)) -lt $limit ] || fail "push decided within $limit s" "$((t1 - t0)) s"
	# fails closed, naming the rule and its file so that the admin can mend it
	assert_push_refused
	assert_output_contains "runaway-rule"
	assert_output_contains "$PG_CASE_DIR/runaway.toml"
	assert_output_contains_i "limit"
	assert_output_contains "long-line.txt"
	assert_output_contains "invalid configuration"
	assert_ref "$R" refs/heads/main "$before"
}
run_case "a catastrophic-backtracking rule on a 200 KB line is stopped by the match limit, failing closed" c_catastrophic_rule_bounded

# the pushguard-pre-receive process running in repository $1 (by executable and cwd)
hook_pid() {
	local p
	for p in /proc/[0-9]*; do
		pg_process_is "${p#/proc/}" pushguard-pre-receive || continue
		[ "$(readlink "$p/cwd" 2>/dev/null)" = "$1" ] || continue
		echo "${p#/proc/}"
		return 0
	done
	return 1
}

c_killed_mid_push() {
	setup_repo
	local d=$PG_CASE_DIR before pid i stub
	before=$(server_oid "$R" refs/heads/main)
	# a tracker that never answers holds the hook in its checks long enough to kill it there
	stub="$(dirname "$PG_LIB")/tracker_stub.py"
	echo '{}' >"$d/tracker.json"
	setsid python3 "$stub" --data "$d/tracker.json" --log "$d/tracker.log" --port-file "$d/tracker.port" \
		--mode hang </dev/null >>"$d/tracker.err" 2>&1 &
	STUB_PID=$!
	mkdir -p "$PG_RUN_TMP/pids"
	echo "$STUB_PID" >"$PG_RUN_TMP/pids/tracker.$STUB_PID"
	trap 'kill -TERM -- "-$STUB_PID" 2>/dev/null; rm -f "$PG_RUN_TMP/pids/tracker.$STUB_PID"' EXIT
	for i in $(seq 1 100); do [ -s "$d/tracker.port" ] && break; sleep 0.05; done
	set_config "$R" pushguard.tickets.required true
	add_config "$R" pushguard.tickets.projects PROJ
	set_config "$R" pushguard.tickets.url "http://127.0.0.1:$(cat "$d/tracker.port")/rest/api/2/issue/{ticket}?fields=status"
	set_config "$R" pushguard.tickets.timeout 60s
	set_config "$R" pushguard.timeBudget 0
	# an event already waiting in the webhook spool (its endpoint is down), and the audit log
	set_config "$R" pushguard.auditLog "$d/audit.jsonl"
	set_config "$R" pushguard.webhook.url "http://127.0.0.1:9/hook"
	set_config "$R" pushguard.webhook.spoolDir "$d/spool"
	commit_key keys/id_rsa "PROJ-1 a refused push: its event waits in the spool"
	push origin main
	assert_push_refused
	git reset -q --hard HEAD~1
	many_commits 2000
	git commit -q --allow-empty -m "PROJ-1 the last one"
	(
		if git push origin main >"$d/push.out" 2>&1; then echo 0 >"$d/push.rc"; else echo $? >"$d/push.rc"; fi
	) &
	local pusher=$!
	pid=
	for i in $(seq 1 300); do
		if pid=$(hook_pid "$R") && [ -s "$d/tracker.log" ]; then break; fi
		pid=
		sleep 0.05
	done
	[ -n "$pid" ] || { OUT="$d/push.out"; fail "the hook is running, waiting on the tracker" "not found"; }
	kill -KILL "$pid"
	wait "$pusher" || true
	OUT="$d/push.out" RC=$(cat "$d/push.rc") LAST_CMD="git push (hook killed)"
	assert_rc_nonzero
	assert_output_contains "pre-receive hook declined"
	assert_ref "$R" refs/heads/main "$before"
	assert_object_absent "$R" "$(oid HEAD)"
	ls -d "$R"/objects/incoming-* >/dev/null 2>&1 && fail "no quarantine directory left" "$(ls -d "$R"/objects/incoming-*)"
	run git --git-dir="$R" fsck --no-progress
	assert_rc 0
	# the spool holds the waiting event whole, and nothing half-written
	spool_whole() {
		run python3 -c '
import json, os, sys
d = sys.argv[1]
names = sorted(n for n in os.listdir(d) if n != ".sender.lock")  # the sender lock is no event
assert names and all(n.endswith(".event") for n in names), names
for n in names:
    head, body = open(os.path.join(d, n)).read().split("\n", 1)
    assert head.startswith("pushguard-spool 2 "), head
    json.loads(body)
print(len(names))
' "$d/spool"
		assert_rc 0
	}
	spool_whole
	[ "$(tail -n1 "$OUT")" -ge 1 ] || fail "the waiting event is still spooled" "$(cat "$OUT")"
	audit_lines=$(wc -l <"$d/audit.jsonl")
	# the next push works
	unset_config "$R" pushguard.tickets.required
	push origin main
	assert_push_ok
	assert_ref "$R" refs/heads/main "$(oid HEAD)"
	spool_whole
	# its decision, and what landed (post-receive)
	[ "$(wc -l <"$d/audit.jsonl")" -eq $((audit_lines + 2)) ] || fail "the next push is audited" "$(tail -n2 "$d/audit.jsonl")"
	run python3 -c 'import json, sys; [json.loads(l) for l in open(sys.argv[1])]' "$d/audit.jsonl"
	assert_rc 0
}
run_case "a hook killed mid-push leaves the repository, audit log and spool consistent; the next push works" c_killed_mid_push

c_hostile_names() {
	setup_repo
	local ref='refs/heads/x;$(touch${IFS}PWNED)`touch${IFS}PWNED2`|&' esc nl
	esc=$(printf '\033')
	# a ref name with shell metacharacters: accepted when clean, refused when not
	commit clean.txt clean "Clean"
	push origin "HEAD:$ref"
	assert_push_ok
	assert_ref "$R" "$ref" "$(oid HEAD)"
	commit_key keys/id_rsa "Add key"
	push origin "HEAD:$ref"
	assert_push_refused
	assert_output_contains "$ref"
	assert_ref "$R" "$ref" "$(oid HEAD~1)"
	find "$PG_CASE_DIR" "$R" -name 'PWNED*' | grep -q . && fail "no command ran from the ref name" "$(find "$PG_CASE_DIR" "$R" -name 'PWNED*')"
	git reset -q --hard HEAD~1
	# a path with a newline and an escape sequence, holding a token: refused, printed safely
	nl=$'\n'
	local path="evil${esc}[2J${esc}]0;owned${nl}name.txt"
	printf 'export GITHUB_TOKEN=%s\n' "$(gh_token)" >"$path"
	git add -- "$path"
	git commit -q -m "Odd ${esc}[31mname"
	push origin "HEAD:$ref"
	assert_push_refused
	assert_output_contains "evil?[2J?]0;owned?name.txt"
	assert_output_contains 'Odd ?[31mname'
	if grep -q "$esc" "$OUT"; then fail "no escape character reaches the pusher" "found one"; fi
	assert_ref "$R" "$ref" "$(oid HEAD~1)"
	# and clean content under such a path is accepted
	git reset -q --hard HEAD~1
	printf 'plain\n' >"$path"
	git add -- "$path"
	git commit -q -m "Odd path, clean"
	push origin "HEAD:$ref"
	assert_push_ok
	assert_ref "$R" "$ref" "$(oid HEAD)"
}
run_case "a ref name with shell metacharacters and a path with a newline/escape: decided right, printed safely" c_hostile_names

# ---------------------------------------------------------------- a tree nested too deep
# A token at the bottom of a tree 5,000 directories deep, past git's core.maxTreeDepth
# (4096): refused as a malformed tree, the tree below the limit never read. (Without the
# limit a tree 30,000 deep ran the hook out of stack: refused, but by a crash, with nothing
# explained or recorded.) Built with git fast-import: 5,000 trees in a second or two.
c_deep_tree() {
	setup_repo
	local base
	base=$(oid HEAD)
	python3 - "$base" "$(gh_token)" <<'EOF_PY' | git fast-import --quiet
import sys
base, token = sys.argv[1], sys.argv[2]
data = "export GITHUB_TOKEN=%s\n" % token
sys.stdout.write("commit refs/heads/deep\ncommitter T <t@example.com> 0 +0000\ndata 4\ndeep\n"
                 "from %s\nM 100644 inline %ssecret.sh\ndata %d\n%s\n" % (base, "d/" * 5000, len(data), data))
EOF_PY
	push origin deep:refs/heads/main
	assert_push_refused
	assert_output_contains "malformed tree"
	assert_output_contains "4097 directories deep, deeper than git allows (core.maxTreeDepth)"
	assert_output_not_contains "signal"
	assert_ref "$R" refs/heads/main "$base"
}
run_case "a tree nested 5,000 directories deep: refused as malformed, no crash" c_deep_tree
