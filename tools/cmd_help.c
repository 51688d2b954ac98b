/* pushguard help config: every configuration key, from the modules' key
 * tables (the one source). As text, one line a key; as Markdown, the
 * configuration reference (docs/config.md, written by `make docs`): each key's
 * values, its built-in default, and its effective default under the shipped
 * default policy, read by loading that policy as a repository would. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "pushguard.h"

static const char *kind_text(const struct pg_key_def *k)
{
	switch (k->kind) {
	case PG_KEY_BOOL:
		return "`true` or `false`";
	case PG_KEY_SIZE:
		return "a size: `512k`, `100m`, `1g` (`0` = no limit)";
	case PG_KEY_COUNT:
		return "a whole number";
	case PG_KEY_DURATION:
		return "a duration: `500ms`, `3s`, `2m`, `1h` (a bare number is seconds)";
	case PG_KEY_STRING:
		return "text";
	case PG_KEY_ENUM:
		return NULL; /* the choices, below */
	case PG_KEY_REGEX:
		return "a PCRE2 regular expression";
	case PG_KEY_PATH:
		return "an absolute path";
	case PG_KEY_URL:
		return "an `http://` or `https://` URL";
	case PG_KEY_STRINGS:
		return "text, multi-valued";
	case PG_KEY_REF_GLOBS:
		return "full ref globs (`refs/heads/*`), multi-valued";
	case PG_KEY_PATH_GLOBS:
		return "path globs, multi-valued";
	}
	return "text";
}

/* `value` as a Markdown code span; in a table cell '|' is escaped. */
static void code_span(struct pg_buf *out, const char *value, int in_table)
{
	const char *fence = strchr(value, '`') ? "`` " : "`";

	pg_buf_adds(out, fence);
	for (const char *c = value; *c; c++) {
		if (*c == '|' && in_table)
			pg_buf_adds(out, "\\|");
		else if (*c == '\n')
			pg_buf_addch(out, ' ');
		else
			pg_buf_addch(out, *c);
	}
	pg_buf_adds(out, strchr(value, '`') ? " ``" : "`");
}

/* The GitHub anchor of a heading "`pushguard.x.y`": lower case, no dots. */
static void anchor(struct pg_buf *out, const char *name)
{
	for (const char *c = name; *c; c++)
		if (*c != '.')
			pg_buf_addch(out, (char)(*c >= 'A' && *c <= 'Z' ? *c - 'A' + 'a' : *c));
}

/* The section a key belongs to: its middle word (pushguard.files.deny: files),
 * or "general" for pushguard.NAME. */
static void section_of(char *out, size_t n, const char *name)
{
	const char *a = strchr(name, '.'), *b = a ? strchr(a + 1, '.') : NULL;

	if (!b)
		snprintf(out, n, "general");
	else
		snprintf(out, n, "%.*s", (int)(b - a - 1), a + 1);
}

/* The key's values under the loaded policy, when a file (not the built-in
 * layer) sets them; 0 when none does. */
static size_t policy_values(const pg_policy *p, const char *key, const char **v, size_t max)
{
	size_t n = 0;

	for (size_t i = 0; i < pg_policy_nsettings(p); i++) {
		const struct pg_setting *s = pg_policy_setting_at(p, i);

		if (strcmp(s->key, key) || !strcmp(s->origin, "built-in"))
			continue;
		if (n < max)
			v[n] = s->value;
		n++;
	}
	return n;
}

#define MAX_VALUES 64

static const char *section_title(const char *word)
{
	static const struct {
		const char *word, *title;
	} titles[] = {
		{ "general", "General" },
		{ "refs", "Push rules: refs" },
		{ "commits", "Push rules: commits" },
		{ "files", "Push rules: files" },
		{ "secrets", "Secret scanning" },
		{ "tickets", "Change tickets" },
		{ "signatures", "Signed commits" },
		{ "webhook", "Webhook" },
	};

	for (size_t i = 0; i < sizeof(titles) / sizeof(*titles); i++)
		if (!strcmp(titles[i].word, word))
			return titles[i].title;
	return word;
}

/* One key: its description, values and both defaults. */
static void key_section(struct pg_buf *out, const pg_policy *policy, const struct pg_key_def *k)
{
	const char *v[MAX_VALUES];
	size_t n = policy_values(policy, k->name, v, MAX_VALUES);
	const char *kind = kind_text(k);

	pg_buf_addf(out, "\n### `%s`\n\n%s\n\n", k->name, k->doc ? k->doc : k->help);
	pg_buf_adds(out, "- value: ");
	if (kind) {
		pg_buf_adds(out, kind);
	} else {
		const char *c = k->choices;

		pg_buf_adds(out, "one of ");
		while (*c) {
			size_t len = strcspn(c, "|");
			char one[64];

			snprintf(one, sizeof(one), "%.*s", (int)len, c);
			code_span(out, one, 0);
			c += len;
			if (*c == '|') {
				c++;
				pg_buf_adds(out, strchr(c, '|') ? ", " : " or ");
			}
		}
	}
	pg_buf_adds(out, "\n- built-in default: ");
	pg_buf_adds(out, *k->def ? k->def : "unset");
	pg_buf_adds(out, "\n- under the default policy: ");
	if (!n) {
		pg_buf_adds(out, "the built-in default");
	} else {
		for (size_t j = 0; j < n && j < MAX_VALUES; j++) {
			if (j)
				pg_buf_adds(out, ", ");
			code_span(out, v[j], 0);
		}
		if (n > MAX_VALUES)
			pg_buf_addf(out, " and %zu more", n - MAX_VALUES);
	}
	pg_buf_addch(out, '\n');
}

#define MAX_KEYS 512

