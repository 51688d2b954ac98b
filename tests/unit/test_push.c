/* Unit tests for lib/push.c: parsing what git hands a hook. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "push.h"

static char Z40[41], Z64[65], A40[41], B40[41], A64[65], B64[65];

static void fill(char *out, char c, size_t n)
{
	memset(out, c, n);
	out[n] = '\0';
}

static int group_setup(void **state)
{
	(void)state;
	fill(Z40, '0', 40);
	fill(Z64, '0', 64);
	/* realistic-looking ids with every hex digit */
	for (size_t i = 0; i < 40; i++) {
		A40[i] = "0123456789abcdef"[i % 16];
		B40[i] = "fedcba9876543210"[i % 16];
	}
	for (size_t i = 0; i < 64; i++) {
		A64[i] = "0123456789abcdef"[(i * 7) % 16];
		B64[i] = "fedcba9876543210"[(i * 5) % 16];
	}
	return 0;
}

struct fx {
	struct pg_push push;
	struct pg_error err;
};

static const char *const env_vars[] = {
	"GIT_PUSH_OPTION_COUNT", "GIT_PUSH_OPTION_0", "GIT_PUSH_OPTION_1", "GIT_PUSH_OPTION_2",
	"GIT_PUSH_OPTION_3", "GL_USERNAME", "GITEA_PUSHER_NAME", "GL_USER", "GITHUB_USER_LOGIN",
	"REMOTE_USER", "PUSHGUARD_PUSHER", "GL_PROTOCOL", "REQUEST_METHOD", "SSH_CONNECTION",
	"SSH_CLIENT", "REMOTE_ADDR",
};

static void clear_env(void)
{
	for (size_t i = 0; i < sizeof(env_vars) / sizeof(*env_vars); i++)
		unsetenv(env_vars[i]);
}

static int setup(void **state)
{
	struct fx *fx = calloc(1, sizeof(*fx));

	if (!fx)
		return -1;
	fx->push = (struct pg_push)PG_PUSH_INIT;
	fx->err = (struct pg_error)PG_ERROR_INIT;
	clear_env();
	*state = fx;
	return 0;
}

static int teardown(void **state)
{
	struct fx *fx = *state;

	pg_push_release(&fx->push);
	free(fx);
	clear_env();
	return 0;
}

static int add_line(struct fx *fx, const char *line, size_t lineno)
{
	return pg_push_add_line(&fx->push, line, strlen(line), lineno, &fx->err);
}

static void test_valid_sha1_update(void **state)
{
	struct fx *fx = *state;
	char line[256];
	struct pg_ref_update *u;

	snprintf(line, sizeof(line), "%s %s refs/heads/main", A40, B40);
	assert_int_equal(add_line(fx, line, 1), PG_OK);
	assert_int_equal(fx->push.nupdates, 1);
	u = &fx->push.updates[0];
	assert_string_equal(u->old, A40);
	assert_string_equal(u->new, B40);
	assert_string_equal(u->ref, "refs/heads/main");
	assert_false(u->created);
	assert_false(u->deleted);
	assert_int_equal(u->kind, PG_REF_BRANCH);
	assert_string_equal(u->short_name, "main");
	assert_ptr_equal(u->short_name, u->ref + strlen("refs/heads/"));
	assert_int_equal(fx->err.code, 0);
}

static void test_valid_sha256_update(void **state)
{
	struct fx *fx = *state;
	char line[256];
	struct pg_ref_update *u;

	snprintf(line, sizeof(line), "%s %s refs/heads/topic/x", A64, B64);
	assert_int_equal(add_line(fx, line, 1), PG_OK);
	assert_int_equal(fx->push.nupdates, 1);
	u = &fx->push.updates[0];
	assert_string_equal(u->old, A64);
	assert_string_equal(u->new, B64);
	assert_int_equal(strlen(u->old), 64);
	assert_string_equal(u->ref, "refs/heads/topic/x");
	assert_string_equal(u->short_name, "topic/x");
	assert_false(u->created);
	assert_false(u->deleted);
}

