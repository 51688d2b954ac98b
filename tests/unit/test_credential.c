/* Unit tests for lib/credential.c: how a generic credential's value is judged
 * (one case per class of look-alike, and the values that are credentials),
 * the confidence names, and which paths are examples or code. Credential-like
 * values are random (tests/unit/template.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "credential.h"
#include "template.h"

struct jcase {
	enum pg_value_check how;
	const char *key, *user;
	const char *value; /* a template (template.h), as the rule matched it */
	const char *path;
	const char *why;   /* NULL: a credential; else words of the reason, alternatives split by | */
};

static const char *judge(const struct jcase *c, struct pg_buf *value, size_t *a, size_t *b)
{
	struct pg_credential_value v = { c->key, c->key ? strlen(c->key) : 0, c->user,
					 c->user ? strlen(c->user) : 0, NULL, 0, c->path };
	const char *err = tpl_expand_file(value, c->value);

	if (err)
		fail_msg("template %s: %s", c->value, err);
	v.value = value->ptr;
	v.value_len = value->len;
	return pg_credential_judge(c->how, &v, a, b);
}

/* True when why holds one of the |-separated alternatives of want. */
static bool reason_is(const char *why, const char *want)
{
	char alt[128];

	if (!why)
		return false;
	for (const char *p = want;; p += strcspn(p, "|") + 1) {
		snprintf(alt, sizeof(alt), "%.*s", (int)strcspn(p, "|"), p);
		if (strstr(why, alt))
			return true;
		if (!p[strcspn(p, "|")])
			return false;
	}
}

static void run(const struct jcase *cases, size_t n)
{
	struct pg_buf value = PG_BUF_INIT;
	size_t bad = 0;

	for (int round = 0; round < 20; round++)
		for (size_t i = 0; i < n; i++) {
			size_t a, b;
			const char *why = judge(&cases[i], &value, &a, &b);

			if (!cases[i].why && why) {
				print_error("case %zu: %s = %s in %s: not a credential (%s)\n", i,
					    cases[i].key ? cases[i].key : "-", value.ptr, cases[i].path, why);
				bad++;
			} else if (cases[i].why && !reason_is(why, cases[i].why)) {
				print_error("case %zu: %s = %s in %s: want \"%s\", got %s\n", i,
					    cases[i].key ? cases[i].key : "-", value.ptr, cases[i].path, cases[i].why,
					    why ? why : "a credential");
				bad++;
			}
		}
	pg_buf_release(&value);
	if (bad)
		fail_msg("%zu judgements wrong", bad);
}

#define P PG_VALUE_CHECK_PASSWORD
#define S PG_VALUE_CHECK_SECRET
#define C PG_VALUE_CHECK_CREDENTIAL

