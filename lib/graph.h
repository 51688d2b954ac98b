/* The commit graph as `git rev-list` sees it, read from raw commits.
 *
 * Each node is a commit id with, once read, its parents and committer date,
 * taken from the raw object by pushguard's own parser (object.h): a commit
 * libgit2 cannot parse is walked like any other. A walk lists what
 * `git rev-list TIPS --not HIDDEN` lists, found the way git finds it
 * (limit_list(): newest first by committer date, hidden commits marking
 * their ancestors, stopping once only hidden commits are left, with git's few
 * extra steps against skewed clocks). A skewed date can make a walk list a
 * commit that a hidden one reaches after all (judged once more); it never
 * leaves out one that no hidden commit reaches. */
#ifndef PG_GRAPH_H
#define PG_GRAPH_H

#include <git2.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "error.h"
#include "oidmap.h"

struct pg_graph_node {
	git_oid oid;
	int64_t time;       /* committer date; 0 when git could not read one either */
	size_t parents;     /* first index into pg_graph.parents */
	uint32_t nparents;
	uint8_t state;      /* 0 not read yet, 1 a commit, 2 not a commit or missing (no parents) */
	uint8_t flags;      /* the current walk's */
};

struct pg_graph {
	git_odb *odb;
	struct pg_graph_node *v;   /* may move when nodes are added: keep indices, not pointers */
	size_t n, alloc;
	size_t *parents;           /* node indices */
	size_t np, palloc;
	struct pg_oidmap index;    /* oid -> node */
	int64_t deadline_ms;       /* walks stop with PG_ETIMEOUT past it (budget.h); 0 = none */
};

#define PG_GRAPH_INIT { NULL, NULL, 0, 0, NULL, 0, 0, PG_OIDMAP_INIT, 0 }

/* Opens repo's object database for g. Release g in every case. */
int pg_graph_init(struct pg_graph *g, git_repository *repo, struct pg_error *err);
void pg_graph_release(struct pg_graph *g);
/* The node of commit id, added (not read yet) when new. -1: out of memory. */
int pg_graph_node(struct pg_graph *g, const git_oid *id, size_t *out);
/* Parent k of node i (after a walk has read it). */
static inline size_t pg_graph_parent(const struct pg_graph *g, size_t i, uint32_t k)
{
	return g->parents[g->v[i].parents + k];
}

/* One walk over g; walks run one after another, each from a fresh
 * PG_GRAPH_WALK_INIT(g), and reuse what earlier ones read. */
struct pg_graph_walk {
	struct pg_graph *g;
	struct { size_t node; uint64_t seq; } *heap;
	size_t nheap, aheap;
	uint64_t seq;
	size_t interesting; /* nodes in the heap not hidden */
	size_t *out;        /* after pg_graph_walk_run: the listed nodes */
	size_t nout, aout;
	size_t *stack;
	size_t nstack, astack;
};

#define PG_GRAPH_WALK_INIT(graph) { (graph), NULL, 0, 0, 0, 0, NULL, 0, 0, NULL, 0, 0 }

/* Starts the walk from node i (a tip), or hides it and what it reaches.
 * Reads the commit; one that is missing or no commit adds nothing. -1: out
 * of memory. */
int pg_graph_walk_add(struct pg_graph_walk *w, size_t i, bool hidden);
/* Lists w->out: the commits reachable from the tips and from no hidden
 * commit, newest first. what: for the PG_ETIMEOUT message ("listing ..."). */
int pg_graph_walk_run(struct pg_graph_walk *w, const char *what, struct pg_error *err);
/* Frees the walk and clears its marks on g. */
void pg_graph_walk_release(struct pg_graph_walk *w);

/* Sorts nodes so that parents come before children (within nodes), as
 * libgit2's GIT_SORT_TOPOLOGICAL | GIT_SORT_REVERSE would. -1: out of memory. */
int pg_graph_topo_sort(struct pg_graph *g, size_t *nodes, size_t n);

/* 1 when commit `ancestor` is reachable from commit `descendant` (or is it),
 * 0 when not, negative on error or past g->deadline_ms. Exact: the path runs
 * through descendants of `ancestor`, which no hidden mark reaches. */
int pg_graph_is_ancestor(struct pg_graph *g, const git_oid *ancestor, const git_oid *descendant,
			 struct pg_error *err);

#endif
