/* See fnv_collide.h. Built into the unit tests' helper library, and on its
 * own (cc -DFNV_COLLIDE_MAIN) by the end-to-end test that pushes the attack:
 *     fnv-collide PREFIX_A PREFIX_B   ->  two lines on stdout, same old hash */
#include "fnv_collide.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FNV_P 0x100000001b3ull
#define FNV_BASIS 0xcbf29ce484222325ull
#define EPS 63                       /* |eps_k| at most this */
#define SIDE (2 * EPS + 1)
#define NLISTS (FNV_COLLIDE_N / 2)   /* 16 lists of two positions each */
#define MAX_ENTRIES ((size_t)1 << 18) /* per merged list: a bound, far above what is expected */

static uint64_t fnv(uint64_t h, const unsigned char *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		h = (h ^ p[i]) * FNV_P;
	return h;
}

uint64_t fnv_old_line_hash(const char *p, size_t len)
{
	uint64_t h;

	if (len && p[len - 1] == '\r')
		len--;
	h = fnv(FNV_BASIS, (const unsigned char *)p, len);
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdull;
	h ^= h >> 33;
	return h ? h : 1;
}

struct ent {
	uint64_t v;
	uint32_t l, r; /* where it came from: entries of the two lists below (level 0: eps + EPS) */
};

struct list {
	struct ent *e;
	size_t n;
};

struct key {
	uint64_t k;
	uint32_t i;
};

static int by_key(const void *a, const void *b)
{
	const struct key *x = a, *y = b;

	return x->k < y->k ? -1 : x->k > y->k;
}

/* The sums a + b of entries of A and B whose low `bits` bits are zero. */
static int merge(struct list *out, const struct list *A, const struct list *B, unsigned bits)
{
	uint64_t mask = bits >= 64 ? ~0ull : (1ull << bits) - 1;
	struct key *keys = malloc((B->n ? B->n : 1) * sizeof(*keys));
	size_t alloc = 1024;

	out->n = 0;
	out->e = malloc(alloc * sizeof(*out->e));
	if (!keys || !out->e) {
		free(keys);
		return -1;
	}
	for (size_t j = 0; j < B->n; j++)
		keys[j] = (struct key){ (0 - B->e[j].v) & mask, (uint32_t)j };
	qsort(keys, B->n, sizeof(*keys), by_key);
	for (size_t i = 0; i < A->n && out->n < MAX_ENTRIES; i++) {
		uint64_t k = A->e[i].v & mask;
		size_t lo = 0, hi = B->n;

		while (lo < hi) {
			size_t mid = lo + (hi - lo) / 2;

			if (keys[mid].k < k)
				lo = mid + 1;
			else
				hi = mid;
		}
		for (; lo < B->n && keys[lo].k == k && out->n < MAX_ENTRIES; lo++) {
			if (out->n == alloc) {
				struct ent *e = realloc(out->e, 2 * alloc * sizeof(*e));

				if (!e) {
					free(keys);
					return -1;
				}
				out->e = e;
				alloc *= 2;
			}
			out->e[out->n++] = (struct ent){ A->e[i].v + B->e[keys[lo].i].v, (uint32_t)i, keys[lo].i };
		}
	}
	free(keys);
	return 0;
}

/* levels[0] has NLISTS lists, levels[1] half as many, ... levels[4] one. */
struct tree {
	struct list levels[5][NLISTS];
};

static void eps_of(const struct tree *t, int level, size_t list, uint32_t idx, int *eps)
{
	const struct ent *e = &t->levels[level][list].e[idx];

	if (level == 0) {
		eps[2 * list] = (int)e->l - EPS;
		eps[2 * list + 1] = (int)e->r - EPS;
		return;
	}
	eps_of(t, level - 1, 2 * list, e->l, eps);
	eps_of(t, level - 1, 2 * list + 1, e->r, eps);
}

static bool allowed(unsigned c)
{
	return c >= 0x20 && c != 0x7f && c <= 0xff;
}

