#!/usr/bin/env bash
# Reporting and operations hardening (issue 15, item 8), through real pushes:
# - a webhook secret file every user can read: the event waits in the spool (never lost, never
#   sent unsigned); the pusher, `pushguard check` and `pushguard flush` name the file and the fix;
# - a bad pushguard.webhook.url never refuses a push: said, recorded in the audit log, in check;
# - an endpoint that hangs: one sender per spool, whatever the number of pushes;
# - links planted at the audit log's and metrics file's names (or as their directory): refused;
# - git cat-file is never looked up in PATH;
# - the spool keeps no credentials of the URL (taken from the policy at delivery);
# - tickets.timeout and webhook.retries out of range: errors naming key and origin;
# - what landed: post-receive records push.landed, a racing push and a killed receive-pack leave
#   an accepted update that never landed, and `pushguard report` says so;
# - install.sh puts post-receive in place with the others, chains the one it displaces, and
#   --uninstall puts it back.
# Every credential-looking value is generated here from random characters.
. "$PG_LIB"

STUB="$(dirname "$PG_LIB")/webhook_stub.py"
# curl would send loopback requests to a proxy from the environment
unset http_proxy https_proxy HTTP_PROXY HTTPS_PROXY all_proxy ALL_PROXY no_proxy NO_PROXY

# ---------------------------------------------------------------- helpers
rand() { LC_ALL=C tr -dc "$2" </dev/urandom | head -c "$1"; }
gh_token() { printf '%s%s' "gh""p_" "$(rand 36 'A-Za-z0-9')"; }

# start_receiver: the stub receiver; sets WLOG (request log), WMODE (mode file), PORT
start_receiver() {
	local d=$PG_CASE_DIR
	WLOG="$d/webhook.log"
	WMODE="$d/webhook.mode"
	: >"$WLOG"
	[ -f "$WMODE" ] || echo normal >"$WMODE"
	start_stub webhook "$STUB" --log "$WLOG" --secret-file "$d/secret" --mode-file "$WMODE"
	PORT=$STUB_PORT
}

make_secret() { rand 40 'A-Za-z0-9' >"$1"; echo >>"$1"; chmod "${2:-600}" "$1"; }

requests() { wc -l <"$WLOG" | tr -d ' '; }

# wait_requests N [SECONDS]
wait_requests() {
	local i
	for i in $(seq 1 $((${2:-10} * 10))); do
		[ "$(requests)" -ge "$1" ] && return 0
		sleep 0.1
	done
	OUT=$WLOG fail "$1 webhook requests" "$(requests)"
}

spooled() { find "$1" -maxdepth 1 -name '*.event' 2>/dev/null | wc -l | tr -d ' '; }

pyq() {
	python3 -c 'import json,sys; L=[json.loads(l) for l in open(sys.argv[1]) if l.strip()]; print(eval(sys.argv[2]))' "$1" "$2"
}

assert_pyq() { # FILE EXPR EXPECTED
	local got
	got=$(pyq "$1" "$2") || { OUT=$1 fail "$2 evaluates" "python error"; }
	[ "$got" = "$3" ] || { OUT=$1; fail "$2 = $3" "$got"; }
}

# hooked_repo: setup_repo, files.deny id_rsa, an audit log, a webhook to the stub with its
# secret; SPOOL, AUDIT set. retries 0: one attempt per event.
hooked_repo() {
	setup_repo
	AUDIT="$PG_CASE_DIR/audit.jsonl"
	SPOOL="$PG_CASE_DIR/spool"
	make_secret "$PG_CASE_DIR/secret" "${1:-600}"
	start_receiver
	add_config "$R" pushguard.files.deny id_rsa
	set_config "$R" pushguard.auditLog "$AUDIT"
	set_config "$R" pushguard.webhook.url "http://127.0.0.1:$PORT/hook"
	set_config "$R" pushguard.webhook.secretFile "$PG_CASE_DIR/secret"
	set_config "$R" pushguard.webhook.spoolDir "$SPOOL"
	set_config "$R" pushguard.webhook.retries 0
	set_config "$R" pushguard.webhook.timeout 3s
}

