#include "identity.h"

#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char *const pusher_vars[] = {
	"GL_USERNAME", "GITEA_PUSHER_NAME", "GL_USER", "GITHUB_USER_LOGIN",
	"REMOTE_USER", "PUSHGUARD_PUSHER",
};

static const char *protocol(void)
{
	const char *gl = getenv("GL_PROTOCOL");

	if (gl && *gl)
		return gl;
	if (getenv("REQUEST_METHOD"))
		return "http";
	if (getenv("SSH_CONNECTION") || getenv("SSH_CLIENT"))
		return "ssh";
	if (getenv("REMOTE_ADDR"))
		return "git";
	return "local";
}

int pg_identity_resolve(char **out_pusher, const char **out_source, char **out_protocol,
			struct pg_error *err)
{
	const char *who = NULL, *source = "unix user";
	char uidbuf[32];

	for (size_t i = 0; i < sizeof(pusher_vars) / sizeof(*pusher_vars); i++) {
		const char *v = getenv(pusher_vars[i]);

		if (v && *v) {
			who = v;
			source = pusher_vars[i];
			break;
		}
	}
	if (!who) {
		struct passwd *pw = getpwuid(geteuid());

		if (pw && pw->pw_name) {
			who = pw->pw_name;
		} else {
			snprintf(uidbuf, sizeof(uidbuf), "uid:%u", (unsigned)geteuid());
			who = uidbuf;
		}
	}
	*out_pusher = strdup(who);
	*out_protocol = strdup(protocol());
	*out_source = source;
	if (!*out_pusher || !*out_protocol)
		return pg_error_oom(err);
	return 0;
}
