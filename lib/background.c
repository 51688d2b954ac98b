#include "background.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "alloc.h"
#include "atomic_file.h"
#include "bypass.h"
#include "check.h"
#include "clock.h"
#include "finding.h"
#include "hexdigit.h"
#include "policy.h"
#include "policy_ref.h"
#include "record.h"
#include "repo.h"
#include "strvec.h"
#include "walk.h"

#define DIR_NAME "pushguard-background"
#define MAGIC "pushguard-background 1"
#define MAX_FILE ((size_t)256 << 20)

extern char **environ;

void pg_background_job_release(struct pg_background_job *job)
{
	free(job->git_dir);
	free(job->tips);
	pg_push_release(&job->push);
	*job = (struct pg_background_job)PG_BACKGROUND_JOB_INIT;
}

/* ------------------------------------------------------------ the snapshot */

static int cmp_oid(const void *a, const void *b)
{
	return git_oid_cmp(a, b);
}

int pg_background_snapshot(struct pg_background_job *job, git_repository *repo, struct pg_error *err)
{
	git_reference_iterator *it = NULL;
	git_reference *ref = NULL;
	size_t alloc = 0;
	int ret = PG_ERR, rc;

	if (git_reference_iterator_new(&it, repo) < 0) {
		ret = pg_error_git(err, "cannot list the refs");
		goto out;
	}
	while ((rc = git_reference_next(&ref, it)) == 0) {
		if (git_reference_type(ref) == GIT_REFERENCE_DIRECT) {
			if (PG_GROW(job->tips, job->ntips + 1, alloc) < 0) {
				ret = pg_error_oom(err);
				goto out;
			}
			git_oid_cpy(&job->tips[job->ntips++], git_reference_target(ref));
		}
		git_reference_free(ref);
		ref = NULL;
	}
	if (rc != GIT_ITEROVER) {
		ret = pg_error_git(err, "cannot list the refs");
		goto out;
	}
	if (job->ntips) {
		size_t n = 1;

		qsort(job->tips, job->ntips, sizeof(*job->tips), cmp_oid);
		for (size_t i = 1; i < job->ntips; i++)
			if (git_oid_cmp(&job->tips[i], &job->tips[n - 1]))
				git_oid_cpy(&job->tips[n++], &job->tips[i]);
		job->ntips = n;
	}
	ret = 0;
out:
	git_reference_free(ref);
	git_reference_iterator_free(it);
	return ret;
}

/* ------------------------------------------------------ the hand-over file */

/* Bytes that could split a line or a field, and all but printable ASCII, as \xHH. */
static void put_escaped(struct pg_buf *b, const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p <= ' ' || *p == '\\' || *p >= 0x7f)
			pg_buf_addf(b, "\\x%02x", *p);
		else
			pg_buf_addch(b, (char)*p);
	}
}

/* s[0..n) unescaped into a new string; NULL when malformed (or a NUL byte). */
static char *unescape(const char *s, size_t n)
{
	struct pg_buf b = PG_BUF_INIT;

	for (size_t i = 0; i < n; i++) {
		int hi, lo;

		if (s[i] != '\\') {
			if ((unsigned char)s[i] <= ' ' || pg_buf_addch(&b, s[i]) < 0)
				goto bad;
			continue;
		}
		if (i + 3 >= n)
			goto bad;
		if (s[i + 1] != 'x' || (hi = pg_hexdigit(s[i + 2])) < 0 || (lo = pg_hexdigit(s[i + 3])) < 0 || !(hi | lo) ||
		    pg_buf_addch(&b, (char)(hi << 4 | lo)) < 0)
			goto bad;
		i += 3;
	}
	return pg_buf_detach(&b);
bad:
	pg_buf_release(&b);
	return NULL;
}

