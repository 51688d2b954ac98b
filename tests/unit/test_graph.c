/* Unit tests for lib/graph.c: the commit graph walk (git rev-list TIPS --not
 * HIDDEN) and ancestry, checked against brute force on random histories,
 * with and without skewed clocks, some commits malformed. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <git2.h>

#include "budget.h"
#include "clock.h"
#include "graph.h"
#include "repo_fixture.h"

#define N 160
#define T40 "4b825dc642cb6eb9a060e54bf8d69288fbee4904"

struct history {
	char hex[N][41];
	git_oid id[N];
	int parents[N][3];
	int nparents[N];
};

static int setup(void **state)
{
	struct repo_fx *fx = malloc(sizeof(*fx));

	if (!fx || repo_fx_init(fx, "graph") < 0) {
		free(fx);
		return -1;
	}
	*state = fx;
	return 0;
}

static int teardown(void **state)
{
	repo_fx_release(*state);
	free(*state);
	return 0;
}

static uint64_t rng;

static unsigned rnd(unsigned n)
{
	rng = rng * 6364136223846793005ULL + 1442695040888963407ULL;
	return (unsigned)((rng >> 33) % n);
}

/* A random history of N commits, commit i's parents among the earlier ones.
 * skew: dates are random instead of growing with i. Every seventh commit is
 * malformed (no author line): git walks it, so must the graph. */
static void make_history(struct repo_fx *fx, struct history *h, bool skew)
{
	for (int i = 0; i < N; i++) {
		char buf[1024];
		int n = 0, np = i == 0 ? 0 : (int)rnd(i < 3 ? 2 : 4);
		int64_t date = skew ? 1700000000 + (int64_t)rnd(100000) : 1700000000 + i * 60;

		if (np > 2)
			np = 1; /* mostly one parent */
		h->nparents[i] = np;
		n += snprintf(buf + n, sizeof(buf) - (size_t)n, "tree " T40 "\n");
		for (int k = 0; k < np; k++) {
			h->parents[i][k] = (int)rnd((unsigned)i);
			n += snprintf(buf + n, sizeof(buf) - (size_t)n, "parent %s\n", h->hex[h->parents[i][k]]);
		}
		if (i % 7 != 3)
			n += snprintf(buf + n, sizeof(buf) - (size_t)n, "author A <a@x> %lld +0000\n", (long long)date);
		n += snprintf(buf + n, sizeof(buf) - (size_t)n, "committer C <c@x> %lld +0000\n\ncommit %d\n",
			      (long long)date, i);
		fx_object(fx, "commit", buf, (size_t)n, h->hex[i]);
		assert_int_equal(git_oid_fromstr(&h->id[i], h->hex[i]), 0);
	}
}

static void reach(const struct history *h, const int *from, int nfrom, bool *out)
{
	int stack[N * 3], n = 0;

	memset(out, 0, N * sizeof(*out));
	for (int i = 0; i < nfrom; i++)
		stack[n++] = from[i];
	while (n) {
		int c = stack[--n];

		if (out[c])
			continue;
		out[c] = true;
		for (int k = 0; k < h->nparents[c]; k++)
			stack[n++] = h->parents[c][k];
	}
}

static int index_of(const struct history *h, const git_oid *id)
{
	for (int i = 0; i < N; i++)
		if (!git_oid_cmp(&h->id[i], id))
			return i;
	fail_msg("a commit not in the history");
	return -1;
}

/* Random tips and hidden commits; the walk against brute force. exact: no
 * skew, so the walk must list exactly what is reachable from the tips and
 * from no hidden commit; with skew it may list more, never less. */
