#!/usr/bin/env bash
# Real transports, started and stopped by the test on 127.0.0.1 with its own config files:
#  - smart HTTP: nginx (basic auth) + fcgiwrap + git http-backend; the pusher is REMOTE_USER
#  - ssh: sshd with a forced command per key setting PUSHGUARD_PUSHER; the pusher is the key's
# Each: a refused and an accepted push, the pusher recorded in the audit log.
# SKIPs (and passes) when nginx, fcgiwrap, htpasswd (apache2-utils) or sshd (openssh-server)
# is missing, or when not run as root.
. "$PG_LIB"

NGINX=$(command -v nginx || echo /usr/sbin/nginx)
FCGIWRAP=$(command -v fcgiwrap || echo /usr/sbin/fcgiwrap)
SSHD=$(command -v sshd || echo /usr/sbin/sshd)
HTTP_BACKEND="$(git --exec-path)/git-http-backend"

skip() { skip_case "$1" "$2"; }

# bg NAME CMD...: start a server in its own process group; run.sh kills it if the case does not
bg() {
	local name=$1
	shift
	mkdir -p "$PG_RUN_TMP/pids"
	setsid "$@" </dev/null >>"$PWD/$name.log" 2>&1 &
	echo $! >"$PG_RUN_TMP/pids/t132.$name.$!"
	BG_PIDS+=("$!")
}

stop_bg() {
	local p
	for p in "${BG_PIDS[@]}"; do
		kill -TERM -- "-$p" 2>/dev/null || true
		kill -TERM "$p" 2>/dev/null || true
		rm -f "$PG_RUN_TMP/pids/"t132.*."$p"
	done
	BG_PIDS=()
}

wait_port() { # PORT NAME
	local i
	for i in $(seq 1 100); do
		_port_answers "$1" && return 0
		sleep 0.1
	done
	fail "$2 listens on 127.0.0.1:$1" "$(cat "$2.log" 2>/dev/null | tail -n 5)"
}

# audit_has PUSHER EVENT PROTOCOL: a line of the audit log with all three
audit_has() {
	grep -F "\"pusher\":\"$1\"" audit.log | grep -F "\"event\":\"$2\"" | grep -qF "\"protocol\":\"$3\"" ||
		fail "audit log: pusher $1, $2, protocol $3" "$(cat audit.log 2>&1)"
}

# the same push pair over URL_BOB (refused: a private key) and URL_ALICE (accepted)
push_pair() { # URL_BOB URL_ALICE
	git clone -q "$2" w 2>clone.err || { OUT=clone.err fail "clone over $2" "failed"; }
	cd w
	commit_key deploy/id_rsa "Add key"
	push "$1" HEAD:refs/heads/main
	assert_push_refused
	assert_output_contains "deploy/id_rsa"
	assert_ref_absent "$R" refs/heads/main
	git rm -q --cached deploy/id_rsa
	rm -f deploy/id_rsa
	commit README.md hello "Add README" --amend
	push "$2" HEAD:refs/heads/main
	assert_push_ok
	assert_ref "$R" refs/heads/main "$(oid HEAD)"
	cd ..
}

new_served_repo() {
	mkdir -p srv
	R=$(cd srv && new_bare_repo proj)
	install_hook "$R"
	set_config "$R" pushguard.auditLog "$PWD/audit.log"
}

c_http() {
	BG_PIDS=()
	trap stop_bg EXIT
	local T=$PWD port pw_a pw_b
	new_served_repo
	pw_a=$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n')
	pw_b=$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n')
	htpasswd -bcB "$T/htpasswd" alice "$pw_a" 2>/dev/null
	htpasswd -bB "$T/htpasswd" bob "$pw_b" 2>/dev/null
	mkdir -p "$T/nginx/tmp"
	bg fcgiwrap "$FCGIWRAP" -f -s "unix:$T/fcgi.sock"
	for _ in $(seq 1 50); do [ -S "$T/fcgi.sock" ] && break; sleep 0.1; done
	port=$(_free_port)
	cat >"$T/nginx/nginx.conf" <<CONF
user root;
daemon off;
worker_processes 1;
pid $T/nginx/nginx.pid;
error_log $T/nginx/error.log;
events { worker_connections 64; }
http {
	access_log off;
	client_body_temp_path $T/nginx/tmp/body;
	fastcgi_temp_path $T/nginx/tmp/fastcgi;
	proxy_temp_path $T/nginx/tmp/proxy;
	uwsgi_temp_path $T/nginx/tmp/uwsgi;
	scgi_temp_path $T/nginx/tmp/scgi;
	client_max_body_size 0;
	server {
		listen 127.0.0.1:$port;
		auth_basic "git";
		auth_basic_user_file $T/htpasswd;
		location / {
			fastcgi_pass unix:$T/fcgi.sock;
			include /etc/nginx/fastcgi_params;
			fastcgi_param SCRIPT_FILENAME $HTTP_BACKEND;
			fastcgi_param GIT_PROJECT_ROOT $T/srv;
			fastcgi_param GIT_HTTP_EXPORT_ALL "";
			fastcgi_param PATH_INFO \$uri;
			fastcgi_param REMOTE_USER \$remote_user;
			fastcgi_param PATH /usr/local/bin:/usr/bin:/bin;
		}
	}
}
CONF
	bg nginx "$NGINX" -e "$T/nginx/error.log" -p "$T/nginx" -c "$T/nginx/nginx.conf"
	wait_port "$port" nginx
	# no credentials: refused by nginx
	run git ls-remote "http://127.0.0.1:$port/proj.git"
	assert_rc_nonzero
	push_pair "http://bob:$pw_b@127.0.0.1:$port/proj.git" "http://alice:$pw_a@127.0.0.1:$port/proj.git"
	audit_has bob push.rejected http
	audit_has alice push.accepted http
	! grep -qF "$pw_a" audit.log || fail "password not in the audit log" "found"
	stop_bg
}

