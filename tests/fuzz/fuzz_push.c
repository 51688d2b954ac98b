/* libFuzzer target for lib/push.c: pre-receive's stdin ("OLD NEW REF" lines)
 * through pg_push_read, and the update hook's arguments (REF, OLD, NEW:
 * three NUL-separated fields) through pg_push_add_update.
 *
 *   make fuzz && build-fuzz/fuzz_push -max_total_time=60 tests/fuzz/corpus_push
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "push.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_updates(const struct pg_push *push)
{
	for (size_t i = 0; i < push->nupdates; i++) {
		const struct pg_ref_update *u = &push->updates[i];

		if (!u->ref || !u->short_name || strlen(u->old) > PG_HEX_MAX ||
		    strlen(u->new) > PG_HEX_MAX)
			abort();
		if (u->short_name < u->ref || u->short_name > u->ref + strlen(u->ref))
			abort(); /* short_name points into ref */
	}
}

static void fuzz_read(const uint8_t *data, size_t size)
{
	struct pg_push push = PG_PUSH_INIT;
	struct pg_error err = PG_ERROR_INIT;
	FILE *fp;

	if (!size)
		return; /* fmemopen() of nothing */
	if (!(fp = fmemopen((void *)(uintptr_t)data, size, "r")))
		return;
	if (pg_push_read(&push, fp, &err) == 0)
		check_updates(&push);
	else if (!err.msg[0])
		abort(); /* every error says why */
	fclose(fp);
	pg_push_release(&push);
}

static void fuzz_update(const uint8_t *data, size_t size)
{
	struct pg_push push = PG_PUSH_INIT;
	struct pg_error err = PG_ERROR_INIT;
	char *copy = malloc(size + 3), *f[3], *p, *end;

	if (!copy)
		return;
	memcpy(copy, data, size);
	memset(copy + size, 0, 3);
	end = copy + size + 2;
	p = copy;
	for (int i = 0; i < 3; i++) {
		f[i] = p;
		p += strlen(p) + 1;
		if (p > end)
			p = end;
	}
	if (pg_push_add_update(&push, f[0], f[1], f[2], &err) == 0)
		check_updates(&push);
	else if (!err.msg[0])
		abort();
	pg_push_release(&push);
	free(copy);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_read(data, size);
	fuzz_update(data, size);
	return 0;
}