static void test_create_and_delete(void **state)
{
	struct fx *fx = *state;
	char line[256];

	snprintf(line, sizeof(line), "%s %s refs/heads/new", Z40, A40);
	assert_int_equal(add_line(fx, line, 1), PG_OK);
	snprintf(line, sizeof(line), "%s %s refs/heads/old", A40, Z40);
	assert_int_equal(add_line(fx, line, 2), PG_OK);
	snprintf(line, sizeof(line), "%s %s refs/tags/v2", Z64, B64);
	assert_int_equal(add_line(fx, line, 3), PG_OK);
	snprintf(line, sizeof(line), "%s %s refs/tags/v1", B64, Z64);
	assert_int_equal(add_line(fx, line, 4), PG_OK);
	assert_int_equal(fx->push.nupdates, 4);

	assert_true(fx->push.updates[0].created);
	assert_false(fx->push.updates[0].deleted);
	assert_false(fx->push.updates[1].created);
	assert_true(fx->push.updates[1].deleted);
	assert_true(fx->push.updates[2].created);
	assert_false(fx->push.updates[2].deleted);
	assert_false(fx->push.updates[3].created);
	assert_true(fx->push.updates[3].deleted);
	assert_string_equal(fx->push.updates[1].old, A40);
	assert_string_equal(fx->push.updates[1].new, Z40);
}

static void test_kinds_and_short_names(void **state)
{
	struct fx *fx = *state;
	static const struct {
		const char *ref;
		enum pg_ref_kind kind;
		const char *short_name;
	} c[] = {
		{ "refs/heads/main", PG_REF_BRANCH, "main" },
		{ "refs/heads/feature/login", PG_REF_BRANCH, "feature/login" },
		{ "refs/tags/v1.0", PG_REF_TAG, "v1.0" },
		{ "refs/tags/release/2024", PG_REF_TAG, "release/2024" },
		{ "refs/notes/commits", PG_REF_OTHER, "refs/notes/commits" },
		{ "refs/merge-requests/1/head", PG_REF_OTHER, "refs/merge-requests/1/head" },
		{ "refs/headsx/y", PG_REF_OTHER, "refs/headsx/y" },
	};
	char line[256];

	for (size_t i = 0; i < sizeof(c) / sizeof(*c); i++) {
		snprintf(line, sizeof(line), "%s %s %s", A40, B40, c[i].ref);
		assert_int_equal(add_line(fx, line, i + 1), PG_OK);
	}
	assert_int_equal(fx->push.nupdates, sizeof(c) / sizeof(*c));
	for (size_t i = 0; i < sizeof(c) / sizeof(*c); i++) {
		const struct pg_ref_update *u = &fx->push.updates[i];

		assert_string_equal(u->ref, c[i].ref);
		assert_int_equal(u->kind, c[i].kind);
		assert_string_equal(u->short_name, c[i].short_name);
		/* short_name points into ref */
		assert_true(u->short_name >= u->ref && u->short_name < u->ref + strlen(u->ref));
	}
}

static void test_trailing_cr_accepted(void **state)
{
	struct fx *fx = *state;
	char line[256];

	snprintf(line, sizeof(line), "%s %s refs/heads/main\r", A40, B40);
	assert_int_equal(add_line(fx, line, 1), PG_OK);
	assert_int_equal(fx->push.nupdates, 1);
	assert_string_equal(fx->push.updates[0].ref, "refs/heads/main");
	assert_string_equal(fx->push.updates[0].short_name, "main");
}