# senders: how many detached webhook senders of this prefix are alive (a sender is a fork of
# the hook binary that moved to /)
senders() {
	local p n=0
	for p in /proc/[0-9]*; do
		pg_process_is "${p#/proc/}" pushguard-pre-receive || continue
		[ "$(readlink "$p/cwd" 2>/dev/null)" = / ] && n=$((n + 1))
	done
	echo "$n"
}

# ---------------------------------------------------------------- cases
c_secret_world_readable() {
	hooked_repo 644
	local secret="$PG_CASE_DIR/secret"
	commit_key keys/id_rsa "Add key"
	push origin main
	assert_push_refused # the verdict is the key's, not the setting's
	assert_output_contains "keys/id_rsa"
	assert_output_contains "pushguard.webhook.secretFile = '$secret'"
	assert_output_contains "chmod 600 $secret"
	assert_output_contains "waits in $SPOOL"
	assert_output_contains "the push decision stands"
	assert_output_not_contains "$(head -1 "$secret")"
	sleep 0.5
	assert_eq "$(requests)" 0 "requests (nothing sent unsigned)"
	assert_eq "$(spooled "$SPOOL")" 1 "events in the spool"
	assert_pyq "$AUDIT" '[e["event"] for e in L]' "['push.rejected']"
	# a later push: its event waits too
	git reset -q --hard HEAD~1
	commit_key keys2/id_rsa "Another key"
	push origin main
	assert_push_refused
	assert_eq "$(spooled "$SPOOL")" 2 "events in the spool"
	run "$PG_BIN/pushguard" check "$R"
	assert_rc 1
	assert_output_contains "chmod 600 $secret"
	assert_output_contains "2 webhook events wait in the spool $SPOOL"
	assert_output_contains "1 reporting problem"
	run "$PG_BIN/pushguard" flush "$R"
	assert_rc 2
	assert_output_contains "chmod 600 $secret"
	assert_output_contains "still pending 2"
	assert_eq "$(spooled "$SPOOL")" 2 "events in the spool after a refused flush"
	assert_eq "$(requests)" 0 "requests"
	# the fix the messages gave: every event delivered, signed
	chmod 600 "$secret"
	run "$PG_BIN/pushguard" check "$R"
	assert_rc 0
	run "$PG_BIN/pushguard" flush "$R"
	assert_rc 0
	assert_output_contains "delivered 2, still pending 0"
	assert_pyq "$WLOG" '[(json.loads(r["body"])["event"], r["github_sig_ok"], r["std_sig_ok"]) for r in L]' \
		"[('push.rejected', True, True), ('push.rejected', True, True)]"
}

c_bad_url_never_refuses() {
	setup_repo
	local pw
	pw=$(rand 24 'A-Za-z0-9')
	AUDIT="$PG_CASE_DIR/audit.jsonl"
	set_config "$R" pushguard.auditLog "$AUDIT"
	add_config "$R" pushguard.files.deny id_rsa
	set_config "$R" pushguard.webhook.url "ftp://ops:$pw@hooks.example.com/x"
	set_config "$R" pushguard.webhook.spoolDir "$PG_CASE_DIR/spool"
	set_config "$R" pushguard.webhook.events all
	commit a.txt a "Fine"
	push origin main
	assert_push_ok # the docs' promise: reporting never changes the verdict
	assert_ref "$R" refs/heads/main "$(oid HEAD)"
	assert_output_contains "pushguard.webhook.url = 'ftp://hooks.example.com/…' in $R/config: expected an http:// or https:// URL"
	assert_output_contains "the webhook event for this push is not sent (the audit log has it"
	assert_output_not_contains "$pw"
	commit_key id_rsa "Key"
	push origin main
	assert_push_refused
	assert_output_contains "id_rsa"
	assert_output_not_contains "$pw"
	assert_pyq "$AUDIT" '[e["event"] for e in L]' "['push.accepted', 'push.landed', 'push.rejected']"
	assert_file_absent "$PG_CASE_DIR/spool"
	run "$PG_BIN/pushguard" check "$R"
	assert_rc 1
	assert_output_contains "error: pushguard.webhook.url = 'ftp://hooks.example.com/…'"
	assert_output_contains "pushes are judged as usual"
	# more bad URLs: no host, blanks
	for u in "https://" "http://:80/x" "https://exa mple.com/"; do
		set_config "$R" pushguard.webhook.url "$u"
		git reset -q --hard "$(server_oid "$R" refs/heads/main)"
		commit "f$RANDOM.txt" x "Fine again"
		push origin main
		assert_push_ok
		assert_output_contains "pushguard.webhook.url"
	done
}