static void test_credentials(void **state)
{
	static const struct jcase cases[] = {
		{ C, "DB_PASSWORD", NULL, "@{Aa0:10}@{0:3}", ".env", NULL },
		{ C, "password", NULL, "\"@{Aa0:8}!@{0:2}\"", "config/settings.json", NULL },
		{ C, "pass", NULL, "@{Aa0:9}@{0:2}", "config/app.ini", NULL },
		{ C, "userPassword", NULL, "\"@{a:9}\"", "db/robomongo.json", NULL },
		{ C, "IRC_PASS", NULL, "@{a:7}@{0:3}", "config", NULL },
		{ C, "ldap_default_authtok", NULL, "@{Aa0:18}", "sssd.conf", NULL },
		{ C, "requirepass", NULL, "@{Aa0:24}", "redis.conf", NULL },
		{ C, "$password", NULL, "\"@{Aa0:15}\"", "Deploy.ps1", NULL },
		{ C, "SECRET_KEY", NULL, "'@{a0!@#%^&*(-_=+):50}'", "mysite/settings.py", NULL },
		/* a mask-like run inside a long random value is part of the value */
		{ C, "SECRET_KEY", NULL, "'rlkh2***vnwgx4y#1ba+*wgag07*f_s)xnpwu6d7641t&1jjc#'", "mysite/settings.py", NULL },
		{ C, "api_key", NULL, "@{a0:20}xxxx@{a0:20}", "config/app.ini", NULL },
		{ C, "AUTH_KEY", NULL, "'$C.rVuzvSxWvu~NN||xVdLSXmKd3Hbw(Mq4gSrA5k0?MA9M l$dLFQh9eKRozru='", "wp-config.php", NULL },
		{ C, "api_key", NULL, "@{h:32}", "cloud/.tugboat", NULL },
		{ C, "oauth_token", NULL, "\"@{h:40}\"", "hub", NULL },
		{ C, "secret_key_base", NULL, "@{h:128}", "config/secrets.yml", NULL },
		{ C, "APP_KEY", NULL, "base64:@{Aa0+/:43}=", ".env", NULL },
		{ C, "AUTH_KEY", NULL, "'@{Aa0!#$%()*+,-./:;<=>?@^_|~ :64}'", "wp-config.php", NULL },
		{ C, "client_secret", NULL, "\"@{a0:28}\"", "app.json", NULL },
		{ P, NULL, "deploy", "@{Aa0:16}", "docker-compose.yml", NULL },
		{ P, NULL, "worker", "@{Aa0:14}", "celeryconfig.py", NULL }, /* a URL inside a string in code */
		{ P, NULL, NULL, "ExamplePas@{0:3}", "filezilla.xml", NULL },
		{ P, NULL, NULL, "@{a:4}pass@{0:2}", "mongoid.yml", NULL },
		/* near the look-alikes of the public-repository sweep (December 2026) */
		{ S, "token", NULL, "\"@{Aa0:20}.@{Aa0:20}\"", "a.json", NULL },
		{ S, "aws_secret_key", NULL, "'@{Aa0:16}/@{Aa0:7}/@{Aa0:16}'", "launch.yml", NULL },
		{ S, "client_secret", NULL, "\"\t@{Aa0:32} \"", "a.json", NULL },
		{ C, "password", NULL, "\"$2y$10$@{Aa0./:53}\"", "users.json", NULL },
		{ S, "secret", NULL, "'@{Aa0:24}'", "deploy.bicep", NULL },
		{ C, "password", NULL, "\"@{A:1}@{a:4}SecretPassword\"", "main.tf", NULL },
		{ C, "password", NULL, "\"{{@{Aa0:12}\"", "values.yaml", NULL },
		{ S, "api_key", NULL, "$@{Aa0:20}.@{Aa0:20}!", "a.yml", NULL },
		{ S, "api_key", NULL, "\"+@{Aa0+/:39}\"", "config.js", NULL },
		{ C, "password", NULL, "-@{Aa0:12}", "compose.yml", NULL },
		{ C, "password", NULL, "'@{a:6}|@{a:5}|@{0:3}'", "config.php", NULL }, /* a digit item: no rule list */
		{ C, "password", NULL, "'@{A:1}@{a:5}|@{a:6}'", "config.php", NULL },
		/* filler words with more: a password someone chose */
		{ C, "password", NULL, "Super-Secret-@{0:3}", "vars.yml", NULL },
		{ C, "password", NULL, "mysecret@{a:5}", "vars.yml", NULL },
		{ C, "password", NULL, "\"@{Aa0:10}\\\\\"", "a.py", NULL }, /* an escaped backslash ends it */
		/* CamelCase not named after the key, or with digits between: chosen */
		{ C, "password", NULL, "'SunnyMorning@{0:2}'", "app.php", NULL },
		{ C, "password", NULL, "'Password@{0:4}Now'", "app.php", NULL },
		{ S, "token", NULL, "<@{Aa0:20}", "a.yml", NULL },
		/* base64 of a chosen password, random digits that are base64 by chance */
		{ C, "password", NULL, "WGs0cFE5dkxtMiE=", "chap-secret.yaml", NULL },
		{ S, "api_token", NULL, "@{Aa0:16}", "secret.yaml", NULL },
		/* runs beside random characters: generated */
		{ S, "api_token", NULL, "0123456789@{Aa0:12}abcdef@{Aa0:10}", "users.yml", NULL },
		{ S, "api_token", NULL, "abcdef@{a0:30}", "users.yml", NULL },
		/* an escaped $, single quotes, or no script: the literal */
		{ S, "TOKEN", NULL, "\"@{Aa0:12}\\\\$@{Aa0:12}\"", "deploy.sh", NULL },
		{ S, "TOKEN", NULL, "'@{Aa0:12}$@{Aa0:12}'", "deploy.sh", NULL },
		{ S, "TOKEN", NULL, "\"@{Aa0:12}$@{Aa0:12}\"", "config.yml", NULL },
	};

	run(cases, sizeof(cases) / sizeof(*cases));
}

