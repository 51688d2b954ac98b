/* A stand-in for the pushguard binaries in the valgrind harness self-test
 * (tests/e2e/selftest/valgrind.sh): a pre-receive hook that accepts every
 * push and, depending on the pushed ref's last component, makes exactly one
 * memcheck error on purpose:
 *   .../leak      a definitely lost block (leak_here)
 *   .../uninit    a jump on an uninitialised value (uninit_here)
 *   .../forkleak  a forked child (like the detached webhook sender) that
 *                 loses a block and _exits (fork_leak_here)
 * any other ref: no error. Run as `pushguard` or `pushguard-update`, it does
 * nothing and exits 0. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static void *keep;

static void __attribute__((noinline)) leak_here(void)
{
	keep = malloc(64);
	keep = NULL;
}

static void __attribute__((noinline)) uninit_here(void)
{
	int *p = malloc(sizeof(*p));

	if (p && *p == 42)
		puts("42");
	free(p);
}

static void __attribute__((noinline)) fork_leak_here(void)
{
	pid_t pid = fork();

	if (pid == 0) {
		keep = malloc(32);
		keep = NULL;
		_exit(0);
	}
	if (pid > 0)
		waitpid(pid, NULL, 0);
}

int main(int argc, char **argv)
{
	char line[1024];

	(void)argc;
	if (!strstr(argv[0], "pre-receive"))
		return 0;
	while (fgets(line, sizeof(line), stdin)) {
		const char *ref = strrchr(line, '/');

		if (!ref)
			continue;
		if (!strcmp(ref, "/leak\n"))
			leak_here();
		else if (!strcmp(ref, "/uninit\n"))
			uninit_here();
		else if (!strcmp(ref, "/forkleak\n"))
			fork_leak_here();
	}
	return 0;
}
