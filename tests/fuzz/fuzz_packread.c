/* libFuzzer target for lib/packread.c: the input becomes a pack the reader
 * opens, in one private objects directory rewritten for every input:
 *
 *   byte 0              the number of objects the index lists, 1 + b % 4
 *   2 bytes each        their offsets (little-endian, modulo the body's
 *                       length, from the body's start)
 *   the rest            the pack's body: entries, sizes, delta offsets,
 *                       delta instructions and zlib streams
 *
 * Object i's id is 20 bytes of value i (a REF_DELTA names its base so).
 * Every object is read through the public API by one reader in index order
 * (its cache warm) and by a fresh one backwards; the two must agree, an
 * object read must be NUL-terminated with a valid type, and its header
 * must say the same size and type. Errors are errors with a message.
 *
 *   make fuzz && build-fuzz/fuzz_packread -max_total_time=60 tests/fuzz/corpus_packread
 *   (tests/fuzz/gen_corpus_packread.py writes the seeds)
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "packread.h"
#include "../unit/pack_build.h"

#define PACK_MAX_INPUT (1 << 16)
#define MAX_OBJECTS 4

static char dir[] = "/tmp/pg-fuzz-packread.XXXXXX";
static char objdir[sizeof(dir) + 16], packdir[sizeof(dir) + 32];

static void cleanup(void)
{
	char path[sizeof(packdir) + 32];

	snprintf(path, sizeof(path), "%s/pack-t.pack", packdir);
	unlink(path);
	snprintf(path, sizeof(path), "%s/pack-t.idx", packdir);
	unlink(path);
	rmdir(packdir);
	rmdir(objdir);
	rmdir(dir);
}

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc, (void)argv;
	if (!mkdtemp(dir))
		abort();
	snprintf(objdir, sizeof(objdir), "%s/objects", dir);
	snprintf(packdir, sizeof(packdir), "%s/pack", objdir);
	if (mkdir(objdir, 0700) < 0 || mkdir(packdir, 0700) < 0)
		abort();
	atexit(cleanup);
	return 0;
}

struct got {
	int rc;
	char *data;
	size_t len;
	git_object_t type;
};

/* Reads object i; checks what one read can say on its own. */
static void read_one(struct pg_pack_reader *r, const struct pg_packs *packs, uint32_t i, struct got *g)
{
	unsigned char id[20];
	struct pg_error err = PG_ERROR_INIT;
	struct pg_pack_pos pos;
	git_oid oid;
	const char *d;
	size_t hsize;
	git_object_t htype;
	int hrc;

	memset(id, (int)i, sizeof(id));
	git_oid_fromraw(&oid, id);
	if (pg_packs_find(packs, &oid, &pos) != 1)
		abort();
	g->data = NULL;
	g->rc = pg_pack_read(r, &pos, &d, &g->len, &g->type, &err);
	if (g->rc < 0) {
		if (!err.msg[0])
			abort();
	} else {
		if (g->rc != 0 || g->type < GIT_OBJECT_COMMIT || g->type > GIT_OBJECT_TAG || g->len > PG_PACK_MAX_OBJECT ||
		    d[g->len] != '\0')
			abort();
		if (!(g->data = malloc(g->len + 1)))
			abort();
		memcpy(g->data, d, g->len + 1);
	}
	err = (struct pg_error)PG_ERROR_INIT;
	hrc = pg_pack_read_header(r, &pos, &hsize, &htype, &err);
	if (hrc < 0 && !err.msg[0])
		abort();
	if (hrc == 0 && g->rc == 0 && (hsize != g->len || htype != g->type))
		abort(); /* the header disagrees with the object */
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	unsigned char ids[MAX_OBJECTS][20];
	uint64_t offsets[MAX_OBJECTS];
	struct got a[MAX_OBJECTS], b[MAX_OBJECTS];
	struct pg_error err = PG_ERROR_INIT;
	struct pg_packs *packs = NULL;
	struct pg_pack_reader *r = NULL;
	uint32_t n;
	size_t body;

	if (size < 1 || size > PACK_MAX_INPUT)
		return 0;
	n = 1 + data[0] % MAX_OBJECTS;
	if (size < 1 + 2 * (size_t)n + 1)
		return 0;
	body = size - 1 - 2 * (size_t)n;
	for (uint32_t i = 0; i < n; i++) {
		memset(ids[i], (int)i, 20);
		offsets[i] = 12 + (data[1 + 2 * i] | (size_t)data[2 + 2 * i] << 8) % body;
	}
	if (pb_write(objdir, data + 1 + 2 * n, body, (const unsigned char (*)[20])ids, offsets, n) < 0)
		abort();
	if (pg_packs_open(&packs, dir, objdir, &err) < 0 || !packs)
		abort(); /* the index is well-formed */
	if (pg_pack_reader_new(&r, packs, &err) < 0)
		abort();
	for (uint32_t i = 0; i < n; i++)
		read_one(r, packs, i, &a[i]);
	pg_pack_reader_free(r);
	if (pg_pack_reader_new(&r, packs, &err) < 0)
		abort();
	for (uint32_t i = n; i-- > 0;)
		read_one(r, packs, i, &b[i]);
	pg_pack_reader_free(r);
	pg_packs_free(packs);
	for (uint32_t i = 0; i < n; i++) {
		if (a[i].rc != b[i].rc)
			abort(); /* read or not depending on the cache */
		if (a[i].rc == 0 &&
		    (a[i].len != b[i].len || a[i].type != b[i].type || memcmp(a[i].data, b[i].data, a[i].len)))
			abort(); /* different bytes depending on the cache */
		free(a[i].data);
		free(b[i].data);
	}
	return 0;
}