static void test_malformed_lines(void **state)
{
	struct fx *fx = *state;
	char a39[40], a41[42], upper[41], nonhex[41];
	char line[512];
	size_t bad = 0;

	memcpy(a39, A40, 39);
	a39[39] = '\0';
	snprintf(a41, sizeof(a41), "%sa", A40);
	snprintf(upper, sizeof(upper), "%s", A40);
	upper[10] = 'A';
	snprintf(nonhex, sizeof(nonhex), "%s", A40);
	nonhex[5] = 'g';

	const char *const tmpl[][3] = {
		/* old, new, rest (after the second space, or NULL for none) */
		{ a39, a39, " refs/heads/main" },
		{ a41, a41, " refs/heads/main" },
		{ A40, A64, " refs/heads/main" },
		{ A64, A40, " refs/heads/main" },
		{ upper, B40, " refs/heads/main" },
		{ A40, upper, " refs/heads/main" },
		{ nonhex, B40, " refs/heads/main" },
		{ A40, B40, NULL },             /* missing ref */
		{ A40, B40, " " },              /* empty ref */
		{ A40, B40, " heads/main" },    /* not under refs/ */
		{ A40, B40, " HEAD" },
		{ A40, B40, " main" },
		{ A40, B40, " ref" },
		{ A40, B40, " refs/heads/a\tb" },
		{ A40, B40, " refs/heads/\x1b[31m" },
		{ A40, B40, " refs/heads/a\x7f" },
		{ A40, B40, " refs/heads/a\rb" },
		{ A40, B40, " refs/heads/a b" },
		{ A40, B40, "  refs/heads/main" }, /* two spaces */
	};

	for (size_t i = 0; i < sizeof(tmpl) / sizeof(*tmpl); i++) {
		int rc;

		fx->err = (struct pg_error)PG_ERROR_INIT;
		snprintf(line, sizeof(line), "%s %s%s", tmpl[i][0], tmpl[i][1], tmpl[i][2] ? tmpl[i][2] : "");
		rc = add_line(fx, line, 1000 + i);
		if (rc != PG_EINPUT || fx->err.code != PG_EINPUT) {
			print_error("case %zu '%s': rc %d code %d, want PG_EINPUT\n", i, line, rc, fx->err.code);
			bad++;
			continue;
		}
		{
			char want[32];

			snprintf(want, sizeof(want), "line %zu ", 1000 + i);
			if (!strstr(fx->err.msg, want)) {
				print_error("case %zu: message '%s' does not name '%s'\n", i, fx->err.msg, want);
				bad++;
			}
		}
	}
	/* lines that are not OLD NEW REF at all */
	{
		static const char *const junk[] = { "", "\r", "hello", " ", "refs/heads/main" };

		for (size_t i = 0; i < sizeof(junk) / sizeof(*junk); i++) {
			fx->err = (struct pg_error)PG_ERROR_INIT;
			if (add_line(fx, junk[i], 7) != PG_EINPUT || !strstr(fx->err.msg, "line 7")) {
				print_error("junk case %zu: code %d msg '%s'\n", i, fx->err.code, fx->err.msg);
				bad++;
			}
		}
	}
	/* leading space before OLD */
	snprintf(line, sizeof(line), " %s %s refs/heads/main", A40, B40);
	fx->err = (struct pg_error)PG_ERROR_INIT;
	if (add_line(fx, line, 9) != PG_EINPUT) {
		print_error("leading space accepted\n");
		bad++;
	}
	assert_int_equal(fx->push.nupdates, 0);
	if (bad)
		fail_msg("%zu malformed lines handled wrongly", bad);
}

/* The line is given as (pointer, length): nothing past len may be read or
 * quoted, e.g. the next line of the input or a secret after it. */
static void test_malformed_line_message_stays_within_len(void **state)
{
	struct fx *fx = *state;
	static const char input[] = "this is not a ref update\nNEXT-LINE-SECRET";
	size_t len = strlen("this is not a ref update");

	assert_int_equal(pg_push_add_line(&fx->push, input, len, 3, &fx->err), PG_EINPUT);
	assert_non_null(strstr(fx->err.msg, "line 3"));
	assert_non_null(strstr(fx->err.msg, "this is not a ref update"));
	assert_null(strstr(fx->err.msg, "NEXT-LINE-SECRET"));
}

/* Same with a heap buffer holding exactly len bytes, no terminator: the
 * parser must not read past it (an AddressSanitizer build reports it). */
static void test_malformed_line_unterminated_buffer(void **state)
{
	struct fx *fx = *state;
	static const char text[] = "0123 refs/heads/x ref";
	size_t len = sizeof(text) - 1;
	char *exact = malloc(len);

	assert_non_null(exact);
	memcpy(exact, text, len);
	assert_int_equal(pg_push_add_line(&fx->push, exact, len, 4, &fx->err), PG_EINPUT);
	assert_non_null(strstr(fx->err.msg, "line 4"));
	free(exact);
}

static void test_valid_line_unterminated_buffer(void **state)
{
	struct fx *fx = *state;
	char line[256];
	size_t len;
	char *exact;

	len = (size_t)snprintf(line, sizeof(line), "%s %s refs/heads/main", A40, B40);
	exact = malloc(len);
	assert_non_null(exact);
	memcpy(exact, line, len);
	assert_int_equal(pg_push_add_line(&fx->push, exact, len, 1, &fx->err), PG_OK);
	free(exact);
	assert_int_equal(fx->push.nupdates, 1);
	assert_string_equal(fx->push.updates[0].ref, "refs/heads/main");
}

