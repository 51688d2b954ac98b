#include "client.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/wait.h>
#include <unistd.h>

#include "alloc.h"
#include "build-config.h"
#include "check.h"
#include "clock.h"
#include "signature.h"

#define MAX_GIT_OUTPUT ((size_t)1 << 20)

static bool is_hex(const char *s, size_t len)
{
	if (len != 40 && len != 64)
		return false;
	for (size_t i = 0; i < len; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
			return false;
	return true;
}

int pg_client_parse_pre_push(struct pg_push *push, const char *input, size_t len, struct pg_error *err)
{
	const char *p = input, *end = input + len;
	size_t lineno = 0;

	while (p < end) {
		const char *eol = memchr(p, '\n', (size_t)(end - p)), *f[4], *q;
		size_t flen[4], n = 0, llen;
		char ref[4096], old[PG_HEX_MAX + 1], new[PG_HEX_MAX + 1];

		if (!eol)
			eol = end;
		llen = (size_t)(eol - p);
		lineno++;
		if (llen && p[llen - 1] == '\r')
			llen--;
		if (!llen) {
			p = eol + 1;
			continue;
		}
		for (q = p; q < p + llen && n < 4;) {
			const char *sp = memchr(q, ' ', (size_t)(p + llen - q));

			f[n] = q;
			flen[n] = (sp && n < 3 ? sp : p + llen) - q;
			n++;
			q += flen[n - 1] + 1;
		}
		if (n != 4 || !is_hex(f[1], flen[1]) || flen[3] != flen[1] || !is_hex(f[3], flen[3]) ||
		    flen[2] >= sizeof(ref) || memchr(f[2], ' ', flen[2]))
			return pg_error_set(err, PG_EINPUT, "pre-push input line %zu is not '<local ref> <local oid> "
					    "<remote ref> <remote oid>': '%.*s'", lineno, (int)(llen < 120 ? llen : 120), p);
		memcpy(ref, f[2], flen[2]);
		ref[flen[2]] = '\0';
		memcpy(new, f[1], flen[1]);
		new[flen[1]] = '\0';
		memcpy(old, f[3], flen[3]);
		old[flen[3]] = '\0';
		if (pg_push_add_update(push, ref, old, new, err) < 0)
			return pg_error_set(err, PG_EINPUT, "pre-push input line %zu: invalid ref name '%.200s'",
					    lineno, ref);
		p = eol + 1;
	}
	return 0;
}

/* execv() takes char *const[] but changes nothing. */
static char *const *mutable_argv(const char *const *argv)
{
	union {
		const char *const *c;
		char *const *m;
	} u = { argv };

	return u.m;
}

/* Reads what is there on fd (non-blocking) into b (beyond its cap: dropped):
 * 1 when it read some, 2 when there is nothing for now, 0 at the end of file. */
static int drain(int fd, struct pg_buf *b)
{
	char chunk[8192];
	ssize_t n = read(fd, chunk, sizeof(chunk));

	if (n < 0)
		return errno == EINTR || errno == EAGAIN || errno == EWOULDBLOCK ? 2 : 0;
	if (n > 0 && b && b->len + (size_t)n <= MAX_GIT_OUTPUT)
		pg_buf_add(b, chunk, (size_t)n);
	return n > 0;
}

int pg_client_git(struct pg_buf *out, struct pg_buf *errout, int64_t timeout_ms, const char *const *argv,
		  struct pg_error *err)
{
	int po[2] = { -1, -1 }, pe[2] = { -1, -1 }, status = 0, ret;
	bool open_o = true, open_e = true, timed_out = false;
	int64_t deadline = timeout_ms > 0 ? pg_clock_ms() + timeout_ms : 0;
	pid_t pid;

	if (pipe(po) < 0 || pipe(pe) < 0) {
		ret = pg_error_set(err, PG_ERR, "cannot run git: %s", strerror(errno));
		goto close;
	}
	if ((pid = fork()) < 0) {
		ret = pg_error_set(err, PG_ERR, "cannot run git: %s", strerror(errno));
		goto close;
	}
	if (pid == 0) {
		int null = open("/dev/null", O_RDONLY);

		if (null >= 0)
			dup2(null, 0);
		dup2(po[1], 1);
		dup2(pe[1], 2);
		close(po[0]);
		close(pe[0]);
		setenv("GIT_TERMINAL_PROMPT", "0", 1);
		signal(SIGPIPE, SIG_DFL);
		execv(PG_GIT_PATH, mutable_argv(argv));
		dprintf(2, "cannot run %s: %s\n", PG_GIT_PATH, strerror(errno));
		_exit(127);
	}
	close(po[1]);
	close(pe[1]);
	po[1] = pe[1] = -1;
	fcntl(po[0], F_SETFL, fcntl(po[0], F_GETFL) | O_NONBLOCK);
	fcntl(pe[0], F_SETFL, fcntl(pe[0], F_GETFL) | O_NONBLOCK);
	/* until git exits: a process it leaves behind (an ssh ControlPersist
	 * master) may hold the pipes open long after */
	for (;;) {
		struct pollfd fds[2] = { { open_o ? po[0] : -1, POLLIN, 0 }, { open_e ? pe[0] : -1, POLLIN, 0 } };
		pid_t done;

		if (deadline && pg_clock_ms() >= deadline) {
			timed_out = true;
			kill(pid, SIGKILL);
			while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
				;
			break;
		}
		if (poll(fds, 2, open_o || open_e ? 100 : 10) < 0)
			fds[0].revents = fds[1].revents = 0;
		if (open_o && (fds[0].revents & (POLLIN | POLLHUP | POLLERR)))
			open_o = drain(po[0], out) != 0;
		if (open_e && (fds[1].revents & (POLLIN | POLLHUP | POLLERR)))
			open_e = drain(pe[0], errout) != 0;
		if ((done = waitpid(pid, &status, WNOHANG)) == pid || (done < 0 && errno != EINTR)) {
			while (open_o && drain(po[0], out) == 1)
				;
			while (open_e && drain(pe[0], errout) == 1)
				;
			break;
		}
	}
	if (timed_out)
		ret = PG_CLIENT_TIMED_OUT;
	else if (WIFEXITED(status))
		ret = WEXITSTATUS(status);
	else
		ret = 128 + (WIFSIGNALED(status) ? WTERMSIG(status) : 0);
close:
	for (int i = 0; i < 2; i++) {
		if (po[i] >= 0)
			close(po[i]);
		if (pe[i] >= 0)
			close(pe[i]);
	}
	return ret;
}

int pg_client_run_hook(const char *path, const char *const *args, const char *input, size_t len,
		       struct pg_error *err)
{
	const char *argv[64];
	int fds[2] = { -1, -1 }, status = 0;
	size_t n = 0;
	pid_t pid;

	argv[n++] = path;
	for (; args && args[n - 1] && n < 63; n++)
		argv[n] = args[n - 1];
	argv[n] = NULL;
	if (input && pipe(fds) < 0)
		return pg_error_set(err, PG_ERR, "cannot run %s: %s", path, strerror(errno));
	fflush(stdout);
	fflush(stderr);
	if ((pid = fork()) < 0) {
		if (input) {
			close(fds[0]);
			close(fds[1]);
		}
		return pg_error_set(err, PG_ERR, "cannot run %s: %s", path, strerror(errno));
	}
	if (pid == 0) {
		if (input) {
			dup2(fds[0], 0);
			close(fds[0]);
			close(fds[1]);
		} else {
			int null = open("/dev/null", O_RDONLY);

			if (null >= 0)
				dup2(null, 0);
		}
		signal(SIGPIPE, SIG_DFL);
		execv(path, mutable_argv(argv));
		dprintf(2, "pushguard: cannot run %s: %s\n", path, strerror(errno));
		_exit(126);
	}
	if (input) {
		void (*old)(int) = signal(SIGPIPE, SIG_IGN);
		size_t off = 0;

		close(fds[0]);
		while (off < len) {
			ssize_t w = write(fds[1], input + off, len - off);

			if (w < 0 && errno == EINTR)
				continue;
			if (w <= 0)
				break; /* the hook stopped reading: its exit status tells */
			off += (size_t)w;
		}
		close(fds[1]);
		signal(SIGPIPE, old);
	}
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return pg_error_set(err, PG_ERR, "cannot wait for %s: %s", path, strerror(errno));
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	return 128 + (WIFSIGNALED(status) ? WTERMSIG(status) : 0);
}

void pg_client_policy_drop(struct pg_policy *p, const char *key)
{
	size_t j = 0;

	for (size_t i = 0; i < p->nsettings; i++) {
		if (!strcasecmp(p->settings[i].key, key)) {
			free(p->settings[i].value);
			free(p->settings[i].origin);
			continue;
		}
		p->settings[j++] = p->settings[i];
	}
	p->nsettings = j;
}

static int note(struct pg_strvec *notes, struct pg_error *err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static int note(struct pg_strvec *notes, struct pg_error *err, const char *fmt, ...)
{
	struct pg_buf b = PG_BUF_INIT;
	va_list ap;
	int rc;

	va_start(ap, fmt);
	pg_buf_vaddf(&b, fmt, ap);
	va_end(ap);
	rc = pg_buf_failed(&b) || pg_strvec_push(notes, b.ptr) < 0 ? pg_error_oom(err) : 0;
	pg_buf_release(&b);
	return rc;
}

int pg_client_limit_policy(struct pg_policy *p, bool offline, struct pg_strvec *notes, struct pg_error *err)
{
	const char *url = pg_policy_str(p, "pushguard.tickets.url", "");
	int rc;

	if (pg_policy_bool(p, "pushguard.tickets.required", false) && *url) {
		const char *token = pg_policy_str(p, "pushguard.tickets.tokenFile", "");
		const char *why = NULL;

		if (offline)
			why = "the remote could not be reached";
		else if (!*token)
			why = "no tracker token on this machine (pushguard.tickets.tokenFile)";
		else if (access(token, R_OK) != 0)
			why = "the tracker token (pushguard.tickets.tokenFile) is not readable on this machine";
		if (why) {
			pg_client_policy_drop(p, "pushguard.tickets.url");
			if ((rc = note(notes, err, "ticket lookups skipped here (%s): only the ticket syntax is checked; "
				       "the server looks the tickets up", why)) < 0)
				return rc;
		}
	}
	if (pg_policy_bool(p, "pushguard.signatures.required", false)) {
		struct pg_signatures s = PG_SIGNATURES_INIT;
		struct pg_error why = PG_ERROR_INIT;

		rc = pg_signatures_load(&s, p, &why);
		if (rc == 0 && s.required)
			rc = pg_signatures_load_keys(&s, p, &why);
		pg_signatures_release(&s);
		if (rc < 0) {
			pg_client_policy_drop(p, "pushguard.signatures.required");
			if ((rc = note(notes, err, "signature check skipped here (%s); the server checks signatures",
				       why.msg)) < 0)
				return rc;
		}
	}
	return 0;
}

static int add_file(struct pg_commit *c, size_t *alloc, git_odb *odb, const git_index_entry *e,
		    struct pg_error *err)
{
	struct pg_added_file *f;
	size_t size = 0;
	git_object_t type;

	if (PG_GROW(c->files, c->nfiles + 1, *alloc) < 0)
		return pg_error_oom(err);
	f = &c->files[c->nfiles];
	memset(f, 0, sizeof(*f));
	if (!(f->path = strdup(e->path)))
		return pg_error_oom(err);
	f->oid = e->id;
	f->mode = e->mode;
	if (e->mode == GIT_FILEMODE_COMMIT)
		f->size = -1;
	else if (git_odb_read_header(&size, &type, odb, &e->id) < 0)
		return pg_error_git(err, "cannot read the staged %s (%s)", e->path, git_oid_tostr_s(&e->id));
	else
		f->size = (int64_t)size;
	c->nfiles++;
	return 0;
}

int pg_client_staged_walk(struct pg_walk *w, git_repository *repo, git_index *index, const git_tree *head_tree,
			  bool with_push_ref, struct pg_error *err)
{
	struct pg_commit *c;
	git_odb *odb = NULL;
	size_t alloc = 0, n = git_index_entrycount(index);
	int ret = PG_ERR;

	if (!(w->commits = calloc(1, sizeof(*w->commits))))
		return pg_error_oom(err);
	w->alloc = 1;
	w->n = 1;
	c = &w->commits[0];
	memset(c->hex, '0', GIT_OID_HEXSZ);
	if (!(c->subject = strdup("(staged changes)")) || !(c->message = strdup("(staged changes)\n")))
		return pg_error_oom(err);
	if (with_push_ref) {
		if (!(c->refs = calloc(1, sizeof(*c->refs))))
			return pg_error_oom(err);
		c->nrefs = 1;
	}
	if (head_tree) {
		if (!(c->parent_trees = malloc(sizeof(*c->parent_trees))))
			return pg_error_oom(err);
		c->parent_trees[0] = *git_tree_id(head_tree);
		c->nparent_trees = 1;
	}
	if (git_repository_odb(&odb, repo) < 0)
		return pg_error_git(err, "cannot open the object database");
	for (size_t i = 0; i < n; i++) {
		const git_index_entry *e = git_index_get_byindex(index, i);
		git_tree_entry *te = NULL;
		bool same;

		if (!e || GIT_INDEX_ENTRY_STAGE(e) != 0)
			continue; /* a conflict: git commit refuses it anyway */
		if (e->flags_extended & GIT_INDEX_ENTRY_INTENT_TO_ADD)
			continue; /* git add -N: nothing staged yet */
		if (head_tree && git_tree_entry_bypath(&te, head_tree, e->path) == 0) {
			same = git_oid_equal(git_tree_entry_id(te), &e->id); /* as the walk: the blob changed */
			git_tree_entry_free(te);
			if (same)
				continue;
		}
		git_error_clear();
		if ((ret = add_file(c, &alloc, odb, e, err)) < 0)
			goto out;
	}
	ret = 0;
out:
	git_odb_free(odb);
	return ret;
}

int pg_client_check_staged(git_repository *repo, const struct pg_push *push, const struct pg_policy *policy,
			   const struct pg_walk *walk, struct pg_findings *findings, struct pg_error *err)
{
	struct pg_check_ctx ctx = { repo, push, policy, walk, findings, 0 };
	int rc;

	if ((rc = pg_check_files(&ctx, err)) < 0)
		return rc;
	return pg_check_secrets(&ctx, err);
}
