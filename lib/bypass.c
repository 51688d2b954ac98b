#include "bypass.h"

#include <stdlib.h>
#include <string.h>

#include "render.h"

void pg_bypass_release(struct pg_bypass *b)
{
	free(b->reason);
	free(b->refused);
	*b = (struct pg_bypass)PG_BYPASS_INIT;
}

static int refuse(struct pg_bypass *b, const char *why)
{
	b->honoured = false;
	return (b->refused = strdup(why)) ? 0 : -1;
}

int pg_bypass_decide(struct pg_bypass *out, const struct pg_push *push, const struct pg_policy *policy)
{
	struct pg_strvec users = PG_STRVEC_INIT;
	const char *value = NULL;
	size_t olen = strlen(PG_BYPASS_OPTION);
	bool listed = false;
	int ret = -1;

	*out = (struct pg_bypass)PG_BYPASS_INIT;
	for (size_t i = 0; i < push->options.n; i++) {
		const char *o = push->options.v[i];

		if (!strncmp(o, PG_BYPASS_OPTION, olen) && (o[olen] == '=' || !o[olen]))
			value = o[olen] == '=' ? o + olen + 1 : "";
	}
	if (!value)
		return 0;
	out->requested = true;
	if (*value) {
		struct pg_buf r = PG_BUF_INIT;

		pg_render_safe(&r, value);
		if (r.len > PG_BYPASS_MAX_REASON) {
			r.len = PG_BYPASS_MAX_REASON;
			r.ptr[r.len] = '\0';
			while (r.len && ((unsigned char)r.ptr[r.len - 1] & 0xc0) == 0x80) /* no cut UTF-8 */
				r.ptr[--r.len] = '\0';
			if (r.len && (unsigned char)r.ptr[r.len - 1] >= 0xc0)
				r.ptr[--r.len] = '\0';
		}
		if (!(out->reason = pg_buf_detach(&r)))
			return -1;
	}
	if (pg_policy_list(policy, "pushguard.bypassUsers", &users) < 0)
		goto out;
	for (size_t i = 0; push->pusher && i < users.n; i++)
		if (!strcmp(users.v[i], push->pusher))
			listed = true;
	if (!users.n)
		ret = refuse(out, "no bypass users are configured for this repository (pushguard.bypassUsers)");
	else if (!listed)
		ret = refuse(out, "you are not listed in pushguard.bypassUsers");
	else if (!out->reason || !out->reason[strspn(out->reason, " \t")])
		ret = refuse(out, "a bypass needs a reason: git push -o pushguard.bypass=\"why\"");
	else {
		out->honoured = true;
		ret = 0;
	}
out:
	pg_strvec_release(&users);
	if (ret < 0)
		out->honoured = false;
	return ret;
}

void pg_bypass_render(struct pg_buf *out, const struct pg_bypass *b, size_t overridden)
{
	if (!b->requested)
		return;
	if (b->honoured) {
		pg_buf_adds(out, "pushguard: bypass honoured: ");
		pg_render_safe(out, b->reason);
		if (overridden)
			pg_buf_addf(out, "\npushguard: %zu problem%s overridden; this push is recorded as bypassed\n",
				    overridden, overridden == 1 ? "" : "s");
		else
			pg_buf_adds(out, "\npushguard: nothing needed overriding; the bypass is recorded\n");
		return;
	}
	pg_buf_adds(out, "pushguard: bypass not honoured: ");
	pg_render_safe(out, b->refused ? b->refused : "internal error");
	pg_buf_adds(out, "\n");
}
