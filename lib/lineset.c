#include "lineset.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

/* ------------------------------------------------------------ SipHash-2-4 */

#define ROTL(x, b) (uint64_t)(((x) << (b)) | ((x) >> (64 - (b))))

static inline void sipround(uint64_t v[4])
{
	v[0] += v[1];
	v[1] = ROTL(v[1], 13);
	v[1] ^= v[0];
	v[0] = ROTL(v[0], 32);
	v[2] += v[3];
	v[3] = ROTL(v[3], 16);
	v[3] ^= v[2];
	v[0] += v[3];
	v[3] = ROTL(v[3], 21);
	v[3] ^= v[0];
	v[2] += v[1];
	v[1] = ROTL(v[1], 17);
	v[1] ^= v[2];
	v[2] = ROTL(v[2], 32);
}

static inline void compress(uint64_t v[4], uint64_t m)
{
	v[3] ^= m;
	sipround(v);
	sipround(v);
	v[0] ^= m;
}

static inline uint64_t load_le64(const unsigned char *p)
{
	return (uint64_t)p[0] | (uint64_t)p[1] << 8 | (uint64_t)p[2] << 16 | (uint64_t)p[3] << 24 |
	       (uint64_t)p[4] << 32 | (uint64_t)p[5] << 40 | (uint64_t)p[6] << 48 | (uint64_t)p[7] << 56;
}

static void sip_init(struct pg_line_hasher *lh, uint64_t k0, uint64_t k1)
{
	lh->v[0] = k0 ^ 0x736f6d6570736575ull;
	lh->v[1] = k1 ^ 0x646f72616e646f6dull;
	lh->v[2] = k0 ^ 0x6c7967656e657261ull;
	lh->v[3] = k1 ^ 0x7465646279746573ull;
	lh->tail = 0;
	lh->fed = 0;
}

static void sip_feed(struct pg_line_hasher *lh, const char *data, size_t len)
{
	const unsigned char *p = (const unsigned char *)data;
	unsigned nt = (unsigned)(lh->fed & 7);
	size_t i = 0;

	lh->fed += len;
	if (nt) {
		while (i < len && nt < 8)
			lh->tail |= (uint64_t)p[i++] << (8 * nt++);
		if (nt < 8)
			return;
		compress(lh->v, lh->tail);
		lh->tail = 0;
	}
	for (; i + 8 <= len; i += 8)
		compress(lh->v, load_le64(p + i));
	for (nt = 0; i < len; i++, nt++)
		lh->tail |= (uint64_t)p[i] << (8 * nt);
}

static uint64_t sip_final(const struct pg_line_hasher *lh)
{
	uint64_t v[4] = { lh->v[0], lh->v[1], lh->v[2], lh->v[3] };
	uint64_t b = lh->fed << 56 | lh->tail;

	compress(v, b);
	v[2] ^= 0xff;
	sipround(v);
	sipround(v);
	sipround(v);
	sipround(v);
	return v[0] ^ v[1] ^ v[2] ^ v[3];
}

uint64_t pg_lineset_siphash(uint64_t k0, uint64_t k1, const void *data, size_t len)
{
	struct pg_line_hasher lh;

	sip_init(&lh, k0, k1);
	sip_feed(&lh, data, len);
	return sip_final(&lh);
}

/* ------------------------------------------------------ the process's key */

static uint64_t key[2];
static pthread_once_t key_once = PTHREAD_ONCE_INIT;

static size_t random_bytes(unsigned char *buf, size_t n)
{
	size_t got = 0;
	int fd;

	while (got < n) {
		ssize_t r = getrandom(buf + got, n - got, 0);

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		got += (size_t)r;
	}
	if (got == n || (fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC)) < 0)
		return got;
	while (got < n) {
		ssize_t r = read(fd, buf + got, n - got);

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		got += (size_t)r;
	}
	close(fd);
	return got;
}

static void make_key(void)
{
	unsigned char k[16];

	if (random_bytes(k, sizeof(k)) < sizeof(k)) {
		/* No randomness from the kernel at all (it does not happen on a
		 * running Linux): the clocks, the process and where it was loaded
		 * still differ from run to run; lines held whole are compared by
		 * their bytes whatever the key. */
		struct { struct timespec mono, real; pid_t pid; const void *stack, *code; } seed;

		memset(&seed, 0, sizeof(seed));
		clock_gettime(CLOCK_MONOTONIC, &seed.mono);
		clock_gettime(CLOCK_REALTIME, &seed.real);
		seed.pid = getpid();
		seed.stack = &seed;
		seed.code = (const void *)make_key;
		key[0] = pg_lineset_siphash(0x0706050403020100ull, 0x0f0e0d0c0b0a0908ull, &seed, sizeof(seed));
		key[1] = pg_lineset_siphash(key[0], 0x0f0e0d0c0b0a0908ull, &seed, sizeof(seed));
		return;
	}
	key[0] = load_le64(k);
	key[1] = load_le64(k + 8);
}

/* ------------------------------------------------------------- line hashes */

void pg_line_hasher_init(struct pg_line_hasher *lh)
{
	pthread_once(&key_once, make_key);
	sip_init(lh, key[0], key[1]);
	lh->held_cr = false;
	lh->bytes = 0;
}

