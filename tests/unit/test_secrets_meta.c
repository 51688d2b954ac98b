/* Unit tests for lib/secrets_meta.c: the header fields of pushed commits and
 * annotated tags (mergetag, encoding, gpgsig, unknown headers, the tagger,
 * the tag's own name) are scanned like their messages, each finding naming
 * the header and the line in it, the secret masked everywhere; what was
 * scanned before is reported as before, and real signatures are no findings.
 * Repositories are built with the git CLI, the objects crafted as `git
 * hash-object --literally -w` writes them; every credential-looking value
 * is made here from random bytes. Run from the source tree (the built-in
 * rules in policies/rules). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <git2.h>

#include "check.h"
#include "check_secrets.h"
#include "mask.h"
#include "push.h"
#include "repo_fixture.h"
#include "walk.h"

#define AUTHOR "author Alice Author <alice@example.com> 1704067200 +0000\n"
#define COMMITTER "committer Carl Committer <carl@example.com> 1704067200 +0000\n"
#define TAGGER "tagger Tina Tagger <tina@example.com> 1704067200 +0000\n"

/* Real signatures, made once with gpg (RSA 3072) and ssh-keygen -Y sign (RSA
 * 3072) over throwaway keys, as git writes them in a header: their base64 must
 * never read as a credential. */
#define PGP_SIG                                                                  \
	"-----BEGIN PGP SIGNATURE-----\n"                                        \
	" \n"                                                                    \
	" iQG6BAABCgAkFiEERJ5P+czS12e1OpTBpKFpfREhen8FAmsUYBQGHHJzYUB4AAoJ\n"     \
	" EKShaX0RIXp/B2kL/0W19nZuVAnxIlDLYaOUZjoGPHx6Tfn9bKbxmWfICjnGYtep\n"     \
	" gSQmkxn1k25hDjUzwGKCIH63jysG6KfMQgODsUnnQPsiDpxQRhVBCZWLqZpmXL6t\n"     \
	" bETTZcUS/j/FED3cFPk4Q2d6e3nTTAah3tZGxTqSW4nFUiXmK9HnhxP5c/LoL2EY\n"     \
	" w9v9sA2g/FxJDSufjrJ0GI/aa52LTurLVpPPS3f6ZNeZX7+y4HHH3JB4mjr6P0UE\n"     \
	" KLoFnIUX3f4VKzOgXY7SROZmT1Z71qA7JNQboAj3xaadUEztGgO/J/odm4WAb+91\n"     \
	" oIZW4XRzopQzCMwK+oSJw0v6Cut3p5CUY/ln6Faf6m4WD7nxMe3LdBQuYsQ4z4J1\n"     \
	" 9AGcxX5yb9uAlDRh5+DbE7KJbLuf5lC0YGyTReve0t15aojGPxeoOroZfcbJY6C/\n"     \
	" n62uFJpA7+ZwrGIOek2xUy7IFiqUd8stvqo9vkcnpQWUSbVGq3sDKOZtvAdOlbHp\n"     \
	" c/XbyaM7OYJ13muy9g==\n"                                                \
	" =0Fix\n"                                                               \
	" -----END PGP SIGNATURE-----\n"
