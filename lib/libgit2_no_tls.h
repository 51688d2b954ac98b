/* See libgit2_no_tls.c: executables define these so libgit2 skips loading the
 * system CA bundle and starting libssh2 at start-up. */
#ifndef PG_LIBGIT2_NO_TLS_H
#define PG_LIBGIT2_NO_TLS_H

int mbedtls_x509_crt_parse_file(void *chain, const char *path);
int mbedtls_x509_crt_parse_path(void *chain, const char *path);
int libssh2_init(int flags);

#endif