int pg_background_encode(struct pg_buf *out, const struct pg_background_job *job)
{
	const struct pg_push *p = &job->push;
	char hex[GIT_OID_HEXSZ + 1];

	pg_buf_addf(out, MAGIC "\nhook %s\nunchecked-id %s\ngit-dir ", job->hook, job->unchecked_id);
	put_escaped(out, job->git_dir ? job->git_dir : "");
	pg_buf_addf(out, "\nreceive-pack %ld %llu\n", (long)job->receive_pack.pid, job->receive_pack.start);
	if (p->pusher) {
		pg_buf_adds(out, "pusher ");
		put_escaped(out, p->pusher);
		pg_buf_addch(out, '\n');
	}
	if (p->protocol) {
		pg_buf_adds(out, "protocol ");
		put_escaped(out, p->protocol);
		pg_buf_addch(out, '\n');
	}
	for (size_t i = 0; i < p->options.n; i++) {
		pg_buf_adds(out, "option ");
		put_escaped(out, p->options.v[i]);
		pg_buf_addch(out, '\n');
	}
	for (size_t i = 0; i < p->nupdates; i++) {
		pg_buf_addf(out, "update %s %s ", p->updates[i].old, p->updates[i].new);
		put_escaped(out, p->updates[i].ref);
		pg_buf_addch(out, '\n');
	}
	for (size_t i = 0; i < job->ntips; i++)
		pg_buf_addf(out, "tip %s\n", git_oid_tostr(hex, sizeof(hex), &job->tips[i]));
	return pg_buf_adds(out, "end\n");
}

static bool valid_id(const char *s, size_t n)
{
	if (n != 36)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f') || s[i] == '-'))
			return false;
	return true;
}

/* One "key value" line; *key and *val point into line. */
static int decode_line(struct pg_background_job *job, const char *line, size_t len, size_t *alloc_tips,
		       struct pg_error *err)
{
	const char *sp = memchr(line, ' ', len), *val;
	size_t klen = sp ? (size_t)(sp - line) : len, vlen;
	char *s = NULL;
	int ret = PG_EINPUT;

#define KEY(k) (klen == sizeof(k) - 1 && !memcmp(line, k, klen))
	if (!sp)
		goto bad;
	val = sp + 1;
	vlen = len - klen - 1;
	if (KEY("hook")) {
		if (!(vlen == 11 && !memcmp(val, "pre-receive", 11)) && !(vlen == 6 && !memcmp(val, "update", 6)))
			goto bad;
		memcpy(job->hook, val, vlen);
		job->hook[vlen] = '\0';
	} else if (KEY("unchecked-id")) {
		if (!valid_id(val, vlen))
			goto bad;
		memcpy(job->unchecked_id, val, vlen);
		job->unchecked_id[vlen] = '\0';
	} else if (KEY("git-dir")) {
		if (job->git_dir || !(job->git_dir = unescape(val, vlen)) || job->git_dir[0] != '/')
			goto bad;
	} else if (KEY("receive-pack")) {
		char tmp[64], *end;
		long pid;

		if (vlen >= sizeof(tmp))
			goto bad;
		memcpy(tmp, val, vlen);
		tmp[vlen] = '\0';
		pid = strtol(tmp, &end, 10);
		if (*end != ' ' || pid < 0)
			goto bad;
		job->receive_pack.pid = (pid_t)pid;
		job->receive_pack.start = strtoull(end + 1, &end, 10);
		if (*end)
			goto bad;
	} else if (KEY("pusher") || KEY("protocol")) {
		char **dst = KEY("pusher") ? &job->push.pusher : &job->push.protocol;

		if (*dst || !(s = unescape(val, vlen)))
			goto bad;
		*dst = s;
		s = NULL;
	} else if (KEY("option")) {
		if (!(s = unescape(val, vlen)) || pg_strvec_push(&job->push.options, s) < 0)
			goto bad;
	} else if (KEY("update")) {
		char old[PG_HEX_MAX + 1], new[PG_HEX_MAX + 1];
		const char *a = val, *b = memchr(a, ' ', vlen), *c;

		if (!b || (size_t)(b - a) > PG_HEX_MAX || !(c = memchr(b + 1, ' ', vlen - (size_t)(b + 1 - a))) ||
		    (size_t)(c - b - 1) > PG_HEX_MAX)
			goto bad;
		memcpy(old, a, (size_t)(b - a));
		old[b - a] = '\0';
		memcpy(new, b + 1, (size_t)(c - b - 1));
		new[c - b - 1] = '\0';
		if (!(s = unescape(c + 1, vlen - (size_t)(c + 1 - a))) ||
		    pg_push_add_update(&job->push, s, old, new, err) < 0)
			goto bad;
	} else if (KEY("tip")) {
		char hex[GIT_OID_HEXSZ + 1];

		if (vlen != GIT_OID_HEXSZ)
			goto bad;
		memcpy(hex, val, vlen);
		hex[vlen] = '\0';
		if (PG_GROW(job->tips, job->ntips + 1, *alloc_tips) < 0)
			goto bad;
		if (git_oid_fromstr(&job->tips[job->ntips], hex) < 0) {
			git_error_clear();
			goto bad;
		}
		job->ntips++;
	} else {
		goto bad;
	}
#undef KEY
	ret = 0;
	goto out;
bad:
	ret = pg_error_set(err, PG_EINPUT, "malformed background-check hand-over line: %.*s", (int)(klen < 40 ? klen : 40),
			   line);
out:
	free(s);
	return ret;
}

