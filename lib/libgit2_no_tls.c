/* Skips what libgit2 starts for its network transports, the slow steps of
 * starting a hook. pushguard never uses those transports (tracker and webhook
 * HTTP go through libcurl/OpenSSL), so the executables define these entry
 * points themselves; the dynamic linker binds libgit2's calls to them:
 *
 * - Debian's libgit2 is built with mbedTLS and parses the whole system CA
 *   bundle inside git_libgit2_init(): about 6 ms, more than everything else a
 *   one-commit push costs us. These load nothing and report an I/O error, so
 *   any TLS connection libgit2 might open would fail verification: closed,
 *   not open.
 * - git_libgit2_init() also starts libssh2, which registers every OpenSSL
 *   cipher, digest and engine: 0.3 ms of a 5 ms hook. libssh2_init() here
 *   does nothing; OpenSSL still starts itself on first use (rules digest,
 *   finding ids, signatures), and libcurl's SSH transports, the only other
 *   callers, are not used for the http(s) URLs pushguard sends to.
 *
 * This object is linked into each executable directly (see the Makefile),
 * never used from the library archive. */
#include "libgit2_no_tls.h"

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
