#define PCRE2_CODE_UNIT_WIDTH 8
#include "regex.h"

#include <pcre2.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define MATCH_LIMIT 1000000
#define DEPTH_LIMIT 10000

struct pg_regex {
	pcre2_code *code; /* NULL until first use for a lazily compiled pattern */
	bool ready;       /* compiled and JIT-compiled: most rules never run, so both wait for a use */
	char *pattern;    /* both held in the same block, after the struct */
	char *what;
};

/* The limits are the same for every pattern, and PCRE2 only reads a match
 * context while matching: one, shared. (The built-in pack alone holds
 * hundreds of patterns; each kept its own.) */
static pcre2_match_context *shared_mctx;
static pthread_once_t mctx_once = PTHREAD_ONCE_INIT;

static void mctx_init(void)
{
	if ((shared_mctx = pcre2_match_context_create(NULL))) {
		pcre2_set_match_limit(shared_mctx, MATCH_LIMIT);
		pcre2_set_depth_limit(shared_mctx, DEPTH_LIMIT);
	}
}

static pcre2_match_context *match_context(void)
{
	pthread_once(&mctx_once, mctx_init);
	return shared_mctx;
}

static int compile_code(pcre2_code **out, const char *pattern, const char *what, struct pg_error *err)
{
	int errcode;
	PCRE2_SIZE erroff;

	*out = pcre2_compile((PCRE2_SPTR)pattern, PCRE2_ZERO_TERMINATED,
			     PCRE2_UTF | PCRE2_MATCH_INVALID_UTF, &errcode, &erroff, NULL);
	if (!*out) {
		PCRE2_UCHAR msg[256];

		pcre2_get_error_message(errcode, msg, sizeof(msg));
		return pg_error_set(err, PG_ECONFIG, "%s: invalid regular expression '%s': %s at offset %zu",
				    what, pattern, (char *)msg, (size_t)erroff);
	}
	return 0;
}

static int create(struct pg_regex **out, const char *pattern, const char *what, bool now,
		  struct pg_error *err)
{
	size_t plen = strlen(pattern) + 1, wlen = strlen(what) + 1;
	struct pg_regex *re;
	int ret;

	*out = NULL;
	if (!match_context() || plen > SIZE_MAX / 2 - sizeof(*re) || wlen > SIZE_MAX / 2 ||
	    !(re = calloc(1, sizeof(*re) + plen + wlen)))
		return pg_error_oom(err);
	re->pattern = memcpy((char *)(re + 1), pattern, plen);
	re->what = memcpy(re->pattern + plen, what, wlen);
	if (now && (ret = compile_code(&re->code, pattern, what, err)) < 0) {
		free(re);
		return ret;
	}
	*out = re;
	return 0;
}

int pg_regex_compile(struct pg_regex **out, const char *pattern, const char *what,
		     struct pg_error *err)
{
	return create(out, pattern, what, true, err);
}

int pg_regex_compile_lazy(struct pg_regex **out, const char *pattern, const char *what,
			  struct pg_error *err)
{
	return create(out, pattern, what, false, err);
}

void pg_regex_free(struct pg_regex *re)
{
	if (!re)
		return;
	pcre2_code_free(re->code);
	free(re);
}

static pthread_mutex_t prepare_lock = PTHREAD_MUTEX_INITIALIZER;

/* Compiles (when lazy) and JIT-compiles on first use, once, whatever the
 * thread; without JIT (unsupported CPU, no memory) PCRE2 interprets the
 * pattern, with the same results. */
static int prepare(const struct pg_regex *re, struct pg_error *err)
{
	struct pg_regex *w = (struct pg_regex *)(uintptr_t)re;
	int ret = 0;

	if (__atomic_load_n(&re->ready, __ATOMIC_ACQUIRE))
		return 0;
	pthread_mutex_lock(&prepare_lock);
	if (!w->ready) {
		if (!w->code)
			ret = compile_code(&w->code, w->pattern, w->what, err);
		if (ret == 0) {
			/* PUSHGUARD_NO_JIT: for memory checkers, which cannot follow JIT code */
			if (!getenv("PUSHGUARD_NO_JIT"))
				pcre2_jit_compile(w->code, PCRE2_JIT_COMPLETE);
			__atomic_store_n(&w->ready, true, __ATOMIC_RELEASE);
		}
	}
	pthread_mutex_unlock(&prepare_lock);
	return ret;
}

const char *pg_regex_pattern(const struct pg_regex *re)
{
	return re->pattern;
}

const char *pg_regex_what(const struct pg_regex *re)
{
	return re->what;
}

/* A pattern that runs into the match, depth or heap limit is the admin's to
 * mend (PG_ECONFIG); any other matching failure is internal. */
