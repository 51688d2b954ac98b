#!/usr/bin/env bash
# Signed commits and tags: OpenPGP (librnp) and SSH (OpenSSL) signatures made at test time
# with real gpg and ssh-keygen through `git commit -S`, verified by the hook in-process;
# verdicts cross-checked against git's own (%G?, git verify-commit) on the same commits.
. "$PG_LIB"

command -v gpg >/dev/null && command -v ssh-keygen >/dev/null || {
	echo "t65: gpg and ssh-keygen are needed (apt-get install gnupg openssh-client)" >&2
	exit 1
}

# ---------------------------------------------------------------- keys, made once per file
KEYS="$PG_TEST_TMP/keys"
mkdir -p "$KEYS"
export GNUPGHOME="$KEYS/gnupg"     # the signers' keys (client side)
SERVER_GNUPG="$KEYS/server-gnupg"  # what the server trusts, as a GnuPG home
mkdir -p -m 700 "$GNUPGHOME" "$SERVER_GNUPG"
trap 'gpgconf --homedir "$GNUPGHOME" --kill all 2>/dev/null; gpgconf --homedir "$SERVER_GNUPG" --kill all 2>/dev/null; stop_daemon' EXIT

genkey() { # UID ALGO [EXPIRY [gpg options]]
	local uid=$1 algo=$2 exp=${3:-never}
	shift 3 2>/dev/null || shift $#
	gpg --batch --quiet --passphrase '' "$@" --quick-gen-key "$uid" "$algo" sign "$exp" 2>/dev/null
}
fpr() { gpg --with-colons --list-keys "$1" | awk -F: '$1=="fpr"{print $10; exit}'; }

genkey 'Alice Author <alice@example.com>' ed25519
genkey 'Rita RSA <rita@example.com>' rsa2048
genkey 'Mallory <mallory@example.com>' ed25519
genkey 'Revoked Rob <rob@example.com>' ed25519
genkey 'Weak Walt <walt@example.com>' rsa1024
genkey 'Expiring Eve <eve@example.com>' ed25519 2d --faked-system-time 20200101T000000
ALICE=$(fpr alice@example.com) RITA=$(fpr rita@example.com) MALLORY=$(fpr mallory@example.com)
ROB=$(fpr rob@example.com) WALT=$(fpr walt@example.com) EVE=$(fpr eve@example.com)

# the server's view: every key but Mallory's, with Rob's revocation applied
gpg --armor --export "$ALICE" "$RITA" "$ROB" "$WALT" "$EVE" 2>/dev/null |
	GNUPGHOME="$SERVER_GNUPG" gpg --batch --quiet --import 2>/dev/null
sed 's/^:-----BEGIN/-----BEGIN/' "$GNUPGHOME/openpgp-revocs.d/$ROB.rev" |
	GNUPGHOME="$SERVER_GNUPG" gpg --batch --quiet --import 2>/dev/null
printf '%s:6:\n' "$ALICE" "$RITA" "$ROB" "$WALT" "$EVE" |
	GNUPGHOME="$SERVER_GNUPG" gpg --batch --quiet --import-ownertrust 2>/dev/null
GNUPGHOME="$SERVER_GNUPG" gpg --armor --export >"$KEYS/trusted.asc" 2>/dev/null

# gpg wrappers for git's gpg.program: a signature made on 2020-01-01 12:00, one with SHA-1
printf '#!/bin/sh\nexec gpg --faked-system-time 20200101T120000 "$@"\n' >"$KEYS/gpg-2020"
printf '#!/bin/sh\nexec gpg --digest-algo SHA1 "$@"\n' >"$KEYS/gpg-sha1"
chmod +x "$KEYS/gpg-2020" "$KEYS/gpg-sha1"

for k in ed25519 rsa ecdsa unknown revoked old files; do
	t=$k
	case $k in unknown | revoked | old | files) t=ed25519 ;; esac
	ssh-keygen -q -t "$t" -N '' -C "$k@test" -f "$KEYS/ssh_$k"
