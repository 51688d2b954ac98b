#include "chain.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "strvec.h"

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int wanted(const char *dir, const char *name)
{
	size_t n = strlen(name);
	char path[4096];
	struct stat st;

	if (name[0] == '.' || name[n - 1] == '~' || (n > 7 && !strcmp(name + n - 7, ".sample")))
		return 0;
	if (snprintf(path, sizeof(path), "%s/%s", dir, name) >= (int)sizeof(path))
		return 0;
	return stat(path, &st) == 0 && S_ISREG(st.st_mode) && access(path, X_OK) == 0;
}

static int run_one(int *out_status, const char *path, char *const *args, size_t nargs,
		   const char *input, size_t input_len, struct pg_error *err)
{
	char **argv = calloc(nargs + 2, sizeof(*argv));
	char *path0 = strdup(path);
	int fds[2] = { -1, -1 }, status = 0, ret = PG_ERR;
	pid_t pid;

	if (!argv || !path0) {
		ret = pg_error_oom(err);
		goto out;
	}
	argv[0] = path0;
	for (size_t i = 0; i < nargs; i++)
		argv[i + 1] = args[i];
	if (input && pipe(fds) < 0) {
		ret = pg_error_set(err, PG_ERR, "cannot run %s: pipe: %s", path, strerror(errno));
		goto out;
	}
	pid = fork();
	if (pid < 0) {
		ret = pg_error_set(err, PG_ERR, "cannot run %s: fork: %s", path, strerror(errno));
		goto out;
	}
	if (pid == 0) {
		if (input) {
			dup2(fds[0], 0);
			close(fds[0]);
			close(fds[1]);
		}
		signal(SIGPIPE, SIG_DFL);
		execv(path, argv);
		fprintf(stderr, "pushguard: cannot run chained hook %s: %s\n", path, strerror(errno));
		_exit(126);
	}
	if (input) {
		size_t off = 0;

		close(fds[0]);
		fds[0] = -1;
		while (off < input_len) {
			ssize_t w = write(fds[1], input + off, input_len - off);

			if (w < 0 && errno == EINTR)
				continue;
			if (w <= 0)
				break; /* the hook stopped reading: its exit status decides */
			off += (size_t)w;
		}
		close(fds[1]);
		fds[1] = -1;
	}
	while (waitpid(pid, &status, 0) < 0) {
		if (errno != EINTR) {
			ret = pg_error_set(err, PG_ERR, "cannot wait for %s: %s", path, strerror(errno));
			goto out;
		}
	}
	*out_status = status;
	ret = 0;
out:
	if (fds[0] >= 0)
		close(fds[0]);
	if (fds[1] >= 0)
		close(fds[1]);
	free(argv);
	free(path0);
	return ret;
}

static int chain(char **out_refused, const char *dir, char *const *args, size_t nargs,
		 const char *input, size_t input_len, bool all, struct pg_error *err)
{
	struct pg_strvec names = PG_STRVEC_INIT;
	struct dirent *de;
	DIR *d;
	int ret = 0;

	*out_refused = NULL;
	if (!dir || !(d = opendir(dir)))
		return 0;
	while ((de = readdir(d)))
		if (wanted(dir, de->d_name) && pg_strvec_push(&names, de->d_name) < 0) {
			closedir(d);
			pg_strvec_release(&names);
			return pg_error_oom(err);
		}
	closedir(d);
	if (names.n)
		qsort(names.v, names.n, sizeof(*names.v), by_name);
	for (size_t i = 0; i < names.n && (all ? ret >= 0 : !ret); i++) {
		char path[4096];
		int status, rc;

		snprintf(path, sizeof(path), "%s/%s", dir, names.v[i]);
		if ((rc = run_one(&status, path, args, nargs, input, input_len, err)) < 0) {
			ret = rc;
			break;
		}
		if ((!WIFEXITED(status) || WEXITSTATUS(status) != 0) && !*out_refused) {
			/* out of memory naming it: an error, which refuses the push as well */
			if (!(*out_refused = strdup(path))) {
				ret = pg_error_set(err, PG_ERR, "out of memory (chained hook %s refused)", names.v[i]);
				break;
			}
			ret = 1;
		}
	}
	if (ret < 0) {
		free(*out_refused);
		*out_refused = NULL;
	}
	pg_strvec_release(&names);
	return ret;
}

int pg_chain_run(char **out_refused, const char *dir, char *const *args, size_t nargs,
		 const char *input, size_t input_len, struct pg_error *err)
{
	return chain(out_refused, dir, args, nargs, input, input_len, false, err);
}

int pg_chain_run_all(char **out_refused, const char *dir, char *const *args, size_t nargs,
		     const char *input, size_t input_len, struct pg_error *err)
{
	return chain(out_refused, dir, args, nargs, input, input_len, true, err);
}
