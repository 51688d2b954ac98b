#include "template.h"

#include <stdlib.h>
#include <string.h>

static uint64_t rng_state = 0x9e3779b97f4a7c15ULL;

void tpl_seed(uint64_t seed)
{
	rng_state = seed ? seed : 1;
}

static uint64_t rnd(void)
{
	uint64_t x = rng_state;

	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	return rng_state = x;
}

/* Expands the random token at t ("{uuid}", "{SPEC:N}", "{[chars]:N}") into
 * out; *next is set past it. NULL, or what is wrong with the token. */
static const char *random_token(struct pg_buf *out, const char *t, const char **next)
{
	const char *close = strchr(t, '}');
	char set[256];
	size_t nset = 0;
	long n;
	const char *colon;

	if (!close)
		return "unterminated {";
	if (!strncmp(t, "{uuid}", 6)) {
		static const int groups[] = { 8, 4, 4, 4, 12 };

		for (int i = 0; i < 5; i++) {
			if (i)
				pg_buf_addch(out, '-');
			for (int j = 0; j < groups[i]; j++)
				pg_buf_addch(out, "0123456789abcdef"[rnd() % 16]);
		}
		*next = t + 6;
		return NULL;
	}
	if (t[1] == '[') {
		const char *e = strchr(t + 2, ']');

		if (!e || e[1] != ':')
			return "bad {[set]:N}";
		for (const char *p = t + 2; p < e && nset < sizeof(set); p++)
			set[nset++] = *p;
		colon = e + 1;
		close = strchr(colon, '}');
		if (!close)
			return "unterminated {";
	} else {
		colon = NULL;
		for (const char *p = close; p > t; p--)
			if (*p == ':') {
				colon = p;
				break;
			}
		if (!colon)
			return "missing :N in {SPEC:N}";
		for (const char *p = t + 1; p < colon; p++) {
			const char *add = *p == 'A' ? "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
					: *p == 'a' ? "abcdefghijklmnopqrstuvwxyz"
					: *p == '0' ? "0123456789"
					: *p == 'h' ? "0123456789abcdef"
					: *p == 'H' ? "0123456789ABCDEF"
					: *p == '7' ? "234567" : NULL;
			if (add) {
				for (; *add && nset < sizeof(set); add++)
					set[nset++] = *add;
			} else if (nset < sizeof(set)) {
				set[nset++] = *p;
			}
		}
	}
	n = strtol(colon + 1, NULL, 10);
	if (!nset || n <= 0 || n > 4096)
		return "bad {SPEC:N}";
	for (long i = 0; i < n; i++)
		pg_buf_addch(out, set[rnd() % nset]);
	*next = close + 1;
	return NULL;
}

const char *tpl_expand(struct tpl_text *g, const char *t)
{
	const char *why;

	pg_buf_reset(&g->text);
	g->sstart = g->send = -1;
	while (*t) {
		if (t[0] == '<' && t[1] == '<') {
			g->sstart = (long)g->text.len;
			t += 2;
		} else if (t[0] == '>' && t[1] == '>') {
			g->send = (long)g->text.len;
			t += 2;
		} else if (*t == '\\') {
			char c = t[1];

			if (!c)
				return "trailing backslash";
			pg_buf_addch(&g->text, c == 'n' ? '\n' : c == 't' ? '\t' : c);
			t += 2;
		} else if (*t == '{') {
			if ((why = random_token(&g->text, t, &t)))
				return why;
		} else {
			pg_buf_addch(&g->text, *t++);
		}
	}
	if ((g->sstart < 0) != (g->send < 0) || g->send < g->sstart)
		return "unbalanced << >>";
	return NULL;
}

const char *tpl_expand_file(struct pg_buf *out, const char *t)
{
	const char *why;

	pg_buf_reset(out);
	while (*t) {
		if (t[0] == '@' && t[1] == '{') {
			if ((why = random_token(out, t + 1, &t)))
				return why;
		} else {
			pg_buf_addch(out, *t++);
		}
	}
	return NULL;
}

void tpl_text_release(struct tpl_text *g)
{
	pg_buf_release(&g->text);
	*g = (struct tpl_text)TPL_TEXT_INIT;
}