done
{
	echo "# trusted SSH signers"
	echo "alice@example.com namespaces=\"git\" $(cat "$KEYS/ssh_ed25519.pub")"
	echo "alice@example.com,bob@example.com $(cat "$KEYS/ssh_rsa.pub")"
	echo "\"alice@example.com\" namespaces=\"git,file\" $(cat "$KEYS/ssh_ecdsa.pub")"
	echo "alice@example.com $(cat "$KEYS/ssh_revoked.pub")"
	echo "alice@example.com valid-before=\"20200101\" $(cat "$KEYS/ssh_old.pub")"
	echo "alice@example.com namespaces=\"file\" $(cat "$KEYS/ssh_files.pub")"
} >"$KEYS/allowed_signers"
{
	echo "# revoked"
	cat "$KEYS/ssh_revoked.pub"
} >"$KEYS/revoked"

# ---------------------------------------------------------------- helpers
# sig_repo: server requiring signatures (keyring + allowed signers), clone in ./w (cwd)
sig_repo() {
	setup_repo
	set_config "$R" pushguard.signatures.required true
	set_config "$R" pushguard.signatures.keyring "$KEYS/trusted.asc"
	set_config "$R" pushguard.signatures.allowedSignersFile "$KEYS/allowed_signers"
}

pgp_commit() { # KEY FILE MSG [git options before commit]
	local key=$1 f=$2 m=$3
	shift 3
	printf '%s\n' "$m" >"$f"
	git add -- "$f"
	git "$@" -c gpg.format=openpgp -c user.signingKey="$key" commit -q -S -m "$m"
}

ssh_commit() { # KEYNAME FILE MSG
	printf '%s\n' "$3" >"$2"
	git add -- "$2"
	git -c gpg.format=ssh -c user.signingKey="$KEYS/ssh_$1.pub" commit -q -S -m "$3"
}

# craft PYTHON-EXPR-ON-raw COMMIT: write a commit object made from COMMIT's raw text; prints its id
craft() {
	git cat-file commit "$2" | python3 -c '
import sys
raw = sys.stdin.buffer.read().decode()
sys.stdout.write(eval(sys.argv[1]))' "$1" >"$PG_CASE_DIR/.raw"
	git hash-object -t commit -w "$PG_CASE_DIR/.raw" 2>/dev/null ||
		git hash-object --literally -t commit -w "$PG_CASE_DIR/.raw"
}

pg_verify() { run "$PG_BIN/pushguard" verify "$R" "$@"; }

# git's own verdict, with the server's trusted keys
git_letter() {
	GNUPGHOME="$SERVER_GNUPG" git -c gpg.ssh.allowedSignersFile="$KEYS/allowed_signers" \
		log -1 --format=%G? "$1" 2>/dev/null
}

assert_letter() { # REV LETTER: pushguard verify says LETTER for REV
	pg_verify "$1"
	local got
	got=$(awk 'NR==1{print $1}' "$OUT")
	[ "$got" = "$2" ] || fail "pushguard verify $1: $2" "$got"
}

# ---------------------------------------------------------------- accepted
c_openpgp_ed25519_and_rsa_accepted() {
	sig_repo
	pgp_commit "$ALICE" a.txt "Signed by Alice (ed25519)"
	pgp_commit "$RITA" b.txt "Signed by Rita (RSA 2048)"
	push origin main
	assert_push_ok
	assert_ref "$R" refs/heads/main "$(oid HEAD)"
}

c_ssh_ed25519_rsa_ecdsa_accepted() {
	sig_repo
	ssh_commit ed25519 a.txt "SSH ed25519"
	ssh_commit rsa b.txt "SSH RSA"
	ssh_commit ecdsa c.txt "SSH ECDSA"
	push origin main
	assert_push_ok
	assert_ref "$R" refs/heads/main "$(oid HEAD)"
}

