#include "credential.h"

#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base64.h"

#define MAX_NORM 128

const char *pg_confidence_name(enum pg_confidence c)
{
	switch (c) {
	case PG_CONFIDENCE_LOW:
		return "low";
	case PG_CONFIDENCE_MEDIUM:
		return "medium";
	case PG_CONFIDENCE_HIGH:
	default:
		return "high";
	}
}

int pg_confidence_parse(enum pg_confidence *out, const char *name)
{
	static const enum pg_confidence all[] = { PG_CONFIDENCE_LOW, PG_CONFIDENCE_MEDIUM, PG_CONFIDENCE_HIGH };

	for (size_t i = 0; i < sizeof(all) / sizeof(all[0]); i++)
		if (!strcasecmp(name, pg_confidence_name(all[i]))) {
			*out = all[i];
			return 0;
		}
	return -1;
}

int pg_value_check_parse(enum pg_value_check *out, const char *name)
{
	if (!strcasecmp(name, "password"))
		*out = PG_VALUE_CHECK_PASSWORD;
	else if (!strcasecmp(name, "secret"))
		*out = PG_VALUE_CHECK_SECRET;
	else if (!strcasecmp(name, "credential"))
		*out = PG_VALUE_CHECK_CREDENTIAL;
	else
		return -1;
	return 0;
}

/* ---- small byte helpers ------------------------------------------------ */

static bool has_prefix_ci(const char *s, size_t n, const char *p)
{
	size_t k = strlen(p);

	return n >= k && !strncasecmp(s, p, k);
}

static bool has_suffix_ci(const char *s, size_t n, const char *p)
{
	size_t k = strlen(p);

	return n >= k && !strncasecmp(s + n - k, p, k);
}

static bool contains_ci(const char *s, size_t n, const char *p)
{
	size_t k = strlen(p);

	for (size_t i = 0; i + k <= n; i++)
		if (!strncasecmp(s + i, p, k))
			return true;
	return false;
}

static bool contains(const char *s, size_t n, const char *p)
{
	return memmem(s, n, p, strlen(p)) != NULL;
}

/* Lower-case ASCII letters and digits of s, everything else dropped. */
static size_t normalize(char *out, const char *s, size_t n)
{
	size_t k = 0;

	for (size_t i = 0; i < n && k + 1 < MAX_NORM; i++)
		if (isalnum((unsigned char)s[i]))
			out[k++] = (char)tolower((unsigned char)s[i]);
	out[k] = '\0';
	return k;
}

static bool in_list(const char *word, const char *const *list)
{
	for (size_t i = 0; list[i]; i++)
		if (!strcmp(word, list[i]))
			return true;
	return false;
}

static double entropy(const char *s, size_t n)
{
	size_t count[256] = { 0 };
	double h = 0;

	for (size_t i = 0; i < n; i++)
		count[(unsigned char)s[i]]++;
	for (int c = 0; c < 256; c++)
		if (count[c]) {
			double p = (double)count[c] / (double)n;

			h -= p * log2(p);
		}
	return h;
}

/* ---- paths -------------------------------------------------------------- */

static const char *basename_of(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash ? slash + 1 : path;
}

static const char *extension_of(const char *base)
{
	const char *dot = strrchr(base, '.');

	return dot && dot != base ? dot + 1 : "";
}

/* True when one of path's directories is named one of dirs (case-insensitive). */
static bool has_dir(const char *path, const char *const *dirs)
{
	const char *p = path;

	for (const char *slash; (slash = strchr(p, '/')); p = slash + 1) {
		size_t n = (size_t)(slash - p);

		for (size_t i = 0; dirs[i]; i++)
			if (strlen(dirs[i]) == n && !strncasecmp(p, dirs[i], n))
				return true;
	}
	return false;
}

/* True when one of path's directories has "test", "tests" or "spec" among
 * the words of its name (unit-tests/, integration_tests/, _unit-test/,
 * e2e.spec/), not only inside one (latest/, contest/). */
static bool has_test_dir(const char *path)
{
	static const char *const words[] = { "test", "tests", "spec", "specs", NULL };
	const char *p = path;

	for (const char *slash; (slash = strchr(p, '/')); p = slash + 1)
		for (const char *w = p; w < slash;) {
			size_t n = strcspn(w, "-_./");

			if (w + n > slash)
				n = (size_t)(slash - w);
			for (size_t i = 0; words[i] && n; i++)
				if (strlen(words[i]) == n && !strncasecmp(w, words[i], n))
					return true;
			w += n + 1;
		}
	return false;
}

static bool ext_in(const char *ext, const char *const *list)
{
	for (size_t i = 0; list[i]; i++)
		if (!strcasecmp(ext, list[i]))
			return true;
	return false;
}

/* Shell and make scripts: `$var` there is a use of a variable, never an assignment. */
static bool path_is_script(const char *path)
{
	static const char *const ext[] = { "sh", "bash", "zsh", "ksh", "fish", "ac", "am", "in", "m4", "mk",
					   "mak", NULL };
	static const char *const names[] = { "configure", "libtool", "ltmain.sh", "makefile", "gnumakefile",
					     NULL };
	const char *base;

	if (!path)
		return false;
	base = basename_of(path);
	for (size_t i = 0; names[i]; i++)
		if (!strcasecmp(base, names[i]))
			return true;
	return ext_in(extension_of(base), ext);
}

/* What a program reads: code, a script, a configuration or data file. A
 * file so named is none of these whatever its name says (install.sh,
 * history.yml, news.json). */
static bool path_is_read_by_programs(const char *path)
{
	static const char *const config_ext[] = { "yml", "yaml", "json", "jsonc", "json5", "toml", "ini", "cfg",
						  "conf", "cnf", "env", "properties", "props", "xml", "sql", "plist",
						  "tfvars", "service", "ps1", "psm1", "bat", "cmd", "nix", "dockerfile",
						  "j2", "jinja", "jinja2", "erb", "mustache", "hbs", NULL };

	return pg_credential_path_is_code(path) || path_is_script(path) ||
	       ext_in(extension_of(basename_of(path)), config_ext);
}

bool pg_credential_path_is_example(const char *path)
{
	static const char *const doc_ext[] = { "md", "markdown", "mdx", "rst", "txt", "adoc", "asciidoc",
					       "textile", "rdoc", "org", "pod", "tex", "1", "3", "5", "7", "8",
					       NULL };
	static const char *const example_ext[] = { "example", "sample", "dist", "template", "tmpl", "tpl",
						   NULL };
	static const char *const dirs[] = { "doc", "docs", "documentation", "man", "test", "tests",
					    "testing", "spec", "specs", "testdata", "test_data", "test-data",
					    "fixtures", "fixture", "__tests__", "__fixtures__", "__mocks__",
					    "example", "examples", "sample", "samples", NULL };
	static const char *const doc_names[] = { "readme", "changes", "changelog", "news", "history",
						 "authors", "contributors", "release-notes", "releasenotes",
						 "release_notes", "faq", "install", "todo", "thanks", NULL };
	const char *base, *ext;
	size_t n;

	if (!path)
		return false;
	base = basename_of(path);
	ext = extension_of(base);
	n = strlen(base);
	if (ext_in(ext, doc_ext) || ext_in(ext, example_ext) || has_dir(path, dirs) || has_test_dir(path))
		return true;
	/* README, CHANGES, NEWS, ChangeLog, HISTORY, README.Debian, CHANGES-2.0,
	 * ...; not a program's file so named (install.sh, history.yml) */
	for (size_t i = 0; doc_names[i]; i++)
		if (has_prefix_ci(base, n, doc_names[i]) &&
		    (n == strlen(doc_names[i]) || !isalpha((unsigned char)base[strlen(doc_names[i])])) &&
		    !path_is_read_by_programs(path))
			return true;
	/* test sources by their name: foo_test.go, test_foo.py, foo.test.ts, foo.spec.js, FooTest.java */
	if (has_prefix_ci(base, n, "test_") || contains_ci(base, n, "_test.") || contains_ci(base, n, ".test.") ||
	    contains_ci(base, n, ".spec.") || contains_ci(base, n, "_spec.") || !strcasecmp(base, "conftest.py"))
		return true;
	if ((has_suffix_ci(base, n, "test.java") || has_suffix_ci(base, n, "tests.java") ||
	     has_suffix_ci(base, n, "test.kt") || has_suffix_ci(base, n, "tests.cs") ||
	     has_suffix_ci(base, n, "test.cs")) && n > 9)
		return true;
	return false;
}