static void test_look_alikes(void **state)
{
	static const struct jcase cases[] = {
		/* empty and placeholders */
		{ C, "password", NULL, "\"\"", "a.json", "empty" },
		{ C, "DB_PASSWORD", NULL, "changeme", ".env.example", "placeholder" },
		{ C, "API_KEY", NULL, "your-api-key-here", ".env", "placeholder" },
		{ C, "token", NULL, "\"xxxxxxxxxxxxxxxxxxxx\"", "a.yml", "placeholder" },
		{ C, "password", NULL, "\"********\"", "a.yml", "placeholder" },
		{ C, "api_key", NULL, "sk_live_****************1234", "a.yml", "placeholder" },
		{ C, "token", NULL, "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9...", "a.yml", "placeholder" },
		{ C, "token", NULL, "a8f3k2m9q...z7x4", "a.yml", "placeholder" },
		{ C, "password", NULL, "\"<password>\"", "a.json", "template" },
		{ C, "token", NULL, "REPLACE_ME", "a.yml", "placeholder" },
		{ C, "password", NULL, "example-password", "a.yml", "placeholder|name of a setting" },
		{ C, "password", NULL, "password", "a.yml", "placeholder" },
		{ C, "password", NULL, "true", "a.yml", "placeholder" },
		{ C, "IRC_PASS", NULL, "irc_pass", "config", "repeats its key" },
		{ P, NULL, "postgres", "postgres", "compose.yml", "user name" },
		/* Laravel's validation rules and casts for the password field */
		{ C, "'password'", NULL, "'required|string|min:8|confirmed'", "app/Http/Requests/Store.php", "validation rules" },
		{ C, "'password'", NULL, "'nullable|min:6'", "app/Http/Requests/Store.php", "validation rules" },
		{ C, "'password'", NULL, "'hashed'", "app/Models/User.php", "placeholder" },
		/* a Kubernetes Secret's data: base64 of a placeholder */
		{ C, "password", NULL, "cGFzc3dvcmQ=", "chap-secret.yaml", "base64 of a look-alike" },
		{ C, "node.session.auth.password", NULL, "ZGVtbw==", "chap-secret.yaml", "base64 of a look-alike" },
		{ S, "api_token", NULL, "JHtBUElfVE9LRU59", "secret.yaml", "base64 of a look-alike" }, /* ${API_TOKEN} */
		/* counting runs and a word, as commented examples write a token */
		{ S, "api_token", NULL, "0123456789technicaluser789abcdef01234567", "users.yml", "sequence" },
		{ S, "api_token", NULL, "0123456789jdoe789abcdef01234567jdoe", "users.yml", "sequence" },
		/* class names: with a namespace, or named after the key */
		{ C, "'password'", NULL, "'Auth\\PasswordController'", "app/Http/routes.php", "class" },
		{ C, "'Password'", NULL, "'Illuminate\\Support\\Facades\\Password'", "config/app.php", "class" },
		{ C, "'password'", NULL, "'PasswordController'", "app/Http/routes.php", "class" },
		/* a slot whose value the rule cut at its space */
		{ S, "slack.verification-token", NULL, "<verification", "config.example.yml", "template slot" },
		/* nothing but the words that fill an example's slot */
		{ C, "POSTGRES_PASSWORD", NULL, "mysecretpassword", "docker-compose.yml", "placeholder" },
		{ C, "password", NULL, "\"supersecret\"", "a.json", "placeholder" },
		{ P, NULL, "myacct", "mypass", "README.rst", "placeholder" },
		{ C, "password", NULL, "passme", "vars.yml", "placeholder" },
		/* a '$' escaped by docker compose or make */
		{ C, "--requirepass", NULL, "\"$$(cat $$REDIS_PASS_FILE)\"", "docker-compose.yml", "variable" },
		{ C, "DB_PASSWORD", NULL, "$${DB_PASSWORD}", "Makefile", "variable|template" },
		/* read up to an escaped quote: the string goes on */
		{ S, "CREDENTIALS", NULL, "\"SENTRY_RELAY_WHITELIST_PK = [\\\"", "install.sh", "escaped quote" },
		{ C, "password", NULL, "\"@{Aa0:10}\\\"", "a.py", "escaped quote" },
		/* a shell script's double-quoted string expanding a variable */
		{ S, "CREDENTIALS", NULL, "\"SENTRY_RELAY_WHITELIST_PK = [\\\"$CREDENTIALS\\\"]\"", "install.sh", "builds from a variable" },
		{ S, "TOKEN", NULL, "\"@{Aa0:12}-$SUFFIX\"", "deploy.sh", "builds from a variable" },
		/* references and templates */
		{ C, "password", NULL, "${DB_PASSWORD}", "a.yml", "variable" },
		{ C, "password", NULL, "${DB_PASSWORD:-secret}", "a.yml", "variable" },
		{ C, "password", NULL, "\"$(cat /run/secrets/db)\"", "a.sh", "variable|template" },
		{ C, "password", NULL, "\"{{ .Values.db.password }}\"", "secret.yaml", "template" },
		{ C, "db_password", NULL, "\"{{ vault_db_password }}\"", "vars.yml", "template" },
		{ C, "password", NULL, "<%= ENV['DB_PASSWORD'] %>", "database.yml", "template|lookup" },
		{ C, "password", NULL, "\"%(db_password)s\"", "a.ini", "template" },
		{ C, "api_token", NULL, "!vault", "vars.yml", "YAML tag" },
		{ C, "password", NULL, "*db_password", "a.yml", "anchor" },
		{ C, "SECRET_KEY", NULL, "os.environ[", "settings.py", "expression" },
		{ C, "apiKey", NULL, "process.env.API_KEY", "config.js", "identifier or expression" },
		{ C, "password", NULL, "\"getenv(DB_PASSWORD)\"", "a.yml", "lookup" },
		{ C, "key", NULL, "secretKeyRef:", "deploy.yaml", "" },
		/* code */
		{ C, "password", NULL, "password", "app.py", "identifier or expression" },
		{ C, ".private_key_filename", NULL, "private_key_filename,", "ssl.c", "identifier or expression" },
		{ C, "password", NULL, "var.db_password", "rds.tf", "identifier or expression" },
		{ C, "$pass\"", NULL, "\"lib,link\"", "ltmain.sh", "variable used" },
		{ C, "pass", NULL, "conv", "ltmain.sh", "bare" },
		{ C, "pwd", NULL, "below", "configure.ac", "bare" },
		/* words for people, names of settings */
		{ C, "password", NULL, "\"Passwort\"", "de.json", "text|placeholder" },
		{ C, "password", NULL, "Mot de passe", "fr.yml", "text|placeholder" },
		{ C, "forgotPassword", NULL, "\"Passwort vergessen?\"", "de.json", "text" },
		{ C, "password", NULL, "\"Пароль\"", "ru.json", "text" },
		{ C, "password", NULL, "\"labels.password\"", "Login.vue", "name of a setting" },
		{ C, "KEYPASSWD", NULL, "CURLOPT_KEYPASSWD", "CHANGES", "constant" },
		/* paths, URLs, addresses */
		{ C, "password", NULL, "/run/secrets/db_password", "a.yml", "path" },
		{ C, "password", NULL, "@/etc/passwd", "curl.1", "file" },
		{ C, "fastcgi_pass", NULL, "127.0.0.1:9000", "nginx.conf", "proxy_pass" },
		{ C, "password", NULL, "localhost:6379", "a.yml", "path or URL" },
		{ P, NULL, NULL, "\"curl_by_daniel@haxx.se\"", "urldata.h", "email" },
		/* secrets that are not random */
		{ S, "api_key", NULL, "\"@{uuid}\"", "a.json", "UUID" },
		{ S, "token", NULL, "\"SessionTokenHeader\"", "a.json", "words" },
		{ S, "secret", NULL, "my-secret-name", "a.yml", "words" },
		{ S, "token_expiry", NULL, "900000000000", "a.yml", "number" },
		{ S, "secret", NULL, "\"abc123\"", "a.json", "placeholder" },
		{ S, "secret", NULL, "aaaaaaaaaaaaaaaaaaaa", "a.json", "placeholder" },
		{ S, "token", NULL, "\"%s\"", "client.c", "format" },
		{ C, "password", NULL, "pw", "a.yml", "too short" },
		{ C, "password", NULL, "1234", "a.yml", "" },
		/* stylesheets and commands */
		{ C, "input[type=\"password\"", NULL, "focus", "login.css", "stylesheet" },
		{ C, "pass", NULL, "` grep -c PASS results`", "Makefile.in", "command substitution" },
		/* found sweeping public configuration repositories (December 2026) */
		{ S, "api_token", NULL, "123456abcdefg", "digital_ocean.ini", "sequence" },
		{ S, "DJANGO_SECRET_KEY", NULL, "abcdefghijklmnopqrstuvwxyz", "deploy.yml", "sequence" },
		{ C, "administratorLoginPassword", NULL, "\"[parameters('sqlserver_password')]\"", "azuredeploy.json",
		  "Resource Manager" },
		{ C, "administratorLoginPassword", NULL, "sqlAdminPassword", "sqlserver.bicep", "identifier or expression" },
		{ C, "Password", NULL, "\"SecurePwdGoesHere\"", "devcontainer.json", "placeholder" },
		{ S, "privateKey", NULL, "\"$PROJECT_DIR$/compose/debug/keys_to_docker/id_rsa\"", "webServers.xml",
		  "variable" },
		{ S, "docker_private_key", NULL, "'compose/debug/keys_to_docker/id_rsa'", "post_gen_project.py", "path" },
		{ S, "PublicKeyToken", NULL, "@{h:16}", "CodeMaid.config", "public key" },
		{ S, "credentials", NULL, "2.3.0,ssh-credentials:1.17.3", "META-INF/MANIFEST.MF", "version" },
		{ S, "DOCKER_CREDENTIALS", NULL, "'@{uuid}\t'", "Jenkinsfile", "UUID" },
		{ S, "credentials", NULL, "\"AWSCredentials\"", "Jenkinsfile", "built on its key" },
		{ S, "jenkins_agent_secret", NULL, "<jenkins-secret-token>", "main.yml", "template slot" },
		{ S, "imagePullSecret", NULL, "'{{#toAlphaNumericString conn.Name 50}}{{/toAlphaNumericString}}-auth'",
		  "azure-pipelines.yml", "template|Kubernetes Secret" },
		{ S, "imagePullSecret", NULL, "'azurevoteaksacr@{h:4}-auth'", "azure-pipelines.yml", "Kubernetes Secret" },
		{ C, "shouldPass", NULL, "bool", "README.md", "placeholder" },
		{ S, "token", NULL, "\"string.regexp\"", "mode-c.js", "name" },
		{ S, "token", NULL, "i0.IterableDiffers", "cache.json", "name" },
		{ S, "tlsSecret", NULL, "ghost.local-tls", "values.yaml", "Kubernetes Secret" },
		{ S, "authenticity_token", NULL, "\"@{Aa0+/:86}==\"", "deployment.yaml", "anti-forgery" },
		{ S, "clientSecret", NULL, "$dex.github.clientSecret", "values.yaml", "variable" },
		{ C, "password", NULL, "\"{{ print \"", "values.yaml", "template" },
		{ C, "MVNW_PASSWORD", NULL, "+has-password}", "mvnw", "parameter expansion" },
		{ S, "access_token", NULL, "\"+encodeURIComponent(token))}this.url=url;return[2,new Promise(function(r\"",
		  "signalr.min.js", "between two strings" },
		{ C, "password", NULL, "\" . $pass . \"", "db.php", "between two strings" },
	};

	run(cases, sizeof(cases) / sizeof(*cases));
}

