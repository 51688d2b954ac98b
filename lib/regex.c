#define PCRE2_CODE_UNIT_WIDTH 8
#include "regex.h"

#include <pcre2.h>
#include <stdlib.h>
#include <string.h>

#define MATCH_LIMIT 1000000
#define DEPTH_LIMIT 10000

struct pg_regex {
	pcre2_code *code;
	pcre2_match_context *mctx;
	char *pattern;
	char *what;
};

int pg_regex_compile(struct pg_regex **out, const char *pattern, const char *what,
		     struct pg_error *err)
{
	struct pg_regex *re = calloc(1, sizeof(*re));
	int errcode, ret = PG_ERR;
	PCRE2_SIZE erroff;

	*out = NULL;
	if (!re)
		return pg_error_set(err, PG_ERR, "out of memory");
	re->code = pcre2_compile((PCRE2_SPTR)pattern, PCRE2_ZERO_TERMINATED,
				 PCRE2_UTF | PCRE2_MATCH_INVALID_UTF, &errcode, &erroff, NULL);
	if (!re->code) {
		PCRE2_UCHAR msg[256];

		pcre2_get_error_message(errcode, msg, sizeof(msg));
		ret = pg_error_set(err, PG_ECONFIG, "%s: invalid regular expression '%s': %s at offset %zu",
				   what, pattern, (char *)msg, (size_t)erroff);
		goto out;
	}
	pcre2_jit_compile(re->code, PCRE2_JIT_COMPLETE); /* falls back to the interpreter */
	re->mctx = pcre2_match_context_create(NULL);
	re->pattern = strdup(pattern);
	re->what = strdup(what);
	if (!re->mctx || !re->pattern || !re->what) {
		ret = pg_error_set(err, PG_ERR, "out of memory");
		goto out;
	}
	pcre2_set_match_limit(re->mctx, MATCH_LIMIT);
	pcre2_set_depth_limit(re->mctx, DEPTH_LIMIT);
	*out = re;
	re = NULL;
	ret = 0;
out:
	pg_regex_free(re);
	return ret;
}

void pg_regex_free(struct pg_regex *re)
{
	if (!re)
		return;
	pcre2_code_free(re->code);
	pcre2_match_context_free(re->mctx);
	free(re->pattern);
	free(re->what);
	free(re);
}

const char *pg_regex_pattern(const struct pg_regex *re)
{
	return re->pattern;
}

int pg_regex_match(const struct pg_regex *re, const char *subject, size_t len,
		   struct pg_error *err)
{
	pcre2_match_data *md = pcre2_match_data_create_from_pattern(re->code, NULL);
	int rc;

	if (!md)
		return pg_error_set(err, PG_ERR, "out of memory");
	rc = pcre2_match(re->code, (PCRE2_SPTR)subject, len, 0, 0, md, re->mctx);
	pcre2_match_data_free(md);
	if (rc >= 0)
		return 1;
	if (rc == PCRE2_ERROR_NOMATCH)
		return 0;
	{
		PCRE2_UCHAR msg[256];

		pcre2_get_error_message(rc, msg, sizeof(msg));
		return pg_error_set(err, PG_ERR, "%s: pattern '%s' could not be matched: %s",
				    re->what, re->pattern, (char *)msg);
	}
}

int pg_regex_find(const struct pg_regex *re, const char *subject, size_t len, size_t offset,
		  int group, struct pg_regex_span *out, struct pg_error *err)
{
	pcre2_match_data *md = pcre2_match_data_create_from_pattern(re->code, NULL);
	PCRE2_SIZE *ov;
	int rc, ret;

	if (!md)
		return pg_error_set(err, PG_ERR, "out of memory");
	rc = pcre2_match(re->code, (PCRE2_SPTR)subject, len, offset, 0, md, re->mctx);
	if (rc == PCRE2_ERROR_NOMATCH) {
		ret = 0;
		goto out;
	}
	if (rc < 0) {
		PCRE2_UCHAR msg[256];

		pcre2_get_error_message(rc, msg, sizeof(msg));
		ret = pg_error_set(err, PG_ERR, "%s: pattern '%s' could not be matched: %s",
				   re->what, re->pattern, (char *)msg);
		goto out;
	}
	ov = pcre2_get_ovector_pointer(md);
	out->start = out->gstart = ov[0];
	out->end = out->gend = ov[1];
	if (group > 0 && group < rc && ov[2 * group] != PCRE2_UNSET) {
		out->gstart = ov[2 * group];
		out->gend = ov[2 * group + 1];
	} else if (group == 0) {
		for (int g = 1; g < rc; g++) {
			if (ov[2 * g] != PCRE2_UNSET && ov[2 * g + 1] > ov[2 * g]) {
				out->gstart = ov[2 * g];
				out->gend = ov[2 * g + 1];
				break;
			}
		}
	}
	ret = 1;
out:
	pcre2_match_data_free(md);
	return ret;
}
