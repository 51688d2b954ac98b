/* Unit tests for lib/secrets_stream.c (and the piecewise hashing of
 * lib/lineset.c it relies on): a text scanned in small windows must give
 * exactly the findings of the same text scanned whole, whatever the window,
 * the read sizes, the line lengths and which lines are old. Texts and
 * credential-looking values are random, built at run time. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "lineset.h"
#include "rules.h"
#include "secrets.h"
#include "secrets_stream.h"

static const char RULES[] =
	"[[rules]]\n"
	"id = \"acme-token\"\n"
	"regex = '''acme_[a-z0-9]{24}'''\n"
	"keywords = [\"acme_\"]\n"
	"\n"
	"[[rules]]\n"
	"id = \"test-key\"\n"
	"regex = '''-----BEGIN TEST KEY-----[\\s\\S]{8,120}?-----END TEST KEY-----'''\n"
	"keywords = [\"begin test key\"]\n";

struct fx {
	char dir[64];
	struct pg_ruleset rs;
	struct pg_secrets_scanner sc;
	struct pg_error err;
};

static void rand_chars(struct pg_buf *b, size_t n, const char *set)
{
	size_t k = strlen(set);

	for (size_t i = 0; i < n; i++)
		pg_buf_addf(b, "%c", set[(size_t)rand() % k]);
}

static void add_token(struct pg_buf *b)
{
	pg_buf_adds(b, "acme_");
	rand_chars(b, 24, "abcdefghijklmnopqrstuvwxyz0123456789");
}

static void add_base64_token(struct pg_buf *b)
{
	static const char d[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	struct pg_buf plain = PG_BUF_INIT;
	const unsigned char *p;
	size_t n;

	pg_buf_adds(&plain, "token: ");
	add_token(&plain);
	pg_buf_adds(&plain, " in config");
	p = (const unsigned char *)plain.ptr;
	n = plain.len - plain.len % 3;
	for (size_t i = 0; i < n; i += 3) {
		unsigned v = (unsigned)p[i] << 16 | (unsigned)p[i + 1] << 8 | p[i + 2];

		pg_buf_addf(b, "%c%c%c%c", d[v >> 18], d[(v >> 12) & 63], d[(v >> 6) & 63], d[v & 63]);
	}
	pg_buf_release(&plain);
}

static int setup(void **state)
{
	struct fx *fx = calloc(1, sizeof(*fx));
	char path[128];
	FILE *fp;

	if (!fx)
		return -1;
	srand((unsigned)getpid());
	strcpy(fx->dir, "/tmp/pg-stream-XXXXXX");
	if (!mkdtemp(fx->dir))
		return -1;
	snprintf(path, sizeof(path), "%s/rules.toml", fx->dir);
	if (!(fp = fopen(path, "w")))
		return -1;
	fputs(RULES, fp);
	fclose(fp);
	fx->rs = (struct pg_ruleset)PG_RULESET_INIT;
	if (pg_ruleset_load(&fx->rs, path, path, &fx->err) < 0 ||
	    pg_secrets_scanner_init(&fx->sc, &fx->rs, NULL, &fx->err) < 0) {
		fprintf(stderr, "%s\n", fx->err.msg);
		return -1;
	}
	unlink(path);
	*state = fx;
	return 0;
}

static int teardown(void **state)
{
	struct fx *fx = *state;

	pg_secrets_scanner_release(&fx->sc);
	pg_ruleset_release(&fx->rs);
	rmdir(fx->dir);
	free(fx);
	return 0;
}

/* A text read back in pieces of random size (1 .. max). */
struct reader {
	const char *data;
	size_t len, at, max;
};

static ssize_t read_mem(void *payload, char *buf, size_t n, struct pg_error *err)
{
	struct reader *r = payload;
	size_t k = 1 + (size_t)rand() % r->max;

	if (k > n)
		k = n;
	if (k > r->len - r->at)
		k = r->len - r->at;
	memcpy(buf, r->data + r->at, k);
	r->at += k;
	return (ssize_t)k;
}

