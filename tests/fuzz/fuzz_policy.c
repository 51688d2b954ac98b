/* libFuzzer target for lib/policy.c: the bytes are the system config file (a
 * git-config file) of a pg_policy_load with explicit paths; the policy
 * directory holds an empty default.conf. Every file lives under /tmp.
 *
 *   make fuzz && build-fuzz/fuzz_policy -max_total_time=60 tests/fuzz/corpus_policy
 */
#include <git2.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "policy.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char policy_dir[] = "/tmp/pg-fuzz-policy.XXXXXX";
static char default_conf[sizeof(policy_dir) + 16];

static void cleanup(void)
{
	unlink(default_conf);
	rmdir(policy_dir);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	FILE *fp;

	git_libgit2_init();
	if (!mkdtemp(policy_dir))
		abort();
	snprintf(default_conf, sizeof(default_conf), "%s/default.conf", policy_dir);
	if (!(fp = fopen(default_conf, "w")))
		abort();
	fclose(fp);
	atexit(cleanup);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char path[] = "/tmp/pg-fuzz-config.XXXXXX";
	struct pg_policy_paths paths = { path, policy_dir, NULL };
	struct pg_policy p;
	struct pg_error err = PG_ERROR_INIT;
	int fd = mkstemp(path), rc;

	if (fd < 0)
		abort();
	if (size && write(fd, data, size) != (ssize_t)size)
		abort();
	close(fd);
	pg_policy_init(&p);
	rc = pg_policy_load(&p, &paths, &err);
	if (rc < 0 && !err.msg[0])
		abort(); /* every error says why */
	if (rc == 0) {
		/* the effective values read back as validated */
		for (size_t i = 0; pg_policy_key(i); i++) {
			const struct pg_key_def *k = pg_policy_key(i);
			struct pg_strvec v = PG_STRVEC_INIT;

			(void)pg_policy_str(&p, k->name, NULL);
			(void)pg_policy_origin(&p, k->name);
			if (k->kind == PG_KEY_BOOL)
				(void)pg_policy_bool(&p, k->name, false);
			else if (k->kind == PG_KEY_SIZE || k->kind == PG_KEY_COUNT ||
				 k->kind == PG_KEY_DURATION)
				(void)pg_policy_int(&p, k->name, 0);
			else if (k->kind == PG_KEY_STRINGS || k->kind == PG_KEY_REF_GLOBS ||
				 k->kind == PG_KEY_PATH_GLOBS)
				(void)pg_policy_list(&p, k->name, &v);
			pg_strvec_release(&v);
		}
	}
	pg_policy_release(&p);
	unlink(path);
	return 0;
}