static void test_quotes_are_taken_off(void **state)
{
	struct pg_credential_value v = { "password", 8, NULL, 0, "\"h4rd2guess!\"", 13, "a.json" };
	size_t a, b;

	assert_null(pg_credential_judge(PG_VALUE_CHECK_PASSWORD, &v, &a, &b));
	assert_int_equal(a, 1);
	assert_int_equal(b, 12);
	v.value = "h4rd2guess!\\n\";";
	v.value_len = strlen(v.value);
	assert_null(pg_credential_judge(PG_VALUE_CHECK_PASSWORD, &v, &a, &b));
	assert_int_equal(a, 0);
	assert_int_equal(b, 11); /* a C string's \n, the closing quote and ; */
	v.value = "\"unterminated";
	v.value_len = strlen(v.value);
	assert_string_equal(pg_credential_judge(PG_VALUE_CHECK_PASSWORD, &v, &a, &b), "unterminated string");
}

static void test_key_names(void **state)
{
	static const char *const passwords[] = { "password", "DB_PASSWORD", "passwd", "pwd", "pass", "IRC_PASS",
						 "sshPass", "passphrase", "ansible_ssh_pass", "bind_pw",
						 "ldap_default_authtok", "requirepass", "$password\"", NULL };
	static const char *const others[] = { "xpass", "bypass", "compass", "api_key", "token", "secret", NULL };

	for (size_t i = 0; passwords[i]; i++)
		if (!pg_credential_key_is_password(passwords[i], strlen(passwords[i])))
			fail_msg("%s names a password", passwords[i]);
	for (size_t i = 0; others[i]; i++)
		if (pg_credential_key_is_password(others[i], strlen(others[i])))
			fail_msg("%s does not name a password", others[i]);
}

