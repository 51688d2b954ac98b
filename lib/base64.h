/* Base64 (RFC 4648), one implementation for the whole project: the SSH
 * signature and key blobs, the webhook's "whsec_" secrets, the secret
 * scanner's search for encoded credentials, SSH fingerprints.
 *
 * pg_base64_digit[c] is the value of c in either alphabet, standard
 * ("+/") or URL-safe ("-_"), and -1 for every other byte: the scanner reads
 * it per byte in its hot loop, so it is a table, not a function. */
#ifndef PG_BASE64_H
#define PG_BASE64_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

extern const signed char pg_base64_digit[256];

/* Bit i set when p[i] is a digit of either alphabet (pg_base64_digit[] >= 0),
 * for the 64 bytes at p (all of them readable): the scanner's search for long
 * runs of digits. */
typedef uint64_t pg_base64_digits64_fn(const char *p);
/* The fastest one this CPU runs (AVX2 where it has it, else SSE2, else the
 * table), chosen at the first call: callers keep it for their loop. */
pg_base64_digits64_fn *pg_base64_digits64(void);
/* Every one this build has that this CPU runs, the table's last, at most n
 * of them in out; returns how many (the tests check each one). */
size_t pg_base64_digits64_all(pg_base64_digits64_fn **out, size_t n);

/* Decodes standard base64 (padding optional, whitespace skipped, nothing
 * after padding, no URL-safe digits, no stray bits). *out is malloc'd (the
 * caller frees it); returns 0, or -1 when the text is not base64 or memory
 * runs out. */
int pg_base64_decode(unsigned char **out, size_t *outlen, const char *in, size_t len);

/* Decodes the leading run of base64 digits (either alphabet) of in[0..len)
 * into out, which holds at least len / 4 * 3 + 3 bytes, stopping at the
 * first byte that is not a digit; returns the number of bytes written. No
 * allocation: for the scanner. */
size_t pg_base64_decode_run(unsigned char *out, const char *in, size_t len);

/* Encodes in[0..len) in the standard alphabet, with "=" padding when pad is
 * true; malloc'd NUL-terminated text, NULL when memory runs out. */
char *pg_base64_encode(const unsigned char *in, size_t len, bool pad);

#endif