c_gnupg_home_accepted() {
	setup_repo
	set_config "$R" pushguard.signatures.required true
	set_config "$R" pushguard.signatures.gnupgHome "$SERVER_GNUPG"
	pgp_commit "$ALICE" a.txt "Trusted through a GnuPG home"
	push origin main
	assert_push_ok
	pgp_commit "$MALLORY" m.txt "Mallory again"
	push origin main
	assert_push_refused
	assert_output_contains "cannot check the signature (E)"
}

# ---------------------------------------------------------------- refused, and what the pusher reads
c_unsigned_refused() {
	sig_repo
	commit a.txt a "Unsigned change"
	push origin main
	assert_push_refused
	assert_output_contains "✗ signatures  unsigned"
	assert_output_contains "$(git rev-parse --short=7 HEAD) \"Unsigned change\""
	assert_output_contains "no signature (N)"
	assert_output_contains "git commit --amend --no-edit -S"
	assert_output_contains "git rebase --exec 'git commit --amend --no-edit -S'"
	assert_ref "$R" refs/heads/main "$(oid HEAD~1)"
}

c_unknown_openpgp_key_refused() {
	sig_repo
	pgp_commit "$MALLORY" a.txt "Signed by an unknown key"
	push origin main
	assert_push_refused
	assert_output_contains "cannot check the signature (E)"
	assert_output_contains "not in the trusted OpenPGP keys"
	assert_output_contains "${MALLORY: -16}"
	assert_output_contains "gpg --armor --export"
}

c_unknown_ssh_key_refused() {
	sig_repo
	ssh_commit unknown a.txt "Signed by an unknown SSH key"
	push origin main
	assert_push_refused
	assert_output_contains "untrusted key (U)"
	assert_output_contains "$(ssh-keygen -lf "$KEYS/ssh_unknown.pub" | awk '{print $2}')"
	assert_output_contains "allowedSignersFile"
}

c_tampered_refused() {
	sig_repo
	pgp_commit "$ALICE" a.txt "Pay 10 EUR"
	local bad
	bad=$(craft 'raw.replace("Pay 10 EUR", "Pay 99 EUR")' HEAD)
	push origin "$bad:refs/heads/main"
	assert_push_refused
	assert_output_contains "bad signature (B)"
	assert_output_contains "${bad:0:7}"
	ssh_commit ed25519 s.txt "SSH: pay 10 EUR"
	bad=$(craft 'raw.replace("pay 10 EUR", "pay 99 EUR")' HEAD)
	push origin "$bad:refs/heads/main"
	assert_push_refused
	assert_output_contains "bad signature (B)"
	assert_ref "$R" refs/heads/main "$(oid HEAD~2)"
}

# a real signature moved onto another commit
c_transplanted_refused() {
	sig_repo
	pgp_commit "$ALICE" a.txt "Reviewed change"
	local signed other moved sig
	signed=$(oid HEAD)
	git reset -q --hard HEAD~1
	commit b.txt b "Unreviewed change"
	other=$(oid HEAD)
	sig=$(git cat-file commit "$signed" | awk '/^gpgsig /{p=1} p&&!/^gpgsig /&&!/^ /{exit} p')
	printf '%s\n' "$sig" >"$PG_CASE_DIR/.sig"
	moved=$(craft 'raw.replace("\n\n", "\n" + open("'"$PG_CASE_DIR/.sig"'").read() + "\n", 1)' "$other")
	git cat-file commit "$moved" | grep -q '^gpgsig ' || fail "crafted commit has a gpgsig header"
	push origin "$moved:refs/heads/main"
	assert_push_refused
	assert_output_contains "bad signature (B)"
	assert_eq "$(git_letter "$moved")" B "git's verdict on the transplant"
}

