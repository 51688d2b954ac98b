/* pushguard report [--html FILE] [--since DATE] AUDITLOG...: a text summary
 * of the audit logs, or a self-contained HTML dashboard ("-" reads stdin).
 * Exit 0, or 2 on a usage or read error. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "pushguard.h"

static void usage(void)
{
	fputs("usage: pushguard report [--html FILE] [--since DATE] AUDITLOG...\n", stderr);
}

int pg_cmd_report(int argc, char **argv)
{
	struct pg_error err = PG_ERROR_INIT;
	pg_dashboard *d = NULL;
	struct pg_buf out = PG_BUF_INIT;
	const char *html = NULL, *since = NULL;
	int i, ret = 2;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--html") && i + 1 < argc)
			html = argv[++i];
		else if (!strncmp(argv[i], "--html=", 7))
			html = argv[i] + 7;
		else if (!strcmp(argv[i], "--since") && i + 1 < argc)
			since = argv[++i];
		else if (!strncmp(argv[i], "--since=", 8))
			since = argv[i] + 8;
		else if (!strcmp(argv[i], "--"))
			{ i++; break; }
		else if (argv[i][0] == '-' && argv[i][1])
			{ usage(); return 2; }
		else
			break;
	}
	if (i >= argc) {
		usage();
		return 2;
	}
	pg_buf_init(&out, (size_t)256 << 20);
	if (pg_dashboard_new(&d, since, &err) < 0)
		goto fail;
	for (; i < argc; i++) {
		FILE *fp = strcmp(argv[i], "-") ? fopen(argv[i], "r") : stdin;
		int rc;

		if (!fp) {
			pg_error_set(&err, PG_ERR, "cannot read %s: %s", argv[i], strerror(errno));
			goto fail;
		}
		rc = pg_dashboard_add_file(d, fp, argv[i], &err);
		if (fp != stdin)
			fclose(fp);
		if (rc < 0)
			goto fail;
	}
	if (html) {
		FILE *fp;

		pg_dashboard_html(&out, d);
		if (pg_buf_failed(&out)) {
			pg_error_set(&err, PG_ERR, "out of memory (the report is over 256 MiB)");
			goto fail;
		}
		if (!(fp = fopen(html, "w"))) {
			pg_error_set(&err, PG_ERR, "cannot write %s: %s", html, strerror(errno));
			goto fail;
		}
		fwrite(out.ptr, 1, out.len, fp);
		if (fclose(fp) != 0) {
			pg_error_set(&err, PG_ERR, "cannot write %s: %s", html, strerror(errno));
			goto fail;
		}
		printf("pushguard: HTML report written to %s\n", html);
	} else {
		pg_dashboard_text(&out, d);
		if (pg_buf_failed(&out)) {
			pg_error_set(&err, PG_ERR, "out of memory (the report is over 256 MiB)");
			goto fail;
		}
		fputs(out.ptr, stdout);
	}
	ret = 0;
	goto out;
fail:
	fprintf(stderr, "pushguard: %s\n", err.msg);
out:
	pg_buf_release(&out);
	pg_dashboard_free(d);
	return ret;
}
