#include "graph.h"

#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "budget.h"
#include "object.h"

int pg_graph_init(struct pg_graph *g, git_repository *repo, struct pg_error *err)
{
	if (git_repository_odb(&g->odb, repo) < 0)
		return pg_error_git(err, "cannot open the object database");
	return 0;
}

enum { F_SEEN = 1, F_UNINT = 2, F_INHEAP = 4 };

void pg_graph_release(struct pg_graph *g)
{
	free(g->v);
	free(g->parents);
	pg_oidmap_release(&g->index);
	git_odb_free(g->odb);
	memset(g, 0, sizeof(*g));
}

int pg_graph_node(struct pg_graph *g, const git_oid *id, size_t *out)
{
	if (pg_oidmap_get(&g->index, id, out))
		return 0;
	if (PG_GROW(g->v, g->n + 1, g->alloc) < 0)
		return -1;
	memset(&g->v[g->n], 0, sizeof(g->v[0]));
	g->v[g->n].oid = *id;
	if (pg_oidmap_put(&g->index, id, g->n) < 0)
		return -1;
	*out = g->n++;
	return 0;
}

/* Reads node i's parents and date, once. A missing object or one that is no
 * commit has none (git would not have let a push bring such a parent). */
static int graph_read(struct pg_graph *g, size_t i)
{
	git_odb_object *o = NULL;
	struct pg_object_commit c;
	size_t first = g->np;
	int ret = -1;

	if (g->v[i].state)
		return 0;
	g->v[i].state = 2;
	if (git_odb_read(&o, g->odb, &g->v[i].oid) < 0) {
		git_error_clear();
		return 0;
	}
	if (git_odb_object_type(o) != GIT_OBJECT_COMMIT) {
		git_odb_object_free(o);
		return 0;
	}
	if (pg_object_commit_parse(&c, git_odb_object_data(o), git_odb_object_size(o)) < 0)
		goto out;
	if (PG_GROW(g->parents, g->np + c.nparents, g->palloc) < 0)
		goto out;
	for (size_t k = 0; k < c.nparents; k++)
		if (pg_graph_node(g, &c.parents[k], &g->parents[g->np++]) < 0)
			goto out;
	g->v[i].parents = first;
	g->v[i].nparents = (uint32_t)c.nparents;
	g->v[i].time = c.committer.time;
	g->v[i].state = 1;
	ret = 0;
out:
	pg_object_commit_release(&c);
	git_odb_object_free(o);
	return ret;
}

/* git's SLOP (revision.c): steps taken past the point where only hidden commits are left */
#define SLOP 5

void pg_graph_walk_release(struct pg_graph_walk *l)
{
	free(l->heap);
	free(l->out);
	free(l->stack);
	for (size_t i = 0; i < l->g->n; i++)
		l->g->v[i].flags = 0;
}

static bool heap_before(const struct pg_graph_walk *l, size_t a, size_t b)
{
	int64_t ta = l->g->v[l->heap[a].node].time, tb = l->g->v[l->heap[b].node].time;

	return ta > tb || (ta == tb && l->heap[a].seq < l->heap[b].seq);
}

static void heap_swap(struct pg_graph_walk *l, size_t a, size_t b)
{
	__typeof__(l->heap[0]) t = l->heap[a];

	l->heap[a] = l->heap[b];
	l->heap[b] = t;
}

static int heap_push(struct pg_graph_walk *l, size_t node)
{
	size_t i;

	if (PG_GROW(l->heap, l->nheap + 1, l->aheap) < 0)
		return -1;
	i = l->nheap++;
	l->heap[i].node = node;
	l->heap[i].seq = l->seq++;
	while (i && heap_before(l, i, (i - 1) / 2)) {
		heap_swap(l, i, (i - 1) / 2);
		i = (i - 1) / 2;
	}
	return 0;
}

static size_t heap_pop(struct pg_graph_walk *l)
{
	size_t top = l->heap[0].node, i = 0;

	l->heap[0] = l->heap[--l->nheap];
	for (;;) {
		size_t a = 2 * i + 1, b = a + 1, m = i;

		if (a < l->nheap && heap_before(l, a, m))
			m = a;
		if (b < l->nheap && heap_before(l, b, m))
			m = b;
		if (m == i)
			break;
		heap_swap(l, i, m);
		i = m;
	}
	return top;
}

static int stack_push(struct pg_graph_walk *l, size_t v)
{
	if (PG_GROW(l->stack, l->nstack + 1, l->astack) < 0)
		return -1;
	l->stack[l->nstack++] = v;
	return 0;
}

/* Hides node i and every ancestor already read (mark_parents_uninteresting). */
static int hide_node(struct pg_graph_walk *l, size_t i)
{
	struct pg_graph *g = l->g;

	l->nstack = 0;
	if (stack_push(l, i) < 0)
		return -1;
	while (l->nstack) {
		struct pg_graph_node *n = &g->v[l->stack[--l->nstack]];

		if (n->flags & F_UNINT)
			continue;
		n->flags |= F_UNINT;
		if (n->flags & F_INHEAP)
			l->interesting--;
		for (uint32_t k = 0; k < n->nparents; k++)
			if (!(g->v[g->parents[n->parents + k]].flags & F_UNINT) &&
			    stack_push(l, g->parents[n->parents + k]) < 0)
				return -1;
	}
	return 0;
}