static bool path_is_stylesheet(const char *path)
{
	static const char *const ext[] = { "css", "scss", "sass", "less", "styl", NULL };

	return path && ext_in(extension_of(basename_of(path)), ext);
}

bool pg_credential_path_is_code(const char *path)
{
	static const char *const code_ext[] = {
		"c", "h", "cc", "cpp", "cxx", "hpp", "hh", "hxx", "m", "mm", "cs", "java", "kt", "kts",
		"scala", "groovy", "gradle", "go", "rs", "swift", "py", "pyw", "pyi", "rb", "js", "jsx",
		"mjs", "cjs", "ts", "tsx", "mts", "cts", "php", "pl", "pm", "lua", "dart", "ex", "exs",
		"erl", "clj", "cljs", "vue", "svelte", "jl", "vb", "fs", "fsx", "ml", "hs", "zig", "nim",
		"r", "sol", "v", "d", "tf", "hcl", "bicep", NULL
	};

	return path && ext_in(extension_of(basename_of(path)), code_ext);
}

/* ---- keys --------------------------------------------------------------- */

/* The key as written, without a leading $ or @ and a trailing quote. */
static void bare_key(const char **k, size_t *n)
{
	while (*n && ((*k)[0] == '$' || (*k)[0] == '@'))
		(*k)++, (*n)--;
	while (*n && strchr("\"'`", (*k)[*n - 1]))
		(*n)--;
}

/* "pass" names a password only as a word of its own: pass, db_pass, IRC_PASS,
 * sshPass; not xpass, bypass, compass. */
static bool pass_is_a_word(const char *k, size_t n)
{
	unsigned char before;

	if (n < 4 || strncasecmp(k + n - 4, "pass", 4))
		return true; /* another password word */
	if (n == 4)
		return true;
	before = (unsigned char)k[n - 5];
	return !isalnum(before) || (islower(before) && k[n - 4] == 'P');
}

/* nginx's proxy_pass, fastcgi_pass, uwsgi_pass, ...: "pass requests to". */
static bool is_upstream_pass(const char *k, size_t n)
{
	static const char *const kinds[] = { "proxy_pass", "fastcgi_pass", "uwsgi_pass", "scgi_pass", "grpc_pass",
					     "memcached_pass", NULL };

	for (size_t i = 0; kinds[i]; i++)
		if (has_suffix_ci(k, n, kinds[i]) && (n == strlen(kinds[i]) || !isalnum((unsigned char)k[n - strlen(kinds[i]) - 1])))
			return true;
	return false;
}

bool pg_credential_key_is_password(const char *key, size_t len)
{
	static const char *const endings[] = { "password", "passwd", "passwort", "passphrase", "pwd",
					       "pass", "pword", "pw", "authtok", NULL };
	char norm[MAX_NORM];
	size_t n;

	static const char *const directives[] = { "requirepass", "masterauth", "rootpw", "bindpw", NULL };

	if (!key)
		return false;
	bare_key(&key, &len);
	for (size_t i = 0; directives[i]; i++)
		if (len == strlen(directives[i]) && !strncasecmp(key, directives[i], len))
			return true;
	if (!pass_is_a_word(key, len))
		return false;
	n = normalize(norm, key, len);
	for (size_t i = 0; endings[i]; i++)
		if (has_suffix_ci(norm, n, endings[i]))
			return true;
	return false;
}

/* ---- a user set to the same value nearby ------------------------------------ */

/* c is one of set's characters (never its NUL). */
static bool one_of(const char *set, char c)
{
	return c && strchr(set, c);
}

/* The key assigned the value at text[at]: `KEY=`, `KEY: `, `"KEY": "`,
 * `--key=`; its bytes in [*k, *k + *kn). False when at is not a value. */
static bool key_before(const char *text, size_t line_start, size_t at, const char **k, size_t *kn)
{
	size_t i = at, end;

	while (i > line_start && one_of("\"' \t", text[i - 1]))
		i--;
	if (i == line_start || (text[i - 1] != '=' && text[i - 1] != ':'))
		return false;
	i--;
	while (i > line_start && one_of("\"' \t", text[i - 1]))
		i--;
	end = i;
	while (i > line_start && (isalnum((unsigned char)text[i - 1]) || one_of("_.-", text[i - 1])))
		i--;
	*k = text + i;
	*kn = end - i;
	return end > i;
}

/* True for a key that names a user, a login, an account or a database
 * (MYSQL_USER, username, --account-name, POSTGRES_DB), not a password. */
static bool names_an_account(const char *k, size_t n)
{
	static const char *const words[] = { "user", "login", "account", "owner", "name", "db", "database",
					     NULL };

	for (size_t i = 0; words[i]; i++)
		if (contains_ci(k, n, words[i]))
			return !pg_credential_key_is_password(k, n);
	return false;
}

#define USER_NEARBY_BYTES 4096

bool pg_credential_user_nearby(const char *text, size_t len, size_t at, size_t n)
{
	size_t from = at, to = at + n;

	if (!n || at > len || n > len - at)
		return false;
	/* three lines before the value's and three after, at most
	 * USER_NEARBY_BYTES either side (a file of one long line of
	 * assignments asks this of every one of them) */
	for (int lines = 0; from > 0 && at - from < USER_NEARBY_BYTES; from--)
		if (text[from - 1] == '\n' && ++lines == 4)
			break;
	for (int lines = 0; to < len && to - (at + n) < USER_NEARBY_BYTES; to++)
		if (text[to] == '\n' && ++lines == 4)
			break;
	for (size_t line = from; line < to;) {
		const char *nl = memchr(text + line, '\n', to - line);
		size_t eol = nl ? (size_t)(nl - text) : to;

		for (const char *p = text + line; (p = memmem(p, eol - (size_t)(p - text), text + at, n));
		     p++) {
			size_t o = (size_t)(p - text), e = o + n;
			const char *k;
			size_t kn;

			if (o == at || (o > line && !one_of("=:\"' \t#-", text[o - 1])))
				continue;
			/* reader:\n  password: reader: the block the password is set in
			 * is named after it (a YAML mapping of users) */
			if (o < at && e < eol && text[e] == ':') {
				size_t r = e + 1;

				while (r < eol && one_of(" \t\r", text[r]))
					r++;
				if (r == eol)
					return true;
			}
			if (e < eol && !one_of("\"' \t,;\r", text[e]))
				continue;
			if (key_before(text, line, o, &k, &kn) && names_an_account(k, kn))
				return true;
		}
		line = eol + 1;
	}
	return false;
}

/* ---- what a value is when it is not a credential -------------------------- */

/* Words that stand for a value rather than being one (compared after
 * normalize()): placeholders, booleans, nulls, and "password" in the
 * languages of the UI strings that translation files assign to such keys. */
