/* The background check of a push accepted unchecked (pushguard.onTimeout =
 * accept-and-report): the hook hands the push over and returns at once; a
 * detached process waits until the push has landed, runs every check on what
 * the push added, with no time budget, and records the result as the event
 * push.scanned (audit log, metrics, webhook).
 *
 * The hand-over file, <GIT_DIR>/pushguard-background/<event id>: the hook's
 * kind, the id of the push.unchecked event, the repository, the ref updates,
 * push options, pusher and protocol, every ref's value while the hook ran
 * (git moves refs only after the hook exits: the push added what is reachable
 * from its new values and from none of these), and the receive-pack process
 * that ran the hook. Written atomically, mode 0600 in a 0700 directory,
 * removed by the check when it is done; one left behind by a killed check is
 * removed by a later hand-over once a day old.
 *
 * The detached check is the hook's own binary (the path /proc/self/exe names) run as
 * `pushguard-pre-receive --background-scan FILE` (argv only, no shell), in a
 * new session, fds 0-2 on /dev/null, every other fd closed, cwd /, at nice 10,
 * without git's quarantine variables: git waits for none of it. */
#ifndef PG_BACKGROUND_H
#define PG_BACKGROUND_H

#include <git2.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "buf.h"
#include "error.h"
#include "proc.h"
#include "push.h"

/* How long the check waits for the push to land when it cannot watch the
 * receive-pack process (it stops as soon as that process is gone). */
#define PG_BACKGROUND_MAX_WAIT_MS (10 * 60 * 1000)
#define PG_BACKGROUND_POLL_MS 100
/* A hand-over file this old belongs to a check that was killed. */
#define PG_BACKGROUND_STALE_S (24 * 60 * 60)

struct pg_background_job {
	char hook[16];            /* "pre-receive" | "update" */
	char unchecked_id[37];    /* the push.unchecked event's id */
	char *git_dir;            /* absolute */
	struct pg_push push;      /* updates, options, pusher, protocol (no raw input) */
	git_oid *tips;            /* every ref's value while the hook ran, sorted, unique */
	size_t ntips;
	struct pg_proc receive_pack;
};

#define PG_BACKGROUND_JOB_INIT { "", "", NULL, PG_PUSH_INIT, NULL, 0, { 0, 0 } }

void pg_background_job_release(struct pg_background_job *job);

/* The hook's side: after the push was accepted unchecked and recorded as the
 * event unchecked_id, saves the hand-over file and starts the detached check.
 * repo is the hook's repository (refs not moved yet). Returns once the check
 * runs (or failed to start: err says why and nothing is left behind). */
int pg_background_start(git_repository *repo, const struct pg_push *push, const char *hook,
			const char *unchecked_id, struct pg_error *err);

/* The detached side: `--background-scan FILE`. Returns the exit status. */
int pg_background_main(const char *path);

/* ---- the parts, exposed for tests ---- */

/* Fills job->tips with the value of every direct ref of repo. */
int pg_background_snapshot(struct pg_background_job *job, git_repository *repo, struct pg_error *err);

/* The hand-over file's text, and back. Every string round-trips byte for
 * byte (ref names and push options may hold any bytes). decode: PG_EINPUT
 * for anything but a whole, well-formed file. */
int pg_background_encode(struct pg_buf *out, const struct pg_background_job *job);
int pg_background_decode(struct pg_background_job *job, const char *text, size_t len, struct pg_error *err);

/* The update is in place: a deleted ref is gone; otherwise the ref holds new,
 * or a descendant of it (a later push moved it on). */
bool pg_background_landed(git_repository *repo, const struct pg_ref_update *u);
/* Polls every poll_ms until every update landed, the receive-pack process
 * (pid 0: none known) is gone, or max_wait_ms passed. landed[i] says which
 * did. Returns how many landed. */
size_t pg_background_wait(bool *landed, const char *git_dir, const struct pg_push *push,
			  const struct pg_proc *receive_pack, int64_t max_wait_ms, int poll_ms);

#endif