int pg_graph_walk_add(struct pg_graph_walk *l, size_t i, bool hidden)
{
	struct pg_graph_node *n;

	if (hidden && hide_node(l, i) < 0)
		return -1;
	if (l->g->v[i].flags & F_SEEN)
		return 0;
	l->g->v[i].flags |= F_SEEN;
	if (graph_read(l->g, i) < 0)
		return -1;
	n = &l->g->v[i]; /* graph_read may have moved the nodes */
	if (n->state != 1)
		return 0;
	if (heap_push(l, i) < 0)
		return -1;
	n = &l->g->v[i];
	n->flags |= F_INHEAP;
	if (!(n->flags & F_UNINT))
		l->interesting++;
	return 0;
}

int pg_graph_walk_run(struct pg_graph_walk *l, const char *what, struct pg_error *err)
{
	struct pg_graph *g = l->g;
	int64_t date = INT64_MAX;
	int slop = SLOP;

	while (l->nheap) {
		size_t i = heap_pop(l);
		bool hidden;

		if (pg_budget_expired(g->deadline_ms))
			return pg_budget_error(err, what);
		g->v[i].flags &= (uint8_t)~F_INHEAP;
		hidden = g->v[i].flags & F_UNINT;
		if (!hidden)
			l->interesting--;
		for (uint32_t k = 0; k < g->v[i].nparents; k++)
			if (pg_graph_walk_add(l, g->parents[g->v[i].parents + k], hidden) < 0)
				return pg_error_oom(err);
		if (hidden) {
			/* still_interesting(): stop once only hidden commits are left */
			if (!l->nheap)
				break;
			if (date <= g->v[l->heap[0].node].time || l->interesting)
				slop = SLOP;
			else if (--slop == 0)
				break;
			continue;
		}
		date = g->v[i].time;
		if (PG_GROW(l->out, l->nout + 1, l->aout) < 0)
			return pg_error_oom(err);
		l->out[l->nout++] = i;
	}
	/* a commit listed before a hidden one reached it is not new after all */
	{
		size_t k = 0;

		for (size_t j = 0; j < l->nout; j++)
			if (!(g->v[l->out[j]].flags & F_UNINT))
				l->out[k++] = l->out[j];
		l->nout = k;
	}
	return 0;
}

/* git's sort_in_topological_order() in graph order (the tips as given, each
 * commit after all its children), then reversed. */
int pg_graph_topo_sort(struct pg_graph *g, size_t *nodes, size_t n)
{
	size_t *indeg = NULL, *stack = NULL, *sorted = NULL, nstack = 0, nsorted = 0;
	struct pg_oidmap pos = PG_OIDMAP_INIT;
	int ret = -1;

	if (n < 2)
		return 0;
	if (!(indeg = calloc(n, sizeof(*indeg))) || !(stack = malloc(n * sizeof(*stack))) ||
	    !(sorted = malloc(n * sizeof(*sorted))))
		goto out;
	for (size_t i = 0; i < n; i++)
		if (pg_oidmap_put(&pos, &g->v[nodes[i]].oid, i) < 0)
			goto out;
	for (size_t i = 0; i < n; i++) {
		const struct pg_graph_node *c = &g->v[nodes[i]];

		for (uint32_t k = 0; k < c->nparents; k++) {
			size_t p;

			if (pg_oidmap_get(&pos, &g->v[g->parents[c->parents + k]].oid, &p))
				indeg[p]++;
		}
	}
	/* the tips, the first one given on top */
	for (size_t i = n; i-- > 0;)
		if (!indeg[i])
			stack[nstack++] = i;
	while (nstack) {
		size_t i = stack[--nstack];
		const struct pg_graph_node *c = &g->v[nodes[i]];

		sorted[nsorted++] = nodes[i];
		for (uint32_t k = 0; k < c->nparents; k++) {
			size_t p;

			if (pg_oidmap_get(&pos, &g->v[g->parents[c->parents + k]].oid, &p) && --indeg[p] == 0)
				stack[nstack++] = p;
		}
	}
	for (size_t i = 0; i < nsorted; i++) /* reversed: parents first */
		nodes[i] = sorted[nsorted - 1 - i];
	ret = 0;
out:
	pg_oidmap_release(&pos);
	free(indeg);
	free(stack);
	free(sorted);
	return ret;
}


int pg_graph_is_ancestor(struct pg_graph *g, const git_oid *ancestor, const git_oid *descendant,
			 struct pg_error *err)
{
	struct pg_graph_walk w = PG_GRAPH_WALK_INIT(g);
	size_t a, d;
	int ret;

	if (!git_oid_cmp(ancestor, descendant))
		return 1;
	if (pg_graph_node(g, descendant, &d) < 0 || pg_graph_node(g, ancestor, &a) < 0 ||
	    pg_graph_walk_add(&w, d, false) < 0 || pg_graph_walk_add(&w, a, true) < 0) {
		ret = pg_error_oom(err);
		goto out;
	}
	/* every commit on a path from descendant to ancestor is listed */
	if ((ret = pg_graph_walk_run(&w, "comparing commits", err)) < 0)
		goto out;
	for (size_t i = 0; i < w.nout && !ret; i++)
		for (uint32_t k = 0; k < g->v[w.out[i]].nparents && !ret; k++)
			ret = pg_graph_parent(g, w.out[i], k) == a;
out:
	pg_graph_walk_release(&w);
	return ret;
}