static const char *const placeholder_words[] = {
	"password", "passwd", "pass", "pwd", "passphrase", "secret", "secrets", "token", "apikey", "key",
	"auth", "credential", "credentials", "changeme", "changeit", "changethis", "test", "testing",
	"tests", "example", "sample", "dummy", "fake", "mock", "foo", "bar", "baz", "foobar", "none",
	"null", "nil", "empty", "undefined", "true", "false", "yes", "no", "on", "off", "required",
	"optional", "default", "string", "str", "bool", "boolean", "int", "integer", "number", "bytes",
	"hashed", "encrypted", "value", "val", "hidden", "redacted", "removed",
	"masked", "omitted", "notset", "unset", "todo", "fixme", "tbd", "na", "secretkey", "accesskey",
	"privatekey", "mypassword", "yourpassword", "mysecret", "yoursecret", "mytoken", "yourtoken",
	"myapikey", "yourapikey", "anonymous", "user", "username", "login", "guest", "demo", "xxx", "abc", "abc123",
	"qwerty", "letmein", "hunter2", "bearer", "basic", "digest", "env", "environment",
	"secure", "random", "generated", "auto", "ask", "prompt", "stdin", "keyring", "vault",
	"passwort", "kennwort", "contrasena", "senha", "motdepasse", "parola", "wachtwoord",
	"losenord", "salasana", "adgangskode", "passord", "haslo", "heslo", "jelszo", "sifre",
	"lozinka", "geslo", "parool", "katasandi", "matkhau", "wagwoord", NULL
};

/* Substrings that mark a placeholder wherever they are (compared after normalize()). */
static const char *const placeholder_marks[] = {
	"changeme", "changethis", "placeholder", "redacted", "replaceme", "replacewith", "insertyour",
	"enteryour", "putyour", "fillin", "notreal", "notarealpassword", "yourpassword", "yoursecret",
	"yourtoken", "yourkey", "yourapi", "lorem", "ipsum", "dummy", "goeshere", NULL
};

static bool all_same_char(const char *s, size_t n)
{
	for (size_t i = 1; i < n; i++)
		if (s[i] != s[0])
			return false;
	return true;
}

/* The length of the mask run at s ("***", "...", "xxxx", "XXXX", "…", "••",
 * each as long as it repeats), 0 if none starts there. */
static size_t mask_run(const char *s, size_t n)
{
	static const char *const marks[] = { "***", "...", "xxxx", "XXXX", "\xe2\x80\xa6", "\xe2\x80\xa2\xe2\x80\xa2" };

	for (size_t i = 0; i < sizeof(marks) / sizeof(marks[0]); i++) {
		size_t m = strlen(marks[i]), unit = (unsigned char)marks[i][0] < 0x80 ? 1 : 3, k = m;

		if (n < m || memcmp(s, marks[i], m))
			continue;
		while (k + unit <= n && !memcmp(s + k, marks[i], unit))
			k += unit;
		return k;
	}
	return 0;
}

/* A value masked or cut short for show: "sk_live_****1234", "AKIAxxxxxxxx",
 * "eyJhbGciOi...", "...". A mask at either end, or one that leaves no
 * stretch of 16 characters and takes a quarter of the value, marks it; a
 * long random value that happens to hold "***" in its middle (a Django key
 * drawn from "!@#$%^&*(-_=+)") is still a value. */
static bool masked(const char *s, size_t n)
{
	size_t longest = 0, run = 0, masks = 0;

	for (size_t i = 0; i < n;) {
		size_t k = mask_run(s + i, n - i);

		if (!k) {
			run++;
			i++;
			continue;
		}
		if (i == 0 || i + k == n)
			return true;
		longest = run > longest ? run : longest;
		run = 0;
		masks += k;
		i += k;
	}
	longest = run > longest ? run : longest;
	return masks && (longest < 16 || masks * 4 >= n);
}

/* "example", "sample", "fake", "test" mark a placeholder when they stand as a
 * word of their own or when nothing credible is left without them:
 * "example-password", "examplekey" are placeholders, "ExamplePas123" is not. */
static bool marked_example(const char *s, size_t n)
{
	static const char *const marks[] = { "example", "sample", "fake", "demo", NULL };
	char low[MAX_NORM], rest[MAX_NORM];
	size_t k = 0;

	if (n >= MAX_NORM)
		return false;
	for (size_t i = 0; i < n; i++)
		low[i] = (char)tolower((unsigned char)s[i]);
	low[n] = '\0';
	for (size_t m = 0; marks[m]; m++) {
		size_t ml = strlen(marks[m]);

		for (const char *p = low; (p = strstr(p, marks[m])); p += ml) {
			bool left = p == low || !isalnum((unsigned char)p[-1]);
			bool right = !isalnum((unsigned char)p[ml]);

			if (left && right)
				return true;
		}
	}
	/* what is left without the marks and the separators */
	for (size_t i = 0; i < n;) {
		bool cut = false;

		for (size_t m = 0; marks[m] && !cut; m++) {
			size_t ml = strlen(marks[m]);

			if (!strncmp(low + i, marks[m], ml)) {
				i += ml;
				cut = true;
			}
		}
		if (cut)
			continue;
		if (isalnum((unsigned char)low[i]))
			rest[k++] = low[i];
		i++;
	}
	rest[k] = '\0';
	if (k == n) /* no mark at all */
		return false;
	return k < 4 || in_list(rest, placeholder_words) || !strcmp(rest, "here") ||
	       !strcmp(rest, "passwordhere") || !strcmp(rest, "keyhere");
}

/* mysecretpassword, supersecret, mypass, passme, myacct: nothing but the
 * words that fill an example's credential slot (normalize()d text, k
 * bytes, each word at least once). */
static bool only_filler_words(const char *norm, size_t k)
{
	static const char *const words[] = { "my", "your", "our", "some", "super", "very", "top", "pass",
					     "passwd", "password", "pwd", "secret", "me", "acct", "account",
					     "key", "token", "word", NULL };
	bool reach[MAX_NORM + 1] = { true };

	for (size_t i = 0; i < k; i++) {
		if (!reach[i])
			continue;
		for (size_t w = 0; words[w]; w++) {
			size_t wl = strlen(words[w]);

			if (i + wl <= k && !strncmp(norm + i, words[w], wl))
				reach[i + wl] = true;
		}
	}
	return k >= 4 && reach[k];
}

static bool is_placeholder(const char *s, size_t n)
{
	char norm[MAX_NORM];
	size_t k = normalize(norm, s, n);

	if (!k) /* "***", "...", "---", "•••": only punctuation or non-ASCII symbols */
		return !(n > 0 && (unsigned char)s[0] >= 0x80 && n > 6);
	if (all_same_char(s, n) || all_same_char(norm, k))
		return true;
	if (in_list(norm, placeholder_words) || only_filler_words(norm, k))
		return true;
	for (size_t i = 0; placeholder_marks[i]; i++)
		if (strstr(norm, placeholder_marks[i]))
			return true;
	if (masked(s, n))
		return true;
	/* "your-api-key", "YOUR_TOKEN", "<your password>", "your_password_here" */
	if (k >= 4 && !strncmp(norm, "your", 4) && (n == 4 || !isalnum((unsigned char)s[4]) ||
						    isupper((unsigned char)s[4]) || k <= 20))
		return true;
	if (k > 4 && (has_suffix_ci(norm, k, "here") && (contains(s, n, "_") || contains(s, n, "-") ||
							 contains(s, n, " "))))
		return true;
	return marked_example(s, n);
}

static bool is_ident_start(unsigned char c)
{
	return isalpha(c) || c == '_';
}

static bool is_ident_char(unsigned char c)
{
	return isalnum(c) || c == '_';
}

/* open ... close with a name or an expression between, as templates write
 * them (random secrets hold such pairs of characters only by chance, and
 * then rarely with a well-formed inside). */
