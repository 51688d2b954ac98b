/* Skips libgit2's CA bundle load, the one slow step of starting a hook.
 *
 * Debian's libgit2 is built with mbedTLS and parses the whole system CA bundle
 * inside git_libgit2_init(): about 6 ms, more than everything else a
 * one-commit push costs us. pushguard never uses libgit2's network transports
 * (tracker and webhook HTTP go through libcurl/OpenSSL), so the executables
 * define these two mbedTLS entry points themselves; the dynamic linker binds
 * libgit2's calls to them. They load nothing and report an I/O error, so any
 * TLS connection libgit2 might open would fail verification: closed, not open.
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
