/* Who pushed, and over what. Never taken from commit author/committer fields:
 * only from what the server that ran git receive-pack tells us. */
#ifndef PG_IDENTITY_H
#define PG_IDENTITY_H

#include "error.h"

/* Pusher, first one set of:
 *   GL_USERNAME (GitLab), GITEA_PUSHER_NAME (Gitea/Forgejo), GL_USER (gitolite),
 *   GITHUB_USER_LOGIN (GitHub Enterprise), REMOTE_USER (git-http-backend),
 *   PUSHGUARD_PUSHER (set by an ssh forced command), else the Unix user.
 * Protocol: GL_PROTOCOL, else "http" under CGI (REQUEST_METHOD), "ssh" with
 * SSH_CONNECTION, "git" under git daemon (REMOTE_ADDR), else "local".
 * *out_source is a static string naming the variable used. Caller frees
 * *out_pusher and *out_protocol. */
int pg_identity_resolve(char **out_pusher, const char **out_source, char **out_protocol,
			struct pg_error *err);

#endif
