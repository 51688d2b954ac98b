/* Writing small pack files by hand, for tests and the fuzz target of
 * lib/packread.c: a pack's body (its entries, as given, between git's
 * 12-byte header and a 20-byte trailer) and a version 2 index listing
 * objects at given offsets, so that hostile entries can be put where the
 * reader will look. The trailer and the CRCs are zeros: the reader checks
 * neither. Header only (static functions): used from tests/unit and
 * tests/fuzz alike. */
#ifndef PG_PACK_BUILD_H
#define PG_PACK_BUILD_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

/* An entry's header: type (1-4 objects, 6 ofs-delta, 7 ref-delta) and
 * inflated size; returns its length in out (at least 10 bytes). */
static inline size_t pb_entry_header(unsigned char *out, unsigned type, uint64_t size)
{
	size_t n = 0;
	unsigned c = (type & 7) << 4 | (unsigned)(size & 15);

	size >>= 4;
	while (size) {
		out[n++] = (unsigned char)(c | 0x80);
		c = size & 0x7f;
		size >>= 7;
	}
	out[n++] = (unsigned char)c;
	return n;
}

/* An OFS_DELTA's distance to its base, git's encoding; returns its length. */
static inline size_t pb_ofs(unsigned char *out, uint64_t ofs)
{
	unsigned char tmp[16];
	size_t i = sizeof(tmp) - 1, n;

	tmp[i] = ofs & 127;
	while (ofs >>= 7)
		tmp[--i] = (unsigned char)(128 | (--ofs & 127));
	n = sizeof(tmp) - i;
	memcpy(out, tmp + i, n);
	return n;
}

/* A delta's size varint; returns its length. */
static inline size_t pb_varint(unsigned char *out, uint64_t v)
{
	size_t n = 0;

	do {
		out[n] = v & 0x7f;
		v >>= 7;
		if (v)
			out[n] |= 0x80;
		n++;
	} while (v);
	return n;
}

/* zlib-compresses in into out (room for compressBound(n)); returns the length. */
static inline size_t pb_deflate(unsigned char *out, const void *in, size_t n)
{
	uLongf len = compressBound((uLong)n);

	if (compress2(out, &len, in, (uLong)n, 6) != Z_OK)
		abort();
	return (size_t)len;
}

/* Writes objdir/pack/pack-t.pack (the body after a 12-byte header) and
 * pack-t.idx listing n objects: the i-th with id ids[i] (ascending) at
 * offsets[i] (from the pack's start). 0, or -1. */
static inline int pb_write(const char *objdir, const unsigned char *body, size_t len, const unsigned char (*ids)[20],
		    const uint64_t *offsets, uint32_t n)
{
	char path[4096];
	unsigned char hdr[12] = { 'P', 'A', 'C', 'K', 0, 0, 0, 2 }, zero[20] = { 0 }, b[8];
	uint32_t fan[256] = { 0 };
	size_t n64 = 0;
	FILE *f;

	hdr[8] = (unsigned char)(n >> 24), hdr[9] = (unsigned char)(n >> 16);
	hdr[10] = (unsigned char)(n >> 8), hdr[11] = (unsigned char)n;
	snprintf(path, sizeof(path), "%s/pack/pack-t.pack", objdir);
	if (!(f = fopen(path, "wb")))
		return -1;
	fwrite(hdr, 1, 12, f);
	if (len)
		fwrite(body, 1, len, f);
	fwrite(zero, 1, 20, f);
	if (fclose(f))
		return -1;
	snprintf(path, sizeof(path), "%s/pack/pack-t.idx", objdir);
	if (!(f = fopen(path, "wb")))
		return -1;
	fwrite("\377tOc\0\0\0\2", 1, 8, f);
	for (uint32_t i = 0; i < n; i++)
		for (int j = ids[i][0]; j < 256; j++)
			fan[j]++;
	for (int j = 0; j < 256; j++) {
		b[0] = (unsigned char)(fan[j] >> 24), b[1] = (unsigned char)(fan[j] >> 16);
		b[2] = (unsigned char)(fan[j] >> 8), b[3] = (unsigned char)fan[j];
		fwrite(b, 1, 4, f);
	}
	for (uint32_t i = 0; i < n; i++)
		fwrite(ids[i], 1, 20, f);
	for (uint32_t i = 0; i < n; i++)
		fwrite(zero, 1, 4, f); /* CRCs */
	for (uint32_t i = 0; i < n; i++) {
		uint32_t o = offsets[i] >> 31 ? (uint32_t)(0x80000000u | n64++) : (uint32_t)offsets[i];

		b[0] = (unsigned char)(o >> 24), b[1] = (unsigned char)(o >> 16);
		b[2] = (unsigned char)(o >> 8), b[3] = (unsigned char)o;
		fwrite(b, 1, 4, f);
	}
	for (uint32_t i = 0; i < n; i++)
		if (offsets[i] >> 31) {
			for (int k = 0; k < 8; k++)
				b[k] = (unsigned char)(offsets[i] >> (56 - 8 * k));
			fwrite(b, 1, 8, f);
		}
	fwrite(zero, 1, 20, f);
	fwrite(zero, 1, 20, f);
	return fclose(f) ? -1 : 0;
}

#endif
