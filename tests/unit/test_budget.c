/* Unit tests for lib/budget.c: the push's time budget. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "budget.h"
#include "clock.h"

static void deadline_default_and_expiry(void **state)
{
	struct pg_policy p;

	(void)state;
	pg_policy_init(&p);
	assert_int_equal(pg_budget_deadline(&p, 1000), 1000 + PG_BUDGET_DEFAULT_MS);
	assert_false(pg_budget_accepts(&p)); /* onTimeout defaults to reject */
	assert_false(pg_budget_expired(0));   /* no deadline */
	assert_true(pg_budget_expired(pg_clock_ms() - 1));
	assert_false(pg_budget_expired(pg_clock_ms() + 60000));
	pg_policy_release(&p);
}

static void refusal_says_how_to_split(void **state)
{
	struct pg_policy p;
	struct pg_push push = PG_PUSH_INIT;
	struct pg_error err = PG_ERROR_INIT;
	struct pg_buf out = PG_BUF_INIT;

	(void)state;
	pg_policy_init(&p);
	assert_int_equal(pg_push_add_update(&push, "refs/heads/main", "1111111111111111111111111111111111111111",
					    "2222222222222222222222222222222222222222", &err), 0);
	assert_int_equal(pg_budget_error(&err, "scanning for secrets"), PG_ETIMEOUT);
	pg_budget_render(&out, &err, &p, &push, false, false);
	assert_non_null(strstr(out.ptr, "push refused: the push is too large to check in time"));
	assert_non_null(strstr(out.ptr, "scanning for secrets"));
	assert_non_null(strstr(out.ptr, "git push origin HASH:refs/heads/main\n"));
	pg_buf_reset(&out);
	pg_budget_render(&out, &err, &p, &push, true, false);
	assert_non_null(strstr(out.ptr, "push NOT fully checked"));
	assert_non_null(strstr(out.ptr, "push.unchecked"));
	assert_null(strstr(out.ptr, "background"));
	pg_buf_reset(&out);
	pg_budget_render(&out, &err, &p, &push, true, true);
	assert_non_null(strstr(out.ptr, "push.unchecked"));
	assert_non_null(strstr(out.ptr, "checked in full in the background"));
	pg_buf_release(&out);
	pg_push_release(&push);
	pg_policy_release(&p);
}

/* The fix line's ref is a word the pusher can paste into a shell: a ref
 * name with shell syntax in it is quoted, never run. */
static void fix_line_quotes_the_ref(void **state)
{
	static const struct { const char *ref, *want; } cases[] = {
		{ "refs/heads/feature/x-1.2_b+c@d", "HASH:refs/heads/feature/x-1.2_b+c@d\n" },
		{ "refs/heads/$(reboot)", "HASH:'refs/heads/$(reboot)'\n" },
		{ "refs/heads/`id`;ls", "HASH:'refs/heads/`id`;ls'\n" },
		{ "refs/heads/it's", "HASH:'refs/heads/it'\\''s'\n" },
		{ "refs/heads/a|b&c>d", "HASH:'refs/heads/a|b&c>d'\n" },
		{ "refs/heads/caf\xc3\xa9", "HASH:'refs/heads/caf\xc3\xa9'\n" },
		/* a bidi override is replaced before quoting, and the '?' quoted */
		{ "refs/heads/x\xe2\x80\xaey", "HASH:'refs/heads/x?y'\n" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		struct pg_policy p;
		struct pg_push push = PG_PUSH_INIT;
		struct pg_error err = PG_ERROR_INIT;
		struct pg_buf out = PG_BUF_INIT;

		pg_policy_init(&p);
		assert_int_equal(pg_push_add_update(&push, cases[i].ref, "1111111111111111111111111111111111111111",
						    "2222222222222222222222222222222222222222", &err), 0);
		pg_budget_error(&err, "walking the commits");
		pg_budget_render(&out, &err, &p, &push, false, false);
		if (!strstr(out.ptr, cases[i].want))
			fail_msg("%s: want %s in:\n%s", cases[i].ref, cases[i].want, out.ptr);
		pg_buf_release(&out);
		pg_push_release(&push);
		pg_policy_release(&p);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(deadline_default_and_expiry),
		cmocka_unit_test(refusal_says_how_to_split),
		cmocka_unit_test(fix_line_quotes_the_ref),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
