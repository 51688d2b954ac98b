#include "decide.h"

#include "error.h"

void pg_decide(struct pg_decision *out, const struct pg_decide_input *in)
{
	enum pg_outcome o;
	int rc = in->rc;

	*out = (struct pg_decision){ 0 };
	/* What was found before the budget ran out refuses an enforced push
	 * whatever the rest holds: the pusher gets those problems, not "too large". */
	if (rc == PG_ETIMEOUT && in->mode == PG_MODE_ENFORCE && in->blocking) {
		out->cut_short = true;
		rc = 0;
	}
	if (rc == PG_ETIMEOUT)
		o = in->timeout_accepts ? PG_OUTCOME_TIMEOUT_ACCEPT : PG_OUTCOME_TIMEOUT_REFUSE;
	else if (rc < 0)
		o = in->on_error == PG_ON_ERROR_ACCEPT ? PG_OUTCOME_ERROR_ACCEPT : PG_OUTCOME_ERROR_REFUSE;
	else if (in->mode == PG_MODE_OFF)
		o = PG_OUTCOME_OFF;
	else if (!in->blocking)
		o = PG_OUTCOME_ACCEPT;
	else if (in->bypass_honoured)
		o = PG_OUTCOME_BYPASS;
	else if (in->mode == PG_MODE_WARN)
		o = PG_OUTCOME_WARN;
	else
		o = PG_OUTCOME_REFUSE;
	out->outcome = o;
	out->accepted = o != PG_OUTCOME_REFUSE && o != PG_OUTCOME_ERROR_REFUSE && o != PG_OUTCOME_TIMEOUT_REFUSE;
	out->failed = o == PG_OUTCOME_ERROR_REFUSE || o == PG_OUTCOME_ERROR_ACCEPT ||
		      o == PG_OUTCOME_TIMEOUT_REFUSE || o == PG_OUTCOME_TIMEOUT_ACCEPT;
	out->unchecked = o == PG_OUTCOME_ERROR_ACCEPT || o == PG_OUTCOME_TIMEOUT_ACCEPT;
	out->background = o == PG_OUTCOME_TIMEOUT_ACCEPT && in->recorded;
}

const char *pg_outcome_name(enum pg_outcome o)
{
	static const char *const names[] = { "accept", "off", "refuse", "warn", "bypass",
					     "error-refuse", "error-accept", "timeout-refuse", "timeout-accept" };

	return (unsigned)o < sizeof(names) / sizeof(*names) ? names[o] : "?";
}
