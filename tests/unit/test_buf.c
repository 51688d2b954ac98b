/* Unit tests for lib/buf.c: the capped, always-terminated byte buffer. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"

static int setup_buf(void **state)
{
	struct pg_buf *b = malloc(sizeof(*b));

	if (!b)
		return -1;
	pg_buf_init(b, 0);
	*state = b;
	return 0;
}

static int teardown_buf(void **state)
{
	struct pg_buf *b = *state;

	pg_buf_release(b);
	free(b);
	return 0;
}

static void test_static_init_is_empty_string(void **state)
{
	struct pg_buf b = PG_BUF_INIT;

	(void)state;
	assert_non_null(b.ptr);
	assert_ptr_equal(b.ptr, pg_buf_empty);
	assert_string_equal(b.ptr, "");
	assert_int_equal(b.len, 0);
}

static void test_release_merely_initialised(void **state)
{
	struct pg_buf a = PG_BUF_INIT, c;

	(void)state;
	pg_buf_release(&a); /* must not free the shared empty string */
	assert_ptr_equal(a.ptr, pg_buf_empty);
	assert_int_equal(a.len, 0);
	assert_string_equal(a.ptr, "");
	pg_buf_release(&a); /* twice is fine too */
	assert_ptr_equal(a.ptr, pg_buf_empty);

	pg_buf_init(&c, 16);
	pg_buf_release(&c);
	assert_ptr_equal(c.ptr, pg_buf_empty);
	assert_int_equal(c.len, 0);
	assert_int_equal(pg_buf_empty[0], '\0');
}

static void test_appends(void **state)
{
	struct pg_buf *b = *state;

	assert_int_equal(pg_buf_adds(b, "hello"), 0);
	assert_int_equal(pg_buf_addch(b, ','), 0);
	assert_int_equal(pg_buf_add(b, " worldXXX", 6), 0);
	assert_int_equal(pg_buf_adds(b, ""), 0);
	assert_int_equal(pg_buf_addch(b, '!'), 0);
	assert_string_equal(b->ptr, "hello, world!");
	assert_int_equal(b->len, 13);
	assert_int_equal(b->ptr[b->len], '\0');
	/* the shared empty string was never written to */
	assert_ptr_not_equal(b->ptr, pg_buf_empty);
	assert_int_equal(pg_buf_empty[0], '\0');
}

static void test_binary_with_nul(void **state)
{
	struct pg_buf *b = *state;
	static const char data[] = { 'a', '\0', 'b', '\n', '\x7f' };

	assert_int_equal(pg_buf_add(b, data, sizeof(data)), 0);
	assert_int_equal(b->len, sizeof(data));
	assert_memory_equal(b->ptr, data, sizeof(data));
	assert_int_equal(b->ptr[sizeof(data)], '\0');
}

static void test_growth_many_appends(void **state)
{
	struct pg_buf *b = *state;
	size_t i;

	for (i = 0; i < 100000; i++)
		assert_int_equal(pg_buf_addch(b, (char)('a' + i % 26)), 0);
	assert_int_equal(b->len, 100000);
	assert_int_equal(strlen(b->ptr), 100000);
	for (i = 0; i < 100000; i++)
		if (b->ptr[i] != (char)('a' + i % 26))
			fail_msg("byte %zu is '%c'", i, b->ptr[i]);
}

static void test_addf(void **state)
{
	struct pg_buf *b = *state;
	char expect[600];

	assert_int_equal(pg_buf_addf(b, "%s=%d", "x", 42), 0);
	assert_string_equal(b->ptr, "x=42");
	assert_int_equal(pg_buf_addf(b, ";%c%zu", 'y', (size_t)7), 0);
	assert_string_equal(b->ptr, "x=42;y7");
	assert_int_equal(b->len, 7);
	/* longer than the first allocation */
	assert_int_equal(pg_buf_addf(b, "[%0500d]", 5), 0);
	snprintf(expect, sizeof(expect), "x=42;y7[%0500d]", 5);
	assert_string_equal(b->ptr, expect);
	assert_int_equal(b->len, strlen(expect));
	/* an empty expansion still leaves a valid string */
	assert_int_equal(pg_buf_addf(b, "%s", ""), 0);
	assert_int_equal(b->len, strlen(expect));
}