static bool has_slot(const char *s, size_t n, const char *open, const char *close)
{
	size_t ol = strlen(open), cl = strlen(close);

	for (const char *p = s; (p = memmem(p, n - (size_t)(p - s), open, ol)); p++) {
		const char *in = p + ol, *end = memmem(in, n - (size_t)(in - s), close, cl);
		size_t ident = 0;

		if (!end)
			return false;
		for (const char *q = in; q < end; q++)
			ident += is_ident_char((unsigned char)*q) || strchr(" .:|'\"-()[]", *q) != NULL ||
				 (q == in && *q && strchr("#/^>!&@", *q)); /* {{#each x}}, {{/each}}, {{> partial}} */
		if (end > in && ident == (size_t)(end - in))
			return true;
	}
	return false;
}

/* %(name)s */
static bool python_format(const char *s, size_t n)
{
	for (const char *p = s; (p = memmem(p, n - (size_t)(p - s), "%(", 2)); p++) {
		const char *q = p + 2;

		while (q < s + n && is_ident_char((unsigned char)*q))
			q++;
		if (q > p + 2 && q + 1 < s + n && q[0] == ')' && isalpha((unsigned char)q[1]))
			return true;
	}
	return false;
}

/* A variable, an environment lookup, a template or a secret-store reference:
 * the credential lives elsewhere. */
static const char *reference_kind(const char *s, size_t n, bool quoted)
{
	static const char *const store_prefixes[] = {
		"env:", "vault:", "secret:", "secrets:", "ssm:", "op://", "arn:aws:secretsmanager:",
		"arn:aws:ssm:", "ref+", "sops:", "enc[", "file:", "keyvault:", "akv:", "gcp:", "gsm:",
		"awssm:", "cyberark:", "doppler:", "infisical:", "pass:", "secretref:", NULL
	};
	static const char *const lookups[] = {
		"process.env", "os.environ", "os.getenv", "getenv(", "system.getenv", "environment.getenv",
		"env[", "env.fetch", "env(", "secretkeyref", "valuefrom", "config(", "settings.",
		"secrets.", "credentials(", "deno.env", "import.meta.env", NULL
	};

	if (!n)
		return NULL;
	/* $VAR ${VAR} $(cmd) $env:VAR %VAR% #{expr} @VAR@ &anchor *alias !tag */
	if (s[0] == '$' && n > 1 && (s[1] == '{' || s[1] == '('))
		return "reference to a variable";
	/* $$(cat $$FILE), $${VAR}: a '$' escaped as docker compose and make escape it */
	if (n > 2 && s[0] == '$' && s[1] == '$' && (s[2] == '{' || s[2] == '('))
		return "reference to a variable";
	if (s[0] == '$' && n > 1 && (is_ident_start((unsigned char)s[1]) || s[1] == '_' ||
				     isdigit((unsigned char)s[1]) || s[1] == '@' || s[1] == '*' || s[1] == '$')) {
		/* $VAR, $HOME/.pgpass, $PREFIX-db; not a long random value that
		 * starts with "$" (a WordPress salt: '$C.rVuzvSxWvu~NN||xVd...') */
		size_t i = 2;

		while (i < n && (isalnum((unsigned char)s[i]) || s[i] == '_'))
			i++;
		if (n - i <= 16 || s[i] == '/')
			return "reference to a variable";
		if (s[i] == '.') { /* $dex.github.clientSecret: Argo CD's reference into a Secret */
			size_t k = i;

			while (k < n && (is_ident_char((unsigned char)s[k]) ||
					 (s[k] == '.' && k + 1 < n && is_ident_start((unsigned char)s[k + 1]))))
				k++;
			if (k == n)
				return "reference to a variable";
		}
		/* an IDE's path macro: $PROJECT_DIR$/keys/id_rsa, $USER_HOME$ (upper case, unlike
		 * the $2y$ and $apr1$ of password hashes) */
		if (i < n && s[i] == '$' && i >= 4) {
			size_t k = 1;

			while (k < i && (isupper((unsigned char)s[k]) || s[k] == '_' || isdigit((unsigned char)s[k])))
				k++;
			if (k == i && isupper((unsigned char)s[1]))
				return "reference to a variable";
		}
	}
	if (s[0] == '%' && n > 2 && s[n - 1] == '%' && is_ident_start((unsigned char)s[1]))
		return "reference to a variable";
	if (s[0] == '@' && n > 2 && s[n - 1] == '@' && is_ident_start((unsigned char)s[1]))
		return "build-time substitution";
	if (s[0] == '@' && n > 1 && (s[1] == '/' || s[1] == '.' || s[1] == '~'))
		return "a file to read (@FILE)";
	if (!quoted && (s[0] == '&' || s[0] == '*') && n > 1 && is_ident_start((unsigned char)s[1]))
		return "YAML anchor or alias";
	if (!quoted && s[0] == '!' && n > 1 && isalpha((unsigned char)s[1]))
		return "YAML tag (a reference resolved elsewhere)";
	if (n > 4 && s[0] == '[' && s[n - 1] == ']' && is_ident_start((unsigned char)s[1])) {
		/* an Azure Resource Manager template expression: [parameters('sqlPassword')],
		 * [concat(variables('a'), 'b')]; its value is given at deployment */
		size_t i = 1;

		while (i < n && is_ident_char((unsigned char)s[i]))
			i++;
		if (s[i] == '(' && memchr(s + i, ')', n - i))
			return "template expression (Azure Resource Manager)";
	}
	/* "{{ print "{{APISIX_PASSWORD}}" }}": a quote inside the template ended the value */
	if (quoted && n >= 3 && (has_prefix_ci(s, n, "{{") || has_prefix_ci(s, n, "{%") || has_prefix_ci(s, n, "<%")) &&
	    (s[2] == ' ' || s[2] == '-' || s[2] == '=' || s[2] == '.') &&
	    !memmem(s + 2, n - 2, s[0] == '<' ? "%>" : s[1] == '%' ? "%}" : "}}", 2))
		return "template or interpolation (cut short by a quote inside it)";
	if (has_slot(s, n, "${", "}") || has_slot(s, n, "$(", ")") || has_slot(s, n, "#{", "}") ||
	    has_slot(s, n, "{{", "}}") || has_slot(s, n, "{%", "%}") || has_slot(s, n, "<%", "%>") ||
	    has_slot(s, n, "[[", "]]") || has_slot(s, n, "@{", "}") || has_slot(s, n, "$ENV{", "}") ||
	    contains(s, n, "$env:") || python_format(s, n))
		return "template or interpolation";
	for (size_t i = 0; store_prefixes[i]; i++)
		if (has_prefix_ci(s, n, store_prefixes[i]))
			return "secret-store reference";
	for (size_t i = 0; lookups[i]; i++)
		if (contains_ci(s, n, lookups[i]))
			return "environment or configuration lookup";
	if (!quoted && (memchr(s, '(', n) || memchr(s, '[', n)) && is_ident_start((unsigned char)s[0]))
		return "an expression"; /* request.form['password'], config.get("x"): cut at the quote */
	if (!quoted && is_ident_start((unsigned char)s[0])) {
		/* settings.db.password: a dotted name */
		size_t dots = 0, i = 0;

		while (i < n && (is_ident_char((unsigned char)s[i]) || (s[i] == '.' && i + 1 < n &&
									is_ident_start((unsigned char)s[i + 1]))))
			dots += s[i++] == '.';
		if (i == n && dots >= 2)
			return "a dotted name";
	}
	if (!quoted) {
		/* an unquoted call: getpass(), vault.read("x"), Secret.fetch(...) */
		size_t i = 0;

		while (i < n && (is_ident_char((unsigned char)s[i]) || s[i] == '.' || s[i] == ':' || s[i] == '-' ||
				 s[i] == '>'))
			i++;
		if (i > 0 && i < n && s[i] == '(' && is_ident_start((unsigned char)s[0]))
			return "function call";
	}
	return NULL;
}