int pg_background_decode(struct pg_background_job *job, const char *text, size_t len, struct pg_error *err)
{
	const char *p = text, *end = text + len;
	size_t alloc_tips = 0;
	bool ended = false;
	int ret = PG_EINPUT;

	if (len < sizeof(MAGIC) || memcmp(text, MAGIC "\n", sizeof(MAGIC))) {
		ret = pg_error_set(err, PG_EINPUT, "not a background-check hand-over file");
		goto out;
	}
	for (p += sizeof(MAGIC); p < end;) {
		const char *eol = memchr(p, '\n', (size_t)(end - p));

		if (!eol || ended)
			goto bad;
		if (eol - p == 3 && !memcmp(p, "end", 3))
			ended = true;
		else if ((ret = decode_line(job, p, (size_t)(eol - p), &alloc_tips, err)) < 0)
			goto out;
		p = eol + 1;
	}
	if (!ended || !job->hook[0] || !job->unchecked_id[0] || !job->git_dir)
		goto bad;
	ret = 0;
	goto out;
bad:
	ret = pg_error_set(err, PG_EINPUT, "incomplete background-check hand-over file");
out:
	return ret;
}

/* ------------------------------------------------------- did it land */

bool pg_background_landed(git_repository *repo, const struct pg_ref_update *u)
{
	git_oid cur, want;
	int rc = git_reference_name_to_id(&cur, repo, u->ref);

	if (u->deleted) {
		if (rc == GIT_ENOTFOUND) {
			git_error_clear();
			return true;
		}
		git_error_clear();
		return false;
	}
	if (rc < 0 || git_oid_fromstr(&want, u->new) < 0) {
		git_error_clear();
		return false;
	}
	if (!git_oid_cmp(&cur, &want))
		return true;
	{
		struct pg_error err = PG_ERROR_INIT;

		rc = pg_walk_is_ancestor(repo, &want, &cur, 0, &err);
	}
	return rc == 1;
}

size_t pg_background_wait(bool *landed, const char *git_dir, const struct pg_push *push,
			  const struct pg_proc *receive_pack, int64_t max_wait_ms, int poll_ms)
{
	int64_t deadline = pg_clock_ms() + max_wait_ms;
	git_repository *repo = NULL;
	size_t n = 0;

	for (;;) {
		struct pg_error err = PG_ERROR_INIT;
		bool gone = receive_pack->pid && !pg_proc_alive(receive_pack);

		if (!repo && pg_repo_open(&repo, git_dir, &err) < 0)
			repo = NULL;
		n = 0;
		for (size_t i = 0; i < push->nupdates; i++)
			n += (landed[i] = repo && pg_background_landed(repo, &push->updates[i]));
		/* once receive-pack is gone, what we just read is final */
		if (n == push->nupdates || gone || pg_clock_ms() >= deadline)
			break;
		{
			struct timespec ts = { poll_ms / 1000, (long)(poll_ms % 1000) * 1000000L };

			while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
				;
		}
	}
	git_repository_free(repo);
	return n;
}

/* ------------------------------------------------------ the hook's side */

static int copy_push(struct pg_push *out, const struct pg_push *in, const bool *only, struct pg_error *err)
{
	for (size_t i = 0; i < in->nupdates; i++) {
		const struct pg_ref_update *u = &in->updates[i];
		int rc;

		if (only && !only[i])
			continue;
		if ((rc = pg_push_add_update(out, u->ref, u->old, u->new, err)) < 0)
			return rc;
	}
	if (pg_strvec_copy(&out->options, &in->options) < 0 ||
	    (in->pusher && !(out->pusher = strdup(in->pusher))) ||
	    (in->protocol && !(out->protocol = strdup(in->protocol))))
		return pg_error_oom(err);
	out->pusher_source = in->pusher_source;
	return 0;
}