# a signature in the message body is no signature (libgit2's extract_signature would take it)
c_signature_in_message_refused() {
	sig_repo
	pgp_commit "$ALICE" a.txt "Looks signed"
	local fake
	fake=$(craft '(lambda h, m: "".join(l + "\n" for l in h.split("\n") if not l.startswith(("gpgsig", " "))) + "\n" + "".join(l + "\n" for l in h.split("\n") if l.startswith(("gpgsig", " "))) + m)(*raw.split("\n\n", 1))' HEAD)
	git cat-file commit "$fake" | grep -q '^gpgsig ' || fail "crafted commit has gpgsig in its message"
	push origin "$fake:refs/heads/main"
	assert_push_refused
	assert_output_contains "no signature (N)"
	assert_eq "$(git_letter "$fake")" N "git's verdict"
}

c_expired_key_refused() {
	sig_repo
	# signed while the key was valid (gpg's clock: 2020-01-01 12:00), committed after it expired
	printf 'late\n' >late.txt
	git add late.txt
	GIT_COMMITTER_DATE='2020-01-05T12:00:00Z' git -c gpg.program="$KEYS/gpg-2020" \
		-c user.signingKey="$EVE" commit -q -S -m "After the key expired"
	push origin main
	assert_push_refused
	assert_output_contains "expired key (Y)"
	assert_output_contains "expired on 2020-01-03"
	assert_output_contains "gpg --quick-set-expire"
	# the same key at a date when it was valid: judged at the commit's time, accepted
	git reset -q --hard HEAD~1
	printf 'timely\n' >timely.txt
	git add timely.txt
	GIT_COMMITTER_DATE='2020-01-01T12:00:00Z' git -c gpg.program="$KEYS/gpg-2020" \
		-c user.signingKey="$EVE" commit -q -S -m "While the key was valid"
	push origin main
	assert_push_ok
}

c_revoked_openpgp_key_refused() {
	sig_repo
	pgp_commit "$ROB" a.txt "Signed by a revoked key"
	push origin main
	assert_push_refused
	assert_output_contains "revoked key (R)"
	assert_output_contains "$ROB"
}

c_revoked_list_refused() {
	sig_repo
	set_config "$R" pushguard.signatures.revokedKeys "$KEYS/revoked"
	ssh_commit revoked a.txt "Signed by a revoked SSH key"
	push origin main
	assert_push_refused
	assert_output_contains "revoked key (R)"
	assert_output_contains "revokedKeys"
	# OpenPGP fingerprints in the same list
	git reset -q --hard HEAD~1
	printf '%s\n' "$RITA" >>"$PG_CASE_DIR/revoked"
	set_config "$R" pushguard.signatures.revokedKeys "$PG_CASE_DIR/revoked"
	pgp_commit "$RITA" b.txt "Rita's key is revoked by the admin"
	push origin main
	assert_push_refused
	assert_output_contains "revoked key (R)"
}

c_valid_before_past_refused() {
	sig_repo
	ssh_commit old a.txt "Signed by a key valid until 2020"
	push origin main
	assert_push_refused
	assert_output_contains "expired key (Y)"
	assert_output_contains "valid-before"
}

c_wrong_namespace_refused() {
	sig_repo
	ssh_commit files a.txt "Key allowed for files only"
	push origin main
	assert_push_refused
	assert_output_contains "untrusted key (U)"
	assert_output_contains 'namespaces="file"'
}

c_weak_algorithms_refused() {
	sig_repo
	pgp_commit "$WALT" a.txt "Signed by RSA-1024"
	push origin main
	assert_push_refused
	assert_output_contains "bad signature (B)"
	assert_output_contains "RSA-1024"
	git reset -q --hard HEAD~1
	pgp_commit "$ALICE" b.txt "Signed over SHA-1" -c gpg.program="$KEYS/gpg-sha1"
	push origin main
	assert_push_refused
	assert_output_contains "SHA1"
}

