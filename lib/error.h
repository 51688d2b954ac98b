/* Error reports: functions return 0 or a negative code and fill the caller's
 * struct pg_error with a message naming the file, key or object at fault. */
#ifndef PG_ERROR_H
#define PG_ERROR_H

enum pg_error_code {
	PG_OK = 0,
	PG_ERR = -1,      /* internal failure (I/O, libgit2, out of memory) */
	PG_ECONFIG = -2,  /* the admin's configuration is invalid */
	PG_EINPUT = -3,   /* git handed us input we cannot parse */
	PG_ETIMEOUT = -4, /* the push's time budget ran out (budget.h) */
};

struct pg_error {
	int code;
	char msg[1024];
};

#define PG_ERROR_INIT { 0, "" }

/* Sets code and message; returns code so callers can `return pg_error_set(...)`. */
int pg_error_set(struct pg_error *err, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Out of memory: sets PG_ERR with one message, the same everywhere. */
int pg_error_oom(struct pg_error *err);
/* Like pg_error_set, appending libgit2's last error message. */
int pg_error_git(struct pg_error *err, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#endif