/* Removes hand-over files (and temp files) a killed check left behind. */
static void sweep_stale(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	time_t now = time(NULL);

	if (!d)
		return;
	while ((e = readdir(d))) {
		struct stat st;

		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		if (fstatat(dirfd(d), e->d_name, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISREG(st.st_mode) &&
		    st.st_mtime < now - PG_BACKGROUND_STALE_S)
			unlinkat(dirfd(d), e->d_name, 0);
	}
	closedir(d);
}

/* Our own private directory: created 0700, never a symlink, never someone else's. */
static int private_dir(const char *dir, struct pg_error *err)
{
	struct stat st;

	if (mkdir(dir, 0700) < 0 && errno != EEXIST)
		return pg_error_set(err, PG_ERR, "cannot create %s: %s", dir, strerror(errno));
	if (lstat(dir, &st) < 0)
		return pg_error_set(err, PG_ERR, "cannot read %s: %s", dir, strerror(errno));
	if (!S_ISDIR(st.st_mode) || st.st_uid != geteuid() || (st.st_mode & 077))
		return pg_error_set(err, PG_ERR, "%s is not a private directory of this account (mode 0700 expected)", dir);
	return 0;
}

/* The detached check: /proc/self/exe with argv only, in a new session, stdio
 * on /dev/null, no other fd, without git's quarantine variables. Everything
 * the child needs is prepared before fork(). */
static int spawn(const char *hook, const char *path, struct pg_error *err)
{
	char argv0[32], flag[] = "--background-scan", exe[4096];
	char *argv[] = { argv0, flag, (char *)(uintptr_t)path, NULL };
	size_t n = 0, k = 0;
	char **envp;
	int pfd[2] = { -1, -1 }, status, child_errno = 0, ret = PG_ERR;
	pid_t pid, r;
	ssize_t got;

	snprintf(argv0, sizeof(argv0), "pushguard-%s", hook);
	/* our binary by its path (under valgrind, /proc/self/exe itself is valgrind's),
	 * or by /proc/self/exe when it was replaced or removed since it started */
	if ((got = readlink("/proc/self/exe", exe, sizeof(exe) - 1)) <= 0 || (size_t)got >= sizeof(exe) - 1)
		got = 0;
	exe[got] = '\0';
	if (!got || (got > 10 && !strcmp(exe + got - 10, " (deleted)")) || access(exe, X_OK) < 0)
		snprintf(exe, sizeof(exe), "/proc/self/exe");
	while (environ[n])
		n++;
	if (!(envp = calloc(n + 1, sizeof(*envp))))
		return pg_error_oom(err);
	for (size_t i = 0; i < n; i++)
		if (strncmp(environ[i], "GIT_QUARANTINE_PATH=", 20) && strncmp(environ[i], "GIT_OBJECT_DIRECTORY=", 21) &&
		    strncmp(environ[i], "GIT_ALTERNATE_OBJECT_DIRECTORIES=", 33))
			envp[k++] = environ[i];
	if (pipe2(pfd, O_CLOEXEC) < 0) {
		ret = pg_error_set(err, PG_ERR, "cannot start the background check: %s", strerror(errno));
		goto out;
	}
	if ((pid = fork()) < 0) {
		ret = pg_error_set(err, PG_ERR, "cannot start the background check: %s", strerror(errno));
		goto out;
	}
	if (pid == 0) {
		int w, fd, e;

		setsid();
		if ((pid = fork()) != 0)
			_exit(pid < 0 ? 1 : 0);
		w = fcntl(pfd[1], F_DUPFD_CLOEXEC, 64);
		if ((fd = open("/dev/null", O_RDWR)) >= 0) {
			dup2(fd, 0);
			dup2(fd, 1);
			dup2(fd, 2);
		}
		if (w < 0 || dup3(w, 3, O_CLOEXEC) < 0)
			_exit(1);
		closefrom(4);
		if (chdir("/") == 0)
			execve(exe, argv, envp);
		e = errno;
		(void)!write(3, &e, sizeof(e));
		_exit(127);
	}
	close(pfd[1]);
	pfd[1] = -1;
	do
		r = waitpid(pid, &status, 0);
	while (r < 0 && errno == EINTR);
	if (r < 0 || !WIFEXITED(status) || WEXITSTATUS(status)) {
		ret = pg_error_set(err, PG_ERR, "cannot start the background check: fork failed");
		goto out;
	}
	do
		got = read(pfd[0], &child_errno, sizeof(child_errno));
	while (got < 0 && errno == EINTR);
	if (got > 0) {
		ret = pg_error_set(err, PG_ERR, "cannot start the background check: %s",
				   got == sizeof(child_errno) ? strerror(child_errno) : "exec failed");
		goto out;
	}
	ret = 0;
out:
	if (pfd[0] >= 0)
		close(pfd[0]);
	if (pfd[1] >= 0)
		close(pfd[1]);
	free(envp);
	return ret;
}

int pg_background_start(git_repository *repo, const struct pg_push *push, const char *hook,
			const char *unchecked_id, struct pg_error *err)
{
	struct pg_background_job job = PG_BACKGROUND_JOB_INIT;
	struct pg_buf text = PG_BUF_INIT, dir = PG_BUF_INIT, path = PG_BUF_INIT;
	bool written = false;
	int ret = PG_ERR;

	pg_buf_init(&text, MAX_FILE);
	snprintf(job.hook, sizeof(job.hook), "%s", hook);
	snprintf(job.unchecked_id, sizeof(job.unchecked_id), "%s", unchecked_id);
	if (!valid_id(job.unchecked_id, strlen(job.unchecked_id))) {
		ret = pg_error_set(err, PG_ERR, "background check: bad event id");
		goto out;
	}
	if (!(job.git_dir = realpath(git_repository_path(repo), NULL))) {
		ret = pg_error_set(err, PG_ERR, "cannot resolve the repository path %s: %s", git_repository_path(repo),
				   strerror(errno));
		goto out;
	}
	if ((ret = copy_push(&job.push, push, NULL, err)) < 0 || (ret = pg_background_snapshot(&job, repo, err)) < 0)
		goto out;
	pg_proc_find_receive_pack(&job.receive_pack, getppid());
	if (pg_buf_addf(&dir, "%s/" DIR_NAME, job.git_dir) < 0 || pg_buf_addf(&path, "%s/%s", dir.ptr, job.unchecked_id) < 0 ||
	    pg_background_encode(&text, &job) < 0) {
		ret = pg_error_set(err, PG_ERR, "out of memory (background check hand-over)");
		goto out;
	}
	if ((ret = private_dir(dir.ptr, err)) < 0)
		goto out;
	sweep_stale(dir.ptr);
	if ((ret = pg_atomic_file_write(path.ptr, text.ptr, text.len, 0600, "the background check hand-over", err)) < 0)
		goto out;
	written = true;
	if ((ret = spawn(job.hook, path.ptr, err)) < 0)
		goto out;
	ret = 0;
out:
	if (ret < 0 && written)
		unlink(path.ptr);
	pg_buf_release(&text);
	pg_buf_release(&dir);
	pg_buf_release(&path);
	pg_background_job_release(&job);
	return ret;
}

/* ------------------------------------------------- the detached side */

/* The hand-over file: ours, private, regular, not a symlink. */
static int read_private(struct pg_buf *out, const char *path, struct pg_error *err)
{
	struct stat st;
	char chunk[65536];
	ssize_t n;
	int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC), ret = PG_ERR;

	if (fd < 0)
		return pg_error_set(err, PG_ERR, "cannot open %s: %s", path, strerror(errno));
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || st.st_uid != geteuid() || (st.st_mode & 077)) {
		ret = pg_error_set(err, PG_EINPUT, "%s is not a private file of this account", path);
		goto out;
	}
	while ((n = read(fd, chunk, sizeof(chunk))) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 || pg_buf_add(out, chunk, (size_t)n) < 0) {
			ret = pg_error_set(err, PG_ERR, "cannot read %s", path);
			goto out;
		}
	}
	ret = 0;