c_x509_and_sha256_only_refused() {
	sig_repo
	commit a.txt a "Base"
	local x s
	x=$(craft 'raw.replace("\n\n", "\ngpgsig -----BEGIN SIGNED MESSAGE-----\n MIIB\n -----END SIGNED MESSAGE-----\n\n", 1)' HEAD)
	push origin "$x:refs/heads/main"
	assert_push_refused
	assert_output_contains "X.509"
	assert_output_contains "cannot check the signature (E)"
	s=$(craft 'raw.replace("\n\n", "\ngpgsig-sha256 -----BEGIN PGP SIGNATURE-----\n \n abcd\n -----END PGP SIGNATURE-----\n\n", 1)' HEAD)
	push origin "$s:refs/heads/main"
	assert_push_refused
	assert_output_contains "gpgsig-sha256"
}

# ---------------------------------------------------------------- scope, tags, identity, exemptions
c_scoped_by_refs() {
	sig_repo
	set_config "$R" pushguard.signatures.refs refs/heads/main
	git checkout -q -b topic
	commit t.txt t "Unsigned topic work"
	push origin topic
	assert_push_ok
	git checkout -q main
	commit m.txt m "Unsigned work on main"
	push origin main
	assert_push_refused
	assert_output_contains "no signature (N)"
}

c_tags_default_out_of_scope_then_signed_tags() {
	sig_repo
	pgp_commit "$ALICE" a.txt "Release"
	push origin main
	assert_push_ok
	git tag -a v1 -m "Unsigned tag"
	push origin v1
	assert_push_ok # refs/tags/ are not in the default scope (refs/heads/**)
	add_config "$R" pushguard.signatures.refs 'refs/heads/**'
	add_config "$R" pushguard.signatures.refs 'refs/tags/**'
	git tag -a v2 -m "Unsigned annotated tag"
	push origin v2
	assert_push_refused
	assert_output_contains "tag: no signature (N)"
	assert_output_contains "git tag -f -s"
	git -c user.signingKey="$ALICE" tag -s v3 -m "Signed tag"
	push origin v3
	assert_push_ok
	git -c gpg.format=ssh -c user.signingKey="$KEYS/ssh_ed25519.pub" tag -s v4 -m "SSH-signed tag"
	push origin v4
	assert_push_ok
	git -c user.signingKey="$MALLORY" tag -s v5 -m "Tag by Mallory"
	push origin v5
	assert_push_refused
	assert_output_contains "tag: cannot check the signature (E)"
	assert_letter v3 G
	assert_letter v4 G
	set_config "$R" pushguard.signatures.required false
	push origin v5
	assert_push_ok
	assert_letter v5 E
}

c_match_committer() {
	sig_repo
	set_config "$R" pushguard.signatures.matchCommitter true
	pgp_commit "$ALICE" a.txt "Alice signs as Alice"
	ssh_commit rsa b.txt "SSH principal alice@example.com"
	push origin main
	assert_push_ok
	GIT_COMMITTER_EMAIL=carol@example.com pgp_commit "$ALICE" c.txt "Carol commits, Alice signs"
	push origin main
	assert_push_refused
	assert_output_contains "untrusted key (U)"
	assert_output_contains "<carol@example.com>"
	git reset -q --hard HEAD~1
	printf 'b\n' >bob.txt
	git add bob.txt
	GIT_COMMITTER_EMAIL=bob@example.com git -c gpg.format=ssh -c user.signingKey="$KEYS/ssh_rsa.pub" \
		commit -q -S -m "Bob is a principal of the RSA key"
	push origin main
	assert_push_ok
	printf 'c\n' >bob2.txt
	git add bob2.txt
	GIT_COMMITTER_EMAIL=bob@example.com git -c gpg.format=ssh -c user.signingKey="$KEYS/ssh_ed25519.pub" \
		commit -q -S -m "Bob is not a principal of the ed25519 key"
	push origin main
	assert_push_refused
	assert_output_contains "not a principal"
}