static int old_lines(void *payload, const struct pg_lineset **out, struct pg_error *err)
{
	*out = payload;
	return 0;
}

static int is_new(void *payload, const char *line, size_t len, struct pg_error *err)
{
	return !pg_lineset_has(payload, line, len);
}

static int by_place(const void *a, const void *b)
{
	const struct pg_secret *x = a, *y = b;

	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	return strcmp(x->rule->id, y->rule->id);
}

static void assert_same(struct pg_secrets_found *whole, struct pg_secrets_found *streamed)
{
	qsort(whole->v, whole->n, sizeof(*whole->v), by_place);
	qsort(streamed->v, streamed->n, sizeof(*streamed->v), by_place);
	assert_int_equal(streamed->n, whole->n);
	for (size_t i = 0; i < whole->n; i++) {
		assert_string_equal(streamed->v[i].rule->id, whole->v[i].rule->id);
		assert_int_equal(streamed->v[i].line, whole->v[i].line);
		assert_int_equal(streamed->v[i].start, whole->v[i].start);
		assert_int_equal(streamed->v[i].end, whole->v[i].end);
		assert_int_equal(streamed->v[i].in_base64, whole->v[i].in_base64);
		assert_string_equal(streamed->v[i].excerpt, whole->v[i].excerpt);
	}
}

/* Scans text whole and in windows (old: the lines that are not new, or NULL). */
static void compare(struct fx *fx, const char *text, size_t len, struct pg_lineset *old, size_t window)
{
	struct pg_secrets_found whole = PG_SECRETS_FOUND_INIT, streamed = PG_SECRETS_FOUND_INIT;
	struct reader r = { text, len, 0, 1 + (size_t)rand() % (window * 2) };
	struct pg_secrets_stream st = { read_mem, &r, old ? old_lines : NULL, old, "f.txt", "c0ffee", window };

	assert_int_equal(pg_secrets_scan(&fx->sc, text, len, "f.txt", "c0ffee", old ? is_new : NULL, old,
					 &whole, &fx->err), PG_OK);
	assert_int_equal(pg_secrets_scan_stream(&fx->sc, &st, &streamed, &fx->err), PG_OK);
	assert_false(st.binary);
	assert_int_equal(st.bytes, len);
	assert_same(&whole, &streamed);
	pg_secrets_found_release(&whole);
	pg_secrets_found_release(&streamed);
}

/* Random lines: short and long ones, some CRLF, with tokens, base64-wrapped
 * tokens and multi-line key blocks at random places. */
static void random_text(struct pg_buf *b, size_t lines, size_t long_len)
{
	static const char filler[] = "abcdefghijklmnopqrstuvwxyz ABCDEFGHIJ=;.,0123456789";

	for (size_t i = 0; i < lines; i++) {
		int kind = rand() % 20;
		size_t n = kind == 0 ? long_len / 2 + (size_t)rand() % long_len : (size_t)rand() % 90;
		size_t at = n ? (size_t)rand() % n : 0;

		rand_chars(b, at, filler);
		if (rand() % 4 == 0)
			add_token(b);
		else if (rand() % 12 == 0) { /* quoted: a base64 run is decoded from its start */
			pg_buf_adds(b, " \"");
			add_base64_token(b);
			pg_buf_adds(b, "\" ");
		}
		else if (rand() % 15 == 0) {
			pg_buf_adds(b, "-----BEGIN TEST KEY-----\n");
			rand_chars(b, 20 + (size_t)rand() % 40, "ABCDEFGHIJKLMNOP");
			pg_buf_adds(b, "\n-----END TEST KEY-----");
		}
		rand_chars(b, n - at, filler);
		pg_buf_adds(b, rand() % 7 ? "\n" : "\r\n");
	}
	if (rand() % 2)
		rand_chars(b, (size_t)rand() % 50, filler); /* no final newline */
}