/* %s, %d, %v, %q standing as a conversion (followed by the end or by a
 * character that is no letter or digit: "Bearer %s", "%s:%s"); {}, {0}, {1} */
static bool has_format_spec(const char *s, size_t n)
{
	for (size_t i = 0; i + 1 < n; i++) {
		if (s[i] == '%' && strchr("sdvq", s[i + 1]) && (i + 2 == n || !isalnum((unsigned char)s[i + 2])))
			return true;
		if (s[i] == '{' && (s[i + 1] == '}' ||
				    (i + 2 < n && (s[i + 1] == '0' || s[i + 1] == '1') && s[i + 2] == '}')))
			return true;
	}
	return false;
}

/* Format strings and template slots: "%s", "{}", "{0}", "{password}", "<password>", ":password". */
static const char *template_kind(const char *s, size_t n)
{
	size_t symbols = 0;

	for (size_t i = 0; i < n; i++)
		symbols += !isalnum((unsigned char)s[i]) && !strchr(" %{}", s[i]);
	/* short, or with spaces: "%s:%s", "Bearer %s", "{}@{}"; not a long random
	 * value that holds "%s" by chance, drawn from symbols too (a WordPress salt) */
	if ((n < 24 || (memchr(s, ' ', n) && symbols * 5 <= n)) && has_format_spec(s, n))
		return "format string";
	if (n >= 3 && ((s[0] == '<' && s[n - 1] == '>') || (s[0] == '[' && s[n - 1] == ']') ||
		       (s[0] == '{' && s[n - 1] == '}') || (s[0] == '(' && s[n - 1] == ')')) &&
	    !memchr(s + 1, s[0], n - 2)) {
		bool words = true;

		for (size_t i = 1; i + 1 < n && words; i++)
			words = is_ident_char((unsigned char)s[i]) || s[i] == ' ' || s[i] == '-' || s[i] == '.' ||
				s[i] == ':';
		if (words)
			return "template slot";
	}
	if (n >= 2 && (s[0] == ':' || s[0] == '?' || s[0] == '@') && is_ident_start((unsigned char)s[1])) {
		size_t i = 1;

		while (i < n && is_ident_char((unsigned char)s[i]))
			i++;
		if (i == n)
			return "bind parameter";
	}
	if (n >= 4 && s[0] == '_' && s[1] == '_' && s[n - 1] == '_' && s[n - 2] == '_')
		return "template slot";
	return NULL;
}

/* "SENTRY_RELAY_WHITELIST_PK = [\"$CREDENTIALS\"]": a shell script's
 * double-quoted string expanding a variable ($NAME, ${NAME}, $(cmd)) holds
 * what the variable holds at run time, not what the file says. */
static bool expands_a_variable(const char *s, size_t n)
{
	for (size_t i = 0; i + 1 < n; i++)
		if (s[i] == '$' && (i == 0 || s[i - 1] != '\\') &&
		    (is_ident_start((unsigned char)s[i + 1]) || s[i + 1] == '_' || s[i + 1] == '{' || s[i + 1] == '('))
			return true;
	return false;
}

/* required|string|min:8|confirmed: a list of validation rules (Laravel,
 * CodeIgniter, ...) for the field the key names. Two or more lower-case
 * names joined by '|', each with at most one ':' and its argument. */
static bool is_rule_list(const char *s, size_t n)
{
	size_t items = 0;

	for (size_t i = 0; i < n;) {
		size_t j = i;

		while (j < n && (islower((unsigned char)s[j]) || s[j] == '_'))
			j++;
		if (j == i)
			return false;
		if (j < n && s[j] == ':') {
			size_t k = ++j;

			while (j < n && s[j] != '|' && !isspace((unsigned char)s[j]) && s[j] != ':')
				j++;
			if (j == k)
				return false;
		}
		items++;
		if (j == n)
			break;
		if (s[j] != '|' || j + 1 == n)
			return false;
		i = j + 1;
	}
	return items >= 2;
}

/* An identifier or an expression, as an unquoted value in source code is:
 * `password = password`, `.private_key_filename = private_key_filename,`. */
static bool is_code_expression(const char *s, size_t n)
{
	if (!n)
		return false;
	/* numbers and quoted strings are literals; everything else unquoted is code */
	if (s[0] == '"' || s[0] == '\'' || s[0] == '`')
		return false;
	return true;
}

/* What a quoted match holds when the key ended one string and the value's
 * quotes are the ends of two others: +encodeURIComponent(token))}this.url=,
 * " . $pass . ": an operator, then a name of three letters or more followed
 * by a call, a member or a blank (none of which base64 holds; a value drawn
 * from symbols too, a Django or WordPress key, seldom starts so). */
static bool is_concatenation(const char *s, size_t n)
{
	size_t i = 0, name;

	while (i < n && s[i] == ' ')
		i++;
	if (i >= n || (s[i] != '+' && s[i] != '.'))
		return false;
	i++;
	while (i < n && s[i] == ' ')
		i++;
	if (i < n && s[i] == '$')
		i++;
	for (name = 0; i < n && is_ident_char((unsigned char)s[i]); i++)
		name += isalpha((unsigned char)s[i]) != 0;
	return name >= 3 && i < n && strchr("(. ", s[i]);
}

static bool utf8_letters_only(const char *s, size_t n)
{
	bool non_ascii = false;

	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c >= 0x80)
			non_ascii = true;
		else if (!isalpha(c) && c != ' ' && c != '-' && c != '\'')
			return false;
	}
	return non_ascii;
}

/* labels.password, auth.password_hint, db-password: words joined by
 * separators, one of them naming a credential: the name of a setting or of
 * a translated message, not a password. */
static bool names_a_credential(const char *s, size_t n)
{
	static const char *const words[] = { "password", "passwd", "pass", "pwd", "secret", "token", "key",
					     "credential", "credentials", "passphrase", NULL };
	bool sep = false, word = false;

	for (size_t i = 0; i < n; i++) {
		if (s[i] == '.' || s[i] == '_' || s[i] == '-')
			sep = true;
		else if (!isalpha((unsigned char)s[i]))
			return false;
	}
	if (!sep)
		return false;
	for (size_t i = 0; i < n && !word;) {
		size_t j = i;
		char w[32];

		while (j < n && isalpha((unsigned char)s[j]))
			j++;
		if (j - i < sizeof(w)) {
			for (size_t k = i; k < j; k++)
				w[k - i] = (char)tolower((unsigned char)s[k]);
			w[j - i] = '\0';
			word = in_list(w, words);
		}
		i = j + 1;
	}
	return word;
}

/* CURLOPT_KEYPASSWD, DB_PASSWORD_ENV: the name of a constant or a variable. */
static bool is_constant_name(const char *s, size_t n)
{
	size_t underscores = 0;

	if (n < 4 || !isupper((unsigned char)s[0]))
		return false;
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '_')
			underscores++;
		else if (!isupper((unsigned char)s[i]) && !isdigit((unsigned char)s[i]))
			return false;
	}
	return underscores > 0 && s[n - 1] != '_';
}

/* Auth\PasswordController, \Illuminate\Support\Facades\Password: a
 * class named with its namespace; PasswordController, PasswordBroker for
 * the key `password`: a class named after the key (CamelCase words, the
 * first of them the key's own name). */
static bool is_class_name(const char *s, size_t n, const char *key, size_t key_len)
{
	size_t parts = 0, words = 0;
	char nk[MAX_NORM];
	size_t nn = key ? normalize(nk, key, key_len) : 0;

	for (size_t i = s[0] == '\\' ? 1 : 0; i < n;) {
		if (!isupper((unsigned char)s[i]))
			return false;
		while (i < n && s[i] != '\\') {
			if (!isalnum((unsigned char)s[i]) && s[i] != '_')
				return false;
			words += isupper((unsigned char)s[i]) != 0;
			i++;
		}
		parts++;
		if (i < n && ++i == n)
			return false; /* a trailing backslash */
	}
	if (parts >= 2)
		return true;
	return nn && words >= 2 && n > nn && !strncasecmp(s, nk, nn) && isupper((unsigned char)s[nn]);
}