out:
	close(fd);
	return ret;
}

/* Checks what landed and records push.scanned. */
static void check_and_record(const struct pg_background_job *job, const bool *landed, size_t nlanded, int64_t t0)
{
	struct pg_error err = PG_ERROR_INIT;
	struct pg_push push = PG_PUSH_INIT;
	struct pg_policy policy;
	struct pg_walk walk = PG_WALK_INIT;
	struct pg_findings findings = PG_FINDINGS_INIT;
	struct pg_bypass bypass = PG_BYPASS_INIT;
	struct pg_strvec not_landed = PG_STRVEC_INIT, problems = PG_STRVEC_INIT;
	struct pg_verdict verdict = { 0 };
	struct pg_record_scan scan = { NULL, job->unchecked_id, &not_landed, 0 };
	struct pg_record_input in = { job->hook, &job->push, &policy, &findings, &bypass, &verdict, NULL, NULL, &scan };
	git_repository *repo = NULL;
	char *config = NULL;
	int rc;

	pg_policy_init(&policy);
	verdict.start_ms = t0;
	for (size_t i = 0; i < job->push.nupdates; i++)
		if (!landed[i])
			pg_strvec_push(&not_landed, job->push.updates[i].ref);
	/* a fresh repository: the objects have moved out of the quarantine since the wait began */
	rc = pg_repo_open(&repo, job->git_dir, &err);
	if (rc == 0 && !(config = pg_repo_config_path(repo)))
		rc = pg_error_oom(&err);
	if (rc == 0)
		rc = pg_policy_load_repo(&policy, repo, config, NULL, &err);
	if (rc == 0)
		rc = copy_push(&push, &job->push, landed, &err);
	if (rc == 0 && nlanded) {
		static const git_oid none; /* no refs before the push: hide nothing */

		walk.hide = job->ntips ? job->tips : &none;
		walk.nhide = job->ntips;
		rc = pg_check_push(&walk, &findings, repo, &push, &policy, 0, &err);
	}
	if (rc == 0 && nlanded)
		(void)pg_bypass_decide(&bypass, &push, &policy);
	if (rc < 0) {
		scan.result = "error";
		verdict.error = err.msg;
	} else if (!nlanded) {
		scan.result = "not-landed";
	} else {
		scan.result = pg_findings_count_blocking(&findings) ? "findings" : "clean";
	}
	scan.duration_ms = pg_clock_ms() - t0;
	in.repo = repo;
	pg_record(&problems, &in); /* nobody to tell about a recording problem: stderr is /dev/null */
	pg_strvec_release(&problems);
	pg_strvec_release(&not_landed);
	pg_bypass_release(&bypass);
	pg_findings_release(&findings);
	pg_walk_release(&walk);
	pg_push_release(&push);
	pg_policy_release(&policy);
	free(config);
	git_repository_free(repo);
}