static int vaddf_wrapper(struct pg_buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static int vaddf_wrapper(struct pg_buf *b, const char *fmt, ...)
{
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = pg_buf_vaddf(b, fmt, ap);
	va_end(ap);
	return rc;
}

static void test_vaddf(void **state)
{
	struct pg_buf *b = *state;

	assert_int_equal(vaddf_wrapper(b, "%s-%03d", "n", 9), 0);
	assert_string_equal(b->ptr, "n-009");
}

static void test_addf_on_initialised_buffer(void **state)
{
	struct pg_buf b = PG_BUF_INIT;

	(void)state;
	assert_int_equal(pg_buf_addf(&b, "%d", 123), 0);
	assert_string_equal(b.ptr, "123");
	assert_int_equal(pg_buf_empty[0], '\0');
	pg_buf_release(&b);
}

static void test_cap_exact_fits(void **state)
{
	struct pg_buf b;

	(void)state;
	pg_buf_init(&b, 10);
	assert_int_equal(pg_buf_adds(&b, "0123456789"), 0);
	assert_int_equal(b.len, 10);
	assert_string_equal(b.ptr, "0123456789");
	/* one more byte is over the cap */
	assert_int_equal(pg_buf_addch(&b, 'x'), -1);
	assert_int_equal(b.len, 10);
	assert_string_equal(b.ptr, "0123456789");
	pg_buf_release(&b);
}

static void test_cap_append_beyond_leaves_content(void **state)
{
	struct pg_buf b;

	(void)state;
	pg_buf_init(&b, 8);
	assert_int_equal(pg_buf_adds(&b, "abc"), 0);
	assert_int_equal(pg_buf_adds(&b, "123456"), -1);
	assert_int_equal(b.len, 3);
	assert_string_equal(b.ptr, "abc");
	assert_int_equal(pg_buf_add(&b, "123456789012", 12), -1);
	assert_string_equal(b.ptr, "abc");
	assert_int_equal(pg_buf_addf(&b, "%s", "defghi"), -1);
	assert_int_equal(b.len, 3);
	assert_string_equal(b.ptr, "abc");
	assert_true(pg_buf_failed(&b));
	pg_buf_release(&b);
}

/* A failure sticks: later appends that would fit fail too, so the text is
 * never one with a hole where the failed piece was. */
static void test_failure_is_sticky(void **state)
{
	struct pg_buf b;

	(void)state;
	pg_buf_init(&b, 8);
	assert_false(pg_buf_failed(&b));
	assert_int_equal(pg_buf_adds(&b, "abc"), 0);
	assert_false(pg_buf_failed(&b));
	assert_int_equal(pg_buf_adds(&b, "123456"), -1);
	assert_true(pg_buf_failed(&b));
	assert_int_equal(pg_buf_adds(&b, "de"), -1);
	assert_int_equal(pg_buf_addch(&b, 'd'), -1);
	assert_int_equal(pg_buf_add(&b, "", 0), -1);
	assert_int_equal(pg_buf_addf(&b, "%d", 1), -1);
	assert_int_equal(pg_buf_add_shell_quoted(&b, "x"), -1);
	assert_int_equal(b.len, 3);
	assert_string_equal(b.ptr, "abc");
	assert_true(pg_buf_failed(&b));
	/* reset starts over */
	pg_buf_reset(&b);
	assert_false(pg_buf_failed(&b));
	assert_int_equal(pg_buf_adds(&b, "defgh"), 0);
	assert_string_equal(b.ptr, "defgh");
	/* so does release */
	assert_int_equal(pg_buf_adds(&b, "ijkl"), -1);
	assert_true(pg_buf_failed(&b));
	pg_buf_release(&b);
	assert_false(pg_buf_failed(&b));
	assert_int_equal(b.cap, 8);
	assert_int_equal(pg_buf_adds(&b, "12345678"), 0);
	pg_buf_release(&b);
}

/* A failed formatted append leaves no partial output behind, even when part
 * of it was formatted into the free space. */
static void test_failed_addf_leaves_no_partial_text(void **state)
{
	struct pg_buf b;

	(void)state;
	pg_buf_init(&b, 100);
	assert_int_equal(pg_buf_adds(&b, "x"), 0); /* allocates 64 bytes: room to format into */
	assert_int_equal(pg_buf_addf(&b, "%0120d", 7), -1);
	assert_int_equal(b.len, 1);
	assert_string_equal(b.ptr, "x");
	assert_true(pg_buf_failed(&b));
	pg_buf_release(&b);
}

/* The failure is checked once where the text is used: detach says NULL. */
static void test_detach_of_failed_buffer_is_null(void **state)
{
	struct pg_buf b;

	(void)state;
	pg_buf_init(&b, 4);
	pg_buf_adds(&b, "ab");
	pg_buf_adds(&b, "cdef");
	pg_buf_adds(&b, "c");
	assert_null(pg_buf_detach(&b));
	/* and the buffer is usable again, with its cap */
	assert_false(pg_buf_failed(&b));
	assert_ptr_equal(b.ptr, pg_buf_empty);
	assert_int_equal(b.cap, 4);
	assert_int_equal(pg_buf_adds(&b, "abcd"), 0);
	pg_buf_release(&b);
}

static void test_cap_on_empty_buffer(void **state)
{
	struct pg_buf b;

	(void)state;
	pg_buf_init(&b, 4);
	assert_int_equal(pg_buf_adds(&b, "12345"), -1);
	assert_int_equal(b.len, 0);
	assert_string_equal(b.ptr, "");
	/* a huge length must not wrap around */
	pg_buf_reset(&b);
	assert_int_equal(pg_buf_add(&b, "x", (size_t)-1), -1);
	assert_true(pg_buf_failed(&b));
	assert_int_equal(b.len, 0);
	assert_int_equal(pg_buf_empty[0], '\0');
	pg_buf_release(&b);
}

static void test_default_cap_allows_large(void **state)
{
	struct pg_buf *b = *state;
	size_t n = (size_t)1 << 20;
	char *big = malloc(n);

	assert_non_null(big);
	memset(big, 'q', n);
	assert_int_equal(pg_buf_add(b, big, n), 0);
	assert_int_equal(b->len, n);
	assert_int_equal(b->ptr[n - 1], 'q');
	assert_int_equal(b->ptr[n], '\0');
	free(big);
}

static void test_reset(void **state)
{
	struct pg_buf *b = *state;
	struct pg_buf e = PG_BUF_INIT;

	assert_int_equal(pg_buf_adds(b, "something"), 0);
	pg_buf_reset(b);
	assert_int_equal(b->len, 0);
	assert_string_equal(b->ptr, "");
	assert_int_equal(pg_buf_adds(b, "else"), 0);
	assert_string_equal(b->ptr, "else");

	pg_buf_reset(&e);
	assert_string_equal(e.ptr, "");
	assert_int_equal(pg_buf_empty[0], '\0');
}

static void test_detach(void **state)
{
	struct pg_buf *b = *state;
	char *s;

	assert_int_equal(pg_buf_addf(b, "detach %d", 1), 0);
	s = pg_buf_detach(b);
	assert_non_null(s);
	assert_string_equal(s, "detach 1");
	/* the buffer is empty and usable again */
	assert_int_equal(b->len, 0);
	assert_string_equal(b->ptr, "");
	assert_ptr_not_equal(b->ptr, s);
	assert_int_equal(pg_buf_adds(b, "again"), 0);
	assert_string_equal(b->ptr, "again");
	assert_string_equal(s, "detach 1");
	free(s);
}

static void test_detach_initialised_gives_heap_string(void **state)
{
	struct pg_buf b = PG_BUF_INIT;
	char *s;

	(void)state;
	s = pg_buf_detach(&b);
	assert_non_null(s);
	assert_ptr_not_equal(s, pg_buf_empty);
	assert_string_equal(s, "");
	free(s); /* must be free()-able */
	assert_ptr_equal(b.ptr, pg_buf_empty);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_static_init_is_empty_string),
		cmocka_unit_test(test_release_merely_initialised),
		cmocka_unit_test_setup_teardown(test_appends, setup_buf, teardown_buf),
		cmocka_unit_test_setup_teardown(test_binary_with_nul, setup_buf, teardown_buf),
		cmocka_unit_test_setup_teardown(test_growth_many_appends, setup_buf, teardown_buf),
		cmocka_unit_test_setup_teardown(test_addf, setup_buf, teardown_buf),
		cmocka_unit_test_setup_teardown(test_vaddf, setup_buf, teardown_buf),
		cmocka_unit_test(test_addf_on_initialised_buffer),
		cmocka_unit_test(test_cap_exact_fits),
		cmocka_unit_test(test_cap_append_beyond_leaves_content),
		cmocka_unit_test(test_cap_on_empty_buffer),
		cmocka_unit_test(test_failure_is_sticky),
		cmocka_unit_test(test_failed_addf_leaves_no_partial_text),
		cmocka_unit_test(test_detach_of_failed_buffer_is_null),
		cmocka_unit_test_setup_teardown(test_default_cap_allows_large, setup_buf, teardown_buf),
		cmocka_unit_test_setup_teardown(test_reset, setup_buf, teardown_buf),
		cmocka_unit_test_setup_teardown(test_detach, setup_buf, teardown_buf),
		cmocka_unit_test(test_detach_initialised_gives_heap_string),
	};

	return cmocka_run_group_tests_name("buf", tests, NULL, NULL);
}