c_one_sender_while_hanging() {
	hooked_repo
	echo hang >"$WMODE"
	local t=20 i
	! under_valgrind || t=60
	set_config "$R" pushguard.webhook.timeout "${t}s"
	for i in 1 2 3 4 5 6; do
		git reset -q --hard "$(server_oid "$R" refs/heads/main)"
		commit_key "k$i/id_rsa" "Key $i"
		push origin main
		assert_push_refused
	done
	# six pushes, six events in the spool, one sender, one request: the others wait for it
	assert_eq "$(spooled "$SPOOL")" 6 "events in the spool"
	assert_eq "$(senders)" 1 "webhook senders alive"
	sleep 0.5
	assert_eq "$(requests)" 1 "requests to the hanging endpoint"
	# the endpoint comes back; once the sender gave up its one attempt (timeout), nothing else
	# was tried in that run, and flush delivers all six
	echo normal >"$WMODE"
	for i in $(seq 1 $(((t + 10) * 10))); do
		[ "$(senders)" = 0 ] && break
		sleep 0.1
	done
	assert_eq "$(senders)" 0 "webhook senders alive after the timeout"
	assert_eq "$(requests)" 1 "requests (the others were not tried after the failure)"
	run "$PG_BIN/pushguard" flush "$R"
	assert_rc 0
	assert_output_contains "delivered 6, still pending 0"
	assert_pyq "$WLOG" 'len(set(json.loads(r["body"])["id"] for r in L))' 6
}

c_links_refused() {
	setup_repo
	local d=$PG_CASE_DIR
	# what an attacker who can write the log directory would aim at
	printf 'ssh-ed25519 AAAA keep-me\n' >"$d/authorized_keys"
	ln -s "$d/authorized_keys" "$d/audit.jsonl"
	ln -s "$d/authorized_keys" "$d/metrics.prom"
	set_config "$R" pushguard.auditLog "$d/audit.jsonl"
	set_config "$R" pushguard.metricsFile "$d/metrics.prom"
	commit a.txt a "Fine"
	push origin main
	assert_push_ok
	assert_output_contains "refused to open the audit log $d/audit.jsonl (pushguard.auditLog): it is a symbolic link"
	assert_output_contains "refused to open the metrics file $d/metrics.prom (pushguard.metricsFile): it is a symbolic link"
	assert_eq "$(cat "$d/authorized_keys")" "ssh-ed25519 AAAA keep-me" "the link's target"
	[ -L "$d/metrics.prom" ] || fail "the metrics link left alone" "replaced"
	run "$PG_BIN/pushguard" check "$R"
	assert_rc 1
	assert_output_contains "pushguard.auditLog = '$d/audit.jsonl' in $R/config: it is a symbolic link"
	assert_output_contains "pushguard.metricsFile = '$d/metrics.prom' in $R/config: it is a symbolic link"
	# a dangling link: nothing is created where it points
	rm "$d/audit.jsonl"
	ln -s "$d/created-through-link" "$d/audit.jsonl"
	commit b.txt b "Fine too"
	push origin main
	assert_push_ok
	assert_file_absent "$d/created-through-link"
	# the directory as a link
	mkdir "$d/real-logs"
	ln -s "$d/real-logs" "$d/logs"
	set_config "$R" pushguard.auditLog "$d/logs/audit.jsonl"
	unset_config "$R" pushguard.metricsFile
	commit c.txt c "Fine three"
	push origin main
	assert_push_ok
	assert_output_contains "its directory $d/logs is a symbolic link"
	assert_file_absent "$d/real-logs/audit.jsonl"
	run "$PG_BIN/pushguard" check "$R"
	assert_output_contains "its directory $d/logs is a symbolic link"
	# the real path
	set_config "$R" pushguard.auditLog "$d/real-logs/audit.jsonl"
	commit e.txt e "Fine four"
	push origin main
	assert_push_ok
	assert_output_not_contains "warning"
	assert_pyq "$d/real-logs/audit.jsonl" '[e["event"] for e in L]' "['push.accepted', 'push.landed']"
}

