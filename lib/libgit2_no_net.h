/* See libgit2_no_net.c: what the executables define so that starting
 * libgit2 starts none of its network code. */
#ifndef PG_LIBGIT2_NO_NET_H
#define PG_LIBGIT2_NO_NET_H

#ifdef PG_LIBGIT2_STATIC
#include <git2/sys/transport.h>

/* libgit2 1.5's internal entry points, wrapped at link time (ld --wrap) */
int __wrap_git_mbedtls_stream_global_init(void);
int __wrap_git_transport_ssh_global_init(void);
int __wrap_git_mbedtls__set_cert_location(const char *file, const char *path);
int __wrap_git_mbedtls_stream_new(void **out, const char *host, const char *port);
int __wrap_git_mbedtls_stream_wrap(void **out, void *in, const char *host);
int __wrap_git_smart_subtransport_ssh(git_smart_subtransport **out, git_transport *owner, void *param);
int __wrap_git_http_auth_negotiate(void **out, const void *url);
#else
/* mbedTLS's and libssh2's, interposed at run time */
int mbedtls_x509_crt_parse_file(void *chain, const char *path);
int mbedtls_x509_crt_parse_path(void *chain, const char *path);
int libssh2_init(int flags);
#endif

#endif