static void test_paths(void **state)
{
	static const char *const examples[] = { "README.md", "docs/config.rst", "doc/x.txt", "CHANGES",
						"ChangeLog", "tests/data/test1", "test/fixtures/a.json",
						"spec/factories/users.rb", "pkg/x/testdata/c.yml", "a/b_test.go",
						"tests/test_app.py", "src/app.spec.ts", "src/FooTest.java",
						".env.example", "config.php.dist", "examples/app/config.py",
						"INSTALL", "README.Debian", "CHANGES-2.0", "NEWS.old", "HISTORY.rst",
						"_unit-test/migrate.sh", "unit-tests/a.yml", "src/integration_tests/conf.py",
						"app/e2e.spec/x.json", NULL };
	/* a program's files named like documentation are not documentation */
	static const char *const live[] = { "src/main.c", ".env", "config/app.yml", "testing.go", "contest/x.py",
					     "latest/app.env", "documentary.json", "install.sh", "install-prod.sh",
					     "cfg/install.yml", "history.yml", "app/history.py", "news.json",
					     "todo.conf", "INSTALL.ps1", "attestation/a.yml", "testutils/x.env",
					     "latest-tests.yml", NULL };
	static const char *const code[] = { "a.c", "b.py", "c.ts", "d.go", "e.tf", "f.cs", "g.php", NULL };
	static const char *const notcode[] = { ".env", "a.yml", "b.json", "c.sh", "Dockerfile", "d.ini", NULL };

	for (size_t i = 0; examples[i]; i++)
		if (!pg_credential_path_is_example(examples[i]))
			fail_msg("%s is an example path", examples[i]);
	for (size_t i = 0; live[i]; i++)
		if (pg_credential_path_is_example(live[i]))
			fail_msg("%s is not an example path", live[i]);
	for (size_t i = 0; code[i]; i++)
		assert_true(pg_credential_path_is_code(code[i]));
	for (size_t i = 0; notcode[i]; i++)
		assert_false(pg_credential_path_is_code(notcode[i]));
	assert_false(pg_credential_path_is_example(NULL));
}