static int match_failed(const struct pg_regex *re, int rc, struct pg_error *err)
{
	PCRE2_UCHAR msg[256];
	bool limit = rc == PCRE2_ERROR_MATCHLIMIT || rc == PCRE2_ERROR_DEPTHLIMIT ||
		     rc == PCRE2_ERROR_HEAPLIMIT || rc == PCRE2_ERROR_JIT_STACKLIMIT;

	pcre2_get_error_message(rc, msg, sizeof(msg));
	return pg_error_set(err, limit ? PG_ECONFIG : PG_ERR, "%s: pattern '%s' could not be matched: %s",
			    re->what, re->pattern, (char *)msg);
}

int pg_regex_match(const struct pg_regex *re, const char *subject, size_t len,
		   struct pg_error *err)
{
	pcre2_match_data *md;
	int rc;

	if ((rc = prepare(re, err)) < 0)
		return rc;
	if (!(md = pcre2_match_data_create_from_pattern(re->code, NULL)))
		return pg_error_oom(err);
	rc = pcre2_match(re->code, (PCRE2_SPTR)subject, len, 0, 0, md, shared_mctx);
	pcre2_match_data_free(md);
	if (rc >= 0)
		return 1;
	if (rc == PCRE2_ERROR_NOMATCH)
		return 0;
	return match_failed(re, rc, err);
}

/* One match-data block per thread, reused by every find: a push runs
 * thousands of them, and creating the block is a malloc each time. Holds
 * PG_REGEX_MAX_SPANS pairs; a pattern with more groups still matches, only
 * the first ones are reported (finds never ask for more). */
#define PG_REGEX_MAX_SPANS 32
static pthread_key_t md_key;
static pthread_once_t md_once = PTHREAD_ONCE_INIT;
static bool md_key_ok;

static void md_free(void *md)
{
	pcre2_match_data_free(md);
}

static void md_key_init(void)
{
	md_key_ok = pthread_key_create(&md_key, md_free) == 0;
}

static pcre2_match_data *thread_match_data(void)
{
	pcre2_match_data *md;

	pthread_once(&md_once, md_key_init);
	if (!md_key_ok)
		return NULL;
	if ((md = pthread_getspecific(md_key)))
		return md;
	if ((md = pcre2_match_data_create(PG_REGEX_MAX_SPANS, NULL)) && pthread_setspecific(md_key, md) != 0) {
		pcre2_match_data_free(md);
		md = NULL;
	}
	return md;
}

void pg_regex_thread_release(void)
{
	pcre2_match_data *md;

	pthread_once(&md_once, md_key_init);
	if (md_key_ok && (md = pthread_getspecific(md_key))) {
		pthread_setspecific(md_key, NULL);
		pcre2_match_data_free(md);
	}
}

int pg_regex_find(const struct pg_regex *re, const char *subject, size_t len, size_t offset,
		  struct pg_regex_span *out, size_t nout, struct pg_error *err)
{
	return pg_regex_find_in(re, subject, len, offset, len, out, nout, err);
}

int pg_regex_find_in(const struct pg_regex *re, const char *subject, size_t len, size_t offset,
		     size_t end, struct pg_regex_span *out, size_t nout, struct pg_error *err)
{
	pcre2_match_data *md;
	PCRE2_SIZE *ov;
	size_t set;
	int rc;

	if (end > len)
		end = len;
	if (offset > end)
		return 0;
	if ((rc = prepare(re, err)) < 0)
		return rc;
	if (!(md = thread_match_data()))
		return pg_error_oom(err);
	rc = pcre2_match(re->code, (PCRE2_SPTR)subject, end, offset, end < len ? PCRE2_NOTEOL : 0, md,
			 shared_mctx);
	if (rc == PCRE2_ERROR_NOMATCH)
		return 0;
	if (rc < 0)
		return match_failed(re, rc, err);
	ov = pcre2_get_ovector_pointer(md);
	/* rc pairs were set (0: all of them, the block was too small for more);
	 * the block is shared, so pairs past them hold older matches */
	set = rc == 0 ? pcre2_get_ovector_count(md) : (size_t)rc;
	for (size_t i = 0; i < nout; i++) {
		if (i < set && ov[2 * i] != PCRE2_UNSET) {
			out[i].start = ov[2 * i];
			out[i].end = ov[2 * i + 1];
		} else {
			out[i].start = out[i].end = PG_REGEX_UNSET;
		}
	}
	return 1;
}

int pg_regex_group(const struct pg_regex *re, const char *name)
{
	int n;

	if (prepare(re, NULL) < 0)
		return -1;
	n = pcre2_substring_number_from_name(re->code, (PCRE2_SPTR)name);

	return n > 0 ? n : -1;
}
