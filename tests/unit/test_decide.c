/* pg_decide: every way a push can end, and which input wins when several apply. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "decide.h"
#include "error.h"

/* A push that loaded and was checked, enforced, nothing found. */
static struct pg_decide_input clean(void)
{
	return (struct pg_decide_input){ .rc = 0, .mode = PG_MODE_ENFORCE, .on_error = PG_ON_ERROR_REJECT };
}

static struct pg_decision decide(struct pg_decide_input in)
{
	struct pg_decision d;

	pg_decide(&d, &in);
	return d;
}

#define assert_outcome(d, o) assert_string_equal(pg_outcome_name((d).outcome), pg_outcome_name(o))

static void test_nothing_found_accepts(void **state)
{
	struct pg_decision d = decide(clean());

	(void)state;
	assert_outcome(d, PG_OUTCOME_ACCEPT);
	assert_true(d.accepted);
	assert_false(d.failed || d.unchecked || d.background || d.cut_short);
}

static void test_findings_refuse(void **state)
{
	struct pg_decide_input in = clean();
	struct pg_decision d;

	(void)state;
	in.blocking = 3;
	d = decide(in);
	assert_outcome(d, PG_OUTCOME_REFUSE);
	assert_false(d.accepted);
	assert_false(d.failed || d.unchecked || d.cut_short);
}

static void test_warn_mode_accepts_findings(void **state)
{
	struct pg_decide_input in = clean();
	struct pg_decision d;

	(void)state;
	in.blocking = 1;
	in.mode = PG_MODE_WARN;
	d = decide(in);
	assert_outcome(d, PG_OUTCOME_WARN);
	assert_true(d.accepted);
	assert_false(d.unchecked);
}

static void test_off_accepts_unchecked_by_choice(void **state)
{
	struct pg_decide_input in = clean();
	struct pg_decision d;

	(void)state;
	in.mode = PG_MODE_OFF;
	d = decide(in);
	assert_outcome(d, PG_OUTCOME_OFF);
	assert_true(d.accepted);
	assert_false(d.failed); /* nothing went wrong: the admin turned it off */
}

static void test_bypass_overrides_findings_only(void **state)
{
	struct pg_decide_input in = clean();
	struct pg_decision d;

	(void)state;
	in.blocking = 2;
	in.bypass_honoured = true;
	d = decide(in);
	assert_outcome(d, PG_OUTCOME_BYPASS);
	assert_true(d.accepted);
	/* nothing to override: a plain accept */
	in.blocking = 0;
	assert_outcome(decide(in), PG_OUTCOME_ACCEPT);
	/* a bypass does not override an error or the budget */
	in.blocking = 2;
	in.rc = PG_ERR;
	assert_outcome(decide(in), PG_OUTCOME_ERROR_REFUSE);
	in.rc = PG_ETIMEOUT;
	in.mode = PG_MODE_WARN;
	assert_outcome(decide(in), PG_OUTCOME_TIMEOUT_REFUSE);
}

static void test_errors_fail_closed_unless_on_error_accept(void **state)
{
	struct pg_decide_input in = clean();
	struct pg_decision d;

	(void)state;
	in.rc = PG_ECONFIG;
	d = decide(in);
	assert_outcome(d, PG_OUTCOME_ERROR_REFUSE);
	assert_false(d.accepted);
	assert_true(d.failed);
	in.rc = PG_ERR;
	in.on_error = PG_ON_ERROR_ACCEPT;
	in.recorded = true;
	d = decide(in);
	assert_outcome(d, PG_OUTCOME_ERROR_ACCEPT);
	assert_true(d.accepted && d.failed && d.unchecked);
	assert_false(d.background); /* only the budget's unchecked pushes are checked later */
	/* an error wins over findings already made, and over warn and off */
	in.on_error = PG_ON_ERROR_REJECT;
	in.blocking = 5;
	in.mode = PG_MODE_WARN;
	assert_outcome(decide(in), PG_OUTCOME_ERROR_REFUSE);
	in.mode = PG_MODE_OFF; /* a policy that failed to load: its mode is not known */
	assert_outcome(decide(in), PG_OUTCOME_ERROR_REFUSE);
}

static void test_timeout(void **state)
{
	struct pg_decide_input in = clean();
	struct pg_decision d;

	(void)state;
	in.rc = PG_ETIMEOUT;
	d = decide(in);
	assert_outcome(d, PG_OUTCOME_TIMEOUT_REFUSE);
	assert_false(d.accepted);
	assert_true(d.failed);
	/* onTimeout = accept: accepted unchecked, checked later only where events are recorded */
	in.timeout_accepts = true;
	d = decide(in);
	assert_outcome(d, PG_OUTCOME_TIMEOUT_ACCEPT);
	assert_true(d.accepted && d.unchecked);
	assert_false(d.background);
	in.recorded = true;
	d = decide(in);
	assert_true(d.background);
}

static void test_timeout_after_a_problem_refuses_with_it(void **state)
{
	struct pg_decide_input in = clean();
	struct pg_decision d;

	(void)state;
	in.rc = PG_ETIMEOUT;
	in.blocking = 1;
	in.timeout_accepts = true; /* even under accept-and-report */
	in.recorded = true;
	d = decide(in);
	assert_outcome(d, PG_OUTCOME_REFUSE);
	assert_true(d.cut_short);
	assert_false(d.accepted || d.failed || d.unchecked || d.background);
	/* ... and a bypass honoured for those problems accepts */
	in.bypass_honoured = true;
	d = decide(in);
	assert_outcome(d, PG_OUTCOME_BYPASS);
	assert_true(d.cut_short && d.accepted);
	/* in warn mode the problems do not refuse, so the budget decides */
	in.bypass_honoured = false;
	in.mode = PG_MODE_WARN;
	assert_outcome(decide(in), PG_OUTCOME_TIMEOUT_ACCEPT);
}

static void test_outcome_names(void **state)
{
	(void)state;
	assert_string_equal(pg_outcome_name(PG_OUTCOME_ACCEPT), "accept");
	assert_string_equal(pg_outcome_name(PG_OUTCOME_TIMEOUT_ACCEPT), "timeout-accept");
	assert_string_equal(pg_outcome_name((enum pg_outcome)99), "?");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_nothing_found_accepts),
		cmocka_unit_test(test_findings_refuse),
		cmocka_unit_test(test_warn_mode_accepts_findings),
		cmocka_unit_test(test_off_accepts_unchecked_by_choice),
		cmocka_unit_test(test_bypass_overrides_findings_only),
		cmocka_unit_test(test_errors_fail_closed_unless_on_error_accept),
		cmocka_unit_test(test_timeout),
		cmocka_unit_test(test_timeout_after_a_problem_refuses_with_it),
		cmocka_unit_test(test_outcome_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