/* The keys grouped by section, sections in order of first appearance. */
static size_t grouped(const struct pg_key_def **order, size_t max)
{
	const struct pg_key_def *k, *e;
	char section[64], sec[64];
	size_t n = 0;

	for (size_t i = 0; (k = pg_policy_key(i)); i++) {
		int seen = 0;

		section_of(section, sizeof(section), k->name);
		for (size_t j = 0; j < i && !seen; j++) {
			section_of(sec, sizeof(sec), pg_policy_key(j)->name);
			seen = !strcmp(sec, section);
		}
		for (size_t j = i; !seen && (e = pg_policy_key(j)); j++) {
			section_of(sec, sizeof(sec), e->name);
			if (!strcmp(sec, section) && n < max)
				order[n++] = e;
		}
	}
	return n;
}

static int markdown(void)
{
	struct pg_policy_paths paths = { .system_file = "", .policy_dir = NULL, .repo_config = NULL };
	pg_policy *policy = NULL;
	struct pg_error err = PG_ERROR_INIT;
	struct pg_buf out = PG_BUF_INIT;
	const struct pg_key_def *k;
	const char *v[MAX_VALUES];
	const struct pg_key_def *order[MAX_KEYS];
	char section[64] = "", sec[64];
	size_t nkeys = grouped(order, MAX_KEYS);
	int ret = 2, inited = 0;

	if (pg_policy_new(&policy, &err) < 0 || pg_repo_global_init(&err) < 0) {
		fprintf(stderr, "pushguard: %s\n", err.msg);
		goto out;
	}
	inited = 1;
	if (pg_policy_load(policy, &paths, &err) < 0) {
		fprintf(stderr, "pushguard: the default policy does not load: %s\n", err.msg);
		goto out;
	}
	if (pg_policy_key(nkeys)) {
		fprintf(stderr, "pushguard: more than %d keys\n", MAX_KEYS);
		goto out;
	}
	for (size_t i = 0; (k = pg_policy_key(i)); i++)
		if (!k->def) {
			fprintf(stderr, "pushguard: %s has no documented default (struct pg_key_def.def)\n", k->name);
			goto out;
		}

	pg_buf_adds(&out,
		    "# Configuration keys\n"
		    "\n"
		    "<!-- Generated by `pushguard help config --format markdown` (`make docs`) from the\n"
		    "     key tables in lib/ and policies/default.conf: edit those, not this file. -->\n"
		    "\n"
		    "Every `pushguard.*` key, as `pushguard help config` lists them. How the layers\n"
		    "combine (built-in defaults, the system file, the named policy, the policy ref, the\n"
		    "repository), how multi-valued keys add up and what globs and patterns mean:\n"
		    "[Configuration](policy.md).\n"
		    "An unknown key or an invalid value refuses pushes until it is fixed; `pushguard check\n"
		    "REPO` shows each effective value with the file it came from.\n"
		    "\n"
		    "Two defaults for each key: **built-in**, what applies when no file sets the key, and\n"
		    "**default policy**, what a repository gets under the shipped `policies/default.conf`\n"
		    "(the policy every repository uses unless `pushguard.policy` names another) with no\n"
		    "system file and nothing set in the repository.\n"
		    "\n"
		    "| key | built-in default | under the default policy |\n"
		    "|---|---|---|\n");
	for (size_t i = 0; i < nkeys; i++) {
		size_t n = policy_values(policy, (k = order[i])->name, v, MAX_VALUES);

		pg_buf_adds(&out, "| [`");
		pg_buf_adds(&out, k->name);
		pg_buf_adds(&out, "`](#");
		anchor(&out, k->name);
		pg_buf_adds(&out, ") | ");
		pg_buf_adds(&out, *k->def ? k->def : "(unset)");
		pg_buf_adds(&out, " | ");
		if (!n) {
			pg_buf_adds(&out, "same");
		} else if (n > 3) {
			pg_buf_addf(&out, "%zu values, [listed below](#", n);
			anchor(&out, k->name);
			pg_buf_adds(&out, ")");
		} else {
			for (size_t j = 0; j < n; j++) {
				if (j)
					pg_buf_adds(&out, ", ");
				code_span(&out, v[j], 1);
			}
		}
		pg_buf_adds(&out, " |\n");
	}

	for (size_t i = 0; i < nkeys; i++) {
		section_of(sec, sizeof(sec), order[i]->name);
		if (strcmp(sec, section)) {
			snprintf(section, sizeof(section), "%s", sec);
			pg_buf_addf(&out, "\n## %s\n", section_title(section));
		}
		key_section(&out, policy, order[i]);
	}
	if (pg_buf_failed(&out) || fwrite(out.ptr, 1, out.len, stdout) != out.len || fflush(stdout)) {
		fprintf(stderr, "pushguard: cannot write the reference\n");
		goto out;
	}
	ret = 0;
out:
	pg_buf_release(&out);
	pg_policy_free(policy);
	if (inited)
		git_libgit2_shutdown();
	return ret;
}

int pg_cmd_help_config(int argc, char **argv)
{
	const char *format = "text";
	const struct pg_key_def *k;
	int ret = 0;

	if (argc == 3 && !strcmp(argv[1], "--format"))
		format = argv[2];
	else if (argc == 2 && !strncmp(argv[1], "--format=", 9))
		format = argv[1] + 9;
	else if (argc != 1)
		format = NULL;
	if (format && !strcmp(format, "markdown")) {
		ret = markdown();
	} else if (format && !strcmp(format, "text")) {
		for (size_t i = 0; (k = pg_policy_key(i)); i++)
			printf("%-42s %s\n", k->name, k->help);
	} else {
		fprintf(stderr, "usage: pushguard help config [--format text|markdown]\n");
		ret = 2;
	}
	return ret;
}