c_git_not_from_path() {
	setup_repo
	local tok marker="$PG_CASE_DIR/impostor-ran"
	set_config "$R" pushguard.secrets.maxBlobSize 20m
	set_config "$R" pushguard.timeBudget 0 # a cold rules database compiles first
	tok=$(gh_token)
	# over 4 MiB: streamed; packed: read through git cat-file
	{ head -c 4500000 /dev/zero | tr '\0' 'a' | fold -w 100; printf 'GITHUB_TOKEN=%s\n' "$tok"; } >big.txt
	git add big.txt
	git commit -q -m "Big file with a token at its end"
	git pack-objects -q --revs --stdout <<<"$(oid HEAD)" >"$PG_CASE_DIR/big.pack"
	(cd "$R" && git index-pack --stdin <"$PG_CASE_DIR/big.pack" >/dev/null)
	mkdir -p "$PG_CASE_DIR/bin"
	printf '#!/bin/sh\ntouch %q\nexit 0\n' "$marker" >"$PG_CASE_DIR/bin/git"
	chmod +x "$PG_CASE_DIR/bin/git"
	# the hook run by whatever sets PATH (a server's own hook runner): the impostor comes first
	LAST_CMD="pushguard-pre-receive with PATH=$PG_CASE_DIR/bin:..."
	if printf '%s %s refs/heads/main\n' "$(server_oid "$R" refs/heads/main)" "$(oid HEAD)" |
		(cd "$R" && GIT_DIR=. PATH="$PG_CASE_DIR/bin:$PATH" "$PG_BIN/pushguard-pre-receive") >"$OUT" 2>&1; then
		RC=0
	else
		RC=$?
	fi
	assert_rc 1
	assert_output_contains "big.txt"
	assert_output_contains "github"
	assert_output_not_contains "$tok"
	assert_file_absent "$marker"
}