c_exempt_committers() {
	sig_repo
	add_config "$R" pushguard.signatures.exemptCommitters merge-bot@example.com
	GIT_COMMITTER_EMAIL=merge-bot@example.com commit a.txt a "Merge by the bot"
	push origin main
	assert_push_ok
	commit b.txt b "Unsigned by a human"
	push origin main
	assert_push_refused
}

c_not_required_by_default() {
	setup_repo
	commit a.txt a "Unsigned, nothing required"
	push origin main
	assert_push_ok
}

# ---------------------------------------------------------------- configuration fails closed
c_unreadable_key_files_fail_closed() {
	sig_repo
	commit a.txt a "Any change"
	set_config "$R" pushguard.signatures.keyring "$PG_CASE_DIR/missing.asc"
	push origin main
	assert_push_refused
	assert_output_contains "$PG_CASE_DIR/missing.asc"
	assert_output_contains_i "pushguard.signatures.keyring"
	set_config "$R" pushguard.signatures.keyring "$KEYS/trusted.asc"
	printf 'alice@example.com ssh-ed25519 not-base64!\n' >"$PG_CASE_DIR/bad_signers"
	set_config "$R" pushguard.signatures.allowedSignersFile "$PG_CASE_DIR/bad_signers"
	push origin main
	assert_push_refused
	assert_output_contains "$PG_CASE_DIR/bad_signers:1"
	run "$PG_BIN/pushguard" check "$R"
	assert_rc 1
	assert_output_contains "$PG_CASE_DIR/bad_signers:1"
	unset_config "$R" pushguard.signatures.keyring
	unset_config "$R" pushguard.signatures.allowedSignersFile
	push origin main
	assert_push_refused
	assert_output_contains "no trusted keys are configured"
}

c_rnp_diagnostics_stay_silent() {
	sig_repo
	pgp_commit "$ALICE" a.txt "Garbage signature"
	local g
	g=$(craft 'raw.split("gpgsig ")[0] + "gpgsig -----BEGIN PGP SIGNATURE-----\n \n AAAAAAAA\n -----END PGP SIGNATURE-----\n" + "\n" + raw.split("\n\n", 1)[1]' HEAD)
	push origin "$g:refs/heads/main"
	assert_push_refused
	assert_output_contains "bad signature (B)"
	assert_output_not_contains "remote: ["
	assert_output_not_contains "rnp"
}