void pg_line_hasher_add(struct pg_line_hasher *lh, const char *p, size_t len)
{
	if (!len)
		return;
	if (lh->held_cr)
		sip_feed(lh, "\r", 1);
	lh->held_cr = p[len - 1] == '\r';
	sip_feed(lh, p, len - lh->held_cr);
	lh->bytes += len;
}

uint64_t pg_line_hasher_final(const struct pg_line_hasher *lh)
{
	uint64_t h = sip_final(lh);

	return h ? h : 1;
}

/* The line without a trailing '\r', and its hash. */
static uint64_t hash_line(const char *p, size_t *len)
{
	struct pg_line_hasher lh;

	if (*len && p[*len - 1] == '\r')
		(*len)--;
	pg_line_hasher_init(&lh);
	sip_feed(&lh, p, *len);
	return pg_line_hasher_final(&lh);
}

/* --------------------------------------------------------------- the set */

static int grow(struct pg_lineset *s)
{
	size_t cap = s->cap ? s->cap * 2 : 256;
	struct pg_lineset_slot *slots = calloc(cap, sizeof(*slots));

	if (!slots)
		return -1;
	for (size_t j = 0; j < s->cap; j++) {
		size_t i;

		if (!s->slots[j].hash)
			continue;
		for (i = s->slots[j].hash & (cap - 1); slots[i].hash; i = (i + 1) & (cap - 1))
			;
		slots[i] = s->slots[j];
	}
	free(s->slots);
	s->slots = slots;
	s->cap = cap;
	return 0;
}

static bool same_bytes(const struct pg_lineset *s, const struct pg_lineset_slot *x, const char *line,
		       size_t len)
{
	return x->len != PG_LINESET_HASH_ONLY && x->len == len && (!len || !memcmp(s->bytes + x->off, line, len));
}

/* Adds a line: with its bytes when line is not NULL, else by hash only. */
static int insert(struct pg_lineset *s, uint64_t h, const char *line, size_t len)
{
	struct pg_lineset_slot slot = { h, 0, PG_LINESET_HASH_ONLY };
	size_t i;

	if ((s->n + 1) * 2 > s->cap && grow(s) < 0)
		return -1;
	for (i = h & (s->cap - 1); s->slots[i].hash; i = (i + 1) & (s->cap - 1)) {
		const struct pg_lineset_slot *x = &s->slots[i];

		if (x->hash == h && (line ? same_bytes(s, x, line, len) : x->len == PG_LINESET_HASH_ONLY))
			return 0;
	}
	/* a line beyond what 32-bit offsets reach is kept by hash only */
	if (line && len < PG_LINESET_HASH_ONLY && s->nbytes + len < PG_LINESET_HASH_ONLY) {
		if (s->nbytes + len > s->abytes) {
			size_t a = s->abytes ? s->abytes : 4096;
			char *b;

			while (a < s->nbytes + len)
				a *= 2;
			if (!(b = realloc(s->bytes, a)))
				return -1;
			s->bytes = b;
			s->abytes = a;
		}
		if (len)
			memcpy(s->bytes + s->nbytes, line, len);
		slot.off = (uint32_t)s->nbytes;
		slot.len = (uint32_t)len;
		s->nbytes += len;
	}
	s->slots[i] = slot;
	s->n++;
	return 0;
}

int pg_lineset_add_text(struct pg_lineset *s, const char *data, size_t len)
{
	const char *p = data, *end = data + len;

	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p), k = n;
		uint64_t h = hash_line(p, &k);

		if (insert(s, h, p, k) < 0)
			return -1;
		p += n + 1;
	}
	return 0;
}

bool pg_lineset_has_hash(const struct pg_lineset *s, uint64_t h)
{
	if (!s->cap)
		return false;
	for (size_t i = h & (s->cap - 1); s->slots[i].hash; i = (i + 1) & (s->cap - 1))
		if (s->slots[i].hash == h)
			return true;
	return false;
}

bool pg_lineset_has(const struct pg_lineset *s, const char *line, size_t len)
{
	uint64_t h;

	if (!s->cap)
		return false;
	h = hash_line(line, &len);
	for (size_t i = h & (s->cap - 1); s->slots[i].hash; i = (i + 1) & (s->cap - 1)) {
		const struct pg_lineset_slot *x = &s->slots[i];

		if (x->hash == h && (x->len == PG_LINESET_HASH_ONLY || same_bytes(s, x, line, len)))
			return true;
	}
	return false;
}

int pg_lineset_add_piece(struct pg_lineset *s, struct pg_line_hasher *open, const char *data,
			 size_t len)
{
	const char *p = data, *end = data + len;

	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));

		if (!nl) {
			pg_line_hasher_add(open, p, (size_t)(end - p));
			break;
		}
		pg_line_hasher_add(open, p, (size_t)(nl - p));
		if (insert(s, pg_line_hasher_final(open), NULL, 0) < 0)
			return -1;
		pg_line_hasher_init(open);
		p = nl + 1;
	}
	return 0;
}

int pg_lineset_add_end(struct pg_lineset *s, struct pg_line_hasher *open)
{
	int rc = open->bytes ? insert(s, pg_line_hasher_final(open), NULL, 0) : 0;

	pg_line_hasher_init(open);
	return rc;
}

void pg_lineset_release(struct pg_lineset *s)
{
	free(s->slots);
	free(s->bytes);
	*s = (struct pg_lineset)PG_LINESET_INIT;
}
