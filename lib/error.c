#include "error.h"

#include <git2.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

int pg_error_set(struct pg_error *err, int code, const char *fmt, ...)
{
	va_list ap;

	if (err) {
		err->code = code;
		va_start(ap, fmt);
		vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
		va_end(ap);
	}
	return code;
}

int pg_error_oom(struct pg_error *err)
{
	return pg_error_set(err, PG_ERR, "out of memory");
}

int pg_error_git(struct pg_error *err, const char *fmt, ...)
{
	const git_error *ge = git_error_last();
	va_list ap;
	size_t n;

	if (!err)
		return PG_ERR;
	err->code = PG_ERR;
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
	n = strlen(err->msg);
	if (ge && ge->message && n < sizeof(err->msg))
		snprintf(err->msg + n, sizeof(err->msg) - n, ": %s", ge->message);
	return PG_ERR;
}