static FILE *mem_in(const char *data, size_t len)
{
	FILE *fp = fmemopen((void *)(uintptr_t)data, len, "r");

	assert_non_null(fp);
	return fp;
}

static void test_read_many_lines(void **state)
{
	struct fx *fx = *state;
	struct pg_buf in = PG_BUF_INIT;
	const size_t n = 3000; /* > 64 KiB of input: several reads */
	FILE *fp;

	for (size_t i = 0; i < n; i++) {
		switch (i % 4) {
		case 0:
			pg_buf_addf(&in, "%s %s refs/heads/branch-%zu\n", A40, B40, i);
			break;
		case 1:
			pg_buf_addf(&in, "%s %s refs/tags/v%zu\n", Z40, A40, i);
			break;
		case 2:
			pg_buf_addf(&in, "%s %s refs/heads/gone-%zu\r\n", B40, Z40, i);
			break;
		default:
			pg_buf_addf(&in, "%s %s refs/notes/n%zu\n", B40, A40, i);
		}
	}
	/* the last line may lack its newline */
	pg_buf_addf(&in, "%s %s refs/heads/last", A40, B40);
	assert_true(in.len > 65536);

	fp = mem_in(in.ptr, in.len);
	assert_int_equal(pg_push_read(&fx->push, fp, &fx->err), PG_OK);
	fclose(fp);

	assert_int_equal(fx->push.nupdates, n + 1);
	for (size_t i = 0; i < n; i++) {
		const struct pg_ref_update *u = &fx->push.updates[i];
		char want[64];

		switch (i % 4) {
		case 0:
			snprintf(want, sizeof(want), "refs/heads/branch-%zu", i);
			assert_int_equal(u->kind, PG_REF_BRANCH);
			assert_false(u->created || u->deleted);
			break;
		case 1:
			snprintf(want, sizeof(want), "refs/tags/v%zu", i);
			assert_int_equal(u->kind, PG_REF_TAG);
			assert_true(u->created);
			break;
		case 2:
			snprintf(want, sizeof(want), "refs/heads/gone-%zu", i);
			assert_true(u->deleted);
			break;
		default:
			snprintf(want, sizeof(want), "refs/notes/n%zu", i);
			assert_int_equal(u->kind, PG_REF_OTHER);
		}
		assert_string_equal(u->ref, want);
	}
	assert_string_equal(fx->push.updates[n].ref, "refs/heads/last");

	/* raw input kept verbatim, CRs and all */
	assert_int_equal(fx->push.raw_input.len, in.len);
	assert_memory_equal(fx->push.raw_input.ptr, in.ptr, in.len);
	pg_buf_release(&in);
}

static void test_read_skips_blank_lines(void **state)
{
	struct fx *fx = *state;
	char in[512];
	int len;
	FILE *fp;

	len = snprintf(in, sizeof(in), "\n%s %s refs/heads/a\n\n%s %s refs/heads/b\n\n", A40, B40, B40, A40);
	fp = mem_in(in, (size_t)len);
	assert_int_equal(pg_push_read(&fx->push, fp, &fx->err), PG_OK);
	fclose(fp);
	assert_int_equal(fx->push.nupdates, 2);
	assert_string_equal(fx->push.updates[0].ref, "refs/heads/a");
	assert_string_equal(fx->push.updates[1].ref, "refs/heads/b");
	assert_int_equal(fx->push.raw_input.len, (size_t)len);
}

static void test_read_empty(void **state)
{
	struct fx *fx = *state;
	FILE *fp = fopen("/dev/null", "r");

	assert_non_null(fp);
	assert_int_equal(pg_push_read(&fx->push, fp, &fx->err), PG_OK);
	fclose(fp);
	assert_int_equal(fx->push.nupdates, 0);
	assert_int_equal(fx->push.raw_input.len, 0);
	assert_string_equal(fx->push.raw_input.ptr, "");
}