/* Words for a person to read: "Enter your password", "Mot de passe",
 * "Passwort", "Password:", "Пароль". */
static bool is_text(const char *s, size_t n)
{
	size_t words = 0, alpha_words = 0, odd = 0;

	if (utf8_letters_only(s, n))
		return true;
	if (n > 1 && (s[n - 1] == ':' || s[n - 1] == '?') && isalpha((unsigned char)s[0])) {
		size_t i = 0; /* "Password:", "Forgot password?" */

		while (i < n - 1 && (isalpha((unsigned char)s[i]) || s[i] == ' '))
			i++;
		if (i == n - 1)
			return true;
	}
	/* Title-case word: a label, not a chosen password */
	if (n >= 3 && isupper((unsigned char)s[0])) {
		size_t i = 1, vowels = strchr("AEIOUY", s[0]) != NULL;

		while (i < n && islower((unsigned char)s[i]))
			vowels += strchr("aeiouy", s[i++]) != NULL;
		if (i == n && vowels * 4 >= n)
			return true;
	}
	if (!memchr(s, ' ', n))
		return false;
	for (size_t i = 0; i < n;) {
		size_t j = i, letters = 0;

		while (j < n && s[j] != ' ') {
			unsigned char c = (unsigned char)s[j];

			if (isalpha(c) || c >= 0x80)
				letters++;
			else if (!strchr(".,!?'\"-:;()", c))
				odd++;
			j++;
		}
		if (j > i) {
			words++;
			if (letters == j - i || (letters + 1 == j - i && strchr(".,!?:;", s[j - 1])))
				alpha_words += letters >= 2 || letters == j - i;
		}
		i = j + 1;
	}
	return words >= 2 && alpha_words * 10 >= words * 6 && odd * 10 <= n;
}

/* host:port, 127.0.0.1:9000, localhost:6379 */
static bool is_address(const char *s, size_t n)
{
	const char *colon = memrchr(s, ':', n);
	size_t digits = colon ? (size_t)(s + n - colon - 1) : 0;
	bool dot = false;

	if (!colon || colon == s || digits < 2 || digits > 5)
		return false;
	for (const char *p = colon + 1; p < s + n; p++)
		if (!isdigit((unsigned char)*p))
			return false;
	for (const char *p = s; p < colon; p++) {
		if (*p == '.')
			dot = true;
		else if (!isalnum((unsigned char)*p) && *p != '-')
			return false;
	}
	return dot || (colon - s == 9 && !strncasecmp(s, "localhost", 9));
}

static bool is_words(const char *s, size_t n);

/* compose/debug/keys/id_rsa, deploy/keys/id_ed25519: a relative path whose
 * parts are words (a base64 secret's slashes split random runs), the last
 * one possibly an SSH key file's name. */
static bool is_relative_path(const char *s, size_t n)
{
	size_t parts = 0;

	if (!memchr(s, '/', n) || s[0] == '/' || s[n - 1] == '/')
		return false;
	for (size_t i = 0; i < n;) {
		size_t j = i;

		while (j < n && s[j] != '/')
			j++;
		if (j == i)
			return false;
		if (!is_words(s + i, j - i) && !(j == n && j - i > 3 && !strncmp(s + i, "id_", 3)))
			return false;
		for (size_t k = i; k < j; k++)
			if (!is_ident_char((unsigned char)s[k]) && s[k] != '-' && s[k] != '.')
				return false;
		parts++;
		i = j + 1;
	}
	return parts >= 2;
}

static bool is_path_or_url(const char *s, size_t n)
{
	static const char *const file_ext[] = { "txt", "pem", "key", "json", "yml", "yaml", "pass",
						"secret", "gpg", "asc", "p12", "pfx", "jks", "crt", "cer",
						"env", "conf", "cfg", "ini", "properties", "xml", "enc",
						"keystore", "kdbx", "token", "pub", NULL };
	const char *dot = NULL;
	bool word = true;

	if (has_prefix_ci(s, n, "unix:") || is_address(s, n))
		return true;
	if (has_prefix_ci(s, n, "./") || has_prefix_ci(s, n, "../") || has_prefix_ci(s, n, "~/") ||
	    (n > 3 && isalpha((unsigned char)s[0]) && s[1] == ':' && (s[2] == '\\' || s[2] == '/')))
		return true;
	if (s[0] == '/') {
		size_t slashes = 0, upper = 0, letters = 0;

		for (size_t i = 0; i < n; i++) {
			if (s[i] == '/')
				slashes++;
			else if (!is_ident_char((unsigned char)s[i]) && s[i] != '.' && s[i] != '-')
				return false;
			letters += isalpha((unsigned char)s[i]) != 0;
			upper += isupper((unsigned char)s[i]) != 0;
		}
		/* /etc/app/db.pass, not base64 that starts with a slash */
		return (slashes >= 2 || n < 12) && upper * 4 <= letters;
	}
	for (size_t i = 0; i + 2 < n; i++)
		if (s[i] == ':' && s[i + 1] == '/' && s[i + 2] == '/')
			return true;
	if (is_relative_path(s, n))
		return true;
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '.')
			dot = s + i;
		else if (!is_ident_char((unsigned char)s[i]) && s[i] != '-' && s[i] != '/')
			word = false;
	}
	if (word && dot && dot > s) {
		char ext[16];
		size_t el = (size_t)(s + n - dot - 1);

		if (el > 0 && el < sizeof(ext)) {
			memcpy(ext, dot + 1, el);
			ext[el] = '\0';
			return ext_in(ext, file_ext);
		}
	}
	return false;
}

/* The value names its key: IRC_PASS=irc_pass, password: password, user:user@. */
static bool repeats_key(const char *s, size_t n, const char *key, size_t key_len)
{
	char nv[MAX_NORM], nk[MAX_NORM];
	size_t kv = normalize(nv, s, n), kk;

	if (!key || !kv)
		return false;
	kk = normalize(nk, key, key_len);
	if (!kk)
		return false;
	if (kv == kk && !strcmp(nv, nk))
		return true;
	/* DB_PASSWORD=db-password, key "spring.datasource.password" value "datasource-password" */
	return kv >= 6 && kv < kk && !strcmp(nk + kk - kv, nv);
}

/* credentials: "AWSCredentials", token: "githubToken": letters that end with
 * the key's own name, as the name of a stored credential does (asked of
 * secrets only: "UberSecretPassword" is a password a person chose). */
static bool builds_on_key(const char *s, size_t n, const char *key, size_t key_len)
{
	char nv[MAX_NORM], nk[MAX_NORM];
	size_t kv, kk;

	if (!key || n >= MAX_NORM)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!isalpha((unsigned char)s[i]) && !strchr("_-.", s[i]))
			return false;
	kv = normalize(nv, s, n);
	bare_key(&key, &key_len);
	kk = normalize(nk, key, key_len);
	return kk >= 5 && kv > kk && kv <= kk + 12 && !strcmp(nv + kv - kk, nk);
}

static bool is_uuid(const char *s, size_t n)
{
	static const size_t dash[] = { 8, 13, 18, 23 };

	if (n != 36)
		return false;
	for (size_t i = 0, d = 0; i < n; i++) {
		if (d < 4 && i == dash[d]) {
			if (s[i] != '-')
				return false;
			d++;
		} else if (!isxdigit((unsigned char)s[i])) {
			return false;
		}
	}
	return true;
}