static void walks_match(struct repo_fx *fx, bool skew)
{
	struct history h;

	fx_open_repo(fx);
	make_history(fx, &h, skew);
	for (int round = 0; round < 60; round++) {
		struct pg_graph g = PG_GRAPH_INIT;
		struct pg_graph_walk w = PG_GRAPH_WALK_INIT(&g);
		struct pg_error err = PG_ERROR_INIT;
		int tips[3], hidden[6], nt = 1 + (int)rnd(3), nh = (int)rnd(7);
		bool from_tips[N], from_hidden[N], listed[N] = { false };

		assert_int_equal(pg_graph_init(&g, fx->repo, &err), 0);
		for (int i = 0; i < nt; i++) {
			size_t node;

			tips[i] = N / 2 + (int)rnd(N / 2);
			assert_int_equal(pg_graph_node(&g, &h.id[tips[i]], &node), 0);
			assert_int_equal(pg_graph_walk_add(&w, node, false), 0);
		}
		for (int i = 0; i < nh; i++) {
			size_t node;

			hidden[i] = (int)rnd(N);
			assert_int_equal(pg_graph_node(&g, &h.id[hidden[i]], &node), 0);
			assert_int_equal(pg_graph_walk_add(&w, node, true), 0);
		}
		assert_int_equal(pg_graph_walk_run(&w, "testing", &err), 0);
		reach(&h, tips, nt, from_tips);
		reach(&h, hidden, nh, from_hidden);
		for (size_t i = 0; i < w.nout; i++) {
			int c = index_of(&h, &g.v[w.out[i]].oid);

			assert_false(listed[c]); /* each once */
			listed[c] = true;
			if (!from_tips[c])
				fail_msg("round %d: commit %d listed, not reachable from the tips", round, c);
		}
		for (int c = 0; c < N; c++) {
			bool want = from_tips[c] && !from_hidden[c];

			if (want && !listed[c])
				fail_msg("round %d: commit %d left out (skew %d)", round, c, skew);
			if (!skew && listed[c] != want)
				fail_msg("round %d: commit %d listed although hidden", round, c);
		}
		/* topological order: parents first */
		{
			size_t *nodes = malloc((w.nout ? w.nout : 1) * sizeof(*nodes));
			int pos[N];

			assert_non_null(nodes);
			if (w.nout)
				memcpy(nodes, w.out, w.nout * sizeof(*nodes));
			assert_int_equal(pg_graph_topo_sort(&g, nodes, w.nout), 0);
			for (int c = 0; c < N; c++)
				pos[c] = -1;
			for (size_t i = 0; i < w.nout; i++)
				pos[index_of(&h, &g.v[nodes[i]].oid)] = (int)i;
			for (int c = 0; c < N; c++)
				for (int k = 0; pos[c] >= 0 && k < h.nparents[c]; k++)
					if (pos[h.parents[c][k]] >= 0 && pos[h.parents[c][k]] > pos[c])
						fail_msg("round %d: commit %d sorted before its parent", round, c);
			free(nodes);
		}
		pg_graph_walk_release(&w);
		/* ancestry: exact whatever the dates */
		for (int k = 0; k < 20; k++) {
			int a = (int)rnd(N), d = (int)rnd(N);
			bool r[N];

			reach(&h, &d, 1, r);
			assert_int_equal(pg_graph_is_ancestor(&g, &h.id[a], &h.id[d], &err), r[a]);
		}
		pg_graph_release(&g);
	}
}

static void test_walk_exact_without_skew(void **state)
{
	rng = 1;
	walks_match(*state, false);
}

static void test_walk_never_misses_with_skew(void **state)
{
	rng = 2;
	walks_match(*state, true);
	rng = 3;
	walks_match(*state, true);
}