static void test_windows_find_what_the_whole_text_has(void **state)
{
	static const size_t windows[] = { 512, 777, 1024, 4096 }; /* overlap >= 128: longer than any secret here */
	struct fx *fx = *state;

	for (int round = 0; round < 40; round++) {
		struct pg_buf text = PG_BUF_INIT;

		random_text(&text, 60 + (size_t)rand() % 200, 300 + (size_t)rand() % 9000);
		for (size_t w = 0; w < sizeof(windows) / sizeof(*windows); w++)
			compare(fx, text.ptr, text.len, NULL, windows[w]);
		pg_buf_release(&text);
	}
}

/* Some lines, long ones included, were there before: only the others count. */
static void test_old_lines_decided_by_hash_even_past_a_window(void **state)
{
	struct fx *fx = *state;

	for (int round = 0; round < 40; round++) {
		struct pg_buf text = PG_BUF_INIT;
		struct pg_lineset old = PG_LINESET_INIT;
		const char *p;

		random_text(&text, 40 + (size_t)rand() % 100, 2000 + (size_t)rand() % 6000);
		for (p = text.ptr; p < text.ptr + text.len;) {
			const char *nl = memchr(p, '\n', (size_t)(text.ptr + text.len - p));
			size_t n = nl ? (size_t)(nl - p) : (size_t)(text.ptr + text.len - p);

			if (rand() % 2)
				assert_int_equal(pg_lineset_add_text(&old, p, n), 0);
			p += n + 1;
		}
		compare(fx, text.ptr, text.len, &old, 512);
		compare(fx, text.ptr, text.len, &old, 1024);
		pg_lineset_release(&old);
		pg_buf_release(&text);
	}
}

static void test_one_huge_line_with_secrets_throughout(void **state)
{
	struct fx *fx = *state;
	struct pg_buf text = PG_BUF_INIT;
	struct pg_secrets_found found = PG_SECRETS_FOUND_INIT;
	struct reader r;
	struct pg_secrets_stream st = { read_mem, &r, NULL, NULL, "min.js", "c0ffee", 1024 };

	for (int i = 0; i < 50; i++) {
		rand_chars(&text, 500 + (size_t)rand() % 1500, "abcdefghij(){};=,");
		add_token(&text);
	}
	r = (struct reader){ text.ptr, text.len, 0, 4096 };
	assert_int_equal(pg_secrets_scan_stream(&fx->sc, &st, &found, &fx->err), PG_OK);
	assert_int_equal(found.n, 50);
	for (size_t i = 0; i < found.n; i++)
		assert_int_equal(found.v[i].line, 1);
	/* appended after another text's findings (the same ones): none taken for duplicates */
	r = (struct reader){ text.ptr, text.len, 0, 4096 };
	assert_int_equal(pg_secrets_scan_stream(&fx->sc, &st, &found, &fx->err), PG_OK);
	assert_int_equal(found.n, 100);
	pg_secrets_found_release(&found);
	compare(fx, text.ptr, text.len, NULL, 1024);
	pg_buf_release(&text);
}

static void test_binary_text_is_not_scanned(void **state)
{
	struct fx *fx = *state;
	struct pg_buf text = PG_BUF_INIT;
	struct pg_secrets_found found = PG_SECRETS_FOUND_INIT;
	struct reader r;
	struct pg_secrets_stream st = { read_mem, &r, NULL, NULL, "a.bin", "c0ffee", 1024 };

	pg_buf_addf(&text, "PK%c%c", 3, 4);
	pg_buf_add(&text, "\0\0\0", 3);
	add_token(&text);
	r = (struct reader){ text.ptr, text.len, 0, 100 };
	assert_int_equal(pg_secrets_scan_stream(&fx->sc, &st, &found, &fx->err), PG_OK);
	assert_true(st.binary);
	assert_int_equal(found.n, 0);
	pg_buf_release(&text);
}

static ssize_t read_fails(void *payload, char *buf, size_t n, struct pg_error *err)
{
	return pg_error_set(err, PG_ERR, "cannot read blob 1234");
}

