#include "reencode.h"

#include <errno.h>
#include <iconv.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static char *convert(const char *text, const char *encoding)
{
	iconv_t cd = iconv_open("UTF-8", encoding);
	size_t len = strlen(text), cap = len * 2 + 16;
	char *out = NULL;

	if (cd == (iconv_t)-1)
		return NULL;
	for (;;) {
		char *in = (char *)(uintptr_t)text, *o;
		size_t inleft = len, outleft;

		free(out);
		if (!(out = malloc(cap)))
			break;
		o = out;
		outleft = cap - 1;
		iconv(cd, NULL, NULL, NULL, NULL);
		if (iconv(cd, &in, &inleft, &o, &outleft) != (size_t)-1 &&
		    iconv(cd, NULL, NULL, &o, &outleft) != (size_t)-1) {
			*o = '\0';
			break;
		}
		if (errno != E2BIG) {
			free(out);
			out = NULL;
			break;
		}
		cap *= 2;
	}
	iconv_close(cd);
	return out;
}

char *pg_reencode_utf8(const char *text, const char *encoding)
{
	char *out = NULL;

	if (encoding && *encoding && strcasecmp(encoding, "UTF-8") && strcasecmp(encoding, "UTF8"))
		out = convert(text, encoding);
	return out ? out : strdup(text);
}
