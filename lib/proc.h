/* Processes seen through /proc: the background check (background.h) finds
 * the git receive-pack that ran the hook and waits for it to end, telling it
 * apart from a later process that reuses its pid. Linux only. */
#ifndef PG_PROC_H
#define PG_PROC_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

/* A process, told apart from a later one with the same pid by its start time. */
struct pg_proc {
	pid_t pid;                /* 0: unknown */
	unsigned long long start; /* clock ticks after boot (/proc/PID/stat field 22) */
};

/* True when cmdline (/proc/PID/cmdline: NUL-separated arguments) runs git
 * receive-pack: git-receive-pack ARGS, or git [OPTIONS] receive-pack ARGS. */
bool pg_proc_is_receive_pack(const char *cmdline, size_t len);
/* The nearest receive-pack among from and its ancestors; out->pid 0 when none. */
void pg_proc_find_receive_pack(struct pg_proc *out, pid_t from);
/* Still the same running process (not a zombie, not a reused pid). */
bool pg_proc_alive(const struct pg_proc *p);

#endif