static size_t consonant_run(const char *s, size_t n)
{
	size_t run = 0, longest = 0;

	for (size_t i = 0; i < n; i++) {
		if (isalpha((unsigned char)s[i]) && !strchr("aeiouyAEIOUY", s[i]))
			run++;
		else
			run = 0;
		if (run > longest)
			longest = run;
	}
	return longest;
}

/* Runs of letters split by separators or case changes, no digits: a name
 * ("my-secret-name", "SessionTokenHeader", "some_api_key_value"), not a
 * generated secret. */
static bool is_words(const char *s, size_t n)
{
	size_t upper = 0, letters = 0, vowels = 0;

	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (isdigit(c) || !(isalpha(c) || c == '_' || c == '-' || c == '.' || c == ' '))
			return false;
		if (!isalpha(c))
			continue;
		letters++;
		upper += isupper(c) != 0;
		vowels += strchr("aeiouyAEIOUY", c) != NULL;
	}
	/* Random letters are half capitals and a fifth vowels; names are
	 * camelCase (a capital now and then) and words (a third vowels). */
	if (upper && upper < letters)
		return upper * 4 <= letters;
	/* one case: words have vowels, and few consonants in a row */
	return vowels * 10 >= letters * 3 && consonant_run(s, n) <= 4;
}

static size_t classes(const char *s, size_t n)
{
	bool lo = false, up = false, dig = false, sym = false;

	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (islower(c))
			lo = true;
		else if (isupper(c))
			up = true;
		else if (isdigit(c))
			dig = true;
		else
			sym = true;
	}
	return (size_t)lo + up + dig + sym;
}

static bool all_hex(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!isxdigit((unsigned char)s[i]))
			return false;
	return true;
}

static bool all_digits(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!isdigit((unsigned char)s[i]))
			return false;
	return true;
}

/* 123456abcdefg, abcdefghijklmnopqrstuvwxyz, 0123456789: runs of consecutive
 * digits or letters (3 or more) make up nearly all of it; or half of it, the
 * rest lower-case letters (0123456789technicaluser789abcdef01234567: runs
 * and a word). A generated value holds such runs only by chance, and short. */
static bool is_sequence(const char *s, size_t n)
{
	size_t covered = 0, lower = 0;

	for (size_t i = 0; i < n;) {
		size_t j = i + 1;

		while (j < n && isalnum((unsigned char)s[j]) && isalnum((unsigned char)s[j - 1]) &&
		       !!isdigit((unsigned char)s[j]) == !!isdigit((unsigned char)s[j - 1]) &&
		       tolower((unsigned char)s[j]) == tolower((unsigned char)s[j - 1]) + 1)
			j++;
		if (j - i >= 3)
			covered += j - i;
		else
			for (size_t k = i; k < j; k++)
				lower += islower((unsigned char)s[k]) != 0;
		i = j;
	}
	return covered * 10 >= n * 9 || (covered * 2 >= n && covered + lower == n);
}

/* string.regexp, support.function.C99.c, i0.NgZone: names joined by dots (a
 * scope, a setting, a member of a module). Each part is a word or a
 * camelCase name with at most a number at its end; a generated value with
 * dots (a JWT) has digits inside its parts and capitals in half its letters. */
static bool is_dotted_name(const char *s, size_t n)
{
	size_t dots = 0, letters = 0, vowels = 0;

	for (size_t i = 0; i < n;) {
		size_t j = i, seg_letters = 0, upper = 0, digits = 0;

		while (j < n && s[j] != '.') {
			unsigned char c = (unsigned char)s[j];

			if (isalpha(c)) {
				if (digits)
					return false; /* a digit inside the part */
				seg_letters++;
				upper += isupper(c) != 0;
				vowels += strchr("aeiouyAEIOUY", c) != NULL;
			} else if (isdigit(c)) {
				if (j == i)
					return false;
				digits++;
			} else if (c != '_' && c < 0x80) {
				return false;
			}
			j++;
		}
		if (j == i || digits > 3 || (j - i > 3 && upper * 3 > seg_letters))
			return false;
		letters += seg_letters;
		if (j < n)
			dots++;
		if (j + 1 == n)
			return false; /* a trailing dot */
		i = j + 1;
	}
	return dots && letters && vowels * 5 >= letters;
}

/* 2.3.0, 1.17.3,structs:1.20: a version number (a dependency list) */
static bool is_version(const char *s, size_t n)
{
	size_t i = 0, dots = 0;

	while (i < n && (isdigit((unsigned char)s[i]) || (s[i] == '.' && i > 0 && isdigit((unsigned char)s[i - 1]) &&
							  i + 1 < n && isdigit((unsigned char)s[i + 1]))))
		dots += s[i++] == '.';
	return dots && (i == n || s[i] == ',' || s[i] == ';');
}

/* A generated secret: long enough, varied, not a name or a number. */
static const char *not_random(const char *s, size_t n)
{
	double h = entropy(s, n);

	if (is_version(s, n))
		return "a version number";
	if (n < 10)
		return "too short for a generated secret";
	if (is_uuid(s, n))
		return "a UUID (an identifier)";
	if (all_digits(s, n))
		return "a number";
	if (is_sequence(s, n))
		return "a sequence (123456, abcdef), not a generated value";
	if (is_words(s, n) || is_dotted_name(s, n))
		return "words or a name, not a generated value";
	if (all_hex(s, n))
		return n >= 16 && h >= 2.9 ? NULL : "too little variety";
	if (classes(s, n) < 2 && !(n >= 20 && h >= 3.5)) /* one kind of character: long and varied */
		return "too little variety";
	/* a random string of n characters has entropy close to log2(n) for short
	 * n; ask for most of it, capped where long alphabets stop growing */
	if (h < (n < 16 ? 2.9 : 3.2))
		return "too little variety";
	return NULL;
}

static bool is_email(const char *s, size_t n)
{
	const char *at = memchr(s, '@', n), *dot;

	if (!at || at == s || memchr(at + 1, '@', (size_t)(s + n - at - 1)))
		return false;
	for (const char *p = s; p < at; p++)
		if (!is_ident_char((unsigned char)*p) && !strchr(".+-", *p))
			return false;
	dot = memrchr(at, '.', (size_t)(s + n - at));
	for (const char *p = at + 1; p < s + n; p++)
		if (!isalnum((unsigned char)*p) && *p != '.' && *p != '-')
			return false;
	return dot && dot > at + 1 && s + n - dot > 2;
}

static const char *not_password(const char *s, size_t n)
{
	if (n < 4)
		return "too short";
	if (is_email(s, n))
		return "an email address (the anonymous FTP convention), not a password";
	if (all_digits(s, n) && n < 6)
		return "a number";
	return NULL;
}

/* password: cGFzc3dvcmQ= in a Kubernetes Secret's data: base64 (padded, a
 * multiple of 4 digits) of printable text, which is judged instead: the
 * base64 of a placeholder is one. A random value is such base64 by chance
 * only when short (12 random bytes are all printable once in 100,000). */
static const char *base64_of_a_look_alike(enum pg_value_check how, const struct pg_credential_value *v,
					  const char *s, size_t n)
{
	struct pg_credential_value inner = *v;
	unsigned char *text = NULL;
	size_t len = 0, a, b;
	const char *why = NULL;

	if (n < 8 || n > 88 || n % 4 || pg_base64_decode(&text, &len, s, n) < 0)
		return NULL;
	for (size_t i = 0; i < len && len >= 3; i++)
		if (text[i] < 0x20 || text[i] > 0x7e)
			len = 0;
	if (len >= 3) {
		inner.value = (const char *)text;
		inner.value_len = len;
		inner.text = NULL; /* decoded: nothing is set around it */
		if (pg_credential_judge(how, &inner, &a, &b))
			why = "base64 of a look-alike (cGFzc3dvcmQ= is \"password\")";
	}
	free(text);
	return why;
}