/* A password that a user, login or database nearby is set to as well is a
 * demonstration's default; a password that no such name repeats is one. */
static void test_user_nearby(void **state)
{
	/* the password is the first `value` after `after` */
	static const struct {
		const char *text, *after, *value;
		bool nearby;
	} cases[] = {
		{ "MYSQL_DATABASE=wordpress\nMYSQL_USER=wordpress\nMYSQL_PASSWORD=wordpress\n", "PASSWORD", "wordpress", true },
		{ "    environment:\n      - POSTGRES_DB=netbox\n      - POSTGRES_PASSWORD=netbox\n", "PASSWORD", "netbox", true },
		{ "drush si --account-name=admin --account-pass=admin -y\n", "pass", "admin", true },
		{ "#- username: reader\n#  password: reader\n", "password", "reader", true },
		{ "  \"USER\": \"sentry\",\n  \"PASSWORD\": \"sentry\",\n", "PASSWORD", "sentry", true },
		{ "password: reader\nother: 1\nother: 2\n\"user\" : 'reader'\n", "password", "reader", true },
		{ "# reader:\n#   password: reader\n# writer:\n#   password: writer\n", "password: writer", "writer", true },
		{ "users:\n  reader:\n    email: r@example.com\n    password: reader\n", "password", "reader", true },
		/* a block named otherwise, or the name after it */
		{ "  deploy:\n    password: reader\n", "password", "reader", false },
		{ "password: reader\nreader:\n", "password", "reader", false },
		{ "reader: yes\npassword: reader\n", "password", "reader", false },
		/* too far: four lines apart */
		{ "user: reader\na: 1\nb: 2\nc: 3\npassword: reader\n", "password", "reader", false },
		/* another password with the same value, a user of another value */
		{ "ROOT_PASSWORD=Xk4pQ9vL\nUSER_PASSWORD=Xk4pQ9vL\n", "ROOT", "Xk4pQ9vL", false },
		{ "user: deploy\npassword: Xk4pQ9vL\n", "password", "Xk4pQ9vL", false },
		/* the value inside a longer one, or not assigned */
		{ "user: reader2\npassword: reader\n", "password", "reader", false },
		{ "# reader is the password\npassword: reader\n", "password:", "reader", false },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		const char *t = cases[i].text, *p = strstr(t, cases[i].after), *v;

		assert_non_null(p);
		assert_non_null(v = strstr(p, cases[i].value));
		if (pg_credential_user_nearby(t, strlen(t), (size_t)(v - t), strlen(cases[i].value)) != cases[i].nearby)
			fail_msg("case %zu: %s", i, t);
	}
	assert_false(pg_credential_user_nearby("user: a\npassword: a", 19, 20, 1)); /* out of the text */
	/* as the engine asks it: the value judged in its text */
	{
		const char *t = "MYSQL_USER=wordpress\nMYSQL_PASSWORD=wordpress\n", *val = strstr(t, "D=") + 2;
		struct pg_credential_value v = { "MYSQL_PASSWORD", 14, NULL, 0, val, 9, "compose.yml", t, strlen(t) };
		size_t a, b;

		assert_non_null(pg_credential_judge(PG_VALUE_CHECK_CREDENTIAL, &v, &a, &b));
		v.text = NULL; /* without its text: a weak password, which counts */
		assert_null(pg_credential_judge(PG_VALUE_CHECK_CREDENTIAL, &v, &a, &b));
	}
	/* one long line: only 4 KiB either side is looked at */
	{
		char *line = malloc(20000);
		size_t at;

		assert_non_null(line);
		memset(line, ' ', 20000);
		memcpy(line, "user=reader", 11);
		memcpy(line + 3000, "password=reader", 15);
		at = 3000 + 9;
		assert_true(pg_credential_user_nearby(line, 20000, at, 6));
		memcpy(line + 3000, "               ", 15);
		memcpy(line + 9000, "password=reader", 15);
		assert_false(pg_credential_user_nearby(line, 20000, 9000 + 9, 6));
		free(line);
	}
}