#define SSH_SIG                                                                        \
	"-----BEGIN SSH SIGNATURE-----\n"                                              \
	" U1NIU0lHAAAAAQAAAZcAAAAHc3NoLXJzYQAAAAMBAAEAAAGBAPERZvCKnWg0Oru8pIFaqu\n"   \
	" rrPmWlTSbAe6abk4M/XVpznIGnld1yXnh1OygfEhdOv4izp7spuxjlT1AE18C3NqWARd1/\n"   \
	" 9f8+DazILZqZwrMvLpxQc7xLC7MDpbbo5ZwbizvMQ/lJvsxm/rLk7RBiD25Pywd4goT1/f\n"   \
	" 6YLlSp1H85AHy0OxMMnMTldZw77zutpzmvEhIBLC4rm+/V4/HcerXrd0JxmC68Ng1cZBYV\n"   \
	" wiCX0rZWEbNGn0/Dpl39O8ZhraA5eng0Ar6iHrJ8DRAoeq7KSTP/6cg2/Bic7Jhnm2K/wQ\n"   \
	" SfnqtDGZp7KtEEKlGztP3kkSvzYIXVMGI/Qlpy+lnQU6VsuSwZ+HvNKJCaGmQfU3rdYORw\n"   \
	" OVyNfFZjCV2QkH4TxvcGkTg+XucM6GcNJ+ALNwWza98rf0dfVNplR6deUhvguUpOF50ErF\n"   \
	" DCFw+pAz+7g2lpPgQy6ddNI4t5H8AxIBj7YqyA4elEl5929f2ZOazpeQmSFd7lp1++/SUW\n"   \
	" 9wAAAANnaXQAAAAAAAAABnNoYTUxMgAAAZQAAAAMcnNhLXNoYTItNTEyAAABgNJayGR3EC\n"   \
	" junsOa9GjdjILNPTsdIetrMLwTneU/uP6HB+0vwbAiD/U7UgOX1r7lZstUV7OzofJS6f3Q\n"   \
	" Ju0dawkYRZeED2B/Yf0b3WCpCq/iJYFHKunB+iPJq9dW1F/zt+H28oTGystSUbIqXjEoJM\n"   \
	" gjrXX1YiFipGEDMsNqVhQZ2Dy39DJenNRNAyMfQxmWu89eODOboZR5vK14X/Dy6TA+9sYr\n"   \
	" D/hDYXHjXtMG5nnAV9N7sskvcZeF6PYkY4/WuCP3W8zMaOYviHxvrSmX3j+ECqPWg3esGW\n"   \
	" NAL0jzsGlZsBy9wvJBZ+1qkbia7qHgwWNzrJrsRucyQAMhjNPClZC93yDbm9kSTz0PeCXo\n"   \
	" EzQRaqgFfUyTyy2cnxivFsV6msbdclSQhrDzxYxt5uXQ5PXs3IvMRM0nKREXNuOQHTI3FS\n"   \
	" jC56VpZRsQm3rgdbF0usz0gzGKsH+juOnU2dOTm2/5fjSPxZS0Ew371W+t5krJxdic4u2/\n"   \
	" EzkWmvzOMbU7Ow==\n"                                                          \
	" -----END SSH SIGNATURE-----\n"

struct fx {
	struct repo_fx r;
	struct pg_policy policy;
	struct pg_findings findings;
	struct pg_check_ctx ctx;
	char c0[41], tree[41];
	char tok[41], tok2[41], akia[21];
};

/* A value of n characters from set, made from random bytes. */
static void random_chars(char *out, size_t n, const char *set)
{
	unsigned char rnd[64];
	size_t k = strlen(set);
	FILE *fp;

	assert_true(n <= sizeof(rnd));
	assert_non_null(fp = fopen("/dev/urandom", "rb"));
	assert_int_equal(fread(rnd, 1, n, fp), n);
	fclose(fp);
	for (size_t i = 0; i < n; i++)
		out[i] = set[rnd[i] % k];
	out[n] = '\0';
}