const char *pg_credential_judge(enum pg_value_check how, const struct pg_credential_value *v,
				size_t *start, size_t *end)
{
	const char *s = v->value, *why;
	size_t a = 0, b = v->value_len, n;
	bool quoted = false;

	if (v->key) {
		const char *k = v->key;
		size_t kn = v->key_len;

		/* "$pass" = x, test "$token" = y: a variable's value compared, not assigned */
		if (kn > 1 && k[0] == '$' && (strchr("\"'`", k[kn - 1]) || path_is_script(v->path)))
			return "a variable used, not assigned";
		bare_key(&k, &kn);
		if (how == PG_VALUE_CHECK_PASSWORD && !pass_is_a_word(k, kn))
			return "the key does not name a password";
		if (is_upstream_pass(k, kn))
			return "where a web server passes requests (proxy_pass), not a password";
		{
			char nk[MAX_NORM];
			size_t nn = normalize(nk, k, kn);

			/* .NET's PublicKeyToken, a publicKey: public by definition */
			if (strstr(nk, "publickey") || strstr(nk, "publictoken"))
				return "a public key or its token, not a secret";
			/* imagePullSecrets, existingSecret: the name of a Kubernetes Secret */
			if (has_suffix_ci(nk, nn, "pullsecret") || has_suffix_ci(nk, nn, "pullsecrets") ||
			    has_suffix_ci(nk, nn, "existingsecret") || has_suffix_ci(nk, nn, "tlssecret"))
				return "the name of a Kubernetes Secret, not its value";
			/* a web form's authenticity_token, csrf_token: one per page served, for anyone */
			if (strstr(nk, "csrf") || strstr(nk, "xsrf") || strstr(nk, "authenticitytoken"))
				return "an anti-forgery token of a web page, not a credential";
		}
		/* a bare "pass" or "pwd" is as often a loop variable, a test result or
		 * the working directory as a password: only a quoted value counts */
		if (((kn == 4 && !strncasecmp(k, "pass", 4)) || (kn == 3 && !strncasecmp(k, "pwd", 3))) &&
		    !(v->value_len && strchr("\"'`", v->value[0])) &&
		    (path_is_script(v->path) || pg_credential_path_is_code(v->path)))
			return "an unquoted value of a bare 'pass' or 'pwd' in a script";
	}
	if (path_is_stylesheet(v->path))
		return "a stylesheet";
	/* the value as written: quoted, or up to trailing punctuation */
	if (b >= 2 && s[0] == '`' && s[b - 1] == '`' && (memchr(s, ' ', b) || memchr(s, '\t', b)))
		return "command substitution or template literal";
	if (b >= 2 && (s[0] == '"' || s[0] == '\'' || s[0] == '`') && s[b - 1] == s[0]) {
		size_t escapes = 0;

		/* "A = [\"$B\"]" read up to its first \": the string goes on */
		while (b - 1 - escapes > 1 && s[b - 2 - escapes] == '\\')
			escapes++;
		if (s[0] == '"' && escapes % 2)
			return "a string cut short at an escaped quote";
		a = 1;
		b--;
		quoted = true;
		while (b > a + 1 && (s[b - 1] == ' ' || s[b - 1] == '\t'))
			b--;
		while (b > a + 1 && (s[a] == ' ' || s[a] == '\t'))
			a++;
	} else if (b >= 3 && s[0] == '@' && s[1] == '"' && s[b - 1] == '"') {
		a = 2;
		b--;
		quoted = true;
	} else {
		if (b && (s[0] == '"' || s[0] == '\'' || s[0] == '`'))
			return "unterminated string";
		/* ${MVNW_PASSWORD:+has-password}, ${DB_PASSWORD:-}: the key is a shell
		 * variable being expanded, what follows its ':' is the expansion's word */
		if (b >= 2 && s[0] && strchr("+-=?", s[0]) && memchr(s, '}', b))
			return "a shell parameter expansion (${VAR:+word}), not an assignment";
		/* trailing punctuation, and a C string's escapes: machine x password y\n" */
		while (b > a) {
			if (b - a >= 2 && ((s[a] == '<' && s[b - 1] == '>') || (s[a] == '(' && s[b - 1] == ')') ||
					   (s[a] == '[' && s[b - 1] == ']') || (s[a] == '{' && s[b - 1] == '}')))
				break; /* <jenkins-secret-token>: the slot keeps its closing bracket */
			if (strchr(",;)]}\r>\"'\\", s[b - 1]))
				b--;
			else if (b - a >= 2 && s[b - 2] == '\\' && strchr("nrt", s[b - 1]))
				b -= 2;
			else
				break;
		}
	}
	*start = a;
	*end = b;
	s += a;
	n = b - a;
	if (!n)
		return "empty";
	if (how == PG_VALUE_CHECK_CREDENTIAL)
		how = pg_credential_key_is_password(v->key, v->key_len) ? PG_VALUE_CHECK_PASSWORD
									  : PG_VALUE_CHECK_SECRET;
	if (v->key && !quoted && pg_credential_path_is_code(v->path) && is_code_expression(s, n))
		return "an identifier or expression in code";
	if (quoted && pg_credential_path_is_code(v->path) && is_concatenation(s, n))
		return "code between two strings (\"access_token=\" + encodeURIComponent(t) + \"...\"), not a literal";
	if (!quoted && (s[0] == '#' || s[0] == '|' || s[0] == '>' || s[0] == '{' || s[0] == '['))
		return "a comment, block or structure, not a value";
	if ((why = reference_kind(s, n, quoted)) || (why = template_kind(s, n)))
		return why;
	if (is_rule_list(s, n))
		return "a list of validation rules (required|string|min:8), not a value";
	if (quoted && v->value[0] == '"' && path_is_script(v->path) && expands_a_variable(s, n))
		return "a string the shell builds from a variable (\"... $VAR ...\"), not a literal";
	if (repeats_key(s, n, v->key, v->key_len))
		return "repeats its key's name (a placeholder)";
	if (repeats_key(s, n, v->user, v->user_len))
		return "the same as the user name (a placeholder or a default)";
	if (how == PG_VALUE_CHECK_PASSWORD && names_a_credential(s, n))
		return "the name of a setting or message, not its value";
	if (is_placeholder(s, n))
		return "placeholder";
	if (is_constant_name(s, n))
		return "the name of a constant";
	if (is_class_name(s, n, v->key, v->key_len))
		return "the name of a class";
	/* <verification token>, unquoted: the rule's value ends at the space
	 * (a word of lower-case letters after the '<', not a random value) */
	if (!quoted && n >= 2 && s[0] == '<' && isalpha((unsigned char)s[1])) {
		size_t i = 2;

		while (i < n && (islower((unsigned char)s[i]) || s[i] == '-' || s[i] == '_' || s[i] == '.'))
			i++;
		if (i == n)
			return "a template slot cut at its space (<verification token>)";
	}
	if (how == PG_VALUE_CHECK_SECRET && builds_on_key(s, n, v->key, v->key_len))
		return "a name built on its key's name (an identifier, not a credential)";
	if (is_text(s, n))
		return "text for people to read";
	if (is_path_or_url(s, n))
		return "a file path or URL";
	if ((why = base64_of_a_look_alike(how, v, s, n)))
		return why;
	if (how == PG_VALUE_CHECK_SECRET)
		return not_random(s, n);
	if ((why = not_password(s, n)))
		return why;
	if (v->text && s >= v->text && s + n <= v->text + v->text_len &&
	    pg_credential_user_nearby(v->text, v->text_len, (size_t)(s - v->text), n))
		return "the value of a user name nearby as well (a default)";
	return NULL;
}
