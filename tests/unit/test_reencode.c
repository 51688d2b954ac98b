/* Unit tests for lib/reencode.c: commit text in a declared encoding becomes UTF-8. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "reencode.h"

static void check(const char *text, const char *encoding, const char *want)
{
	char *got = pg_reencode_utf8(text, encoding);

	assert_non_null(got);
	assert_string_equal(got, want);
	free(got);
}

static void test_latin1_becomes_utf8(void **state)
{
	check("Men\xfc mit Schl\xfcssel", "ISO-8859-1", "Men\xc3\xbc mit Schl\xc3\xbcssel");
	check("caf\xe9", "latin1", "caf\xc3\xa9");
	/* long enough to need more than the first output buffer guess */
	{
		char in[3001], want[6001];

		memset(in, '\xe9', 3000);
		in[3000] = '\0';
		for (int i = 0; i < 3000; i++)
			memcpy(want + 2 * i, "\xc3\xa9", 2);
		want[6000] = '\0';
		check(in, "ISO-8859-1", want);
	}
}

static void test_utf8_or_no_encoding_is_copied(void **state)
{
	check("gr\xc3\xbc\xc3\x9f", NULL, "gr\xc3\xbc\xc3\x9f");
	check("gr\xc3\xbc\xc3\x9f", "", "gr\xc3\xbc\xc3\x9f");
	check("gr\xc3\xbc\xc3\x9f", "utf-8", "gr\xc3\xbc\xc3\x9f");
}

static void test_unknown_or_invalid_is_copied_as_it_is(void **state)
{
	check("caf\xe9", "NO-SUCH-ENCODING-42", "caf\xe9");
	check("\x81\x20 broken", "SHIFT_JIS", "\x81\x20 broken");
	check("", "ISO-8859-1", "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_latin1_becomes_utf8),
		cmocka_unit_test(test_utf8_or_no_encoding_is_copied),
		cmocka_unit_test(test_unknown_or_invalid_is_copied_as_it_is),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
