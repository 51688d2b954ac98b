#include "corpus.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *slurp(const char *file)
{
	FILE *fp = fopen(file, "rb");
	char *s = NULL;
	long n;

	if (!fp)
		return NULL;
	if (fseek(fp, 0, SEEK_END) == 0 && (n = ftell(fp)) >= 0 && fseek(fp, 0, SEEK_SET) == 0 &&
	    (s = malloc((size_t)n + 1))) {
		if (fread(s, 1, (size_t)n, fp) != (size_t)n) {
			free(s);
			s = NULL;
		} else {
			s[n] = '\0';
		}
	}
	fclose(fp);
	return s;
}

static int cmp_case(const void *a, const void *b)
{
	return strcmp(((const struct corpus_case *)a)->name, ((const struct corpus_case *)b)->name);
}

/* Parses one case file; -1 with why set when its header is wrong. */
static int parse(struct corpus_case *c, const char *file, char *text, char *why, size_t why_len)
{
	char *sep = strstr(text, "\n---\n"), *eol;

	if (strncmp(text, "path: ", 6) || !sep) {
		snprintf(why, why_len, "%s: expected 'path: ...' and a '---' line", file);
		return -1;
	}
	eol = strchr(text, '\n');
	c->path = strndup(text + 6, (size_t)(eol - text - 6));
	c->content = strdup(sep + 5);
	if (!c->path || !c->content || !*c->path) {
		snprintf(why, why_len, "%s: empty path, or out of memory", file);
		return -1;
	}
	return 0;
}

int corpus_load(const char *dir, struct corpus_case **out, size_t *n, char *why, size_t why_len)
{
	static const char *const kinds[] = { "refuse", "accept" };
	struct corpus_case *v = NULL;
	size_t count = 0;

	*out = NULL;
	*n = 0;
	for (size_t k = 0; k < 2; k++) {
		char sub[4096];
		DIR *d;
		struct dirent *e;

		snprintf(sub, sizeof(sub), "%s/%s", dir, kinds[k]);
		if (!(d = opendir(sub))) {
			snprintf(why, why_len, "cannot open %s", sub);
			corpus_free(v, count);
			return -1;
		}
		while ((e = readdir(d))) {
			char file[8192];
			char *text;
			struct corpus_case *nv;

			if (!strstr(e->d_name, ".txt"))
				continue;
			snprintf(file, sizeof(file), "%s/%s", sub, e->d_name);
			if (!(text = slurp(file)) || !(nv = realloc(v, (count + 1) * sizeof(*v)))) {
				snprintf(why, why_len, "cannot read %s", file);
				free(text);
				closedir(d);
				corpus_free(v, count);
				return -1;
			}
			v = nv;
			memset(&v[count], 0, sizeof(v[count]));
			v[count].refuse = k == 0;
			count++;
			snprintf(file, sizeof(file), "%s/%s", kinds[k], e->d_name);
			v[count - 1].name = strdup(file);
			if (parse(&v[count - 1], file, text, why, why_len) < 0) {
				free(text);
				closedir(d);
				corpus_free(v, count);
				return -1;
			}
			free(text);
		}
		closedir(d);
	}
	qsort(v, count, sizeof(*v), cmp_case);
	*out = v;
	*n = count;
	return 0;
}

void corpus_free(struct corpus_case *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(v[i].name);
		free(v[i].path);
		free(v[i].content);
	}
	free(v);
}
