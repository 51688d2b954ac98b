/* The files `pushguard install` writes and removes (lib/install.c): whether a
 * file is ours (PG_INSTALL_MARKER), the wrapper texts, atomic writes owned like
 * their directory, and the progress lines ("  write ...", "  would write ..."). */
#ifndef PG_INSTALL_FILES_H
#define PG_INSTALL_FILES_H

#include <stdbool.h>
#include <stdio.h>

#include "buf.h"
#include "error.h"
#include "install.h"

/* One run of pg_install_run(): its options and what it has done so far. */
struct pg_install_state {
	const struct pg_install_opts *o;
	const char *hook;  /* o->hook, or "pre-receive" */
	FILE *out, *errout;
	bool changed;      /* the current place was (or would be) changed */
	bool found;        /* uninstall: something of ours was there */
	size_t repos, uptodate, not_installed, failed;
};

/* Printing: a line as is; an action ("  X", or "  would X" in a dry run);
 * "pushguard: warning: X" and "pushguard: error: X" on errout. */
void pg_install_say(struct pg_install_state *st, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void pg_install_act(struct pg_install_state *st, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void pg_install_warn(struct pg_install_state *st, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void pg_install_errmsg(struct pg_install_state *st, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Appends the first MB of the regular file at path (links followed) to b;
 * -1 when it is not one or cannot be read. */
int pg_install_read(struct pg_buf *b, const char *path);
/* path is a regular file (links followed) with PG_INSTALL_MARKER at the start
 * of a line. */
bool pg_install_is_ours(const char *path);
/* Something is at path (lstat: a dangling link too). */
bool pg_install_exists(const char *path);
/* path is a directory (lstat: not a link to one). */
bool pg_install_is_dir(const char *path);

/* The wrapper of plain installs and gitolite: execs BINDIR/pushguard-HOOK with
 * --chain and the HOOK.d directory beside the wrapper. */
int pg_install_wrapper_text(struct pg_buf *b, const char *bindir, const char *hook);
/* A HOOK.d entry the server's own HOOK runs (Gitea, GitLab): no --chain;
 * `how` completes "Remove with: install.sh --uninstall ". */
int pg_install_entry_text(struct pg_buf *b, const char *bindir, const char *hook, const char *how);

/* path is a regular file (not a link), mode 0755, holding exactly text. */
bool pg_install_is_current(const char *path, const struct pg_buf *text);

/* Run as root: path gets the owner of `like` (links not followed). Best effort. */
void pg_install_match_owner(const char *path, const char *like);
/* mkdir -p, each new directory owned like its parent. */
int pg_install_make_dirs(const char *dir, struct pg_error *err);
/* Writes text to path atomically: a hidden file in its directory, mode 0755,
 * owned like the directory, renamed over path. */
int pg_install_write(const char *path, const struct pg_buf *text, struct pg_error *err);

/* Makes path hold text (hook names the binary, for the message), creating its
 * directories: nothing when it already does; an error line and st->failed
 * when something not ours is there; else "write PATH -> BINDIR/pushguard-HOOK"
 * and st->changed. */
int pg_install_place(struct pg_install_state *st, const char *path, const struct pg_buf *text,
		     const char *hook, struct pg_error *err);
/* Removes path when it is ours ("remove PATH", st->found), then its directory
 * and up to `up` more parents while they are empty (up -1: none). */
int pg_install_remove_ours(struct pg_install_state *st, const char *path, int up, struct pg_error *err);
/* Whether directory dir has no entries other than `except` (NULL: none). */
bool pg_install_dir_empty(const char *dir, const char *except);

#endif