/* Bytes for each eps_k, from states s and t on: two texts that end equal. */
static int realize(const int *eps, uint64_t s, uint64_t t, unsigned char *xa, unsigned char *xb)
{
	for (int k = 0; k < FNV_COLLIDE_N; k++) {
		unsigned ls = (unsigned)(s & 0xff), lt = (unsigned)(t & 0xff);
		int best = -1, bx = 0, by = 0;

		for (unsigned x = 0x20; x <= 0xff; x++) {
			int u = (int)(ls ^ x) - (int)ls, z = (int)lt + u - eps[k], d;
			unsigned y;

			if (!allowed(x) || z < 0 || z > 255 || !allowed(y = lt ^ (unsigned)z))
				continue;
			/* keep the next low bytes close: the next eps stays reachable */
			d = abs((int)(((s ^ x) * FNV_P) & 0xff) - (int)(((t ^ y) * FNV_P) & 0xff));
			if (best < 0 || d < best) {
				best = d;
				bx = (int)x;
				by = (int)y;
			}
		}
		if (best < 0)
			return -1;
		xa[k] = (unsigned char)bx;
		xb[k] = (unsigned char)by;
		s = (s ^ (unsigned)bx) * FNV_P;
		t = (t ^ (unsigned)by) * FNV_P;
	}
	return s == t ? 0 : -1;
}

int fnv_collide(const char *a, const char *b, unsigned char *xa, unsigned char *xb)
{
	static const unsigned bits[] = { 14, 28, 42, 64 };
	uint64_t s0 = fnv(FNV_BASIS, (const unsigned char *)a, strlen(a));
	uint64_t t0 = fnv(FNV_BASIS, (const unsigned char *)b, strlen(b));
	uint64_t w[FNV_COLLIDE_N], target, pn1 = 1;
	struct tree *t = calloc(1, sizeof(*t));
	int ret = -1;

	if (!t)
		return -1;
	/* w_k = P^(n-1-k); target = (t0 - s0) * P^(n-1) */
	for (int k = FNV_COLLIDE_N - 1; k >= 0; k--) {
		w[k] = pn1;
		if (k)
			pn1 *= FNV_P;
	}
	target = (t0 - s0) * pn1;
	for (size_t i = 0; i < NLISTS; i++) {
		struct list *L = &t->levels[0][i];

		if (!(L->e = malloc(SIDE * SIDE * sizeof(*L->e))))
			goto out;
		for (int e1 = -EPS; e1 <= EPS; e1++)
			for (int e2 = -EPS; e2 <= EPS; e2++)
				L->e[L->n++] = (struct ent){ (uint64_t)(int64_t)e1 * w[2 * i] +
							     (uint64_t)(int64_t)e2 * w[2 * i + 1] - (i ? 0 : target),
							     (uint32_t)(e1 + EPS), (uint32_t)(e2 + EPS) };
	}
	for (int level = 1; level <= 4; level++)
		for (size_t i = 0; i < (size_t)(NLISTS >> level); i++)
			if (merge(&t->levels[level][i], &t->levels[level - 1][2 * i], &t->levels[level - 1][2 * i + 1],
				  bits[level - 1]) < 0)
				goto out;
	for (size_t i = 0; i < t->levels[4][0].n && ret < 0; i++) {
		int eps[FNV_COLLIDE_N];

		eps_of(t, 4, 0, (uint32_t)i, eps);
		ret = realize(eps, s0, t0, xa, xb);
	}
out:
	for (int level = 0; level <= 4; level++)
		for (size_t i = 0; i < NLISTS; i++)
			free(t->levels[level][i].e);
	free(t);
	return ret;
}

#ifdef FNV_COLLIDE_MAIN
int main(int argc, char **argv)
{
	unsigned char xa[FNV_COLLIDE_N], xb[FNV_COLLIDE_N];
	size_t la, lb;
	char *sa, *sb;

	if (argc != 3) {
		fprintf(stderr, "usage: fnv-collide PREFIX_A PREFIX_B\n");
		return 2;
	}
	if (fnv_collide(argv[1], argv[2], xa, xb) < 0) {
		fprintf(stderr, "fnv-collide: no collision found\n");
		return 1;
	}
	la = strlen(argv[1]);
	lb = strlen(argv[2]);
	sa = malloc(la + FNV_COLLIDE_N);
	sb = malloc(lb + FNV_COLLIDE_N);
	if (!sa || !sb)
		return 1;
	memcpy(sa, argv[1], la);
	memcpy(sa + la, xa, FNV_COLLIDE_N);
	memcpy(sb, argv[2], lb);
	memcpy(sb + lb, xb, FNV_COLLIDE_N);
	if (fnv_old_line_hash(sa, la + FNV_COLLIDE_N) != fnv_old_line_hash(sb, lb + FNV_COLLIDE_N) ||
	    (la == lb && !memcmp(sa, sb, la + FNV_COLLIDE_N))) {
		fprintf(stderr, "fnv-collide: internal error: not a collision\n");
		return 1;
	}
	fwrite(sa, 1, la + FNV_COLLIDE_N, stdout);
	putchar('\n');
	fwrite(sb, 1, lb + FNV_COLLIDE_N, stdout);
	putchar('\n');
	free(sa);
	free(sb);
	return 0;
}
#endif
