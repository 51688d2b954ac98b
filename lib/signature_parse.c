/* What a raw commit or tag object holds for its signature (signature.h):
 * the signed payload, the signature and its format, the committer's or
 * tagger's email and time, the subject. */
#include "signature.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"

void pg_signed_release(struct pg_signed *s)
{
	pg_buf_release(&s->payload);
	pg_buf_release(&s->signature);
	free(s->email);
	free(s->subject);
	*s = (struct pg_signed)PG_SIGNED_INIT;
}

static bool starts_with(const char *s, size_t len, const char *prefix)
{
	size_t n = strlen(prefix);

	return len >= n && !memcmp(s, prefix, n);
}

static enum pg_sig_format format_of(const char *sig, size_t len)
{
	if (starts_with(sig, len, "-----BEGIN PGP SIGNATURE-----") ||
	    starts_with(sig, len, "-----BEGIN PGP MESSAGE-----"))
		return PG_SIG_OPENPGP;
	if (starts_with(sig, len, "-----BEGIN SSH SIGNATURE-----"))
		return PG_SIG_SSH;
	if (starts_with(sig, len, "-----BEGIN SIGNED MESSAGE-----"))
		return PG_SIG_X509;
	return PG_SIG_NONE;
}

/* "NAME <EMAIL> TIME TZ" (after "committer " / "tagger "). */
static int parse_ident(struct pg_signed *out, const char *v, size_t len)
{
	const char *lt = memchr(v, '<', len), *gt;

	if (out->email)
		return 0; /* a repeated committer/tagger header: the first counts, as in libgit2 */
	out->time = 0;
	if (!lt || !(gt = memchr(lt, '>', len - (size_t)(lt - v)))) {
		out->email = strdup("");
		return out->email ? 0 : -1;
	}
	if (!(out->email = strndup(lt + 1, (size_t)(gt - lt - 1))))
		return -1;
	for (const char *p = gt + 1; p < v + len && (*p == ' ' || isdigit((unsigned char)*p)); p++) {
		if (isdigit((unsigned char)*p)) {
			if (out->time > (INT64_MAX - 9) / 10)
				break;
			out->time = out->time * 10 + (*p - '0');
		} else if (out->time) {
			break;
		}
	}
	return 0;
}

static int set_subject(struct pg_signed *out, const char *msg, size_t len)
{
	const char *p = msg, *end = msg + len, *eol;

	while (p < end && *p == '\n')
		p++;
	eol = memchr(p, '\n', (size_t)(end - p));
	out->subject = strndup(p, eol ? (size_t)(eol - p) : (size_t)(end - p));
	return out->subject ? 0 : -1;
}

/* Mirrors git's parse_buffer_signed_by_header (commit.c): the signature is the
 * value of the gpgsig header (continuation lines without their leading space);
 * the payload is the object without any gpgsig* header. Only headers count:
 * everything after the first empty line is message, copied as is. */
static int parse_commit(struct pg_signed *out, const char *buf, size_t size)
{
	const char *line = buf, *tail = buf + size;
	bool in_sig = false, other_sig = false, saw_sha256 = false;

	while (line < tail) {
		const char *next = memchr(line, '\n', (size_t)(tail - line));
		const char *sig = NULL;
		size_t len;

		next = next ? next + 1 : tail;
		len = (size_t)(next - line);
		if (in_sig && line[0] == ' ') {
			sig = line + 1;
		} else if (starts_with(line, len, "gpgsig ")) {
			sig = line + 7;
			other_sig = false;
		} else if (starts_with(line, len, "gpgsig")) {
			other_sig = true;
			saw_sha256 |= starts_with(line, len, "gpgsig-sha256 ");
		} else if (other_sig && line[0] != ' ') {
			other_sig = false;
		}
		if (sig) {
			if (pg_buf_add(&out->signature, sig, (size_t)(next - sig)) < 0)
				return -1;
			in_sig = true;
		} else {
			if (*line == '\n') {
				if (pg_buf_add(&out->payload, line, (size_t)(tail - line)) < 0 ||
				    set_subject(out, line, (size_t)(tail - line)) < 0)
					return -1;
				break;
			}
			if (!other_sig && pg_buf_add(&out->payload, line, len) < 0)
				return -1;
			if (!other_sig && starts_with(line, len, "committer ") &&
			    parse_ident(out, line + 10, len - 10) < 0)
				return -1;
			in_sig = false;
		}
		line = next;
	}
	out->other_hash_only = saw_sha256 && !out->signature.len;
	return 0;
}

/* git's parse_signed_buffer: the signature starts at the last line that opens
 * a signature block; the payload is everything before it. */
static int parse_tag(struct pg_signed *out, const char *buf, size_t size)
{
	size_t len = 0, match = size, body = size;

	while (len < size) {
		const char *eol = memchr(buf + len, '\n', size - len);

		if (format_of(buf + len, size - len) != PG_SIG_NONE)
			match = len;
		if (body == size && buf[len] == '\n')
			body = len;
		if (body == size && starts_with(buf + len, size - len, "tagger ")) {
			size_t l = eol ? (size_t)(eol - buf - len) : size - len;

			if (parse_ident(out, buf + len + 7, l - 7) < 0)
				return -1;
		}
		len += eol ? (size_t)(eol - (buf + len)) + 1 : size - len;
	}
	if (!out->email && !(out->email = strdup("")))
		return -1;
	if (pg_buf_add(&out->payload, buf, match) < 0 ||
	    pg_buf_add(&out->signature, buf + match, size - match) < 0)
		return -1;
	if (body < match && set_subject(out, buf + body, match - body) < 0)
		return -1;
	return 0;
}

int pg_signed_parse(struct pg_signed *out, const char *raw, size_t len, git_object_t type,
		    struct pg_error *err)
{
	int rc;

	pg_buf_init(&out->payload, 0);
	pg_buf_init(&out->signature, 0);
	if (type == GIT_OBJECT_COMMIT)
		rc = parse_commit(out, raw, len);
	else if (type == GIT_OBJECT_TAG)
		rc = parse_tag(out, raw, len);
	else
		return pg_error_set(err, PG_EINPUT, "not a commit or tag object");
	if (rc < 0)
		return pg_error_set(err, PG_ERR, "out of memory (or object too large)");
	if (!out->email && !(out->email = strdup("")))
		return pg_error_oom(err);
	if (!out->subject && !(out->subject = strdup("")))
		return pg_error_oom(err);
	out->format = format_of(out->signature.ptr, out->signature.len);
	return 0;
}

/* ---- the handle and its accessors (pushguard.h) ---- */

int pg_signed_new(struct pg_signed **out, struct pg_error *err)
{
	static const struct pg_signed init = PG_SIGNED_INIT;

	if (!(*out = malloc(sizeof(**out))))
		return pg_error_oom(err);
	**out = init;
	return 0;
}

void pg_signed_free(struct pg_signed *s)
{
	if (!s)
		return;
	pg_signed_release(s);
	free(s);
}

const char *pg_signed_subject(const struct pg_signed *s)
{
	return s->subject;
}

const char *pg_signed_email(const struct pg_signed *s)
{
	return s->email;
}
