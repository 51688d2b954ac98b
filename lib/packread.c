#include "packread.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "buf.h"
#include "deflate_loader.h"

/* ------------------------------------------------------------ the packs */

struct pack {
	int fd;
	uint64_t size;              /* of the .pack */
	unsigned char *idx;         /* the .idx, mapped */
	size_t idx_len;
	uint32_t n;                 /* objects */
	const unsigned char *fanout, *sha, *off32, *off64;
	size_t n64;
	uint64_t *sorted;           /* every object's offset, ascending, then the trailer's */
};

struct pg_packs {
	bool libdeflate;            /* readers inflate whole objects with libdeflate (deflate_loader.h) */
	struct pack *v;
	size_t n, alloc;
};

static uint32_t be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* The offset of the pack's i-th object (index order), or UINT64_MAX. */
static uint64_t nth_offset(const struct pack *k, uint32_t i)
{
	uint32_t o = be32(k->off32 + 4 * (size_t)i);

	if (!(o & 0x80000000u))
		return o;
	o &= 0x7fffffffu;
	if (o >= k->n64)
		return UINT64_MAX;
	return (uint64_t)be32(k->off64 + 8 * (size_t)o) << 32 | be32(k->off64 + 8 * (size_t)o + 4);
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static void pack_close(struct pack *k)
{
	if (k->fd >= 0)
		close(k->fd);
	if (k->idx)
		munmap(k->idx, k->idx_len);
	free(k->sorted);
}

/* Opens one pack by its index (version 2, SHA-1); 0 when it is usable. */
static int pack_load(struct pack *k, const char *idx_path)
{
	size_t plen = strlen(idx_path);
	char pack_path[4096];
	struct stat st;
	int fd;

	memset(k, 0, sizeof(*k));
	k->fd = -1;
	if (plen < 5 || plen >= sizeof(pack_path))
		return -1;
	memcpy(pack_path, idx_path, plen - 4);
	memcpy(pack_path + plen - 4, ".pack", 6);
	if ((fd = open(idx_path, O_RDONLY | O_CLOEXEC)) < 0)
		return -1;
	if (fstat(fd, &st) < 0 || st.st_size < 8 + 1024 + 40) {
		close(fd);
		return -1;
	}
	k->idx_len = (size_t)st.st_size;
	k->idx = mmap(NULL, k->idx_len, PROT_READ, MAP_PRIVATE, fd, 0);
	close(fd);
	if (k->idx == MAP_FAILED) {
		k->idx = NULL;
		return -1;
	}
	if (memcmp(k->idx, "\377tOc", 4) || be32(k->idx + 4) != 2)
		goto fail;
	k->fanout = k->idx + 8;
	k->n = be32(k->fanout + 4 * 255);
	for (int i = 1; i < 256; i++)
		if (be32(k->fanout + 4 * i) < be32(k->fanout + 4 * (i - 1)))
			goto fail;
	if (k->idx_len < 8 + 1024 + (size_t)k->n * 28 + 40)
		goto fail;
	k->sha = k->fanout + 1024;
	k->off32 = k->sha + (size_t)k->n * 20 + (size_t)k->n * 4; /* after the CRCs */
	k->off64 = k->off32 + (size_t)k->n * 4;
	k->n64 = (k->idx_len - 40 - (size_t)(k->off64 - k->idx)) / 8;
	if ((k->fd = open(pack_path, O_RDONLY | O_CLOEXEC)) < 0 || fstat(k->fd, &st) < 0 || st.st_size < 12 + 20)
		goto fail;
	k->size = (uint64_t)st.st_size;
	if (!(k->sorted = malloc(((size_t)k->n + 1) * sizeof(*k->sorted))))
		goto fail;
	for (uint32_t i = 0; i < k->n; i++)
		if ((k->sorted[i] = nth_offset(k, i)) < 12 || k->sorted[i] >= k->size - 20)
			goto fail;
	qsort(k->sorted, k->n, sizeof(*k->sorted), cmp_u64);
	k->sorted[k->n] = k->size - 20;
	return 0;
fail:
	pack_close(k);
	memset(k, 0, sizeof(*k));
	k->fd = -1;
	return -1;
}

static int add_dir(struct pg_packs *p, const char *objdir)
{
	struct pg_buf path = PG_BUF_INIT;
	struct dirent *de;
	DIR *d;
	int ret = 0;

	pg_buf_addf(&path, "%s/pack", objdir);
	if (pg_buf_failed(&path) || !(d = opendir(path.ptr))) {
		pg_buf_release(&path);
		return 0; /* no packs there */
	}
	while ((de = readdir(d))) {
		size_t nl = strlen(de->d_name), base = path.len;
		struct pack k;

		if (nl < 5 || strcmp(de->d_name + nl - 4, ".idx"))
			continue;
		pg_buf_addf(&path, "/%s", de->d_name);
		if (!pg_buf_failed(&path) && pack_load(&k, path.ptr) == 0) {
			if (p->n == p->alloc) {
				size_t na = p->alloc ? 2 * p->alloc : 8;
				struct pack *v = realloc(p->v, na * sizeof(*v));

				if (!v) {
					pack_close(&k);
					ret = -1;
					break;
				}
				p->v = v;
				p->alloc = na;
			}
			p->v[p->n++] = k;
		}
		path.len = base;
		path.ptr[base] = '\0';
	}
	closedir(d);
	pg_buf_release(&path);
	return ret;
}

int pg_packs_open(struct pg_packs **out, const char *gitdir, const char *objdir, struct pg_error *err)
{
	struct pg_packs *p = calloc(1, sizeof(*p));
	struct pg_buf own = PG_BUF_INIT;

	*out = NULL;
	if (!p)
		return pg_error_oom(err);
	pg_buf_addf(&own, "%s%sobjects", gitdir, gitdir[0] && gitdir[strlen(gitdir) - 1] == '/' ? "" : "/");
	if (pg_buf_failed(&own) || add_dir(p, objdir ? objdir : own.ptr) < 0) {
		pg_buf_release(&own);
		pg_packs_free(p);
		return pg_error_oom(err);
	}
	pg_buf_release(&own);
	if (!p->n) {
		pg_packs_free(p);
		return 0;
	}
	/* before any reader (or thread) exists; without it, zlib does the work */
	{
		struct pg_error ignored = PG_ERROR_INIT;

		p->libdeflate = pg_deflate_load(&ignored) == 0;
	}
	*out = p;
	return 0;
}

void pg_packs_zlib_only(struct pg_packs *p)
{
	p->libdeflate = false;
}

void pg_packs_free(struct pg_packs *p)
{
	if (!p)
		return;
	for (size_t i = 0; i < p->n; i++)
		pack_close(&p->v[i]);
	free(p->v);
	free(p);
}

static int find_in(const struct pack *k, const unsigned char *id, uint64_t *offset)
{
	uint32_t lo = id[0] ? be32(k->fanout + 4 * (id[0] - 1)) : 0, hi = be32(k->fanout + 4 * id[0]);

	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;
		int c = memcmp(k->sha + 20 * (size_t)mid, id, 20);

		if (!c) {
			*offset = nth_offset(k, mid);
			return *offset != UINT64_MAX;
		}
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return 0;
}

int pg_packs_find(const struct pg_packs *p, const git_oid *id, struct pg_pack_pos *pos)
{
	for (size_t i = 0; p && i < p->n; i++)
		if (find_in(&p->v[i], id->id, &pos->offset)) {
			pos->pack = (uint32_t)i;
			return 1;
		}
	return 0;
}

/* Where the entry at offset ends: the next object's offset (or the trailer);
 * 0 when no object starts at offset (an OFS_DELTA's base inside another
 * entry, where the bytes could make any object). */
static uint64_t entry_end(const struct pack *k, uint64_t offset)
{
	size_t lo = 0, hi = k->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (k->sorted[mid] <= offset)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (!lo || k->sorted[lo - 1] != offset)
		return 0;
	return k->sorted[lo]; /* lo <= n: sorted[n] is the trailer */
}

/* ------------------------------------------------------------ a reader */

#define CACHE_SLOTS 256
#define NIL ((uint16_t)CACHE_SLOTS) /* no slot */
/* Bytes read at once (bytes_at): at most, reading forward through a pack;
 * at first, where objects are read here and there */
#define READ_AHEAD ((size_t)64 << 10)
#define READ_SMALL ((size_t)4 << 10) /* a page */
#define TYPE_SLOTS 4096

struct cached {
	git_object_t type;
	char *data;          /* NULL: a free slot */
	size_t len;
};

/* A cache slot's key: the pack (below 2^16) and the offset (below 2^48) in
 * one word, 0 for a free slot (no entry starts at offset 0); objects of other
 * packs or offsets are not cached. */
#define CACHE_KEY(pack, offset) ((uint64_t)(pack) << 48 | (offset))

struct step {
	uint64_t offset;
};

struct entry {
	git_object_t type;  /* of the entry: an object type, or OFS/REF delta */
	size_t size;        /* inflated */
	uint64_t base;      /* deltas: the base's offset */
	size_t hdr;         /* bytes before the compressed data */
	uint64_t end;       /* where the entry ends (entry_end) */
};

/* Entry headers read last, by offset: a delta chain is walked down to a
 * cached object at every read of one of its objects, and a tree's chain is
 * walked again for every commit that reads a version of it. */
#define HEAD_SLOTS 8192

struct head {
	uint64_t offset;
	uint32_t pack;
	struct entry e;     /* e.end 0: an empty slot */
};

struct pg_pack_reader {
	const struct pg_packs *p;
	z_stream z;
	bool z_ready;
	struct libdeflate_decompressor *dd; /* whole objects, when the packs use libdeflate */
	unsigned char *win;       /* read ahead: win_len bytes of pack win_pack from win_offset */
	size_t win_len;
	uint32_t win_pack;
	uint64_t win_offset;
	unsigned char *big;       /* an entry larger than the window */
	size_t big_alloc;
	const unsigned char *cur; /* the entry load_entry() read last, in win or big */
	unsigned char *delta;     /* one delta, inflated */
	size_t delta_alloc;
	struct step *chain;
	size_t chain_alloc;
	struct cached cache[CACHE_SLOTS];
	uint64_t keys[CACHE_SLOTS];   /* searched apart, a word a slot: every read asks */
	/* the slots in use, most recently used first (NIL ends), and the free ones */
	uint16_t newer[CACHE_SLOTS], older[CACHE_SLOTS], newest, oldest;
	uint16_t free_slots[CACHE_SLOTS], nfree;
	struct { uint64_t offset; uint32_t pack; git_object_t type; } types[TYPE_SLOTS]; /* bases' types */
	struct head heads[HEAD_SLOTS];
	size_t cache_bytes;
	char *out;                /* the last object, when too large to cache */
};

int pg_pack_reader_new(struct pg_pack_reader **out, const struct pg_packs *p, struct pg_error *err)
{
	struct pg_pack_reader *r = calloc(1, sizeof(*r));

	*out = NULL;
	if (!r)
		return pg_error_oom(err);
	r->p = p;
	r->newest = r->oldest = NIL;
	for (size_t i = 0; i < CACHE_SLOTS; i++)
		r->free_slots[r->nfree++] = (uint16_t)(CACHE_SLOTS - 1 - i);
	if (inflateInit(&r->z) != Z_OK) {
		free(r);
		return pg_error_oom(err);
	}
	r->z_ready = true;
	if (p->libdeflate && !(r->dd = pg_deflate.alloc_decompressor())) {
		pg_pack_reader_free(r);
		return pg_error_oom(err);
	}
	*out = r;
	return 0;
}

void pg_pack_reader_free(struct pg_pack_reader *r)
{
	if (!r)
		return;
	if (r->z_ready)
		inflateEnd(&r->z);
	if (r->dd)
		pg_deflate.free_decompressor(r->dd);
	for (size_t i = 0; i < CACHE_SLOTS; i++)
		free(r->cache[i].data);
	free(r->win);
	free(r->big);
	free(r->delta);
	free(r->chain);
	free(r->out);
	free(r);
}

static void lru_unlink(struct pg_pack_reader *r, uint16_t i)
{
	if (r->newer[i] != NIL)
		r->older[r->newer[i]] = r->older[i];
	else
		r->newest = r->older[i];
	if (r->older[i] != NIL)
		r->newer[r->older[i]] = r->newer[i];
	else
		r->oldest = r->newer[i];
}

static void lru_push(struct pg_pack_reader *r, uint16_t i)
{
	r->newer[i] = NIL;
	r->older[i] = r->newest;
	if (r->newest != NIL)
		r->newer[r->newest] = i;
	else
		r->oldest = i;
	r->newest = i;
}

static struct cached *cache_get(struct pg_pack_reader *r, uint32_t pack, uint64_t offset)
{
	uint64_t key = CACHE_KEY(pack, offset);

	for (uint16_t i = 0; i < CACHE_SLOTS; i++)
		if (r->keys[i] == key) {
			lru_unlink(r, i);
			lru_push(r, i);
			return &r->cache[i];
		}
	return NULL;
}

/* Keeps data (taking it) as the object at (pack, offset), evicting the
 * least recently used; returns the slot, or NULL when data is too large to
 * keep (the caller still owns it). */
static struct cached *cache_put(struct pg_pack_reader *r, uint32_t pack, uint64_t offset, git_object_t type,
				char *data, size_t len)
{
	uint16_t i;

	if (len > PG_PACK_CACHE_BYTES / 4 || pack >> 16 || offset >> 48)
		return NULL;
	while (!r->nfree || r->cache_bytes + len > PG_PACK_CACHE_BYTES) {
		if ((i = r->oldest) == NIL)
			return NULL;
		lru_unlink(r, i);
		r->cache_bytes -= r->cache[i].len;
		free(r->cache[i].data);
		r->cache[i].data = NULL;
		r->keys[i] = 0;
		r->free_slots[r->nfree++] = i;
	}
	i = r->free_slots[--r->nfree];
	r->cache[i] = (struct cached){ type, data, len };
	r->keys[i] = CACHE_KEY(pack, offset);
	lru_push(r, i);
	r->cache_bytes += len;
	return &r->cache[i];
}

/* Reads up to n bytes at offset; fewer only at the end of the file. Returns
 * how many, or -1. */
static ssize_t read_upto(const struct pack *k, unsigned char *buf, size_t n, uint64_t offset)
{
	size_t got = 0;

	while (got < n) {
		ssize_t rc = pread(k->fd, buf + got, n - got, (off_t)(offset + got));

		if (rc < 0 && errno == EINTR)
			continue;
		if (rc < 0)
			return -1;
		if (rc == 0)
			break;
		got += (size_t)rc;
	}
	return (ssize_t)got;
}

/* n bytes of pack at offset, valid until the next call: from the read-ahead
 * window when it holds them; else read into it from offset, more each time
 * when reading forward (objects read in pack order: one read serves many),
 * else to the end of its page, or n; more than a window holds go to r->big. NULL when the
 * pack has no such bytes. */
static const unsigned char *bytes_at(struct pg_pack_reader *r, uint32_t pack, uint64_t offset, size_t n)
{
	const struct pack *k = &r->p->v[pack];
	size_t want;
	ssize_t got;

	if (r->win_len && pack == r->win_pack && offset >= r->win_offset &&
	    offset - r->win_offset <= r->win_len && n <= r->win_len - (size_t)(offset - r->win_offset))
		return r->win + (offset - r->win_offset);
	if (n > READ_AHEAD) {
		if (n > r->big_alloc) {
			unsigned char *b = realloc(r->big, n);

			if (!b)
				return NULL;
			r->big = b;
			r->big_alloc = n;
		}
		return read_upto(k, r->big, n, offset) == (ssize_t)n ? r->big : NULL;
	}
	/* reading forward, just past the window: twice as much as last time (at
	 * least 16 KiB), up to READ_AHEAD (a pack read in order gets there at
	 * once, a delta chain followed upwards does not); else the rest of the
	 * page: a header, or a small object (the kernel copies what is asked) */
	if (r->win_len && pack == r->win_pack && offset >= r->win_offset &&
	    offset - r->win_offset < r->win_len + READ_AHEAD) {
		want = 2 * r->win_len;
		want = want < 4 * READ_SMALL ? 4 * READ_SMALL : want > READ_AHEAD ? READ_AHEAD : want;
	} else {
		want = READ_SMALL - (size_t)(offset % READ_SMALL);
	}
	if (want < n)
		want = n;
	if (!r->win && !(r->win = malloc(READ_AHEAD)))
		return NULL;
	r->win_len = 0;
	if ((got = read_upto(k, r->win, want, offset)) < (ssize_t)n)
		return NULL;
	r->win_pack = pack;
	r->win_offset = offset;
	r->win_len = (size_t)got;
	return r->win;
}

/* Parses the entry header in buf (n bytes, read at offset). */
static int parse_entry(const struct pg_packs *p, uint32_t pack, const unsigned char *buf, size_t n,
		       uint64_t offset, struct entry *e)
{
	size_t i = 0, shift = 4;
	unsigned c;

	if (!n)
		return -1;
	c = buf[i++];
	e->type = (git_object_t)((c >> 4) & 7);
	e->size = c & 15;
	while (c & 0x80) {
		if (i >= n || shift > 57)
			return -1;
		c = buf[i++];
		e->size += (size_t)(c & 0x7f) << shift;
		shift += 7;
	}
	if (e->type == GIT_OBJECT_OFS_DELTA) {
		uint64_t ofs;

		if (i >= n)
			return -1;
		c = buf[i++];
		ofs = c & 127;
		while (c & 128) {
			if (i >= n || ofs >= (UINT64_MAX >> 8))
				return -1;
			c = buf[i++];
			ofs = ((ofs + 1) << 7) + (c & 127);
		}
		if (!ofs || ofs > offset)
			return -1;
		e->base = offset - ofs;
	} else if (e->type == GIT_OBJECT_REF_DELTA) {
		if (i + 20 > n || !find_in(&p->v[pack], buf + i, &e->base))
			return -1; /* a base in another pack (a thin pack): libgit2's to read */
		i += 20;
	} else if (e->type < GIT_OBJECT_COMMIT || e->type > GIT_OBJECT_TAG) {
		return -1;
	}
	e->hdr = i;
	return 0;
}

/* Only the header of the entry at offset. */
static int peek_entry(struct pg_pack_reader *r, uint32_t pack, uint64_t offset, struct entry *e)
{
	struct head *h = &r->heads[(size_t)(offset * 0x9e3779b97f4a7c15ull >> 40) % HEAD_SLOTS];
	uint64_t end;
	size_t n;
	const unsigned char *b;

	if (h->e.end && h->offset == offset && h->pack == pack) {
		*e = h->e;
		return 0;
	}
	end = entry_end(&r->p->v[pack], offset);
	n = end - offset < 32 ? (size_t)(end - offset) : 32;
	if (end <= offset || !(b = bytes_at(r, pack, offset, n)) || parse_entry(r->p, pack, b, n, offset, e) < 0)
		return -1;
	e->end = end;
	h->offset = offset;
	h->pack = pack;
	h->e = *e;
	return 0;
}

/* Reads the entry at offset whole (r->cur) and parses its header. */
static int load_entry(struct pg_pack_reader *r, uint32_t pack, uint64_t offset, struct entry *e, size_t *total)
{
	size_t n;

	if (peek_entry(r, pack, offset, e) < 0 || e->end - offset > PG_PACK_MAX_OBJECT + 4096 ||
	    e->size > PG_PACK_MAX_OBJECT)
		return -1;
	n = (size_t)(e->end - offset);
	if (!(r->cur = bytes_at(r, pack, offset, n)))
		return -1;
	*total = n;
	return 0;
}

/* Inflates in[0..n) into out, exactly size bytes: with libdeflate when the
 * reader has it (the whole stream at once), else with zlib. */
static int inflate_exact(struct pg_pack_reader *r, const unsigned char *in, size_t n, unsigned char *out,
			 size_t size)
{
	int rc;

	if (r->dd) {
		size_t used_in, used_out;

		return pg_deflate.zlib_decompress_ex(r->dd, in, n, out, size, &used_in, &used_out) == LIBDEFLATE_SUCCESS &&
		       used_out == size ? 0 : -1;
	}
	if (inflateReset(&r->z) != Z_OK)
		return -1;
	r->z.next_in = (unsigned char *)(uintptr_t)in;
	r->z.avail_in = (uInt)n;
	r->z.next_out = out;
	r->z.avail_out = (uInt)size;
	rc = inflate(&r->z, Z_FINISH);
	if (rc == Z_BUF_ERROR && size == 0 && r->z.avail_out == 0) {
		/* an empty object: the stream must still end */
		unsigned char dummy;

		r->z.next_out = &dummy;
		r->z.avail_out = 1;
		rc = inflate(&r->z, Z_FINISH);
		if (r->z.avail_out != 1)
			return -1;
	}
	return rc == Z_STREAM_END && r->z.total_out == size ? 0 : -1;
}

static int varint(const unsigned char **p, const unsigned char *end, size_t *out)
{
	size_t v = 0, shift = 0;
	unsigned c;

	do {
		if (*p >= end || shift > 57)
			return -1;
		c = *(*p)++;
		v |= (size_t)(c & 0x7f) << shift;
		shift += 7;
	} while (c & 0x80);
	*out = v;
	return 0;
}

/* git's delta format: the base's size, the result's, then copy and insert
 * instructions. Returns the result (NUL-terminated), or NULL. */
static char *apply_delta(const char *base, size_t base_len, const unsigned char *d, size_t dlen, size_t *out_len)
{
	const unsigned char *p = d, *end = d + dlen;
	size_t src, dst, at = 0;
	char *out;

	if (varint(&p, end, &src) < 0 || varint(&p, end, &dst) < 0 || src != base_len || dst > PG_PACK_MAX_OBJECT ||
	    !(out = malloc(dst + 1)))
		return NULL;
	while (p < end) {
		unsigned op = *p++;

		if (op & 0x80) {
			size_t off = 0, sz = 0;

			for (int b = 0; b < 4; b++)
				if (op & (1u << b)) {
					if (p >= end)
						goto bad;
					off |= (size_t)*p++ << (8 * b);
				}
			for (int b = 0; b < 3; b++)
				if (op & (0x10u << b)) {
					if (p >= end)
						goto bad;
					sz |= (size_t)*p++ << (8 * b);
				}
			if (!sz)
				sz = 0x10000;
			if (off > base_len || sz > base_len - off || sz > dst - at)
				goto bad;
			memcpy(out + at, base + off, sz);
			at += sz;
		} else if (op) {
			if (op > (size_t)(end - p) || op > dst - at)
				goto bad;
			memcpy(out + at, p, op);
			p += op;
			at += op;
		} else {
			goto bad;
		}
	}
	if (at != dst)
		goto bad;
	out[dst] = '\0';
	*out_len = dst;
	return out;
bad:
	free(out);
	return NULL;
}

/* The type of the object at offset: its delta chain's base's. */
static int chain_type(struct pg_pack_reader *r, uint32_t pack, uint64_t offset, git_object_t *type)
{
	uint64_t off = offset;
	size_t depth = 0, slot = (size_t)(offset * 0x9e3779b97f4a7c15ull >> 52) % TYPE_SLOTS;
	struct entry e;

	for (;;) {
		size_t s = (size_t)(off * 0x9e3779b97f4a7c15ull >> 52) % TYPE_SLOTS;

		if (r->types[s].type && r->types[s].offset == off && r->types[s].pack == pack) {
			*type = r->types[s].type;
			break;
		}
		if (peek_entry(r, pack, off, &e) < 0)
			return -1;
		if (e.type != GIT_OBJECT_OFS_DELTA && e.type != GIT_OBJECT_REF_DELTA) {
			*type = e.type;
			break;
		}
		if (++depth > 100000)
			return -1; /* a cycle of ref deltas */
		off = e.base;
	}
	r->types[slot].offset = offset;
	r->types[slot].pack = pack;
	r->types[slot].type = *type;
	return 0;
}

int pg_pack_read_header(struct pg_pack_reader *r, const struct pg_pack_pos *pos, size_t *size,
			git_object_t *type, struct pg_error *err)
{
	unsigned char out[32];
	const unsigned char *p;
	struct entry e;
	size_t n, src;
	int rc;

	if (pos->pack >= r->p->n || peek_entry(r, pos->pack, pos->offset, &e) < 0)
		goto bad;
	if (e.type != GIT_OBJECT_OFS_DELTA && e.type != GIT_OBJECT_REF_DELTA) {
		*size = e.size;
		*type = e.type;
		return 0;
	}
	/* a delta starts with the base's size and the result's: inflate that
	 * much, from its first bytes (a block's code tables come first: 512
	 * bytes hold them; a stream that needs more is left to libgit2) */
	n = e.end - pos->offset < 512 ? (size_t)(e.end - pos->offset) : 512;
	if (n <= e.hdr)
		goto bad;
	if (!(p = bytes_at(r, pos->pack, pos->offset, n)) || inflateReset(&r->z) != Z_OK)
		goto bad;
	r->z.next_in = (unsigned char *)(uintptr_t)(p + e.hdr);
	r->z.avail_in = (uInt)(n - e.hdr);
	r->z.next_out = out;
	r->z.avail_out = (uInt)(e.size < sizeof(out) ? e.size : sizeof(out));
	rc = inflate(&r->z, Z_SYNC_FLUSH);
	if (rc != Z_OK && rc != Z_STREAM_END && rc != Z_BUF_ERROR)
		goto bad;
	p = out;
	if (varint(&p, r->z.next_out, &src) < 0 || varint(&p, r->z.next_out, size) < 0 ||
	    chain_type(r, pos->pack, e.base, type) < 0)
		goto bad;
	return 0;
bad:
	return pg_error_set(err, PG_ERR, "cannot read the header of the object at offset %llu of a pack directly",
			    (unsigned long long)pos->offset);
}

int pg_pack_read(struct pg_pack_reader *r, const struct pg_pack_pos *pos, const char **data, size_t *len,
		 git_object_t *type, struct pg_error *err)
{
	const struct cached *base = NULL;
	uint64_t off = pos->offset;
	size_t depth = 0, n;
	const char *cur = NULL;
	size_t cur_len = 0;
	git_object_t cur_type = GIT_OBJECT_INVALID;
	char *owned = NULL; /* cur, when it is not in the cache */
	struct entry e;

	free(r->out);
	r->out = NULL;
	if (pos->pack >= r->p->n)
		goto bad;
	/* down the chain to a cached object or a whole one */
	for (;;) {
		if ((base = cache_get(r, pos->pack, off)))
			break;
		if (peek_entry(r, pos->pack, off, &e) < 0)
			goto bad;
		if (e.type != GIT_OBJECT_OFS_DELTA && e.type != GIT_OBJECT_REF_DELTA)
			break;
		if (depth == r->chain_alloc) {
			size_t na = r->chain_alloc ? 2 * r->chain_alloc : 64;
			struct step *v = na > 100000 ? NULL : realloc(r->chain, na * sizeof(*v));

			if (!v)
				goto bad; /* no delta chain is this long: a cycle of ref deltas */
			r->chain = v;
			r->chain_alloc = na;
		}
		r->chain[depth++].offset = off;
		off = e.base;
	}
	if (base) {
		cur = base->data;
		cur_len = base->len;
		cur_type = base->type;
	} else {
		char *obj;

		if (load_entry(r, pos->pack, off, &e, &n) < 0 || !(obj = malloc(e.size + 1)))
			goto bad;
		if (inflate_exact(r, r->cur + e.hdr, n - e.hdr, (unsigned char *)obj, e.size) < 0) {
			free(obj);
			goto bad;
		}
		obj[e.size] = '\0';
		cur_type = e.type;
		cur_len = e.size;
		cur = obj;
		if (!(base = cache_put(r, pos->pack, off, cur_type, obj, e.size)))
			owned = obj;
	}
	/* then up, applying each delta */
	while (depth > 0) {
		uint64_t at = r->chain[--depth].offset;
		char *obj;
		size_t obj_len;

		if (load_entry(r, pos->pack, at, &e, &n) < 0)
			goto bad;
		if (e.size > r->delta_alloc) {
			unsigned char *b = realloc(r->delta, e.size + 1);

			if (!b)
				goto bad;
			r->delta = b;
			r->delta_alloc = e.size + 1;
		}
		if (inflate_exact(r, r->cur + e.hdr, n - e.hdr, r->delta, e.size) < 0 ||
		    !(obj = apply_delta(cur, cur_len, r->delta, e.size, &obj_len)))
			goto bad;
		free(owned);
		owned = NULL;
		cur = obj;
		cur_len = obj_len;
		if (!(base = cache_put(r, pos->pack, at, cur_type, obj, obj_len)))
			owned = obj;
	}
	r->out = owned;
	*data = cur;
	*len = cur_len;
	*type = cur_type;
	return 0;
bad:
	free(owned);
	return pg_error_set(err, PG_ERR, "cannot read the object at offset %llu of a pack directly",
			    (unsigned long long)pos->offset);
}