/* A parent that is no commit, or missing: no parents of its own, no error. */
static void test_parent_not_a_commit(void **state)
{
	struct repo_fx *fx = *state;
	struct pg_graph g = PG_GRAPH_INIT;
	struct pg_graph_walk w = PG_GRAPH_WALK_INIT(&g);
	struct pg_error err = PG_ERROR_INIT;
	char blob[41], c[41], buf[512];
	git_oid id;
	size_t node;
	int n;

	fx_object(fx, "blob", "x\n", 2, blob);
	n = snprintf(buf, sizeof(buf), "tree " T40 "\nparent %s\nparent 1111111111111111111111111111111111111111\n"
		     "author A <a@x> 1 +0000\ncommitter C <c@x> 1 +0000\n\nodd parents\n", blob);
	fx_object(fx, "commit", buf, (size_t)n, c);
	assert_int_equal(pg_graph_init(&g, fx->repo, &err), 0);
	assert_int_equal(git_oid_fromstr(&id, c), 0);
	assert_int_equal(pg_graph_node(&g, &id, &node), 0);
	assert_int_equal(pg_graph_walk_add(&w, node, false), 0);
	assert_int_equal(pg_graph_walk_run(&w, "testing", &err), 0);
	assert_int_equal(w.nout, 1);
	assert_int_equal(g.v[node].nparents, 2);
	assert_int_equal(g.v[pg_graph_parent(&g, node, 0)].state, 2);
	assert_int_equal(g.v[pg_graph_parent(&g, node, 1)].state, 2);
	pg_graph_walk_release(&w);
	/* a walk past its deadline stops */
	g.deadline_ms = pg_clock_ms() - 1;
	w = (struct pg_graph_walk)PG_GRAPH_WALK_INIT(&g);
	assert_int_equal(pg_graph_walk_add(&w, node, false), 0);
	assert_int_equal(pg_graph_walk_run(&w, "testing", &err), PG_ETIMEOUT);
	assert_non_null(strstr(err.msg, "testing"));
	pg_graph_walk_release(&w);
	pg_graph_release(&g);
}

static void dated_commit(struct repo_fx *fx, char out[41], int date, const char *parent)
{
	char buf[512], line[64] = "";
	int n;

	if (parent)
		snprintf(line, sizeof(line), "parent %s\n", parent);
	n = snprintf(buf, sizeof(buf), "tree " T40 "\n%sauthor A <a@x> %d +0000\ncommitter C <c@x> %d +0000\n\nat %d\n",
		     line, date, date, date);
	fx_object(fx, "commit", buf, (size_t)n, out);
}

/* A commit listed before a hidden one reaches it through a skewed (older)
 * date is taken back: C1 is dated before its parent C0. */
static void test_skew_listed_then_hidden(void **state)
{
	struct repo_fx *fx = *state;
	struct pg_graph g = PG_GRAPH_INIT;
	struct pg_graph_walk w = PG_GRAPH_WALK_INIT(&g);
	struct pg_error err = PG_ERROR_INIT;
	char c0[41], c1[41], c2[41], nw[41];
	git_oid id;
	size_t hidden, tip;

dated_commit(fx, c0, 100, NULL);
	dated_commit(fx, c1, 50, c0);
	dated_commit(fx, c2, 200, c1);
	dated_commit(fx, nw, 300, c0);
	assert_int_equal(pg_graph_init(&g, fx->repo, &err), 0);
	assert_int_equal(git_oid_fromstr(&id, nw), 0);
	assert_int_equal(pg_graph_node(&g, &id, &tip), 0);
	assert_int_equal(git_oid_fromstr(&id, c2), 0);
	assert_int_equal(pg_graph_node(&g, &id, &hidden), 0);
	assert_int_equal(pg_graph_walk_add(&w, tip, false), 0);
	assert_int_equal(pg_graph_walk_add(&w, hidden, true), 0);
	assert_int_equal(pg_graph_walk_run(&w, "testing", &err), 0);
	assert_int_equal(w.nout, 1);
	assert_int_equal(w.out[0], tip);
	pg_graph_walk_release(&w);
	pg_graph_release(&g);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_walk_exact_without_skew),
		T(test_walk_never_misses_with_skew),
		T(test_parent_not_a_commit),
		T(test_skew_listed_then_hidden),
	};
#undef T

	return cmocka_run_group_tests_name("graph", tests, repo_fx_group_setup, repo_fx_group_teardown);
}
