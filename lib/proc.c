#include "proc.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static ssize_t read_small(const char *path, char *buf, size_t size)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	size_t got = 0;
	ssize_t n = 0;

	if (fd < 0)
		return -1;
	while (got < size - 1 && (n = read(fd, buf + got, size - 1 - got)) > 0)
		got += (size_t)n;
	close(fd);
	buf[got] = '\0';
	return n < 0 ? -1 : (ssize_t)got;
}

/* ppid, state and start time from /proc/PID/stat; -1 when there is no such process. */
static int proc_stat(pid_t pid, pid_t *ppid, char *state, unsigned long long *start)
{
	char path[64], buf[1024], *p;
	long long v;
	int field;

	snprintf(path, sizeof(path), "/proc/%ld/stat", (long)pid);
	if (read_small(path, buf, sizeof(buf)) <= 0 || !(p = strrchr(buf, ')')))
		return -1;
	/* after "pid (comm)": state(3) ppid(4) ... starttime(22) */
	p++;
	for (field = 3; field <= 22; field++) {
		while (*p == ' ')
			p++;
		if (!*p)
			return -1;
		if (field == 3)
			*state = *p;
		v = strtoll(p, NULL, 10);
		if (field == 4)
			*ppid = (pid_t)v;
		if (field == 22)
			*start = strtoull(p, NULL, 10);
		while (*p && *p != ' ')
			p++;
	}
	return 0;
}

/* Arguments of a NUL-separated command line, the last one perhaps unterminated. */
struct args {
	const char *p, *end;
	const char *arg;
	size_t len;
};

static bool next_arg(struct args *a)
{
	if (a->p >= a->end)
		return false;
	a->arg = a->p;
	a->len = strnlen(a->p, (size_t)(a->end - a->p));
	a->p += a->len + 1;
	return true;
}

static bool arg_is(const struct args *a, const char *s)
{
	return a->len == strlen(s) && !memcmp(a->arg, s, a->len);
}

bool pg_proc_is_receive_pack(const char *cmdline, size_t len)
{
	static const char *const with_value[] = { "-c", "-C", "--git-dir", "--work-tree", "--namespace", "--exec-path",
						  "--config-env" };
	struct args a = { cmdline, cmdline + len, NULL, 0 };
	const char *slash;

	if (!next_arg(&a))
		return false;
	if ((slash = memrchr(a.arg, '/', a.len))) {
		a.len -= (size_t)(slash + 1 - a.arg);
		a.arg = slash + 1;
	}
	if (arg_is(&a, "git-receive-pack"))
		return true;
	if (!arg_is(&a, "git"))
		return false;
	while (next_arg(&a)) {
		bool takes_value = false;

		for (size_t i = 0; i < sizeof(with_value) / sizeof(*with_value); i++)
			takes_value |= arg_is(&a, with_value[i]);
		if (takes_value) {
			if (!next_arg(&a))
				return false;
			continue;
		}
		if (a.len && a.arg[0] == '-')
			continue;
		return arg_is(&a, "receive-pack");
	}
	return false;
}

void pg_proc_find_receive_pack(struct pg_proc *out, pid_t from)
{
	pid_t pid = from;

	*out = (struct pg_proc){ 0, 0 };
	for (int hops = 0; hops < 32 && pid > 1; hops++) {
		char path[64], cmd[4096], state;
		ssize_t n;
		pid_t ppid = 0;
		unsigned long long start = 0;

		if (proc_stat(pid, &ppid, &state, &start) < 0)
			return;
		snprintf(path, sizeof(path), "/proc/%ld/cmdline", (long)pid);
		if ((n = read_small(path, cmd, sizeof(cmd))) > 0 && pg_proc_is_receive_pack(cmd, (size_t)n)) {
			out->pid = pid;
			out->start = start;
			return;
		}
		pid = ppid;
	}
}

bool pg_proc_alive(const struct pg_proc *p)
{
	pid_t ppid;
	char state = 0;
	unsigned long long start = 0;

	if (!p->pid || proc_stat(p->pid, &ppid, &state, &start) < 0)
		return false;
	return start == p->start && state != 'Z' && state != 'X' && state != 'x';
}