/* "ghp_" and 36 letters and digits: a GitHub token's shape. */
static void gh_token(char out[41])
{
	memcpy(out, "ghp", 3);
	out[3] = '_';
	random_chars(out + 4, 36, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789");
}

static int setup(void **state)
{
	struct fx *fx = calloc(1, sizeof(*fx));

	if (!fx || repo_fx_init(&fx->r, "secrets_meta") < 0) {
		free(fx);
		return -1;
	}
	fx->findings = (struct pg_findings)PG_FINDINGS_INIT;
	pg_policy_init(&fx->policy);
	*state = fx;
	return 0;
}

static int teardown(void **state)
{
	struct fx *fx = *state;

	pg_findings_release(&fx->findings);
	pg_policy_release(&fx->policy);
	repo_fx_release(&fx->r);
	free(fx);
	pg_mask_reset();
	return 0;
}

/* A repository with one commit on main (fx->c0, its tree fx->tree), and the
 * random values of this test. Skips when the built-in rules are not here. */
static void base(struct fx *fx)
{
	if (access("policies/rules/default.toml", R_OK) < 0) {
		print_message("# SKIP: policies/rules/default.toml not found (run from the source tree)\n");
		skip();
	}
	pg_mask_reset();
	gh_token(fx->tok);
	gh_token(fx->tok2);
	memcpy(fx->akia, "AKIA", 4);
	random_chars(fx->akia + 4, 16, "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567");
	fx_write_file(&fx->r, "a.txt", "base\n");
	fx_commit(&fx->r, "C0", fx->c0);
	fx_rev(&fx->r, "HEAD^{tree}", fx->tree);
}

static void raw_object(struct fx *fx, const char *type, char out[41], const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static void raw_object(struct fx *fx, const char *type, char out[41], const char *fmt, ...)
{
	char buf[8192];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	assert_true(n > 0 && (size_t)n < sizeof(buf));
	fx_object(&fx->r, type, buf, (size_t)n, out);
}

/* A commit on fx->c0 with these header lines after the committer. */
static void commit_with(struct fx *fx, char out[41], const char *headers, const char *message)
{
	raw_object(fx, "commit", out, "tree %s\nparent %s\n" AUTHOR COMMITTER "%s\n%s", fx->tree, fx->c0, headers,
		   message);
}

/* Runs the secrets check over the push so far. */
static void scan(struct fx *fx)
{
	int rc;

	setenv("PUSHGUARD_RULES_DIR", "policies/rules", 1);
	pg_findings_release(&fx->findings);
	fx_run_ok(&fx->r, true);
	fx->ctx = (struct pg_check_ctx){ fx->r.repo, &fx->r.push, &fx->policy, &fx->r.walk, &fx->findings };
	rc = pg_check_secrets(&fx->ctx, &fx->r.err);
	unsetenv("PUSHGUARD_RULES_DIR");
	if (rc != PG_OK)
		fail_msg("check returned %d: %s", rc, fx->r.err.msg);
}

static void reset_push(struct fx *fx)
{
	pg_push_release(&fx->r.push);
	pg_walk_release(&fx->r.walk);
	pg_findings_release(&fx->findings);
}

static void print_findings(const struct fx *fx)
{
	for (size_t i = 0; i < fx->findings.n; i++)
		print_message("#   %s %s:%zu\n", fx->findings.v[i].rule, fx->findings.v[i].path ? fx->findings.v[i].path : "-",
			      fx->findings.v[i].line);
}

/* The finding at "WHERE" line `line`, failing the test when there is none. */
static const struct pg_finding *at(const struct fx *fx, const char *where, size_t line)
{
	for (size_t i = 0; i < fx->findings.n; i++)
		if (fx->findings.v[i].path && !strcmp(fx->findings.v[i].path, where) && fx->findings.v[i].line == line)
			return &fx->findings.v[i];
	print_findings(fx);
	fail_msg("no finding at %s:%zu (%zu findings)", where, line, fx->findings.n);
	return NULL;
}

#define assert_has(hay, needle)                                                              \
	do {                                                                                 \
		const char *hay_ = (hay);                                                    \
		if (!hay_ || !strstr(hay_, (needle)))                                        \
			fail_msg("'%s' not found in '%s'", (needle), hay_ ? hay_ : "(null)"); \
	} while (0)

/* No field of any finding holds the secret, and the mask hides it. */
static void assert_masked(const struct fx *fx, const char *secret)
{
	char *masked;

	for (size_t i = 0; i < fx->findings.n; i++) {
		const struct pg_finding *f = &fx->findings.v[i];
		const char *fields[] = { f->rule, f->ref, f->subject, f->path, f->message, f->fix, f->excerpt,
					 f->fingerprint, f->allowed_by };

		for (size_t j = 0; j < sizeof(fields) / sizeof(fields[0]); j++)
			if (fields[j] && strstr(fields[j], secret))
				fail_msg("finding %zu shows the secret: '%s'", i, fields[j]);
	}
	assert_non_null(masked = pg_mask_dup(secret));
	assert_null(strstr(masked, secret));
	free(masked);
}

/* ---- commits ------------------------------------------------------------- */

/* A merge of a signed tag whose message holds a token: the mergetag header
 * carries the whole tag, its message on the header's 6th line. */
static void test_mergetag(void **state)
{
	struct fx *fx = *state;
	char side[41], merge[41], where[80], fp[200];
	const struct pg_finding *f;

	base(fx);
	raw_object(fx, "commit", side, "tree %s\nparent %s\n" AUTHOR COMMITTER "\nside\n", fx->tree, fx->c0);
	raw_object(fx, "commit", merge,
		   "tree %s\nparent %s\nparent %s\n" AUTHOR COMMITTER "mergetag object %s\n type commit\n tag v1\n"
		   " " TAGGER " \n Release 1 built with %s\n " PGP_SIG "\nMerge tag 'v1'\n",
		   fx->tree, fx->c0, side, side, fx->tok);
	fx_update(&fx->r, "refs/heads/main", fx->c0, merge);
	scan(fx);
	assert_int_equal(fx->findings.n, 1);
	snprintf(where, sizeof(where), "commit %.7s header mergetag", merge);
	f = at(fx, where, 6);
	assert_string_equal(f->rule, "github-pat");
	assert_string_equal(f->commit, merge);
	assert_string_equal(f->ref, "refs/heads/main");
	assert_string_equal(f->subject, "Merge tag 'v1'");
	assert_has(f->message, "in the commit's mergetag header");
	assert_has(f->fix, "git merge TAG^{commit}");
	assert_has(f->excerpt, "ghp_\u2026");
	snprintf(fp, sizeof(fp), "%s:%s:github-pat:6", merge, where);
	assert_string_equal(f->fingerprint, fp);
	assert_true(pg_finding_blocks(f));
	assert_masked(fx, fx->tok);
}

/* A header git does not know, on one line or over several (the secret on the
 * third), and one whose key is no plain word: named by its place. */
static void test_unknown_headers(void **state)
{
	struct fx *fx = *state;
	char c1[41], c2[41], headers[512], where[80];
	const struct pg_finding *f;

	base(fx);
	snprintf(headers, sizeof(headers), "x-deploy-token %s\nx-notes first\n second\n third %s\n", fx->tok, fx->akia);
	commit_with(fx, c1, headers, "Plain subject\n");
	snprintf(headers, sizeof(headers), "x:odd/key token=%s\n", fx->tok2);
	raw_object(fx, "commit", c2, "tree %s\nparent %s\n" AUTHOR COMMITTER "%s\nAnother\n", fx->tree, c1, headers);
	fx_update(&fx->r, "refs/heads/main", fx->c0, c2);
	scan(fx);
	assert_int_equal(fx->findings.n, 3);
	snprintf(where, sizeof(where), "commit %.7s header x-deploy-token", c1);
	f = at(fx, where, 1);
	assert_string_equal(f->rule, "github-pat");
	assert_string_equal(f->commit, c1);
	assert_has(f->message, "in the commit's x-deploy-token header");
	assert_has(f->fix, "git rebase --force-rebase COMMIT~");
	snprintf(where, sizeof(where), "commit %.7s header x-notes", c1);
	f = at(fx, where, 3);
	assert_string_equal(f->rule, "aws-access-key-id");
	snprintf(where, sizeof(where), "commit %.7s header #5", c2); /* tree, parent, author, committer, then it */
	f = at(fx, where, 1);
	assert_string_equal(f->commit, c2);
	assert_has(f->message, "in the commit's header #5");
	assert_masked(fx, fx->tok);
	assert_masked(fx, fx->tok2);
	assert_masked(fx, fx->akia);
}

/* The encoding header's value, and a private key block in a header of its
 * own (continuation lines read without their leading space). */
static void test_encoding_and_key_block(void **state)
{
	struct fx *fx = *state;
	char c1[41], headers[2048], b64[65], where[80];
	size_t n;
	const struct pg_finding *f;

	base(fx);
	n = (size_t)snprintf(headers, sizeof(headers), "encoding %s\nx-key -----BEGIN RSA PRIVATE KEY-----\n", fx->akia);
	for (int i = 0; i < 12; i++) {
		random_chars(b64, 64, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/");
		n += (size_t)snprintf(headers + n, sizeof(headers) - n, " %s\n", b64);
	}
	snprintf(headers + n, sizeof(headers) - n, " -----END RSA PRIVATE KEY-----\n");
	commit_with(fx, c1, headers, "Subject\n");
	fx_update(&fx->r, "refs/heads/main", fx->c0, c1);
	scan(fx);
	assert_int_equal(fx->findings.n, 2);
	snprintf(where, sizeof(where), "commit %.7s header encoding", c1);
	f = at(fx, where, 1);
	assert_string_equal(f->rule, "aws-access-key-id");
	assert_has(f->fix, "i18n.commitEncoding=UTF-8");
	snprintf(where, sizeof(where), "commit %.7s header x-key", c1);
	f = at(fx, where, 1);
	assert_has(f->rule, "private-key");
	assert_masked(fx, fx->akia);
}

/* A gpgsig header is scanned too (the pusher writes it as any other), while
 * real OpenPGP and SSH signatures, in commits and in a mergetag, are none. */
static void test_signatures(void **state)
{
	struct fx *fx = *state;
	char c1[41], c2[41], c3[41], c4[41], where[80];
	const struct pg_finding *f;

	base(fx);
	commit_with(fx, c1, "gpgsig " PGP_SIG, "Signed with gpg\n");
	raw_object(fx, "commit", c2, "tree %s\nparent %s\n" AUTHOR COMMITTER "gpgsig " SSH_SIG "\nSigned with ssh\n",
		   fx->tree, c1);
	raw_object(fx, "commit", c3,
		   "tree %s\nparent %s\nparent %s\n" AUTHOR COMMITTER "mergetag object %s\n type commit\n tag v1\n"
		   " " TAGGER " \n Release 1\n " PGP_SIG "gpgsig " SSH_SIG "\nMerge tag 'v1'\n",
		   fx->tree, c2, c1, c1);
	fx_update(&fx->r, "refs/heads/main", fx->c0, c3);
	scan(fx);
	if (fx->findings.n) {
		print_findings(fx);
		fail_msg("%zu findings in real signatures", fx->findings.n);
	}
	/* the same place holding a token */
	reset_push(fx);
	raw_object(fx, "commit", c4,
		   "tree %s\nparent %s\n" AUTHOR COMMITTER "gpgsig -----BEGIN PGP SIGNATURE-----\n \n %s\n"
		   " -----END PGP SIGNATURE-----\n\nSigned?\n",
		   fx->tree, c3, fx->tok);
	fx_update(&fx->r, "refs/heads/main", c3, c4);
	scan(fx);
	assert_int_equal(fx->findings.n, 1);
	snprintf(where, sizeof(where), "commit %.7s header gpgsig", c4);
	f = at(fx, where, 3);
	assert_has(f->fix, "git commit --amend --no-edit -S");
	assert_masked(fx, fx->tok);
}

/* What was scanned before is reported as before: a token in the author's
 * name is one finding "author" (the header adds none), in the message one
 * "message"; an author line's text after the email that is no date is read
 * too. */
static void test_idents_as_before(void **state)
{
	struct fx *fx = *state;
	char c1[41], c2[41], where[80];

	base(fx);
	raw_object(fx, "commit", c1,
		   "tree %s\nparent %s\nauthor Deploy %s <d@example.com> 1704067200 +0000\n" COMMITTER "\nUses %s\n",
		   fx->tree, fx->c0, fx->tok, fx->tok2);
	raw_object(fx, "commit", c2,
		   "tree %s\nparent %s\nauthor A <a@example.com> 1704067200 +0000 %s\n" COMMITTER "\nPlain\n",
		   fx->tree, c1, fx->akia);
	fx_update(&fx->r, "refs/heads/main", fx->c0, c2);
	scan(fx);
	assert_int_equal(fx->findings.n, 3);
	snprintf(where, sizeof(where), "commit %.7s author", c1);
	at(fx, where, 1);
	snprintf(where, sizeof(where), "commit %.7s message", c1);
	at(fx, where, 1);
	snprintf(where, sizeof(where), "commit %.7s header author", c2);
	assert_has(at(fx, where, 1)->fix, "--reset-author");
	assert_masked(fx, fx->tok);
	assert_masked(fx, fx->akia);
}

/* An encoding header that makes the message and the author read as other
 * characters ("encoding UTF-16LE" over ASCII) hides nothing: what is written
 * is scanned too. A Latin-1 message's token, found in the decoded message, is
 * one finding, not two. */
static void test_encoding_hides_nothing(void **state)
{
	struct fx *fx = *state;
	char c1[41], c2[41], where[80];
	const struct pg_finding *f;

	base(fx);
	/* even lengths: decoded as UTF-16LE, each pair of bytes is one CJK character */
	raw_object(fx, "commit", c1,
		   "tree %s\nparent %s\nauthor Dep %s <d@example.com> 1704067200 +0000\n" COMMITTER
		   "encoding UTF-16LE\n\nab %s\n",
		   fx->tree, fx->c0, fx->tok, fx->tok2);
	raw_object(fx, "commit", c2, "tree %s\nparent %s\n" AUTHOR COMMITTER "encoding ISO-8859-1\n\nCaf\xe9 %s\n",
		   fx->tree, c1, fx->akia);
	fx_update(&fx->r, "refs/heads/main", fx->c0, c2);
	scan(fx);
	assert_int_equal(fx->findings.n, 3);
	snprintf(where, sizeof(where), "commit %.7s message", c1);
	f = at(fx, where, 1);
	assert_string_equal(f->rule, "github-pat");
	assert_has(f->message, "as written (its encoding header makes it read otherwise)");
	snprintf(where, sizeof(where), "commit %.7s author", c1);
	f = at(fx, where, 1);
	assert_has(f->message, "in the commit's author as written");
	snprintf(where, sizeof(where), "commit %.7s message", c2);
	f = at(fx, where, 1);
	assert_string_equal(f->rule, "aws-access-key-id");
	assert_null(strstr(f->message, "as written")); /* found decoded: no "as written" twin */
	assert_masked(fx, fx->tok);
	assert_masked(fx, fx->tok2);
	assert_masked(fx, fx->akia);
}

/* A header already on the server is not reported again. */
static void test_old_commit_not_again(void **state)
{
	struct fx *fx = *state;
	char c1[41], c2[41], headers[128];

	base(fx);
	snprintf(headers, sizeof(headers), "x-token %s\n", fx->tok);
	commit_with(fx, c1, headers, "Old\n");
	fx_update(&fx->r, "refs/heads/main", fx->c0, c1);
	scan(fx); /* new: found */
	assert_int_equal(fx->findings.n, 1);
	reset_push(fx);
	fx_sh(&fx->r, "git update-ref refs/heads/main %s", c1);
	raw_object(fx, "commit", c2, "tree %s\nparent %s\n" AUTHOR COMMITTER "\nNew\n", fx->tree, c1);
	fx_update(&fx->r, "refs/heads/main", c1, c2);
	scan(fx);
	assert_int_equal(fx->findings.n, 0);
}

/* ---- annotated tags ------------------------------------------------------ */

/* The tagger, the tag's own name (not the ref's) and a header git does not
 * know; the object id and type are not read. */
static void test_tag_headers(void **state)
{
	struct fx *fx = *state;
	char t1[41], t2[41], where[120];
	const struct pg_finding *f;

	base(fx);
	raw_object(fx, "tag", t1,
		   "object %s\ntype commit\ntag v1\ntagger Release %s <r@example.com> 1704067200 +0000\n"
		   "x-build id=%s\n\nRelease 1\n",
		   fx->c0, fx->tok, fx->akia);
	fx_update(&fx->r, "refs/tags/v1", Z40, t1);
	raw_object(fx, "tag", t2, "object %s\ntype commit\ntag %s\n" TAGGER "\nRelease 2\n", fx->c0, fx->tok2);
	fx_update(&fx->r, "refs/tags/v2", Z40, t2);
	scan(fx);
	assert_int_equal(fx->findings.n, 3);
	f = at(fx, "tag v1 header tagger", 1);
	assert_string_equal(f->rule, "github-pat");
	assert_string_equal(f->commit, t1);
	assert_string_equal(f->ref, "refs/tags/v1");
	assert_string_equal(f->subject, "Release 1");
	assert_has(f->message, "in the annotated tag's tagger header");
	assert_has(f->fix, "user.name");
	f = at(fx, "tag v1 header x-build", 1);
	assert_string_equal(f->rule, "aws-access-key-id");
	assert_has(f->fix, "git tag -f -a NAME");
	/* the tag's name is masked where it names the tag too */
	snprintf(where, sizeof(where), "tag ghp_\u2026 header tag");
	f = at(fx, where, 1);
	assert_string_equal(f->commit, t2);
	assert_string_equal(f->ref, "refs/tags/v2");
	assert_masked(fx, fx->tok);
	assert_masked(fx, fx->tok2);
	assert_masked(fx, fx->akia);
}

/* An ordinary annotated tag with a signature block in its message (cut
 * short here), its tagger a person: no finding. */
static void test_signed_tag_clean(void **state)
{
	struct fx *fx = *state;
	char t1[41];

	base(fx);
	raw_object(fx, "tag", t1, "object %s\ntype commit\ntag v1.0\n" TAGGER "\nRelease 1.0\n%s", fx->c0,
		   "-----BEGIN PGP SIGNATURE-----\n\n"
		   "iQG6BAABCgAkFiEERJ5P+czS12e1OpTBpKFpfREhen8FAmsUYBQGHHJzYUB4AAoJ\n"
		   "EKShaX0RIXp/B2kL/0W19nZuVAnxIlDLYaOUZjoGPHx6Tfn9bKbxmWfICjnGYtep\n"
		   "=0Fix\n-----END PGP SIGNATURE-----\n");
	fx_update(&fx->r, "refs/tags/v1.0", Z40, t1);
	scan(fx);
	if (fx->findings.n) {
		print_findings(fx);
		fail_msg("%zu findings in a clean tag", fx->findings.n);
	}
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_mergetag),
		T(test_unknown_headers),
		T(test_encoding_and_key_block),
		T(test_signatures),
		T(test_idents_as_before),
		T(test_encoding_hides_nothing),
		T(test_old_commit_not_again),
		T(test_tag_headers),
		T(test_signed_tag_clean),
	};
#undef T

	return cmocka_run_group_tests_name("secrets_meta", tests, repo_fx_group_setup, repo_fx_group_teardown);
}