int pg_background_main(const char *path)
{
	struct pg_background_job job = PG_BACKGROUND_JOB_INIT;
	struct pg_error err = PG_ERROR_INIT;
	struct pg_buf text = PG_BUF_INIT;
	int64_t t0 = pg_clock_ms();
	bool *landed = NULL, git_up = false;
	size_t nlanded;
	int status = 1;

	signal(SIGPIPE, SIG_IGN);
	pg_buf_init(&text, MAX_FILE);
	if (read_private(&text, path, &err) < 0 || pg_background_decode(&job, text.ptr, text.len, &err) < 0)
		goto out;
	/* what opens "the hook's repository" from the environment (the secrets
	 * scan's threads, git cat-file) gets this one, whole, from cwd / */
	unsetenv("GIT_QUARANTINE_PATH");
	unsetenv("GIT_OBJECT_DIRECTORY");
	unsetenv("GIT_ALTERNATE_OBJECT_DIRECTORIES");
	if (setenv("GIT_DIR", job.git_dir, 1) < 0)
		goto out;
	if (pg_repo_global_init(&err) < 0)
		goto out;
	git_up = true;
	if (!(landed = calloc(job.push.nupdates ? job.push.nupdates : 1, sizeof(*landed))))
		goto out;
	errno = 0;
	if (nice(10) == -1 && errno) /* a scan nobody waits for yields to those somebody does */
		errno = 0;
	nlanded = pg_background_wait(landed, job.git_dir, &job.push, &job.receive_pack, PG_BACKGROUND_MAX_WAIT_MS,
				     PG_BACKGROUND_POLL_MS);
	check_and_record(&job, landed, nlanded, t0);
	unlink(path);
	status = 0;
out:
	free(landed);
	pg_buf_release(&text);
	pg_background_job_release(&job);
	if (git_up)
		git_libgit2_shutdown();
	return status;
}
