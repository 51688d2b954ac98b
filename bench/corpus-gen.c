/* corpus-gen CORPUS OUT [SEED]: writes every case of the labelled corpus
 * (tests/corpus/, tests/unit/corpus.h) with fresh random values, each at its
 * own path under OUT/refuse/NAME/ or OUT/accept/NAME/, for bench/detection.sh
 * to push. Prints one "KIND NAME PATH" line per case. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"
#include "corpus.h"
#include "template.h"

static int mkdirs(char *path)
{
	for (char *p = path + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(path, 0755) < 0 && errno != EEXIST) {
			*p = '/';
			return -1;
		}
		*p = '/';
	}
	return 0;
}

int main(int argc, char **argv)
{
	struct corpus_case *cases = NULL;
	struct pg_buf text = PG_BUF_INIT;
	size_t n = 0;
	char why[512];
	int status = 1;

	if (argc < 3 || argc > 4) {
		fprintf(stderr, "usage: corpus-gen CORPUS OUT [SEED]\n");
		return 2;
	}
	tpl_seed(argc == 4 ? strtoull(argv[3], NULL, 10) : (unsigned long long)time(NULL) ^ (unsigned long long)getpid());
	if (corpus_load(argv[1], &cases, &n, why, sizeof(why)) < 0) {
		fprintf(stderr, "corpus-gen: %s\n", why);
		return 1;
	}
	for (size_t i = 0; i < n; i++) {
		char file[8192], name[512];
		const char *e;
		FILE *fp;

		snprintf(name, sizeof(name), "%s", cases[i].name);
		name[strcspn(name, ".")] = '\0'; /* refuse/dotenv.txt -> refuse/dotenv */
		snprintf(file, sizeof(file), "%s/%s/%s", argv[2], name, cases[i].path);
		if ((e = tpl_expand_file(&text, cases[i].content))) {
			fprintf(stderr, "corpus-gen: %s: %s\n", cases[i].name, e);
			goto out;
		}
		if (mkdirs(file) < 0 || !(fp = fopen(file, "wb"))) {
			fprintf(stderr, "corpus-gen: cannot write %s: %s\n", file, strerror(errno));
			goto out;
		}
		if (fwrite(text.ptr, 1, text.len, fp) != text.len || fclose(fp) != 0) {
			fprintf(stderr, "corpus-gen: cannot write %s\n", file);
			goto out;
		}
		printf("%s %s %s\n", cases[i].refuse ? "refuse" : "accept", name + strcspn(name, "/") + 1,
		       cases[i].path);
	}
	status = 0;
out:
	pg_buf_release(&text);
	corpus_free(cases, n);
	return status;
}