static void test_read_error_is_an_error(void **state)
{
	struct fx *fx = *state;
	struct pg_secrets_found found = PG_SECRETS_FOUND_INIT;
	struct pg_secrets_stream st = { read_fails, NULL, NULL, NULL, "a", "c0ffee", 1024 };

	assert_int_equal(pg_secrets_scan_stream(&fx->sc, &st, &found, &fx->err), PG_ERR);
	assert_non_null(strstr(fx->err.msg, "blob 1234"));
}

/* The time budget is looked at between windows: a large text stops there. */
static void test_deadline_checked_between_windows(void **state)
{
	struct fx *fx = *state;
	struct pg_buf text = PG_BUF_INIT;
	struct pg_secrets_found found = PG_SECRETS_FOUND_INIT;
	struct reader r;
	struct pg_secrets_stream st = { read_mem, &r, NULL, NULL, "a", "c0ffee", 1024, 1 /* long past */ };

	random_text(&text, 200, 100);
	r = (struct reader){ text.ptr, text.len, 0, 4096 };
	assert_int_equal(pg_secrets_scan_stream(&fx->sc, &st, &found, &fx->err), PG_ETIMEOUT);
	assert_true(st.bytes < text.len);
	pg_secrets_found_release(&found);
	/* a text within one window is scanned whole whatever the clock says */
	r = (struct reader){ text.ptr, 900, 0, 4096 };
	assert_int_equal(pg_secrets_scan_stream(&fx->sc, &st, &found, &fx->err), PG_OK);
	pg_secrets_found_release(&found);
	pg_buf_release(&text);
}

/* The piecewise line hashes are those of whole lines, however the text is cut. */
static void test_lineset_pieces_equal_whole_text(void **state)
{
	for (int round = 0; round < 200; round++) {
		struct pg_buf text = PG_BUF_INIT;
		struct pg_lineset whole = PG_LINESET_INIT, pieces = PG_LINESET_INIT;
		struct pg_line_hasher open;
		size_t at = 0;
		const char *p;

		rand_chars(&text, (size_t)rand() % 400, "ab\r\n\n");
		assert_int_equal(pg_lineset_add_text(&whole, text.ptr, text.len), 0);
		pg_line_hasher_init(&open);
		while (at < text.len) {
			size_t k = 1 + (size_t)rand() % 9;

			if (k > text.len - at)
				k = text.len - at;
			assert_int_equal(pg_lineset_add_piece(&pieces, &open, text.ptr + at, k), 0);
			at += k;
		}
		assert_int_equal(pg_lineset_add_end(&pieces, &open), 0);
		assert_int_equal(pieces.n, whole.n);
		for (p = text.ptr; p < text.ptr + text.len;) {
			const char *nl = memchr(p, '\n', (size_t)(text.ptr + text.len - p));
			size_t n = nl ? (size_t)(nl - p) : (size_t)(text.ptr + text.len - p);
			struct pg_line_hasher lh;

			pg_line_hasher_init(&lh);
			for (size_t i = 0; i < n; i++)
				pg_line_hasher_add(&lh, p + i, 1);
			assert_true(pg_lineset_has_hash(&whole, pg_line_hasher_final(&lh)));
			assert_true(pg_lineset_has(&pieces, p, n));
			p += n + 1;
		}
		pg_lineset_release(&whole);
		pg_lineset_release(&pieces);
		pg_buf_release(&text);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_windows_find_what_the_whole_text_has),
		cmocka_unit_test(test_old_lines_decided_by_hash_even_past_a_window),
		cmocka_unit_test(test_one_huge_line_with_secrets_throughout),
		cmocka_unit_test(test_binary_text_is_not_scanned),
		cmocka_unit_test(test_read_error_is_an_error),
		cmocka_unit_test(test_deadline_checked_between_windows),
		cmocka_unit_test(test_lineset_pieces_equal_whole_text),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