c_ssh() {
	BG_PIDS=()
	trap stop_bg EXIT
	local T=$PWD port me k
	me=$(id -un)
	new_served_repo
	ssh-keygen -q -t ed25519 -N '' -f "$T/hostkey"
	: >"$T/authorized_keys"
	for k in alice bob; do
		ssh-keygen -q -t ed25519 -N '' -C "$k" -f "$T/$k"
		printf 'command="env PUSHGUARD_PUSHER=%s git-shell -c \\"$SSH_ORIGINAL_COMMAND\\"",no-port-forwarding,no-pty %s\n' \
			"$k" "$(cat "$T/$k.pub")" >>"$T/authorized_keys"
	done
	chmod 600 "$T/authorized_keys"
	port=$(_free_port)
	cat >"$T/sshd_config" <<CONF
Port $port
ListenAddress 127.0.0.1
HostKey $T/hostkey
PidFile $T/sshd.pid
AuthorizedKeysFile $T/authorized_keys
StrictModes no
UsePAM no
PasswordAuthentication no
KbdInteractiveAuthentication no
PermitRootLogin prohibit-password
AllowUsers $me
CONF
	[ -d /run/sshd ] || mkdir -p /run/sshd  # sshd's privilege separation directory
	bg sshd "$SSHD" -D -e -f "$T/sshd_config"
	wait_port "$port" sshd
	local opts="-F /dev/null -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o IdentitiesOnly=yes -o BatchMode=yes -o LogLevel=ERROR"
	export GIT_SSH_COMMAND="ssh $opts -i $T/bob"
	# the push pair with each key: clone as alice, push the key as bob, the README as alice
	git clone -q "ssh://$me@127.0.0.1:$port$R" w 2>clone.err ||
		GIT_SSH_COMMAND="ssh $opts -i $T/alice" git clone -q "ssh://$me@127.0.0.1:$port$R" w 2>clone.err ||
		{ OUT=clone.err fail "clone over ssh" "failed"; }
	cd w
	commit_key deploy/id_rsa "Add key"
	GIT_SSH_COMMAND="ssh $opts -i $T/bob" push origin HEAD:refs/heads/main
	assert_push_refused
	assert_output_contains "deploy/id_rsa"
	git rm -q --cached deploy/id_rsa
	rm -f deploy/id_rsa
	commit README.md hello "Add README" --amend
	GIT_SSH_COMMAND="ssh $opts -i $T/alice" push origin HEAD:refs/heads/main
	assert_push_ok
	assert_ref "$R" refs/heads/main "$(oid HEAD)"
	cd ..
	audit_has bob push.rejected ssh
	audit_has alice push.accepted ssh
	# the forced command allows git only
	run ssh $opts -i "$T/alice" -p "$port" "$me@127.0.0.1" id
	assert_rc_nonzero
	stop_bg
}

c_identity_env() {
	# what the web server and the forced command give the hook, without the servers:
	# REMOTE_USER (+ REQUEST_METHOD) is http, PUSHGUARD_PUSHER (+ SSH_CONNECTION) is ssh,
	# and a forge's variable comes before REMOTE_USER
	new_served_repo
	git clone -q "file://$R" w 2>/dev/null
	cd w
	commit a.txt a "First"
	REMOTE_USER=carol REQUEST_METHOD=POST push origin HEAD:refs/heads/main
	assert_push_ok
	commit b.txt b "Second"
	PUSHGUARD_PUSHER=dave SSH_CONNECTION="127.0.0.1 5000 127.0.0.1 22" push origin HEAD:refs/heads/main
	assert_push_ok
	commit c.txt c "Third"
	GITEA_PUSHER_NAME=erin REMOTE_USER=carol REQUEST_METHOD=POST push origin HEAD:refs/heads/main
	assert_push_ok
	cd ..
	audit_has carol push.accepted http
	audit_has dave push.accepted ssh
	grep -qF '"pusher":"erin"' audit.log || fail "GITEA_PUSHER_NAME before REMOTE_USER" "$(cat audit.log)"
}

run_case "the pusher from REMOTE_USER, PUSHGUARD_PUSHER, a forge's variable first" c_identity_env

missing=
[ "$(id -u)" = 0 ] || missing="not root"
for p in "$NGINX:nginx" "$FCGIWRAP:fcgiwrap"; do
	[ -x "${p%%:*}" ] || missing="${missing:+$missing, }${p##*:} not installed (Debian package: ${p##*:})"
done
command -v htpasswd >/dev/null || missing="${missing:+$missing, }htpasswd not installed (Debian package: apache2-utils)"
[ -x "$HTTP_BACKEND" ] || missing="${missing:+$missing, }git-http-backend not found"
if [ -z "$missing" ]; then
	run_case "smart HTTP (nginx, fcgiwrap, http-backend): refused and accepted, REMOTE_USER audited" c_http
else
	skip "smart HTTP (nginx, fcgiwrap, http-backend)" "$missing"
fi

missing=
[ "$(id -u)" = 0 ] || missing="not root"
[ -x "$SSHD" ] || missing="${missing:+$missing, }sshd not installed (Debian package: openssh-server)"
command -v ssh >/dev/null || missing="${missing:+$missing, }ssh not installed (Debian package: openssh-client)"
command -v git-shell >/dev/null || [ -x "$(git --exec-path)/git-shell" ] || missing="${missing:+$missing, }git-shell not found"
if [ -z "$missing" ]; then
	run_case "ssh (sshd, forced command): refused and accepted, the key's pusher audited" c_ssh
else
	skip "ssh (sshd, forced command)" "$missing"
fi
