/* Keeps libgit2's network code out of the executables' start-up. pushguard
 * never uses libgit2's transports (tracker and webhook HTTP go through
 * libcurl/OpenSSL), yet Debian's libgit2 starts them in git_libgit2_init(),
 * the slowest steps of starting a hook. What this object does depends on how
 * the Makefile links libgit2:
 *
 * - LIBGIT2=shared: the executables define these functions under their own
 *   names and the dynamic linker binds libgit2's calls to them. Debian's
 *   libgit2 is built with mbedTLS and parses the whole system CA bundle at
 *   start-up (about 6 ms, more than everything else a one-commit push costs
 *   us): these load nothing and report an I/O error, so any TLS connection
 *   libgit2 might open would fail verification: closed, not open. It also
 *   starts libssh2, which registers every OpenSSL cipher, digest and engine
 *   (0.3 ms of a 5 ms hook): libssh2_init() here does nothing (libcurl's SSH
 *   transports, the only other callers, are not used for the http(s) URLs
 *   pushguard sends to).
 *
 * - LIBGIT2=static (the default where libgit2.a is installed;
 *   PG_LIBGIT2_STATIC): the link wraps libgit2's own entry points to its TLS
 *   stream (mbedTLS), SSH transport (libssh2) and HTTP Negotiate
 *   authentication (GSS-API): `ld --wrap=NAME` sends libgit2's calls to
 *   __wrap_NAME below, which refuse with an error (or, for the start-up
 *   steps, do nothing). Nothing then needs the code behind them, so neither
 *   it nor mbedTLS, libssh2, Kerberos or OpenSSL (libssh2's) is linked into
 *   libgit2: a hook starts without the dynamic linker loading and binding the
 *   thirteen libraries of the shared build (two thirds of a one-commit hook).
 *   The names are libgit2 1.5's; a libgit2 that renamed them would link the
 *   code again (`make LIBGIT2=shared` is the way out then).
 *
 * pg_repo_global_init() also registers a TLS stream that refuses, so in
 * either build a TLS connection through libgit2 fails with the same message.
 * This object is linked into each executable directly (see the Makefile),
 * never used from the library archive. */
#include "libgit2_no_net.h"

#ifdef PG_LIBGIT2_STATIC

#include <git2/errors.h>
#include <git2/sys/transport.h>
#include <stdlib.h>

static int refuse(const char *what)
{
	git_error_set(GIT_ERROR_NET, "pushguard opens no %s connections through libgit2", what);
	return -1;
}

int __wrap_git_mbedtls_stream_global_init(void)
{
	return 0;
}

int __wrap_git_transport_ssh_global_init(void)
{
	return 0;
}

int __wrap_git_mbedtls__set_cert_location(const char *file, const char *path)
{
	(void)file;
	(void)path;
	return refuse("TLS");
}

int __wrap_git_mbedtls_stream_new(void **out, const char *host, const char *port)
{
	(void)host;
	(void)port;
	*out = NULL;
	return refuse("TLS");
}

int __wrap_git_mbedtls_stream_wrap(void **out, void *in, const char *host)
{
	(void)in;
	(void)host;
	*out = NULL;
	return refuse("TLS");
}

/* An SSH subtransport whose every action is refused. (Failing to create one
 * instead would leak: libgit2 1.5's git_transport_smart() does not free its
 * vectors on that path.) */
static int ssh_action(git_smart_subtransport_stream **out, git_smart_subtransport *t, const char *url,
		      git_smart_service_t action)
{
	(void)t;
	(void)url;
	(void)action;
	*out = NULL;
	return refuse("SSH");
}

static int ssh_close(git_smart_subtransport *t)
{
	(void)t;
	return 0;
}

static void ssh_free(git_smart_subtransport *t)
{
	free(t);
}

int __wrap_git_smart_subtransport_ssh(git_smart_subtransport **out, git_transport *owner, void *param)
{
	git_smart_subtransport *t = calloc(1, sizeof(*t));

	(void)owner;
	(void)param;
	if (!(*out = t)) {
		git_error_set_oom();
		return -1;
	}
	t->action = ssh_action;
	t->close = ssh_close;
	t->free = ssh_free;
	return 0;
}

int __wrap_git_http_auth_negotiate(void **out, const void *url)
{
	(void)url;
	*out = NULL;
	return refuse("Negotiate-authenticated");
}

#else

#define X509_FILE_IO_ERROR (-0x2900) /* MBEDTLS_ERR_X509_FILE_IO_ERROR */

int mbedtls_x509_crt_parse_file(void *chain, const char *path)
{
	(void)chain;
	(void)path;
	return X509_FILE_IO_ERROR;
}

int mbedtls_x509_crt_parse_path(void *chain, const char *path)
{
	(void)chain;
	(void)path;
	return X509_FILE_IO_ERROR;
}

int libssh2_init(int flags)
{
	(void)flags;
	return 0;
}

#endif