static void test_read_bad_line_names_line_number(void **state)
{
	struct fx *fx = *state;
	char in[1024];
	int len;
	FILE *fp;

	len = snprintf(in, sizeof(in), "%s %s refs/heads/a\n%s %s refs/heads/b\ngarbage line\n%s %s refs/heads/d\n",
		       A40, B40, A40, B40, A40, B40);
	fp = mem_in(in, (size_t)len);
	assert_int_equal(pg_push_read(&fx->push, fp, &fx->err), PG_EINPUT);
	fclose(fp);
	assert_int_equal(fx->err.code, PG_EINPUT);
	assert_non_null(strstr(fx->err.msg, "line 3 "));
	assert_non_null(strstr(fx->err.msg, "garbage line"));
	/* only the offending line is quoted, not the one after it */
	assert_null(strstr(fx->err.msg, "refs/heads/d"));
}

static void test_add_update(void **state)
{
	struct fx *fx = *state;

	assert_int_equal(pg_push_add_update(&fx->push, "refs/heads/main", A40, B40, &fx->err), PG_OK);
	assert_int_equal(pg_push_add_update(&fx->push, "refs/tags/v1", Z64, A64, &fx->err), PG_OK);
	assert_int_equal(pg_push_add_update(&fx->push, "refs/heads/x", B40, Z40, &fx->err), PG_OK);
	assert_int_equal(fx->push.nupdates, 3);
	assert_string_equal(fx->push.updates[0].old, A40);
	assert_string_equal(fx->push.updates[0].new, B40);
	assert_int_equal(fx->push.updates[0].kind, PG_REF_BRANCH);
	assert_string_equal(fx->push.updates[0].short_name, "main");
	assert_true(fx->push.updates[1].created);
	assert_int_equal(fx->push.updates[1].kind, PG_REF_TAG);
	assert_string_equal(fx->push.updates[1].short_name, "v1");
	assert_string_equal(fx->push.updates[1].new, A64);
	assert_true(fx->push.updates[2].deleted);
}

static void test_add_update_invalid(void **state)
{
	struct fx *fx = *state;
	char a39[40], upper[41];

	memcpy(a39, A40, 39);
	a39[39] = '\0';
	snprintf(upper, sizeof(upper), "%s", A40);
	upper[0] = 'F';

	assert_int_equal(pg_push_add_update(&fx->push, "refs/heads/main", a39, B40, &fx->err), PG_EINPUT);
	assert_int_equal(fx->err.code, PG_EINPUT);
	assert_non_null(strstr(fx->err.msg, "refs/heads/main"));

	fx->err = (struct pg_error)PG_ERROR_INIT;
	assert_int_equal(pg_push_add_update(&fx->push, "refs/heads/main", A40, B64, &fx->err), PG_EINPUT);
	fx->err = (struct pg_error)PG_ERROR_INIT;
	assert_int_equal(pg_push_add_update(&fx->push, "refs/heads/main", upper, B40, &fx->err), PG_EINPUT);
	fx->err = (struct pg_error)PG_ERROR_INIT;
	assert_int_equal(pg_push_add_update(&fx->push, "main", A40, B40, &fx->err), PG_EINPUT);
	assert_non_null(strstr(fx->err.msg, "main"));
	fx->err = (struct pg_error)PG_ERROR_INIT;
	assert_int_equal(pg_push_add_update(&fx->push, "refs/heads/a\nb", A40, B40, &fx->err), PG_EINPUT);
	fx->err = (struct pg_error)PG_ERROR_INIT;
	assert_int_equal(pg_push_add_update(&fx->push, "", A40, B40, &fx->err), PG_EINPUT);
	assert_int_equal(fx->push.nupdates, 0);
}

static void test_too_many_ref_updates(void **state)
{
	struct fx *fx = *state;
	char ref[64];

	for (size_t i = 0; i < PG_MAX_REF_UPDATES; i++) {
		snprintf(ref, sizeof(ref), "refs/tags/t%zu", i);
		if (pg_push_add_update(&fx->push, ref, Z40, A40, &fx->err) != PG_OK)
			fail_msg("update %zu: %s", i, fx->err.msg);
	}
	assert_int_equal(fx->push.nupdates, PG_MAX_REF_UPDATES);
	assert_int_equal(pg_push_add_update(&fx->push, "refs/tags/one-more", Z40, A40, &fx->err), PG_EINPUT);
	assert_int_equal(fx->push.nupdates, PG_MAX_REF_UPDATES);
}

static void test_oid_hex_is_zero(void **state)
{
	char almost[41];

	(void)state;
	assert_true(pg_oid_hex_is_zero(Z40));
	assert_true(pg_oid_hex_is_zero(Z64));
	assert_false(pg_oid_hex_is_zero(A40));
	snprintf(almost, sizeof(almost), "%s", Z40);
	almost[39] = '1';
	assert_false(pg_oid_hex_is_zero(almost));
}