c_spool_without_credentials() {
	hooked_repo
	local user pw tok old
	user=ops
	pw=$(rand 24 'A-Za-z0-9')
	tok=$(rand 32 'a-f0-9')
	set_config "$R" pushguard.webhook.url "http://$user:$pw@127.0.0.1:$PORT/hook?token=$tok"
	echo down >"$WMODE"
	commit_key keys/id_rsa "Add key"
	push origin main
	assert_push_refused
	wait_requests 1
	sleep 0.3
	assert_eq "$(spooled "$SPOOL")" 1 "events in the spool"
	if grep -rqF -e "$pw" -e "$tok" "$SPOOL"; then fail "no credentials in the spool" "$(cat "$SPOOL"/*.event)"; fi
	grep -q "^pushguard-spool 2 http://127.0.0.1:$PORT/… [0-9a-f]*:[0-9a-f]*\$" "$SPOOL"/*.event ||
		fail "a destination without credentials" "$(head -1 "$SPOOL"/*.event)"
	# a file of the old format, with the URL and its credentials: rewritten by the next try
	old="$SPOOL/100-0b7c5e9a-1111-4222-8333-444455556666.event"
	printf 'pushguard-spool 1 %s\n{"id":"0b7c5e9a-1111-4222-8333-444455556666","event":"push.rejected"}\n' \
		"http://$user:$pw@127.0.0.1:$PORT/hook?token=$tok" >"$old"
	run "$PG_BIN/pushguard" flush "$R"
	assert_rc 1
	assert_output_contains "1 rewritten without the URL's credentials"
	if grep -rqF -e "$pw" -e "$tok" "$SPOOL"; then fail "no credentials in the spool" "$(cat "$SPOOL"/*.event)"; fi
	# delivery takes the URL from the policy: credentials and query reach the endpoint
	echo normal >"$WMODE"
	run "$PG_BIN/pushguard" flush "$R"
	assert_rc 0
	assert_output_contains "delivered 2, still pending 0"
	assert_pyq "$WLOG" 'L[-1]["path"], L[-1]["headers"]["authorization"]' \
		"('/hook?token=$tok', 'Basic $(printf '%s' "$user:$pw" | base64)')"
	assert_pyq "$WLOG" '"0b7c5e9a-1111-4222-8333-444455556666" in [json.loads(r["body"])["id"] for r in L if r["status"] == 200]' True
	# a changed URL (the credentials rotated): the old events are for another endpoint
	echo down >"$WMODE"
	git reset -q --hard HEAD~1
	commit_key keys3/id_rsa "Key again"
	push origin main
	assert_push_refused
	sleep 0.3
	set_config "$R" pushguard.webhook.url "http://$user:rotated@127.0.0.1:$PORT/hook?token=$tok"
	echo normal >"$WMODE"
	run "$PG_BIN/pushguard" flush "$R"
	assert_output_contains "1 addressed to another URL left alone"
}

c_limits_out_of_range() {
	setup_repo
	set_config "$R" pushguard.tickets.required true
	add_config "$R" pushguard.tickets.projects PROJ
	set_config "$R" pushguard.tickets.timeout 1h
	commit a.txt a "PROJ-1 a change with its ticket"
	push origin main
	assert_push_refused
	assert_output_contains "pushguard.tickets.timeout = '1h' in $R/config: out of range: expected 100ms to 60s"
	run "$PG_BIN/pushguard" check "$R"
	assert_rc 1
	assert_output_contains "pushguard.tickets.timeout = '1h' in $R/config"
	set_config "$R" pushguard.tickets.timeout 30s
	push origin main
	assert_push_ok
	# set while tickets are off: check still says it
	set_config "$R" pushguard.tickets.required false
	set_config "$R" pushguard.tickets.timeout 0
	run "$PG_BIN/pushguard" check "$R"
	assert_rc 1
	assert_output_contains "pushguard.tickets.timeout = '0' in $R/config: out of range"
	unset_config "$R" pushguard.tickets.timeout
	# webhook limits: said, the verdict unchanged, the event kept for when they are fixed
	make_secret "$PG_CASE_DIR/secret"
	start_receiver
	set_config "$R" pushguard.webhook.url "http://127.0.0.1:$PORT/hook"
	set_config "$R" pushguard.webhook.spoolDir "$PG_CASE_DIR/spool"
	set_config "$R" pushguard.webhook.retries 50
	add_config "$R" pushguard.files.deny id_rsa
	commit_key id_rsa "Key"
	push origin main
	assert_push_refused
	assert_output_contains "id_rsa"
	assert_output_contains "pushguard.webhook.retries = '50' in $R/config: out of range: expected 0 to 20"
	assert_output_contains "waits in $PG_CASE_DIR/spool"
	run "$PG_BIN/pushguard" check "$R"
	assert_rc 1
	assert_output_contains "pushguard.webhook.retries = '50' in $R/config"
	set_config "$R" pushguard.webhook.retries 2
	set_config "$R" pushguard.webhook.timeout 2h
	run "$PG_BIN/pushguard" check "$R"
	assert_rc 1
	assert_output_contains "pushguard.webhook.timeout = '2h' in $R/config: out of range: expected 100ms to 60s"
	set_config "$R" pushguard.webhook.timeout 5s
	run "$PG_BIN/pushguard" flush "$R"
	assert_rc 0
	assert_output_contains "delivered 1"
}

# a chained pre-receive hook (hooks/pre-receive.d, run once pushguard accepted) that holds a
# push while the file hold exists, until go exists
holding_hook() {
	mkdir -p "$R/hooks/pre-receive.d"
	cat >"$R/hooks/pre-receive.d/10-hold" <<-EOF
	#!/bin/sh
	[ -e '$PG_CASE_DIR/hold' ] || exit 0
	: >'$PG_CASE_DIR/held'
	while [ ! -e '$PG_CASE_DIR/go' ]; do sleep 0.05; done
	exit 0
	EOF
	chmod +x "$R/hooks/pre-receive.d/10-hold"
}

c_racing_push_never_landed() {
	setup_repo
	AUDIT="$PG_CASE_DIR/audit.jsonl"
	set_config "$R" pushguard.auditLog "$AUDIT"
	set_config "$R" pushguard.metricsFile "$PG_CASE_DIR/metrics.prom"
	holding_hook
	local base i
	base=$(oid HEAD)
	git clone -q "$(repo_url "$R")" ../slow
	(cd ../slow && commit slow.txt s "Slow change")
	commit fast.txt f "Fast change"
	touch "$PG_CASE_DIR/hold"
	(
		cd ../slow
		if PUSHGUARD_PUSHER=mallory git push origin main >"$PG_CASE_DIR/slow.out" 2>&1; then rc=0; else rc=$?; fi
		echo "$rc" >"$PG_CASE_DIR/slow.rc"
	) &
	for i in $(seq 1 600); do [ -e "$PG_CASE_DIR/held" ] && break; sleep 0.05; done
	[ -e "$PG_CASE_DIR/held" ] || fail "the slow push reached its chained hook" "it did not"
	rm "$PG_CASE_DIR/hold"
	PUSHGUARD_PUSHER=alice push origin main
	assert_push_ok
	touch "$PG_CASE_DIR/go"
	wait
	# the slow push was accepted by pushguard, then git could not move the ref
	assert_eq "$(cat "$PG_CASE_DIR/slow.rc")" 1 "the slow push's exit status"
	assert_ref "$R" refs/heads/main "$(oid HEAD)"
	assert_pyq "$AUDIT" '[(e["event"], e["pusher"]) for e in L]' \
		"[('push.accepted', 'alice'), ('push.landed', 'alice'), ('push.accepted', 'mallory')]"
	assert_pyq "$AUDIT" 'L[-1]["refs"][0]["old"]' "$base"
	run "$PG_BIN/pushguard" report "$AUDIT"
	assert_rc 0
	assert_output_contains "ref updates: 2 accepted, 1 landed (post-receive); 1 accepted but never landed"
	assert_output_matches "^  [0-9T:.Z-]+  mallory  $R  refs/heads/main  $(cd ../slow && oid HEAD)\$"
	grep -q "^pushguard_ref_updates_landed_total{repository=\"$R\"} 1\$" "$PG_CASE_DIR/metrics.prom" ||
		{ OUT="$PG_CASE_DIR/metrics.prom"; fail "1 landed ref update counted" "see metrics"; }
}

c_killed_receive_pack_never_landed() {
	setup_repo
	AUDIT="$PG_CASE_DIR/audit.jsonl"
	set_config "$R" pushguard.auditLog "$AUDIT"
	commit landed.txt l "Lands"
	push origin main
	assert_push_ok
	# a chained hook that kills receive-pack (its parent is the pushguard hook, whose parent is
	# receive-pack) once pushguard has accepted the push
	mkdir -p "$R/hooks/pre-receive.d"
	cat >"$R/hooks/pre-receive.d/10-kill" <<-'EOF'
	#!/bin/sh
	rp=$(awk '{print $4}' "/proc/$PPID/stat")
	kill -9 "$rp"
	exit 0
	EOF
	chmod +x "$R/hooks/pre-receive.d/10-kill"
	local before
	before=$(server_oid "$R" refs/heads/main)
	commit a.txt a "Never lands"
	push origin main
	assert_rc_nonzero
	assert_ref "$R" refs/heads/main "$before"
	for i in $(seq 1 50); do [ "$(pyq "$AUDIT" 'len(L)')" -ge 3 ] && break; sleep 0.1; done
	assert_pyq "$AUDIT" '[e["event"] for e in L]' "['push.accepted', 'push.landed', 'push.accepted']"
	run "$PG_BIN/pushguard" report "$AUDIT"
	assert_output_contains "ref updates: 2 accepted, 1 landed (post-receive); 1 accepted but never landed"
	assert_output_contains "refs/heads/main  $(oid HEAD)"
}

c_install_post_receive() {
	R=$(new_bare_repo srv)
	# a post-receive the site had: moved aside, still run with git's input, put back on uninstall
	printf '#!/bin/sh\ncat >>%q\n' "$PG_CASE_DIR/site-hook.log" >"$R/hooks/post-receive"
	chmod +x "$R/hooks/post-receive"
	cp "$R/hooks/post-receive" "$PG_CASE_DIR/orig"
	install_hook "$R"
	assert_output_contains "write hook $R/hooks/post-receive -> $PG_BIN/pushguard-post-receive"
	grep -qF -- "exec '$PG_BIN/pushguard-post-receive' --chain \"\${0%/*}/post-receive.d\"" "$R/hooks/post-receive" ||
		fail "post-receive wrapper" "$(cat "$R/hooks/post-receive")"
	cmp -s "$PG_CASE_DIR/orig" "$R/hooks/post-receive.d/00-original" || fail "the site's hook in post-receive.d/00-original" "missing"
	install_hook "$R"
	assert_output_contains "already up to date"
	set_config "$R" pushguard.auditLog "$PG_CASE_DIR/audit.jsonl"
	clone "$R" w
	cd w
	seed
	assert_pyq "$PG_CASE_DIR/audit.jsonl" '[e["event"] for e in L]' "['push.accepted', 'push.landed']"
	assert_eq "$(cat "$PG_CASE_DIR/site-hook.log")" "$ZERO_OID $(oid HEAD) refs/heads/main" "the site's hook's input"
	# --hook update next to it: uninstalling pre-receive keeps post-receive for update
	install_hook "$R" --hook update
	run "$PG_TOP/install.sh" --prefix "$PG_PREFIX" --uninstall --hook pre-receive "$R"
	assert_rc 0
	grep -q 'pushguard: managed hook' "$R/hooks/post-receive" || fail "post-receive kept for the update hook" "removed"
	run "$PG_TOP/install.sh" --prefix "$PG_PREFIX" --uninstall --hook update "$R"
	assert_rc 0
	cmp -s "$PG_CASE_DIR/orig" "$R/hooks/post-receive" || fail "the site's post-receive back in place" "$(cat "$R/hooks/post-receive" 2>&1)"
	assert_file_absent "$R/hooks/post-receive.d"
	assert_file_absent "$R/hooks/pre-receive"
	assert_file_absent "$R/hooks/update"
}

run_case "a world-readable secret file: events wait in the spool, check and flush say chmod 600" c_secret_world_readable
run_case "a bad webhook URL never refuses a push: said, recorded, in check" c_bad_url_never_refuses
run_case "an endpoint that hangs: one sender for six pushes, one request" c_one_sender_while_hanging
run_case "links at the audit log and metrics file (or their directory): refused, said, not followed" c_links_refused
run_case "git cat-file is not looked up in PATH" c_git_not_from_path
run_case "the spool keeps no URL credentials; delivery takes them from the policy" c_spool_without_credentials
run_case "tickets.timeout, webhook.retries and webhook.timeout out of range" c_limits_out_of_range
run_case "a racing push: accepted, never landed, and the report says so" c_racing_push_never_landed
run_case "a killed receive-pack: accepted, never landed" c_killed_receive_pack_never_landed
run_case "install.sh: post-receive with the others, the site's chained, uninstall restores" c_install_post_receive