# ---------------------------------------------------------------- the CLI and git's own verdicts
c_verify_cli_and_git_agree() {
	sig_repo
	set_config "$R" pushguard.signatures.gnupgHome "$SERVER_GNUPG"
	set_config "$R" pushguard.signatures.required false
	local c=() n
	pgp_commit "$ALICE" 1.txt "G openpgp ed25519"; c+=("$(oid HEAD)")
	pgp_commit "$RITA" 2.txt "G openpgp rsa"; c+=("$(oid HEAD)")
	ssh_commit ed25519 3.txt "G ssh ed25519"; c+=("$(oid HEAD)")
	ssh_commit ecdsa 4.txt "G ssh ecdsa"; c+=("$(oid HEAD)")
	commit 5.txt 5 "N unsigned"; c+=("$(oid HEAD)")
	ssh_commit unknown 6.txt "U ssh unknown"; c+=("$(oid HEAD)")
	pgp_commit "$MALLORY" 7.txt "E openpgp unknown"; c+=("$(oid HEAD)")
	pgp_commit "$ROB" 8.txt "R openpgp revoked"; c+=("$(oid HEAD)")
	pgp_commit "$ALICE" 9.txt "B soon tampered"
	n=$(craft 'raw.replace("B soon tampered", "B tampered")' HEAD); c+=("$n")
	git reset -q --hard "$n"
	push origin main
	assert_push_ok
	local ours theirs
	for x in "${c[@]}"; do
		ours=$("$PG_BIN/pushguard" verify "$R" "$x" | awk 'NR==1{print $1}')
		theirs=$(git_letter "$x")
		[ "$ours" = "$theirs" ] || fail "pushguard and git agree on $(git log -1 --format=%s "$x")" "pushguard $ours, git $theirs"
		# git verify-commit's exit status: 0 exactly for a good signature from a trusted key
		if GNUPGHOME="$SERVER_GNUPG" git -c gpg.ssh.allowedSignersFile="$KEYS/allowed_signers" \
			verify-commit "$x" >/dev/null 2>&1; then theirs=0; else theirs=1; fi
		[ "$theirs" = "$([ "$ours" = G ] && echo 0 || echo 1)" ] ||
			fail "git verify-commit agrees with $ours on $(git log -1 --format=%s "$x")" "exit $theirs"
	done
	pg_verify "${c[0]}" "${c[2]}"
	assert_rc 0
	assert_output_contains "$ALICE (Alice Author <alice@example.com>)"
	pg_verify "${c[0]}" "${c[4]}"
	assert_rc 1
	assert_output_matches '^N [0-9a-f]{7} no signature'
	pg_verify "${c[0]}~1..${c[8]}"
	assert_rc 1
	[ "$(wc -l <"$OUT")" -ge 9 ] || fail "a range lists every commit" "$(wc -l <"$OUT") lines"
	pg_verify no-such-rev
	assert_rc 2
	unset_config "$R" pushguard.signatures.keyring
	unset_config "$R" pushguard.signatures.gnupgHome
	unset_config "$R" pushguard.signatures.allowedSignersFile
	pg_verify HEAD
	assert_rc 2
	assert_output_contains "no trusted keys"
}

run_case "OpenPGP ed25519 and RSA signatures from trusted keys are accepted" c_openpgp_ed25519_and_rsa_accepted
run_case "SSH ed25519, RSA and ECDSA signatures from allowed signers are accepted" c_ssh_ed25519_rsa_ecdsa_accepted
run_case "keys trusted through a GnuPG home (pubring.kbx)" c_gnupg_home_accepted
run_case "an unsigned commit is refused, with the fix" c_unsigned_refused
run_case "an unknown OpenPGP key is refused (E)" c_unknown_openpgp_key_refused
run_case "an unknown SSH key is refused (U)" c_unknown_ssh_key_refused
run_case "tampered signed commits are refused (B)" c_tampered_refused
run_case "a signature transplanted onto another commit is refused (B)" c_transplanted_refused
run_case "a gpgsig block in the message body is no signature (N)" c_signature_in_message_refused
run_case "a key expired at the commit's date is refused (Y); valid then is accepted" c_expired_key_refused
run_case "a revoked OpenPGP key is refused (R)" c_revoked_openpgp_key_refused
run_case "keys in pushguard.signatures.revokedKeys are refused (R)" c_revoked_list_refused
run_case "valid-before in the past is refused (Y)" c_valid_before_past_refused
run_case "an allowed signer for another namespace is refused (U)" c_wrong_namespace_refused
run_case "weak algorithms (RSA-1024, SHA-1) are refused" c_weak_algorithms_refused
run_case "X.509 and gpgsig-sha256-only signatures cannot be checked (E)" c_x509_and_sha256_only_refused
run_case "pushguard.signatures.refs limits where signatures are required" c_scoped_by_refs
run_case "signed annotated tags (when refs/tags/ are in scope)" c_tags_default_out_of_scope_then_signed_tags
run_case "matchCommitter: the signer's identity is the committer's email" c_match_committer
run_case "exempt committers need no signature" c_exempt_committers
run_case "nothing is required by default" c_not_required_by_default
run_case "unreadable or invalid key files fail closed, naming the file" c_unreadable_key_files_fail_closed
run_case "rnp's diagnostics never reach the pusher" c_rnp_diagnostics_stay_silent
run_case "pushguard verify: letters and exit codes agree with git verify-commit" c_verify_cli_and_git_agree