static void test_release_resets(void **state)
{
	struct fx *fx = *state;

	assert_int_equal(pg_push_add_update(&fx->push, "refs/heads/main", A40, B40, &fx->err), PG_OK);
	pg_push_release(&fx->push);
	assert_int_equal(fx->push.nupdates, 0);
	assert_null(fx->push.updates);
	assert_int_equal(fx->push.options.n, 0);
	assert_null(fx->push.pusher);
	/* and it is usable again */
	assert_int_equal(pg_push_add_update(&fx->push, "refs/heads/b", A40, B40, &fx->err), PG_OK);
	assert_int_equal(fx->push.nupdates, 1);
}

static void test_options_unset_and_zero(void **state)
{
	struct fx *fx = *state;

	setenv("PUSHGUARD_PUSHER", "bob", 1);
	assert_int_equal(pg_push_read_env(&fx->push, &fx->err), PG_OK);
	assert_int_equal(fx->push.options.n, 0);
	assert_string_equal(fx->push.pusher, "bob");
	assert_string_equal(fx->push.pusher_source, "PUSHGUARD_PUSHER");
	assert_string_equal(fx->push.protocol, "local");
	pg_push_release(&fx->push);

	setenv("GIT_PUSH_OPTION_COUNT", "0", 1);
	setenv("GIT_PUSH_OPTION_0", "ignored", 1); /* count says none */
	assert_int_equal(pg_push_read_env(&fx->push, &fx->err), PG_OK);
	assert_int_equal(fx->push.options.n, 0);
	assert_string_equal(fx->push.pusher, "bob");
}

static void test_options_read_verbatim(void **state)
{
	struct fx *fx = *state;

	setenv("GIT_PUSH_OPTION_COUNT", "3", 1);
	setenv("GIT_PUSH_OPTION_0", "ci.skip", 1);
	setenv("GIT_PUSH_OPTION_1", "reviewer=alice smith", 1);
	setenv("GIT_PUSH_OPTION_2", " spaced = value ", 1);
	setenv("GIT_PUSH_OPTION_3", "beyond-count", 1);
	assert_int_equal(pg_push_read_env(&fx->push, &fx->err), PG_OK);
	assert_int_equal(fx->push.options.n, 3);
	assert_string_equal(fx->push.options.v[0], "ci.skip");
	assert_string_equal(fx->push.options.v[1], "reviewer=alice smith");
	assert_string_equal(fx->push.options.v[2], " spaced = value ");
}

static void test_options_bad_count(void **state)
{
	struct fx *fx = *state;
	static const char *const bad[] = { "abc", "-1", "2x", "1e3", "99999999999999999999", "1000000" };

	for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++) {
		fx->err = (struct pg_error)PG_ERROR_INIT;
		setenv("GIT_PUSH_OPTION_COUNT", bad[i], 1);
		if (pg_push_read_env(&fx->push, &fx->err) != PG_EINPUT || fx->err.code != PG_EINPUT ||
		    !strstr(fx->err.msg, "GIT_PUSH_OPTION_COUNT"))
			fail_msg("GIT_PUSH_OPTION_COUNT='%s': code %d msg '%s'", bad[i], fx->err.code, fx->err.msg);
		pg_push_release(&fx->push);
	}
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_valid_sha1_update),
		T(test_valid_sha256_update),
		T(test_create_and_delete),
		T(test_kinds_and_short_names),
		T(test_trailing_cr_accepted),
		T(test_malformed_lines),
		T(test_malformed_line_message_stays_within_len),
		T(test_valid_line_unterminated_buffer),
		T(test_read_many_lines),
		T(test_read_skips_blank_lines),
		T(test_read_empty),
		T(test_read_bad_line_names_line_number),
		T(test_add_update),
		T(test_add_update_invalid),
		T(test_too_many_ref_updates),
		T(test_oid_hex_is_zero),
		T(test_release_resets),
		T(test_options_unset_and_zero),
		T(test_options_read_verbatim),
		T(test_options_bad_count),
		/* last: under AddressSanitizer an over-read aborts the program */
		T(test_malformed_line_unterminated_buffer),
	};
#undef T

	return cmocka_run_group_tests_name("push", tests, group_setup, NULL);
}
