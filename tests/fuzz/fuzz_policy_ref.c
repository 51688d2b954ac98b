/* libFuzzer target for lib/policy_ref.c: the bytes are a policy ref's
 * pushguard.conf (pushed data, parsed from memory), loaded as the ref layer
 * of a pg_policy_load_with_ref over an empty default policy; the diff against
 * an empty ref runs on it too.
 *
 *   make fuzz && build-fuzz/fuzz_policy_ref -max_total_time=60 tests/fuzz/corpus_policy_ref
 */
#include <git2.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "policy.h"
#include "policy_ref.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char policy_dir[] = "/tmp/pg-fuzz-policy-ref.XXXXXX";
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
	setenv("PUSHGUARD_SYSTEM_CONFIG", "/nonexistent/pg-fuzz-system", 1);
	setenv("PUSHGUARD_POLICY_DIR", policy_dir, 1);
	atexit(cleanup);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pg_policy_ref ref = PG_POLICY_REF_INIT;
	struct pg_strvec keys = PG_STRVEC_INIT, files = PG_STRVEC_INIT;
	struct pg_error err = PG_ERROR_INIT;
	struct pg_policy p;

	if (size > PG_POLICY_REF_MAX_FILE)
		return 0;
	ref.refname = strdup("refs/meta/pushguard");
	ref.conf.path = strdup("pushguard.conf");
	ref.conf.data = malloc(size + 1);
	if (!ref.refname || !ref.conf.path || !ref.conf.data)
		abort();
	memcpy(ref.conf.data, data, size);
	ref.conf.data[size] = '\0';
	ref.conf.len = size;
	pg_policy_init(&p);
	pg_policy_load_with_ref(&p, NULL, &ref, &err);
	pg_policy_release(&p);
	pg_policy_ref_diff(NULL, &ref, &keys, &files, &err);
	pg_strvec_release(&keys);
	pg_strvec_release(&files);
	pg_policy_ref_release(&ref);
	return 0;
}