static void test_names(void **state)
{
	enum pg_confidence c;
	enum pg_value_check v;

	assert_string_equal(pg_confidence_name(PG_CONFIDENCE_LOW), "low");
	assert_string_equal(pg_confidence_name(PG_CONFIDENCE_MEDIUM), "medium");
	assert_string_equal(pg_confidence_name(PG_CONFIDENCE_HIGH), "high");
	assert_int_equal(pg_confidence_parse(&c, "Medium"), 0);
	assert_int_equal(c, PG_CONFIDENCE_MEDIUM);
	assert_int_equal(pg_confidence_parse(&c, "sure"), -1);
	assert_true(PG_CONFIDENCE_LOW < PG_CONFIDENCE_MEDIUM && PG_CONFIDENCE_MEDIUM < PG_CONFIDENCE_HIGH);
	assert_int_equal(pg_value_check_parse(&v, "credential"), 0);
	assert_int_equal(v, PG_VALUE_CHECK_CREDENTIAL);
	assert_int_equal(pg_value_check_parse(&v, "password"), 0);
	assert_int_equal(pg_value_check_parse(&v, "secret"), 0);
	assert_int_equal(pg_value_check_parse(&v, "magic"), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_credentials),
		cmocka_unit_test(test_look_alikes),
		cmocka_unit_test(test_quotes_are_taken_off),
		cmocka_unit_test(test_key_names),
		cmocka_unit_test(test_paths),
		cmocka_unit_test(test_user_nearby),
		cmocka_unit_test(test_names),
	};

	tpl_seed(0x5eed);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
